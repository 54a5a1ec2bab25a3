//! The coalition's case file: its human number, its status and the state machine of DOMAIN.md
//! section 5.1. An impossible transition is refused with the list of allowed next steps.

use std::fmt;

use uuid::Uuid;

/// The internal id of a case (UUIDv7). Opaque in URLs; people use the [`CaseNumber`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseId(pub Uuid);

impl CaseId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        CaseId(Uuid::now_v7())
    }

    /// Parses the text form used in URLs; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::try_parse(text).ok().map(CaseId)
    }
}

impl Default for CaseId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A case number like `TJ-2026-0042`: the year the file was opened and a sequence within the year.
/// No names, no regions that could narrow down a victim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber {
    year: u16,
    seq: u32,
}

impl CaseNumber {
    /// Builds a number; `None` for a year outside 2000..=2100 or a sequence of 0 or above 999 999.
    pub fn new(year: i32, seq: u32) -> Option<Self> {
        let year = u16::try_from(year).ok().filter(|y| (2000..=2100).contains(y))?;
        (1..=999_999).contains(&seq).then_some(CaseNumber { year, seq })
    }

    /// Parses `TJ-2026-0042` (case-insensitive, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Self> {
        let upper = text.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix("TJ-")?;
        let (year, seq) = rest.split_once('-')?;
        if year.len() != 4 || !(4..=6).contains(&seq.len()) || !seq.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        CaseNumber::new(year.parse().ok()?, seq.parse().ok()?)
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The sequence within the year.
    pub fn seq(self) -> u32 {
        self.seq
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TJ-{}-{:04}", self.year, self.seq)
    }
}

/// The status of a case (DOMAIN.md 5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    /// Just received, being screened against the mandate.
    IntakeScreening,
    /// In the mandate; documentation under way.
    Open,
    /// Documented; being worked on (MT43 01).
    Active,
    /// Waiting on an authority or the client (MT43 02).
    Pending,
    /// Out of mandate and referred to another organisation.
    ReferredOut,
    /// Closed (MT43 03), with a reason.
    Closed,
}

/// What happens to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseEvent {
    /// Screening found it in the mandate.
    InMandate,
    /// Screening found it outside the mandate; referred elsewhere.
    ReferOut,
    /// Screening found it outside the mandate; closed.
    CloseOutOfMandate,
    /// Documentation is complete.
    DocumentationDone,
    /// Now waiting on an authority or the client.
    Wait,
    /// Work resumes.
    Resume,
    /// The case is closed (a reason is required).
    Close,
    /// A closed case is reopened (a reason is required).
    Reopen,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::IntakeScreening,
        CaseStatus::Open,
        CaseStatus::Active,
        CaseStatus::Pending,
        CaseStatus::ReferredOut,
        CaseStatus::Closed,
    ];

    /// The stable code stored in the database and used in translation keys.
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::IntakeScreening => "intake-screening",
            CaseStatus::Open => "open",
            CaseStatus::Active => "active",
            CaseStatus::Pending => "pending",
            CaseStatus::ReferredOut => "referred-out",
            CaseStatus::Closed => "closed",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status after `event`, if the transition exists.
    pub fn after(self, event: CaseEvent) -> Option<CaseStatus> {
        use CaseEvent as E;
        use CaseStatus as S;
        Some(match (self, event) {
            (S::IntakeScreening, E::InMandate) => S::Open,
            (S::IntakeScreening, E::ReferOut) => S::ReferredOut,
            (S::IntakeScreening, E::CloseOutOfMandate) => S::Closed,
            (S::Open, E::DocumentationDone) => S::Active,
            (S::Active, E::Wait) => S::Pending,
            (S::Pending, E::Resume) => S::Active,
            (S::Active | S::Pending, E::Close) => S::Closed,
            (S::Closed | S::ReferredOut, E::Reopen) => S::Active,
            _ => return None,
        })
    }

    /// The events allowed from this status (for the refusal message and the form's buttons).
    pub fn allowed(self) -> Vec<CaseEvent> {
        CaseEvent::ALL.into_iter().filter(|e| self.after(*e).is_some()).collect()
    }

    /// Applies `event`, or explains which events are allowed instead.
    pub fn apply(self, event: CaseEvent) -> Result<CaseStatus, TransitionRefused> {
        self.after(event).ok_or(TransitionRefused { from: self, event, allowed: self.allowed() })
    }
}

