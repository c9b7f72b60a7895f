# Answering a survey and the owner's preview (handlers/survey_answer.py)
survey-answer-preview-note = 👁 Preview: this is how members will see the survey. No answer is stored.
survey-answer-intro-title = 📝 <b>{ $title }</b>
survey-answer-intro-note = Questions: { $count }. Answers are anonymous: they are stored without your name, and nobody, not even an administrator, can tell who answered what. You can stop and carry on later from the same place.
survey-answer-begin-button = ▶️ Start
survey-answer-progress = { $number } / { $total }
survey-answer-question = <b>{ $text }</b>
survey-answer-optional = (optional question)
survey-answer-scale-hint = Rate from 1 to { $max }.
survey-answer-scale-labels = 1 — { $low }, { $max } — { $high }
survey-answer-single-hint = Choose one option.
survey-answer-multiple-hint = Tick every option that fits and press “Done”.
survey-answer-other-shown = Your own answer: “{ $text }”
survey-answer-other-button = ✍️ Other…
survey-answer-other-chosen-button = ✅ Other: { $text }
survey-answer-other-ask = Write your own answer in one message (up to { $max } characters).
survey-answer-done-button = ✔️ Done
survey-answer-choose-one = Tick at least one option.
survey-answer-text-hint = Write your answer in one message (up to { $max } characters).
survey-answer-text-shown = Your answer: “{ $text }”. To change it, send a new one.
survey-answer-keep-button = ➡️ Keep the answer
survey-answer-back-button = ⬅️ Back
survey-answer-skip-button = Skip ⏭
survey-answer-summary =
    Answered { $answered } of { $total } { $total ->
        [one] question
       *[other] questions
    }.
    Answers are anonymous: they are stored without your name. Once submitted, they cannot be changed.
survey-answer-submit-button = ✅ Submit
survey-answer-thanks = 🙏 Thank you! Your answers to “{ $title }” are recorded anonymously.
survey-answer-preview-end = 👁 That was a preview: no answer was stored.
survey-answer-too-long = The answer is too long: { $length } characters, up to { $max } allowed. Please shorten it and send it again.
survey-answer-need-text = A text answer is needed here — write it in a message.
survey-answer-use-buttons = ☝️ This question is answered with the buttons below it.
survey-answer-use-submit = ☝️ Press “✅ Submit” under the summary, or go back.
survey-answer-hidden = [hidden]
