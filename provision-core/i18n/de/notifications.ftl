# The texts of the default notifications (subject and body) (de); every id starts with "notification-".

notification-near-limit-subject = Ihr Speicher { $product } ist zu { $percent } % belegt
notification-near-limit-body =
    Hallo { $client_name },

    Ihr Speicherkonto { $username } ({ $product }) belegt jetzt { $used } { $unit } von { $limit } { $unit } ({ $percent } %). Frei sind noch { $free } { $unit }.

    Sobald das Konto sein Limit überschreitet, wird es eingeschränkt, bis genügend Dateien gelöscht sind. Damit Sie ohne Unterbrechung weiterarbeiten können, schaffen Sie Platz oder wechseln Sie zu einem größeren Paket.

notification-suspended-subject = Ihr Speicher { $product } hat sein Limit überschritten
notification-suspended-body =
    Hallo { $client_name },

    Ihr Speicherkonto { $username } ({ $product }) belegt { $used } { $unit } und damit mehr als sein Limit von { $limit } { $unit } ({ $percent } % belegt). Das Konto wurde eingeschränkt.

    Die Einschränkung wird automatisch aufgehoben, sobald das Konto wieder unter seinem Limit liegt: Löschen Sie Dateien, die Sie nicht mehr brauchen, oder wechseln Sie zu einem größeren Paket.
