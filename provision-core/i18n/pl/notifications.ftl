# The texts of the default notifications (subject and body) (pl); every id starts with "notification-".

notification-near-limit-subject = Twoja przestrzeń { $product } jest zapełniona w { $percent }%
notification-near-limit-body =
    Dzień dobry, { $client_name }!

    Twoje konto przestrzeni dyskowej { $username } ({ $product }) używa teraz { $used } { $unit } z { $limit } { $unit } ({ $percent }%). Wolne pozostaje { $free } { $unit }.

    Gdy konto przekroczy swój limit, zostanie ograniczone do czasu usunięcia wystarczającej liczby plików. Aby pracować bez przerw, zwolnij miejsce lub przejdź na większy pakiet.

notification-suspended-subject = Twoja przestrzeń { $product } przekroczyła limit
notification-suspended-body =
    Dzień dobry, { $client_name }!

    Twoje konto przestrzeni dyskowej { $username } ({ $product }) zawiera { $used } { $unit }, czyli więcej niż limit { $limit } { $unit } (wykorzystano { $percent }%). Konto zostało ograniczone.

    Ograniczenie zostanie zniesione automatycznie, gdy konto znów zejdzie poniżej limitu: usuń niepotrzebne pliki lub przejdź na większy pakiet.
