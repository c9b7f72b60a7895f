## Materials: sharing, cards, search, the review queue

menu-search = 🔎 Find materials
menu-share = 📤 Share

kind-methodical_development = 📘 Methodical development
kind-recommendations = 📗 Methodical recommendations
kind-lesson_plan = 📝 Lesson plan
kind-video = 🎬 Lesson or activity video
kind-project = 🧩 Project
kind-assessment = 📊 Assessment materials
kind-evaluation_sheet = 📋 Evaluation sheet
kind-presentation = 🖥 Presentation
kind-work_programme = 📚 Work programme
kind-other = 📎 Other
kind-methodical_development-short = development
kind-recommendations-short = recommendations
kind-lesson_plan-short = lesson
kind-video-short = video
kind-project-short = project
kind-assessment-short = assessment
kind-evaluation_sheet-short = evaluation sheet
kind-presentation-short = presentation
kind-work_programme-short = programme
kind-other-short = other

grade-short = { $grade ->
    [0] preschool
   *[other] grade { $grade }
}
grades-any = any

share-ask-content = Send the material: a file (document, photo, video), a link or a text. Files up to 50 MB.
share-ask-title = The title (3 to 200 characters):
share-use-file-name = Use the file name: { $name }
share-ask-description = Describe the material briefly: who it is for and why it helps (optional).
share-ask-community = Which community should it go to?
share-ask-kind = Kind of material:
share-ask-grades = Which grades? Tick them and press “Done” (or none).
share-ask-tags = Tags separated by commas, e.g.: fractions, exams, functional literacy (optional).
share-preview = Check the material's card:
share-submit = 📨 Submit
share-leave = Later
share-discard = 🗑 Delete the draft
share-left = The draft is saved: /share continues it.
share-discarded = The draft is deleted.
share-draft-found = You have an unfinished draft “{ $title }”.
share-untitled = untitled
share-resume = ▶️ Continue
share-restart = Start over
share-no-community = Join a community first: materials are published in communities. The draft is saved: /communities
share-unsupported-content = This message can't be a material. Send a file, a photo, a video, a link or a text.
share-text-too-short = The text is too short for a material: at least 20 characters, please. Or send a file or a link.
share-text-too-long = The text is longer than { $max } characters ({ $length } now). Send it as a file.
share-title-invalid = A title is 3 to { $max } characters ({ $length } now).
share-description-too-long = A description is up to { $max } characters ({ $length } now).
share-tags-invalid = No tags found. Write them separated by commas, or press “Skip”.
share-published = ✅ The material “{ $title }” is published.
share-queued = 📨 The material “{ $title }” was sent to the moderators. I'll tell you their decision.
share-step = Step { $step } of { $steps }.
share-editing = ✏️ Changing one field: your answer takes you back to the card.
share-back-to-preview = ↩️ Back to the card
share-clear = 🧹 Remove
share-edit-title = ✏️ Title
share-edit-description = ✏️ Description
share-edit-community = ✏️ Community
share-edit-kind = ✏️ Kind
share-edit-grades = ✏️ Grades
share-edit-tags = ✏️ Tags
share-edit-content = { $type ->
    [link] ✏️ Link
    [text] ✏️ Text
   *[other] ✏️ File
}
share-changes-reason = ✏️ The moderator asks for changes: { $reason }
share-cancelled-empty = Cancelled. Nothing was saved.
share-title-no-letters = A title needs at least one letter or digit: it is what people search by.
share-blocked = { $field ->
    [title] The title
    [description] The description
   *[tags] The tags
} breaks the conduct code: { $clauses }. A material with this text cannot be published; please rephrase.
share-blocked-content = The material breaks the conduct code: { $clauses }. It cannot be published like this: send another file, link or text.

