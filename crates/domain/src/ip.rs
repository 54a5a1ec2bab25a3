//! The medico-legal evaluation of the Istanbul Protocol (2022, annex IV; DOMAIN.md 3.3 and 5.6):
//! its workflow, what signing needs, and the body diagrams (annex III) findings are marked on.
//!
//! The report's sections and a finding's fields are schemas of `record` (`Kind::Evaluation`,
//! `Kind::Finding`), so forms, checks and the stored JSON work as for every record; they are
//! stored apart from the case's records (`store`, the `evaluations` tables), because only the
//! clinicians on the case, and the case's lawyers with the person's consent, may read them.

use uuid::Uuid;

uuid_id!(
    /// A medico-legal evaluation (or an addendum to one).
    EvaluationId
);

/// The workflow of DOMAIN.md 5.6, as (from, to) steps. Peer review is optional; a reviewer may
/// send the draft back. `SIGNED` is reached only by signing (which needs more than a step), and
/// after it only transmission follows: a signed report is never changed, it gets addenda.
pub const STEPS: &[(&str, &str)] = &[
    ("REQUESTED", "CONSENT_PENDING"),
    ("CONSENT_PENDING", "CONSENT_REFUSED"),
    ("CONSENT_PENDING", "SCHEDULED"),
    ("REQUESTED", "SCHEDULED"),
    ("SCHEDULED", "EXAMINED"),
    ("EXAMINED", "DRAFTING"),
    ("DRAFTING", "PEER_REVIEW"),
    ("PEER_REVIEW", "DRAFTING"),
    ("DRAFTING", "SIGNED"),
    ("PEER_REVIEW", "SIGNED"),
    ("SIGNED", "TRANSMITTED"),
    ("TRANSMITTED", "TRANSMITTED"),
];

/// The state a new evaluation starts in.
pub const INITIAL: &str = "REQUESTED";

/// Every state, in workflow order.
pub const STATES: &[&str] = &[
    "REQUESTED",
    "CONSENT_PENDING",
    "CONSENT_REFUSED",
    "SCHEDULED",
    "EXAMINED",
    "DRAFTING",
    "PEER_REVIEW",
    "SIGNED",
    "TRANSMITTED",
];

/// The states allowed after `from`.
pub fn next(from: &str) -> Vec<&'static str> {
    STEPS.iter().filter(|(f, _)| *f == from).map(|(_, t)| *t).collect()
}

/// Whether the report's content may still change in `state` (not once signed).
pub fn editable(state: &str) -> bool {
    !matches!(state, "SIGNED" | "TRANSMITTED" | "CONSENT_REFUSED")
}

/// Why a step or a signature was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvaluationError {
    /// Not allowed from the current state; the allowed ones.
    NotAllowed {
        /// The current state.
        from: &'static str,
        /// The states allowed from it.
        allowed: Vec<&'static str>,
    },
    /// Signing needs the person's informed consent recorded as given.
    NoConsent,
    /// Signing needs the overall conclusion on the protocol's scale.
    NoConclusion,
    /// Refused consent needs its reason.
    NoRefusalReason,
    /// A transmission needs its recipient.
    NoRecipient,
}

impl EvaluationError {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            EvaluationError::NotAllowed { allowed, .. } if allowed.is_empty() => "ip-step-final",
            EvaluationError::NotAllowed { .. } => "ip-step-not-allowed",
            EvaluationError::NoConsent => "ip-sign-no-consent",
            EvaluationError::NoConclusion => "ip-sign-no-conclusion",
            EvaluationError::NoRefusalReason => "ip-consent-refused-reason",
            EvaluationError::NoRecipient => "ip-transmit-no-recipient",
        }
    }
}

/// What the report holds that the steps depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Readiness {
    /// Informed consent recorded as given.
    pub consent_given: bool,
    /// The reason for a refused consent recorded.
    pub refusal_reason: bool,
    /// The overall conclusion chosen.
    pub conclusion: bool,
}

