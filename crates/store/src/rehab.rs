//! The store's rehabilitation: episodes, their course and sessions, and the counts analysts see.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::record::Data;
use ozodi_domain::rehab::EpisodeId;
use time::OffsetDateTime;

/// One session of an episode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// 1, 2, … within the episode.
    pub seq: i64,
    /// The values, by the Session schema (its `notes` are clinical).
    pub data: Data,
    /// Version (for stale forms).
    pub version: i64,
    /// Who recorded it.
    pub created_by: UserId,
    /// Removed (a tombstone: entered by mistake).
    pub removed: bool,
}

/// One step of an episode's course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpisodeStep {
    /// 1, 2, …
    pub seq: i64,
    /// The state reached.
    pub state: String,
    /// The outcome, reason or where the client was referred.
    pub note: String,
    /// Their display name.
    pub by_name: String,
    /// When.
    pub at: OffsetDateTime,
}

/// An episode with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Episode {
    /// Id.
    pub id: EpisodeId,
    /// The case.
    pub case_id: CaseId,
    /// Shown as RE-0042.
    pub seq: u32,
    /// The values, by the Episode schema.
    pub data: Data,
    /// Where the course stands.
    pub state: String,
    /// Version (for stale forms; a new session or step counts as a change).
    pub version: i64,
    /// Who recorded the referral.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
    /// Its sessions, removed ones too, in order.
    pub sessions: Vec<Session>,
    /// Its course.
    pub steps: Vec<EpisodeStep>,
}

impl Episode {
    /// `RE-0042`.
    pub fn reference(&self) -> String {
        ozodi_domain::record::reference(ozodi_domain::record::Kind::Episode, self.seq)
    }
}

/// An episode as a case or a clinician's list shows it (no clinical content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpisodeSummary {
    /// Id.
    pub id: EpisodeId,
    /// The case.
    pub case_id: CaseId,
    /// The case's number, `TJ-2026-0042`.
    pub case_number: String,
    /// Shown as RE-0042.
    pub seq: u32,
    /// Where the course stands.
    pub state: String,
    /// The client's pseudonym, `P-0007`.
    pub client: Option<String>,
    /// Victim or family member (a `rehab_client` code).
    pub relation: Option<String>,
    /// The referral date as stored (`YYYY-MM-DD`).
    pub referred_at: Option<String>,
    /// Sessions held (not missed, not removed).
    pub sessions: u32,
}

/// Counts for statistic 14 of DOMAIN.md: distinct clients by relation, sessions held, episodes by
/// state. Nothing that names or describes anyone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RehabFigures {
    /// Distinct clients whose episode started (by `rehab_client` code), per year of referral
    /// (`""` when the referral date has no year).
    pub clients: Vec<(String, String, u32)>,
    /// Sessions held (not missed), per year of the session.
    pub sessions: Vec<(String, u32)>,
    /// Episodes per state.
    pub states: Vec<(String, u32)>,
}

/// A step to record on an episode.
#[derive(Clone, Copy, Debug)]
pub struct StepRequest<'a> {
    /// The state to reach.
    pub to: &'a str,
    /// The outcome, reason or where the client was referred.
    pub note: &'a str,
    /// Who.
    pub by: UserId,
    /// When.
    pub at: OffsetDateTime,
}
