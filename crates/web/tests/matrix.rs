//! The authorisation matrix: every case-related route × every role × read and write, then guessed
//! ids across cases, identity markers that must never reach a page without identity access, and
//! stored script payloads in every free-text field.
//!
//! The oracle is the domain. Each cell's expected answer is `ozodi_domain::can` applied to the
//! account's actual relation to the case as the store holds it (on the team? with identity access?
//! the lead? is the case tombstoned? the record?), so the test checks that the HTTP layer enforces
//! exactly the domain rule: an allowed request succeeds (200, or 303 after a write), a refused one
//! is a 404 inside a case (the same page as for a case that does not exist) and a 403 on the
//! facility registry or when opening a case, and a refused request changes nothing (cases, teams,
//! persons, records, versions, evidence, custody, files). Besides one account per role, a doctor
//! on the team whose password was reset must be sent to the password page from everywhere, for an
//! existing case as for a guessed one. A few outcomes are also stated outright (`anchors`), so that
//! a wrong rule in `can` itself does not pass unnoticed.
//!
//! Every write sends a valid request, so that a refusal is the only thing that can stop it. Allowed
//! writes are real writes; the few that would change who may do what (tombstones, restores, team
//! changes) are undone through the store right after, so every cell runs against the same
//! relations.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use common::{TestApp, TestResult, escaped, location, raw_markup, script};
use futures_util::future::join_all;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::{FieldDef, FieldType, Kind, RecordId, Target};
use ozodi_domain::{Action, Actor, CaseAccess, Resource, Role, UserId, can};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

// ---------------------------------------------------------------------------------------------
// The routes, as data.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    /// A `multipart/form-data` POST (the evidence upload).
    Upload,
}

impl Method {
    fn http(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post | Method::Upload => "POST",
        }
    }
}

/// The permission a route needs, named by what `can` is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// `GET /cases`: every account (the list is filtered, never refused).
    CaseList,
    /// Opening a new case (`Resource::Cases`).
    CaseCreate,
    /// An action on the case itself: view, update, delete, restore, manage the team, reveal.
    Case(Action),
    /// An action on a record of the case (reached through the case).
    Record(Action),
    /// Evidence of the case: viewing and downloading are `View`, uploading is `Create`.
    Evidence(Action),
    /// The registry of places of detention.
    Facility(Action),
    /// The monitoring of places of detention: visits, their course, team and allegations,
    /// findings, recommendations and their assessments (`Resource::Monitoring`).
    Monitoring(Action),
    /// The UN follow-up: documents, recommendations, assessments, imports, the matrix and the
    /// shadow report (`Resource::UnFollowUp`).
    Un(Action),
    /// The advocacy log: meetings and publications (`Resource::Advocacy`).
    Advocacy(Action),
    /// What goes onto the public site and off it (`Resource::Site`).
    Site(Action),
    /// The statistics (`Resource::Statistics`).
    Statistics,
    /// A medico-legal evaluation of the case (`{evaluation}`: one opened by the doctor, not
    /// shared with the lawyers).
    Evaluation(Action),
    /// Legal work of the case: a legal record (proceeding, accused, payment), a procedural step, a
    /// hearing or deadline. Reading follows the case; changing is for its lawyers and coordinators.
    Legal(Action),
    /// A rehabilitation episode of the case (`{episode}`: referred with one session held).
    Rehab(Action),
    /// The clinical side of an episode: recording a session (`Create`), removing one (`Update`,
    /// which also needs `Rehab(Update)`).
    Clinical(Action),
    /// The case file for court: producing it (the form too) is `Create`.
    Court,
}

/// What a write sends: always a valid request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    /// Nothing (a GET, a restore, a team removal).
    None,
    /// A new case.
    NewCase,
    /// The case's fields, at its current version.
    CaseFields,
    /// The first step the case's status allows, with a reason.
    Step,
    /// A new person.
    NewPerson,
    /// A purpose for revealing an identity.
    Purpose,
    /// The psychologist, added to the team with identity access.
    AddMember,
    /// A reason for a tombstone.
    Reason,
    /// A valid new record of the route's type.
    NewRecord,
    /// Valid values for the addressed record, at its current version.
    EditRecord,
    /// A small PDF with a title.
    File,
    /// The person's shown fields, at their current version.
    EditPerson,
    /// The person's identity (unchanged markers), at the current version.
    EditIdentity,
    /// A decision that the person and the case's second person are different people.
    Duplicate,
    /// A new hearing with the case lead responsible.
    NewEntry,
    /// The hearing's values, at its current version.
    EditEntry,
    /// The first step the proceeding's machine allows from where it stands, with ground and note.
    NextStep,
    /// The hearing marked done, at its current version (undone by opening it again).
    EntryDone,
    /// A new evaluation of the case's first person.
    NewEvaluation,
    /// The evaluation's values, at its current version.
    EditEvaluation,
    /// The next workflow stage short of signing or a refusal, at the current version.
    EvaluationStep,
    /// The person's consent to share, recorded (undone by withdrawing it).
    Share,
    /// A new finding on the upper back.
    NewFinding,
    /// Removing the first finding, at its version (a second removal changes nothing).
    RemoveFinding,
    /// A referral of the case's first person.
    NewEpisode,
    /// The episode's values, at its current version.
    EditEpisode,
    /// The next stage of the course short of ending it, at the current version.
    EpisodeStep,
    /// A session held.
    NewSession,
    /// Removing the first session, at its version (a second removal changes nothing).
    RemoveSession,
    /// A court file of the case's own sections, as a printable page.
    CourtFile,
    /// The next stage of the visit's course short of a denial, at its last step.
    VisitStep,
    /// Someone of the Ombudsman's office added to the visit's team.
    TeamMember,
    /// An allegation counted without authorisation (nothing of what was said).
    Allegation,
    /// Our assessment of the recommendation, as of today.
    Assessment,
    /// The UN recommendation confirmed against the official text, at its current version.
    Verify,
    /// The fixture export of the UN index, as an upload.
    Import,
    /// The publication sent back to its author, from review at its current version (put under
    /// review again through the store first when an earlier cell sent it back).
    PublicationReturn,
    /// The case's public summary, at its current version.
    PublicSummary,
}

/// Routes outside any one case: (method, path, permission, body). `{visit}` is a live visit,
/// `{visit_rec}` a live recommendation of it, `{un_rec}` a live UN recommendation, `{member_seq}`
/// a member of the visit's team not yet removed (looked up when the request is sent).
const GLOBAL_ROUTES: [(Method, &str, Class, Body); 31] = [
    (Method::Get, "/cases", Class::CaseList, Body::None),
    (Method::Get, "/cases/new", Class::CaseCreate, Body::None),
    (Method::Post, "/cases", Class::CaseCreate, Body::NewCase),
    (Method::Get, "/facilities", Class::Facility(Action::View), Body::None),
    (Method::Get, "/monitoring", Class::Monitoring(Action::View), Body::None),
    (Method::Post, "/visits/{visit}/steps", Class::Monitoring(Action::Update), Body::VisitStep),
    (Method::Post, "/visits/{visit}/team", Class::Monitoring(Action::Update), Body::TeamMember),
    (Method::Post, "/visits/{visit}/team/{member_seq}/remove", Class::Monitoring(Action::Update), Body::None),
    (Method::Post, "/visits/{visit}/allegations", Class::Monitoring(Action::Update), Body::Allegation),
    (
        Method::Post,
        "/visit-recommendations/{visit_rec}/assessments",
        Class::Monitoring(Action::Update),
        Body::Assessment,
    ),
    (Method::Get, "/recommendations", Class::Un(Action::View), Body::None),
    (Method::Get, "/recommendations/documents", Class::Un(Action::View), Body::None),
    (Method::Get, "/recommendations/matrix", Class::Un(Action::View), Body::None),
    (Method::Get, "/recommendations/shadow-report", Class::Un(Action::View), Body::None),
    (Method::Get, "/recommendations/import", Class::Un(Action::Create), Body::None),
    (Method::Upload, "/recommendations/import", Class::Un(Action::Create), Body::Import),
    (Method::Post, "/recommendations/{un_rec}/assessments", Class::Un(Action::Update), Body::Assessment),
    (Method::Post, "/recommendations/{un_rec}/verify", Class::Un(Action::Update), Body::Verify),
    (Method::Get, "/recommendations/{un_rec}", Class::Un(Action::View), Body::None),
    (Method::Get, "/meetings", Class::Advocacy(Action::View), Body::None),
    (Method::Get, "/publications", Class::Advocacy(Action::View), Body::None),
    (Method::Get, "/publications/{publication}/preview", Class::Advocacy(Action::View), Body::None),
    (Method::Post, "/publications/{publication}/steps", Class::Site(Action::Update), Body::PublicationReturn),
    (Method::Upload, "/publications/{publication}/files", Class::Advocacy(Action::Update), Body::File),
    (Method::Get, "/publications/{publication}/files/{pub_file}", Class::Advocacy(Action::View), Body::None),
    (
        Method::Post,
        "/publications/{publication}/files/{pub_file}/remove",
        Class::Advocacy(Action::Update),
        Body::None,
    ),
    (Method::Get, "/statistics", Class::Statistics, Body::None),
    (Method::Get, "/statistics/public", Class::Statistics, Body::None),
    (Method::Get, "/statistics/report", Class::Statistics, Body::None),
    (Method::Get, "/statistics/report/pdf", Class::Statistics, Body::None),
    (Method::Get, "/statistics/{indicator}/cases", Class::Statistics, Body::None),
];

/// The routes of a case other than its records'. `{person}` is the person with the sealed
/// identity, `{member}` a team member who is not the lead, `{evidence}` an evidence item.
const CASE_ROUTES: [(Method, &str, Class, Body); 57] = [
    (Method::Get, "/cases/{case}/export.json", Class::Record(Action::View), Body::None),
    (Method::Get, "/cases/{case}/court-file", Class::Court, Body::None),
    (Method::Post, "/cases/{case}/court-file", Class::Court, Body::CourtFile),
    (Method::Get, "/cases/{case}/rehabilitation/new", Class::Rehab(Action::Create), Body::None),
    (Method::Post, "/cases/{case}/rehabilitation", Class::Rehab(Action::Create), Body::NewEpisode),
    (Method::Get, "/cases/{case}/rehabilitation/{episode}", Class::Rehab(Action::View), Body::None),
    (Method::Get, "/cases/{case}/rehabilitation/{episode}/edit", Class::Rehab(Action::Update), Body::None),
    (Method::Post, "/cases/{case}/rehabilitation/{episode}", Class::Rehab(Action::Update), Body::EditEpisode),
    (
        Method::Post,
        "/cases/{case}/rehabilitation/{episode}/steps",
        Class::Rehab(Action::Update),
        Body::EpisodeStep,
    ),
    (
        Method::Get,
        "/cases/{case}/rehabilitation/{episode}/sessions/new",
        Class::Clinical(Action::Create),
        Body::None,
    ),
    (
        Method::Post,
        "/cases/{case}/rehabilitation/{episode}/sessions",
        Class::Clinical(Action::Create),
        Body::NewSession,
    ),
    (
        Method::Post,
        "/cases/{case}/rehabilitation/{episode}/sessions/{session}/remove",
        Class::Clinical(Action::Update),
        Body::RemoveSession,
    ),
    (Method::Get, "/cases/{case}/evaluations/{evaluation}/pdf", Class::Evaluation(Action::View), Body::None),
    (
        Method::Post,
        "/cases/{case}/evaluations/{evaluation}/findings/{finding}/remove",
        Class::Evaluation(Action::Update),
        Body::RemoveFinding,
    ),
    (Method::Get, "/cases/{case}/evaluations/new", Class::Evaluation(Action::Create), Body::None),
    (Method::Post, "/cases/{case}/evaluations", Class::Evaluation(Action::Create), Body::NewEvaluation),
    (Method::Get, "/cases/{case}/evaluations/{evaluation}", Class::Evaluation(Action::View), Body::None),
    (
        Method::Get,
        "/cases/{case}/evaluations/{evaluation}/print",
        Class::Evaluation(Action::View),
        Body::None,
    ),
    (
        Method::Get,
        "/cases/{case}/evaluations/{evaluation}/edit",
        Class::Evaluation(Action::Update),
        Body::None,
    ),
    (
        Method::Post,
        "/cases/{case}/evaluations/{evaluation}",
        Class::Evaluation(Action::Update),
        Body::EditEvaluation,
    ),
    (
        Method::Post,
        "/cases/{case}/evaluations/{evaluation}/steps",
        Class::Evaluation(Action::Update),
        Body::EvaluationStep,
    ),
    (
        Method::Post,
        "/cases/{case}/evaluations/{evaluation}/sharing",
        Class::Evaluation(Action::Update),
        Body::Share,
    ),
    (
        Method::Get,
        "/cases/{case}/evaluations/{evaluation}/findings/new",
        Class::Evaluation(Action::Update),
        Body::None,
    ),
    (
        Method::Post,
        "/cases/{case}/evaluations/{evaluation}/findings",
        Class::Evaluation(Action::Update),
        Body::NewFinding,
    ),
    (Method::Post, "/cases/{case}/calendar/{entry}/status", Class::Legal(Action::Update), Body::EntryDone),
    (Method::Get, "/cases/{case}/calendar", Class::Legal(Action::View), Body::None),
    (Method::Post, "/cases/{case}/calendar", Class::Legal(Action::Create), Body::NewEntry),
    (Method::Get, "/cases/{case}/calendar/{entry}", Class::Legal(Action::View), Body::None),
    (Method::Post, "/cases/{case}/calendar/{entry}", Class::Legal(Action::Update), Body::EditEntry),
    (
        Method::Post,
        "/cases/{case}/proceedings/{proceeding}/steps",
        Class::Legal(Action::Update),
        Body::NextStep,
    ),
    (Method::Get, "/cases/{case}", Class::Case(Action::View), Body::None),
    (Method::Get, "/cases/{case}/history", Class::Case(Action::View), Body::None),
    (Method::Get, "/cases/{case}/edit", Class::Case(Action::Update), Body::None),
    (Method::Post, "/cases/{case}", Class::Case(Action::Update), Body::CaseFields),
    (Method::Post, "/cases/{case}/status", Class::Case(Action::Update), Body::Step),
    (Method::Post, "/cases/{case}/public-summary", Class::Case(Action::Update), Body::PublicSummary),
    (Method::Get, "/cases/{case}/persons/new", Class::Case(Action::Update), Body::None),
    (Method::Post, "/cases/{case}/persons", Class::Case(Action::Update), Body::NewPerson),
    (Method::Get, "/cases/{case}/persons/{person}/reveal", Class::Case(Action::RevealIdentity), Body::None),
    (
        Method::Post,
        "/cases/{case}/persons/{person}/reveal",
        Class::Case(Action::RevealIdentity),
        Body::Purpose,
    ),
    (Method::Post, "/cases/{case}/team", Class::Case(Action::ManageTeam), Body::AddMember),
    (Method::Post, "/cases/{case}/team/{member}/remove", Class::Case(Action::ManageTeam), Body::None),
    (Method::Get, "/cases/{case}/delete", Class::Case(Action::Delete), Body::None),
    (Method::Post, "/cases/{case}/delete", Class::Case(Action::Delete), Body::Reason),
    (Method::Post, "/cases/{case}/restore", Class::Case(Action::Restore), Body::None),
    (Method::Get, "/cases/{case}/evidence/new", Class::Evidence(Action::Create), Body::None),
    (Method::Upload, "/cases/{case}/evidence", Class::Evidence(Action::Create), Body::File),
    (Method::Get, "/cases/{case}/evidence/{evidence}", Class::Evidence(Action::View), Body::None),
    (Method::Get, "/cases/{case}/evidence/{evidence}/download", Class::Evidence(Action::View), Body::None),
    (Method::Get, "/cases/{case}/evidence/{evidence}/delete", Class::Evidence(Action::Delete), Body::None),
    (Method::Post, "/cases/{case}/evidence/{evidence}/delete", Class::Evidence(Action::Delete), Body::Reason),
    (Method::Post, "/cases/{case}/evidence/{evidence}/restore", Class::Evidence(Action::Restore), Body::None),
    (Method::Get, "/cases/{case}/persons/{person}/edit", Class::Case(Action::Update), Body::None),
    (Method::Post, "/cases/{case}/persons/{person}", Class::Case(Action::Update), Body::EditPerson),
    (
        Method::Post,
        "/cases/{case}/persons/{person}/identity",
        Class::Case(Action::RevealIdentity),
        Body::EditIdentity,
    ),
    (
        Method::Get,
        "/cases/{case}/persons/{person}/duplicates",
        Class::Case(Action::RevealIdentity),
        Body::None,
    ),
    (
        Method::Post,
        "/cases/{case}/persons/{person}/duplicates",
        Class::Case(Action::RevealIdentity),
        Body::Duplicate,
    ),
];

