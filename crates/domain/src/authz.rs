//! The one authorisation function. Every handler asks [`can`] before it reads or changes anything;
//! templates never decide access, they only show what a handler already allowed.
//!
//! The rules are deliberately explicit matches, so a reviewer sees every grant in one place and a
//! new resource is denied until someone writes its rule. Administration is not a licence to read:
//! the administrator's grants cover accounts, the audit trail and sealing, nothing else.

use crate::role::{Role, RoleSet};
use crate::user::UserId;

/// Who is asking: a logged-in, active account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The account.
    pub id: UserId,
    /// Its roles.
    pub roles: RoleSet,
    /// Set after an administrator reset the password: until the user chooses a new one, only
    /// their own account page is reachable.
    pub must_change_password: bool,
}

/// What the actor wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Look at it.
    View,
    /// Create a new one in it.
    Create,
    /// Change it (roles, password, preferences).
    Update,
    /// Disable or re-enable an account.
    Disable,
    /// Give an account a temporary password that must be changed at next login.
    ResetPassword,
    /// Drop the keys from memory and stop serving data.
    Seal,
    /// See the real identity (name, contacts) behind a pseudonym; always with a stated purpose.
    RevealIdentity,
    /// Add or remove members of a case team.
    ManageTeam,
    /// Tombstone a record (with a reason; nothing is physically removed).
    Delete,
    /// Bring a tombstoned record back.
    Restore,
}

/// What the action is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    /// The start page after login.
    Dashboard,
    /// The actor's own account: password and language.
    OwnAccount,
    /// The list of all accounts.
    Accounts,
    /// One account, as administered by someone else.
    Account(UserId),
    /// The audit trail.
    AuditTrail,
    /// The running instance (seal).
    Instance,
    /// The controlled vocabularies (terms shown in forms).
    Vocabularies,
    /// The collection of cases (creating a new one).
    Cases,
    /// One case, described by the actor's relation to it.
    Case(CaseAccess),
    /// A record inside a case (event, act, ...): the actor's relation to the case, and whether the
    /// record itself is tombstoned.
    Record(CaseAccess, bool),
    /// The registry of places of detention.
    Facilities,
    /// A tombstoned facility.
    DeletedFacility,
    /// The hotline lines: everyone sees them; configuring them and their staff is for
    /// coordinators and administrators.
    Lines,
    /// One hotline line (its queue, logging a contact on it), by the actor's place on it.
    Line(LineAccess),
    /// Contacts in general (logging one that came through no line, such as a walk-in).
    Contacts,
    /// One contact, by the actor's relation to it.
    Contact(ContactAccess),
    /// The intake figures (contacts by line, channel, caller, region; alert response times).
    IntakeFigures,
    /// The legal work of a case: the steps of its proceedings, its hearings and deadlines, and
    /// its legal records (proceedings, accused, payments).
    Legal(CaseAccess),
    /// The user's own calendar of hearings and deadlines, and its feed link.
    OwnCalendar,
    /// A medico-legal evaluation of a case (the Istanbul Protocol report).
    Evaluation(EvaluationAccess),
    /// The coalition's training events and their participant counts (no personal data).
    Trainings,
    /// The rehabilitation episodes of a case: referral, course, sessions (their dates and
    /// modality) and outcome.
    Rehabilitation(CaseAccess),
    /// The clinical side of rehabilitation: recording sessions and reading their notes.
    ClinicalNotes(CaseAccess),
    /// Counts of rehabilitation clients, sessions and outcomes (no names, no notes).
    RehabFigures,
    /// The printable case file for court of a case.
    CourtFile(CaseAccess),
    /// The monitoring of places of detention: visits (their team, course and the allegations
    /// received), findings and recommendations; `true` for a tombstoned record.
    Monitoring(bool),
    /// The UN follow-up: documents, recommendations, their assessments and imports of the
    /// official index; `true` for a tombstoned record.
    UnFollowUp(bool),
    /// The advocacy log: meetings and briefings, and the materials published; `true` for a
    /// tombstoned record.
    Advocacy(bool),
    /// The public site: what goes onto it and comes off it (return, publish, unpublish), the
    /// files attached to publications and the site's own pages. Writing a publication and asking
    /// for its review is `Advocacy`.
    Site,
    /// The statistics of DOMAIN.md section 6: aggregates only (the cases behind a figure are
    /// listed only as far as the reader may open each of them).
    Statistics,
}

/// The actor's place on a hotline line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineAccess {
    /// The actor is on the line's staff (an operator answering it, or a lawyer serving it).
    pub staff: bool,
}

