//! ozodi's storage: the [`Store`] trait that handlers program against, and its SQLite + SQLCipher
//! implementation ([`sqlite::SqliteStore`]). A PostgreSQL implementation can follow behind the same
//! trait without touching `web`.
//!
//! Only this crate knows SQL. Every mutating method that the audit trail must record takes the
//! [`NewAuditEntry`] and writes it in the same transaction as the change, so a crash leaves either
//! both or neither.

pub mod backup;
pub mod facts;
pub mod instance;
pub mod intake;
pub mod ip;
pub mod legal;
pub mod monitoring;
pub mod rehab;
pub mod site;
pub mod sqlite;
pub mod stats;
pub mod training;

use async_trait::async_trait;
use ozodi_domain::audit::AuditKind;
use ozodi_domain::{DisplayName, RoleSet, UserId, Username};
use ozodi_vault::chain::ChainBreak;
use time::OffsetDateTime;

pub use instance::{Instance, InstanceError, Unsealer};
pub use sqlite::{OpenMode, SqliteStore, access_log_path};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file is not there (for an existing instance).
    #[error("no database at {0}")]
    Missing(std::path::PathBuf),
    /// The file cannot be read with this instance's key: it is unencrypted, belongs to another
    /// instance or is damaged (SQLite code 26, "file is not a database").
    #[error(
        "the database at {0} cannot be opened with this instance's key: it is not encrypted, belongs to another instance, or is damaged"
    )]
    NotOurDatabase(std::path::PathBuf),
    /// The access log next to the database (see [`SqliteStore::open`]) is missing, or is not the
    /// one this database was last used with. Refusing to start a new one: that would hide who read
    /// what before.
    #[error(
        "the access log {0} is missing or belongs to another database: restore it together with the database from the same backup"
    )]
    AccessLog(std::path::PathBuf),
    /// The SQLite library in this build lacks SQLCipher; refusing to store anything unencrypted.
    #[error("this build's SQLite has no SQLCipher: refusing to open an unencrypted database")]
    NoEncryption,
    /// A unique value (user name) is taken.
    #[error("already exists")]
    Conflict,
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// A submitted value the data does not allow: a reference outside the case or to a removed
    /// record, a vocabulary code the list lacks or has deprecated. Names the field.
    #[error("value refused for field {0}")]
    Invalid(&'static str),
    /// A value read back from the database does not parse (corruption or a newer schema).
    #[error("unexpected value in column {0}")]
    Corrupt(&'static str),
    /// The disk holding the database is full (SQLite's `SQLITE_FULL`): the write was rolled back
    /// and nothing of it was saved. Writing works again once space is freed; no restart needed.
    #[error("the disk is full: nothing was saved")]
    DiskFull,
    /// Any other database error. Never shown to users (it may hold SQL).
    #[error(transparent)]
    Database(sqlx::Error),
    /// A procedural step its proceeding's state machine does not allow (or whose conditions
    /// are not met); nothing was recorded.
    #[error("procedural step refused: {0:?}")]
    Step(ozodi_domain::legal::StepError),
    /// A workflow step or signature of an evaluation that is refused; nothing was recorded.
    #[error("evaluation step refused: {0:?}")]
    Evaluation(ozodi_domain::ip::EvaluationError),
    /// A step of a rehabilitation episode its course does not allow (or whose conditions are not
    /// met); nothing was recorded.
    #[error("rehabilitation step refused: {0:?}")]
    Rehab(ozodi_domain::rehab::StepError),
    /// A session added to an episode that has ended.
    #[error("episode ended")]
    Ended,
    /// A step of a monitoring visit its course does not allow; nothing was recorded.
    #[error("visit step refused: {0:?}")]
    VisitStep(ozodi_domain::monitoring::StepError),
    /// A step of a publication's course that is refused; nothing was recorded.
    #[error("publication step refused: {0:?}")]
    SiteStep(ozodi_domain::site::StepError),
    /// A change to something signed (an evaluation and its findings): write an addendum.
    #[error("signed: immutable")]
    Immutable,
    /// Applying migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        // SQLITE_FULL (13), also as the primary code of an extended one.
        let full = |code: &str| code.parse::<i64>().is_ok_and(|c| c & 0xff == 13);
        match &e {
            sqlx::Error::Database(db) if db.code().as_deref().is_some_and(full) => StoreError::DiskFull,
            _ => StoreError::Database(e),
        }
    }
}

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// An account as the application sees it (no password hash).
#[derive(Clone, Debug)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub username: Username,
    /// Shown name (personal data; its Debug is redacted).
    pub display_name: DisplayName,
    /// Roles.
    pub roles: RoleSet,
    /// Disabled accounts cannot log in and have no sessions.
    pub disabled: bool,
    /// Must choose a new password at next login.
    pub must_change_password: bool,
    /// Saved interface language, if chosen.
    pub language: Option<String>,
    /// When the account was created.
    pub created_at: OffsetDateTime,
}

/// A new account.
#[derive(Debug)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Shown name.
    pub display_name: DisplayName,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Roles.
    pub roles: RoleSet,
    /// Whether the first login must choose a new password.
    pub must_change_password: bool,
}

/// A stored session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The account.
    pub user_id: UserId,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
    /// Login time.
    pub created_at: OffsetDateTime,
    /// Last request.
    pub last_seen_at: OffsetDateTime,
}

/// An audit entry to append.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    /// When.
    pub at: OffsetDateTime,
    /// Who acted, if anyone was logged in.
    pub actor: Option<UserId>,
    /// What happened.
    pub kind: AuditKind,
    /// What it was about (an account id), if anything.
    pub subject: Option<String>,
    /// Further detail as JSON (ids, role codes, reasons; never names or passwords).
    pub detail: serde_json::Value,
    /// The client address, if known.
    pub client: Option<String>,
}

impl NewAuditEntry {
    /// The same entry, about `subject` (an account, a case, a person, a vocabulary term).
    pub fn about(mut self, subject: impl ToString) -> Self {
        self.subject = Some(subject.to_string());
        self
    }
}

/// The two hash chains of the audit trail. Entries that come with a change are written in the
/// change's own transaction, in the main database ([`Trail::Changes`]); entries that stand alone
/// (reading a case, logins, refusals, unseal and seal) go to the access log, a second encrypted
/// file with its own chain ([`Trail::Access`]), so that reading never writes to the main database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trail {
    /// The main database's trail of changes.
    Changes,
    /// The access log.
    Access,
}

impl Trail {
    /// Both, in the order they are reported.
    pub const ALL: [Trail; 2] = [Trail::Changes, Trail::Access];

    /// A stable code (paging cursors, i18n keys `audit-trail-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Trail::Changes => "changes",
            Trail::Access => "access",
        }
    }

    /// The trail with this code.
    pub fn parse(code: &str) -> Option<Trail> {
        Trail::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Where a page of the merged trail ends: in each trail, the entries below these sequence
/// numbers come next (`None`: from the newest). Each trail stays in its own sequence order, the
/// order its hash chain proves, even if the clock jumped; the two are interleaved by time. Paging
/// by sequence numbers means entries arriving meanwhile do not shift the pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditCursor {
    /// Below this entry of the trail of changes.
    pub changes: Option<i64>,
    /// Below this entry of the access log.
    pub access: Option<i64>,
}

