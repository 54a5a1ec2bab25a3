//! The intake records as the store hands them out (DOMAIN.md section 3.2): lines, contacts,
//! alerts, tasks, notifications, web reports and the figures. The SQL is in `sqlite/intake.rs`.

use ozodi_domain::UserId;
use ozodi_domain::case::CaseId;
use ozodi_domain::intake::{
    AlertId, AlertStep, CallerRole, Channel, CloseReason, ContactId, ContactStatus, LineCode,
    NotificationKind, TaskId,
};
use time::OffsetDateTime;

/// A hotline line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Its code.
    pub code: LineCode,
    /// Its name in ru, tg and en.
    pub labels: ozodi_domain::vocab::Labels,
    /// The published numbers.
    pub numbers: Vec<String>,
    /// The region codes whose contacts and lawyers it serves.
    pub regions: Vec<String>,
    /// Inactive lines take no new contacts.
    pub active: bool,
    /// Order in lists.
    pub position: i64,
    /// Edits must name it (0 for a new line).
    pub version: i64,
}

/// What the intake screens need on every page, kept in memory and replaced whenever a line, its
/// staff or an alert changes: small (a handful of lines, the open alerts of the moment).
#[derive(Clone, Debug, Default)]
pub struct IntakeSnapshot {
    /// Every line, in order.
    pub lines: Vec<Line>,
    /// Current staff: (line, user).
    pub staff: Vec<(LineCode, UserId)>,
    /// Alerts not yet acknowledged, oldest first.
    pub open_alerts: Vec<OpenAlert>,
}

impl IntakeSnapshot {
    /// The lines `user` is on the staff of.
    pub fn lines_of(&self, user: UserId) -> impl Iterator<Item = &LineCode> {
        self.staff.iter().filter(move |(_, u)| *u == user).map(|(l, _)| l)
    }

    /// Whether `user` is on the staff of `line`.
    pub fn on_staff(&self, user: UserId, line: &LineCode) -> bool {
        self.staff.iter().any(|(l, u)| *u == user && l == line)
    }

    /// Whether one of `user`'s lines covers `region`.
    pub fn serves_region(&self, user: UserId, region: &str) -> bool {
        self.lines_of(user)
            .any(|code| self.lines.iter().any(|l| &l.code == code && l.regions.iter().any(|r| r == region)))
    }

    /// A line by code.
    pub fn line(&self, code: &LineCode) -> Option<&Line> {
        self.lines.iter().find(|l| &l.code == code)
    }

    /// The first active line covering `region`.
    pub fn line_for_region(&self, region: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.active && l.regions.iter().any(|r| r == region))
    }
}

/// An alert not yet acknowledged, with what deciding who sees it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenAlert {
    /// The alert.
    pub id: AlertId,
    /// Its contact.
    pub contact: ContactId,
    /// The contact's number.
    pub contact_seq: i64,
    /// The contact's line.
    pub line: Option<LineCode>,
    /// The contact's region.
    pub region: Option<String>,
    /// Someone is in custody now (otherwise: at risk now).
    pub in_custody: bool,
    /// When it was raised.
    pub raised_at: OffsetDateTime,
    /// When it escalated to the coordinators, if it did.
    pub escalated_at: Option<OffsetDateTime>,
}

/// The fields of a new contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContact {
    /// The line it came in on.
    pub line: Option<LineCode>,
    /// How.
    pub channel: Channel,
    /// When.
    pub received_at: OffsetDateTime,
    /// Who is calling.
    pub caller_role: CallerRole,
    /// Where it happened (vocabulary `region`).
    pub region: Option<String>,
    /// What was said, without names.
    pub summary: String,
    /// Someone is in custody right now.
    pub in_custody: bool,
    /// Someone is at risk of torture right now.
    pub at_risk: bool,
    /// The caller consents to the record.
    pub consent_record: bool,
    /// The caller consents to the coalition acting.
    pub consent_act: bool,
    /// Follow-up is needed.
    pub follow_up: bool,
}

/// A contact as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// Id.
    pub id: ContactId,
    /// Its number (shown as K-000042).
    pub seq: i64,
    /// The fields it was logged with.
    pub fields: NewContact,
    /// Whether identifying details are sealed with it.
    pub has_details: bool,
    /// Where it stands.
    pub status: ContactStatus,
    /// Why it was closed.
    pub close_reason: Option<CloseReason>,
    /// A note on the closing (to whom it was referred).
    pub close_note: Option<String>,
    /// The case it opened or was linked to.
    pub case: Option<CaseId>,
    /// Who is to handle it.
    pub assigned_to: Option<UserId>,
    /// Who logged it (`None`: the web report form).
    pub created_by: Option<UserId>,
    /// When it was triaged, and by whom.
    pub handled: Option<(OffsetDateTime, UserId)>,
    /// Whether it came through the web report form.
    pub web_report: bool,
    /// Edits must name it.
    pub version: i64,
}

impl Contact {
    /// The number people use: `K-000042`.
    pub fn reference(&self) -> String {
        format!("K-{:06}", self.seq)
    }
}

/// What triage decides.
#[derive(Clone, Debug)]
pub enum Triage {
    /// Open a new case with these fields; the triaging user joins its team.
    OpenCase(crate::CaseFields),
    /// Link to an existing case.
    Link(CaseId),
    /// Close without a case.
    Close(CloseReason, String),
}

