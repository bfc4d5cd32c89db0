# The texts of the client-area and admin-area pages (hu, Magyar); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Másolás
page-copied = Másolva
page-yes = Igen
page-no = Nem
page-back = Vissza
page-not-measured = Még nincs mérve
page-unlimited = Korlátlan
page-limit = Korlát
page-used = Foglalt
page-free = Szabad
page-used-percent = Foglalt %
page-free-percent = Szabad %
page-username = Felhasználónév
page-status = Állapot
page-client-title = Az Ön tárhelye
page-access = Hozzáférés
page-web-address = Webes felület
page-password = Jelszó
page-password-show = Jelszó megjelenítése
page-password-elsewhere = Csak az ügyfélfelületén jelenik meg.
page-instructions = Útmutató
page-space = Lemezterület
page-pie-title = Foglalt és szabad terület
page-pie-desc = { $limit } tárhelyből { $used } foglalt ({ $percent }); { $free } szabad.
page-buckets = Bucketek
page-bucket = Bucket
page-bucket-size = Méret
page-bucket-objects = Objektumok
page-no-buckets = Még nincs bucket.
page-buckets-note = Méretek a szerver legutóbbi mérése szerint.
page-statistics = A foglalt terület statisztikája
page-time-zone = Napok és hónapok a(z) { $zone } időzónában.
page-daily-title = { $days ->
    [one] Napi használat, az utolsó nap
   *[other] Napi használat, az utolsó { $days } nap
}
page-daily-desc = { $count ->
    [one] Minden nap legnagyobb használata { $unit } egységben; egy napról van adat.
   *[other] Minden nap legnagyobb használata { $unit } egységben; { $count } napról van adat.
}
page-monthly-title = Havi átlagos használat
page-monthly-desc = { $count ->
    [one] Minden hónap átlagos használata { $unit } egységben; egy hónap.
   *[other] Minden hónap átlagos használata { $unit } egységben; { $count } hónap.
}
page-no-data = Még nem rögzítettek használatot.
page-show-numbers = Számok megjelenítése
page-day = Nap
page-month = Hónap
page-average = Átlag
page-admin-title = Tárhelyfiók
page-connection = API-kapcsolat
page-connection-ok = Kapcsolódva: { $server }.
page-connection-failed = Nincs kapcsolat: { $error }
page-account = Fiók
page-enabled = Engedélyezve
page-product = Termék
page-group = Csoport
page-email = E-mail
page-limit-policy = Korlátházirend
page-limit-policy-usage = Használat szerint
page-limit-policy-standard = Normál (rendszergazda állította be)
page-limit-policy-limited = Korlátozott (rendszergazda állította be)
page-disk-usage = Lemezhasználat
page-actions = Műveletek
page-no-actions = Ebben az állapotban nincs lehetséges művelet.
page-status-creating = Létrehozás alatt
page-status-active = Aktív
page-status-suspended = Felfüggesztve
page-status-terminating = Megszüntetés alatt
page-status-terminated = Megszüntetve
page-status-failed = A létrehozás sikertelen
page-action-suspend = Felfüggesztés
page-action-unsuspend = Újraaktiválás
page-action-terminate = Megszüntetés
page-action-change-password = Jelszóváltoztatás
page-action-change-plan = Csomagváltás
page-action-update-policy = Házirend frissítése
page-action-set-standard-policy = Normál házirend beállítása
page-action-set-limited-policy = Korlátozott házirend beállítása
page-new-product = Új csomag
page-confirm-terminate = Igen, a fiók és adatai törlése
page-action-done = Kész: { $action }.
page-action-failed = A művelet sikertelen: { $error }
page-new-password = Az új jelszó (egyszer jelenik meg):
page-refused-title = Ez az oldal nem jeleníthető meg
page-error-title = Az oldal most nem jeleníthető meg
page-refused-invalid = A hivatkozás érvénytelen. Nyissa meg újra az oldalt az ügyfélfelületről.
page-refused-expired = A hivatkozás lejárt. Nyissa meg újra az oldalt az ügyfélfelületről.
page-refused-wrong-service = A hivatkozás egy másik szolgáltatáshoz készült.
page-refused-wrong-role = A hivatkozás egy másik oldalhoz készült.
page-refused-not-found = Ilyen oldal nincs.
page-refused-not-configured = Az oldalak nincsenek beállítva ezen a szerveren.
page-refused-cross-site = A kérés egy másik webhelyről jött, ezért elutasítottuk.
page-refused-action = Ez a művelet most nem lehetséges a szolgáltatásnál.
