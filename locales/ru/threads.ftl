# Forum-style threads

community-threads-button = 💬 Обсуждения
thread-list-title = 💬 Обсуждения сообщества «{ $community }»: { $count ->
    [one] { $count } тема
    [few] { $count } темы
   *[many] { $count } тем
}
thread-list-empty = 💬 В сообществе «{ $community }» пока нет обсуждений. Начните первое!
thread-list-empty-guest = 💬 В сообществе «{ $community }» пока нет обсуждений. Начать тему могут участники сообщества.
thread-list-item = { $marks }{ $title } ({ $replies })
thread-new-button = ➕ Новая тема
thread-title = 💬 <b>{ $title }</b>
thread-meta = Автор: { $author } · ответов: { $replies } · последний: { $last }
thread-closed-note = 🔒 Тема закрыта: { $reason }
thread-post-header = <b>{ $number }.</b> { $author }, { $when }
thread-post-quote = ↪️ <i>{ $author }: «{ $text }»</i>
thread-post-body = { $text }
thread-post-file = 📎 { $name }
thread-full-post = 💬 { $title } — { $author }
thread-post-edited = (изменено)
thread-back-button = ← К обсуждению
thread-list-back-button = ← К обсуждениям
thread-reply-button = ✍️ Ответить
thread-follow-button = 🔔 Следить
thread-unfollow-button = 🔕 Не следить
thread-followed = Буду сообщать о новых ответах в этой теме.
thread-unfollowed = Больше не сообщаю о новых ответах в этой теме.
thread-open-button = Открыть тему
thread-ask-title = Как назовём тему? Коротко, до 120 символов. /cancel — отменить.
thread-ask-opening = Первое сообщение темы: текст, файл, фото или видео (с подписью). /cancel — отменить.
thread-ask-reply = Ваш ответ в теме «{ $title }»: текст, файл, фото или видео. /cancel — отменить.
thread-ask-quote-reply = Ответ с цитатой в теме «{ $title }»: пришлите текст, файл, фото или видео. /cancel — отменить.
thread-title-length = Название темы — от 3 до { $max } символов.
thread-post-empty = Пришлите текст, файл, фото или видео — или /cancel.
thread-post-too-long = Сообщение длиннее { $max } символов: разделите его на несколько.
thread-closed = Тема закрыта: { $reason }
thread-not-found = Тема не найдена: возможно, её удалили.
thread-members-only = Писать в обсуждениях могут участники сообщества.
thread-notice-reply = 💬 Новый ответ в теме «{ $title }» — { $author }: { $text }
thread-notice-replies = 💬 Новые ответы в теме «{ $title }».
post-blocked = Сообщение не опубликовано: оно нарушает { $clauses }. Исправьте текст и отправьте снова.
post-held = Сообщение отправлено модераторам: оно появится в теме после проверки.
post-approved = ✅ Ваше сообщение в теме «{ $title }» опубликовано.
post-rejected = Ваше сообщение в теме «{ $title }» не опубликовано модератором.
case-header-post = 💬 <b>Сообщение в обсуждении на проверку</b>
case-thread = Тема: { $title }
case-post-button-keep = ✅ Опубликовать
case-post-button-del = ❌ Отклонить
case-post-button-hist = 📋 История участника
case-post-outcome-keep = ✅ Опубликовано: { $name }
case-post-outcome-del = ❌ Отклонено: { $name }
thread-pin-button = 📌 Закрепить
thread-unpin-button = 📌 Открепить
thread-close-button = 🔒 Закрыть тему
thread-reopen-button = 🔓 Открыть тему
thread-ask-close-reason = Почему тема закрывается? Причину увидят все.
post-edit-button = ✏️ Изменить
post-remove-button = 🗑 Удалить
post-ask-edit = Пришлите новый текст сообщения. /cancel — отменить.
post-ask-remove-reason = Почему сообщение удаляется? Автор увидит причину.
post-removed = Сообщение удалено.
post-removed-by-moderator = Модератор удалил ваше сообщение в теме «{ $title }»: { $reason }
post-edit-too-late = Изменить или удалить сообщение можно в течение { $minutes } мин. после публикации.
search-filter-threads-off = 💬 Обсуждения
search-filter-threads-on = 💬 Обсуждения ✓
search-thread-result = 💬 { $title } ({ $replies })
search-found-threads = 💬 «{ $query }» в обсуждениях: { $count ->
    [one] { $count } тема
    [few] { $count } темы
   *[many] { $count } тем
}
forum-post =
    💬 { $author }:
    { $text }
thread-move-button = ↪️ Перенести
thread-move-choose = Куда перенести тему «{ $title }»?
thread-moved = Тема перенесена в сообщество «{ $community }».
post-orphaned = Тема «{ $title }» удалена, поэтому ваш ответ, ждавший проверки, не будет опубликован. Ваш текст, чтобы он не пропал:
    { $text }
case-post-outcome-orphaned = 🗑 Тема удалена — ответ не будет опубликован, автору сообщили. Карточку закрыл(а): { $name }.
case-post-orphaned = Тема этого ответа удалена, поэтому опубликовать его нельзя. Карточка закрыта, автору сообщили.
