//! Loads the synthetic dataset of `ozodi-seed` (invented cases for the demo and the benchmark) into
//! a store through the public [`Store`] API only, as staff would type it: every record is built as
//! a submitted form and parsed by [`Data::parse`] (lengths, dates, moments, consistency), the store
//! checks its references and vocabulary codes in the write transaction, and it is versioned and
//! audited like any other. The accounts act within their rights ([`ozodi_domain::can`] is asked
//! first), cases reach their status through the legal steps of the state machine, and case fields
//! get the checks of the case form.
//!
//! Nothing is skipped: a value the domain or the store refuses stops the load with the case (or
//! facility) index and the field, since it is a bug of the generator or of this mapping.
//!
//! Times: a case is opened at its generated `opened_on` (a working hour in Dushanbe time, so its
//! number is `TJ-<that year>-…`), its persons and records follow within minutes, status steps days
//! later, interventions on their own dates; nothing is dated after now. Audit entries carry the
//! real time of the load (the trail says truthfully when the data came in) and `{"via": "demo"}`.

use std::collections::HashSet;
use std::fmt;

use anyhow::{anyhow, bail};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::{CaseEvent, CaseId, CaseStatus};
use ozodi_domain::dates::DUSHANBE;
use ozodi_domain::person::{Identity, Sex};
use ozodi_domain::record::{Data, Input, Kind, RecordId, moment_input};
use ozodi_domain::{Action, Actor, CaseAccess, DisplayName, Resource, Role, RoleSet, UserId, Username, can};
use ozodi_seed::{Act, Case, Facility, Lang, PDate, Person, Proceeding, Tri};
use ozodi_store::{CaseFields, NewAuditEntry, NewUser, PersonFields, Store, StoreError};
use serde_json::json;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ozodi-demo-2026";

/// The demo accounts: one per persona of DESIGN.md section 1. Invented people.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 9] = [
    ("admin", "Сомон Қурбонзода", Role::Admin),
    ("coordinator", "Гулрухсор Нуриддинова", Role::Coordinator),
    ("operator", "Нилуфар Саидхоҷаева", Role::Operator),
    ("lawyer", "Бахтовар Раҳимзода", Role::Lawyer),
    ("doctor", "Зарафшон Холмуродова", Role::Doctor),
    ("psychologist", "Мавҷуда Давлатшоева", Role::Psychologist),
    ("monitor", "Рустамҷон Ғаффорзода", Role::Monitor),
    ("analyst", "Дилафрӯз Назарқулова", Role::Analyst),
    ("editor", "Парвизҷон Одиназода", Role::Editor),
];

/// The longest case title and summary the case form accepts (web `handlers/cases.rs`).
const MAX_CASE_TITLE: usize = 200;
const MAX_CASE_SUMMARY: usize = 20_000;

/// An account the load acts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub id: UserId,
    /// Its login name (for team audit details).
    pub username: String,
    /// Its roles.
    pub roles: RoleSet,
}

impl Account {
    fn actor(&self) -> Actor {
        Actor { id: self.id, roles: self.roles, must_change_password: false }
    }
}

/// The accounts the load acts as: the lawyer leads every case and opens walk-ins, the operator
/// opens hotline cases, the monitor records the facility register; the doctor (without identity
/// access) and the psychologist (with it) join some teams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounts {
    /// Lead of every case.
    pub lawyer: Account,
    /// Opens the cases that came in on a hotline.
    pub operator: Account,
    /// On the team of cases with physical consequences, without identity access.
    pub doctor: Account,
    /// On the team of some cases with psychological consequences, with identity access.
    pub psychologist: Account,
    /// Records the places of detention.
    pub monitor: Account,
}

impl Accounts {
    /// Creates those of [`DEMO_ACCOUNTS`] whose user name is not taken yet, with `password`
    /// (hashed once), and returns the accounts the load acts as. An existing account of the same
    /// name is used as it is if it holds the role.
    pub async fn demo(store: &dyn Store, password: &str) -> anyhow::Result<Accounts> {
        let mut hash: Option<String> = None;
        for (username, name, role) in DEMO_ACCOUNTS {
            let username = Username::parse(username)?;
            if store.user_for_login(&username).await?.is_some() {
                continue;
            }
            let password_hash = match &hash {
                Some(h) => h.clone(),
                None => hash.insert(ozodi_vault::password::hash(password)?).clone(),
            };
            create_account(store, username, DisplayName::parse(name)?, role, password_hash).await?;
        }
        Ok(Accounts {
            lawyer: find(store, "lawyer", Role::Lawyer).await?,
            operator: find(store, "operator", Role::Operator).await?,
            doctor: find(store, "doctor", Role::Doctor).await?,
            psychologist: find(store, "psychologist", Role::Psychologist).await?,
            monitor: find(store, "monitor", Role::Monitor).await?,
        })
    }
}

/// Creates an account with one role and an Argon2id `password_hash`, audited as made by the
/// seeding (the demo, the benchmark, the test suites).
pub async fn create_account(
    store: &dyn Store,
    username: Username,
    display_name: DisplayName,
    role: Role,
    password_hash: String,
) -> anyhow::Result<ozodi_domain::UserId> {
    let user = NewUser {
        username,
        display_name,
        password_hash,
        roles: [role].into_iter().collect(),
        must_change_password: false,
    };
    let entry = NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: None,
        kind: AuditKind::UserCreated,
        subject: None,
        detail: json!({ "via": "demo", "roles": [role.code()] }),
        client: None,
    };
    Ok(store.create_user(user, entry).await?)
}

async fn find(store: &dyn Store, username: &str, role: Role) -> anyhow::Result<Account> {
    let name = Username::parse(username)?;
    let (user, _) = store.user_for_login(&name).await?.ok_or_else(|| anyhow!("no account {username}"))?;
    if user.disabled || !user.roles.contains(role) {
        bail!("the account {username} is disabled or lacks the {} role", role.code());
    }
    Ok(Account { id: user.id, username: username.to_owned(), roles: user.roles })
}

/// What a load stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Places of detention in the register.
    pub facilities: usize,
    /// Cases opened.
    pub cases: usize,
    /// Persons (individuals and groups), each with a sealed identity.
    pub persons: usize,
    /// Event records.
    pub events: usize,
    /// Act records.
    pub acts: usize,
    /// Involvement records.
    pub involvements: usize,
    /// Information records.
    pub informations: usize,
    /// Intervention records.
    pub interventions: usize,
    /// Team members added beyond the creator and the lead.
    pub team_members: usize,
    /// Status steps taken through the state machine.
    pub status_steps: usize,
    /// Legal proceedings.
    pub proceedings: usize,
    /// Accused in criminal cases.
    pub accused: usize,
    /// Payments of awards.
    pub payments: usize,
    /// Steps of proceedings beyond their initial state.
    pub legal_steps: usize,
    /// Rehabilitation episodes.
    pub episodes: usize,
    /// Their sessions.
    pub sessions: usize,
    /// Medico-legal evaluations.
    pub evaluations: usize,
}

impl LoadReport {
    /// Records of cases (events, acts, involvements, information, interventions, proceedings,
    /// accused, payments, rehabilitation episodes and medico-legal evaluations).
    pub fn records(&self) -> usize {
        self.events
            + self.acts
            + self.involvements
            + self.informations
            + self.interventions
            + self.proceedings
            + self.accused
            + self.payments
            + self.episodes
            + self.evaluations
    }
}

/// Stores `facilities` as the register, then every case of `cases` with its persons and records,
/// acting as `accounts`; calls `progress` with the number of cases done after each one. Stops at
/// the first refused value, naming the case (its position in `cases`, from 0) and the field.
pub async fn load(
    store: &dyn Store,
    facilities: &[Facility],
    cases: impl Iterator<Item = Case>,
    accounts: &Accounts,
    mut progress: impl FnMut(usize),
) -> anyhow::Result<LoadReport> {
    let mut loader = Loader {
        store,
        accounts,
        now: OffsetDateTime::now_utc(),
        facilities: Vec::with_capacity(facilities.len()),
        regions: codes(store, "region").await?,
        hotlines: codes(store, "hotline").await?,
        counting_units: codes(store, "MT07").await?,
        report: LoadReport::default(),
    };
    for (index, facility) in facilities.iter().enumerate() {
        loader.facility(index, facility).await?;
    }
    for (index, case) in cases.enumerate() {
        loader.case(index, &case).await?;
        progress(index + 1);
    }
    Ok(loader.report)
}

/// What [`load_registry`] stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistryReport {
    /// Hotline contacts.
    pub contacts: usize,
    /// UN recommendations.
    pub un_recommendations: usize,
    /// Monitoring visits.
    pub visits: usize,
    /// Their steps beyond `PLANNED`.
    pub visit_steps: usize,
    /// Allegations received.
    pub allegations: usize,
    /// Visit recommendations.
    pub visit_recommendations: usize,
    /// Assessments of them.
    pub assessments: usize,
    /// Trainings.
    pub trainings: usize,
    /// Rows of participants (profession and sex) counted.
    pub participant_rows: usize,
    /// Publications.
    pub publications: usize,
    /// Meetings.
    pub meetings: usize,
}

