//! Legal work: a proceeding's panel (its steps and the form for the next one, the amounts of a
//! civil claim, the accused of a criminal case, its hearings and deadlines), the step itself, the
//! calendars (a case's and the user's own) and the private iCalendar feed.
//!
//! Reading follows the case (`Resource::Legal` for View is the case's View); changing is for the
//! lawyers on the team and the coordinators. The feed is reached with a secret link instead of a
//! session, so it carries nothing but times, the kind of entry and case and proceeding numbers.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use icalendar::{Component, EventLike};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::Tri;
use ozodi_domain::dates::DUSHANBE;
use ozodi_domain::legal::{EntryId, EntryKind, Money, PaidStatus, ProceedingKind, StepError};
use ozodi_domain::record::{Kind, RecordId};
use ozodi_domain::{Action, CaseAccess, Resource, UserId};
use ozodi_i18n::Lang;
use ozodi_store::legal::{CalendarEntry, CalendarQuery, EntryFields, EntryStatus, NewStep};
use ozodi_store::{CaseRecord, Record, StoreError};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};

use super::cases::case_for;
use super::records::Labels;
use super::{render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The longest note on a step.
const NOTE_MAX: usize = 2_000;

/// The translation key of a state's name: `legal-state-pre-investigation-check`.
pub(super) fn state_key(state: &str) -> String {
    format!("legal-state-{}", state.to_ascii_lowercase().replace('_', "-"))
}

pub(super) fn state_label(lang: Lang, state: &str) -> String {
    lang.t(&state_key(state))
}

/// Whether the language writes a decimal comma.
fn decimal_comma(lang: Lang) -> bool {
    lang != Lang::En
}

pub(super) fn today(now: OffsetDateTime) -> Date {
    now.to_offset(DUSHANBE).date()
}

fn parse_day(text: &str) -> Option<Date> {
    ozodi_domain::dates::parse_iso_day(text).filter(|d| (1991..=2100).contains(&d.year()))
}

fn parse_time(text: &str) -> Option<Time> {
    let format = time::macros::format_description!("[hour]:[minute]");
    Time::parse(text.trim(), &format).ok()
}

/// One line of text as the record forms clean it.
fn clean_line(text: &str, max: usize) -> Option<String> {
    ozodi_domain::record::clean_text(text, max, true).ok()
}

/// Free text as the record forms clean it.
fn clean_text(text: &str, max: usize) -> Option<String> {
    ozodi_domain::record::clean_text(text, max, false).ok()
}

// ---------------------------------------------------------------------------------------------
// The proceeding's panel
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct StepView {
    date: String,
    state: String,
    ground: Option<String>,
    note: String,
    document: Option<(String, String)>,
    by: String,
}

#[derive(Debug)]
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Debug)]
struct Line {
    href: String,
    text: String,
}

#[derive(Debug)]
struct Amounts {
    claimed: String,
    awarded: String,
    paid: String,
    payments: usize,
    outstanding: String,
    status: String,
}

#[derive(Template)]
#[template(path = "legal/panel.html")]
struct Panel {
    p: Page,
    action: String,
    seq: i64,
    kind: String,
    state: String,
    is_final: bool,
    steps: Vec<StepView>,
    next: Vec<Opt>,
    grounds: Vec<Opt>,
    documents: Vec<Opt>,
    day: String,
    note: String,
    error: Option<String>,
    amounts: Option<Amounts>,
    accused: Option<Vec<Line>>,
    entries: Vec<EntryView>,
    calendar_href: String,
    can_step: bool,
}

