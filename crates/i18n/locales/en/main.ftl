# ozodi: English interface texts. Every key here must exist in ru/ and tg/ too (a test checks).

## Frame
skip-to-content = Skip to content
language = Language
nav-label = Main menu
nav-dashboard = Overview
nav-users = Accounts
nav-audit = Audit trail
nav-password = My password
nav-logout = Log out
footer = ozodi · secure torture documentation · data encrypted at rest
save = Save
saved = Saved.
cancel = Cancel
throttled = Too many failed attempts. Try again after { $time } (Dushanbe time).

## Errors
error-request-id = Request id
error-home = Back to the start page
error-bad-request-title = The request could not be read
error-bad-request-body = The form contained something we cannot accept (for example invalid characters). Nothing was changed. Go back and check what you entered.
error-forbidden-title = Not allowed
error-forbidden-body = Your account does not have permission for this page. Nothing was changed. If you need access, ask an administrator.
error-csrf-title = The form has expired
error-csrf-body = For your protection this form was refused and nothing was changed. Reload the page and submit it again.
error-not-found-title = Page not found
error-not-found-body = There is no page at this address, or it is not available to you.
error-method-title = Not possible here
error-method-body = This address does not accept this kind of request. Nothing was changed.
error-too-large-title = Too much data
error-too-large-body = The form sent more data than allowed. Nothing was changed. Shorten the text and try again.
error-internal-title = Something went wrong
error-internal-body = An error occurred on the server. Nothing was half-saved. Try again; if it persists, give the administrator the request id below.

## Unseal
unseal-title = The instance is sealed
unseal-intro = The data is encrypted and the keys are not in memory. Enter the instance passphrase to open it.
unseal-passphrase = Passphrase
unseal-submit = Unseal
unseal-wrong = The passphrase is wrong. Nothing was opened.
unseal-broken = The instance could not be opened. The administrator must check the server log.

## Login
login-title = Log in
login-username = User name
login-password = Password
login-submit = Log in
login-failed = Wrong user name or password.

## Dashboard
dashboard-title = Overview
dashboard-welcome = Welcome, { $name }.
dashboard-your-roles = Your roles
dashboard-no-roles = Your account has no role yet. Ask an administrator to assign one.
dashboard-admin = Administration
dashboard-coming = Coming next
coming-cases = Case documentation: events, acts, victims and perpetrators, evidence with chain of custody, search in Tajik and Russian.
coming-hotlines = Hotlines: contact log, urgent alerts, triage, anonymous web reports.
coming-legal = Legal aid: complaints, criminal and civil proceedings, UN communications, deadlines.
coming-medical = Istanbul Protocol medical evaluations and rehabilitation.
coming-monitoring = Monitoring of places of detention and UN recommendations.
coming-statistics = Statistics and reports computed from the records.

## Own password
password-title = Change password
password-forced = An administrator reset your password. Choose a new one to continue.
password-rules = At least 12 characters. Common passwords and passwords containing your user name are refused. A phrase of several words is easy to remember and hard to guess.
password-current = Current password
password-new = New password
password-confirm = New password again
password-submit = Change password
password-current-wrong = The current password is wrong.
password-same = The new password must differ from the current one.
password-too-short = The new password is shorter than 12 characters.
password-too-long = The new password is too long.
password-common = This password is on the list of common passwords. Choose another.
password-contains-username = The password must not contain your user name.
password-mismatch = The two new passwords differ.
password-changed-login = Your password was changed and all your sessions were ended. Log in with the new password.

## Roles
role-operator = Hotline operator
role-lawyer = Lawyer
role-doctor = Doctor / forensic expert
role-psychologist = Psychologist
role-monitor = Monitor
role-analyst = Analyst
role-editor = Editor
role-coordinator = Coordinator
role-admin = Administrator

