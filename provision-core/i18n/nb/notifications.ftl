# The texts of the default notifications (subject and body) (nb); every id starts with "notification-".

notification-near-limit-subject = Lagringen { $product } er { $percent } % full
notification-near-limit-body =
    Kjære { $client_name }

    Lagringskontoen din { $username } ({ $product }) bruker nå { $used } { $unit } av sine { $limit } { $unit } ({ $percent } %). Det er { $free } { $unit } ledig.

    Når kontoen går over grensen, blir den begrenset til nok filer er slettet. Frigjør plass eller bytt til en større pakke for å jobbe videre uten avbrudd.

notification-suspended-subject = Lagringen { $product } har gått over grensen
notification-suspended-body =
    Kjære { $client_name }

    Lagringskontoen din { $username } ({ $product }) inneholder { $used } { $unit }, som er mer enn grensen på { $limit } { $unit } ({ $percent } % brukt). Kontoen er begrenset.

    Begrensningen oppheves automatisk så snart kontoen er under grensen igjen: slett filer du ikke lenger trenger, eller bytt til en større pakke.
