## Profile dialog and card

profile-ask-name = Как вас зовут? Напишите фамилию, имя и отчество — так коллеги увидят авторство ваших материалов.
profile-name-invalid = Имя должно содержать буквы и быть не длиннее 150 символов. Напишите, например: Иванова Мария Петровна.
profile-ask-organisation = Выберите вашу организацию из списка или напишите её название сообщением.
profile-ask-organisation-empty = Напишите название вашей организации (школа, детский сад или другая) сообщением.
profile-organisation-invalid = Название организации — от 3 до 200 символов. Например: МБОУ «СОШ № 1».
profile-organisation-gone = Этой организации уже нет в списке. Выберите другую или напишите название.
profile-ask-organisation-kind = Что такое «{ $name }»?
org-kind-school = 🏫 Школа
org-kind-kindergarten = 🧸 Детский сад
org-kind-other = 🏢 Другая организация
profile-ask-position = Ваша должность:
position-subject_teacher = Учитель-предметник
position-primary_teacher = Учитель начальных классов
position-kindergarten_teacher = Воспитатель
position-methodist = Методист
position-head = Руководитель
position-other = Другое
profile-ask-subjects = Отметьте предметы или направления, с которыми вы работаете, и нажмите «Готово». Можно выбрать несколько или ни одного.
subject-russian = Русский язык
subject-literature = Литература
subject-math = Математика
subject-informatics = Информатика
subject-physics = Физика
subject-chemistry = Химия
subject-biology = Биология
subject-geography = География
subject-history = История
subject-social = Обществознание
subject-foreign = Иностранный язык
subject-primary = Начальные классы
subject-preschool = Дошкольное образование
subject-arts = ИЗО
subject-music = Музыка
subject-pe = Физкультура
subject-technology = Технология
subject-safety = ОБЗР
subject-psychology = Психология
subject-class_teacher = Классное руководство
profile-ask-tz = Выберите часовой пояс — в нём будут показаны время семинаров и напоминания:
tz-kaliningrad = Калининград (МСК−1)
tz-moscow = Москва (МСК)
tz-samara = Самара (МСК+1)
tz-yekaterinburg = Екатеринбург (МСК+2)
tz-omsk = Омск (МСК+3)
tz-krasnoyarsk = Красноярск (МСК+4)
tz-irkutsk = Иркутск (МСК+5)
tz-yakutsk = Якутск (МСК+6)
tz-vladivostok = Владивосток (МСК+7)
tz-magadan = Магадан (МСК+8)
tz-kamchatka = Камчатка (МСК+9)
profile-saved = ✅ Профиль сохранён.
profile-cancelled = Изменения отменены.
profile-cancelled-incomplete = Заполнение профиля прервано, ничего не сохранено. Вернуться к нему можно в любой момент: /profile
profile-not-set = не указано
profile-default-tz = по умолчанию (Москва)
profile-card =
    <b>Ваш профиль</b>
    ФИО: { $name }
    Организация: { $organisation }
    Должность: { $position }
    Предметы: { $subjects }
    Часовой пояс: { $time_zone }
    Язык: { $language }
    Роли: { $roles }
profile-community-role = { $role }: { $community }
profile-edit-name = ✏️ ФИО
profile-edit-organisation = 🏫 Организация
profile-edit-position = 💼 Должность
profile-edit-subjects = 📖 Предметы
profile-edit-tz = 🕒 Часовой пояс
profile-privacy = 🔒 Мои данные
onboarding-next = Теперь выберите сообщество по своему предмету — там коллеги делятся материалами и обсуждают практику.
onboarding-browse = 📚 Смотреть сообщества

## Personal data

privacy-text =
    <b>Ваши персональные данные</b>

    Мы храним: ФИО, организацию, должность, предметы, Telegram id и имя пользователя, язык, часовой пояс, участие в сообществах и время согласия, а также то, что вы делаете в боте: материалы, обсуждения, жалобы, заявки, записи на мероприятия, приглашения в опросы (сами ответы анонимны и с вами не связаны), предупреждения и записи журнала о вас.
    Цель — работа профессионального сообщества: авторство материалов, состав сообществ, отчёты координаторам.
    Данные не передаются третьим лицам и не попадают в журналы работы бота.

    /export_me — получить все свои данные файлом.
    /delete_me — удалить персональные данные. Опубликованные материалы и сообщения останутся, но будут подписаны «удалённый участник».
privacy-export-button = 📄 Выгрузить мои данные
privacy-delete-button = 🗑 Удалить мои данные
privacy-export-caption = Все данные, которые бот хранит о вас: профиль, участие в сообществах, материалы, обсуждения, жалобы, санкции и обжалования, мероприятия, участие в опросах (без ответов — они анонимны), журнал действий.
privacy-delete-ask = Удалить ваши персональные данные? Профиль, роли и участие в сообществах будут стёрты. Это нельзя отменить.
privacy-delete-confirm = Да, удалить
privacy-delete-cancelled = Удаление отменено, данные на месте.
privacy-deleted = Ваши персональные данные удалены. Опубликованное остаётся с подписью «удалённый участник».
privacy-deleted-menu = Если захотите вернуться — отправьте /start.
privacy-delete-last-moderator = ⚠️ Вы — единственный модератор { $count ->
        [one] сообщества
       *[other] сообществ
    } { $titles }. После удаления { $count ->
        [one] оно останется
       *[other] они останутся
    } без модератора, и мы сообщим администраторам, чтобы они назначили нового. Лучше заранее попросить администратора назначить преемника.
privacy-quoted-title = «{ $title }»
