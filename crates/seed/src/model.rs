//! The generated records: plain data in the shape of the HURIDOCS model (DOMAIN.md sections 2-3).
//! Every `&'static str` code field holds a code of the vocabulary named in its documentation
//! (`crates/domain/data/vocabularies/*.toml`); cross-references are indices into the owning
//! [`Case::persons`] or into the facility slice given to [`crate::Generator::case`].

use time::{Date, Month};

/// The language a case is written in (narratives, titles, names as primarily spelled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Russian.
    Ru,
    /// Tajik (Cyrillic).
    Tg,
    /// English.
    En,
}

impl Lang {
    /// Every language.
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Tg, Lang::En];

    /// The UI language code: `ru`, `tg` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Tg => "tg",
            Lang::En => "en",
        }
    }

    /// Position in `[ru, tg, en]` triples.
    pub(crate) fn index(self) -> usize {
        match self {
            Lang::Ru => 0,
            Lang::Tg => 1,
            Lang::En => 2,
        }
    }
}

/// A place of detention (or other closed institution) in the facility register (DOMAIN.md 3.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facility {
    /// Russian name, as in official correspondence, e.g. "ИВС ОВД района Рудаки".
    pub name: String,
    /// Tajik name, e.g. "Изолятори муваққатии ШКД-и ноҳияи Рӯдакӣ".
    pub name_tg: String,
    /// English name, e.g. "Temporary Detention Facility (IVS) of the Rudaki District Police".
    pub name_en: String,
    /// Facility type, list `facility_type` (e.g. `TJ.FAC.IVS`).
    pub facility_type: &'static str,
    /// The State body running it, list `agency` (e.g. `MoIA`).
    pub authority: &'static str,
    /// Region, list `region`.
    pub region: &'static str,
    /// The town or district in Russian, e.g. "р-н Рудаки" or "г. Бохтар".
    pub locality: String,
    /// Index into the place table (for narratives).
    pub(crate) place: usize,
    /// Russian "in the facility" phrase with its preposition ("в ИВС …", "на гауптвахте …").
    pub(crate) ru_in: String,
    /// Russian "to the facility" phrase with its preposition ("в исправительную колонию …").
    pub(crate) ru_to: String,
}

/// The case status codes of the coalition workflow (DOMAIN.md 5.1, `ozodi_domain::CaseStatus`).
pub const CASE_STATUSES: [&str; 6] =
    ["intake-screening", "open", "active", "pending", "referred-out", "closed"];

/// One coalition case file with its documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Language of every free text in the case.
    pub lang: Lang,
    /// Short title; never contains a person's name ("Избиение в ИВС ОВД города Бохтар, 2023").
    pub title: String,
    /// A few sentences: what is reported and where the case stands.
    pub summary: String,
    /// Region, list `region`.
    pub region: &'static str,
    /// The hotline the case came in on, list `hotline`; `None` for walk-ins and referrals.
    pub hotline: Option<&'static str>,
    /// Workflow status, one of [`CASE_STATUSES`].
    pub status: &'static str,
    /// Day the case was opened.
    pub opened_on: Date,
    /// Everyone linked to the case: victims first, then perpetrators, then relatives and lawyers.
    pub persons: Vec<Person>,
    /// The events, in chronological order (1 to 3).
    pub events: Vec<Event>,
    /// The legal proceedings the coalition follows for the case (often none).
    pub legal: Vec<Proceeding>,
    /// Rehabilitation episodes (often none).
    pub rehab: Vec<Episode>,
    /// Medico-legal evaluations (often none).
    pub evaluations: Vec<Evaluation>,
}

/// A medico-legal evaluation after the Istanbul Protocol (DOMAIN.md 3.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// The person examined, index into [`Case::persons`].
    pub subject: usize,
    /// The day of the examination.
    pub day: Date,
    /// The overall conclusion, list `ip_consistency`.
    pub consistency: &'static str,
    /// The day it was signed, if it was (else it stays a draft).
    pub signed: Option<Date>,
}

/// A rehabilitation episode (DOMAIN.md 3.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Episode {
    /// The client, index into [`Case::persons`].
    pub client: usize,
    /// Victim or family member, list `rehab_client`.
    pub relation: &'static str,
    /// The day of the referral.
    pub referred: Date,
    /// Baseline instrument (list `rehab_instrument`) and score.
    pub baseline: Option<(&'static str, u32)>,
    /// The course after `REFERRED`: state and note (ending states carry one).
    pub steps: Vec<(&'static str, &'static str)>,
    /// Sessions: day and whether it was missed.
    pub sessions: Vec<(Date, bool)>,
}

impl Episode {
    /// Its state after its last step.
    pub fn state(&self) -> &'static str {
        self.steps.last().map_or("REFERRED", |s| s.0)
    }
}

