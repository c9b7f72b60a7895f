"""What the bot gets to see: message delivery rules and membership changes.

Shared by the user side (control actions) and the bot side (Bot API methods), because both
can change who is in a chat and both create messages other parties may receive.
"""

from __future__ import annotations

from typing import Any

from .formatting import command_of, slice_utf16
from .state import Chat, Member, Message, SandboxState, now_unix


def bot_receives(state: SandboxState, chat: Chat, message: Message) -> bool:
    """Whether Telegram would deliver this message to the bot as an update.

    Private chats: everything the user sends. Groups: nothing unless the bot is in the
    chat; with privacy mode on (the default for bots) and no admin rights only commands
    for this bot, replies to the bot's messages, mentions of the bot and service messages.
    """
    if message.sender_id == state.bot.id:
        return False
    if chat.type == "private":
        user = state.users.get(chat.id)
        return user is not None and not user.blocked
    bot_member = state.bot_member(chat)
    if not bot_member.present:
        return False
    if message.service is not None:
        return True
    if not state.config.privacy_mode or bot_member.status == "administrator":
        return True
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    if text is None:
        return _replies_to_bot(state, chat, message)
    if command_of(text, entities) is not None:
        first = slice_utf16(text, 0, entities[0]["length"]) if entities else ""
        if "@" not in first:
            return True
        return first.split("@", 1)[1].lower() == (state.bot.username or "").lower()
    bot_mention = f"@{state.bot.username}".lower()
    for entity in entities:
        if entity["type"] == "mention":
            mentioned = slice_utf16(text, entity["offset"], entity["length"]).lower()
            if mentioned == bot_mention:
                return True
        if entity["type"] == "text_mention" and entity.get("user", {}).get("id") == state.bot.id:
            return True
    return _replies_to_bot(state, chat, message)


def _replies_to_bot(state: SandboxState, chat: Chat, message: Message) -> bool:
    replied = state.get_message(chat, message.reply_to_message_id)
    return replied is not None and replied.sender_id == state.bot.id


def deliver_message(
    state: SandboxState, chat: Chat, message: Message, kind: str = "message"
) -> int | None:
    """Queue a ``message`` (or ``edited_message``) update if the bot would see it."""
    if not bot_receives(state, chat, message):
        return None
    update = state.enqueue_update(kind, state.message_json(message))
    return update.update_id if update else None


def change_member(
    state: SandboxState, chat: Chat, user_id: int, new: Member, actor_id: int
) -> list[int]:
    """Replace a member record and send ``my_chat_member`` / ``chat_member`` updates."""
    old_json = state.member_json(chat, user_id)
    chat.members[user_id] = new
    new_json = state.member_json(chat, user_id)
    state.emit("chat", chat_id=chat.id)
    if old_json == new_json:
        return []
    actor = state.users[actor_id]
    payload: dict[str, Any] = {
        "chat": state.chat_json(chat),
        "from": state.user_json(actor),
        "date": now_unix(),
        "old_chat_member": old_json,
        "new_chat_member": new_json,
    }
    update_ids: list[int] = []
    if user_id == state.bot.id:
        update = state.enqueue_update("my_chat_member", payload)
        if update is not None:
            update_ids.append(update.update_id)
    elif chat.is_group and state.bot_member(chat).status == "administrator":
        update = state.enqueue_update("chat_member", payload)
        if update is not None:
            update_ids.append(update.update_id)
    return update_ids


def service_message(
    state: SandboxState,
    chat: Chat,
    sender_id: int,
    service: str,
    fields: dict[str, Any],
    thread_id: int | None = None,
) -> tuple[Message, int | None]:
    """Post a service message (join, leave, topic created, pin) and deliver it."""
    message = state.add_message(
        chat,
        sender_id,
        service=service,
        extra=fields,
        thread_id=thread_id,
        is_topic_message=thread_id is not None,
    )
    return message, deliver_message(state, chat, message)


def chat_instance(chat: Chat) -> str:
    """A stable, opaque identifier of the chat for callback queries."""
    return str((chat.id * 6364136223846793005 + 1442695040888963407) % (2**63) - 2**62)
