//! Monitoring of places of detention and the follow-up of recommendations (DOMAIN.md 3.6, 3.7,
//! 5.8 and 5.9).
//!
//! A visit, its findings and its recommendations, UN documents and UN recommendations are records
//! of the registry (`record::Kind::Visit` …), so their forms, versions and tombstones work as for
//! every record. What is kept apart, append-only, is what happens to them over time:
//! - the course of a visit, as steps of the machine below (its state is the last step);
//! - the assessments of a recommendation: who judged how far it is implemented, when, on what
//!   evidence. Ours, the State's and the committee's views sit side by side; a later assessment
//!   does not replace an earlier one, it follows it, and an importer never touches them.

use time::Date;

/// The course of a visit (DOMAIN.md 5.8), as (from, to) steps. Access is requested before an
/// announced visit; an unannounced one goes from planning straight to the gate, where access is
/// recorded on arrival (granted, or refused: a denial ends the visit and is itself a finding).
/// The debrief with the director can fail to happen; a response can come after the deadline.
pub const STEPS: &[(&str, &str)] = &[
    ("PLANNED", "ACCESS_REQUESTED"),
    ("PLANNED", "CONDUCTED"),
    ("PLANNED", "ACCESS_DENIED"),
    ("ACCESS_REQUESTED", "ACCESS_GRANTED"),
    ("ACCESS_REQUESTED", "ACCESS_DENIED"),
    ("ACCESS_GRANTED", "CONDUCTED"),
    ("CONDUCTED", "DEBRIEFED"),
    ("CONDUCTED", "REPORT_DRAFTING"),
    ("DEBRIEFED", "REPORT_DRAFTING"),
    ("REPORT_DRAFTING", "REPORT_SENT"),
    ("REPORT_SENT", "RESPONSE_RECEIVED"),
    ("REPORT_SENT", "NO_RESPONSE"),
    ("NO_RESPONSE", "RESPONSE_RECEIVED"),
    ("RESPONSE_RECEIVED", "FOLLOW_UP_SCHEDULED"),
    ("RESPONSE_RECEIVED", "CLOSED"),
    ("NO_RESPONSE", "FOLLOW_UP_SCHEDULED"),
    ("NO_RESPONSE", "CLOSED"),
    ("FOLLOW_UP_SCHEDULED", "CLOSED"),
];

/// The state a new visit starts in.
pub const INITIAL: &str = "PLANNED";

/// Every state, in the order of the course.
pub const STATES: &[&str] = &[
    "PLANNED",
    "ACCESS_REQUESTED",
    "ACCESS_GRANTED",
    "ACCESS_DENIED",
    "CONDUCTED",
    "DEBRIEFED",
    "REPORT_DRAFTING",
    "REPORT_SENT",
    "RESPONSE_RECEIVED",
    "NO_RESPONSE",
    "FOLLOW_UP_SCHEDULED",
    "CLOSED",
];

/// The notice code of an unannounced visit (vocabulary `visit_notice`).
pub const UNANNOUNCED: &str = "UNANNOUNCED";

/// Whether the visit took place: it reached `CONDUCTED` or any state after it (statistic 18
/// counts these).
pub fn conducted(state: &str) -> bool {
    !matches!(state, "PLANNED" | "ACCESS_REQUESTED" | "ACCESS_GRANTED" | "ACCESS_DENIED")
}

/// The states allowed after `from` for a visit with this notice.
pub fn next(from: &str, unannounced: bool) -> Vec<&'static str> {
    STEPS
        .iter()
        .filter(|(f, t)| *f == from && allowed_for_notice(f, t, unannounced))
        .map(|(_, t)| *t)
        .collect()
}