/// The routes of one record type under `{base}`: `/cases/{case}/{slug}` for each type of
/// `Kind::OF_CASE` (as `router::case_record_routes` generates them), `/facilities` for the
/// registry. A new record type gets its routes here without a new line.
const RECORD_ROUTES: [(Method, &str, Action, Body); 9] = [
    (Method::Get, "{base}/new", Action::Create, Body::None),
    (Method::Post, "{base}", Action::Create, Body::NewRecord),
    (Method::Get, "{base}/{record}", Action::View, Body::None),
    (Method::Get, "{base}/{record}/history", Action::View, Body::None),
    (Method::Get, "{base}/{record}/edit", Action::Update, Body::None),
    (Method::Post, "{base}/{record}", Action::Update, Body::EditRecord),
    (Method::Get, "{base}/{record}/delete", Action::Delete, Body::None),
    (Method::Post, "{base}/{record}/delete", Action::Delete, Body::Reason),
    (Method::Post, "{base}/{record}/restore", Action::Restore, Body::None),
];

/// A route with its placeholders still in.
#[derive(Clone, Debug)]
struct Template {
    method: Method,
    path: String,
    class: Class,
    body: Body,
    kind: Option<Kind>,
}

/// Every case-related route: the global ones, the case's own, and those of every record type.
fn templates() -> Vec<Template> {
    let mut out: Vec<Template> = GLOBAL_ROUTES
        .into_iter()
        .chain(CASE_ROUTES)
        .map(|(method, path, class, body)| Template {
            method,
            path: path.to_owned(),
            class,
            body,
            kind: None,
        })
        .collect();
    let kinds = Kind::OF_CASE
        .into_iter()
        .map(|k| {
            let class = if Kind::LEGAL.contains(&k) { Class::Legal } else { Class::Record };
            (k, format!("/cases/{{case}}/{}", k.slug()), class as fn(Action) -> Class)
        })
        .chain(Kind::REGISTRY.into_iter().map(|k| {
            let class = match k {
                Kind::Visit | Kind::VisitFinding | Kind::VisitRecommendation => Class::Monitoring,
                Kind::UnDocument | Kind::UnRecommendation => Class::Un,
                Kind::Meeting | Kind::Publication => Class::Advocacy,
                _ => Class::Facility,
            };
            (k, format!("/{}", k.slug()), class as fn(Action) -> Class)
        }));
    for (kind, base, class) in kinds {
        for (method, path, action, body) in RECORD_ROUTES {
            out.push(Template {
                method,
                path: path.replace("{base}", &base),
                class: class(action),
                body,
                kind: Some(kind),
            });
        }
    }
    out
}

/// A record or facility a route addresses, and whether it is tombstoned.
type Addressed = (RecordId, bool);

/// What a route is about: its case and the record it addresses.
type Scope = (Option<CaseId>, Option<RecordId>);

/// One concrete route of the matrix.
#[derive(Clone, Debug)]
struct Route {
    method: Method,
    template: String,
    path: String,
    class: Class,
    body: Body,
    /// The case the route is inside.
    case: Option<CaseId>,
    kind: Option<Kind>,
    /// The addressed record or facility.
    target: Option<RecordId>,
    /// Whether the addressed record or facility is tombstoned.
    deleted: bool,
}

impl Route {
    fn name(&self) -> String {
        let state = match (self.target, self.deleted) {
            (Some(_), true) => " [tombstoned record]",
            _ => "",
        };
        format!("{:?} {}{state}", self.method, self.template)
    }
}

fn fill(template: &str, subs: &[(&str, String)]) -> String {
    subs.iter().fold(template.to_owned(), |path, (key, value)| path.replace(key, value))
}

// ---------------------------------------------------------------------------------------------
// The oracle.
// ---------------------------------------------------------------------------------------------

fn actor(account: &Account) -> Actor {
    Actor {
        id: account.id,
        roles: [account.role].into_iter().collect(),
        must_change_password: account.must_change_password,
    }
}

/// The account's relation to the case, read from the store as the handlers read it.
async fn relation(app: &TestApp, user: UserId, case: CaseId) -> Res<CaseAccess> {
    let store = app.store();
    let record = store.case(case).await?.ok_or("no such case")?;
    let team = store.case_team(case).await?;
    let member = team.iter().find(|m| m.user == user);
    Ok(CaseAccess {
        on_team: member.is_some(),
        identity_access: member.is_some_and(|m| m.identity_access),
        lead: record.fields.lead == Some(user),
        deleted: record.deleted.is_some(),
    })
}

/// What the domain allows. Records and evidence are reached through their case: the case must be
/// open to the actor and the action allowed on the record.
fn allowed(actor: &Actor, class: Class, access: CaseAccess, deleted: bool) -> bool {
    let reaches_case = can(actor, Action::View, Resource::Case(access));
    match class {
        Class::CaseList => can(actor, Action::View, Resource::Dashboard),
        Class::CaseCreate => can(actor, Action::Create, Resource::Cases),
        Class::Case(action) => can(actor, action, Resource::Case(access)),
        Class::Record(action) | Class::Evidence(action) => {
            reaches_case && can(actor, action, Resource::Record(access, deleted))
        }
        Class::Facility(action) => {
            let resource = if deleted { Resource::DeletedFacility } else { Resource::Facilities };
            can(actor, action, resource)
        }
        Class::Monitoring(action) => can(actor, action, Resource::Monitoring(deleted)),
        Class::Un(action) => can(actor, action, Resource::UnFollowUp(deleted)),
        Class::Advocacy(action) => can(actor, action, Resource::Advocacy(deleted)),
        // Reaching a publication's course is for the advocacy log's readers; the step itself
        // for the site's editors.
        Class::Site(action) => {
            can(actor, Action::View, Resource::Advocacy(false)) && can(actor, action, Resource::Site)
        }
        Class::Statistics => can(actor, Action::View, Resource::Statistics),
        // A legal record is a record whose changes are also legal work; a step or a hearing is
        // legal work alone.
        Class::Evaluation(action) => {
            // The fixture's evaluations are never shared with the lawyers (the sharing route's
            // own change is undone after it).
            let access = ozodi_domain::EvaluationAccess { case: access, shared_with_lawyers: false };
            reaches_case && can(actor, action, Resource::Evaluation(access))
        }
        // An episode is reached through its case; its sessions through the episode.
        Class::Rehab(action) => reaches_case && can(actor, action, Resource::Rehabilitation(access)),
        Class::Court => reaches_case && can(actor, Action::Create, Resource::CourtFile(access)),
        Class::Clinical(action) => {
            let episode = if action == Action::Update { Action::Update } else { Action::View };
            reaches_case
                && can(actor, episode, Resource::Rehabilitation(access))
                && can(actor, action, Resource::ClinicalNotes(access))
        }
        Class::Legal(action) => {
            let changes = matches!(action, Action::Create | Action::Update | Action::Delete);
            reaches_case
                && can(actor, action, Resource::Record(access, deleted))
                && (!changes || can(actor, action, Resource::Legal(access)))
        }
    }
}

/// The answer to a refusal: inside a case, existence is not confirmed (404); the registry and the
/// opening of cases are not secret (403). An account that must change its password is sent to the
/// password page, whatever it asked for (and a redirect tells no more than a 404 would).
fn refusal(who: &Account, class: Class) -> StatusCode {
    if who.must_change_password {
        return StatusCode::SEE_OTHER;
    }
    match class {
        Class::CaseCreate
        | Class::Facility(_)
        | Class::Monitoring(_)
        | Class::Un(_)
        | Class::Advocacy(_)
        | Class::Site(_)
        | Class::Statistics => StatusCode::FORBIDDEN,
        _ => StatusCode::NOT_FOUND,
    }
}

/// The answer to an allowed, valid request.
fn success(route: &Route) -> StatusCode {
    match (route.method, route.body) {
        (Method::Get, _) | (_, Body::Purpose | Body::CourtFile | Body::Import) => StatusCode::OK,
        _ => StatusCode::SEE_OTHER,
    }
}

// ---------------------------------------------------------------------------------------------
// The fixture.
// ---------------------------------------------------------------------------------------------

/// A logged-in account: one per role, named by its role code, and a doctor whose password was
/// reset (who may reach nothing but the password page, not even the case whose team they are on).
#[derive(Debug)]
struct Account {
    name: String,
    role: Role,
    id: UserId,
    must_change_password: bool,
    client: Client,
    csrf: String,
}

/// The account that must change its password.
const RESET: &str = "doctor.reset";

/// Candidates for the reference fields of a record form.
#[derive(Clone, Debug, Default)]
struct Refs {
    events: Vec<String>,
    acts: Vec<String>,
    persons: Vec<String>,
    facilities: Vec<String>,
    involvements: Vec<String>,
    /// A criminal case (for accused) and a civil claim (for payments).
    criminal: Vec<String>,
    civil: Vec<String>,
    /// Live records of the monitoring and the UN follow-up.
    visits: Vec<String>,
    visit_findings: Vec<String>,
    un_documents: Vec<String>,
    un_recommendations: Vec<String>,
    publications: Vec<String>,
}

impl Refs {
    fn of(&self, kind: Kind, target: Target) -> &[String] {
        match target {
            Target::Event => &self.events,
            Target::Act => &self.acts,
            Target::Person => &self.persons,
            Target::Facility => &self.facilities,
            Target::Involvement => &self.involvements,
            Target::Proceeding if kind == Kind::Payment => &self.civil,
            Target::Proceeding => &self.criminal,
            Target::Visit => &self.visits,
            Target::VisitFinding => &self.visit_findings,
            Target::UnDocument => &self.un_documents,
            Target::UnRecommendation => &self.un_recommendations,
            Target::Publication => &self.publications,
        }
    }
}

