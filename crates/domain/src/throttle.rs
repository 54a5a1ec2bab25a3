//! Login throttling: at most N failures per key (an account or a client address) within a sliding
//! window; once the limit is reached, further attempts are refused until the oldest failure in the
//! window has aged out. Pure data structure: the caller passes the time in and keeps it in memory.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

use time::{Duration, OffsetDateTime};

/// Failures per key within a window.
#[derive(Debug)]
pub struct Throttle<K> {
    max_failures: usize,
    window: Duration,
    failures: HashMap<K, VecDeque<OffsetDateTime>>,
}

impl<K: Eq + Hash> Throttle<K> {
    /// Allows `max_failures` failures per key within `window`.
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Throttle { max_failures: max_failures.max(1), window, failures: HashMap::new() }
    }

    /// `Err(retry_at)` while `key` is blocked, `Ok(())` when an attempt may go ahead.
    pub fn check(&mut self, key: &K, now: OffsetDateTime) -> Result<(), OffsetDateTime> {
        let Some(list) = self.failures.get_mut(key) else { return Ok(()) };
        while list.front().is_some_and(|t| *t + self.window <= now) {
            list.pop_front();
        }
        if list.len() < self.max_failures {
            return Ok(());
        }
        match list.front() {
            Some(oldest) => Err(*oldest + self.window),
            None => Ok(()),
        }
    }

    /// Records a failed attempt.
    pub fn fail(&mut self, key: K, now: OffsetDateTime) {
        let list = self.failures.entry(key).or_default();
        list.push_back(now);
        while list.len() > self.max_failures {
            list.pop_front();
        }
    }

    /// Forgets a key's failures (after a successful login).
    pub fn clear(&mut self, key: &K) {
        self.failures.remove(key);
    }

    /// Drops keys whose failures all aged out, so memory stays bounded under a spray of names.
    pub fn prune(&mut self, now: OffsetDateTime) {
        let window = self.window;
        self.failures.retain(|_, list| list.back().is_some_and(|t| *t + window > now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn blocks_after_the_limit_and_lets_in_after_the_window() {
        let mut t = Throttle::new(3, Duration::minutes(15));
        let t0 = datetime!(2026-11-29 08:00 UTC);
        for i in 0..3 {
            assert_eq!(t.check(&"aziza", t0 + Duration::seconds(i)), Ok(()));
            t.fail("aziza", t0 + Duration::seconds(i));
        }
        assert_eq!(t.check(&"aziza", t0 + Duration::minutes(1)), Err(t0 + Duration::minutes(15)));
        assert_eq!(t.check(&"other", t0 + Duration::minutes(1)), Ok(()));
        assert_eq!(t.check(&"aziza", t0 + Duration::minutes(15)), Ok(()));
        t.clear(&"aziza");
        t.prune(t0 + Duration::hours(1));
        assert!(t.failures.is_empty());
    }
}
