# ozodi: тексты интерфейса на русском (язык по умолчанию). Каждый ключ есть также в tg/ и en/.

## Каркас
skip-to-content = Перейти к содержанию
language = Язык
nav-label = Главное меню
nav-dashboard = Обзор
nav-users = Учётные записи
nav-audit = Журнал аудита
nav-password = Мой пароль
nav-logout = Выйти
footer = ozodi · защищённое документирование пыток · данные зашифрованы на диске
save = Сохранить
saved = Сохранено.
cancel = Отмена
throttled = Слишком много неудачных попыток. Попробуйте снова после { $time } (время Душанбе).

## Ошибки
error-request-id = Номер запроса
error-home = На главную страницу
error-bad-request-title = Запрос не удалось прочитать
error-bad-request-body = В форме есть то, что мы не можем принять (например, недопустимые символы). Ничего не изменено. Вернитесь и проверьте введённое.
error-forbidden-title = Нет доступа
error-forbidden-body = У вашей учётной записи нет прав на эту страницу. Ничего не изменено. Если доступ нужен, обратитесь к администратору.
error-csrf-title = Форма устарела
error-csrf-body = В целях защиты форма отклонена, ничего не изменено. Обновите страницу и отправьте форму ещё раз.
error-not-found-title = Страница не найдена
error-not-found-body = По этому адресу страницы нет, или она вам недоступна.
error-method-title = Здесь это невозможно
error-method-body = Этот адрес не принимает такой запрос. Ничего не изменено.
error-too-large-title = Слишком много данных
error-too-large-body = Форма отправила больше данных, чем допустимо. Ничего не изменено. Сократите текст и попробуйте снова.
error-internal-title = Что-то пошло не так
error-internal-body = На сервере произошла ошибка. Ничего не сохранено наполовину. Попробуйте ещё раз; если ошибка повторяется, сообщите администратору номер запроса ниже.

## Распечатывание
unseal-title = Система запечатана
unseal-intro = Данные зашифрованы, ключей в памяти нет. Введите парольную фразу экземпляра, чтобы открыть его.
unseal-passphrase = Парольная фраза
unseal-submit = Распечатать
unseal-wrong = Неверная парольная фраза. Ничего не открыто.
unseal-broken = Экземпляр не удалось открыть. Администратору нужно проверить журнал сервера.

## Вход
login-title = Вход
login-username = Имя пользователя
login-password = Пароль
login-submit = Войти
login-failed = Неверное имя пользователя или пароль.

## Обзор
dashboard-title = Обзор
dashboard-welcome = Здравствуйте, { $name }.
dashboard-your-roles = Ваши роли
dashboard-no-roles = У вашей учётной записи пока нет роли. Попросите администратора назначить её.
dashboard-admin = Администрирование
dashboard-coming = Скоро появится
coming-cases = Документирование дел: события, действия, пострадавшие и предполагаемые исполнители, доказательства с цепочкой хранения, поиск на таджикском и русском.
coming-hotlines = Горячие линии: журнал обращений, срочные оповещения, сортировка, анонимные сообщения через сайт.
coming-legal = Юридическая помощь: жалобы, уголовные и гражданские дела, обращения в ООН, сроки.
coming-medical = Медицинские освидетельствования по Стамбульскому протоколу и реабилитация.
coming-monitoring = Мониторинг мест лишения свободы и рекомендаций ООН.
coming-statistics = Статистика и отчёты, рассчитанные по записям.

## Свой пароль
password-title = Смена пароля
password-forced = Администратор сбросил ваш пароль. Чтобы продолжить, выберите новый.
password-rules = Не менее 12 символов. Распространённые пароли и пароли, содержащие имя пользователя, не принимаются. Фразу из нескольких слов легко запомнить и трудно угадать.
password-current = Текущий пароль
password-new = Новый пароль
password-confirm = Новый пароль ещё раз
password-submit = Сменить пароль
password-current-wrong = Текущий пароль неверен.
password-same = Новый пароль должен отличаться от текущего.
password-too-short = Новый пароль короче 12 символов.
password-too-long = Новый пароль слишком длинный.
password-common = Этот пароль есть в списке распространённых. Выберите другой.
password-contains-username = Пароль не должен содержать имя пользователя.
password-mismatch = Два новых пароля не совпадают.
password-changed-login = Пароль изменён, все ваши сеансы завершены. Войдите с новым паролем.

## Роли
role-operator = Оператор горячей линии
role-lawyer = Юрист
role-doctor = Врач / судебный эксперт
role-psychologist = Психолог
role-monitor = Наблюдатель
role-analyst = Аналитик
role-editor = Редактор
role-coordinator = Координатор
role-admin = Администратор

