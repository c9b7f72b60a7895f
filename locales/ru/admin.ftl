## Administration: staff, archive, groups, roles

admin-menu = ⚙️ <b>Управление: { $title }</b>
admin-menu-no-group = Группа Telegram не привязана.
admin-menu-group = Группа Telegram: { $group }
admin-menu-moderators-chat = Чат модераторов: { $chat }
admin-demote-button = Снять: { $name } ({ $role })
admin-add-moderator = ➕ Назначить модератора
admin-add-expert = ➕ Назначить эксперта
admin-link-group = 🔗 Привязать группу
admin-archive = 🗄 В архив
admin-ask-staff = Назначение на роль «{ $role }» в сообществе «{ $title }»: пришлите @имя пользователя или Telegram id. Человек должен быть зарегистрирован в боте. /cancel — отмена.
admin-user-not-found = Не нашёл зарегистрированного пользователя «{ $query }». Он должен открыть бота и дать согласие.
admin-user-not-registered = Этот человек ещё не зарегистрирован в боте.
admin-staff-added = ✅ { $name } — теперь { $role }.
admin-you-are-staff = Вас назначили: { $role } сообщества «{ $title }».
admin-demoted = { $name } теперь обычный участник.
admin-archive-ask = Перенести «{ $title }» в архив? Сообщество исчезнет из списка, вступить в него будет нельзя.
admin-archive-confirm = 🗄 Да, в архив
admin-archived = Сообщество «{ $title }» перенесено в архив.
admin-link-howto =
    Чтобы привязать группу к «{ $title }»:
    1. Добавьте бота в группу и назначьте его администратором.
    2. Отправьте в группе команду <code>/link { $id }</code>.
    Для чата модераторов, куда приходят материалы на проверку: <code>/link { $id } модераторы</code>.
    Привязать может администратор бота, который также администратор группы.
admin-group-already-linked = Эта группа уже привязана к сообществу «{ $title }».
admin-role-usage = Формат: /grant @пользователь роль или /revoke @пользователь роль. Роли: { $roles }.
admin-role-granted = ✅ { $name }: роль «{ $role }» назначена.
admin-role-revoked = { $name }: роль «{ $role }» снята.
admin-role-unchanged = { $name }: уже так, роль «{ $role }» не изменилась.
admin-cannot-revoke-self = Нельзя снять роль администратора с самого себя.

group-link-not-admin = Привязать группу может только администратор бота.
group-link-usage = Формат: /link номер-сообщества — привязать группу сообщества, или /link номер-сообщества модераторы — сделать этот чат чатом модераторов. Номер показан в разделе «Управление» карточки сообщества.
group-link-not-group-admin = Привязать группу может только её администратор.
group-link-bot-not-admin = Сначала назначьте бота администратором этой группы.
group-linked = ✅ Группа привязана к сообществу «{ $title }».
group-linked-moderators = ✅ Это теперь чат модераторов сообщества «{ $title }»: сюда будут приходить материалы на проверку.

# Taking a role away: asked first
admin-demote-ask-moderator = Снять роль модератора? { $name } станет обычным участником сообщества «{ $title }».
admin-demote-ask-expert = Снять роль эксперта? { $name } станет обычным участником сообщества «{ $title }».
admin-demote-confirm = ✅ Да, снять роль

# /link where the community already has a group
group-title = «{ $title }»
group-unavailable = (группа недоступна боту)
group-link-replace-ask = К сообществу «{ $title }» уже привязана группа { $current }. Привязать вместо неё эту группу?
group-link-replace-ask-moderators = У сообщества «{ $title }» уже есть чат модераторов { $current }. Сделать чатом модераторов этот?
group-link-replace-button = 🔁 Да, привязать эту
group-link-keep-button = Оставить прежнюю
group-link-kept = Ничего не изменилось: у сообщества «{ $title }» остаётся { $current }.
admin-last-moderator = «{ $title }» останется без модератора. Сначала назначьте другого модератора (можно себя), потом снимите роль.
admin-demote-last-moderator = { $name } — единственный модератор сообщества «{ $title }»: без модератора заявки и материалы некому проверять. Сначала назначьте другого модератора (можно себя), потом снимите роль.
