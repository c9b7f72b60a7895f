## Communities: list, card, joining

community-list-title = <b>Сообщества сети</b> — { $count } { $count ->
    [one] сообщество
    [few] сообщества
   *[many] сообществ
}. Выберите, чтобы посмотреть описание и вступить.
community-list-empty = Пока нет ни одного сообщества. Предложите своё — кнопка ниже.
community-list-item = { $title } · { $members } 👥
community-mine-button = ⭐ Мои
community-apply-button = ➕ Предложить
community-all-button = 📚 Все сообщества
community-mine-title = <b>Мои сообщества</b> ({ $count })
community-mine-empty = Вы пока не состоите ни в одном сообществе.
community-mine-item = { $title } { $status }

community-card-title = <b>{ $title }</b>
community-card-area = 📌 { $area }
community-card-description = { $text }
community-card-members = 👥 { $count } { $count ->
    [one] участник
    [few] участника
   *[many] участников
}
community-card-moderators = Модераторы: { $names }
community-card-experts = Эксперты: { $names }
community-policy-open = 🔓 Вступление свободное
community-policy-request = 🔐 Вступление по заявке, её рассматривает модератор
community-policy-open-button = 🔓 Свободное вступление
community-policy-request-button = 🔐 По заявке, с одобрением модератора
community-you-member = ✅ Вы участник
community-you-expert = ✅ Вы эксперт сообщества
community-you-moderator = ✅ Вы модератор сообщества
community-you-pending = ⏳ Ваша заявка на рассмотрении
community-you-member-short = ✅
community-you-expert-short = ✅ эксперт
community-you-moderator-short = ✅ модератор
community-you-pending-short = ⏳ заявка

community-join-button = ✅ Вступить
community-request-button = 📨 Подать заявку
community-leave-button = Выйти из сообщества
community-cancel-request-button = Отозвать заявку
community-manage-button = ⚙️ Управление
community-joined = Вы вступили в сообщество «{ $title }».
community-request-sent = Заявка в «{ $title }» отправлена модераторам. Сообщу, когда её рассмотрят.
community-left = Вы вышли из сообщества «{ $title }».
community-already-member = Вы уже участник этого сообщества.
community-request-already-sent = Заявка уже отправлена и ждёт решения модератора.
community-not-member = Вы не состоите в этом сообществе.
community-profile-needed = Сначала заполните профиль (ФИО и организацию): /profile

join-request-notice =
    📨 <b>Заявка на вступление</b>
    { $name } ({ $organisation }) просит принять в сообщество «{ $title }».
join-request-approved = ✅ Ваша заявка в сообщество «{ $title }» одобрена. Добро пожаловать!
join-request-declined = Ваша заявка в сообщество «{ $title }» отклонена модератором.

# Subscriptions to new materials
community-subscribe-button = 🔔 Сообщать о новых материалах
community-unsubscribe-button = 🔕 Не сообщать о новых материалах
community-subscribed = Буду сообщать о новых материалах сообщества «{ $title }».
community-unsubscribed = Больше не сообщаю о новых материалах сообщества «{ $title }».
community-members-only = Это доступно участникам сообщества.
community-last-moderator = Вы — единственный модератор сообщества «{ $title }»: сначала администратор должен назначить другого модератора.
community-last-moderator-leave = Вы — единственный модератор сообщества «{ $title }», поэтому выйти из него пока нельзя: без модератора заявки на вступление и новые материалы некому проверять. Попросите администратора сначала назначить другого модератора — администраторам мы уже сообщили.
admin-notice-last-moderator = ⚠️ { $name } хочет выйти из сообщества «{ $title }», но других модераторов в нём нет. Назначьте другого модератора: /communities → «{ $title }» → ⚙️ Управление.
admin-notice-moderator-deleted = ⚠️ В сообществе «{ $title }» не осталось модераторов: { $name } удалил(а) свой аккаунт. Заявки и материалы ждут проверки — назначьте модератора: /communities → «{ $title }» → ⚙️ Управление.