/// The panel of a proceeding's page, rendered to HTML for the record page.
pub(super) async fn proceeding_panel(
    ctx: &Ctx,
    case: &CaseRecord,
    access: CaseAccess,
    record: &Record,
    labels: &Labels,
    step: Option<(String, FormPairs)>,
) -> Result<String, AppError> {
    let su = ctx.require(Action::View, Resource::Legal(access)).await?;
    let store = &su.store;
    let lang = ctx.lang;
    let Some(kind) = record.data.text("proceeding_kind").and_then(ProceedingKind::parse) else {
        return Ok(String::new());
    };
    let steps = store.proceeding_steps(record.id).await?;
    let state = store.proceeding_state(record.id).await?.map(|(_, s)| s);
    let evidence = store.evidence_of_case(case.id).await?;
    let grounds = store.vocabulary("decision_ground").await?;
    let mut names: Vec<(UserId, String)> = Vec::new();
    for s in &steps {
        if !names.iter().any(|(id, _)| *id == s.by) {
            let name =
                store.user(s.by).await?.map(|u| u.display_name.as_str().to_owned()).unwrap_or_default();
            names.push((s.by, name));
        }
    }
    let id = record.id.to_string();
    let base = format!("/cases/{}/proceedings/{id}", case.id);
    let step_views = steps
        .iter()
        .map(|s| StepView {
            date: lang.date(s.decided_on),
            state: state_label(lang, &s.state),
            ground: s.ground.as_deref().map(|g| {
                grounds
                    .iter()
                    .find(|t| t.code == g)
                    .map_or(g.to_owned(), |t| t.labels.get(lang.code()).to_owned())
            }),
            note: s.note.clone(),
            document: s.document.and_then(|d| {
                evidence.iter().find(|e| e.id == d).map(|e| {
                    (
                        format!("/cases/{}/evidence/{}", case.id, e.id),
                        format!("{} · {}", e.reference(), e.title),
                    )
                })
            }),
            by: names.iter().find(|(u, _)| *u == s.by).map(|(_, n)| n.clone()).unwrap_or_default(),
        })
        .collect();
    let (error, typed) = match step {
        Some((e, form)) => (Some(e), Some(form)),
        None => (None, None),
    };
    let typed_get = |name: &str| typed.as_ref().map(|f| f.get(name).to_owned()).unwrap_or_default();
    let current = state.as_ref().map(|s| s.state.clone()).unwrap_or_default();
    let chosen = typed_get("to");
    let next = kind
        .steps()
        .iter()
        .filter(|s| s.from == current)
        .map(|s| {
            let mut label = state_label(lang, s.to);
            if s.needs == ozodi_domain::legal::Need::Reason {
                label = lang.t_args("legal-reopen-option", &[("state", &label)]);
            }
            Opt { value: s.to.to_owned(), label, selected: chosen == s.to }
        })
        .collect();
    let chosen_ground = typed_get("ground");
    let mut ground_opts =
        vec![Opt { value: String::new(), label: "—".into(), selected: chosen_ground.is_empty() }];
    ground_opts.extend(grounds.iter().filter(|t| !t.deprecated).map(|t| Opt {
        value: t.code.clone(),
        label: t.labels.get(lang.code()).to_owned(),
        selected: t.code == chosen_ground,
    }));
    let chosen_doc = typed_get("document");
    let mut documents =
        vec![Opt { value: String::new(), label: "—".into(), selected: chosen_doc.is_empty() }];
    documents.extend(evidence.iter().filter(|e| e.deleted.is_none() && !e.identity).map(|e| Opt {
        value: e.id.to_string(),
        label: format!("{} · {}", e.reference(), e.title),
        selected: e.id.to_string() == chosen_doc,
    }));
    let live = |r: &&Record| r.deleted.is_none() && r.data.text("proceeding") == Some(id.as_str());
    let amounts = (kind == ProceedingKind::CivilClaim).then(|| {
        let payments: Vec<Money> = labels
            .records
            .iter()
            .filter(|r| r.kind == Kind::Payment)
            .filter(live)
            .filter_map(|r| r.data.money("amount"))
            .collect();
        let paid = Money::sum(payments.iter().copied());
        let awarded = record.data.money("awarded");
        let show = |m: Option<Money>| m.map_or_else(|| "—".to_owned(), |m| m.display(decimal_comma(lang)));
        Amounts {
            claimed: show(record.data.money("claimed")),
            awarded: show(awarded),
            paid: show(Some(paid)),
            payments: payments.len(),
            outstanding: show(awarded.map(|a| Money((a.0 - paid.0).max(0)))),
            status: lang.t(&format!("legal-paid-{}", PaidStatus::of(awarded, paid).code())),
        }
    });
    let accused = (kind == ProceedingKind::CriminalCase).then(|| {
        labels
            .records
            .iter()
            .filter(|r| r.kind == Kind::Accused)
            .filter(live)
            .map(|r| {
                let mut parts = vec![r.reference()];
                if let Some(inv) = r.data.text("involvement") {
                    parts.push(labels.reference(inv));
                }
                let charges: Vec<String> =
                    r.data.codes("charges").iter().map(|c| labels.term("legal_qual", c)).collect();
                if !charges.is_empty() {
                    parts.push(charges.join(", "));
                }
                if let Some(v) = r.data.text("verdict") {
                    parts.push(labels.term("verdict", v));
                }
                if let Some(p) = r.data.text("penalty_kind") {
                    parts.push(labels.term("penalty_kind", p));
                }
                if let Some(ozodi_domain::record::Value::Count(m)) = r.data.get("term_months") {
                    parts.push(lang.t_counts("legal-term-months", &[("months", i64::from(*m))]));
                }
                if matches!(r.data.get("amnesty_applied"), Some(ozodi_domain::record::Value::Tri(Tri::Yes))) {
                    parts.push(lang.t("legal-amnesty-applied"));
                }
                Line { href: format!("/cases/{}/accused/{}", case.id, r.id), text: parts.join(" · ") }
            })
            .collect()
    });
    let query = CalendarQuery {
        case: Some(case.id),
        user: su.user.id,
        all: true,
        from: OffsetDateTime::UNIX_EPOCH,
        to: OffsetDateTime::UNIX_EPOCH + Duration::days(365 * 200),
        closed_too: true,
    };
    let entries = store
        .calendar(&query)
        .await?
        .into_iter()
        .filter(|e| e.proceeding.map(|(p, _)| p) == Some(record.id))
        .map(|e| entry_view(lang, &e, ctx.now))
        .collect();
    let can_step =
        record.deleted.is_none() && ozodi_domain::can(&su.actor, Action::Update, Resource::Legal(access));
    let panel = Panel {
        p: ctx.page("legal-panel-title"),
        action: format!("{base}/steps"),
        seq: state.as_ref().map_or(0, |s| s.seq),
        kind: lang.t(&format!("legal-kind-{}", kind.code().to_ascii_lowercase())),
        is_final: kind.is_final(&current),
        state: if current.is_empty() { "—".into() } else { state_label(lang, &current) },
        steps: step_views,
        next,
        grounds: ground_opts,
        documents,
        day: typed.as_ref().map_or_else(|| today(ctx.now).to_string(), |f| f.get("decided_on").to_owned()),
        note: typed_get("note"),
        error,
        amounts,
        accused,
        entries,
        calendar_href: format!("/cases/{}/calendar?proceeding={id}", case.id),
        can_step,
    };
    Ok(panel.render()?)
}