material-card-title = <b>{ $title }</b>
material-card-community = Community: { $title }
material-card-grades = Grades: { $grades }
material-card-description = { $text }
material-card-link = 🔗 { $url }
material-card-file-document = 📄 { $name } ({ $size })
material-card-file-photo = 🖼 Image
material-card-file-video = 🎬 Video { $name } ({ $size })
file-size-bytes = { $size } B
file-size-kilobytes = { NUMBER($size, maximumFractionDigits: 0) } KB
file-size-megabytes = { NUMBER($size, maximumFractionDigits: 1) } MB
file-size-gigabytes = { NUMBER($size, maximumFractionDigits: 1) } GB
material-card-author = Author: { $name }, { $organisation }
material-card-counters = 👁 { $views } · ⬇ { $downloads } · 👍 { $useful } · 👎 { $not_useful }
material-download = ⬇ Download
material-download-caption = { $title }
material-useful = 👍 Useful ({ $count })
material-not-useful = 👎 ({ $count })
material-rated = Thank you for rating!
material-rate-own = You can't rate your own material.
material-edit = ✏️ Edit
material-withdraw = 🗄 Withdraw
material-withdrawn = The material “{ $title }” is withdrawn.
material-edit-resubmit = ✏️ Fix and resubmit
material-open-in-bot = Open in the bot
material-new-for-subscriber = 🆕 A new material in the community “{ $community }”
material-new-in-community = 🆕 New material
material-blocked = The material can't be published: it breaks { $clauses }. Fix the text and submit again.
material-incomplete = The draft lacks a title, a community or a kind.
material-not-withdrawable = This material can't be withdrawn.
material-not-editable = This material can't be edited now.
material-draft-in-progress = Finish or delete your current draft first: /share
error-material-not-found = The material is not found or was withdrawn.

material-author-approve = ✅ Your material “{ $title }” is approved and published.
material-author-reject = Your material “{ $title }” was rejected. Reason: { $reason }
material-author-changes = ✏️ A moderator asks you to improve “{ $title }”: { $reason }

search-ask = What are you looking for? Type a topic, a subject or key words, e.g. “fractions grade 5”.
search-found = 🔎 “{ $query }”: { $count ->
    [one] { $count } material
   *[other] { $count } materials
}
search-latest = 🆕 New materials
search-nothing = Nothing found for “{ $query }”. Try other words.
search-nothing-typed = No materials found for “{ $query }”. Try other words. If you were not looking for a material, the menu is at the bottom of the screen; send /help for a list of commands.
search-result = { $number }. <b>{ $title }</b>
search-thread-details = 💬 { $community } · { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
}
search-back = ← Back to results
search-back-mine = ← My materials
search-in-threads = 💬 Search discussions
search-in-materials = 📄 Search materials

mine-empty = You haven't published anything yet. Share a material: /share
mine-title = <b>My materials</b>: { $count }, published { $published }, downloads { $downloads }