## Accounts
users-title = Accounts
user-title = Account
user-new-title = New account
user-username = User name
user-username-help = 3 to 32 characters: Latin letters, digits, dot, underscore or hyphen.
user-display-name = Full name
user-roles = Roles
user-status = Status
user-active = active
user-disabled = disabled
user-must-change = must change password
user-created = Created
user-create = Create account
user-new-password-note = A temporary password will be shown once. Give it to the person in a safe way; they must change it at first login.
user-bad-username = The user name must be 3 to 32 characters: Latin letters, digits, dot, underscore or hyphen.
user-bad-display-name = The full name must be 1 to 100 characters.
user-username-taken = This user name is already taken.
user-created-title = Account created
user-created-body = The account { $username } was created with this temporary password:
user-reset-title = Password reset
user-reset-body = The password of { $username } was reset. The new temporary password is:
user-temporary-note = It is shown only this once. All sessions of the account have ended; at the next login a new password must be chosen.
user-back = Back to the account
user-back-list = Back to all accounts
user-change-roles = Change roles
user-change-name = Change full name
user-access = Access
user-disable = Disable account
user-disable-note = A disabled account cannot log in; its open sessions end at once.
user-enable = Re-enable account
user-reset-password = Reset password
user-reset-note = Creates a temporary password and ends every session of the account.
user-last-admin = This is the last active administrator. Appoint another administrator first.

## Audit trail
audit-title = Audit trail
audit-kind = Event
audit-all = All events
audit-actor = By (user name)
audit-from = From
audit-until = Until
audit-filter = Show
audit-when = When
audit-subject = About
audit-detail = Detail
audit-client = Address
audit-empty = No entries match.
audit-older = Older entries
audit-times-note = Times are Dushanbe time. The trail is a hash chain: the command "ozodi audit verify" detects any change to it.
audit-bad-actor = The user name in the filter is not valid.
audit-bad-date = A date in the filter is not valid (use YYYY-MM-DD).
audit-kind-login-ok = Login
audit-kind-login-failed = Failed login
audit-kind-logout = Logout
audit-kind-instance-unsealed = Instance unsealed
audit-kind-instance-sealed = Instance sealed
audit-kind-user-created = Account created
audit-kind-user-roles = Roles changed
audit-kind-user-renamed = Name changed
audit-kind-user-disabled = Account disabled
audit-kind-user-enabled = Account re-enabled
audit-kind-user-password-reset = Password reset
audit-kind-user-password-changed = Password changed
audit-kind-instance-passphrase-changed = Passphrase changed
audit-kind-access-denied = Access refused
audit-kind-vocab-term-added = Vocabulary term added
audit-kind-vocab-term-relabelled = Vocabulary term relabelled
audit-kind-vocab-term-deprecated = Vocabulary term deprecated or restored
audit-kind-case-created = Case opened
audit-kind-case-updated = Case edited
audit-kind-case-deleted = Case deleted (tombstone)
audit-kind-case-restored = Case restored
audit-kind-case-team = Case team changed
audit-kind-case-viewed = Case viewed
audit-kind-identity-revealed = Identity revealed

## Seal
seal-title = Seal now
seal-explain = Sealing drops the keys from the server's memory at once: every session ends and nobody can read any data until someone enters the instance passphrase on the unseal page. Use it if the office or the server is in danger.
seal-confirm = Seal the instance now

## Confirmations
user-disable-confirm-title = Disable this account?
user-disable-confirm-body = { $username } will not be able to log in, and every open session of this account ends at once. You can re-enable the account later.
user-reset-password-confirm-title = Reset this password?
user-reset-password-confirm-body = { $username } gets a temporary password that you will see once; every open session of this account ends at once, and a new password must be chosen at the next login.

## Audit details
audit-detail-reason = reason
audit-detail-via = via
audit-detail-roles = roles
audit-detail-from = before
audit-detail-to = after
audit-detail-path = page
audit-detail-action = action
audit-value-wrong-password = wrong password
audit-value-unknown-account = unknown account
audit-value-disabled = account disabled
audit-value-throttled = too many attempts
audit-value-web = web page
audit-value-cli = command line
audit-value-signal = signal
audit-value-shutdown = server shutdown
audit-value-demo = demo set-up
audit-value-init = instance creation
audit-value-view = view
audit-value-create = create
audit-value-update = change
audit-value-disable = disable
audit-value-resetpassword = reset password
audit-value-seal = seal

