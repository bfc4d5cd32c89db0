# The texts of the default notifications (subject and body) (it); every id starts with "notification-".

notification-near-limit-subject = Il tuo spazio { $product } è pieno al { $percent }%
notification-near-limit-body =
    Gentile { $client_name },

    il tuo account di archiviazione { $username } ({ $product }) usa ora { $used } { $unit } dei suoi { $limit } { $unit } ({ $percent }%). Restano liberi { $free } { $unit }.

    Quando l'account supererà il suo limite, verrà limitato finché non saranno eliminati abbastanza file. Per continuare a lavorare senza interruzioni, libera spazio o passa a un pacchetto più grande.

notification-suspended-subject = Il tuo spazio { $product } ha superato il suo limite
notification-suspended-body =
    Gentile { $client_name },

    il tuo account di archiviazione { $username } ({ $product }) contiene { $used } { $unit }, più del suo limite di { $limit } { $unit } ({ $percent }% usato). L'account è stato limitato.

    La limitazione viene rimossa automaticamente non appena l'account torna sotto il suo limite: elimina i file che non ti servono più o passa a un pacchetto più grande.
