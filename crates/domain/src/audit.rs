//! The audit vocabulary: what kinds of events the trail records. The chain itself (hashing,
//! verification) is in `vault`; storage is in `store`.

/// A kind of audited event, stored by its stable [`AuditKind::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditKind {
    /// A successful login.
    LoginSucceeded,
    /// A failed login (wrong password, unknown or disabled account, throttled).
    LoginFailed,
    /// A logout.
    Logout,
    /// The instance was unsealed.
    Unsealed,
    /// The instance was sealed (by an administrator, the CLI or a signal).
    Sealed,
    /// An account was created.
    UserCreated,
    /// An account's roles changed.
    RolesChanged,
    /// An account's display name changed.
    UserRenamed,
    /// An account was disabled.
    UserDisabled,
    /// An account was re-enabled.
    UserEnabled,
    /// An administrator gave an account a temporary password.
    PasswordReset,
    /// A user changed their own password.
    PasswordChanged,
    /// The instance passphrase was changed (key rewrapped).
    PassphraseChanged,
    /// A request was refused by the authorisation function.
    AccessDenied,
    /// An administrator added a vocabulary term.
    TermAdded,
    /// An administrator relabelled a vocabulary term.
    TermRelabelled,
    /// An administrator deprecated (or restored) a vocabulary term.
    TermDeprecated,
    /// A case was opened.
    CaseCreated,
    /// A case was edited (fields or status).
    CaseUpdated,
    /// A case was tombstoned.
    CaseDeleted,
    /// A tombstoned case was restored.
    CaseRestored,
    /// A case team changed (member added, removed, identity access changed).
    TeamChanged,
    /// A case page was read.
    CaseViewed,
    /// An identity was revealed (with the stated purpose).
    IdentityRevealed,
    /// A record (event, act, …, facility) was created.
    RecordCreated,
    /// A record was edited.
    RecordUpdated,
    /// A record was tombstoned.
    RecordDeleted,
    /// A tombstoned record was restored.
    RecordRestored,
    /// A custody event of an evidence item (received, viewed, downloaded, exported, verified).
    EvidenceCustody,
    /// A decision on a possible duplicate person (same or different).
    DuplicateDecided,
    /// A backup archive was written (and, if so, verified).
    BackupCreated,
    /// This instance was restored from a backup archive.
    Restored,
    /// A hotline line or its staff changed.
    LineChanged,
    /// A contact was logged (by staff, or by the web report form: then without actor or client).
    ContactCreated,
    /// A contact was triaged, assigned or edited.
    ContactUpdated,
    /// A contact page was read.
    ContactViewed,
    /// An urgent alert was acknowledged.
    AlertAcknowledged,
    /// An urgent alert escalated to the coordinators.
    AlertEscalated,
    /// A follow-up task was created, reassigned or done.
    TaskChanged,
    /// A message was exchanged with the sender of a web report.
    ReportMessage,
    /// A user set or cleared the address notifications are announced at.
    NotifyEmailChanged,
    /// A legal proceeding took a step (its state changed).
    ProceedingStep,
    /// A hearing or deadline was added, changed, done or cancelled.
    CalendarChanged,
    /// A user created or revoked their calendar feed link.
    CalendarFeedChanged,
    /// A calendar feed was read (by whoever holds the link).
    CalendarFeedRead,
    /// A case file for court was produced (its sections, format and recipient; no content).
    CourtFileProduced,
    /// A monitoring visit took a step (its state changed).
    VisitStep,
    /// A monitoring visit's team changed.
    VisitTeamChanged,
    /// An allegation received during a visit was recorded (and, with the person's authorisation,
    /// passed on as an intake contact).
    AllegationRecorded,
    /// An assessment of a recommendation's implementation was recorded.
    AssessmentAdded,
    /// A person confirmed a recommendation against the official text.
    RecommendationVerified,
    /// Recommendations were imported (from the official index or the shipped set).
    RecommendationsImported,
    /// Something was exported (a list, records, a report): what, in which format, how many rows.
    Exported,
    /// A publication went to review, back to draft, onto the public site or off it.
    PublicationStep,
    /// A page of the public site (who we are, contacts) was changed.
    SitePageChanged,
    /// A file was attached to a publication or removed from it.
    PublicationFileChanged,
    /// Existing publications were imported from a folder.
    PublicationsImported,
}

