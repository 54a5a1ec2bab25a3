//! The store's legal records: the steps of proceedings (their state history), the calendar of
//! hearings and deadlines, and the calendar feeds.

use ozodi_domain::UserId;
use ozodi_domain::case::{CaseId, CaseNumber};
use ozodi_domain::legal::{EntryId, EntryKind, Facts, ProceedingKind};
use ozodi_domain::record::RecordId;
use time::{Date, OffsetDateTime};

/// One step of a proceeding: the state it reached, when it was decided, on what ground.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProceedingStep {
    /// 1 for the state the proceeding started in, then one more per step.
    pub seq: i64,
    /// The state reached.
    pub state: String,
    /// The day of the decision or event.
    pub decided_on: Date,
    /// The decision ground (a term of `decision_ground`).
    pub ground: Option<String>,
    /// The lawyer's note.
    pub note: String,
    /// The decision document, an evidence item of the case.
    pub document: Option<RecordId>,
    /// Recorded by.
    pub by: UserId,
    /// Recorded when.
    pub at: OffsetDateTime,
}

/// A step to record.
#[derive(Clone, Debug)]
pub struct NewStep {
    /// The proceeding.
    pub proceeding: RecordId,
    /// The number of steps the form was drawn with: anything else means someone recorded a step
    /// meanwhile (`Conflict`).
    pub expected_seq: i64,
    /// The state to reach.
    pub to: String,
    /// The day of the decision.
    pub decided_on: Date,
    /// The decision ground.
    pub ground: Option<String>,
    /// The note (the reason, when re-opening).
    pub note: String,
    /// The decision document (an evidence item of the same case).
    pub document: Option<RecordId>,
    /// Who.
    pub by: UserId,
    /// When.
    pub at: OffsetDateTime,
}

/// Where a proceeding stands: its kind, current state and the figures its steps depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProceedingState {
    /// The proceeding.
    pub id: RecordId,
    /// Its kind.
    pub kind: ProceedingKind,
    /// The current state (the last step's).
    pub state: String,
    /// The number of steps so far.
    pub seq: i64,
    /// The award and the sum of the live payments.
    pub facts: Facts,
}

/// A hearing or deadline as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Id.
    pub id: EntryId,
    /// The case.
    pub case_id: CaseId,
    /// The case's number (no names).
    pub case_number: CaseNumber,
    /// The proceeding, with its human reference number.
    pub proceeding: Option<(RecordId, u32)>,
    /// Hearing or deadline.
    pub kind: EntryKind,
    /// When (a deadline: the start of its day in Dushanbe).
    pub starts_at: OffsetDateTime,
    /// The team's title (internal; never in a feed).
    pub title: String,
    /// Where (internal; never in a feed).
    pub place: String,
    /// The lawyer reminded of it.
    pub responsible: UserId,
    /// That lawyer's display name.
    pub responsible_name: String,
    /// Version (for stale forms).
    pub version: i64,
    /// Done when.
    pub done_at: Option<OffsetDateTime>,
    /// Cancelled when.
    pub cancelled_at: Option<OffsetDateTime>,
}

/// A hearing or deadline to add or to change.
#[derive(Clone, Debug)]
pub struct EntryFields {
    /// The proceeding (of the same case), if any.
    pub proceeding: Option<RecordId>,
    /// Hearing or deadline.
    pub kind: EntryKind,
    /// When.
    pub starts_at: OffsetDateTime,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// The lawyer to remind (must be on the case team).
    pub responsible: UserId,
}

/// What the calendar shows.
#[derive(Clone, Copy, Debug)]
pub struct CalendarQuery {
    /// Entries of this case only.
    pub case: Option<CaseId>,
    /// Entries of the cases this user is on the team of (ignored with `all`).
    pub user: UserId,
    /// Every case (coordinators).
    pub all: bool,
    /// From (inclusive).
    pub from: OffsetDateTime,
    /// To (exclusive).
    pub to: OffsetDateTime,
    /// Include done and cancelled entries.
    pub closed_too: bool,
}

/// A change to an entry's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryStatus {
    /// Held or met.
    Done,
    /// Called off (a cancelled hearing, a deadline that no longer applies).
    Cancelled,
    /// Open again (marked done or cancelled by mistake).
    Open,
}
