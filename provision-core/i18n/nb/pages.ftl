# The texts of the client-area and admin-area pages (nb, Norsk bokmål); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopier
page-copied = Kopiert
page-yes = Ja
page-no = Nei
page-back = Tilbake
page-not-measured = Ikke målt ennå
page-unlimited = Ubegrenset
page-limit = Grense
page-used = Brukt
page-free = Ledig
page-used-percent = Brukt %
page-free-percent = Ledig %
page-username = Brukernavn
page-status = Status
page-client-title = Din lagring
page-access = Tilgang
page-web-address = Nettgrensesnitt
page-password = Passord
page-password-show = Vis passord
page-password-elsewhere = Vises bare i kundeområdet ditt.
page-instructions = Veiledning
page-space = Diskplass
page-pie-title = Brukt og ledig plass
page-pie-desc = { $used } av { $limit } brukt ({ $percent }); { $free } ledig.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Størrelse
page-bucket-objects = Objekter
page-no-buckets = Det finnes ingen buckets ennå.
page-buckets-note = Størrelser etter serverens siste måling.
page-statistics = Statistikk over brukt plass
page-time-zone = Dager og måneder i tidssonen { $zone }.
page-daily-title = { $days ->
    [one] Daglig forbruk, siste dag
   *[other] Daglig forbruk, siste { $days } dager
}
page-daily-desc = { $count ->
    [one] Det høyeste forbruket hver dag, i { $unit }; én dag har data.
   *[other] Det høyeste forbruket hver dag, i { $unit }; { $count } dager har data.
}
page-monthly-title = Gjennomsnittlig forbruk per måned
page-monthly-desc = { $count ->
    [one] Det gjennomsnittlige forbruket hver måned, i { $unit }; én måned.
   *[other] Det gjennomsnittlige forbruket hver måned, i { $unit }; { $count } måneder.
}
page-no-data = Det er ikke registrert noe forbruk ennå.
page-show-numbers = Vis tallene
page-day = Dag
page-month = Måned
page-average = Gjennomsnitt
page-admin-title = Lagringskonto
page-connection = API-tilkobling
page-connection-ok = Koblet til { $server }.
page-connection-failed = Ikke tilkoblet: { $error }
page-account = Konto
page-enabled = Aktivert
page-product = Produkt
page-group = Gruppe
page-email = E-post
page-limit-policy = Grensepolicy
page-limit-policy-usage = Etter forbruk
page-limit-policy-standard = Standard (satt av en administrator)
page-limit-policy-limited = Begrenset (satt av en administrator)
page-disk-usage = Diskbruk
page-actions = Handlinger
page-no-actions = Ingen handling er mulig i denne statusen.
page-status-creating = Opprettes
page-status-active = Aktiv
page-status-suspended = Suspendert
page-status-terminating = Sies opp
page-status-terminated = Sagt opp
page-status-failed = Opprettelsen mislyktes
page-action-suspend = Suspender
page-action-unsuspend = Gjenaktiver
page-action-terminate = Si opp
page-action-change-password = Endre passord
page-action-change-plan = Bytt pakke
page-action-update-policy = Oppdater policy
page-action-set-standard-policy = Sett standardpolicy
page-action-set-limited-policy = Sett begrenset policy
page-new-product = Ny pakke
page-confirm-terminate = Ja, slett kontoen og dataene
page-action-done = Ferdig: { $action }.
page-action-failed = Handlingen mislyktes: { $error }
page-new-password = Det nye passordet (vises én gang):
page-refused-title = Denne siden kan ikke vises
page-error-title = Siden kan ikke vises nå
page-refused-invalid = Lenken er ugyldig. Åpne siden igjen fra kundeområdet.
page-refused-expired = Lenken er utløpt. Åpne siden igjen fra kundeområdet.
page-refused-wrong-service = Lenken ble laget for en annen tjeneste.
page-refused-wrong-role = Lenken ble laget for en annen side.
page-refused-not-found = Den siden finnes ikke.
page-refused-not-configured = Sidene er ikke satt opp på denne serveren.
page-refused-cross-site = Forespørselen kom fra et annet nettsted og ble avvist.
page-refused-action = Denne handlingen er ikke mulig for tjenesten nå.
