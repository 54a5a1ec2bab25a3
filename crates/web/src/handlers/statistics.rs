//! The statistics page (DOMAIN.md section 6): every indicator computed from the records when the
//! page is asked for, filtered by period, region, hotline, agency, type of place, sex and age
//! group as far as each indicator can be (a filter that cannot apply is named next to the figure);
//! the headline figures first; each figure with its counting rule, its parts as a table and as a
//! bar chart drawn on the server (SVG, no script), and, for figures about cases, a link to the
//! cases behind it, of which the reader sees those they may open.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use ozodi_domain::legal::Money;
use ozodi_domain::stats::{AgeGroup, Dimension, Filter, HEADLINE, Indicator};
use ozodi_domain::{Action, Resource};
use ozodi_i18n::Lang;
use ozodi_store::stats::{Amount, Figure, Part};

use super::monitoring::Opt;
use super::records::Labels;
use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::page::Page;
use crate::state::AppState;

/// The filter as the form submits it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    hotline: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    facility_type: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    age: String,
}

/// The vocabulary lists of the filters.
const FILTER_LISTS: [(&str, &str); 4] =
    [("region", "region"), ("hotline", "hotline"), ("agency", "agency"), ("facility_type", "facility_type")];

impl StatsQuery {
    /// The filter, or the translation key of what is wrong with it.
    async fn filter(&self, ctx: &Ctx) -> Result<Result<Filter, &'static str>, AppError> {
        let day = |text: &str| -> Result<Option<time::Date>, &'static str> {
            match text.trim() {
                "" => Ok(None),
                t => ozodi_domain::dates::parse_iso_day(t).map(Some).ok_or("stats-bad-date"),
            }
        };
        let (from, to) = match (day(&self.from), day(&self.to)) {
            (Ok(from), Ok(to)) => (from, to),
            _ => return Ok(Err("stats-bad-date")),
        };
        if from.zip(to).is_some_and(|(f, t)| f > t) {
            return Ok(Err("stats-bad-period"));
        }
        let store = ctx.store()?;
        let mut codes: Vec<Option<String>> = Vec::new();
        for (list, value) in FILTER_LISTS.iter().map(|(l, _)| *l).zip([
            &self.region,
            &self.hotline,
            &self.agency,
            &self.facility_type,
        ]) {
            let value = value.trim();
            if value.is_empty() {
                codes.push(None);
                continue;
            }
            if !store.vocabulary(list).await?.iter().any(|t| t.code == value) {
                return Ok(Err("stats-bad-choice"));
            }
            codes.push(Some(value.to_owned()));
        }
        let sex = match self.sex.trim() {
            "" => None,
            s @ ("01" | "02" | "99") => Some(s.to_owned()),
            _ => return Ok(Err("stats-bad-choice")),
        };
        let age = match self.age.trim() {
            "" => None,
            a => match AgeGroup::parse(a) {
                Some(a) => Some(a),
                None => return Ok(Err("stats-bad-choice")),
            },
        };
        let mut codes = codes.into_iter();
        Ok(Ok(Filter {
            from,
            to,
            region: codes.next().flatten(),
            hotline: codes.next().flatten(),
            agency: codes.next().flatten(),
            facility_type: codes.next().flatten(),
            sex,
            age,
        }))
    }

    /// The filter as a link's query.
    fn query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("region", &self.region),
            ("hotline", &self.hotline),
            ("agency", &self.agency),
            ("facility_type", &self.facility_type),
            ("sex", &self.sex),
            ("age", &self.age),
        ] {
            if !value.trim().is_empty() {
                q.append_pair(name, value.trim());
            }
        }
        q.finish()
    }
}

#[derive(Debug)]
struct Bar {
    label: String,
    value: String,
    count: i64,
    y: u32,
    width: u32,
}

#[derive(Debug)]
struct PartView {
    label: String,
    value: String,
    /// An amount of money (the charts draw counts only).
    money: bool,
}

#[derive(Debug)]
struct FigureView {
    id: String,
    name: String,
    value: String,
    rule: String,
    not_applicable: String,
    parts: Vec<PartView>,
    bars: Vec<Bar>,
    chart_height: u32,
    cases_href: Option<String>,
}

