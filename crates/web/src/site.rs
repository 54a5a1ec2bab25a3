//! The coalition's public website (issue 8), served on a listener of its own by [`router`]: the
//! home page, the library of publications with its search and filters, a page per publication,
//! the coalition's own pages, the public statistics, an Atom feed and a sitemap per language (and an index of the sitemaps).
//!
//! The site knows nobody: it reads no cookie and sets none, has no session, no CSRF token and no
//! link into the internal system, whose routes it does not have (a request for one is the site's
//! own 404). Every address is a file name (`ru/library.html`, `tg/publications/12.html`) and
//! every link is relative to the page, so the same pages, written to a folder by
//! [`export`], work from any static host or a USB stick. It reads only what was published: the
//! public copies of `site_published`, the files they list, the site's pages and the public
//! statistics tables, whose small cells are withheld.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use ozodi_domain::site::{LANGS, Page as SitePageKind};
use ozodi_i18n::Lang;
use ozodi_store::Store;
use ozodi_store::site::{PublicItem, SitePage};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use crate::state::AppState;

/// The stylesheet of the public site, embedded.
pub const SITE_CSS: &str = include_str!("../static/site.css");

/// Publications per page of the library.
pub const PER_PAGE: usize = 30;

/// The public site's router: only its own addresses, nothing of the internal application.
pub fn router(state: AppState) -> Router {
    use crate::handlers::{report, system};
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    // The anonymous report form is public too: the same pages as on the internal listener, which
    // know nobody either (`middleware::is_public`), with their stylesheet.
    let report_limit = report::MAX_FILES * report::MAX_FILE_BYTES + (1 << 20);
    let reports = Router::new()
        .route("/report", get(report::form).post(report::submit).layer(DefaultBodyLimit::max(report_limit)))
        .route("/report/follow-up", get(report::follow_up_form).post(report::follow_up))
        .route("/report/message", post(report::message))
        .route("/static/{hash}/ozodi.css", get(system::css))
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::middleware::context));
    Router::new()
        .merge(reports)
        .route("/", get(root))
        .route("/index.html", get(chooser))
        .route("/site.css", get(css))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route("/files/{file}", get(file))
        .route("/{lang}/{page}", get(language_page))
        .route("/{lang}/library/{filter}", get(library_filtered))
        .route("/{lang}/publications/{number}", get(publication))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(site_headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Serves the public site on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}

/// The site's headers: a policy that allows nothing but its own stylesheet and images, no
/// referrer, no framing, and caching for a few minutes (a slow link reloads nothing it has). No
/// cookie ever leaves: any `Set-Cookie` is removed.
async fn site_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.remove(header::SET_COOKIE);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    }
    response
}

/// Why a page of the site cannot be shown.
#[derive(Debug)]
enum SiteError {
    /// No such page.
    NotFound(Lang),
    /// The instance is sealed: nothing can be read until it is unsealed.
    Sealed,
    /// Anything else; logged, never shown.
    Internal(String),
}

impl From<ozodi_store::StoreError> for SiteError {
    fn from(e: ozodi_store::StoreError) -> Self {
        SiteError::Internal(e.to_string())
    }
}

impl From<askama::Error> for SiteError {
    fn from(e: askama::Error) -> Self {
        SiteError::Internal(e.to_string())
    }
}

#[derive(Template)]
#[template(path = "site/error.html")]
struct ErrorPage {
    f: Frame,
    heading: String,
    body: String,
}

impl IntoResponse for SiteError {
    fn into_response(self) -> Response {
        let (status, lang, heading, body) = match self {
            SiteError::NotFound(lang) => {
                (StatusCode::NOT_FOUND, lang, lang.t("site-not-found"), lang.t("site-not-found-body"))
            }
            SiteError::Sealed => {
                let all = |key: &str| Lang::ALL.map(|l| l.t(key)).join(" · ");
                (StatusCode::SERVICE_UNAVAILABLE, Lang::Ru, all("site-closed"), all("site-closed-body"))
            }
            SiteError::Internal(cause) => {
                tracing::error!(cause, "a page of the public site failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Lang::Ru,
                    Lang::Ru.t("site-error"),
                    Lang::Ru.t("site-error-body"),
                )
            }
        };
        // Error pages are answered at any depth: links from the site's root.
        let f = Frame::new(lang, "/", heading.clone(), String::new(), true);
        let mut response = match (ErrorPage { f, heading, body }).render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(_) => status.into_response(),
        };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

type SiteResult = Result<Response, SiteError>;

fn store(state: &AppState) -> Result<std::sync::Arc<dyn Store>, SiteError> {
    state.store().ok_or(SiteError::Sealed)
}

/// A language link of a page: the same page (or the same publication) in another language.
#[derive(Debug, Clone)]
struct Alternate {
    lang: &'static str,
    name: &'static str,
    href: String,
    current: bool,
}

/// The frame of every page of the site.
#[derive(Debug, Clone)]
struct Frame {
    lang: Lang,
    /// From this page to the site's root: `""`, `"../"`, `"../../"`; `/` on error pages.
    root: String,
    title: String,
    description: String,
    /// The page's address from the root (for its social preview and its canonical address).
    here: String,
    alternates: Vec<Alternate>,
    /// Served by the live site (a search box and the report form work there), not the copy.
    live: bool,
    /// The absolute address of the site, when configured.
    base_url: Option<String>,
    /// Which menu entry is this page's.
    section: &'static str,
    og_type: &'static str,
}

impl Frame {
    fn new(lang: Lang, root: &str, title: String, description: String, live: bool) -> Frame {
        Frame {
            lang,
            root: root.to_owned(),
            title,
            description,
            here: String::new(),
            alternates: Vec::new(),
            live,
            base_url: None,
            section: "",
            og_type: "website",
        }
    }