/// Stores the generated register through the store API: the visits to the places of
/// `facilities` (already in the register) with their course, allegations, recommendations and
/// assessments, the publications and the meetings (by the monitor), the UN recommendations
/// tracked (by the lawyer), the trainings (by the doctor), each on its own day.
pub async fn load_registry(
    store: &dyn Store,
    registry: &ozodi_seed::Registry,
    facilities: &[Facility],
    accounts: &Accounts,
) -> anyhow::Result<RegistryReport> {
    let now = OffsetDateTime::now_utc();
    let (doctor, monitor) = (&accounts.doctor, &accounts.monitor);
    allowed(Origin::Demo, doctor, Action::Create, Resource::Trainings)?;
    allowed(Origin::Demo, monitor, Action::Create, Resource::Advocacy(false))?;
    let mut report = RegistryReport::default();
    // The contacts, logged by the operator; those outside the mandate closed as such.
    let operator = &accounts.operator;
    allowed(Origin::Demo, operator, Action::Create, Resource::Contacts)?;
    for c in &registry.contacts {
        use ozodi_domain::intake::{CallerDetails, CallerRole, Channel, CloseReason, LineCode};
        let at =
            PrimitiveDateTime::new(c.day, Time::from_hms(c.hour, 20, 0)?).assume_offset(DUSHANBE).min(now);
        let fields = ozodi_store::intake::NewContact {
            line: c.line.and_then(LineCode::parse),
            channel: Channel::parse(c.channel)
                .ok_or_else(|| anyhow!("generated contact: channel {}", c.channel))?,
            received_at: at,
            caller_role: CallerRole::parse(c.caller)
                .ok_or_else(|| anyhow!("generated contact: caller {}", c.caller))?,
            region: c.region.map(str::to_owned),
            summary: c.summary.to_owned(),
            in_custody: false,
            at_risk: false,
            consent_record: true,
            consent_act: true,
            follow_up: false,
        };
        let mut audit = entry(operator, AuditKind::ContactCreated, json!({ "via": "demo" }));
        audit.at = at;
        let contact = store
            .create_contact(&fields, &CallerDetails::default(), Some(operator.id), at, None, audit)
            .await?;
        if c.outside_mandate {
            let close = ozodi_store::intake::Triage::Close(CloseReason::OutsideMandate, String::new());
            let audit =
                entry(operator, AuditKind::ContactUpdated, json!({ "change": "triage", "via": "demo" }));
            store.triage_contact(contact.id, contact.version, close, operator.id, at, audit).await?;
        }
        report.contacts += 1;
    }
    allowed(Origin::Demo, monitor, Action::Create, Resource::Monitoring(false))?;
    // The UN follow-up is the lawyers' and analysts' work.
    let lawyer = &accounts.lawyer;
    allowed(Origin::Demo, lawyer, Action::Create, Resource::UnFollowUp(false))?;
    for r in &registry.un_recommendations {
        let mut form = Form::default();
        form.put("mechanism", r.mechanism)
            .put("symbol", r.symbol.as_str())
            .put("paragraph", r.paragraph.as_str())
            .date("document_date", exact(r.day))
            .put("summary_en", r.summary);
        let data = form.parse(Origin::Demo, Kind::UnRecommendation)?;
        let detail = json!({ "kind": "un_recommendation", "via": "demo" });
        let id = store
            .create_record(
                Kind::UnRecommendation,
                None,
                &data,
                lawyer.id,
                dushanbe(r.day, 12, 0).min(now),
                entry(lawyer, AuditKind::RecordCreated, detail),
            )
            .await?
            .id;
        report.un_recommendations += 1;
        if let Some((status, as_of)) = r.assessed {
            let assessment = ozodi_store::monitoring::NewAssessment {
                assessor: ozodi_domain::monitoring::Assessor::Coalition,
                as_of,
                status: status.to_owned(),
                official_grade: String::new(),
                source_doc: String::new(),
                evidence: "Мониторинг коалиции".to_owned(),
                links: Vec::new(),
            };
            store
                .add_assessment(
                    id,
                    &assessment,
                    lawyer.id,
                    dushanbe(as_of, 12, 0).min(now),
                    entry(lawyer, AuditKind::AssessmentAdded, json!({ "via": "demo" })),
                )
                .await?;
            report.assessments += 1;
        }
    }
    let stored = store.facilities().await?;
    for v in &registry.visits {
        let name = facilities.get(v.facility).map(|f| f.name.as_str()).unwrap_or_default();
        let place = stored
            .iter()
            .find(|f| f.data.text("name") == Some(name))
            .ok_or_else(|| anyhow!("generated visit: no facility named {name:?} in the register"))?;
        let mut form = Form::default();
        form.put("facility", place.id.to_string())
            .date("initial_date", exact(v.day))
            .put("visit_type", v.visit_type)
            .put("notice", v.notice)
            .put("mandate", v.mandate)
            .opt("interviews_private", (v.interviews_private > 0).then_some(v.interviews_private));
        let data = form.parse(Origin::Demo, Kind::Visit)?;
        let at = dushanbe(v.day, 9, 0).min(now);
        let detail = json!({ "kind": "visit", "via": "demo" });
        let visit = store
            .create_record(
                Kind::Visit,
                None,
                &data,
                monitor.id,
                at,
                entry(monitor, AuditKind::RecordCreated, detail),
            )
            .await?
            .id;
        report.visits += 1;
        for (n, (to, day, note)) in v.steps.iter().enumerate() {
            let expected = i64::try_from(n).unwrap_or(0) + 1;
            store
                .visit_step(
                    visit,
                    expected,
                    (to, *day, note),
                    monitor.id,
                    dushanbe(*day, 17, 0).min(now),
                    entry(monitor, AuditKind::VisitStep, json!({ "via": "demo" })),
                )
                .await?;
            report.visit_steps += 1;
        }
        for _ in 0..v.allegations {
            store
                .record_allegation(
                    visit,
                    None,
                    monitor.id,
                    dushanbe(v.day, 16, 0).min(now),
                    entry(monitor, AuditKind::AllegationRecorded, json!({ "via": "demo" })),
                )
                .await?;
            report.allegations += 1;
        }
        for r in &v.recommendations {
            let mut form = Form::default();
            form.put("visit", visit.to_string())
                .put("recommendation_text", r.text)
                .put("responsible_body", r.body);
            let data = form.parse(Origin::Demo, Kind::VisitRecommendation)?;
            let detail = json!({ "kind": "visit_recommendation", "via": "demo" });
            let rec = store
                .create_record(
                    Kind::VisitRecommendation,
                    None,
                    &data,
                    monitor.id,
                    dushanbe(v.day + Duration::days(20), 12, 0).min(now),
                    entry(monitor, AuditKind::RecordCreated, detail),
                )
                .await?
                .id;
            report.visit_recommendations += 1;
            if let Some((status, as_of)) = r.assessed {
                let assessment = ozodi_store::monitoring::NewAssessment {
                    assessor: ozodi_domain::monitoring::Assessor::Coalition,
                    as_of,
                    status: status.to_owned(),
                    official_grade: String::new(),
                    source_doc: String::new(),
                    evidence: "Повторный визит мониторинговой группы".to_owned(),
                    links: Vec::new(),
                };
                store
                    .add_assessment(
                        rec,
                        &assessment,
                        monitor.id,
                        dushanbe(as_of, 12, 0).min(now),
                        entry(monitor, AuditKind::AssessmentAdded, json!({ "via": "demo" })),
                    )
                    .await?;
                report.assessments += 1;
            }
        }
    }
    for t in &registry.trainings {
        let mut form = Form::default();
        form.put("title", t.title.as_str())
            .put("training_kind", t.kind)
            .date("initial_date", exact(t.day))
            .put("region", t.region);
        let data = form.parse(Origin::Demo, Kind::Training)?;
        let at = dushanbe(t.day, 18, 0).min(now);
        let id = store
            .create_training(
                &data,
                doctor.id,
                at,
                entry(doctor, AuditKind::RecordCreated, json!({ "via": "demo" })),
            )
            .await?;
        for (profession, sex, count) in &t.participants {
            let row = ozodi_store::training::Participants {
                profession: (*profession).into(),
                sex: (*sex).into(),
                region: t.region.into(),
                count: *count,
            };
            store
                .set_training_participants(
                    id,
                    &row,
                    entry(doctor, AuditKind::RecordUpdated, json!({ "via": "demo" })),
                )
                .await?;
            report.participant_rows += 1;
        }
        report.trainings += 1;
    }
    let create = async |kind: Kind, form: Form, day: Date| -> anyhow::Result<()> {
        let data = form.parse(Origin::Demo, kind)?;
        let detail = json!({ "kind": kind.code(), "via": "demo" });
        store
            .create_record(
                kind,
                None,
                &data,
                monitor.id,
                dushanbe(day, 15, 0).min(now),
                entry(monitor, AuditKind::RecordCreated, detail),
            )
            .await?;
        anyhow::Ok(())
    };
    for p in &registry.publications {
        let mut form = Form::default();
        form.put("title", p.title.as_str())
            .put("publication_kind", p.kind)
            .date("initial_date", exact(p.day))
            .codes("languages", &p.languages);
        create(Kind::Publication, form, p.day).await?;
        report.publications += 1;
    }
    for m in &registry.meetings {
        let mut form = Form::default();
        form.date("initial_date", exact(m.day))
            .put("meeting_kind", m.kind)
            .put("counterpart", m.counterpart)
            .put("counterpart_type", m.counterpart_type);
        create(Kind::Meeting, form, m.day).await?;
        report.meetings += 1;
    }
    Ok(report)
}

async fn codes(store: &dyn Store, list: &str) -> anyhow::Result<HashSet<String>> {
    Ok(store.vocabulary(list).await?.iter().map(|t| t.code.clone()).collect())
}

/// Where a refused value came from.
#[derive(Clone, Copy, Debug)]
enum Origin {
    Facility(usize),
    Case(usize),
    Demo,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Facility(i) => write!(f, "generated facility {i}"),
            Origin::Case(i) => write!(f, "generated case {i}"),
            Origin::Demo => f.write_str("the demo's monitoring"),
        }
    }
}

fn refused(origin: Origin, what: &str, e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(field) => {
            anyhow!("{origin}: the store refused field `{field}` of the {what} (a generator or mapping bug)")
        }
        other => anyhow::Error::new(other).context(format!("{origin}: storing the {what}")),
    }
}

fn allowed(origin: Origin, who: &Account, action: Action, resource: Resource) -> anyhow::Result<()> {
    if can(&who.actor(), action, resource) {
        Ok(())
    } else {
        bail!("{origin}: the account {} may not {action:?} {resource:?}", who.username)
    }
}

fn entry(actor: &Account, kind: AuditKind, detail: serde_json::Value) -> NewAuditEntry {
    NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: Some(actor.id),
        kind,
        subject: None,
        detail,
        client: None,
    }
}

/// A generated record as a submitted form: the names and value shapes of the web forms, so
/// [`Data::parse`] checks it exactly as it checks typed input. Empty values are left out.
#[derive(Debug, Default)]
struct Form(Vec<(String, String)>);

impl Input for Form {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

impl Form {
    fn put(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        if !value.is_empty() {
            self.0.push((name.to_owned(), value));
        }
        self
    }

    fn opt(&mut self, name: &str, value: Option<impl ToString>) -> &mut Self {
        if let Some(v) = value {
            self.put(name, v.to_string());
        }
        self
    }

    fn codes(&mut self, name: &str, values: &[&str]) -> &mut Self {
        for v in values {
            self.put(name, *v);
        }
        self
    }

    fn date(&mut self, name: &str, date: Option<PDate>) -> &mut Self {
        if let Some(d) = date {
            self.put(&format!("{name}.y"), d.year.to_string());
            self.opt(&format!("{name}.m"), d.month);
            self.opt(&format!("{name}.d"), d.day);
            if d.estimated {
                self.put(&format!("{name}.est"), "on");
            }
        }
        self
    }

    fn tri(&mut self, name: &str, value: Tri) -> &mut Self {
        self.put(name, value.code())
    }

    fn moment(&mut self, name: &str, at: Option<OffsetDateTime>) -> &mut Self {
        self.opt(name, at.map(moment_input))
    }

    fn parse(&self, origin: Origin, kind: Kind) -> anyhow::Result<Data> {
        Data::parse(kind, self).map_err(|errors| {
            let fields: Vec<String> =
                errors.iter().map(|e| format!("`{}` ({:?})", e.field, e.problem)).collect();
            anyhow!(
                "{origin}: the {} form refuses {} (a generator or mapping bug)",
                kind.code(),
                fields.join(", ")
            )
        })
    }
}

/// The time the records of a case are stamped with: monotonic, never after `limit` (now).
#[derive(Clone, Copy, Debug)]
struct Clock {
    at: OffsetDateTime,
    limit: OffsetDateTime,
}

impl Clock {
    /// A few minutes later (the next form saved).
    fn tick(&mut self) -> OffsetDateTime {
        self.at = (self.at + Duration::minutes(3)).min(self.limit).max(self.at);
        self.at
    }

