# The texts of the default notifications (subject and body) (es); every id starts with "notification-".

notification-near-limit-subject = Su almacenamiento { $product } está lleno al { $percent } %
notification-near-limit-body =
    Estimado/a { $client_name }:

    Su cuenta de almacenamiento { $username } ({ $product }) usa ahora { $used } { $unit } de sus { $limit } { $unit } ({ $percent } %). Quedan libres { $free } { $unit }.

    Cuando la cuenta supere su límite, quedará restringida hasta que se eliminen suficientes archivos. Para seguir trabajando sin interrupciones, libere espacio o cambie a un paquete mayor.

notification-suspended-subject = Su almacenamiento { $product } ha superado su límite
notification-suspended-body =
    Estimado/a { $client_name }:

    Su cuenta de almacenamiento { $username } ({ $product }) contiene { $used } { $unit }, más que su límite de { $limit } { $unit } ({ $percent } % usado). La cuenta ha sido restringida.

    La restricción se levanta automáticamente en cuanto la cuenta vuelva a estar por debajo de su límite: elimine los archivos que ya no necesite o cambie a un paquete mayor.
