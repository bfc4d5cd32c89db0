# The texts of the default notifications (subject and body) (cs); every id starts with "notification-".

notification-near-limit-subject = Vaše úložiště { $product } je zaplněno na { $percent } %
notification-near-limit-body =
    Vážený zákazníku { $client_name },

    váš účet úložiště { $username } ({ $product }) nyní využívá { $used } { $unit } z { $limit } { $unit } ({ $percent } %). Volných zbývá { $free } { $unit }.

    Jakmile účet překročí svůj limit, bude omezen, dokud nebude smazáno dost souborů. Abyste mohli pracovat bez přerušení, uvolněte místo nebo přejděte na větší balíček.

notification-suspended-subject = Vaše úložiště { $product } překročilo svůj limit
notification-suspended-body =
    Vážený zákazníku { $client_name },

    váš účet úložiště { $username } ({ $product }) obsahuje { $used } { $unit }, což je více než jeho limit { $limit } { $unit } (využito { $percent } %). Účet byl omezen.

    Omezení se automaticky zruší, jakmile bude účet opět pod svým limitem: smažte soubory, které už nepotřebujete, nebo přejděte na větší balíček.