impl AuditCursor {
    /// The cursor after `rows`, a page read from `self`.
    pub fn after(self, rows: &[AuditRow]) -> Self {
        let lowest = |trail: Trail| rows.iter().filter(|r| r.trail == trail).map(|r| r.seq).min();
        AuditCursor {
            changes: lowest(Trail::Changes).or(self.changes),
            access: lowest(Trail::Access).or(self.access),
        }
    }

    /// As a URL parameter: `changes.access`, either part empty when unbounded.
    pub fn to_param(self) -> String {
        let part = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        format!("{}.{}", part(self.changes), part(self.access))
    }

    /// Reads [`AuditCursor::to_param`]'s form; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (changes, access) = text.split_once('.')?;
        let part = |t: &str| -> Option<Option<i64>> {
            if t.is_empty() { Some(None) } else { t.parse::<i64>().ok().filter(|n| *n > 0).map(Some) }
        };
        Some(AuditCursor { changes: part(changes)?, access: part(access)? })
    }
}

/// An audit entry read back, with the user names of actor and subject resolved for display.
#[derive(Clone, Debug)]
pub struct AuditRow {
    /// The chain it belongs to.
    pub trail: Trail,
    /// Sequence number within its trail.
    pub seq: i64,
    /// When.
    pub at: OffsetDateTime,
    /// The actor's user name, if any.
    pub actor: Option<String>,
    /// Kind code (unknown codes from a newer version are shown raw).
    pub kind: String,
    /// The subject's user name if it is an account, else the raw subject.
    pub subject: Option<String>,
    /// Detail JSON text.
    pub detail: String,
    /// Client address.
    pub client: Option<String>,
}

/// Filters for browsing the trail. Empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this kind.
    pub kind: Option<AuditKind>,
    /// Only entries whose actor has this user name.
    pub actor: Option<Username>,
    /// Entries at or after.
    pub from: Option<OffsetDateTime>,
    /// Entries before.
    pub until: Option<OffsetDateTime>,
    /// Only entries below this position (paging backwards).
    pub before: AuditCursor,
    /// At most this many.
    pub limit: u32,
}

/// The result of verifying one audit chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries verified.
    pub entries: i64,
    /// Hash of the last entry (hex in reports): note it down to detect later truncation.
    pub head: [u8; 32],
}

/// The result of verifying both chains of the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// The main database's trail of changes.
    pub changes: ChainReport,
    /// The access log.
    pub access: ChainReport,
}

impl AuditReport {
    /// Entries verified in both.
    pub fn entries(&self) -> i64 {
        self.changes.entries + self.access.entries
    }
}

/// The first bad entry found, and in which trail.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} trail: {brk}", trail.code())]
pub struct TrailBreak {
    /// The trail.
    pub trail: Trail,
    /// The entry and what is wrong with it.
    pub brk: ChainBreak,
}

/// A vocabulary term as stored (shipped or added by an administrator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTerm {
    /// The code.
    pub code: String,
    /// The parent code, if any.
    pub parent: Option<String>,
    /// The labels.
    pub labels: ozodi_domain::vocab::Labels,
    /// Added by an administrator (not shipped).
    pub added_by_admin: bool,
    /// Relabelled by an administrator (shipped labels no longer overwrite it).
    pub relabelled: bool,
    /// Hidden from new forms; still shown on old records.
    pub deprecated: bool,
}

/// What loading the shipped vocabularies changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VocabSync {
    /// Lists seen for the first time.
    pub lists_added: u64,
    /// Terms seen for the first time.
    pub terms_added: u64,
}

/// The editable fields of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFields {
    /// Status (changed through the state machine by the caller).
    pub status: ozodi_domain::case::CaseStatus,
    /// Region (vocabulary `region`).
    pub region: Option<String>,
    /// Hotline of origin (vocabulary `hotline`).
    pub hotline: Option<String>,
    /// A title without names.
    pub title: String,
    /// A summary.
    pub summary: String,
    /// The lead lawyer.
    pub lead: Option<UserId>,
}

/// Who tombstoned a record, when and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    /// When.
    pub at: OffsetDateTime,
    /// By whom.
    pub by: Option<UserId>,
    /// Why.
    pub reason: String,
}

/// A case as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    /// Id.
    pub id: ozodi_domain::case::CaseId,
    /// Human number.
    pub number: ozodi_domain::case::CaseNumber,
    /// The editable fields.
    pub fields: CaseFields,
    /// When the file was opened.
    pub opened_at: OffsetDateTime,
    /// The current version (1 at creation); edits must name it.
    pub version: i64,
    /// Set when tombstoned.
    pub deleted: Option<Tombstone>,
}

/// A current member of a case team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    /// The account.
    pub user: UserId,
    /// Its user name.
    pub username: String,
    /// Whether the membership includes identities.
    pub identity_access: bool,
    /// Since when.
    pub added_at: OffsetDateTime,
}

/// One version of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordVersion {
    /// Version number (1 = created).
    pub version: i64,
    /// When.
    pub at: OffsetDateTime,
    /// Who (user name).
    pub actor: Option<String>,
    /// What kind of change (created, updated, deleted, restored).
    pub change: String,
    /// The record after the change.
    pub data: serde_json::Value,
}

/// The shown (non-identifying) fields of a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFields {
    /// MT07 counting unit (`01` individual, …).
    pub counting_unit: String,
    /// Sex, if known.
    pub sex: Option<ozodi_domain::person::Sex>,
    /// Year of birth, for statistics.
    pub birth_year: Option<i32>,
}

/// A person as the case data holds it: pseudonym and shown fields, no identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    /// Id.
    pub id: ozodi_domain::person::PersonId,
    /// The case whose team recorded the person.
    pub case_id: ozodi_domain::case::CaseId,
    /// The pseudonym shown everywhere.
    pub pseudonym: ozodi_domain::person::Pseudonym,
    /// The shown fields.
    pub fields: PersonFields,
    /// Current version.
    pub version: i64,
}

/// A schema-driven record (event, act, involvement, information, intervention, chain of events,
/// facility) as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Id.
    pub id: ozodi_domain::record::RecordId,
    /// Its type.
    pub kind: ozodi_domain::record::Kind,
    /// Its case (`None` exactly for facilities).
    pub case_id: Option<ozodi_domain::case::CaseId>,
    /// The number in its human reference (`AC-0042`).
    pub seq: u32,
    /// The values.
    pub data: ozodi_domain::record::Data,
    /// Current version (1 at creation); edits must name it.
    pub version: i64,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
    /// Set when tombstoned.
    pub deleted: Option<Tombstone>,
}

impl Record {
    /// The human reference, e.g. `AC-0042`.
    pub fn reference(&self) -> String {
        ozodi_domain::record::reference(self.kind, self.seq)
    }
}

