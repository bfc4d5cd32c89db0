# The texts of the default notifications (subject and body) (sv); every id starts with "notification-".

notification-near-limit-subject = Din lagring { $product } är { $percent } % full
notification-near-limit-body =
    Hej { $client_name },

    Ditt lagringskonto { $username } ({ $product }) använder nu { $used } { $unit } av sina { $limit } { $unit } ({ $percent } %). Det finns { $free } { $unit } ledigt.

    När kontot går över sin gräns begränsas det tills tillräckligt många filer har raderats. Frigör utrymme eller byt till ett större paket för att arbeta vidare utan avbrott.

notification-suspended-subject = Din lagring { $product } har gått över sin gräns
notification-suspended-body =
    Hej { $client_name },

    Ditt lagringskonto { $username } ({ $product }) innehåller { $used } { $unit }, vilket är mer än gränsen på { $limit } { $unit } ({ $percent } % använt). Kontot har begränsats.

    Begränsningen hävs automatiskt så snart kontot är under sin gräns igen: radera filer du inte längre behöver, eller byt till ett större paket.