    /// At `t`, or now if that is already later.
    fn not_before(&mut self, t: OffsetDateTime) -> OffsetDateTime {
        self.at = self.at.max(t.min(self.limit));
        self.at
    }
}

/// A day known exactly, as a partial date.
fn exact(d: Date) -> Option<PDate> {
    Some(PDate { year: d.year(), month: Some(u8::from(d.month())), day: Some(d.day()), estimated: false })
}

/// A Dushanbe-time moment on `date`.
fn dushanbe(date: Date, hour: u8, minute: u8) -> OffsetDateTime {
    let time = Time::from_hms(hour % 24, minute % 60, 0).unwrap_or(Time::MIDNIGHT);
    PrimitiveDateTime::new(date, time).assume_offset(DUSHANBE)
}

/// When the register was compiled: before the first generated case (2015).
fn register_date() -> Date {
    Date::from_calendar_date(2014, Month::December, 1).unwrap_or(Date::MIN)
}

/// Hours of the day at which detentions begin, picked by a stable rule.
const DETENTION_HOURS: [u8; 10] = [7, 9, 11, 14, 16, 18, 20, 22, 23, 6];

/// The status steps from intake screening to `target`: those before the interventions, and those
/// after them (waiting on an authority, closing, which follow the last action taken).
fn steps(target: CaseStatus) -> (&'static [CaseEvent], &'static [CaseEvent]) {
    use CaseEvent as E;
    match target {
        CaseStatus::IntakeScreening => (&[], &[]),
        CaseStatus::Open => (&[E::InMandate], &[]),
        CaseStatus::Active => (&[E::InMandate, E::DocumentationDone], &[]),
        CaseStatus::Pending => (&[E::InMandate, E::DocumentationDone], &[E::Wait]),
        CaseStatus::ReferredOut => (&[E::ReferOut], &[]),
        CaseStatus::Closed => (&[E::InMandate, E::DocumentationDone], &[E::Close]),
    }
}

/// How long after opening a step is taken (at the earliest).
fn step_delay(event: CaseEvent) -> Duration {
    match event {
        CaseEvent::InMandate => Duration::days(1),
        CaseEvent::ReferOut => Duration::days(2),
        CaseEvent::DocumentationDone => Duration::days(14),
        CaseEvent::Wait => Duration::days(30),
        _ => Duration::days(60),
    }
}

struct Loader<'a> {
    store: &'a dyn Store,
    accounts: &'a Accounts,
    now: OffsetDateTime,
    facilities: Vec<RecordId>,
    regions: HashSet<String>,
    hotlines: HashSet<String>,
    counting_units: HashSet<String>,
    report: LoadReport,
}

/// The case being loaded.
struct Current {
    origin: Origin,
    id: CaseId,
    version: i64,
    fields: CaseFields,
    opened: OffsetDateTime,
    clock: Clock,
    creator: Account,
    persons: Vec<String>,
    events: Vec<String>,
    /// The involvements' ids in generation order (what an accused points at).
    involvements: Vec<String>,
}

impl Current {
    fn person(&self, index: usize) -> anyhow::Result<&str> {
        self.persons
            .get(index)
            .map(String::as_str)
            .ok_or_else(|| anyhow!("{}: person index {index} out of range", self.origin))
    }
}

