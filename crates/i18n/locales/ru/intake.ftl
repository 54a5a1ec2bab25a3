# Приём обращений: линии, обращения, срочные сигналы, решения, задачи, уведомления, цифры (задача 5).

nav-intake = Обращения
nav-tasks = Мои задачи
nav-notifications = Уведомления
nav-figures = Цифры по обращениям
nav-lines = Горячие линии

intake-title = Приём обращений
intake-queues = Очереди
intake-no-lines = Вы пока не входите в состав ни одной линии. Координатор может вас добавить.

queue-title = Очередь
queue-waiting = Ждут
queue-empty = Ничего не ждёт.
queue-explain = Необработанные обращения, самые старые первыми.

channel-call = Звонок
channel-sms = SMS
channel-messenger = Мессенджер
channel-walk-in = Личный приход
channel-web = Веб-сообщение

caller-victim = Сам пострадавший
caller-relative = Родственник
caller-lawyer = Адвокат
caller-witness = Свидетель
caller-fellow-detainee = Сокамерник или сослуживец
caller-journalist = Журналист
caller-anonymous = Аноним
caller-other = Другое лицо

contact-new-title = Записать обращение
contact-title = Обращение
contact-reference = Номер
contact-received = Когда
contact-line = Линия
contact-no-line = Без линии (личный приход, направление)
contact-channel = Канал
contact-caller = Кто обращается
contact-region = Регион
contact-summary = Суть обращения
contact-summary-help = Без имён: имена и телефоны вносятся в поля ниже, они запечатываются.
contact-urgency = Срочно
contact-in-custody = Человек сейчас под стражей
contact-at-risk = Человеку сейчас грозят пытки
contact-urgency-help = Любая из отметок сразу поднимает сигнал для координаторов и юристов региона.
contact-urgent = срочно
contact-details = Идентифицирующие данные
contact-details-help = Хранятся в запечатанном разделе личностей; открыть их можно, только указав цель. Записываются только с согласия обратившегося.
contact-name = Имя
contact-contacts = Телефон или мессенджер для обратной связи
contact-consent-record = Согласен на запись
contact-consent-act = Согласен на действия коалиции
contact-no-consent-record = нет согласия на запись
contact-no-consent-act = нет согласия на действия
contact-consents = Согласие
contact-follow-up = Нужны дальнейшие действия
contact-save = Сохранить обращение
contact-status = Статус
contact-assigned = Ответственный
contact-web-report = анонимная веб-форма
contact-details-sealed = запечатаны
contact-reveal-title = Показать идентифицирующие данные
contact-back = Назад к обращению
contact-conflict = Кто-то тем временем изменил это обращение. Посмотрите на него ещё раз, прежде чем решать.

contact-status-new = Ждёт
contact-status-case-opened = Открыто дело
contact-status-linked = Привязано к делу
contact-status-closed = Закрыто

contact-error-summary-missing = Напишите суть обращения.
contact-error-summary-bad = Текст слишком длинный (не более 20 000 знаков) или содержит управляющие символы.
contact-error-detail-bad = Имя или контакт слишком длинные (не более 500 знаков) или содержат управляющие символы.
contact-error-details-without-consent = Имена и номера можно записать только с согласия обратившегося на запись. Отметьте согласие или не заполняйте их.
contact-error-bad-choice = Одного из вариантов нет в списках. Выберите заново.
contact-error-bad-time = Укажите время обращения (не в будущем).

alert-title = Срочный сигнал
alert-in-custody = Под стражей сейчас
alert-at-risk = Под угрозой сейчас
alert-raised = поднят
alert-escalated = передан координаторам
alert-acknowledge = Принять: я действую
alert-acknowledged = принят
alert-already-acknowledged = Этот сигнал уже кто-то принял; кто именно, видно в журнале.
alert-log = Кто видел и когда
alert-kind = Сигнал
alert-by-clock = никто не принял вовремя
alert-by-web = веб-форма
alert-step-raised = Поднят
alert-step-seen = Просмотрен
alert-step-acknowledged = Принят
alert-step-escalated = Передан координаторам
alerts-title = Срочные сигналы
alerts-none = Срочных сигналов нет.
alerts-explain = Откройте сигнал, действуйте и примите его. Непринятые сигналы уходят координаторам.
alerts-banner = { $count ->
    [one] { $count } срочный сигнал ждёт ответа
    [few] { $count } срочных сигнала ждут ответа
   *[other] { $count } срочных сигналов ждут ответа
}
alerts-banner-escalated = { $count ->
    [one] { $count } срочный сигнал ждёт ответа
    [few] { $count } срочных сигнала ждут ответа
   *[other] { $count } срочных сигналов ждут ответа
}, передано координаторам: { $escalated }

triage-title = Решение
triage-open = Открыть дело по обращению
triage-link = Привязать к существующему делу
triage-close = Закрыть без дела
triage-case = Дело
triage-no-cases = У вас нет дела, к которому можно привязать обращение.
triage-reason = Причина
triage-note = Примечание (куда направлено, что посоветовали)
triage-pick-case = Выберите дело, над которым вы работаете.
triage-pick-reason = Выберите причину.
triage-bad-note = Примечание слишком длинное (не более 2000 знаков).

