# The texts of the default notifications (subject and body) (ru); every id starts with "notification-".

notification-near-limit-subject = Хранилище { $product } заполнено на { $percent } %
notification-near-limit-body =
    Уважаемый(-ая) { $client_name }!

    Ваша учётная запись хранилища { $username } ({ $product }) сейчас использует { $used } { $unit } из { $limit } { $unit } ({ $percent } %). Свободно ещё { $free } { $unit }.

    Как только учётная запись превысит лимит, она будет ограничена, пока не будет удалено достаточно файлов. Чтобы работать без перерывов, освободите место или перейдите на больший тариф.

notification-suspended-subject = Хранилище { $product } превысило лимит
notification-suspended-body =
    Уважаемый(-ая) { $client_name }!

    Ваша учётная запись хранилища { $username } ({ $product }) содержит { $used } { $unit }, что больше её лимита в { $limit } { $unit } (использовано { $percent } %). Учётная запись ограничена.

    Ограничение снимается автоматически, как только учётная запись снова окажется в пределах лимита: удалите ненужные файлы или перейдите на больший тариф.
