# Intake: hotline lines, contacts, urgent alerts, triage, tasks, notifications, figures (issue 5).

nav-intake = Intake
nav-tasks = My tasks
nav-notifications = Notifications
nav-figures = Intake figures
nav-lines = Hotline lines

intake-title = Intake
intake-queues = Queues
intake-no-lines = You are not on the staff of any hotline line yet. A coordinator can add you.

queue-title = Queue
queue-waiting = Waiting
queue-empty = Nothing is waiting.
queue-explain = Contacts not yet handled, oldest first.

channel-call = Call
channel-sms = SMS
channel-messenger = Messenger
channel-walk-in = Walk-in
channel-web = Web report

caller-victim = The person concerned
caller-relative = Relative
caller-lawyer = Lawyer
caller-witness = Witness
caller-fellow-detainee = Fellow detainee or conscript
caller-journalist = Journalist
caller-anonymous = Anonymous
caller-other = Someone else

contact-new-title = Log a contact
contact-title = Contact
contact-reference = Number
contact-received = When
contact-line = Line
contact-no-line = No line (walk-in, referral)
contact-channel = Channel
contact-caller = Who is calling
contact-region = Region
contact-summary = What was said
contact-summary-help = No names here: names and phone numbers go in the fields below, which are sealed.
contact-urgency = Urgent
contact-in-custody = Someone is in custody now
contact-at-risk = Someone is at risk of torture now
contact-urgency-help = Either one raises an alert for the coordinators and the region's lawyers at once.
contact-urgent = urgent
contact-details = Identifying details
contact-details-help = Kept in the sealed identity compartment; only people who state a purpose can open them. Only with the caller's consent to record.
contact-name = Name
contact-contacts = Phone or messenger to call back
contact-consent-record = Consents to the record
contact-consent-act = Consents to the coalition acting
contact-no-consent-record = no consent to the record
contact-no-consent-act = no consent to act
contact-consents = Consent
contact-follow-up = Follow-up needed
contact-save = Save the contact
contact-status = Status
contact-assigned = Assigned to
contact-web-report = anonymous web form
contact-details-sealed = sealed
contact-reveal-title = Show identifying details
contact-back = Back to the contact
contact-conflict = Someone changed this contact meanwhile. Look at it again before deciding.

contact-status-new = Waiting
contact-status-case-opened = Case opened
contact-status-linked = Linked to a case
contact-status-closed = Closed

contact-error-summary-missing = Write what was said.
contact-error-summary-bad = The summary is too long (at most 20,000 characters) or holds control characters.
contact-error-detail-bad = A name or contact is too long (at most 500 characters) or holds control characters.
contact-error-details-without-consent = Names and numbers can be recorded only with the caller's consent to the record. Tick the consent or leave them out.
contact-error-bad-choice = One of the choices is not in the lists. Choose again.
contact-error-bad-time = Give the time of the contact (not in the future).

alert-title = Urgent alert
alert-in-custody = In custody now
alert-at-risk = At risk now
alert-raised = raised
alert-escalated = escalated to the coordinators
alert-acknowledge = Acknowledge: I am acting on it
alert-acknowledged = acknowledged
alert-already-acknowledged = Someone acknowledged this alert already; the log shows who.
alert-log = Who saw it and when
alert-kind = Alert
alert-by-clock = nobody acknowledged it in time
alert-by-web = the web form
alert-step-raised = Raised
alert-step-seen = Seen
alert-step-acknowledged = Acknowledged
alert-step-escalated = Escalated to the coordinators
alerts-title = Urgent alerts
alerts-none = No urgent alert is waiting.
alerts-explain = Open one, act, and acknowledge it. Unacknowledged alerts go to the coordinators.
alerts-banner = { $count ->
    [one] 1 urgent alert is waiting
   *[other] { $count } urgent alerts are waiting
}
alerts-banner-escalated = { $count ->
    [one] 1 urgent alert is waiting
   *[other] { $count } urgent alerts are waiting
}, { $escalated } escalated

triage-title = Decide
triage-open = Open a case from this contact
triage-link = Link to an existing case
triage-close = Close without a case
triage-case = Case
triage-no-cases = You have no case to link it to.
triage-reason = Reason
triage-note = Note (to whom it was referred, what was advised)
triage-pick-case = Choose a case you work on.
triage-pick-reason = Choose a reason.
triage-bad-note = The note is too long (at most 2,000 characters).

