//! Administering the controlled vocabularies: browse the lists, add local terms, relabel and
//! deprecate. A term is never deleted: records that use it keep showing its label, and a
//! deprecated term only disappears from new forms.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::vocab::{Labels, Term, parse_local_code};
use ozodi_domain::{Action, Resource};
use ozodi_store::{StoreError, StoredTerm};

use super::{render, render_status};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The shipped lists, in the order the index shows them.
fn list_ids() -> Vec<(String, Labels)> {
    ozodi_domain::vocab::shipped().into_iter().flatten().map(|l| (l.list, l.name)).collect()
}

#[derive(Debug)]
struct ListView {
    id: String,
    name: String,
    terms: usize,
}

#[derive(Template)]
#[template(path = "admin/vocabularies.html")]
struct IndexPage {
    p: Page,
    lists: Vec<ListView>,
}

/// `GET /admin/vocabularies`.
pub async fn index(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Vocabularies).await?;
    let mut lists = Vec::new();
    for (id, name) in list_ids() {
        let terms = su.store.vocabulary(&id).await?.len();
        lists.push(ListView { name: name.get(ctx.lang.code()).to_owned(), id, terms });
    }
    render(&IndexPage { p: ctx.page("vocab-title"), lists })
}

#[derive(Debug)]
struct TermView {
    code: String,
    depth: usize,
    en: String,
    ru: String,
    tg: String,
    local: bool,
    relabelled: bool,
    deprecated: bool,
}

#[derive(Template)]
#[template(path = "admin/vocabulary.html")]
struct ListPage {
    p: Page,
    id: String,
    name: String,
    terms: Vec<TermView>,
    form: NewTermForm,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default)]
struct NewTermForm {
    code: String,
    parent: String,
    en: String,
    ru: String,
    tg: String,
}

impl TermView {
    fn new(t: &StoredTerm, depth: usize) -> Self {
        TermView {
            code: t.code.clone(),
            depth,
            en: t.labels.en.clone(),
            ru: t.labels.ru.clone(),
            tg: t.labels.tg.clone(),
            local: t.added_by_admin,
            relabelled: t.relabelled,
            deprecated: t.deprecated,
        }
    }
}

fn depth(term: &StoredTerm, all: &[StoredTerm]) -> usize {
    let mut depth = 0;
    let mut parent = term.parent.as_deref();
    while let Some(code) = parent {
        depth += 1;
        parent = all.iter().find(|t| t.code == code).and_then(|t| t.parent.as_deref());
        if depth > 12 {
            break;
        }
    }
    depth
}

async fn list_page(
    ctx: &Ctx,
    id: &str,
    status: StatusCode,
    form: NewTermForm,
    error: Option<String>,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Vocabularies).await?;
    let Some((_, name)) = list_ids().into_iter().find(|(l, _)| l == id) else {
        return Err(AppError::NotFound);
    };
    let stored = su.store.vocabulary(id).await?;
    let terms = stored.iter().map(|t| TermView::new(t, depth(t, &stored))).collect();
    let notice = ctx.path.contains("saved=1").then(|| ctx.lang.t("saved"));
    render_status(
        status,
        &ListPage {
            p: ctx.page("vocab-title"),
            id: id.to_owned(),
            name: name.get(ctx.lang.code()).to_owned(),
            terms,
            form,
            error,
            notice,
        },
    )
}

/// `GET /admin/vocabularies/{list}`.
pub async fn show(ctx: Ctx, Path(list): Path<String>) -> Result<Response, AppError> {
    list_page(&ctx, &list, StatusCode::OK, NewTermForm::default(), None).await
}

fn labels_from(form: &FormPairs) -> Option<Labels> {
    let get = |name: &str| form.get(name).trim().chars().take(300).collect::<String>();
    let labels = Labels { en: get("en"), ru: get("ru"), tg: get("tg") };
    let ok = [&labels.en, &labels.ru, &labels.tg]
        .iter()
        .all(|l| !l.is_empty() && !l.chars().any(char::is_control));
    ok.then_some(labels)
}

