# The texts of the default notifications (subject and body) (en); every id starts with "notification-".
# Variables: $client_name (the customer), $username (the account), $product (the
# product's name), $used, $limit, $free (sizes in $unit, decimals), $unit (GB, TB, ...),
# $percent (the used share of the limit, a whole number).

# Sent when the account's usage reaches the product's notify-at share.
notification-near-limit-subject = Your { $product } storage is { $percent }% full
notification-near-limit-body =
    Dear { $client_name },

    your storage account { $username } ({ $product }) now uses { $used } { $unit } of its { $limit } { $unit } ({ $percent }%). { $free } { $unit } remain free.

    Once the account passes its limit, it will be restricted until enough files are deleted. To keep working without interruption, free up some space or upgrade to a larger package.

# Sent when the account passed its limit and was restricted.
notification-suspended-subject = Your { $product } storage is over its limit
notification-suspended-body =
    Dear { $client_name },

    your storage account { $username } ({ $product }) holds { $used } { $unit }, which is more than its limit of { $limit } { $unit } ({ $percent }% used). The account has been restricted.

    The restriction is lifted automatically once the account is back under its limit: delete files you no longer need, or upgrade to a larger package.