/// `POST /cases/{id}/proceedings/{pid}/steps`: the next step, if the machine allows it.
pub async fn add_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, proceeding_id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access) = case_for(&ctx, &case_id, Action::View).await?;
    let su = ctx.require_hidden(Action::Update, Resource::Legal(access)).await.map(|_| su)?;
    let id = RecordId::parse(&proceeding_id).ok_or(AppError::NotFound)?;
    let record = su.store.record(id).await?.ok_or(AppError::NotFound)?;
    if record.kind != Kind::Proceeding || record.case_id != Some(case.id) || record.deleted.is_some() {
        return Err(AppError::NotFound);
    }
    let refuse = |status: StatusCode, message: String| {
        let ctx = ctx.clone();
        let form = form.clone();
        let case_id = case_id.clone();
        let proceeding_id = proceeding_id.clone();
        async move {
            super::records::show_page(
                Kind::Proceeding,
                &ctx,
                Some(&case_id),
                &proceeding_id,
                status,
                Some((message, form)),
            )
            .await
        }
    };
    let lang = ctx.lang;
    let Ok(seq) = form.get("seq").parse::<i64>() else { return Err(AppError::BadRequest) };
    let Some(decided_on) = parse_day(form.get("decided_on")) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, lang.t("legal-step-bad-date")).await;
    };
    if decided_on > today(ctx.now) {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, lang.t("legal-step-future-date")).await;
    }
    let Some(note) = clean_text(form.get("note"), NOTE_MAX) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, lang.t("record-problem-text")).await;
    };
    let ground = Some(form.get("ground").trim()).filter(|g| !g.is_empty()).map(str::to_owned);
    let document = match form.get("document").trim() {
        "" => None,
        text => Some(RecordId::parse(text).ok_or(AppError::BadRequest)?),
    };
    let step = NewStep {
        proceeding: id,
        expected_seq: seq,
        to: form.get("to").trim().to_owned(),
        decided_on,
        ground,
        note,
        document,
        by: su.user.id,
        at: state.now(),
    };
    let mut audit = state.audit_entry(Some(su.user.id), AuditKind::ProceedingStep, Some(&ctx.client));
    audit.subject = Some(id.to_string());
    match su.store.add_proceeding_step(&step, audit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/cases/{}/proceedings/{id}?saved=1#steps", case.id)).into_response())
        }
        Err(StoreError::Step(e)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, step_message(lang, &e)).await,
        Err(StoreError::Conflict) => refuse(StatusCode::CONFLICT, lang.t("legal-step-stale")).await,
        Err(StoreError::Invalid(_)) => {
            refuse(StatusCode::UNPROCESSABLE_ENTITY, lang.t("record-problem-choice")).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A refused step's message: `key` with the current stage and the allowed ones, in quotes.
pub(super) fn not_allowed(
    lang: Lang,
    key: &str,
    from: String,
    allowed: impl Iterator<Item = String>,
) -> String {
    let allowed = allowed.map(|s| format!("«{s}»")).collect::<Vec<_>>().join(", ");
    lang.t_args(key, &[("from", &from), ("allowed", &allowed)])
}

/// The message of a refused step, naming the steps that are allowed.
pub(super) fn step_message(lang: Lang, error: &StepError) -> String {
    match error {
        StepError::NotAllowed { from, allowed } => not_allowed(
            lang,
            error.key(),
            state_label(lang, from),
            allowed.iter().map(|s| state_label(lang, s)),
        ),
        StepError::PaymentsDisagree { actual } => {
            lang.t_args(error.key(), &[("actual", &lang.t(&format!("legal-paid-{}", actual.code())))])
        }
        other => lang.t(other.key()),
    }
}

// ---------------------------------------------------------------------------------------------
// Calendars
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct EntryView {
    kind: String,
    when: String,
    case: String,
    case_href: String,
    proceeding: Option<(String, String)>,
    title: String,
    place: String,
    responsible: String,
    href: String,
    state: String,
    overdue: bool,
}

fn entry_view(lang: Lang, e: &CalendarEntry, now: OffsetDateTime) -> EntryView {
    let when = match e.kind {
        EntryKind::Hearing => lang.datetime(e.starts_at),
        EntryKind::Deadline => lang.date(e.starts_at.to_offset(DUSHANBE).date()),
    };
    let open = e.done_at.is_none() && e.cancelled_at.is_none();
    let due = match e.kind {
        EntryKind::Hearing => e.starts_at,
        EntryKind::Deadline => e.starts_at + Duration::days(1),
    };
    let state = if e.cancelled_at.is_some() {
        lang.t("calendar-cancelled")
    } else if e.done_at.is_some() {
        lang.t("calendar-done")
    } else {
        String::new()
    };
    EntryView {
        kind: lang.t(&format!("calendar-kind-{}", e.kind.code())),
        when,
        case: e.case_number.to_string(),
        case_href: format!("/cases/{}", e.case_id),
        proceeding: e.proceeding.map(|(id, seq)| {
            (
                format!("/cases/{}/proceedings/{id}", e.case_id),
                ozodi_domain::record::reference(Kind::Proceeding, seq),
            )
        }),
        title: e.title.clone(),
        place: e.place.clone(),
        responsible: e.responsible_name.clone(),
        href: format!("/cases/{}/calendar/{}", e.case_id, e.id),
        state,
        overdue: open && due < now,
    }
}

/// The values of the entry form, as typed or stored.
#[derive(Debug, Default)]
struct EntryForm {
    kind: String,
    day: String,
    time: String,
    title: String,
    place: String,
    proceeding: String,
    responsible: String,
}

impl EntryForm {
    fn from_form(form: &FormPairs) -> Self {
        EntryForm {
            kind: form.get("kind").to_owned(),
            day: form.get("day").chars().take(20).collect(),
            time: form.get("time").chars().take(10).collect(),
            title: form.get("title").chars().take(250).collect(),
            place: form.get("place").chars().take(350).collect(),
            proceeding: form.get("proceeding").to_owned(),
            responsible: form.get("responsible").to_owned(),
        }
    }

    fn from_entry(e: &CalendarEntry) -> Self {
        let local = e.starts_at.to_offset(DUSHANBE);
        EntryForm {
            kind: e.kind.code().to_owned(),
            day: local.date().to_string(),
            time: match e.kind {
                EntryKind::Hearing => format!("{:02}:{:02}", local.hour(), local.minute()),
                EntryKind::Deadline => String::new(),
            },
            title: e.title.clone(),
            place: e.place.clone(),
            proceeding: e.proceeding.map(|(p, _)| p.to_string()).unwrap_or_default(),
            responsible: e.responsible.to_string(),
        }
    }

    /// Checks the values; the translation key of the first problem otherwise.
    fn parse(&self) -> Result<EntryFields, (&'static str, &'static str)> {
        let kind = EntryKind::parse(&self.kind).ok_or(("kind", "record-problem-choice"))?;
        let day = parse_day(&self.day).ok_or(("day", "calendar-problem-day"))?;
        let time = match (kind, self.time.trim()) {
            (EntryKind::Hearing, "") => return Err(("time", "calendar-problem-time")),
            (EntryKind::Hearing, t) => parse_time(t).ok_or(("time", "calendar-problem-time"))?,
            (EntryKind::Deadline, _) => Time::MIDNIGHT,
        };
        let title = clean_line(&self.title, 200).ok_or(("title", "record-problem-text"))?;
        if title.is_empty() {
            return Err(("title", "record-problem-required"));
        }
        let place = clean_line(&self.place, 300).ok_or(("place", "record-problem-text"))?;
        let proceeding = match self.proceeding.trim() {
            "" => None,
            p => Some(RecordId::parse(p).ok_or(("proceeding", "record-problem-choice"))?),
        };
        let responsible =
            UserId::parse(self.responsible.trim()).ok_or(("responsible", "record-problem-choice"))?;
        Ok(EntryFields {
            proceeding,
            kind,
            starts_at: PrimitiveDateTime::new(day, time).assume_offset(DUSHANBE),
            title,
            place,
            responsible,
        })
    }
}

#[derive(Template)]
#[template(path = "legal/calendar.html")]
struct CalendarPage {
    p: Page,
    heading: String,
    back: Option<(String, String)>,
    overdue: Vec<EntryView>,
    upcoming: Vec<EntryView>,
    closed: Vec<EntryView>,
    form: Option<FormView>,
    feed_link: bool,
    notice: Option<String>,
    exports: Option<(String, String)>,
}

/// The add or edit form of an entry.
#[derive(Debug)]
struct FormView {
    action: String,
    version: i64,
    values: EntryForm,
    kinds: Vec<Opt>,
    proceedings: Vec<Opt>,
    team: Vec<Opt>,
    error: Option<(String, String)>,
    editing: bool,
}

async fn form_view(
    ctx: &Ctx,
    su: &SessionUser,
    case: &CaseRecord,
    action: String,
    version: i64,
    values: EntryForm,
    error: Option<(&str, &str)>,
) -> Result<FormView, AppError> {
    let lang = ctx.lang;
    let records = su.store.records_of_case(case.id).await?;
    let states = su.store.proceeding_states_of_case(case.id).await?;
    let mut proceedings =
        vec![Opt { value: String::new(), label: "—".into(), selected: values.proceeding.is_empty() }];
    for r in records.iter().filter(|r| r.kind == Kind::Proceeding && r.deleted.is_none()) {
        let state =
            states.iter().find(|(id, _)| *id == r.id).map(|(_, s)| state_label(lang, s)).unwrap_or_default();
        proceedings.push(Opt {
            value: r.id.to_string(),
            label: format!("{} · {} · {state}", r.reference(), r.data.text("title").unwrap_or_default()),
            selected: values.proceeding == r.id.to_string(),
        });
    }
    let mut team = Vec::new();
    for m in su.store.case_team(case.id).await? {
        let name =
            su.store.user(m.user).await?.map(|u| u.display_name.as_str().to_owned()).unwrap_or(m.username);
        let selected = if values.responsible.is_empty() {
            m.user == su.user.id
        } else {
            values.responsible == m.user.to_string()
        };
        team.push(Opt { value: m.user.to_string(), label: name, selected });
    }
    let kinds = EntryKind::ALL
        .iter()
        .map(|k| Opt {
            value: k.code().to_owned(),
            label: lang.t(&format!("calendar-kind-{}", k.code())),
            selected: values.kind == k.code(),
        })
        .collect();
    Ok(FormView {
        action,
        version,
        values,
        kinds,
        proceedings,
        team,
        error: error.map(|(field, key)| (field.to_owned(), lang.t(key))),
        editing: version > 0,
    })
}

fn split(
    entries: Vec<CalendarEntry>,
    lang: Lang,
    now: OffsetDateTime,
) -> (Vec<EntryView>, Vec<EntryView>, Vec<EntryView>) {
    let (mut overdue, mut upcoming, mut closed) = (Vec::new(), Vec::new(), Vec::new());
    for e in &entries {
        let view = entry_view(lang, e, now);
        if e.done_at.is_some() || e.cancelled_at.is_some() {
            closed.push(view);
        } else if view.overdue {
            overdue.push(view);
        } else {
            upcoming.push(view);
        }
    }
    closed.reverse();
    (overdue, upcoming, closed)
}

/// The span a calendar page covers: a year back (for what was missed) and two years ahead.
fn span(now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    (now - Duration::days(366), now + Duration::days(2 * 366))
}

async fn case_calendar_page(
    ctx: &Ctx,
    case_id: &str,
    status: StatusCode,
    values: Option<EntryForm>,
    error: Option<(&str, &str)>,
) -> Result<Response, AppError> {
    let (su, case, access) = case_for(ctx, case_id, Action::View).await?;
    let su = ctx.require_hidden(Action::View, Resource::Legal(access)).await.map(|_| su)?;
    let (from, to) = span(ctx.now);
    let query =
        CalendarQuery { case: Some(case.id), user: su.user.id, all: true, from, to, closed_too: true };
    let (overdue, upcoming, closed) = split(su.store.calendar(&query).await?, ctx.lang, ctx.now);
    let form = if ozodi_domain::can(&su.actor, Action::Create, Resource::Legal(access)) {
        let values = values.unwrap_or_else(|| {
            let wanted = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
            let proceeding = form_urlencoded::parse(wanted.as_bytes())
                .find(|(k, _)| k == "proceeding")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            EntryForm { kind: "hearing".into(), proceeding, ..EntryForm::default() }
        });
        Some(form_view(ctx, su, &case, format!("/cases/{}/calendar", case.id), 0, values, error).await?)
    } else {
        None
    };
    let mut p = ctx.page("calendar-case-title");
    p.title = format!("{} · {}", case.number, p.title);
    render_status(
        status,
        &CalendarPage {
            heading: p.title.clone(),
            p,
            back: Some((format!("/cases/{}", case.id), case.number.to_string())),
            overdue,
            upcoming,
            closed,
            form,
            feed_link: false,
            notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("saved")),
            exports: None,
        },
    )
}