#[derive(Clone, Debug)]
struct CaseFx {
    id: CaseId,
    /// Live records and persons of the case (the first person holds the sealed identity).
    refs: Refs,
    /// Per record type: a live record and a tombstoned one.
    records: Vec<(Kind, RecordId, RecordId)>,
    evidence: RecordId,
    /// A team member who is not the lead, and whether they hold identity access.
    member: (UserId, bool),
    /// A hearing on the case's calendar.
    entry: String,
    /// An evaluation opened by a doctor, with one finding.
    evaluation: String,
    /// A rehabilitation episode of the first person, assessed, with one session.
    episode: String,
}

impl CaseFx {
    fn live(&self, kind: Kind) -> Res<RecordId> {
        Ok(self.records.iter().find(|(k, _, _)| *k == kind).map(|(_, live, _)| *live).ok_or("no record")?)
    }
}

#[derive(Debug)]
struct World {
    accounts: Vec<Account>,
    /// A: opened by the lawyer (lead, identity access), the doctor on the team without identity
    /// access, the analyst with it (granted, but analysts never see names). B: opened by the
    /// operator, with the monitor; the lawyer is not on it. D: like A, then tombstoned by its lead.
    cases: [CaseFx; 3],
    /// A live facility and a tombstoned one.
    facilities: (RecordId, RecordId),
    /// A live and a tombstoned record of every type of the registry (facilities included).
    registry: Vec<(Kind, RecordId, RecordId)>,
    /// The registry's live records, as references.
    registry_refs: Refs,
    /// A file attached to the live publication.
    publication_file: String,
    /// A valid code of every vocabulary list a record field uses.
    codes: HashMap<&'static str, String>,
}

/// The identity of the first person of every fixture case.
const MARKER_NAME: &str = "Маркерҷон Маркерзода";
const MARKER_CONTACT: &str = "+992 00 999 88 77";
const MARKER_IDENTITY: [(&str, &str); 5] = [
    ("name", MARKER_NAME),
    ("other_names", "Маркерҷони Дигарнома"),
    ("contacts", MARKER_CONTACT),
    ("address", "кӯчаи Маркерӣ 77, Маркеробод"),
    ("id_documents", "Шиноснома А-МАРКЕР-4242"),
];
/// Substrings that must never appear on a page without identity access.
const MARKERS: [&str; 7] = [
    MARKER_NAME,
    "Маркерзода",
    MARKER_CONTACT,
    "999 88 77",
    "Маркерҷони Дигарнома",
    "Маркеробод",
    "А-МАРКЕР-4242",
];

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn upload_form(csrf: &str, title: &str, description: &str, file: (&[u8], &str, &str)) -> Res<Form> {
    let (bytes, name, mime) = file;
    let part = Part::bytes(bytes.to_vec()).file_name(name.to_owned()).mime_str(mime)?;
    // No percent-encoding of the file name: the server must cope with it as typed.
    Ok(Form::new()
        .percent_encode_noop()
        .text("csrf", csrf.to_owned())
        .text("title", title.to_owned())
        .text("description", description.to_owned())
        .part("file", part))
}

async fn post(app: &TestApp, who: &Account, path: &str, fields: &[(String, String)]) -> Res<Response> {
    let mut all = vec![("csrf".to_owned(), who.csrf.clone())];
    all.extend_from_slice(fields);
    Ok(who.client.post(app.url(path)).form(&all).send().await?)
}

async fn get(app: &TestApp, who: &Account, path: &str) -> Res<(StatusCode, String)> {
    let r = who.client.get(app.url(path)).send().await?;
    let status = r.status();
    let bytes = r.bytes().await?;
    Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
}

/// The path a redirect points at, without its query.
fn redirect_path(r: &Response) -> String {
    location(r).split('?').next().unwrap_or_default().to_owned()
}

fn id_in(path: &str) -> Res<RecordId> {
    Ok(RecordId::parse(path.rsplit('/').next().unwrap_or_default()).ok_or("no id in the redirect")?)
}

/// The values of a valid record of `kind`: every required field filled from `refs` (the n-th
/// reference to a target takes the n-th candidate, so a chain links two different events), and
/// every free-text field given `text(field)` when that returns a value.
fn record_form(
    kind: Kind,
    refs: &Refs,
    codes: &HashMap<&'static str, String>,
    text: &dyn Fn(&FieldDef) -> Option<String>,
) -> Res<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut used: HashMap<Target, usize> = HashMap::new();
    for field in kind.fields() {
        let name = field.name.to_owned();
        match field.ty {
            FieldType::Line(_) | FieldType::Text(_) => match text(field) {
                Some(t) => out.push((name, t)),
                None if field.required => out.push((name, format!("Проверка: {}", field.name))),
                None => {}
            },
            _ if !field.required => {}
            FieldType::Code(list) | FieldType::Codes(list) => {
                out.push((name, codes.get(list).ok_or_else(|| format!("no code of {list}"))?.clone()));
            }
            FieldType::Date => out.push((format!("{name}.y"), "2024".into())),
            FieldType::Moment => out.push((name, "2024-03-12T14:30".into())),
            FieldType::Tri => out.push((name, "yes".into())),
            FieldType::Count(_) => out.push((name, "1".into())),
            FieldType::Flag => out.push((name, "on".into())),
            FieldType::Money => out.push((name, "1 500,50".into())),
            FieldType::Ref(target) => {
                let n = used.entry(target).or_default();
                let id = refs
                    .of(kind, target)
                    .get(*n)
                    .ok_or_else(|| format!("no candidate #{n} for {kind:?}.{}", field.name))?;
                *n += 1;
                out.push((name, id.clone()));
            }
        }
    }
    Ok(out)
}

/// The first live term of every vocabulary list the record fields use.
async fn first_codes(app: &TestApp) -> Res<HashMap<&'static str, String>> {
    let store = app.store();
    let mut codes = HashMap::new();
    for kind in Kind::ALL {
        for field in kind.fields() {
            if let FieldType::Code(list) | FieldType::Codes(list) = field.ty
                && !codes.contains_key(list)
            {
                let terms = store.vocabulary(list).await?;
                let term = terms.iter().find(|t| !t.deprecated).ok_or_else(|| format!("{list} empty"))?;
                codes.insert(list, term.code.clone());
            }
        }
    }
    let grounds = store.vocabulary("decision_ground").await?;
    codes.insert("decision_ground", grounds.first().map(|t| t.code.clone()).ok_or("no decision ground")?);
    Ok(codes)
}

async fn create_record(
    app: &TestApp,
    who: &Account,
    base: &str,
    kind: Kind,
    refs: &Refs,
    codes: &HashMap<&'static str, String>,
) -> Res<RecordId> {
    let form = record_form(kind, refs, codes, &|_| None)?;
    let r = post(app, who, base, &form).await?;
    if r.status() != StatusCode::SEE_OTHER {
        return Err(format!("{kind:?} not created: {}", r.status()).into());
    }
    id_in(&redirect_path(&r))
}

async fn tombstone_record(app: &TestApp, by: UserId, id: RecordId) -> Res<()> {
    let entry = app.state.audit_entry(Some(by), AuditKind::RecordDeleted, None);
    app.store().set_record_deleted(id, Some("запись фикстуры"), by, app.state.now(), entry).await?;
    Ok(())
}

impl World {
    /// The live record of a registry type.
    fn live(&self, kind: Kind) -> Res<RecordId> {
        Ok(self.registry.iter().find(|(k, _, _)| *k == kind).map(|(_, live, _)| *live).ok_or("no record")?)
    }

    fn account(&self, role: Role) -> Res<&Account> {
        Ok(self.accounts.iter().find(|a| a.name == role.code()).ok_or("no account")?)
    }

    fn case(&self, id: CaseId) -> Res<&CaseFx> {
        Ok(self.cases.iter().find(|c| c.id == id).ok_or("no fixture case")?)
    }

    async fn build(app: &TestApp) -> Res<World> {
        let users = app.store().users().await?;
        let mut accounts = Vec::new();
        for role in Role::ALL {
            let id = users.iter().find(|u| u.username.as_str() == role.code()).map(|u| u.id).ok_or("user")?;
            let client = app.login(role.code()).await;
            let csrf = app.csrf(&client, "/dashboard").await;
            accounts.push(Account {
                name: role.code().into(),
                role,
                id,
                must_change_password: false,
                client,
                csrf,
            });
        }
        let hash = ozodi_vault::password::hash(common::PASSWORD)?;
        let reset = ozodi_store::NewUser {
            username: ozodi_domain::Username::parse(RESET).map_err(|_| "user name")?,
            display_name: ozodi_domain::DisplayName::parse("Test doctor, reset")
                .map_err(|_| "display name")?,
            password_hash: hash,
            roles: [Role::Doctor].into_iter().collect(),
            must_change_password: true,
        };
        let id =
            app.store().create_user(reset, app.state.audit_entry(None, AuditKind::UserCreated, None)).await?;
        let client = app.client();
        let r = app
            .post(&client, "/login", "/login", &[("username", RESET), ("password", common::PASSWORD)])
            .await;
        if location(&r) != "/account/password" {
            return Err("the reset account was not sent to the password page".into());
        }
        let csrf = app.csrf(&client, "/account/password").await;
        accounts.push(Account {
            name: RESET.into(),
            role: Role::Doctor,
            id,
            must_change_password: true,
            client,
            csrf,
        });
        let codes = first_codes(app).await?;
        let mut world = World {
            accounts,
            cases: [CaseFx::empty(), CaseFx::empty(), CaseFx::empty()],
            facilities: (RecordId::new(), RecordId::new()),
            registry: Vec::new(),
            registry_refs: Refs::default(),
            publication_file: String::new(),
            codes,
        };
        let lawyer = world.account(Role::Lawyer)?;
        let coordinator = world.account(Role::Coordinator)?;
        let live =
            create_record(app, lawyer, "/facilities", Kind::Facility, &Refs::default(), &world.codes).await?;
        let gone =
            create_record(app, lawyer, "/facilities", Kind::Facility, &Refs::default(), &world.codes).await?;
        tombstone_record(app, coordinator.id, gone).await?;
        let mut registry = Refs { facilities: vec![live.to_string()], ..Refs::default() };
        let mut registry_records = vec![(Kind::Facility, live, gone)];
        // The UN follow-up (kept by analysts) before the monitoring, whose recommendations may
        // point at it; each type's live record becomes a reference for the next.
        let (monitor_account, analyst_account) =
            (world.account(Role::Monitor)?, world.account(Role::Analyst)?);
        for kind in [
            Kind::UnDocument,
            Kind::UnRecommendation,
            Kind::Visit,
            Kind::VisitFinding,
            Kind::VisitRecommendation,
            Kind::Meeting,
            Kind::Publication,
        ] {
            let writer = if Kind::MONITORING.contains(&kind) { monitor_account } else { analyst_account };
            let base = format!("/{}", kind.slug());
            let live = create_record(app, writer, &base, kind, &registry, &world.codes).await?;
            let gone = create_record(app, writer, &base, kind, &registry, &world.codes).await?;
            tombstone_record(app, coordinator.id, gone).await?;
            registry_records.push((kind, live, gone));
            let list = match kind {
                Kind::UnDocument => &mut registry.un_documents,
                Kind::UnRecommendation => &mut registry.un_recommendations,
                Kind::Visit => &mut registry.visits,
                Kind::VisitFinding => &mut registry.visit_findings,
                _ => continue,
            };
            list.push(live.to_string());
        }
        // Members to remove, one per allowed removal (a removal cannot be undone).
        let visit = registry_records
            .iter()
            .find(|(k, _, _)| *k == Kind::Visit)
            .map(|(_, live, _)| *live)
            .ok_or("visit")?;
        for _ in 0..8 {
            let member = ozodi_store::monitoring::NewTeamMember {
                user: None,
                organisation: "Аппарат Уполномоченного".into(),
                role: "OMBUDSMAN_STAFF".into(),
                sex: "99".into(),
            };
            let entry = app.state.audit_entry(Some(coordinator.id), AuditKind::VisitTeamChanged, None);
            app.store().add_visit_member(visit, &member, coordinator.id, app.state.now(), entry).await?;
        }
        let (doctor, analyst) = (world.account(Role::Doctor)?, world.account(Role::Analyst)?);
        let reset = world.accounts.iter().find(|a| a.must_change_password).ok_or("no reset account")?;
        let (operator, monitor) = (world.account(Role::Operator)?, world.account(Role::Monitor)?);
        let a =
            CaseFx::build(app, &world, &registry, lawyer, &[(doctor, false), (analyst, true), (reset, true)])
                .await?;
        let b = CaseFx::build(app, &world, &registry, operator, &[(monitor, false)]).await?;
        let d = CaseFx::build(app, &world, &registry, lawyer, &[(doctor, false)]).await?;
        let r =
            post(app, lawyer, &format!("/cases/{}/delete", d.id), &pairs(&[("reason", "дубликат")])).await?;
        if r.status() != StatusCode::SEE_OTHER {
            return Err(format!("case D not tombstoned: {}", r.status()).into());
        }
        world.cases = [a, b, d];
        world.facilities = (live, gone);
        world.registry = registry_records;
        world.registry_refs = registry;
        let publication = world.live(Kind::Publication)?;
        let file = ozodi_store::site::NewFile {
            name: "doklad.pdf".into(),
            mime: "application/pdf".into(),
            bytes: PDF.to_vec(),
        };
        let keeper = world.account(Role::Coordinator)?.id;
        let entry = app.state.audit_entry(Some(keeper), AuditKind::PublicationFileChanged, None);
        world.publication_file = app
            .store()
            .add_publication_file(publication, &file, keeper, app.state.now(), entry)
            .await?
            .to_string();
        Ok(world)
    }

