# Қабули муроҷиатҳо: хатҳо, муроҷиатҳо, сигналҳои фаврӣ, қарорҳо, вазифаҳо, огоҳиномаҳо, рақамҳо (масъалаи 5).

nav-intake = Муроҷиатҳо
nav-tasks = Вазифаҳои ман
nav-notifications = Огоҳиномаҳо
nav-figures = Рақамҳои муроҷиатҳо
nav-lines = Хатҳои боварӣ

intake-title = Қабули муроҷиатҳо
intake-queues = Навбатҳо
intake-no-lines = Шумо ҳоло дар ҳайати ягон хат нестед. Ҳамоҳангсоз метавонад шуморо илова кунад.

queue-title = Навбат
queue-waiting = Интизоранд
queue-empty = Ҳеҷ чиз интизор нест.
queue-explain = Муроҷиатҳои ҳанӯз баррасинашуда, аввал кӯҳнатаринҳо.

channel-call = Занг
channel-sms = SMS
channel-messenger = Мессенҷер
channel-walk-in = Омадани шахсан
channel-web = Хабари веб

caller-victim = Худи ҷабрдида
caller-relative = Хешованд
caller-lawyer = Адвокат
caller-witness = Шоҳид
caller-fellow-detainee = Ҳамҳуҷра ё ҳамхизмат
caller-journalist = Рӯзноманигор
caller-anonymous = Беном
caller-other = Шахси дигар

contact-new-title = Сабти муроҷиат
contact-title = Муроҷиат
contact-reference = Рақам
contact-received = Кай
contact-line = Хат
contact-no-line = Бе хат (омадани шахсан, роҳхат)
contact-channel = Восита
contact-caller = Кӣ муроҷиат мекунад
contact-region = Минтақа
contact-summary = Мазмуни муроҷиат
contact-summary-help = Бе ному насаб: ном ва телефонҳо ба майдонҳои поён ворид мешаванд, ки мӯҳр карда мешаванд.
contact-urgency = Фаврӣ
contact-in-custody = Шахс ҳоло дар ҳабс аст
contact-at-risk = Шахсро ҳоло хатари шиканҷа таҳдид мекунад
contact-urgency-help = Ҳар кадоме аз ин қайдҳо фавран барои ҳамоҳангсозон ва ҳуқуқшиносони минтақа сигнал мебарорад.
contact-urgent = фаврӣ
contact-details = Маълумоти шахсӣ
contact-details-help = Дар бахши мӯҳршудаи шахсиятҳо нигоҳ дошта мешавад; онро танҳо бо нишон додани мақсад кушодан мумкин аст. Танҳо бо розигии муроҷиаткунанда сабт мешавад.
contact-name = Ном
contact-contacts = Телефон ё мессенҷер барои тамоси баръакс
contact-consent-record = Ба сабт розӣ аст
contact-consent-act = Ба амалҳои эътилоф розӣ аст
contact-no-consent-record = ба сабт розигӣ нест
contact-no-consent-act = ба амал розигӣ нест
contact-consents = Розигӣ
contact-follow-up = Амалҳои минбаъда лозиманд
contact-save = Нигоҳ доштани муроҷиат
contact-status = Ҳолат
contact-assigned = Масъул
contact-web-report = шакли беноми веб
contact-details-sealed = мӯҳр шудааст
contact-reveal-title = Нишон додани маълумоти шахсӣ
contact-back = Бозгашт ба муроҷиат
contact-conflict = Дар ин миён касе ин муроҷиатро тағйир дод. Пеш аз қарор боз як бор ба он нигоҳ кунед.

contact-status-new = Интизор аст
contact-status-case-opened = Парванда кушода шуд
contact-status-linked = Ба парванда пайваст шуд
contact-status-closed = Баста шуд

contact-error-summary-missing = Мазмуни муроҷиатро нависед.
contact-error-summary-bad = Матн хеле дароз аст (на зиёда аз 20 000 аломат) ё аломатҳои идоракуниро дар бар мегирад.
contact-error-detail-bad = Ном ё тамос хеле дароз аст (на зиёда аз 500 аломат) ё аломатҳои идоракуниро дар бар мегирад.
contact-error-details-without-consent = Ном ва рақамҳоро танҳо бо розигии муроҷиаткунанда ба сабт навиштан мумкин аст. Розигиро қайд кунед ё онҳоро пур накунед.
contact-error-bad-choice = Яке аз интихобҳо дар рӯйхатҳо нест. Аз нав интихоб кунед.
contact-error-bad-time = Вақти муроҷиатро нишон диҳед (на дар оянда).

