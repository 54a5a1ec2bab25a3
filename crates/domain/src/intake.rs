//! Intake (DOMAIN.md section 3.2): the hotline lines, every contact with the coalition (a call, a
//! message, a visit, a web report), the urgent alert a contact raises when someone is in custody or
//! at risk right now, triage and the follow-up tasks. Pure types and rules; storage is in `store`.

use std::fmt;

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

uuid_id!(
    /// A contact (UUIDv7, opaque in URLs).
    ContactId
);
uuid_id!(
    /// An urgent alert.
    AlertId
);
uuid_id!(
    /// A follow-up task.
    TaskId
);

code_enum!(
    /// How the contact reached the coalition.
    Channel {
        /// A phone call to a hotline.
        Call => "call",
        /// A text message.
        Sms => "sms",
        /// A messenger (Telegram, WhatsApp, Signal, IMO).
        Messenger => "messenger",
        /// Someone came to an office.
        WalkIn => "walk-in",
        /// The anonymous web report form.
        Web => "web",
        /// An allegation received during a monitoring visit, passed on with the person's
        /// authorisation.
        Visit => "monitoring-visit",
    }
);

code_enum!(
    /// Who is calling, in relation to the person concerned.
    CallerRole {
        /// The person concerned.
        Victim => "victim",
        /// A relative.
        Relative => "relative",
        /// A lawyer.
        Lawyer => "lawyer",
        /// A witness.
        Witness => "witness",
        /// A fellow detainee or conscript.
        FellowDetainee => "fellow-detainee",
        /// A journalist.
        Journalist => "journalist",
        /// The caller does not say.
        Anonymous => "anonymous",
        /// Someone else.
        Other => "other",
    }
);

code_enum!(
    /// Where a contact stands in triage.
    ContactStatus {
        /// Not handled yet: in the line's queue.
        New => "new",
        /// A case was opened from it.
        CaseOpened => "case-opened",
        /// Linked to an existing case.
        Linked => "linked",
        /// Closed with a reason, without a case.
        Closed => "closed",
    }
);

code_enum!(
    /// Why a contact was closed without a case.
    CloseReason {
        /// Outside the coalition's mandate.
        OutsideMandate => "outside-mandate",
        /// Referred to another organisation.
        ReferredElsewhere => "referred-elsewhere",
        /// The caller wanted information only.
        InformationOnly => "information-only",
    }
);

code_enum!(
    /// What happened to an alert, in its log.
    AlertStep {
        /// Raised by a contact.
        Raised => "raised",
        /// Shown to a user (the first time for each user).
        Seen => "seen",
        /// Acknowledged: someone is acting on it.
        Acknowledged => "acknowledged",
        /// Not acknowledged in time: escalated to the coordinators.
        Escalated => "escalated",
    }
);

code_enum!(
    /// What an in-app notification is about.
    NotificationKind {
        /// A new urgent alert for the user.
        Alert => "alert",
        /// An alert nobody acknowledged in time (coordinators).
        Escalation => "escalation",
        /// A contact was assigned to the user.
        Assignment => "assignment",
        /// A task was given to the user.
        Task => "task",
        /// A task of the user is due.
        TaskDue => "task-due",
        /// The sender of a web report wrote a message.
        ReportMessage => "report-message",
        /// A hearing the user is responsible for is near.
        Hearing => "hearing",
        /// A procedural deadline the user is responsible for is near.
        Deadline => "deadline",
    }
);

/// How long an alert may stay unacknowledged before it escalates, unless configured otherwise.
pub const DEFAULT_ESCALATE_AFTER: Duration = Duration::hours(2);

/// Whether an alert raised at `raised_at`, still unacknowledged and not yet escalated, is due to
/// escalate at `now`.
pub fn escalation_due(raised_at: OffsetDateTime, now: OffsetDateTime, after: Duration) -> bool {
    now - raised_at >= after
}

/// The code of a hotline line (`SUG`, `ARMY`): 2–16 capital Latin letters, digits or hyphens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCode(String);

