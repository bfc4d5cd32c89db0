# The texts of the client-area and admin-area pages (fr, Français); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Copier
page-copied = Copié
page-yes = Oui
page-no = Non
page-back = Retour
page-not-measured = Pas encore mesuré
page-unlimited = Illimité
page-limit = Limite
page-used = Utilisé
page-free = Libre
page-used-percent = Utilisé %
page-free-percent = Libre %
page-username = Nom d’utilisateur
page-status = État
page-client-title = Votre stockage
page-access = Accès
page-web-address = Interface web
page-password = Mot de passe
page-password-show = Afficher le mot de passe
page-password-elsewhere = Affiché uniquement dans votre espace client.
page-instructions = Instructions
page-space = Espace disque
page-pie-title = Espace utilisé et libre
page-pie-desc = { $used } utilisés sur { $limit } ({ $percent }) ; { $free } libres.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Taille
page-bucket-objects = Objets
page-no-buckets = Il n’y a pas encore de bucket.
page-buckets-note = Tailles selon la dernière mesure du serveur.
page-statistics = Statistiques de l’espace utilisé
page-time-zone = Jours et mois dans le fuseau horaire { $zone }.
page-daily-title = { $days ->
    [one] Utilisation quotidienne, { $days } dernier jour
    [many] Utilisation quotidienne, { $days } derniers jours
   *[other] Utilisation quotidienne, { $days } derniers jours
}
page-daily-desc = { $count ->
    [one] L’utilisation maximale de chaque jour, en { $unit } ; { $count } jour a des données.
    [many] L’utilisation maximale de chaque jour, en { $unit } ; { $count } jours ont des données.
   *[other] L’utilisation maximale de chaque jour, en { $unit } ; { $count } jours ont des données.
}
page-monthly-title = Utilisation moyenne par mois
page-monthly-desc = { $count ->
    [one] L’utilisation moyenne de chaque mois, en { $unit } ; { $count } mois.
    [many] L’utilisation moyenne de chaque mois, en { $unit } ; { $count } mois.
   *[other] L’utilisation moyenne de chaque mois, en { $unit } ; { $count } mois.
}
page-no-data = Aucune utilisation n’a encore été enregistrée.
page-show-numbers = Afficher les chiffres
page-day = Jour
page-month = Mois
page-average = Moyenne
page-admin-title = Compte de stockage
page-connection = Connexion API
page-connection-ok = Connecté à { $server }.
page-connection-failed = Non connecté : { $error }
page-account = Compte
page-enabled = Activé
page-product = Produit
page-group = Groupe
page-email = E-mail
page-limit-policy = Politique de limite
page-limit-policy-usage = Selon l’utilisation
page-limit-policy-standard = Standard (fixée par un administrateur)
page-limit-policy-limited = Limitée (fixée par un administrateur)
page-disk-usage = Utilisation du disque
page-actions = Actions
page-no-actions = Aucune action n’est possible dans cet état.
page-status-creating = En création
page-status-active = Actif
page-status-suspended = Suspendu
page-status-terminating = En résiliation
page-status-terminated = Résilié
page-status-failed = Échec de la création
page-action-suspend = Suspendre
page-action-unsuspend = Réactiver
page-action-terminate = Résilier
page-action-change-password = Changer le mot de passe
page-action-change-plan = Changer de formule
page-action-update-policy = Mettre à jour la politique
page-action-set-standard-policy = Appliquer la politique standard
page-action-set-limited-policy = Appliquer la politique limitée
page-new-product = Nouvelle formule
page-confirm-terminate = Oui, supprimer le compte et ses données
page-action-done = Fait : { $action }.
page-action-failed = L’action a échoué : { $error }
page-new-password = Le nouveau mot de passe (affiché une seule fois) :
page-refused-title = Cette page ne peut pas être affichée
page-error-title = La page ne peut pas être affichée pour le moment
page-refused-invalid = Le lien n’est pas valide. Rouvrez la page depuis l’espace client.
page-refused-expired = Le lien a expiré. Rouvrez la page depuis l’espace client.
page-refused-wrong-service = Le lien a été créé pour un autre service.
page-refused-wrong-role = Le lien a été créé pour une autre page.
page-refused-not-found = Cette page n’existe pas.
page-refused-not-configured = Les pages ne sont pas configurées sur ce serveur.
page-refused-cross-site = La requête venait d’un autre site et a été refusée.
page-refused-action = Cette action n’est pas possible pour le service en ce moment.
