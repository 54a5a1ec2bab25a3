//! The case file for court: a lawyer chooses its sections and whom it is for, and gets a printable
//! page (the print stylesheet leaves out everything but the file) or a PDF through `ozodi-print`.
//! Both are drawn from the same list of blocks, so what is printed and what is downloaded say the
//! same. The evidence section lists every item with its SHA-256, so a court can check the copies
//! it receives; every page carries a footer naming who produced the file, when, and for whom.
//!
//! Producing it writes an audit entry (sections, format, recipient: no content). Names appear only
//! if the lawyer holds identity access and chooses them; each name shown is a reveal, audited
//! with the recipient as its purpose. Rehabilitation never enters a court file, and evaluations
//! only those the lawyer may read (shared with the person's consent).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::record::Kind;
use ozodi_domain::{Action, CaseAccess, Resource};
use ozodi_print::{Block, Document};
use ozodi_store::{CaseFile, CaseRecord};

use super::cases::{case_for, label, person_views};
use super::records::{Labels, shown_sections};
use super::render_status;
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The sections a file can hold, in the order it prints them.
pub const SECTIONS: [&str; 8] =
    ["case", "persons", "identities", "documentation", "legal", "calendar", "evidence", "evaluations"];

/// Chosen unless the lawyer unticks them.
const DEFAULT: [&str; 4] = ["case", "persons", "legal", "evidence"];

#[derive(Debug)]
struct SectionChoice {
    code: &'static str,
    label: String,
    help: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "court/form.html")]
struct FormPage {
    p: Page,
    back: String,
    action: String,
    sections: Vec<SectionChoice>,
    recipient: String,
    pdf: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "court/print.html")]
struct PrintPage {
    p: Page,
    back: String,
    blocks: Vec<Block>,
    footer: String,
}

/// The case, if the actor may produce its court file; a 404 otherwise.
async fn court_case<'c>(
    ctx: &'c Ctx,
    id: &str,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess), AppError> {
    let (su, case, access) = case_for(ctx, id, Action::View).await?;
    ctx.require_hidden(Action::Create, Resource::CourtFile(access)).await?;
    Ok((su, case, access))
}

/// The sections this actor may choose: names only with identity access.
fn offered(su: &SessionUser, access: CaseAccess) -> Vec<&'static str> {
    let names = ozodi_domain::can(&su.actor, Action::RevealIdentity, Resource::Case(access));
    SECTIONS.into_iter().filter(|s| *s != "identities" || names).collect()
}

fn form_page(
    ctx: &Ctx,
    case: &CaseRecord,
    offered: &[&'static str],
    (chosen, recipient, pdf): (&[&str], &str, bool),
    (status, error): (StatusCode, Option<String>),
) -> Result<Response, AppError> {
    let mut p = ctx.page("court-title");
    p.title = format!("{} · {}", case.number, p.title);
    render_status(
        status,
        &FormPage {
            p,
            back: format!("/cases/{}", case.id),
            action: format!("/cases/{}/court-file", case.id),
            sections: offered
                .iter()
                .map(|code| SectionChoice {
                    code,
                    label: ctx.lang.t(&format!("court-section-{code}")),
                    help: ctx.lang.t(&format!("court-section-{code}-help")),
                    checked: chosen.contains(code),
                })
                .collect(),
            recipient: recipient.to_owned(),
            pdf,
            error,
        },
    )
}

/// `GET /cases/{id}/court-file`: the choice of sections.
pub async fn form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (su, case, access) = court_case(&ctx, &id).await?;
    form_page(&ctx, &case, &offered(su, access), (&DEFAULT, "", false), (StatusCode::OK, None))
}

