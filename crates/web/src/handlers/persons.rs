//! Persons of a case: recorded with their identity sealed in the identity compartment, shown
//! everywhere by pseudonym, revealed only to team members holding identity access, for a stated
//! purpose, with an audit entry written before the name is shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::Action;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::person::{Identity, IdentityError, PersonId, Sex};
use ozodi_store::{CaseRecord, PersonFields};

use super::{render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// The case, if `action` on it is allowed (a 404 otherwise: see `cases::case_for`).
async fn case_for<'c>(
    ctx: &'c Ctx,
    id: &str,
    action: Action,
) -> Result<(&'c SessionUser, CaseRecord), AppError> {
    let (su, case, _) = super::cases::case_for(ctx, id, action).await?;
    Ok((su, case))
}

#[derive(Debug)]
struct SexChoice {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "cases/person_new.html")]
struct NewPersonPage {
    p: Page,
    case_id: String,
    number: String,
    action: String,
    version: i64,
    with_identity: bool,
    form: PersonForm,
    sexes: Vec<SexChoice>,
    errors: Vec<String>,
}

#[derive(Debug, Default)]
struct PersonForm {
    name: String,
    other_names: String,
    contacts: String,
    address: String,
    id_documents: String,
    date_of_birth: String,
    birth_year: String,
    group: bool,
}

fn sexes(ctx: &Ctx, selected: &str) -> Vec<SexChoice> {
    Sex::ALL
        .into_iter()
        .map(|s| SexChoice {
            code: s.code(),
            label: ctx.lang.t(&format!("person-sex-{}", s.code())),
            selected: s.code() == selected,
        })
        .collect()
}

/// `GET /cases/{id}/persons/new`.
pub async fn new_form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let (_, case) = case_for(&ctx, &id, Action::Update).await?;
    render(&NewPersonPage {
        p: ctx.page("person-new-title"),
        case_id: case.id.to_string(),
        number: case.number.to_string(),
        action: format!("/cases/{}/persons", case.id),
        version: 0,
        with_identity: true,
        form: PersonForm::default(),
        sexes: sexes(&ctx, "99"),
        errors: Vec::new(),
    })
}

/// Reads the person form: the identity (when `with_identity`) and the shown fields, or the
/// translated problems.
#[expect(clippy::type_complexity, reason = "what was typed, and either the parsed values or the problems")]
fn parse_person(
    ctx: &Ctx,
    form: &FormPairs,
    with_identity: bool,
) -> (PersonForm, Result<(Option<Identity>, PersonFields), Vec<String>>) {
    let typed = PersonForm {
        name: form.get("name").trim().to_owned(),
        other_names: form.get("other_names").trim().to_owned(),
        contacts: form.get("contacts").trim().to_owned(),
        address: form.get("address").trim().to_owned(),
        id_documents: form.get("id_documents").trim().to_owned(),
        date_of_birth: form.get("date_of_birth").trim().to_owned(),
        birth_year: form.get("birth_year").trim().to_owned(),
        group: form.get("group") == "on",
    };
    let mut errors = Vec::new();
    let identity = if with_identity {
        let checked = Identity {
            name: typed.name.clone(),
            other_names: typed.other_names.clone(),
            contacts: typed.contacts.clone(),
            address: typed.address.clone(),
            id_documents: typed.id_documents.clone(),
            date_of_birth: typed.date_of_birth.clone(),
        }
        .check();
        match checked {
            Err(IdentityError::NameMissing) => {
                errors.push(ctx.lang.t("person-name-missing"));
                None
            }
            Err(IdentityError::BadField) => {
                errors.push(ctx.lang.t("person-bad-field"));
                None
            }
            Ok(identity) => Some(identity),
        }
    } else {
        None
    };
    let birth_year = match typed.birth_year.as_str() {
        "" => None,
        y => match y.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y)) {
            Some(y) => Some(y),
            None => {
                errors.push(ctx.lang.t("person-bad-year"));
                None
            }
        },
    };
    let fields = PersonFields {
        // MT07: 03 is a group, organisation or institution (02 would be a family).
        counting_unit: if typed.group { "03".into() } else { "01".into() },
        sex: Sex::parse(form.get("sex")),
        birth_year,
    };
    if errors.is_empty() { (typed, Ok((identity, fields))) } else { (typed, Err(errors)) }
}

