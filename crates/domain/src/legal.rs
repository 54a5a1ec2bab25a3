//! Legal aid and litigation (DOMAIN.md sections 3.5 and 5.2–5.5): the kinds of proceedings, the
//! state machine each one follows, money in diram, and the calendar of hearings and deadlines.
//!
//! A proceeding's own fields are a record (`record::Kind::Proceeding`); its state is not a field
//! anyone can edit but the last step of its history, and a step is accepted only if the machine
//! of its kind allows it from the current state. A refusal names the steps that are allowed.

use std::fmt;

use uuid::Uuid;

code_enum!(
    /// The kinds of proceeding with a state machine (the code is the term of the vocabulary
    /// `proceeding_kind`).
    ProceedingKind {
        /// A criminal complaint and the pre-investigation check (DOMAIN.md 5.2).
        Complaint => "COMPLAINT",
        /// A criminal case from investigation to the sentence's execution (5.3).
        CriminalCase => "CRIMINAL",
        /// A civil claim for non-pecuniary (moral) damage (5.4).
        CivilClaim => "CIVIL",
        /// An individual communication to a UN treaty body (5.5).
        UnCommunication => "UN",
    }
);

/// What a step needs besides being allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Nothing more.
    Nothing,
    /// A decision ground (a refusal to open a case, a termination): the vocabulary
    /// `decision_ground`.
    Ground,
    /// A written reason: leaving a final state is a re-opening.
    Reason,
    /// Payments that add up to the award (full), to part of it (partial) or to nothing (unpaid).
    Payments,
    /// An amount awarded (enforcement of a judgment that awarded nothing is impossible).
    Award,
}

/// One allowed step: from a state to another, and what it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The state before.
    pub from: &'static str,
    /// The state after.
    pub to: &'static str,
    /// What the step needs.
    pub needs: Need,
}

const fn s(from: &'static str, to: &'static str) -> Step {
    Step { from, to, needs: Need::Nothing }
}

const fn ground(from: &'static str, to: &'static str) -> Step {
    Step { from, to, needs: Need::Ground }
}

const fn reopen(from: &'static str, to: &'static str) -> Step {
    Step { from, to, needs: Need::Reason }
}

const fn paid(from: &'static str, to: &'static str) -> Step {
    Step { from, to, needs: Need::Payments }
}

/// DOMAIN.md 5.2. A transfer keeps the check open with the new authority; "no response" is the
/// statutory time limit passing, after which a complaint about inaction goes the way of an
/// appeal against a refusal.
const COMPLAINT: &[Step] = &[
    s("DRAFT", "FILED"),
    s("FILED", "PRE_INVESTIGATION_CHECK"),
    s("PRE_INVESTIGATION_CHECK", "CASE_OPENED"),
    ground("PRE_INVESTIGATION_CHECK", "REFUSED"),
    s("PRE_INVESTIGATION_CHECK", "TRANSFERRED"),
    s("PRE_INVESTIGATION_CHECK", "NO_RESPONSE"),
    s("TRANSFERRED", "PRE_INVESTIGATION_CHECK"),
    s("TRANSFERRED", "CASE_OPENED"),
    ground("TRANSFERRED", "REFUSED"),
    s("TRANSFERRED", "NO_RESPONSE"),
    s("NO_RESPONSE", "CASE_OPENED"),
    ground("NO_RESPONSE", "REFUSED"),
    s("NO_RESPONSE", "REFUSAL_APPEALED"),
    s("REFUSED", "REFUSAL_APPEALED"),
    s("REFUSAL_APPEALED", "REFUSAL_ANNULLED"),
    s("REFUSAL_APPEALED", "REFUSAL_UPHELD"),
    s("REFUSAL_ANNULLED", "PRE_INVESTIGATION_CHECK"),
    reopen("REFUSAL_UPHELD", "PRE_INVESTIGATION_CHECK"),
    reopen("CASE_OPENED", "PRE_INVESTIGATION_CHECK"),
];