impl Loader<'_> {
    async fn facility(&mut self, index: usize, facility: &Facility) -> anyhow::Result<()> {
        let origin = Origin::Facility(index);
        let monitor = &self.accounts.monitor;
        allowed(origin, monitor, Action::Create, Resource::Facilities)?;
        let mut form = Form::default();
        form.put("name", facility.name.as_str())
            .put("facility_type", facility.facility_type)
            .put("authority", facility.authority)
            .put("region", facility.region)
            .put("address", facility.locality.as_str())
            .put("remarks", format!("{}\n{}", facility.name_tg, facility.name_en));
        let data = form.parse(origin, Kind::Facility)?;
        let minutes = i64::try_from(index).unwrap_or(0);
        let at = (dushanbe(register_date(), 10, 0) + Duration::minutes(minutes)).min(self.now);
        let detail = json!({ "kind": Kind::Facility.code(), "case": null, "via": "demo" });
        let record = self
            .store
            .create_record(
                Kind::Facility,
                None,
                &data,
                monitor.id,
                at,
                entry(monitor, AuditKind::RecordCreated, detail),
            )
            .await
            .map_err(|e| refused(origin, "facility", e))?;
        self.facilities.push(record.id);
        self.report.facilities += 1;
        Ok(())
    }

    fn check_case(&self, origin: Origin, case: &Case) -> anyhow::Result<()> {
        let title = case.title.trim();
        if title.is_empty() || title.chars().count() > MAX_CASE_TITLE || title.chars().any(char::is_control) {
            bail!("{origin}: the case form refuses the title");
        }
        if case.summary.trim().chars().count() > MAX_CASE_SUMMARY {
            bail!("{origin}: the case form refuses the summary");
        }
        if !self.regions.contains(case.region) {
            bail!("{origin}: the case form refuses region {}", case.region);
        }
        if let Some(hotline) = case.hotline
            && !self.hotlines.contains(hotline)
        {
            bail!("{origin}: the case form refuses hotline {hotline}");
        }
        Ok(())
    }

    async fn case(&mut self, index: usize, case: &Case) -> anyhow::Result<()> {
        let origin = Origin::Case(index);
        let target = CaseStatus::parse(case.status)
            .ok_or_else(|| anyhow!("{origin}: unknown status {}", case.status))?;
        let (before, after) = steps(target);
        let reached = before
            .iter()
            .chain(after)
            .try_fold(CaseStatus::IntakeScreening, |status, event| status.apply(*event))?;
        if reached != target {
            bail!("{origin}: the steps reach {reached:?}, not {target:?}");
        }
        self.check_case(origin, case)?;

        let lawyer = self.accounts.lawyer.clone();
        let creator = if case.hotline.is_some() { self.accounts.operator.clone() } else { lawyer.clone() };
        allowed(origin, &creator, Action::Create, Resource::Cases)?;
        let minute = u8::try_from(index * 13 % 60).unwrap_or(0);
        let opened = dushanbe(case.opened_on, 9 + u8::try_from(index % 8).unwrap_or(0), minute).min(self.now);
        let fields = CaseFields {
            status: CaseStatus::IntakeScreening,
            region: Some(case.region.to_owned()),
            hotline: case.hotline.map(str::to_owned),
            title: case.title.trim().to_owned(),
            summary: case.summary.trim().to_owned(),
            lead: Some(lawyer.id),
        };
        let created = self
            .store
            .create_case(
                &fields,
                creator.id,
                opened,
                entry(&creator, AuditKind::CaseCreated, json!({ "via": "demo" })),
            )
            .await
            .map_err(|e| refused(origin, "case", e))?;
        self.report.cases += 1;
        let mut current = Current {
            origin,
            id: created.id,
            version: created.version,
            fields,
            opened,
            clock: Clock { at: opened, limit: self.now },
            creator,
            persons: Vec::with_capacity(case.persons.len()),
            events: Vec::with_capacity(case.events.len()),
            involvements: Vec::new(),
        };

        // The intake: persons, then what happened to whom, and the sources.
        let access = CaseAccess {
            on_team: true,
            identity_access: true,
            lead: current.creator.id == lawyer.id,
            deleted: false,
        };
        allowed(origin, &current.creator, Action::Update, Resource::Case(access))?;
        allowed(origin, &current.creator, Action::Create, Resource::Record(access, false))?;
        for person in &case.persons {
            self.person(&mut current, person, case.lang).await?;
        }
        for (e, event) in case.events.iter().enumerate() {
            let mut form = Form::default();
            form.put("title", event.title.as_str())
                .date("initial_date", event.start)
                .date("final_date", event.end)
                .put("region", event.region)
                .put("description", event.description.as_str())
                .opt("violation_status", event.violation_status)
                .codes("reprisal_targets", &event.reprisal_targets);
            let creator = current.creator.clone();
            let event_id = self.record(&mut current, Kind::Event, &form, &creator).await?;
            current.events.push(event_id.clone());
            self.report.events += 1;
            for (a, act) in event.acts.iter().enumerate() {
                let act_id = self.act(&mut current, &event_id, act, index + 3 * (e * 2 + a)).await?;
                for involvement in &act.involvements {
                    let mut form = Form::default();
                    form.put("act", act_id.as_str())
                        .put("perpetrator", current.person(involvement.perpetrator)?)
                        .put("degree", involvement.degree)
                        .put("perpetrator_type", involvement.perpetrator_type)
                        .put("agency", involvement.agency)
                        .put("identified", if involvement.identified { "on" } else { "" });
                    let id = self.record(&mut current, Kind::Involvement, &form, &creator).await?;
                    current.involvements.push(id);
                    self.report.involvements += 1;
                }
            }
            for information in &event.informations {
                let mut form = Form::default();
                form.put("source", current.person(information.source)?)
                    .put("event", event_id.as_str())
                    .put("connection", information.connection)
                    .date("material_date", information.date)
                    .codes("material_types", &information.material)
                    .opt("reliability", information.reliability)
                    .put("remarks", information.remarks.as_str());
                self.record(&mut current, Kind::Information, &form, &creator).await?;
                self.report.informations += 1;
            }
        }

        // Screening and documentation, by the lead; then the actions taken, on their dates.
        let lead_access = CaseAccess { on_team: true, identity_access: true, lead: true, deleted: false };
        allowed(origin, &lawyer, Action::Update, Resource::Case(lead_access))?;
        allowed(origin, &lawyer, Action::Create, Resource::Record(lead_access, false))?;
        for event in before {
            self.step(&mut current, *event, &lawyer).await?;
            if *event == CaseEvent::InMandate {
                self.team(&mut current, case, index, &lawyer).await?;
            }
        }
        for (event, event_id) in case.events.iter().zip(current.events.clone()) {
            for intervention in &event.interventions {
                if let Some(day) = intervention.date.and_then(|d| d.first_day()) {
                    current.clock.not_before(dushanbe(day, 11, 0));
                }
                let mut form = Form::default();
                form.put("party", current.person(intervention.party)?)
                    .put("event", event_id.as_str())
                    .opt("victim", intervention.victim.map(|v| current.person(v)).transpose()?)
                    .codes("intervention_types", &intervention.types)
                    .date("intervention_date", intervention.date)
                    .put("parties_requested", intervention.parties_requested.as_str())
                    .opt("response", intervention.response)
                    .opt("intervention_status", intervention.status);
                self.record(&mut current, Kind::Intervention, &form, &lawyer).await?;
                self.report.interventions += 1;
            }
        }
        // The proceedings, by the lead lawyer, their stages on their days.
        allowed(origin, &lawyer, Action::Create, Resource::Legal(lead_access))?;
        for proceeding in &case.legal {
            self.proceeding(&mut current, proceeding, &lawyer).await?;
        }
        // Rehabilitation, by the psychologist (on the team, with identities, for it).
        if !case.rehab.is_empty() {
            let psychologist = self.accounts.psychologist.clone();
            self.join(&mut current, &psychologist, true, &lawyer).await?;
            for episode in &case.rehab {
                self.episode(&mut current, episode, &psychologist).await?;
            }
        }
        // Medico-legal evaluations, by the doctor (on the team without identities for it).
        if !case.evaluations.is_empty() {
            let doctor = self.accounts.doctor.clone();
            self.join(&mut current, &doctor, false, &lawyer).await?;
            for evaluation in &case.evaluations {
                self.evaluation(&mut current, evaluation, &doctor).await?;
            }
        }
        for event in after {
            self.step(&mut current, *event, &lawyer).await?;
        }
        Ok(())
    }

    /// One medico-legal evaluation: the report with its conclusion, examined, signed on its day
    /// if it was.
    async fn evaluation(
        &mut self,
        current: &mut Current,
        e: &ozodi_seed::Evaluation,
        by: &Account,
    ) -> anyhow::Result<()> {
        use ozodi_store::ip::StepRequest;
        current.clock.not_before(dushanbe(e.day, 10, 0));
        let mut form = Form::default();
        form.put("subject", current.person(e.subject)?)
            .date("evaluation_date", exact(e.day))
            .put("requested_by", "LAWYER")
            .put("informed_consent", "yes")
            .put("in_custody", "no")
            .put(
                "physical_interpretation",
                "Локализация и давность повреждений сопоставлены с описанными событиями.",
            )
            .put("overall_consistency", e.consistency);
        let data = form.parse(current.origin, Kind::Evaluation)?;
        let at = current.clock.tick();
        let id = self
            .store
            .create_evaluation(
                current.id,
                &data,
                None,
                by.id,
                at,
                entry(by, AuditKind::RecordCreated, json!({ "via": "demo" })),
            )
            .await
            .map_err(|err| refused(current.origin, "evaluation", err))?;
        self.report.evaluations += 1;
        let mut steps = vec![("SCHEDULED", None), ("EXAMINED", None), ("DRAFTING", None)];
        if let Some(day) = e.signed {
            steps.push(("SIGNED", Some(day)));
        }
        for (to, day) in steps {
            let version = self.store.evaluation(id).await?.map(|x| x.version).unwrap_or_default();
            // Signed on its own day: the statistics date an evaluation by its signature.
            let at = match day {
                Some(d) => dushanbe(d, 14, 0).min(self.now),
                None => current.clock.tick(),
            };
            let request = StepRequest { to, note: "", by: by.id, at };
            self.store
                .evaluation_step(
                    id,
                    version,
                    request,
                    entry(by, AuditKind::RecordUpdated, json!({ "via": "demo" })),
                )
                .await
                .map_err(|err| refused(current.origin, "evaluation step", err))?;
        }
        Ok(())
    }

    /// One rehabilitation episode: the referral, its course, its sessions.
    async fn episode(
        &mut self,
        current: &mut Current,
        e: &ozodi_seed::Episode,
        by: &Account,
    ) -> anyhow::Result<()> {
        use ozodi_store::rehab::StepRequest;
        current.clock.not_before(dushanbe(e.referred, 10, 0));
        let mut form = Form::default();
        form.put("client", current.person(e.client)?)
            .put("client_relation", e.relation)
            .date("referred_at", exact(e.referred))
            .put("service_kinds", "COUNSELLING");
        if let Some((instrument, score)) = e.baseline {
            form.put("baseline_instrument", instrument).put("baseline_score", score.to_string());
        }
        let data = form.parse(current.origin, Kind::Episode)?;
        let at = current.clock.tick();
        let id = self
            .store
            .create_episode(
                current.id,
                &data,
                by.id,
                at,
                entry(by, AuditKind::RecordCreated, json!({ "via": "demo" })),
            )
            .await
            .map_err(|err| refused(current.origin, "rehabilitation episode", err))?;
        self.report.episodes += 1;
        let mut sessions = e.sessions.iter();
        for (to, note) in &e.steps {
            let version = self.store.episode(id).await?.map(|x| x.version).unwrap_or_default();
            let at = current.clock.tick();
            let request = StepRequest { to, note, by: by.id, at };
            self.store
                .episode_step(
                    id,
                    version,
                    request,
                    entry(by, AuditKind::RecordUpdated, json!({ "via": "demo" })),
                )
                .await
                .map_err(|err| refused(current.origin, "rehabilitation step", err))?;
            // The sessions are held while in treatment.
            if *to == "IN_TREATMENT" {
                for (day, missed) in sessions.by_ref() {
                    let mut form = Form::default();
                    form.date("session_date", exact(*day))
                        .put("modality", "INDIVIDUAL")
                        .put("duration_minutes", "50");
                    if *missed {
                        form.put("missed", "on");
                    }
                    let data = form.parse(current.origin, Kind::Session)?;
                    let at = current.clock.not_before(dushanbe(*day, 15, 0));
                    self.store
                        .add_session(
                            id,
                            &data,
                            by.id,
                            at,
                            entry(by, AuditKind::RecordUpdated, json!({ "via": "demo" })),
                        )
                        .await
                        .map_err(|err| refused(current.origin, "rehabilitation session", err))?;
                    self.report.sessions += 1;
                }
            }
        }
        Ok(())
    }

    /// One proceeding: the record (with its accused), then each step, the payments a payment
    /// state needs recorded just before it.
    async fn proceeding(
        &mut self,
        current: &mut Current,
        p: &Proceeding,
        lawyer: &Account,
    ) -> anyhow::Result<()> {
        use ozodi_store::legal::NewStep;
        let money = |diram: Option<i64>| diram.map(|d| ozodi_domain::legal::Money(d).input(false));
        current.clock.not_before(dushanbe(p.filed, 10, 0));
        let mut form = Form::default();
        form.put("proceeding_kind", p.kind)
            .put("title", p.title.as_str())
            .put("our_role", p.our_role)
            .put("forum", p.forum)
            .codes("legal_qualification", &p.qualification)
            .date("initial_date", exact(p.filed))
            .opt("claimed", money(p.claimed))
            .opt("awarded", money(p.awarded))
            .opt("un_body", p.un_body);
        let id = self.record(current, Kind::Proceeding, &form, lawyer).await?;
        self.report.proceedings += 1;
        for accused in &p.accused {
            let involvement = current
                .involvements
                .get(accused.involvement)
                .ok_or_else(|| {
                    anyhow!("{}: involvement index {} out of range", current.origin, accused.involvement)
                })?
                .clone();
            let mut form = Form::default();
            form.put("proceeding", id.as_str())
                .put("involvement", involvement)
                .codes("charges", &p.qualification)
                .opt("verdict", accused.verdict);
            self.record(current, Kind::Accused, &form, lawyer).await?;
            self.report.accused += 1;
        }
        let proceeding =
            RecordId::parse(&id).ok_or_else(|| anyhow!("{}: a proceeding id", current.origin))?;
        for (n, step) in p.steps.iter().enumerate() {
            for (day, amount) in &step.payments {
                current.clock.not_before(dushanbe(*day, 10, 0));
                let mut form = Form::default();
                form.put("proceeding", id.as_str())
                    .date("payment_date", exact(*day))
                    .put("amount", ozodi_domain::legal::Money(*amount).input(false));
                self.record(current, Kind::Payment, &form, lawyer).await?;
                self.report.payments += 1;
            }
            let at = current.clock.not_before(dushanbe(step.on, 12, 0));
            let new = NewStep {
                proceeding,
                expected_seq: i64::try_from(n).unwrap_or(0) + 1,
                to: step.to.to_owned(),
                decided_on: step.on,
                ground: step.ground.map(str::to_owned),
                note: String::new(),
                document: None,
                by: lawyer.id,
                at,
            };
            self.store
                .add_proceeding_step(&new, entry(lawyer, AuditKind::ProceedingStep, json!({ "via": "demo" })))
                .await
                .map_err(|e| refused(current.origin, "proceeding step", e))?;
            self.report.legal_steps += 1;
        }
        Ok(())
    }

    async fn person(&mut self, current: &mut Current, person: &Person, lang: Lang) -> anyhow::Result<()> {
        let origin = current.origin;
        if !self.counting_units.contains(person.counting_unit) {
            bail!("{origin}: counting unit {} is not in MT07", person.counting_unit);
        }
        let sex = match person.sex {
            Some(code) => Some(Sex::parse(code).ok_or_else(|| anyhow!("{origin}: unknown sex code {code}"))?),
            None if person.counting_unit == "01" => None,
            None => Some(Sex::NotApplicable),
        };
        if person.birth_year.is_some_and(|y| !(1900..=2100).contains(&y)) {
            bail!("{origin}: the person form refuses birth year {:?}", person.birth_year);
        }
        let identity = match &person.identity {
            Some(id) => Identity {
                name: id.name.clone(),
                other_names: id.other_names.clone(),
                contacts: id.phone.clone(),
                address: id.address.clone(),
                id_documents: id.id_document.clone(),
                date_of_birth: id
                    .date_of_birth
                    .map(|d| format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year()))
                    .unwrap_or_default(),
            },
            // A group has no name: it is known by its description ("officers of the district
            // police, not identified"), which is what staff would type as its name.
            None => Identity {
                name: group_name(
                    person
                        .description
                        .as_deref()
                        .ok_or_else(|| anyhow!("{origin}: a group without description"))?,
                    person.group_size,
                    lang,
                ),
                ..Identity::default()
            },
        }
        .check()
        .map_err(|e| anyhow!("{origin}: the person form refuses the identity: {e}"))?;
        let fields = PersonFields {
            counting_unit: person.counting_unit.to_owned(),
            sex,
            birth_year: person.birth_year,
        };
        let creator = current.creator.clone();
        let mut audit = entry(&creator, AuditKind::CaseUpdated, json!({ "person": "added", "via": "demo" }));
        audit.subject = Some(current.id.to_string());
        let at = current.clock.tick();
        let stored = self
            .store
            .create_person(current.id, &fields, &identity, creator.id, at, audit)
            .await
            .map_err(|e| refused(origin, "person", e))?;
        current.persons.push(stored.id.to_string());
        self.report.persons += 1;
        Ok(())
    }

    async fn act(
        &mut self,
        current: &mut Current,
        event: &str,
        act: &Act,
        salt: usize,
    ) -> anyhow::Result<String> {
        let origin = current.origin;
        let facility = match act.facility {
            Some(i) => Some(
                self.facilities
                    .get(i)
                    .ok_or_else(|| anyhow!("{origin}: facility index {i} out of range"))?
                    .to_string(),
            ),
            None => None,
        };
        let mut form = Form::default();
        form.put("event", event)
            .put("victim", current.person(act.victim)?)
            .put("act_type", act.act_type)
            .date("initial_date", act.start)
            .date("final_date", act.end)
            .opt("location_type", act.location_type)
            .opt("facility", facility)
            .put("stated_reason", act.stated_reason.as_str())
            .codes("methods", &act.methods)
            .put("physical_consequences", act.physical_consequences.as_str())
            .put("psychological_consequences", act.psychological_consequences.as_str())
            .opt("age", act.age)
            .opt("victim_status", act.victim_status)
            .codes("characteristics", &act.characteristics);
        if let Some(arrest) = &act.arrest {
            // The safeguard moments need the day of the detention; when only its month or year is
            // known, the hours have nothing to count from and are not invented.
            let detained = act.start.filter(|d| d.day.is_some()).and_then(|d| d.first_day()).map(|day| {
                let hour = DETENTION_HOURS[salt % DETENTION_HOURS.len()];
                dushanbe(day, hour, u8::try_from(salt % 4 * 15).unwrap_or(0))
            });
            let after =
                |hours: Option<u32>| detained.zip(hours).map(|(d, h)| d + Duration::hours(i64::from(h)));
            form.opt("whereabouts", arrest.whereabouts)
                .moment("de_facto_detention_at", detained)
                .moment("registered_at", after(arrest.detained_hours_before_registration))
                .tri("rights_explained", arrest.rights_explained)
                .moment("family_notified_at", after(arrest.family_notified_after_hours))
                .moment("lawyer_first_access_at", after(arrest.lawyer_after_hours))
                .opt("lawyer_kind", arrest.lawyer_kind)
                .tri("medical_exam_on_admission", arrest.medical_exam_on_admission)
                .moment("brought_before_judge_at", after(arrest.judge_after_hours))
                .tri("held_incommunicado", arrest.incommunicado);
        }
        if let Some(torture) = &act.torture {
            form.codes("statements_signed", &torture.statements_signed)
                .codes("medical_attention", &torture.medical_attention)
                .codes("intent", &torture.intent)
                .tri("confession_used_in_court", torture.confession_used_in_court)
                .tri("retracted_in_court", torture.retracted_in_court);
        }
        let creator = current.creator.clone();
        let id = self.record(current, Kind::Act, &form, &creator).await?;
        self.report.acts += 1;
        Ok(id)
    }

    /// Stores one record of the case; returns its id.
    async fn record(
        &mut self,
        current: &mut Current,
        kind: Kind,
        form: &Form,
        by: &Account,
    ) -> anyhow::Result<String> {
        let data = form.parse(current.origin, kind)?;
        let detail = json!({ "kind": kind.code(), "case": current.id.to_string(), "via": "demo" });
        let at = current.clock.tick();
        let record = self
            .store
            .create_record(
                kind,
                Some(current.id),
                &data,
                by.id,
                at,
                entry(by, AuditKind::RecordCreated, detail),
            )
            .await
            .map_err(|e| refused(current.origin, kind.code(), e))?;
        Ok(record.id.to_string())
    }

    async fn step(&mut self, current: &mut Current, event: CaseEvent, by: &Account) -> anyhow::Result<()> {
        let from = current.fields.status;
        let next = from.apply(event)?;
        let at = current
            .clock
            .not_before((current.opened + step_delay(event)).max(current.clock.at + Duration::days(1)));
        let fields = CaseFields { status: next, ..current.fields.clone() };
        let mut audit = entry(
            by,
            AuditKind::CaseUpdated,
            json!({ "event": event.code(), "from": from.code(), "to": next.code(), "via": "demo" }),
        );
        audit.subject = Some(current.id.to_string());
        current.version = self
            .store
            .update_case(current.id, current.version, &fields, by.id, at, audit)
            .await
            .map_err(|e| refused(current.origin, "status step", e))?;
        current.fields = fields;
        self.report.status_steps += 1;
        Ok(())
    }

    /// Puts `member` on the case's team (with identities or not) unless they are on it, as `lead`.
    async fn join(
        &mut self,
        current: &mut Current,
        member: &Account,
        identity: bool,
        lead: &Account,
    ) -> anyhow::Result<()> {
        if self.store.case_team(current.id).await?.iter().any(|m| m.user == member.id) {
            return Ok(());
        }
        let access = CaseAccess { on_team: true, identity_access: true, lead: true, deleted: false };
        allowed(current.origin, lead, Action::ManageTeam, Resource::Case(access))?;
        let mut audit = entry(
            lead,
            AuditKind::TeamChanged,
            json!({ "added": member.username, "identity": identity, "via": "demo" }),
        );
        audit.subject = Some(current.id.to_string());
        let at = current.clock.tick();
        self.store
            .set_team_member(current.id, member.id, identity, lead.id, at, audit)
            .await
            .map_err(|e| refused(current.origin, "team", e))?;
        self.report.team_members += 1;
        Ok(())
    }

    /// Need-to-know, shown: the doctor joins cases with physical consequences without identity
    /// access; the psychologist joins every other case with psychological consequences, with it.
    async fn team(
        &mut self,
        current: &mut Current,
        case: &Case,
        index: usize,
        lead: &Account,
    ) -> anyhow::Result<()> {
        let acts = || case.events.iter().flat_map(|e| &e.acts);
        let mut members = Vec::new();
        if acts().any(|a| !a.physical_consequences.is_empty()) {
            members.push((self.accounts.doctor.clone(), false));
        }
        if index.is_multiple_of(2) && acts().any(|a| !a.psychological_consequences.is_empty()) {
            members.push((self.accounts.psychologist.clone(), true));
        }
        for (member, identity) in members {
            self.join(current, &member, identity, lead).await?;
        }
        Ok(())
    }
}

