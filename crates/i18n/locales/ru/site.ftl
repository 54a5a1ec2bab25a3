## Публичный сайт (задача 8)

site-name = Коалиция против пыток в Таджикистане
site-tagline = Документируем пытки и жестокое обращение, защищаем пострадавших в суде, помогаем им восстановиться и рассказываем о том, что узнали.
site-menu = Меню сайта
site-home = Главная
site-library = Библиотека
site-library-all = Все публикации
site-library-description = Статьи, программные документы, исследования, интервью, пресс-релизы и доклады коалиции.
site-library-year = Опубликовано в { $year } году
site-library-tag = Тег: { $tag }
site-page-number = страница { $number }
site-statistics = Статистика
site-statistics-description = Цифры рассчитаны по делам коалиции. Ячейки от 1 до 4 и те, по которым их можно вычислить, скрыты, чтобы никого нельзя было опознать.
site-statistics-more = Вся открытая статистика
site-page-members = Члены коалиции
site-page-groups = Рабочие группы
site-page-principles = Принципы
site-page-contacts = Контакты
site-page-empty = Эта страница ещё не написана.
site-footer = Всё на этом сайте можно копировать и распространять. Сайт работает без JavaScript и ничего не загружает с других сайтов.
site-feed = Лента публикаций (Atom)
site-help = Нужна помощь сейчас?
site-help-body = Если вас или вашего близкого пытали, с ним жестоко обращались или его удерживают прямо сейчас, позвоните на наши горячие линии. Звонок бесплатный и конфиденциальный.
site-hotlines = Горячие линии
site-report = Сообщить анонимно
site-report-safe = Форма не спрашивает имени. О вас ничего не сохраняется, если вы сами этого не напишете.
site-report-offline = Это копия сайта. Анонимная форма сообщения работает только на сайте коалиции в интернете; горячие линии открыты всегда.
site-latest = Новые публикации
site-nothing-yet = Пока ничего не опубликовано.
site-figures = В цифрах
site-search = Что искать
site-search-button = Найти
site-search-offline = Это копия сайта: поиск работает на сайте в интернете. Пользуйтесь списками сбоку.
site-kind = Вид
site-year = Год
site-language = Язык
site-any = любой
site-tags = Теги
site-filters = Разделы библиотеки
site-pages = Страницы
site-found = { $count ->
    [one] { $count } публикация
    [few] { $count } публикации
   *[other] { $count } публикаций
}
site-nothing-found = Ничего не найдено.
site-files = Файлы
site-also-at = Также опубликовано здесь:
site-size-kb = { $size } КБ
site-size-mb = { $size } МБ
site-not-found = Страница не найдена
site-not-found-body = Такой страницы на сайте нет. Возможно, её перенесли или сняли.
site-closed = Сайт временно закрыт
site-closed-body = Пожалуйста, зайдите позже.
site-error = Что-то пошло не так
site-error-body = Пожалуйста, попробуйте ещё раз чуть позже.

## Публикация, внутри ozodi

