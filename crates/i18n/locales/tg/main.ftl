# ozodi: матнҳои интерфейс бо забони тоҷикӣ (бо хатти кириллӣ). Ҳар калид дар ru/ ва en/ низ ҳаст.
# Дар Fluent қоидаҳои шумораи ҷамъ барои тоҷикӣ нестанд: танҳо *[other] истифода шавад.

## Чорчӯба
skip-to-content = Гузаштан ба мундариҷа
language = Забон
nav-label = Менюи асосӣ
nav-dashboard = Шарҳи умумӣ
nav-users = Ҳисобҳои корбарон
nav-audit = Феҳристи аудит
nav-password = Пароли ман
nav-logout = Баромадан
footer = ozodi · ҳуҷҷатгузории бехатари шиканҷа · маълумот дар диск рамзгузорӣ шудааст
save = Нигоҳ доштан
saved = Нигоҳ дошта шуд.
cancel = Бекор кардан
throttled = Кӯшишҳои ноком аз ҳад зиёданд. Пас аз соати { $time } (вақти Душанбе) боз кӯшиш кунед.

## Хатоҳо
error-request-id = Рақами дархост
error-home = Ба саҳифаи асосӣ
error-bad-request-title = Дархостро хондан нашуд
error-bad-request-body = Дар шакл чизе ҳаст, ки мо қабул карда наметавонем (масалан, аломатҳои нодуруст). Ҳеҷ чиз тағйир наёфт. Баргардед ва воридкардаатонро санҷед.
error-forbidden-title = Дастрасӣ нест
error-forbidden-body = Ҳисоби шумо ба ин саҳифа иҷозат надорад. Ҳеҷ чиз тағйир наёфт. Агар дастрасӣ лозим бошад, ба маъмур муроҷиат кунед.
error-csrf-title = Мӯҳлати шакл гузаштааст
error-csrf-body = Барои ҳифзи шумо шакл рад карда шуд ва ҳеҷ чиз тағйир наёфт. Саҳифаро аз нав кушоед ва шаклро боз фиристед.
error-not-found-title = Саҳифа ёфт нашуд
error-not-found-body = Дар ин суроға саҳифа нест ё он барои шумо дастрас нест.
error-method-title = Дар ин ҷо имконнопазир аст
error-method-body = Ин суроға чунин дархостро қабул намекунад. Ҳеҷ чиз тағйир наёфт.
error-too-large-title = Маълумот аз ҳад зиёд аст
error-too-large-body = Шакл аз меъёри иҷозатдодашуда зиёдтар маълумот фиристод. Ҳеҷ чиз тағйир наёфт. Матнро кӯтоҳ карда, боз кӯшиш кунед.
error-internal-title = Чизе нодуруст шуд
error-internal-body = Дар сервер хатогӣ рух дод. Ҳеҷ чиз нимкора сабт нашуд. Боз кӯшиш кунед; агар такрор шавад, рақами дархостро дар поён ба маъмур диҳед.

## Кушодани мӯҳр
unseal-title = Система мӯҳр шудааст
unseal-intro = Маълумот рамзгузорӣ шудааст ва калидҳо дар хотира нестанд. Барои кушодан ибораи махфии системаро ворид кунед.
unseal-passphrase = Ибораи махфӣ
unseal-submit = Мӯҳрро кушодан
unseal-wrong = Ибораи махфӣ нодуруст аст. Ҳеҷ чиз кушода нашуд.
unseal-broken = Системаро кушодан нашуд. Маъмур бояд феҳристи серверро санҷад.

## Воридшавӣ
login-title = Воридшавӣ
login-username = Номи корбар
login-password = Парол
login-submit = Ворид шудан
login-failed = Номи корбар ё парол нодуруст аст.