/// A group's name: its description, with its size when known, in the case language.
fn group_name(description: &str, size: Option<u32>, lang: Lang) -> String {
    match (size, lang) {
        (None, _) => description.to_owned(),
        (Some(n), Lang::Ru) => format!("{description}, {n} чел."),
        (Some(n), Lang::Tg) => format!("{description}, {n} нафар"),
        (Some(n), Lang::En) => format!("{description}, {n} persons"),
    }
}

/// Puts the demo operator and lawyer on hotline lines and logs a few invented contacts (one of
/// them urgent, one a web report), so the intake screens have something to show. Synthetic text,
/// no real people.
pub async fn demo_intake(store: &dyn Store, accounts: &Accounts) -> anyhow::Result<()> {
    use ozodi_domain::audit::AuditKind;
    use ozodi_domain::intake::{CallerDetails, CallerRole, Channel, LineCode};
    use ozodi_store::intake::NewContact;

    let now = OffsetDateTime::now_utc();
    let entry = |kind, actor: Option<UserId>| ozodi_store::NewAuditEntry {
        at: now,
        actor,
        kind,
        subject: None,
        detail: json!({ "via": "demo" }),
        client: None,
    };
    let line = |code: &str| LineCode::parse(code).ok_or_else(|| anyhow!("no line code {code}"));
    for (code, who) in [
        ("SUG", &accounts.operator),
        ("DUS", &accounts.operator),
        ("SUG", &accounts.lawyer),
        ("KHT", &accounts.lawyer),
    ] {
        store
            .set_line_staff(
                &line(code)?,
                who.id,
                true,
                who.id,
                now,
                entry(AuditKind::LineChanged, Some(who.id)),
            )
            .await?;
    }
    let contacts = [
        (
            Some("SUG"),
            Channel::Call,
            CallerRole::Relative,
            Some("SUG"),
            35,
            true,
            false,
            "Звонит сестра: брата задержали вчера вечером в Истаравшане, адвоката к нему не пускают, утром видели синяки на лице.",
        ),
        (
            Some("DUS"),
            Channel::Messenger,
            CallerRole::Victim,
            Some("DUS"),
            26 * 60,
            false,
            false,
            "Пас аз боздошт дар шӯъбаи милиса ӯро бо калтак заданд; ҳоло озод аст ва маслиҳати ҳуқуқӣ мехоҳад.",
        ),
        (
            Some("SUG"),
            Channel::Call,
            CallerRole::Anonymous,
            Some("SUG"),
            3 * 24 * 60,
            false,
            false,
            "Спрашивают, куда жаловаться на условия в изоляторе временного содержания: холодно, нет матрасов.",
        ),
        (
            Some("ARMY"),
            Channel::Call,
            CallerRole::Relative,
            None,
            50 * 60,
            false,
            true,
            "Мать солдата срочной службы: сын пишет, что старослужащие избивают его по ночам, боится за жизнь.",
        ),
        (
            None,
            Channel::WalkIn,
            CallerRole::Witness,
            Some("KHT"),
            5 * 24 * 60,
            false,
            false,
            "Свидетель задержания на рынке в Бохтаре, готов дать показания.",
        ),
    ];
    for (line_code, channel, caller_role, region, minutes_ago, in_custody, at_risk, summary) in contacts {
        let fields = NewContact {
            line: line_code.map(line).transpose()?,
            channel,
            received_at: now - Duration::minutes(minutes_ago),
            caller_role,
            region: region.map(str::to_owned),
            summary: summary.to_owned(),
            in_custody,
            at_risk,
            consent_record: true,
            consent_act: true,
            follow_up: true,
        };
        let details = if caller_role == CallerRole::Anonymous {
            CallerDetails::default()
        } else {
            CallerDetails {
                name: "Мадина Шарифова".into(),
                contacts: "+992 900 00 00 00 (вымышленный номер)".into(),
            }
        };
        let at = now - Duration::minutes(minutes_ago);
        store
            .create_contact(
                &fields,
                &details,
                Some(accounts.operator.id),
                at,
                None,
                entry(AuditKind::ContactCreated, Some(accounts.operator.id)),
            )
            .await?;
    }
    Ok(())
}

/// The demo's legal work on the lawyer's three most recent cases: a complaint refused and
/// appealed, a criminal case at trial with its accused (when the case records a perpetrator), a
/// civil claim partly paid, and hearings and a deadline in the coming days. Everything goes
/// through the store's checks, as the forms would (a step the machine refused would stop here).
pub async fn demo_legal(store: &dyn Store, accounts: &Accounts) -> anyhow::Result<()> {
    use ozodi_domain::legal::EntryKind;
    use ozodi_store::legal::{EntryFields, NewStep};

    let lawyer = &accounts.lawyer;
    let now = OffsetDateTime::now_utc();
    let today = now.to_offset(DUSHANBE).date();
    // Every case, newest first (the lawyer leads them all; a team listing would read the search
    // facets, which a bulk load rebuilds only at its end).
    let cases = store.cases_for(lawyer.id, true, false, 3).await?;
    let create = |case: CaseId, kind: Kind, form: Form| async move {
        let data = Data::parse(kind, &form).map_err(|e| anyhow!("demo {kind:?} refused: {e:?}"))?;
        let detail = json!({ "kind": kind.code(), "case": case.to_string(), "via": "demo" });
        let record = store
            .create_record(
                kind,
                Some(case),
                &data,
                lawyer.id,
                now,
                entry(lawyer, AuditKind::RecordCreated, detail),
            )
            .await?;
        anyhow::Ok(record.id)
    };
    // Steps after the `taken` ones the proceeding already has: (stage, ground, days ago).
    type Path = &'static [(&'static str, Option<&'static str>, i64)];
    let steps = |proceeding: RecordId, taken: i64, path: Path| async move {
        for (seq, (to, ground, days_ago)) in path.iter().enumerate() {
            let step = NewStep {
                proceeding,
                expected_seq: taken + i64::try_from(seq).unwrap_or(0) + 1,
                to: (*to).to_owned(),
                decided_on: today - Duration::days(*days_ago),
                ground: ground.map(str::to_owned),
                note: String::new(),
                document: None,
                by: lawyer.id,
                at: now,
            };
            store
                .add_proceeding_step(
                    &step,
                    entry(lawyer, AuditKind::ProceedingStep, json!({ "via": "demo" })),
                )
                .await?;
        }
        anyhow::Ok(())
    };
    demo_training(store, accounts, now).await?;
    for (n, case) in cases.iter().enumerate() {
        match n {
            0 => {
                let mut form = Form::default();
                form.put("proceeding_kind", "COMPLAINT")
                    .put("title", "Заявление о пытках в прокуратуру района")
                    .put("our_role", "VICTIM_REP")
                    .put("forum", "PROSECUTOR_DISTRICT")
                    .put("external_ref", "вх. № 1187")
                    .put("initial_date.y", (today - Duration::days(61)).year().to_string())
                    .put("initial_date.m", u8::from((today - Duration::days(61)).month()).to_string())
                    .put("initial_date.d", (today - Duration::days(61)).day().to_string())
                    .put("legal_qualification", "CC-143-1");
                let complaint = create(case.id, Kind::Proceeding, form).await?;
                steps(
                    complaint,
                    0,
                    &[
                        ("FILED", None, 60),
                        ("PRE_INVESTIGATION_CHECK", None, 58),
                        ("REFUSED", Some("SELF_INFLICTED"), 30),
                        ("REFUSAL_APPEALED", None, 25),
                    ],
                )
                .await?;
                let fields = EntryFields {
                    proceeding: Some(complaint),
                    kind: EntryKind::Deadline,
                    starts_at: PrimitiveDateTime::new(today + Duration::days(5), Time::MIDNIGHT)
                        .assume_offset(DUSHANBE),
                    title: "Ответ вышестоящего прокурора на жалобу".into(),
                    place: String::new(),
                    responsible: lawyer.id,
                };
                store
                    .create_calendar_entry(
                        case.id,
                        &fields,
                        lawyer.id,
                        now,
                        entry(lawyer, AuditKind::CalendarChanged, json!({})),
                    )
                    .await?;
            }
            1 => {
                let mut form = Form::default();
                form.put("proceeding_kind", "CRIMINAL")
                    .put("title", "Уголовное дело по ст. 143-1 УК")
                    .put("our_role", "VICTIM_REP")
                    .put("procedural_status", "VICTIM")
                    .put("forum", "COURT_DISTRICT")
                    .put("legal_qualification", "CC-143-1")
                    .put("initial_date.y", (today - Duration::days(120)).year().to_string())
                    .put("initial_date.m", u8::from((today - Duration::days(120)).month()).to_string());
                let criminal = create(case.id, Kind::Proceeding, form).await?;
                steps(criminal, 0, &[("INDICTMENT_SENT", None, 40), ("TRIAL", None, 20)]).await?;
                let records = store.records_of_case(case.id).await?;
                if let Some(involvement) =
                    records.iter().find(|r| r.kind == Kind::Involvement && r.deleted.is_none())
                {
                    let mut form = Form::default();
                    form.put("proceeding", criminal.to_string())
                        .put("involvement", involvement.id.to_string())
                        .put("charges", "CC-143-1")
                        .put("charge_details", "ч. 2 п. «б»");
                    create(case.id, Kind::Accused, form).await?;
                }
                demo_evaluation(store, accounts, case.id, now).await?;
                demo_rehabilitation(store, accounts, case.id, now).await?;
                let fields = EntryFields {
                    proceeding: Some(criminal),
                    kind: EntryKind::Hearing,
                    starts_at: PrimitiveDateTime::new(today + Duration::days(1), Time::from_hms(10, 0, 0)?)
                        .assume_offset(DUSHANBE),
                    title: "Судебное заседание: допрос потерпевшего".into(),
                    place: "Районный суд, зал 2".into(),
                    responsible: lawyer.id,
                };
                store
                    .create_calendar_entry(
                        case.id,
                        &fields,
                        lawyer.id,
                        now,
                        entry(lawyer, AuditKind::CalendarChanged, json!({})),
                    )
                    .await?;
            }
            _ => {
                let mut form = Form::default();
                form.put("proceeding_kind", "CIVIL")
                    .put("title", "Иск о компенсации морального вреда")
                    .put("our_role", "CIVIL_REP")
                    .put("procedural_status", "CIVIL_CLAIMANT")
                    .put("forum", "COURT_DISTRICT")
                    .put("defendant", "Министерство финансов")
                    .put("claimed", "100 000")
                    .put("awarded", "30 000")
                    .put("initial_date.y", (today - Duration::days(210)).year().to_string())
                    .put("initial_date.m", u8::from((today - Duration::days(210)).month()).to_string());
                let claim = create(case.id, Kind::Proceeding, form).await?;
                steps(
                    claim,
                    0,
                    &[
                        ("FILED", None, 200),
                        ("ACCEPTED", None, 190),
                        ("HEARING", None, 150),
                        ("JUDGMENT_GRANTED_PARTIAL", None, 120),
                        ("FINAL", None, 90),
                        ("ENFORCEMENT", None, 80),
                    ],
                )
                .await?;
                let mut form = Form::default();
                form.put("proceeding", claim.to_string())
                    .put("payment_date.y", (today - Duration::days(20)).year().to_string())
                    .put("payment_date.m", u8::from((today - Duration::days(20)).month()).to_string())
                    .put("amount", "12 500,00");
                create(case.id, Kind::Payment, form).await?;
                // Paid in part, once the payment is recorded (the claim's seventh step).
                steps(claim, 6, &[("PAID_PARTIAL", None, 20)]).await?;
            }
        }
    }
    Ok(())
}

