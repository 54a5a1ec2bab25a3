//! The store's monitoring and recommendation follow-up: the course of a visit, its team and the
//! allegations received during it, and the assessments of recommendations.

use ozodi_domain::UserId;
use ozodi_domain::intake::ContactId;
use ozodi_domain::monitoring::{Assessor, EvidenceLink};
use ozodi_domain::record::RecordId;
use time::{Date, OffsetDateTime};

/// One step of a visit's course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitStep {
    /// 1, 2, …
    pub seq: i64,
    /// The state reached.
    pub state: String,
    /// The day it happened.
    pub on_day: Date,
    /// A note (who refused access, and what).
    pub note: String,
    /// Who recorded it (display name).
    pub by_name: String,
    /// When it was recorded.
    pub at: OffsetDateTime,
}

/// A member of a visit's team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    /// 1, 2, … within the visit.
    pub seq: i64,
    /// A member of the coalition's staff, by account.
    pub user: Option<UserId>,
    /// Their display name.
    pub user_name: Option<String>,
    /// Someone else's organisation (the Ombudsman's office).
    pub organisation: String,
    /// A term of `visit_role`.
    pub role: String,
    /// `01` male, `02` female, `99` not stated.
    pub sex: String,
    /// Marked removed (added by mistake).
    pub removed: bool,
}

/// A member to add to a visit's team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeamMember {
    /// A member of staff.
    pub user: Option<UserId>,
    /// Or someone of another organisation.
    pub organisation: String,
    /// A term of `visit_role`.
    pub role: String,
    /// `01`, `02` or `99`.
    pub sex: String,
}

/// An allegation received during a visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allegation {
    /// 1, 2, … within the visit.
    pub seq: i64,
    /// The person authorised passing it on.
    pub authorised: bool,
    /// The intake contact it became, with its number.
    pub contact: Option<(ContactId, i64)>,
    /// When it was recorded.
    pub at: OffsetDateTime,
}

/// What a visit's page shows besides its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitDetail {
    /// Its course, in order (never empty for a stored visit).
    pub steps: Vec<VisitStep>,
    /// Its team, removed members too.
    pub team: Vec<TeamMember>,
    /// The allegations received.
    pub allegations: Vec<Allegation>,
}

impl VisitDetail {
    /// Where the visit stands.
    pub fn state(&self) -> &str {
        self.steps.last().map_or(ozodi_domain::monitoring::INITIAL, |s| s.state.as_str())
    }

    /// The number of the last step (a step form names it, so a stale form is refused).
    pub fn last_seq(&self) -> i64 {
        self.steps.last().map_or(0, |s| s.seq)
    }
}

/// A link of an assessment's evidence, with what it was found to point at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedLink {
    /// As typed (normalised).
    pub link: EvidenceLink,
    /// The case's id (for a case number) or the record's (for a reference).
    pub target: Option<String>,
}

/// An assessment of a recommendation's implementation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// 1, 2, … within the recommendation.
    pub seq: i64,
    /// Whose view.
    pub assessor: Assessor,
    /// As of which day.
    pub as_of: Date,
    /// A term of `impl_status`.
    pub status: String,
    /// An official grade, verbatim (the committee's wording, an A–E grade).
    pub official_grade: String,
    /// The document it comes from (a symbol).
    pub source_doc: String,
    /// The evidence, in words.
    pub evidence: String,
    /// What the evidence points at.
    pub links: Vec<ResolvedLink>,
    /// Who recorded it.
    pub by_name: String,
    /// When.
    pub at: OffsetDateTime,
}

/// An assessment to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAssessment {
    /// Whose view.
    pub assessor: Assessor,
    /// As of which day.
    pub as_of: Date,
    /// A term of `impl_status`.
    pub status: String,
    /// An official grade, verbatim.
    pub official_grade: String,
    /// The document it comes from.
    pub source_doc: String,
    /// The evidence, in words.
    pub evidence: String,
    /// Cases, records and publications it rests on (references are checked to exist).
    pub links: Vec<EvidenceLink>,
}

/// The latest assessment of one recommendation from one viewpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatestAssessment {
    /// The recommendation.
    pub recommendation: RecordId,
    /// Whose view.
    pub assessor: Assessor,
    /// A term of `impl_status`.
    pub status: String,
    /// An official grade, verbatim.
    pub official_grade: String,
    /// As of which day.
    pub as_of: Date,
}
