# The texts of the client-area and admin-area pages (it, Italiano); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Copia
page-copied = Copiato
page-yes = Sì
page-no = No
page-back = Indietro
page-not-measured = Non ancora misurato
page-unlimited = Illimitato
page-limit = Limite
page-used = Usato
page-free = Libero
page-used-percent = Usato %
page-free-percent = Libero %
page-username = Nome utente
page-status = Stato
page-client-title = Il tuo spazio
page-access = Accesso
page-web-address = Interfaccia web
page-password = Password
page-password-show = Mostra password
page-password-elsewhere = Mostrata solo nella tua area clienti.
page-instructions = Istruzioni
page-space = Spazio su disco
page-pie-title = Spazio usato e libero
page-pie-desc = { $used } usati su { $limit } ({ $percent }); { $free } liberi.
page-buckets = Bucket
page-bucket = Bucket
page-bucket-size = Dimensione
page-bucket-objects = Oggetti
page-no-buckets = Non ci sono ancora bucket.
page-buckets-note = Dimensioni secondo l’ultima misurazione del server.
page-statistics = Statistiche dello spazio usato
page-time-zone = Giorni e mesi nel fuso orario { $zone }.
page-daily-title = { $days ->
    [one] Uso giornaliero, ultimo giorno
    [many] Uso giornaliero, ultimi { $days } giorni
   *[other] Uso giornaliero, ultimi { $days } giorni
}
page-daily-desc = { $count ->
    [one] L’uso massimo di ogni giorno, in { $unit }; un giorno ha dati.
    [many] L’uso massimo di ogni giorno, in { $unit }; { $count } giorni hanno dati.
   *[other] L’uso massimo di ogni giorno, in { $unit }; { $count } giorni hanno dati.
}
page-monthly-title = Uso medio per mese
page-monthly-desc = { $count ->
    [one] L’uso medio di ogni mese, in { $unit }; un mese.
    [many] L’uso medio di ogni mese, in { $unit }; { $count } mesi.
   *[other] L’uso medio di ogni mese, in { $unit }; { $count } mesi.
}
page-no-data = Non è stato ancora registrato alcun uso.
page-show-numbers = Mostra i numeri
page-day = Giorno
page-month = Mese
page-average = Media
page-admin-title = Account di archiviazione
page-connection = Connessione API
page-connection-ok = Connesso a { $server }.
page-connection-failed = Non connesso: { $error }
page-account = Account
page-enabled = Abilitato
page-product = Prodotto
page-group = Gruppo
page-email = E-mail
page-limit-policy = Criterio di limite
page-limit-policy-usage = In base all’uso
page-limit-policy-standard = Standard (impostato da un amministratore)
page-limit-policy-limited = Limitato (impostato da un amministratore)
page-disk-usage = Uso del disco
page-actions = Azioni
page-no-actions = Nessuna azione è possibile in questo stato.
page-status-creating = In creazione
page-status-active = Attivo
page-status-suspended = Sospeso
page-status-terminating = In cessazione
page-status-terminated = Cessato
page-status-failed = Creazione non riuscita
page-action-suspend = Sospendi
page-action-unsuspend = Riattiva
page-action-terminate = Cessa
page-action-change-password = Cambia password
page-action-change-plan = Cambia pacchetto
page-action-update-policy = Aggiorna criterio
page-action-set-standard-policy = Imposta criterio standard
page-action-set-limited-policy = Imposta criterio limitato
page-new-product = Nuovo pacchetto
page-confirm-terminate = Sì, elimina l’account e i suoi dati
page-action-done = Fatto: { $action }.
page-action-failed = L’azione non è riuscita: { $error }
page-new-password = La nuova password (mostrata una sola volta):
page-refused-title = Questa pagina non può essere mostrata
page-error-title = La pagina non può essere mostrata ora
page-refused-invalid = Il link non è valido. Riapri la pagina dall’area clienti.
page-refused-expired = Il link è scaduto. Riapri la pagina dall’area clienti.
page-refused-wrong-service = Il link è stato creato per un altro servizio.
page-refused-wrong-role = Il link è stato creato per un’altra pagina.
page-refused-not-found = Questa pagina non esiste.
page-refused-not-configured = Le pagine non sono configurate su questo server.
page-refused-cross-site = La richiesta proveniva da un altro sito ed è stata rifiutata.
page-refused-action = Questa azione non è possibile per il servizio in questo momento.