## Учётные записи
users-title = Учётные записи
user-title = Учётная запись
user-new-title = Новая учётная запись
user-username = Имя пользователя
user-username-help = От 3 до 32 символов: латинские буквы, цифры, точка, подчёркивание или дефис.
user-display-name = Полное имя
user-roles = Роли
user-status = Состояние
user-active = активна
user-disabled = отключена
user-must-change = нужно сменить пароль
user-created = Создана
user-create = Создать учётную запись
user-new-password-note = Временный пароль будет показан один раз. Передайте его человеку безопасным способом; при первом входе его нужно сменить.
user-bad-username = Имя пользователя: от 3 до 32 символов — латинские буквы, цифры, точка, подчёркивание или дефис.
user-bad-display-name = Полное имя должно содержать от 1 до 100 символов.
user-username-taken = Это имя пользователя уже занято.
user-created-title = Учётная запись создана
user-created-body = Учётная запись { $username } создана с временным паролем:
user-reset-title = Пароль сброшен
user-reset-body = Пароль пользователя { $username } сброшен. Новый временный пароль:
user-temporary-note = Он показан только один раз. Все сеансы учётной записи завершены; при следующем входе нужно выбрать новый пароль.
user-back = К учётной записи
user-back-list = Ко всем учётным записям
user-change-roles = Изменить роли
user-change-name = Изменить полное имя
user-access = Доступ
user-disable = Отключить учётную запись
user-disable-note = Отключённая учётная запись не может войти; её открытые сеансы сразу завершаются.
user-enable = Включить учётную запись
user-reset-password = Сбросить пароль
user-reset-note = Создаёт временный пароль и завершает все сеансы учётной записи.
user-last-admin = Это последний активный администратор. Сначала назначьте другого администратора.

## Журнал аудита
audit-title = Журнал аудита
audit-kind = Событие
audit-all = Все события
audit-actor = Кто (имя пользователя)
audit-from = С
audit-until = По
audit-filter = Показать
audit-when = Когда
audit-subject = О ком
audit-detail = Подробности
audit-client = Адрес
audit-empty = Записей не найдено.
audit-older = Более ранние записи
audit-times-note = Время — душанбинское. Журнал — это цепочка хешей: команда «ozodi audit verify» обнаружит любое его изменение.
audit-bad-actor = Имя пользователя в фильтре недопустимо.
audit-bad-date = Дата в фильтре недопустима (формат ГГГГ-ММ-ДД).
audit-kind-login-ok = Вход
audit-kind-login-failed = Неудачный вход
audit-kind-logout = Выход
audit-kind-instance-unsealed = Экземпляр распечатан
audit-kind-instance-sealed = Экземпляр запечатан
audit-kind-user-created = Учётная запись создана
audit-kind-user-roles = Роли изменены
audit-kind-user-renamed = Имя изменено
audit-kind-user-disabled = Учётная запись отключена
audit-kind-user-enabled = Учётная запись включена
audit-kind-user-password-reset = Пароль сброшен
audit-kind-user-password-changed = Пароль изменён
audit-kind-instance-passphrase-changed = Парольная фраза изменена
audit-kind-access-denied = Отказ в доступе
audit-kind-vocab-term-added = Термин словаря добавлен
audit-kind-vocab-term-relabelled = Термин словаря переименован
audit-kind-vocab-term-deprecated = Термин словаря выведен из употребления или восстановлен
audit-kind-case-created = Дело открыто
audit-kind-case-updated = Дело изменено
audit-kind-case-deleted = Дело удалено (с сохранением следа)
audit-kind-case-restored = Дело восстановлено
audit-kind-case-team = Команда дела изменена
audit-kind-case-viewed = Дело просмотрено
audit-kind-identity-revealed = Личность раскрыта

## Запечатывание
seal-title = Запечатать сейчас
seal-explain = Запечатывание сразу удаляет ключи из памяти сервера: все сеансы завершаются, и никто не сможет прочитать данные, пока кто-нибудь не введёт парольную фразу на странице распечатывания. Используйте это, если офису или серверу грозит опасность.
seal-confirm = Запечатать экземпляр сейчас

## Подтверждения
user-disable-confirm-title = Отключить эту учётную запись?
user-disable-confirm-body = { $username } не сможет войти, все открытые сеансы этой учётной записи сразу завершатся. Позже учётную запись можно снова включить.
user-reset-password-confirm-title = Сбросить этот пароль?
user-reset-password-confirm-body = { $username } получит временный пароль, который вы увидите один раз; все открытые сеансы этой учётной записи сразу завершатся, а при следующем входе нужно будет выбрать новый пароль.