fn saved(list: &str) -> Response {
    Redirect::to(&format!("/admin/vocabularies/{list}?saved=1")).into_response()
}

/// `POST /admin/vocabularies/{list}/terms`: adds a local term.
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(list): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Create, Resource::Vocabularies).await?;
    let typed = NewTermForm {
        code: form.get("code").chars().take(60).collect(),
        parent: form.get("parent").chars().take(60).collect(),
        en: form.get("en").chars().take(300).collect(),
        ru: form.get("ru").chars().take(300).collect(),
        tg: form.get("tg").chars().take(300).collect(),
    };
    let again = |key: &str, typed: NewTermForm| {
        let message = ctx.lang.t(key);
        let (ctx, list) = (ctx.clone(), list.clone());
        async move { list_page(&ctx, &list, StatusCode::UNPROCESSABLE_ENTITY, typed, Some(message)).await }
    };
    let Some(code) = parse_local_code(&typed.code) else { return again("vocab-bad-code", typed).await };
    let Some(labels) = labels_from(&form) else { return again("vocab-bad-labels", typed).await };
    let parent = Some(typed.parent.trim().to_owned()).filter(|p| !p.is_empty());
    let term = Term { code: code.clone(), parent, labels };
    let entry = state
        .audit_entry(Some(su.user.id), AuditKind::TermAdded, Some(&ctx.client))
        .about(format!("{list}/{code}"));
    match su.store.add_term(&list, &term, entry).await {
        Ok(()) => Ok(saved(&list)),
        Err(StoreError::Conflict) => again("vocab-code-taken", typed).await,
        Err(StoreError::NotFound) => again("vocab-bad-parent", typed).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/vocabularies/{list}/{code}/labels`: relabels a term (kept across upgrades).
pub async fn relabel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Vocabularies).await?;
    let Some(labels) = labels_from(&form) else {
        let message = ctx.lang.t("vocab-bad-labels");
        return list_page(
            &ctx,
            &list,
            StatusCode::UNPROCESSABLE_ENTITY,
            NewTermForm::default(),
            Some(message),
        )
        .await;
    };
    let entry = state
        .audit_entry(Some(su.user.id), AuditKind::TermRelabelled, Some(&ctx.client))
        .about(format!("{list}/{code}"));
    su.store.relabel_term(&list, &code, &labels, entry).await?;
    Ok(saved(&list))
}

async fn set_deprecated(
    state: AppState,
    ctx: Ctx,
    list: String,
    code: String,
    deprecated: bool,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::Vocabularies).await?;
    let mut entry = state
        .audit_entry(Some(su.user.id), AuditKind::TermDeprecated, Some(&ctx.client))
        .about(format!("{list}/{code}"));
    entry.detail = serde_json::json!({ "deprecated": deprecated });
    su.store.set_term_deprecated(&list, &code, deprecated, entry).await?;
    Ok(saved(&list))
}

/// `POST /admin/vocabularies/{list}/{code}/deprecate`.
pub async fn deprecate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    set_deprecated(state, ctx, list, code, true).await
}

/// `POST /admin/vocabularies/{list}/{code}/restore`.
pub async fn restore(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((list, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    set_deprecated(state, ctx, list, code, false).await
}

#[derive(Template)]
#[template(path = "admin/term.html")]
struct TermPage {
    p: Page,
    list: String,
    term: TermView,
}

/// `GET /admin/vocabularies/{list}/{code}`: the relabel form and the deprecate/restore button.
pub async fn term(ctx: Ctx, Path((list, code)): Path<(String, String)>) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::Vocabularies).await?;
    let stored = su.store.vocabulary(&list).await?;
    let t = stored.iter().find(|t| t.code == code).ok_or(AppError::NotFound)?;
    let term = TermView::new(t, 0);
    render(&TermPage { p: ctx.page("vocab-term-title"), list, term })
}
