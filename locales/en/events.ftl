# Events (seeds 003 §3.2, 004 §3.1)
command-events = Events
event-kind-seminar = Seminar
event-kind-webinar = Webinar
event-kind-master_class = Master class
event-kind-round_table = Round table
event-kind-open_lesson = Open lesson
event-kind-methodical_week = Methodical week
event-kind-contest = Contest
event-kind-marathon = Marathon
event-kind-meeting = Association meeting
event-kind-other = Other
event-network = the whole network
event-card-title = 📅 <b>{ $kind }: { $title }</b>
event-card-title-only = 📅 <b>{ $title }</b>
event-card-when = When: { $when }, { $minutes } min
event-card-where = Where: { $place }
event-card-audience = For: { $audience }
event-card-going = Coming: { $going } of { $capacity }, waiting list: { $waiting }
event-card-capacity = Places: { $capacity }
event-card-cancelled = 🚫 The event is cancelled.
event-you-going = ✅ You are coming.
event-you-waiting = ⏳ No places left: you are on the waiting list.
event-you-not_going = You are not coming.
event-going-button = ✅ I'll come
event-not-going-button = ❌ Can't come
event-ics-button = 📅 To my calendar (.ics)
event-attendees-button = 👥 Attendees
event-cancel-button = 🚫 Cancel
event-open-button = Open
event-attendees-title = 👥 “{ $title }”:
event-attendee-going = • { $name }
event-attendee-waiting = • { $name } (waiting)
event-attendee-not_going = • { $name } (not coming)
event-attendees-none = nobody yet
event-promoted = ✅ A place came free: you are coming to “{ $title }”.
events-none = No upcoming events.
events-title = 📅 Upcoming events: { $count }
events-back-button = ← To events
event-not-found = Event not found.
event-cancelled = The event is cancelled.
event-started = The event has already begun.
event-ask-kind = What kind of event?
event-ask-title = The event's title (up to 150 characters). /cancel to stop.
event-title-length = A title is 3 to { $max } characters.
event-ask-audience = For whom?
event-ask-when = When does it start? For example: 25.12.2026 15:00 — time zone: { $zone }. Another zone may follow: 25.12 15:00 Asia/Omsk.
event-date-format = I didn't understand the date: write e.g. 25.12.2026 15:00.
event-date-invalid = There is no such date in the calendar.
event-date-past = That date has passed.
event-zone-unknown = I don't know the time zone “{ $zone }”: write e.g. Europe/Moscow or Asia/Yekaterinburg.
event-ask-duration = The duration in minutes, e.g. 90.
event-duration-invalid = The duration is a number of minutes from 5 to 10080.
event-ask-place = Where: an address or a link to the broadcast.
event-place-length = The place is 2 to { $max } characters.
event-ask-capacity = How many places? Write a number or press “No limit”.
event-no-limit = No limit
event-capacity-invalid = The number of places is 1 to 100000.
event-preview = Check before publishing:
event-publish-button = 📣 Publish

event-cancelled-notice = 🚫 The event “{ $title }” ({ $when }) is cancelled.
event-cancelled-done = { $count ->
    [1] The event is cancelled; those who signed up are told.
   *[other] { $count } meetings cancelled; those who signed up are told.
}
event-reminder-before = { $minutes ->
    [10080] a week
    [1440] a day
    [60] an hour
   *[other] { $minutes } min.
}
event-reminder = ⏰ Reminder: “{ $title }” starts in { $before }. Where: { $place }
event-announcement-head = 📣 A new event
event-series-dates = 🔁 Meetings in the series: { $count }, the last on { $last }.
events-entry = { $number }. <b>{ $title }</b>{ $repeats ->
    [yes] {" "}🔁
   *[no] {""}
}
    📅 { $when } · { $kind } · { $where }