    /// Every route instantiated for cases A and D (every record route once for a live record and
    /// once for a tombstoned one) and for the registry.
    fn routes(&self) -> Vec<Route> {
        let [a, _, d] = &self.cases;
        let mut out = Vec::new();
        for t in templates() {
            let route = |path: String, case: Option<CaseId>, target: Option<RecordId>, deleted: bool| Route {
                method: t.method,
                template: t.path.clone(),
                path,
                class: t.class,
                body: t.body,
                case,
                kind: t.kind,
                target,
                deleted,
            };
            let mut targets: Vec<(Option<&CaseFx>, Option<Addressed>)> = Vec::new();
            let in_cases: Vec<Option<&CaseFx>> =
                if t.path.contains("{case}") { vec![Some(a), Some(d)] } else { vec![None] };
            for fx in in_cases {
                if !t.path.contains("{record}") {
                    targets.push((fx, None));
                    continue;
                }
                let pair = match (fx, t.kind) {
                    (Some(fx), Some(kind)) => {
                        fx.records.iter().find(|(k, _, _)| *k == kind).map(|(_, live, gone)| (*live, *gone))
                    }
                    (None, Some(kind)) => self
                        .registry
                        .iter()
                        .find(|(k, _, _)| *k == kind)
                        .map(|(_, live, gone)| (*live, *gone)),
                    _ => Some(self.facilities),
                };
                if let Some((live, gone)) = pair {
                    targets.push((fx, Some((live, false))));
                    targets.push((fx, Some((gone, true))));
                }
            }
            for (fx, target) in targets {
                let mut subs = Vec::new();
                if let Some(fx) = fx {
                    subs.push(("{case}", fx.id.to_string()));
                    subs.push(("{person}", fx.refs.persons.first().cloned().unwrap_or_default()));
                    subs.push(("{member}", fx.member.0.to_string()));
                    subs.push(("{evidence}", fx.evidence.to_string()));
                    subs.push(("{entry}", fx.entry.clone()));
                    subs.push(("{evaluation}", fx.evaluation.clone()));
                    subs.push(("{episode}", fx.episode.clone()));
                    subs.push(("{session}", "1".to_owned()));
                    subs.push(("{finding}", "1".to_owned()));
                    subs.push((
                        "{proceeding}",
                        fx.live(Kind::Proceeding).map(|p| p.to_string()).unwrap_or_default(),
                    ));
                }
                if let Some((id, _)) = target {
                    subs.push(("{record}", id.to_string()));
                }
                for (placeholder, kind) in [
                    ("{visit}", Kind::Visit),
                    ("{visit_rec}", Kind::VisitRecommendation),
                    ("{un_rec}", Kind::UnRecommendation),
                    ("{publication}", Kind::Publication),
                ] {
                    if let Some((_, live, _)) = self.registry.iter().find(|(k, _, _)| *k == kind) {
                        subs.push((placeholder, live.to_string()));
                    }
                }
                subs.push(("{pub_file}", self.publication_file.clone()));
                subs.push(("{indicator}", "documented".to_owned()));
                let path = fill(&t.path, &subs);
                out.push(route(
                    path,
                    fx.map(|f| f.id),
                    target.map(|(id, _)| id),
                    target.is_some_and(|(_, gone)| gone),
                ));
            }
        }
        out
    }
}

impl CaseFx {
    fn empty() -> CaseFx {
        CaseFx {
            id: CaseId::new(),
            refs: Refs::default(),
            records: Vec::new(),
            evidence: RecordId::new(),
            member: (UserId::new(), false),
            entry: String::new(),
            evaluation: String::new(),
            episode: String::new(),
        }
    }

    /// A case opened by `opener` with two persons (the first with the marker identity), a live and
    /// a tombstoned record of every type, an evidence item, and `team` added by the coordinator.
    async fn build(
        app: &TestApp,
        world: &World,
        registry: &Refs,
        opener: &Account,
        team: &[(&Account, bool)],
    ) -> Res<CaseFx> {
        let r = post(app, opener, "/cases", &pairs(&[("title", "Избиение в ИВС"), ("summary", "Сводка.")]))
            .await?;
        let page = location(&r);
        let id = CaseId::parse(page.rsplit('/').next().unwrap_or_default()).ok_or("case not opened")?;
        let mut victim = pairs(&MARKER_IDENTITY);
        victim.extend(pairs(&[("sex", "01"), ("birth_year", "1990")]));
        for person in [victim, pairs(&[("name", "Сотрудники ОВД"), ("group", "on")])] {
            let r = post(app, opener, &format!("{page}/persons"), &person).await?;
            if r.status() != StatusCode::SEE_OTHER {
                return Err(format!("person not created: {}", r.status()).into());
            }
        }
        let persons = app.store().persons_of_case(id).await?;
        let mut refs = Refs {
            persons: persons.iter().map(|p| p.id.to_string()).collect(),
            facilities: registry.facilities.clone(),
            ..Refs::default()
        };
        let coordinator = world.account(Role::Coordinator)?;
        let mut records = Vec::new();
        for kind in Kind::OF_CASE {
            let base = format!("{page}/{}", kind.slug());
            // Legal records are written by someone who may do legal work on every case.
            let writer = if Kind::LEGAL.contains(&kind) { coordinator } else { opener };
            // Two live events: a chain links two.
            let live = if kind == Kind::Event { 2 } else { 1 };
            let mut ids = Vec::new();
            for _ in 0..live {
                ids.push(create_record(app, writer, &base, kind, &refs, &world.codes).await?);
            }
            let gone = create_record(app, writer, &base, kind, &refs, &world.codes).await?;
            tombstone_record(app, coordinator.id, gone).await?;
            let strings = ids.iter().map(ToString::to_string);
            match kind {
                Kind::Event => refs.events.extend(strings),
                Kind::Act => refs.acts.extend(strings),
                Kind::Involvement => refs.involvements.extend(strings),
                Kind::Proceeding => {
                    // The first kind of the list is a complaint; accused and payments need a
                    // criminal case and a civil claim.
                    for (code, list) in [("CRIMINAL", &mut refs.criminal), ("CIVIL", &mut refs.civil)] {
                        let mut form = record_form(kind, &Refs::default(), &world.codes, &|_| None)?;
                        for (name, value) in &mut form {
                            if name == "proceeding_kind" {
                                *value = code.into();
                            }
                        }
                        let r = post(app, writer, &base, &form).await?;
                        if r.status() != StatusCode::SEE_OTHER {
                            return Err(format!("{code} proceeding not created: {}", r.status()).into());
                        }
                        list.push(id_in(&redirect_path(&r))?.to_string());
                    }
                }
                _ => {}
            }
            records.push((kind, ids[0], gone));
        }
        let fields = ozodi_store::legal::EntryFields {
            proceeding: None,
            kind: ozodi_domain::legal::EntryKind::Hearing,
            starts_at: app.state.now() + time::Duration::days(30),
            title: "Заседание фикстуры".into(),
            place: String::new(),
            responsible: opener.id,
        };
        let audit = app.state.audit_entry(Some(coordinator.id), AuditKind::CalendarChanged, None);
        let entry =
            app.store().create_calendar_entry(id, &fields, coordinator.id, app.state.now(), audit).await?;
        let form = upload_form(&opener.csrf, "Заключение", "", (PDF, "zaklyuchenie.pdf", "application/pdf"))?;
        let r = opener.client.post(app.url(&format!("{page}/evidence"))).multipart(form).send().await?;
        if r.status() != StatusCode::SEE_OTHER {
            return Err(format!("evidence not uploaded: {}", r.status()).into());
        }
        let evidence = id_in(&redirect_path(&r))?;
        for (who, identity) in team {
            let mut fields = pairs(&[("username", &who.name)]);
            if *identity {
                fields.push(("identity_access".into(), "on".into()));
            }
            let r = post(app, coordinator, &format!("{page}/team"), &fields).await?;
            if r.status() != StatusCode::SEE_OTHER {
                return Err(format!("{} not added to the team: {}", who.name, r.status()).into());
            }
        }
        let member = team.first().map(|(who, identity)| (who.id, *identity)).ok_or("no team member")?;
        let doctor = world.account(Role::Doctor)?;
        let mut values = ozodi_domain::record::Data::default();
        let subject = ozodi_domain::record::Kind::Evaluation.field("subject").ok_or("no subject field")?;
        values.set(subject, ozodi_domain::record::Value::Ref(refs.persons[0].clone()));
        let audit = app.state.audit_entry(Some(doctor.id), AuditKind::RecordCreated, None);
        let evaluation =
            app.store().create_evaluation(id, &values, None, doctor.id, app.state.now(), audit).await?;
        let mut finding = ozodi_domain::record::Data::default();
        for (name, code) in [("body_region", "F-CHEST"), ("lesion_type", "BRUISE")] {
            let field = ozodi_domain::record::Kind::Finding.field(name).ok_or("no finding field")?;
            finding.set(field, ozodi_domain::record::Value::Code(code.into()));
        }
        app.store()
            .add_finding(
                evaluation,
                &finding,
                app.state.audit_entry(Some(doctor.id), AuditKind::RecordUpdated, None),
            )
            .await?;
        let episode = rehab_fixture(app, doctor.id, id, &refs.persons[0]).await?;
        Ok(CaseFx {
            id,
            refs,
            records,
            evidence,
            member,
            entry: entry.to_string(),
            evaluation: evaluation.to_string(),
            episode: episode.to_string(),
        })
    }
}

/// A referral of `client`, with its baseline recorded and one session held, through the store.
async fn rehab_fixture(
    app: &TestApp,
    by: UserId,
    case: CaseId,
    client: &str,
) -> Res<ozodi_domain::rehab::EpisodeId> {
    use ozodi_domain::record::{Data, Value};
    let field = |kind: Kind, name: &str| kind.field(name).ok_or(format!("no field {name}"));
    let mut values = Data::default();
    values.set(field(Kind::Episode, "client")?, Value::Ref(client.to_owned()));
    values.set(field(Kind::Episode, "client_relation")?, Value::Code("VICTIM".into()));
    values.set(field(Kind::Episode, "baseline_instrument")?, Value::Code("PCL5".into()));
    let day = ozodi_domain::dates::PartialDate::from_fields("2026", "11", "20", false)
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no date")?;
    values.set(field(Kind::Episode, "referred_at")?, Value::Date(day));
    let entry = |kind| app.state.audit_entry(Some(by), kind, None);
    let store = app.store();
    let episode =
        store.create_episode(case, &values, by, app.state.now(), entry(AuditKind::RecordCreated)).await?;
    let mut session = Data::default();
    session.set(field(Kind::Session, "session_date")?, Value::Date(day));
    session.set(field(Kind::Session, "modality")?, Value::Code("INDIVIDUAL".into()));
    session.set(field(Kind::Session, "notes")?, Value::Text(MARKER_NOTES.into()));
    store.add_session(episode, &session, by, app.state.now(), entry(AuditKind::RecordUpdated)).await?;
    Ok(episode)
}

/// The clinical notes of every fixture session: only the clinicians on the team may see them.
const MARKER_NOTES: &str = "Маркерная клиническая запись";

// ---------------------------------------------------------------------------------------------
// Sending, undoing, comparing.
// ---------------------------------------------------------------------------------------------

