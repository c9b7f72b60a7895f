# Conduct cases: /report in groups, /appeal, their cards

report-usage = To report a message, reply to it in the group with /report; you may add a reason: /report insult
report-group-accepted = Your report went to the moderators of the community “{ $community }”. The author won't learn who reported.
report-message-already-sent = You have already reported this message.
report-own-message = You can't report your own message.
appeal-usage = To appeal a sanction, press “Appeal” under its notice, or write /appeal and its number from the notice.
appeal-sent = Your appeal was sent. Another moderator or an admin will consider it; the answer will come here.
appeal-not-found = No sanction of yours has this number.
appeal-already-lifted = This sanction has already been lifted.
appeal-already-sent = This sanction has already been appealed.
appeal-text-length = Explain why you disagree: 10 to { $max } characters.
appeal-answer-lift = ✅ Your appeal was upheld: sanction no. { $id } in the community “{ $community }” is lifted.
appeal-answer-hold = Your appeal was considered: sanction no. { $id } in the community “{ $community }” stays in force.

case-header-flag = ⚠️ <b>A group message flagged automatically</b>
case-community = Community: { $title }
case-author = Member: { $name }
case-message = Message: “{ $text }”
case-reports = Reports: { $count }
case-reporter = • { $name }: { $reason } (reports in all: { $made }, unfounded: { $unfounded })
case-appeal-sanction = Sanction: { $kind } of { $date }, reason: { $reason } ({ $by })
case-appeal-text = Appeal: “{ $text }”
case-button-del = 🗑 Delete and warn
case-button-keep = 👌 Keep
case-button-lift = ✅ Lift the sanction
case-button-hold = ⛔ Keep it in force
case-button-hist = 📋 The member's history
case-outcome-del = 🗑 Deleted, the author warned: { $name }
case-outcome-keep = 👌 Kept: { $name }
case-outcome-lift = ✅ Sanction lifted: { $name }
case-outcome-hold = ⛔ Sanction kept in force: { $name }
case-reason-reported = members' report confirmed by a moderator
case-reason-appeal = appeal upheld

# /queue
queue-position-filtered = In the queue for this filter: { $count }
queue-source-count = { $source }: { $count }
queue-community-count = { $title }: { $count }
queue-filter-all = All: { $count }
queue-source-premoderation = premoderation
queue-source-edit = edits
queue-source-auto_flag = automatic flags
queue-source-report = reports
queue-source-appeal = appeals
queue-claim = 🙋 I'll take it
queue-filter = 🔎 Filter
queue-claimed = 🙋 Taken by { $name }
queue-claimed-by = { $name } has already taken this.

appeal-button = ⚖️ Appeal
appeal-ask = An appeal against sanction no. { $id } ({ $kind }, community “{ $community }”). Explain in one message why you disagree: { "10" } to { $max } characters.
appeal-confirm = Send the appeal against sanction no. { $id }? Another moderator or an admin will consider it.

    “{ $text }”
appeal-send-button = ✅ Send
appeal-redo-button = ✏️ Write again
appeal-no-button = ✖ Cancel
appeal-cancelled = The appeal was not sent. If you change your mind, the “Appeal” button under the sanction notice still works.
