//! The advocacy log (DOMAIN.md 3.7, 3.8 and section 6): meetings and briefings with international
//! organisations, delegations and State bodies, and the materials the coalition published. Both
//! are records of the registry (`records` serves their forms and pages); this module lists them,
//! with their counts by kind and the counting rule of each figure.

use askama::Template;
use axum::response::Response;
use ozodi_domain::record::Kind;
use ozodi_domain::{Action, Resource};

use super::monitoring::Figure;
use super::records::Labels;
use super::render;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::page::Page;
use crate::state::AppState;
use axum::extract::State;

#[derive(Debug)]
struct Row {
    href: String,
    reference: String,
    date: String,
    kind: String,
    what: String,
    deleted: bool,
}

#[derive(Template)]
#[template(path = "advocacy/list.html")]
struct ListPage {
    p: Page,
    intro: String,
    new_href: String,
    new_label: String,
    can_create: bool,
    /// The link to the public site's own pages (for its editors, on the publications' list).
    site_pages: bool,
    figures: Vec<Figure>,
    rows: Vec<Row>,
    exports: (String, String),
}

/// The list of one kind of the advocacy log, newest first, with its counts by kind.
async fn list(state: AppState, ctx: Ctx, kind: Kind) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Advocacy(false)).await?;
    let lang = ctx.lang;
    let (list, what_field, title, intro) = match kind {
        Kind::Meeting => ("meeting_kind", "counterpart", "meetings-title", "meetings-intro"),
        _ => ("publication_kind", "title", "publications-title", "publications-intro"),
    };
    let labels = Labels::of(&ctx, None, &[list], Vec::new(), Vec::new(), Vec::new()).await?;
    let records = su.store.registry(kind).await?;
    let show_deleted = ozodi_domain::can(&su.actor, Action::View, Resource::Advocacy(true));
    let live: Vec<_> = records.iter().filter(|r| r.deleted.is_none()).collect();
    let mut figures = vec![Figure {
        label: lang.t(&format!("{}-total", kind.slug())),
        value: live.len().to_string(),
        rule: lang.t(&format!("{}-total-rule", kind.slug())),
    }];
    for term in labels_terms(&ctx, list).await? {
        let n = live.iter().filter(|r| r.data.text(list) == Some(term.0.as_str())).count();
        if n > 0 {
            figures.push(Figure { label: term.1, value: n.to_string(), rule: String::new() });
        }
    }
    let mut rows: Vec<(Option<time::Date>, Row)> = records
        .iter()
        .filter(|r| r.deleted.is_none() || show_deleted)
        .map(|r| {
            let date = r.data.date("initial_date");
            let row = Row {
                href: format!("/{}/{}", kind.slug(), r.id),
                reference: r.reference(),
                date: date.map(|d| d.to_string()).unwrap_or_default(),
                kind: r.data.text(list).map(|c| labels.term(list, c)).unwrap_or_default(),
                what: r.data.text(what_field).unwrap_or("").to_owned(),
                deleted: r.deleted.is_some(),
            };
            (date.map(|d| d.date()), row)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    if let Some(format) = super::export::requested(&ctx) {
        let table = ozodi_exchange::table::Table {
            title: lang.t(title),
            headers: vec![
                "№".into(),
                lang.t("field-initial_date"),
                lang.t("advocacy-kind"),
                lang.t("advocacy-what"),
            ],
            rows: rows
                .iter()
                .map(|r| vec![r.reference.clone(), r.date.clone(), r.kind.clone(), r.what.clone()])
                .collect(),
        };
        return super::export::respond(&state, &ctx, su, kind.slug(), format, &table).await;
    }
    let mut p = ctx.page(title);
    p.title = lang.t(title);
    render(&ListPage {
        p,
        intro: lang.t(intro),
        new_href: format!("/{}/new", kind.slug()),
        new_label: lang
            .t_args("record-new-title", &[("kind", &lang.t(&format!("record-kind-{}", kind.code())))]),
        can_create: ozodi_domain::can(&su.actor, Action::Create, Resource::Advocacy(false)),
        site_pages: kind == Kind::Publication && ozodi_domain::can(&su.actor, Action::Update, Resource::Site),
        figures,
        rows,
        exports: super::export::links(&ctx),
    })
}

/// The live terms of a list with their labels in the reader's language, in the list's order.
async fn labels_terms(ctx: &Ctx, list: &str) -> Result<Vec<(String, String)>, AppError> {
    let store = ctx.store()?;
    Ok(store
        .vocabulary(list)
        .await?
        .iter()
        .filter(|t| !t.deprecated)
        .map(|t| (t.code.clone(), t.labels.get(ctx.lang.code()).to_owned()))
        .collect())
}

/// `GET /meetings`: the meetings and briefings, with how many of each kind.
pub async fn meetings(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    list(state, ctx, Kind::Meeting).await
}

/// `GET /publications`: the materials published, with how many of each kind.
pub async fn publications(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    list(state, ctx, Kind::Publication).await
}
