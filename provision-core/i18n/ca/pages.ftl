# The texts of the client-area and admin-area pages (ca, Català); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Copia
page-copied = Copiat
page-yes = Sí
page-no = No
page-back = Enrere
page-not-measured = Encara no mesurat
page-unlimited = Il·limitat
page-limit = Límit
page-used = Usat
page-free = Lliure
page-used-percent = Usat %
page-free-percent = Lliure %
page-username = Nom d’usuari
page-status = Estat
page-client-title = El vostre emmagatzematge
page-access = Accés
page-web-address = Interfície web
page-password = Contrasenya
page-password-show = Mostra la contrasenya
page-password-elsewhere = Només es mostra a la vostra àrea de client.
page-instructions = Instruccions
page-space = Espai de disc
page-pie-title = Espai usat i lliure
page-pie-desc = { $used } de { $limit } usats ({ $percent }); { $free } lliures.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Mida
page-bucket-objects = Objectes
page-no-buckets = Encara no hi ha cap bucket.
page-buckets-note = Mides segons l’última mesura del servidor.
page-statistics = Estadístiques de l’espai usat
page-time-zone = Dies i mesos a la zona horària { $zone }.
page-daily-title = { $days ->
    [one] Ús diari, l’últim dia
   *[other] Ús diari, els últims { $days } dies
}
page-daily-desc = { $count ->
    [one] L’ús màxim de cada dia, en { $unit }; un dia té dades.
   *[other] L’ús màxim de cada dia, en { $unit }; { $count } dies tenen dades.
}
page-monthly-title = Ús mitjà per mes
page-monthly-desc = { $count ->
    [one] L’ús mitjà de cada mes, en { $unit }; un mes.
   *[other] L’ús mitjà de cada mes, en { $unit }; { $count } mesos.
}
page-no-data = Encara no s’ha registrat cap ús.
page-show-numbers = Mostra les xifres
page-day = Dia
page-month = Mes
page-average = Mitjana
page-admin-title = Compte d’emmagatzematge
page-connection = Connexió API
page-connection-ok = Connectat a { $server }.
page-connection-failed = Sense connexió: { $error }
page-account = Compte
page-enabled = Activat
page-product = Producte
page-group = Grup
page-email = Correu electrònic
page-limit-policy = Política de límit
page-limit-policy-usage = Segons l’ús
page-limit-policy-standard = Estàndard (fixada per un administrador)
page-limit-policy-limited = Limitada (fixada per un administrador)
page-disk-usage = Ús del disc
page-actions = Accions
page-no-actions = No hi ha cap acció possible en aquest estat.
page-status-creating = En creació
page-status-active = Actiu
page-status-suspended = Suspès
page-status-terminating = En baixa
page-status-terminated = Donat de baixa
page-status-failed = Ha fallat la creació
page-action-suspend = Suspèn
page-action-unsuspend = Reactiva
page-action-terminate = Dona de baixa
page-action-change-password = Canvia la contrasenya
page-action-change-plan = Canvia de paquet
page-action-update-policy = Actualitza la política
page-action-set-standard-policy = Aplica la política estàndard
page-action-set-limited-policy = Aplica la política limitada
page-new-product = Paquet nou
page-confirm-terminate = Sí, suprimeix el compte i les seves dades
page-action-done = Fet: { $action }.
page-action-failed = L’acció ha fallat: { $error }
page-new-password = La contrasenya nova (es mostra una vegada):
page-refused-title = Aquesta pàgina no es pot mostrar
page-error-title = La pàgina no es pot mostrar ara
page-refused-invalid = L’enllaç no és vàlid. Torneu a obrir la pàgina des de l’àrea de client.
page-refused-expired = L’enllaç ha caducat. Torneu a obrir la pàgina des de l’àrea de client.
page-refused-wrong-service = L’enllaç es va crear per a un altre servei.
page-refused-wrong-role = L’enllaç es va crear per a una altra pàgina.
page-refused-not-found = Aquesta pàgina no existeix.
page-refused-not-configured = Les pàgines no estan configurades en aquest servidor.
page-refused-cross-site = La sol·licitud venia d’un altre lloc i s’ha rebutjat.
page-refused-action = Aquesta acció no és possible per al servei ara.
