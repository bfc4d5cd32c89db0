# The texts of the client-area and admin-area pages (ro, Română); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Copiază
page-copied = Copiat
page-yes = Da
page-no = Nu
page-back = Înapoi
page-not-measured = Încă nemăsurat
page-unlimited = Nelimitat
page-limit = Limită
page-used = Folosit
page-free = Liber
page-used-percent = Folosit %
page-free-percent = Liber %
page-username = Nume de utilizator
page-status = Stare
page-client-title = Spațiul dumneavoastră de stocare
page-access = Acces
page-web-address = Interfață web
page-password = Parolă
page-password-show = Arată parola
page-password-elsewhere = Afișată doar în zona dumneavoastră de client.
page-instructions = Instrucțiuni
page-space = Spațiu pe disc
page-pie-title = Spațiu folosit și liber
page-pie-desc = { $used } folosiți din { $limit } ({ $percent }); { $free } liberi.
page-buckets = Bucket-uri
page-bucket = Bucket
page-bucket-size = Dimensiune
page-bucket-objects = Obiecte
page-no-buckets = Nu există încă bucket-uri.
page-buckets-note = Dimensiuni conform ultimei măsurători a serverului.
page-statistics = Statistici ale spațiului folosit
page-time-zone = Zile și luni în fusul orar { $zone }.
page-daily-title = { $days ->
    [one] Utilizare zilnică, ultima zi
    [few] Utilizare zilnică, ultimele { $days } zile
   *[other] Utilizare zilnică, ultimele { $days } de zile
}
page-daily-desc = { $count ->
    [one] Utilizarea maximă a fiecărei zile, în { $unit }; o zi are date.
    [few] Utilizarea maximă a fiecărei zile, în { $unit }; { $count } zile au date.
   *[other] Utilizarea maximă a fiecărei zile, în { $unit }; { $count } de zile au date.
}
page-monthly-title = Utilizare medie pe lună
page-monthly-desc = { $count ->
    [one] Utilizarea medie a fiecărei luni, în { $unit }; o lună.
    [few] Utilizarea medie a fiecărei luni, în { $unit }; { $count } luni.
   *[other] Utilizarea medie a fiecărei luni, în { $unit }; { $count } de luni.
}
page-no-data = Nu s-a înregistrat încă nicio utilizare.
page-show-numbers = Arată cifrele
page-day = Zi
page-month = Lună
page-average = Medie
page-admin-title = Cont de stocare
page-connection = Conexiune API
page-connection-ok = Conectat la { $server }.
page-connection-failed = Neconectat: { $error }
page-account = Cont
page-enabled = Activat
page-product = Produs
page-group = Grup
page-email = E-mail
page-limit-policy = Politică de limită
page-limit-policy-usage = După utilizare
page-limit-policy-standard = Standard (setată de un administrator)
page-limit-policy-limited = Limitată (setată de un administrator)
page-disk-usage = Utilizarea discului
page-actions = Acțiuni
page-no-actions = Nicio acțiune nu este posibilă în această stare.
page-status-creating = În curs de creare
page-status-active = Activ
page-status-suspended = Suspendat
page-status-terminating = În curs de reziliere
page-status-terminated = Reziliat
page-status-failed = Crearea a eșuat
page-action-suspend = Suspendă
page-action-unsuspend = Reactivează
page-action-terminate = Reziliază
page-action-change-password = Schimbă parola
page-action-change-plan = Schimbă pachetul
page-action-update-policy = Actualizează politica
page-action-set-standard-policy = Setează politica standard
page-action-set-limited-policy = Setează politica limitată
page-new-product = Pachet nou
page-confirm-terminate = Da, șterge contul și datele sale
page-action-done = Gata: { $action }.
page-action-failed = Acțiunea a eșuat: { $error }
page-new-password = Parola nouă (afișată o singură dată):
page-refused-title = Această pagină nu poate fi afișată
page-error-title = Pagina nu poate fi afișată acum
page-refused-invalid = Linkul nu este valid. Deschideți din nou pagina din zona de client.
page-refused-expired = Linkul a expirat. Deschideți din nou pagina din zona de client.
page-refused-wrong-service = Linkul a fost creat pentru alt serviciu.
page-refused-wrong-role = Linkul a fost creat pentru altă pagină.
page-refused-not-found = Această pagină nu există.
page-refused-not-configured = Paginile nu sunt configurate pe acest server.
page-refused-cross-site = Cererea a venit de pe alt site și a fost refuzată.
page-refused-action = Această acțiune nu este posibilă acum pentru serviciu.
