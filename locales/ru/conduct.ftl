# The conduct code (seed 003 §7.2, §6; 152-ФЗ)

conduct-clause = { $clause } ({ $category })
conduct-category-politics = политическая пропаганда
conduct-category-religion = религиозная пропаганда
conduct-category-violence = пропаганда насилия
conduct-category-racism = расизм и национализм
conduct-category-hatred = разжигание межнациональной и межконфессиональной розни
conduct-category-insult = оскорбление участников
conduct-category-obscene = нецензурная брань
conduct-category-spam = спам и реклама
conduct-category-links = ссылки на неизвестные сайты
conduct-category-pupil_data = персональные данные учеников
conduct-category-learned = похоже на отклонённые ранее публикации
conduct-model-hit = 🤖 Оценка модели: { $category }, уверенность { $score }%. Решение за модератором.
review-hit-model = • 🤖 { $title }: «{ $fragment }» ({ $clause }) — так считает модель, уверенность { $score }%
review-hit-learned = • Обученный фильтр сообщества: похоже на отклонённые ранее ({ $score }%)

# In linked groups
group-deleted-warning = { $name }, сообщение удалено: оно нарушает { $clauses }. Предупреждение { $count } из { $limit }.
group-deleted-muted = { $name }, сообщение удалено: оно нарушает { $clauses }. Это { $count }-е предупреждение — запись в группе закрыта до { $until }.
group-deleted-banned = { $name } исключён(а) из группы за повторные нарушения ({ $clauses }).
group-newcomer-link = { $name }, новые участники могут публиковать ссылки после { $count } сообщений. Сообщение удалено.
group-flood-slow-down = { $name }, пожалуйста, не так часто: слишком много сообщений подряд.
group-flood-muted = { $name }, запись в группе закрыта до { $until } за флуд.
sanction-notice-warning = Предупреждение № { $id } в сообществе «{ $community }»: { $clauses }. Не согласны — нажмите «Обжаловать».
sanction-notice-mute = Запись в группе сообщества «{ $community }» закрыта до { $until }: { $clauses }. Санкция № { $id }; не согласны — нажмите «Обжаловать».
sanction-notice-ban = Вы исключены из группы сообщества «{ $community }»: { $clauses }. Санкция № { $id }; не согласны — нажмите «Обжаловать».

# Admins: /check_text
check-text-usage = Пришлите текст после команды: <code>/check_text &lt;текст&gt;</code> — я покажу, что найдут правила (версия { $version }).
check-text-clean = Правила (версия { $version }) ничего не нашли: текст будет опубликован.
check-text-verdict = Правила (версия { $version }): { $action }
check-text-hit = • { $rule } — { $category }: «{ $fragment }» ({ $clause }), позиция { $start }
check-text-model-hit = • 🤖 модель — { $category }: «{ $fragment }» ({ $clause }), уверенность { $score }%, позиция { $start }
check-text-dry-run = • [пробный режим] { $rule } — { $category }: «{ $fragment }»
conduct-action-allow = опубликовать
conduct-action-flag = опубликовать и показать модераторам
conduct-action-hold = отправить на премодерацию
conduct-action-block = отказать в публикации

# Admins: /rules, /rules_stats
rules-title = 📜 Кодекс поведения, версия { $version }:
rules-line = • <b>{ $rule }</b> — { $category }: { $action }{ $dry } (записей: { $entries })
rules-dry-run-mark = , пробный режим
rules-card-details = Пункт: { $clause } · тяжесть: { $severity }
rules-card-words = Слова: { $words }
rules-model-line = • <b>🤖 модель</b>: { $state }
rules-model-button = 🤖 Модель
rules-model-state-on = включена
rules-model-state-off = выключена
rules-model-state-dry = пробный режим (только в журнал)
rules-model-state-absent = не подключена в этой версии правил
rules-model-card = 🤖 <b>Модель</b> — обученный классификатор рядом с правилами: замечает пересказанные оскорбления, призывы и агитацию, которых нет в словах правил. Сама она ничего не блокирует: текст, который она сочла нарушением, уходит модератору с её оценкой.
    Состояние: { $state }
    Задерживает текст, если уверена не меньше чем:
    { $thresholds }
rules-model-threshold = • { $category } — { $score }%
rules-model-on = ✅ Включить модель
rules-model-off = ⛔ Выключить модель
rules-model-attach = ➕ Подключить модель (настройки из поставки)
rules-set-action = Действие: { $action }
rules-dry-run-on = 🧪 Включить пробный режим
rules-dry-run-off = ✅ Выключить пробный режим
rules-add-word = ➕ Добавить слово
rules-remove-word = ➖ Убрать слово
rules-ask-add = Какое слово добавить в правило { $rule }? Все его формы будут находиться; «слово*» — всё, что так начинается. /cancel — отменить.
rules-ask-del = Какое слово убрать из правила { $rule }? Напишите его как в списке. /cancel — отменить.
rules-word-length = Слово или фраза — от 2 до { $max } символов.
rules-edit-refused = Правило не изменено: { $error }
rules-saved = ✅ Сохранено: версия { $version } действует.
rules-stats-usage = Напишите: /rules_stats [дней], от 1 до 365 (по умолчанию 7).
rules-stats-empty = За { $days } дн. правила ничего не нашли.
rules-stats-title = Срабатывания правил за { $days } дн.:
rules-stats-line = • { $rule }: { $hits }
rules-stats-dry-line = • { $rule } (пробный режим): { $hits }

# Times in sanctions, named by their zone
time-zone-msk = МСК
time-zone-msk-offset = МСК{ $offset }