close-reason-outside-mandate = Вне мандата
close-reason-referred-elsewhere = Направлено в другую организацию
close-reason-information-only = Только информация

assign-title = Ответственный
assign-save = Назначить
assign-unknown-user = Нет активной учётной записи с таким именем.

task-new = Добавить задачу
task-title = Задача
task-due = Срок
task-assignee = Исполнитель
task-myself = Я сам(а)
task-add = Добавить задачу
task-state = Состояние
task-open = открыта
task-done = выполнена
task-mark-done = Отметить выполненной
task-overdue = просрочена
task-bad-title = Опишите задачу (не более 300 знаков, без имён).
task-bad-due = Укажите дату и время срока.
tasks-title = Мои задачи
tasks-none = Открытых задач нет.
tasks-explain = Сначала просроченные, затем с ближайшим сроком.
tasks-of-contact = Задачи по обращению
tasks-assigned-contacts = Обращения, назначенные мне

notifications-title = Уведомления
notifications-none = Уведомлений нет.
notifications-unread = Непрочитанных: { $count }
notifications-mark-read = Отметить все прочитанными
notification-when = Когда
notification-what = Что
notification-alert = Новый срочный сигнал: обращение { $contact }
notification-escalation = Сигнал по обращению { $contact } никто не принял вовремя
notification-assignment = Вам назначено обращение { $contact }
notification-task = Вам поставлена задача
notification-task-due = Наступил срок одной из ваших задач
notification-report-message = Автор веб-сообщения { $contact } написал

figures-title = Цифры по обращениям
figures-from = С
figures-to = По
figures-show = Показать
figures-bad-period = Дата не распознана; показан период по умолчанию.
figures-total = Обращений за период: { $count }
figures-alerts = Срочные сигналы: время до принятия
figures-alerts-raised = Поднято
figures-alerts-acknowledged = Принято
figures-alerts-escalated = Передано координаторам
figures-median = Медианное время до принятия
figures-worst = Наибольшее время до принятия
figures-by-line = По линиям
figures-by-channel = По каналам
figures-by-caller = По обратившимся
figures-by-region = По регионам
figures-by-month = По месяцам
figures-count = Обращений
duration-hours = { $hours } ч { $minutes } мин
duration-minutes = { $minutes } мин
duration-seconds = { $seconds } с

lines-title = Горячие линии
line-new-title = Новая линия
line-edit-title = Линия
line-code = Код
line-code-help = От 2 до 16 заглавных латинских букв, цифр или дефисов, например SUG. Потом не меняется.
line-name = Линия
line-label-ru = Название на русском
line-label-tg = Название на таджикском
line-label-en = Название на английском
line-numbers = Номера
line-numbers-help = По одному в строке, как опубликованы.
line-regions = Обслуживаемые регионы
line-active = Принимает новые обращения
line-inactive = не действует
line-staff = Состав
line-staff-help = Операторы отвечают на линии и видят её обращения; юристы линии получают срочные сигналы её регионов.
line-no-staff = Пока никого.
line-staff-add = Добавить в состав
line-staff-remove = Убрать
line-bad-code = Код: от 2 до 16 заглавных латинских букв, цифр или дефисов.
line-bad-label = Укажите название на всех трёх языках (не более 200 знаков).
line-bad-numbers = Укажите от одного до пяти номеров, в каждом от 5 до 15 цифр.
line-code-taken = Линия с таким кодом уже есть.

audit-kind-intake-line-changed = Изменена горячая линия
audit-kind-contact-created = Записано обращение
audit-kind-contact-updated = Решение или назначение по обращению
audit-kind-contact-viewed = Открыто обращение
audit-kind-alert-acknowledged = Срочный сигнал принят
audit-kind-alert-escalated = Срочный сигнал передан координаторам
audit-kind-task-changed = Изменена задача
audit-kind-report-message = Сообщение по веб-обращению

dashboard-work = Моя работа
dashboard-tasks = открыто: { $count }
dashboard-overdue = просрочено: { $count }

contact-choose-line = Выберите линию
alert-raised-at = Поднят
contact-error-line-missing = Выберите линию, по которой поступило обращение, или «Без линии».

notifications-email = Электронная почта
notifications-email-help = Если указать адрес, ozodi будет присылать на него короткое письмо, когда появятся новые уведомления: только то, что они есть, никогда — о чём они. Оставьте пустым, чтобы не получать писем.
notifications-email-address = Адрес
notifications-bad-email = Это не похоже на адрес электронной почты.
email-subject = ozodi
email-body = { $count ->
    [one] В ozodi вас ждёт { $count } новое уведомление.
    [few] В ozodi вас ждут { $count } новых уведомления.
   *[other] В ozodi вас ждут { $count } новых уведомлений.
} Откройте ozodi, чтобы прочитать.
audit-kind-user-notify-email = Изменён адрес для писем-уведомлений

case-contacts = Обращения по этому делу

assign-people = Сотрудник
assign-teams = Команда другой линии (её очередь)

figures-month = Месяц