/// An announced visit asks for access first; an unannounced one never does.
fn allowed_for_notice(from: &str, to: &str, unannounced: bool) -> bool {
    match (from, to) {
        ("PLANNED", "ACCESS_REQUESTED") => !unannounced,
        ("PLANNED", "CONDUCTED" | "ACCESS_DENIED") => unannounced,
        _ => true,
    }
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// Not allowed from the current state (for this notice); the allowed ones.
    NotAllowed {
        /// The current state.
        from: &'static str,
        /// The states allowed from it.
        allowed: Vec<&'static str>,
    },
    /// A denial of access needs a note: who refused, and what.
    NoNote,
}

impl StepError {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            StepError::NotAllowed { allowed, .. } if allowed.is_empty() => "visit-step-final",
            StepError::NotAllowed { .. } => "visit-step-not-allowed",
            StepError::NoNote => "visit-step-no-note",
        }
    }
}

/// Checks a step of a visit with the given notice; returns the state reached.
pub fn check_step(from: &str, to: &str, unannounced: bool, note: &str) -> Result<&'static str, StepError> {
    let current = STATES.iter().copied().find(|s| *s == from).unwrap_or(INITIAL);
    match next(current, unannounced).into_iter().find(|t| *t == to) {
        None => Err(StepError::NotAllowed { from: current, allowed: next(current, unannounced) }),
        Some("ACCESS_DENIED") if note.trim().is_empty() => Err(StepError::NoNote),
        Some(t) => Ok(t),
    }
}

code_enum!(
    /// Whose view of a recommendation's implementation an assessment records.
    Assessor {
        /// The coalition's own (for a visit's recommendation, the monitoring group's).
        Coalition => "coalition",
        /// The State's, from its follow-up reports, replies and periodic reports.
        State => "state",
        /// The committee's or the mechanism's (follow-up letters, lists of issues, concluding
        /// observations of the next cycle).
        Committee => "committee",
        /// The Ombudsman's.
        Ombudsman => "ombudsman",
    }
);

/// The three viewpoints the matrix and the shadow report set side by side.
pub const VIEWPOINTS: [Assessor; 3] = [Assessor::Coalition, Assessor::State, Assessor::Committee];

/// What an assessment's evidence points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EvidenceLink {
    /// A case, by its number (`TJ-2026-0042`).
    Case(String),
    /// A record of the registry by its reference: a visit (`MV-0003`), a visit's finding, a UN
    /// document.
    Record(String),
    /// A publication: its title or address (a report, an article).
    Publication(String),
}

impl EvidenceLink {
    /// The stable kind code (stored).
    pub fn kind(&self) -> &'static str {
        match self {
            EvidenceLink::Case(_) => "case",
            EvidenceLink::Record(_) => "record",
            EvidenceLink::Publication(_) => "publication",
        }
    }

    /// The reference or text.
    pub fn text(&self) -> &str {
        match self {
            EvidenceLink::Case(t) | EvidenceLink::Record(t) | EvidenceLink::Publication(t) => t,
        }
    }
}

/// Reads the references typed into an assessment's evidence field, one per line or separated by
/// commas or semicolons: case numbers (`TJ-2026-0042`) and record references (`MV-0003`) are
/// recognised; whatever else is left is a publication (a title or an address), one per line.
/// The caller checks that the references exist.
pub fn parse_links(text: &str) -> Vec<EvidenceLink> {
    let mut out: Vec<EvidenceLink> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()).collect();
        let all_refs = parts.iter().all(|p| reference_link(p).is_some());
        let links: Vec<EvidenceLink> = if all_refs {
            parts.iter().filter_map(|p| reference_link(p)).collect()
        } else {
            vec![EvidenceLink::Publication(line.chars().take(300).collect())]
        };
        for link in links {
            if !out.contains(&link) {
                out.push(link);
            }
        }
    }
    out
}

