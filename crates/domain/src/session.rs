//! Session lifetime rules: an idle timeout and an absolute timeout, both decided from times the
//! caller passes in (so tests can move the clock).

use time::{Duration, OffsetDateTime};

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long ends (default 30 minutes).
    pub idle: Duration,
    /// A session ends this long after login, however active (default 12 hours).
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: Duration::minutes(30), absolute: Duration::hours(12) }
    }
}

/// Whether a session is still alive at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Alive.
    Live,
    /// Unused for longer than the idle timeout.
    IdleExpired,
    /// Older than the absolute timeout.
    AbsoluteExpired,
}

impl SessionPolicy {
    /// Decides the state of a session created at `created` and last used at `last_seen`.
    pub fn state(
        &self,
        created: OffsetDateTime,
        last_seen: OffsetDateTime,
        now: OffsetDateTime,
    ) -> SessionState {
        if now - created >= self.absolute {
            SessionState::AbsoluteExpired
        } else if now - last_seen >= self.idle {
            SessionState::IdleExpired
        } else {
            SessionState::Live
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn idle_and_absolute_limits() {
        let p = SessionPolicy::default();
        let t0 = datetime!(2026-11-29 08:00 UTC);
        assert_eq!(p.state(t0, t0, t0 + Duration::minutes(29)), SessionState::Live);
        assert_eq!(p.state(t0, t0, t0 + Duration::minutes(30)), SessionState::IdleExpired);
        let busy = t0 + Duration::hours(12) - Duration::minutes(1);
        assert_eq!(p.state(t0, busy, busy + Duration::minutes(1)), SessionState::AbsoluteExpired);
    }
}
