# Conduct cases: /report in groups, /appeal, their cards

report-usage = Чтобы пожаловаться, ответьте командой /report на сообщение в группе; можно добавить причину: /report оскорбление
report-group-accepted = Жалоба передана модераторам сообщества «{ $community }». Автор сообщения не узнает, кто пожаловался.
report-message-already-sent = Вы уже пожаловались на это сообщение.
report-own-message = На своё сообщение пожаловаться нельзя.
appeal-usage = Чтобы обжаловать санкцию, нажмите «Обжаловать» под уведомлением о ней или напишите /appeal и её номер из уведомления.
appeal-sent = Апелляция отправлена. Её рассмотрит другой модератор или администратор, ответ придёт сюда.
appeal-not-found = Санкция с таким номером не найдена среди ваших.
appeal-already-lifted = Эта санкция уже снята.
appeal-already-sent = Апелляция на эту санкцию уже подана.
appeal-text-length = Объясните, почему вы не согласны: от 10 до { $max } символов.
appeal-answer-lift = ✅ Апелляция удовлетворена: санкция № { $id } в сообществе «{ $community }» снята.
appeal-answer-hold = Апелляция рассмотрена: санкция № { $id } в сообществе «{ $community }» остаётся в силе.

case-header-flag = ⚠️ <b>Сообщение в группе: автоматическая отметка</b>
case-community = Сообщество: { $title }
case-author = Участник: { $name }
case-message = Сообщение: «{ $text }»
case-reports = Жалоб: { $count }
case-reporter = • { $name }: { $reason } (всего жалоб: { $made }, необоснованных: { $unfounded })
case-appeal-sanction = Санкция: { $kind } от { $date }, причина: { $reason } ({ $by })
case-appeal-text = Апелляция: «{ $text }»
case-button-del = 🗑 Удалить и предупредить
case-button-keep = 👌 Оставить
case-button-lift = ✅ Снять санкцию
case-button-hold = ⛔ Оставить в силе
case-button-hist = 📋 История участника
case-outcome-del = 🗑 Удалено, автор предупреждён: { $name }
case-outcome-keep = 👌 Оставлено: { $name }
case-outcome-lift = ✅ Санкция снята: { $name }
case-outcome-hold = ⛔ Санкция оставлена в силе: { $name }
case-reason-reported = жалоба участников, подтверждённая модератором
case-reason-appeal = апелляция удовлетворена

# /queue
queue-position-filtered = В очереди по фильтру: { $count }
queue-source-count = { $source }: { $count }
queue-community-count = { $title }: { $count }
queue-filter-all = Все: { $count }
queue-source-premoderation = премодерация
queue-source-edit = правки
queue-source-auto_flag = автоотметки
queue-source-report = жалобы
queue-source-appeal = апелляции
queue-claim = 🙋 Беру
queue-filter = 🔎 Фильтр
queue-claimed = 🙋 Взял(а): { $name }
queue-claimed-by = Это уже взял(а) { $name }.

appeal-button = ⚖️ Обжаловать
appeal-ask = Апелляция на санкцию № { $id } ({ $kind }, сообщество «{ $community }»). Объясните одним сообщением, почему вы не согласны: от 10 до { $max } символов.
appeal-confirm = Отправить апелляцию на санкцию № { $id }? Её рассмотрит другой модератор или администратор.

    «{ $text }»
appeal-send-button = ✅ Отправить
appeal-redo-button = ✏️ Написать заново
appeal-no-button = ✖ Отменить
appeal-cancelled = Апелляция не отправлена. Передумаете — кнопка «Обжаловать» под уведомлением о санкции по-прежнему работает.
