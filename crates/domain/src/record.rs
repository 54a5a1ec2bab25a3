//! The HURIDOCS records of a case (DOMAIN.md section 3.1) and the registry of places of detention,
//! described by one schema each: Event, Act (with its arrest, torture and killing details),
//! Involvement, Information, Intervention, Chain of events and Facility.
//!
//! A schema lists typed fields. Forms, pages, validation, storage, versions and history are all
//! driven by it, so every record type gets the same guarantees (a bad value is refused with a
//! reason and changes nothing; every save is a version; a delete is a tombstone) without a copy of
//! the code per type. Persons are not here: their identity lives in the sealed compartment
//! (`person`), and their roles come from the links these records make (victim of an act,
//! perpetrator in an involvement, source of information, intervening party).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value as Json, json};
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::case::Tri;
use crate::dates::{DUSHANBE, DatePrecision, PartialDate, PartialDateError};

/// A record's id (UUIDv7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub Uuid);

impl RecordId {
    /// A fresh id.
    pub fn new() -> Self {
        RecordId(Uuid::now_v7())
    }

    /// Parses the text form; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok().map(RecordId)
    }
}

impl Default for RecordId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The record types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// What happened, where, when.
    Event,
    /// One victim, one type of act, one time span.
    Act,
    /// A perpetrator's part in an act.
    Involvement,
    /// A source of information about an event or person.
    Information,
    /// Action taken for a victim or about an event.
    Intervention,
    /// A link between two events (arrest → torture → coerced confession).
    Chain,
    /// A place of detention in the registry (not part of one case).
    Facility,
    /// A legal proceeding: complaint, criminal case, civil claim, UN communication (its state is
    /// kept apart, as the history of its steps: `legal`).
    Proceeding,
    /// A person accused in a proceeding: the perpetrator's involvement, charges, verdict, sentence.
    Accused,
    /// A payment of compensation under a civil claim.
    Payment,
    /// A medico-legal evaluation under the Istanbul Protocol (stored apart: `ip`).
    Evaluation,
    /// A physical finding of an evaluation, marked on the body diagrams (stored with it).
    Finding,
    /// A training event of the coalition (not part of a case; stored apart: `trainings`).
    Training,
    /// A rehabilitation episode of a victim or family member (stored apart: `rehab`).
    Episode,
    /// A session of a rehabilitation episode (stored with it; its notes are clinical).
    Session,
    /// A monitoring visit to a place of detention (registry; its course is kept apart:
    /// `monitoring`).
    Visit,
    /// A finding of a monitoring visit, by monitoring area.
    VisitFinding,
    /// A recommendation of a monitoring visit (its follow-up over time: assessments).
    VisitRecommendation,
    /// A UN document: concluding observations, a follow-up letter, a State report, a UPR report.
    UnDocument,
    /// A recommendation of a UN mechanism to Tajikistan (its follow-up over time: assessments).
    UnRecommendation,
    /// A meeting or briefing with an international organisation, a delegation or a State body (the
    /// advocacy log).
    Meeting,
    /// A material the coalition published: a report, an article, a press release, an appearance.
    Publication,
}

impl Kind {
    /// Every record type.
    pub const ALL: [Kind; 22] = [
        Kind::Event,
        Kind::Act,
        Kind::Involvement,
        Kind::Information,
        Kind::Intervention,
        Kind::Chain,
        Kind::Facility,
        Kind::Proceeding,
        Kind::Accused,
        Kind::Payment,
        Kind::Evaluation,
        Kind::Finding,
        Kind::Training,
        Kind::Episode,
        Kind::Session,
        Kind::Visit,
        Kind::VisitFinding,
        Kind::VisitRecommendation,
        Kind::UnDocument,
        Kind::UnRecommendation,
        Kind::Meeting,
        Kind::Publication,
    ];

    /// The types of the registry: not part of any case, each with its own pages under
    /// `/{slug}` (the places of detention, the monitoring of them, the UN follow-up).
    pub const REGISTRY: [Kind; 8] = [
        Kind::Facility,
        Kind::Visit,
        Kind::VisitFinding,
        Kind::VisitRecommendation,
        Kind::UnDocument,
        Kind::UnRecommendation,
        Kind::Meeting,
        Kind::Publication,
    ];

    /// The types of the advocacy log.
    pub const ADVOCACY: [Kind; 2] = [Kind::Meeting, Kind::Publication];

    /// The types of the monitoring of places of detention.
    pub const MONITORING: [Kind; 3] = [Kind::Visit, Kind::VisitFinding, Kind::VisitRecommendation];

    /// The types of the UN follow-up.
    pub const UN: [Kind; 2] = [Kind::UnDocument, Kind::UnRecommendation];

    /// Whether records of this type live in the registry rather than in a case.
    pub fn in_registry(self) -> bool {
        Kind::REGISTRY.contains(&self)
    }

    /// Whether this type is a recommendation whose implementation is assessed over time.
    pub fn assessed(self) -> bool {
        matches!(self, Kind::VisitRecommendation | Kind::UnRecommendation)
    }

    /// The types that belong to a case.
    pub const OF_CASE: [Kind; 9] = [
        Kind::Event,
        Kind::Act,
        Kind::Involvement,
        Kind::Information,
        Kind::Intervention,
        Kind::Chain,
        Kind::Proceeding,
        Kind::Accused,
        Kind::Payment,
    ];

    /// The HURIDOCS types (the documentation of what happened, as opposed to the legal work).
    pub const HURIDOCS: [Kind; 6] =
        [Kind::Event, Kind::Act, Kind::Involvement, Kind::Information, Kind::Intervention, Kind::Chain];

    /// The legal types.
    pub const LEGAL: [Kind; 3] = [Kind::Proceeding, Kind::Accused, Kind::Payment];