/// The valid form of a write.
async fn body(app: &TestApp, world: &World, route: &Route) -> Res<Vec<(String, String)>> {
    let store = app.store();
    let case = match route.case {
        Some(id) => store.case(id).await?,
        None => None,
    };
    Ok(match route.body {
        Body::None | Body::File => Vec::new(),
        Body::NewCase => pairs(&[("title", "Проверочное дело"), ("summary", "")]),
        Body::CaseFields => {
            let case = case.ok_or("no case")?;
            vec![
                ("title".into(), case.fields.title.clone()),
                ("summary".into(), case.fields.summary.clone()),
                ("region".into(), case.fields.region.clone().unwrap_or_default()),
                ("hotline".into(), case.fields.hotline.clone().unwrap_or_default()),
                ("version".into(), case.version.to_string()),
            ]
        }
        Body::PublicSummary => {
            let id = route.case.ok_or("no case")?;
            let version = store.case_public_summary(id).await?.map_or(0, |(_, v)| v);
            pairs(&[
                ("public_summary", "Задержанный сообщил о побоях в ИВС."),
                ("version", &version.to_string()),
            ])
        }
        Body::Step => {
            let case = case.ok_or("no case")?;
            let step = *case.fields.status.allowed().first().ok_or("no step allowed")?;
            vec![
                ("event".into(), step.code().into()),
                ("reason".into(), "проверка матрицы прав".into()),
                ("version".into(), case.version.to_string()),
            ]
        }
        Body::NewPerson => pairs(&[("name", "Проверочное Лицо"), ("sex", "02")]),
        Body::Purpose => pairs(&[("purpose", "проверка матрицы прав")]),
        Body::AddMember => pairs(&[("username", "psychologist"), ("identity_access", "on")]),
        Body::Reason => pairs(&[("reason", "проверка матрицы прав")]),
        Body::EditPerson | Body::EditIdentity | Body::Duplicate => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let person = fx.refs.persons.first().ok_or("no person")?;
            let version = store
                .persons_of_case(fx.id)
                .await?
                .into_iter()
                .find(|p| &p.id.to_string() == person)
                .map(|p| p.version)
                .ok_or("no such person")?;
            let mut form = pairs(&[("sex", "01"), ("birth_year", "1990"), ("version", &version.to_string())]);
            match route.body {
                Body::EditIdentity => form.extend(pairs(&MARKER_IDENTITY)),
                Body::Duplicate => {
                    form = pairs(&[("decision", "different")]);
                    form.push(("other".into(), fx.refs.persons.get(1).ok_or("no second person")?.clone()));
                }
                _ => {}
            }
            form
        }
        Body::NewEvaluation | Body::EditEvaluation => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let mut form = vec![("subject".to_owned(), fx.refs.persons[0].clone())];
            form.push(("allegations".into(), "проверка матрицы прав".into()));
            if route.body == Body::EditEvaluation {
                let id = ozodi_domain::ip::EvaluationId::parse(&fx.evaluation).ok_or("evaluation id")?;
                let e = store.evaluation(id).await?.ok_or("no evaluation")?;
                form.push(("version".into(), e.version.to_string()));
            }
            form
        }
        Body::EvaluationStep | Body::Share | Body::RemoveFinding => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let id = ozodi_domain::ip::EvaluationId::parse(&fx.evaluation).ok_or("evaluation id")?;
            let e = store.evaluation(id).await?.ok_or("no evaluation")?;
            match route.body {
                Body::EvaluationStep => {
                    let to = ozodi_domain::ip::next(&e.state)
                        .into_iter()
                        .find(|s| !matches!(*s, "SIGNED" | "CONSENT_REFUSED"))
                        .ok_or("no step short of signing")?;
                    vec![("to".into(), to.into()), ("version".into(), e.version.to_string())]
                }
                Body::Share => vec![("share".into(), if e.shared.is_some() { "no" } else { "yes" }.into())],
                _ => {
                    let version = e.findings.first().map(|f| f.version).ok_or("no finding")?;
                    vec![("version".into(), version.to_string())]
                }
            }
        }
        Body::NewFinding => pairs(&[("body_region", "B-UPPER_BACK"), ("lesion_type", "BRUISE")]),
        Body::NewEpisode | Body::EditEpisode | Body::EpisodeStep | Body::RemoveSession => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let id = ozodi_domain::rehab::EpisodeId::parse(&fx.episode).ok_or("episode id")?;
            let e = store.episode(id).await?.ok_or("no episode")?;
            let mut form = pairs(&[
                ("client_relation", "VICTIM"),
                ("baseline_instrument", "PCL5"),
                ("referred_at.y", "2026"),
                ("referred_at.m", "11"),
                ("referred_at.d", "20"),
            ]);
            form.push(("client".into(), fx.refs.persons[0].clone()));
            match route.body {
                Body::EditEpisode => form.push(("version".into(), e.version.to_string())),
                Body::EpisodeStep => {
                    let to = ozodi_domain::rehab::next(&e.state)
                        .into_iter()
                        .find(|s| !ozodi_domain::rehab::ended(s))
                        .ok_or("no step short of ending")?;
                    form = vec![("to".into(), to.into()), ("version".into(), e.version.to_string())];
                }
                Body::RemoveSession => {
                    let version = e.sessions.first().map(|s| s.version).ok_or("no session")?;
                    form = vec![("version".into(), version.to_string())];
                }
                _ => {}
            }
            form
        }
        Body::CourtFile => pairs(&[
            ("section", "case"),
            ("section", "persons"),
            ("section", "legal"),
            ("section", "evidence"),
            ("recipient", "проверка матрицы прав"),
        ]),
        Body::NewSession => pairs(&[
            ("session_date.y", "2026"),
            ("session_date.m", "11"),
            ("session_date.d", "25"),
            ("modality", "GROUP"),
            ("notes", "проверка матрицы прав"),
        ]),
        Body::EntryDone => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let id = ozodi_domain::legal::EntryId::parse(&fx.entry).ok_or("entry id")?;
            let entry = store.calendar_entry(id).await?.ok_or("no entry")?;
            vec![("status".into(), "done".into()), ("version".into(), entry.version.to_string())]
        }
        Body::NewEntry | Body::EditEntry => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let lead = case.as_ref().and_then(|c| c.fields.lead).ok_or("no lead")?;
            let mut form = pairs(&[
                ("kind", "hearing"),
                ("day", "2027-03-15"),
                ("time", "10:30"),
                ("title", "Проверочное заседание"),
            ]);
            form.push(("responsible".into(), lead.to_string()));
            if route.body == Body::EditEntry {
                let id = ozodi_domain::legal::EntryId::parse(&fx.entry).ok_or("entry id")?;
                let entry = store.calendar_entry(id).await?.ok_or("no entry")?;
                form.push(("version".into(), entry.version.to_string()));
            }
            form
        }
        Body::NextStep => {
            let fx = world.case(route.case.ok_or("no case")?)?;
            let (_, state) =
                store.proceeding_state(fx.live(Kind::Proceeding)?).await?.ok_or("no proceeding")?;
            let next = *state.kind.next(&state.state).first().ok_or("no step allowed")?;
            let today = app.state.now().to_offset(ozodi_domain::dates::DUSHANBE).date().to_string();
            let mut form = pairs(&[("to", next), ("decided_on", &today), ("note", "проверка матрицы прав")]);
            form.push(("seq".into(), state.seq.to_string()));
            form.push(("ground".into(), world.codes.get("decision_ground").cloned().unwrap_or_default()));
            form
        }
        Body::VisitStep => {
            let visit = world.live(Kind::Visit)?;
            let detail = store.visit_detail(visit).await?;
            let to = ozodi_domain::monitoring::next(detail.state(), false)
                .into_iter()
                .find(|s| *s != "ACCESS_DENIED")
                .ok_or("no stage left in the visit's course")?;
            let today = app.state.now().to_offset(ozodi_domain::dates::DUSHANBE).date().to_string();
            let mut form = pairs(&[("to", to), ("on_day", &today), ("note", "проверка матрицы прав")]);
            form.push(("seq".into(), detail.last_seq().to_string()));
            form
        }
        Body::TeamMember => {
            pairs(&[("organisation", "Аппарат Уполномоченного"), ("role", "OMBUDSMAN_STAFF"), ("sex", "99")])
        }
        Body::Allegation => pairs(&[("authorised", "no"), ("summary", "")]),
        Body::Assessment => {
            let today = app.state.now().to_offset(ozodi_domain::dates::DUSHANBE).date().to_string();
            pairs(&[
                ("assessor", "coalition"),
                ("status", "PARTIAL"),
                ("as_of", &today),
                ("evidence", "проверка матрицы прав"),
            ])
        }
        Body::Verify => {
            let record =
                store.record(world.live(Kind::UnRecommendation)?).await?.ok_or("no recommendation")?;
            vec![("version".into(), record.version.to_string())]
        }
        Body::Import => Vec::new(),
        Body::PublicationReturn => {
            use ozodi_domain::site::{Stage, Step};
            let id = world.live(Kind::Publication)?;
            let record = store.record(id).await?.ok_or("no publication")?;
            let course = store.publication_course(id).await?;
            if course.stage != Stage::Review {
                let coordinator = world.account(Role::Coordinator)?.id;
                let request = ozodi_store::site::StepRequest {
                    step: Step::Submit,
                    from: course.stage,
                    version: record.version,
                    note: String::new(),
                };
                let entry = app.state.audit_entry(Some(coordinator), AuditKind::PublicationStep, None);
                store.publication_step(id, &request, coordinator, app.state.now(), entry).await?;
            }
            pairs(&[
                ("step", "return"),
                ("from", "review"),
                ("version", &record.version.to_string()),
                ("note", ""),
            ])
        }
        Body::NewRecord | Body::EditRecord => {
            let kind = route.kind.ok_or("no kind")?;
            let refs = match route.case {
                Some(id) => &world.case(id)?.refs,
                None => &world.registry_refs,
            };
            let mut form = record_form(kind, refs, &world.codes, &|_| None)?;
            if route.body == Body::EditRecord {
                let record = store.record(route.target.ok_or("no target")?).await?.ok_or("no record")?;
                form.push(("version".into(), record.version.to_string()));
            }
            form
        }
    })
}

async fn send(app: &TestApp, world: &World, who: &Account, route: &Route) -> Res<Response> {
    let mut path = route.path.clone();
    if path.contains("{member_seq}") {
        // The first member of the visit's team not yet removed.
        let detail = app.store().visit_detail(world.live(Kind::Visit)?).await?;
        let seq = detail.team.iter().find(|m| !m.removed).map(|m| m.seq).ok_or("no member left to remove")?;
        path = path.replace("{member_seq}", &seq.to_string());
    }
    let url = app.url(&path);
    Ok(match route.method {
        Method::Get => who.client.get(url).send().await?,
        Method::Post => {
            let mut fields = vec![("csrf".to_owned(), who.csrf.clone())];
            fields.extend(body(app, world, route).await?);
            who.client.post(url).form(&fields).send().await?
        }
        Method::Upload if route.body == Body::Import => {
            let part =
                Part::bytes(UHRI_EXPORT.to_vec()).file_name("uhri.json").mime_str("application/json")?;
            let form = Form::new().text("csrf", who.csrf.clone()).text("source", "uhri").part("file", part);
            who.client.post(url).multipart(form).send().await?
        }
        Method::Upload => {
            let form =
                upload_form(&who.csrf, "Проверочный файл", "", (PDF, "proverka.pdf", "application/pdf"))?;
            who.client.post(url).multipart(form).send().await?
        }
    })
}

/// A small export of the UN index, in its JSON shape.
const UHRI_EXPORT: &[u8] = include_bytes!("../../store/tests/fixtures/uhri-tajikistan.json");

/// Undoes an allowed write that changes who may do what. Fails if there was nothing to undo (the
/// write answered success without doing it).
async fn undo(app: &TestApp, world: &World, route: &Route) -> Res<()> {
    if route.method == Method::Get {
        return Ok(());
    }
    let store = app.store();
    let by = world.account(Role::Coordinator)?.id;
    let at = app.state.now();
    let entry = |kind| app.state.audit_entry(Some(by), kind, None);
    let case = route.case.ok_or("no case");
    match (route.class, route.body) {
        (Class::Case(Action::Delete), Body::Reason) => {
            store.restore_case(case?, by, at, entry(AuditKind::CaseRestored)).await?;
        }
        (Class::Case(Action::Restore), _) => {
            store.tombstone_case(case?, "снова", by, at, entry(AuditKind::CaseDeleted)).await?;
        }
        (Class::Case(Action::ManageTeam), Body::AddMember) => {
            let psychologist = world.account(Role::Psychologist)?.id;
            store.remove_team_member(case?, psychologist, by, at, entry(AuditKind::TeamChanged)).await?;
        }
        (Class::Case(Action::ManageTeam), _) => {
            let (member, identity) = world.case(case?)?.member;
            store.set_team_member(case?, member, identity, by, at, entry(AuditKind::TeamChanged)).await?;
        }
        (
            Class::Record(Action::Delete)
            | Class::Legal(Action::Delete)
            | Class::Facility(Action::Delete)
            | Class::Monitoring(Action::Delete)
            | Class::Un(Action::Delete)
            | Class::Advocacy(Action::Delete),
            Body::Reason,
        ) => {
            let target = route.target.ok_or("no target")?;
            store.set_record_deleted(target, None, by, at, entry(AuditKind::RecordRestored)).await?;
        }
        (
            Class::Record(Action::Restore)
            | Class::Legal(Action::Restore)
            | Class::Facility(Action::Restore)
            | Class::Monitoring(Action::Restore)
            | Class::Un(Action::Restore)
            | Class::Advocacy(Action::Restore),
            _,
        ) => {
            tombstone_record(app, by, route.target.ok_or("no target")?).await?;
        }
        (Class::Evaluation(Action::Update), Body::Share) => {
            let id = ozodi_domain::ip::EvaluationId::parse(&world.case(case?)?.evaluation)
                .ok_or("evaluation id")?;
            store.set_evaluation_shared(id, false, by, at, entry(AuditKind::RecordUpdated)).await?;
        }
        (Class::Legal(Action::Update), Body::EntryDone) => {
            let id = ozodi_domain::legal::EntryId::parse(&world.case(case?)?.entry).ok_or("entry id")?;
            let calendar = store.calendar_entry(id).await?.ok_or("no entry")?;
            let status = ozodi_store::legal::EntryStatus::Open;
            store
                .set_calendar_entry_status(
                    id,
                    calendar.version,
                    status,
                    by,
                    at,
                    entry(AuditKind::CalendarChanged),
                )
                .await?;
        }
        (Class::Evidence(Action::Delete), Body::Reason) => {
            let item = world.case(case?)?.evidence;
            store.set_evidence_deleted(item, None, by, at, entry(AuditKind::RecordRestored)).await?;
        }
        _ => {}
    }
    Ok(())
}

