//! The legal side of a generated case (DOMAIN.md 5.2-5.5): a complaint to the prosecutor, the
//! criminal case it may lead to with the identified perpetrators accused, a civil claim for
//! compensation after a conviction, and now and then a communication to a UN treaty body.
//!
//! Every path is a walk through the machines of `ozodi_domain::legal`, each step checked with
//! `check_step` against what the proceeding holds (an award before enforcement, payments that add
//! up to the payment state), so the store accepts every one of them. Re-openings are left out.

use ozodi_domain::legal::{Facts, Money, Need, ProceedingKind, Proposal, check_step};
use time::{Date, Duration};

use crate::model::{Accused, Case, Lang, LegalStep, Proceeding};
use crate::rng::R;

/// The last day anything generated happens on (as for the cases).
fn max_date() -> Date {
    Date::from_calendar_date(2026, time::Month::October, 31).unwrap_or(Date::MAX)
}

/// The stages that move a proceeding on: more likely than the others at each step.
const FORWARD: &[&str] = &[
    "FILED",
    "PRE_INVESTIGATION_CHECK",
    "TRIAL",
    "VERDICT_CONVICTION",
    "FINAL",
    "ACCEPTED",
    "HEARING",
    "JUDGMENT_GRANTED_PARTIAL",
    "JUDGMENT_GRANTED_FULL",
    "ENFORCEMENT",
    "PAID_PARTIAL",
    "PAID_FULL",
    "SUBMITTED",
    "REGISTERED",
    "TRANSMITTED_TO_STATE",
    "STATE_OBSERVATIONS_RECEIVED",
    "VIEWS_VIOLATION",
    "FOLLOW_UP",
];

/// How likely a stage is among those allowed next: rather forward than not, though a criminal case
/// is opened on a complaint, and sent to court, far less often than not (DOMAIN.md 5.2-5.3).
fn weight(to: &str) -> u32 {
    match to {
        "CASE_OPENED" => 1,
        "INDICTMENT_SENT" => 2,
        _ if FORWARD.contains(&to) => 3,
        _ => 1,
    }
}

const GROUNDS: &[&str] =
    &["NO_CRIME", "NO_CORPUS", "SELF_INFLICTED", "UNIDENTIFIED", "INSUFFICIENT", "OTHER"];

/// A title in the case's language; never a name.
fn title(kind: ProceedingKind, lang: Lang, article: &str) -> String {
    let titles: [&str; 3] = match kind {
        ProceedingKind::Complaint => [
            "Заявление о пытках в прокуратуру",
            "Ариза дар бораи шиканҷа ба прокуратура",
            "Torture complaint to the prosecutor",
        ],
        ProceedingKind::CriminalCase => [
            "Уголовное дело по ст. {art} УК",
            "Парвандаи ҷиноятӣ аз рӯи моддаи {art} КҶ",
            "Criminal case under art. {art} of the Criminal Code",
        ],
        ProceedingKind::CivilClaim => [
            "Иск о компенсации морального вреда",
            "Даъво дар бораи ҷуброни зарари маънавӣ",
            "Claim for compensation of moral damage",
        ],
        ProceedingKind::UnCommunication => [
            "Индивидуальное сообщение в Комитет ООН",
            "Муроҷиати инфиродӣ ба Кумитаи СММ",
            "Individual communication to a UN treaty body",
        ],
    };
    titles[lang.index()].replace("{art}", article)
}

/// Walks the machine of `p.kind` from its initial state for up to `max_steps` steps, from the
/// day it was filed; stops at random, at a final state, or at the end of the generated time.
fn walk(rng: &mut R, p: &mut Proceeding, kind: ProceedingKind, max_steps: usize, stop_percent: u32) {
    let mut state = kind.initial();
    let mut day = p.filed;
    let mut paid = 0i64;
    for _ in 0..max_steps {
        if !p.steps.is_empty() && rng.chance(stop_percent) {
            break;
        }
        let options: Vec<_> =
            kind.steps().iter().filter(|s| s.from == state && s.needs != Need::Reason).collect();
        if options.is_empty() {
            break;
        }
        let next_day = day + Duration::days(i64::from(rng.range(7, 120)));
        if next_day > max_date() {
            break;
        }
        let weighted: Vec<_> = options.iter().map(|s| (*s, weight(s.to))).collect();
        let step = rng.weighted(&weighted);
        // A judgment sets the award (before the proceeding is stored, as staff would record it).
        if matches!(step.to, "JUDGMENT_GRANTED_FULL" | "JUDGMENT_GRANTED_PARTIAL") {
            let claimed = p.claimed.unwrap_or(10_000_000);
            p.awarded = Some(if step.to == "JUDGMENT_GRANTED_FULL" {
                claimed
            } else {
                claimed / 100 * i64::from(rng.range(10, 60))
            });
        }
        // Payments recorded before a payment state, adding up to it.
        let mut payments = Vec::new();
        if step.needs == Need::Payments {
            let awarded = p.awarded.unwrap_or(0);
            let owed = awarded - paid;
            let amount = match step.to {
                "PAID_FULL" => owed,
                "PAID_PARTIAL" if paid == 0 => owed / 100 * i64::from(rng.range(10, 90)),
                _ => 0,
            };
            if amount > 0 {
                payments.push((next_day - Duration::days(3), amount));
                paid += amount;
            }
        }
        let ground = (step.needs == Need::Ground).then(|| rng.pick(GROUNDS));
        let facts = Facts { awarded: p.awarded.map(Money), paid: Money(paid) };
        let proposal = Proposal { ground, note: "" };
        if check_step(kind, state, step.to, facts, proposal).is_err() {
            // Not possible with what the proceeding holds (no award, payments that disagree):
            // the walk ends where it is, its payments unrecorded.
            break;
        }
        state = step.to;
        day = next_day;
        p.steps.push(LegalStep { to: step.to, ground, on: day, payments });
    }
}

