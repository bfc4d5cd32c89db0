# The texts of the default notifications (subject and body) (zh); every id starts with "notification-".

notification-near-limit-subject = 您的 { $product } 存储空间已用 { $percent }%
notification-near-limit-body =
    尊敬的 { $client_name }：

    您的存储账户 { $username }（{ $product }）目前已使用 { $limit } { $unit } 中的 { $used } { $unit }（{ $percent }%），尚余 { $free } { $unit } 可用空间。

    账户一旦超出限额，将受到限制，直到删除足够的文件为止。为了不中断工作，请释放部分空间或升级到更大的套餐。

notification-suspended-subject = 您的 { $product } 存储空间已超出限额
notification-suspended-body =
    尊敬的 { $client_name }：

    您的存储账户 { $username }（{ $product }）已存储 { $used } { $unit }，超过了 { $limit } { $unit } 的限额（已使用 { $percent }%）。该账户已被限制。

    账户回到限额以内后，限制将自动解除：请删除不再需要的文件，或升级到更大的套餐。
