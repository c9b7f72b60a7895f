# Events (seeds 003 §3.2, 004 §3.1)
command-events = Мероприятия
event-kind-seminar = Семинар
event-kind-webinar = Вебинар
event-kind-master_class = Мастер-класс
event-kind-round_table = Круглый стол
event-kind-open_lesson = Открытый урок
event-kind-methodical_week = Методическая неделя
event-kind-contest = Конкурс
event-kind-marathon = Марафон
event-kind-meeting = Заседание МО
event-kind-other = Другое
event-network = вся сеть
event-card-title = 📅 <b>{ $kind }: { $title }</b>
event-card-title-only = 📅 <b>{ $title }</b>
event-card-when = Когда: { $when }, { $minutes } мин.
event-card-where = Где: { $place }
event-card-audience = Для кого: { $audience }
event-card-going = Придут: { $going } из { $capacity }, в листе ожидания: { $waiting }
event-card-capacity = Мест: { $capacity }
event-card-cancelled = 🚫 Мероприятие отменено.
event-you-going = ✅ Вы придёте.
event-you-waiting = ⏳ Мест нет — вы в листе ожидания.
event-you-not_going = Вы не придёте.
event-going-button = ✅ Приду
event-not-going-button = ❌ Не смогу
event-ics-button = 📅 В календарь (.ics)
event-attendees-button = 👥 Участники
event-cancel-button = 🚫 Отменить
event-open-button = Открыть
event-attendees-title = 👥 «{ $title }»:
event-attendee-going = • { $name }
event-attendee-waiting = • { $name } (ожидает)
event-attendee-not_going = • { $name } (не придёт)
event-attendees-none = пока никто не записался
event-promoted = ✅ Освободилось место: вы записаны на «{ $title }».
events-none = Ближайших мероприятий нет.
events-title = 📅 Ближайшие мероприятия: { $count }
events-back-button = ← К мероприятиям
event-not-found = Мероприятие не найдено.
event-cancelled = Мероприятие отменено.
event-started = Мероприятие уже началось.
event-ask-kind = Какое мероприятие?
event-ask-title = Название мероприятия (до 150 символов). /cancel — отменить.
event-title-length = Название — от 3 до { $max } символов.
event-ask-audience = Для кого?
event-ask-when = Когда начало? Например: 25.12.2026 15:00 — часовой пояс: { $zone }. Можно указать другой: 25.12 15:00 Asia/Omsk.
event-date-format = Не понял дату: напишите, например, 25.12.2026 15:00.
event-date-invalid = Такой даты нет в календаре.
event-date-past = Эта дата уже прошла.
event-zone-unknown = Не знаю часового пояса «{ $zone }»: укажите, например, Europe/Moscow или Asia/Yekaterinburg.
event-ask-duration = Продолжительность в минутах, например 90.
event-duration-invalid = Продолжительность — число минут от 5 до 10080.
event-ask-place = Где пройдёт: адрес или ссылка на трансляцию.
event-place-length = Место — от 2 до { $max } символов.
event-ask-capacity = Сколько мест? Напишите число или нажмите «Без ограничения».
event-no-limit = Без ограничения
event-capacity-invalid = Число мест — от 1 до 100000.
event-preview = Проверьте перед публикацией:
event-publish-button = 📣 Опубликовать

event-cancelled-notice = 🚫 Мероприятие «{ $title }» ({ $when }) отменено.
event-cancelled-done = { $count ->
    [1] Мероприятие отменено, записавшиеся предупреждены.
   *[other] Отменено встреч: { $count }; записавшиеся предупреждены.
}
event-reminder-before = { $minutes ->
    [10080] за неделю
    [1440] за день
    [60] за час
   *[other] за { $minutes } мин.
}
event-reminder = ⏰ Напоминание: «{ $title }» — { $before } до начала. Где: { $place }
event-announcement-head = 📣 Новое мероприятие
event-series-dates = 🔁 Встреч в серии: { $count }, последняя — { $last }.
events-entry = { $number }. <b>{ $title }</b>{ $repeats ->
    [yes] {" "}🔁
   *[no] {""}
}
    📅 { $when } · { $kind } · { $where }