## Подробности журнала
audit-detail-reason = причина
audit-detail-via = способ
audit-detail-roles = роли
audit-detail-from = было
audit-detail-to = стало
audit-detail-path = страница
audit-detail-action = действие
audit-value-wrong-password = неверный пароль
audit-value-unknown-account = неизвестная учётная запись
audit-value-disabled = учётная запись отключена
audit-value-throttled = слишком много попыток
audit-value-web = веб-страница
audit-value-cli = командная строка
audit-value-signal = сигнал
audit-value-shutdown = остановка сервера
audit-value-demo = подготовка демо
audit-value-init = создание экземпляра
audit-value-view = просмотр
audit-value-create = создание
audit-value-update = изменение
audit-value-disable = отключение
audit-value-resetpassword = сброс пароля
audit-value-seal = запечатывание

## Словари
nav-vocab = Словари
vocab-title = Словари
vocab-intro = Контролируемые списки для записей дел: тезаурусы HURIDOCS и собственные списки коалиции. Термины никогда не удаляются: выведенный из употребления термин остаётся в старых записях и исчезает из новых форм.
vocab-list = Список
vocab-id = Код
vocab-terms = Терминов
vocab-code = Код
vocab-deprecated = выведен из употребления
vocab-in-use = используется
vocab-local = добавлен коалицией
vocab-relabelled = переименован
vocab-add = Добавить термин
vocab-add-note = Новые термины получают код в пространстве коалиции, начинающийся с TJ. (например, TJ.ACT.HAZING), чтобы никогда не совпасть с кодами HURIDOCS.
vocab-parent = Родительский термин
vocab-back = Ко всем словарям
vocab-back-list = К списку
vocab-term-title = Термин
vocab-deprecated-note = Термин выведен из употребления: старые записи его показывают, новые формы больше не предлагают.
vocab-restore = Вернуть термин
vocab-deprecate = Вывести из употребления
vocab-deprecate-note = Термин исчезнет из новых форм. Записи, где он используется, его сохранят.
vocab-bad-code = Код должен начинаться с TJ. и содержать только заглавные латинские буквы, цифры, точки, подчёркивания или дефисы (не более 40 после TJ.).
vocab-bad-labels = У термина должно быть название на русском, таджикском и английском.
vocab-code-taken = Такой код уже есть в списке.
vocab-bad-parent = Родительского термина нет в этом списке.
audit-detail-deprecated = выведен из употребления
yes = да
no = нет

## Дела
nav-cases = Дела
cases-title = Дела
cases-empty = Нет дел для показа. Дела появляются здесь, когда вы входите в их команду.
case-new-title = Открыть дело
case-edit-title = Изменить дело
case-title = Дело
case-number = Номер
case-field-title = Название
case-field-status = Статус
case-field-region = Регион
case-field-hotline = Горячая линия обращения
case-field-summary = Краткое описание
case-field-number = Номер
case-field-lead = Ведущий юрист
case-field-deleted = Удалено
case-opened = Открыто
case-deleted = удалено
case-title-help = Никогда не указывайте в названии имя пострадавшего: оно видно в списках.
case-bad-title = Название должно содержать от 1 до 200 символов.
case-bad-summary = Описание длиннее 20 000 символов.
case-bad-choice = Выбранного региона или горячей линии нет в списке. Выберите снова.
case-deleted-because = Это дело удалено (сохранён след). Причина: { $reason }
case-restore = Восстановить дело
case-history-title = История
case-next-step = Следующий шаг
case-reason = Причина
case-team = Команда
case-team-identity = видит личные данные
case-team-remove = исключить
case-team-add = Добавить участника (имя пользователя)
case-team-identity-grant = Может видеть личные данные (имена, контакты)
case-team-add-button = Добавить в команду
case-delete-title = Удалить дело
case-version = Версия
case-history-field = Поле
case-history-before = Было
case-history-after = Стало
case-back = К делу
case-delete-explain = Удаление оставляет след: дело исчезает из списков, ничего не стирается, координатор может его восстановить. Укажите причину.
case-transition-refused = Этот шаг невозможен из текущего статуса. Возможные шаги: { $allowed }.
case-reason-required = Для этого шага нужна причина.
case-conflict = Кто-то другой изменил это дело. Ничего не перезаписано; обновите страницу дела и повторите.
case-team-unknown-user = Нет активной учётной записи с таким именем пользователя.
case-status-intake-screening = Первичная оценка
case-status-open = Открыто (документирование)
case-status-active = В работе
case-status-pending = Приостановлено (ожидание)
case-status-referred-out = Передано в другую организацию
case-status-closed = Закрыто
case-event-in-mandate = В мандате: открыть
case-event-refer-out = Вне мандата: передать
case-event-close-out-of-mandate = Вне мандата: закрыть
case-event-documentation-done = Документирование завершено: в работу
case-event-wait = Ожидать ответа органа или клиента
case-event-resume = Возобновить работу
case-event-close = Закрыть дело
case-event-reopen = Открыть дело снова
case-change-created = открыто
case-change-updated = изменено
case-change-deleted = удалено
case-change-restored = восстановлено
