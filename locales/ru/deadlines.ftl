# Report deadlines (seed 004 §5.4)
command-deadlines = Сроки отчётов (координаторам)
deadlines-title = 🗓 Сроки сдачи отчётов: { $count }
deadlines-none = Предстоящих сроков сдачи отчётов нет. Назначить срок: /new_deadline
deadlines-item = { $date } · { $title }
deadlines-back-button = « К списку сроков
deadline-card-title = 🗓 <b>{ $title }</b>
deadline-card-date = Срок: { $date } ({ $left })
deadline-card-offsets = Напоминания: { $offsets }
deadline-card-submitted = Сдали: { $done } из { $total }
deadline-card-pending = Ещё не сдали: { $names }
deadline-card-pending-more = …и ещё { $count }
deadline-card-you-submitted = ✅ Вы отметили отчёт как сданный.
deadline-card-cancelled = 🚫 Срок отменён.
deadline-days-left = { $days ->
    [0] сегодня
    [one] остался { $days } день
    [few] осталось { $days } дня
   *[many] осталось { $days } дней
}
deadline-overdue = срок прошёл
deadline-offset-day-of = в день срока
deadline-offset-days = { $days ->
    [one] за { $days } день
    [few] за { $days } дня
   *[many] за { $days } дней
}
deadline-submit-button = ✅ Отметить как сданный
deadline-marked = ✅ Отчёт отмечен как сданный. Больше напоминаний не будет.
deadline-cancel-button = 🚫 Отменить срок
deadline-cancel-ask = Отменить срок «{ $title }»? Координаторы больше не получат напоминаний.
deadline-cancel-confirm-button = Да, отменить
deadline-cancel-keep-button = Нет, оставить
deadline-cancelled-done = Срок отменён, напоминания остановлены.
deadline-reminder = ⏰ Срок сдачи отчёта «{ $title }» — { $date } ({ $left }).
    Если отчёт уже сдан, нажмите «Отметить как сданный», и напоминания прекратятся.
deadline-not-found = Срок не найден.
deadline-cancelled = Этот срок отменён.
deadline-ask-title = Что за отчёт? Напишите название (от 3 до 150 символов). /cancel — отменить.
deadline-title-length = Название — от { $min } до { $max } символов.
deadline-ask-date = К какой дате сдать отчёт? Напишите дату, например 13.12.2026 или 13.12.
deadline-date-format = Не понял дату: напишите её, например, 13.12.2026 или 13.12.
deadline-date-invalid = Такой даты нет в календаре.
deadline-date-past = Эта дата уже прошла: срок не может быть в прошлом.
deadline-ask-offsets = За сколько дней до срока напоминать? Напишите числа через пробел, например «30 7 1» (0 — в сам день срока), или нажмите кнопку.
deadline-offsets-default-button = За 14, 7 и 1 день до срока
deadline-offsets-invalid = Напишите от 1 до { $count } чисел через пробел, каждое от 0 до { $max }, например «30 7 1».
deadline-preview = Проверьте перед сохранением:
deadline-preview-audience = Напоминания получат координаторы: { $count }
deadline-save-button = 💾 Сохранить
deadline-saved = ✅ Срок «{ $title }» ({ $date }) сохранён. Напоминания получат координаторы: { $count }.
deadline-card-done = Уже сдали: { $names }
deadline-unsubmit-button = ↩️ Отменить отметку
deadline-unmarked = ↩️ Отметка снята. Напоминания возобновятся: следующее — { $date }.
deadline-unmarked-no-more = ↩️ Отметка снята. До срока напоминаний больше не запланировано.
deadline-not-marked = Отчёт и так не отмечен как сданный.
