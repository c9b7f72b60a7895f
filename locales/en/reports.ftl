# Effectiveness reports (seeds 003 §8–§10, 004 §3.1, §5.4, §6.1)
command-report = Network effectiveness report
report-no-rights = Effectiveness reports are prepared by coordinators, methodists and community moderators. If you need a report, ask the network's coordinator.
report-pick-scope = 📊 <b>Effectiveness report</b>
    What is the report about?
report-page = Page { $page } of { $pages }
report-scope-network = The whole network
report-scope-network-button = 🌐 Whole network
report-scope-community-button = 👥 { $title }
report-pick-period = 📊 <b>{ $scope }</b>
    For which period?
report-period-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }{ $current ->
    [yes] {" "}(to date)
   *[no] {""}
}
report-period-quarter = Q{ $quarter } { $year }
report-period-academic-year = School year { $first }/{ $last }
report-period-typed = 📅 Other dates
report-back = ◀️ Back
report-dates-ask = 📅 <b>{ $scope }</b>
    Type the first and the last day of the period, e.g. <code>01.09.2026 – 31.12.2026</code>. To cancel: /cancel
report-dates-format = I could not read the dates. Type two days with a dash between them, e.g. 01.09.2026 – 31.12.2026
report-date-invalid = The calendar has no such day. Check the dates, e.g. 01.09.2026 – 31.12.2026
report-period-reversed = The first day comes after the last one. Type the dates in order: 01.09.2026 – 31.12.2026
report-period-too-long = The period is longer than { $years } years, too much to count at once. Pick a shorter one.
report-preparing = Preparing…

report-card-title = 📊 <b>Report: { $scope }</b>
report-card-period = Period: { $period }; compared with { $previous }
report-card-members = 👥 Members: { $count } ({ $change }); joined { $joined }, left { $left }
report-card-active = 🙋 Active: { $count } — { $share } (was { $before })
report-card-published = 📚 Materials published: { $count } ({ $change }); { NUMBER($per_week, maximumFractionDigits: 1) } a week on average
report-card-discussions = 💬 New threads: { $threads }; replies: { $replies } ({ $change })
report-card-events = 📅 Events: { $count }; signed up { $going }, came { $attended }
report-card-demand = 👁 Views: { $views } ({ $change }); downloads: { $downloads }
report-card-satisfaction = ⭐ Survey “{ $title }”: average { NUMBER($mean, maximumFractionDigits: 1) } of { $top }, { $rate } answered
report-card-satisfaction-hidden = ⭐ Surveys closed: { $count }; too few answers to keep them anonymous, so no results are shown
report-card-deadlines = ⏰ Reports submitted on time: { $on_time } of { $expected }
report-card-hint = The buttons below: charts, an Excel workbook, a PDF report, the plan of work.
report-change = { $sign }{ $delta }
report-change-same = no change

report-button-charts = 📈 Charts
report-button-xlsx = 📗 Excel
report-button-pdf = 📄 PDF
report-button-plan = 🗓 Plan of work for the school year
report-button-bank = 👥 Participant data bank
report-button-other-period = ◀️ Another period
report-document-caption = { $what } · { $scope } · { $period }
report-what-charts = 📈 Charts
report-what-xlsx = 📗 Effectiveness report (Excel)
report-what-pdf = 📄 Analysis of the network community's work (PDF)
report-bank-caption = 👥 Participant data bank · { $scope }: { $count }. This is personal data: keep the file only where the law allows.
report-plan-caption = 🗓 Plan of work · { $scope } · { $period }: { $count } events

report-network-default = Network community of teachers
report-title-long = Analysis of the network community's work
report-title-period = for the period from { $first } to { $last }
report-prepared = Prepared { $moment } ({ $zone })
report-page-label = Page {"{"}page{"}"} of {"{"}pages{"}"}
report-not-given = not given
report-sheet-summary = Summary
report-figure-scope = Scope
report-figure-period = Period
report-column-figure = Figure
report-column-value = Value
report-column-count = Count
report-column-kind = Kind

report-section-composition = Members
report-explain-composition = How many teachers the community has at the end of the period, how many joined and left during it; by organisation, position and subject (a teacher with two subjects counts in both).
report-figure-members = Members at the end of the period
report-figure-joined = Joined in the period
report-figure-left = Left in the period
report-table-by-organisation = Members by organisation
report-table-by-position = Members by position
report-table-by-subject = Members by subject
report-column-organisation = Organisation
report-column-position = Position
report-column-subject = Subject

report-section-participation = Participation
report-explain-participation = An active member is one who shared a material, reviewed or moderated, wrote in discussions, came to an event or answered a survey in the period (survey answers stay anonymous: only taking part is counted). Evenness shows whether the work is spread among many: a Gini index of 0 means everyone is equally active, close to 1 that a few do nearly everything.
report-figure-active = Active members
report-figure-active-share = Share of active members
report-figure-previous-active = Active in the previous period
report-figure-previous-share = Share active in the previous period
report-figure-actions = Actions in all
report-figure-top-decile = Share of actions by the most active 10%
report-figure-gini = Gini index (evenness of participation)
report-table-by-action = Members by kind of activity
report-column-action = Activity
report-action-shared = Shared a material
report-action-reviewed = Reviewed or moderated
report-action-posted = Wrote in discussions
report-action-attended = Came to an event
report-action-answered = Answered a survey

