//! Care for the generated victims: psychological rehabilitation (DOMAIN.md 3.5, 5.7), an episode
//! for some victims with psychological consequences with its course and sessions; and
//! medico-legal evaluations (3.4) of some with physical consequences, most of them signed.

use time::{Date, Duration, Month};

use crate::model::{Case, Episode, Evaluation};
use crate::rng::R;

fn max_date() -> Date {
    Date::from_calendar_date(2026, Month::October, 31).unwrap_or(Date::MAX)
}

/// The episodes of `case` (often none).
pub(crate) fn generate(rng: &mut R, case: &Case) -> Vec<Episode> {
    if matches!(case.status, "intake-screening" | "open") {
        return Vec::new();
    }
    let Some(victim) = case
        .events
        .iter()
        .flat_map(|e| &e.acts)
        .find(|a| !a.psychological_consequences.is_empty())
        .map(|a| a.victim)
    else {
        return Vec::new();
    };
    if !rng.chance(35) {
        return Vec::new();
    }
    let referred = (case.opened_on + Duration::days(i64::from(rng.range(10, 90)))).min(max_date());
    let mut steps: Vec<(&'static str, &'static str)> = Vec::new();
    let mut sessions = Vec::new();
    if rng.chance(90) {
        steps.push(("ASSESSED", ""));
        if rng.chance(85) {
            steps.push(("IN_TREATMENT", ""));
            let mut day = referred + Duration::days(14);
            for _ in 0..rng.range(3, 12) {
                if day > max_date() {
                    break;
                }
                sessions.push((day, rng.chance(15)));
                day += Duration::days(7);
            }
            match rng.range(0, 9) {
                0..=4 => steps.push(("COMPLETED", "Курс завершён, повторная оценка проведена.")),
                5..=6 => steps.push(("DROPPED_OUT", "Клиент перестал приходить.")),
                7 => {
                    steps.push(("PAUSED", ""));
                }
                _ => {}
            }
        } else {
            steps.push(("REFERRED_ON", "Направлен к психиатру."));
        }
    }
    vec![Episode {
        client: victim,
        relation: "VICTIM",
        referred,
        baseline: Some(("PCL5", rng.range(30, 70))),
        steps,
        sessions,
    }]
}

/// The medico-legal evaluations of `case` (often none): some victims with physical consequences
/// are examined; most reports are signed.
pub(crate) fn evaluations(rng: &mut R, case: &Case) -> Vec<Evaluation> {
    if matches!(case.status, "intake-screening" | "open") {
        return Vec::new();
    }
    let Some(subject) = case
        .events
        .iter()
        .flat_map(|e| &e.acts)
        .find(|a| !a.physical_consequences.is_empty())
        .map(|a| a.victim)
    else {
        return Vec::new();
    };
    if !rng.chance(30) {
        return Vec::new();
    }
    let day = (case.opened_on + Duration::days(i64::from(rng.range(3, 60)))).min(max_date());
    let signed = rng.chance(85).then(|| (day + Duration::days(i64::from(rng.range(2, 20)))).min(max_date()));
    let consistency = rng.weighted(&[("HC", 4), ("C", 3), ("T", 1), ("D", 1), ("NC", 1)]);
    vec![Evaluation { subject, day, consistency, signed }]
}