## Шарҳи умумӣ
dashboard-title = Шарҳи умумӣ
dashboard-welcome = Хуш омадед, { $name }.
dashboard-your-roles = Нақшҳои шумо
dashboard-no-roles = Ҳисоби шумо ҳоло нақш надорад. Аз маъмур хоҳиш кунед, ки нақш таъин кунад.
dashboard-admin = Идоракунӣ
dashboard-coming = Ба наздикӣ
coming-cases = Ҳуҷҷатгузории парвандаҳо: ҳодисаҳо, амалҳо, ҷабрдидагон ва иҷрокунандагони эҳтимолӣ, далелҳо бо занҷираи нигаҳдорӣ, ҷустуҷӯ бо забонҳои тоҷикӣ ва русӣ.
coming-hotlines = Хатҳои боварӣ: феҳристи муроҷиатҳо, огоҳиҳои фаврӣ, ҷудокунӣ, хабарҳои беном тавассути сомона.
coming-legal = Кумаки ҳуқуқӣ: шикоятҳо, парвандаҳои ҷиноятӣ ва шаҳрвандӣ, муроҷиатҳо ба СММ, мӯҳлатҳо.
coming-medical = Муоинаҳои тиббӣ мувофиқи Протоколи Истанбул ва тавонбахшӣ.
coming-monitoring = Мониторинги ҷойҳои маҳрумият аз озодӣ ва тавсияҳои СММ.
coming-statistics = Омор ва гузоришҳое, ки аз рӯи сабтҳо ҳисоб карда мешаванд.

## Пароли худ
password-title = Иваз кардани парол
password-forced = Маъмур пароли шуморо аз нав танзим кард. Барои идома додан пароли нав интихоб кунед.
password-rules = Ҳадди ақал 12 аломат. Паролҳои маъмулӣ ва паролҳое, ки номи корбарро доранд, қабул намешаванд. Ибораи якчандкалимагӣ осон дар ёд мемонад ва ёфтанаш душвор аст.
password-current = Пароли ҷорӣ
password-new = Пароли нав
password-confirm = Пароли нав бори дигар
password-submit = Паролро иваз кардан
password-current-wrong = Пароли ҷорӣ нодуруст аст.
password-same = Пароли нав бояд аз пароли ҷорӣ фарқ кунад.
password-too-short = Пароли нав аз 12 аломат кӯтоҳтар аст.
password-too-long = Пароли нав хеле дароз аст.
password-common = Ин парол дар рӯйхати паролҳои маъмулӣ ҳаст. Дигарашро интихоб кунед.
password-contains-username = Парол набояд номи корбари шуморо дошта бошад.
password-mismatch = Ду пароли нав мувофиқат намекунанд.
password-changed-login = Парол иваз шуд ва ҳамаи ҷаласаҳои шумо қатъ гардиданд. Бо пароли нав ворид шавед.

## Нақшҳо
role-operator = Оператори хати боварӣ
role-lawyer = Ҳуқуқшинос
role-doctor = Духтур / коршиноси судӣ
role-psychologist = Равоншинос
role-monitor = Нозир
role-analyst = Таҳлилгар
role-editor = Муҳаррир
role-coordinator = Ҳамоҳангсоз
role-admin = Маъмур

## Ҳисобҳои корбарон
users-title = Ҳисобҳои корбарон
user-title = Ҳисоби корбар
user-new-title = Ҳисоби нав
user-username = Номи корбар
user-username-help = Аз 3 то 32 аломат: ҳарфҳои лотинӣ, рақамҳо, нуқта, хати зер ё нимтире.
user-display-name = Ному насаб
user-roles = Нақшҳо
user-status = Ҳолат
user-active = фаъол
user-disabled = ғайрифаъол
user-must-change = бояд паролро иваз кунад
user-created = Сохта шуд
user-create = Сохтани ҳисоб
user-new-password-note = Пароли муваққатӣ танҳо як бор нишон дода мешавад. Онро ба шахс бо роҳи бехатар супоред; ҳангоми воридшавии аввал бояд иваз карда шавад.
user-bad-username = Номи корбар бояд аз 3 то 32 аломат бошад: ҳарфҳои лотинӣ, рақамҳо, нуқта, хати зер ё нимтире.
user-bad-display-name = Ному насаб бояд аз 1 то 100 аломат бошад.
user-username-taken = Ин номи корбар аллакай банд аст.
user-created-title = Ҳисоб сохта шуд
user-created-body = Ҳисоби { $username } бо ин пароли муваққатӣ сохта шуд:
user-reset-title = Парол аз нав танзим шуд
user-reset-body = Пароли { $username } аз нав танзим шуд. Пароли нави муваққатӣ:
user-temporary-note = Он танҳо ҳамин як бор нишон дода мешавад. Ҳамаи ҷаласаҳои ҳисоб қатъ шуданд; ҳангоми воридшавии навбатӣ бояд пароли нав интихоб карда шавад.
user-back = Бозгашт ба ҳисоб
user-back-list = Бозгашт ба ҳамаи ҳисобҳо
user-change-roles = Тағйир додани нақшҳо
user-change-name = Тағйир додани ному насаб
user-access = Дастрасӣ
user-disable = Ғайрифаъол кардани ҳисоб
user-disable-note = Ҳисоби ғайрифаъол ворид шуда наметавонад; ҷаласаҳои кушодаи он дарҳол қатъ мешаванд.
user-enable = Аз нав фаъол кардани ҳисоб
user-reset-password = Аз нав танзим кардани парол
user-reset-note = Пароли муваққатӣ месозад ва ҳамаи ҷаласаҳои ҳисобро қатъ мекунад.
user-last-admin = Ин охирин маъмури фаъол аст. Аввал маъмури дигарро таъин кунед.

