## Greeting, consent (Federal Law 152-FZ on personal data), help, language

start-greeting =
    👋 Hello! This is <b>Metodset</b>, the bot of a professional network community of teachers.

    Here you can join subject communities, share teaching materials, discuss practice with colleagues and find out about seminars.

start-welcome-back = Welcome back! Choose a section in the menu at the bottom of the screen.

consent-text =
    <b>Consent to the processing of personal data</b> (Federal Law 152-FZ on personal data)

    <b>What we store:</b> your full name, organisation, position, subjects, Telegram id and username, language and time zone, community memberships.
    <b>Why:</b> so that colleagues can see who authored materials and discussions, moderators can see who is in their communities, and coordinators can report on the network's work.
    <b>Who sees it:</b> community members see your name and organisation; moderators and administrators see your full profile.
    <b>How to withdraw:</b> the /delete_me command deletes your data; /export_me sends you everything stored about you. More details: /privacy.

    Until you give consent, we store nothing except your Telegram id.
consent-accept = ✅ I agree
consent-decline = I don't agree
consent-accepted = Thank you! Consent received. Now let's fill in a short profile — it'll take a minute.
consent-declined = Understood. Without consent we can't create a profile, and your data has not been saved. If you change your mind, send /start.
consent-required = First, please consent to the processing of personal data — send /start.

help-start =
    To get started, send /start and consent to the processing of personal data.
    /privacy — how we handle your data
    /language — change the language
help-member =
    <b>For members</b>
    /communities — all communities: join, leave, see members
    /my — my communities and requests
    /search — find materials, /share — share a material, /my_materials — my materials
    💬 Discussions — on a community's card.
    /events — events: sign up, waiting list, a file for your calendar
    /surveys — anonymous surveys you have not answered yet
    /apply — propose a new community
    /profile — profile: full name, organisation, position, subjects, time zone
    /language — language
    /privacy, /export_me, /delete_me — your personal data
    /report — as a reply in a group: report a message to the moderators, /appeal — appeal a sanction
    /cancel — stop the current dialogue
help-moderator =
    <b>For moderators</b>
    Join requests and materials for review arrive here (or in the moderators' chat) with decision buttons. /queue — the review queue: materials, reports, automatic flags, appeals.
    In the community's group, as a reply to a message: /warn, /mute 2h, /ban, /unban, /history (a reason may follow). In private chat the same with the member's @name or id.
    /lift number — lift a sanction, /ladder community_number — the sanctions ladder.
    /new_event — announce an event of your community.
help-coordinator =
    <b>For coordinators</b>
    Applications to create communities arrive here; /applications shows all those awaiting a decision.
    /new_deadline — a report deadline, /deadlines — deadlines: who has submitted, who has not; you are reminded too.
    /new_event — announce an event, /new_survey — an anonymous survey, /surveys — survey results.
help-methodist =
    <b>For methodists</b>
    /new_event — an event: once or a series, reminders, invitations now or later; on its card: attendees (CSV), a message to them, edit, cancel.
    /broadcast — a broadcast to communities or everyone: preview, number of recipients, progress, stop.
    /new_survey — an anonymous survey (blank or from a template), /surveys — your surveys: results, chart, CSV and XLSX exports.
help-admin =
    <b>For administrators</b>
    In the community card, “Manage”: moderators, experts, group linking, archiving.
    /grant @user role, /revoke @user role — global roles (admin, coordinator, methodist).
    /link number — in a Telegram group: link the group to a community.
    /check_text text — test a text against the rules, /rules — the conduct code's rules, /rules_stats — their hits.

language-choose = Choose your language / Выберите язык:
language-set = Language: English.