/// `POST /cases/{id}/persons`.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case, access) = super::cases::case_for(&ctx, &id, Action::Update).await?;
    let (typed, parsed) = parse_person(&ctx, &form, true);
    let Ok((identity, fields)) = parsed else {
        let errors = parsed.err().unwrap_or_default();
        let selected = form.get("sex").to_owned();
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPersonPage {
                p: ctx.page("person-new-title"),
                case_id: case.id.to_string(),
                number: case.number.to_string(),
                action: format!("/cases/{}/persons", case.id),
                version: 0,
                with_identity: true,
                form: typed,
                sexes: sexes(&ctx, &selected),
                errors,
            },
        );
    };
    let identity = identity.unwrap_or_default();
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::CaseUpdated, Some(&ctx.client)).about(case.id);
    entry.detail = serde_json::json!({ "person": "added" });
    let person = su.store.create_person(case.id, &fields, &identity, su.user.id, state.now(), entry).await?;
    // Someone who may reveal names is shown possible duplicates at once, to link or dismiss.
    if ozodi_domain::can(&su.actor, Action::RevealIdentity, ozodi_domain::Resource::Case(access))
        && !su.store.duplicate_candidates(person.id, su.user.id).await?.is_empty()
    {
        return Ok(
            Redirect::to(&format!("/cases/{}/persons/{}/duplicates", case.id, person.id)).into_response()
        );
    }
    Ok(Redirect::to(&format!("/cases/{}?saved=1", case.id)).into_response())
}

#[derive(Template)]
#[template(path = "cases/reveal.html")]
struct RevealPage {
    p: Page,
    case_id: String,
    pseudonym: String,
    person_id: String,
    version: i64,
    shown: Vec<(&'static str, String)>,
    identity: Option<Identity>,
    error: Option<String>,
}

async fn person_of(
    ctx: &Ctx,
    case: &CaseRecord,
    person: &str,
) -> Result<ozodi_store::PersonRecord, AppError> {
    let person = PersonId::parse(person).ok_or(AppError::NotFound)?;
    ctx.store()?
        .persons_of_case(case.id)
        .await?
        .into_iter()
        .find(|p| p.id == person)
        .ok_or(AppError::NotFound)
}

/// `GET /cases/{id}/persons/{person}/reveal`: asks for the purpose.
pub async fn reveal_form(ctx: Ctx, Path((id, person)): Path<(String, String)>) -> Result<Response, AppError> {
    let (_, case) = case_for(&ctx, &id, Action::RevealIdentity).await?;
    let person = person_of(&ctx, &case, &person).await?;
    render(&RevealPage {
        p: ctx.page("person-reveal-title"),
        case_id: case.id.to_string(),
        pseudonym: person.pseudonym.to_string(),
        person_id: person.id.to_string(),
        version: person.version,
        shown: shown_values(&person),
        identity: None,
        error: None,
    })
}

/// `POST /cases/{id}/persons/{person}/reveal`: writes the audit entry with the purpose, then shows
/// the identity (never cached: every response carries `no-store`).
pub async fn reveal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case) = case_for(&ctx, &id, Action::RevealIdentity).await?;
    let person = person_of(&ctx, &case, &person).await?;
    let purpose = form.get("purpose").trim().chars().take(500).collect::<String>();
    let page = |identity, error| RevealPage {
        p: ctx.page("person-reveal-title"),
        case_id: case.id.to_string(),
        pseudonym: person.pseudonym.to_string(),
        person_id: person.id.to_string(),
        version: person.version,
        shown: shown_values(&person),
        identity,
        error,
    };
    if purpose.chars().count() < 5 {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(None, Some(ctx.lang.t("person-purpose-required"))),
        );
    }
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::IdentityRevealed, Some(&ctx.client)).about(person.id);
    entry.detail = serde_json::json!({ "case": case.id.to_string(), "pseudonym": person.pseudonym.to_string(), "purpose": purpose });
    let identity = su.store.reveal_identity(person.id, entry).await?;
    render(&page(Some(identity), None))
}