#[derive(Template)]
#[template(path = "statistics/page.html")]
struct StatisticsPage {
    p: Page,
    error: Option<String>,
    from: String,
    to: String,
    selects: Vec<(String, String, Vec<Opt>)>,
    headline: Vec<FigureView>,
    figures: Vec<FigureView>,
    exports: (String, String),
}

fn dimension_label(lang: Lang, d: Dimension) -> String {
    lang.t(&format!("stats-dimension-{}", d.code().replace('_', "-")))
}

/// A part's label: a term's, a procedural stage's, a channel's, a sex's, or a fixed key's.
fn part_label(lang: Lang, labels: &Labels, part: &Part) -> String {
    if let Some(list) = part.list {
        return labels.term(list, &part.key);
    }
    if let Some(state) = part.key.strip_prefix("state-") {
        return super::legal::state_label(lang, state);
    }
    if part.key.starts_with("channel-") {
        return lang.t(&part.key);
    }
    if let Some(sex) = part.key.strip_prefix("sex-") {
        return lang.t(&format!("person-sex-{sex}"));
    }
    lang.t(&format!("stats-part-{}", part.key))
}

fn amount(lang: Lang, amount: Amount) -> String {
    match amount {
        Amount::Count(n) => n.to_string(),
        Amount::Money(m) => format!("{} TJS", Money(m).display(lang != Lang::En)),
    }
}

fn figure_view(lang: Lang, labels: &Labels, filter: &Filter, query: &str, figure: &Figure) -> FigureView {
    let indicator = figure.indicator;
    let parts: Vec<PartView> = figure
        .parts
        .iter()
        .map(|p| PartView {
            label: part_label(lang, labels, p),
            value: amount(lang, p.amount),
            money: matches!(p.amount, Amount::Money(_)),
        })
        .collect();
    // The chart draws the counts (money is a table's business).
    let counts: Vec<(&Part, i64)> = figure
        .parts
        .iter()
        .filter_map(|p| match p.amount {
            Amount::Count(n) => Some((p, n)),
            Amount::Money(_) => None,
        })
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(i, (p, n))| Bar {
            label: part_label(lang, labels, p),
            value: n.to_string(),
            count: *n,
            y: u32::try_from(i).unwrap_or(0) * 22,
            width: u32::try_from(n.max(&0) * 220 / max).unwrap_or(0),
        })
        .collect();
    let not_applicable: Vec<String> =
        filter.not_applicable(indicator).into_iter().map(|d| dimension_label(lang, d)).collect();
    FigureView {
        id: indicator.code().to_owned(),
        name: lang.t(&indicator.key()),
        value: figure.value.to_string(),
        rule: lang.t(&format!("{}-rule", indicator.key())),
        not_applicable: if not_applicable.is_empty() {
            String::new()
        } else {
            lang.t_args("stats-not-applicable", &[("filters", &not_applicable.join(", "))])
        },
        chart_height: u32::try_from(bars.len()).unwrap_or(0) * 22,
        bars,
        parts,
        cases_href: indicator.about_cases().then(|| {
            let sep = if query.is_empty() { "" } else { "?" };
            format!("/statistics/{}/cases{sep}{query}", indicator.code())
        }),
    }
}

/// The labels of every vocabulary a figure's parts can be terms of.
async fn figure_labels(ctx: &Ctx) -> Result<Labels, AppError> {
    let mut lists: Vec<&'static str> = FILTER_LISTS.iter().map(|(_, l)| *l).collect();
    lists.extend([
        "hotline",
        "MT41",
        "facility_type",
        "MT26",
        "reprisal_target",
        "proceeding_kind",
        "rehab_client",
        "ip_consistency",
        "profession",
        "visit_type",
        "visit_notice",
        "un_mechanism",
        "impl_status",
        "publication_kind",
        "meeting_kind",
    ]);
    let labels = Labels::of(ctx, None, &lists, Vec::new(), Vec::new(), Vec::new()).await?;
    Ok(labels)
}

