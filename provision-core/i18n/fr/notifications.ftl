# The texts of the default notifications (subject and body) (fr); every id starts with "notification-".

notification-near-limit-subject = Votre stockage { $product } est plein à { $percent } %
notification-near-limit-body =
    Bonjour { $client_name },

    Votre compte de stockage { $username } ({ $product }) utilise maintenant { $used } { $unit } sur ses { $limit } { $unit } ({ $percent } %). Il reste { $free } { $unit } de libre.

    Dès que le compte dépassera sa limite, il sera restreint jusqu'à ce que suffisamment de fichiers soient supprimés. Pour continuer à travailler sans interruption, libérez de l'espace ou passez à une offre plus grande.

notification-suspended-subject = Votre stockage { $product } a dépassé sa limite
notification-suspended-body =
    Bonjour { $client_name },

    Votre compte de stockage { $username } ({ $product }) contient { $used } { $unit }, soit plus que sa limite de { $limit } { $unit } ({ $percent } % utilisés). Le compte a été restreint.

    La restriction est levée automatiquement dès que le compte repasse sous sa limite : supprimez les fichiers dont vous n'avez plus besoin, ou passez à une offre plus grande.
