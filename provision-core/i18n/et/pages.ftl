# The texts of the client-area and admin-area pages (et, Eesti); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopeeri
page-copied = Kopeeritud
page-yes = Jah
page-no = Ei
page-back = Tagasi
page-not-measured = Veel mõõtmata
page-unlimited = Piiramatu
page-limit = Piirang
page-used = Kasutatud
page-free = Vaba
page-used-percent = Kasutatud %
page-free-percent = Vaba %
page-username = Kasutajanimi
page-status = Olek
page-client-title = Teie salvestusruum
page-access = Juurdepääs
page-web-address = Veebiliides
page-password = Parool
page-password-show = Näita parooli
page-password-elsewhere = Kuvatakse ainult teie kliendialas.
page-instructions = Juhend
page-space = Kettaruum
page-pie-title = Kasutatud ja vaba ruum
page-pie-desc = { $limit }-st on kasutatud { $used } ({ $percent }); vaba { $free }.
page-buckets = Ämbrid
page-bucket = Ämber
page-bucket-size = Suurus
page-bucket-objects = Objektid
page-no-buckets = Ämbreid veel pole.
page-buckets-note = Suurused serveri viimase mõõtmise järgi.
page-statistics = Kasutatud ruumi statistika
page-time-zone = Päevad ja kuud ajavööndis { $zone }.
page-daily-title = { $days ->
    [one] Päevane kasutus, viimane päev
   *[other] Päevane kasutus, viimased { $days } päeva
}
page-daily-desc = { $count ->
    [one] Iga päeva suurim kasutus ühikus { $unit }; ühel päeval on andmed.
   *[other] Iga päeva suurim kasutus ühikus { $unit }; { $count } päeval on andmed.
}
page-monthly-title = Keskmine kasutus kuus
page-monthly-desc = { $count ->
    [one] Iga kuu keskmine kasutus ühikus { $unit }; üks kuu.
   *[other] Iga kuu keskmine kasutus ühikus { $unit }; { $count } kuud.
}
page-no-data = Kasutust pole veel salvestatud.
page-show-numbers = Näita arve
page-day = Päev
page-month = Kuu
page-average = Keskmine
page-admin-title = Salvestuskonto
page-connection = API-ühendus
page-connection-ok = Ühendatud: { $server }.
page-connection-failed = Ühendus puudub: { $error }
page-account = Konto
page-enabled = Lubatud
page-product = Toode
page-group = Rühm
page-email = E-post
page-limit-policy = Piirangupoliitika
page-limit-policy-usage = Kasutuse järgi
page-limit-policy-standard = Tavaline (määras administraator)
page-limit-policy-limited = Piiratud (määras administraator)
page-disk-usage = Kettakasutus
page-actions = Toimingud
page-no-actions = Selles olekus pole ükski toiming võimalik.
page-status-creating = Luuakse
page-status-active = Aktiivne
page-status-suspended = Peatatud
page-status-terminating = Lõpetatakse
page-status-terminated = Lõpetatud
page-status-failed = Loomine ebaõnnestus
page-action-suspend = Peata
page-action-unsuspend = Taasta
page-action-terminate = Lõpeta
page-action-change-password = Muuda parooli
page-action-change-plan = Muuda paketti
page-action-update-policy = Uuenda poliitikat
page-action-set-standard-policy = Määra tavaline poliitika
page-action-set-limited-policy = Määra piiratud poliitika
page-new-product = Uus pakett
page-confirm-terminate = Jah, kustuta konto ja selle andmed
page-action-done = Tehtud: { $action }.
page-action-failed = Toiming ebaõnnestus: { $error }
page-new-password = Uus parool (kuvatakse üks kord):
page-refused-title = Seda lehte ei saa kuvada
page-error-title = Lehte ei saa praegu kuvada
page-refused-invalid = Link ei kehti. Avage leht uuesti kliendialast.
page-refused-expired = Link on aegunud. Avage leht uuesti kliendialast.
page-refused-wrong-service = Link loodi teise teenuse jaoks.
page-refused-wrong-role = Link loodi teise lehe jaoks.
page-refused-not-found = Sellist lehte pole.
page-refused-not-configured = Lehed pole selles serveris seadistatud.
page-refused-cross-site = Päring tuli teiselt saidilt ja lükati tagasi.
page-refused-action = See toiming pole teenuse jaoks praegu võimalik.