/// One Istanbul Protocol training for health workers, its participants counted.
async fn demo_training(store: &dyn Store, accounts: &Accounts, now: OffsetDateTime) -> anyhow::Result<()> {
    let doctor = &accounts.doctor;
    let day = now.to_offset(DUSHANBE).date() - Duration::days(45);
    let mut form = Form::default();
    form.put("title", "Стамбульский протокол: документирование телесных повреждений")
        .put("training_kind", "IP_HEALTH")
        .put("initial_date.y", day.year().to_string())
        .put("initial_date.m", u8::from(day.month()).to_string())
        .put("initial_date.d", day.day().to_string())
        .put("region", "SUG")
        .put("organisers", "Коалиция против пыток; областная больница")
        .put("curriculum", "Стамбульский протокол 2022, главы IV–VI")
        .put("pre_test_avg", "48")
        .put("post_test_avg", "81")
        .put("certificates_issued", "24");
    let data = Data::parse(Kind::Training, &form).map_err(|e| anyhow!("demo training refused: {e:?}"))?;
    let id = store
        .create_training(&data, doctor.id, now, entry(doctor, AuditKind::RecordCreated, json!({})))
        .await?;
    for (profession, sex, count) in
        [("DOCTOR", "02", 9), ("DOCTOR", "01", 6), ("NURSE", "02", 7), ("FORENSIC", "01", 2)]
    {
        let row = ozodi_store::training::Participants {
            profession: profession.into(),
            sex: sex.into(),
            region: "SUG".into(),
            count,
        };
        store.set_training_participants(id, &row, entry(doctor, AuditKind::RecordUpdated, json!({}))).await?;
    }
    Ok(())
}

/// Puts `member` on the case's team (by its lead lawyer), with identity access or not, unless
/// already on it.
async fn join_team(
    store: &dyn Store,
    accounts: &Accounts,
    case: CaseId,
    (member, identity): (&Account, bool),
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    if !store.case_team(case).await?.iter().any(|m| m.user == member.id) {
        let audit = entry(&accounts.lawyer, AuditKind::TeamChanged, json!({}));
        store.set_team_member(case, member.id, identity, accounts.lawyer.id, now, audit).await?;
    }
    Ok(())
}

/// A signed medico-legal evaluation by the demo doctor (put on the case's team for it), with
/// two findings on the diagrams, shared with the lawyers by the person's consent.
async fn demo_evaluation(
    store: &dyn Store,
    accounts: &Accounts,
    case: CaseId,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    use ozodi_store::ip::StepRequest;
    let doctor = &accounts.doctor;
    let Some(person) = store.persons_of_case(case).await?.into_iter().next() else { return Ok(()) };
    join_team(store, accounts, case, (doctor, false), now).await?;
    let mut form = Form::default();
    form.put("subject", person.id.to_string())
        .put("requested_by", "LAWYER")
        .put(
            "reason_for_evaluation",
            "Запрос адвоката: документирование телесных повреждений после задержания.",
        )
        .put("informed_consent", "yes")
        .put("place", "Кабинет партнёрской клиники")
        .put("in_custody", "no")
        .put("persons_present", "Только врач и обследуемый; сотрудники милиции не присутствовали.")
        .put("allegations", "Сообщает об ударах дубинкой по спине и подошвам ног в отделе милиции.")
        .put("ip_methods", "BLUNT")
        .put("exam_skin", "Кровоподтёки на спине и подошвах, жёлто-зелёного цвета.")
        .put(
            "physical_interpretation",
            "Локализация и давность повреждений соответствуют описанным событиям.",
        )
        .put("overall_consistency", "HC")
        .put("ip_recommendations", "Консультация травматолога; психологическая поддержка.");
    let data = Data::parse(Kind::Evaluation, &form).map_err(|e| anyhow!("demo evaluation refused: {e:?}"))?;
    let id = store
        .create_evaluation(
            case,
            &data,
            None,
            doctor.id,
            now,
            entry(doctor, AuditKind::RecordCreated, json!({})),
        )
        .await?;
    for (region, lesion, size) in [("B-UPPER_BACK", "BRUISE", "120"), ("B-SOLE-L", "BRUISE", "40")] {
        let mut form = Form::default();
        form.put("body_region", region)
            .put("lesion_type", lesion)
            .put("size_mm", size)
            .put("consistency", "HC");
        let finding =
            Data::parse(Kind::Finding, &form).map_err(|e| anyhow!("demo finding refused: {e:?}"))?;
        store.add_finding(id, &finding, entry(doctor, AuditKind::RecordUpdated, json!({}))).await?;
    }
    for to in ["SCHEDULED", "EXAMINED", "DRAFTING", "SIGNED"] {
        let version = store.evaluation(id).await?.map(|e| e.version).unwrap_or_default();
        let request = StepRequest { to, note: "", by: doctor.id, at: now };
        store
            .evaluation_step(id, version, request, entry(doctor, AuditKind::RecordUpdated, json!({})))
            .await?;
    }
    store
        .set_evaluation_shared(id, true, doctor.id, now, entry(doctor, AuditKind::RecordUpdated, json!({})))
        .await?;
    Ok(())
}

/// A rehabilitation episode of the case's first person: the psychologist joins the team, the
/// victim is referred, assessed and in treatment, with two sessions held and one missed.
async fn demo_rehabilitation(
    store: &dyn Store,
    accounts: &Accounts,
    case: CaseId,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    use ozodi_store::rehab::StepRequest;
    let psychologist = &accounts.psychologist;
    let Some(person) = store.persons_of_case(case).await?.into_iter().next() else { return Ok(()) };
    join_team(store, accounts, case, (psychologist, true), now).await?;
    let day = |days_ago: i64, form: &mut Form, name: &str| {
        let d = now.to_offset(DUSHANBE).date() - Duration::days(days_ago);
        form.put(&format!("{name}.y"), d.year().to_string())
            .put(&format!("{name}.m"), u8::from(d.month()).to_string())
            .put(&format!("{name}.d"), d.day().to_string());
    };
    let mut form = Form::default();
    form.put("client", person.id.to_string())
        .put("client_relation", "VICTIM")
        .put("referred_by", "Адвокат по делу")
        .put("referral_reason", "Нарушения сна и тревога после задержания.")
        .put("provider_org", "Реабилитационный центр коалиции")
        .put("service_kinds", "COUNSELLING")
        .put("baseline_instrument", "PCL5")
        .put("baseline_score", "48")
        .put("plan", "Десять индивидуальных встреч; оценка по PCL-5 в конце.");
    day(30, &mut form, "referred_at");
    let data = Data::parse(Kind::Episode, &form).map_err(|e| anyhow!("demo episode refused: {e:?}"))?;
    let by = psychologist.id;
    let id = store
        .create_episode(case, &data, by, now, entry(psychologist, AuditKind::RecordCreated, json!({})))
        .await?;
    for to in ["ASSESSED", "IN_TREATMENT"] {
        let version = store.episode(id).await?.map(|e| e.version).unwrap_or_default();
        let request = StepRequest { to, note: "", by, at: now };
        store
            .episode_step(id, version, request, entry(psychologist, AuditKind::RecordUpdated, json!({})))
            .await?;
    }
    for (days_ago, missed) in [(21, false), (14, true), (7, false)] {
        let mut form = Form::default();
        form.put("modality", "INDIVIDUAL")
            .put("duration_minutes", "50")
            .put("notes", "Вымышленная запись сеанса.");
        if missed {
            form.put("missed", "on");
        }
        day(days_ago, &mut form, "session_date");
        let session =
            Data::parse(Kind::Session, &form).map_err(|e| anyhow!("demo session refused: {e:?}"))?;
        store
            .add_session(id, &session, by, now, entry(psychologist, AuditKind::RecordUpdated, json!({})))
            .await?;
    }
    Ok(())
}