    /// A translation.
    fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A link to `path` (from the site's root) from this page.
    fn to(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    /// The language's own code.
    fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The absolute address of this page, when the site's address is configured.
    fn absolute(&self) -> Option<String> {
        self.base_url.as_ref().map(|b| format!("{b}{}", self.here))
    }

    /// The Open Graph locale of the language.
    fn locale(&self) -> &'static str {
        match self.lang {
            Lang::Ru => "ru_RU",
            Lang::Tg => "tg_TJ",
            Lang::En => "en_GB",
        }
    }
}

/// What the live site and the static copy differ in.
#[derive(Clone, Debug)]
struct Mode {
    live: bool,
    base_url: Option<String>,
}

impl axum::extract::FromRequestParts<AppState> for Mode {
    type Rejection = std::convert::Infallible;

    /// The static copy sets its mode as an extension; the live site is live, at the configured
    /// address or else at the one it was asked under.
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(mode) = parts.extensions.get::<Mode>() {
            return Ok(mode.clone());
        }
        let base_url = state.config().site_url.clone().or_else(|| {
            parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
                .map(|h| format!("http://{h}/"))
        });
        Ok(Mode { live: true, base_url })
    }
}

/// The frame of a page at `here` (a path from the root), with the same page in every language
/// as its alternates (`here` starts with the language's code).
fn frame(
    lang: Lang,
    here: &str,
    title: String,
    description: String,
    mode: &Mode,
    section: &'static str,
) -> Frame {
    let depth = here.matches('/').count();
    let mut f = Frame::new(lang, &"../".repeat(depth), title, description, mode.live);
    f.here = here.to_owned();
    f.base_url = mode.base_url.clone();
    f.section = section;
    let rest = here.split_once('/').map_or("index.html", |(_, r)| r);
    f.alternates = Lang::ALL
        .iter()
        .map(|l| Alternate {
            lang: l.code(),
            name: l.native_name(),
            href: format!("{}{}/{rest}", f.root, l.code()),
            current: *l == lang,
        })
        .collect();
    f
}

fn lang_of(code: &str) -> Result<Lang, SiteError> {
    Lang::parse(code).filter(|l| LANGS.contains(&l.code())).ok_or(SiteError::NotFound(Lang::Ru))
}

fn html(t: &impl Template) -> SiteResult {
    Ok(axum::response::Html(t.render()?).into_response())
}

/// `GET /`: the home page in the visitor's language.
async fn root(headers: HeaderMap) -> Response {
    let lang = ozodi_i18n::negotiate(
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""),
    );
    Redirect::to(&format!("/{}/index.html", lang.code())).into_response()
}

#[derive(Template)]
#[template(path = "site/chooser.html")]
struct Chooser {
    f: Frame,
}

/// `GET /index.html`: the three languages (the entry of the static copy).
async fn chooser(mode: Mode) -> SiteResult {
    chooser_page(&mode)
}

fn chooser_page(mode: &Mode) -> SiteResult {
    let mut f = frame(Lang::Ru, "index.html", Lang::Ru.t("site-name"), Lang::Ru.t("site-tagline"), mode, "");
    f.alternates = Lang::ALL
        .iter()
        .map(|l| Alternate {
            lang: l.code(),
            name: l.native_name(),
            href: format!("{}/index.html", l.code()),
            current: false,
        })
        .collect();
    html(&Chooser { f })
}

/// `GET /site.css`.
async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        SITE_CSS,
    )
        .into_response()
}

/// `GET /robots.txt`.
async fn robots(mode: Mode) -> Response {
    let sitemap = mode.base_url.map(|b| format!("Sitemap: {b}sitemap.xml\n")).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("User-agent: *\nAllow: /\n{sitemap}"))
        .into_response()
}