/// An alert and its log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// Id.
    pub id: AlertId,
    /// Its contact.
    pub contact: ContactId,
    /// Raised when.
    pub raised_at: OffsetDateTime,
    /// Acknowledged when and by whom.
    pub acknowledged: Option<(OffsetDateTime, UserId)>,
    /// Escalated when.
    pub escalated_at: Option<OffsetDateTime>,
    /// Who saw and acknowledged it, when, in order.
    pub log: Vec<AlertLogEntry>,
}

/// One line of an alert's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertLogEntry {
    /// When.
    pub at: OffsetDateTime,
    /// Who (none for raising by a web report and for escalation).
    pub user: Option<UserId>,
    /// What.
    pub step: AlertStep,
}

/// A new follow-up task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask {
    /// The contact it follows up.
    pub contact: Option<ContactId>,
    /// Or the case.
    pub case: Option<CaseId>,
    /// What to do (no names).
    pub title: String,
    /// By when.
    pub due_at: OffsetDateTime,
    /// Who does it.
    pub assigned_to: UserId,
    /// Who asked.
    pub created_by: UserId,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A task as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Id.
    pub id: TaskId,
    /// The fields it was created with.
    pub fields: NewTask,
    /// Done when and by whom.
    pub done: Option<(OffsetDateTime, UserId)>,
}

/// An in-app notification. Carries ids only; the page says what it is about in the reader's
/// language and only if the reader may still open it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// When.
    pub at: OffsetDateTime,
    /// What.
    pub kind: NotificationKind,
    /// The contact concerned.
    pub contact: Option<ContactId>,
    /// The task concerned.
    pub task: Option<TaskId>,
    /// The hearing or deadline concerned, and its case.
    pub entry: Option<(ozodi_domain::legal::EntryId, ozodi_domain::case::CaseId)>,
    /// Read when.
    pub read_at: Option<OffsetDateTime>,
}

/// A message between the coalition and the sender of a web report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportMessage {
    /// When.
    pub at: OffsetDateTime,
    /// Written by the sender (otherwise by staff).
    pub from_sender: bool,
    /// The staff member who wrote it.
    pub author: Option<UserId>,
    /// The text.
    pub body: String,
}

/// Counts for the intake figures, by one dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntakeFigures {
    /// Contacts in the period.
    pub total: i64,
    /// By line code ("" for none).
    pub by_line: Vec<(String, i64)>,
    /// By channel code.
    pub by_channel: Vec<(String, i64)>,
    /// By caller role code.
    pub by_caller: Vec<(String, i64)>,
    /// By region code ("" for none).
    pub by_region: Vec<(String, i64)>,
    /// By month (`YYYY-MM`, Dushanbe time).
    pub by_month: Vec<(String, i64)>,
    /// Alerts raised in the period.
    pub alerts: i64,
    /// Of which acknowledged.
    pub acknowledged: i64,
    /// Of which escalated.
    pub escalated: i64,
    /// Seconds from the contact (when it came in) to the acknowledgement of its alert, for each
    /// acknowledged alert, ascending.
    pub response_seconds: Vec<i64>,
}

/// Unread notifications of one user not yet announced by e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEmail {
    /// The user.
    pub user: UserId,
    /// Where they asked to be told.
    pub email: String,
    /// Their interface language, if chosen.
    pub language: Option<String>,
    /// How many notifications wait.
    pub count: i64,
    /// The newest of them (announcing marks up to it).
    pub up_to: i64,
}

/// A web report as it arrives: the hashes of its receipt code and secret, and its files.
#[derive(Clone, Copy, Debug)]
pub struct WebReport<'a> {
    /// SHA-256 of the receipt code.
    pub receipt_hash: &'a [u8],
    /// SHA-256 of the secret.
    pub secret_hash: &'a [u8],
    /// Attached files, in the order sent.
    pub files: &'a [NewReportFile],
}

/// A file attached to a web report, as received.
#[derive(Clone, PartialEq, Eq)]
pub struct NewReportFile {
    /// Its type, recognised from its content.
    pub media_type: String,
    /// SHA-256 of the original.
    pub sha256: Vec<u8>,
    /// The original bytes.
    pub original: Vec<u8>,
    /// A copy without metadata and its SHA-256, when one could be made.
    pub working: Option<(Vec<u8>, Vec<u8>)>,
}

impl std::fmt::Debug for NewReportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewReportFile")
            .field("media_type", &self.media_type)
            .field("size", &self.original.len())
            .finish_non_exhaustive()
    }
}

/// A file of a web report, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFile {
    /// Its number within the report (1, 2, …).
    pub seq: i64,
    /// Its type.
    pub media_type: String,
    /// The original's size in bytes.
    pub size: i64,
    /// SHA-256 of the original.
    pub sha256: Vec<u8>,
    /// The working copy's size and SHA-256, if there is one.
    pub working: Option<(i64, Vec<u8>)>,
}

/// A contact as a case page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactLink {
    /// Id.
    pub id: ContactId,
    /// Its number.
    pub seq: i64,
    /// How it came.
    pub channel: Channel,
    /// When.
    pub received_at: OffsetDateTime,
}

impl ContactLink {
    /// The number people use: `K-000042`.
    pub fn reference(&self) -> String {
        format!("K-{:06}", self.seq)
    }
}