/// A case number or a registry reference, normalised to upper case.
fn reference_link(text: &str) -> Option<EvidenceLink> {
    let upper = text.trim().to_uppercase();
    if crate::case::CaseNumber::parse(&upper).is_some() {
        return Some(EvidenceLink::Case(upper));
    }
    let (prefix, number) = upper.split_once('-')?;
    let registry = [
        crate::record::Kind::Visit,
        crate::record::Kind::VisitFinding,
        crate::record::Kind::VisitRecommendation,
        crate::record::Kind::UnDocument,
        crate::record::Kind::UnRecommendation,
    ];
    let known = registry.iter().any(|k| k.prefix() == prefix);
    (known && !number.is_empty() && number.len() <= 9 && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(EvidenceLink::Record(upper))
}

/// Why an assessment was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessmentProblem {
    /// No status chosen.
    NoStatus,
    /// A day in the future: an assessment records what was known on a day that has come.
    Future,
    /// Neither evidence nor an official grade nor a source document: an assessment says why.
    NoEvidence,
}

impl AssessmentProblem {
    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        match self {
            AssessmentProblem::NoStatus => "assessment-no-status",
            AssessmentProblem::Future => "assessment-future",
            AssessmentProblem::NoEvidence => "assessment-no-evidence",
        }
    }
}

/// Checks an assessment's shape: a status, a day not after `today`, and something it rests on.
pub fn check_assessment(
    status: &str,
    as_of: Date,
    today: Date,
    evidence: &str,
    grade: &str,
    source: &str,
) -> Result<(), AssessmentProblem> {
    if status.trim().is_empty() {
        return Err(AssessmentProblem::NoStatus);
    }
    if as_of > today {
        return Err(AssessmentProblem::Future);
    }
    if evidence.trim().is_empty() && grade.trim().is_empty() && source.trim().is_empty() {
        return Err(AssessmentProblem::NoEvidence);
    }
    Ok(())
}

/// A UN document read from an import (the shipped set names the documents its items come from).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportDocument {
    /// Its title.
    pub title: String,
    /// A term of `un_mechanism`, or a label of one.
    pub mechanism: String,
    /// The UN symbol, if it has one (`CAT/C/TJK/CO/3`).
    pub symbol: String,
    /// A term of `un_doc_type`, if known.
    pub doc_type: String,
    /// The session.
    pub session: String,
    /// Adopted on.
    pub adopted: Option<Date>,
    /// Issued (or received) on.
    pub issued: Option<Date>,
    /// How much of it the coalition could read.
    pub read_status: String,
    /// Notes.
    pub notes: String,
}

/// One recommendation read from an import, with raw values as the source gives them: the store
/// matches vocabulary terms by code or label and reports what it had to leave out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportItem {
    /// Where it was in the file (1-based; a spreadsheet's row, counting the header).
    pub position: usize,
    /// The source's own id (UHRI's, or the shipped set's), kept to find the item again.
    pub external_id: String,
    /// The mechanism: a term of `un_mechanism` or a label of one.
    pub mechanism: String,
    /// The document symbol.
    pub symbol: String,
    /// The paragraph (`10`, `18(c)`, `123.45`).
    pub paragraph: String,
    /// The document's date.
    pub date: Option<Date>,
    /// The official text in English.
    pub text_en: String,
    /// The official text in Russian.
    pub text_ru: String,
    /// UHRI themes, as labels or codes.
    pub uhri_themes: Vec<String>,
    /// Affected persons, as labels or codes.
    pub affected_persons: Vec<String>,
    /// UPR: the recommending State.
    pub recommending_state: String,
    /// UPR: the State's position (supported, noted), as a label or code.
    pub upr_position: String,
    /// SDG targets.
    pub sdg_targets: Vec<String>,
    /// The countries the source says the item concerns (empty when it does not say).
    pub countries: Vec<String>,
    /// The coalition's own fields, which the shipped set carries: used only when the item is new.
    pub own: Option<OwnFields>,
}

/// The coalition's fields of a recommendation that an import may give for a new item only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnFields {
    /// Our summary in English.
    pub summary_en: String,
    /// Our summary in Russian.
    pub summary_ru: String,
    /// Our themes (`un_theme` terms or labels).
    pub themes: Vec<String>,
    /// Responsible State bodies (`agency` terms or labels).
    pub responsible_bodies: Vec<String>,
    /// Selected for the committee's follow-up procedure.
    pub followup: bool,
    /// Confirmed against the official text.
    pub verified: bool,
    /// Where the summary comes from, what is uncertain.
    pub source_note: String,
    /// The document it comes from: its symbol, or its title when it has none.
    pub document: String,
}