/// Where evidence files live and the keys that seal them (held only while unsealed).
#[derive(Debug)]
pub struct EvidenceFiles {
    /// The evidence subkey.
    pub key: ozodi_vault::blob::BlobKey,
    /// `<data dir>/evidence`.
    pub dir: std::path::PathBuf,
    /// The identity files' subkey.
    pub identity_key: ozodi_vault::blob::BlobKey,
    /// `<data dir>/identity-files`.
    pub identity_dir: std::path::PathBuf,
}

impl EvidenceFiles {
    /// The key and directory of an item's compartment.
    pub fn of(&self, identity: bool) -> (&ozodi_vault::blob::BlobKey, &std::path::Path) {
        if identity { (&self.identity_key, &self.identity_dir) } else { (&self.key, &self.dir) }
    }
}

/// The four kinds of evidence the upload accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceCategory {
    /// PDF, office documents, plain text.
    Document,
    /// Images.
    Photo,
    /// Sound recordings.
    Audio,
    /// Video recordings.
    Video,
}

impl EvidenceCategory {
    /// Every category.
    pub const ALL: [EvidenceCategory; 4] = [
        EvidenceCategory::Document,
        EvidenceCategory::Photo,
        EvidenceCategory::Audio,
        EvidenceCategory::Video,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            EvidenceCategory::Document => "document",
            EvidenceCategory::Photo => "photo",
            EvidenceCategory::Audio => "audio",
            EvidenceCategory::Video => "video",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        EvidenceCategory::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// An evidence item's metadata, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// Id (also the file's name in the evidence directory).
    pub id: ozodi_domain::record::RecordId,
    /// The case.
    pub case_id: ozodi_domain::case::CaseId,
    /// Shown as `E-0042`.
    pub seq: u32,
    /// A title without names.
    pub title: String,
    /// A description.
    pub description: String,
    /// Part of the identity compartment (face photo, consent form, ID document).
    pub identity: bool,
    /// The category, from the recognised content.
    pub category: EvidenceCategory,
    /// The file name as uploaded.
    pub original_filename: String,
    /// The type recognised from the content.
    pub mime: String,
    /// Size of the original in bytes.
    pub size: u64,
    /// SHA-256 of the original, lower-case hex, computed while receiving it.
    pub sha256: String,
    /// When it was received.
    pub acquired_at: OffsetDateTime,
    /// By whom (user name).
    pub acquired_by: Option<String>,
    /// Set when tombstoned.
    pub deleted: Option<Tombstone>,
}

/// Everything a case page shows, read together: the case, its team, its records (tombstoned ones
/// too, in timeline order), the facilities those records name, its persons (pseudonyms only) and
/// its evidence.
#[derive(Clone, Debug)]
pub struct CaseFile {
    /// The case (tombstoned or not: the caller decides through `can`).
    pub case: CaseRecord,
    /// Its current team.
    pub team: Vec<TeamMember>,
    /// Its records.
    pub records: Vec<Record>,
    /// The facilities its records name, in registry order.
    pub facilities: Vec<Record>,
    /// Its persons.
    pub persons: Vec<PersonRecord>,
    /// Its evidence, oldest first.
    pub evidence: Vec<Evidence>,
    /// The contacts that opened it or were linked to it, oldest first.
    pub contacts: Vec<intake::ContactLink>,
    /// Its medico-legal evaluations as listed (no content; who may open each is `can`'s).
    pub evaluations: Vec<ip::EvaluationSummary>,
}

/// The facilities `records` name (each once, in order of first mention).
pub fn facilities_named(records: &[Record]) -> Vec<ozodi_domain::record::RecordId> {
    let mut named = Vec::new();
    for r in records {
        for (_, target, id) in r.data.refs(r.kind) {
            if target == ozodi_domain::record::Target::Facility
                && let Some(id) = ozodi_domain::record::RecordId::parse(id)
                && !named.contains(&id)
            {
                named.push(id);
            }
        }
    }
    named
}

impl Evidence {
    /// The human reference, e.g. `E-0042`.
    pub fn reference(&self) -> String {
        format!("E-{:04}", self.seq)
    }
}

/// One event in an item's chain of custody.
#[derive(Clone, Debug, PartialEq)]
pub struct CustodyEvent {
    /// When.
    pub at: OffsetDateTime,
    /// Who (user name); `None` for the command line.
    pub actor: Option<String>,
    /// received | viewed | downloaded | exported | verified.
    pub action: String,
    /// Details (hash checked and result, for example).
    pub detail: serde_json::Value,
}

/// A search over the cases a user may open.
#[derive(Clone, Debug)]
pub struct SearchQuery {
    /// The words typed (any text: it is reduced to index terms, never parsed as syntax).
    pub text: String,
    /// Who searches.
    pub user: UserId,
    /// Search every case (the coordinator), not only the user's teams.
    pub all_cases: bool,
    /// Whether the user's role may know names: then names also match, in the cases where the user
    /// holds identity access, and nowhere else.
    pub names: bool,
    /// Facet: region code.
    pub region: Option<String>,
    /// Facet: case status code.
    pub status: Option<String>,
    /// Facet: type of facility (list `facility_type`) of an act's place.
    pub facility_type: Option<String>,
    /// Facet: agency (list `agency`) of an involvement.
    pub agency: Option<String>,
    /// Facet: type of act (MT04, narrower terms included).
    pub act_type: Option<String>,
    /// Facet: method of violence (MT05, narrower terms included).
    pub method: Option<String>,
    /// Facet: an event or act on or after this day.
    pub from: Option<time::Date>,
    /// Facet: an event or act on or before this day.
    pub to: Option<time::Date>,
    /// Results to skip.
    pub offset: u32,
    /// Results per page.
    pub limit: u32,
}

impl SearchQuery {
    /// A query for `text` by `user` over the cases of the user's teams, without names or facets:
    /// the first page of 20.
    pub fn new(user: UserId, text: &str) -> SearchQuery {
        SearchQuery {
            text: text.to_owned(),
            user,
            all_cases: false,
            names: false,
            region: None,
            status: None,
            facility_type: None,
            agency: None,
            act_type: None,
            method: None,
            from: None,
            to: None,
            offset: 0,
            limit: 20,
        }
    }
}

impl SearchResults {
    /// Matches are counted up to this many (ten pages): beyond it a query is too broad to page
    /// through, and collecting every match of a common word or a whole region would cost as much
    /// as there are cases.
    pub const COUNT_AT_MOST: u64 = 200;
}

/// One page of search results.
#[derive(Clone, Debug)]
pub struct SearchResults {
    /// How many cases match in all, counted up to [`SearchResults::COUNT_AT_MOST`].
    pub total: u64,
    /// More than `total` cases match: the count stopped there (and so do the pages).
    pub more: bool,
    /// This page, best first.
    pub cases: Vec<CaseRecord>,
}

/// A person who may be the same as another (DOMAIN.md: name variants, birth year, region).
#[derive(Clone, Debug)]
pub struct DuplicateCandidate {
    /// The other person.
    pub person: PersonRecord,
    /// Their case's number.
    pub case_number: ozodi_domain::case::CaseNumber,
    /// How many name skeletons the two share.
    pub shared_names: u32,
    /// Both have the same known birth year.
    pub same_birth_year: bool,
    /// Their cases are in the same region.
    pub same_region: bool,
    /// The team's decision so far: `same`, `different`, or none.
    pub decision: Option<String>,
}

/// A person's part in a record: the role comes from the link (DOMAIN.md section 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRole {
    /// The person's id.
    pub person: String,
    /// The linking field (`victim`, `perpetrator`, `source`, `related_person`, `party`).
    pub field: &'static str,
    /// The linking record's type.
    pub kind: ozodi_domain::record::Kind,
    /// Its number.
    pub seq: u32,
    /// For a source: how they are connected to the information (MT19), which tells a witness or
    /// a relative from other sources.
    pub connection: Option<String>,
}