## Vocabularies
nav-vocab = Vocabularies
vocab-title = Vocabularies
vocab-intro = The controlled lists used in case records: HURIDOCS thesauri and the coalition's own lists. Terms are never deleted; a deprecated term stays readable on old records and disappears from new forms.
vocab-list = List
vocab-id = Code
vocab-terms = Terms
vocab-code = Code
vocab-deprecated = deprecated
vocab-in-use = in use
vocab-local = added locally
vocab-relabelled = relabelled
vocab-add = Add a term
vocab-add-note = New terms get a code in the coalition's namespace, starting with TJ. (for example TJ.ACT.HAZING), so they never collide with HURIDOCS codes.
vocab-parent = Parent term
vocab-back = Back to all vocabularies
vocab-back-list = Back to the list
vocab-term-title = Term
vocab-deprecated-note = This term is deprecated: old records still show it, new forms no longer offer it.
vocab-restore = Restore the term
vocab-deprecate = Deprecate the term
vocab-deprecate-note = Deprecating hides the term from new forms. Records that use it keep it.
vocab-bad-code = The code must start with TJ. and contain only Latin capitals, digits, dots, underscores or hyphens (at most 40 after TJ.).
vocab-bad-labels = Each term needs a label in Russian, Tajik and English.
vocab-code-taken = This code already exists in the list.
vocab-bad-parent = The parent term does not exist in this list.
audit-detail-deprecated = deprecated
yes = yes
no = no

## Cases
nav-cases = Cases
cases-title = Cases
cases-empty = No cases to show. Cases appear here when you are on their team.
case-new-title = Open a case
case-edit-title = Edit the case
case-title = Case
case-number = Number
case-field-title = Title
case-field-status = Status
case-field-region = Region
case-field-hotline = Hotline of origin
case-field-summary = Summary
case-field-number = Number
case-field-lead = Lead lawyer
case-field-deleted = Deleted
case-opened = Opened
case-deleted = deleted
case-title-help = Never put a victim's name in the title: it appears in lists.
case-bad-title = The title must be 1 to 200 characters.
case-bad-summary = The summary is longer than 20,000 characters.
case-bad-choice = A chosen region or hotline is not in the list. Choose again.
case-deleted-because = This case was deleted (kept as a tombstone). Reason: { $reason }
case-restore = Restore the case
case-history-title = History
case-next-step = Next step
case-reason = Reason
case-team = Team
case-team-identity = sees identities
case-team-remove = remove
case-team-add = Add a member (user name)
case-team-identity-grant = May see identities (names, contacts)
case-team-add-button = Add to the team
case-delete-title = Delete the case
case-version = Version
case-history-field = Field
case-history-before = Before
case-history-after = After
case-back = Back to the case
case-delete-explain = Deleting leaves a tombstone: the case disappears from lists, nothing is erased, and the coordinator can restore it. Give the reason.
case-transition-refused = This step is not possible from the current status. Possible next steps: { $allowed }.
case-reason-required = A reason is required for this step.
case-conflict = Someone else changed this case meanwhile. Nothing was overwritten; reload the case and try again.
case-team-unknown-user = There is no active account with this user name.
case-status-intake-screening = Screening
case-status-open = Open (documenting)
case-status-active = Active
case-status-pending = Pending (waiting)
case-status-referred-out = Referred elsewhere
case-status-closed = Closed
case-event-in-mandate = In the mandate: open
case-event-refer-out = Outside the mandate: refer elsewhere
case-event-close-out-of-mandate = Outside the mandate: close
case-event-documentation-done = Documentation done: activate
case-event-wait = Wait for authority or client
case-event-resume = Resume work
case-event-close = Close the case
case-event-reopen = Reopen the case
case-change-created = opened
case-change-updated = edited
case-change-deleted = deleted
case-change-restored = restored