/// DOMAIN.md 5.3. Appeal, cassation and supervisory review are each optional; a higher court
/// may send the case back for a new trial.
const CRIMINAL: &[Step] = &[
    s("INVESTIGATION", "SUSPENDED"),
    s("SUSPENDED", "INVESTIGATION"),
    ground("INVESTIGATION", "TERMINATED"),
    ground("SUSPENDED", "TERMINATED"),
    s("TERMINATED", "INVESTIGATION"),
    s("TERMINATED", "TERMINATED_FINAL"),
    s("INVESTIGATION", "INDICTMENT_SENT"),
    s("INDICTMENT_SENT", "TRIAL"),
    s("TRIAL", "VERDICT_CONVICTION"),
    s("TRIAL", "VERDICT_ACQUITTAL"),
    ground("TRIAL", "TERMINATED_IN_COURT"),
    s("TRIAL", "RETURNED_FOR_ADDITIONAL_INVESTIGATION"),
    s("RETURNED_FOR_ADDITIONAL_INVESTIGATION", "INVESTIGATION"),
    s("VERDICT_CONVICTION", "APPEAL"),
    s("VERDICT_ACQUITTAL", "APPEAL"),
    s("TERMINATED_IN_COURT", "APPEAL"),
    s("VERDICT_CONVICTION", "FINAL"),
    s("VERDICT_ACQUITTAL", "FINAL"),
    s("TERMINATED_IN_COURT", "FINAL"),
    s("APPEAL", "FINAL"),
    s("APPEAL", "TRIAL"),
    s("FINAL", "CASSATION"),
    s("FINAL", "SUPERVISORY_REVIEW"),
    s("FINAL", "SENTENCE_EXECUTION"),
    s("CASSATION", "FINAL"),
    s("CASSATION", "TRIAL"),
    s("CASSATION", "SUPERVISORY_REVIEW"),
    s("SUPERVISORY_REVIEW", "FINAL"),
    s("SUPERVISORY_REVIEW", "TRIAL"),
    reopen("TERMINATED_FINAL", "INVESTIGATION"),
    reopen("SENTENCE_EXECUTION", "SUPERVISORY_REVIEW"),
];

/// DOMAIN.md 5.4. The payment states follow the recorded payments, so the state and the sums
/// can never disagree.
const CIVIL: &[Step] = &[
    s("DRAFT", "FILED"),
    s("FILED", "ACCEPTED"),
    s("FILED", "RETURNED_OR_LEFT_WITHOUT_MOVEMENT"),
    s("RETURNED_OR_LEFT_WITHOUT_MOVEMENT", "DRAFT"),
    s("ACCEPTED", "HEARING"),
    s("HEARING", "JUDGMENT_GRANTED_FULL"),
    s("HEARING", "JUDGMENT_GRANTED_PARTIAL"),
    s("HEARING", "JUDGMENT_REJECTED"),
    s("HEARING", "SETTLED"),
    s("JUDGMENT_GRANTED_FULL", "APPEAL"),
    s("JUDGMENT_GRANTED_PARTIAL", "APPEAL"),
    s("JUDGMENT_REJECTED", "APPEAL"),
    s("JUDGMENT_GRANTED_FULL", "FINAL"),
    s("JUDGMENT_GRANTED_PARTIAL", "FINAL"),
    s("JUDGMENT_REJECTED", "FINAL"),
    s("SETTLED", "FINAL"),
    s("APPEAL", "FINAL"),
    s("APPEAL", "HEARING"),
    Step { from: "FINAL", to: "ENFORCEMENT", needs: Need::Award },
    paid("ENFORCEMENT", "PAID_FULL"),
    paid("ENFORCEMENT", "PAID_PARTIAL"),
    paid("ENFORCEMENT", "UNPAID"),
    paid("UNPAID", "PAID_PARTIAL"),
    paid("UNPAID", "PAID_FULL"),
    paid("PAID_PARTIAL", "PAID_FULL"),
    reopen("PAID_FULL", "ENFORCEMENT"),
];