/// A publication in a list.
#[derive(Debug, Clone)]
struct ItemView {
    href: String,
    title: String,
    lang: String,
    kind: String,
    date: String,
    iso_date: String,
    summary: String,
}

/// Labels the site needs: the kinds of publication in each language.
struct Kinds(BTreeMap<String, ozodi_domain::vocab::Labels>);

impl Kinds {
    async fn load(store: &dyn Store) -> Result<Kinds, SiteError> {
        Ok(Kinds(
            store
                .vocabulary("publication_kind")
                .await?
                .iter()
                .map(|t| (t.code.clone(), t.labels.clone()))
                .collect(),
        ))
    }

    fn label(&self, lang: Lang, code: &str) -> String {
        self.0.get(code).map_or_else(|| code.to_owned(), |l| l.get(lang.code()).to_owned())
    }
}

/// What a list, a feed or a preview says of a publication: its summary, or the start of its text.
fn blurb(item: &PublicItem, max_chars: usize) -> String {
    let text = if item.summary.is_empty() { &item.body } else { &item.summary };
    ozodi_markup::excerpt(text, max_chars)
}

/// Links to the library's page of each of a publication's tags.
fn tag_links(f: &Frame, tags: &[String]) -> Vec<(String, String)> {
    tags.iter()
        .filter_map(|t| {
            ozodi_domain::site::slug(t).map(|s| (t.clone(), f.to(&Filter::Tag(s).page_path(f.lang, 1))))
        })
        .collect()
}

fn item_view(f: &Frame, kinds: &Kinds, item: &PublicItem) -> ItemView {
    ItemView {
        href: f.to(&publication_path(item)),
        title: item.title.clone(),
        lang: item.lang.clone(),
        kind: kinds.label(f.lang, &item.kind),
        date: f.lang.date(item.day),
        iso_date: item.day.to_string(),
        summary: blurb(item, 240),
    }
}

fn publication_path(item: &PublicItem) -> String {
    format!("{}/publications/{}.html", item.lang, item.seq)
}

/// A hotline as the public sees it.
#[derive(Debug, Clone)]
struct Hotline {
    name: String,
    numbers: Vec<(String, String)>,
}

async fn hotlines(state: &AppState, store: &dyn Store, lang: Lang) -> Result<Vec<Hotline>, SiteError> {
    let snapshot = crate::handlers::intake::current_snapshot(state, store)
        .await
        .map_err(|e| SiteError::Internal(format!("{e:?}")))?;
    Ok(snapshot
        .lines
        .iter()
        .filter(|l| l.active && !l.numbers.is_empty())
        .map(|l| Hotline {
            name: l.labels.get(lang.code()).to_owned(),
            numbers: l
                .numbers
                .iter()
                .map(|n| (n.clone(), n.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()))
                .collect(),
        })
        .collect())
}

/// A headline figure of the public statistics.
#[derive(Debug, Clone)]
struct Headline {
    label: String,
    value: String,
}

