# The texts of the client-area and admin-area pages (pl, Polski); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopiuj
page-copied = Skopiowano
page-yes = Tak
page-no = Nie
page-back = Wstecz
page-not-measured = Jeszcze niezmierzone
page-unlimited = Bez limitu
page-limit = Limit
page-used = Zajęte
page-free = Wolne
page-used-percent = Zajęte %
page-free-percent = Wolne %
page-username = Nazwa użytkownika
page-status = Stan
page-client-title = Twoja przestrzeń
page-access = Dostęp
page-web-address = Interfejs WWW
page-password = Hasło
page-password-show = Pokaż hasło
page-password-elsewhere = Wyświetlane tylko w Twoim panelu klienta.
page-instructions = Instrukcja
page-space = Miejsce na dysku
page-pie-title = Zajęte i wolne miejsce
page-pie-desc = Zajęte { $used } z { $limit } ({ $percent }); wolne { $free }.
page-buckets = Kubełki
page-bucket = Kubełek
page-bucket-size = Rozmiar
page-bucket-objects = Obiekty
page-no-buckets = Nie ma jeszcze kubełków.
page-buckets-note = Rozmiary według ostatniego pomiaru serwera.
page-statistics = Statystyki zajętego miejsca
page-time-zone = Dni i miesiące w strefie czasowej { $zone }.
page-daily-title = { $days ->
    [one] Użycie dzienne, ostatni dzień
    [few] Użycie dzienne, ostatnie { $days } dni
    [many] Użycie dzienne, ostatnie { $days } dni
   *[other] Użycie dzienne, ostatnie { $days } dnia
}
page-daily-desc = { $count ->
    [one] Najwyższe użycie każdego dnia, w { $unit }; jeden dzień ma dane.
    [few] Najwyższe użycie każdego dnia, w { $unit }; { $count } dni mają dane.
    [many] Najwyższe użycie każdego dnia, w { $unit }; { $count } dni ma dane.
   *[other] Najwyższe użycie każdego dnia, w { $unit }; { $count } dnia ma dane.
}
page-monthly-title = Średnie użycie w miesiącu
page-monthly-desc = { $count ->
    [one] Średnie użycie każdego miesiąca, w { $unit }; jeden miesiąc.
    [few] Średnie użycie każdego miesiąca, w { $unit }; { $count } miesiące.
    [many] Średnie użycie każdego miesiąca, w { $unit }; { $count } miesięcy.
   *[other] Średnie użycie każdego miesiąca, w { $unit }; { $count } miesiąca.
}
page-no-data = Nie zarejestrowano jeszcze użycia.
page-show-numbers = Pokaż liczby
page-day = Dzień
page-month = Miesiąc
page-average = Średnia
page-admin-title = Konto przestrzeni
page-connection = Połączenie API
page-connection-ok = Połączono z { $server }.
page-connection-failed = Brak połączenia: { $error }
page-account = Konto
page-enabled = Włączone
page-product = Produkt
page-group = Grupa
page-email = E-mail
page-limit-policy = Zasada limitu
page-limit-policy-usage = Według użycia
page-limit-policy-standard = Standardowa (ustawiona przez administratora)
page-limit-policy-limited = Ograniczona (ustawiona przez administratora)
page-disk-usage = Użycie dysku
page-actions = Działania
page-no-actions = W tym stanie żadne działanie nie jest możliwe.
page-status-creating = Tworzone
page-status-active = Aktywne
page-status-suspended = Zawieszone
page-status-terminating = Usuwane
page-status-terminated = Usunięte
page-status-failed = Tworzenie nie powiodło się
page-action-suspend = Zawieś
page-action-unsuspend = Przywróć
page-action-terminate = Usuń
page-action-change-password = Zmień hasło
page-action-change-plan = Zmień pakiet
page-action-update-policy = Aktualizuj zasadę
page-action-set-standard-policy = Ustaw zasadę standardową
page-action-set-limited-policy = Ustaw zasadę ograniczoną
page-new-product = Nowy pakiet
page-confirm-terminate = Tak, usuń konto i jego dane
page-action-done = Gotowe: { $action }.
page-action-failed = Działanie nie powiodło się: { $error }
page-new-password = Nowe hasło (wyświetlane jeden raz):
page-refused-title = Tej strony nie można wyświetlić
page-error-title = Strony nie można teraz wyświetlić
page-refused-invalid = Link jest nieprawidłowy. Otwórz stronę ponownie z panelu klienta.
page-refused-expired = Link wygasł. Otwórz stronę ponownie z panelu klienta.
page-refused-wrong-service = Link został utworzony dla innej usługi.
page-refused-wrong-role = Link został utworzony dla innej strony.
page-refused-not-found = Taka strona nie istnieje.
page-refused-not-configured = Strony nie są skonfigurowane na tym serwerze.
page-refused-cross-site = Żądanie przyszło z innej witryny i zostało odrzucone.
page-refused-action = To działanie nie jest teraz możliwe dla tej usługi.
