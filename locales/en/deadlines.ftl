# Report deadlines (seed 004 §5.4)
command-deadlines = Report deadlines (coordinators)
deadlines-title = 🗓 Report deadlines: { $count }
deadlines-none = No upcoming report deadlines. To set one: /new_deadline
deadlines-item = { $date } · { $title }
deadlines-back-button = « Back to the deadlines
deadline-card-title = 🗓 <b>{ $title }</b>
deadline-card-date = Due: { $date } ({ $left })
deadline-card-offsets = Reminders: { $offsets }
deadline-card-submitted = Submitted: { $done } of { $total }
deadline-card-pending = Not submitted yet: { $names }
deadline-card-pending-more = …and { $count } more
deadline-card-you-submitted = ✅ You have marked the report as submitted.
deadline-card-cancelled = 🚫 The deadline is cancelled.
deadline-days-left = { $days ->
    [0] today
    [one] { $days } day left
   *[other] { $days } days left
}
deadline-overdue = overdue
deadline-offset-day-of = on the day
deadline-offset-days = { $days ->
    [one] { $days } day before
   *[other] { $days } days before
}
deadline-submit-button = ✅ Mark as submitted
deadline-marked = ✅ The report is marked as submitted. No more reminders.
deadline-cancel-button = 🚫 Cancel the deadline
deadline-cancel-ask = Cancel the deadline “{ $title }”? Coordinators will get no more reminders.
deadline-cancel-confirm-button = Yes, cancel it
deadline-cancel-keep-button = No, keep it
deadline-cancelled-done = The deadline is cancelled; reminders are stopped.
deadline-reminder = ⏰ The report “{ $title }” is due on { $date } ({ $left }).
    If you have submitted it, press “Mark as submitted” and the reminders stop.
deadline-not-found = Deadline not found.
deadline-cancelled = This deadline is cancelled.
deadline-ask-title = Which report? Write its title (3 to 150 characters). /cancel to stop.
deadline-title-length = A title is { $min } to { $max } characters.
deadline-ask-date = When is the report due? Write the date, e.g. 13.12.2026 or 13.12.
deadline-date-format = I didn't understand the date: write it e.g. 13.12.2026 or 13.12.
deadline-date-invalid = There is no such date in the calendar.
deadline-date-past = That date has passed: a deadline cannot be in the past.
deadline-ask-offsets = How many days before the date should I remind? Write numbers separated by spaces, e.g. “30 7 1” (0 is the day itself), or press the button.
deadline-offsets-default-button = 14, 7 and 1 days before
deadline-offsets-invalid = Write 1 to { $count } numbers separated by spaces, each from 0 to { $max }, e.g. “30 7 1”.
deadline-preview = Check before saving:
deadline-preview-audience = Coordinators to be reminded: { $count }
deadline-save-button = 💾 Save
deadline-saved = ✅ The deadline “{ $title }” ({ $date }) is saved. Coordinators to be reminded: { $count }.
deadline-card-done = Already submitted: { $names }
deadline-unsubmit-button = ↩️ Undo the mark
deadline-unmarked = ↩️ Mark removed. The reminders resume: the next one on { $date }.
deadline-unmarked-no-more = ↩️ Mark removed. No more reminders are planned before the date.
deadline-not-marked = The report is not marked as submitted.