/// Loads the shipped set of UN recommendations to Tajikistan (and the documents they come from)
/// as `by`; safe to run on an instance that has them already. Returns how many recommendations
/// were added and how many of all are not yet checked against the official text.
pub async fn recommendations(store: &dyn Store, by: UserId) -> anyhow::Result<(usize, usize)> {
    let (documents, items) = ozodi_exchange::shipped::read()?;
    let audit = NewAuditEntry {
        at: OffsetDateTime::now_utc(),
        actor: Some(by),
        kind: AuditKind::RecommendationsImported,
        subject: Some("shipped".into()),
        detail: json!({}),
        client: None,
    };
    let lines =
        store.import_recommendations(&documents, &items, by, OffsetDateTime::now_utc(), audit).await?;
    let added = lines.iter().filter(|l| l.outcome == ozodi_domain::monitoring::ImportOutcome::Added).count();
    let unverified = store
        .registry(Kind::UnRecommendation)
        .await?
        .iter()
        .filter(|r| r.deleted.is_none() && r.data.get("verified").is_none())
        .count();
    Ok((added, unverified))
}

/// The demo's monitoring: visits to the first places of the register (a joint visit that went
/// its whole course, one refused at the gate, a follow-up, one planned), with their teams,
/// findings, recommendations, allegations and assessments; and the committee's view of the three
/// follow-up paragraphs of CAT/C/TJK/CO/3 (partially implemented, CAT/C/TJK/Q/4), with an
/// assessment of ours that cites a demo case; a few meetings and publications. All invented but
/// the committee's view.
pub async fn demo_monitoring(store: &dyn Store, accounts: &Accounts) -> anyhow::Result<()> {
    use ozodi_domain::monitoring::{Assessor, EvidenceLink};
    use ozodi_store::monitoring::{NewAssessment, NewTeamMember};

    let monitor = &accounts.monitor;
    let lawyer = &accounts.lawyer;
    allowed(Origin::Demo, monitor, Action::Create, Resource::Monitoring(false))?;
    allowed(Origin::Demo, lawyer, Action::Update, Resource::UnFollowUp(false))?;
    let now = OffsetDateTime::now_utc();
    let today = now.to_offset(DUSHANBE).date();
    let facilities: Vec<RecordId> =
        store.facilities().await?.into_iter().filter(|f| f.deleted.is_none()).map(|f| f.id).take(4).collect();
    if facilities.len() < 4 {
        return Ok(());
    }
    let day = |days_ago: i64| {
        let d = today - Duration::days(days_ago);
        PDate { year: d.year(), month: Some(u8::from(d.month())), day: Some(d.day()), estimated: false }
    };
    let create = |kind: Kind, form: Form| async move {
        let data = Data::parse(kind, &form).map_err(|e| anyhow!("demo {kind:?} refused: {e:?}"))?;
        let detail = json!({ "kind": kind.code(), "via": "demo" });
        let record = store
            .create_record(
                kind,
                None,
                &data,
                monitor.id,
                now,
                entry(monitor, AuditKind::RecordCreated, detail),
            )
            .await?;
        anyhow::Ok(record.id)
    };
    let steps = |visit: RecordId, path: &'static [(&'static str, i64, &'static str)]| async move {
        for (seq, (to, days_ago, note)) in path.iter().enumerate() {
            let expected = i64::try_from(seq).unwrap_or(0) + 1;
            store
                .visit_step(
                    visit,
                    expected,
                    (to, today - Duration::days(*days_ago), note),
                    monitor.id,
                    now,
                    entry(monitor, AuditKind::VisitStep, json!({ "via": "demo" })),
                )
                .await?;
        }
        anyhow::Ok(())
    };
    // A joint visit that went its whole course.
    let mut form = Form::default();
    form.put("facility", facilities[0].to_string())
        .date("initial_date", Some(day(120)))
        .put("visit_type", "FULL")
        .put("notice", "ANNOUNCED")
        .put("mandate", "OMBUDSMAN_GROUP")
        .put("focus", "Обращение с задержанными в первые часы после доставления")
        .put("access", "PARTIAL")
        .put("refused_areas", "Карцер (ремонт, по словам администрации)")
        .put("population_total", "212")
        .put("population_women", "9")
        .put("population_juveniles", "4")
        .put("population_pretrial", "160")
        .codes("registers_reviewed", &["CUSTODY", "MEDICAL", "COMPLAINTS"])
        .put("interviews_private", "14")
        .put("interviews_group", "2")
        .put("interviews_staff", "5")
        .put("private_conditions_ok", "yes")
        .put("debrief_held", "yes")
        .put("report_recipient", "Уполномоченный по правам человека; ГУИУН МЮ");
    let joint = create(Kind::Visit, form).await?;
    steps(
        joint,
        &[
            ("ACCESS_REQUESTED", 130, ""),
            ("ACCESS_GRANTED", 125, ""),
            ("CONDUCTED", 120, ""),
            ("DEBRIEFED", 120, ""),
            ("REPORT_DRAFTING", 110, ""),
            ("REPORT_SENT", 95, ""),
            ("RESPONSE_RECEIVED", 50, "Ответ ГУИУН: журнал телесных повреждений заведён."),
        ],
    )
    .await?;
    for (user, organisation, role, sex) in [
        (Some(monitor.id), "", "LEAD", "01"),
        (None, "Аппарат Уполномоченного по правам человека", "OMBUDSMAN_STAFF", "02"),
        (Some(accounts.doctor.id), "", "DOCTOR", "02"),
    ] {
        let member =
            NewTeamMember { user, organisation: organisation.into(), role: role.into(), sex: sex.into() };
        store
            .add_visit_member(
                joint,
                &member,
                monitor.id,
                now,
                entry(monitor, AuditKind::VisitTeamChanged, json!({ "via": "demo" })),
            )
            .await?;
    }
    let mut finding_ids = Vec::new();
    for (area, severity, text) in [
        (
            "TREAT",
            "SERIOUS",
            "Трое задержанных независимо друг от друга описали удары в ИВС до доставления в СИЗО; следы видел врач группы.",
        ),
        (
            "PROT",
            "CONCERN",
            "Журнал телесных повреждений при поступлении не ведётся; осмотр при поступлении формальный.",
        ),
        ("COND", "CONCERN", "Камеры на 8 человек заняты 11–12; вентиляция не работает."),
    ] {
        let mut form = Form::default();
        form.put("visit", joint.to_string())
            .put("area", area)
            .put("severity", severity)
            .put("description", text);
        finding_ids.push(create(Kind::VisitFinding, form).await?);
    }
    let mut recs = Vec::new();
    for (finding, body, text, due) in [
        (
            1,
            "MoJ-PEN",
            "Завести журнал телесных повреждений и документировать травмы при поступлении по Стамбульскому протоколу.",
            60,
        ),
        (0, "PGO", "Провести проверку по сообщениям об избиениях в ИВС и сообщить группе о её итогах.", 30),
        (2, "MoJ-PEN", "Привести наполняемость камер к установленной норме и восстановить вентиляцию.", 180),
    ] {
        let mut form = Form::default();
        form.put("visit", joint.to_string())
            .put("finding", finding_ids[finding].to_string())
            .put("recommendation_text", text)
            .put("responsible_body", body)
            .put("priority", "HIGH")
            .date("due_date", Some(day(95 - due)));
        recs.push(create(Kind::VisitRecommendation, form).await?);
    }
    let assess = |rec: RecordId, who: Account, assessment: NewAssessment| async move {
        store
            .add_assessment(
                rec,
                &assessment,
                who.id,
                now,
                entry(&who, AuditKind::AssessmentAdded, json!({ "via": "demo" })),
            )
            .await?;
        anyhow::Ok(())
    };
    let plain = |assessor, days_ago: i64, status: &str, evidence: &str| NewAssessment {
        assessor,
        as_of: today - Duration::days(days_ago),
        status: status.into(),
        official_grade: String::new(),
        source_doc: String::new(),
        evidence: evidence.into(),
        links: Vec::new(),
    };
    assess(recs[0], monitor.clone(), plain(Assessor::State, 50, "FULL", "Ответ ГУИУН: журнал заведён."))
        .await?;
    assess(
        recs[0],
        monitor.clone(),
        plain(
            Assessor::Coalition,
            20,
            "PARTIAL",
            "Повторный визит: журнал есть, травмы в нём не описываются.",
        ),
    )
    .await?;
    assess(
        recs[1],
        monitor.clone(),
        plain(Assessor::Coalition, 20, "NOT_STARTED", "Ответа прокуратуры нет."),
    )
    .await?;
    for authorised in [false, false, true] {
        let contact = authorised.then(|| ozodi_store::intake::NewContact {
            line: None,
            channel: ozodi_domain::intake::Channel::Visit,
            received_at: now,
            caller_role: ozodi_domain::intake::CallerRole::Victim,
            region: None,
            summary: "Задержанный сообщил об избиении в ИВС при допросе; просит адвоката.".into(),
            in_custody: true,
            at_risk: false,
            consent_record: true,
            consent_act: true,
            follow_up: true,
        });
        store
            .record_allegation(
                joint,
                contact.as_ref(),
                monitor.id,
                now,
                entry(monitor, AuditKind::AllegationRecorded, json!({ "via": "demo" })),
            )
            .await?;
    }
    // Refused at the gate.
    let mut form = Form::default();
    form.put("facility", facilities[1].to_string())
        .date("initial_date", Some(day(70)))
        .put("visit_type", "REACTIVE")
        .put("notice", "UNANNOUNCED")
        .put("mandate", "NGO_ACCESS")
        .put("access", "DENIED");
    let refused = create(Kind::Visit, form).await?;
    steps(refused, &[("ACCESS_DENIED", 70, "Дежурный не допустил группу: «нет указания начальника».")])
        .await?;
    // A follow-up of the joint visit.
    let mut form = Form::default();
    form.put("facility", facilities[0].to_string())
        .put("previous_visit", joint.to_string())
        .date("initial_date", Some(day(20)))
        .put("visit_type", "FOLLOW_UP")
        .put("notice", "SHORT_NOTICE")
        .put("mandate", "OMBUDSMAN_GROUP")
        .put("access", "FULL")
        .put("interviews_private", "6");
    let follow_up = create(Kind::Visit, form).await?;
    steps(follow_up, &[("ACCESS_REQUESTED", 22, ""), ("ACCESS_GRANTED", 21, ""), ("CONDUCTED", 20, "")])
        .await?;
    // Planned.
    let mut form = Form::default();
    form.put("facility", facilities[3].to_string())
        .date("initial_date", Some(day(0)))
        .put("visit_type", "THEMATIC")
        .put("notice", "ANNOUNCED")
        .put("mandate", "OMBUDSMAN_GROUP")
        .put("focus", "Неуставные отношения");
    create(Kind::Visit, form).await?;

    // The advocacy log: meetings and materials (invented).
    allowed(Origin::Demo, lawyer, Action::Create, Resource::Advocacy(false))?;
    for (days_ago, kind, counterpart, counterpart_type) in [
        (200, "BRIEFING", "Делегация Европейского союза", "EU"),
        (120, "MEETING", "Аппарат Уполномоченного по правам человека", "OMBUDSMAN"),
        (40, "ROUND_TABLE", "Бюро ОБСЕ в Душанбе", "OSCE"),
    ] {
        let mut form = Form::default();
        form.date("initial_date", Some(day(days_ago)))
            .put("meeting_kind", kind)
            .put("counterpart", counterpart)
            .put("counterpart_type", counterpart_type)
            .put("themes", "INVEST")
            .put("participants", "6");
        let data = Data::parse(Kind::Meeting, &form).map_err(|e| anyhow!("demo meeting refused: {e:?}"))?;
        let detail = json!({ "kind": "meeting", "via": "demo" });
        store
            .create_record(
                Kind::Meeting,
                None,
                &data,
                lawyer.id,
                now,
                entry(lawyer, AuditKind::RecordCreated, detail),
            )
            .await?;
    }
    for (days_ago, kind, title) in [
        (300, "ANNUAL_REPORT", "Ежегодный доклад коалиции (демо)"),
        (90, "PRESS_RELEASE", "Пресс-релиз о мониторинге СИЗО (демо)"),
        (15, "ARTICLE", "Статья о дедовщине в армии (демо)"),
    ] {
        let mut form = Form::default();
        form.put("title", title)
            .put("publication_kind", kind)
            .date("initial_date", Some(day(days_ago)))
            .codes("languages", &["ru", "tg"]);
        let data =
            Data::parse(Kind::Publication, &form).map_err(|e| anyhow!("demo publication refused: {e:?}"))?;
        let detail = json!({ "kind": "publication", "via": "demo" });
        store
            .create_record(
                Kind::Publication,
                None,
                &data,
                lawyer.id,
                now,
                entry(lawyer, AuditKind::RecordCreated, detail),
            )
            .await?;
    }

    // The UN follow-up: the committee's view of paras 10, 18 and 46, and ours of para 10.
    let un = store.registry(Kind::UnRecommendation).await?;
    let by_id = |id: &str| un.iter().find(|r| r.data.text("external_id") == Some(id)).map(|r| r.id);
    let q4 = Date::from_calendar_date(2025, Month::May, 23)?;
    for id in ["CAT-CO3-10", "CAT-CO3-18", "CAT-CO3-46"] {
        let Some(rec) = by_id(id) else { continue };
        let assessment = NewAssessment {
            assessor: Assessor::Committee,
            as_of: q4,
            status: "PARTIAL".into(),
            official_grade: "partially implemented".into(),
            source_doc: "CAT/C/TJK/Q/4".into(),
            evidence: String::new(),
            links: Vec::new(),
        };
        assess(rec, lawyer.clone(), assessment).await?;
    }
    if let Some(rec) = by_id("CAT-CO3-10")
        && let Some(case) = store.cases_for(lawyer.id, true, false, 1).await?.first()
    {
        let visit = store.record(joint).await?.map(|v| v.reference()).unwrap_or_default();
        let assessment = NewAssessment {
            assessor: Assessor::Coalition,
            as_of: today - Duration::days(10),
            status: "INITIAL".into(),
            official_grade: String::new(),
            source_doc: String::new(),
            evidence: "Жалобы на пытки по нашим делам по-прежнему проверяет орган, чьи сотрудники обвиняются (демо-данные)."
                .into(),
            links: vec![EvidenceLink::Case(case.number.to_string()), EvidenceLink::Record(visit)],
        };
        assess(rec, lawyer.clone(), assessment).await?;
    }
    Ok(())
}

