# The texts of the default notifications (subject and body) (da); every id starts with "notification-".

notification-near-limit-subject = Dit lager { $product } er { $percent } % fyldt
notification-near-limit-body =
    Kære { $client_name }

    Din lagerkonto { $username } ({ $product }) bruger nu { $used } { $unit } af sine { $limit } { $unit } ({ $percent } %). Der er { $free } { $unit } ledig plads tilbage.

    Når kontoen overskrider sin grænse, bliver den begrænset, indtil der er slettet nok filer. Frigør plads eller skift til en større pakke for at arbejde videre uden afbrydelse.

notification-suspended-subject = Dit lager { $product } har overskredet sin grænse
notification-suspended-body =
    Kære { $client_name }

    Din lagerkonto { $username } ({ $product }) indeholder { $used } { $unit }, hvilket er mere end grænsen på { $limit } { $unit } ({ $percent } % brugt). Kontoen er blevet begrænset.

    Begrænsningen ophæves automatisk, så snart kontoen igen er under sin grænse: slet filer, du ikke længere har brug for, eller skift til en større pakke.