/// `POST /cases/{id}/court-file`: produces the file (the printable page, or the PDF with
/// `format=pdf`), after writing the audit entry.
pub async fn produce(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access) = court_case(&ctx, &id).await?;
    let offered = offered(su, access);
    let chosen: Vec<&str> = form.all("section").collect();
    if chosen.iter().any(|s| !offered.contains(s)) {
        // A section this account may not choose (names without identity access) or none at all.
        return Err(AppError::BadRequest);
    }
    let chosen: Vec<&'static str> = offered.iter().copied().filter(|s| chosen.contains(s)).collect();
    let pdf = match form.get("format") {
        "pdf" => true,
        "" | "html" => false,
        _ => return Err(AppError::BadRequest),
    };
    let recipient = form.get("recipient").trim().to_owned();
    let problem = if chosen.is_empty() {
        Some("court-no-section")
    } else if recipient.chars().count() < 3 || recipient.chars().count() > 300 {
        Some("court-recipient-required")
    } else if recipient.chars().any(char::is_control) {
        Some("record-problem-text")
    } else {
        None
    };
    if let Some(key) = problem {
        let again = (chosen.as_slice(), recipient.as_str(), pdf);
        let error = (StatusCode::UNPROCESSABLE_ENTITY, Some(ctx.lang.t(key)));
        return form_page(&ctx, &case, &offered, again, error);
    }
    let file = su.store.case_file(case.id).await?.ok_or(AppError::NotFound)?;
    // The file's own entry first: if it cannot be written, nothing is produced.
    let mut entry = state.audit_entry(Some(su.user.id), AuditKind::CourtFileProduced, Some(&ctx.client));
    entry.subject = Some(case.id.to_string());
    entry.detail = serde_json::json!({
        "sections": chosen,
        "format": if pdf { "pdf" } else { "html" },
        "recipient": recipient,
        "evidence": file.evidence.iter().filter(|e| e.deleted.is_none()).count(),
    });
    su.store.audit(entry).await?;
    let lang = ctx.lang;
    let footer = lang.t_args(
        "court-footer",
        &[
            ("who", su.user.display_name.as_str()),
            ("when", &lang.datetime(ctx.now)),
            ("recipient", &recipient),
            ("case", &case.number.to_string()),
        ],
    );
    let blocks = blocks(&ctx, (&state, su, access), &file, &chosen, &recipient).await?;
    if !pdf {
        let mut p = ctx.page("court-title");
        p.title = format!("{} · {}", case.number, p.title);
        let page = PrintPage { p, back: format!("/cases/{}", case.id), blocks, footer };
        let mut response = render_status(StatusCode::OK, &page)?;
        response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    let document = Document {
        blocks,
        footer,
        page_label: lang.t_args("print-page", &[("page", "{page}"), ("pages", "{pages}")]),
    };
    let bytes = tokio::task::spawn_blocking(move || ozodi_print::render(&document))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}-court.pdf\"", case.number)),
        ],
        bytes,
    )
        .into_response())
}