/// The total of each public table, small ones withheld like its cells.
async fn headlines(store: &dyn Store, lang: Lang) -> Result<Vec<Headline>, SiteError> {
    Ok(store
        .public_tables()
        .await?
        .iter()
        .map(|table| {
            let published = ozodi_domain::disclosure::publish(&table.counts);
            Headline {
                label: lang.t(&format!("stats-public-{}", table.code)),
                value: crate::handlers::statistics::entry(lang, published.total),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "site/home.html")]
struct HomePage {
    f: Frame,
    latest: Vec<ItemView>,
    figures: Vec<Headline>,
    hotlines: Vec<Hotline>,
}

/// `GET /{lang}/{page}`: the home page, the library, statistics, the feed or one of the
/// coalition's pages.
async fn language_page(
    State(state): State<AppState>,
    mode: Mode,
    Path((code, page)): Path<(String, String)>,
    Query(query): Query<LibraryQuery>,
) -> SiteResult {
    let lang = lang_of(&code)?;
    let store = store(&state)?;
    let page_name = page.strip_suffix(".html");
    match page_name {
        Some("index") => home(&state, store.as_ref(), lang, &mode).await,
        Some("statistics") => statistics(store.as_ref(), lang, &mode).await,
        Some(name) if name == "library" || name.starts_with("library.p") => {
            let number = name.strip_prefix("library.p").map_or(Some(1), |n| n.parse().ok());
            let number = number.filter(|n| *n >= 1).ok_or(SiteError::NotFound(lang))?;
            library(
                &state,
                store.as_ref(),
                lang,
                &mode,
                Filter::All,
                number,
                if mode.live { query } else { LibraryQuery::default() },
            )
            .await
        }
        Some(name) => match SitePageKind::parse(name) {
            Some(kind) => own_page(&state, store.as_ref(), lang, &mode, kind).await,
            None => Err(SiteError::NotFound(lang)),
        },
        None if page == "sitemap.xml" => sitemap_xml(&state, store.as_ref(), lang, &mode).await,
        None if page == "feed.atom" => feed(&state, store.as_ref(), lang, &mode).await,
        None => Err(SiteError::NotFound(lang)),
    }
}

async fn home(state: &AppState, store: &dyn Store, lang: Lang, mode: &Mode) -> SiteResult {
    let here = format!("{}/index.html", lang.code());
    let f = frame(lang, &here, lang.t("site-name"), lang.t("site-tagline"), mode, "home");
    let kinds = Kinds::load(store).await?;
    let items = state.site_catalogue(store).await?;
    // The newest in the page's language first, then the newest in any other.
    let mut latest: Vec<&PublicItem> = items.iter().filter(|i| i.lang == lang.code()).take(6).collect();
    if latest.len() < 6 {
        latest.extend(items.iter().filter(|i| i.lang != lang.code()).take(6 - latest.len()));
    }
    html(&HomePage {
        latest: latest.iter().map(|i| item_view(&f, &kinds, i)).collect(),
        figures: headlines(store, lang).await?,
        hotlines: hotlines(state, store, lang).await?,
        f,
    })
}

/// A filter of the library with a page of its own (so that the static copy has it too).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Filter {
    All,
    Kind(String),
    Year(i32),
    In(String),
    Tag(String),
}

impl Filter {
    fn parse(text: &str) -> Option<Filter> {
        let (what, value) = text.split_once('-')?;
        match what {
            "kind" if value.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                Some(Filter::Kind(value.into()))
            }
            "year" => value.parse().ok().filter(|y| (1900..=2200).contains(y)).map(Filter::Year),
            "in" if LANGS.contains(&value) => Some(Filter::In(value.into())),
            "tag" if ozodi_domain::site::slug(value).as_deref() == Some(value) => {
                Some(Filter::Tag(value.into()))
            }
            _ => None,
        }
    }

    /// Its page's path from the root without `.html` (`ru/library/kind-ARTICLE`).
    fn path(&self, lang: Lang) -> String {
        match self {
            Filter::All => format!("{}/library", lang.code()),
            Filter::Kind(k) => format!("{}/library/kind-{k}", lang.code()),
            Filter::Year(y) => format!("{}/library/year-{y}", lang.code()),
            Filter::In(l) => format!("{}/library/in-{l}", lang.code()),
            Filter::Tag(t) => format!("{}/library/tag-{t}", lang.code()),
        }
    }

    fn page_path(&self, lang: Lang, number: usize) -> String {
        match number {
            1 => format!("{}.html", self.path(lang)),
            n => format!("{}.p{n}.html", self.path(lang)),
        }
    }

    fn keeps(&self, item: &PublicItem) -> bool {
        match self {
            Filter::All => true,
            Filter::Kind(k) => item.kind == *k,
            Filter::Year(y) => item.day.year() == *y,
            Filter::In(l) => item.lang == *l,
            Filter::Tag(t) => {
                item.tags.iter().any(|tag| ozodi_domain::site::slug(tag).as_deref() == Some(t.as_str()))
            }
        }
    }
}

/// The live library's search: words, and any of the filters together.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LibraryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
    #[serde(default, rename = "in")]
    in_lang: String,
}

/// A choice of the library's side bar.
#[derive(Debug, Clone)]
struct Facet {
    /// The value the live search's form sends for it.
    code: String,
    label: String,
    href: String,
    count: usize,
    current: bool,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "site/library.html")]
struct LibraryPage {
    f: Frame,
    heading: String,
    items: Vec<ItemView>,
    total: usize,
    query: String,
    kind: String,
    year: String,
    in_lang: String,
    searched: bool,
    kinds: Vec<Facet>,
    years: Vec<Facet>,
    langs: Vec<Facet>,
    tags: Vec<Facet>,
    pages: Vec<(usize, String, bool)>,
    all_href: String,
}

async fn library_filtered(
    State(state): State<AppState>,
    mode: Mode,
    Path((code, name)): Path<(String, String)>,
) -> SiteResult {
    let lang = lang_of(&code)?;
    let store = store(&state)?;
    let name = name.strip_suffix(".html").ok_or(SiteError::NotFound(lang))?;
    let (filter, number) = match name.split_once(".p") {
        Some((f, n)) => (f, n.parse::<usize>().ok().filter(|n| *n >= 2).ok_or(SiteError::NotFound(lang))?),
        None => (name, 1),
    };
    let filter = Filter::parse(filter).ok_or(SiteError::NotFound(lang))?;
    library(&state, store.as_ref(), lang, &mode, filter, number, LibraryQuery::default()).await
}