## Феҳристи аудит
audit-title = Феҳристи аудит
audit-kind = Ҳодиса
audit-all = Ҳамаи ҳодисаҳо
audit-actor = Кӣ (номи корбар)
audit-from = Аз
audit-until = То
audit-filter = Нишон додан
audit-when = Кай
audit-subject = Дар бораи
audit-detail = Тафсилот
audit-client = Суроға
audit-empty = Ягон сабт ёфт нашуд.
audit-older = Сабтҳои пештара
audit-times-note = Вақт бо соати Душанбе аст. Феҳрист занҷираи ҳешҳо мебошад: фармони «ozodi audit verify» ҳар гуна тағйири онро ошкор мекунад.
audit-bad-actor = Номи корбар дар филтр нодуруст аст.
audit-bad-date = Сана дар филтр нодуруст аст (шакли СССС-ММ-РР).
audit-kind-login-ok = Воридшавӣ
audit-kind-login-failed = Воридшавии ноком
audit-kind-logout = Баромад
audit-kind-instance-unsealed = Мӯҳри система кушода шуд
audit-kind-instance-sealed = Система мӯҳр шуд
audit-kind-user-created = Ҳисоб сохта шуд
audit-kind-user-roles = Нақшҳо тағйир ёфтанд
audit-kind-user-renamed = Ном тағйир ёфт
audit-kind-user-disabled = Ҳисоб ғайрифаъол шуд
audit-kind-user-enabled = Ҳисоб аз нав фаъол шуд
audit-kind-user-password-reset = Парол аз нав танзим шуд
audit-kind-user-password-changed = Парол иваз шуд
audit-kind-instance-passphrase-changed = Ибораи махфӣ иваз шуд
audit-kind-access-denied = Дастрасӣ рад шуд
audit-kind-vocab-term-added = Истилоҳи луғат илова шуд
audit-kind-vocab-term-relabelled = Номи истилоҳи луғат иваз шуд
audit-kind-vocab-term-deprecated = Истилоҳи луғат аз истифода бароварда ё барқарор шуд
audit-kind-case-created = Парванда кушода шуд
audit-kind-case-updated = Парванда тағйир ёфт
audit-kind-case-deleted = Парванда нест карда шуд (бо нигоҳ доштани осор)
audit-kind-case-restored = Парванда барқарор шуд
audit-kind-case-team = Гурӯҳи парванда тағйир ёфт
audit-kind-case-viewed = Парванда дида шуд
audit-kind-identity-revealed = Шахсият ошкор шуд

## Мӯҳр кардан
seal-title = Ҳозир мӯҳр кардан
seal-explain = Мӯҳр кардан калидҳоро фавран аз хотираи сервер пок мекунад: ҳамаи ҷаласаҳо қатъ мешаванд ва то касе ибораи махфиро дар саҳифаи кушодан ворид накунад, ҳеҷ кас маълумотро хонда наметавонад. Агар ба офис ё сервер хатар таҳдид кунад, аз ин истифода баред.
seal-confirm = Системаро ҳозир мӯҳр кардан

