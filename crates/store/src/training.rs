//! The store's training events and their participant counts.

use ozodi_domain::UserId;
use ozodi_domain::record::{Data, RecordId};
use time::OffsetDateTime;

/// How many of one profession, sex and region took part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participants {
    /// A term of `profession`.
    pub profession: String,
    /// A person sex code (`01` male, `02` female, `99` not stated).
    pub sex: String,
    /// A term of `region`, or empty when not known.
    pub region: String,
    /// How many.
    pub count: u32,
}

/// A training event with its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Training {
    /// Id.
    pub id: RecordId,
    /// Shown as TR-0042.
    pub seq: u32,
    /// The fields, by the Training schema.
    pub data: Data,
    /// Version (for stale forms).
    pub version: i64,
    /// Who recorded it.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
    /// Its participants, by profession, sex and region.
    pub participants: Vec<Participants>,
}

impl Training {
    /// `TR-0042`.
    pub fn reference(&self) -> String {
        ozodi_domain::record::reference(ozodi_domain::record::Kind::Training, self.seq)
    }

    /// Everyone who took part.
    pub fn total(&self) -> u64 {
        self.participants.iter().map(|p| u64::from(p.count)).sum()
    }
}