/// The file's content, section by section.
async fn blocks(
    ctx: &Ctx,
    (state, su, access): (&AppState, &SessionUser, CaseAccess),
    file: &CaseFile,
    chosen: &[&str],
    recipient: &str,
) -> Result<Vec<Block>, AppError> {
    let lang = ctx.lang;
    let case = &file.case;
    let heading = |code: &str| Block::Heading(lang.t(&format!("court-section-{code}")));
    let mut out = vec![
        Block::Title(format!("{} · {}", case.number, lang.t("court-title"))),
        Block::Field(lang.t("court-recipient"), recipient.to_owned()),
        Block::Field(
            lang.t("court-produced"),
            format!("{} · {}", su.user.display_name.as_str(), lang.datetime(ctx.now)),
        ),
        Block::Text(lang.t("court-confidential")),
    ];
    let mut lists = Labels::lists_of(&Kind::OF_CASE);
    lists.push("decision_ground");
    let labels = Labels::of(
        ctx,
        Some(case.id),
        &lists,
        file.records.clone(),
        file.facilities.clone(),
        file.persons.clone(),
    )
    .await?;
    for section in chosen {
        match *section {
            "case" => {
                out.push(heading("case"));
                let f = &case.fields;
                out.extend([
                    Block::Field(lang.t("case-field-number"), case.number.to_string()),
                    Block::Field(lang.t("case-field-title"), f.title.clone()),
                    Block::Field(
                        lang.t("case-field-status"),
                        lang.t(&format!("case-status-{}", f.status.code())),
                    ),
                    Block::Field(
                        lang.t("case-field-region"),
                        label(ctx, "region", f.region.as_deref()).await?,
                    ),
                    Block::Field(
                        lang.t("case-field-hotline"),
                        label(ctx, "hotline", f.hotline.as_deref()).await?,
                    ),
                    Block::Field(lang.t("court-opened"), lang.datetime(case.opened_at)),
                ]);
                if !f.summary.trim().is_empty() {
                    out.push(Block::Field(lang.t("case-field-summary"), f.summary.clone()));
                }
            }
            "persons" => {
                out.push(heading("persons"));
                for person in person_views(ctx, &labels) {
                    let text = [person.description, person.roles]
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    out.push(Block::Field(person.pseudonym, text));
                }
            }
            "identities" => {
                out.push(heading("identities"));
                out.push(Block::Text(lang.t("court-identities-audited")));
                for person in file.persons.iter() {
                    let mut entry = state
                        .audit_entry(Some(su.user.id), AuditKind::IdentityRevealed, Some(&ctx.client))
                        .about(person.id);
                    entry.detail = serde_json::json!({
                        "case": case.id.to_string(),
                        "pseudonym": person.pseudonym.to_string(),
                        "purpose": format!("court file: {recipient}"),
                    });
                    let identity = su.store.reveal_identity(person.id, entry).await?;
                    let mut name = identity.name.clone();
                    if !identity.other_names.trim().is_empty() {
                        name = format!("{name} ({})", identity.other_names.trim());
                    }
                    out.push(Block::Field(person.pseudonym.to_string(), name));
                }
            }
            "documentation" | "legal" => {
                out.push(heading(section));
                let kinds: &[Kind] = if *section == "legal" { &Kind::LEGAL } else { &Kind::HURIDOCS };
                for r in file.records.iter().filter(|r| r.deleted.is_none() && kinds.contains(&r.kind)) {
                    let kind = lang.t(&format!("record-kind-{}", r.kind.code()));
                    out.push(Block::Heading(format!("{} · {kind}", r.reference())));
                    for shown in shown_sections(ctx, &labels, r.kind, &r.data) {
                        if let Some(legend) = shown.legend {
                            out.push(Block::Text(legend));
                        }
                        out.extend(shown.rows.into_iter().map(|row| Block::Field(row.label, row.value.text)));
                    }
                    if r.kind == Kind::Proceeding {
                        out.extend(proceeding_steps(ctx, su, &labels, r.id).await?);
                    }
                }
            }
            "calendar" => {
                out.push(heading("calendar"));
                let query = ozodi_store::legal::CalendarQuery {
                    case: Some(case.id),
                    user: su.user.id,
                    all: true,
                    from: time::OffsetDateTime::UNIX_EPOCH,
                    to: ctx.now + time::Duration::days(365 * 20),
                    closed_too: true,
                };
                let entries = su.store.calendar(&query).await?;
                if entries.is_empty() {
                    out.push(Block::Text(lang.t("court-none")));
                }
                for e in entries {
                    let status = if e.done_at.is_some() {
                        lang.t("court-entry-done")
                    } else if e.cancelled_at.is_some() {
                        lang.t("court-entry-cancelled")
                    } else {
                        String::new()
                    };
                    let text =
                        [lang.t(&format!("calendar-kind-{}", e.kind.code())), e.title, e.place, status]
                            .into_iter()
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(" · ");
                    out.push(Block::Field(lang.datetime(e.starts_at), text));
                }
            }
            "evidence" => {
                out.push(heading("evidence"));
                out.push(Block::Text(lang.t("court-evidence-help")));
                let names = ozodi_domain::can(&su.actor, Action::RevealIdentity, Resource::Case(access));
                let items: Vec<_> =
                    file.evidence.iter().filter(|e| e.deleted.is_none() && (!e.identity || names)).collect();
                if items.is_empty() {
                    out.push(Block::Text(lang.t("court-none")));
                }
                for e in items {
                    let facts = [
                        lang.t(&format!("evidence-category-{}", e.category.code())),
                        lang.t_args("court-bytes", &[("n", &e.size.to_string())]),
                        lang.datetime(e.acquired_at),
                    ]
                    .join(" · ");
                    out.push(Block::Field(format!("E-{:04} · {}", e.seq, e.title), facts));
                    out.push(Block::Field("SHA-256".into(), e.sha256.clone()));
                }
            }
            "evaluations" => {
                out.push(heading("evaluations"));
                let mut any = false;
                for e in &file.evaluations {
                    let reading =
                        ozodi_domain::EvaluationAccess { case: access, shared_with_lawyers: e.shared };
                    if !ozodi_domain::can(&su.actor, Action::View, Resource::Evaluation(reading)) {
                        continue;
                    }
                    any = true;
                    let reference = ozodi_domain::record::reference(Kind::Evaluation, e.seq);
                    let state =
                        lang.t(&format!("ip-state-{}", e.state.to_ascii_lowercase().replace('_', "-")));
                    out.push(Block::Field(reference, state));
                    let hash = e.sha256.clone().unwrap_or_else(|| lang.t("ip-draft-not-signed"));
                    out.push(Block::Field("SHA-256".into(), hash));
                }
                if !any {
                    out.push(Block::Text(lang.t("court-no-evaluations")));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A proceeding's history of steps, as fields: the decision's date, the stage, ground and note.
async fn proceeding_steps(
    ctx: &Ctx,
    su: &SessionUser,
    labels: &Labels,
    proceeding: ozodi_domain::record::RecordId,
) -> Result<Vec<Block>, AppError> {
    let lang = ctx.lang;
    let steps = su.store.proceeding_steps(proceeding).await?;
    let mut out = vec![Block::Text(lang.t("court-steps"))];
    for s in steps {
        let mut text = vec![lang.t(&super::legal::state_key(&s.state))];
        text.extend(s.ground.as_deref().map(|g| labels.term("decision_ground", g)));
        if !s.note.is_empty() {
            text.push(s.note.clone());
        }
        out.push(Block::Field(lang.date(s.decided_on), text.join(" · ")));
    }
    Ok(out)
}
