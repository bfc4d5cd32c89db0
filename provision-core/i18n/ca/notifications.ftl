# The texts of the default notifications (subject and body) (ca); every id starts with "notification-".

notification-near-limit-subject = El vostre emmagatzematge { $product } és ple al { $percent } %
notification-near-limit-body =
    Benvolgut/da { $client_name },

    El vostre compte d'emmagatzematge { $username } ({ $product }) ara fa servir { $used } { $unit } dels seus { $limit } { $unit } ({ $percent } %). Queden lliures { $free } { $unit }.

    Quan el compte superi el seu límit, quedarà restringit fins que s'esborrin prou fitxers. Per continuar treballant sense interrupcions, allibereu espai o canvieu a un paquet més gran.

notification-suspended-subject = El vostre emmagatzematge { $product } ha superat el seu límit
notification-suspended-body =
    Benvolgut/da { $client_name },

    El vostre compte d'emmagatzematge { $username } ({ $product }) conté { $used } { $unit }, més que el seu límit de { $limit } { $unit } ({ $percent } % utilitzat). El compte s'ha restringit.

    La restricció s'aixeca automàticament quan el compte torna a estar per sota del seu límit: esborreu els fitxers que ja no necessiteu o canvieu a un paquet més gran.