impl LineCode {
    /// Parses a code; anything else is refused.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = (2..=16).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| LineCode(text.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LineCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a line's published numbers, one per line or separated by commas: digits, spaces, `+`,
/// `-` and parentheses, with 5 to 15 digits each. At least one, at most 5.
pub fn parse_numbers(text: &str) -> Option<Vec<String>> {
    let numbers: Vec<String> = text
        .split(['\n', ','])
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect();
    let valid = |n: &String| {
        let digits = n.chars().filter(char::is_ascii_digit).count();
        (5..=15).contains(&digits) && n.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
    };
    (!numbers.is_empty() && numbers.len() <= 5 && numbers.iter().all(valid)).then_some(numbers)
}

/// The longest summary a contact may carry.
pub const MAX_SUMMARY: usize = 20_000;
/// The longest identifying detail (name, contacts).
pub const MAX_DETAIL: usize = 500;

/// What identifies the caller or the person concerned. Sealed in the identity compartment; its
/// `Debug` prints nothing.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallerDetails {
    /// The name the caller gives (theirs or the person's concerned).
    #[serde(default)]
    pub name: String,
    /// How to reach them back: phone, messenger.
    #[serde(default)]
    pub contacts: String,
}

impl fmt::Debug for CallerDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallerDetails(<sealed>)")
    }
}

impl CallerDetails {
    /// Whether nothing was given.
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.contacts.trim().is_empty()
    }
}

/// Why a contact's fields were refused; each maps to a translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactProblem {
    /// No summary.
    SummaryMissing,
    /// The summary is longer than [`MAX_SUMMARY`] or holds control characters.
    SummaryBad,
    /// A name or contact is longer than [`MAX_DETAIL`] or holds control characters.
    DetailBad,
    /// Identifying details without the consent to record them (DOMAIN.md section 7: consent
    /// must exist before names are stored).
    DetailsWithoutConsent,
    /// A choice the lists do not have (a forged or stale form).
    BadChoice,
    /// The time of the contact is missing, malformed or in the future.
    BadTime,
    /// No line was chosen (staff must choose one, or say that there was none).
    LineMissing,
}

impl ContactProblem {
    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        match self {
            ContactProblem::SummaryMissing => "contact-error-summary-missing",
            ContactProblem::SummaryBad => "contact-error-summary-bad",
            ContactProblem::DetailBad => "contact-error-detail-bad",
            ContactProblem::DetailsWithoutConsent => "contact-error-details-without-consent",
            ContactProblem::BadChoice => "contact-error-bad-choice",
            ContactProblem::BadTime => "contact-error-bad-time",
            ContactProblem::LineMissing => "contact-error-line-missing",
        }
    }
}

fn clean_text(text: &str, max: usize, multiline: bool) -> bool {
    text.chars().count() <= max
        && !text.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
}

/// Checks a contact's free text and details together with its consent (the rules that do not
/// need the lists): returns every problem found.
pub fn check_contact(summary: &str, details: &CallerDetails, consent_to_record: bool) -> Vec<ContactProblem> {
    let mut problems = Vec::new();
    if summary.trim().is_empty() {
        problems.push(ContactProblem::SummaryMissing);
    } else if !clean_text(summary, MAX_SUMMARY, true) {
        problems.push(ContactProblem::SummaryBad);
    }
    if !clean_text(&details.name, MAX_DETAIL, false) || !clean_text(&details.contacts, MAX_DETAIL, true) {
        problems.push(ContactProblem::DetailBad);
    } else if !details.is_empty() && !consent_to_record {
        problems.push(ContactProblem::DetailsWithoutConsent);
    }
    problems
}

