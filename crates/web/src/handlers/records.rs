//! The records of a case (events, acts, involvements, information, interventions, chains of
//! events) and the registry of places of detention, all driven by the schemas of
//! `ozodi_domain::record`: one form, one page, one history, one tombstone flow for every type.
//!
//! Access follows the case (`Resource::Record`): a record of a case the user may not open is a 404,
//! as is a record requested under another case's address or another type's. Records of the
//! registry (places of detention, the monitoring of them, the UN follow-up) live at `/{slug}/…`
//! and follow their part of the registry (`registry_resource`).

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ozodi_domain::audit::AuditKind;
use ozodi_domain::case::{CaseId, Tri};
use ozodi_domain::record::{self, Data, FieldDef, FieldType, Group, Kind, RecordId, Target, Value};
use ozodi_domain::{Action, CaseAccess, Resource};
use ozodi_store::{CaseRecord, Record, StoreError, StoredTerm};

use super::cases::case_for;
use super::{Change, VersionView, render, render_status};
use crate::ctx::{Ctx, SessionUser};
use crate::error::AppError;
use crate::form::FormPairs;
use crate::page::Page;
use crate::state::AppState;

/// Where a record lives: in a case, or in the facility registry.
#[derive(Debug)]
pub(super) struct Scope<'c> {
    pub(super) su: &'c SessionUser,
    pub(super) case: Option<(CaseRecord, CaseAccess)>,
    /// A legal record (proceeding, accused, payment): changing one is legal work.
    pub(super) legal: bool,
}

/// Who may do what with a record of the registry: its part of the registry decides.
pub(super) fn registry_resource(kind: Kind, deleted: bool) -> Resource {
    match kind {
        Kind::Visit | Kind::VisitFinding | Kind::VisitRecommendation => Resource::Monitoring(deleted),
        Kind::UnDocument | Kind::UnRecommendation => Resource::UnFollowUp(deleted),
        Kind::Meeting | Kind::Publication => Resource::Advocacy(deleted),
        _ if deleted => Resource::DeletedFacility,
        _ => Resource::Facilities,
    }
}

/// Where a registry record's page leads back to: its list, or the visit a finding or
/// recommendation belongs to.
pub(super) fn registry_home(kind: Kind, data: Option<&Data>) -> String {
    match kind {
        Kind::Visit => "/monitoring".into(),
        Kind::VisitFinding | Kind::VisitRecommendation => match data.and_then(|d| d.text("visit")) {
            Some(visit) => format!("/visits/{visit}"),
            None => "/monitoring".into(),
        },
        Kind::UnDocument => "/recommendations/documents".into(),
        Kind::UnRecommendation => "/recommendations".into(),
        Kind::Meeting => "/meetings".into(),
        Kind::Publication => "/publications".into(),
        _ => "/facilities".into(),
    }
}

impl Scope<'_> {
    fn base(&self, kind: Kind) -> String {
        match &self.case {
            Some((case, _)) => format!("/cases/{}/{}", case.id, kind.slug()),
            None => format!("/{}", kind.slug()),
        }
    }

    fn back(&self, kind: Kind, data: Option<&Data>) -> String {
        match &self.case {
            Some((case, _)) => format!("/cases/{}", case.id),
            None => registry_home(kind, data),
        }
    }

    /// The audit entry of a change to a record of this scope (the store sets the subject of a
    /// new record itself).
    fn audit(
        &self,
        state: &AppState,
        ctx: &Ctx,
        what: AuditKind,
        kind: Kind,
        record: Option<RecordId>,
    ) -> ozodi_store::NewAuditEntry {
        let mut entry = state.audit_entry(Some(self.su.user.id), what, Some(&ctx.client));
        entry.subject = record.map(|r| r.to_string());
        entry.detail =
            serde_json::json!({ "kind": kind.code(), "case": self.case_id().map(|c| c.to_string()) });
        entry
    }

    fn case_id(&self) -> Option<CaseId> {
        self.case.as_ref().map(|(c, _)| c.id)
    }

    /// Whether `action` is allowed on a record of `kind` in this scope (tombstoned or not).
    fn can(&self, kind: Kind, action: Action, deleted: bool) -> bool {
        let resource = match &self.case {
            Some((_, access)) => Resource::Record(*access, deleted),
            None => registry_resource(kind, deleted),
        };
        let legal = match &self.case {
            Some((_, access))
                if self.legal && matches!(action, Action::Create | Action::Update | Action::Delete) =>
            {
                ozodi_domain::can(&self.su.actor, action, Resource::Legal(*access))
            }
            _ => true,
        };
        legal && ozodi_domain::can(&self.su.actor, action, resource)
    }
}

/// Opens the scope for `action` on a record (`deleted` tells whether it is tombstoned): the case
/// must be visible and the action allowed, else a 404 for case records (existence is not
/// confirmed) or a 403 for the registry.
async fn scope<'c>(
    ctx: &'c Ctx,
    kind: Kind,
    case_id: Option<&str>,
    action: Action,
    deleted: bool,
) -> Result<Scope<'c>, AppError> {
    let legal = Kind::LEGAL.contains(&kind);
    match case_id {
        Some(id) => {
            let (su, case, access) = case_for(ctx, id, Action::View).await?;
            ctx.require_hidden(action, Resource::Record(access, deleted)).await?;
            if legal && matches!(action, Action::Create | Action::Update | Action::Delete) {
                // A team member who is not a lawyer sees the proceedings but does not change them
                // (answered like every refusal inside a case).
                ctx.require_hidden(action, Resource::Legal(access)).await?;
            }
            Ok(Scope { su, case: Some((case, access)), legal })
        }
        None => {
            let su = ctx.require(action, registry_resource(kind, deleted)).await?;
            Ok(Scope { su, case: None, legal })
        }
    }
}