/// `GET /cases/{id}/calendar`: the case's hearings and deadlines, and the form to add one.
pub async fn case_calendar(ctx: Ctx, Path(case_id): Path<String>) -> Result<Response, AppError> {
    case_calendar_page(&ctx, &case_id, StatusCode::OK, None, None).await
}

/// `POST /cases/{id}/calendar`: adds a hearing or deadline.
pub async fn create_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(case_id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access) = case_for(&ctx, &case_id, Action::View).await?;
    let su = ctx.require_hidden(Action::Create, Resource::Legal(access)).await.map(|_| su)?;
    let values = EntryForm::from_form(&form);
    let fields = match values.parse() {
        Ok(f) => f,
        Err(e) => {
            return case_calendar_page(
                &ctx,
                &case_id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(values),
                Some(e),
            )
            .await;
        }
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::CalendarChanged, Some(&ctx.client));
    match su.store.create_calendar_entry(case.id, &fields, su.user.id, state.now(), audit).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{}/calendar?saved=1", case.id)).into_response()),
        Err(StoreError::Invalid(field)) => {
            let problem =
                if field == "responsible" { "calendar-problem-responsible" } else { "record-problem-choice" };
            case_calendar_page(
                &ctx,
                &case_id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(values),
                Some((field, problem)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "legal/entry.html")]
struct EntryPage {
    p: Page,
    back: String,
    entry: EntryView,
    form: Option<FormView>,
    version: i64,
    status_action: String,
    can_close: bool,
    can_reopen: bool,
}

async fn entry_for<'c>(
    ctx: &'c Ctx,
    case_id: &str,
    entry_id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord, CaseAccess, CalendarEntry), AppError> {
    let (su, case, access) = case_for(ctx, case_id, Action::View).await?;
    ctx.require_hidden(Action::View, Resource::Legal(access)).await?;
    let entry = match EntryId::parse(entry_id) {
        Some(id) => su.store.calendar_entry(id).await?.filter(|e| e.case_id == case.id),
        None => None,
    };
    let entry = entry.ok_or(AppError::NotFound)?;
    if action != Action::View {
        ctx.require_hidden(action, Resource::Legal(access)).await?;
    }
    Ok((su, case, access, entry))
}

