# The texts of the client-area and admin-area pages (sv, Svenska); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopiera
page-copied = Kopierat
page-yes = Ja
page-no = Nej
page-back = Tillbaka
page-not-measured = Inte uppmätt än
page-unlimited = Obegränsat
page-limit = Gräns
page-used = Använt
page-free = Ledigt
page-used-percent = Använt %
page-free-percent = Ledigt %
page-username = Användarnamn
page-status = Status
page-client-title = Din lagring
page-access = Åtkomst
page-web-address = Webbgränssnitt
page-password = Lösenord
page-password-show = Visa lösenord
page-password-elsewhere = Visas bara i din kundportal.
page-instructions = Instruktioner
page-space = Diskutrymme
page-pie-title = Använt och ledigt utrymme
page-pie-desc = { $used } av { $limit } använt ({ $percent }); { $free } ledigt.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Storlek
page-bucket-objects = Objekt
page-no-buckets = Det finns inga buckets än.
page-buckets-note = Storlekar enligt serverns senaste mätning.
page-statistics = Statistik över använt utrymme
page-time-zone = Dagar och månader i tidszonen { $zone }.
page-daily-title = { $days ->
    [one] Daglig användning, senaste dagen
   *[other] Daglig användning, senaste { $days } dagarna
}
page-daily-desc = { $count ->
    [one] Den högsta användningen varje dag, i { $unit }; en dag har data.
   *[other] Den högsta användningen varje dag, i { $unit }; { $count } dagar har data.
}
page-monthly-title = Genomsnittlig användning per månad
page-monthly-desc = { $count ->
    [one] Den genomsnittliga användningen varje månad, i { $unit }; en månad.
   *[other] Den genomsnittliga användningen varje månad, i { $unit }; { $count } månader.
}
page-no-data = Ingen användning har registrerats än.
page-show-numbers = Visa siffrorna
page-day = Dag
page-month = Månad
page-average = Genomsnitt
page-admin-title = Lagringskonto
page-connection = API-anslutning
page-connection-ok = Ansluten till { $server }.
page-connection-failed = Inte ansluten: { $error }
page-account = Konto
page-enabled = Aktiverat
page-product = Produkt
page-group = Grupp
page-email = E-post
page-limit-policy = Gränspolicy
page-limit-policy-usage = Efter användning
page-limit-policy-standard = Standard (satt av en administratör)
page-limit-policy-limited = Begränsad (satt av en administratör)
page-disk-usage = Diskanvändning
page-actions = Åtgärder
page-no-actions = Ingen åtgärd är möjlig i den här statusen.
page-status-creating = Skapas
page-status-active = Aktiv
page-status-suspended = Avstängd
page-status-terminating = Avslutas
page-status-terminated = Avslutad
page-status-failed = Skapandet misslyckades
page-action-suspend = Stäng av
page-action-unsuspend = Återaktivera
page-action-terminate = Avsluta
page-action-change-password = Byt lösenord
page-action-change-plan = Byt paket
page-action-update-policy = Uppdatera policy
page-action-set-standard-policy = Sätt standardpolicy
page-action-set-limited-policy = Sätt begränsad policy
page-new-product = Nytt paket
page-confirm-terminate = Ja, radera kontot och dess data
page-action-done = Klart: { $action }.
page-action-failed = Åtgärden misslyckades: { $error }
page-new-password = Det nya lösenordet (visas en gång):
page-refused-title = Den här sidan kan inte visas
page-error-title = Sidan kan inte visas just nu
page-refused-invalid = Länken är ogiltig. Öppna sidan igen från kundportalen.
page-refused-expired = Länken har gått ut. Öppna sidan igen från kundportalen.
page-refused-wrong-service = Länken skapades för en annan tjänst.
page-refused-wrong-role = Länken skapades för en annan sida.
page-refused-not-found = Den sidan finns inte.
page-refused-not-configured = Sidorna är inte konfigurerade på den här servern.
page-refused-cross-site = Begäran kom från en annan webbplats och avvisades.
page-refused-action = Den här åtgärden är inte möjlig för tjänsten just nu.
