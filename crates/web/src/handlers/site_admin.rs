//! The public site's own pages (issue 8): who the coalition is (members, working groups,
//! principles) and its contacts, in Russian, Tajik and English, edited by the editors and
//! coordinators (`Resource::Site`). A save names the version it started from; every save is a
//! version and an audit entry. Changes show on the public site at once.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::site::{LANGS, Page as SitePage};
use ozodi_domain::{Action, Resource};
use ozodi_store::StoreError;

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The longest page text, in characters.
const MAX_BODY: usize = 60_000;

#[derive(Template)]
#[template(path = "site_admin/pages.html")]
struct PagesPage {
    p: Page,
    langs: Vec<&'static str>,
    rows: Vec<(String, Vec<(String, String)>)>,
}

/// `GET /site-pages`: every page in every language, with its title or "not written".
pub async fn list(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Site).await?;
    let pages = su.store.site_pages().await?;
    let mut p = ctx.page("site-pages-title");
    p.title = ctx.lang.t("site-pages-title");
    let rows = SitePage::ALL
        .iter()
        .map(|page| {
            let cells = LANGS
                .iter()
                .map(|lang| {
                    let stored = pages.iter().find(|s| s.page == *page && s.lang == *lang);
                    let label = stored
                        .filter(|s| s.version > 0)
                        .map_or_else(|| ctx.lang.t("site-pages-empty"), |s| s.title.clone());
                    (format!("/site-pages/{}/{lang}", page.code()), label)
                })
                .collect();
            (ctx.lang.t(&format!("site-page-{}", page.code())), cells)
        })
        .collect();
    render(&PagesPage { p, langs: LANGS.to_vec(), rows })
}

#[derive(Template)]
#[template(path = "site_admin/page_form.html")]
struct FormPage {
    p: Page,
    page: &'static str,
    lang: &'static str,
    title: String,
    body: String,
    version: i64,
    errors: Vec<String>,
}

fn parse(page: &str, lang: &str) -> Result<(SitePage, &'static str), AppError> {
    let page = SitePage::parse(page).ok_or(AppError::NotFound)?;
    let lang = LANGS.into_iter().find(|l| *l == lang).ok_or(AppError::NotFound)?;
    Ok((page, lang))
}

fn heading(ctx: &Ctx, page: SitePage, lang: &str) -> String {
    format!("{} · {lang}", ctx.lang.t(&format!("site-page-{}", page.code())))
}

/// `GET /site-pages/{page}/{lang}`: the page's form.
pub async fn edit(ctx: Ctx, Path((page, lang)): Path<(String, String)>) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Site).await?;
    let (page, lang) = parse(&page, &lang)?;
    let stored = su.store.site_pages().await?.into_iter().find(|s| s.page == page && s.lang == lang);
    let mut p = ctx.page("site-pages-title");
    p.title = heading(&ctx, page, lang);
    render(&FormPage {
        p,
        page: page.code(),
        lang,
        title: stored.as_ref().map(|s| s.title.clone()).unwrap_or_default(),
        body: stored.as_ref().map(|s| s.body.clone()).unwrap_or_default(),
        version: stored.map_or(0, |s| s.version),
        errors: Vec::new(),
    })
}

/// `POST /site-pages/{page}/{lang}`: saves it if nobody saved it in between.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((page, lang)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Site).await?;
    let (page, lang) = parse(&page, &lang)?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let mut errors = Vec::new();
    let title = ozodi_domain::record::clean_text(form.get("title"), 200, true).unwrap_or_else(|_| {
        errors.push(ctx.lang.t("site-pages-bad-title"));
        String::new()
    });
    if title.is_empty() && errors.is_empty() {
        errors.push(ctx.lang.t("site-pages-bad-title"));
    }
    let body = ozodi_domain::record::clean_text(form.get("body"), MAX_BODY, false).unwrap_or_else(|_| {
        errors.push(ctx.lang.t("site-pages-bad-body"));
        String::new()
    });
    for problem in ozodi_markup::problems(&body) {
        errors.push(ctx.lang.t_args(problem.key(), &[("link", problem.destination())]));
    }
    let again = |errors: Vec<String>, status: StatusCode| {
        let mut p = ctx.page("site-pages-title");
        p.title = heading(&ctx, page, lang);
        render_status(
            status,
            &FormPage {
                p,
                page: page.code(),
                lang,
                title: form.get("title").chars().take(250).collect(),
                body: form.get("body").chars().take(MAX_BODY + 50).collect(),
                version,
                errors,
            },
        )
    };
    if !errors.is_empty() {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::SitePageChanged, Some(&ctx.client));
    audit.detail = serde_json::json!({ "page": page.code(), "lang": lang });
    match su.store.save_site_page(page, lang, (&title, &body), version, su.user.id, state.now(), audit).await
    {
        Ok(_) => Ok(Redirect::to("/site-pages?saved=1").into_response()),
        Err(StoreError::Conflict) => again(vec![ctx.lang.t("case-conflict")], StatusCode::CONFLICT),
        Err(e) => Err(e.into()),
    }
}