#[expect(clippy::too_many_arguments, reason = "one renderer for the page with or without a refused form")]
async fn entry_page(
    ctx: &Ctx,
    su: &SessionUser,
    case: &CaseRecord,
    access: CaseAccess,
    entry: &CalendarEntry,
    status: StatusCode,
    values: Option<EntryForm>,
    error: Option<(&str, &str)>,
) -> Result<Response, AppError> {
    let open = entry.done_at.is_none() && entry.cancelled_at.is_none();
    let base = format!("/cases/{}/calendar/{}", case.id, entry.id);
    let form = if open && ozodi_domain::can(&su.actor, Action::Update, Resource::Legal(access)) {
        let values = values.unwrap_or_else(|| EntryForm::from_entry(entry));
        Some(form_view(ctx, su, case, base.clone(), entry.version, values, error).await?)
    } else {
        None
    };
    let mut p = ctx.page("calendar-entry-title");
    p.title = format!("{} · {}", ctx.lang.t(&format!("calendar-kind-{}", entry.kind.code())), case.number);
    render_status(
        status,
        &EntryPage {
            p,
            back: format!("/cases/{}/calendar", case.id),
            entry: entry_view(ctx.lang, entry, ctx.now),
            can_close: open && form.is_some(),
            can_reopen: !open && ozodi_domain::can(&su.actor, Action::Update, Resource::Legal(access)),
            form,
            version: entry.version,
            status_action: format!("{base}/status"),
        },
    )
}

