# The texts of the client-area and admin-area pages (de, Deutsch); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopieren
page-copied = Kopiert
page-yes = Ja
page-no = Nein
page-back = Zurück
page-not-measured = Noch nicht gemessen
page-unlimited = Unbegrenzt
page-limit = Limit
page-used = Belegt
page-free = Frei
page-used-percent = Belegt %
page-free-percent = Frei %
page-username = Benutzername
page-status = Status
page-client-title = Ihr Speicher
page-access = Zugang
page-web-address = Weboberfläche
page-password = Passwort
page-password-show = Passwort anzeigen
page-password-elsewhere = Wird nur in Ihrem Kundenbereich angezeigt.
page-instructions = Anleitung
page-space = Speicherplatz
page-pie-title = Belegter und freier Speicher
page-pie-desc = { $used } von { $limit } belegt ({ $percent }); { $free } frei.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Größe
page-bucket-objects = Objekte
page-no-buckets = Es gibt noch keine Buckets.
page-buckets-note = Größen laut der letzten Messung des Servers.
page-statistics = Statistik des belegten Speichers
page-time-zone = Tage und Monate in der Zeitzone { $zone }.
page-daily-title = { $days ->
    [one] Täglicher Verbrauch, letzter Tag
   *[other] Täglicher Verbrauch, letzte { $days } Tage
}
page-daily-desc = { $count ->
    [one] Der höchste Verbrauch jedes Tages in { $unit }; ein Tag hat Daten.
   *[other] Der höchste Verbrauch jedes Tages in { $unit }; { $count } Tage haben Daten.
}
page-monthly-title = Durchschnittlicher Verbrauch pro Monat
page-monthly-desc = { $count ->
    [one] Der durchschnittliche Verbrauch jedes Monats in { $unit }; ein Monat.
   *[other] Der durchschnittliche Verbrauch jedes Monats in { $unit }; { $count } Monate.
}
page-no-data = Es wurde noch kein Verbrauch erfasst.
page-show-numbers = Zahlen anzeigen
page-day = Tag
page-month = Monat
page-average = Durchschnitt
page-admin-title = Speicherkonto
page-connection = API-Verbindung
page-connection-ok = Verbunden mit { $server }.
page-connection-failed = Nicht verbunden: { $error }
page-account = Konto
page-enabled = Aktiviert
page-product = Produkt
page-group = Gruppe
page-email = E-Mail
page-limit-policy = Limit-Richtlinie
page-limit-policy-usage = Nach Verbrauch
page-limit-policy-standard = Standard (von einem Administrator gesetzt)
page-limit-policy-limited = Eingeschränkt (von einem Administrator gesetzt)
page-disk-usage = Speicherbelegung
page-actions = Aktionen
page-no-actions = In diesem Status ist keine Aktion möglich.
page-status-creating = Wird angelegt
page-status-active = Aktiv
page-status-suspended = Gesperrt
page-status-terminating = Wird gekündigt
page-status-terminated = Gekündigt
page-status-failed = Anlegen fehlgeschlagen
page-action-suspend = Sperren
page-action-unsuspend = Entsperren
page-action-terminate = Kündigen
page-action-change-password = Passwort ändern
page-action-change-plan = Paket wechseln
page-action-update-policy = Richtlinie aktualisieren
page-action-set-standard-policy = Standardrichtlinie setzen
page-action-set-limited-policy = Eingeschränkte Richtlinie setzen
page-new-product = Neues Paket
page-confirm-terminate = Ja, das Konto und seine Daten löschen
page-action-done = Erledigt: { $action }.
page-action-failed = Die Aktion ist fehlgeschlagen: { $error }
page-new-password = Das neue Passwort (wird einmal angezeigt):
page-refused-title = Diese Seite kann nicht angezeigt werden
page-error-title = Die Seite kann gerade nicht angezeigt werden
page-refused-invalid = Der Link ist ungültig. Öffnen Sie die Seite erneut aus dem Kundenbereich.
page-refused-expired = Der Link ist abgelaufen. Öffnen Sie die Seite erneut aus dem Kundenbereich.
page-refused-wrong-service = Der Link wurde für einen anderen Dienst erstellt.
page-refused-wrong-role = Der Link wurde für eine andere Seite erstellt.
page-refused-not-found = Diese Seite gibt es nicht.
page-refused-not-configured = Die Seiten sind auf diesem Server nicht eingerichtet.
page-refused-cross-site = Die Anfrage kam von einer anderen Website und wurde abgelehnt.
page-refused-action = Diese Aktion ist für den Dienst derzeit nicht möglich.