/// What an import did with one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new recommendation.
    Added,
    /// An existing one whose official fields changed (which).
    Updated(Vec<&'static str>),
    /// Left as it was, and why.
    Skipped(SkipReason),
}

/// Why an import left an item alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Already there with the same official values.
    Unchanged,
    /// No paragraph (or recommendation number): nothing to find it by.
    NoParagraph,
    /// A mechanism the list does not know.
    UnknownMechanism(String),
    /// The same item appeared earlier in the same file.
    Repeated,
    /// A value too long or with control characters.
    BadText(&'static str),
    /// The coalition removed this recommendation (a tombstone): an import does not bring it back.
    Removed,
    /// Addressed to another country (the export held more than Tajikistan).
    OtherCountry(String),
}

impl ImportOutcome {
    /// The translation key of the outcome.
    pub fn key(&self) -> &'static str {
        match self {
            ImportOutcome::Added => "import-added",
            ImportOutcome::Updated(_) => "import-updated",
            ImportOutcome::Skipped(SkipReason::Unchanged) => "import-skipped-unchanged",
            ImportOutcome::Skipped(SkipReason::NoParagraph) => "import-skipped-no-paragraph",
            ImportOutcome::Skipped(SkipReason::UnknownMechanism(_)) => "import-skipped-mechanism",
            ImportOutcome::Skipped(SkipReason::Repeated) => "import-skipped-repeated",
            ImportOutcome::Skipped(SkipReason::BadText(_)) => "import-skipped-text",
            ImportOutcome::Skipped(SkipReason::Removed) => "import-skipped-removed",
            ImportOutcome::Skipped(SkipReason::OtherCountry(_)) => "import-skipped-country",
        }
    }
}

/// One line of an import's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportLine {
    /// Where the item was in the file (1-based, rows of a spreadsheet counting the header).
    pub position: usize,
    /// How people name it: `CAT/C/TJK/CO/3 ¶10`.
    pub label: String,
    /// What happened.
    pub outcome: ImportOutcome,
    /// Values that were left out (a theme the list lacks), as `field: value`.
    pub left_out: Vec<String>,
}

/// Whether a country name (in English, Russian or Tajik, any case) is Tajikistan.
pub fn is_tajikistan(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    ["tajikistan", "таджикистан", "тоҷикистон"].iter().any(|n| name.contains(n))
}