close-reason-outside-mandate = Outside the mandate
close-reason-referred-elsewhere = Referred elsewhere
close-reason-information-only = Information only

assign-title = Assignment
assign-save = Assign
assign-unknown-user = There is no active account with that name.

task-new = Add a follow-up task
task-title = Task
task-due = Due
task-assignee = For
task-myself = Myself
task-add = Add the task
task-state = State
task-open = open
task-done = done
task-mark-done = Mark done
task-overdue = overdue
task-bad-title = Describe the task (at most 300 characters, no names).
task-bad-due = Give a due date and time.
tasks-title = My tasks
tasks-none = No open tasks.
tasks-explain = Overdue tasks first, then the soonest due.
tasks-of-contact = Follow-up tasks
tasks-assigned-contacts = Contacts assigned to me

notifications-title = Notifications
notifications-none = No notifications.
notifications-unread = Unread: { $count }
notifications-mark-read = Mark all read
notification-when = When
notification-what = What
notification-alert = New urgent alert: contact { $contact }
notification-escalation = Nobody acknowledged the alert of contact { $contact } in time
notification-assignment = Contact { $contact } was assigned to you
notification-task = A task was given to you
notification-task-due = One of your tasks is due
notification-report-message = The sender of web report { $contact } wrote

figures-title = Intake figures
figures-from = From
figures-to = To
figures-show = Show
figures-bad-period = A date was not understood; the default period is shown instead.
figures-total = Contacts in the period: { $count }
figures-alerts = Urgent alerts: time to acknowledgement
figures-alerts-raised = Raised
figures-alerts-acknowledged = Acknowledged
figures-alerts-escalated = Escalated
figures-median = Median time to acknowledgement
figures-worst = Longest time to acknowledgement
figures-by-line = By line
figures-by-channel = By channel
figures-by-caller = By caller
figures-by-region = By region
figures-by-month = By month
figures-count = Contacts
duration-hours = { $hours } h { $minutes } min
duration-minutes = { $minutes } min
duration-seconds = { $seconds } s

lines-title = Hotline lines
line-new-title = New line
line-edit-title = Line
line-code = Code
line-code-help = 2 to 16 capital Latin letters, digits or hyphens, e.g. SUG. Cannot be changed later.
line-name = Line
line-label-ru = Name in Russian
line-label-tg = Name in Tajik
line-label-en = Name in English
line-numbers = Numbers
line-numbers-help = One per line, as published.
line-regions = Regions it serves
line-active = Takes new contacts
line-inactive = inactive
line-staff = Staff
line-staff-help = Operators answer the line and see its contacts; lawyers on a line receive the urgent alerts of its regions.
line-no-staff = Nobody yet.
line-staff-add = Add to the staff
line-staff-remove = Remove
line-bad-code = The code must be 2 to 16 capital Latin letters, digits or hyphens.
line-bad-label = Give the name in all three languages (at most 200 characters).
line-bad-numbers = Give one to five numbers, each of 5 to 15 digits.
line-code-taken = A line with this code exists already.

audit-kind-intake-line-changed = Hotline line changed
audit-kind-contact-created = Contact logged
audit-kind-contact-updated = Contact triaged or assigned
audit-kind-contact-viewed = Contact opened
audit-kind-alert-acknowledged = Urgent alert acknowledged
audit-kind-alert-escalated = Urgent alert escalated
audit-kind-task-changed = Task changed
audit-kind-report-message = Web report message

dashboard-work = My work
dashboard-tasks = { $count } open
dashboard-overdue = { $count } overdue

contact-choose-line = Choose the line
alert-raised-at = Raised
contact-error-line-missing = Choose the line the contact came in on, or "No line".

notifications-email = E-mail
notifications-email-help = If you give an address, ozodi sends it a short e-mail when new notifications wait: only that something waits, never what it is about. Leave it empty to receive none.
notifications-email-address = Address
notifications-bad-email = This does not look like an e-mail address.
email-subject = ozodi
email-body = { $count ->
    [one] One new notification waits for you in ozodi.
   *[other] { $count } new notifications wait for you in ozodi.
} Open ozodi to read it.
audit-kind-user-notify-email = Address for e-mail announcements changed

case-contacts = Contacts behind this case

assign-people = A person
assign-teams = Another line's team (its queue)

figures-month = Month