#[derive(Debug)]
struct CandidateView {
    id: String,
    pseudonym: String,
    case_number: String,
    reasons: String,
    decision: Option<String>,
}

#[derive(Template)]
#[template(path = "cases/duplicates.html")]
struct DuplicatesPage {
    p: Page,
    case_id: String,
    person_id: String,
    pseudonym: String,
    candidates: Vec<CandidateView>,
}

async fn duplicates_page(ctx: &Ctx, id: &str, person: &str) -> Result<Response, AppError> {
    let (su, case) = case_for(ctx, id, Action::RevealIdentity).await?;
    let person = person_of(ctx, &case, person).await?;
    let candidates = su
        .store
        .duplicate_candidates(person.id, su.user.id)
        .await?
        .into_iter()
        .map(|c| {
            let mut reasons =
                vec![ctx.lang.t_args("duplicate-names", &[("count", &c.shared_names.to_string())])];
            if c.same_birth_year {
                reasons.push(ctx.lang.t("duplicate-birth-year"));
            }
            if c.same_region {
                reasons.push(ctx.lang.t("duplicate-region"));
            }
            CandidateView {
                id: c.person.id.to_string(),
                pseudonym: c.person.pseudonym.to_string(),
                case_number: c.case_number.to_string(),
                reasons: reasons.join(", "),
                decision: c.decision.map(|d| ctx.lang.t(&format!("duplicate-decision-{d}"))),
            }
        })
        .collect();
    render(&DuplicatesPage {
        p: ctx.page("duplicate-title"),
        case_id: case.id.to_string(),
        person_id: person.id.to_string(),
        pseudonym: person.pseudonym.to_string(),
        candidates,
    })
}

/// `GET /cases/{id}/persons/{person}/duplicates`: persons who may be the same, for someone holding
/// identity access (the suggestions come from names).
pub async fn duplicates(ctx: Ctx, Path((id, person)): Path<(String, String)>) -> Result<Response, AppError> {
    duplicates_page(&ctx, &id, &person).await
}

/// `POST /cases/{id}/persons/{person}/duplicates`: records "same" or "different" for one candidate.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (su, case) = case_for(&ctx, &id, Action::RevealIdentity).await?;
    let person = person_of(&ctx, &case, &person).await?;
    let other = PersonId::parse(form.get("other")).ok_or(AppError::BadRequest)?;
    // The other person must be one this user may see the name of: on a case where they may reveal
    // identities too (the same rule as for the suggestions). Anything else is not found.
    let other_person =
        su.store.person(other).await?.filter(|o| o.id != person.id).ok_or(AppError::NotFound)?;
    let (_, _, other_access) =
        super::cases::case_for(&ctx, &other_person.case_id.to_string(), Action::View).await?;
    if !ozodi_domain::can(&su.actor, Action::RevealIdentity, ozodi_domain::Resource::Case(other_access)) {
        return Err(AppError::NotFound);
    }
    let same = match form.get("decision") {
        "same" => true,
        "different" => false,
        _ => return Err(AppError::BadRequest),
    };
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::DuplicateDecided, Some(&ctx.client)).about(person.id);
    entry.detail = serde_json::json!({ "other": other.to_string(), "decision": if same { "same" } else { "different" } });
    su.store.decide_duplicate(person.id, other, same, su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&format!("/cases/{}/persons/{}/duplicates", case.id, person.id)).into_response())
}