/// `GET /cases/{id}/calendar/{entry}`.
pub async fn show_entry(
    ctx: Ctx,
    Path((case_id, entry_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (su, case, access, entry) = entry_for(&ctx, &case_id, &entry_id, Action::View).await?;
    entry_page(&ctx, su, &case, access, &entry, StatusCode::OK, None, None).await
}

/// `POST /cases/{id}/calendar/{entry}`: saves a change unless someone saved first.
pub async fn update_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, entry_id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access, entry) = entry_for(&ctx, &case_id, &entry_id, Action::Update).await?;
    let values = EntryForm::from_form(&form);
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let fields = match values.parse() {
        Ok(f) => f,
        Err(e) => {
            return entry_page(
                &ctx,
                su,
                &case,
                access,
                &entry,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(values),
                Some(e),
            )
            .await;
        }
    };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::CalendarChanged, Some(&ctx.client));
    match su.store.update_calendar_entry(entry.id, version, &fields, audit).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{}/calendar?saved=1", case.id)).into_response()),
        Err(StoreError::Conflict) => {
            entry_page(
                &ctx,
                su,
                &case,
                access,
                &entry,
                StatusCode::CONFLICT,
                Some(values),
                Some(("version", "calendar-stale")),
            )
            .await
        }
        Err(StoreError::Invalid(field)) => {
            let problem =
                if field == "responsible" { "calendar-problem-responsible" } else { "record-problem-choice" };
            entry_page(
                &ctx,
                su,
                &case,
                access,
                &entry,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(values),
                Some((field, problem)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/calendar/{entry}/status`: done or cancelled.
pub async fn set_entry_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((case_id, entry_id)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access, entry) = entry_for(&ctx, &case_id, &entry_id, Action::Update).await?;
    let status = match form.get("status") {
        "done" => EntryStatus::Done,
        "cancelled" => EntryStatus::Cancelled,
        "open" => EntryStatus::Open,
        _ => return Err(AppError::BadRequest),
    };
    let Ok(version) = form.get("version").parse::<i64>() else { return Err(AppError::BadRequest) };
    let audit = state.audit_entry(Some(su.user.id), AuditKind::CalendarChanged, Some(&ctx.client));
    match su.store.set_calendar_entry_status(entry.id, version, status, su.user.id, state.now(), audit).await
    {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{}/calendar?saved=1", case.id)).into_response()),
        Err(StoreError::Conflict) => {
            entry_page(
                &ctx,
                su,
                &case,
                access,
                &entry,
                StatusCode::CONFLICT,
                None,
                Some(("version", "calendar-stale")),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /calendar`: the user's own hearings and deadlines, on every case of their teams (also as
/// CSV or XLSX).
pub async fn my_calendar(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::OwnCalendar).await?;
    let (from, to) = span(ctx.now);
    let query = CalendarQuery { case: None, user: su.user.id, all: false, from, to, closed_too: false };
    let (overdue, upcoming, closed) = split(su.store.calendar(&query).await?, ctx.lang, ctx.now);
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let rows = overdue
            .iter()
            .chain(&upcoming)
            .chain(&closed)
            .map(|e| {
                vec![
                    e.when.clone(),
                    e.kind.clone(),
                    e.case.clone(),
                    e.proceeding.as_ref().map(|(_, p)| p.clone()).unwrap_or_default(),
                    e.title.clone(),
                    e.place.clone(),
                    e.responsible.clone(),
                    if e.overdue { lang.t("calendar-overdue") } else { e.state.clone() },
                ]
            })
            .collect();
        let table = ozodi_exchange::table::Table {
            title: lang.t("calendar-title"),
            headers: [
                "calendar-when",
                "calendar-what",
                "calendar-case",
                "record-kind-proceeding",
                "calendar-title-field",
                "calendar-place",
                "calendar-responsible",
                "calendar-status",
            ]
            .iter()
            .map(|k| lang.t(k))
            .collect(),
            rows,
        };
        return super::export::respond(&state, &ctx, su, "calendar", format, &table).await;
    }
    let p = ctx.page("calendar-title");
    render(&CalendarPage {
        heading: p.title.clone(),
        p,
        back: None,
        overdue,
        upcoming,
        closed,
        form: None,
        feed_link: true,
        notice: None,
        exports: Some(super::export::links(&ctx)),
    })
}

// ---------------------------------------------------------------------------------------------
// The feed
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "legal/feed.html")]
struct FeedPage {
    p: Page,
    since: Option<String>,
    link: Option<String>,
    notice: Option<String>,
}