impl Proceeding {
    fn new(
        kind: ProceedingKind,
        case: &Case,
        our_role: &'static str,
        forum: &'static str,
        filed: Date,
    ) -> Self {
        Proceeding {
            kind: kind.code(),
            title: String::new(),
            our_role,
            forum,
            filed,
            qualification: Vec::new(),
            steps: Vec::new(),
            accused: Vec::new(),
            claimed: None,
            awarded: None,
            un_body: None,
        }
        .titled(case.lang)
    }

    fn titled(mut self, lang: Lang) -> Self {
        let kind = ProceedingKind::parse(self.kind).unwrap_or(ProceedingKind::Complaint);
        let article = if self.qualification.contains(&"CC-358") { "358" } else { "143-1" };
        self.title = title(kind, lang, article);
        self
    }

    /// Whether its steps reached `state`.
    pub fn reached(&self, state: &str) -> bool {
        self.steps.iter().any(|s| s.to == state)
    }

    /// Its state after its last step.
    pub fn state(&self) -> &'static str {
        match self.steps.last() {
            Some(s) => s.to,
            None => ProceedingKind::parse(self.kind).map_or("", ProceedingKind::initial),
        }
    }
}

/// The identified perpetrators' involvements of a case, by their place in generation order
/// (events, their acts, their involvements).
fn identified_involvements(case: &Case) -> Vec<usize> {
    case.events
        .iter()
        .flat_map(|e| &e.acts)
        .flat_map(|a| &a.involvements)
        .enumerate()
        .filter(|(_, i)| i.identified)
        .map(|(n, _)| n)
        .collect()
}

/// The proceedings of `case` (often none).
pub(crate) fn generate(rng: &mut R, case: &Case) -> Vec<Proceeding> {
    let mut out = Vec::new();
    if matches!(case.status, "intake-screening" | "open") || case.opened_on >= max_date() {
        return out;
    }
    let qualification = if rng.chance(75) { "CC-143-1" } else { "CC-358" };
    let filed = (case.opened_on + Duration::days(i64::from(rng.range(2, 40)))).min(max_date());
    if rng.chance(50) {
        let role = if rng.chance(85) { "VICTIM_REP" } else { "OBSERVER" };
        let mut complaint =
            Proceeding::new(ProceedingKind::Complaint, case, role, "PROSECUTOR_DISTRICT", filed);
        complaint.qualification = vec![qualification];
        complaint = complaint.titled(case.lang);
        walk(rng, &mut complaint, ProceedingKind::Complaint, 6, 15);
        let opened = complaint.steps.iter().find(|s| s.to == "CASE_OPENED").map(|s| s.on);
        out.push(complaint);
        if let Some(opened) = opened {
            let mut criminal =
                Proceeding::new(ProceedingKind::CriminalCase, case, "VICTIM_REP", "COURT_DISTRICT", opened);
            criminal.qualification = vec![qualification];
            criminal = criminal.titled(case.lang);
            walk(rng, &mut criminal, ProceedingKind::CriminalCase, 7, 12);
            let verdict = if criminal.reached("VERDICT_CONVICTION") {
                Some("CONVICTION")
            } else if criminal.reached("VERDICT_ACQUITTAL") {
                Some("ACQUITTAL")
            } else {
                None
            };
            let identified = identified_involvements(case);
            let count = identified.len().min(rng.range(1, 3) as usize);
            for involvement in rng.sample(&identified, count) {
                criminal.accused.push(Accused { involvement, verdict });
            }
            let convicted = verdict == Some("CONVICTION");
            let last = criminal.steps.last().map_or(opened, |s| s.on);
            out.push(criminal);
            if convicted && rng.chance(70) {
                let mut claim = Proceeding::new(
                    ProceedingKind::CivilClaim,
                    case,
                    "CIVIL_REP",
                    "COURT_DISTRICT",
                    (last + Duration::days(i64::from(rng.range(10, 60)))).min(max_date()),
                );
                claim.claimed = Some(i64::from(rng.range(20, 200)) * 500_000);
                walk(rng, &mut claim, ProceedingKind::CivilClaim, 10, 8);
                out.push(claim);
            }
        }
    }
    if rng.chance(4) {
        let mut un = Proceeding::new(
            ProceedingKind::UnCommunication,
            case,
            "UN_COUNSEL",
            "UN_BODY",
            (filed + Duration::days(i64::from(rng.range(200, 700)))).min(max_date()),
        );
        un.un_body = Some(if rng.chance(60) { "CAT" } else { "CCPR" });
        walk(rng, &mut un, ProceedingKind::UnCommunication, 7, 15);
        out.push(un);
    }
    out
}
