# The texts of the client-area and admin-area pages (da, Dansk); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopiér
page-copied = Kopieret
page-yes = Ja
page-no = Nej
page-back = Tilbage
page-not-measured = Ikke målt endnu
page-unlimited = Ubegrænset
page-limit = Grænse
page-used = Brugt
page-free = Fri
page-used-percent = Brugt %
page-free-percent = Fri %
page-username = Brugernavn
page-status = Status
page-client-title = Dit lager
page-access = Adgang
page-web-address = Webgrænseflade
page-password = Adgangskode
page-password-show = Vis adgangskode
page-password-elsewhere = Vises kun i dit kundeområde.
page-instructions = Vejledning
page-space = Diskplads
page-pie-title = Brugt og fri plads
page-pie-desc = { $used } af { $limit } brugt ({ $percent }); { $free } fri.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Størrelse
page-bucket-objects = Objekter
page-no-buckets = Der er ingen buckets endnu.
page-buckets-note = Størrelser ifølge serverens seneste måling.
page-statistics = Statistik over brugt plads
page-time-zone = Dage og måneder i tidszonen { $zone }.
page-daily-title = { $days ->
    [one] Dagligt forbrug, seneste dag
   *[other] Dagligt forbrug, seneste { $days } dage
}
page-daily-desc = { $count ->
    [one] Det højeste forbrug hver dag, i { $unit }; én dag har data.
   *[other] Det højeste forbrug hver dag, i { $unit }; { $count } dage har data.
}
page-monthly-title = Gennemsnitligt forbrug pr. måned
page-monthly-desc = { $count ->
    [one] Det gennemsnitlige forbrug hver måned, i { $unit }; én måned.
   *[other] Det gennemsnitlige forbrug hver måned, i { $unit }; { $count } måneder.
}
page-no-data = Der er endnu ikke registreret noget forbrug.
page-show-numbers = Vis tallene
page-day = Dag
page-month = Måned
page-average = Gennemsnit
page-admin-title = Lagerkonto
page-connection = API-forbindelse
page-connection-ok = Forbundet til { $server }.
page-connection-failed = Ikke forbundet: { $error }
page-account = Konto
page-enabled = Aktiveret
page-product = Produkt
page-group = Gruppe
page-email = E-mail
page-limit-policy = Grænsepolitik
page-limit-policy-usage = Efter forbrug
page-limit-policy-standard = Standard (sat af en administrator)
page-limit-policy-limited = Begrænset (sat af en administrator)
page-disk-usage = Diskforbrug
page-actions = Handlinger
page-no-actions = Ingen handling er mulig i denne status.
page-status-creating = Oprettes
page-status-active = Aktiv
page-status-suspended = Suspenderet
page-status-terminating = Opsiges
page-status-terminated = Opsagt
page-status-failed = Oprettelsen mislykkedes
page-action-suspend = Suspendér
page-action-unsuspend = Genaktivér
page-action-terminate = Opsig
page-action-change-password = Skift adgangskode
page-action-change-plan = Skift pakke
page-action-update-policy = Opdatér politik
page-action-set-standard-policy = Sæt standardpolitik
page-action-set-limited-policy = Sæt begrænset politik
page-new-product = Ny pakke
page-confirm-terminate = Ja, slet kontoen og dens data
page-action-done = Udført: { $action }.
page-action-failed = Handlingen mislykkedes: { $error }
page-new-password = Den nye adgangskode (vises én gang):
page-refused-title = Denne side kan ikke vises
page-error-title = Siden kan ikke vises lige nu
page-refused-invalid = Linket er ugyldigt. Åbn siden igen fra kundeområdet.
page-refused-expired = Linket er udløbet. Åbn siden igen fra kundeområdet.
page-refused-wrong-service = Linket blev lavet til en anden tjeneste.
page-refused-wrong-role = Linket blev lavet til en anden side.
page-refused-not-found = Den side findes ikke.
page-refused-not-configured = Siderne er ikke sat op på denne server.
page-refused-cross-site = Forespørgslen kom fra et andet websted og blev afvist.
page-refused-action = Denne handling er ikke mulig for tjenesten lige nu.