/// The actor's relation to one contact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContactAccess {
    /// The actor is on the staff of the contact's line, or a lawyer serving a line that covers
    /// the contact's region (the people its alert goes to).
    pub staff: bool,
    /// The contact is assigned to the actor.
    pub assigned: bool,
    /// The actor logged it.
    pub creator: bool,
    /// The actor is on the team of the case the contact opened or was linked to.
    pub case_team: bool,
    /// That team membership includes identities.
    pub case_identity: bool,
}

/// What the authorisation function needs to know about one case and the actor's place in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseAccess {
    /// The actor is a member of the case team.
    pub on_team: bool,
    /// The actor's team membership includes access to identities.
    pub identity_access: bool,
    /// The actor leads the case (the lead lawyer).
    pub lead: bool,
    /// The case is tombstoned.
    pub deleted: bool,
}

/// What decides access to a medico-legal evaluation: the case, and whether the person examined
/// consented to the report being shared with the case's lawyers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvaluationAccess {
    /// The actor's relation to the case.
    pub case: CaseAccess,
    /// The person's recorded consent to share the report with the case's lawyers.
    pub shared_with_lawyers: bool,
}

/// Decides whether `actor` may perform `action` on `resource`.
pub fn can(actor: &Actor, action: Action, resource: Resource) -> bool {
    if actor.must_change_password {
        return matches!(resource, Resource::OwnAccount) && matches!(action, Action::View | Action::Update);
    }
    let admin = actor.roles.contains(Role::Admin);
    match (resource, action) {
        (Resource::Dashboard, Action::View) => true,
        (Resource::OwnAccount, Action::View | Action::Update) => true,
        (Resource::Accounts, Action::View | Action::Create) => admin,
        (Resource::Account(_), Action::View | Action::Update) => admin,
        // An administrator cannot disable their own account or reset their own password through
        // the administration pages: the first would lock them out, the second bypasses the
        // current-password check of the own-account page.
        (Resource::Account(id), Action::Disable | Action::ResetPassword) => admin && id != actor.id,
        (Resource::AuditTrail, Action::View) => admin,
        (Resource::Instance, Action::Seal) => admin,
        (Resource::Vocabularies, Action::View | Action::Create | Action::Update) => admin,
        (Resource::Cases, Action::Create) => {
            [Role::Lawyer, Role::Coordinator, Role::Operator].into_iter().any(|r| actor.roles.contains(r))
        }
        (Resource::Case(case), action) => can_case(actor, action, case),
        (Resource::Record(case, deleted), action) => can_record(actor, action, case, deleted),
        (Resource::Facilities, Action::View) => [
            Role::Operator,
            Role::Lawyer,
            Role::Doctor,
            Role::Psychologist,
            Role::Monitor,
            Role::Coordinator,
            Role::Analyst,
        ]
        .into_iter()
        .any(|r| actor.roles.contains(r)),
        (Resource::Facilities, Action::Create | Action::Update) => {
            [Role::Lawyer, Role::Coordinator, Role::Operator, Role::Monitor]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        (Resource::Lines, Action::View) => !actor.roles.is_empty(),
        (Resource::Lines, Action::Create | Action::Update) => {
            admin || actor.roles.contains(Role::Coordinator)
        }
        (Resource::Line(line), Action::View | Action::Create) => {
            actor.roles.contains(Role::Coordinator) || (line.staff && answers_lines(actor))
        }
        (Resource::Contacts, Action::Create) => {
            actor.roles.contains(Role::Coordinator) || answers_lines(actor)
        }
        (Resource::Contact(contact), action) => can_contact(actor, action, contact),
        (Resource::IntakeFigures, Action::View) => {
            actor.roles.contains(Role::Coordinator) || actor.roles.contains(Role::Analyst)
        }
        (Resource::Legal(case), action) => can_legal(actor, action, case),
        (Resource::Evaluation(access), action) => can_evaluation(actor, action, access),
        (Resource::Rehabilitation(case), action) => can_rehabilitation(actor, action, case),
        (Resource::ClinicalNotes(case), Action::View | Action::Create | Action::Update) => {
            !case.deleted && case.on_team && clinician(actor)
        }
        // The lawyers of the case put its file together for court; the coordinators may too.
        (Resource::CourtFile(case), Action::Create) => {
            !case.deleted
                && ((case.on_team && actor.roles.contains(Role::Lawyer))
                    || actor.roles.contains(Role::Coordinator))
        }
        (Resource::RehabFigures, Action::View) => {
            [Role::Coordinator, Role::Analyst, Role::Doctor, Role::Psychologist]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        // Counts of participants, no names: every member of the coalition reads them; those who
        // run trainings (the clinicians for the Istanbul Protocol, the lawyers) and the
        // coordinators record them. An administrator's role alone is not a member's.
        (Resource::Trainings, Action::View) => actor.roles.iter().any(|r| r != Role::Admin),
        (Resource::Trainings, Action::Create | Action::Update) => {
            [Role::Coordinator, Role::Doctor, Role::Psychologist, Role::Lawyer]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        (Resource::OwnCalendar, Action::View | Action::Update) => {
            [Role::Operator, Role::Lawyer, Role::Doctor, Role::Psychologist, Role::Monitor, Role::Coordinator]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        (Resource::Facilities, Action::Delete)
        | (Resource::DeletedFacility, Action::View | Action::Restore) => {
            actor.roles.contains(Role::Coordinator)
        }
        // Visits name no interviewee (an allegation becomes a contact only with the person's
        // authorisation, and then follows the contact's rules): the monitors record them; the
        // lawyers (who litigate on what monitors find) and the analysts read them.
        (Resource::Monitoring(false), Action::View) => {
            [Role::Monitor, Role::Coordinator, Role::Analyst, Role::Lawyer]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        (Resource::Monitoring(false), Action::Create | Action::Update) => {
            actor.roles.contains(Role::Monitor) || actor.roles.contains(Role::Coordinator)
        }
        // The UN follow-up holds no personal data: every member reads it; the analysts who track
        // it, the lawyers who use it and the coordinators keep it.
        (Resource::UnFollowUp(false), Action::View) => actor.roles.iter().any(|r| r != Role::Admin),
        (Resource::UnFollowUp(false), Action::Create | Action::Update) => {
            [Role::Analyst, Role::Lawyer, Role::Coordinator].into_iter().any(|r| actor.roles.contains(r))
        }
        // Meetings and publications hold no personal data: every member reads them; those who
        // meet delegations and write (coordinators, analysts, editors, lawyers, monitors) keep them.
        (Resource::Advocacy(false), Action::View) => actor.roles.iter().any(|r| r != Role::Admin),
        (Resource::Advocacy(false), Action::Create | Action::Update) => {
            [Role::Coordinator, Role::Analyst, Role::Editor, Role::Lawyer, Role::Monitor]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        // What the public reads is decided by the Media group's editors and the coordinators; every
        // member may see the course of a publication.
        (Resource::Site, Action::View) => actor.roles.iter().any(|r| r != Role::Admin),
        (Resource::Site, Action::Update) => {
            actor.roles.contains(Role::Editor) || actor.roles.contains(Role::Coordinator)
        }
        // Aggregates, no names: those who report (analysts, editors), lead (coordinators) and use
        // them in litigation and monitoring (lawyers, monitors).
        (Resource::Statistics, Action::View) => {
            [Role::Coordinator, Role::Analyst, Role::Editor, Role::Lawyer, Role::Monitor]
                .into_iter()
                .any(|r| actor.roles.contains(r))
        }
        (
            Resource::Monitoring(false) | Resource::UnFollowUp(false) | Resource::Advocacy(false),
            Action::Delete,
        )
        | (
            Resource::Monitoring(true) | Resource::UnFollowUp(true) | Resource::Advocacy(true),
            Action::View | Action::Restore,
        ) => actor.roles.contains(Role::Coordinator),
        _ => false,
    }
}

/// Whether any of the actor's roles is one whose work can need a name (DOMAIN.md section 1):
/// analysts, editors and administrators never see identities, whatever a team grants them.
fn may_know_names(actor: &Actor) -> bool {
    [Role::Operator, Role::Lawyer, Role::Doctor, Role::Psychologist, Role::Monitor, Role::Coordinator]
        .into_iter()
        .any(|r| actor.roles.contains(r))
}

/// Whether the actor's roles are those that answer hotlines and act on contacts.
fn answers_lines(actor: &Actor) -> bool {
    actor.roles.contains(Role::Operator) || actor.roles.contains(Role::Lawyer)
}

/// Need-to-know on a contact: the staff of its line (and the lawyers serving its region), whoever
/// logged it, whoever it is assigned to, the team of the case it led to, and the coordinators. The caller's name only to those whose role may know
/// names.
fn can_contact(actor: &Actor, action: Action, contact: ContactAccess) -> bool {
    let coordinator = actor.roles.contains(Role::Coordinator);
    let intake = coordinator
        || ((contact.staff || contact.creator) && answers_lines(actor))
        || (contact.assigned && may_know_names(actor));
    match action {
        Action::View | Action::Update | Action::ManageTeam => intake || contact.case_team,
        // On a case team, the caller's name follows the team's identity access, as for persons.
        Action::RevealIdentity => {
            (intake || (contact.case_team && contact.case_identity)) && may_know_names(actor)
        }
        _ => false,
    }
}

/// Need-to-know on a case (DOMAIN.md section 7): the team and the coordinator open it; names only
/// to team members holding identity access; the administrator role grants nothing here.
fn can_case(actor: &Actor, action: Action, case: CaseAccess) -> bool {
    let coordinator = actor.roles.contains(Role::Coordinator);
    if case.deleted {
        // A tombstoned case is out of everyone's way except the coordinator's, who may restore it.
        return coordinator && matches!(action, Action::View | Action::Restore);
    }
    match action {
        Action::View | Action::Update => case.on_team || coordinator,
        Action::RevealIdentity => case.on_team && case.identity_access && may_know_names(actor),
        Action::ManageTeam => coordinator || (case.on_team && case.lead),
        Action::Delete => coordinator || (case.on_team && case.lead),
        Action::Restore | Action::Create | Action::Disable | Action::ResetPassword | Action::Seal => false,
    }
}

/// A record inside a case follows its case: who may edit the case may add and correct its records;
/// removing one (a tombstone) is for the lead and the coordinator, as for the case; bringing one
/// back is for the coordinator.
fn can_record(actor: &Actor, action: Action, case: CaseAccess, deleted: bool) -> bool {
    if case.deleted {
        return can_case(actor, Action::View, case) && action == Action::View;
    }
    match action {
        Action::View => can_case(actor, Action::View, case),
        Action::Create | Action::Update => !deleted && can_case(actor, Action::Update, case),
        Action::Delete => !deleted && can_case(actor, Action::Delete, case),
        Action::Restore => deleted && actor.roles.contains(Role::Coordinator),
        _ => false,
    }
}

/// Medical confidentiality: an evaluation is for the clinicians (doctors, psychologists) on the
/// case's team; the lawyers on the team read it once the person consented to that, and never
/// change it. Nobody else (not the coordinator, not the analysts, not an administrator) opens
/// it; analysts get counts elsewhere.
fn can_evaluation(actor: &Actor, action: Action, access: EvaluationAccess) -> bool {
    let case = access.case;
    if case.deleted || !case.on_team {
        return false;
    }
    let clinician = clinician(actor);
    match action {
        Action::View => clinician || (actor.roles.contains(Role::Lawyer) && access.shared_with_lawyers),
        Action::Create | Action::Update => clinician,
        _ => false,
    }
}

/// Whether the actor is a clinician (a doctor or psychologist).
fn clinician(actor: &Actor) -> bool {
    actor.roles.contains(Role::Doctor) || actor.roles.contains(Role::Psychologist)
}

/// Rehabilitation is for the rehabilitation team (the clinicians on the case's team) and the
/// coordinators: a coordinator may refer a client and follow the course, the team records the
/// assessment, the steps and the outcome. The case's lawyers, operators and monitors see none of
/// it; analysts get counts (`RehabFigures`); session notes are the clinicians' alone
/// (`ClinicalNotes`).
fn can_rehabilitation(actor: &Actor, action: Action, case: CaseAccess) -> bool {
    if case.deleted {
        return false;
    }
    let team = case.on_team && clinician(actor);
    match action {
        Action::View | Action::Create => team || actor.roles.contains(Role::Coordinator),
        Action::Update => team,
        _ => false,
    }
}

/// Legal work follows the case for reading; changing it (a procedural step, a hearing, a
/// proceeding, a verdict, a payment) is for the lawyers on the team and the coordinators. A
/// doctor or psychologist on the team sees where the proceedings stand but does not move them.
fn can_legal(actor: &Actor, action: Action, case: CaseAccess) -> bool {
    match action {
        Action::View => can_case(actor, Action::View, case),
        Action::Create | Action::Update | Action::Delete => {
            !case.deleted
                && ((case.on_team && actor.roles.contains(Role::Lawyer))
                    || actor.roles.contains(Role::Coordinator))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rehabilitation_is_for_the_team_clinicians_and_the_coordinators_notes_for_clinicians_only() {
        let on_team = CaseAccess { on_team: true, identity_access: true, lead: false, deleted: false };
        let off_team = CaseAccess { on_team: false, ..on_team };
        let deleted = CaseAccess { deleted: true, ..on_team };
        for role in Role::ALL {
            let a = actor(&[role]);
            let clinician = matches!(role, Role::Doctor | Role::Psychologist);
            let coordinator = role == Role::Coordinator;
            let rehab = |action, case| can(&a, action, Resource::Rehabilitation(case));
            let notes = |action, case| can(&a, action, Resource::ClinicalNotes(case));
            assert_eq!(rehab(Action::View, on_team), clinician || coordinator, "{role:?}");
            assert_eq!(rehab(Action::Create, on_team), clinician || coordinator, "{role:?}");
            assert_eq!(rehab(Action::Update, on_team), clinician, "{role:?}");
            assert_eq!(rehab(Action::View, off_team), coordinator, "{role:?} off the team");
            assert!(!rehab(Action::Update, off_team), "{role:?} off the team");
            for action in [Action::View, Action::Create, Action::Update] {
                assert_eq!(notes(action, on_team), clinician, "{role:?} {action:?} notes");
                assert!(!notes(action, off_team), "{role:?} {action:?} notes off the team");
                assert!(!rehab(action, deleted) && !notes(action, deleted), "{role:?} on a tombstoned case");
            }
            assert!(!rehab(Action::Delete, on_team), "{role:?}");
            let counts = can(&a, Action::View, Resource::RehabFigures);
            assert_eq!(
                counts,
                matches!(role, Role::Coordinator | Role::Analyst | Role::Doctor | Role::Psychologist)
            );
        }
    }

    #[test]
    fn the_court_file_is_produced_by_the_lawyers_on_the_team_and_the_coordinators() {
        let on_team = CaseAccess { on_team: true, identity_access: true, lead: false, deleted: false };
        for role in Role::ALL {
            let a = actor(&[role]);
            let produces = |case| can(&a, Action::Create, Resource::CourtFile(case));
            assert_eq!(produces(on_team), matches!(role, Role::Lawyer | Role::Coordinator), "{role:?}");
            assert_eq!(
                produces(CaseAccess { on_team: false, ..on_team }),
                role == Role::Coordinator,
                "{role:?}"
            );
            assert!(!produces(CaseAccess { deleted: true, ..on_team }), "{role:?} on a tombstoned case");
            assert!(
                !can(&a, Action::View, Resource::CourtFile(on_team)),
                "{role:?}: producing is the only action"
            );
        }
    }

    #[test]
    fn monitors_keep_the_visits_and_analysts_the_un_follow_up_and_only_coordinators_restore() {
        for role in Role::ALL {
            let a = actor(&[role]);
            let visits = |action, deleted| can(&a, action, Resource::Monitoring(deleted));
            let un = |action, deleted| can(&a, action, Resource::UnFollowUp(deleted));
            let coordinator = role == Role::Coordinator;
            assert_eq!(
                visits(Action::View, false),
                matches!(role, Role::Monitor | Role::Coordinator | Role::Analyst | Role::Lawyer),
                "{role:?}"
            );
            for action in [Action::Create, Action::Update] {
                assert_eq!(
                    visits(action, false),
                    matches!(role, Role::Monitor | Role::Coordinator),
                    "{role:?}"
                );
                assert_eq!(
                    un(action, false),
                    matches!(role, Role::Analyst | Role::Lawyer | Role::Coordinator),
                    "{role:?}"
                );
                assert!(!visits(action, true) && !un(action, true), "{role:?}: a tombstone is not edited");
            }
            assert_eq!(un(Action::View, false), role != Role::Admin, "{role:?}");
            assert_eq!(visits(Action::Delete, false), coordinator, "{role:?}");
            assert_eq!(un(Action::Delete, false), coordinator, "{role:?}");
            assert_eq!(visits(Action::View, true), coordinator, "{role:?}");
            assert_eq!(un(Action::Restore, true), coordinator, "{role:?}");
            assert!(!visits(Action::RevealIdentity, false) && !un(Action::RevealIdentity, false));
        }
    }

    #[test]
    fn the_advocacy_log_is_read_by_members_and_kept_by_those_who_meet_and_write() {
        for role in Role::ALL {
            let a = actor(&[role]);
            let log = |action, deleted| can(&a, action, Resource::Advocacy(deleted));
            assert_eq!(log(Action::View, false), role != Role::Admin, "{role:?}");
            let keeps = matches!(
                role,
                Role::Coordinator | Role::Analyst | Role::Editor | Role::Lawyer | Role::Monitor
            );
            assert_eq!(log(Action::Create, false), keeps, "{role:?}");
            assert_eq!(log(Action::Update, false), keeps, "{role:?}");
            assert_eq!(log(Action::Delete, false), role == Role::Coordinator, "{role:?}");
            assert_eq!(log(Action::Restore, true), role == Role::Coordinator, "{role:?}");
            assert!(!log(Action::Update, true), "{role:?}: a tombstone is not edited");
            assert_eq!(
                can(&a, Action::View, Resource::Statistics),
                matches!(
                    role,
                    Role::Coordinator | Role::Analyst | Role::Editor | Role::Lawyer | Role::Monitor
                ),
                "{role:?} statistics"
            );
            assert!(!can(&a, Action::Update, Resource::Statistics));
        }
    }

    #[test]
    fn trainings_are_read_by_members_and_recorded_by_those_who_run_them() {
        for role in Role::ALL {
            let a = actor(&[role]);
            assert_eq!(can(&a, Action::View, Resource::Trainings), role != Role::Admin, "{role:?}");
            let records =
                matches!(role, Role::Coordinator | Role::Doctor | Role::Psychologist | Role::Lawyer);
            assert_eq!(can(&a, Action::Create, Resource::Trainings), records, "{role:?}");
            assert_eq!(can(&a, Action::Update, Resource::Trainings), records, "{role:?}");
            assert!(!can(&a, Action::Delete, Resource::Trainings), "{role:?}");
        }
    }

    #[test]
    fn evaluations_are_for_the_clinicians_on_the_team_and_consented_lawyers() {
        let on_team = CaseAccess { on_team: true, identity_access: true, lead: true, deleted: false };
        for role in Role::ALL {
            let a = actor(&[role]);
            for shared in [false, true] {
                let access = EvaluationAccess { case: on_team, shared_with_lawyers: shared };
                let clinician = matches!(role, Role::Doctor | Role::Psychologist);
                let reads = can(&a, Action::View, Resource::Evaluation(access));
                assert_eq!(reads, clinician || (role == Role::Lawyer && shared), "{role:?} shared={shared}");
                assert_eq!(can(&a, Action::Update, Resource::Evaluation(access)), clinician, "{role:?}");
                let off = EvaluationAccess {
                    case: CaseAccess { on_team: false, ..on_team },
                    shared_with_lawyers: shared,
                };
                for action in [Action::View, Action::Create, Action::Update, Action::Delete] {
                    assert!(!can(&a, action, Resource::Evaluation(off)), "{role:?} off the team: {action:?}");
                }
                let gone = EvaluationAccess {
                    case: CaseAccess { deleted: true, ..on_team },
                    shared_with_lawyers: shared,
                };
                assert!(!can(&a, Action::View, Resource::Evaluation(gone)), "{role:?} on a tombstoned case");
            }
        }
    }

    #[test]
    fn legal_work_is_changed_by_the_lawyers_on_the_team_and_the_coordinators() {
        for role in Role::ALL {
            let a = actor(&[role]);
            let on_team = CaseAccess { on_team: true, identity_access: false, lead: false, deleted: false };
            let off_team = CaseAccess { on_team: false, ..on_team };
            let changes = can(&a, Action::Update, Resource::Legal(on_team));
            assert_eq!(changes, matches!(role, Role::Lawyer | Role::Coordinator), "{role:?}");
            assert_eq!(
                can(&a, Action::Create, Resource::Legal(off_team)),
                role == Role::Coordinator,
                "{role:?} off the team"
            );
            assert_eq!(
                can(&a, Action::View, Resource::Legal(on_team)),
                can(&a, Action::View, Resource::Case(on_team)),
                "{role:?} reads the legal work of a case they may open"
            );
            let deleted = CaseAccess { deleted: true, ..on_team };
            assert!(!can(&a, Action::Update, Resource::Legal(deleted)), "{role:?}");
        }
    }

    const ACTIONS: [Action; 6] =
        [Action::View, Action::Create, Action::Update, Action::Disable, Action::ResetPassword, Action::Seal];

    fn actor(roles: &[Role]) -> Actor {
        Actor { id: UserId::new(), roles: roles.iter().copied().collect(), must_change_password: false }
    }

    fn admin_resources(other: UserId) -> [Resource; 5] {
        [
            Resource::Accounts,
            Resource::Account(other),
            Resource::AuditTrail,
            Resource::Instance,
            Resource::Vocabularies,
        ]
    }

    #[test]
    fn only_administrators_reach_administration() {
        let other = UserId::new();
        for role in Role::ALL {
            let a = actor(&[role]);
            for resource in admin_resources(other) {
                for action in ACTIONS {
                    if can(&a, action, resource) {
                        assert_eq!(role, Role::Admin, "{role:?} may {action:?} {resource:?}");
                    }
                }
            }
        }
        let admin = actor(&[Role::Admin]);
        assert!(can(&admin, Action::Create, Resource::Accounts));
        assert!(can(&admin, Action::Disable, Resource::Account(other)));
        assert!(can(&admin, Action::View, Resource::AuditTrail));
        assert!(can(&admin, Action::Seal, Resource::Instance));
    }

    #[test]
    fn administrator_cannot_disable_or_reset_themselves() {
        let admin = actor(&[Role::Admin]);
        assert!(!can(&admin, Action::Disable, Resource::Account(admin.id)));
        assert!(!can(&admin, Action::ResetPassword, Resource::Account(admin.id)));
        assert!(can(&admin, Action::Update, Resource::OwnAccount));
    }

    #[test]
    fn a_forced_password_change_blocks_everything_else() {
        let mut admin = actor(&[Role::Admin, Role::Coordinator]);
        admin.must_change_password = true;
        assert!(can(&admin, Action::Update, Resource::OwnAccount));
        assert!(!can(&admin, Action::View, Resource::Dashboard));
        for resource in admin_resources(UserId::new()) {
            for action in ACTIONS {
                assert!(!can(&admin, action, resource), "{action:?} {resource:?}");
            }
        }
    }

    fn case(on_team: bool, identity_access: bool, lead: bool, deleted: bool) -> Resource {
        Resource::Case(CaseAccess { on_team, identity_access, lead, deleted })
    }

    #[test]
    fn outside_the_team_only_the_coordinator_opens_a_case_and_never_sees_names() {
        for role in Role::ALL {
            let a = actor(&[role]);
            let outsider = case(false, false, false, false);
            let opens = can(&a, Action::View, outsider);
            assert_eq!(opens, role == Role::Coordinator, "{role:?}");
            assert!(!can(&a, Action::RevealIdentity, outsider), "{role:?} must not see names off the team");
        }
        let admin = actor(&[Role::Admin]);
        for action in ACTIONS {
            assert!(
                !can(&admin, action, case(false, false, false, false)),
                "admin may not {action:?} a case"
            );
        }
    }

    #[test]
    fn names_need_team_membership_with_identity_access() {
        let lawyer = actor(&[Role::Lawyer]);
        assert!(can(&lawyer, Action::View, case(true, false, false, false)));
        assert!(!can(&lawyer, Action::RevealIdentity, case(true, false, false, false)));
        assert!(can(&lawyer, Action::RevealIdentity, case(true, true, false, false)));
        let coordinator = actor(&[Role::Coordinator]);
        assert!(!can(&coordinator, Action::RevealIdentity, case(false, true, false, false)));
        for role in [Role::Analyst, Role::Editor, Role::Admin] {
            let a = actor(&[role]);
            assert!(
                !can(&a, Action::RevealIdentity, case(true, true, false, false)),
                "{role:?} never sees names, even if granted"
            );
        }
    }

    #[test]
    fn team_management_tombstones_and_restore() {
        let lawyer = actor(&[Role::Lawyer]);
        assert!(!can(&lawyer, Action::ManageTeam, case(true, true, false, false)));
        assert!(can(&lawyer, Action::ManageTeam, case(true, true, true, false)));
        assert!(can(&lawyer, Action::Delete, case(true, true, true, false)));
        assert!(
            !can(&lawyer, Action::View, case(true, true, true, true)),
            "a tombstoned case leaves the team's view"
        );
        assert!(!can(&lawyer, Action::Restore, case(true, true, true, true)));
        let coordinator = actor(&[Role::Coordinator]);
        assert!(can(&coordinator, Action::Restore, case(false, false, false, true)));
        assert!(!can(&coordinator, Action::Update, case(false, false, false, true)));
        assert!(can(&actor(&[Role::Operator]), Action::Create, Resource::Cases));
        assert!(!can(&actor(&[Role::Analyst]), Action::Create, Resource::Cases));
        assert!(!can(&actor(&[Role::Admin]), Action::Create, Resource::Cases));
    }

    #[test]
    fn records_follow_their_case() {
        let record = |on_team, lead, case_deleted, deleted| {
            Resource::Record(
                CaseAccess { on_team, identity_access: false, lead, deleted: case_deleted },
                deleted,
            )
        };
        let lawyer = actor(&[Role::Lawyer]);
        assert!(can(&lawyer, Action::Create, record(true, false, false, false)));
        assert!(can(&lawyer, Action::Update, record(true, false, false, false)));
        assert!(!can(&lawyer, Action::Delete, record(true, false, false, false)), "only the lead deletes");
        assert!(can(&lawyer, Action::Delete, record(true, true, false, false)));
        assert!(!can(&lawyer, Action::Update, record(true, true, false, true)), "a tombstone is not edited");
        assert!(!can(&lawyer, Action::Restore, record(true, true, false, true)));
        assert!(!can(&lawyer, Action::View, record(false, false, false, false)));
        assert!(!can(&lawyer, Action::View, record(true, true, true, false)), "the case is tombstoned");
        let coordinator = actor(&[Role::Coordinator]);
        assert!(can(&coordinator, Action::Restore, record(false, false, false, true)));
        assert!(!can(&coordinator, Action::Restore, record(false, false, false, false)));
        assert!(!can(&coordinator, Action::Update, record(false, false, true, false)));
        for role in [Role::Admin, Role::Analyst, Role::Editor] {
            for action in [Action::View, Action::Create, Action::Update, Action::Delete] {
                assert!(
                    !can(&actor(&[role]), action, record(false, false, false, false)),
                    "{role:?} {action:?}"
                );
            }
        }
        assert!(can(&actor(&[Role::Monitor]), Action::Create, Resource::Facilities));
        assert!(!can(&actor(&[Role::Analyst]), Action::Create, Resource::Facilities));
        assert!(can(&actor(&[Role::Analyst]), Action::View, Resource::Facilities));
        assert!(!can(&actor(&[Role::Admin]), Action::View, Resource::Facilities));
        assert!(!can(&lawyer, Action::Delete, Resource::Facilities));
        assert!(can(&coordinator, Action::Restore, Resource::DeletedFacility));
    }

    #[test]
    fn every_account_reaches_its_dashboard_and_own_settings() {
        for role in Role::ALL {
            let a = actor(&[role]);
            assert!(can(&a, Action::View, Resource::Dashboard));
            assert!(can(&a, Action::Update, Resource::OwnAccount));
            assert!(!can(&a, Action::Seal, Resource::Dashboard));
        }
    }

    #[test]
    fn contacts_are_for_their_line_the_assignee_and_the_coordinators() {
        let staff = Resource::Contact(ContactAccess { staff: true, ..Default::default() });
        let outsider = Resource::Contact(ContactAccess::default());
        let assigned = Resource::Contact(ContactAccess { assigned: true, ..Default::default() });
        for role in Role::ALL {
            let a = actor(&[role]);
            let answers = matches!(role, Role::Operator | Role::Lawyer);
            let coordinator = role == Role::Coordinator;
            assert_eq!(can(&a, Action::View, staff), answers || coordinator, "{role:?}");
            assert_eq!(can(&a, Action::View, outsider), coordinator, "{role:?}");
            assert_eq!(can(&a, Action::RevealIdentity, outsider), coordinator, "{role:?}");
            // Assigning a contact to an analyst gives them nothing; to a psychologist, the contact.
            let names = !matches!(role, Role::Analyst | Role::Editor | Role::Admin);
            assert_eq!(can(&a, Action::Update, assigned), names, "{role:?}");
            for action in [Action::Delete, Action::Restore, Action::Seal] {
                assert!(!can(&a, action, staff), "{role:?} {action:?}");
            }
            assert_eq!(
                can(&a, Action::Create, Resource::Line(LineAccess { staff: false })),
                coordinator,
                "{role:?} logs on a line it does not answer"
            );
            assert_eq!(
                can(&a, Action::Update, Resource::Lines),
                matches!(role, Role::Coordinator | Role::Admin),
                "{role:?}"
            );
            assert_eq!(
                can(&a, Action::View, Resource::IntakeFigures),
                matches!(role, Role::Coordinator | Role::Analyst),
                "{role:?}"
            );
        }
        let operator = actor(&[Role::Operator]);
        let logged = Resource::Contact(ContactAccess { creator: true, ..Default::default() });
        assert!(can(&operator, Action::View, logged), "whoever logged a contact finds it again");
        let doctor = actor(&[Role::Doctor]);
        let team = Resource::Contact(ContactAccess { case_team: true, ..Default::default() });
        let team_names =
            Resource::Contact(ContactAccess { case_team: true, case_identity: true, ..Default::default() });
        assert!(can(&doctor, Action::View, team), "the case team reads the contact behind its case");
        assert!(!can(&doctor, Action::RevealIdentity, team), "names only with the team's identity access");
        assert!(can(&doctor, Action::RevealIdentity, team_names));
        assert!(
            !can(&actor(&[Role::Analyst]), Action::RevealIdentity, team_names),
            "analysts never see names"
        );
        assert!(can(&operator, Action::Create, Resource::Line(LineAccess { staff: true })));
        assert!(can(&operator, Action::RevealIdentity, staff));
    }
}