impl RecordRole {
    /// The fields of a record that link a person in a role.
    const FIELDS: [&'static str; 5] = ["victim", "perpetrator", "source", "related_person", "party"];

    /// Every live link from these records to a person, by record type and number.
    pub fn of(records: &[Record]) -> Vec<RecordRole> {
        let mut live: Vec<&Record> = records.iter().filter(|r| r.deleted.is_none()).collect();
        live.sort_by_key(|r| (r.kind.code(), r.seq));
        let mut roles = Vec::new();
        for r in live {
            for (field, _, person) in r.data.refs(r.kind) {
                if Self::FIELDS.contains(&field) {
                    roles.push(RecordRole {
                        person: person.to_owned(),
                        field,
                        kind: r.kind,
                        seq: r.seq,
                        connection: r.data.text("connection").map(str::to_owned),
                    });
                }
            }
        }
        roles
    }
}

/// Everything the application stores. Implemented for SQLite+SQLCipher now, PostgreSQL later.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Creates an account and audits it.
    async fn create_user(&self, user: NewUser, audit: NewAuditEntry) -> StoreResult<UserId>;
    /// An account by id.
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;
    /// An account and its password hash by login name (for login only).
    async fn user_for_login(&self, username: &Username) -> StoreResult<Option<(User, String)>>;
    /// The password hash of an account (for the own-password change).
    async fn password_hash(&self, id: UserId) -> StoreResult<Option<String>>;
    /// All accounts, by user name.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// How many enabled accounts hold the administrator role.
    async fn active_admin_count(&self) -> StoreResult<i64>;
    /// Replaces an account's roles; audited.
    async fn set_roles(&self, id: UserId, roles: RoleSet, audit: NewAuditEntry) -> StoreResult<()>;
    /// Changes an account's display name; audited.
    async fn set_display_name(&self, id: UserId, name: &DisplayName, audit: NewAuditEntry)
    -> StoreResult<()>;
    /// Disables (revoking every session) or re-enables an account; audited.
    async fn set_disabled(&self, id: UserId, disabled: bool, audit: NewAuditEntry) -> StoreResult<()>;
    /// Sets a new password hash and the must-change flag, revoking every session of the account;
    /// audited.
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        must_change: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Saves the interface language of an account.
    async fn set_language(&self, id: UserId, language: &str) -> StoreResult<()>;