    /// The stable code (stored, and the entity name in the version history).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Act => "act",
            Kind::Involvement => "involvement",
            Kind::Information => "information",
            Kind::Intervention => "intervention",
            Kind::Chain => "chain",
            Kind::Facility => "facility",
            Kind::Proceeding => "proceeding",
            Kind::Accused => "accused",
            Kind::Payment => "payment",
            Kind::Evaluation => "evaluation",
            Kind::Finding => "finding",
            Kind::Training => "training",
            Kind::Episode => "rehab_episode",
            Kind::Session => "rehab_session",
            Kind::Visit => "visit",
            Kind::VisitFinding => "visit_finding",
            Kind::VisitRecommendation => "visit_recommendation",
            Kind::UnDocument => "un_document",
            Kind::UnRecommendation => "un_recommendation",
            Kind::Meeting => "meeting",
            Kind::Publication => "publication",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Event => "events",
            Kind::Act => "acts",
            Kind::Involvement => "involvements",
            Kind::Information => "information",
            Kind::Intervention => "interventions",
            Kind::Chain => "chains",
            Kind::Facility => "facilities",
            Kind::Proceeding => "proceedings",
            Kind::Accused => "accused",
            Kind::Payment => "payments",
            Kind::Evaluation => "evaluations",
            Kind::Finding => "findings",
            Kind::Training => "trainings",
            Kind::Episode => "rehabilitation",
            Kind::Session => "sessions",
            Kind::Visit => "visits",
            Kind::VisitFinding => "visit-findings",
            Kind::VisitRecommendation => "visit-recommendations",
            Kind::UnDocument => "un-documents",
            Kind::UnRecommendation => "recommendations",
            Kind::Meeting => "meetings",
            Kind::Publication => "publications",
        }
    }

    /// The prefix of the human reference (`EV-0042`); references carry no names.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Event => "EV",
            Kind::Act => "AC",
            Kind::Involvement => "IN",
            Kind::Information => "SR",
            Kind::Intervention => "IV",
            Kind::Chain => "CH",
            Kind::Facility => "FC",
            Kind::Proceeding => "LP",
            Kind::Accused => "AD",
            Kind::Payment => "PY",
            Kind::Evaluation => "ME",
            Kind::Finding => "PF",
            Kind::Training => "TR",
            Kind::Episode => "RE",
            Kind::Session => "RS",
            Kind::Visit => "MV",
            Kind::VisitFinding => "VF",
            Kind::VisitRecommendation => "VR",
            Kind::UnDocument => "UD",
            Kind::UnRecommendation => "UR",
            Kind::Meeting => "MG",
            Kind::Publication => "PB",
        }
    }

    /// The fields, in form order.
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            Kind::Event => EVENT,
            Kind::Act => ACT,
            Kind::Involvement => INVOLVEMENT,
            Kind::Information => INFORMATION,
            Kind::Intervention => INTERVENTION,
            Kind::Chain => CHAIN,
            Kind::Facility => FACILITY,
            Kind::Proceeding => PROCEEDING,
            Kind::Accused => ACCUSED,
            Kind::Payment => PAYMENT,
            Kind::Evaluation => EVALUATION,
            Kind::Finding => FINDING,
            Kind::Training => TRAINING,
            Kind::Episode => EPISODE,
            Kind::Session => SESSION,
            Kind::Visit => VISIT,
            Kind::VisitFinding => VISIT_FINDING,
            Kind::VisitRecommendation => VISIT_RECOMMENDATION,
            Kind::UnDocument => UN_DOCUMENT,
            Kind::UnRecommendation => UN_RECOMMENDATION,
            Kind::Meeting => MEETING,
            Kind::Publication => PUBLICATION,
        }
    }

    /// The field called `name`.
    pub fn field(self, name: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.name == name)
    }
}

/// A human reference such as `AC-0042`.
pub fn reference(kind: Kind, seq: u32) -> String {
    format!("{}-{seq:04}", kind.prefix())
}

/// What a reference field points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// An event of the same case.
    Event,
    /// An act of the same case.
    Act,
    /// A person of the same case.
    Person,
    /// A facility in the registry.
    Facility,
    /// A legal proceeding of the same case.
    Proceeding,
    /// An involvement (a perpetrator's part in an act) of the same case.
    Involvement,
    /// A monitoring visit in the registry.
    Visit,
    /// A finding of a monitoring visit in the registry.
    VisitFinding,
    /// A UN document in the registry.
    UnDocument,
    /// A UN recommendation in the registry.
    UnRecommendation,
    /// A publication in the registry (the same material in another language).
    Publication,
}

impl Target {
    /// The record type a reference points at (persons are not records).
    pub fn kind(self) -> Option<Kind> {
        match self {
            Target::Event => Some(Kind::Event),
            Target::Act => Some(Kind::Act),
            Target::Facility => Some(Kind::Facility),
            Target::Proceeding => Some(Kind::Proceeding),
            Target::Involvement => Some(Kind::Involvement),
            Target::Visit => Some(Kind::Visit),
            Target::VisitFinding => Some(Kind::VisitFinding),
            Target::UnDocument => Some(Kind::UnDocument),
            Target::UnRecommendation => Some(Kind::UnRecommendation),
            Target::Publication => Some(Kind::Publication),
            Target::Person => None,
        }
    }
}

/// A field's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// One line of text, at most this many characters.
    Line(usize),
    /// Free text, at most this many characters.
    Text(usize),
    /// One term of a vocabulary list.
    Code(&'static str),
    /// Any number of terms of a vocabulary list.
    Codes(&'static str),
    /// A partial date (MT48).
    Date,
    /// A moment to the minute, entered in Dushanbe time (legal-safeguard hours count).
    Moment,
    /// Yes / no / unknown.
    Tri,
    /// A whole number from 0 to this maximum.
    Count(u32),
    /// A checkbox.
    Flag,
    /// Another record or a person.
    Ref(Target),
    /// An amount of somoni, kept in diram.
    Money,
}

/// Which part of a form a field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// The main fields.
    Main,
    /// Arrest and detention, with the legal safeguards (ESF 31xx and the Tajik extension).
    Arrest,
    /// Torture detail (ESF 33xx).
    Torture,
    /// Death in custody or in the army (ESF 32xx).
    Killing,
    /// A civil claim's amounts and judgment.
    Civil,
    /// A UN communication's registration, Views and follow-up.
    Un,
    /// The verdict and sentence of one accused.
    Verdict,
    /// An evaluation: consent and the conditions of the examination.
    Conditions,
    /// An evaluation: background, and the allegations.
    History,
    /// An evaluation: physical symptoms and the examination by body system.
    Physical,
    /// An evaluation: the psychological history and examination, components (a)–(j).
    Psychological,
    /// An evaluation: tests, consultations, and the interpretation of the findings.
    Interpretation,
    /// An evaluation: conclusions, recommendations and the restrictions it was done under.
    Conclusions,
    /// A rehabilitation episode: the assessment at the start and the plan.
    Assessment,
    /// A rehabilitation episode: how it ended and with what result.
    Outcome,
    /// A visit: access granted or refused, and to what.
    Access,
    /// A visit: the population on the day.
    Population,
    /// A visit: registers reviewed and interviews held.
    Interviews,
    /// A visit: the debrief, the report, the authority's response and the follow-up.
    Aftermath,
    /// A UN recommendation: the official text in the UN's languages.
    Official,
    /// A UN recommendation: how the coalition files it (themes, bodies, plan, cluster).
    Tracking,
}

impl Group {
    /// The stable code (translation keys, HTML ids).
    pub fn code(self) -> &'static str {
        match self {
            Group::Main => "main",
            Group::Arrest => "arrest",
            Group::Torture => "torture",
            Group::Killing => "killing",
            Group::Civil => "civil",
            Group::Un => "un",
            Group::Verdict => "verdict",
            Group::Conditions => "conditions",
            Group::History => "history",
            Group::Physical => "physical",
            Group::Psychological => "psychological",
            Group::Interpretation => "interpretation",
            Group::Conclusions => "conclusions",
            Group::Assessment => "assessment",
            Group::Outcome => "outcome",
            Group::Access => "access",
            Group::Population => "population",
            Group::Interviews => "interviews",
            Group::Aftermath => "aftermath",
            Group::Official => "official",
            Group::Tracking => "tracking",
        }
    }
}

/// One field of a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// The name (form field, JSON key, translation key `field-<name>`).
    pub name: &'static str,
    /// The type.
    pub ty: FieldType,
    /// Whether a value is required.
    pub required: bool,
    /// The form section.
    pub group: Group,
}

