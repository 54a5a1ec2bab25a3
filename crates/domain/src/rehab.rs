//! Rehabilitation (DOMAIN.md 3.4 and 5.7): a victim or family member referred to psychological,
//! medical or social help, the episode's course, its sessions and its outcome.
//!
//! An episode's and a session's fields are schemas of `record` (`Kind::Episode`, `Kind::Session`),
//! so forms, checks and the stored JSON work as for every record; they are stored apart from the
//! case's records (`store`, the `rehab_` tables), because only the rehabilitation team (the
//! clinicians on the case) and the coordinators may read them, and a session's clinical notes
//! only the clinicians.

use uuid::Uuid;

uuid_id!(
    /// A rehabilitation episode.
    EpisodeId
);

/// The course of an episode (DOMAIN.md 5.7), as (from, to) steps. Treatment pauses and resumes;
/// it ends completed (from treatment or a pause), or the client drops out or is referred on to
/// another provider at any point before that: people referred do not always come, and an
/// assessment can show that someone else should help.
pub const STEPS: &[(&str, &str)] = &[
    ("REFERRED", "ASSESSED"),
    ("REFERRED", "DROPPED_OUT"),
    ("REFERRED", "REFERRED_ON"),
    ("ASSESSED", "IN_TREATMENT"),
    ("ASSESSED", "DROPPED_OUT"),
    ("ASSESSED", "REFERRED_ON"),
    ("IN_TREATMENT", "PAUSED"),
    ("IN_TREATMENT", "COMPLETED"),
    ("IN_TREATMENT", "DROPPED_OUT"),
    ("IN_TREATMENT", "REFERRED_ON"),
    ("PAUSED", "IN_TREATMENT"),
    ("PAUSED", "COMPLETED"),
    ("PAUSED", "DROPPED_OUT"),
    ("PAUSED", "REFERRED_ON"),
];

/// The state a new episode starts in.
pub const INITIAL: &str = "REFERRED";

/// Every state, in the order of the course.
pub const STATES: &[&str] =
    &["REFERRED", "ASSESSED", "IN_TREATMENT", "PAUSED", "COMPLETED", "DROPPED_OUT", "REFERRED_ON"];

/// The states allowed after `from`.
pub fn next(from: &str) -> Vec<&'static str> {
    STEPS.iter().filter(|(f, _)| *f == from).map(|(_, t)| *t).collect()
}

/// Whether the episode has ended (no more steps, no more sessions).
pub fn ended(state: &str) -> bool {
    matches!(state, "COMPLETED" | "DROPPED_OUT" | "REFERRED_ON")
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// Not allowed from the current state; the allowed ones.
    NotAllowed {
        /// The current state.
        from: &'static str,
        /// The states allowed from it.
        allowed: Vec<&'static str>,
    },
    /// The assessment needs the baseline instrument recorded on the episode.
    NoBaseline,
    /// Ending an episode needs a note: the outcome, why the client stopped, or where they were
    /// referred.
    NoNote,
}

impl StepError {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            StepError::NotAllowed { allowed, .. } if allowed.is_empty() => "rehab-step-final",
            StepError::NotAllowed { .. } => "rehab-step-not-allowed",
            StepError::NoBaseline => "rehab-step-no-baseline",
            StepError::NoNote => "rehab-step-no-note",
        }
    }
}

/// Checks a step; returns the state reached. `baseline` tells whether the episode records its
/// baseline assessment instrument; `note` is the step's note.
pub fn check_step(from: &str, to: &str, baseline: bool, note: &str) -> Result<&'static str, StepError> {
    let current = STATES.iter().copied().find(|s| *s == from);
    let Some((_, target)) = current.and_then(|c| STEPS.iter().find(|(f, t)| *f == c && *t == to)) else {
        let from = current.unwrap_or(INITIAL);
        return Err(StepError::NotAllowed { from, allowed: next(from) });
    };
    match *target {
        "ASSESSED" if !baseline => Err(StepError::NoBaseline),
        t if ended(t) && note.trim().is_empty() => Err(StepError::NoNote),
        t => Ok(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_outside_the_machine_is_refused_with_the_allowed_ones() {
        for from in STATES {
            for to in STATES {
                let allowed = STEPS.contains(&(from, to));
                match check_step(from, to, true, "outcome noted") {
                    Ok(reached) => {
                        assert!(allowed, "{from} → {to} must be refused");
                        assert_eq!(reached, *to);
                    }
                    Err(StepError::NotAllowed { from: f, allowed: next_states }) => {
                        assert!(!allowed, "{from} → {to} must be allowed");
                        assert_eq!(f, *from);
                        assert_eq!(next_states, next(from));
                    }
                    Err(other) => panic!("{from} → {to}: {other:?}"),
                }
            }
        }
        assert!(matches!(
            check_step("BOGUS", "ASSESSED", true, ""),
            Err(StepError::NotAllowed { from: "REFERRED", .. })
        ));
    }

    #[test]
    fn ended_episodes_go_nowhere_and_every_state_is_reachable() {
        for state in STATES {
            assert_eq!(ended(state), next(state).is_empty(), "{state}");
            let err = check_step(state, "IN_TREATMENT", true, "x");
            if ended(state) {
                assert_eq!(err.map_err(|e| e.key()), Err("rehab-step-final"));
            }
        }
        let mut reached = vec![INITIAL];
        let mut i = 0;
        while i < reached.len() {
            for to in next(reached[i]) {
                if !reached.contains(&to) {
                    reached.push(to);
                }
            }
            i += 1;
        }
        assert_eq!(reached.len(), STATES.len());
    }

    #[test]
    fn an_assessment_needs_its_baseline_and_an_ending_its_note() {
        assert_eq!(check_step("REFERRED", "ASSESSED", false, ""), Err(StepError::NoBaseline));
        assert_eq!(check_step("REFERRED", "ASSESSED", true, ""), Ok("ASSESSED"));
        for end in ["COMPLETED", "DROPPED_OUT", "REFERRED_ON"] {
            assert_eq!(check_step("PAUSED", end, true, "  "), Err(StepError::NoNote), "{end}");
            assert_eq!(check_step("PAUSED", end, true, "goals met"), Ok(end));
        }
        assert_eq!(check_step("IN_TREATMENT", "PAUSED", false, ""), Ok("PAUSED"));
    }
}
