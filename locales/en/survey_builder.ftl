# The survey builder: /new_survey, the draft editor, adding questions, publishing
survey-build-ask-start = 📝 A new anonymous survey. Start from a blank page or from a ready template — you can adjust it before publishing.
survey-build-blank-button = 📄 Blank survey
survey-build-template-button = 📋 Template: { $title }
survey-build-ask-title = What is the survey called? From 3 to { $max } characters. /cancel to stop.
survey-build-ask-intro = Write an introduction: why this survey and how the answers will be used (up to { $max } characters). Or press “Skip”.
survey-build-skip-button = Skip ▶
survey-build-editor = 📝 <b>{ $title }</b>
survey-build-editor-count = Questions: { $count }
survey-build-editor-empty = No questions yet — add the first one.
survey-build-question-line = { $number }. { $text }
    <i>{ $kind } · { $required ->
        [yes] required
       *[no] optional
    }</i>
survey-build-kind-scale = scale 1–{ $max }
survey-build-kind-single = single choice
survey-build-kind-multiple = multiple choice
survey-build-kind-text = free text
survey-build-add-button = ➕ Add question
survey-build-preview-button = 👁 Preview
survey-build-publish-button = 📣 Publish
survey-build-back-button = ◀️ Back to the survey
survey-build-ask-kind = What kind of question?
survey-build-kind-scale-button = 📊 Scale
survey-build-kind-single-button = 🔘 Single choice
survey-build-kind-multiple-button = ☑️ Multiple choice
survey-build-kind-text-button = ✍️ Free text
survey-build-ask-question = Write the question (from 3 to { $max } characters).
survey-build-ask-scale = Which scale?
survey-build-scale-button = 1–{ $max }
survey-build-ask-labels = Label the ends of the scale with a dash between them, for example: poor — excellent. Or press “Skip”.
survey-build-labels-invalid = Write two labels with a dash between them, for example: poor — excellent (up to { $max } characters each).
survey-build-ask-options = Write the answer options, one per line: from 2 to { $count }, up to { $max } characters each.
survey-build-ask-other = Allow an answer of one's own (“Other”)?
survey-build-other-yes = Yes, allow it
survey-build-other-no = No
survey-build-ask-limit = How long may an answer be? Write a number from 10 to { $max } or press the button.
survey-build-ask-required = Is an answer to this question required?
survey-build-required-yes = Yes, required
survey-build-required-no = No, it may be skipped
survey-build-question-view = Question { $number } of { $count }:
    <b>{ $text }</b>
survey-build-view-kind = Kind: { $kind }
survey-build-view-labels = Labels: 1 — { $low }, { $max } — { $high }
survey-build-view-options = Answer options:
survey-build-view-other = An answer of one's own (“Other”): { $allowed ->
        [yes] allowed
       *[no] no
    }
survey-build-view-limit = Answers up to { $limit } characters
survey-build-view-required = { $required ->
        [yes] A required question
       *[no] An optional question
    }
survey-build-edit-text-button = ✏️ Text
survey-build-edit-options-button = ✏️ Options
survey-build-edit-scale-button = ✏️ Scale
survey-build-edit-limit-button = ✏️ Answer length
survey-build-required-button = { $on ->
        [yes] ✅
       *[no] ▫️
    } Required
survey-build-other-button = { $on ->
        [yes] ✅
       *[no] ▫️
    } Own answer
survey-build-up-button = ⬆️ Up
survey-build-down-button = ⬇️ Down
survey-build-delete-button = 🗑 Delete
survey-build-ask-delete = Delete question { $number } “{ $text }”?
survey-build-delete-yes = 🗑 Yes, delete
survey-build-delete-no = ◀️ No
survey-build-ask-new-text = Write the new text of the question (from 3 to { $max } characters).
survey-build-ask-audience = Who receives the survey? Tick communities or “All members” and press “Next”.
survey-build-everyone = All members
survey-build-next-button = Next ▶
survey-build-choose-audience = Tick at least one community or “All members”.
survey-build-ask-opens = When does the survey open? Press “Now” or write a date and time, for example 20.12.2026 10:00 (time zone: { $zone }).
survey-build-now-button = ▶️ Now
survey-build-ask-closes = When does the survey close? Write a date and time, for example 20.12.2026 18:00, or choose a period.
survey-build-days-button = In { $days } { $days ->
        [one] day
       *[other] days
    }
survey-build-summary = 📣 Publishing the survey “{ $title }”
    To: { $audience }
    Recipients: { $count }
    Opens: { $opens ->
        [now] right after publishing
       *[other] { $opens }
    }
    Closes: { $closes }
    Minimum group: { $min } — results of a group with fewer answers are shown to nobody.
    Reminders to those who have not answered: { $reminders }
survey-build-min-group-button = 👥 Min. group: { $min }
survey-build-reminders-button = ⏰ Reminders: { $count }
survey-build-confirm-button = ✅ Publish ({ $count })
survey-build-min-group-too-big = ⚠️ There are fewer recipients ({ $count }) than the minimum group ({ $min }): no results will be shown even if everyone answers. Lower the minimum group, or keep it if that is intended.
survey-build-min-group-lower-button = 👥 Lower to { $min }
survey-build-confirm-anyway-button = ⚠️ Publish ({ $count }) with minimum group { $min }
survey-build-published = 📣 The survey “{ $title }” is open, invitations: { $count }. The sending progress is in this message.
survey-build-scheduled = 🕒 The survey “{ $title }” opens { $opens } and closes { $closes }. The invitations go out when it opens.