const fn f(name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef { name, ty, required: false, group: Group::Main }
}

const fn req(name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef { name, ty, required: true, group: Group::Main }
}

const fn g(group: Group, name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef { name, ty, required: false, group }
}

const LINE: FieldType = FieldType::Line(300);
const TEXT: FieldType = FieldType::Text(20_000);

const EVENT: &[FieldDef] = &[
    req("title", FieldType::Line(200)),
    f("initial_date", FieldType::Date),
    f("final_date", FieldType::Date),
    f("region", FieldType::Code("region")),
    f("exact_location", LINE),
    f("description", TEXT),
    f("impact", LINE),
    f("violation_status", FieldType::Code("MT41")),
    f("reprisal_targets", FieldType::Codes("reprisal_target")),
    f("remarks", TEXT),
];

const ACT: &[FieldDef] = &[
    req("event", FieldType::Ref(Target::Event)),
    req("victim", FieldType::Ref(Target::Person)),
    req("act_type", FieldType::Code("MT04")),
    f("initial_date", FieldType::Date),
    f("final_date", FieldType::Date),
    f("location_type", FieldType::Code("MT17")),
    f("facility", FieldType::Ref(Target::Facility)),
    f("exact_location", LINE),
    f("stated_reason", TEXT),
    f("methods", FieldType::Codes("MT05")),
    f("attribution", FieldType::Codes("MT28")),
    f("physical_consequences", TEXT),
    f("psychological_consequences", TEXT),
    f("age", FieldType::Count(120)),
    f("victim_status", FieldType::Code("MT25")),
    f("characteristics", FieldType::Codes("MT23")),
    f("national_legislation", FieldType::Codes("legal_qual")),
    g(Group::Arrest, "detention_conditions", TEXT),
    g(Group::Arrest, "whereabouts", FieldType::Codes("MT30")),
    g(Group::Arrest, "de_facto_detention_at", FieldType::Moment),
    g(Group::Arrest, "registered_at", FieldType::Moment),
    g(Group::Arrest, "rights_explained", FieldType::Tri),
    g(Group::Arrest, "family_notified_at", FieldType::Moment),
    g(Group::Arrest, "lawyer_first_access_at", FieldType::Moment),
    g(Group::Arrest, "lawyer_kind", FieldType::Code("MT31")),
    g(Group::Arrest, "medical_exam_on_admission", FieldType::Tri),
    g(Group::Arrest, "brought_before_judge_at", FieldType::Moment),
    g(Group::Arrest, "held_incommunicado", FieldType::Tri),
    g(Group::Torture, "statements_signed", FieldType::Codes("MT36")),
    g(Group::Torture, "medical_attention", FieldType::Codes("MT37")),
    g(Group::Torture, "intent", FieldType::Codes("MT38")),
    g(Group::Torture, "confession_used_in_court", FieldType::Tri),
    g(Group::Torture, "retracted_in_court", FieldType::Tri),
    g(Group::Killing, "autopsy", FieldType::Code("MT34")),
    g(Group::Killing, "death_certificate", FieldType::Code("MT35")),
    g(Group::Killing, "official_cause_of_death", TEXT),
    g(Group::Killing, "independent_autopsy", FieldType::Tri),
];

const INVOLVEMENT: &[FieldDef] = &[
    req("act", FieldType::Ref(Target::Act)),
    req("perpetrator", FieldType::Ref(Target::Person)),
    f("degree", FieldType::Code("MT18")),
    f("perpetrator_type", FieldType::Codes("MT24")),
    f("agency", FieldType::Code("agency")),
    f("latest_status", FieldType::Code("MT26")),
    f("identified", FieldType::Flag),
    f("remarks", TEXT),
];

const INFORMATION: &[FieldDef] = &[
    req("source", FieldType::Ref(Target::Person)),
    f("event", FieldType::Ref(Target::Event)),
    f("related_person", FieldType::Ref(Target::Person)),
    f("connection", FieldType::Code("MT19")),
    f("material_date", FieldType::Date),
    f("material_types", FieldType::Codes("MT16")),
    f("reliability", FieldType::Code("MT42")),
    f("remarks", TEXT),
];

const INTERVENTION: &[FieldDef] = &[
    req("party", FieldType::Ref(Target::Person)),
    f("event", FieldType::Ref(Target::Event)),
    f("victim", FieldType::Ref(Target::Person)),
    f("intervention_types", FieldType::Codes("MT20")),
    f("intervention_date", FieldType::Date),
    f("parties_requested", LINE),
    f("response", FieldType::Code("MT27")),
    f("impact_on_situation", FieldType::Code("MT44")),
    f("intervention_status", FieldType::Code("MT45")),
    f("remarks", TEXT),
];

const CHAIN: &[FieldDef] = &[
    req("event", FieldType::Ref(Target::Event)),
    req("related_event", FieldType::Ref(Target::Event)),
    req("chain_type", FieldType::Code("MT22")),
    f("remarks", TEXT),
];

const FACILITY: &[FieldDef] = &[
    req("name", FieldType::Line(200)),
    req("facility_type", FieldType::Code("facility_type")),
    f("authority", FieldType::Code("agency")),
    f("region", FieldType::Code("region")),
    f("address", LINE),
    f("capacity", FieldType::Count(100_000)),
    f("remarks", TEXT),
];

const PROCEEDING: &[FieldDef] = &[
    req("proceeding_kind", FieldType::Code("proceeding_kind")),
    req("title", FieldType::Line(200)),
    f("parent", FieldType::Ref(Target::Proceeding)),
    f("our_role", FieldType::Code("our_role")),
    f("client", FieldType::Ref(Target::Person)),
    f("procedural_status", FieldType::Code("procedural_status")),
    f("forum", FieldType::Code("forum")),
    f("authority", LINE),
    f("external_ref", FieldType::Line(200)),
    f("legal_qualification", FieldType::Codes("legal_qual")),
    f("initial_date", FieldType::Date),
    f("remarks", TEXT),
    g(Group::Civil, "defendant", LINE),
    g(Group::Civil, "claimed", FieldType::Money),
    g(Group::Civil, "legal_basis", LINE),
    g(Group::Civil, "awarded", FieldType::Money),
    g(Group::Civil, "judgment_in_force", FieldType::Date),
    g(Group::Civil, "writ_issued", FieldType::Date),
    g(Group::Un, "un_body", FieldType::Code("un_body")),
    g(Group::Un, "communication_no", FieldType::Line(200)),
    g(Group::Un, "articles_invoked", LINE),
    g(Group::Un, "interim_measures", FieldType::Code("interim_measures")),
    g(Group::Un, "violations_found", LINE),
    g(Group::Un, "remedies", TEXT),
    g(Group::Un, "followup_due", FieldType::Date),
    g(Group::Un, "followup_grade", FieldType::Code("hrc_grade")),
];

