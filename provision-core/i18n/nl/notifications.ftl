# The texts of the default notifications (subject and body) (nl); every id starts with "notification-".

notification-near-limit-subject = Uw opslag { $product } is voor { $percent }% vol
notification-near-limit-body =
    Beste { $client_name },

    Uw opslagaccount { $username } ({ $product }) gebruikt nu { $used } { $unit } van de { $limit } { $unit } ({ $percent }%). Er is nog { $free } { $unit } vrij.

    Zodra het account de limiet overschrijdt, wordt het beperkt totdat er genoeg bestanden zijn verwijderd. Maak ruimte vrij of stap over op een groter pakket om zonder onderbreking verder te werken.

notification-suspended-subject = Uw opslag { $product } heeft de limiet overschreden
notification-suspended-body =
    Beste { $client_name },

    Uw opslagaccount { $username } ({ $product }) bevat { $used } { $unit }, meer dan de limiet van { $limit } { $unit } ({ $percent }% gebruikt). Het account is beperkt.

    De beperking wordt automatisch opgeheven zodra het account weer onder de limiet zit: verwijder bestanden die u niet meer nodig hebt, of stap over op een groter pakket.