/// The shown fields as hidden form values (the identity form keeps them as they are).
fn shown_values(person: &ozodi_store::PersonRecord) -> Vec<(&'static str, String)> {
    let mut out = vec![("sex", person.fields.sex.map(Sex::code).unwrap_or("99").to_owned())];
    if let Some(year) = person.fields.birth_year {
        out.push(("birth_year", year.to_string()));
    }
    if person.fields.counting_unit != "01" {
        out.push(("group", "on".into()));
    }
    out
}

fn shown_form(person: &ozodi_store::PersonRecord) -> PersonForm {
    PersonForm {
        birth_year: person.fields.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        group: person.fields.counting_unit != "01",
        ..PersonForm::default()
    }
}

/// `GET /cases/{id}/persons/{person}/edit`: the shown fields (sex, year of birth, group).
pub async fn edit_form(ctx: Ctx, Path((id, person)): Path<(String, String)>) -> Result<Response, AppError> {
    let (_, case) = case_for(&ctx, &id, Action::Update).await?;
    let person = person_of(&ctx, &case, &person).await?;
    let sex = person.fields.sex.map(Sex::code).unwrap_or("99");
    let mut p = ctx.page("person-edit-title");
    p.title = format!("{}: {}", p.title, person.pseudonym);
    render(&NewPersonPage {
        p,
        case_id: case.id.to_string(),
        number: case.number.to_string(),
        action: format!("/cases/{}/persons/{}", case.id, person.id),
        version: person.version,
        with_identity: false,
        form: shown_form(&person),
        sexes: sexes(&ctx, sex),
        errors: Vec::new(),
    })
}

async fn save(
    state: AppState,
    ctx: Ctx,
    id: String,
    person: String,
    form: FormPairs,
    with_identity: bool,
) -> Result<Response, AppError> {
    let action = if with_identity { Action::RevealIdentity } else { Action::Update };
    let (su, case) = case_for(&ctx, &id, action).await?;
    let person = person_of(&ctx, &case, &person).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let (typed, parsed) = parse_person(&ctx, &form, with_identity);
    let again = |typed: PersonForm, errors: Vec<String>, status: StatusCode| {
        let mut p = ctx.page("person-edit-title");
        p.title = format!("{}: {}", p.title, person.pseudonym);
        let suffix = if with_identity { "/identity" } else { "" };
        render_status(
            status,
            &NewPersonPage {
                p,
                case_id: case.id.to_string(),
                number: case.number.to_string(),
                action: format!("/cases/{}/persons/{}{suffix}", case.id, person.id),
                version,
                with_identity,
                form: typed,
                sexes: sexes(&ctx, form.get("sex")),
                errors,
            },
        )
    };
    let (identity, fields) = match parsed {
        Ok(values) => values,
        Err(errors) => return again(typed, errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut entry =
        state.audit_entry(Some(su.user.id), AuditKind::CaseUpdated, Some(&ctx.client)).about(case.id);
    entry.detail = serde_json::json!({
        "person": person.pseudonym.to_string(),
        "changed": if with_identity { "identity" } else { "shown-fields" },
    });
    match su
        .store
        .update_person(person.id, version, &fields, identity.as_ref(), su.user.id, state.now(), entry)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{}?saved=1", case.id)).into_response()),
        Err(ozodi_store::StoreError::Conflict) => {
            again(typed, vec![ctx.lang.t("case-conflict")], StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /cases/{id}/persons/{person}`: saves the shown fields as a new version.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    save(state, ctx, id, person, form, false).await
}

/// `POST /cases/{id}/persons/{person}/identity`: saves a corrected identity (offered after a
/// reveal); the previous one stays, sealed, as a version.
pub async fn update_identity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, person)): Path<(String, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    save(state, ctx, id, person, form, true).await
}
