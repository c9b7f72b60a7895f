## Communities: list, card, joining

community-list-title = <b>Network communities</b> — { $count } { $count ->
    [one] community
   *[other] communities
}. Choose one to see its description and join.
community-list-empty = No communities yet. Propose your own with the button below.
community-list-item = { $title } · { $members } 👥
community-mine-button = ⭐ Mine
community-apply-button = ➕ Propose
community-all-button = 📚 All communities
community-mine-title = <b>My communities</b> ({ $count })
community-mine-empty = You aren't a member of any community yet.
community-mine-item = { $title } { $status }

community-card-title = <b>{ $title }</b>
community-card-area = 📌 { $area }
community-card-description = { $text }
community-card-members = 👥 { $count } { $count ->
    [one] member
   *[other] members
}
community-card-moderators = Moderators: { $names }
community-card-experts = Experts: { $names }
community-policy-open = 🔓 Open to everyone
community-policy-request = 🔐 Join by request, reviewed by a moderator
community-policy-open-button = 🔓 Open to everyone
community-policy-request-button = 🔐 By request, with moderator approval
community-you-member = ✅ You're a member
community-you-expert = ✅ You're an expert in this community
community-you-moderator = ✅ You're a moderator of this community
community-you-pending = ⏳ Your request is under review
community-you-member-short = ✅
community-you-expert-short = ✅ expert
community-you-moderator-short = ✅ moderator
community-you-pending-short = ⏳ request

community-join-button = ✅ Join
community-request-button = 📨 Request to join
community-leave-button = Leave the community
community-cancel-request-button = Withdraw request
community-manage-button = ⚙️ Manage
community-joined = You've joined the community “{ $title }”.
community-request-sent = Your request to join “{ $title }” has been sent to the moderators. I'll let you know when it's reviewed.
community-left = You've left the community “{ $title }”.
community-already-member = You're already a member of this community.
community-request-already-sent = Your request has already been sent and is awaiting a moderator's decision.
community-not-member = You aren't a member of this community.
community-profile-needed = Please fill in your profile first (full name and organisation): /profile

join-request-notice =
    📨 <b>Request to join</b>
    { $name } ({ $organisation }) asks to join the community “{ $title }”.
join-request-approved = ✅ Your request to join the community “{ $title }” has been approved. Welcome!
join-request-declined = Your request to join the community “{ $title }” was declined by a moderator.

# Subscriptions to new materials
community-subscribe-button = 🔔 Tell me about new materials
community-unsubscribe-button = 🔕 Stop telling me about new materials
community-subscribed = I'll tell you about new materials of the community “{ $title }”.
community-unsubscribed = No more news of new materials of the community “{ $title }”.
community-members-only = This is for the community's members.
community-last-moderator = You are the only moderator of “{ $title }”: an admin has to appoint another moderator first.
community-last-moderator-leave = You are the only moderator of “{ $title }”, so you can't leave it yet: without a moderator nobody would review join requests and new materials. Ask an admin to appoint another moderator first — we have told the admins.
admin-notice-last-moderator = ⚠️ { $name } wants to leave “{ $title }”, but it has no other moderator. Appoint another moderator: /communities → “{ $title }” → ⚙️ Manage.
admin-notice-moderator-deleted = ⚠️ “{ $title }” has no moderator left: { $name } deleted their account. Join requests and materials are waiting — appoint a moderator: /communities → “{ $title }” → ⚙️ Manage.
