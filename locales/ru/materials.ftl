## Materials: sharing, cards, search, the review queue

menu-search = 🔎 Найти материал
menu-share = 📤 Поделиться

kind-methodical_development = 📘 Методическая разработка
kind-recommendations = 📗 Методические рекомендации
kind-lesson_plan = 📝 План (конспект) урока
kind-video = 🎬 Видео урока или занятия
kind-project = 🧩 Проект
kind-assessment = 📊 КИМ (оценочные материалы)
kind-evaluation_sheet = 📋 Оценочный лист
kind-presentation = 🖥 Презентация
kind-work_programme = 📚 Рабочая программа
kind-other = 📎 Другое
kind-methodical_development-short = разработка
kind-recommendations-short = рекомендации
kind-lesson_plan-short = урок
kind-video-short = видео
kind-project-short = проект
kind-assessment-short = КИМ
kind-evaluation_sheet-short = оценочный лист
kind-presentation-short = презентация
kind-work_programme-short = программа
kind-other-short = другое

grade-short = { $grade ->
    [0] д/с
   *[other] { $grade } кл.
}
grades-any = любые

share-ask-content = Пришлите материал: файл (документ, фото, видео), ссылку или текст. Размер файла — до 50 МБ.
share-ask-title = Название материала (от 3 до 200 символов):
share-use-file-name = Взять имя файла: { $name }
share-ask-description = Коротко опишите материал: для кого, чем полезен (можно пропустить).
share-ask-community = В какое сообщество опубликовать?
share-ask-kind = Вид материала:
share-ask-grades = Для каких классов? Отметьте и нажмите «Готово» (можно не отмечать).
share-ask-tags = Теги через запятую, например: дроби, ОГЭ, функциональная грамотность (можно пропустить).
share-preview = Проверьте карточку материала:
share-submit = 📨 Отправить
share-leave = Отложить
share-discard = 🗑 Удалить черновик
share-left = Черновик сохранён: /share продолжит его.
share-discarded = Черновик удалён.
share-draft-found = У вас есть незаконченный черновик «{ $title }».
share-untitled = без названия
share-resume = ▶️ Продолжить
share-restart = Начать заново
share-no-community = Сначала вступите в сообщество — публикации идут в сообщества. Черновик сохранён: /communities
share-unsupported-content = Такое сообщение не подходит. Пришлите файл, фото, видео, ссылку или текст.
share-text-too-short = Текст слишком короткий для материала — нужно хотя бы 20 символов. Или пришлите файл либо ссылку.
share-text-too-long = Текст длиннее { $max } символов (сейчас { $length }). Пришлите его файлом.
share-title-invalid = Название — от 3 до { $max } символов (сейчас { $length }).
share-description-too-long = Описание — до { $max } символов (сейчас { $length }).
share-tags-invalid = Не нашёл тегов. Напишите их через запятую или нажмите «Пропустить».
share-published = ✅ Материал «{ $title }» опубликован.
share-queued = 📨 Материал «{ $title }» отправлен модераторам. Я сообщу о решении.
share-step = Шаг { $step } из { $steps }.
share-editing = ✏️ Исправление: ответ вернёт вас к карточке.
share-back-to-preview = ↩️ К карточке
share-clear = 🧹 Убрать
share-edit-title = ✏️ Название
share-edit-description = ✏️ Описание
share-edit-community = ✏️ Сообщество
share-edit-kind = ✏️ Вид
share-edit-grades = ✏️ Классы
share-edit-tags = ✏️ Теги
share-edit-content = { $type ->
    [link] ✏️ Ссылка
    [text] ✏️ Текст
   *[other] ✏️ Файл
}
share-changes-reason = ✏️ Модератор просит доработать: { $reason }
share-cancelled-empty = Отменено. Ничего не сохранено.
share-title-no-letters = В названии нужна хотя бы одна буква или цифра — по нему материал будут искать.
share-blocked = { $field ->
    [title] В названии
    [description] В описании
   *[tags] В тегах
} — нарушение кодекса: { $clauses }. С таким текстом материал не опубликовать, напишите иначе.
share-blocked-content = В материале — нарушение кодекса: { $clauses }. С таким текстом его не опубликовать: пришлите другой файл, ссылку или текст.