    /// Stores a new session under the hash of its token; the login is audited with it.
    async fn create_session(
        &self,
        token_hash: &[u8],
        session: &Session,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// A session and its account, by token hash (one query: this runs on every request).
    async fn session(&self, token_hash: &[u8]) -> StoreResult<Option<(Session, User)>>;
    /// Records activity on a session.
    async fn touch_session(&self, token_hash: &[u8], at: OffsetDateTime) -> StoreResult<()>;
    /// Ends one session; audited when `audit` is given (logout), silent for expiry.
    async fn delete_session(&self, token_hash: &[u8], audit: Option<NewAuditEntry>) -> StoreResult<()>;
    /// Ends every session of an account.
    async fn delete_user_sessions(&self, id: UserId) -> StoreResult<()>;
    /// Ends sessions last used before `idle_cutoff` or created before `absolute_cutoff`.
    async fn delete_expired_sessions(
        &self,
        idle_cutoff: OffsetDateTime,
        absolute_cutoff: OffsetDateTime,
    ) -> StoreResult<u64>;
    /// Ends every session of every account (when the instance is sealed).
    async fn delete_all_sessions(&self) -> StoreResult<()>;

    /// Loads the shipped vocabularies: adds new lists and terms, refreshes shipped labels that no
    /// administrator changed, never deletes. Idempotent; runs at every unseal.
    async fn sync_vocabularies(&self, lists: &[ozodi_domain::vocab::List]) -> StoreResult<VocabSync>;
    /// The terms of a list in display order (deprecated ones included, flagged).
    async fn vocabulary(&self, list: &str) -> StoreResult<std::sync::Arc<Vec<StoredTerm>>>;
    /// Adds a term to a list (its parent, if given, must exist); audited.
    async fn add_term(
        &self,
        list: &str,
        term: &ozodi_domain::vocab::Term,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Changes a term's labels (kept across upgrades); audited.
    async fn relabel_term(
        &self,
        list: &str,
        code: &str,
        labels: &ozodi_domain::vocab::Labels,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Deprecates or restores a term; audited.
    async fn set_term_deprecated(
        &self,
        list: &str,
        code: &str,
        deprecated: bool,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Opens a case: allocates the next number of the year, adds the creator to the team (with
    /// identity access), writes version 1 and the audit entry, all in one transaction.
    async fn create_case(
        &self,
        fields: &CaseFields,
        creator: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<CaseRecord>;
    /// A case by id (tombstoned ones too: callers decide through `can`).
    async fn case(&self, id: ozodi_domain::case::CaseId) -> StoreResult<Option<CaseRecord>>;
    /// A case's whole file (see [`CaseFile`]), read together; `None` if there is no such case.
    async fn case_file(&self, id: ozodi_domain::case::CaseId) -> StoreResult<Option<CaseFile>> {
        let Some((case, team)) = self.case_with_team(id).await? else { return Ok(None) };
        let records = self.records_of_case(id).await?;
        let mut facilities = self.records_by_id(&facilities_named(&records)).await?;
        facilities.retain(|f| f.kind == ozodi_domain::record::Kind::Facility);
        facilities.sort_by_key(|f| f.seq);
        let persons = self.persons_of_case(id).await?;
        let evidence = self.evidence_of_case(id).await?;
        let mut contacts: Vec<intake::ContactLink> = self
            .contacts_of_case(id)
            .await?
            .into_iter()
            .map(|c| intake::ContactLink {
                id: c.id,
                seq: c.seq,
                channel: c.fields.channel,
                received_at: c.fields.received_at,
            })
            .collect();
        contacts.sort_by_key(|c| c.seq);
        let evaluations = self.evaluations_of_case(id).await?;
        Ok(Some(CaseFile { case, team, records, facilities, persons, evidence, contacts, evaluations }))
    }
    /// A case and its current team, read together (what every access decision on a case needs).
    async fn case_with_team(
        &self,
        id: ozodi_domain::case::CaseId,
    ) -> StoreResult<Option<(CaseRecord, Vec<TeamMember>)>> {
        match self.case(id).await? {
            Some(case) => Ok(Some((case, self.case_team(id).await?))),
            None => Ok(None),
        }
    }
    /// The cases a user may list: every case for `all` (coordinators), otherwise those whose team
    /// the user is on; tombstoned ones only with `include_deleted`. Most recently recorded first.
    async fn cases_for(
        &self,
        user: UserId,
        all: bool,
        include_deleted: bool,
        limit: u32,
    ) -> StoreResult<Vec<CaseRecord>>;
    /// Saves new fields if the case is still at `expected_version` (otherwise `Conflict`: someone
    /// else changed it meanwhile); writes the version row and the audit entry.
    async fn update_case(
        &self,
        id: ozodi_domain::case::CaseId,
        expected_version: i64,
        fields: &CaseFields,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Tombstones a case with a reason (nothing is removed).
    async fn tombstone_case(
        &self,
        id: ozodi_domain::case::CaseId,
        reason: &str,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Brings a tombstoned case back.
    async fn restore_case(
        &self,
        id: ozodi_domain::case::CaseId,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// The current team of a case.
    async fn case_team(&self, id: ozodi_domain::case::CaseId) -> StoreResult<Vec<TeamMember>>;
    /// Adds a member (or changes their identity access); audited.
    async fn set_team_member(
        &self,
        id: ozodi_domain::case::CaseId,
        user: UserId,
        identity_access: bool,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Removes a member (recorded, not deleted); audited.
    async fn remove_team_member(
        &self,
        id: ozodi_domain::case::CaseId,
        user: UserId,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Records a person of a case: the shown fields in the case data, the identity sealed in the
    /// identity compartment; one transaction with its version rows and audit entry.
    async fn create_person(
        &self,
        case: ozodi_domain::case::CaseId,
        fields: &PersonFields,
        identity: &ozodi_domain::person::Identity,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord>;
    /// Saves a person's shown fields and, when given, a new identity (its previous version stays,
    /// sealed) if the person is still at `expected_version`; refreshes the name index.
    #[expect(
        clippy::too_many_arguments,
        reason = "the store's write signature: what, which version, who, when"
    )]
    async fn update_person(
        &self,
        person: ozodi_domain::person::PersonId,
        expected_version: i64,
        fields: &PersonFields,
        identity: Option<&ozodi_domain::person::Identity>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<PersonRecord>;
    /// One person (pseudonym and shown fields), tombstoned ones excluded.
    async fn person(&self, id: ozodi_domain::person::PersonId) -> StoreResult<Option<PersonRecord>>;
    /// The persons of a case (pseudonyms only).
    async fn persons_of_case(&self, case: ozodi_domain::case::CaseId) -> StoreResult<Vec<PersonRecord>>;
    /// Opens a person's identity. The only way to read one: the audit entry (who, why) is written
    /// in the same transaction, before the value is returned.
    async fn reveal_identity(
        &self,
        person: ozodi_domain::person::PersonId,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::person::Identity>;
    /// Records a new event, act, … of a case, or (with `case` `None`) a facility; references and
    /// codes are checked in the same transaction as the write, the version row and the audit entry.
    async fn create_record(
        &self,
        kind: ozodi_domain::record::Kind,
        case: Option<ozodi_domain::case::CaseId>,
        data: &ozodi_domain::record::Data,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Record>;
    /// A record by id (tombstoned ones too).
    async fn record(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Option<Record>>;
    /// The records with these ids that exist (tombstoned ones too), in no particular order.
    async fn records_by_id(&self, ids: &[ozodi_domain::record::RecordId]) -> StoreResult<Vec<Record>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(self.record(*id).await?);
        }
        Ok(found)
    }
    /// Every record of a case (tombstoned ones too), in timeline order.
    async fn records_of_case(&self, case: ozodi_domain::case::CaseId) -> StoreResult<Vec<Record>>;
    /// The registry of places of detention (tombstoned ones too).
    async fn facilities(&self) -> StoreResult<Vec<Record>> {
        self.registry(ozodi_domain::record::Kind::Facility).await
    }
    /// Every record of one registry type (tombstoned ones too), in the order they were made.
    async fn registry(&self, kind: ozodi_domain::record::Kind) -> StoreResult<Vec<Record>>;
    /// The registry records of `kind` whose `field` names `target` (a visit's findings).
    async fn registry_referring(
        &self,
        target: ozodi_domain::record::RecordId,
        kind: ozodi_domain::record::Kind,
        field: &str,
    ) -> StoreResult<Vec<Record>>;
    /// Saves new values if the record is still at `expected_version` (else `Conflict`).
    async fn update_record(
        &self,
        id: ozodi_domain::record::RecordId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Record>;
    /// Tombstones a record with a reason (`Some`) or restores it (`None`).
    async fn set_record_deleted(
        &self,
        id: ozodi_domain::record::RecordId,
        reason: Option<&str>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Record>;
    /// Where evidence files go and the key that seals them.
    fn evidence_files(&self) -> std::sync::Arc<EvidenceFiles>;
    /// Records a received evidence item whose file is already sealed in place, with its first
    /// custody event and audit entry, in one transaction.
    async fn create_evidence(&self, item: &Evidence, audit: NewAuditEntry) -> StoreResult<Evidence>;
    /// An evidence item.
    async fn evidence(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Option<Evidence>>;
    /// The evidence of a case, oldest first.
    async fn evidence_of_case(&self, case: ozodi_domain::case::CaseId) -> StoreResult<Vec<Evidence>>;
    /// Every evidence item (for `ozodi evidence verify`).
    async fn all_evidence(&self) -> StoreResult<Vec<Evidence>>;
    /// Appends a custody event, and its audit entry, in one transaction.
    async fn record_custody(
        &self,
        id: ozodi_domain::record::RecordId,
        action: &str,
        detail: serde_json::Value,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Tombstones an evidence item with a reason (`Some`) or restores it (`None`); the file itself
    /// is kept untouched either way. Audited.
    async fn set_evidence_deleted(
        &self,
        id: ozodi_domain::record::RecordId,
        reason: Option<&str>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// The chain of custody of an item, oldest first.
    async fn custody(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Vec<CustodyEvent>>;
    /// Persons who may be the same as `person`: sharing name skeletons in any spelling, only in
    /// cases where `user` holds identity access; best first, with the decisions taken so far.
    async fn duplicate_candidates(
        &self,
        person: ozodi_domain::person::PersonId,
        user: UserId,
    ) -> StoreResult<Vec<DuplicateCandidate>>;
    /// Records a decision on a pair of persons; audited.
    async fn decide_duplicate(
        &self,
        a: ozodi_domain::person::PersonId,
        b: ozodi_domain::person::PersonId,
        same: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Searches the cases the query's user may open.
    async fn search(&self, query: &SearchQuery) -> StoreResult<SearchResults>;
    /// Rebuilds the whole search index from the records; returns the number of cases indexed.
    async fn rebuild_search_index(&self) -> StoreResult<u64>;
    /// Every version of a record, oldest first.
    async fn versions(&self, entity: &str, record: &str) -> StoreResult<Vec<RecordVersion>>;

    /// The hotline lines, their staff and the open alerts (kept in memory; see
    /// [`intake::IntakeSnapshot`]).
    async fn intake_snapshot(&self) -> StoreResult<std::sync::Arc<intake::IntakeSnapshot>>;
    /// Creates a line (`expected_version` 0; `Conflict` if the code is taken) or saves new fields
    /// of one still at `expected_version`. Returns the new version.
    async fn save_line(
        &self,
        line: &intake::Line,
        expected_version: i64,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Puts `user` on a line's staff or takes them off; audited.
    async fn set_line_staff(
        &self,
        line: &ozodi_domain::intake::LineCode,
        user: UserId,
        member: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Logs a contact. Caller details are sealed with the identity key (refused without the
    /// consent to record). An urgent one (in custody or at risk now) raises its alert and notifies
    /// the coordinators and the lawyers serving its line or region, in the same transaction. A web
    /// report also stores its receipt hashes and its files.
    async fn create_contact(
        &self,
        fields: &intake::NewContact,
        details: &ozodi_domain::intake::CallerDetails,
        actor: Option<UserId>,
        at: OffsetDateTime,
        report: Option<intake::WebReport<'_>>,
        audit: NewAuditEntry,
    ) -> StoreResult<intake::Contact>;
    /// A contact by id.
    async fn contact(&self, id: ozodi_domain::intake::ContactId) -> StoreResult<Option<intake::Contact>>;
    /// Unhandled contacts, oldest first: of a line (`Some(Some)`), of no line (`Some(None)`), all (`None`).
    async fn contact_queue(
        &self,
        line: Option<Option<&ozodi_domain::intake::LineCode>>,
        limit: u32,
    ) -> StoreResult<Vec<intake::Contact>>;
    /// Unhandled contacts assigned to `user`, oldest first.
    async fn contacts_assigned_to(&self, user: UserId) -> StoreResult<Vec<intake::Contact>>;
    /// The contacts linked to a case.
    async fn contacts_of_case(&self, case: ozodi_domain::case::CaseId) -> StoreResult<Vec<intake::Contact>>;
    /// Opens a contact's sealed caller details, writing the audit entry first in the same
    /// transaction.
    async fn reveal_caller(
        &self,
        id: ozodi_domain::intake::ContactId,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::intake::CallerDetails>;
    /// Triage of a contact still `new` at `expected_version`: opens a case from it (the actor
    /// joins the team), links it to a case, or closes it with a reason; acknowledges its open
    /// alert. Returns the contact's new version and the case.
    async fn triage_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        triage: intake::Triage,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<(i64, Option<ozodi_domain::case::CaseId>)>;
    /// Assigns a contact to a user (or to nobody); notifies the assignee.
    async fn assign_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        user: Option<UserId>,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Hands a contact to another line's team (its queue); notifies that line's staff.
    async fn move_contact(
        &self,
        id: ozodi_domain::intake::ContactId,
        expected_version: i64,
        line: &ozodi_domain::intake::LineCode,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// The alert of a contact, with its log.
    async fn alert_of(&self, contact: ozodi_domain::intake::ContactId) -> StoreResult<Option<intake::Alert>>;
    /// The open alerts `user` has already seen.
    async fn alerts_seen_by(&self, user: UserId) -> StoreResult<Vec<ozodi_domain::intake::AlertId>>;
    /// Logs that `user` saw these alerts (each user's first sight only).
    async fn mark_alerts_seen(
        &self,
        user: UserId,
        alerts: &[ozodi_domain::intake::AlertId],
        at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Acknowledges a contact's open alert; `Conflict` if none is open.
    async fn acknowledge_alert(
        &self,
        contact: ozodi_domain::intake::ContactId,
        user: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Escalates the open alerts raised at or before `cutoff` to the coordinators (once each);
    /// `audit` is the template of the entry written for each. Also notifies the assignees of
    /// tasks that fell due. Returns how many alerts escalated.
    async fn run_intake_clock(
        &self,
        cutoff: OffsetDateTime,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<usize>;
    /// Creates a task; notifies its assignee.
    async fn create_task(
        &self,
        task: &intake::NewTask,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::intake::TaskId>;
    /// A task by id.
    async fn task(&self, id: ozodi_domain::intake::TaskId) -> StoreResult<Option<intake::Task>>;
    /// The open tasks of a user, soonest due first.
    async fn open_tasks_of(&self, user: UserId) -> StoreResult<Vec<intake::Task>>;
    /// The tasks of a contact.
    async fn tasks_of_contact(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<intake::Task>>;
    /// Marks a task done; `Conflict` if it already was.
    async fn complete_task(
        &self,
        id: ozodi_domain::intake::TaskId,
        user: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// The newest notifications of a user, and how many are unread.
    async fn notifications(&self, user: UserId, limit: u32) -> StoreResult<(Vec<intake::Notification>, i64)>;
    /// For the dashboard, in one read: the user's open tasks, how many of them are overdue at
    /// `now`, and their unread notifications.
    async fn work_summary(&self, user: UserId, now: OffsetDateTime) -> StoreResult<(i64, i64, i64)>;
    /// Marks every notification of a user read.
    async fn mark_notifications_read(&self, user: UserId, at: OffsetDateTime) -> StoreResult<()>;
    /// The web report with this receipt hash: its contact and its secret's hash.
    async fn report_by_receipt(
        &self,
        receipt_hash: &[u8],
    ) -> StoreResult<Option<(ozodi_domain::intake::ContactId, Vec<u8>)>>;
    /// The files of a web report (without their bytes).
    async fn report_files(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<intake::ReportFile>>;
    /// One file's type and bytes: the original, or the working copy without metadata (`None`
    /// when there is no such file or copy).
    async fn report_file(
        &self,
        contact: ozodi_domain::intake::ContactId,
        seq: i64,
        original: bool,
    ) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// The messages of a web report, oldest first.
    async fn report_messages(
        &self,
        contact: ozodi_domain::intake::ContactId,
    ) -> StoreResult<Vec<intake::ReportMessage>>;
    /// Adds a message to a web report: from staff (`author`), or from the sender (`None`, which
    /// notifies the contact's assignee, or its line's staff, or the coordinators).
    async fn add_report_message(
        &self,
        contact: ozodi_domain::intake::ContactId,
        author: Option<UserId>,
        body: &str,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// The address a user asked to be told at that notifications wait (never what they say).
    async fn notify_email(&self, user: UserId) -> StoreResult<Option<String>>;
    /// Sets or clears that address; audited.
    async fn set_notify_email(
        &self,
        user: UserId,
        email: Option<&str>,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Users with an address and unread notifications not yet announced by e-mail.
    async fn pending_emails(&self) -> StoreResult<Vec<intake::PendingEmail>>;
    /// Marks a user's notifications up to `up_to` announced.
    async fn mark_emailed(&self, user: UserId, up_to: i64, at: OffsetDateTime) -> StoreResult<()>;
    /// The intake figures for contacts received in `[from, to)`.
    async fn intake_figures(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<intake::IntakeFigures>;

    // ----- the public site -----

    /// The course of a publication: its stage, the version the public sees and every step.
    async fn publication_course(&self, id: ozodi_domain::record::RecordId) -> StoreResult<site::Course>;
    /// Takes a step of a publication's course if the stage and version the form was drawn at are
    /// still current (else `Conflict`); publishing writes the public copy of that version, taking
    /// it down removes it, in the same transaction as the step and its audit entry.
    async fn publication_step(
        &self,
        id: ozodi_domain::record::RecordId,
        request: &site::StepRequest,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<site::Course>;
    /// Every published item as the public reads it, newest first.
    async fn site_published(&self) -> StoreResult<Vec<site::PublicItem>>;
    /// A value that changes whenever anything is published, republished or taken down (the
    /// public site keeps its catalogue in memory while it stays the same).
    async fn site_stamp(&self) -> StoreResult<String>;
    /// The numbers of the published items matching a query (the internal search's analysis),
    /// best first.
    async fn site_search(&self, query: &str) -> StoreResult<Vec<u32>>;
    /// The files of a publication, removed ones included.
    async fn publication_files(
        &self,
        publication: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<site::FileMeta>>;
    /// A file with its bytes; with `public`, only while a published item lists it.
    async fn publication_file(
        &self,
        file: ozodi_domain::record::RecordId,
        public: bool,
    ) -> StoreResult<Option<(site::FileMeta, Vec<u8>)>>;
    /// Attaches a file to a live publication.
    async fn add_publication_file(
        &self,
        publication: ozodi_domain::record::RecordId,
        file: &site::NewFile,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::record::RecordId>;
    /// Removes a file from its publication (kept while a published version lists it).
    async fn remove_publication_file(
        &self,
        publication: ozodi_domain::record::RecordId,
        file: ozodi_domain::record::RecordId,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Every page of the site in every language (version 0 for one never written).
    async fn site_pages(&self) -> StoreResult<Vec<site::SitePage>>;
    /// Saves a page's title and body if it is still at `expected_version`.
    #[expect(clippy::too_many_arguments, reason = "the page, its text and who saves it when")]
    async fn save_site_page(
        &self,
        page: ozodi_domain::site::Page,
        lang: &str,
        text: (&str, &str),
        expected_version: i64,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// A case's public summary (the only way a publication cites a case) and its version.
    async fn case_public_summary(
        &self,
        case: ozodi_domain::case::CaseId,
    ) -> StoreResult<Option<(String, i64)>>;
    /// Saves a case's public summary if it is still at `expected_version` (0: none yet).
    async fn save_case_public_summary(
        &self,
        case: ozodi_domain::case::CaseId,
        text: &str,
        expected_version: i64,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Brings in one existing publication under an import key, published at once with
    /// `publish`; a key seen before changes nothing.
    async fn import_publication(
        &self,
        key: &str,
        data: &ozodi_domain::record::Data,
        publish: bool,
        actor: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<(ozodi_domain::record::RecordId, site::Imported)>;

    // ----- trainings -----

    /// Records a training event.
    async fn create_training(
        &self,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::record::RecordId>;
    /// Saves a training's fields if it is still at `expected_version`.
    async fn update_training(
        &self,
        id: ozodi_domain::record::RecordId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Sets one count of participants (0 removes it).
    async fn set_training_participants(
        &self,
        id: ozodi_domain::record::RecordId,
        row: &training::Participants,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Every training, newest first, with its counts.
    async fn trainings(&self) -> StoreResult<Vec<training::Training>>;
    /// One training with its counts.
    async fn training(&self, id: ozodi_domain::record::RecordId) -> StoreResult<Option<training::Training>>;

    // ----- monitoring and recommendations -----

    /// A visit's course, team and allegations.
    async fn visit_detail(
        &self,
        visit: ozodi_domain::record::RecordId,
    ) -> StoreResult<monitoring::VisitDetail>;
    /// Where every visit stands.
    async fn visit_states(
        &self,
    ) -> StoreResult<std::collections::HashMap<ozodi_domain::record::RecordId, String>>;
    /// How many allegations each visit received, and how many were passed on as contacts.
    async fn allegation_counts(
        &self,
    ) -> StoreResult<std::collections::HashMap<ozodi_domain::record::RecordId, (i64, i64)>>;
    /// Moves a visit's course on if its last step is still `expected_seq`; returns the state
    /// reached.
    async fn visit_step(
        &self,
        visit: ozodi_domain::record::RecordId,
        expected_seq: i64,
        step: (&str, time::Date, &str),
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str>;
    /// Adds someone to a visit's team.
    async fn add_visit_member(
        &self,
        visit: ozodi_domain::record::RecordId,
        member: &monitoring::NewTeamMember,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Marks a member of a visit's team removed.
    async fn remove_visit_member(
        &self,
        visit: ozodi_domain::record::RecordId,
        seq: i64,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Counts an allegation received during a visit; with the person's authorisation, also logs
    /// it as an intake contact (channel `monitoring-visit`, the region of the facility) in the
    /// same transaction, and returns that contact.
    async fn record_allegation(
        &self,
        visit: ozodi_domain::record::RecordId,
        contact: Option<&intake::NewContact>,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Option<intake::Contact>>;
    /// Records an assessment of a recommendation (of a visit or the UN).
    async fn add_assessment(
        &self,
        recommendation: ozodi_domain::record::RecordId,
        assessment: &monitoring::NewAssessment,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// The assessments of a recommendation, oldest first.
    async fn assessments(
        &self,
        recommendation: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<monitoring::Assessment>>;
    /// The latest assessment from each viewpoint of every recommendation of `kind`.
    async fn latest_assessments(
        &self,
        kind: ozodi_domain::record::Kind,
    ) -> StoreResult<Vec<monitoring::LatestAssessment>>;
    /// Imports UN documents and recommendations in one transaction (safe to run again: what is
    /// there is found and only its official fields are brought up to date; assessments are never
    /// touched); returns what happened to each item.
    async fn import_recommendations(
        &self,
        documents: &[ozodi_domain::monitoring::ImportDocument],
        items: &[ozodi_domain::monitoring::ImportItem],
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<Vec<ozodi_domain::monitoring::ImportLine>>;

    // ----- statistics -----

    /// The figure of one indicator of DOMAIN.md section 6, with `filter` (the dimensions the
    /// indicator cannot honour are ignored: `Filter::not_applicable` names them).
    async fn statistic(
        &self,
        indicator: ozodi_domain::stats::Indicator,
        filter: &ozodi_domain::stats::Filter,
    ) -> StoreResult<stats::Figure>;
    /// Reads the statistics' facts now, so that the first figure asked for does not wait for
    /// them (a server calls it once unsealed).
    async fn prepare_statistics(&self) -> StoreResult<()>;
    /// The tables of the public statistics, before disclosure control
    /// (`ozodi_domain::disclosure::publish` makes them safe to publish).
    async fn public_tables(&self) -> StoreResult<Vec<stats::CountTable>>;
    /// The cases behind a figure about cases (none for the other indicators).
    async fn statistic_cases(
        &self,
        indicator: ozodi_domain::stats::Indicator,
        filter: &ozodi_domain::stats::Filter,
    ) -> StoreResult<Vec<ozodi_domain::case::CaseId>>;

    // ----- rehabilitation -----

    /// Records a referral: opens an episode of a case for one of its persons.
    async fn create_episode(
        &self,
        case: ozodi_domain::case::CaseId,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::rehab::EpisodeId>;
    /// One episode with its sessions and course.
    async fn episode(&self, id: ozodi_domain::rehab::EpisodeId) -> StoreResult<Option<rehab::Episode>>;
    /// The episodes of a case (`Some`), or of the cases whose team `member` is on (`None` case),
    /// or all of them (both `None`), oldest first.
    async fn episodes(
        &self,
        case: Option<ozodi_domain::case::CaseId>,
        member: Option<UserId>,
    ) -> StoreResult<Vec<rehab::EpisodeSummary>>;
    /// Saves an episode's values if it is still at `expected_version`.
    async fn update_episode(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Moves an episode's course on; returns the state reached.
    async fn episode_step(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        expected_version: i64,
        step: rehab::StepRequest<'_>,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str>;
    /// Adds a session to an episode that has not ended; returns its number.
    async fn add_session(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Removes a session entered by mistake (a tombstone) if it is still at `expected_version`.
    async fn remove_session(
        &self,
        id: ozodi_domain::rehab::EpisodeId,
        seq: i64,
        expected_version: i64,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// The counts of statistic 14.
    async fn rehab_figures(&self) -> StoreResult<rehab::RehabFigures>;

    // ----- medico-legal evaluations -----

    /// Opens an evaluation of a case (or an addendum to one of its signed evaluations).
    async fn create_evaluation(
        &self,
        case: ozodi_domain::case::CaseId,
        data: &ozodi_domain::record::Data,
        amends: Option<ozodi_domain::ip::EvaluationId>,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::ip::EvaluationId>;
    /// One evaluation with its findings and workflow history.
    async fn evaluation(&self, id: ozodi_domain::ip::EvaluationId) -> StoreResult<Option<ip::Evaluation>>;
    /// The evaluations of a case.
    async fn evaluations_of_case(
        &self,
        case: ozodi_domain::case::CaseId,
    ) -> StoreResult<Vec<ip::EvaluationSummary>>;
    /// Saves the report's values if it is still at `expected_version` and not signed.
    async fn update_evaluation(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        expected_version: i64,
        data: &ozodi_domain::record::Data,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Adds a finding to an unsigned evaluation; returns its number.
    async fn add_finding(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        data: &ozodi_domain::record::Data,
        audit: NewAuditEntry,
    ) -> StoreResult<i64>;
    /// Changes (`Some`) or removes (`None`) a finding of an unsigned evaluation.
    async fn change_finding(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        seq: i64,
        expected_version: i64,
        data: Option<&ozodi_domain::record::Data>,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Records the person's consent to share the evaluation with the case's lawyers, or its
    /// withdrawal.
    async fn set_evaluation_shared(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        shared: bool,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Moves an evaluation's workflow on (signing freezes it with its document and hash).
    async fn evaluation_step(
        &self,
        id: ozodi_domain::ip::EvaluationId,
        expected_version: i64,
        step: ip::StepRequest<'_>,
        audit: NewAuditEntry,
    ) -> StoreResult<&'static str>;

    // ----- legal work -----

    /// The steps of a proceeding, oldest first.
    async fn proceeding_steps(
        &self,
        proceeding: ozodi_domain::record::RecordId,
    ) -> StoreResult<Vec<legal::ProceedingStep>>;
    /// Where a live proceeding stands (kind, state, award and payments) and its case.
    async fn proceeding_state(
        &self,
        proceeding: ozodi_domain::record::RecordId,
    ) -> StoreResult<Option<(ozodi_domain::case::CaseId, legal::ProceedingState)>>;
    /// The current state of every proceeding of a case.
    async fn proceeding_states_of_case(
        &self,
        case: ozodi_domain::case::CaseId,
    ) -> StoreResult<Vec<(ozodi_domain::record::RecordId, String)>>;
    /// Records a step: checked against the machine of the proceeding's kind in the write
    /// transaction (`Step` if refused, `Conflict` if another step came first), with its audit
    /// entry.
    async fn add_proceeding_step(
        &self,
        step: &legal::NewStep,
        audit: NewAuditEntry,
    ) -> StoreResult<legal::ProceedingStep>;
    /// One calendar entry.
    async fn calendar_entry(
        &self,
        id: ozodi_domain::legal::EntryId,
    ) -> StoreResult<Option<legal::CalendarEntry>>;
    /// The entries a calendar shows, soonest first.
    async fn calendar(&self, query: &legal::CalendarQuery) -> StoreResult<Vec<legal::CalendarEntry>>;
    /// Adds a hearing or deadline to a case (the responsible lawyer must be on its team).
    async fn create_calendar_entry(
        &self,
        case: ozodi_domain::case::CaseId,
        fields: &legal::EntryFields,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<ozodi_domain::legal::EntryId>;
    /// Changes an open entry still at `expected_version`.
    async fn update_calendar_entry(
        &self,
        id: ozodi_domain::legal::EntryId,
        expected_version: i64,
        fields: &legal::EntryFields,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// Marks an open entry done or cancelled.
    async fn set_calendar_entry_status(
        &self,
        id: ozodi_domain::legal::EntryId,
        expected_version: i64,
        status: legal::EntryStatus,
        by: UserId,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;
    /// The active account whose calendar feed secret hashes to `token_hash`.
    async fn calendar_feed_user(&self, token_hash: &[u8]) -> StoreResult<Option<UserId>>;
    /// Since when the user has a feed link (`None`: no link).
    async fn calendar_feed_since(&self, user: UserId) -> StoreResult<Option<OffsetDateTime>>;
    /// Replaces (`Some`) or revokes (`None`) the user's feed secret, with its audit entry.
    async fn set_calendar_feed(
        &self,
        user: UserId,
        token_hash: Option<&[u8]>,
        at: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> StoreResult<()>;

    /// Appends a stand-alone entry (one that comes with no change) to the access log
    /// ([`Trail::Access`]); returns its sequence number there.
    async fn audit(&self, entry: NewAuditEntry) -> StoreResult<i64>;
    /// Browses both trails merged, newest first.
    async fn audit_entries(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRow>>;
    /// Verifies both chains, oldest first. `Ok(Err(..))` names the first bad entry.
    async fn verify_audit(&self) -> StoreResult<Result<AuditReport, TrailBreak>>;

    /// Writes a backup archive of this instance (key file at `key_file`) to `dest`; see
    /// [`backup::create`].
    async fn write_backup(
        &self,
        key_file: &std::path::Path,
        dest: &std::path::Path,
        progress: &(dyn Fn(backup::Progress) + Send + Sync),
    ) -> Result<backup::Manifest, backup::BackupError>;
    /// Checks an archive of this instance by a trial restore in a private directory under
    /// `scratch`, with the key the store holds; see [`backup::verify`].
    async fn verify_backup(
        &self,
        archive: &std::path::Path,
        scratch: &std::path::Path,
        progress: &(dyn Fn(backup::Progress) + Send + Sync),
    ) -> Result<backup::Manifest, backup::BackupError>;

    /// Closes every connection (used when sealing: nothing stays open with the key).
    async fn close(&self);
}
