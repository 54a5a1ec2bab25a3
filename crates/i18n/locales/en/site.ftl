## The public website (issue 8)

site-name = Coalition against Torture in Tajikistan
site-tagline = Documenting torture and ill-treatment, defending victims in court, supporting their recovery and reporting what we find.
site-menu = Site menu
site-home = Home
site-library = Library
site-library-all = All publications
site-library-description = Articles, policy documents, studies, interviews, press releases and reports of the coalition.
site-library-year = Published in { $year }
site-library-tag = Tag: { $tag }
site-page-number = page { $number }
site-statistics = Statistics
site-statistics-description = Figures computed from the coalition's case records. Cells from 1 to 4, and any that would reveal them, are withheld so that nobody can be identified.
site-statistics-more = All public statistics
site-page-members = Members
site-page-groups = Working groups
site-page-principles = Principles
site-page-contacts = Contacts
site-page-empty = This page has not been written yet.
site-footer = Everything on this site can be copied and shared. It works without JavaScript and loads nothing from other sites.
site-feed = Publications feed (Atom)
site-help = Need help now?
site-help-body = If you or someone close to you was tortured or ill-treated, or is being held right now, call our hotlines. The call is free and confidential.
site-hotlines = Hotlines
site-report = Report anonymously
site-report-safe = The form asks for no name. Nothing about you is stored unless you write it.
site-report-offline = This is a copy of the site. The anonymous report form works only on the coalition's online site; the hotlines are always open.
site-latest = Latest publications
site-nothing-yet = Nothing has been published yet.
site-figures = In figures
site-search = Words to search for
site-search-button = Search
site-search-offline = This is a copy of the site: search works on the online site. Use the lists on the side to browse.
site-kind = Kind
site-year = Year
site-language = Language
site-any = any
site-tags = Tags
site-filters = Browse the library
site-pages = Pages
site-found = { $count ->
    [one] { $count } publication
   *[other] { $count } publications
}
site-nothing-found = No publication matches.
site-files = Files
site-also-at = Also published at
site-size-kb = { $size } KB
site-size-mb = { $size } MB
site-not-found = Page not found
site-not-found-body = There is no such page on this site. It may have been moved or taken down.
site-closed = The site is closed for a while
site-closed-body = Please come back later.
site-error = Something went wrong
site-error-body = Please try again in a moment.

## Publishing, inside ozodi

field-lang = Language of the text
field-translation_of = Translation of
field-authors = Authors
field-tags = Tags (separated by commas)
field-summary = Summary (Markdown)
field-body = Text (Markdown: **bold**, *italic*, [link](https://…), lists, tables; no HTML)
publishing-title = Public site
publishing-stage = Stage
publishing-stage-draft = Draft
publishing-stage-review = Waiting for review
publishing-stage-published = Published
publishing-public-version = version { $version } is on the public site
publishing-behind = This version is not the public one: send it for review to publish the changes.
publishing-history = Course
publishing-no-steps = Not yet sent for review.
publishing-note = Why
publishing-preview = Preview as the site shows it
publishing-preview-note = Preview: this is how the public site will show the current version once it is published.
publishing-back = Back to the publication
publishing-do-submit = Send for review
publishing-do-return = Send back to the author
publishing-do-publish = Publish this version
publishing-do-unpublish = Take off the public site
publishing-step-submit = sent for review
publishing-step-return = sent back
publishing-step-publish = published
publishing-step-unpublish = taken off the site
publishing-missing-lang = Choose the language of the text: Russian, Tajik or English.
publishing-missing-body = Write a summary or a text.
publishing-has-problems = The text has links or pictures that cannot go public (listed above). Correct them first.
publishing-conflict = The publication changed since this page was opened, or someone else took a step. Read the current version and try again.
site-step-not-allowed = This step is not possible at this stage.
site-step-incomplete = Cannot be published yet: { $missing }
markup-problem-internal = A link into the internal system cannot be published: { $link }. Cite a case through its public, anonymised summary instead.
markup-problem-scheme = This kind of link is not allowed: { $link }
markup-problem-remote-image = Pictures from other sites cannot be shown (the site loads nothing from elsewhere): { $link }. Attach the picture instead.
audit-kind-publication-step = Publication step
audit-kind-site-page = Site page changed
audit-kind-publication-file = Publication file changed
audit-kind-publications-imported = Publications imported

## Importing existing publications (ozodi site import)

site-import-missing-title = no title
site-import-bad-date = the date cannot be read (write 2024-05-14, 14.05.2024, 2024-05 or 2024)
site-import-bad-kind = unknown kind of publication
site-import-bad-language = unknown language (ru, tg or en)
site-import-missing-file = the file is missing
site-import-unsafe-path = the file's path leaves the folder
site-import-unreadable-file = the file cannot be read
site-import-not-utf8 = the file is not UTF-8 text (save it as UTF-8)
site-import-unsupported-type = only Markdown (.md) and HTML (.html) files are taken
site-import-empty-body = the file has no text
site-import-duplicate-key = an earlier row has the same id or file
site-import-too-large = the file is larger than 5 MB
site-import-too-deep = the HTML is nested too deeply to convert
site-import-invalid = a value does not fit the publication's form
site-import-unpublishable = stored, but it cannot be published as it is
site-import-error-index-type = the index must be index.csv, index.yaml or index.yml
site-import-error-encoding = the index is not UTF-8 text (save it as UTF-8)
site-import-error-index = the index cannot be read
site-import-error-columns = the index has no title or file column

## Files of a publication

publishing-files = Files
publishing-no-files = No file attached.
publishing-file-remove = Remove
publishing-attach = Attach a PDF or a picture (JPEG, PNG; at most 20 MB)
publishing-attach-help = Pictures are stored without their hidden data (place, camera, author). A PDF is published as it is: check its properties for names before attaching it. Files go public with the next published version.
publishing-attach-button = Attach
publishing-file-too-large = The file is larger than 20 MB.
publishing-file-missing = Choose a file to attach.
publishing-file-type = Only PDF documents and JPEG or PNG pictures can be attached.

## The site's own pages, inside ozodi

site-pages-title = Pages of the public site
site-pages-intro = Who the coalition is and how to reach it, in each language. A saved page is on the public site at once.
site-pages-page = Page
site-pages-empty = not written yet
site-pages-field-title = Title
site-pages-bad-title = Give the page a title of at most 200 characters, without control characters.
site-pages-bad-body = The text is too long (at most 60,000 characters) or holds control characters.

## Citing a case

field-cited_cases = Cases cited (numbers such as TJ-2026-0042, separated by commas): the public sees only each case's public summary
publishing-missing-cited_cases = A cited case has no public summary yet (or there is no such case): its lawyer writes it on the case's page.
site-cases-cited = Cases documented by the coalition
case-public-summary = Public summary
case-public-summary-help = What a publication that cites this case shows the public: no names, no exact places or dates, nothing that identifies anyone. Publications copy it when they are published.
case-public-summary-none = No public summary: publications cannot cite this case.
case-public-summary-bad = The public summary is too long (at most 3,000 characters) or holds control characters.