const ACCUSED: &[FieldDef] = &[
    req("proceeding", FieldType::Ref(Target::Proceeding)),
    req("involvement", FieldType::Ref(Target::Involvement)),
    f("charges", FieldType::Codes("legal_qual")),
    f("charge_details", LINE),
    g(Group::Verdict, "verdict", FieldType::Code("verdict")),
    g(Group::Verdict, "penalty_kind", FieldType::Code("penalty_kind")),
    g(Group::Verdict, "term_months", FieldType::Count(600)),
    g(Group::Verdict, "regime", LINE),
    g(Group::Verdict, "additional_penalty", LINE),
    g(Group::Verdict, "amnesty_applied", FieldType::Tri),
    g(Group::Verdict, "in_force_date", FieldType::Date),
    g(Group::Verdict, "appeal_outcome", LINE),
    f("remarks", TEXT),
];

const PAYMENT: &[FieldDef] = &[
    req("proceeding", FieldType::Ref(Target::Proceeding)),
    req("payment_date", FieldType::Date),
    req("amount", FieldType::Money),
    f("remarks", FieldType::Text(2_000)),
];

const EVALUATION: &[FieldDef] = &[
    req("subject", FieldType::Ref(Target::Person)),
    f("evaluation_date", FieldType::Date),
    f("requested_by", FieldType::Code("ip_requester")),
    f("request_ref", FieldType::Line(200)),
    f("reason_for_evaluation", TEXT),
    f("clinicians", TEXT),
    f("duration_minutes", FieldType::Count(1440)),
    g(Group::Conditions, "informed_consent", FieldType::Tri),
    g(Group::Conditions, "consent_refusal_reason", TEXT),
    g(Group::Conditions, "place", LINE),
    g(Group::Conditions, "in_custody", FieldType::Tri),
    g(Group::Conditions, "interpreter_used", FieldType::Tri),
    g(Group::Conditions, "interpreter", LINE),
    g(Group::Conditions, "accompanied_by", LINE),
    g(Group::Conditions, "persons_present", TEXT),
    g(Group::Conditions, "subject_restrained", FieldType::Tri),
    g(Group::Conditions, "restraint_details", TEXT),
    g(Group::Conditions, "truthfulness_statement", FieldType::Flag),
    g(Group::History, "general_background", TEXT),
    g(Group::History, "medical_history", TEXT),
    g(Group::History, "detention_history", TEXT),
    g(Group::History, "allegations", TEXT),
    g(Group::History, "ip_methods", FieldType::Codes("ip_method")),
    g(Group::History, "loss_of_consciousness", FieldType::Tri),
    g(Group::History, "sexual_violence", FieldType::Tri),
    g(Group::Physical, "acute_symptoms", TEXT),
    g(Group::Physical, "chronic_symptoms", TEXT),
    g(Group::Physical, "treatment_received", TEXT),
    g(Group::Physical, "exam_general", TEXT),
    g(Group::Physical, "exam_skin", TEXT),
    g(Group::Physical, "exam_face_head", TEXT),
    g(Group::Physical, "exam_ent", TEXT),
    g(Group::Physical, "exam_oral", TEXT),
    g(Group::Physical, "exam_chest_abdomen", TEXT),
    g(Group::Physical, "exam_genito_urinary", TEXT),
    g(Group::Physical, "exam_musculoskeletal", TEXT),
    g(Group::Physical, "exam_nervous", TEXT),
    g(Group::Psychological, "psy_methods", TEXT),
    g(Group::Psychological, "psy_complaints", TEXT),
    g(Group::Psychological, "psy_pre_torture", TEXT),
    g(Group::Psychological, "psy_post_torture", TEXT),
    g(Group::Psychological, "psy_past_psychiatric", TEXT),
    g(Group::Psychological, "psy_substance_use", TEXT),
    g(Group::Psychological, "psy_mental_status", TEXT),
    g(Group::Psychological, "psy_social_functioning", TEXT),
    g(Group::Psychological, "psy_testing", TEXT),
    g(Group::Psychological, "psy_neuropsychological", TEXT),
    g(Group::Psychological, "psy_diagnoses", TEXT),
    g(Group::Psychological, "psy_consistency", FieldType::Code("ip_consistency")),
    g(Group::Interpretation, "diagnostic_tests", TEXT),
    g(Group::Interpretation, "consultations", TEXT),
    g(Group::Interpretation, "photographs", TEXT),
    g(Group::Interpretation, "physical_interpretation", TEXT),
    g(Group::Interpretation, "psychological_interpretation", TEXT),
    g(Group::Conclusions, "overall_consistency", FieldType::Code("ip_consistency")),
    g(Group::Conclusions, "current_symptoms", TEXT),
    g(Group::Conclusions, "social_effects", TEXT),
    g(Group::Conclusions, "ip_recommendations", TEXT),
    g(Group::Conclusions, "restrictions_statement", TEXT),
];

const FINDING: &[FieldDef] = &[
    req("body_region", FieldType::Code("body_region")),
    req("lesion_type", FieldType::Code("lesion")),
    f("size_mm", FieldType::Count(2_000)),
    f("shape", LINE),
    f("colour", LINE),
    f("age_estimate", LINE),
    f("description", TEXT),
    f("attributed_method", FieldType::Code("ip_method")),
    f("consistency", FieldType::Code("ip_consistency")),
    f("differential_causes", TEXT),
    f("photo_refs", LINE),
];

const TRAINING: &[FieldDef] = &[
    req("title", FieldType::Line(200)),
    req("training_kind", FieldType::Code("training_kind")),
    req("initial_date", FieldType::Date),
    f("final_date", FieldType::Date),
    f("region", FieldType::Code("region")),
    f("organisers", LINE),
    f("curriculum", LINE),
    f("pre_test_avg", FieldType::Count(100)),
    f("post_test_avg", FieldType::Count(100)),
    f("certificates_issued", FieldType::Count(10_000)),
    f("remarks", TEXT),
];

const EPISODE: &[FieldDef] = &[
    req("client", FieldType::Ref(Target::Person)),
    req("client_relation", FieldType::Code("rehab_client")),
    req("referred_at", FieldType::Date),
    f("referred_by", LINE),
    f("referral_reason", TEXT),
    f("provider_org", LINE),
    f("practitioner", LINE),
    f("service_kinds", FieldType::Codes("rehab_service")),
    g(Group::Assessment, "baseline_instrument", FieldType::Code("rehab_instrument")),
    g(Group::Assessment, "baseline_score", FieldType::Line(100)),
    g(Group::Assessment, "plan", TEXT),
    g(Group::Outcome, "outcome_instrument", FieldType::Code("rehab_instrument")),
    g(Group::Outcome, "outcome_score", FieldType::Line(100)),
    g(Group::Outcome, "outcome", TEXT),
    g(Group::Outcome, "ended_at", FieldType::Date),
];

const SESSION: &[FieldDef] = &[
    req("session_date", FieldType::Date),
    req("modality", FieldType::Code("rehab_modality")),
    f("duration_minutes", FieldType::Count(600)),
    f("practitioner", LINE),
    f("missed", FieldType::Flag),
    f("notes", TEXT),
];