report-section-diversity = Forms of activity
report-explain-diversity = Materials published in the period by kind; events held in the period by form; new discussion threads.
report-table-materials-by-kind = Materials by kind
report-table-events-by-kind = Events by form

report-section-discussions = Discussions
report-explain-discussions = Turnover is the share of new threads among the threads that had replies in the period.
report-figure-threads-opened = New threads
report-figure-threads-active = Threads with replies in the period
report-figure-replies = Replies
report-figure-turnover = Turnover of discussions
report-figure-group-messages = Messages in the communities' groups

report-section-periodicity = Regularity of publications
report-explain-periodicity = Materials published per week of the period (a week is seven days from the period's first day) and the longest stretch without a publication.
report-figure-published = Materials published
report-figure-per-week = A week on average
report-figure-longest-gap = Longest gap, days
report-table-per-week = Publications by week
report-column-week = Week from
report-column-published = Published

report-section-informing = Informing
report-explain-informing = Broadcasts, event announcements, survey invitations and reminders sent in the period, and how many messages arrived.
report-figure-messages = Messages queued
report-figure-delivered = Delivered
report-table-informing = Mailings by kind
report-column-mailing = Kind
report-column-mailings = Mailings
report-column-messages = Messages
report-column-delivered = Delivered
report-column-failed = Not delivered
report-column-waiting = Waiting
report-delivery-broadcast = Broadcasts
report-delivery-event = Events
report-delivery-survey = Surveys
report-delivery-deadline = Deadline reminders
report-delivery-digest = Monthly summaries
report-delivery-material = Material notices
report-delivery-thread = Discussion notices
report-delivery-no-moderator = Service notices
report-delivery-post-orphaned = Service notices

report-section-demand = Demand for resources
report-explain-demand = Card views, downloads and ratings of materials in the period; the most downloaded materials; materials nobody has opened yet.
report-figure-views = Views
report-figure-downloads = Downloads
report-figure-useful = “Useful” ratings 👍
report-figure-not-useful = “Not useful” ratings 👎
report-figure-published-total = Materials in the bank at the end of the period
report-figure-never-opened = Of them never opened
report-table-top-downloaded = Most downloaded materials
report-column-material = Material
report-column-downloads = Downloads
report-column-views = Views

report-section-repository = Filling the bank of materials
report-explain-repository = Published materials by kind and grade; the review pipeline: submitted, approved, rejected, sent back for changes, and how many hours a decision usually (median) takes.
report-figure-submitted = Submitted for review
report-figure-approved = Approved
report-figure-rejected = Rejected
report-figure-changes = Sent back for changes
report-figure-median-decision = Median time to a decision, hours
report-table-published-by-kind = Published by kind
report-table-published-by-grade = Published by grade
report-column-grade = Grade

report-section-events = Events
report-explain-events = Events that began in the period (cancelled ones left out): forms, places, “I'll come” answers and attendance marked by the organisers.
report-figure-events-held = Events held
report-figure-events-online = Of them online
report-figure-going = Said “I'll come”
report-figure-attended = Came (marked by organisers)
report-figure-marked = Events with attendance marked
report-table-places = Places
report-column-place = Place

report-section-satisfaction = Satisfaction
report-explain-satisfaction = Surveys closed in the period: how many were invited and answered, the average scores per criterion. With fewer answers than the survey's minimum group no results are shown, to keep the answers anonymous.
report-figure-surveys = Surveys closed
report-table-surveys = Surveys
report-table-survey-averages = Average scores: { $title }
report-column-survey = Survey
report-column-invited = Invited
report-column-answered = Answered
report-column-rate = Response rate
report-column-question = Criterion
report-column-mean = Average
report-column-scale = Of
report-survey-hidden = fewer answers than the minimum group: results hidden

report-section-deadlines = Reporting deadlines
report-explain-deadlines = Report deadlines that fell in the period: how many coordinators submitted on time, late, or not at all.
report-figure-deadlines = Deadlines in the period
report-table-deadlines = Report deadlines
report-column-deadline = Report
report-column-due = Due
report-column-expected = Expected
report-column-on-time = On time
report-column-late = Late
report-column-missing = Missing

report-chart-per-week = Materials published by week
report-chart-participation = Members by kind of activity ({ $active } of { $members } active)
report-chart-materials = Materials published by kind
report-chart-events = Events held by form

report-sheet-bank = Data bank
report-sheet-bank-organisations = By organisation
report-bank-title = Participant data bank of the network community: { $count }
report-column-name = Full name
report-column-communities = Communities
report-column-since = In the network since

report-sheet-plan = Plan of work
report-plan-title = Plan of work of the network community for { $period }
report-plan-title-long = Plan of work of the network community
report-plan-section = Events of the school year
report-plan-empty = No events are planned for this school year yet.
report-column-when = Date and time
report-column-event = Event
report-column-community = Community
report-column-organiser = Organiser
report-column-status = Status
report-event-status-published = planned
report-event-status-cancelled = cancelled

report-digest-intro = 🗓 Monthly summary for { $period }. The full report: the buttons below or /report.
report-deadline-button = 📊 Report for { $period }
