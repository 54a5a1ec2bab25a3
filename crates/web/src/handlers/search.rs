//! Search over the cases a user may open (DESIGN.md section 4). The query travels in a POST body,
//! never in the address: a name typed into the search box must not end up in a proxy log or the
//! browser history. Any text gives results or a clear message; names match only in cases where
//! the user holds identity access.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use ozodi_domain::case::CaseStatus;
use ozodi_domain::{Action, CaseAccess, Resource, Role};
use ozodi_store::{SearchQuery, StoredTerm};
use time::Date;

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;

const PER_PAGE: u32 = 20;
const MAX_QUERY: usize = 300;

#[derive(Debug)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Debug)]
struct Facet {
    name: &'static str,
    label: String,
    choices: Vec<Choice>,
}

#[derive(Debug)]
struct Hit {
    id: String,
    number: String,
    title: String,
    status: String,
    region: String,
    opened: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    p: Page,
    q: String,
    from: String,
    to: String,
    facets: Vec<Facet>,
    searched: bool,
    summary: String,
    hits: Vec<Hit>,
    page: u32,
    pages: u32,
    error: Option<String>,
}

fn choices(ctx: &Ctx, terms: &[StoredTerm], selected: &str, depth_limit: usize) -> Vec<Choice> {
    let mut out =
        vec![Choice { value: String::new(), label: ctx.lang.t("search-any"), selected: selected.is_empty() }];
    let parents: std::collections::HashMap<&str, Option<&str>> =
        terms.iter().map(|t| (t.code.as_str(), t.parent.as_deref())).collect();
    for t in terms {
        let depth = {
            let mut d = 0;
            let mut parent = t.parent.as_deref();
            while let Some(code) = parent {
                d += 1;
                if d > 8 {
                    break;
                }
                parent = parents.get(code).copied().flatten();
            }
            d
        };
        if depth > depth_limit || (t.deprecated && t.code != selected) {
            continue;
        }
        out.push(Choice {
            value: t.code.clone(),
            label: format!("{}{}", "\u{2003}".repeat(depth), t.labels.get(ctx.lang.code())),
            selected: t.code == selected,
        });
    }
    out
}

/// The vocabulary facets: form name, list, how deep the list is offered.
pub const FACETS: [(&str, &str, usize); 5] = [
    ("region", "region", 0),
    ("act_type", "MT04", 8),
    ("method", "MT05", 1),
    ("facility_type", "facility_type", 1),
    ("agency", "agency", 1),
];

/// The translation key of a facet's label (the record field it filters on).
pub fn facet_label(name: &str) -> String {
    match name {
        "method" => "field-methods".into(),
        other => format!("field-{other}"),
    }
}

async fn facets(ctx: &Ctx, form: &FormPairs) -> Result<Vec<Facet>, AppError> {
    let store = ctx.store()?;
    let mut out = Vec::new();
    for (name, list, depth) in [
        ("region", "region", 0),
        ("act_type", "MT04", 8),
        ("method", "MT05", 1),
        ("facility_type", "facility_type", 1),
        ("agency", "agency", 1),
    ] {
        let terms = store.vocabulary(list).await?;
        out.push(Facet {
            name,
            label: ctx.lang.t(&format!("field-{name}")),
            choices: choices(ctx, &terms, form.get(name), depth),
        });
    }
    let status = form.get("status");
    let mut statuses =
        vec![Choice { value: String::new(), label: ctx.lang.t("search-any"), selected: status.is_empty() }];
    statuses.extend(CaseStatus::ALL.iter().map(|s| Choice {
        value: s.code().into(),
        label: ctx.lang.t(&format!("case-status-{}", s.code())),
        selected: s.code() == status,
    }));
    out.push(Facet { name: "status", label: ctx.lang.t("case-field-status"), choices: statuses });
    Ok(out)
}

fn parse_day(text: &str) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map(Some).map_err(|_| ())
}

async fn page(ctx: &Ctx, form: &FormPairs, searched: bool) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Dashboard).await?;
    let q: String = form.get("q").chars().take(MAX_QUERY + 1).collect();
    let (from, to) = (
        form.get("from").chars().take(10).collect::<String>(),
        form.get("to").chars().take(10).collect::<String>(),
    );
    let mut frame = SearchPage {
        p: ctx.page("search-title"),
        q: q.chars().take(MAX_QUERY).collect(),
        from: from.clone(),
        to: to.clone(),
        facets: facets(ctx, form).await?,
        searched,
        summary: String::new(),
        hits: Vec::new(),
        page: 1,
        pages: 0,
        error: None,
    };
    if !searched {
        return render(&frame);
    }
    let fail = |mut frame: SearchPage, key: &str| {
        frame.error = Some(ctx.lang.t(key));
        render_status(StatusCode::UNPROCESSABLE_ENTITY, &frame)
    };
    if q.chars().count() > MAX_QUERY {
        return fail(frame, "search-too-long");
    }
    let (Ok(from), Ok(to)) = (parse_day(&from), parse_day(&to)) else {
        return fail(frame, "search-bad-date");
    };
    // Facet values are checked against their lists: a forged value finds nothing rather than
    // reaching SQL unchecked (it is bound, never spliced, either way).
    let facet = |name: &str| {
        let v = form.get(name).trim();
        (!v.is_empty()).then(|| v.chars().take(40).collect::<String>())
    };
    let requested: u32 = form.get("page").parse().unwrap_or(1).clamp(1, 10_000);
    let may_know_names = ozodi_domain::can(
        &su.actor,
        Action::RevealIdentity,
        Resource::Case(CaseAccess { on_team: true, identity_access: true, lead: false, deleted: false }),
    );
    let query = SearchQuery {
        text: q.clone(),
        user: su.user.id,
        all_cases: su.user.roles.contains(Role::Coordinator),
        names: may_know_names,
        region: facet("region"),
        status: facet("status"),
        facility_type: facet("facility_type"),
        agency: facet("agency"),
        act_type: facet("act_type"),
        method: facet("method"),
        from,
        to,
        offset: (requested - 1) * PER_PAGE,
        limit: PER_PAGE,
    };
    let results = su.store.search(&query).await?;
    let regions = su.store.vocabulary("region").await?;
    frame.hits = results
        .cases
        .iter()
        .map(|c| Hit {
            id: c.id.to_string(),
            number: c.number.to_string(),
            title: c.fields.title.clone(),
            status: ctx.lang.t(&format!("case-status-{}", c.fields.status.code())),
            region: c
                .fields
                .region
                .as_deref()
                .and_then(|r| regions.iter().find(|t| t.code == r))
                .map(|t| t.labels.get(ctx.lang.code()).to_owned())
                .unwrap_or_default(),
            opened: ctx.lang.datetime(c.opened_at),
        })
        .collect();
    frame.page = requested;
    frame.pages = u32::try_from(results.total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX);
    let key = if results.more { "search-found-more" } else { "search-found" };
    frame.summary = ctx.lang.t_args(key, &[("count", &results.total.to_string())]);
    render(&frame)
}

/// `GET /search`: the empty form.
pub async fn form(ctx: Ctx) -> Result<Response, AppError> {
    page(&ctx, &FormPairs::default(), false).await
}

/// `POST /search`: the results.
pub async fn search(ctx: Ctx, form: FormPairs) -> Result<Response, AppError> {
    page(&ctx, &form, true).await
}
