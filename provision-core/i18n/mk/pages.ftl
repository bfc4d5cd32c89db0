# The texts of the client-area and admin-area pages (mk, Македонски); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Копирај
page-copied = Копирано
page-yes = Да
page-no = Не
page-back = Назад
page-not-measured = Сè уште не е измерено
page-unlimited = Неограничено
page-limit = Ограничување
page-used = Зафатено
page-free = Слободно
page-used-percent = Зафатено %
page-free-percent = Слободно %
page-username = Корисничко име
page-status = Состојба
page-client-title = Вашиот простор
page-access = Пристап
page-web-address = Веб-интерфејс
page-password = Лозинка
page-password-show = Прикажи лозинка
page-password-elsewhere = Се прикажува само во вашата клиентска зона.
page-instructions = Упатство
page-space = Простор на диск
page-pie-title = Зафатен и слободен простор
page-pie-desc = Зафатено { $used } од { $limit } ({ $percent }); слободно { $free }.
page-buckets = Кофи
page-bucket = Кофа
page-bucket-size = Големина
page-bucket-objects = Објекти
page-no-buckets = Сè уште нема кофи.
page-buckets-note = Големини според последното мерење на серверот.
page-statistics = Статистика на зафатениот простор
page-time-zone = Денови и месеци во временската зона { $zone }.
page-daily-title = { $days ->
    [one] Дневна употреба, последниот { $days } ден
   *[other] Дневна употреба, последните { $days } дена
}
page-daily-desc = { $count ->
    [one] Највисоката употреба секој ден, во { $unit }; { $count } ден има податоци.
   *[other] Највисоката употреба секој ден, во { $unit }; { $count } дена имаат податоци.
}
page-monthly-title = Просечна употреба по месец
page-monthly-desc = { $count ->
    [one] Просечната употреба секој месец, во { $unit }; { $count } месец.
   *[other] Просечната употреба секој месец, во { $unit }; { $count } месеци.
}
page-no-data = Сè уште не е забележана употреба.
page-show-numbers = Прикажи ги бројките
page-day = Ден
page-month = Месец
page-average = Просек
page-admin-title = Сметка за простор
page-connection = API-врска
page-connection-ok = Поврзано со { $server }.
page-connection-failed = Не е поврзано: { $error }
page-account = Сметка
page-enabled = Овозможено
page-product = Производ
page-group = Група
page-email = Е-пошта
page-limit-policy = Политика на ограничување
page-limit-policy-usage = Според употребата
page-limit-policy-standard = Стандардна (поставена од администратор)
page-limit-policy-limited = Ограничена (поставена од администратор)
page-disk-usage = Употреба на дискот
page-actions = Дејства
page-no-actions = Во оваа состојба не е можно ниедно дејство.
page-status-creating = Се создава
page-status-active = Активна
page-status-suspended = Суспендирана
page-status-terminating = Се укинува
page-status-terminated = Укината
page-status-failed = Создавањето не успеа
page-action-suspend = Суспендирај
page-action-unsuspend = Повторно активирај
page-action-terminate = Укини
page-action-change-password = Смени лозинка
page-action-change-plan = Смени пакет
page-action-update-policy = Ажурирај политика
page-action-set-standard-policy = Постави стандардна политика
page-action-set-limited-policy = Постави ограничена политика
page-new-product = Нов пакет
page-confirm-terminate = Да, избриши ја сметката и нејзините податоци
page-action-done = Готово: { $action }.
page-action-failed = Дејството не успеа: { $error }
page-new-password = Новата лозинка (се прикажува еднаш):
page-refused-title = Оваа страница не може да се прикаже
page-error-title = Страницата не може да се прикаже сега
page-refused-invalid = Врската не е важечка. Отворете ја страницата повторно од клиентската зона.
page-refused-expired = Врската истече. Отворете ја страницата повторно од клиентската зона.
page-refused-wrong-service = Врската е направена за друга услуга.
page-refused-wrong-role = Врската е направена за друга страница.
page-refused-not-found = Таква страница не постои.
page-refused-not-configured = Страниците не се поставени на овој сервер.
page-refused-cross-site = Барањето дојде од друга страница и е одбиено.
page-refused-action = Ова дејство сега не е можно за услугата.