async fn library(
    state: &AppState,
    store: &dyn Store,
    lang: Lang,
    mode: &Mode,
    filter: Filter,
    number: usize,
    query: LibraryQuery,
) -> SiteResult {
    let kinds = Kinds::load(store).await?;
    let items = state.site_catalogue(store).await?;
    let searched = !query.q.trim().is_empty()
        || !query.kind.is_empty()
        || !query.year.is_empty()
        || !query.in_lang.is_empty();
    let mut chosen: Vec<&PublicItem> = items.iter().filter(|i| filter.keeps(i)).collect();
    if searched {
        if !query.q.trim().is_empty() {
            let ranked = store.site_search(query.q.chars().take(200).collect::<String>().as_str()).await?;
            chosen = ranked.iter().filter_map(|seq| chosen.iter().find(|i| i.seq == *seq).copied()).collect();
        }
        chosen.retain(|i| {
            (query.kind.is_empty() || i.kind == query.kind)
                && (query.year.is_empty() || i.day.year().to_string() == query.year)
                && (query.in_lang.is_empty() || i.lang == query.in_lang)
        });
    }
    let total = chosen.len();
    let pages_count = total.div_ceil(PER_PAGE).max(1);
    if number > pages_count {
        return Err(SiteError::NotFound(lang));
    }
    let here = filter.page_path(lang, number);
    let kind_label = |k: &str| kinds.label(lang, k);
    let heading = match &filter {
        Filter::All => lang.t("site-library"),
        Filter::Kind(k) => kind_label(k),
        Filter::Year(y) => lang.t_args("site-library-year", &[("year", &y.to_string())]),
        Filter::In(l) => Lang::parse(l).map_or_else(|| l.clone(), |l| l.native_name().to_owned()),
        Filter::Tag(t) => {
            let shown = items
                .iter()
                .flat_map(|i| &i.tags)
                .find(|tag| ozodi_domain::site::slug(tag).as_deref() == Some(t.as_str()));
            lang.t_args("site-library-tag", &[("tag", shown.map_or(t.as_str(), |s| s.as_str()))])
        }
    };
    let mut f = frame(lang, &here, heading.clone(), lang.t("site-library-description"), mode, "library");
    if number > 1 {
        f.title =
            format!("{} · {}", heading, lang.t_args("site-page-number", &[("number", &number.to_string())]));
    }
    // The side bar counts over the whole library, each choice a page of its own.
    let facet = |flt: Filter, label: String, count: usize, lang_attr: Option<String>| Facet {
        code: match &flt {
            Filter::Kind(v) | Filter::In(v) | Filter::Tag(v) => v.clone(),
            Filter::Year(y) => y.to_string(),
            Filter::All => String::new(),
        },
        href: f.to(&flt.page_path(lang, 1)),
        current: flt == filter,
        label,
        count,
        lang: lang_attr,
    };
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
    let mut by_lang: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_tag: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for i in items.iter() {
        *by_kind.entry(&i.kind).or_default() += 1;
        *by_year.entry(i.day.year()).or_default() += 1;
        *by_lang.entry(&i.lang).or_default() += 1;
        for t in &i.tags {
            if let Some(s) = ozodi_domain::site::slug(t) {
                by_tag.entry(s).or_insert_with(|| (t.clone(), 0)).1 += 1;
            }
        }
    }
    let kinds_facets =
        by_kind.iter().map(|(k, n)| facet(Filter::Kind((*k).to_owned()), kind_label(k), *n, None)).collect();
    let years = by_year.iter().rev().map(|(y, n)| facet(Filter::Year(*y), y.to_string(), *n, None)).collect();
    let langs = LANGS
        .iter()
        .filter_map(|l| by_lang.get(l).map(|n| (l, n)))
        .map(|(l, n)| {
            let name = Lang::parse(l).map_or(*l, Lang::native_name).to_owned();
            facet(Filter::In((*l).to_owned()), name, *n, Some((*l).to_owned()))
        })
        .collect();
    let mut tags: Vec<(String, (String, usize))> = by_tag.into_iter().collect();
    tags.sort_by(|a, b| b.1.1.cmp(&a.1.1).then(a.0.cmp(&b.0)));
    let tags =
        tags.into_iter().take(40).map(|(s, (label, n))| facet(Filter::Tag(s), label, n, None)).collect();
    let pages = if searched {
        Vec::new()
    } else {
        (1..=pages_count).map(|n| (n, f.to(&filter.page_path(lang, n)), n == number)).collect()
    };
    let shown: Vec<ItemView> = chosen
        .iter()
        .skip(if searched { 0 } else { (number - 1) * PER_PAGE })
        .take(if searched { 100 } else { PER_PAGE })
        .map(|i| item_view(&f, &kinds, i))
        .collect();
    html(&LibraryPage {
        all_href: f.to(&Filter::All.page_path(lang, 1)),
        heading,
        items: shown,
        total,
        query: query.q.chars().take(200).collect(),
        kind: query.kind,
        year: query.year,
        in_lang: query.in_lang,
        searched,
        kinds: kinds_facets,
        years,
        langs,
        tags,
        pages,
        f,
    })
}