material-card-title = <b>{ $title }</b>
material-card-community = Сообщество: { $title }
material-card-grades = Классы: { $grades }
material-card-description = { $text }
material-card-link = 🔗 { $url }
material-card-file-document = 📄 { $name } ({ $size })
material-card-file-photo = 🖼 Изображение
material-card-file-video = 🎬 Видео { $name } ({ $size })
file-size-bytes = { $size } Б
file-size-kilobytes = { NUMBER($size, maximumFractionDigits: 0) } КБ
file-size-megabytes = { NUMBER($size, maximumFractionDigits: 1) } МБ
file-size-gigabytes = { NUMBER($size, maximumFractionDigits: 1) } ГБ
material-card-author = Автор: { $name }, { $organisation }
material-card-counters = 👁 { $views } · ⬇ { $downloads } · 👍 { $useful } · 👎 { $not_useful }
material-download = ⬇ Скачать
material-download-caption = { $title }
material-useful = 👍 Полезно ({ $count })
material-not-useful = 👎 ({ $count })
material-rated = Спасибо за оценку!
material-rate-own = Свой материал оценивать нельзя.
material-edit = ✏️ Изменить
material-withdraw = 🗄 Снять с публикации
material-withdrawn = Материал «{ $title }» снят.
material-edit-resubmit = ✏️ Исправить и отправить снова
material-open-in-bot = Открыть в боте
material-new-for-subscriber = 🆕 Новый материал в сообществе «{ $community }»
material-new-in-community = 🆕 Новый материал
material-blocked = Материал нельзя опубликовать: он нарушает { $clauses }. Исправьте текст и отправьте снова.
material-incomplete = В черновике не хватает названия, сообщества или вида материала.
material-not-withdrawable = Этот материал нельзя снять.
material-not-editable = Этот материал сейчас нельзя изменить.
material-draft-in-progress = Сначала закончите или удалите текущий черновик: /share
error-material-not-found = Материал не найден или снят с публикации.

material-author-approve = ✅ Ваш материал «{ $title }» одобрен и опубликован.
material-author-reject = Ваш материал «{ $title }» отклонён. Причина: { $reason }
material-author-changes = ✏️ Модератор просит доработать материал «{ $title }»: { $reason }

search-ask = Что ищем? Напишите тему, предмет или ключевые слова, например: «дроби 5 класс».
search-found = 🔎 «{ $query }»: { $count ->
    [one] { $count } материал
    [few] { $count } материала
   *[many] { $count } материалов
}
search-latest = 🆕 Новые материалы
search-nothing = По запросу «{ $query }» ничего не нашлось. Попробуйте другие слова.
search-nothing-typed = По запросу «{ $query }» материалов не нашлось. Попробуйте другие слова. Если вы не искали материал — меню внизу экрана, список команд — /help.
search-result = { $number }. <b>{ $title }</b>
search-thread-details = 💬 { $community } · { $replies ->
    [one] { $replies } ответ
    [few] { $replies } ответа
   *[many] { $replies } ответов
}
search-back = ← К результатам
search-back-mine = ← Мои материалы
search-in-threads = 💬 Искать в обсуждениях
search-in-materials = 📄 Искать в материалах

mine-empty = Вы ещё ничего не опубликовали. Поделиться материалом — /share
mine-title = <b>Мои материалы</b>: { $count }, опубликовано { $published }, скачиваний { $downloads }

