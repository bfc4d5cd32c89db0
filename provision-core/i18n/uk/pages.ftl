# The texts of the client-area and admin-area pages (uk, Українська); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Копіювати
page-copied = Скопійовано
page-yes = Так
page-no = Ні
page-back = Назад
page-not-measured = Ще не виміряно
page-unlimited = Без обмежень
page-limit = Ліміт
page-used = Зайнято
page-free = Вільно
page-used-percent = Зайнято %
page-free-percent = Вільно %
page-username = Ім’я користувача
page-status = Стан
page-client-title = Ваше сховище
page-access = Доступ
page-web-address = Вебінтерфейс
page-password = Пароль
page-password-show = Показати пароль
page-password-elsewhere = Показується лише у вашому особистому кабінеті.
page-instructions = Інструкція
page-space = Дисковий простір
page-pie-title = Зайняте й вільне місце
page-pie-desc = Зайнято { $used } з { $limit } ({ $percent }); вільно { $free }.
page-buckets = Бакети
page-bucket = Бакет
page-bucket-size = Розмір
page-bucket-objects = Об’єкти
page-no-buckets = Бакетів поки немає.
page-buckets-note = Розміри за останнім вимірюванням сервера.
page-statistics = Статистика зайнятого місця
page-time-zone = Дні та місяці в часовому поясі { $zone }.
page-daily-title = { $days ->
    [one] Використання за днями, останній { $days } день
    [few] Використання за днями, останні { $days } дні
    [many] Використання за днями, останні { $days } днів
   *[other] Використання за днями, останні { $days } дня
}
page-daily-desc = { $count ->
    [one] Найбільше використання за кожен день, у { $unit }; дані є за { $count } день.
    [few] Найбільше використання за кожен день, у { $unit }; дані є за { $count } дні.
    [many] Найбільше використання за кожен день, у { $unit }; дані є за { $count } днів.
   *[other] Найбільше використання за кожен день, у { $unit }; дані є за { $count } дня.
}
page-monthly-title = Середнє використання за місяць
page-monthly-desc = { $count ->
    [one] Середнє використання за кожен місяць, у { $unit }; { $count } місяць.
    [few] Середнє використання за кожен місяць, у { $unit }; { $count } місяці.
    [many] Середнє використання за кожен місяць, у { $unit }; { $count } місяців.
   *[other] Середнє використання за кожен місяць, у { $unit }; { $count } місяця.
}
page-no-data = Використання ще не записано.
page-show-numbers = Показати числа
page-day = День
page-month = Місяць
page-average = Середнє
page-admin-title = Обліковий запис сховища
page-connection = З’єднання з API
page-connection-ok = З’єднано з { $server }.
page-connection-failed = Немає з’єднання: { $error }
page-account = Обліковий запис
page-enabled = Увімкнено
page-product = Продукт
page-group = Група
page-email = Ел. пошта
page-limit-policy = Політика ліміту
page-limit-policy-usage = За використанням
page-limit-policy-standard = Стандартна (встановив адміністратор)
page-limit-policy-limited = Обмежена (встановив адміністратор)
page-disk-usage = Використання диска
page-actions = Дії
page-no-actions = У цьому стані дії недоступні.
page-status-creating = Створюється
page-status-active = Активний
page-status-suspended = Призупинено
page-status-terminating = Видаляється
page-status-terminated = Видалено
page-status-failed = Створення не вдалося
page-action-suspend = Призупинити
page-action-unsuspend = Відновити
page-action-terminate = Видалити
page-action-change-password = Змінити пароль
page-action-change-plan = Змінити пакет
page-action-update-policy = Оновити політику
page-action-set-standard-policy = Встановити стандартну політику
page-action-set-limited-policy = Встановити обмежену політику
page-new-product = Новий пакет
page-confirm-terminate = Так, видалити обліковий запис і його дані
page-action-done = Готово: { $action }.
page-action-failed = Дія не вдалася: { $error }
page-new-password = Новий пароль (показується один раз):
page-refused-title = Цю сторінку не можна показати
page-error-title = Сторінку зараз не можна показати
page-refused-invalid = Посилання недійсне. Відкрийте сторінку знову з особистого кабінету.
page-refused-expired = Термін дії посилання минув. Відкрийте сторінку знову з особистого кабінету.
page-refused-wrong-service = Посилання створено для іншої послуги.
page-refused-wrong-role = Посилання створено для іншої сторінки.
page-refused-not-found = Такої сторінки немає.
page-refused-not-configured = Сторінки на цьому сервері не налаштовано.
page-refused-cross-site = Запит надійшов з іншого сайту й відхилений.
page-refused-action = Ця дія зараз недоступна для послуги.