/// DOMAIN.md 5.5. Interim measures run in parallel and are a field of the proceeding.
const UN: &[Step] = &[
    s("DRAFTING", "SUBMITTED"),
    s("SUBMITTED", "REGISTERED"),
    s("SUBMITTED", "NOT_REGISTERED"),
    s("REGISTERED", "TRANSMITTED_TO_STATE"),
    s("TRANSMITTED_TO_STATE", "STATE_OBSERVATIONS_RECEIVED"),
    s("TRANSMITTED_TO_STATE", "STATE_SILENT"),
    s("STATE_OBSERVATIONS_RECEIVED", "AUTHOR_COMMENTS"),
    s("STATE_SILENT", "AUTHOR_COMMENTS"),
    s("STATE_OBSERVATIONS_RECEIVED", "VIEWS_VIOLATION"),
    s("STATE_OBSERVATIONS_RECEIVED", "VIEWS_NO_VIOLATION"),
    s("STATE_OBSERVATIONS_RECEIVED", "INADMISSIBLE"),
    s("STATE_OBSERVATIONS_RECEIVED", "DISCONTINUED"),
    s("STATE_SILENT", "VIEWS_VIOLATION"),
    s("STATE_SILENT", "VIEWS_NO_VIOLATION"),
    s("STATE_SILENT", "INADMISSIBLE"),
    s("STATE_SILENT", "DISCONTINUED"),
    s("AUTHOR_COMMENTS", "VIEWS_VIOLATION"),
    s("AUTHOR_COMMENTS", "VIEWS_NO_VIOLATION"),
    s("AUTHOR_COMMENTS", "INADMISSIBLE"),
    s("AUTHOR_COMMENTS", "DISCONTINUED"),
    s("VIEWS_VIOLATION", "FOLLOW_UP"),
    s("FOLLOW_UP", "CLOSED_SATISFACTORY"),
    s("FOLLOW_UP", "CLOSED_UNSATISFACTORY"),
    reopen("NOT_REGISTERED", "SUBMITTED"),
    reopen("CLOSED_UNSATISFACTORY", "FOLLOW_UP"),
    reopen("CLOSED_SATISFACTORY", "FOLLOW_UP"),
];

impl ProceedingKind {
    /// The allowed steps.
    pub fn steps(self) -> &'static [Step] {
        match self {
            ProceedingKind::Complaint => COMPLAINT,
            ProceedingKind::CriminalCase => CRIMINAL,
            ProceedingKind::CivilClaim => CIVIL,
            ProceedingKind::UnCommunication => UN,
        }
    }

    /// The state a new proceeding starts in.
    pub fn initial(self) -> &'static str {
        match self {
            ProceedingKind::Complaint | ProceedingKind::CivilClaim => "DRAFT",
            ProceedingKind::CriminalCase => "INVESTIGATION",
            ProceedingKind::UnCommunication => "DRAFTING",
        }
    }

    /// Every state, the initial one first, then in the order the steps name them.
    pub fn states(self) -> Vec<&'static str> {
        let mut out = vec![self.initial()];
        for step in self.steps() {
            for state in [step.from, step.to] {
                if !out.contains(&state) {
                    out.push(state);
                }
            }
        }
        out
    }

    /// The states allowed after `from`, in table order.
    pub fn next(self, from: &str) -> Vec<&'static str> {
        self.steps().iter().filter(|s| s.from == from).map(|s| s.to).collect()
    }

    /// Whether `state` ends the proceeding (only a re-opening with a reason leaves it).
    pub fn is_final(self, state: &str) -> bool {
        self.steps().iter().filter(|s| s.from == state).all(|s| s.needs == Need::Reason)
    }

    /// The state of this kind spelled `code`, as a static string.
    pub fn state(self, code: &str) -> Option<&'static str> {
        self.states().into_iter().find(|s| *s == code)
    }
}

/// What the proceeding's records say, for the steps that depend on them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The amount awarded, if recorded.
    pub awarded: Option<Money>,
    /// The sum of the payments recorded.
    pub paid: Money,
}

/// What a proposed step brings with it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Proposal<'a> {
    /// The decision ground (a vocabulary code), if any.
    pub ground: Option<&'a str>,
    /// The note; required when re-opening.
    pub note: &'a str,
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// Not a state of this kind of proceeding at all (a forged form).
    UnknownState,
    /// Not allowed from the current state; the allowed next states, possibly none.
    NotAllowed {
        /// The current state.
        from: &'static str,
        /// The states allowed from it.
        allowed: Vec<&'static str>,
    },
    /// The step needs a decision ground.
    GroundRequired,
    /// Re-opening a final state needs a reason.
    ReasonRequired,
    /// The payments recorded do not match the payment state chosen.
    PaymentsDisagree {
        /// What the payments say.
        actual: PaidStatus,
    },
    /// Enforcement needs an awarded amount.
    NoAward,
}