/// An attached file as listed on a publication's page.
#[derive(Debug, Clone)]
struct FileView {
    href: String,
    name: String,
    size: String,
    image: bool,
}

#[derive(Template)]
#[template(path = "site/publication.html")]
struct PublicationPage {
    f: Frame,
    title: String,
    kind: String,
    kind_href: String,
    date: String,
    iso_date: String,
    authors: String,
    summary: String,
    body: String,
    tags: Vec<(String, String)>,
    files: Vec<FileView>,
    url: String,
    /// The public summaries of the cases it cites, rendered.
    cases: Vec<String>,
}

/// The address of a file of the site, from the root: its id and a type suffix.
pub(crate) fn file_path(meta: &ozodi_store::site::FileMeta) -> String {
    let ext = match meta.mime.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    };
    format!("files/{}.{ext}", meta.id)
}

fn size_label(lang: Lang, bytes: u64) -> String {
    if bytes >= 1 << 20 {
        lang.t_args("site-size-mb", &[("size", &format!("{:.1}", bytes as f64 / f64::from(1 << 20)))])
    } else {
        lang.t_args("site-size-kb", &[("size", &(bytes.div_ceil(1024)).to_string())])
    }
}

/// `GET /{lang}/publications/{number}.html`.
async fn publication(
    State(state): State<AppState>,
    mode: Mode,
    Path((code, number)): Path<(String, String)>,
) -> SiteResult {
    let lang = lang_of(&code)?;
    let store = store(&state)?;
    let seq: u32 =
        number.strip_suffix(".html").and_then(|n| n.parse().ok()).ok_or(SiteError::NotFound(lang))?;
    let items = state.site_catalogue(store.as_ref()).await?;
    // A publication is served in its own language only: its page's language is its text's.
    let item =
        items.iter().find(|i| i.seq == seq && i.lang == lang.code()).ok_or(SiteError::NotFound(lang))?;
    let kinds = Kinds::load(store.as_ref()).await?;
    let description = blurb(item, 200);
    let here = publication_path(item);
    let mut f = frame(lang, &here, item.title.clone(), description, &mode, "library");
    f.og_type = "article";
    // The language links lead to the other language versions, or to that language's library.
    f.alternates = Lang::ALL
        .iter()
        .map(|l| {
            let version = items.iter().find(|i| i.group == item.group && i.lang == l.code());
            Alternate {
                lang: l.code(),
                name: l.native_name(),
                href: f.to(&version.map_or_else(|| format!("{}/library.html", l.code()), publication_path)),
                current: *l == lang,
            }
        })
        .collect();
    let page = PublicationPage {
        title: item.title.clone(),
        kind: kinds.label(lang, &item.kind),
        kind_href: f.to(&Filter::Kind(item.kind.clone()).page_path(lang, 1)),
        date: lang.date(item.day),
        iso_date: item.day.to_string(),
        authors: item.authors.clone(),
        summary: ozodi_markup::render(&item.summary),
        body: ozodi_markup::render(&item.body),
        tags: tag_links(&f, &item.tags),
        files: item
            .files
            .iter()
            .map(|m| FileView {
                href: f.to(&file_path(m)),
                name: m.name.clone(),
                size: size_label(lang, m.size),
                image: m.mime.starts_with("image/"),
            })
            .collect(),
        cases: item.cases.iter().map(|c| ozodi_markup::render(c)).collect(),
        url: if item.url.starts_with("https://") || item.url.starts_with("http://") {
            item.url.clone()
        } else {
            String::new()
        },
        f,
    };
    html(&page)
}

#[derive(Template)]
#[template(path = "site/page.html")]
struct OwnPage {
    f: Frame,
    heading: String,
    body: String,
    hotlines: Vec<Hotline>,
    contacts: bool,
}

/// One of the coalition's pages; the contacts page also lists the hotlines.
async fn own_page(
    state: &AppState,
    store: &dyn Store,
    lang: Lang,
    mode: &Mode,
    kind: SitePageKind,
) -> SiteResult {
    let pages = store.site_pages().await?;
    let page = pages.iter().find(|p| p.page == kind && p.lang == lang.code());
    let heading = page
        .map(|p| p.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| lang.t(&format!("site-page-{}", kind.code())));
    let body = page.map(|p: &SitePage| p.body.clone()).unwrap_or_default();
    let here = format!("{}/{}.html", lang.code(), kind.code());
    let f = frame(lang, &here, heading.clone(), ozodi_markup::excerpt(&body, 200), mode, kind.code());
    let contacts = kind == SitePageKind::Contacts;
    html(&OwnPage {
        hotlines: if contacts { hotlines(state, store, lang).await? } else { Vec::new() },
        body: ozodi_markup::render(&body),
        heading,
        contacts,
        f,
    })
}