/// Every indicator's figure under `filter`, ready to show.
async fn all_views(
    ctx: &Ctx,
    store: &dyn ozodi_store::Store,
    labels: &Labels,
    filter: &Filter,
    query: &str,
) -> Result<Vec<FigureView>, AppError> {
    let mut views = Vec::new();
    for indicator in Indicator::ALL {
        let figure = store.statistic(*indicator, filter).await?;
        views.push(figure_view(ctx.lang, labels, filter, query, &figure));
    }
    Ok(views)
}

/// The headline figures, from all of them.
fn headline(views: &[FigureView]) -> Vec<FigureView> {
    HEADLINE
        .iter()
        .filter_map(|h| views.iter().find(|v| v.id == h.code()))
        .map(|v| FigureView {
            id: format!("headline-{}", v.id),
            name: v.name.clone(),
            value: v.value.clone(),
            rule: v.rule.clone(),
            not_applicable: v.not_applicable.clone(),
            parts: Vec::new(),
            bars: Vec::new(),
            chart_height: 0,
            cases_href: v.cases_href.clone(),
        })
        .collect()
}

/// `GET /statistics`: every indicator with the filter of the query (also as CSV or XLSX: one
/// row per figure and part).
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<StatsQuery>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Statistics).await?;
    let lang = ctx.lang;
    let labels = figure_labels(&ctx).await?;
    let (filter, error, status) = match q.filter(&ctx).await? {
        Ok(filter) => (filter, None, StatusCode::OK),
        Err(key) => (Filter::default(), Some(lang.t(key)), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let query = if error.is_some() { String::new() } else { q.query() };
    let views = all_views(&ctx, su.store.as_ref(), &labels, &filter, &query).await?;
    if let Some(format) = super::export::requested(&ctx).filter(|_| error.is_none()) {
        let mut rows = Vec::new();
        for v in &views {
            rows.push(vec![
                v.name.clone(),
                String::new(),
                v.value.clone(),
                v.rule.clone(),
                v.not_applicable.clone(),
            ]);
            for part in &v.parts {
                rows.push(vec![
                    v.name.clone(),
                    part.label.clone(),
                    part.value.clone(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        let table = ozodi_exchange::table::Table {
            title: lang.t("stats-title"),
            headers: vec![
                lang.t("stat-figure"),
                lang.t("stats-part"),
                lang.t("stat-value"),
                lang.t("stat-rule"),
                lang.t("stats-filters-not-applied"),
            ],
            rows,
        };
        return super::export::respond(&state, &ctx, su, "statistics", format, &table).await;
    }
    let headline = headline(&views);
    let chosen = [&q.region, &q.hotline, &q.agency, &q.facility_type];
    let mut selects = Vec::new();
    for ((name, list), chosen) in FILTER_LISTS.iter().zip(chosen) {
        let mut opts =
            vec![Opt { value: String::new(), label: lang.t("filter-any"), selected: chosen.is_empty() }];
        for t in su.store.vocabulary(list).await?.iter().filter(|t| !t.deprecated) {
            opts.push(Opt {
                selected: &t.code == chosen,
                value: t.code.clone(),
                label: t.labels.get(lang.code()).to_owned(),
            });
        }
        selects.push(((*name).to_owned(), dimension_label(lang, dimension_of(name)), opts));
    }
    let mut sexes =
        vec![Opt { value: String::new(), label: lang.t("filter-any"), selected: q.sex.is_empty() }];
    for code in ["02", "01", "99"] {
        sexes.push(Opt {
            value: code.into(),
            label: lang.t(&format!("person-sex-{code}")),
            selected: q.sex == code,
        });
    }
    selects.push(("sex".into(), dimension_label(lang, Dimension::Sex), sexes));
    let mut ages =
        vec![Opt { value: String::new(), label: lang.t("filter-any"), selected: q.age.is_empty() }];
    for a in AgeGroup::ALL {
        ages.push(Opt {
            value: a.code().into(),
            label: lang.t(&format!("stats-age-{}", a.code())),
            selected: q.age == a.code(),
        });
    }
    selects.push(("age".into(), dimension_label(lang, Dimension::Age), ages));
    render_status(
        status,
        &StatisticsPage {
            p: ctx.page("stats-title"),
            error,
            from: q.from.chars().take(10).collect(),
            to: q.to.chars().take(10).collect(),
            selects,
            headline,
            figures: views,
            exports: super::export::links(&ctx),
        },
    )
}

fn dimension_of(name: &str) -> Dimension {
    Dimension::ALL.into_iter().find(|d| d.code() == name).unwrap_or(Dimension::Region)
}

#[derive(Debug)]
struct CaseLine {
    href: String,
    number: String,
    title: String,
}

#[derive(Template)]
#[template(path = "statistics/cases.html")]
struct CasesPage {
    p: Page,
    back: String,
    name: String,
    total: usize,
    lines: Vec<CaseLine>,
    hidden: usize,
}

/// `GET /statistics/{indicator}/cases`: the cases behind a figure about cases; the reader sees
/// those of them they may open, and how many others there are.
pub async fn cases(
    ctx: Ctx,
    Path(indicator): Path<String>,
    Query(q): Query<StatsQuery>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Statistics).await?;
    let lang = ctx.lang;
    let indicator = Indicator::parse(&indicator).filter(|i| i.about_cases()).ok_or(AppError::NotFound)?;
    let filter = match q.filter(&ctx).await? {
        Ok(filter) => filter,
        Err(_) => return Err(AppError::BadRequest),
    };
    let behind: HashSet<CaseId> = su.store.statistic_cases(indicator, &filter).await?.into_iter().collect();
    // The cases the reader may open: all for a coordinator, the teams' for the others.
    let all = ozodi_domain::can(&su.actor, Action::View, Resource::Case(ozodi_domain::CaseAccess::default()));
    let open = su.store.cases_for(su.user.id, all, false, 1_000_000).await?;
    let visible: HashSet<CaseId> = open.iter().map(|c| c.id).collect();
    let mut lines = Vec::new();
    for c in open.iter().filter(|c| behind.contains(&c.id)) {
        lines.push(CaseLine {
            href: format!("/cases/{}", c.id),
            number: c.number.to_string(),
            title: c.fields.title.clone(),
        });
    }
    lines.sort_by(|a, b| a.number.cmp(&b.number));
    let hidden = behind.iter().filter(|c| !visible.contains(c)).count();
    let query = q.query();
    render(&CasesPage {
        p: ctx.page("stats-cases-title"),
        back: if query.is_empty() { "/statistics".into() } else { format!("/statistics?{query}") },
        name: lang.t(&indicator.key()),
        total: behind.len(),
        lines,
        hidden,
    })
}

#[derive(Debug)]
pub(crate) struct PublicTableView {
    pub(crate) title: String,
    pub(crate) note: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<(String, Vec<String>, String)>,
    pub(crate) totals: (Vec<String>, String),
}

/// The public tables in `lang`, every small cell withheld (`domain::disclosure`): what the
/// statistics page's public part and the public site show.
pub(crate) async fn public_views(
    store: &dyn ozodi_store::Store,
    lang: Lang,
) -> Result<Vec<PublicTableView>, ozodi_store::StoreError> {
    let mut terms: std::collections::HashMap<(&str, String), String> = std::collections::HashMap::new();
    for list in ["region", "facility_type"] {
        for t in store.vocabulary(list).await?.iter() {
            terms.insert((list, t.code.clone()), t.labels.get(lang.code()).to_owned());
        }
    }
    let key = |table: &ozodi_store::stats::CountTable, k: &str| -> String {
        match (table.row_list, k) {
            (_, "") => lang.t("stats-unknown"),
            (Some(list), code) => {
                terms.get(&(list, code.to_owned())).cloned().unwrap_or_else(|| code.to_owned())
            }
            (None, code) if table.code == "victims-by-sex-age" => lang.t(&format!("person-sex-{code}")),
            (None, code) => code.to_owned(),
        }
    };
    let column = |table: &ozodi_store::stats::CountTable, k: &str| -> String {
        match k {
            "" | "unknown" => lang.t("stats-unknown"),
            "minor" | "adult" if table.code == "victims-by-sex-age" => lang.t(&format!("stats-age-{k}")),
            year => year.to_owned(),
        }
    };
    let mut views = Vec::new();
    for table in store.public_tables().await? {
        let published = ozodi_domain::disclosure::publish(&table.counts);
        views.push(PublicTableView {
            title: lang.t(&format!("stats-public-{}", table.code)),
            note: lang.t("stats-public-note"),
            columns: table.columns.iter().map(|c| column(&table, c)).collect(),
            rows: table
                .rows
                .iter()
                .enumerate()
                .map(|(r, k)| {
                    (
                        key(&table, k),
                        published.cells[r].iter().map(|e| entry(lang, *e)).collect(),
                        entry(lang, published.row_totals[r]),
                    )
                })
                .collect(),
            totals: (
                published.column_totals.iter().map(|e| entry(lang, *e)).collect(),
                entry(lang, published.total),
            ),
        });
    }
    Ok(views)
}

#[derive(Template)]
#[template(path = "statistics/public.html")]
struct PublicPage {
    p: Page,
    tables: Vec<PublicTableView>,
    exports: (String, String),
}

/// What a published entry shows: its number, or the sign of a withheld small cell.
pub(crate) fn entry(lang: Lang, e: ozodi_domain::disclosure::Entry) -> String {
    match e {
        ozodi_domain::disclosure::Entry::Shown(n) => n.to_string(),
        ozodi_domain::disclosure::Entry::Suppressed => lang.t("stats-suppressed"),
    }
}

/// `GET /statistics/public`: the tables safe to publish: every cell from 1 to 4 withheld, and
/// whatever else would let it be worked out from the totals (`domain::disclosure`). Also as CSV
/// or XLSX, with the same withheld cells.
pub async fn public(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Statistics).await?;
    let lang = ctx.lang;
    let views = public_views(su.store.as_ref(), lang).await?;
    if let Some(format) = super::export::requested(&ctx) {
        let mut rows = Vec::new();
        for t in &views {
            for (label, cells, total) in &t.rows {
                for (column, value) in t.columns.iter().zip(cells) {
                    rows.push(vec![t.title.clone(), label.clone(), column.clone(), value.clone()]);
                }
                rows.push(vec![t.title.clone(), label.clone(), lang.t("stat-total"), total.clone()]);
            }
            for (column, value) in t.columns.iter().zip(&t.totals.0) {
                rows.push(vec![t.title.clone(), lang.t("stat-total"), column.clone(), value.clone()]);
            }
            rows.push(vec![t.title.clone(), lang.t("stat-total"), lang.t("stat-total"), t.totals.1.clone()]);
        }
        let table = ozodi_exchange::table::Table {
            title: lang.t("stats-public-title"),
            headers: vec![
                lang.t("stats-public-table"),
                lang.t("stats-public-row"),
                lang.t("stats-public-column"),
                lang.t("stat-value"),
            ],
            rows,
        };
        return super::export::respond(&state, &ctx, su, "public-statistics", format, &table).await;
    }
    render(&PublicPage {
        p: ctx.page("stats-public-title"),
        tables: views,
        exports: super::export::links(&ctx),
    })
}

/// The year of the annual report as the form submits it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    year: String,
}

/// The first year the report form offers.
const FIRST_REPORT_YEAR: i32 = 2010;

impl ReportQuery {
    /// The year asked for (the last full year when none is), or the key of what is wrong.
    fn year(&self, this_year: i32) -> Result<i32, &'static str> {
        match self.year.trim() {
            "" => Ok(this_year - 1),
            y => y
                .parse::<i32>()
                .ok()
                .filter(|y| (FIRST_REPORT_YEAR..=this_year).contains(y))
                .ok_or("stats-report-bad-year"),
        }
    }
}

/// The year's filter: 1 January to 31 December.
fn year_filter(year: i32) -> Filter {
    Filter {
        from: time::Date::from_calendar_date(year, time::Month::January, 1).ok(),
        to: time::Date::from_calendar_date(year, time::Month::December, 31).ok(),
        ..Filter::default()
    }
}

#[derive(Template)]
#[template(path = "statistics/report.html")]
struct ReportPage {
    p: Page,
    error: Option<String>,
    heading: String,
    intro: String,
    years: Vec<Opt>,
    pdf_href: String,
    headline: Vec<FigureView>,
    figures: Vec<FigureView>,
}

/// The year, its figures and the report's title and introduction.
struct Report {
    year: i32,
    heading: String,
    intro: String,
    views: Vec<FigureView>,
}

async fn report_of(ctx: &Ctx, store: &dyn ozodi_store::Store, year: i32) -> Result<Report, AppError> {
    let lang = ctx.lang;
    let labels = figure_labels(ctx).await?;
    let filter = year_filter(year);
    let query = format!("from={year}-01-01&to={year}-12-31");
    let views = all_views(ctx, store, &labels, &filter, &query).await?;
    let year_text = year.to_string();
    Ok(Report {
        year,
        heading: lang.t_args("stats-report-heading", &[("year", &year_text)]),
        intro: lang.t_args("stats-report-intro", &[("year", &year_text), ("when", &lang.datetime(ctx.now))]),
        views,
    })
}

/// `GET /statistics/report?year=`: the annual report of a year: the headline figures, then every
/// indicator with its counting rule, its parts as a table and a chart; printable as it is (the
/// print stylesheet) and as a PDF.
pub async fn report(ctx: Ctx, Query(q): Query<ReportQuery>) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Statistics).await?;
    let lang = ctx.lang;
    let this_year = ctx.now.to_offset(ozodi_domain::dates::DUSHANBE).year();
    let (year, error, status) = match q.year(this_year) {
        Ok(year) => (year, None, StatusCode::OK),
        Err(key) => (this_year - 1, Some(lang.t(key)), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let report = report_of(&ctx, su.store.as_ref(), year).await?;
    let years = (FIRST_REPORT_YEAR..=this_year)
        .rev()
        .map(|y| Opt { value: y.to_string(), label: y.to_string(), selected: y == report.year })
        .collect();
    render_status(
        status,
        &ReportPage {
            p: ctx.page("stats-report-title"),
            error,
            heading: report.heading,
            intro: report.intro,
            years,
            pdf_href: format!("/statistics/report/pdf?year={}", report.year),
            headline: headline(&report.views),
            figures: report.views,
        },
    )
}

/// `GET /statistics/report/pdf?year=`: the annual report as a PDF in the reader's language, its
/// footer naming who produced it and when. Audited as an export.
pub async fn report_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    use ozodi_print::{Bar as PrintBar, Block, Document};
    let su = ctx.require(Action::View, Resource::Statistics).await?;
    let lang = ctx.lang;
    let this_year = ctx.now.to_offset(ozodi_domain::dates::DUSHANBE).year();
    let year = q.year(this_year).map_err(|_| AppError::BadRequest)?;
    let report = report_of(&ctx, su.store.as_ref(), year).await?;
    let mut blocks = vec![Block::Title(report.heading.clone()), Block::Text(report.intro.clone())];
    blocks.push(Block::Heading(lang.t("stats-headline")));
    for h in headline(&report.views) {
        blocks.push(Block::Field(h.name, h.value));
    }
    for v in &report.views {
        blocks.push(Block::Heading(format!("{}: {}", v.name, v.value)));
        blocks.push(Block::Text(v.rule.clone()));
        if !v.not_applicable.is_empty() {
            blocks.push(Block::Text(v.not_applicable.clone()));
        }
        if !v.bars.is_empty() {
            blocks.push(Block::Bars(
                v.bars.iter().map(|b| PrintBar { label: b.label.clone(), value: b.count }).collect(),
            ));
        }
        // Money is a table's business: the parts the chart does not draw.
        for part in v.parts.iter().filter(|p| p.money) {
            blocks.push(Block::Field(part.label.clone(), part.value.clone()));
        }
    }
    let footer = lang.t_args(
        "stats-report-footer",
        &[("who", su.user.display_name.as_str()), ("when", &lang.datetime(ctx.now))],
    );
    let document = Document {
        blocks,
        footer,
        page_label: lang.t_args("print-page", &[("page", "{page}"), ("pages", "{pages}")]),
    };
    let bytes = tokio::task::spawn_blocking(move || ozodi_print::render(&document))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::Exported, Some(&ctx.client));
    audit.detail = serde_json::json!({ "what": "annual-report", "format": "pdf", "year": year });
    su.store.audit(audit).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ozodi-annual-report-{year}-{}.pdf\"", lang.code()),
            ),
        ],
        bytes,
    )
        .into_response())
}
