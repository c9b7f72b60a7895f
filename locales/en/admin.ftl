## Administration: staff, archive, groups, roles

admin-menu = ⚙️ <b>Manage: { $title }</b>
admin-menu-no-group = No Telegram group is linked.
admin-menu-group = Telegram group: { $group }
admin-menu-moderators-chat = Moderators' chat: { $chat }
admin-demote-button = Remove: { $name } ({ $role })
admin-add-moderator = ➕ Add a moderator
admin-add-expert = ➕ Add an expert
admin-link-group = 🔗 Link a group
admin-archive = 🗄 Archive
admin-ask-staff = Who should become { $role } of “{ $title }”? Send their @username or Telegram id. The person must be registered in the bot. /cancel to cancel.
admin-user-not-found = I couldn't find a registered user “{ $query }”. They need to open the bot and give consent.
admin-user-not-registered = This person hasn't registered in the bot yet.
admin-staff-added = ✅ { $name } is now { $role }.
admin-you-are-staff = You have been made { $role } of the community “{ $title }”.
admin-demoted = { $name } is now a regular member.
admin-archive-ask = Archive “{ $title }”? The community will disappear from the list and no one will be able to join it.
admin-archive-confirm = 🗄 Yes, archive it
admin-archived = The community “{ $title }” has been archived.
admin-link-howto =
    To link a group to “{ $title }”:
    1. Add the bot to the group and make it an administrator.
    2. Send the command <code>/link { $id }</code> in the group.
    For the moderators' chat, where materials wait for review: <code>/link { $id } moderators</code>.
    The group can be linked by a bot administrator who is also an administrator of the group.
admin-group-already-linked = This group is already linked to the community “{ $title }”.
admin-role-usage = Format: /grant @user role or /revoke @user role. Roles: { $roles }.
admin-role-granted = ✅ { $name }: role “{ $role }” granted.
admin-role-revoked = { $name }: role “{ $role }” revoked.
admin-role-unchanged = { $name } is already set up that way: role “{ $role }” unchanged.
admin-cannot-revoke-self = You can't remove the administrator role from yourself.

group-link-not-admin = Only a bot administrator can link a group.
group-link-usage = Format: /link community-number to link the community's group, or /link community-number moderators to make this chat the moderators' chat. The number is shown in the “Manage” section of the community card.
group-link-not-group-admin = Only an administrator of this group can link it.
group-link-bot-not-admin = First make the bot an administrator of this group.
group-linked = ✅ The group is now linked to the community “{ $title }”.
group-linked-moderators = ✅ This is now the moderators' chat of “{ $title }”: materials waiting for review will be posted here.

# Taking a role away: asked first
admin-demote-ask-moderator = Remove the moderator role? { $name } will become an ordinary member of “{ $title }”.
admin-demote-ask-expert = Remove the expert role? { $name } will become an ordinary member of “{ $title }”.
admin-demote-confirm = ✅ Yes, remove the role

# /link where the community already has a group
group-title = “{ $title }”
group-unavailable = (a group the bot can't see)
group-link-replace-ask = The community “{ $title }” already has the group { $current }. Link this group instead?
group-link-replace-ask-moderators = The community “{ $title }” already has the moderators' chat { $current }. Make this one its moderators' chat instead?
group-link-replace-button = 🔁 Yes, link this one
group-link-keep-button = Keep the current one
group-link-kept = Nothing changed: “{ $title }” keeps { $current }.
admin-last-moderator = “{ $title }” would be left without a moderator. Appoint another moderator first (yourself, if need be), then remove the role.
admin-demote-last-moderator = { $name } is the only moderator of “{ $title }”: without a moderator nobody reviews join requests and materials. Appoint another moderator first (yourself, if need be), then remove the role.