const VISIT: &[FieldDef] = &[
    req("facility", FieldType::Ref(Target::Facility)),
    req("initial_date", FieldType::Date),
    f("final_date", FieldType::Date),
    req("visit_type", FieldType::Code("visit_type")),
    req("notice", FieldType::Code("visit_notice")),
    f("mandate", FieldType::Code("visit_mandate")),
    f("focus", LINE),
    f("previous_visit", FieldType::Ref(Target::Visit)),
    g(Group::Access, "access", FieldType::Code("visit_access")),
    g(Group::Access, "refused_areas", TEXT),
    g(Group::Access, "refused_documents", TEXT),
    g(Group::Access, "delay_minutes", FieldType::Count(1440)),
    g(Group::Population, "population_total", FieldType::Count(100_000)),
    g(Group::Population, "population_men", FieldType::Count(100_000)),
    g(Group::Population, "population_women", FieldType::Count(100_000)),
    g(Group::Population, "population_juveniles", FieldType::Count(100_000)),
    g(Group::Population, "population_pretrial", FieldType::Count(100_000)),
    g(Group::Population, "population_convicted", FieldType::Count(100_000)),
    g(Group::Population, "population_foreigners", FieldType::Count(100_000)),
    g(Group::Population, "population_isolation", FieldType::Count(100_000)),
    g(Group::Interviews, "registers_reviewed", FieldType::Codes("visit_register")),
    g(Group::Interviews, "interviews_private", FieldType::Count(10_000)),
    g(Group::Interviews, "interviews_group", FieldType::Count(10_000)),
    g(Group::Interviews, "interviews_staff", FieldType::Count(10_000)),
    g(Group::Interviews, "private_conditions_ok", FieldType::Tri),
    g(Group::Aftermath, "debrief_held", FieldType::Tri),
    g(Group::Aftermath, "debrief_notes", TEXT),
    g(Group::Aftermath, "report_sent", FieldType::Date),
    g(Group::Aftermath, "report_recipient", LINE),
    g(Group::Aftermath, "report_public", FieldType::Flag),
    g(Group::Aftermath, "response_received", FieldType::Date),
    g(Group::Aftermath, "response_summary", TEXT),
    g(Group::Aftermath, "reprisal_check_date", FieldType::Date),
    g(Group::Aftermath, "reprisal_check_result", TEXT),
    f("remarks", TEXT),
];

const VISIT_FINDING: &[FieldDef] = &[
    req("visit", FieldType::Ref(Target::Visit)),
    req("area", FieldType::Code("monitoring_area")),
    req("severity", FieldType::Code("finding_severity")),
    req("description", TEXT),
    f("standard_refs", LINE),
    f("remarks", TEXT),
];

const VISIT_RECOMMENDATION: &[FieldDef] = &[
    req("visit", FieldType::Ref(Target::Visit)),
    f("finding", FieldType::Ref(Target::VisitFinding)),
    req("recommendation_text", TEXT),
    req("responsible_body", FieldType::Code("agency")),
    f("addressee", LINE),
    f("priority", FieldType::Code("priority")),
    f("due_date", FieldType::Date),
    f("un_recommendation", FieldType::Ref(Target::UnRecommendation)),
    f("remarks", TEXT),
];

const UN_DOCUMENT: &[FieldDef] = &[
    req("title", LINE),
    req("mechanism", FieldType::Code("un_mechanism")),
    f("symbol", FieldType::Line(100)),
    f("doc_type", FieldType::Code("un_doc_type")),
    f("session", LINE),
    f("adopted_date", FieldType::Date),
    f("issued_date", FieldType::Date),
    f("read_status", LINE),
    f("remarks", TEXT),
];

const UN_RECOMMENDATION: &[FieldDef] = &[
    req("mechanism", FieldType::Code("un_mechanism")),
    f("symbol", FieldType::Line(100)),
    req("paragraph", FieldType::Line(40)),
    f("document", FieldType::Ref(Target::UnDocument)),
    f("document_date", FieldType::Date),
    f("summary_en", TEXT),
    f("summary_ru", TEXT),
    f("summary_tg", TEXT),
    f("recommending_state", LINE),
    f("upr_position", FieldType::Code("upr_position")),
    f("followup", FieldType::Flag),
    f("followup_due", FieldType::Date),
    f("verified", FieldType::Flag),
    f("source_note", TEXT),
    g(Group::Official, "text_en", TEXT),
    g(Group::Official, "text_ru", TEXT),
    g(Group::Official, "uhri_themes", FieldType::Codes("uhri_theme")),
    g(Group::Official, "affected_persons", FieldType::Codes("affected_persons")),
    g(Group::Official, "sdg_targets", LINE),
    g(Group::Official, "external_id", FieldType::Line(100)),
    g(Group::Tracking, "themes", FieldType::Codes("un_theme")),
    g(Group::Tracking, "responsible_bodies", FieldType::Codes("agency")),
    g(Group::Tracking, "convention_articles", LINE),
    g(Group::Tracking, "nap_item", LINE),
    g(Group::Tracking, "cluster", LINE),
    g(Group::Tracking, "repeated_from", FieldType::Ref(Target::UnRecommendation)),
    g(Group::Tracking, "remarks", TEXT),
];

const MEETING: &[FieldDef] = &[
    req("initial_date", FieldType::Date),
    req("meeting_kind", FieldType::Code("meeting_kind")),
    req("counterpart", LINE),
    f("counterpart_type", FieldType::Code("counterpart_type")),
    f("themes", FieldType::Codes("un_theme")),
    f("participants", FieldType::Count(1_000)),
    f("un_recommendation", FieldType::Ref(Target::UnRecommendation)),
    f("meeting_outcome", TEXT),
    f("remarks", TEXT),
];

/// A material published. The site's fields (`lang`, `translation_of`, `summary`, `body` in
/// Markdown, `tags`, `authors`) make it a page of the public site once it is published
/// (`crate::site`); `remarks` stay internal whatever happens.
const PUBLICATION: &[FieldDef] = &[
    req("title", LINE),
    req("publication_kind", FieldType::Code("publication_kind")),
    req("initial_date", FieldType::Date),
    f("lang", FieldType::Code("language")),
    f("translation_of", FieldType::Ref(Target::Publication)),
    f("authors", LINE),
    f("tags", LINE),
    f("summary", FieldType::Text(1_000)),
    f("body", FieldType::Text(crate::site::MAX_BODY_CHARS)),
    f("cited_cases", LINE),
    f("languages", FieldType::Codes("language")),
    f("mechanism", FieldType::Code("un_mechanism")),
    f("url", LINE),
    f("remarks", TEXT),
];

/// The fields of a UN recommendation an import of the official index may set or correct: the
/// UN's own data. Everything else (our summaries, themes, bodies, plan items, whether a person
/// confirmed it against the official text, and the assessments kept apart) is the coalition's
/// and an import never changes it.
pub const UN_OFFICIAL_FIELDS: &[&str] = &[
    "mechanism",
    "symbol",
    "paragraph",
    "document_date",
    "recommending_state",
    "upr_position",
    "text_en",
    "text_ru",
    "uhri_themes",
    "affected_persons",
    "sdg_targets",
    "external_id",
];

/// A field's value. Absent values are not stored at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text (line or free text).
    Text(String),
    /// A vocabulary code.
    Code(String),
    /// Vocabulary codes, in the list's order as submitted, without repeats.
    Codes(Vec<String>),
    /// A partial date.
    Date(PartialDate),
    /// A moment (stored in UTC).
    Moment(OffsetDateTime),
    /// Yes / no (unknown is not stored).
    Tri(Tri),
    /// A count.
    Count(u32),
    /// A set checkbox.
    Flag,
    /// A reference, by id.
    Ref(String),
    /// An amount in diram.
    Money(crate::legal::Money),
}