/// A legal proceeding (DOMAIN.md 5.2-5.5), its stages walked through its machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proceeding {
    /// Kind, list `proceeding_kind` (`COMPLAINT`, `CRIMINAL`, `CIVIL`, `UN`).
    pub kind: &'static str,
    /// Title in the case language; never a name.
    pub title: String,
    /// The coalition's role, list `our_role`.
    pub our_role: &'static str,
    /// Where it is, list `forum`.
    pub forum: &'static str,
    /// The day it was filed or opened (its initial date).
    pub filed: Date,
    /// Legal qualification, list `legal_qual`.
    pub qualification: Vec<&'static str>,
    /// The steps after the kind's initial state, in order.
    pub steps: Vec<LegalStep>,
    /// The accused (criminal cases).
    pub accused: Vec<Accused>,
    /// Amount claimed, in diram (civil claims).
    pub claimed: Option<i64>,
    /// Amount awarded, in diram (civil claims that won a judgment).
    pub awarded: Option<i64>,
    /// The treaty body, list `un_body` (UN communications).
    pub un_body: Option<&'static str>,
}

/// One step of a proceeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalStep {
    /// The stage reached.
    pub to: &'static str,
    /// The decision ground, list `decision_ground`, for refusals and terminations.
    pub ground: Option<&'static str>,
    /// The day of the decision.
    pub on: Date,
    /// Payments recorded just before this step: day and amount in diram.
    pub payments: Vec<(Date, i64)>,
}

/// A perpetrator accused in a criminal case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accused {
    /// The involvement, by its place among the case's involvements in generation order (events,
    /// their acts, their involvements).
    pub involvement: usize,
    /// The verdict, list `verdict`, once there is one.
    pub verdict: Option<&'static str>,
}

/// A person or a group (ESF 09xx); roles come from the links that point at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Counting unit, list `MT07`: `01` individual, `03` group/organisation/institution.
    pub counting_unit: &'static str,
    /// Sex (MT39, no vocabulary file yet): `01` male, `02` female, `99` unknown; `None` for groups.
    pub sex: Option<&'static str>,
    /// Year of birth, when known.
    pub birth_year: Option<i32>,
    /// Who this is without naming anyone: a group description ("Сотрудники ОВД района Рудаки
    /// (личности не установлены)"), an officer's post, a relationship ("мать пострадавшего").
    pub description: Option<String>,
    /// Number of persons in a group (ESF 0931), when known.
    pub group_size: Option<u32>,
    /// The identifying data (vault, S3); `None` for unidentified groups.
    pub identity: Option<Identity>,
}

/// Identifying data of an individual: all invented. Empty strings mean "not known".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Full name as spelled in the case language ("Фирӯз Қурбонов", "Фируз Курбанов",
    /// "Firuz Kurbanov").
    pub name: String,
    /// The other spellings, separated by "; ": Tajik Cyrillic, Russian-style, plain Cyrillic
    /// without Tajik letters, Latin from the Russian and from the Tajik spelling.
    pub other_names: String,
    /// Invented phone number, `+992 00 …` (operator code 00 does not exist).
    pub phone: String,
    /// Invented postal address.
    pub address: String,
    /// Invented identity document ("паспорт № A00…").
    pub id_document: String,
    /// Date of birth, when known.
    pub date_of_birth: Option<Date>,
}

/// A partial date (HURIDOCS MT48): day or month may be unknown, or the whole date estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PDate {
    /// Year.
    pub year: i32,
    /// Month 1-12, `None` when only the year is known.
    pub month: Option<u8>,
    /// Day of month, `None` when unknown (always `None` when `month` is).
    pub day: Option<u8>,
    /// The day was given as an estimate.
    pub estimated: bool,
}

impl PDate {
    /// The stored form: unknown day → the 1st, unknown month → 1 January (as ESF does).
    pub fn first_day(&self) -> Option<Date> {
        let month = Month::try_from(self.month.unwrap_or(1)).ok()?;
        Date::from_calendar_date(self.year, month, self.day.unwrap_or(1)).ok()
    }

    /// The precision code of `ozodi_domain::DatePrecision`: `exact`, `estimated`, `day-unknown`
    /// or `month-day-unknown`.
    pub fn precision_code(&self) -> &'static str {
        match (self.month, self.day) {
            (None, _) => "month-day-unknown",
            (Some(_), None) => "day-unknown",
            (Some(_), Some(_)) if self.estimated => "estimated",
            (Some(_), Some(_)) => "exact",
        }
    }
}

/// An event (ESF 01xx): what happened, where, when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Title without names ("Задержание и пытки в ОВД района Рудаки").
    pub title: String,
    /// Narrative, several sentences, in the case language.
    pub description: String,
    /// Region, list `region`.
    pub region: &'static str,
    /// Initial date.
    pub start: Option<PDate>,
    /// Final date.
    pub end: Option<PDate>,
    /// Violation status, list `MT41`.
    pub violation_status: Option<&'static str>,
    /// Whom the event was a reprisal against, list `reprisal_target` (empty for other events).
    pub reprisal_targets: Vec<&'static str>,
    /// The acts (1 or 2).
    pub acts: Vec<Act>,
    /// Sources of information about the event.
    pub informations: Vec<Information>,
    /// Actions taken about the event.
    pub interventions: Vec<Intervention>,
}