impl AuditKind {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [AuditKind; 57] = [
        AuditKind::LoginSucceeded,
        AuditKind::LoginFailed,
        AuditKind::Logout,
        AuditKind::Unsealed,
        AuditKind::Sealed,
        AuditKind::UserCreated,
        AuditKind::RolesChanged,
        AuditKind::UserRenamed,
        AuditKind::UserDisabled,
        AuditKind::UserEnabled,
        AuditKind::PasswordReset,
        AuditKind::PasswordChanged,
        AuditKind::PassphraseChanged,
        AuditKind::AccessDenied,
        AuditKind::TermAdded,
        AuditKind::TermRelabelled,
        AuditKind::TermDeprecated,
        AuditKind::CaseCreated,
        AuditKind::CaseUpdated,
        AuditKind::CaseDeleted,
        AuditKind::CaseRestored,
        AuditKind::TeamChanged,
        AuditKind::CaseViewed,
        AuditKind::IdentityRevealed,
        AuditKind::RecordCreated,
        AuditKind::RecordUpdated,
        AuditKind::RecordDeleted,
        AuditKind::RecordRestored,
        AuditKind::EvidenceCustody,
        AuditKind::DuplicateDecided,
        AuditKind::BackupCreated,
        AuditKind::Restored,
        AuditKind::LineChanged,
        AuditKind::ContactCreated,
        AuditKind::ContactUpdated,
        AuditKind::ContactViewed,
        AuditKind::AlertAcknowledged,
        AuditKind::AlertEscalated,
        AuditKind::TaskChanged,
        AuditKind::ReportMessage,
        AuditKind::NotifyEmailChanged,
        AuditKind::ProceedingStep,
        AuditKind::CalendarChanged,
        AuditKind::CalendarFeedChanged,
        AuditKind::CalendarFeedRead,
        AuditKind::CourtFileProduced,
        AuditKind::VisitStep,
        AuditKind::VisitTeamChanged,
        AuditKind::AllegationRecorded,
        AuditKind::AssessmentAdded,
        AuditKind::RecommendationVerified,
        AuditKind::RecommendationsImported,
        AuditKind::Exported,
        AuditKind::PublicationStep,
        AuditKind::SitePageChanged,
        AuditKind::PublicationFileChanged,
        AuditKind::PublicationsImported,
    ];

    /// The stable code stored in the trail (and part of each entry's hash: never change one).
    pub fn code(self) -> &'static str {
        match self {
            AuditKind::LoginSucceeded => "login.ok",
            AuditKind::LoginFailed => "login.failed",
            AuditKind::Logout => "logout",
            AuditKind::Unsealed => "instance.unsealed",
            AuditKind::Sealed => "instance.sealed",
            AuditKind::UserCreated => "user.created",
            AuditKind::RolesChanged => "user.roles",
            AuditKind::UserRenamed => "user.renamed",
            AuditKind::UserDisabled => "user.disabled",
            AuditKind::UserEnabled => "user.enabled",
            AuditKind::PasswordReset => "user.password-reset",
            AuditKind::PasswordChanged => "user.password-changed",
            AuditKind::PassphraseChanged => "instance.passphrase-changed",
            AuditKind::AccessDenied => "access.denied",
            AuditKind::TermAdded => "vocab.term-added",
            AuditKind::TermRelabelled => "vocab.term-relabelled",
            AuditKind::TermDeprecated => "vocab.term-deprecated",
            AuditKind::CaseCreated => "case.created",
            AuditKind::CaseUpdated => "case.updated",
            AuditKind::CaseDeleted => "case.deleted",
            AuditKind::CaseRestored => "case.restored",
            AuditKind::TeamChanged => "case.team",
            AuditKind::CaseViewed => "case.viewed",
            AuditKind::IdentityRevealed => "identity.revealed",
            AuditKind::RecordCreated => "record.created",
            AuditKind::RecordUpdated => "record.updated",
            AuditKind::RecordDeleted => "record.deleted",
            AuditKind::RecordRestored => "record.restored",
            AuditKind::EvidenceCustody => "evidence.custody",
            AuditKind::DuplicateDecided => "person.duplicate-decided",
            AuditKind::BackupCreated => "instance.backup-created",
            AuditKind::Restored => "instance.restored",
            AuditKind::LineChanged => "intake.line-changed",
            AuditKind::ContactCreated => "contact.created",
            AuditKind::ContactUpdated => "contact.updated",
            AuditKind::ContactViewed => "contact.viewed",
            AuditKind::AlertAcknowledged => "alert.acknowledged",
            AuditKind::AlertEscalated => "alert.escalated",
            AuditKind::TaskChanged => "task.changed",
            AuditKind::ReportMessage => "report.message",
            AuditKind::NotifyEmailChanged => "user.notify-email",
            AuditKind::ProceedingStep => "legal.step",
            AuditKind::CalendarChanged => "calendar.changed",
            AuditKind::CalendarFeedChanged => "calendar.feed-changed",
            AuditKind::CalendarFeedRead => "calendar.feed-read",
            AuditKind::CourtFileProduced => "case.court-file",
            AuditKind::VisitStep => "visit.step",
            AuditKind::VisitTeamChanged => "visit.team",
            AuditKind::AllegationRecorded => "visit.allegation",
            AuditKind::AssessmentAdded => "recommendation.assessment",
            AuditKind::RecommendationVerified => "recommendation.verified",
            AuditKind::RecommendationsImported => "recommendations.imported",
            AuditKind::Exported => "export",
            AuditKind::PublicationStep => "publication.step",
            AuditKind::SitePageChanged => "site.page",
            AuditKind::PublicationFileChanged => "publication.file",
            AuditKind::PublicationsImported => "publications.imported",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        AuditKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in AuditKind::ALL {
            assert_eq!(AuditKind::parse(kind.code()), Some(kind));
        }
    }
}
