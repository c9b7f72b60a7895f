## Profile dialog and card

profile-ask-name = What's your name? Please write your surname, first name and patronymic — this is how colleagues will see you credited as the author of your materials.
profile-name-invalid = Your name must contain letters and be no longer than 150 characters. For example: Ivanova Maria Petrovna.
profile-ask-organisation = Choose your organisation from the list or type its name in a message.
profile-ask-organisation-empty = Type the name of your organisation (a school, kindergarten or other) in a message.
profile-organisation-invalid = The organisation name must be 3 to 200 characters long. For example: Secondary School No. 1.
profile-organisation-gone = This organisation is no longer on the list. Choose another one or type its name.
profile-ask-organisation-kind = What kind of organisation is “{ $name }”?
org-kind-school = 🏫 School
org-kind-kindergarten = 🧸 Kindergarten
org-kind-other = 🏢 Other organisation
profile-ask-position = Your position:
position-subject_teacher = Subject teacher
position-primary_teacher = Primary school teacher
position-kindergarten_teacher = Preschool teacher
position-methodist = Methodologist
position-head = Head of organisation
position-other = Other
profile-ask-subjects = Select the subjects or areas you work with and tap “Done”. You can choose several or none.
subject-russian = Russian language
subject-literature = Literature
subject-math = Mathematics
subject-informatics = Computer science
subject-physics = Physics
subject-chemistry = Chemistry
subject-biology = Biology
subject-geography = Geography
subject-history = History
subject-social = Social studies
subject-foreign = Foreign language
subject-primary = Primary school
subject-preschool = Preschool education
subject-arts = Fine Arts
subject-music = Music
subject-pe = Physical education
subject-technology = Technology
subject-safety = Basics of Safety and Homeland Defence
subject-psychology = Psychology
subject-class_teacher = Form tutoring
profile-ask-tz = Choose your time zone — seminar times and reminders will be shown in it:
tz-kaliningrad = Kaliningrad (MSK−1)
tz-moscow = Moscow (MSK)
tz-samara = Samara (MSK+1)
tz-yekaterinburg = Yekaterinburg (MSK+2)
tz-omsk = Omsk (MSK+3)
tz-krasnoyarsk = Krasnoyarsk (MSK+4)
tz-irkutsk = Irkutsk (MSK+5)
tz-yakutsk = Yakutsk (MSK+6)
tz-vladivostok = Vladivostok (MSK+7)
tz-magadan = Magadan (MSK+8)
tz-kamchatka = Kamchatka (MSK+9)
profile-saved = ✅ Profile saved.
profile-cancelled = Changes discarded.
profile-cancelled-incomplete = Profile setup interrupted; nothing was saved. You can come back to it at any time: /profile
profile-not-set = not set
profile-default-tz = default (Moscow)
profile-card =
    <b>Your profile</b>
    Full name: { $name }
    Organisation: { $organisation }
    Position: { $position }
    Subjects: { $subjects }
    Time zone: { $time_zone }
    Language: { $language }
    Roles: { $roles }
profile-community-role = { $role }: { $community }
profile-edit-name = ✏️ Full name
profile-edit-organisation = 🏫 Organisation
profile-edit-position = 💼 Position
profile-edit-subjects = 📖 Subjects
profile-edit-tz = 🕒 Time zone
profile-privacy = 🔒 My data
onboarding-next = Now choose a community for your subject — that's where colleagues share materials and discuss their practice.
onboarding-browse = 📚 Browse communities

## Personal data

privacy-text =
    <b>Your personal data</b>

    We store: your full name, organisation, position, subjects, Telegram id and username, language, time zone, community memberships and when you gave consent, and what you do in the bot: materials, discussions, reports, applications, event sign-ups, survey invitations (the answers themselves are anonymous and not linked to you), warnings and audit-log entries about you.
    Purpose: running the professional community — authorship of materials, community membership, reports for coordinators.
    The data is not shared with third parties and is not written to the bot's logs.

    /export_me — get all your data as a file.
    /delete_me — delete your personal data. Published materials and messages will remain but will be signed “deleted member”.
privacy-export-button = 📄 Export my data
privacy-delete-button = 🗑 Delete my data
privacy-export-caption = All the data the bot stores about you: profile, memberships, materials, discussions, reports, sanctions and appeals, events, survey participation (without answers — they are anonymous), audit log.
privacy-delete-ask = Delete your personal data? Your profile, roles and community memberships will be erased. This cannot be undone.
privacy-delete-confirm = Yes, delete
privacy-delete-cancelled = Deletion cancelled; your data is intact.
privacy-deleted = Your personal data has been deleted. Published content remains, signed “deleted member”.
privacy-deleted-menu = If you'd like to come back, send /start.
privacy-delete-last-moderator = ⚠️ You are the only moderator of { $titles }. After deletion { $count ->
        [one] it is
       *[other] they are
    } left without a moderator, and we will tell the admins so they appoint a new one. Better ask an admin to appoint a successor beforehand.
privacy-quoted-title = “{ $title }”
