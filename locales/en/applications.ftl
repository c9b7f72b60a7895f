## Applying for a new community (seed 001 §3.1.4)

apply-intro = <b>Application to create a community</b>. Under the regulations on network cooperation, an application states the problem, the expected result, the term of work and the participants. The network coordinators will review it. You can cancel at any time: /cancel
apply-ask-title = Step { $step } of { $steps }. Community name (3 to 120 characters):
apply-ask-area = Step { $step } of { $steps }. Subject or problem area, e.g. “Mathematics” or “Functional literacy”:
apply-ask-description = Step { $step } of { $steps }. A short description for members (optional):
apply-ask-problem = Step { $step } of { $steps }. The problem the community will work on:
apply-ask-expected-result = Step { $step } of { $steps }. Expected result:
apply-ask-term = Step { $step } of { $steps }. Term of work, e.g. “2026/27 school year”:
apply-ask-initial-participants = Step { $step } of { $steps }. Participants: the teachers and organisations starting the work:
apply-ask-policy = Step { $step } of { $steps }. How will people join the community?
apply-length-invalid = This needs to be { $min } to { $max } characters; yours is { $length }. Please try again.
apply-command-in-form = You're filling in an application. Type your answer or tap “Cancel”.
apply-preview = Please check your application:
apply-summary =
    <b>{ $title }</b>
    Subject / problem area: { $area }
    Description: { $description }
    Problem: { $problem }
    Expected result: { $expected_result }
    Term: { $term }
    Participants: { $participants }
    { $policy }
apply-submit = 📨 Submit application
apply-cancelled = Application cancelled; nothing was sent.
apply-submitted = Your application “{ $title }” has been sent to the coordinators. I'll let you know their decision.
apply-review-notice = 🆕 <b>Application to create a community</b> from { $name }
apply-approved = 🎉 The community “{ $title }” has been created! You are its moderator.
apply-declined = Your application to create the community “{ $title }” has been declined.
apply-open-community = Open the community
apply-none-pending = There are no applications to create communities.
apply-pending-count = Awaiting a decision: { $count } { $count ->
    [one] application
   *[other] applications
}.
