## Сомонаи оммавӣ (вазифаи 8)

site-name = Эътилоф бар зидди шиканҷа дар Тоҷикистон
site-tagline = Мо ҳолатҳои шиканҷа ва муносибати бераҳмонаро ҳуҷҷатгузорӣ мекунем, ҷабрдидагонро дар суд ҳимоя мекунем, ба барқароршавии онҳо кӯмак мерасонем ва дар бораи он чи медонем, хабар медиҳем.
site-menu = Менюи сомона
site-home = Саҳифаи асосӣ
site-library = Китобхона
site-library-all = Ҳамаи нашрияҳо
site-library-description = Мақолаҳо, ҳуҷҷатҳои сиёсӣ, таҳқиқотҳо, мусоҳибаҳо, иттилоияҳои матбуотӣ ва гузоришҳои эътилоф.
site-library-year = Соли { $year } нашр шудааст
site-library-tag = Барчасп: { $tag }
site-page-number = саҳифаи { $number }
site-statistics = Омор
site-statistics-description = Рақамҳо аз рӯи парвандаҳои эътилоф ҳисоб карда шудаанд. Ҳуҷайраҳои аз 1 то 4 ва онҳое, ки аз рӯяшон ин рақамҳоро ёфтан мумкин аст, пинҳон карда шудаанд, то касе шинохта нашавад.
site-statistics-more = Ҳамаи омори кушода
site-page-members = Аъзоёни эътилоф
site-page-groups = Гурӯҳҳои корӣ
site-page-principles = Принсипҳо
site-page-contacts = Тамос
site-page-empty = Ин саҳифа ҳоло навишта нашудааст.
site-footer = Ҳама чизи ин сомонаро нусхабардорӣ ва паҳн кардан мумкин аст. Сомона бе JavaScript кор мекунад ва аз сомонаҳои дигар чизе бор намекунад.
site-feed = Навори нашрияҳо (Atom)
site-help = Ҳозир ба кӯмак ниёз доред?
site-help-body = Агар шумо ё наздикони шуморо шиканҷа карда бошанд, бо онҳо бераҳмона муносибат карда бошанд ё ҳоло дар ҳабс нигоҳ доранд, ба хатҳои боварии мо занг занед. Занг ройгон ва махфӣ аст.
site-hotlines = Хатҳои боварӣ
site-report = Бе ном хабар диҳед
site-report-safe = Шакл номи шуморо намепурсад. Агар худатон нанависед, дар бораи шумо чизе нигоҳ дошта намешавад.
site-report-offline = Ин нусхаи сомона аст. Шакли хабардиҳии беном танҳо дар сомонаи эътилоф дар интернет кор мекунад; хатҳои боварӣ ҳамеша кушодаанд.
site-latest = Нашрияҳои нав
site-nothing-yet = Ҳоло чизе нашр нашудааст.
site-figures = Бо рақамҳо
site-search = Чиро ҷустуҷӯ кардан
site-search-button = Ҷустуҷӯ
site-search-offline = Ин нусхаи сомона аст: ҷустуҷӯ дар сомонаи интернетӣ кор мекунад. Аз рӯйхатҳои паҳлӯ истифода баред.
site-kind = Навъ
site-year = Сол
site-language = Забон
site-any = ҳар кадом
site-tags = Барчаспҳо
site-filters = Бахшҳои китобхона
site-pages = Саҳифаҳо
site-found = { $count ->
    [one] { $count } нашрия
   *[other] { $count } нашрия
}
site-nothing-found = Чизе ёфт нашуд.
site-files = Файлҳо
site-also-at = Инчунин дар ин ҷо нашр шудааст:
site-size-kb = { $size } КБ
site-size-mb = { $size } МБ
site-not-found = Саҳифа ёфт нашуд
site-not-found-body = Дар сомона чунин саҳифа нест. Шояд он кӯчонида ё бардошта шудааст.
site-closed = Сомона муваққатан баста аст
site-closed-body = Лутфан, баъдтар ворид шавед.
site-error = Хатое рух дод
site-error-body = Лутфан, пас аз лаҳзае бори дигар кӯшиш кунед.

