# The texts of the client-area and admin-area pages (ru, Русский); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Копировать
page-copied = Скопировано
page-yes = Да
page-no = Нет
page-back = Назад
page-not-measured = Ещё не измерено
page-unlimited = Без ограничений
page-limit = Лимит
page-used = Занято
page-free = Свободно
page-used-percent = Занято %
page-free-percent = Свободно %
page-username = Имя пользователя
page-status = Состояние
page-client-title = Ваше хранилище
page-access = Доступ
page-web-address = Веб-интерфейс
page-password = Пароль
page-password-show = Показать пароль
page-password-elsewhere = Показывается только в вашем личном кабинете.
page-instructions = Инструкция
page-space = Дисковое пространство
page-pie-title = Занятое и свободное место
page-pie-desc = Занято { $used } из { $limit } ({ $percent }); свободно { $free }.
page-buckets = Бакеты
page-bucket = Бакет
page-bucket-size = Размер
page-bucket-objects = Объекты
page-no-buckets = Бакетов пока нет.
page-buckets-note = Размеры по последнему измерению сервера.
page-statistics = Статистика занятого места
page-time-zone = Дни и месяцы в часовом поясе { $zone }.
page-daily-title = { $days ->
    [one] Использование по дням, последний { $days } день
    [few] Использование по дням, последние { $days } дня
    [many] Использование по дням, последние { $days } дней
   *[other] Использование по дням, последние { $days } дня
}
page-daily-desc = { $count ->
    [one] Наибольшее использование за каждый день, в { $unit }; данные есть за { $count } день.
    [few] Наибольшее использование за каждый день, в { $unit }; данные есть за { $count } дня.
    [many] Наибольшее использование за каждый день, в { $unit }; данные есть за { $count } дней.
   *[other] Наибольшее использование за каждый день, в { $unit }; данные есть за { $count } дня.
}
page-monthly-title = Среднее использование по месяцам
page-monthly-desc = { $count ->
    [one] Среднее использование за каждый месяц, в { $unit }; { $count } месяц.
    [few] Среднее использование за каждый месяц, в { $unit }; { $count } месяца.
    [many] Среднее использование за каждый месяц, в { $unit }; { $count } месяцев.
   *[other] Среднее использование за каждый месяц, в { $unit }; { $count } месяца.
}
page-no-data = Использование ещё не записано.
page-show-numbers = Показать числа
page-day = День
page-month = Месяц
page-average = Среднее
page-admin-title = Учётная запись хранилища
page-connection = Подключение к API
page-connection-ok = Подключено к { $server }.
page-connection-failed = Нет подключения: { $error }
page-account = Учётная запись
page-enabled = Включена
page-product = Продукт
page-group = Группа
page-email = Эл. почта
page-limit-policy = Политика лимита
page-limit-policy-usage = По использованию
page-limit-policy-standard = Стандартная (задана администратором)
page-limit-policy-limited = Ограниченная (задана администратором)
page-disk-usage = Использование диска
page-actions = Действия
page-no-actions = В этом состоянии действия недоступны.
page-status-creating = Создаётся
page-status-active = Активна
page-status-suspended = Приостановлена
page-status-terminating = Удаляется
page-status-terminated = Удалена
page-status-failed = Создание не удалось
page-action-suspend = Приостановить
page-action-unsuspend = Возобновить
page-action-terminate = Удалить
page-action-change-password = Сменить пароль
page-action-change-plan = Сменить пакет
page-action-update-policy = Обновить политику
page-action-set-standard-policy = Установить стандартную политику
page-action-set-limited-policy = Установить ограниченную политику
page-new-product = Новый пакет
page-confirm-terminate = Да, удалить учётную запись и её данные
page-action-done = Готово: { $action }.
page-action-failed = Действие не удалось: { $error }
page-new-password = Новый пароль (показывается один раз):
page-refused-title = Эту страницу нельзя показать
page-error-title = Страницу сейчас нельзя показать
page-refused-invalid = Ссылка недействительна. Откройте страницу снова из личного кабинета.
page-refused-expired = Срок действия ссылки истёк. Откройте страницу снова из личного кабинета.
page-refused-wrong-service = Ссылка создана для другой услуги.
page-refused-wrong-role = Ссылка создана для другой страницы.
page-refused-not-found = Такой страницы нет.
page-refused-not-configured = Страницы на этом сервере не настроены.
page-refused-cross-site = Запрос пришёл с другого сайта и отклонён.
page-refused-action = Это действие сейчас недоступно для услуги.