## Тасдиқҳо
user-disable-confirm-title = Ин ҳисобро ғайрифаъол кунем?
user-disable-confirm-body = { $username } ворид шуда наметавонад ва ҳамаи ҷаласаҳои кушодаи ин ҳисоб дарҳол қатъ мешаванд. Баъдтар ҳисобро аз нав фаъол кардан мумкин аст.
user-reset-password-confirm-title = Ин паролро аз нав танзим кунем?
user-reset-password-confirm-body = { $username } пароли муваққатӣ мегирад, ки шумо онро як бор мебинед; ҳамаи ҷаласаҳои кушодаи ин ҳисоб дарҳол қатъ мешаванд ва ҳангоми воридшавии навбатӣ бояд пароли нав интихоб карда шавад.

## Тафсилоти феҳрист
audit-detail-reason = сабаб
audit-detail-via = тарз
audit-detail-roles = нақшҳо
audit-detail-from = пеш аз он
audit-detail-to = баъд аз он
audit-detail-path = саҳифа
audit-detail-action = амал
audit-value-wrong-password = пароли нодуруст
audit-value-unknown-account = ҳисоби номаълум
audit-value-disabled = ҳисоб ғайрифаъол аст
audit-value-throttled = кӯшишҳо аз ҳад зиёд
audit-value-web = саҳифаи веб
audit-value-cli = сатри фармон
audit-value-signal = сигнал
audit-value-shutdown = қатъи сервер
audit-value-demo = омодасозии намоишӣ
audit-value-init = сохтани система
audit-value-view = дидан
audit-value-create = сохтан
audit-value-update = тағйир додан
audit-value-disable = ғайрифаъол кардан
audit-value-resetpassword = аз нав танзим кардани парол
audit-value-seal = мӯҳр кардан

## Луғатҳо
nav-vocab = Луғатҳо
vocab-title = Луғатҳо
vocab-intro = Рӯйхатҳои назоратшаванда барои сабтҳои парвандаҳо: тезаурусҳои HURIDOCS ва рӯйхатҳои худи эътилоф. Истилоҳҳо ҳеҷ гоҳ нест карда намешаванд: истилоҳи аз истифода баровардашуда дар сабтҳои кӯҳна мемонад ва аз шаклҳои нав нопадид мешавад.
vocab-list = Рӯйхат
vocab-id = Рамз
vocab-terms = Истилоҳҳо
vocab-code = Рамз
vocab-deprecated = аз истифода бароварда шуд
vocab-in-use = истифода мешавад
vocab-local = аз ҷониби эътилоф илова шуд
vocab-relabelled = номаш иваз шуд
vocab-add = Илова кардани истилоҳ
vocab-add-note = Истилоҳҳои нав рамзеро дар фазои эътилоф мегиранд, ки бо TJ. оғоз мешавад (масалан, TJ.ACT.HAZING), то ҳеҷ гоҳ бо рамзҳои HURIDOCS мувофиқ наояд.
vocab-parent = Истилоҳи болоӣ
vocab-back = Бозгашт ба ҳамаи луғатҳо
vocab-back-list = Бозгашт ба рӯйхат
vocab-term-title = Истилоҳ
vocab-deprecated-note = Ин истилоҳ аз истифода бароварда шудааст: сабтҳои кӯҳна онро нишон медиҳанд, шаклҳои нав дигар пешниҳод намекунанд.
vocab-restore = Барқарор кардани истилоҳ
vocab-deprecate = Аз истифода баровардан
vocab-deprecate-note = Истилоҳ аз шаклҳои нав нопадид мешавад. Сабтҳое, ки онро истифода мебаранд, нигоҳ медоранд.
vocab-bad-code = Рамз бояд бо TJ. оғоз шавад ва танҳо ҳарфҳои калони лотинӣ, рақамҳо, нуқта, хати зер ё нимтире дошта бошад (на зиёда аз 40 пас аз TJ.).
vocab-bad-labels = Истилоҳ бояд ном бо забонҳои русӣ, тоҷикӣ ва англисӣ дошта бошад.
vocab-code-taken = Чунин рамз аллакай дар рӯйхат ҳаст.
vocab-bad-parent = Истилоҳи болоӣ дар ин рӯйхат нест.
audit-detail-deprecated = аз истифода бароварда шуд
yes = ҳа
no = не

