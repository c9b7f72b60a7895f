# The survey builder: /new_survey, the draft editor, adding questions, publishing
survey-build-ask-start = 📝 Новый анонимный опрос. Начните с чистого листа или с готового шаблона — его можно поправить перед публикацией.
survey-build-blank-button = 📄 Пустой опрос
survey-build-template-button = 📋 Шаблон: { $title }
survey-build-ask-title = Как назовётся опрос? От 3 до { $max } символов. /cancel — отменить.
survey-build-ask-intro = Напишите вступление: зачем этот опрос и как будут использованы ответы (до { $max } символов). Или нажмите «Пропустить».
survey-build-skip-button = Пропустить ▶
survey-build-editor = 📝 <b>{ $title }</b>
survey-build-editor-count = Вопросов: { $count }
survey-build-editor-empty = Вопросов пока нет — добавьте первый.
survey-build-question-line = { $number }. { $text }
    <i>{ $kind } · { $required ->
        [yes] обязательный
       *[no] необязательный
    }</i>
survey-build-kind-scale = шкала 1–{ $max }
survey-build-kind-single = один вариант
survey-build-kind-multiple = несколько вариантов
survey-build-kind-text = свободный ответ
survey-build-add-button = ➕ Добавить вопрос
survey-build-preview-button = 👁 Предпросмотр
survey-build-publish-button = 📣 Опубликовать
survey-build-back-button = ◀️ К опросу
survey-build-ask-kind = Какой вопрос добавить?
survey-build-kind-scale-button = 📊 Шкала
survey-build-kind-single-button = 🔘 Один вариант
survey-build-kind-multiple-button = ☑️ Несколько вариантов
survey-build-kind-text-button = ✍️ Свободный ответ
survey-build-ask-question = Напишите вопрос (от 3 до { $max } символов).
survey-build-ask-scale = Какая шкала оценок?
survey-build-scale-button = 1–{ $max }
survey-build-ask-labels = Подпишите концы шкалы через тире, например: плохо — отлично. Или нажмите «Пропустить».
survey-build-labels-invalid = Напишите две подписи через тире, например: плохо — отлично (каждая до { $max } символов).
survey-build-ask-options = Напишите варианты ответа, каждый с новой строки: от 2 до { $count }, каждый до { $max } символов.
survey-build-ask-other = Разрешить свой вариант ответа («Другое»)?
survey-build-other-yes = Да, разрешить
survey-build-other-no = Нет
survey-build-ask-limit = Какой длины может быть ответ? Напишите число от 10 до { $max } или нажмите кнопку.
survey-build-ask-required = Ответ на этот вопрос обязателен?
survey-build-required-yes = Да, обязателен
survey-build-required-no = Нет, можно пропустить
survey-build-question-view = Вопрос { $number } из { $count }:
    <b>{ $text }</b>
survey-build-view-kind = Вид: { $kind }
survey-build-view-labels = Подписи: 1 — { $low }, { $max } — { $high }
survey-build-view-options = Варианты ответа:
survey-build-view-other = Свой вариант («Другое»): { $allowed ->
        [yes] разрешён
       *[no] нет
    }
survey-build-view-limit = Ответ — до { $limit } символов
survey-build-view-required = { $required ->
        [yes] Обязательный вопрос
       *[no] Необязательный вопрос
    }
survey-build-edit-text-button = ✏️ Текст
survey-build-edit-options-button = ✏️ Варианты
survey-build-edit-scale-button = ✏️ Шкала
survey-build-edit-limit-button = ✏️ Длина ответа
survey-build-required-button = { $on ->
        [yes] ✅
       *[no] ▫️
    } Обязательный
survey-build-other-button = { $on ->
        [yes] ✅
       *[no] ▫️
    } Свой вариант
survey-build-up-button = ⬆️ Выше
survey-build-down-button = ⬇️ Ниже
survey-build-delete-button = 🗑 Удалить
survey-build-ask-delete = Удалить вопрос { $number } «{ $text }»?
survey-build-delete-yes = 🗑 Да, удалить
survey-build-delete-no = ◀️ Нет
survey-build-ask-new-text = Напишите новый текст вопроса (от 3 до { $max } символов).
survey-build-ask-audience = Кому отправить опрос? Отметьте сообщества или «Всем участникам» и нажмите «Далее».
survey-build-everyone = Всем участникам
survey-build-next-button = Далее ▶
survey-build-choose-audience = Отметьте хотя бы одно сообщество или «Всем участникам».
survey-build-ask-opens = Когда открыть опрос? Нажмите «Сейчас» или напишите дату и время, например 20.12.2026 10:00 (часовой пояс: { $zone }).
survey-build-now-button = ▶️ Сейчас
survey-build-ask-closes = Когда закрыть опрос? Напишите дату и время, например 20.12.2026 18:00, или выберите срок.
survey-build-days-button = Через { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }
survey-build-summary = 📣 Публикация опроса «{ $title }»
    Кому: { $audience }
    Получателей: { $count }
    Откроется: { $opens ->
        [now] сразу после публикации
       *[other] { $opens }
    }
    Закроется: { $closes }
    Минимальная группа: { $min } — итоги группы, где ответов меньше, не показываются никому.
    Напоминаний тем, кто не ответил: { $reminders }
survey-build-min-group-button = 👥 Мин. группа: { $min }
survey-build-reminders-button = ⏰ Напоминаний: { $count }
survey-build-confirm-button = ✅ Опубликовать ({ $count })
survey-build-min-group-too-big = ⚠️ Получателей ({ $count }) меньше минимальной группы ({ $min }): итоги не покажутся, даже если ответят все. Уменьшите минимальную группу или оставьте её, если так и задумано.
survey-build-min-group-lower-button = 👥 Уменьшить до { $min }
survey-build-confirm-anyway-button = ⚠️ Опубликовать ({ $count }) с мин. группой { $min }
survey-build-published = 📣 Опрос «{ $title }» открыт, приглашений: { $count }. Ход отправки — в этом сообщении.
survey-build-scheduled = 🕒 Опрос «{ $title }» откроется { $opens } и закроется { $closes }. Приглашения уйдут в момент открытия.