impl CaseEvent {
    /// Every event.
    pub const ALL: [CaseEvent; 8] = [
        CaseEvent::InMandate,
        CaseEvent::ReferOut,
        CaseEvent::CloseOutOfMandate,
        CaseEvent::DocumentationDone,
        CaseEvent::Wait,
        CaseEvent::Resume,
        CaseEvent::Close,
        CaseEvent::Reopen,
    ];

    /// The stable code (forms, audit details, translation keys).
    pub fn code(self) -> &'static str {
        match self {
            CaseEvent::InMandate => "in-mandate",
            CaseEvent::ReferOut => "refer-out",
            CaseEvent::CloseOutOfMandate => "close-out-of-mandate",
            CaseEvent::DocumentationDone => "documentation-done",
            CaseEvent::Wait => "wait",
            CaseEvent::Resume => "resume",
            CaseEvent::Close => "close",
            CaseEvent::Reopen => "reopen",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        CaseEvent::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Whether the event needs a written reason (closing and reopening do).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            CaseEvent::Close | CaseEvent::CloseOutOfMandate | CaseEvent::Reopen | CaseEvent::ReferOut
        )
    }
}

/// An impossible transition, with what would have been possible.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a case in status {from:?} cannot {event:?}; allowed: {allowed:?}")]
pub struct TransitionRefused {
    /// The current status.
    pub from: CaseStatus,
    /// The refused event.
    pub event: CaseEvent,
    /// The events allowed from `from`.
    pub allowed: Vec<CaseEvent>,
}

/// Yes / no / unknown, for the legal-safeguard questions where "we don't know" is an answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tri {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not known.
    #[default]
    Unknown,
}

impl Tri {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Tri::Yes => "yes",
            Tri::No => "no",
            Tri::Unknown => "unknown",
        }
    }

    /// Parses a code; anything else is unknown.
    pub fn parse(code: &str) -> Tri {
        match code {
            "yes" => Tri::Yes,
            "no" => Tri::No,
            _ => Tri::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_round_trip_and_refuse_garbage() {
        let n = CaseNumber::parse(" tj-2026-0042 ");
        assert_eq!(n.map(|n| n.to_string()).as_deref(), Some("TJ-2026-0042"));
        assert_eq!(CaseNumber::new(2026, 12345).map(|n| n.to_string()).as_deref(), Some("TJ-2026-12345"));
        for bad in
            ["TJ-2026-42", "TJ-26-0042", "XX-2026-0042", "TJ-2026-0000", "TJ-1999-0001", "TJ-2026-00a1", ""]
        {
            assert_eq!(CaseNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_case_state_machine_of_domain_5_1() {
        use CaseEvent as E;
        use CaseStatus as S;
        let path = [
            (E::InMandate, S::Open),
            (E::DocumentationDone, S::Active),
            (E::Wait, S::Pending),
            (E::Resume, S::Active),
            (E::Close, S::Closed),
            (E::Reopen, S::Active),
        ];
        let mut status = S::IntakeScreening;
        for (event, expected) in path {
            status = status.apply(event).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status, expected);
        }
        assert_eq!(S::IntakeScreening.apply(E::ReferOut), Ok(S::ReferredOut));
        assert_eq!(S::Pending.apply(E::Close), Ok(S::Closed));
    }

    #[test]
    fn impossible_transitions_name_the_allowed_steps() {
        let refused = CaseStatus::Open.apply(CaseEvent::Close);
        assert_eq!(
            refused,
            Err(TransitionRefused {
                from: CaseStatus::Open,
                event: CaseEvent::Close,
                allowed: vec![CaseEvent::DocumentationDone]
            })
        );
        assert_eq!(CaseStatus::Closed.allowed(), vec![CaseEvent::Reopen]);
        for status in CaseStatus::ALL {
            assert!(!status.allowed().is_empty(), "{status:?} is a dead end");
            assert_eq!(CaseStatus::parse(status.code()), Some(status));
        }
    }
}