/// An act (ESF 21xx): one victim, one type of act, one time span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// The victim, index into [`Case::persons`].
    pub victim: usize,
    /// Type of act, list `MT04`.
    pub act_type: &'static str,
    /// Methods of violence, list `MT05`.
    pub methods: Vec<&'static str>,
    /// Type of location, list `MT17`.
    pub location_type: Option<&'static str>,
    /// The place of detention, index into the facility slice given to the generator.
    pub facility: Option<usize>,
    /// Initial date.
    pub start: Option<PDate>,
    /// Final date.
    pub end: Option<PDate>,
    /// The official reason or version, and who gave it; may be empty.
    pub stated_reason: String,
    /// Physical consequences summary; empty when none are reported.
    pub physical_consequences: String,
    /// Psychological consequences summary; empty when none are reported.
    pub psychological_consequences: String,
    /// Age of the victim at the time.
    pub age: Option<u8>,
    /// Status of the victim at the end of the act, list `MT25`.
    pub victim_status: Option<&'static str>,
    /// Relevant characteristics of the victim, list `MT23`.
    pub characteristics: Vec<&'static str>,
    /// Arrest detail (detention acts only).
    pub arrest: Option<Arrest>,
    /// Torture detail (torture and ill-treatment acts only).
    pub torture: Option<TortureDetail>,
    /// Who did it.
    pub involvements: Vec<Involvement>,
}

/// Arrest detail (ESF 31xx) with the Tajik safeguards extension (CAT/C/TJK/CO/3 para 18).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrest {
    /// Hours between de facto detention and registration of the arrest.
    pub detained_hours_before_registration: Option<u32>,
    /// Were the rights explained?
    pub rights_explained: Tri,
    /// Hours until the family was told; `None` if never or unknown.
    pub family_notified_after_hours: Option<u32>,
    /// Hours until first access to a lawyer; `None` if never or unknown.
    pub lawyer_after_hours: Option<u32>,
    /// Legal counsel, list `MT31`.
    pub lawyer_kind: Option<&'static str>,
    /// Was there a medical examination on admission?
    pub medical_exam_on_admission: Tri,
    /// Hours until brought before a judge; `None` if never or unknown.
    pub judge_after_hours: Option<u32>,
    /// Was the person held incommunicado?
    pub incommunicado: Tri,
    /// Whereabouts and outside contact, list `MT30`.
    pub whereabouts: Option<&'static str>,
}

/// Torture detail (ESF 33xx) with the confession extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TortureDetail {
    /// Statements signed, list `MT36`.
    pub statements_signed: Vec<&'static str>,
    /// Medical attention, list `MT37`.
    pub medical_attention: Vec<&'static str>,
    /// Intent, list `MT38`.
    pub intent: Vec<&'static str>,
    /// Was a confession obtained this way used in court?
    pub confession_used_in_court: Tri,
    /// Was it retracted in court?
    pub retracted_in_court: Tri,
}

/// Yes / no / unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not known.
    Unknown,
}

impl Tri {
    /// The code of `ozodi_domain::Tri`: `yes`, `no` or `unknown`.
    pub fn code(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }
}

/// A perpetrator's involvement in an act (ESF 24xx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Involvement {
    /// The perpetrator (individual or group), index into [`Case::persons`].
    pub perpetrator: usize,
    /// Degree of involvement, list `MT18`.
    pub degree: &'static str,
    /// Type of perpetrator, list `MT24`.
    pub perpetrator_type: &'static str,
    /// The State body, list `agency`.
    pub agency: &'static str,
    /// A named officer (true) or unknown officers (false).
    pub identified: bool,
}

/// A source of information about an event (ESF 25xx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Information {
    /// The source, index into [`Case::persons`].
    pub source: usize,
    /// Source's connection to the information, list `MT19`.
    pub connection: &'static str,
    /// Date of the source material.
    pub date: Option<PDate>,
    /// Types of source material, list `MT16`.
    pub material: Vec<&'static str>,
    /// Reliability, list `MT42`.
    pub reliability: Option<&'static str>,
    /// Remarks, in the case language.
    pub remarks: String,
}

/// An action taken for a victim or about an event (ESF 26xx).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intervention {
    /// The intervening party, index into [`Case::persons`].
    pub party: usize,
    /// The victim it was for, index into [`Case::persons`], when victim-specific.
    pub victim: Option<usize>,
    /// Types of intervention, list `MT20`.
    pub types: Vec<&'static str>,
    /// Date of the intervention.
    pub date: Option<PDate>,
    /// To whom (prosecutor, court, Ombudsman, UN body), in the case language.
    pub parties_requested: String,
    /// Response, list `MT27`; `None` while none has come.
    pub response: Option<&'static str>,
    /// Intervention status, list `MT45`.
    pub status: Option<&'static str>,
}