review-source-premoderation = 📨 <b>Материал на проверку</b>
review-source-auto_flag = ⚠️ <b>Материал на проверку: автоматическая отметка</b>
review-source-report = 🚩 <b>Жалоба участника</b>
review-source-edit = ✏️ <b>Изменённый материал на проверку</b>
review-source-appeal = ⚖️ Обжалование санкции
review-hits = Найдено проверкой по кодексу:
review-hit = • { $title }: «{ $fragment }» ({ $clause })
review-approve = ✅ Одобрить
review-reject = ❌ Отклонить
review-changes = ✏️ На доработку
review-next = Следующий ▶
reason-offtopic = Не по теме сообщества
reason-copyright = Нарушение авторских прав
reason-quality = Неполный или низкого качества
reason-duplicate = Уже опубликован
reason-conduct = Нарушение кодекса сообщества
reason-own = ✍️ Своя причина
review-type-reason = Напишите причину одним сообщением (до 500 символов):
review-reason-invalid = Причина — от 3 до { $max } символов.
review-reason-saved = Решение сохранено.
review-outcome-approved = ✅ Одобрено: { $name }
review-outcome-rejected = ❌ Отклонено: { $name }. Причина: { $reason }
review-outcome-changes = ✏️ На доработку: { $name }. Причина: { $reason }
review-outcome-cancelled = Снято автором.
review-outcome-open = Ожидает решения.
review-already-closed = По этому материалу решение уже принято.
outcome-review-approved = одобрено
outcome-review-rejected = отклонено
outcome-review-changes = отправлено на доработку
outcome-review-cancelled = снято автором
queue-empty = Очередь пуста — всё проверено. 👍
queue-position = В очереди: { $count }
mine-item = { $status } { $title } · ⬇{ $downloads } 👍{ $useful }
review-reminder = ⏰ <b>Ждёт решения больше суток</b>
review-fix = 🛠 Исправить карточку
review-fix-title = Название
review-fix-kind = Вид
review-fix-grades = Классы
review-fix-tags = Теги
review-fix-ask-title = Напишите исправленное название:
review-fix-ask-tags = Напишите теги через запятую:
review-fixed = ✅ Карточка исправлена.
review-open-file = 📄 Открыть файл
review-open-link = 🔗 Открыть ссылку
review-open-text = 📄 Весь текст
review-open-material = 📖 Открыть материал
review-next-in-queue = ▶ Следующий в очереди
review-cancel-typing = ✖ Отмена
review-typing-cancelled = Отменено: ничего не записано, карточка ждёт решения.
review-file-caption = 📄 { $title }
review-file-sent-privately = 📄 Файл отправлен вам в личные сообщения с ботом.
review-start-bot-first = Не могу написать вам в личные сообщения: откройте бота @{ $bot }, нажмите «Начать» и повторите.
material-card-expert-recommended = 🎓 Рекомендовано экспертом
material-card-expert-needs_work = 🎓 Эксперт советует доработать
expertise-request-button = 🎓 Запросить экспертизу
expertise-request = 🎓 <b>Запрос экспертизы</b>. Автор: { $name }
expertise-recommend = 👍 Рекомендовать
expertise-needs-work = ✏️ Нужна доработка
expertise-ask-comment = Короткий комментарий для автора (до 500 символов) — или без комментария:
expertise-no-comment = Без комментария
expertise-comment-invalid = Комментарий — до { $max } символов.
expertise-saved = ✅ Экспертиза материала «{ $title }» сохранена.
expertise-requested = 🎓 Запрос экспертизы «{ $title }» отправлен: { $names }.
expertise-requested-nobody = 🎓 Запрос экспертизы «{ $title }» сохранён, но ни один эксперт сообщества его пока не получил.
expertise-unreached = ⚠️ Не дошло: { $names } — эксперт ещё не открывал(а) бота или остановил(а) его. Перешлите эксперту ссылку на запрос: { $link }
expertise-forward-link = 📨 Переслать ссылку эксперту
expertise-forward-text = Запрос экспертизы материала «{ $title }»
expertise-back-to-material = ← К материалу
expertise-your-verdict = ✅ Экспертиза проведена: { $verdict }
expertise-already-requested = Экспертиза уже запрошена, ждём ответа эксперта.
expertise-no-experts = В этом сообществе пока нет экспертов.
expertise-own-material = Нельзя проводить экспертизу своего материала.
expertise-author-recommended = 🎓 Эксперт { $name } рекомендует ваш материал «{ $title }». Комментарий: { $comment }
expertise-author-needs_work = 🎓 Эксперт { $name } советует доработать «{ $title }». Комментарий: { $comment }
outcome-expert-recommended = рекомендовано
outcome-expert-needs_work = нужна доработка
search-filter-community = Сообщество: { $value }
search-filter-kind = Вид: { $value }
search-filter-grade = Класс: { $value }
search-filter-all = все
search-filter-grade-value = { $grade ->
    [0] д/с
   *[other] { $grade }
}
search-filter-choose-c = Материалы какого сообщества показать?
search-filter-choose-k = Какой вид материалов показать?
search-filter-choose-g = Для какого класса?
search-filter-any-c = Все сообщества
search-filter-any-k = Все виды
search-filter-any-g = Все классы
material-report = 🚩 Пожаловаться
report-choose-reason = Что не так с материалом «{ $title }»? Модераторы увидят причину, автор не узнает, кто пожаловался.
report-sent = Жалоба отправлена модераторам. Спасибо!
report-own-material = На свой материал пожаловаться нельзя.
report-already-sent = Вы уже пожаловались на этот материал.
review-report-reasons = Жалоб: { $count }. Причины: { $reasons }
material-author-removed = Ваш материал «{ $title }» снят модератором после жалобы. Причина: { $reason }