/// `GET /calendar/feed`: whether there is a link, and the buttons to make a new one or revoke it.
pub async fn feed(ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::View, Resource::OwnCalendar).await?;
    let since = su.store.calendar_feed_since(su.user.id).await?.map(|t| ctx.lang.datetime(t));
    let notice = ctx.path.contains("revoked=1").then(|| ctx.lang.t("calendar-feed-revoked"));
    render(&FeedPage { p: ctx.page("calendar-feed-title"), since, link: None, notice })
}

/// `POST /calendar/feed`: a new secret link (the old one stops working); shown once, as a full
/// address on the host the user reached us by (a calendar application needs one).
pub async fn new_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::OwnCalendar).await?;
    let token = ozodi_vault::token::random_token().map_err(AppError::internal)?;
    let hash = ozodi_vault::token::token_hash(&token);
    let audit = state.audit_entry(Some(su.user.id), AuditKind::CalendarFeedChanged, Some(&ctx.client));
    su.store.set_calendar_feed(su.user.id, Some(&hash), state.now(), audit).await?;
    let since = Some(ctx.lang.datetime(state.now()));
    let mut response = render(&FeedPage {
        p: ctx.page("calendar-feed-title"),
        since,
        link: Some(feed_address(&headers, state.config().behind_tls_proxy, &token)),
        notice: None,
    })?;
    // The page holds a secret: not to be kept by any cache.
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The feed's full address; a missing or odd Host header leaves the path alone.
fn feed_address(headers: &axum::http::HeaderMap, tls: bool, token: &str) -> String {
    let path = format!("/feeds/calendar/{token}");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plausible = !host.is_empty()
        && host.len() <= 255
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'));
    if plausible { format!("{}://{host}{path}", if tls { "https" } else { "http" }) } else { path }
}