/// The demo's public site: a report in three linked languages and two more publications,
/// published by the demo editor, and the coalition's pages. Invented texts only.
pub async fn demo_site(store: &dyn Store) -> anyhow::Result<()> {
    use ozodi_domain::site::{Page, Stage, Step};
    let Some((editor, _)) = store.user_for_login(&Username::parse("editor")?).await? else {
        bail!("the demo editor account is missing")
    };
    let now = OffsetDateTime::now_utc();
    let today = now.to_offset(DUSHANBE).date();
    let day = |n: i64| {
        let d = today - Duration::days(n);
        PDate { year: d.year(), month: Some(u8::from(d.month())), day: Some(d.day()), estimated: false }
    };
    let audit = |kind: AuditKind| NewAuditEntry {
        at: now,
        actor: Some(editor.id),
        kind,
        subject: None,
        detail: json!({ "via": "demo" }),
        client: None,
    };
    let texts: [(&str, &str, &str, &str, &str, &str); 5] = [
        (
            "ru",
            "ANNUAL_REPORT",
            "Ежегодный доклад коалиции о пытках (демо)",
            "пытки, ИВС, отчёт",
            "Обзор случаев, задокументированных коалицией за год: обращения на горячие линии, судебные дела, реабилитация.",
            "## Главное\n\nЗа год коалиция получила **сотни обращений**. Большинство касается первых часов после задержания.\n\n- доступ к адвокату предоставлялся с опозданием;\n- медицинские осмотры проводились не всегда.\n\n## Рекомендации\n\n1. Обеспечить адвоката с момента фактического задержания.\n2. Проводить независимые медицинские осмотры.\n\nВсе имена в этом демо-докладе вымышлены.",
        ),
        (
            "tg",
            "ANNUAL_REPORT",
            "Гузориши солонаи эътилоф дар бораи шиканҷа (демо)",
            "шиканҷа, ҳабс, гузориш",
            "Шарҳи ҳолатҳое, ки эътилоф дар давоми сол ҳуҷҷатгузорӣ кардааст: муроҷиатҳо ба хатҳои боварӣ, парвандаҳои судӣ, барқарорсозӣ.",
            "## Нуктаҳои асосӣ\n\nДар давоми сол эътилоф **садҳо муроҷиат** гирифт. Аксари онҳо ба соатҳои аввали баъд аз боздошт дахл доранд.\n\n- дастрасӣ ба ҳимоятгар дер дода мешуд;\n- муоинаи тиббӣ на ҳамеша гузаронида мешуд.\n\nҲамаи номҳо дар ин гузориши намунавӣ бофта шудаанд.",
        ),
        (
            "en",
            "ANNUAL_REPORT",
            "Annual report of the coalition on torture (demo)",
            "torture, detention, report",
            "An overview of the cases the coalition documented in a year: hotline calls, court cases, rehabilitation.",
            "## Highlights\n\nDuring the year the coalition received **hundreds of calls**. Most concern the first hours after arrest.\n\n- access to a lawyer came late;\n- medical examinations did not always take place.\n\nEvery name in this demo report is invented.",
        ),
        (
            "ru",
            "PRESS_RELEASE",
            "Пресс-релиз о мониторинге СИЗО (демо)",
            "мониторинг, СИЗО",
            "Совместная группа с аппаратом Омбудсмена посетила следственный изолятор.",
            "Совместная группа мониторинга посетила учреждение и встретилась с задержанными наедине. Выводы направлены администрации.",
        ),
        (
            "tg",
            "ARTICLE",
            "Мақола дар бораи дедовщина дар артиш (демо)",
            "артиш, шиканҷа",
            "Муносибати ғайриуставӣ дар қисмҳои ҳарбӣ ва роҳҳои ҳимоя.",
            "Падару модарони сарбозон метавонанд ба **хати боварии артиш** занг зананд. Ҳамаи ҳолатҳо дар ин мақола бофта шудаанд.",
        ),
    ];
    let mut first: Option<RecordId> = None;
    for (n, (lang, kind, title, tags, summary, body)) in texts.into_iter().enumerate() {
        let mut form = Form::default();
        form.put("title", title)
            .put("publication_kind", kind)
            .date("initial_date", Some(day(300 - 60 * n as i64)))
            .put("lang", lang)
            .put("tags", tags)
            .put("summary", summary)
            .put("body", body)
            .put("authors", "Коалиция против пыток (демо)");
        if (1..3).contains(&n)
            && let Some(root) = first
        {
            form.put("translation_of", root.to_string());
        }
        let data =
            Data::parse(Kind::Publication, &form).map_err(|e| anyhow!("demo publication refused: {e:?}"))?;
        let record = store
            .create_record(Kind::Publication, None, &data, editor.id, now, audit(AuditKind::RecordCreated))
            .await?;
        if n == 0 {
            first = Some(record.id);
        }
        for (step, from) in [(Step::Submit, Stage::Draft), (Step::Publish, Stage::Review)] {
            let request =
                ozodi_store::site::StepRequest { step, from, version: record.version, note: String::new() };
            store
                .publication_step(record.id, &request, editor.id, now, audit(AuditKind::PublicationStep))
                .await?;
        }
    }
    let pages: [(Page, [(&str, &str); 3]); 3] = [
        (
            Page::Members,
            [
                (
                    "Члены коалиции",
                    "Коалицию составляют общественные организации, адвокаты, врачи, психологи и журналисты (в демо все названия вымышлены).",
                ),
                (
                    "Аъзоёни эътилоф",
                    "Эътилоф аз ташкилотҳои ҷамъиятӣ, ҳимоятгарон, табибон, равоншиносон ва рӯзноманигорон иборат аст (дар намуна ҳамаи номҳо бофта шудаанд).",
                ),
                (
                    "Members",
                    "The coalition brings together NGOs, lawyers, doctors, psychologists and journalists (every name in the demo is invented).",
                ),
            ],
        ),
        (
            Page::Principles,
            [
                (
                    "Принципы",
                    "1. Не навреди.\n2. Согласие пострадавшего прежде всего.\n3. Конфиденциальность.",
                ),
                ("Принсипҳо", "1. Зарар нарасон.\n2. Розигии ҷабрдида пеш аз ҳама.\n3. Махфият."),
                ("Principles", "1. Do no harm.\n2. The victim's consent comes first.\n3. Confidentiality."),
            ],
        ),
        (
            Page::Contacts,
            [
                ("Контакты", "Пишите нам через анонимную форму или звоните на горячие линии."),
                ("Тамос", "Ба мо тавассути шакли беном нависед ё ба хатҳои боварӣ занг занед."),
                ("Contacts", "Write to us through the anonymous form or call the hotlines."),
            ],
        ),
    ];
    for (page, texts) in pages {
        for (lang, (title, body)) in ozodi_domain::site::LANGS.iter().zip(texts) {
            store
                .save_site_page(
                    page,
                    lang,
                    (title, body),
                    0,
                    editor.id,
                    now,
                    audit(AuditKind::SitePageChanged),
                )
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_status_is_reached_through_legal_steps() {
        for code in ozodi_seed::CASE_STATUSES {
            let target = CaseStatus::parse(code).unwrap_or_else(|| panic!("{code} is not a status"));
            let (before, after) = steps(target);
            let reached = before
                .iter()
                .chain(after)
                .try_fold(CaseStatus::IntakeScreening, |status, event| status.apply(*event));
            assert_eq!(reached, Ok(target), "{code}");
        }
    }

    #[test]
    fn clocks_never_go_back_or_past_the_limit() {
        let day = Date::from_calendar_date(2024, Month::March, 12).unwrap_or(Date::MIN);
        let start = dushanbe(day, 16, 0);
        let mut clock = Clock { at: start, limit: start + Duration::minutes(4) };
        assert_eq!(clock.tick(), start + Duration::minutes(3));
        assert_eq!(clock.tick(), start + Duration::minutes(4), "held at the limit");
        assert_eq!(clock.not_before(start), start + Duration::minutes(4), "never back");
        assert_eq!(clock.not_before(start + Duration::days(9)), start + Duration::minutes(4));
        assert_eq!(start.to_offset(time::UtcOffset::UTC).hour(), 11, "Dushanbe is UTC+5");
    }

    #[test]
    fn groups_are_named_by_their_description_and_size() {
        assert_eq!(group_name("Сотрудники ОВД", Some(3), Lang::Ru), "Сотрудники ОВД, 3 чел.");
        assert_eq!(group_name("Officers", None, Lang::En), "Officers");
    }
}