/// The receipt a web reporter keeps: a code to find the report and a secret to prove it is theirs.
/// Both are random; only their hashes are stored.
pub mod receipt {
    /// The alphabet of receipt codes and secrets: digits and capital letters without the ones
    /// people confuse (0/O, 1/I/L), easy to copy by hand or read over a phone.
    pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    /// Characters in a receipt code (31^10, about 49 bits: finds the report, not enough alone).
    pub const CODE_LEN: usize = 10;
    /// Characters in the secret (31^20, about 99 bits).
    pub const SECRET_LEN: usize = 20;

    /// Renders random bytes as `len` characters of [`ALPHABET`], by rejection so that every
    /// character is equally likely. Returns `None` when the bytes ran out.
    pub fn encode(random: &[u8], len: usize) -> Option<String> {
        // 248 = 8 × 31: bytes at or above it would bias the first characters.
        let out: String = random
            .iter()
            .filter(|b| **b < 248)
            .take(len)
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        (out.len() == len).then_some(out)
    }

    /// Normalises what a person typed: drops spaces and hyphens, capitalises. `None` when
    /// the result cannot be a code of `len` characters of [`ALPHABET`].
    pub fn normalise(typed: &str, len: usize) -> Option<String> {
        let text: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (text.len() == len && text.bytes().all(|b| ALPHABET.contains(&b))).then_some(text)
    }

    /// Groups a code in fours for reading: `ABCD-EFGH-JK`.
    pub fn group(code: &str) -> String {
        code.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_refused() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(*c));
        }
        for c in CallerRole::ALL {
            assert_eq!(CallerRole::parse(c.code()), Some(*c));
        }
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(CloseReason::parse(""), None);
    }

    #[test]
    fn line_codes_and_numbers() {
        assert!(LineCode::parse("ARMY").is_some());
        assert!(LineCode::parse("sug").is_none());
        assert!(LineCode::parse("S").is_none());
        assert!(LineCode::parse("<script>").is_none());
        assert_eq!(
            parse_numbers("(+992) 933 331 703,\n(+992)   922 221 803"),
            Some(vec!["(+992) 933 331 703".to_owned(), "(+992) 922 221 803".to_owned()])
        );
        assert_eq!(parse_numbers("987873333"), Some(vec!["987873333".to_owned()]));
        assert_eq!(parse_numbers(""), None);
        assert_eq!(parse_numbers("call me"), None);
        assert_eq!(parse_numbers("1234"), None);
    }

    #[test]
    fn details_need_consent_and_summaries_are_required() {
        let named = CallerDetails { name: "Фирӯза".into(), contacts: String::new() };
        assert_eq!(check_contact("text", &named, false), vec![ContactProblem::DetailsWithoutConsent]);
        assert!(check_contact("text", &named, true).is_empty());
        assert!(check_contact("text", &CallerDetails::default(), false).is_empty());
        assert_eq!(
            check_contact("  ", &CallerDetails::default(), true),
            vec![ContactProblem::SummaryMissing]
        );
        let bad = CallerDetails { name: "a\u{7}".into(), contacts: String::new() };
        assert_eq!(check_contact("x", &bad, true), vec![ContactProblem::DetailBad]);
    }

    #[test]
    fn escalation_is_due_after_the_configured_time() {
        let t = time::macros::datetime!(2026-11-30 10:00 UTC);
        assert!(!escalation_due(t, t + Duration::minutes(119), DEFAULT_ESCALATE_AFTER));
        assert!(escalation_due(t, t + Duration::minutes(120), DEFAULT_ESCALATE_AFTER));
    }

    #[test]
    fn receipts_are_unbiased_and_typing_is_forgiving() {
        assert_eq!(receipt::encode(&[0, 30, 31, 248, 255, 247], 4), Some("2Z2Z".into()));
        assert_eq!(receipt::encode(&[250, 251], 1), None);
        assert_eq!(receipt::normalise("abcd-efgh jk", 10), Some("ABCDEFGHJK".into()));
        assert_eq!(receipt::normalise("ABCDEFGHJ0", 10), None);
        assert_eq!(receipt::group("ABCDEFGHJK"), "ABCD-EFGH-JK");
    }
}
