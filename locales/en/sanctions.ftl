# Moderators' sanctions: /warn, /mute, /ban, /unban, /history

mod-usage-reply = Reply with /{ $command } to a member's message (you may add a reason).
mod-usage-private = Name the member: /{ $command } @name or Telegram id, then the reason. /mute also takes a duration: 30m, 2h or 3d.
mod-target-unknown = I don't know the member { $who }: they must have written to the bot or in a community group at least once.
mod-target-not-in-groups = { $name } hasn't written in the groups of your communities.
mod-target-staff = Moderators and admins can't be sanctioned this way.
mod-duration-invalid = The duration is not valid: use e.g. 30m, 2h or 3d (a minute to 30 days).
mod-no-reason = no reason given
mod-warned = ⚠️ { $name }: a warning ({ $count } of { $limit }). Reason: { $reason }
mod-muted = 🔇 { $name } can't post until { $until }. Reason: { $reason }
mod-banned = ⛔ { $name } was removed from the group. Reason: { $reason }
mod-lifted = ✅ The restrictions on { $name } in the community “{ $community }” are lifted.
mod-nothing-to-lift = { $name } has no restrictions in force in the community “{ $community }”.

history-title = 📋 { $name }: warnings — { $warnings }, mutes — { $mutes }, bans — { $bans }
history-line = • no. { $id }, { $date } — { $kind }{ $lifted }: { $reason } ({ $by })
history-empty = { $name } has no warnings and no restrictions.
history-lifted = { " " }(lifted)
history-by-auto = automatically
sanction-kind-warning = warning
sanction-kind-mute = mute
sanction-kind-ban = ban

lift-usage = Write: <code>/lift &lt;sanction number&gt; [reason]</code>. The number is in /history.
lift-not-found = Sanction no. { $id } was not found.
lift-done = Sanction no. { $id } is lifted.
lift-notice = Sanction no. { $id } in the community “{ $community }” is lifted.
ladder-usage = Write: <code>/ladder &lt;community number&gt;</code> to see it; <code>/ladder &lt;number&gt; &lt;setting&gt; &lt;value&gt;</code> to change it. Settings: { $names }.
ladder-out-of-range = { $name }: from { $low } to { $high }.
ladder-title = The sanctions ladder of the community “{ $community }”:

mod-warned-ladder-mute = 🔇 { $name }: warning number { $count } within { $days } days — can't post in the group for { $hours } h, until { $until }. Reason: { $reason }
mod-warned-ladder-ban = ⛔ { $name }: warning number { $count } within { $days } days after earlier mutes — removed from the group. Reason: { $reason }
history-start-bot = A member's record is sent to the moderator privately, and the bot can't write to you. Open @{ $bot }, press “Start” and repeat /history.
sanction-reason-flood = flooding
sanction-reason-auto = the conduct code
