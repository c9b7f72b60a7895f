# Answering a survey and the owner's preview (handlers/survey_answer.py)
survey-answer-preview-note = 👁 Предпросмотр: так опрос увидят участники. Ответы нигде не сохраняются.
survey-answer-intro-title = 📝 <b>{ $title }</b>
survey-answer-intro-note = Вопросов: { $count }. Ответы анонимны: они сохраняются без вашего имени, и никто, даже администратор, не узнает, кто как ответил. Можно прерваться и продолжить позже с того же места.
survey-answer-begin-button = ▶️ Начать
survey-answer-progress = { $number } / { $total }
survey-answer-question = <b>{ $text }</b>
survey-answer-optional = (вопрос необязательный)
survey-answer-scale-hint = Оцените от 1 до { $max }.
survey-answer-scale-labels = 1 — { $low }, { $max } — { $high }
survey-answer-single-hint = Выберите один вариант.
survey-answer-multiple-hint = Отметьте все подходящие варианты и нажмите «Готово».
survey-answer-other-shown = Свой вариант: «{ $text }»
survey-answer-other-button = ✍️ Другое…
survey-answer-other-chosen-button = ✅ Другое: { $text }
survey-answer-other-ask = Напишите свой вариант одним сообщением (до { $max } символов).
survey-answer-done-button = ✔️ Готово
survey-answer-choose-one = Отметьте хотя бы один вариант.
survey-answer-text-hint = Напишите ответ одним сообщением (до { $max } символов).
survey-answer-text-shown = Ваш ответ: «{ $text }». Чтобы изменить его, отправьте новый.
survey-answer-keep-button = ➡️ Оставить ответ
survey-answer-back-button = ⬅️ Назад
survey-answer-skip-button = Пропустить ⏭
survey-answer-summary =
    Отвечено на { $answered } из { $total } { $total ->
        [one] вопроса
       *[other] вопросов
    }.
    Ответы анонимны: они сохранятся без вашего имени. После отправки изменить их будет нельзя.
survey-answer-submit-button = ✅ Отправить
survey-answer-thanks = 🙏 Спасибо! Ваши ответы на опрос «{ $title }» приняты анонимно.
survey-answer-preview-end = 👁 Это был предпросмотр: ответы никуда не сохранены.
survey-answer-too-long = Слишком длинный ответ: символов — { $length }, а можно не больше { $max }. Сократите его и отправьте ещё раз.
survey-answer-need-text = Здесь нужен ответ текстом — напишите его сообщением.
survey-answer-use-buttons = ☝️ На этот вопрос отвечают кнопками под ним.
survey-answer-use-submit = ☝️ Нажмите «✅ Отправить» под сводкой или вернитесь назад.
survey-answer-hidden = [скрыто]