/// Loads a record for `action`, checking it belongs to the scope and is of the addressed type.
async fn scoped_record<'c>(
    ctx: &'c Ctx,
    kind: Kind,
    case_id: Option<&str>,
    record_id: &str,
    action: Action,
) -> Result<(Scope<'c>, Record), AppError> {
    let store = ctx.store()?;
    let found = match RecordId::parse(record_id) {
        Some(id) => store.record(id).await?,
        None => None,
    };
    let wanted_case = case_id.map(CaseId::parse);
    let belongs = |r: &Record| match wanted_case {
        Some(Some(c)) => r.case_id == Some(c),
        Some(None) => false,
        None => r.case_id.is_none(),
    };
    match found.filter(|r| r.kind == kind && belongs(r)) {
        Some(record) => {
            let scope = scope(ctx, kind, case_id, action, record.deleted.is_some()).await?;
            Ok((scope, record))
        }
        None => {
            // The same checks as for an existing record, so an outsider cannot tell "no such
            // record" from "not yours" by the answer.
            scope(ctx, kind, case_id, Action::View, false).await?;
            Err(AppError::NotFound)
        }
    }
}

/// The registry types the references of `kinds` point at.
fn registry_targets(kinds: &[Kind]) -> Vec<Kind> {
    let mut out = Vec::new();
    for kind in kinds {
        for field in kind.fields() {
            if let FieldType::Ref(target) = field.ty
                && let Some(k) = target.kind()
                && k.in_registry()
                && !out.contains(&k)
            {
                out.push(k);
            }
        }
    }
    out
}

/// Vocabulary lists, loaded once per request, and the labels of references.
pub(super) struct Labels {
    lang: &'static str,
    lists: HashMap<&'static str, std::sync::Arc<Vec<StoredTerm>>>,
    refs: HashMap<String, (String, Option<String>)>,
    /// The case's records (all, tombstoned too), in timeline order.
    pub(super) records: Vec<Record>,
    /// The case's persons.
    pub(super) persons: Vec<ozodi_store::PersonRecord>,
    /// The registry records loaded: every facility for a case's form, those the records name for
    /// a case's page; in the registry, every record of the types its references point at.
    registry: Vec<Record>,
}

