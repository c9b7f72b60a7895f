## Shared words, buttons, errors

language-name = 🇷🇺 Русский
button-back = ← Назад
button-cancel = Отмена
button-done = Готово
button-skip = Пропустить
pager = { $page } / { $pages }

menu-communities = 📚 Сообщества
menu-profile = 👤 Профиль
menu-help = ❓ Помощь
menu-updated = Меню обновлено.

deleted-member = удалённый участник
member-without-name = участник id{ $id }

use-buttons = Пожалуйста, выберите вариант кнопкой под сообщением или отправьте /cancel, чтобы выйти.
expect-text = Здесь нужен текст. Отправьте его сообщением или /cancel, чтобы выйти.
unknown-message = Не понял сообщение. Меню — внизу экрана, список команд — /help.
throttled = Слишком много сообщений подряд. Подождите несколько секунд — лишние сообщения я пропустил.

cancel-done = Отменено. Ничего не сохранено.
cancel-nothing = Отменять нечего.

role-admin = администратор
role-coordinator = координатор
role-methodist = методист

community-role-member = участник
community-role-expert = эксперт
community-role-moderator = модератор

decision-approve = ✅ Одобрить
decision-decline = ❌ Отклонить
decision-approved-by = ✅ Одобрено: { $name }
decision-declined-by = ❌ Отклонено: { $name }

outcome-active = одобрено
outcome-declined = отклонено
outcome-archived = в архиве
outcome-left = заявка отозвана
outcome-pending = ожидает решения
outcome-proposed = ожидает решения
outcome-unknown = решено

error-generic = Не получилось выполнить действие.
error-unexpected = Извините, что-то пошло не так. Мы уже знаем об ошибке — попробуйте ещё раз чуть позже.
error-permission-denied = ⛔ У вас нет прав на это действие.
error-not-found = Не нашёл: возможно, это уже удалено.
error-community-not-found = Сообщество не найдено или находится в архиве.
error-invalid-state = Это действие сейчас недоступно.
error-consent-required = Сначала нужно согласие на обработку персональных данных: /start
error-already-decided = Решение уже принято: { $outcome } ({ $decided_by }).
error-stale-button = Эта кнопка устарела. Откройте раздел заново.

command-start = Начало работы
command-communities = Сообщества
command-my = Мои сообщества
command-profile = Профиль
command-apply = Предложить новое сообщество
command-language = Язык / Language
command-privacy = Персональные данные
command-help = Что умеет бот
command-cancel = Отменить текущее действие
command-search = Найти материал
command-share = Поделиться материалом
command-my_materials = Мои материалы
command-queue = Очередь проверки
command-history = Нарушения участника: /history @имя
command-new_event = Новое мероприятие
command-new_survey = Новый опрос
command-new_deadline = Новый срок отчёта
command-applications = Заявки на новые сообщества
command-grant = Выдать роль: /grant @имя роль
command-revoke = Снять роль: /revoke @имя роль
command-rules = Правила модерации
command-rules_stats = Срабатывания правил
command-check_text = Проверить текст правилами

# The delivery outbox: a broadcast's progress, edited in place
delivery-progress = 📣 «{ $title }»: отправлено { $sent }, не доставлено { $failed }, заблокировали бота { $blocked }, отменено { $cancelled }, осталось { $remaining }.
delivery-unconfirmed = ⚠️ Неизвестно, дошли ли { $count }: бот перезапускался во время отправки, а Telegram не сообщает, доставлено ли сообщение.
delivery-resend-button = 🔁 Отправить ещё раз ({ $count }; кто-то может получить дважды)
delivery-resent = Отправляем ещё раз: { $count }.
delivery-held = ⏸ { $count } { $count ->
        [one] ждёт
       *[other] ждут
    } утра: тихие часы до { $until }.
delivery-held-forecast = 🌙 { $count } из { $total } — в тихих часах (ночь по их времени): им сообщение уйдёт утром, в { $until } по вашему времени.
command-group-report = Пожаловаться: ответом на сообщение