/// Checks a step; returns the state reached. `note` is the recipient for a transmission.
pub fn check_step(
    from: &str,
    to: &str,
    ready: Readiness,
    note: &str,
) -> Result<&'static str, EvaluationError> {
    let current = STATES.iter().copied().find(|s| *s == from);
    let Some((_, target)) = current.and_then(|c| STEPS.iter().find(|(f, t)| *f == c && *t == to)) else {
        let from = current.unwrap_or(INITIAL);
        return Err(EvaluationError::NotAllowed { from, allowed: next(from) });
    };
    match *target {
        "SIGNED" if !ready.consent_given => Err(EvaluationError::NoConsent),
        "SIGNED" if !ready.conclusion => Err(EvaluationError::NoConclusion),
        "CONSENT_REFUSED" if !ready.refusal_reason => Err(EvaluationError::NoRefusalReason),
        "TRANSMITTED" if note.trim().is_empty() => Err(EvaluationError::NoRecipient),
        target => Ok(target),
    }
}

/// Which drawing of annex III a region is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum View {
    /// The body seen from the front.
    Front,
    /// The body seen from the back.
    Back,
}

/// A box in the diagram's coordinates: left edge, top edge, width, height (a 400 × 440 drawing:
/// the front view left, the back view right; on the front view the person's right side is on the
/// viewer's left).
pub type Rect = (u16, u16, u16, u16);

/// The width and height of the drawing.
pub const DIAGRAM: (u16, u16) = (400, 440);

/// Regions on both sides: the part's boxes for the person's right and left on the front view;
/// the back view mirrors them (the person's right on the viewer's right).
const BILATERAL: &[(&str, Rect)] = &[
    ("SHOULDER", (47, 80, 20, 20)),
    ("UPPER_ARM", (42, 100, 20, 60)),
    ("FOREARM", (37, 160, 20, 55)),
    ("WRIST", (35, 215, 20, 13)),
    ("HAND", (32, 228, 22, 32)),
    ("THIGH", (72, 220, 26, 80)),
    ("KNEE", (74, 300, 23, 25)),
    ("LOWER_LEG", (76, 325, 20, 65)),
    ("ANKLE", (77, 390, 18, 12)),
];

/// Every region of both views, in the order of the `body_region` list.
pub fn regions() -> Vec<(String, View, Rect)> {
    let mut out: Vec<(String, View, Rect)> = vec![
        ("F-HEAD_FACE".into(), View::Front, (75, 15, 50, 50)),
        ("F-CHEST".into(), View::Front, (67, 80, 66, 60)),
        ("F-ABDOMEN".into(), View::Front, (70, 140, 60, 60)),
        ("F-GENITALS".into(), View::Front, (88, 200, 24, 20)),
        ("F-NECK".into(), View::Front, (90, 65, 20, 15)),
        ("B-HEAD_BACK".into(), View::Back, (275, 15, 50, 50)),
        ("B-NECK".into(), View::Back, (290, 65, 20, 15)),
        ("B-UPPER_BACK".into(), View::Back, (267, 80, 66, 70)),
        ("B-LOWER_BACK".into(), View::Back, (270, 150, 60, 50)),
        ("B-BUTTOCKS".into(), View::Back, (272, 200, 56, 20)),
    ];
    for (view, prefix) in [(View::Front, "F"), (View::Back, "B")] {
        for (part, (x, y, w, h)) in BILATERAL {
            // Front: the person's right on the viewer's left (x as given), left mirrored about
            // x = 100. Back: the other way round, on the drawing offset by 200.
            let mirrored = 200 - x - w;
            let (right, left) = match view {
                View::Front => (*x, mirrored),
                View::Back => (200 + mirrored, 200 + x),
            };
            out.push((format!("{prefix}-{part}-R"), view, (right, *y, *w, *h)));
            out.push((format!("{prefix}-{part}-L"), view, (left, *y, *w, *h)));
        }
    }
    out.push(("F-FOOT-R".into(), View::Front, (72, 402, 24, 18)));
    out.push(("F-FOOT-L".into(), View::Front, (104, 402, 24, 18)));
    out.push(("B-SOLE-R".into(), View::Back, (304, 402, 24, 18)));
    out.push(("B-SOLE-L".into(), View::Back, (272, 402, 24, 18)));
    out
}

/// The region spelled `code`.
pub fn region(code: &str) -> Option<(View, Rect)> {
    regions().into_iter().find(|(c, _, _)| c == code).map(|(_, v, r)| (v, r))
}