impl StepError {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            StepError::UnknownState => "legal-step-unknown",
            StepError::NotAllowed { allowed, .. } if allowed.is_empty() => "legal-step-final",
            StepError::NotAllowed { .. } => "legal-step-not-allowed",
            StepError::GroundRequired => "legal-step-ground-required",
            StepError::ReasonRequired => "legal-step-reason-required",
            StepError::PaymentsDisagree { .. } => "legal-step-payments-disagree",
            StepError::NoAward => "legal-step-no-award",
        }
    }
}

/// Checks a step from `from` to `to` for a proceeding of `kind`; returns the state as a static
/// string when it is allowed.
pub fn check_step(
    kind: ProceedingKind,
    from: &str,
    to: &str,
    facts: Facts,
    proposal: Proposal<'_>,
) -> Result<&'static str, StepError> {
    let target = kind.state(to).ok_or(StepError::UnknownState)?;
    let current = kind.state(from).ok_or(StepError::UnknownState)?;
    let Some(step) = kind.steps().iter().find(|s| s.from == current && s.to == target) else {
        return Err(StepError::NotAllowed { from: current, allowed: kind.next(current) });
    };
    match step.needs {
        Need::Nothing => {}
        Need::Ground if proposal.ground.is_none_or(|g| g.trim().is_empty()) => {
            return Err(StepError::GroundRequired);
        }
        Need::Ground => {}
        Need::Reason if proposal.note.trim().is_empty() => return Err(StepError::ReasonRequired),
        Need::Reason => {}
        Need::Award if facts.awarded.is_none_or(|a| a.0 == 0) => return Err(StepError::NoAward),
        Need::Award => {}
        Need::Payments => {
            let actual = PaidStatus::of(facts.awarded, facts.paid);
            let wanted = match target {
                "PAID_FULL" => PaidStatus::Full,
                "PAID_PARTIAL" => PaidStatus::Partial,
                _ => PaidStatus::Unpaid,
            };
            if actual != wanted {
                return Err(StepError::PaymentsDisagree { actual });
            }
        }
    }
    Ok(target)
}

/// How much of an award has been paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaidStatus {
    /// Nothing paid.
    Unpaid,
    /// Some, less than awarded.
    Partial,
    /// All of it (or more).
    Full,
}

impl PaidStatus {
    /// From the award and the payments: no award recorded counts as nothing to pay yet, so only
    /// "unpaid" fits until it is.
    pub fn of(awarded: Option<Money>, paid: Money) -> PaidStatus {
        match awarded {
            _ if paid.0 == 0 => PaidStatus::Unpaid,
            Some(a) if paid.0 >= a.0 => PaidStatus::Full,
            _ => PaidStatus::Partial,
        }
    }

    /// The stable code (translation key `legal-paid-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            PaidStatus::Unpaid => "unpaid",
            PaidStatus::Partial => "partial",
            PaidStatus::Full => "full",
        }
    }
}

/// An amount of Tajik somoni, in diram (1 somoni = 100 diram); never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

/// The largest amount accepted: a billion somoni.
pub const MAX_DIRAM: i64 = 100_000_000_000;

impl Money {
    /// Parses what a person types: digits with spaces (or thin, non-breaking) between thousands,
    /// an optional decimal comma or point with one or two digits, and an optional "TJS" or
    /// "сомонӣ"/"сомони" after it. `None` for anything else (negative, three decimals, letters,
    /// more than a billion).
    pub fn parse(text: &str) -> Option<Money> {
        let mut t = text.trim();
        for suffix in ["TJS", "tjs", "сомонӣ", "сомони", "сом."] {
            if let Some(rest) = t.strip_suffix(suffix) {
                t = rest.trim_end();
                break;
            }
        }
        let t: String =
            t.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')).collect();
        let (whole, frac) = match t.find([',', '.']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t.as_str(), ""),
        };
        let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole)
            || (!frac.is_empty() && (!digits(frac) || frac.len() > 2))
            || t.ends_with([',', '.'])
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let diram = whole.checked_mul(100)?.checked_add(frac)?;
        (diram <= MAX_DIRAM).then_some(Money(diram))
    }

    /// The sum; saturates at the largest amount rather than wrapping.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
        Money(amounts.into_iter().fold(0_i64, |acc, m| acc.saturating_add(m.0)))
    }

    /// The form a person types it back in: `1234,50` (comma) or `1234.50`.
    pub fn input(self, decimal_comma: bool) -> String {
        let sep = if decimal_comma { ',' } else { '.' };
        format!("{}{sep}{:02}", self.0 / 100, self.0 % 100)
    }

    /// For reading: thousands grouped with a narrow space, `1 234 567,50 TJS`.
    pub fn display(self, decimal_comma: bool) -> String {
        let whole = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        let sep = if decimal_comma { ',' } else { '.' };
        format!("{grouped}{sep}{:02}\u{a0}TJS", self.0 % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(false))
    }
}