/// The values of one record, by field name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Data(BTreeMap<&'static str, Value>);

/// Why a submitted value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required field is empty.
    Required,
    /// Too long, or holds control characters.
    BadText,
    /// Not a whole number in range.
    BadCount,
    /// A date that does not exist.
    BadDate(PartialDateError),
    /// A moment that does not parse.
    BadMoment,
    /// The end is before the start.
    EndBeforeStart,
    /// A record linked to itself.
    SelfLink,
    /// A value that is not among the choices (a forged or stale form).
    BadChoice,
    /// Not an amount of money (digits, a decimal comma, at most two decimals).
    BadMoney,
    /// A field that does not belong to this kind of proceeding.
    NotForKind,
    /// A value that cannot change once the record exists.
    Immutable,
}

impl Problem {
    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Problem::Required => "record-problem-required",
            Problem::BadText => "record-problem-text",
            Problem::BadCount => "record-problem-count",
            Problem::BadDate(PartialDateError::Year) => "date-bad-year",
            Problem::BadDate(PartialDateError::Month) => "date-bad-month",
            Problem::BadDate(PartialDateError::Day) => "date-bad-day",
            Problem::BadMoment => "record-problem-moment",
            Problem::EndBeforeStart => "record-problem-end-before-start",
            Problem::SelfLink => "record-problem-self-link",
            Problem::BadChoice => "record-problem-choice",
            Problem::BadMoney => "record-problem-money",
            Problem::NotForKind => "record-problem-not-for-kind",
            Problem::Immutable => "record-problem-immutable",
        }
    }
}

/// A refused field and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field.
    pub field: &'static str,
    /// Why.
    pub problem: Problem,
}

/// The form input: every value submitted under a name (a checkbox list submits several).
pub trait Input {
    /// All values submitted under `name`.
    fn all(&self, name: &str) -> Vec<&str>;
    /// The first value under `name`, or "".
    fn one(&self, name: &str) -> &str {
        self.all(name).into_iter().next().unwrap_or("")
    }
}

/// Cleans submitted text: trimmed, at most `max` characters, no control characters (a `line` allows
/// none at all, free text allows tabs and line breaks, which come back as `\n`).
pub fn clean_text(text: &str, max: usize, line: bool) -> Result<String, Problem> {
    let text = text.trim();
    let allowed_in_text = |c: char| !line && matches!(c, '\n' | '\r' | '\t');
    let bad_char = |c: char| c.is_control() && !allowed_in_text(c);
    if text.chars().count() > max || text.chars().any(bad_char) {
        return Err(Problem::BadText);
    }
    Ok(text.replace("\r\n", "\n"))
}

/// Parses `2024-03-12T14:30` (a `datetime-local` input) as Dushanbe time.
pub fn parse_moment(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = PrimitiveDateTime::parse(text.trim(), &format).ok()?;
    (1900..=2100).contains(&local.year()).then(|| local.assume_offset(DUSHANBE))
}

