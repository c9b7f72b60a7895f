## Shared words, buttons, errors

language-name = 🇬🇧 English
button-back = ← Back
button-cancel = Cancel
button-done = Done
button-skip = Skip
pager = { $page } / { $pages }

menu-communities = 📚 Communities
menu-profile = 👤 Profile
menu-help = ❓ Help
menu-updated = Menu updated.

deleted-member = deleted member
member-without-name = member id{ $id }

use-buttons = Please choose an option with the buttons below the message, or send /cancel to exit.
expect-text = Text is needed here. Send it as a message, or send /cancel to exit.
unknown-message = I didn't understand that message. The menu is at the bottom of the screen; send /help for a list of commands.
throttled = Too many messages in a row. Please wait a few seconds — I've skipped the extra messages.

cancel-done = Cancelled. Nothing was saved.
cancel-nothing = There's nothing to cancel.

role-admin = administrator
role-coordinator = coordinator
role-methodist = methodologist

community-role-member = member
community-role-expert = expert
community-role-moderator = moderator

decision-approve = ✅ Approve
decision-decline = ❌ Decline
decision-approved-by = ✅ Approved by { $name }
decision-declined-by = ❌ Declined by { $name }

outcome-active = approved
outcome-declined = declined
outcome-archived = archived
outcome-left = request withdrawn
outcome-pending = awaiting a decision
outcome-proposed = awaiting a decision
outcome-unknown = decided

error-generic = The action could not be completed.
error-unexpected = Sorry, something went wrong. We already know about the error — please try again a little later.
error-permission-denied = ⛔ You don't have permission to do this.
error-not-found = Not found — it may already have been deleted.
error-community-not-found = The community was not found or has been archived.
error-invalid-state = This action isn't available right now.
error-consent-required = First, please consent to the processing of personal data: /start
error-already-decided = A decision has already been made: { $outcome } ({ $decided_by }).
error-stale-button = This button is out of date. Please open the section again.

command-start = Get started
command-communities = Communities
command-my = My communities
command-profile = Profile
command-apply = Propose a new community
command-language = Language / Язык
command-privacy = Personal data
command-help = What the bot can do
command-cancel = Cancel the current action
command-search = Find materials
command-share = Share a material
command-my_materials = My materials
command-queue = Review queue
command-history = A member's sanctions: /history @name
command-new_event = New event
command-new_survey = New survey
command-new_deadline = New report deadline
command-applications = Applications for new communities
command-grant = Grant a role: /grant @name role
command-revoke = Revoke a role: /revoke @name role
command-rules = Moderation rules
command-rules_stats = Rule hits
command-check_text = Check a text against the rules

# The delivery outbox: a broadcast's progress, edited in place
delivery-progress = 📣 “{ $title }”: sent { $sent }, not delivered { $failed }, blocked the bot { $blocked }, cancelled { $cancelled }, remaining { $remaining }.
delivery-unconfirmed = ⚠️ Unknown whether { $count } arrived: the bot restarted while sending, and Telegram does not say whether a message was delivered.
delivery-resend-button = 🔁 Send again ({ $count }; some may get it twice)
delivery-resent = Sending again: { $count }.
delivery-held = ⏸ { $count } waiting for the morning: quiet hours until { $until }.
delivery-held-forecast = 🌙 { $count } of { $total } are in their quiet hours (night where they are): they get it in the morning, at { $until } your time.
command-group-report = Report: as a reply to the message
