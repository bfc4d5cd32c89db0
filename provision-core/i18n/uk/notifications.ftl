# The texts of the default notifications (subject and body) (uk); every id starts with "notification-".

notification-near-limit-subject = Сховище { $product } заповнене на { $percent } %
notification-near-limit-body =
    Шановний(-а) { $client_name }!

    Ваш обліковий запис сховища { $username } ({ $product }) зараз використовує { $used } { $unit } з { $limit } { $unit } ({ $percent } %). Вільно ще { $free } { $unit }.

    Щойно обліковий запис перевищить ліміт, його буде обмежено, доки не буде видалено достатньо файлів. Щоб працювати без перерв, звільніть місце або перейдіть на більший тариф.

notification-suspended-subject = Сховище { $product } перевищило ліміт
notification-suspended-body =
    Шановний(-а) { $client_name }!

    Ваш обліковий запис сховища { $username } ({ $product }) містить { $used } { $unit }, що більше за його ліміт у { $limit } { $unit } (використано { $percent } %). Обліковий запис обмежено.

    Обмеження знімається автоматично, щойно обліковий запис знову буде в межах ліміту: видаліть непотрібні файли або перейдіть на більший тариф.