## Нашр, дар дохили ozodi

field-lang = Забони матн
field-translation_of = Тарҷумаи нашрия
field-authors = Муаллифон
field-tags = Барчаспҳо (бо вергул)
field-summary = Хулоса (Markdown)
field-body = Матн (Markdown: **ғафс**, *хам*, [пайванд](https://…), рӯйхатҳо, ҷадвалҳо; бе HTML)
publishing-title = Сомонаи оммавӣ
publishing-stage = Марҳила
publishing-stage-draft = Сиёҳнавис
publishing-stage-review = Интизори санҷиш
publishing-stage-published = Нашр шудааст
publishing-public-version = дар сомона версияи { $version } аст
publishing-behind = Ин версия бо версияи нашршуда якхела нест: барои нашри тағйирот онро ба санҷиш фиристед.
publishing-history = Ҷараёни кор
publishing-no-steps = Ҳоло ба санҷиш фиристода нашудааст.
publishing-note = Сабаб
publishing-preview = Дидан, ки дар сомона чӣ гуна менамояд
publishing-preview-note = Пешнамоиш: сомонаи оммавӣ версияи ҷориро пас аз нашр ҳамин тавр нишон медиҳад.
publishing-back = Ба нашрия
publishing-do-submit = Ба санҷиш фиристодан
publishing-do-return = Ба муаллиф баргардондан
publishing-do-publish = Ин версияро нашр кардан
publishing-do-unpublish = Аз сомона гирифтан
publishing-step-submit = ба санҷиш фиристода шуд
publishing-step-return = ба муаллиф баргардонида шуд
publishing-step-publish = нашр шуд
publishing-step-unpublish = аз сомона гирифта шуд
publishing-missing-lang = Забони матнро интихоб кунед: русӣ, тоҷикӣ ё англисӣ.
publishing-missing-body = Хулоса ё матн нависед.
publishing-has-problems = Дар матн пайвандҳо ё тасвирҳое ҳастанд, ки нашрашон мумкин нест (дар боло). Аввал онҳоро ислоҳ кунед.
publishing-conflict = Нашрия пас аз кушодани саҳифа тағйир ёфт ё каси дигар қадам гузошт. Версияи ҷориро хонед ва бори дигар кӯшиш кунед.
site-step-not-allowed = Дар ин марҳила чунин қадам имконнопазир аст.
site-step-incomplete = Ҳоло нашр кардан мумкин нест: { $missing }
markup-problem-internal = Пайванд ба системаи дохилиро нашр кардан мумкин нест: { $link }. Ба парванда тавассути тавсифи кушода ва бе номи он ишора кунед.
markup-problem-scheme = Чунин пайванд иҷозат дода намешавад: { $link }
markup-problem-remote-image = Тасвирҳо аз сомонаҳои дигар нишон дода намешаванд (сомона аз берун чизе бор намекунад): { $link }. Тасвирро ҳамчун файл замима кунед.
audit-kind-publication-step = Қадами нашр
audit-kind-site-page = Саҳифаи сомона тағйир ёфт
audit-kind-publication-file = Файли нашрия тағйир ёфт
audit-kind-publications-imported = Воридоти нашрияҳо

## Воридоти нашрияҳои мавҷуда (ozodi site import)

site-import-missing-title = сарлавҳа нест
site-import-bad-date = санаро хондан ғайриимкон аст (2024-05-14, 14.05.2024, 2024-05 ё 2024 нависед)
site-import-bad-kind = навъи номаълуми нашрия
site-import-bad-language = забони номаълум (ru, tg ё en)
site-import-missing-file = файл нест
site-import-unsafe-path = роҳи файл аз ҳудуди ҷузвдон берун меравад
site-import-unreadable-file = файл хонда намешавад
site-import-not-utf8 = файл дар рамзгузории UTF-8 нест (онро дар UTF-8 нигоҳ доред)
site-import-unsupported-type = танҳо файлҳои Markdown (.md) ва HTML (.html) қабул мешаванд
site-import-empty-body = дар файл матн нест
site-import-duplicate-key = дар яке аз сатрҳои боло ҳамон id ё файл ҳаст
site-import-too-large = файл аз 5 МБ калон аст
site-import-too-deep = HTML барои табдил хеле чуқур ҷойгир шудааст
site-import-invalid = арзиш ба шакли нашрия мувофиқ нест
site-import-unpublishable = нигоҳ дошта шуд, вале дар ин ҳол нашр кардан мумкин нест
site-import-error-index-type = индекс бояд index.csv, index.yaml ё index.yml бошад
site-import-error-encoding = индекс дар рамзгузории UTF-8 нест (онро дар UTF-8 нигоҳ доред)
site-import-error-index = индекс хонда намешавад
site-import-error-columns = дар индекс сутуни title ё file нест

## Файлҳои нашрия

publishing-files = Файлҳо
publishing-no-files = Файл замима нашудааст.
publishing-file-remove = Бардоштан
publishing-attach = PDF ё тасвир замима кунед (JPEG, PNG; на зиёда аз 20 МБ)
publishing-attach-help = Тасвирҳо бе маълумоти пинҳонӣ (ҷой, камера, муаллиф) нигоҳ дошта мешаванд. PDF ҳамон тавре ки ҳаст нашр мешавад: пеш аз замима хусусиятҳои онро барои номҳо санҷед. Файлҳо бо версияи навбатии нашршуда оммавӣ мешаванд.
publishing-attach-button = Замима кардан
publishing-file-too-large = Файл аз 20 МБ калон аст.
publishing-file-missing = Файлро интихоб кунед.
publishing-file-type = Танҳо ҳуҷҷатҳои PDF ва тасвирҳои JPEG ё PNG замима карда мешаванд.

## Саҳифаҳои сомона, дар дохили ozodi

site-pages-title = Саҳифаҳои сомонаи оммавӣ
site-pages-intro = Эътилоф кист ва чӣ тавр бо он тамос гирифтан мумкин аст, бо ҳар забон. Саҳифаи нигоҳдошта фавран дар сомона пайдо мешавад.
site-pages-page = Саҳифа
site-pages-empty = ҳоло навишта нашудааст
site-pages-field-title = Сарлавҳа
site-pages-bad-title = Ба саҳифа сарлавҳае то 200 аломат, бе аломатҳои идоракунӣ диҳед.
site-pages-bad-body = Матн хеле дароз аст (на зиёда аз 60 000 аломат) ё аломатҳои идоракунӣ дорад.

## Ишора ба парванда

field-cited_cases = Парвандаҳое, ки нашрия ба онҳо ишора мекунад (рақамҳо ба монанди TJ-2026-0042, бо вергул): мардум танҳо тавсифи кушодаи ҳар парвандаро мебинанд
publishing-missing-cited_cases = Яке аз парвандаҳо ҳоло тавсифи кушода надорад (ё чунин парванда нест): онро ҳимоятгар дар саҳифаи парванда менависад.
site-cases-cited = Парвандаҳое, ки эътилоф ҳуҷҷатгузорӣ кардааст
case-public-summary = Тавсифи кушода
case-public-summary-help = Он чи мардум дар нашрияе, ки ба ин парванда ишора мекунад, мебинанд: бе номҳо, ҷойҳо ва санаҳои дақиқ, бе ҳар чизе, ки касеро шинохтан имкон медиҳад. Нашрияҳо онро ҳангоми нашр нусхабардорӣ мекунанд.
case-public-summary-none = Тавсифи кушода нест: нашрияҳо ба ин парванда ишора карда наметавонанд.
case-public-summary-bad = Тавсифи кушода хеле дароз аст (на зиёда аз 3000 аломат) ё аломатҳои идоракунӣ дорад.