event-published = { $occurrences ->
    [1] 📣 Мероприятие опубликовано. Приглашения получат: { $count }.
   *[other] 📣 Серия опубликована, встреч: { $occurrences }. Приглашения получат: { $count }.
}
event-published-later = 📣 Мероприятие сохранено. Приглашения ({ $count }) уйдут { $when }.
event-card-repeats = 🔁 { $repeats }
event-card-reminders = Напоминания: { $reminders }
event-reminders-none = без напоминаний
event-repeat-once = Один раз
event-repeat-weekly = Каждую неделю, { $weekday ->
    [mon] по понедельникам
    [tue] по вторникам
    [wed] по средам
    [thu] по четвергам
    [fri] по пятницам
    [sat] по субботам
   *[sun] по воскресеньям
}
event-repeat-biweekly = Раз в две недели, { $weekday ->
    [mon] по понедельникам
    [tue] по вторникам
    [wed] по средам
    [thu] по четвергам
    [fri] по пятницам
    [sat] по субботам
   *[sun] по воскресеньям
}
event-repeat-monthly_weekday = Каждый месяц, { $weekday ->
    [mon] { $nth ->
        [first] в первый
        [second] во второй
        [third] в третий
        [fourth] в четвёртый
       *[last] в последний
    } понедельник
    [tue] { $nth ->
        [first] в первый
        [second] во второй
        [third] в третий
        [fourth] в четвёртый
       *[last] в последний
    } вторник
    [wed] { $nth ->
        [first] в первую
        [second] во вторую
        [third] в третью
        [fourth] в четвёртую
       *[last] в последнюю
    } среду
    [thu] { $nth ->
        [first] в первый
        [second] во второй
        [third] в третий
        [fourth] в четвёртый
       *[last] в последний
    } четверг
    [fri] { $nth ->
        [first] в первую
        [second] во вторую
        [third] в третью
        [fourth] в четвёртую
       *[last] в последнюю
    } пятницу
    [sat] { $nth ->
        [first] в первую
        [second] во вторую
        [third] в третью
        [fourth] в четвёртую
       *[last] в последнюю
    } субботу
   *[sun] { $nth ->
        [first] в первое
        [second] во второе
        [third] в третье
        [fourth] в четвёртое
       *[last] в последнее
    } воскресенье
}
event-repeat-monthly_date = Каждый месяц, { $day }-го числа
event-ask-repeat = Повторять мероприятие?
event-ask-until = До какой даты повторять? Например: 25.05.2027.
event-day-format = Не понял дату: напишите, например, 25.05.2027.
event-until-range = Дата окончания — после первой встречи и не дальше чем через { $days } дней.
event-preview-series = Встреч: { $count }, последняя — { $last }.
event-preview-announce = Приглашения: { $when ->
    [now] сразу после публикации
   *[other] { $when }
}
event-reminders-button = ⏰ Напоминания
event-announce-later-button = 🕒 Пригласить позже
event-ask-announce-at = Когда разослать приглашения? Например: 20.12.2026 10:00 — часовой пояс: { $zone }.
event-announce-after-start = Приглашения должны уйти до начала мероприятия.
event-message-button = ✉️ Написать участникам
event-edit-button = ✏️ Изменить
event-csv-button = ⬇️ Список (CSV)
event-csv-name = ФИО
event-csv-username = Telegram
event-csv-organisation = Организация
event-csv-status = Ответ
event-csv-answered = Когда ответил(а)
event-csv-status-going = придёт
event-csv-status-waiting = в листе ожидания
event-csv-status-not_going = не придёт
event-csv-attended = Пришёл(ла)
event-csv-attended-yes = да
event-csv-attended-no = нет
event-csv-caption = 👥 «{ $title }»: ответов { $count }.
event-cancel-one-button = Только эту встречу
event-cancel-series-button = Эту и все следующие
event-cancel-which = Отменить только эту встречу или всю оставшуюся серию?
event-edit-which = Что изменить?
event-edit-title = Название
event-edit-when = Дату и время
event-edit-duration = Продолжительность
event-edit-place = Место
event-edit-ask-title = Новое название (от 3 до 150 символов).
event-edit-ask-when = Новые дата и время, например 25.12.2026 15:00 — часовой пояс: { $zone }.
event-edit-ask-duration = Новая продолжительность в минутах, например 90.
event-edit-ask-place = Новое место: адрес или ссылка на трансляцию.
event-edit-done = ✏️ Сохранено. Записавшихся предупредим: { $count }.
event-edit-same = Ничего не изменилось.
event-changed-head = ✏️ Изменения в мероприятии «{ $title }»:
event-changed-title = Название: { $before } → { $after }
event-changed-starts_at = Когда: { $before } → { $after }
event-changed-duration_minutes = Продолжительность: { $before } → { $after } мин.
event-changed-place = Где: { $before } → { $after }
event-message-ask = Напишите сообщение для записавшихся ({ $count }), до { $max } символов. /cancel — отменить.
event-message-length = Сообщение — от 1 до { $max } символов.
event-message-preview = Сообщение участникам «{ $title }» ({ $count }):

    { $text }
event-message-send-button = ✉️ Отправить ({ $count })
event-message-to-attendee = ✉️ «{ $title }»: { $text }
event-message-queued = ✉️ Сообщение отправляется: { $count }.
event-skip-button = Пропустить
event-ask-description = Коротко опишите мероприятие: тема, для кого, что взять с собой (до { $max } символов). Или нажмите «Пропустить».
event-description-length = Описание — до { $max } символов.
event-card-registration = Запись до: { $until }
event-registration-button = 📝 Закрыть запись раньше
event-ask-registration = До какого момента принимать записи? Например: 24.12.2026 18:00 — часовой пояс: { $zone }.
event-registration-after-start = Запись должна закрыться до начала мероприятия.
event-registration-closed = Запись на это мероприятие закрыта.

# --- attendance, marked by the organiser after the start --------------------------------------
event-attendance-button = 🧾 Отметить, кто пришёл
event-attendance-title = 🧾 «{ $title }»: кто пришёл
event-attendance-count = Отмечено: { $present } из { $total }. Нажмите на имя, чтобы поставить или снять отметку.
event-attendance-nobody = На мероприятие никто не записывался.
event-attendance-done = ✅ Готово
event-attendance-too-early = Отмечать, кто пришёл, можно после начала мероприятия.
event-card-attended = Пришли: { $count }
events-finished-title = 🧾 <b>Ваши прошедшие за неделю</b> — откройте, чтобы отметить, кто пришёл:
event-attendance-ask = 🧾 «{ $title }» завершилось. Отметьте, кто пришёл: это войдёт в отчёт о работе сети.