uuid_id!(
    /// A hearing or deadline in the calendar.
    EntryId
);

/// How long before a hearing or deadline its responsible lawyer is reminded.
pub const REMIND_BEFORE: time::Duration = time::Duration::days(2);

code_enum!(
    /// What a calendar entry is.
    EntryKind {
        /// A court or authority hearing, at a time.
        Hearing => "hearing",
        /// A procedural deadline, on a day.
        Deadline => "deadline",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    const NO: Proposal<'static> = Proposal { ground: None, note: "" };

    /// An amount as typed (a typo in a test's own amounts shows as a failed comparison).
    fn m(text: &str) -> Money {
        Money::parse(text).unwrap_or(Money(-1))
    }

    /// The refusal of a step (a step that was allowed is a test failure).
    fn refused(kind: ProceedingKind, from: &str, to: &str) -> StepError {
        match check_step(kind, from, to, Facts::default(), NO) {
            Err(e) => e,
            Ok(state) => panic!("{kind:?} {from} → {to} was allowed ({state})"),
        }
    }

    #[test]
    fn every_machine_starts_in_its_initial_state_and_reaches_every_state() {
        for kind in ProceedingKind::ALL {
            let states = kind.states();
            let mut reached = vec![kind.initial()];
            let mut frontier = vec![kind.initial()];
            while let Some(state) = frontier.pop() {
                for next in kind.next(state) {
                    if !reached.contains(&next) {
                        reached.push(next);
                        frontier.push(next);
                    }
                }
            }
            for state in &states {
                assert!(reached.contains(state), "{kind:?}: {state} unreachable");
            }
            // No duplicate steps.
            for (i, a) in kind.steps().iter().enumerate() {
                assert!(!kind.steps()[i + 1..].iter().any(|b| a.from == b.from && a.to == b.to));
            }
        }
    }

    #[test]
    fn every_step_outside_the_table_is_refused_with_the_allowed_ones() {
        let facts = Facts { awarded: Some(Money(100)), paid: Money(100) };
        let full = Proposal { ground: Some("NO_CORPUS"), note: "reason" };
        for kind in ProceedingKind::ALL {
            let states = kind.states();
            for from in &states {
                for to in &states {
                    let allowed = kind.steps().iter().any(|s| s.from == *from && s.to == *to);
                    let result = check_step(*kind, from, to, facts, full);
                    if allowed {
                        let step = kind.steps().iter().find(|s| s.from == *from && s.to == *to);
                        // The only facts that can still refuse are the payment ones.
                        if step.is_some_and(|s| s.needs != Need::Payments) {
                            assert_eq!(result, Ok(*to), "{kind:?} {from} → {to}");
                        }
                    } else {
                        assert_eq!(
                            result,
                            Err(StepError::NotAllowed { from, allowed: kind.next(from) }),
                            "{kind:?} {from} → {to}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_refusal_names_the_allowed_next_states() {
        let err = refused(ProceedingKind::Complaint, "DRAFT", "REFUSED");
        assert_eq!(err, StepError::NotAllowed { from: "DRAFT", allowed: vec!["FILED"] });
        assert_eq!(err.key(), "legal-step-not-allowed");
        let err = refused(ProceedingKind::CriminalCase, "TRIAL", "FINAL");
        let StepError::NotAllowed { allowed, .. } = err else { panic!("not a refusal") };
        assert_eq!(
            allowed,
            [
                "VERDICT_CONVICTION",
                "VERDICT_ACQUITTAL",
                "TERMINATED_IN_COURT",
                "RETURNED_FOR_ADDITIONAL_INVESTIGATION"
            ]
        );
    }

    #[test]
    fn states_of_another_kind_and_forged_states_are_unknown() {
        let err = refused(ProceedingKind::Complaint, "DRAFT", "TRIAL");
        assert_eq!(err, StepError::UnknownState);
        let err = check_step(ProceedingKind::UnCommunication, "NOPE", "SUBMITTED", Facts::default(), NO);
        assert_eq!(err, Err(StepError::UnknownState));
    }

    #[test]
    fn refusals_and_terminations_need_a_ground_and_reopening_needs_a_reason() {
        let k = ProceedingKind::Complaint;
        let f = Facts::default();
        assert_eq!(
            check_step(k, "PRE_INVESTIGATION_CHECK", "REFUSED", f, NO),
            Err(StepError::GroundRequired)
        );
        let with = Proposal { ground: Some("NO_CORPUS"), note: "" };
        assert_eq!(check_step(k, "PRE_INVESTIGATION_CHECK", "REFUSED", f, with), Ok("REFUSED"));
        assert!(k.is_final("REFUSAL_UPHELD"));
        assert_eq!(
            check_step(k, "REFUSAL_UPHELD", "PRE_INVESTIGATION_CHECK", f, NO),
            Err(StepError::ReasonRequired)
        );
        let why = Proposal { ground: None, note: "new forensic report" };
        assert_eq!(
            check_step(k, "REFUSAL_UPHELD", "PRE_INVESTIGATION_CHECK", f, why),
            Ok("PRE_INVESTIGATION_CHECK")
        );
        let c = ProceedingKind::CriminalCase;
        assert_eq!(check_step(c, "INVESTIGATION", "TERMINATED", f, NO), Err(StepError::GroundRequired));
        assert!(!c.is_final("TRIAL"));
    }

    #[test]
    fn payment_states_follow_the_payments() {
        let k = ProceedingKind::CivilClaim;
        let awarded = Some(m("25 000"));
        let none = Facts { awarded, paid: Money(0) };
        let part = Facts { awarded, paid: m("10 000,50") };
        let all = Facts { awarded, paid: m("25000") };
        assert_eq!(check_step(k, "ENFORCEMENT", "UNPAID", none, NO), Ok("UNPAID"));
        assert_eq!(
            check_step(k, "ENFORCEMENT", "PAID_FULL", part, NO),
            Err(StepError::PaymentsDisagree { actual: PaidStatus::Partial })
        );
        assert_eq!(check_step(k, "ENFORCEMENT", "PAID_PARTIAL", part, NO), Ok("PAID_PARTIAL"));
        assert_eq!(check_step(k, "PAID_PARTIAL", "PAID_FULL", all, NO), Ok("PAID_FULL"));
        assert_eq!(check_step(k, "FINAL", "ENFORCEMENT", Facts::default(), NO), Err(StepError::NoAward));
        assert_eq!(check_step(k, "FINAL", "ENFORCEMENT", none, NO), Ok("ENFORCEMENT"));
    }

    #[test]
    fn money_parses_what_people_type_and_sums_exactly() {
        assert_eq!(Money::parse("1 234,56"), Some(Money(123_456)));
        assert_eq!(Money::parse("1\u{a0}234.5 TJS"), Some(Money(123_450)));
        assert_eq!(Money::parse("25000 сомонӣ"), Some(Money(2_500_000)));
        assert_eq!(Money::parse("0,07"), Some(Money(7)));
        for bad in ["", "-5", "1,234,5", "12.345", "abc", "1e5", "5,", "1000000001", "١٢"] {
            assert_eq!(Money::parse(bad), None, "{bad}");
        }
        // 0.10 + 0.20 is exactly 0.30 in diram (it is not in floating point).
        let sum = Money::sum([m("0,10"), m("0,20")]);
        assert_eq!(sum, Money(30));
        assert_eq!(Money(123_456_789).display(true), "1\u{202f}234\u{202f}567,89\u{a0}TJS");
        assert_eq!(Money(5).input(false), "0.05");
        assert_eq!(Money::parse(&Money(987_654).input(true)), Some(Money(987_654)));
    }
}