/// `POST /calendar/feed/revoke`.
pub async fn revoke_feed(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let su = ctx.require(Action::Update, Resource::OwnCalendar).await?;
    let audit = state.audit_entry(Some(su.user.id), AuditKind::CalendarFeedChanged, Some(&ctx.client));
    su.store.set_calendar_feed(su.user.id, None, state.now(), audit).await?;
    Ok(Redirect::to("/calendar/feed?revoked=1").into_response())
}

/// `GET /feeds/calendar/{secret}`: the iCalendar feed of the link's owner. No session, no cookie;
/// an unknown or revoked secret is a plain 404. Each entry says only what it is (hearing or
/// deadline), when, and the case and proceeding numbers: no title, place, name or note.
pub async fn calendar_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let store = ctx.store()?;
    if secret.len() > 128 || !secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let hash = ozodi_vault::token::token_hash(&secret);
    let Some(user_id) = store.calendar_feed_user(&hash).await? else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let Some(user) = store.user(user_id).await? else { return Ok(StatusCode::NOT_FOUND.into_response()) };
    let actor = ozodi_domain::Actor { id: user.id, roles: user.roles, must_change_password: false };
    if !ozodi_domain::can(&actor, Action::View, Resource::OwnCalendar) {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    let lang = user.language.as_deref().and_then(Lang::parse).unwrap_or_default();
    let now = state.now();
    let query = CalendarQuery {
        case: None,
        user: user.id,
        all: false,
        from: now - Duration::days(31),
        to: now + Duration::days(2 * 366),
        closed_too: false,
    };
    let entries = store.calendar(&query).await?;
    let mut audit = state.audit_entry(Some(user.id), AuditKind::CalendarFeedRead, Some(&ctx.client));
    audit.detail = serde_json::json!({ "entries": entries.len() });
    store.audit(audit).await?;
    let body = ical(lang, &entries, now);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response())
}

/// The iCalendar text of the entries (RFC 5545, through the `icalendar` crate).
pub(crate) fn ical(lang: Lang, entries: &[CalendarEntry], now: OffsetDateTime) -> String {
    let mut calendar = icalendar::Calendar::new();
    calendar.name("ozodi");
    let stamp = chrono::DateTime::from_timestamp(now.unix_timestamp(), 0).unwrap_or_default();
    for e in entries {
        let mut summary =
            format!("{} · {}", lang.t(&format!("calendar-kind-{}", e.kind.code())), e.case_number);
        if let Some((_, seq)) = e.proceeding {
            summary.push_str(" · ");
            summary.push_str(&ozodi_domain::record::reference(Kind::Proceeding, seq));
        }
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@ozodi", e.id))
            .summary(&summary)
            .timestamp(stamp)
            .class(icalendar::Class::Private);
        match e.kind {
            EntryKind::Hearing => {
                let start =
                    chrono::DateTime::from_timestamp(e.starts_at.unix_timestamp(), 0).unwrap_or_default();
                event.starts(start).ends(start + chrono::Duration::hours(1));
            }
            EntryKind::Deadline => {
                let day = e.starts_at.to_offset(DUSHANBE).date();
                if let Some(date) = chrono::NaiveDate::from_ymd_opt(
                    day.year(),
                    u32::from(u8::from(day.month())),
                    u32::from(day.day()),
                ) {
                    // All day: the end is exclusive (RFC 5545), so the next day.
                    event.starts(date).ends(date.succ_opt().unwrap_or(date));
                }
            }
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