/// What a request about `scope` could change, as text: every case's id, version and tombstone;
/// for a case its fields, team, versions, persons, records (with the versions of `target`),
/// evidence with its custody; for the registry (no case) every facility with its versions; and
/// the evidence files on disk. `None` for `scope` and `all` covers every fixture case too.
async fn snapshot(app: &TestApp, world: &World, scope: Option<CaseId>, all: bool) -> Res<String> {
    let store = app.store();
    let mut out = String::new();
    let coordinator = world.account(Role::Coordinator)?.id;
    for c in store.cases_for(coordinator, true, true, 10_000).await? {
        writeln!(out, "case {} v{} {:?}", c.id, c.version, c.deleted.is_some())?;
    }
    let cases: Vec<CaseId> = match scope {
        Some(case) if !all => vec![case],
        _ if all => world.cases.iter().map(|c| c.id).collect(),
        _ => Vec::new(),
    };
    for case in cases {
        writeln!(out, "{:?}", store.case(case).await?)?;
        writeln!(out, "{:?}", store.case_team(case).await?)?;
        writeln!(out, "{:?}", store.versions("case", &case.to_string()).await?)?;
        for p in store.persons_of_case(case).await? {
            writeln!(out, "{p:?}")?;
        }
        // A record's Debug form holds its version number; every change adds a version.
        for r in store.records_of_case(case).await? {
            writeln!(out, "{r:?}")?;
            if all {
                writeln!(out, "{:?}", store.versions(r.kind.code(), &r.id.to_string()).await?)?;
            }
        }
        for e in store.evidence_of_case(case).await? {
            writeln!(out, "{e:?}")?;
            writeln!(out, "{:?}", store.custody(e.id).await?)?;
        }
        for r in store.records_of_case(case).await?.iter().filter(|r| r.kind == Kind::Proceeding) {
            writeln!(out, "{:?}", store.proceeding_steps(r.id).await?)?;
        }
        let query = ozodi_store::legal::CalendarQuery {
            case: Some(case),
            user: coordinator,
            all: true,
            from: time::OffsetDateTime::UNIX_EPOCH,
            to: time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(365 * 100),
            closed_too: true,
        };
        writeln!(out, "{:?}", store.calendar(&query).await?)?;
        for e in store.evaluations_of_case(case).await? {
            writeln!(out, "{:?}", store.evaluation(e.id).await?)?;
        }
        for e in store.episodes(Some(case), None).await? {
            writeln!(out, "{:?}", store.episode(e.id).await?)?;
        }
    }
    if scope.is_none() || all {
        for kind in Kind::REGISTRY {
            for r in store.registry(kind).await? {
                writeln!(out, "{r:?}")?;
                writeln!(out, "{:?}", store.versions(kind.code(), &r.id.to_string()).await?)?;
                if kind == Kind::Visit {
                    writeln!(out, "{:?}", store.visit_detail(r.id).await?)?;
                }
                if kind.assessed() {
                    writeln!(out, "{:?}", store.assessments(r.id).await?)?;
                }
            }
        }
    }
    let mut files: Vec<String> = std::fs::read_dir(app.dir.path().join("data").join("evidence"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    writeln!(out, "files {files:?}")?;
    Ok(out)
}

/// [`snapshot`] for one route, with the versions of the record it addresses.
async fn snapshot_for(app: &TestApp, world: &World, route: &Route) -> Res<String> {
    let mut out = snapshot(app, world, route.case, false).await?;
    if let (Some(target), Some(kind)) = (route.target, route.kind) {
        writeln!(out, "{:?}", app.store().versions(kind.code(), &target.to_string()).await?)?;
    }
    Ok(out)
}

fn first_difference(before: &str, after: &str) -> String {
    let cut = |s: Option<&str>| s.unwrap_or("(nothing)").chars().take(300).collect::<String>();
    let (mut b, mut a) = (before.lines(), after.lines());
    loop {
        match (b.next(), a.next()) {
            (Some(x), Some(y)) if x == y => {}
            (None, None) => return "(no difference)".into(),
            (x, y) => return format!("before: {}\n    after:  {}", cut(x), cut(y)),
        }
    }
}

/// The page's main content without the per-request id.
fn main_part(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("<p class=\"muted\">").unwrap_or(html.len());
    &html[start..end.max(start)]
}

/// The main content of the 404 page `who` gets for a case that does not exist (none for an account
/// that must change its password: it is sent to the password page instead).
async fn not_found_page(app: &TestApp, who: &Account) -> Res<Option<String>> {
    let (status, html) = get(app, who, &format!("/cases/{}", CaseId::new())).await?;
    match status {
        StatusCode::SEE_OTHER if who.must_change_password => Ok(None),
        StatusCode::NOT_FOUND => Ok(Some(main_part(&html).to_owned())),
        _ => Err(format!("a case that does not exist answered {status}").into()),
    }
}

/// What is wrong with a refusal's answer, if anything.
fn wrong_refusal(
    who: &Account,
    class: Class,
    answer: (StatusCode, &str, &str),
    not_found: Option<&str>,
) -> Option<String> {
    let (status, to, html) = answer;
    let want = refusal(who, class);
    if status != want {
        return Some(format!("answered {status} (want {want})"));
    }
    if who.must_change_password && to != "/account/password" {
        return Some(format!("sent to {to} (want /account/password)"));
    }
    match not_found {
        Some(page) if status == StatusCode::NOT_FOUND && main_part(html) != page => {
            Some("a 404 page unlike that of a case that does not exist".into())
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The matrix.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_matrix_names_every_case_route_the_router_serves() -> TestResult {
    let normalise = |path: &str| {
        let mut out = String::new();
        let mut inside = false;
        for c in path.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push_str("{}");
                }
                '}' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    let source = include_str!("../src/router.rs");
    // `{base}` means the registry's types in `registry_routes`, the case's in `case_record_routes`.
    let registry_at = source.find("fn registry_routes").ok_or("no registry_routes")?;
    let case_at = source.find("fn case_record_routes").ok_or("no case_record_routes")?;
    let mut in_router = BTreeSet::new();
    let mut at = 0;
    for chunk in source.split(".route(").skip(1) {
        at = source[at..].find(chunk).map_or(at, |i| at + i);
        let in_registry = at > registry_at && at < case_at;
        let chunk = chunk.split(".fallback(").next().unwrap_or(chunk);
        let arg = chunk.trim_start();
        let path = if let Some(rest) = arg.strip_prefix('"') {
            rest.split('"').next().ok_or("unterminated path")?.to_owned()
        } else if arg.starts_with("&base") {
            "{base}".to_owned()
        } else if let Some(rest) = arg.strip_prefix("&format!(\"") {
            rest.split('"').next().ok_or("unterminated path")?.replace("{{", "{").replace("}}", "}")
        } else {
            return Err(format!("a route this test cannot read: {}", &arg[..arg.len().min(60)]).into());
        };
        let paths: Vec<String> = if path.starts_with("{base}") && in_registry {
            Kind::REGISTRY.iter().map(|k| path.replace("{base}", &format!("/{}", k.slug()))).collect()
        } else if path.starts_with("{base}") {
            Kind::OF_CASE
                .iter()
                .map(|k| path.replace("{base}", &format!("/cases/{{id}}/{}", k.slug())))
                .collect()
        } else {
            vec![path]
        };
        let checked = |p: &str| {
            [
                "/cases",
                "/facilities",
                "/monitoring",
                "/visits",
                "/visit-",
                "/un-documents",
                "/recommendations",
                "/meetings",
                "/publications",
                "/statistics",
            ]
            .iter()
            .any(|prefix| p.starts_with(prefix))
        };
        for path in paths.into_iter().filter(|p| checked(p)) {
            for (method, served) in [("GET", chunk.contains("get(")), ("POST", chunk.contains("post("))] {
                if served {
                    in_router.insert((method, normalise(&path)));
                }
            }
        }
    }
    let in_matrix: BTreeSet<_> = templates().iter().map(|t| (t.method.http(), normalise(&t.path))).collect();
    let missing: Vec<_> = in_router.difference(&in_matrix).collect();
    let unknown: Vec<_> = in_matrix.difference(&in_router).collect();
    assert!(missing.is_empty(), "routes the matrix does not check: {missing:?}");
    assert!(unknown.is_empty(), "routes the router does not serve: {unknown:?}");
    assert!(in_router.len() > 80, "the router was read: {} routes", in_router.len());
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorisation_matrix_over_every_case_route_and_role() -> TestResult {
    let started = Instant::now();
    let app = TestApp::spawn().await;
    let world = World::build(&app).await?;
    let mut routes = world.routes();
    // Grouped by what they address, so that consecutive refusals share one snapshot.
    routes.sort_by_key(|r| (r.case.map(|c| c.to_string()), r.target.map(|t| t.to_string())));
    let built = started.elapsed();

    let mut failures = Vec::new();
    let (mut cells, mut granted) = (0usize, 0usize);
    let relations_before = relations(&app, &world).await?;
    let mut outcomes: Outcomes = HashMap::new();
    let mut granted_to = Vec::new();
    // The last snapshot taken, by the scope it covers: reused while only refusals happen.
    let mut cached: Option<(Scope, String)> = None;
    for who in &world.accounts {
        let me = actor(who);
        let not_found = not_found_page(&app, who).await?;
        for route in &routes {
            let access = match route.case {
                Some(case) => relation(&app, who.id, case).await?,
                None => CaseAccess::default(),
            };
            // Whether the addressed record is tombstoned, as the store holds it now.
            let deleted = match route.target {
                Some(id) => app.store().record(id).await?.ok_or("no record")?.deleted.is_some(),
                None => false,
            };
            let expected = allowed(&me, route.class, access, deleted);
            let scope = (route.case, route.target);
            let before = match (expected, cached.take()) {
                (true, _) => None,
                (false, Some((key, text))) if key == scope => Some(text),
                (false, _) => Some(snapshot_for(&app, &world, route).await?),
            };
            let r = send(&app, &world, who, route).await?;
            let (status, to) = (r.status(), location(&r));
            let html = String::from_utf8_lossy(&r.bytes().await?).into_owned();
            outcomes.insert((who.name.clone(), route.method.http(), route.path.clone()), status);
            cells += 1;
            let cell = format!("{} {} ({:?}, {access:?})", who.name, route.name(), route.class);
            let Some(before) = before else {
                granted += 1;
                granted_to.push(who.name.clone());
                let want = success(route);
                if status != want {
                    failures.push(format!("{cell}: allowed by can, answered {status} (want {want})"));
                } else if let Err(e) = undo(&app, &world, route).await {
                    failures.push(format!("{cell}: answered {status} but did nothing ({e})"));
                }
                continue;
            };
            if let Some(wrong) = wrong_refusal(who, route.class, (status, &to, &html), not_found.as_deref()) {
                failures.push(format!("{cell}: refused by can, {wrong}"));
            }
            let after = snapshot_for(&app, &world, route).await?;
            if after != before {
                failures
                    .push(format!("{cell}: refused but changed\n    {}", first_difference(&before, &after)));
                // Put back what can be put back, so that one hole does not hide behind the next.
                let _ = undo(&app, &world, route).await;
            } else {
                cached = Some((scope, after));
            }
        }
    }
    if relations(&app, &world).await? != relations_before {
        failures.push("the relations to the cases changed during the matrix (a write was not undone)".into());
    }
    failures.extend(anchors(&world, &outcomes)?);
    failures.extend(listings(&app, &world).await?);
    let matrix = started.elapsed();

    // Guessed ids: every route of case A with another object in its place (case B's, another
    // type's, a random or a malformed id), or addressed under case B, a random or a malformed case.
    let guesses = guesses(&world)?;
    let before = snapshot(&app, &world, None, true).await?;
    let checks = join_all(world.accounts.iter().map(|who| guess_all(&app, who, &guesses))).await;
    let mut guessed = 0;
    for result in checks {
        let (count, mut wrong) = result?;
        guessed += count;
        failures.append(&mut wrong);
    }
    let after = snapshot(&app, &world, None, true).await?;
    if after != before {
        failures.push(format!("a guessed id changed something\n    {}", first_difference(&before, &after)));
    }

    assert!(
        failures.is_empty(),
        "{} of {} checks disagree with ozodi_domain::can:\n{}",
        failures.len(),
        cells + guessed,
        failures.iter().take(100).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(granted > 100 && granted < cells - 100, "both outcomes are exercised: {granted} of {cells}");
    let per_role: Vec<String> = world
        .accounts
        .iter()
        .map(|who| format!("{} {}", who.name, granted_to.iter().filter(|n| **n == who.name).count()))
        .collect();
    eprintln!(
        "matrix: {} routes × {} accounts = {cells} cells ({granted} allowed: {}; {} refused); {guessed} guessed ids; \
         fixture {:.1?}, matrix {:.1?}, guesses {:.1?}",
        routes.len(),
        world.accounts.len(),
        per_role.join(", "),
        cells - granted,
        built,
        matrix - built,
        started.elapsed() - matrix,
    );
    Ok(())
}

/// The answer each account got, by (account, method, path).
type Outcomes = HashMap<(String, &'static str, String), StatusCode>;

/// A few outcomes stated independently of `can` (DOMAIN.md section 7 in brief), so that a wrong
/// rule in the oracle itself cannot pass unnoticed: (rule, roles, method, path, expected status).
fn anchors(world: &World, outcomes: &Outcomes) -> Res<Vec<String>> {
    let [a, _, d] = &world.cases;
    let case = format!("/cases/{}", a.id);
    let event = format!("{case}/events/{}", a.live(Kind::Event)?);
    let gone = a.records.iter().find(|(k, _, _)| *k == Kind::Event).map(|(_, _, g)| *g).ok_or("no event")?;
    let restore = format!("{case}/events/{gone}/restore");
    let reveal = format!("{case}/persons/{}/reveal", a.refs.persons[0]);
    let (delete, team, tombstoned) =
        (format!("{event}/delete"), format!("{case}/team"), format!("/cases/{}", d.id));
    let (ok, moved, hidden, forbidden) =
        (StatusCode::OK, StatusCode::SEE_OTHER, StatusCode::NOT_FOUND, StatusCode::FORBIDDEN);
    let get = "GET";
    let post = "POST";
    let proceeding = format!("{case}/proceedings/{}", a.live(Kind::Proceeding)?);
    let steps = format!("{proceeding}/steps");
    let calendar = format!("{case}/calendar");
    let evaluation = format!("{case}/evaluations/{}", a.evaluation);
    let episode = format!("{case}/rehabilitation/{}", a.episode);
    let rules: [(&str, &[&str], &str, &str, StatusCode); 38] = [
        (
            "rehabilitation: the clinicians on the team and the coordinator",
            &["doctor", "coordinator"],
            get,
            &episode,
            ok,
        ),
        (
            "rehabilitation: not the lead lawyer, an analyst on the team, anyone off it",
            &["lawyer", "analyst", "psychologist", "operator", "monitor", "editor", "admin"],
            get,
            &episode,
            hidden,
        ),
        (
            "sessions are recorded by the clinicians on the team, not the coordinator",
            &["coordinator", "lawyer"],
            get,
            &format!("{episode}/sessions/new"),
            hidden,
        ),
        (
            "sessions: the doctor on the team records one",
            &["doctor"],
            get,
            &format!("{episode}/sessions/new"),
            ok,
        ),
        ("evaluations: the clinicians on the team", &["doctor"], get, &evaluation, ok),
        (
            "evaluations: no one else without the person's consent",
            &["lawyer", "coordinator", "analyst", "admin", "psychologist"],
            get,
            &evaluation,
            hidden,
        ),
        (
            "evaluations are written by clinicians",
            &["lawyer", "coordinator"],
            post,
            &format!("{case}/evaluations"),
            hidden,
        ),
        (
            "the team reads its proceedings",
            &["lawyer", "doctor", "analyst", "coordinator"],
            get,
            &proceeding,
            ok,
        ),
        ("steps: the team's lawyers and the coordinator", &["lawyer", "coordinator"], post, &steps, moved),
        ("steps: not the doctor or analyst on the team", &["doctor", "analyst"], post, &steps, hidden),
        (
            "hearings: the team's lawyers and the coordinator",
            &["lawyer", "coordinator"],
            post,
            &calendar,
            moved,
        ),
        (
            "hearings: not the doctor on the team, nor outsiders",
            &["doctor", "operator", "admin"],
            post,
            &calendar,
            hidden,
        ),
        (
            "outsiders do not open a case",
            &["operator", "psychologist", "monitor", "editor", "admin"],
            get,
            &case,
            hidden,
        ),
        (
            "the team and the coordinator open it",
            &["lawyer", "doctor", "analyst", "coordinator"],
            get,
            &case,
            ok,
        ),
        ("a reset password first", &[RESET], get, &case, moved),
        ("names need identity access", &["lawyer"], get, &reveal, ok),
        (
            "names: identity access, never analysts",
            &["doctor", "analyst", "coordinator", "admin"],
            get,
            &reveal,
            hidden,
        ),
        ("the team edits records", &["lawyer", "doctor", "analyst", "coordinator"], post, &event, moved),
        ("the administrator reads no case content", &["admin"], get, &event, hidden),
        ("tombstones: the lead and the coordinator", &["lawyer", "coordinator"], post, &delete, moved),
        ("tombstones: the lead and the coordinator", &["doctor", "analyst"], post, &delete, hidden),
        ("restoring is the coordinator's", &["coordinator"], post, &restore, moved),
        ("restoring is the coordinator's", &["lawyer", "doctor"], post, &restore, hidden),
        ("the team: its lead and the coordinator", &["lawyer", "coordinator"], post, &team, moved),
        ("the team: its lead and the coordinator", &["doctor", "analyst"], post, &team, hidden),
        ("a tombstoned case leaves the team's view", &["lawyer", "doctor"], get, &tombstoned, hidden),
        ("a tombstoned case stays with the coordinator", &["coordinator"], get, &tombstoned, ok),
        ("the registry is not the admin's or editor's", &["admin", "editor"], get, "/facilities", forbidden),
        ("analysts read the registry", &["analyst"], get, "/facilities", ok),
        ("analysts and doctors do not add to it", &["analyst", "doctor"], post, "/facilities", forbidden),
        ("monitors add to the registry", &["monitor"], post, "/facilities", moved),
        ("monitors and coordinators record visits", &["monitor", "coordinator"], post, "/visits", moved),
        (
            "analysts and lawyers read visits, not record them",
            &["analyst", "lawyer"],
            post,
            "/visits",
            forbidden,
        ),
        (
            "no monitoring for operators, clinicians, editors",
            &["operator", "doctor", "editor"],
            get,
            "/monitoring",
            forbidden,
        ),
        ("analysts import the UN index", &["analyst", "lawyer"], get, "/recommendations/import", ok),
        ("monitors do not import it", &["monitor", "operator"], get, "/recommendations/import", forbidden),
        (
            "every member reads the UN recommendations",
            &["editor", "psychologist", "operator"],
            get,
            "/recommendations",
            ok,
        ),
        ("the administrator does not", &["admin"], get, "/recommendations", forbidden),
    ];
    let mut wrong = Vec::new();
    for (rule, names, method, path, want) in rules {
        for name in names {
            let got = outcomes
                .get(&((*name).to_owned(), method, path.to_owned()))
                .ok_or_else(|| format!("{method} {path} not in the matrix"))?;
            if *got != want {
                wrong.push(format!("{name} {method} {path}: {got}, but {rule} (want {want})"));
            }
        }
    }
    Ok(wrong)
}

/// The lists filter by the same rule: `/cases` names exactly the cases `can` lets the account open
/// (every case there is, including those opened during the matrix), and `/facilities` shows the
/// tombstoned facility exactly to those `can` shows it to.
async fn listings(app: &TestApp, world: &World) -> Res<Vec<String>> {
    let store = app.store();
    let everything = store.cases_for(world.account(Role::Coordinator)?.id, true, true, 10_000).await?;
    let gone = store.record(world.facilities.1).await?.ok_or("no facility")?.reference();
    let mut wrong = Vec::new();
    for who in world.accounts.iter().filter(|w| !w.must_change_password) {
        let me = actor(who);
        let (_, list) = get(app, who, "/cases").await?;
        for case in &everything {
            let number = case.number.to_string();
            let access = relation(app, who.id, case.id).await?;
            let want = can(&me, Action::View, Resource::Case(access));
            if list.contains(&number) != want {
                wrong.push(format!("{}: /cases lists {number}: {}, but can says {want}", who.name, !want));
            }
        }
        let (status, registry) = get(app, who, "/facilities").await?;
        let want = can(&me, Action::View, Resource::DeletedFacility);
        if status == StatusCode::OK && registry.contains(&gone) != want {
            wrong.push(format!(
                "{}: /facilities lists the tombstoned {gone}: {}, but can says {want}",
                who.name, !want
            ));
        }
    }
    Ok(wrong)
}

async fn relations(app: &TestApp, world: &World) -> Res<Vec<CaseAccess>> {
    let mut out = Vec::new();
    for who in &world.accounts {
        for fx in &world.cases {
            out.push(relation(app, who.id, fx.id).await?);
        }
    }
    Ok(out)
}

/// A request with an id that is not what the route expects: (method, path, whether the registry
/// answers it, what it is).
#[derive(Clone, Debug)]
struct Guess {
    method: Method,
    path: String,
    /// On the registry: the part of it whose reading decides between 404 and 403.
    registry: Option<Resource>,
    what: String,
}

const MALFORMED: [&str; 5] = ["not-a-uuid", "0", "..%2F..%2Fadmin", "%27%20OR%20%271%27%3D%271", "%00"];

fn guesses(world: &World) -> Res<Vec<Guess>> {
    let [a, b, _] = &world.cases;
    let random = || RecordId::new().to_string();
    let objects = |fx: &CaseFx, kind: Option<Kind>| -> Res<Vec<(&'static str, String)>> {
        let record = match kind {
            Some(kind) if kind != Kind::Facility => fx.live(kind)?.to_string(),
            _ => String::new(),
        };
        Ok(vec![
            ("{case}", fx.id.to_string()),
            ("{person}", fx.refs.persons.first().cloned().unwrap_or_default()),
            ("{member}", fx.member.0.to_string()),
            ("{evidence}", fx.evidence.to_string()),
            ("{record}", record),
        ])
    };
    let mut out = Vec::new();
    for t in templates() {
        let mut push = |subs: Vec<(&str, String)>, what: String| {
            out.push(Guess {
                method: t.method,
                path: fill(&t.path, &subs),
                registry: match t.class {
                    Class::Facility(_) => Some(Resource::Facilities),
                    Class::Monitoring(_) => Some(Resource::Monitoring(false)),
                    Class::Un(_) => Some(Resource::UnFollowUp(false)),
                    Class::Advocacy(_) => Some(Resource::Advocacy(false)),
                    _ => None,
                },
                what,
            });
        };
        if matches!(t.class, Class::Facility(_) | Class::Monitoring(_) | Class::Un(_) | Class::Advocacy(_)) {
            if t.path.contains("{record}") {
                let kind = t.kind.ok_or("no kind")?;
                // Another type's record of the registry in its place, and an event of a case.
                let next =
                    Kind::REGISTRY.iter().cycle().skip_while(|k| **k != kind).nth(1).ok_or("no kind")?;
                let others = [a.live(Kind::Event)?.to_string(), world.live(*next)?.to_string()];
                for id in MALFORMED.iter().map(|m| (*m).to_owned()).chain([random()]).chain(others) {
                    push(vec![("{record}", id.clone())], format!("{} {id}", kind.code()));
                }
            }
            continue;
        }
        if !t.path.contains("{case}") {
            continue;
        }
        let (of_a, of_b) = (objects(a, t.kind)?, objects(b, t.kind)?);
        let with = |base: &[(&'static str, String)], key: &'static str, value: String| {
            let mut subs: Vec<_> = base.iter().filter(|(k, _)| *k != key).cloned().collect();
            subs.insert(0, (key, value));
            subs
        };
        // The case itself guessed.
        for case in MALFORMED.iter().map(|m| (*m).to_owned()).chain([random()]) {
            push(with(&of_a, "{case}", case.clone()), format!("case {case}"));
        }
        // The object guessed.
        let object =
            ["{record}", "{evidence}", "{person}", "{member}"].into_iter().find(|p| t.path.contains(p));
        let Some(object) = object else { continue };
        let value_of = |subs: &[(&str, String)]| {
            subs.iter().find(|(k, _)| *k == object).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        // Case A's address with case B's object, and case B's address with case A's object.
        push(with(&of_a, object, value_of(&of_b)), "case B's object under case A".into());
        push(with(&of_b, object, value_of(&of_a)), "case A's object under case B".into());
        for id in MALFORMED.iter().map(|m| (*m).to_owned()).chain([random()]) {
            push(with(&of_a, object, id.clone()), format!("object {id}"));
        }
        // An object of case A of another type.
        let mut others = vec![a.live(Kind::Event)?.to_string(), world.facilities.0.to_string()];
        if object == "{record}" {
            let kind = t.kind.ok_or("no kind")?;
            let next = Kind::OF_CASE.iter().cycle().skip_while(|k| **k != kind).nth(1).ok_or("no kind")?;
            others = vec![a.live(*next)?.to_string(), world.facilities.0.to_string(), a.evidence.to_string()];
        }
        if object == "{member}" {
            others = vec![world.account(Role::Psychologist)?.id.to_string(), a.refs.persons[0].clone()];
        }
        for id in others {
            push(with(&of_a, object, id.clone()), format!("another object {id}"));
        }
    }
    Ok(out)
}

/// Sends every guess as `who`: a 404 inside a case (the same page as for a case that does not
/// exist), and on the registry a 404 for those who may see it, a 403 for the others.
async fn guess_all(app: &TestApp, who: &Account, guesses: &[Guess]) -> Res<(usize, Vec<String>)> {
    let not_found = not_found_page(app, who).await?;
    let registry = |resource: Resource| {
        if can(&actor(who), Action::View, resource) { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN }
    };
    let generic = pairs(&[
        ("reason", "угадано"),
        ("purpose", "угадано наугад"),
        ("version", "1"),
        ("title", "Угадано"),
        ("name", "Угадано"),
        ("username", "psychologist"),
        ("identity_access", "on"),
        ("event", "in-mandate"),
    ]);
    let mut wrong = Vec::new();
    for g in guesses {
        let url = app.url(&g.path);
        let r = match g.method {
            Method::Get => who.client.get(url).send().await?,
            Method::Post => {
                let mut fields = vec![("csrf".to_owned(), who.csrf.clone())];
                fields.extend(generic.iter().cloned());
                who.client.post(url).form(&fields).send().await?
            }
            Method::Upload => {
                let form = upload_form(&who.csrf, "Угадано", "", (PDF, "g.pdf", "application/pdf"))?;
                who.client.post(url).multipart(form).send().await?
            }
        };
        let (status, to) = (r.status(), location(&r));
        let html = r.text().await?;
        let want = match (who.must_change_password, g.registry) {
            (true, _) => StatusCode::SEE_OTHER,
            (false, Some(resource)) => registry(resource),
            (false, None) => StatusCode::NOT_FOUND,
        };
        let problem = if status != want {
            Some(format!("answered {status} (want {want})"))
        } else if who.must_change_password && to != "/account/password" {
            Some(format!("sent to {to}"))
        } else if want == StatusCode::NOT_FOUND && not_found.as_deref().is_some_and(|p| main_part(&html) != p)
        {
            Some("a 404 page unlike that of a case that does not exist".into())
        } else {
            None
        };
        if let Some(problem) = problem {
            wrong.push(format!("{} {:?} {} ({}): {problem}", who.name, g.method, g.path, g.what));
        }
    }
    Ok((guesses.len(), wrong))
}

// ---------------------------------------------------------------------------------------------
// 2. Identity markers.
// ---------------------------------------------------------------------------------------------

fn marker_in(html: &str) -> Option<&'static str> {
    MARKERS.into_iter().find(|m| html.contains(m))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_markers_never_reach_a_page_without_identity_access() -> TestResult {
    let app = TestApp::spawn().await;
    let world = World::build(&app).await?;
    let a = &world.cases[0];
    let reveal = format!("/cases/{}/persons/{}/reveal", a.id, a.refs.persons[0]);

    // The oracle names who may reveal on case A; the fixture makes that the lawyer alone.
    let mut revealers = Vec::new();
    for who in &world.accounts {
        let access = relation(&app, who.id, a.id).await?;
        if can(&actor(who), Action::RevealIdentity, Resource::Case(access)) {
            revealers.push(who.name.as_str());
        }
    }
    assert_eq!(revealers, ["lawyer"]);

    // The lawyer sees the identity only after stating a purpose: not on the form, not without one.
    let lawyer = world.account(Role::Lawyer)?;
    let (status, html) = get(&app, lawyer, &reveal).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(marker_in(&html), None, "the reveal form shows nothing yet");
    let r = post(&app, lawyer, &reveal, &pairs(&[("purpose", "")])).await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(marker_in(&r.text().await?), None, "no purpose, no name");
    // Everyone else is refused, even stating a purpose.
    for who in world.accounts.iter().filter(|w| !revealers.contains(&w.name.as_str())) {
        let r = post(&app, who, &reveal, &pairs(&[("purpose", "подготовка жалобы прокурору")])).await?;
        assert_eq!(r.status(), refusal(who, Class::Case(Action::RevealIdentity)), "{}", who.name);
        assert_eq!(marker_in(&r.text().await?), None, "{} sees the identity", who.name);
    }
    let r = post(&app, lawyer, &reveal, &pairs(&[("purpose", "подготовка жалобы прокурору")])).await?;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await?;
    for marker in MARKERS {
        assert!(html.contains(marker), "the revealed page shows {marker} (the markers are detectable)");
    }

    // Every page any role can be shown, after the reveal (so the audit trail holds it too).
    let mut pages: Vec<(String, Option<CaseId>)> = world
        .routes()
        .into_iter()
        .filter(|r| r.method == Method::Get && !r.template.ends_with("/download"))
        .map(|r| (r.path, r.case))
        .collect();
    pages.extend(
        [
            "/dashboard",
            "/cases",
            "/facilities",
            "/admin/audit",
            "/admin/audit?kind=identity.revealed",
            "/",
            "/rehabilitation",
        ]
        .map(|p| (p.to_owned(), None)),
    );
    let mut shown = 0;
    let mut notes_read = 0;
    for who in &world.accounts {
        for (page, case) in &pages {
            let (status, html) = get(&app, who, page).await?;
            if status == StatusCode::OK {
                shown += 1;
            }
            if let Some(marker) = marker_in(&html) {
                panic!("{} sees {marker} on {page} ({status})", who.name);
            }
            // Session notes: only the clinicians on the case's team read them.
            if html.contains(MARKER_NOTES) {
                let case = case.ok_or(format!("session notes on {page}"))?;
                let access = relation(&app, who.id, case).await?;
                let clinical = can(&actor(who), Action::View, Resource::ClinicalNotes(access));
                assert!(clinical, "{} reads session notes on {page}", who.name);
                notes_read += 1;
            }
        }
    }
    assert!(notes_read > 0, "the notes are detectable: the doctor on case A reads them");
    // Team pages were really shown (not only 404s): every role reads something.
    assert!(shown > 200, "{shown} pages shown");
    let (_, audit) = get(&app, world.account(Role::Admin)?, "/admin/audit?kind=identity.revealed").await?;
    assert!(
        audit.contains("подготовка жалобы прокурору"),
        "the reveal is in the audit trail, without the name"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 3. Stored scripts.
// ---------------------------------------------------------------------------------------------

/// Whether `html` holds an escaped script tag, as named or numeric references.
fn escaped_script(html: &str) -> bool {
    html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;")
}

/// Checks that `path` shows every one of `payloads` escaped and none of them raw.
async fn shows_escaped(app: &TestApp, who: &Account, path: &str, payloads: &[String]) -> Res<()> {
    let (status, html) = get(app, who, path).await?;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert!(!raw_markup(&html), "raw markup on {path}");
    for p in payloads {
        assert!(html.contains(&escaped(p)), "{path} does not show {p} escaped");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_scripts_in_every_free_text_field_come_back_escaped() -> TestResult {
    let app = TestApp::spawn().await;
    let world = World::build(&app).await?;
    let a = &world.cases[0];
    let lawyer = world.account(Role::Lawyer)?;
    let coordinator = world.account(Role::Coordinator)?;
    let case_page = format!("/cases/{}", a.id);
    let mut fields_checked = 0;

    // Every record type, every free-text field of its schema.
    // A proceeding's civil and UN fields belong to those kinds only: one of each.
    let variants = Kind::OF_CASE.into_iter().chain(Kind::REGISTRY).flat_map(|k| match k {
        Kind::Proceeding => vec![(k, Some("CIVIL")), (k, Some("UN"))],
        _ => vec![(k, None)],
    });
    for (kind, proceeding) in variants {
        let belongs = |f: &FieldDef| match (f.group, proceeding) {
            // The recommending State belongs to a UPR recommendation only (the fixture's is CAT).
            _ if kind == Kind::UnRecommendation && f.name == "recommending_state" => false,
            (ozodi_domain::record::Group::Civil, Some(p)) => p == "CIVIL",
            (ozodi_domain::record::Group::Un, Some(p)) => p == "UN",
            _ => true,
        };
        let (base, container) = match kind {
            Kind::Facility => ("/facilities".to_owned(), "/facilities".to_owned()),
            Kind::Visit => ("/visits".to_owned(), "/monitoring".to_owned()),
            Kind::VisitFinding | Kind::VisitRecommendation => {
                (format!("/{}", kind.slug()), format!("/visits/{}", world.live(Kind::Visit)?))
            }
            Kind::UnDocument => ("/un-documents".to_owned(), "/recommendations/documents".to_owned()),
            Kind::UnRecommendation => ("/recommendations".to_owned(), "/recommendations".to_owned()),
            Kind::Meeting => ("/meetings".to_owned(), "/meetings".to_owned()),
            Kind::Publication => ("/publications".to_owned(), "/publications".to_owned()),
            _ => (format!("{case_page}/{}", kind.slug()), case_page.clone()),
        };
        let refs = if kind.in_registry() { world.registry_refs.clone() } else { a.refs.clone() };
        // The registry's monitoring and UN parts are kept by others than the lawyer.
        let lawyer = if kind.in_registry() && kind != Kind::Facility { coordinator } else { lawyer };
        // A payload longer than a field takes cannot be stored in it (a paragraph number): such a
        // field gets a short value, and the others carry the payloads.
        let fits = |f: &FieldDef| match f.ty {
            FieldType::Line(max) | FieldType::Text(max) => {
                max >= script(&format!("{}.{}", kind.code(), f.name)).chars().count()
            }
            _ => false,
        };
        let texts: Vec<&FieldDef> = kind
            .fields()
            .iter()
            .filter(|f| matches!(f.ty, FieldType::Line(_) | FieldType::Text(_)) && belongs(f) && fits(f))
            .collect();
        let payloads: Vec<String> =
            texts.iter().map(|f| script(&format!("{}.{}", kind.code(), f.name))).collect();
        let text =
            |f: &FieldDef| (belongs(f) && fits(f)).then(|| script(&format!("{}.{}", kind.code(), f.name)));
        let mut form = record_form(kind, &refs, &world.codes, &text)?;
        if let Some(code) = proceeding {
            for (name, value) in &mut form {
                if name == "proceeding_kind" {
                    *value = code.to_owned();
                }
            }
        }

        // Refused input comes back in the form, escaped.
        if let Some(code) = kind.fields().iter().find(|f| matches!(f.ty, FieldType::Code(_))) {
            let mut bad = form.clone();
            bad.retain(|(k, _)| k != code.name);
            bad.push((code.name.to_owned(), "<forged>".to_owned()));
            let r = post(&app, lawyer, &base, &bad).await?;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind:?}");
            let html = r.text().await?;
            assert!(!raw_markup(&html), "raw markup in the refused {kind:?} form");
            for p in &payloads {
                assert!(html.contains(&escaped(p)), "the refused {kind:?} form lacks {p} escaped");
            }
        }

        let r = post(&app, lawyer, &base, &form).await?;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{kind:?} with scripts not saved");
        let record = redirect_path(&r);
        for page in [record.clone(), format!("{record}/history"), format!("{record}/edit")] {
            shows_escaped(&app, lawyer, &page, &payloads).await?;
        }
        let (_, html) = get(&app, lawyer, &container).await?;
        assert!(!raw_markup(&html), "raw markup on {container} after a {kind:?}");
        fields_checked += texts.len();

        // The tombstone's reason too.
        let reason = script(&format!("{}.reason", kind.code()));
        let r = post(&app, coordinator, &format!("{record}/delete"), &pairs(&[("reason", &reason)])).await?;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        for page in [record.clone(), format!("{record}/history")] {
            shows_escaped(&app, coordinator, &page, std::slice::from_ref(&reason)).await?;
        }
    }
    assert!(fields_checked >= 10, "{fields_checked} free-text fields");
    let (_, html) = get(&app, lawyer, &case_page).await?;
    assert!(escaped_script(&html), "the case page shows the event's title escaped");

    // The case's title and summary, and the reason of its tombstone.
    let (title, summary) = (script("case.title"), script("case.summary"));
    let r = post(&app, lawyer, "/cases", &pairs(&[("title", &title), ("summary", &summary)])).await?;
    let page = location(&r);
    let both = [title.clone(), summary.clone()];
    for path in [page.clone(), format!("{page}/history"), format!("{page}/edit")] {
        shows_escaped(&app, lawyer, &path, &both).await?;
    }
    shows_escaped(&app, lawyer, "/cases", std::slice::from_ref(&title)).await?;
    let reason = script("case.reason");
    let r = post(&app, lawyer, &format!("{page}/delete"), &pairs(&[("reason", &reason)])).await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for path in [page.clone(), format!("{page}/history")] {
        shows_escaped(&app, coordinator, &path, std::slice::from_ref(&reason)).await?;
    }

    // A person's identity: shown on the reveal page, and kept in a refused form.
    let identity: Vec<(String, String)> =
        ["name", "other_names", "contacts", "address", "id_documents", "date_of_birth"]
            .into_iter()
            .map(|f| (f.to_owned(), script(&format!("person.{f}"))))
            .collect();
    let payloads: Vec<String> = identity.iter().map(|(_, v)| v.clone()).collect();
    let mut nameless = identity.clone();
    nameless.retain(|(k, _)| k != "name");
    let r = post(&app, lawyer, &format!("{case_page}/persons"), &nameless).await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(!raw_markup(&html) && html.contains(&escaped(&payloads[1])), "the refused person form");
    let r = post(&app, lawyer, &format!("{case_page}/persons"), &identity).await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let person = app.store().persons_of_case(a.id).await?.last().map(|p| p.id).ok_or("no person")?;
    let purpose = script("reveal.purpose");
    let r =
        post(&app, lawyer, &format!("{case_page}/persons/{person}/reveal"), &pairs(&[("purpose", &purpose)]))
            .await?;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await?;
    assert!(!raw_markup(&html), "raw markup on the reveal page");
    for p in &payloads {
        assert!(html.contains(&escaped(p)), "the reveal page lacks {p} escaped");
    }
    let (_, audit) = get(&app, world.account(Role::Admin)?, "/admin/audit?kind=identity.revealed").await?;
    assert!(!raw_markup(&audit) && escaped_script(&audit), "the audit trail shows the purpose escaped");

    // Evidence: title, description and the file's name; and a refused upload's form.
    let (title, description) = (script("evidence.title"), script("evidence.description"));
    let filename = "<img src=x onerror=alert('evidence.file')>.pdf";
    let form = upload_form(
        &lawyer.csrf,
        &title,
        &description,
        (b"\x7fELF\x02\x01\x01\0", filename, "application/pdf"),
    )?;
    let r = lawyer.client.post(app.url(&format!("{case_page}/evidence"))).multipart(form).send().await?;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await?;
    assert!(!raw_markup(&html) && html.contains(&escaped(&title)) && html.contains(&escaped(&description)));
    let form = upload_form(&lawyer.csrf, &title, &description, (PDF, filename, "application/pdf"))?;
    let r = lawyer.client.post(app.url(&format!("{case_page}/evidence"))).multipart(form).send().await?;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let item = redirect_path(&r);
    shows_escaped(&app, lawyer, &item, &[title.clone(), description, filename.to_owned()]).await?;
    shows_escaped(&app, lawyer, &case_page, &[title]).await?;
    Ok(())
}
