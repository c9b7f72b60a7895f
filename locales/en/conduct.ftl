# The conduct code (seed 003 §7.2, §6; Federal Law 152-FZ)

conduct-clause = { $clause } ({ $category })
conduct-category-politics = political propaganda
conduct-category-religion = religious propaganda
conduct-category-violence = propaganda of violence
conduct-category-racism = racism and nationalism
conduct-category-hatred = inciting ethnic or religious hatred
conduct-category-insult = insulting members
conduct-category-obscene = obscene language
conduct-category-spam = spam and advertising
conduct-category-links = links to unknown sites
conduct-category-pupil_data = pupils' personal data
conduct-category-learned = looks like posts rejected before
conduct-model-hit = 🤖 The model's view: { $category }, confidence { $score }%. A moderator decides.
review-hit-model = • 🤖 { $title }: “{ $fragment }” ({ $clause }) — the model's view, confidence { $score }%
review-hit-learned = • The community's learned filter: looks like posts rejected before ({ $score }%)

# In linked groups
group-deleted-warning = { $name }, your message was deleted: it breaks { $clauses }. Warning { $count } of { $limit }.
group-deleted-muted = { $name }, your message was deleted: it breaks { $clauses }. This is warning number { $count }: you can't post in the group until { $until }.
group-deleted-banned = { $name } was removed from the group for repeated violations ({ $clauses }).
group-newcomer-link = { $name }, new members can post links after { $count } messages. The message was deleted.
group-flood-slow-down = { $name }, please slow down: too many messages in a row.
group-flood-muted = { $name }, you can't post in the group until { $until } for flooding.
sanction-notice-warning = Warning no. { $id } in the community “{ $community }”: { $clauses }. If you disagree, press “Appeal”.
sanction-notice-mute = You can't post in the group of the community “{ $community }” until { $until }: { $clauses }. Sanction no. { $id }; if you disagree, press “Appeal”.
sanction-notice-ban = You were removed from the group of the community “{ $community }”: { $clauses }. Sanction no. { $id }; if you disagree, press “Appeal”.

# Admins: /check_text
check-text-usage = Send the text after the command: <code>/check_text &lt;text&gt;</code> and I'll show what the rules find (version { $version }).
check-text-clean = The rules (version { $version }) found nothing: the text would be published.
check-text-verdict = The rules (version { $version }): { $action }
check-text-hit = • { $rule } — { $category }: “{ $fragment }” ({ $clause }), position { $start }
check-text-model-hit = • 🤖 the model — { $category }: “{ $fragment }” ({ $clause }), confidence { $score }%, position { $start }
check-text-dry-run = • [dry run] { $rule } — { $category }: “{ $fragment }”
conduct-action-allow = publish
conduct-action-flag = publish and show the moderators
conduct-action-hold = hold for premoderation
conduct-action-block = refuse publication

# Admins: /rules, /rules_stats
rules-title = 📜 The conduct code, version { $version }:
rules-line = • <b>{ $rule }</b> — { $category }: { $action }{ $dry } (entries: { $entries })
rules-dry-run-mark = , dry run
rules-card-details = Clause: { $clause } · severity: { $severity }
rules-card-words = Words: { $words }
rules-model-line = • <b>🤖 model</b>: { $state }
rules-model-button = 🤖 Model
rules-model-state-on = on
rules-model-state-off = off
rules-model-state-dry = dry run (log only)
rules-model-state-absent = not attached in this version of the rules
rules-model-card = 🤖 <b>The model</b> is a trained classifier beside the rules: it notices paraphrased insults, calls and agitation that the rules' words miss. It blocks nothing by itself: a text it takes for a violation goes to a moderator with its score.
    State: { $state }
    Holds a text when at least this sure:
    { $thresholds }
rules-model-threshold = • { $category } — { $score }%
rules-model-on = ✅ Turn the model on
rules-model-off = ⛔ Turn the model off
rules-model-attach = ➕ Attach the model (shipped settings)
rules-set-action = Action: { $action }
rules-dry-run-on = 🧪 Turn dry run on
rules-dry-run-off = ✅ Turn dry run off
rules-add-word = ➕ Add a word
rules-remove-word = ➖ Remove a word
rules-ask-add = Which word shall I add to the rule { $rule }? All its forms will match; “word*” matches whatever begins so. /cancel to stop.
rules-ask-del = Which word shall I remove from the rule { $rule }? Write it as in the list. /cancel to stop.
rules-word-length = A word or phrase is 2 to { $max } characters.
rules-edit-refused = The rule was not changed: { $error }
rules-saved = ✅ Saved: version { $version } is in force.
rules-stats-usage = Write: /rules_stats [days], 1 to 365 (7 by default).
rules-stats-empty = In { $days } days the rules found nothing.
rules-stats-title = Rule hits in { $days } days:
rules-stats-line = • { $rule }: { $hits }
rules-stats-dry-line = • { $rule } (dry run): { $hits }

# Times in sanctions, named by their zone
time-zone-msk = MSK
time-zone-msk-offset = MSK{ $offset }