/// A public table as the site shows it.
#[derive(Debug, Clone)]
struct TableView {
    title: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>, String)>,
    totals: (Vec<String>, String),
}

#[derive(Template)]
#[template(path = "site/statistics.html")]
struct StatisticsPage {
    f: Frame,
    tables: Vec<TableView>,
}

/// `GET /{lang}/statistics.html`: the public tables, small cells withheld.
async fn statistics(store: &dyn Store, lang: Lang, mode: &Mode) -> SiteResult {
    let here = format!("{}/statistics.html", lang.code());
    let f = frame(
        lang,
        &here,
        lang.t("site-statistics"),
        lang.t("site-statistics-description"),
        mode,
        "statistics",
    );
    let tables = crate::handlers::statistics::public_views(store, lang)
        .await
        .map_err(|e| SiteError::Internal(format!("{e:?}")))?
        .into_iter()
        .map(|t| TableView { title: t.title, columns: t.columns, rows: t.rows, totals: t.totals })
        .collect();
    html(&StatisticsPage { f, tables })
}

#[derive(Template)]
#[template(path = "site/feed.atom", escape = "xml")]
struct Feed {
    f: Frame,
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Debug)]
struct FeedEntry {
    id: String,
    title: String,
    href: String,
    updated: String,
    published: String,
    summary: String,
    authors: String,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// `GET /{lang}/feed.atom`: the newest 50 publications in that language.
async fn feed(state: &AppState, store: &dyn Store, lang: Lang, mode: &Mode) -> SiteResult {
    let here = format!("{}/feed.atom", lang.code());
    let f = frame(lang, &here, lang.t("site-name"), lang.t("site-tagline"), mode, "");
    let items = state.site_catalogue(store).await?;
    let mine: Vec<&PublicItem> = items.iter().filter(|i| i.lang == lang.code()).take(50).collect();
    let base = mode.base_url.clone().unwrap_or_default();
    let entries: Vec<FeedEntry> = mine
        .iter()
        .map(|i| FeedEntry {
            id: format!("urn:uuid:{}", i.id),
            title: i.title.clone(),
            href: if base.is_empty() {
                format!("publications/{}.html", i.seq)
            } else {
                format!("{base}{}", publication_path(i))
            },
            updated: rfc3339(i.published_at),
            published: rfc3339(i.first_published_at),
            summary: if i.summary.is_empty() {
                ozodi_markup::excerpt(&i.body, 400)
            } else {
                ozodi_markup::plain_text(&i.summary)
            },
            authors: i.authors.clone(),
        })
        .collect();
    let updated = mine
        .iter()
        .map(|i| i.published_at)
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
    let body = Feed { f, updated, entries }.render()?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], body).into_response())
}

#[derive(Template)]
#[template(path = "site/sitemap.xml", escape = "xml")]
struct Sitemap {
    urls: Vec<SitemapUrl>,
}

#[derive(Debug)]
struct SitemapUrl {
    loc: String,
    lastmod: String,
    alternates: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "site/sitemap_index.xml", escape = "xml")]
struct SitemapIndex {
    maps: Vec<String>,
}

/// `GET /sitemap.xml`: the index of the three languages' sitemaps.
async fn sitemap(mode: Mode) -> SiteResult {
    let base = mode.base_url.unwrap_or_default();
    let maps = LANGS.iter().map(|l| format!("{base}{l}/sitemap.xml")).collect();
    let body = SitemapIndex { maps }.render()?;
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response())
}

/// `GET /{lang}/sitemap.xml`: the pages and publications in that language, each with its versions
/// in the others.
async fn sitemap_xml(state: &AppState, store: &dyn Store, lang: Lang, mode: &Mode) -> SiteResult {
    let base = mode.base_url.clone().unwrap_or_default();
    let items = state.site_catalogue(store).await?;
    let code = lang.code();
    let mut urls = Vec::new();
    let mut pages: Vec<&str> = vec!["index", "library", "statistics"];
    pages.extend(SitePageKind::ALL.iter().map(|p| p.code()));
    for page in pages {
        urls.push(SitemapUrl {
            loc: format!("{base}{code}/{page}.html"),
            lastmod: String::new(),
            alternates: LANGS.iter().map(|l| (*l, format!("{base}{l}/{page}.html"))).collect(),
        });
    }
    for i in items.iter().filter(|i| i.lang == code) {
        urls.push(SitemapUrl {
            loc: format!("{base}{}", publication_path(i)),
            lastmod: i.published_at.date().to_string(),
            alternates: items
                .iter()
                .filter(|o| o.group == i.group)
                .filter_map(|o| {
                    LANGS
                        .iter()
                        .find(|l| **l == o.lang)
                        .map(|l| (*l, format!("{base}{}", publication_path(o))))
                })
                .collect(),
        });
    }
    let body = Sitemap { urls }.render()?;
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response())
}