review-source-premoderation = 📨 <b>Material for review</b>
review-source-auto_flag = ⚠️ <b>Material for review: flagged automatically</b>
review-source-report = 🚩 <b>A member's report</b>
review-source-edit = ✏️ <b>Edited material for review</b>
review-source-appeal = ⚖️ An appeal of a sanction
review-hits = Found by the conduct-code check:
review-hit = • { $title }: “{ $fragment }” ({ $clause })
review-approve = ✅ Approve
review-reject = ❌ Reject
review-changes = ✏️ Request changes
review-next = Next ▶
reason-offtopic = Off the community's topic
reason-copyright = Copyright infringement
reason-quality = Incomplete or low quality
reason-duplicate = Already published
reason-conduct = Breaks the community's conduct code
reason-own = ✍️ Another reason
review-type-reason = Write the reason in one message (up to 500 characters):
review-reason-invalid = A reason is 3 to { $max } characters.
review-reason-saved = The decision is saved.
review-outcome-approved = ✅ Approved: { $name }
review-outcome-rejected = ❌ Rejected: { $name }. Reason: { $reason }
review-outcome-changes = ✏️ Changes requested: { $name }. Reason: { $reason }
review-outcome-cancelled = Withdrawn by the author.
review-outcome-open = Awaiting a decision.
review-already-closed = This material has already been decided.
outcome-review-approved = approved
outcome-review-rejected = rejected
outcome-review-changes = sent back for changes
outcome-review-cancelled = withdrawn by the author
queue-empty = The queue is empty: everything is reviewed. 👍
queue-position = In the queue: { $count }
mine-item = { $status } { $title } · ⬇{ $downloads } 👍{ $useful }
review-reminder = ⏰ <b>Waiting for a decision for over a day</b>
review-fix = 🛠 Fix the card
review-fix-title = Title
review-fix-kind = Kind
review-fix-grades = Grades
review-fix-tags = Tags
review-fix-ask-title = Write the corrected title:
review-fix-ask-tags = Write the tags separated by commas:
review-fixed = ✅ The card is fixed.
review-open-file = 📄 Open the file
review-open-link = 🔗 Open the link
review-open-text = 📄 Full text
review-open-material = 📖 Open the material
review-next-in-queue = ▶ Next in the queue
review-cancel-typing = ✖ Cancel
review-typing-cancelled = Cancelled: nothing was saved, the card awaits a decision.
review-file-caption = 📄 { $title }
review-file-sent-privately = 📄 The file was sent to your private chat with the bot.
review-start-bot-first = I cannot write to you privately: open the bot @{ $bot }, press Start and try again.
material-card-expert-recommended = 🎓 Recommended by an expert
material-card-expert-needs_work = 🎓 An expert suggests improvements
expertise-request-button = 🎓 Ask for an expert review
expertise-request = 🎓 <b>Expert review requested</b> by { $name }
expertise-recommend = 👍 Recommend
expertise-needs-work = ✏️ Needs work
expertise-ask-comment = A short comment for the author (up to 500 characters), or none:
expertise-no-comment = No comment
expertise-comment-invalid = A comment is up to { $max } characters.
expertise-saved = ✅ The review of “{ $title }” is saved.
expertise-requested = 🎓 The review request for “{ $title }” was sent to: { $names }.
expertise-requested-nobody = 🎓 The review request for “{ $title }” is saved, but none of the community's experts has received it yet.
expertise-unreached = ⚠️ Not delivered: { $names } — the expert has not opened the bot yet or has stopped it. Forward them the link to the request: { $link }
expertise-forward-link = 📨 Forward the link to the expert
expertise-forward-text = An expert review request for “{ $title }”
expertise-back-to-material = ← Back to the material
expertise-your-verdict = ✅ Reviewed: { $verdict }
expertise-already-requested = A review is already requested; an expert will answer.
expertise-no-experts = This community has no experts yet.
expertise-own-material = You can't review your own material.
expertise-author-recommended = 🎓 Expert { $name } recommends your material “{ $title }”. Comment: { $comment }
expertise-author-needs_work = 🎓 Expert { $name } suggests improving “{ $title }”. Comment: { $comment }
outcome-expert-recommended = recommended
outcome-expert-needs_work = needs work
search-filter-community = Community: { $value }
search-filter-kind = Kind: { $value }
search-filter-grade = Grade: { $value }
search-filter-all = all
search-filter-grade-value = { $grade ->
    [0] preschool
   *[other] { $grade }
}
search-filter-choose-c = Materials of which community?
search-filter-choose-k = Which kind of materials?
search-filter-choose-g = For which grade?
search-filter-any-c = All communities
search-filter-any-k = All kinds
search-filter-any-g = All grades
material-report = 🚩 Report
report-choose-reason = What is wrong with “{ $title }”? Moderators will see the reason; the author won't learn who reported.
report-sent = The report was sent to the moderators. Thank you!
report-own-material = You can't report your own material.
report-already-sent = You have already reported this material.
review-report-reasons = Reports: { $count }. Reasons: { $reasons }
material-author-removed = Your material “{ $title }” was taken down by a moderator after a report. Reason: { $reason }