impl Labels {
    /// The vocabulary lists the fields of `kinds` use.
    pub(super) fn lists_of(kinds: &[Kind]) -> Vec<&'static str> {
        let mut lists = vec!["MT04"];
        for kind in kinds {
            for f in kind.fields() {
                if let FieldType::Code(list) | FieldType::Codes(list) = f.ty
                    && !lists.contains(&list)
                {
                    lists.push(list);
                }
            }
        }
        lists
    }

    async fn load(
        ctx: &Ctx,
        scope: &Scope<'_>,
        kinds: &[Kind],
        all_facilities: bool,
    ) -> Result<Labels, AppError> {
        Labels::load_lists(ctx, scope, kinds, &Labels::lists_of(kinds), all_facilities).await
    }

    /// Loads the given vocabulary lists and the labels of everything a reference of `kinds` can
    /// point at.
    pub(super) async fn load_lists(
        ctx: &Ctx,
        scope: &Scope<'_>,
        kinds: &[Kind],
        wanted: &[&'static str],
        all_facilities: bool,
    ) -> Result<Labels, AppError> {
        let store = ctx.store()?;
        let records = match scope.case_id() {
            Some(case) => store.records_of_case(case).await?,
            None => Vec::new(),
        };
        // Forms offer every facility; pages need only those the case's records name.
        let facilities = match scope.case_id() {
            Some(_) if !all_facilities => {
                let mut found = store.records_by_id(&ozodi_store::facilities_named(&records)).await?;
                found.retain(|f| f.kind == ozodi_domain::record::Kind::Facility);
                found.sort_by_key(|f| f.seq);
                found
            }
            Some(_) => store.facilities().await?,
            None => {
                let mut found = Vec::new();
                for kind in registry_targets(kinds) {
                    found.extend(store.registry(kind).await?);
                }
                found
            }
        };
        let persons = match scope.case_id() {
            Some(case) => store.persons_of_case(case).await?,
            None => Vec::new(),
        };
        Labels::of(ctx, scope.case_id(), wanted, records, facilities, persons).await
    }

    /// The labels of a case file already read (the case page reads it in one go).
    pub(super) async fn of(
        ctx: &Ctx,
        case: Option<ozodi_domain::case::CaseId>,
        wanted: &[&'static str],
        records: Vec<Record>,
        facilities: Vec<Record>,
        persons: Vec<ozodi_store::PersonRecord>,
    ) -> Result<Labels, AppError> {
        let store = ctx.store()?;
        let mut lists = HashMap::new();
        for list in wanted {
            if !lists.contains_key(list) {
                lists.insert(*list, store.vocabulary(list).await?);
            }
        }
        let mut labels = Labels {
            lang: ctx.lang.code(),
            lists,
            refs: HashMap::new(),
            records: Vec::new(),
            persons,
            registry: Vec::new(),
        };
        labels.add_registry(facilities);
        if let Some(case) = case {
            for p in &labels.persons {
                labels.refs.insert(p.id.to_string(), (p.pseudonym.to_string(), None));
            }
            for r in &records {
                let text = labels.describe(r);
                labels.refs.insert(
                    r.id.to_string(),
                    (text, Some(format!("/cases/{case}/{}/{}", r.kind.slug(), r.id))),
                );
            }
            labels.records = records;
        }
        Ok(labels)
    }

    /// Adds registry records (facilities, visits, recommendations…) as things references name.
    pub(super) fn add_registry(&mut self, records: Vec<Record>) {
        for r in &records {
            let text = self.describe(r);
            self.refs.insert(r.id.to_string(), (text, Some(format!("/{}/{}", r.kind.slug(), r.id))));
        }
        self.registry.extend(records);
    }

    pub(super) fn term(&self, list: &str, code: &str) -> String {
        self.lists
            .get(list)
            .and_then(|terms| terms.iter().find(|t| t.code == code))
            .map(|t| t.labels.get(self.lang).to_owned())
            .unwrap_or_else(|| code.to_owned())
    }

    pub(super) fn reference(&self, id: &str) -> String {
        self.refs.get(id).map(|(t, _)| t.clone()).unwrap_or_else(|| "—".into())
    }

    /// A one-line description without names: reference, type and the main facts.
    pub(super) fn describe(&self, r: &Record) -> String {
        let mut parts = vec![r.reference()];
        match r.kind {
            Kind::Event => parts.extend(r.data.text("title").map(str::to_owned)),
            Kind::Act => {
                parts.extend(r.data.text("act_type").map(|c| self.term("MT04", c)));
                parts.extend(r.data.text("victim").map(|v| self.reference(v)));
            }
            Kind::Facility => parts.extend(r.data.text("name").map(str::to_owned)),
            Kind::Visit => parts.extend(r.data.text("facility").map(|f| self.reference(f))),
            Kind::VisitFinding => {
                parts.extend(r.data.text("area").map(|c| self.term("monitoring_area", c)));
                parts.extend(r.data.text("severity").map(|c| self.term("finding_severity", c)));
            }
            Kind::VisitRecommendation => {
                parts.extend(r.data.text("responsible_body").map(|c| self.term("agency", c)));
            }
            Kind::UnDocument => {
                parts.extend(
                    r.data.text("symbol").or(r.data.text("title")).map(|t| t.chars().take(80).collect()),
                );
            }
            Kind::Meeting => {
                parts.extend(r.data.text("counterpart").map(|t| t.chars().take(80).collect()));
            }
            Kind::Publication => parts.extend(r.data.text("title").map(|t| t.chars().take(80).collect())),
            Kind::UnRecommendation => {
                let paragraph = r.data.text("paragraph").unwrap_or("");
                match r.data.text("symbol") {
                    Some(symbol) => parts.push(format!("{symbol} ¶{paragraph}")),
                    None => parts.push(format!(
                        "{} ¶{paragraph}",
                        r.data.text("mechanism").map(|c| self.term("un_mechanism", c)).unwrap_or_default()
                    )),
                }
            }
            _ => {}
        }
        if let Some(d) = r.data.date("initial_date") {
            parts.push(d.to_string());
        }
        parts.join(" · ")
    }

    fn value(&self, lang: ozodi_i18n::Lang, field: &FieldDef, value: &Value) -> Shown {
        let text = |s: String| Shown { text: s, href: None, long: false };
        match (field.ty, value) {
            (FieldType::Text(_), Value::Text(t)) => Shown { text: t.clone(), href: None, long: true },
            (FieldType::Code(list), Value::Code(c)) => text(self.term(list, c)),
            (FieldType::Codes(list), Value::Codes(cs)) => {
                text(cs.iter().map(|c| self.term(list, c)).collect::<Vec<_>>().join(", "))
            }
            (_, Value::Text(t)) => text(t.clone()),
            (_, Value::Date(d)) => text(d.to_string()),
            (_, Value::Moment(m)) => text(lang.datetime(*m)),
            (_, Value::Tri(t)) => text(lang.t(&format!("tri-{}", t.code()))),
            (_, Value::Count(n)) => text(n.to_string()),
            (_, Value::Flag) => text(lang.t("yes")),
            (_, Value::Money(m)) => text(m.display(lang != ozodi_i18n::Lang::En)),
            (_, Value::Ref(id)) => match self.refs.get(id) {
                Some((t, href)) => Shown { text: t.clone(), href: href.clone(), long: false },
                None => text("—".into()),
            },
            (_, Value::Code(c)) => text(c.clone()),
            (_, Value::Codes(cs)) => text(cs.join(", ")),
        }
    }
}

/// A value as shown.
#[derive(Debug, Clone)]
pub(super) struct Shown {
    pub(super) text: String,
    pub(super) href: Option<String>,
    pub(super) long: bool,
}

/// One choice of a select or checkbox list.
#[derive(Debug)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Debug)]
enum Input {
    Line { value: String, max: usize },
    Text { value: String, max: usize },
    Select { choices: Vec<Choice> },
    Checks { choices: Vec<Choice> },
    Date { y: String, m: String, d: String, est: bool },
    Moment { value: String },
    Money { value: String },
    Count { value: String, max: u32 },
    Flag { checked: bool },
}

#[derive(Debug)]
struct Widget {
    name: &'static str,
    label: String,
    required: bool,
    error: Option<String>,
    input: Input,
}

#[derive(Debug)]
struct Section {
    legend: Option<String>,
    open: bool,
    widgets: Vec<Widget>,
}

/// The values of a stored record in the shape a form submits them.
fn form_values(kind: Kind, data: &Data) -> FormPairs {
    let mut pairs = Vec::new();
    for (field, value) in data.iter(kind) {
        let name = field.name.to_owned();
        match value {
            Value::Text(t) | Value::Code(t) | Value::Ref(t) => pairs.push((name, t.clone())),
            Value::Codes(cs) => pairs.extend(cs.iter().map(|c| (name.clone(), c.clone()))),
            Value::Date(d) => {
                pairs.push((format!("{name}.y"), d.year().to_string()));
                pairs.extend(d.month().map(|m| (format!("{name}.m"), m.to_string())));
                pairs.extend(d.day().map(|x| (format!("{name}.d"), x.to_string())));
                if d.precision() == ozodi_domain::dates::DatePrecision::Estimated {
                    pairs.push((format!("{name}.est"), "on".into()));
                }
            }
            Value::Moment(m) => pairs.push((name, record::moment_input(*m))),
            Value::Tri(t) => pairs.push((name, t.code().into())),
            Value::Count(n) => pairs.push((name, n.to_string())),
            Value::Flag => pairs.push((name, "on".into())),
            Value::Money(m) => pairs.push((name, m.input(true))),
        }
    }
    FormPairs::from_pairs(pairs)
}

/// Nesting depth of a term (for indenting hierarchical lists).
fn depth(terms: &[StoredTerm], term: &StoredTerm) -> usize {
    let mut depth = 0;
    let mut parent = term.parent.as_deref();
    while let Some(code) = parent {
        depth += 1;
        if depth > 8 {
            break;
        }
        parent = terms.iter().find(|t| t.code == code).and_then(|t| t.parent.as_deref());
    }
    depth
}

/// The candidates of a reference field: live records of the case (or facilities, persons), plus
/// whatever is currently selected even if since tombstoned.
fn ref_choices(labels: &Labels, target: Target, selected: &str, exclude: Option<RecordId>) -> Vec<Choice> {
    let mut out = vec![Choice { value: String::new(), label: "—".into(), selected: selected.is_empty() }];
    let mut push = |id: String, live: bool| {
        if live || id == selected {
            out.push(Choice { label: labels.reference(&id), selected: id == selected, value: id });
        }
    };
    // Everything was loaded with the labels (a form loads every facility): no query per field.
    match target {
        Target::Facility
        | Target::Visit
        | Target::VisitFinding
        | Target::UnDocument
        | Target::UnRecommendation
        | Target::Publication => {
            let wanted = target.kind();
            for f in &labels.registry {
                if Some(f.kind) == wanted && Some(f.id) != exclude {
                    push(f.id.to_string(), f.deleted.is_none());
                }
            }
        }
        Target::Person => {
            for p in &labels.persons {
                push(p.id.to_string(), true);
            }
        }
        Target::Event | Target::Act | Target::Proceeding | Target::Involvement => {
            let wanted = target.kind();
            for r in &labels.records {
                if Some(r.kind) == wanted && Some(r.id) != exclude {
                    push(r.id.to_string(), r.deleted.is_none());
                }
            }
        }
    }
    out
}

/// Builds the form's sections from submitted (or stored) values; `errors` marks refused fields.
fn sections(
    ctx: &Ctx,
    labels: &Labels,
    kind: Kind,
    values: &FormPairs,
    errors: &[(&'static str, String)],
    this: Option<RecordId>,
) -> Vec<Section> {
    let mut out: Vec<(Group, Section)> = Vec::new();
    for field in kind.fields() {
        let name = field.name;
        let one = values.get(name).to_owned();
        let input = match field.ty {
            FieldType::Line(max) => Input::Line { value: one.chars().take(max + 50).collect(), max },
            FieldType::Money => Input::Money { value: one.chars().take(40).collect() },
            FieldType::Text(max) => Input::Text { value: one.chars().take(max + 50).collect(), max },
            FieldType::Code(list) | FieldType::Codes(list) => {
                let chosen: Vec<&str> = values.all(name).collect();
                let terms = labels.lists.get(list).map(|t| t.as_slice()).unwrap_or(&[]);
                let mut choices = Vec::new();
                if matches!(field.ty, FieldType::Code(_)) {
                    choices.push(Choice {
                        value: String::new(),
                        label: "—".into(),
                        selected: chosen.is_empty(),
                    });
                }
                for t in terms {
                    let selected = chosen.contains(&t.code.as_str());
                    if t.deprecated && !selected {
                        continue;
                    }
                    let indent = "\u{2003}".repeat(depth(terms, t));
                    choices.push(Choice {
                        label: format!("{indent}{}", t.labels.get(ctx.lang.code())),
                        value: t.code.clone(),
                        selected,
                    });
                }
                if matches!(field.ty, FieldType::Code(_)) {
                    Input::Select { choices }
                } else {
                    Input::Checks { choices }
                }
            }
            FieldType::Tri => {
                let choices = [Tri::Unknown, Tri::Yes, Tri::No]
                    .into_iter()
                    .map(|t| Choice {
                        value: t.code().into(),
                        label: ctx.lang.t(&format!("tri-{}", t.code())),
                        selected: one == t.code() || (one.is_empty() && t == Tri::Unknown),
                    })
                    .collect();
                Input::Select { choices }
            }
            FieldType::Date => {
                let part = |p: &str| values.get(&format!("{name}.{p}")).chars().take(6).collect::<String>();
                Input::Date {
                    y: part("y"),
                    m: part("m"),
                    d: part("d"),
                    est: values.get(&format!("{name}.est")) == "on",
                }
            }
            FieldType::Moment => Input::Moment { value: one.chars().take(20).collect() },
            FieldType::Count(max) => Input::Count { value: one.chars().take(10).collect(), max },
            FieldType::Flag => Input::Flag { checked: one == "on" },
            FieldType::Ref(target) => Input::Select { choices: ref_choices(labels, target, &one, this) },
        };
        let error = errors.iter().find(|(f, _)| *f == name).map(|(_, m)| m.clone());
        let widget = Widget {
            name,
            label: ctx.lang.t(&format!("field-{name}")),
            required: field.required,
            error,
            input,
        };
        match out.iter_mut().find(|(g, _)| *g == field.group) {
            Some((_, section)) => section.widgets.push(widget),
            None => {
                let legend = (field.group != Group::Main)
                    .then(|| ctx.lang.t(&format!("record-group-{}", field.group.code())));
                out.push((field.group, Section { legend, open: false, widgets: vec![widget] }));
            }
        }
    }
    // Optional sections start folded unless they hold a value or an error.
    for (_, section) in &mut out {
        section.open = section.legend.is_none()
            || section.widgets.iter().any(|w| {
                w.error.is_some()
                    || match &w.input {
                        Input::Line { value, .. }
                        | Input::Text { value, .. }
                        | Input::Moment { value }
                        | Input::Money { value } => !value.is_empty(),
                        Input::Select { choices } => {
                            choices.iter().any(|c| c.selected && !c.value.is_empty() && c.value != "unknown")
                        }
                        Input::Checks { choices } => choices.iter().any(|c| c.selected),
                        Input::Date { y, .. } => !y.is_empty(),
                        Input::Count { value, .. } => !value.is_empty(),
                        Input::Flag { checked } => *checked,
                    }
            });
    }
    out.into_iter().map(|(_, s)| s).collect()
}

#[derive(Template)]
#[template(path = "records/form.html")]
struct FormPage {
    p: Page,
    heading: String,
    action: String,
    back: String,
    version: i64,
    errors: Vec<String>,
    sections: Vec<Section>,
}

fn kind_name(ctx: &Ctx, kind: Kind) -> String {
    ctx.lang.t(&format!("record-kind-{}", kind.code()))
}

#[expect(clippy::too_many_arguments, reason = "one renderer for new and edit forms, with or without errors")]
async fn form_page(
    ctx: &Ctx,
    scope: &Scope<'_>,
    kind: Kind,
    record: Option<&Record>,
    values: &FormPairs,
    errors: Vec<(&'static str, String)>,
    status: StatusCode,
    version: i64,
) -> Result<Response, AppError> {
    let labels = Labels::load(ctx, scope, &[kind], true).await?;
    let sections = sections(ctx, &labels, kind, values, &errors, record.map(|r| r.id));
    let (heading, action) = match record {
        Some(r) => (
            ctx.lang.t_args("record-edit-title", &[("ref", &r.reference())]),
            format!("{}/{}", scope.base(kind), r.id),
        ),
        None => (ctx.lang.t_args("record-new-title", &[("kind", &kind_name(ctx, kind))]), scope.base(kind)),
    };
    let mut p = ctx.page("record-new-title");
    p.title = heading.clone();
    let back = match record {
        Some(r) => format!("{}/{}", scope.base(kind), r.id),
        None => match RecordId::parse(values.get("visit")) {
            Some(visit) if scope.case.is_none() => format!("/visits/{visit}"),
            _ => scope.back(kind, None),
        },
    };
    render_status(
        status,
        &FormPage {
            p,
            heading,
            action,
            back,
            version,
            errors: errors
                .into_iter()
                .map(|(f, m)| format!("{}: {m}", ctx.lang.t(&format!("field-{f}"))))
                .collect(),
            sections,
        },
    )
}

/// The schema form of a document kept outside the records (an evaluation, a finding): the same
/// widgets, checks and messages as a record's form.
#[expect(
    clippy::too_many_arguments,
    reason = "the form's frame is the caller's: heading, action, back, version"
)]
pub(super) fn schema_form(
    ctx: &Ctx,
    labels: &Labels,
    kind: Kind,
    values: &FormPairs,
    errors: Vec<(&'static str, String)>,
    status: StatusCode,
    (heading, action, back): (String, String, String),
    version: i64,
) -> Result<Response, AppError> {
    let sections = sections(ctx, labels, kind, values, &errors, None);
    let mut p = ctx.page("record-new-title");
    p.title = heading.clone();
    render_status(
        status,
        &FormPage {
            p,
            heading,
            action,
            back,
            version,
            errors: errors
                .into_iter()
                .map(|(f, m)| format!("{}: {m}", ctx.lang.t(&format!("field-{f}"))))
                .collect(),
            sections,
        },
    )
}

/// The values of a document as a form submits them (for an edit form).
pub(super) fn values_of(kind: Kind, data: &Data) -> FormPairs {
    form_values(kind, data)
}

/// The form's values by `kind`'s schema; when the schema refuses them, the form again with the
/// reasons (422), as the page to answer with.
pub(super) fn parse_or_refuse(
    ctx: &Ctx,
    labels: &Labels,
    kind: Kind,
    form: &FormPairs,
    frame: (String, String, String),
    version: i64,
) -> Result<Result<Data, Response>, AppError> {
    match Data::parse(kind, form) {
        Ok(data) => Ok(Ok(data)),
        Err(errors) => {
            let errors = problems(ctx, errors);
            schema_form(ctx, labels, kind, form, errors, StatusCode::UNPROCESSABLE_ENTITY, frame, version)
                .map(Err)
        }
    }
}

/// Translates the schema's refusals.
pub(super) fn problems(ctx: &Ctx, errors: Vec<record::FieldError>) -> Vec<(&'static str, String)> {
    errors.into_iter().map(|e| (e.field, ctx.lang.t(e.problem.key()))).collect()
}

/// Pre-selects references given in the query (`?event=…` from an event's "add act" link).
fn prefill(kind: Kind, query: &str) -> FormPairs {
    let mut pairs = Vec::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if let Some(f) = kind.field(&k)
            && matches!(f.ty, FieldType::Ref(_))
            && RecordId::parse(&v).is_some()
        {
            pairs.push((f.name.to_owned(), v.into_owned()));
        }
    }
    FormPairs::from_pairs(pairs)
}

/// `GET …/{kind}/new`.
pub async fn new_form(kind: Kind, ctx: Ctx, case_id: Option<String>) -> Result<Response, AppError> {
    let scope = scope(&ctx, kind, case_id.as_deref(), Action::Create, false).await?;
    let query = ctx.path.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_page(&ctx, &scope, kind, None, &prefill(kind, query), Vec::new(), StatusCode::OK, 0).await
}

/// `POST …/{kind}`: creates a record; a refused value returns the form with everything kept.
pub async fn create(
    kind: Kind,
    state: AppState,
    ctx: Ctx,
    case_id: Option<String>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let scope = scope(&ctx, kind, case_id.as_deref(), Action::Create, false).await?;
    let data = match Data::parse(kind, &form) {
        Ok(data) => data,
        Err(errors) => {
            let errors = problems(&ctx, errors);
            return form_page(&ctx, &scope, kind, None, &form, errors, StatusCode::UNPROCESSABLE_ENTITY, 0)
                .await;
        }
    };
    let entry = scope.audit(&state, &ctx, AuditKind::RecordCreated, kind, None);
    match scope
        .su
        .store
        .create_record(kind, scope.case_id(), &data, scope.su.user.id, state.now(), entry)
        .await
    {
        Ok(record) => {
            Ok(Redirect::to(&format!("{}/{}?saved=1", scope.base(kind), record.id)).into_response())
        }
        Err(StoreError::Invalid(field)) => {
            let errors = vec![(field, ctx.lang.t("record-problem-choice"))];
            form_page(&ctx, &scope, kind, None, &form, errors, StatusCode::UNPROCESSABLE_ENTITY, 0).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug)]
pub(super) struct Row {
    pub(super) label: String,
    pub(super) value: Shown,
}

#[derive(Debug)]
pub(super) struct ShownSection {
    pub(super) legend: Option<String>,
    pub(super) rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "records/show.html")]
struct ShowPage {
    p: Page,
    base: String,
    back: String,
    back_label: String,
    id: String,
    heading: String,
    sections: Vec<ShownSection>,
    children: Vec<Child>,
    can_edit: bool,
    can_delete: bool,
    can_restore: bool,
    deleted: Option<String>,
    notice: Option<String>,
    /// A panel of its own: a proceeding's (rendered by `legal`), a visit's or a recommendation's
    /// (rendered by `monitoring`).
    panel: Option<String>,
    /// A warning under the heading (a UN recommendation not checked against the official text).
    banner: Option<String>,
}

/// A link to add a dependent record (an act of this event, an involvement in this act).
#[derive(Debug)]
struct Child {
    href: String,
    label: String,
}

pub(super) fn shown_sections(ctx: &Ctx, labels: &Labels, kind: Kind, data: &Data) -> Vec<ShownSection> {
    let mut out: Vec<(Group, ShownSection)> = Vec::new();
    for (field, value) in data.iter(kind) {
        let row = Row {
            label: ctx.lang.t(&format!("field-{}", field.name)),
            value: labels.value(ctx.lang, field, value),
        };
        match out.iter_mut().find(|(g, _)| *g == field.group) {
            Some((_, s)) => s.rows.push(row),
            None => {
                let legend = (field.group != Group::Main)
                    .then(|| ctx.lang.t(&format!("record-group-{}", field.group.code())));
                out.push((field.group, ShownSection { legend, rows: vec![row] }));
            }
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

/// `GET …/{kind}/{id}`: the record; reading a case's record is audited like reading the case.
pub async fn show(kind: Kind, ctx: Ctx, case_id: Option<String>, id: String) -> Result<Response, AppError> {
    show_page(kind, &ctx, case_id.as_deref(), &id, StatusCode::OK, None).await
}

/// The record page; a proceeding's also shows its steps, amounts, accused and calendar, with a
/// refused step's message and the values typed (`step`).
pub(super) async fn show_page(
    kind: Kind,
    ctx: &Ctx,
    case_id: Option<&str>,
    id: &str,
    status: StatusCode,
    step: Option<(String, FormPairs)>,
) -> Result<Response, AppError> {
    let ctx = ctx.clone();
    let (scope, record) = scoped_record(&ctx, kind, case_id, id, Action::View).await?;
    if let Some((case, _)) = &scope.case {
        let mut entry = ozodi_store::NewAuditEntry {
            at: ctx.now,
            actor: Some(scope.su.user.id),
            kind: AuditKind::CaseViewed,
            subject: Some(case.id.to_string()),
            detail: serde_json::json!({ "record": record.id.to_string() }),
            client: Some(ctx.client.clone()),
        };
        entry.detail["kind"] = serde_json::json!(kind.code());
        scope.su.store.audit(entry).await?;
    }
    // A proceeding's page also describes its accused and payments.
    let kinds: &[Kind] = match kind {
        Kind::Proceeding => &Kind::LEGAL,
        // A visit's page lists its findings and recommendations.
        Kind::Visit => &Kind::MONITORING,
        _ => std::slice::from_ref(&kind),
    };
    let labels = Labels::load(&ctx, &scope, kinds, false).await?;
    let base = scope.base(kind);
    let live = record.deleted.is_none();
    let mut children = Vec::new();
    if live
        && scope.can(kind, Action::Create, false)
        && let Some((case, _)) = &scope.case
    {
        let add = |child: Kind, field: &str| Child {
            href: format!("/cases/{}/{}/new?{field}={}", case.id, child.slug(), record.id),
            label: ctx.lang.t_args("record-new-title", &[("kind", &kind_name(&ctx, child))]),
        };
        match kind {
            Kind::Event => {
                children.push(add(Kind::Act, "event"));
                children.push(add(Kind::Information, "event"));
                children.push(add(Kind::Intervention, "event"));
                children.push(add(Kind::Chain, "event"));
            }
            Kind::Act => children.push(add(Kind::Involvement, "act")),
            Kind::Proceeding => {
                match record.data.text("proceeding_kind").and_then(ozodi_domain::legal::ProceedingKind::parse)
                {
                    Some(ozodi_domain::legal::ProceedingKind::CriminalCase) => {
                        children.push(add(Kind::Accused, "proceeding"));
                    }
                    Some(ozodi_domain::legal::ProceedingKind::CivilClaim) => {
                        children.push(add(Kind::Payment, "proceeding"));
                    }
                    _ => {}
                }
                children.push(add(Kind::Proceeding, "parent"));
            }
            _ => {}
        }
    }
    if live && scope.case.is_none() && scope.can(kind, Action::Create, false) {
        let add = |child: Kind, field: &str| Child {
            href: format!("/{}/new?{field}={}", child.slug(), record.id),
            label: ctx.lang.t_args("record-new-title", &[("kind", &kind_name(&ctx, child))]),
        };
        match kind {
            Kind::Visit => {
                children.push(add(Kind::VisitFinding, "visit"));
                children.push(add(Kind::VisitRecommendation, "visit"));
                children.push(add(Kind::Visit, "previous_visit"));
            }
            Kind::VisitFinding => {
                if let Some(visit) = record.data.text("visit") {
                    children.push(Child {
                        href: format!(
                            "/{}/new?visit={visit}&finding={}",
                            Kind::VisitRecommendation.slug(),
                            record.id
                        ),
                        label: ctx.lang.t_args(
                            "record-new-title",
                            &[("kind", &kind_name(&ctx, Kind::VisitRecommendation))],
                        ),
                    });
                }
            }
            Kind::UnDocument => children.push(add(Kind::UnRecommendation, "document")),
            _ => {}
        }
    }
    let heading = match kind {
        Kind::Event
        | Kind::Facility
        | Kind::Act
        | Kind::Visit
        | Kind::UnRecommendation
        | Kind::UnDocument => labels.describe(&record),
        _ => format!("{} · {}", record.reference(), kind_name(&ctx, kind)),
    };
    let mut p = ctx.page("record-new-title");
    p.title = heading.clone();
    let back_label = match (&scope.case, kind) {
        (Some((case, _)), _) => case.number.to_string(),
        (None, Kind::Visit) => ctx.lang.t("monitoring-title"),
        (None, Kind::VisitFinding | Kind::VisitRecommendation) => match record.data.text("visit") {
            Some(visit) => labels.reference(visit),
            None => ctx.lang.t("monitoring-title"),
        },
        (None, Kind::UnDocument) => ctx.lang.t("un-documents-title"),
        (None, Kind::UnRecommendation) => ctx.lang.t("un-title"),
        (None, Kind::Meeting) => ctx.lang.t("meetings-title"),
        (None, Kind::Publication) => ctx.lang.t("publications-title"),
        (None, _) => ctx.lang.t("facilities-title"),
    };
    let panel = match (&scope.case, kind) {
        (Some((case, access)), Kind::Proceeding) => {
            Some(super::legal::proceeding_panel(&ctx, case, *access, &record, &labels, step).await?)
        }
        (None, Kind::Visit) => Some(super::monitoring::visit_panel(&ctx, &record, &labels, step).await?),
        (None, Kind::VisitRecommendation | Kind::UnRecommendation) => {
            Some(super::monitoring::assessment_panel(&ctx, &record, &labels, step).await?)
        }
        (None, Kind::UnDocument) => Some(super::monitoring::document_panel(&ctx, &record, &labels).await?),
        (None, Kind::Publication) if live => Some(super::publishing::panel(&ctx, &record, step).await?),
        _ => None,
    };
    let banner = match kind {
        Kind::UnRecommendation if scope.case.is_none() => {
            super::monitoring::unverified_banner(&ctx, &record).await?
        }
        _ => None,
    };
    render_status(
        status,
        &ShowPage {
            p,
            panel,
            banner,
            back: scope.back(kind, Some(&record.data)),
            back_label,
            id: record.id.to_string(),
            heading,
            sections: shown_sections(&ctx, &labels, kind, &record.data),
            children,
            can_edit: live && scope.can(kind, Action::Update, false),
            can_delete: live && scope.can(kind, Action::Delete, false),
            can_restore: !live && scope.can(kind, Action::Restore, true),
            deleted: record.deleted.as_ref().map(|d| d.reason.clone()),
            notice: ctx.path.contains("saved=1").then(|| ctx.lang.t("saved")),
            base,
        },
    )
}

/// `GET …/{kind}/{id}/edit`.
pub async fn edit_form(
    kind: Kind,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::Update).await?;
    let values = form_values(kind, &record.data);
    form_page(&ctx, &scope, kind, Some(&record), &values, Vec::new(), StatusCode::OK, record.version).await
}

/// `POST …/{kind}/{id}`: saves an edit as a new version unless someone saved first.
pub async fn update(
    kind: Kind,
    state: AppState,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::Update).await?;
    let version: i64 = form.get("version").parse().map_err(|_| AppError::BadRequest)?;
    let again = |errors, status| form_page(&ctx, &scope, kind, Some(&record), &form, errors, status, version);
    let data = match Data::parse(kind, &form) {
        Ok(data) => data,
        Err(errors) => return again(problems(&ctx, errors), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let entry = scope.audit(&state, &ctx, AuditKind::RecordUpdated, kind, Some(record.id));
    match scope.su.store.update_record(record.id, version, &data, scope.su.user.id, state.now(), entry).await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}/{}?saved=1", scope.base(kind), record.id)).into_response()),
        Err(StoreError::Conflict) => {
            again(vec![("version", ctx.lang.t("case-conflict"))], StatusCode::CONFLICT).await
        }
        Err(StoreError::Invalid(field)) => {
            again(vec![(field, ctx.lang.t("record-problem-choice"))], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "records/history.html")]
struct HistoryPage {
    p: Page,
    back: String,
    reference: String,
    heading: String,
    versions: Vec<VersionView>,
}

/// `GET …/{kind}/{id}/history`: every version and what changed, shown as people read it.
pub async fn history(
    kind: Kind,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::View).await?;
    let labels = Labels::load(&ctx, &scope, &[kind], false).await?;
    let versions = scope.su.store.versions(kind.code(), &record.id.to_string()).await?;
    let shown = |data: &Data, field: &FieldDef| {
        data.get(field.name).map(|v| labels.value(ctx.lang, field, v).text).unwrap_or_else(|| "—".into())
    };
    let reason = |json: &serde_json::Value| {
        json.get("deleted").and_then(|d| d.get("reason")).and_then(|r| r.as_str()).unwrap_or("—").to_owned()
    };
    let mut views = Vec::new();
    let empty = serde_json::json!({});
    for (i, v) in versions.iter().enumerate() {
        let before_json = i.checked_sub(1).map(|p| &versions[p].data).unwrap_or(&empty);
        let (before, after) = (Data::from_json(kind, before_json), Data::from_json(kind, &v.data));
        let mut changes: Vec<Change> = kind
            .fields()
            .iter()
            .filter_map(|f| {
                let (old, new) = (shown(&before, f), shown(&after, f));
                (old != new).then(|| Change {
                    field: ctx.lang.t(&format!("field-{}", f.name)),
                    before: old,
                    after: new,
                })
            })
            .collect();
        if reason(before_json) != reason(&v.data) {
            changes.push(Change {
                field: ctx.lang.t("case-field-deleted"),
                before: reason(before_json),
                after: reason(&v.data),
            });
        }
        views.push(VersionView::new(&ctx, v, changes));
    }
    views.reverse();
    let heading = ctx.lang.t_args("record-history-title", &[("ref", &record.reference())]);
    let mut p = ctx.page("record-new-title");
    p.title = heading.clone();
    render(&HistoryPage {
        p,
        back: format!("{}/{}", scope.base(kind), record.id),
        reference: record.reference(),
        heading,
        versions: views,
    })
}

#[derive(Template)]
#[template(path = "records/delete.html")]
struct DeletePage {
    p: Page,
    action: String,
    back: String,
    heading: String,
    error: Option<String>,
}

fn delete_page(
    ctx: &Ctx,
    scope: &Scope<'_>,
    kind: Kind,
    record: &Record,
    error: Option<String>,
) -> DeletePage {
    let heading = ctx.lang.t_args("record-delete-title", &[("ref", &record.reference())]);
    let mut p = ctx.page("record-new-title");
    p.title = heading.clone();
    let back = format!("{}/{}", scope.base(kind), record.id);
    DeletePage { p, action: format!("{back}/delete"), back, heading, error }
}

/// `GET …/{kind}/{id}/delete`: the confirmation, asking for a reason.
pub async fn delete_form(
    kind: Kind,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::Delete).await?;
    render(&delete_page(&ctx, &scope, kind, &record, None))
}

/// `POST …/{kind}/{id}/delete`: a tombstone with a reason; nothing is removed.
pub async fn delete(
    kind: Kind,
    state: AppState,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
    form: FormPairs,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::Delete).await?;
    let reason = form.get("reason").trim().chars().take(1000).collect::<String>();
    if reason.is_empty() {
        let page = delete_page(&ctx, &scope, kind, &record, Some(ctx.lang.t("case-reason-required")));
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let entry = scope.audit(&state, &ctx, AuditKind::RecordDeleted, kind, Some(record.id));
    scope.su.store.set_record_deleted(record.id, Some(&reason), scope.su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&scope.back(kind, Some(&record.data))).into_response())
}

/// `POST …/{kind}/{id}/restore`: the coordinator brings a tombstoned record back.
pub async fn restore(
    kind: Kind,
    state: AppState,
    ctx: Ctx,
    case_id: Option<String>,
    id: String,
) -> Result<Response, AppError> {
    let (scope, record) = scoped_record(&ctx, kind, case_id.as_deref(), &id, Action::Restore).await?;
    let entry = scope.audit(&state, &ctx, AuditKind::RecordRestored, kind, Some(record.id));
    scope.su.store.set_record_deleted(record.id, None, scope.su.user.id, state.now(), entry).await?;
    Ok(Redirect::to(&format!("{}/{}?saved=1", scope.base(kind), record.id)).into_response())
}

#[derive(Debug)]
struct FacilityRow {
    id: String,
    reference: String,
    name: String,
    facility_type: String,
    region: String,
    deleted: bool,
}

#[derive(Template)]
#[template(path = "records/facilities.html")]
struct FacilitiesPage {
    p: Page,
    rows: Vec<FacilityRow>,
    can_create: bool,
    exports: (String, String),
}

/// `GET /facilities`: the registry of places of detention (also as CSV or XLSX).
pub async fn facilities(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let scope = scope(&ctx, Kind::Facility, None, Action::View, false).await?;
    let labels = Labels::load(&ctx, &scope, &[Kind::Facility], true).await?;
    let show_deleted = scope.can(Kind::Facility, Action::View, true);
    let rows: Vec<FacilityRow> = scope
        .su
        .store
        .facilities()
        .await?
        .into_iter()
        .filter(|f| f.deleted.is_none() || show_deleted)
        .map(|f| FacilityRow {
            id: f.id.to_string(),
            reference: f.reference(),
            name: f.data.text("name").unwrap_or("").to_owned(),
            facility_type: f
                .data
                .text("facility_type")
                .map(|c| labels.term("facility_type", c))
                .unwrap_or_default(),
            region: f.data.text("region").map(|c| labels.term("region", c)).unwrap_or_default(),
            deleted: f.deleted.is_some(),
        })
        .collect();
    if let Some(format) = super::export::requested(&ctx) {
        let lang = ctx.lang;
        let table = ozodi_exchange::table::Table {
            title: lang.t("facilities-title"),
            headers: vec![
                "№".into(),
                lang.t("field-name"),
                lang.t("field-facility_type"),
                lang.t("field-region"),
            ],
            rows: rows
                .iter()
                .map(|r: &FacilityRow| {
                    vec![r.reference.clone(), r.name.clone(), r.facility_type.clone(), r.region.clone()]
                })
                .collect(),
        };
        return super::export::respond(&state, &ctx, scope.su, "facilities", format, &table).await;
    }
    render(&FacilitiesPage {
        p: ctx.page("facilities-title"),
        rows,
        can_create: scope.can(Kind::Facility, Action::Create, false),
        exports: super::export::links(&ctx),
    })
}