event-published = { $occurrences ->
    [1] 📣 The event is published. Invitations go to: { $count }.
   *[other] 📣 The series is published, { $occurrences } meetings. Invitations go to: { $count }.
}
event-published-later = 📣 The event is saved. Invitations ({ $count }) go out { $when }.
event-card-repeats = 🔁 { $repeats }
event-card-reminders = Reminders: { $reminders }
event-reminders-none = none
event-repeat-once = Once
event-repeat-weekly = Every week, on { $weekday ->
    [mon] Mondays
    [tue] Tuesdays
    [wed] Wednesdays
    [thu] Thursdays
    [fri] Fridays
    [sat] Saturdays
   *[sun] Sundays
}
event-repeat-biweekly = Every two weeks, on { $weekday ->
    [mon] Mondays
    [tue] Tuesdays
    [wed] Wednesdays
    [thu] Thursdays
    [fri] Fridays
    [sat] Saturdays
   *[sun] Sundays
}
event-repeat-monthly_weekday = Every month, on the { $nth ->
    [first] first
    [second] second
    [third] third
    [fourth] fourth
   *[last] last
} { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
event-repeat-monthly_date = Every month, on day { $day }
event-ask-repeat = Does the event repeat?
event-ask-until = Until what date? For example: 25.05.2027.
event-day-format = I did not understand the date: write it like 25.05.2027.
event-until-range = The end date must come after the first meeting and within { $days } days.
event-preview-series = Meetings: { $count }, the last on { $last }.
event-preview-announce = Invitations: { $when ->
    [now] as soon as it is published
   *[other] { $when }
}
event-reminders-button = ⏰ Reminders
event-announce-later-button = 🕒 Invite later
event-ask-announce-at = When should the invitations go out? For example: 20.12.2026 10:00 — time zone: { $zone }.
event-announce-after-start = Invitations must go out before the event starts.
event-message-button = ✉️ Message attendees
event-edit-button = ✏️ Edit
event-csv-button = ⬇️ List (CSV)
event-csv-name = Name
event-csv-username = Telegram
event-csv-organisation = Organisation
event-csv-status = Answer
event-csv-answered = Answered at
event-csv-status-going = coming
event-csv-status-waiting = waiting list
event-csv-status-not_going = not coming
event-csv-attended = Came
event-csv-attended-yes = yes
event-csv-attended-no = no
event-csv-caption = 👥 “{ $title }”: { $count } answers.
event-cancel-one-button = This meeting only
event-cancel-series-button = This and all later ones
event-cancel-which = Cancel only this meeting, or the rest of the series?
event-edit-which = What should change?
event-edit-title = Title
event-edit-when = Date and time
event-edit-duration = Duration
event-edit-place = Place
event-edit-ask-title = The new title (3 to 150 characters).
event-edit-ask-when = The new date and time, e.g. 25.12.2026 15:00 — time zone: { $zone }.
event-edit-ask-duration = The new duration in minutes, e.g. 90.
event-edit-ask-place = The new place: an address or a link to the stream.
event-edit-done = ✏️ Saved. Those signed up will be told: { $count }.
event-edit-same = Nothing changed.
event-changed-head = ✏️ Changes to “{ $title }”:
event-changed-title = Title: { $before } → { $after }
event-changed-starts_at = When: { $before } → { $after }
event-changed-duration_minutes = Duration: { $before } → { $after } min.
event-changed-place = Where: { $before } → { $after }
event-message-ask = Write a message for those signed up ({ $count }), up to { $max } characters. /cancel to stop.
event-message-length = A message is 1 to { $max } characters.
event-message-preview = A message to the attendees of “{ $title }” ({ $count }):

    { $text }
event-message-send-button = ✉️ Send ({ $count })
event-message-to-attendee = ✉️ “{ $title }”: { $text }
event-message-queued = ✉️ The message is being sent: { $count }.
event-skip-button = Skip
event-ask-description = Describe the event in short: the topic, who it is for, what to bring (up to { $max } characters). Or press “Skip”.
event-description-length = A description is up to { $max } characters.
event-card-registration = Sign-up until: { $until }
event-registration-button = 📝 Close sign-up earlier
event-ask-registration = Until when may people sign up? For example: 24.12.2026 18:00 — time zone: { $zone }.
event-registration-after-start = Sign-up must close before the event starts.
event-registration-closed = Sign-up for this event is closed.

# --- attendance, marked by the organiser after the start --------------------------------------
event-attendance-button = 🧾 Mark who came
event-attendance-title = 🧾 “{ $title }”: who came
event-attendance-count = Marked: { $present } of { $total }. Tap a name to mark or unmark it.
event-attendance-nobody = Nobody signed up for the event.
event-attendance-done = ✅ Done
event-attendance-too-early = Attendance can be marked once the event has begun.
event-card-attended = Came: { $count }
events-finished-title = 🧾 <b>Yours, held this past week</b> — open one to mark who came:
event-attendance-ask = 🧾 “{ $title }” is over. Mark who came: it goes into the network's report.
