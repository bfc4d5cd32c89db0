# The texts of the client-area and admin-area pages (hr, Hrvatski); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopiraj
page-copied = Kopirano
page-yes = Da
page-no = Ne
page-back = Natrag
page-not-measured = Još nije izmjereno
page-unlimited = Neograničeno
page-limit = Ograničenje
page-used = Zauzeto
page-free = Slobodno
page-used-percent = Zauzeto %
page-free-percent = Slobodno %
page-username = Korisničko ime
page-status = Stanje
page-client-title = Vaša pohrana
page-access = Pristup
page-web-address = Web-sučelje
page-password = Lozinka
page-password-show = Prikaži lozinku
page-password-elsewhere = Prikazuje se samo u vašem korisničkom području.
page-instructions = Upute
page-space = Prostor na disku
page-pie-title = Zauzeti i slobodni prostor
page-pie-desc = Zauzeto { $used } od { $limit } ({ $percent }); slobodno { $free }.
page-buckets = Spremnici
page-bucket = Spremnik
page-bucket-size = Veličina
page-bucket-objects = Objekti
page-no-buckets = Još nema spremnika.
page-buckets-note = Veličine prema posljednjem mjerenju poslužitelja.
page-statistics = Statistika zauzetog prostora
page-time-zone = Dani i mjeseci u vremenskoj zoni { $zone }.
page-daily-title = { $days ->
    [one] Dnevna upotreba, posljednji { $days } dan
    [few] Dnevna upotreba, posljednja { $days } dana
   *[other] Dnevna upotreba, posljednjih { $days } dana
}
page-daily-desc = { $count ->
    [one] Najveća upotreba svakog dana, u { $unit }; { $count } dan ima podatke.
    [few] Najveća upotreba svakog dana, u { $unit }; { $count } dana imaju podatke.
   *[other] Najveća upotreba svakog dana, u { $unit }; { $count } dana ima podatke.
}
page-monthly-title = Prosječna upotreba po mjesecu
page-monthly-desc = { $count ->
    [one] Prosječna upotreba svakog mjeseca, u { $unit }; { $count } mjesec.
    [few] Prosječna upotreba svakog mjeseca, u { $unit }; { $count } mjeseca.
   *[other] Prosječna upotreba svakog mjeseca, u { $unit }; { $count } mjeseci.
}
page-no-data = Još nije zabilježena nikakva upotreba.
page-show-numbers = Prikaži brojke
page-day = Dan
page-month = Mjesec
page-average = Prosjek
page-admin-title = Račun za pohranu
page-connection = API veza
page-connection-ok = Povezano s { $server }.
page-connection-failed = Nije povezano: { $error }
page-account = Račun
page-enabled = Omogućeno
page-product = Proizvod
page-group = Grupa
page-email = E-pošta
page-limit-policy = Pravilo ograničenja
page-limit-policy-usage = Prema upotrebi
page-limit-policy-standard = Standardno (postavio administrator)
page-limit-policy-limited = Ograničeno (postavio administrator)
page-disk-usage = Upotreba diska
page-actions = Radnje
page-no-actions = U ovom stanju nije moguća nijedna radnja.
page-status-creating = Stvara se
page-status-active = Aktivno
page-status-suspended = Obustavljeno
page-status-terminating = Ukida se
page-status-terminated = Ukinuto
page-status-failed = Stvaranje nije uspjelo
page-action-suspend = Obustavi
page-action-unsuspend = Ponovno aktiviraj
page-action-terminate = Ukini
page-action-change-password = Promijeni lozinku
page-action-change-plan = Promijeni paket
page-action-update-policy = Ažuriraj pravilo
page-action-set-standard-policy = Postavi standardno pravilo
page-action-set-limited-policy = Postavi ograničeno pravilo
page-new-product = Novi paket
page-confirm-terminate = Da, izbriši račun i njegove podatke
page-action-done = Gotovo: { $action }.
page-action-failed = Radnja nije uspjela: { $error }
page-new-password = Nova lozinka (prikazuje se jednom):
page-refused-title = Ova se stranica ne može prikazati
page-error-title = Stranica se trenutačno ne može prikazati
page-refused-invalid = Poveznica nije valjana. Ponovno otvorite stranicu iz korisničkog područja.
page-refused-expired = Poveznica je istekla. Ponovno otvorite stranicu iz korisničkog područja.
page-refused-wrong-service = Poveznica je izrađena za drugu uslugu.
page-refused-wrong-role = Poveznica je izrađena za drugu stranicu.
page-refused-not-found = Takva stranica ne postoji.
page-refused-not-configured = Stranice nisu postavljene na ovom poslužitelju.
page-refused-cross-site = Zahtjev je došao s drugog web-mjesta i odbijen je.
page-refused-action = Ova radnja trenutačno nije moguća za uslugu.