## Парвандаҳо
nav-cases = Парвандаҳо
cases-title = Парвандаҳо
cases-empty = Парвандае барои нишон додан нест. Парвандаҳо вақте пайдо мешаванд, ки шумо узви гурӯҳи онҳо бошед.
case-new-title = Кушодани парванда
case-edit-title = Тағйир додани парванда
case-title = Парванда
case-number = Рақам
case-field-title = Сарлавҳа
case-field-status = Ҳолат
case-field-region = Минтақа
case-field-hotline = Хати боварии муроҷиат
case-field-summary = Шарҳи мухтасар
case-field-number = Рақам
case-field-lead = Ҳуқуқшиноси масъул
case-field-deleted = Нест карда шуд
case-opened = Кушода шуд
case-deleted = нест карда шуд
case-title-help = Ҳеҷ гоҳ номи ҷабрдидаро дар сарлавҳа нанависед: он дар рӯйхатҳо дида мешавад.
case-bad-title = Сарлавҳа бояд аз 1 то 200 аломат бошад.
case-bad-summary = Шарҳ аз 20 000 аломат дарозтар аст.
case-bad-choice = Минтақа ё хати боварии интихобшуда дар рӯйхат нест. Аз нав интихоб кунед.
case-deleted-because = Ин парванда нест карда шудааст (осораш нигоҳ дошта шуд). Сабаб: { $reason }
case-restore = Барқарор кардани парванда
case-history-title = Таърих
case-next-step = Қадами навбатӣ
case-reason = Сабаб
case-team = Гурӯҳ
case-team-identity = маълумоти шахсиро мебинад
case-team-remove = хориҷ кардан
case-team-add = Илова кардани узв (номи корбар)
case-team-identity-grant = Метавонад маълумоти шахсиро бинад (номҳо, тамос)
case-team-add-button = Ба гурӯҳ илова кардан
case-delete-title = Нест кардани парванда
case-version = Версия
case-history-field = Майдон
case-history-before = Пеш аз он
case-history-after = Баъд аз он
case-back = Бозгашт ба парванда
case-delete-explain = Нест кардан осор мегузорад: парванда аз рӯйхатҳо нопадид мешавад, ҳеҷ чиз пок карда намешавад ва ҳамоҳангсоз метавонад онро барқарор кунад. Сабабро нависед.
case-transition-refused = Ин қадам аз ҳолати ҷорӣ имконнопазир аст. Қадамҳои имконпазир: { $allowed }.
case-reason-required = Барои ин қадам сабаб лозим аст.
case-conflict = Каси дигар ин парвандаро дар ин миён тағйир дод. Ҳеҷ чиз аз нав навишта нашуд; саҳифаи парвандаро аз нав кушоед ва такрор кунед.
case-team-unknown-user = Ҳисоби фаъол бо чунин номи корбар нест.
case-status-intake-screening = Арзёбии аввалия
case-status-open = Кушода (ҳуҷҷатгузорӣ)
case-status-active = Дар ҷараён
case-status-pending = Боздошта (интизорӣ)
case-status-referred-out = Ба ташкилоти дигар супорида шуд
case-status-closed = Пӯшида
case-event-in-mandate = Дар доираи ваколат: кушодан
case-event-refer-out = Берун аз ваколат: супоридан
case-event-close-out-of-mandate = Берун аз ваколат: пӯшидан
case-event-documentation-done = Ҳуҷҷатгузорӣ анҷом ёфт: ба ҷараён
case-event-wait = Интизори ҷавоби мақомот ё мизоҷ
case-event-resume = Аз нав оғоз кардани кор
case-event-close = Пӯшидани парванда
case-event-reopen = Аз нав кушодани парванда
case-change-created = кушода шуд
case-change-updated = тағйир ёфт
case-change-deleted = нест карда шуд
case-change-restored = барқарор шуд
