# The texts of the client-area and admin-area pages (cs, Čeština); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopírovat
page-copied = Zkopírováno
page-yes = Ano
page-no = Ne
page-back = Zpět
page-not-measured = Zatím neměřeno
page-unlimited = Neomezeno
page-limit = Limit
page-used = Využito
page-free = Volno
page-used-percent = Využito %
page-free-percent = Volno %
page-username = Uživatelské jméno
page-status = Stav
page-client-title = Vaše úložiště
page-access = Přístup
page-web-address = Webové rozhraní
page-password = Heslo
page-password-show = Zobrazit heslo
page-password-elsewhere = Zobrazuje se jen ve vaší klientské sekci.
page-instructions = Návod
page-space = Místo na disku
page-pie-title = Využité a volné místo
page-pie-desc = Využito { $used } z { $limit } ({ $percent }); volno { $free }.
page-buckets = Buckety
page-bucket = Bucket
page-bucket-size = Velikost
page-bucket-objects = Objekty
page-no-buckets = Zatím nejsou žádné buckety.
page-buckets-note = Velikosti podle posledního měření serveru.
page-statistics = Statistika využitého místa
page-time-zone = Dny a měsíce v časovém pásmu { $zone }.
page-daily-title = { $days ->
    [one] Denní využití, poslední den
    [few] Denní využití, poslední { $days } dny
    [many] Denní využití, posledních { $days } dne
   *[other] Denní využití, posledních { $days } dní
}
page-daily-desc = { $count ->
    [one] Nejvyšší využití každého dne v { $unit }; data má jeden den.
    [few] Nejvyšší využití každého dne v { $unit }; data mají { $count } dny.
    [many] Nejvyšší využití každého dne v { $unit }; data má { $count } dne.
   *[other] Nejvyšší využití každého dne v { $unit }; data má { $count } dní.
}
page-monthly-title = Průměrné využití za měsíc
page-monthly-desc = { $count ->
    [one] Průměrné využití každého měsíce v { $unit }; jeden měsíc.
    [few] Průměrné využití každého měsíce v { $unit }; { $count } měsíce.
    [many] Průměrné využití každého měsíce v { $unit }; { $count } měsíce.
   *[other] Průměrné využití každého měsíce v { $unit }; { $count } měsíců.
}
page-no-data = Zatím nebylo zaznamenáno žádné využití.
page-show-numbers = Zobrazit čísla
page-day = Den
page-month = Měsíc
page-average = Průměr
page-admin-title = Účet úložiště
page-connection = Připojení API
page-connection-ok = Připojeno k { $server }.
page-connection-failed = Nepřipojeno: { $error }
page-account = Účet
page-enabled = Povoleno
page-product = Produkt
page-group = Skupina
page-email = E-mail
page-limit-policy = Zásada limitu
page-limit-policy-usage = Podle využití
page-limit-policy-standard = Standardní (nastavil správce)
page-limit-policy-limited = Omezená (nastavil správce)
page-disk-usage = Využití disku
page-actions = Akce
page-no-actions = V tomto stavu není možná žádná akce.
page-status-creating = Vytváří se
page-status-active = Aktivní
page-status-suspended = Pozastaveno
page-status-terminating = Ruší se
page-status-terminated = Zrušeno
page-status-failed = Vytvoření selhalo
page-action-suspend = Pozastavit
page-action-unsuspend = Obnovit
page-action-terminate = Zrušit
page-action-change-password = Změnit heslo
page-action-change-plan = Změnit balíček
page-action-update-policy = Aktualizovat zásadu
page-action-set-standard-policy = Nastavit standardní zásadu
page-action-set-limited-policy = Nastavit omezenou zásadu
page-new-product = Nový balíček
page-confirm-terminate = Ano, smazat účet a jeho data
page-action-done = Hotovo: { $action }.
page-action-failed = Akce selhala: { $error }
page-new-password = Nové heslo (zobrazí se jednou):
page-refused-title = Tuto stránku nelze zobrazit
page-error-title = Stránku nyní nelze zobrazit
page-refused-invalid = Odkaz je neplatný. Otevřete stránku znovu z klientské sekce.
page-refused-expired = Platnost odkazu vypršela. Otevřete stránku znovu z klientské sekce.
page-refused-wrong-service = Odkaz byl vytvořen pro jinou službu.
page-refused-wrong-role = Odkaz byl vytvořen pro jinou stránku.
page-refused-not-found = Taková stránka neexistuje.
page-refused-not-configured = Stránky nejsou na tomto serveru nastaveny.
page-refused-cross-site = Požadavek přišel z jiného webu a byl odmítnut.
page-refused-action = Tato akce teď pro službu není možná.
