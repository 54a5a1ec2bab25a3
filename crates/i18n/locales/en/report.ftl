# The public anonymous report form and its follow-up (issue 5).

report-brand = Report torture safely
report-title = Report torture or ill-treatment
report-intro = Tell the coalition against torture what happened. You do not have to give your name. Lawyers of the coalition read every report.
report-safety = This page keeps no record of your address or browser and sets no cookies. If someone may look at this device, use a private window or Tor Browser. If a life is in danger right now, call a hotline.
report-have-receipt = I have a receipt: see my report
report-urgency = Is it happening now?
report-place = Where did it happen?
report-place-unknown = I do not know / prefer not to say
report-place-army = In the army (military service)
report-who = Who are you?
report-what = What happened?
report-what-help = When, where, who was involved, what was done. Leave out names if you prefer.
report-details = If you want the coalition to contact you
report-details-help = Optional. Give them only if it is safe for you. They are sealed and seen only by the people handling your report.
report-contacts = Phone, messenger or e-mail
report-consent-record = The coalition may record these details
report-consent-act = The coalition may act on this report (for example, send a lawyer or write to the authorities)
report-honeypot = Leave this field empty
report-send = Send
report-refused = The report could not be accepted. Please try again.
report-too-many = Too many reports are arriving right now. Please try again after { $time }, or call a hotline.
report-closed = The reporting service is closed for a moment. Please try again later, or call a hotline: Sughd 987873333, Khatlon 987876666, Dushanbe and RRS 987087676, army (+992) 933 331 703.
report-footer = A coalition of civil society organisations against torture in Tajikistan.

report-contact-error-summary-missing = Please write what happened.
report-contact-error-summary-bad = The text is too long (at most 20,000 characters).
report-contact-error-detail-bad = A name or contact is too long (at most 500 characters).
report-contact-error-details-without-consent = To leave a name or contact, tick that the coalition may record them, or leave them out.
report-contact-error-bad-choice = Please choose again from the lists.
report-contact-error-bad-time = Please try again.

report-receipt-title = Your report was received
report-receipt-intro = Keep these two codes. With them you can come back, see what happens with your report and write to the coalition. Nobody, not even the coalition, can recover them for you.
report-code = Receipt code
report-secret = Secret
report-receipt-keep = Write them down somewhere safe, or learn them. Do not keep them where others may find them.

report-follow-up-title = See my report
report-follow-up-intro = Enter the receipt code and the secret you were given.
report-follow-up-open = Open
report-follow-up-wrong = The receipt code or the secret is wrong.
report-follow-up-throttled = Too many wrong attempts. Please try again after { $time }.
report-new = Send a new report
report-status-title = Your report
report-received = Received
report-status = Status
report-status-received = Received; waiting to be handled
report-status-working = The coalition is working on it
report-status-closed = Closed
report-messages = Messages
report-no-messages = No messages yet.
report-you = You
report-coalition = The coalition
report-write = Write to the coalition
report-bad-message = Write a message of at most 5,000 characters.
report-leave = When you are done, close this window. Nothing of this visit stays in the browser.
report-sender = The sender
report-reply = Reply to the sender
report-reply-help = The sender reads it with their receipt. Write nothing that would endanger them if someone else read it.

report-hotlines = Hotline numbers

report-files = Photos or documents (optional)
report-files-help = Up to 3 files: JPEG or PNG photos, PDF documents, at most 10 MB each. Photos can carry where and with which phone they were taken: the coalition keeps the original safe and works on a copy without that information.
report-file-too-big = A file is larger than 10 MB.
report-too-many-files = At most 3 files can be sent with one report.
report-file-type = Only JPEG and PNG photos and PDF documents can be sent.
report-files-again = Your text was kept, but the files must be chosen again.
report-files-received = { $count ->
    [one] 1 file was received with your report.
   *[other] { $count } files were received with your report.
}
contact-files = Files sent with the report
contact-file-working = working copy (without metadata)
contact-file-original = original (as sent: may carry where, when and with what it was taken)
contact-file-no-working = no copy without metadata could be made
