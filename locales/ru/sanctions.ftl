# Moderators' sanctions: /warn, /mute, /ban, /unban, /history

mod-usage-reply = Ответьте командой /{ $command } на сообщение участника (можно добавить причину).
mod-usage-private = Укажите участника: /{ $command } @имя или Telegram id, затем причину. Для /mute можно указать срок: 30m, 2h или 3d.
mod-target-unknown = Не знаю участника { $who }: он должен хотя бы раз написать боту или в группе сообщества.
mod-target-not-in-groups = { $name } не писал(а) в группах ваших сообществ.
mod-target-staff = Модераторов и администраторов так ограничить нельзя.
mod-duration-invalid = Срок указан неверно: используйте, например, 30m, 2h или 3d (от минуты до 30 дней).
mod-no-reason = без указания причины
mod-warned = ⚠️ { $name }: предупреждение ({ $count } из { $limit }). Причина: { $reason }
mod-muted = 🔇 { $name }: запись закрыта до { $until }. Причина: { $reason }
mod-banned = ⛔ { $name } исключён(а) из группы. Причина: { $reason }
mod-lifted = ✅ { $name }: ограничения в сообществе «{ $community }» сняты.
mod-nothing-to-lift = { $name }: в сообществе «{ $community }» нет действующих ограничений.

history-title = 📋 { $name }: предупреждений — { $warnings }, ограничений записи — { $mutes }, исключений — { $bans }
history-line = • № { $id }, { $date } — { $kind }{ $lifted }: { $reason } ({ $by })
history-empty = { $name }: нет ни предупреждений, ни ограничений.
history-lifted = { " " }(снято)
history-by-auto = автоматически
sanction-kind-warning = предупреждение
sanction-kind-mute = ограничение записи
sanction-kind-ban = исключение

lift-usage = Напишите: <code>/lift &lt;номер санкции&gt; [причина]</code>. Номер есть в /history.
lift-not-found = Санкция № { $id } не найдена.
lift-done = Санкция № { $id } снята.
lift-notice = Санкция № { $id } в сообществе «{ $community }» снята.
ladder-usage = Напишите: <code>/ladder &lt;номер сообщества&gt;</code> — посмотреть; <code>/ladder &lt;номер&gt; &lt;параметр&gt; &lt;значение&gt;</code> — изменить. Параметры: { $names }.
ladder-out-of-range = { $name }: допустимо от { $low } до { $high }.
ladder-title = Лестница санкций сообщества «{ $community }»:

mod-warned-ladder-mute = 🔇 { $name }: { $count }-е предупреждение за { $days } дн. — запись в группе закрыта на { $hours } ч, до { $until }. Причина: { $reason }
mod-warned-ladder-ban = ⛔ { $name }: { $count }-е предупреждение за { $days } дн. после ограничений записи — исключён(а) из группы. Причина: { $reason }
history-start-bot = История участника приходит модератору лично, а бот не может вам написать. Откройте @{ $bot }, нажмите «Начать» и повторите /history.
sanction-reason-flood = флуд
sanction-reason-auto = кодекс поведения
