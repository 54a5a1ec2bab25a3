//! The store's medico-legal evaluations: the report, its findings, its workflow and signature.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::ip::EvaluationId;
use ozodi_domain::record::Data;
use time::OffsetDateTime;

/// A signature: who signed, when, the canonical document signed and its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// When.
    pub at: OffsetDateTime,
    /// Who.
    pub by: UserId,
    /// The canonical JSON document that was signed (what the printed report shows).
    pub document: String,
    /// Its SHA-256, hex.
    pub sha256: String,
}

impl Signature {
    /// Whether the stored document still hashes to the stored SHA-256 (checked again whenever the
    /// report is shown or printed).
    pub fn holds(&self) -> bool {
        hex::encode(ozodi_vault::token::token_hash(&self.document)) == self.sha256
    }
}

/// One finding (a physical lesion, marked on the body diagrams).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// 1, 2, … within the evaluation (shown as F1, F2).
    pub seq: i64,
    /// The values, by the Finding schema.
    pub data: Data,
    /// Version (for stale forms).
    pub version: i64,
    /// Removed (before signing).
    pub removed: bool,
}

/// One step of the workflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvaluationStep {
    /// 1, 2, …
    pub seq: i64,
    /// The state reached.
    pub state: String,
    /// The recipient of a transmission, or a note.
    pub note: String,
    /// Who.
    pub by: UserId,
    /// Their display name.
    pub by_name: String,
    /// When.
    pub at: OffsetDateTime,
}

/// An evaluation with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// Id.
    pub id: EvaluationId,
    /// The case.
    pub case_id: CaseId,
    /// Shown as ME-0042.
    pub seq: u32,
    /// The signed report this one is an addendum to, with its number.
    pub amends: Option<(EvaluationId, u32)>,
    /// The report's values, by the Evaluation schema.
    pub data: Data,
    /// The workflow state.
    pub state: String,
    /// Version (for stale forms).
    pub version: i64,
    /// Who opened it.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
    /// The person's consent to share it with the case's lawyers: when recorded, and by whom.
    pub shared: Option<(OffsetDateTime, UserId)>,
    /// The signature, once signed.
    pub signed: Option<Signature>,
    /// Its findings, removed ones too, in order.
    pub findings: Vec<Finding>,
    /// Its workflow history.
    pub steps: Vec<EvaluationStep>,
}

impl Evaluation {
    /// `ME-0042`.
    pub fn reference(&self) -> String {
        ozodi_domain::record::reference(ozodi_domain::record::Kind::Evaluation, self.seq)
    }
}

/// An evaluation as a case lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvaluationSummary {
    /// Id.
    pub id: EvaluationId,
    /// Shown as ME-0042.
    pub seq: u32,
    /// The workflow state.
    pub state: String,
    /// The person examined (a person of the case).
    pub subject: Option<String>,
    /// Shared with the lawyers.
    pub shared: bool,
    /// The SHA-256 of the signed document.
    pub sha256: Option<String>,
    /// The report it amends, by number.
    pub amends: Option<u32>,
}

/// A workflow step to record on an evaluation.
#[derive(Clone, Copy, Debug)]
pub struct StepRequest<'a> {
    /// The state to reach.
    pub to: &'a str,
    /// The recipient of a transmission, or a note.
    pub note: &'a str,
    /// Who.
    pub by: UserId,
    /// When.
    pub at: OffsetDateTime,
}
