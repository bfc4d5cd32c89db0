# The texts of the default notifications (subject and body) (mk); every id starts with "notification-".

notification-near-limit-subject = Вашиот простор { $product } е полн { $percent } %
notification-near-limit-body =
    Почитуван(а) { $client_name },

    Вашата сметка за складирање { $username } ({ $product }) сега користи { $used } { $unit } од своите { $limit } { $unit } ({ $percent } %). Слободни се уште { $free } { $unit }.

    Штом сметката го надмине своето ограничување, ќе биде ограничена додека не се избришат доволно датотеки. За да продолжите да работите без прекин, ослободете простор или преминете на поголем пакет.

notification-suspended-subject = Вашиот простор { $product } го надмина своето ограничување
notification-suspended-body =
    Почитуван(а) { $client_name },

    Вашата сметка за складирање { $username } ({ $product }) содржи { $used } { $unit }, што е повеќе од нејзиното ограничување од { $limit } { $unit } (искористено { $percent } %). Сметката е ограничена.

    Ограничувањето се отстранува автоматски штом сметката повторно е под своето ограничување: избришете ги датотеките што веќе не ви требаат или преминете на поголем пакет.