alert-title = Сигнали фаврӣ
alert-in-custody = Ҳоло дар ҳабс
alert-at-risk = Ҳоло дар хатар
alert-raised = бардошта шуд
alert-escalated = ба ҳамоҳангсозон супурда шуд
alert-acknowledge = Қабул кардан: ман амал мекунам
alert-acknowledged = қабул шуд
alert-already-acknowledged = Ин сигналро аллакай касе қабул кардааст; кӣ будани ӯ дар маҷалла намоён аст.
alert-log = Кӣ ва кай дид
alert-kind = Сигнал
alert-by-clock = ҳеҷ кас сари вақт қабул накард
alert-by-web = шакли веб
alert-step-raised = Бардошта шуд
alert-step-seen = Дида шуд
alert-step-acknowledged = Қабул шуд
alert-step-escalated = Ба ҳамоҳангсозон супурда шуд
alerts-title = Сигналҳои фаврӣ
alerts-none = Сигнали фаврӣ нест.
alerts-explain = Сигналро кушоед, амал кунед ва онро қабул кунед. Сигналҳои қабулнашуда ба ҳамоҳангсозон мераванд.
alerts-banner = { $count ->
    [one] { $count } сигнали фаврӣ ҷавоб интизор аст
   *[other] { $count } сигнали фаврӣ ҷавоб интизоранд
}
alerts-banner-escalated = { $count ->
    [one] { $count } сигнали фаврӣ ҷавоб интизор аст
   *[other] { $count } сигнали фаврӣ ҷавоб интизоранд
}, ба ҳамоҳангсозон супурда шуд: { $escalated }

triage-title = Қарор
triage-open = Аз рӯи муроҷиат парванда кушодан
triage-link = Ба парвандаи мавҷуда пайвастан
triage-close = Бе парванда бастан
triage-case = Парванда
triage-no-cases = Шумо парвандае надоред, ки муроҷиатро ба он пайваст кунед.
triage-reason = Сабаб
triage-note = Эзоҳ (ба куҷо фиристода шуд, чӣ маслиҳат дода шуд)
triage-pick-case = Парвандаеро интихоб кунед, ки дар болояш кор мекунед.
triage-pick-reason = Сабабро интихоб кунед.
triage-bad-note = Эзоҳ хеле дароз аст (на зиёда аз 2000 аломат).

close-reason-outside-mandate = Берун аз салоҳият
close-reason-referred-elsewhere = Ба ташкилоти дигар фиристода шуд
close-reason-information-only = Танҳо маълумот

assign-title = Масъул
assign-save = Таъин кардан
assign-unknown-user = Ҳисоби фаъол бо чунин ном нест.

task-new = Илова кардани вазифа
task-title = Вазифа
task-due = Мӯҳлат
task-assignee = Иҷрокунанда
task-myself = Худам
task-add = Илова кардани вазифа
task-state = Ҳолат
task-open = кушода
task-done = иҷро шуд
task-mark-done = Иҷрошуда қайд кардан
task-overdue = мӯҳлаташ гузашт
task-bad-title = Вазифаро тавсиф кунед (на зиёда аз 300 аломат, бе ному насаб).
task-bad-due = Сана ва вақти мӯҳлатро нишон диҳед.
tasks-title = Вазифаҳои ман
tasks-none = Вазифаи кушода нест.
tasks-explain = Аввал вазифаҳои мӯҳлаташон гузашта, баъд бо мӯҳлати наздиктарин.
tasks-of-contact = Вазифаҳо аз рӯи муроҷиат
tasks-assigned-contacts = Муроҷиатҳое, ки ба ман таъин шудаанд

notifications-title = Огоҳиномаҳо
notifications-none = Огоҳинома нест.
notifications-unread = Хонданашуда: { $count }
notifications-mark-read = Ҳамаро хондашуда қайд кардан
notification-when = Кай
notification-what = Чӣ
notification-alert = Сигнали нави фаврӣ: муроҷиати { $contact }
notification-escalation = Сигнали муроҷиати { $contact }-ро ҳеҷ кас сари вақт қабул накард
notification-assignment = Муроҷиати { $contact } ба шумо таъин шуд
notification-task = Ба шумо вазифа дода шуд
notification-task-due = Мӯҳлати яке аз вазифаҳои шумо расид
notification-report-message = Муаллифи хабари веби { $contact } навишт