/// Where finding number `n` (from 0) in a region is drawn: the region's middle, moved along a
/// small spiral so several findings in one region stay apart.
pub fn mark(rect: Rect, n: usize) -> (u16, u16) {
    let (x, y, w, h) = rect;
    let (cx, cy) = (x + w / 2, y + h / 2);
    let offsets: [(i32, i32); 6] = [(0, 0), (6, 6), (-6, -6), (6, -6), (-6, 6), (0, 9)];
    let (dx, dy) = offsets[n % offsets.len()];
    let clamp = |v: i32, lo: u16, len: u16| v.clamp(i32::from(lo) + 3, i32::from(lo + len) - 3);
    let px = clamp(i32::from(cx) + dx, x, w);
    let py = clamp(i32::from(cy) + dy, y, h);
    (u16::try_from(px).unwrap_or(cx), u16::try_from(py).unwrap_or(cy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::SHIPPED_FILES;

    #[test]
    fn every_region_of_the_list_is_on_a_diagram_inside_its_view() {
        let (_, list) =
            SHIPPED_FILES.iter().find(|(name, _)| *name == "body-region.toml").copied().unwrap_or(("", ""));
        let codes: Vec<&str> = list
            .lines()
            .filter_map(|l| l.strip_prefix("code = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .collect();
        let drawn = regions();
        assert_eq!(codes.len(), drawn.len(), "one box per term");
        for code in &codes {
            let (view, (x, y, w, h)) = region(code).unwrap_or((View::Front, (0, 0, 0, 0)));
            assert!(w > 0 && h > 0, "{code} has no box");
            let (lo, hi) = if view == View::Front { (0, 200) } else { (200, 400) };
            assert!(x >= lo && x + w <= hi && y + h <= DIAGRAM.1, "{code} leaves its view");
            assert_eq!(code.starts_with("F-"), view == View::Front, "{code} on the wrong view");
        }
        // The person's right is on the viewer's left on the front view and on the right on the back.
        let x = |code: &str| region(code).map(|(_, r)| r.0).unwrap_or(0);
        assert!(x("F-HAND-R") < x("F-HAND-L") && x("B-HAND-R") > x("B-HAND-L"));
    }

    #[test]
    fn marks_stay_inside_their_region() {
        for (_, _, rect) in regions() {
            for n in 0..8 {
                let (px, py) = mark(rect, n);
                let (x, y, w, h) = rect;
                assert!(px >= x && px <= x + w && py >= y && py <= y + h);
            }
        }
    }

    #[test]
    fn signing_needs_consent_and_a_conclusion_and_nothing_follows_but_transmission() {
        let ready = Readiness { consent_given: true, refusal_reason: false, conclusion: true };
        assert_eq!(check_step("DRAFTING", "SIGNED", ready, ""), Ok("SIGNED"));
        let no_consent = Readiness { consent_given: false, ..ready };
        assert_eq!(check_step("DRAFTING", "SIGNED", no_consent, ""), Err(EvaluationError::NoConsent));
        let no_conclusion = Readiness { conclusion: false, ..ready };
        assert_eq!(
            check_step("PEER_REVIEW", "SIGNED", no_conclusion, ""),
            Err(EvaluationError::NoConclusion)
        );
        assert_eq!(
            check_step("SIGNED", "DRAFTING", ready, ""),
            Err(EvaluationError::NotAllowed { from: "SIGNED", allowed: vec!["TRANSMITTED"] })
        );
        assert_eq!(check_step("SIGNED", "TRANSMITTED", ready, " "), Err(EvaluationError::NoRecipient));
        assert_eq!(check_step("SIGNED", "TRANSMITTED", ready, "адвокат Х."), Ok("TRANSMITTED"));
        assert_eq!(
            check_step("CONSENT_PENDING", "CONSENT_REFUSED", ready, ""),
            Err(EvaluationError::NoRefusalReason)
        );
        for state in STATES {
            for to in STATES {
                let listed = STEPS.contains(&(*state, *to));
                let full = Readiness { consent_given: true, refusal_reason: true, conclusion: true };
                assert_eq!(check_step(state, to, full, "x").is_ok(), listed, "{state} → {to}");
            }
        }
        assert!(!editable("SIGNED") && !editable("TRANSMITTED") && editable("DRAFTING"));
    }
}
