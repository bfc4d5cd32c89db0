# The texts of the default notifications (subject and body) (ro); every id starts with "notification-".

notification-near-limit-subject = Spațiul de stocare { $product } este plin în proporție de { $percent }%
notification-near-limit-body =
    Stimate client { $client_name },

    Contul de stocare { $username } ({ $product }) folosește acum { $used } { $unit } din cei { $limit } { $unit } ({ $percent }%). Mai sunt liberi { $free } { $unit }.

    Când contul își depășește limita, va fi restricționat până când se șterg suficiente fișiere. Pentru a lucra în continuare fără întreruperi, eliberați spațiu sau treceți la un pachet mai mare.

notification-suspended-subject = Spațiul de stocare { $product } și-a depășit limita
notification-suspended-body =
    Stimate client { $client_name },

    Contul de stocare { $username } ({ $product }) conține { $used } { $unit }, mai mult decât limita de { $limit } { $unit } ({ $percent }% folosit). Contul a fost restricționat.

    Restricția se ridică automat de îndată ce contul revine sub limită: ștergeți fișierele de care nu mai aveți nevoie sau treceți la un pachet mai mare.