/// A paragraph as compared: no "para." or "§", no spaces, lower case (`18 (c)` = `18(c)`).
pub fn paragraph_key(text: &str) -> String {
    let t = text.trim().to_lowercase();
    let t = t.trim_start_matches("paragraph").trim_start_matches("para.").trim_start_matches("para");
    let t = t.trim_start_matches(['§', '¶', 'п', '.']);
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A symbol as compared: upper case, no spaces.
pub fn symbol_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_outside_the_machine_is_refused_with_the_allowed_ones() {
        for unannounced in [false, true] {
            for from in STATES {
                for to in STATES {
                    let allowed = STEPS.contains(&(from, to)) && allowed_for_notice(from, to, unannounced);
                    match check_step(from, to, unannounced, "the director refused") {
                        Ok(reached) => {
                            assert!(allowed, "{from} → {to} ({unannounced}) must be refused");
                            assert_eq!(reached, *to);
                        }
                        Err(StepError::NotAllowed { from: f, allowed: next_states }) => {
                            assert!(!allowed, "{from} → {to} ({unannounced}) must be allowed");
                            assert_eq!(f, *from);
                            assert_eq!(next_states, next(from, unannounced));
                        }
                        Err(other) => panic!("{from} → {to}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn an_unannounced_visit_never_asks_for_access_and_an_announced_one_always_does() {
        assert_eq!(next("PLANNED", false), vec!["ACCESS_REQUESTED"]);
        assert_eq!(next("PLANNED", true), vec!["CONDUCTED", "ACCESS_DENIED"]);
        assert!(check_step("PLANNED", "CONDUCTED", false, "").is_err());
        assert!(check_step("PLANNED", "ACCESS_REQUESTED", true, "").is_err());
        assert_eq!(
            check_step("PLANNED", "ACCESS_DENIED", true, " ").map_err(|e| e.key()),
            Err("visit-step-no-note")
        );
        assert_eq!(
            check_step("ACCESS_DENIED", "CONDUCTED", false, "x").map_err(|e| e.key()),
            Err("visit-step-final")
        );
        assert_eq!(
            check_step("CLOSED", "CONDUCTED", true, "x").map_err(|e| e.key()),
            Err("visit-step-final")
        );
        assert!(matches!(
            check_step("BOGUS", "CLOSED", false, ""),
            Err(StepError::NotAllowed { from: "PLANNED", .. })
        ));
    }

    #[test]
    fn every_state_is_reachable_and_only_denial_and_closing_end_a_visit() {
        let mut reached = vec![INITIAL];
        let mut i = 0;
        while i < reached.len() {
            for unannounced in [false, true] {
                for to in next(reached[i], unannounced) {
                    if !reached.contains(&to) {
                        reached.push(to);
                    }
                }
            }
            i += 1;
        }
        assert_eq!(reached.len(), STATES.len());
        let ends: Vec<&str> = STATES
            .iter()
            .copied()
            .filter(|s| next(s, false).is_empty() && next(s, true).is_empty())
            .collect();
        assert_eq!(ends, vec!["ACCESS_DENIED", "CLOSED"]);
        assert!(!conducted("ACCESS_DENIED") && conducted("CONDUCTED") && conducted("CLOSED"));
    }

    #[test]
    fn evidence_links_recognise_case_numbers_and_references_and_keep_the_rest_as_publications() {
        let links = parse_links("tj-2026-0042, MV-0003; ur-0012\nAnnual report 2025, p. 14\n\nMV-0003");
        assert_eq!(
            links,
            vec![
                EvidenceLink::Case("TJ-2026-0042".into()),
                EvidenceLink::Record("MV-0003".into()),
                EvidenceLink::Record("UR-0012".into()),
                EvidenceLink::Publication("Annual report 2025, p. 14".into()),
            ]
        );
        assert_eq!(parse_links("XX-0001"), vec![EvidenceLink::Publication("XX-0001".into())]);
        assert!(parse_links("  \n ").is_empty());
    }

    #[test]
    fn an_assessment_needs_a_status_a_past_day_and_a_ground() {
        let today = time::macros::date!(2026 - 12 - 01);
        let day = time::macros::date!(2025 - 05 - 23);
        assert_eq!(check_assessment("PARTIAL", day, today, "", "", "CAT/C/TJK/Q/4"), Ok(()));
        assert_eq!(check_assessment("", day, today, "x", "", ""), Err(AssessmentProblem::NoStatus));
        assert_eq!(
            check_assessment("FULL", time::macros::date!(2026 - 12 - 02), today, "x", "", ""),
            Err(AssessmentProblem::Future)
        );
        assert_eq!(check_assessment("FULL", day, today, " ", "", ""), Err(AssessmentProblem::NoEvidence));
        for a in Assessor::ALL {
            assert_eq!(Assessor::parse(a.code()), Some(*a));
        }
    }

    #[test]
    fn paragraphs_and_symbols_compare_as_people_write_them() {
        for written in ["18(c)", " 18 (c) ", "para. 18(c)", "§18(c)", "п. 18(c)", "Paragraph 18 (C)"] {
            assert_eq!(paragraph_key(written), "18(c)", "{written}");
        }
        assert_eq!(paragraph_key("123.45"), "123.45");
        assert_eq!(symbol_key(" cat/c/tjk/co/3 "), "CAT/C/TJK/CO/3");
    }
}