figures-title = Рақамҳои муроҷиатҳо
figures-from = Аз
figures-to = То
figures-show = Нишон додан
figures-bad-period = Сана фаҳмида нашуд; давраи пешфарз нишон дода шуд.
figures-total = Муроҷиатҳо дар давра: { $count }
figures-alerts = Сигналҳои фаврӣ: вақт то қабул
figures-alerts-raised = Бардошта шуд
figures-alerts-acknowledged = Қабул шуд
figures-alerts-escalated = Ба ҳамоҳангсозон супурда шуд
figures-median = Вақти миёнаи (медиана) то қабул
figures-worst = Вақти дарозтарин то қабул
figures-by-line = Аз рӯи хатҳо
figures-by-channel = Аз рӯи воситаҳо
figures-by-caller = Аз рӯи муроҷиаткунандагон
figures-by-region = Аз рӯи минтақаҳо
figures-by-month = Аз рӯи моҳҳо
figures-count = Муроҷиатҳо
duration-hours = { $hours } соат { $minutes } дақ
duration-minutes = { $minutes } дақ
duration-seconds = { $seconds } сония

lines-title = Хатҳои боварӣ
line-new-title = Хати нав
line-edit-title = Хат
line-code = Рамз
line-code-help = Аз 2 то 16 ҳарфи калони лотинӣ, рақам ё нимтире, масалан SUG. Баъдан тағйир намеёбад.
line-name = Хат
line-label-ru = Ном ба забони русӣ
line-label-tg = Ном ба забони тоҷикӣ
line-label-en = Ном ба забони англисӣ
line-numbers = Рақамҳо
line-numbers-help = Дар ҳар сатр яктоӣ, чӣ тавре ки нашр шудаанд.
line-regions = Минтақаҳои хизматрасонӣ
line-active = Муроҷиатҳои навро қабул мекунад
line-inactive = амал намекунад
line-staff = Ҳайат
line-staff-help = Операторҳо ба хат ҷавоб медиҳанд ва муроҷиатҳои онро мебинанд; ҳуқуқшиносони хат сигналҳои фаврии минтақаҳои онро мегиранд.
line-no-staff = Ҳоло ҳеҷ кас нест.
line-staff-add = Ба ҳайат илова кардан
line-staff-remove = Хориҷ кардан
line-bad-code = Рамз: аз 2 то 16 ҳарфи калони лотинӣ, рақам ё нимтире.
line-bad-label = Номро бо ҳар се забон нишон диҳед (на зиёда аз 200 аломат).
line-bad-numbers = Аз як то панҷ рақам нишон диҳед, ки ҳар кадомаш аз 5 то 15 рақам дорад.
line-code-taken = Хат бо чунин рамз аллакай ҳаст.

audit-kind-intake-line-changed = Хати боварӣ тағйир ёфт
audit-kind-contact-created = Муроҷиат сабт шуд
audit-kind-contact-updated = Қарор ё таъинот оид ба муроҷиат
audit-kind-contact-viewed = Муроҷиат кушода шуд
audit-kind-alert-acknowledged = Сигнали фаврӣ қабул шуд
audit-kind-alert-escalated = Сигнали фаврӣ ба ҳамоҳангсозон супурда шуд
audit-kind-task-changed = Вазифа тағйир ёфт
audit-kind-report-message = Паём оид ба хабари веб

dashboard-work = Кори ман
dashboard-tasks = кушода: { $count }
dashboard-overdue = мӯҳлаташ гузашта: { $count }

contact-choose-line = Хатро интихоб кунед
alert-raised-at = Бардошта шуд
contact-error-line-missing = Хатеро, ки муроҷиат тавассути он омад, ё «Бе хат»-ро интихоб кунед.

notifications-email = Почтаи электронӣ
notifications-email-help = Агар суроға нишон диҳед, ozodi ҳангоми пайдо шудани огоҳиномаҳои нав ба он мактуби кӯтоҳ мефиристад: танҳо он ки онҳо ҳастанд, ҳеҷ гоҳ дар бораи чӣ будани онҳо. Барои нагирифтани мактуб холӣ гузоред.
notifications-email-address = Суроға
notifications-bad-email = Ин ба суроғаи почтаи электронӣ монанд нест.
email-subject = ozodi
email-body = { $count ->
   *[other] Дар ozodi { $count } огоҳиномаи нав шуморо интизор аст.
} Барои хондан ozodi-ро кушоед.
audit-kind-user-notify-email = Суроға барои мактубҳои огоҳкунанда тағйир ёфт

case-contacts = Муроҷиатҳо оид ба ин парванда

assign-people = Корманд
assign-teams = Дастаи хати дигар (навбати он)

figures-month = Моҳ