field-lang = Язык текста
field-translation_of = Перевод публикации
field-authors = Авторы
field-tags = Теги (через запятую)
field-summary = Краткое содержание (Markdown)
field-body = Текст (Markdown: **жирный**, *курсив*, [ссылка](https://…), списки, таблицы; без HTML)
publishing-title = Публичный сайт
publishing-stage = Этап
publishing-stage-draft = Черновик
publishing-stage-review = Ждёт проверки
publishing-stage-published = Опубликовано
publishing-public-version = на сайте версия { $version }
publishing-behind = Эта версия не совпадает с опубликованной: отправьте её на проверку, чтобы опубликовать изменения.
publishing-history = Ход работы
publishing-no-steps = Ещё не отправлено на проверку.
publishing-note = Причина
publishing-preview = Посмотреть, как на сайте
publishing-preview-note = Предпросмотр: так публичный сайт покажет текущую версию после публикации.
publishing-back = К публикации
publishing-do-submit = Отправить на проверку
publishing-do-return = Вернуть автору
publishing-do-publish = Опубликовать эту версию
publishing-do-unpublish = Снять с сайта
publishing-step-submit = отправлено на проверку
publishing-step-return = возвращено автору
publishing-step-publish = опубликовано
publishing-step-unpublish = снято с сайта
publishing-missing-lang = Укажите язык текста: русский, таджикский или английский.
publishing-missing-body = Напишите краткое содержание или текст.
publishing-has-problems = В тексте есть ссылки или изображения, которые нельзя публиковать (см. выше). Сначала исправьте их.
publishing-conflict = Публикация изменилась после открытия страницы, или кто-то уже сделал шаг. Прочитайте текущую версию и повторите.
site-step-not-allowed = На этом этапе такой шаг невозможен.
site-step-incomplete = Пока нельзя опубликовать: { $missing }
markup-problem-internal = Ссылку на внутреннюю систему публиковать нельзя: { $link }. Ссылайтесь на дело через его открытое обезличенное описание.
markup-problem-scheme = Такая ссылка не допускается: { $link }
markup-problem-remote-image = Изображения с других сайтов не показываются (сайт ничего не загружает извне): { $link }. Прикрепите изображение файлом.
audit-kind-publication-step = Шаг публикации
audit-kind-site-page = Изменена страница сайта
audit-kind-publication-file = Изменён файл публикации
audit-kind-publications-imported = Импорт публикаций

## Импорт существующих публикаций (ozodi site import)

site-import-missing-title = нет заголовка
site-import-bad-date = не удаётся прочитать дату (пишите 2024-05-14, 14.05.2024, 2024-05 или 2024)
site-import-bad-kind = неизвестный вид публикации
site-import-bad-language = неизвестный язык (ru, tg или en)
site-import-missing-file = файла нет
site-import-unsafe-path = путь к файлу выходит за пределы папки
site-import-unreadable-file = файл не читается
site-import-not-utf8 = файл не в кодировке UTF-8 (сохраните его в UTF-8)
site-import-unsupported-type = принимаются только файлы Markdown (.md) и HTML (.html)
site-import-empty-body = в файле нет текста
site-import-duplicate-key = в одной из строк выше тот же id или файл
site-import-too-large = файл больше 5 МБ
site-import-too-deep = HTML слишком глубоко вложен, чтобы его преобразовать
site-import-invalid = значение не подходит для формы публикации
site-import-unpublishable = сохранено, но в таком виде опубликовать нельзя
site-import-error-index-type = индекс должен называться index.csv, index.yaml или index.yml
site-import-error-encoding = индекс не в кодировке UTF-8 (сохраните его в UTF-8)
site-import-error-index = индекс не читается
site-import-error-columns = в индексе нет столбца title или file

## Файлы публикации

publishing-files = Файлы
publishing-no-files = Файлы не прикреплены.
publishing-file-remove = Убрать
publishing-attach = Прикрепить PDF или изображение (JPEG, PNG; не больше 20 МБ)
publishing-attach-help = Изображения сохраняются без скрытых данных (место, камера, автор). PDF публикуется как есть: перед прикреплением проверьте его свойства на имена. Файлы становятся открытыми со следующей опубликованной версией.
publishing-attach-button = Прикрепить
publishing-file-too-large = Файл больше 20 МБ.
publishing-file-missing = Выберите файл.
publishing-file-type = Прикрепить можно только документы PDF и изображения JPEG или PNG.

## Страницы сайта, внутри ozodi

site-pages-title = Страницы публичного сайта
site-pages-intro = Кто такая коалиция и как с ней связаться, на каждом языке. Сохранённая страница сразу появляется на сайте.
site-pages-page = Страница
site-pages-empty = ещё не написана
site-pages-field-title = Заголовок
site-pages-bad-title = Укажите заголовок страницы длиной не более 200 символов, без управляющих символов.
site-pages-bad-body = Текст слишком длинный (не более 60 000 символов) или содержит управляющие символы.

## Ссылка на дело

field-cited_cases = Дела, на которые ссылается публикация (номера вида TJ-2026-0042 через запятую): публике видно только открытое описание каждого дела
publishing-missing-cited_cases = У одного из дел ещё нет открытого описания (или такого дела нет): его пишет адвокат на странице дела.
site-cases-cited = Дела, задокументированные коалицией
case-public-summary = Открытое описание
case-public-summary-help = Что увидит публика в публикации, которая ссылается на это дело: без имён, точных мест и дат, без всего, что позволяет кого-то опознать. Публикации копируют его в момент публикации.
case-public-summary-none = Открытого описания нет: публикации не могут ссылаться на это дело.
case-public-summary-bad = Открытое описание слишком длинное (не более 3000 символов) или содержит управляющие символы.