/// `GET /files/{id}.{ext}`: a file some published publication lists.
async fn file(State(state): State<AppState>, Path(name): Path<String>) -> SiteResult {
    let store = store(&state)?;
    let id = name
        .split_once('.')
        .and_then(|(id, _)| ozodi_domain::record::RecordId::parse(id))
        .ok_or(SiteError::NotFound(Lang::Ru))?;
    let (meta, bytes) = store.publication_file(id, true).await?.ok_or(SiteError::NotFound(Lang::Ru))?;
    if file_path(&meta) != format!("files/{name}") {
        return Err(SiteError::NotFound(Lang::Ru));
    }
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        percent_encoding::utf8_percent_encode(&meta.name, percent_encoding::NON_ALPHANUMERIC)
    );
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(response)
}

async fn not_found(uri: axum::http::Uri) -> SiteError {
    let lang = uri.path().trim_start_matches('/').split('/').next().and_then(Lang::parse).unwrap_or(Lang::Ru);
    SiteError::NotFound(lang)
}

/// What the static copy holds: every page's path from the root.
pub(crate) async fn all_paths(store: &dyn Store) -> Result<Vec<String>, String> {
    let items = store.site_published().await.map_err(|e| e.to_string())?;
    let mut paths = vec![
        "index.html".to_owned(),
        "site.css".to_owned(),
        "sitemap.xml".to_owned(),
        "robots.txt".to_owned(),
    ];
    for lang in Lang::ALL {
        let code = lang.code();
        for page in ["index", "statistics"] {
            paths.push(format!("{code}/{page}.html"));
        }
        for page in SitePageKind::ALL {
            paths.push(format!("{code}/{}.html", page.code()));
        }
        paths.push(format!("{code}/feed.atom"));
        paths.push(format!("{code}/sitemap.xml"));
        let mut filters = vec![Filter::All];
        let mut seen = std::collections::BTreeSet::new();
        for i in items.iter() {
            for flt in std::iter::once(Filter::Kind(i.kind.clone()))
                .chain(std::iter::once(Filter::Year(i.day.year())))
                .chain(std::iter::once(Filter::In(i.lang.clone())))
                .chain(i.tags.iter().filter_map(|t| ozodi_domain::site::slug(t)).map(Filter::Tag))
            {
                if seen.insert(flt.path(lang)) {
                    filters.push(flt);
                }
            }
        }
        for flt in filters {
            let n = items.iter().filter(|i| flt.keeps(i)).count().div_ceil(PER_PAGE).max(1);
            for number in 1..=n {
                paths.push(flt.page_path(lang, number));
            }
        }
    }
    for i in items.iter() {
        paths.push(publication_path(i));
        for m in &i.files {
            paths.push(file_path(m));
        }
    }
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// Writes the whole public site into `dir` as static files, each page exactly as the live site
/// answers it but without the live-only parts (search box, report form); returns how many files
/// were written. The folder must be empty or not exist.
pub async fn export(
    state: AppState,
    dir: &std::path::Path,
    base_url: Option<String>,
) -> Result<usize, String> {
    use tower::ServiceExt;
    let store = state.store().ok_or("the instance is sealed")?;
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} is not empty", dir.display()));
    }
    let paths = all_paths(store.as_ref()).await?;
    let app = static_router(state, base_url);
    let mut written = 0;
    for path in &paths {
        let request = axum::http::Request::builder()
            .uri(format!("/{}", utf8_path(path)))
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        let response = app.clone().oneshot(request).await.map_err(|e| e.to_string())?;
        if response.status() != StatusCode::OK {
            return Err(format!("{path}: {}", response.status()));
        }
        let bytes =
            axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, &bytes).map_err(|e| format!("{}: {e}", target.display()))?;
        written += 1;
    }
    Ok(written)
}

/// The characters of a path segment a request line must carry escaped (non-ASCII letters of
/// tag pages are escaped as UTF-8 by `utf8_percent_encode` itself).
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?').add(b'<').add(b'>');

fn utf8_path(path: &str) -> String {
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The router as the static copy sees it: the same pages, marked as not live.
fn static_router(state: AppState, base_url: Option<String>) -> Router {
    let mode = Mode { live: false, base_url };
    router(state).layer(axum::middleware::from_fn(move |mut req: Request, next: Next| {
        let mode = mode.clone();
        async move {
            req.extensions_mut().insert(mode);
            next.run(req).await
        }
    }))
}