/// Formats a moment for a `datetime-local` input, in Dushanbe time.
pub fn moment_input(at: OffsetDateTime) -> String {
    let local = at.to_offset(DUSHANBE);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

impl Data {
    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Sets a field (for imports and tests; forms go through `parse`).
    pub fn set(&mut self, field: &'static FieldDef, value: Value) {
        self.0.insert(field.name, value);
    }

    /// Text of a field, if set.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Value::Text(t) | Value::Code(t) | Value::Ref(t)) => Some(t),
            _ => None,
        }
    }

    /// Codes of a multi-choice field (empty if unset); a single code as one.
    pub fn codes(&self, name: &str) -> Vec<&str> {
        match self.0.get(name) {
            Some(Value::Codes(c)) => c.iter().map(String::as_str).collect(),
            Some(Value::Code(c)) => vec![c.as_str()],
            _ => Vec::new(),
        }
    }

    /// An amount field.
    pub fn money(&self, name: &str) -> Option<crate::legal::Money> {
        match self.0.get(name) {
            Some(Value::Money(m)) => Some(*m),
            _ => None,
        }
    }

    /// A date field.
    pub fn date(&self, name: &str) -> Option<PartialDate> {
        match self.0.get(name) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }

    /// Every set field and its value, in schema order.
    pub fn iter<'a>(&'a self, kind: Kind) -> impl Iterator<Item = (&'static FieldDef, &'a Value)> + 'a {
        kind.fields().iter().filter_map(|f| self.0.get(f.name).map(|v| (f, v)))
    }

    /// Parses a submitted form against the schema of `kind`. Vocabulary codes and references are
    /// checked for shape only here; whether they exist (and belong to the same case) is the
    /// caller's check, since it needs the store.
    pub fn parse(kind: Kind, input: &dyn Input) -> Result<Data, Vec<FieldError>> {
        let mut data = BTreeMap::new();
        let mut errors = Vec::new();
        for field in kind.fields() {
            let name = field.name;
            let parsed: Result<Option<Value>, Problem> =
                match field.ty {
                    FieldType::Line(max) => clean_text(input.one(name), max, true)
                        .map(|t| (!t.is_empty()).then_some(Value::Text(t))),
                    FieldType::Text(max) => clean_text(input.one(name), max, false)
                        .map(|t| (!t.is_empty()).then_some(Value::Text(t))),
                    FieldType::Code(_) => code_shape(input.one(name)).map(|c| c.map(Value::Code)),
                    FieldType::Codes(_) => {
                        let mut codes: Vec<String> = Vec::new();
                        let mut problem = None;
                        for raw in input.all(name) {
                            match code_shape(raw) {
                                Ok(Some(c)) if !codes.contains(&c) => codes.push(c),
                                Ok(_) => {}
                                Err(p) => problem = Some(p),
                            }
                        }
                        match problem {
                            Some(p) => Err(p),
                            None => Ok((!codes.is_empty()).then_some(Value::Codes(codes))),
                        }
                    }
                    FieldType::Date => {
                        let part = |p: &str| input.one(&format!("{name}.{p}")).to_owned();
                        PartialDate::from_fields(&part("y"), &part("m"), &part("d"), part("est") == "on")
                            .map(|d| d.map(Value::Date))
                            .map_err(Problem::BadDate)
                    }
                    FieldType::Moment => {
                        let raw = input.one(name).trim();
                        if raw.is_empty() {
                            Ok(None)
                        } else {
                            parse_moment(raw).map(|m| Some(Value::Moment(m))).ok_or(Problem::BadMoment)
                        }
                    }
                    FieldType::Tri => match input.one(name) {
                        "yes" => Ok(Some(Value::Tri(Tri::Yes))),
                        "no" => Ok(Some(Value::Tri(Tri::No))),
                        "" | "unknown" => Ok(None),
                        _ => Err(Problem::BadChoice),
                    },
                    FieldType::Count(max) => {
                        let raw = input.one(name).trim();
                        if raw.is_empty() {
                            Ok(None)
                        } else {
                            raw.parse::<u32>()
                                .ok()
                                .filter(|n| *n <= max)
                                .map(|n| Some(Value::Count(n)))
                                .ok_or(Problem::BadCount)
                        }
                    }
                    FieldType::Flag => Ok((input.one(name) == "on").then_some(Value::Flag)),
                    FieldType::Money => {
                        let raw = input.one(name).trim();
                        if raw.is_empty() {
                            Ok(None)
                        } else {
                            crate::legal::Money::parse(raw)
                                .map(|m| Some(Value::Money(m)))
                                .ok_or(Problem::BadMoney)
                        }
                    }
                    FieldType::Ref(_) => {
                        let raw = input.one(name).trim();
                        if raw.is_empty() {
                            Ok(None)
                        } else {
                            RecordId::parse(raw)
                                .map(|id| Some(Value::Ref(id.to_string())))
                                .ok_or(Problem::BadChoice)
                        }
                    }
                };
            match parsed {
                Ok(Some(value)) => {
                    data.insert(name, value);
                }
                Ok(None) if field.required => {
                    errors.push(FieldError { field: name, problem: Problem::Required })
                }
                Ok(None) => {}
                Err(problem) => errors.push(FieldError { field: name, problem }),
            }
        }
        let data = Data(data);
        errors.extend(data.consistency(kind));
        if errors.is_empty() { Ok(data) } else { Err(errors) }
    }

    /// Checks across fields: an end is not before its start; a chain does not link an event to
    /// itself.
    fn consistency(&self, kind: Kind) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let (Some(start), Some(end)) = (self.date("initial_date"), self.date("final_date"))
            && end.latest() < start.date()
        {
            errors.push(FieldError { field: "final_date", problem: Problem::EndBeforeStart });
        }
        let moment = |n: &str| match self.0.get(n) {
            Some(Value::Moment(m)) => Some(*m),
            _ => None,
        };
        if let Some(detained) = moment("de_facto_detention_at") {
            for later in
                ["registered_at", "family_notified_at", "lawyer_first_access_at", "brought_before_judge_at"]
            {
                if moment(later).is_some_and(|m| m < detained) {
                    let field = kind.field(later).map_or("de_facto_detention_at", |f| f.name);
                    errors.push(FieldError { field, problem: Problem::EndBeforeStart });
                }
            }
        }
        if kind == Kind::Proceeding {
            let proceeding = self.text("proceeding_kind").and_then(crate::legal::ProceedingKind::parse);
            if self.text("proceeding_kind").is_some() && proceeding.is_none() {
                errors.push(FieldError { field: "proceeding_kind", problem: Problem::BadChoice });
            }
            for field in kind.fields() {
                let belongs = match field.group {
                    Group::Civil => proceeding == Some(crate::legal::ProceedingKind::CivilClaim),
                    Group::Un => proceeding == Some(crate::legal::ProceedingKind::UnCommunication),
                    _ => true,
                };
                if !belongs && self.0.contains_key(field.name) {
                    errors.push(FieldError { field: field.name, problem: Problem::NotForKind });
                }
            }
        }
        if kind == Kind::UnRecommendation && self.text("mechanism") != Some("UPR") {
            for field in ["upr_position", "recommending_state"] {
                if self.0.contains_key(field) {
                    errors.push(FieldError { field, problem: Problem::NotForKind });
                }
            }
        }
        if kind == Kind::Chain
            && self.text("event").is_some()
            && self.text("event") == self.text("related_event")
        {
            errors.push(FieldError { field: "related_event", problem: Problem::SelfLink });
        }
        errors
    }

    /// Every reference: field and target kind and id.
    pub fn refs(&self, kind: Kind) -> Vec<(&'static str, Target, &str)> {
        kind.fields()
            .iter()
            .filter_map(|f| match (f.ty, self.0.get(f.name)) {
                (FieldType::Ref(target), Some(Value::Ref(id))) => Some((f.name, target, id.as_str())),
                _ => None,
            })
            .collect()
    }

    /// Every vocabulary code with its list.
    pub fn vocab_codes(&self, kind: Kind) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        for f in kind.fields() {
            match (f.ty, self.0.get(f.name)) {
                (FieldType::Code(list), Some(Value::Code(c))) => out.push((list, c.as_str())),
                (FieldType::Codes(list), Some(Value::Codes(cs))) => {
                    out.extend(cs.iter().map(|c| (list, c.as_str())));
                }
                _ => {}
            }
        }
        out
    }

    /// All free text of the record (for the search index).
    pub fn texts(&self, kind: Kind) -> Vec<&str> {
        kind.fields()
            .iter()
            .filter_map(|f| match (f.ty, self.0.get(f.name)) {
                (FieldType::Line(_) | FieldType::Text(_), Some(Value::Text(t))) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The date a timeline sorts by: the start if known, else the end.
    pub fn sort_date(&self) -> Option<Date> {
        self.date("initial_date")
            .or_else(|| self.date("final_date"))
            .or_else(|| self.date("intervention_date"))
            .or_else(|| self.date("material_date"))
            .or_else(|| self.date("payment_date"))
            .map(PartialDate::date)
    }

    /// The stored JSON form.
    pub fn to_json(&self) -> Json {
        self.json(false)
    }

    /// The form for data exchange: as stored, but moments written as RFC 3339 text in UTC rather
    /// than seconds (amounts stay whole diram, dates stay partial with their precision).
    pub fn to_exchange_json(&self) -> Json {
        self.json(true)
    }

    fn json(&self, moments_as_text: bool) -> Json {
        let mut map = Map::new();
        for (name, value) in &self.0 {
            let v = match value {
                Value::Text(t) | Value::Code(t) | Value::Ref(t) => json!(t),
                Value::Codes(c) => json!(c),
                Value::Date(d) => json!({ "date": d.date().to_string(), "precision": d.precision().code() }),
                Value::Moment(m) if moments_as_text => json!(
                    m.to_offset(time::UtcOffset::UTC)
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_else(|_| m.unix_timestamp().to_string())
                ),
                Value::Moment(m) => json!(m.unix_timestamp()),
                Value::Tri(t) => json!(t.code()),
                Value::Count(n) => json!(n),
                Value::Flag => json!(true),
                Value::Money(m) => json!(m.0),
            };
            map.insert((*name).to_owned(), v);
        }
        Json::Object(map)
    }

    /// Reads the stored JSON form against the schema; unknown keys (from a newer version) and
    /// values of the wrong shape are skipped rather than trusted.
    pub fn from_json(kind: Kind, json: &Json) -> Data {
        let mut data = BTreeMap::new();
        let Some(map) = json.as_object() else { return Data(data) };
        for field in kind.fields() {
            let Some(v) = map.get(field.name) else { continue };
            let value = match field.ty {
                FieldType::Line(_) | FieldType::Text(_) => v.as_str().map(|s| Value::Text(s.to_owned())),
                FieldType::Code(_) => v.as_str().map(|s| Value::Code(s.to_owned())),
                FieldType::Ref(_) => v.as_str().map(|s| Value::Ref(s.to_owned())),
                FieldType::Codes(_) => v
                    .as_array()
                    .map(|a| Value::Codes(a.iter().filter_map(|c| c.as_str().map(str::to_owned)).collect())),
                FieldType::Date => {
                    let date = v.get("date").and_then(Json::as_str).and_then(crate::dates::parse_iso_day);
                    let precision = v.get("precision").and_then(Json::as_str).and_then(DatePrecision::parse);
                    date.zip(precision).map(|(d, p)| Value::Date(PartialDate::from_stored(d, p)))
                }
                FieldType::Moment => {
                    v.as_i64().and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()).map(Value::Moment)
                }
                FieldType::Tri => v.as_str().map(|s| Value::Tri(Tri::parse(s))),
                FieldType::Count(_) => v.as_u64().and_then(|n| u32::try_from(n).ok()).map(Value::Count),
                FieldType::Flag => v.as_bool().filter(|b| *b).map(|_| Value::Flag),
                FieldType::Money => v
                    .as_i64()
                    .filter(|n| (0..=crate::legal::MAX_DIRAM).contains(n))
                    .map(|n| Value::Money(crate::legal::Money(n))),
            };
            if let Some(value) = value {
                data.insert(field.name, value);
            }
        }
        Data(data)
    }
}

/// A code as submitted: empty → none; letters, digits, dots, dashes and underscores up to 40
/// characters; anything else is a forged value.
fn code_shape(raw: &str) -> Result<Option<String>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.len() > 40 || !raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err(Problem::BadChoice);
    }
    Ok(Some(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Form(Vec<(&'static str, &'static str)>);

    impl Input for Form {
        fn all(&self, name: &str) -> Vec<&str> {
            self.0.iter().filter(|(k, _)| *k == name).map(|(_, v)| *v).collect()
        }
    }

    const EVENT_ID: &str = "01900000-0000-7000-8000-000000000001";
    const PERSON_ID: &str = "01900000-0000-7000-8000-000000000002";

    #[test]
    fn every_schema_is_well_formed() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.code()), Some(kind));
            let mut names: Vec<_> = kind.fields().iter().map(|f| f.name).collect();
            let count = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), count, "{kind:?} repeats a field");
            assert!(kind.fields().iter().any(|f| f.required), "{kind:?} has no required field");
        }
    }

    #[test]
    fn an_act_with_partial_dates_and_safeguards_round_trips_through_json() {
        let form = Form(vec![
            ("event", EVENT_ID),
            ("victim", PERSON_ID),
            ("act_type", "02011111"),
            ("initial_date.y", "2024"),
            ("initial_date.m", "3"),
            ("final_date.y", "2024"),
            ("methods", "0301"),
            ("methods", "0302"),
            ("methods", "0301"),
            ("de_facto_detention_at", "2024-03-12T14:30"),
            ("registered_at", "2024-03-14T09:00"),
            ("rights_explained", "no"),
            ("held_incommunicado", "unknown"),
            ("age", "17"),
            ("stated_reason", "  «хулиганство»\r\nвторая строка "),
        ]);
        let data = Data::parse(Kind::Act, &form).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(data.codes("methods"), vec!["0301", "0302"]);
        assert_eq!(data.get("held_incommunicado"), None, "unknown is not stored");
        assert_eq!(data.text("stated_reason"), Some("«хулиганство»\nвторая строка"));
        let start = data.date("initial_date").map(|d| (d.to_string(), d.precision()));
        assert_eq!(start, Some(("03.2024".into(), DatePrecision::DayUnknown)));
        let Some(Value::Moment(at)) = data.get("de_facto_detention_at") else { panic!("no moment") };
        assert_eq!(moment_input(*at), "2024-03-12T14:30");
        assert_eq!(at.to_offset(time::UtcOffset::UTC).hour(), 9, "entered in Dushanbe time");
        let back = Data::from_json(Kind::Act, &data.to_json());
        assert_eq!(back, data);
        assert_eq!(data.refs(Kind::Act).len(), 2);
        assert!(data.vocab_codes(Kind::Act).contains(&("MT05", "0302")));
    }

    #[test]
    fn bad_values_are_refused_field_by_field() {
        let form = Form(vec![
            ("event", "not-an-id"),
            ("act_type", "<script>"),
            ("initial_date.y", "2024"),
            ("initial_date.m", "2"),
            ("initial_date.d", "30"),
            ("age", "-3"),
            ("de_facto_detention_at", "yesterday"),
            ("rights_explained", "maybe"),
            ("exact_location", "line\u{0}break"),
        ]);
        let errors = Data::parse(Kind::Act, &form).err().unwrap_or_default();
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.problem)).collect();
        for expected in [
            ("event", Problem::BadChoice),
            ("victim", Problem::Required),
            ("act_type", Problem::BadChoice),
            ("initial_date", Problem::BadDate(PartialDateError::Day)),
            ("age", Problem::BadCount),
            ("de_facto_detention_at", Problem::BadMoment),
            ("rights_explained", Problem::BadChoice),
            ("exact_location", Problem::BadText),
        ] {
            assert!(got.contains(&expected), "{expected:?} not in {got:?}");
        }
    }

    #[test]
    fn ends_before_starts_and_self_links_are_refused() {
        let event = Form(vec![
            ("title", "Задержание"),
            ("initial_date.y", "2024"),
            ("initial_date.m", "5"),
            ("final_date.y", "2024"),
            ("final_date.m", "4"),
        ]);
        let errors = Data::parse(Kind::Event, &event).err().unwrap_or_default();
        assert_eq!(errors, vec![FieldError { field: "final_date", problem: Problem::EndBeforeStart }]);
        // A day-unknown end in the same month as an exact start is fine.
        let same_month = Form(vec![
            ("title", "Задержание"),
            ("initial_date.y", "2024"),
            ("initial_date.m", "5"),
            ("initial_date.d", "20"),
            ("final_date.y", "2024"),
            ("final_date.m", "5"),
        ]);
        assert!(Data::parse(Kind::Event, &same_month).is_ok());
        let chain = Form(vec![("event", EVENT_ID), ("related_event", EVENT_ID), ("chain_type", "01")]);
        let errors = Data::parse(Kind::Chain, &chain).err().unwrap_or_default();
        assert_eq!(errors, vec![FieldError { field: "related_event", problem: Problem::SelfLink }]);
        let late = Form(vec![
            ("event", EVENT_ID),
            ("victim", PERSON_ID),
            ("act_type", "02011111"),
            ("de_facto_detention_at", "2024-03-12T14:30"),
            ("brought_before_judge_at", "2024-03-10T10:00"),
        ]);
        let errors = Data::parse(Kind::Act, &late).err().unwrap_or_default();
        assert_eq!(
            errors,
            vec![FieldError { field: "brought_before_judge_at", problem: Problem::EndBeforeStart }]
        );
    }

    #[test]
    fn stored_json_of_the_wrong_shape_is_skipped_not_trusted() {
        let json = json!({ "title": 42, "initial_date": { "date": "2024-13-01", "precision": "exact" },
                           "region": "DUS", "unknown_field": "x" });
        let data = Data::from_json(Kind::Event, &json);
        assert_eq!(data.text("title"), None);
        assert_eq!(data.date("initial_date"), None);
        assert_eq!(data.text("region"), Some("DUS"));
    }
}
