"""Chats as a persona sees them: the JSON the control API and the chat page read."""

from __future__ import annotations

import asyncio
from typing import Any

from .errors import ControlError
from .keyboards import keyboard_texts
from .state import Chat, Message, SandboxState, User


def user_view(state: SandboxState, user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "language_code": user.language_code,
        "full_name": user.full_name,
        "is_bot": user.is_bot,
        "started": user.started,
        "blocked": user.blocked,
    }


def _name(state: SandboxState, user_id: int) -> str:
    user = state.users.get(user_id)
    return user.full_name if user else str(user_id)


def message_view(state: SandboxState, message: Message) -> dict[str, Any]:
    sender = state.users[message.sender_id]
    view: dict[str, Any] = {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "seq": message.seq,
        "date": message.date,
        "sender_id": sender.id,
        "from_bot": sender.is_bot,
        "sender_name": sender.full_name,
        "sender_username": sender.username,
        "thread_id": message.thread_id,
        "is_topic_message": message.is_topic_message,
        "text": message.text,
        "entities": message.entities,
        "source_text": message.source_text,
        "parse_mode": message.parse_mode,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "media": None,
        "buttons": message.reply_markup["inline_keyboard"] if message.reply_markup else None,
        "reply_keyboard": message.reply_keyboard,
        "reply_to_message_id": message.reply_to_message_id,
        "edited": message.edit_date is not None,
        "edit_date": message.edit_date,
        "via_bot": message.via_bot,
        "service": message.service,
        "service_data": None,
        "forward_from": None,
        "poll": message.extra.get("poll"),
        "pinned": message.message_id in state.chats[message.chat_id].pinned,
    }
    if message.file_id is not None:
        stored = state.files[message.file_id]
        view["media"] = {
            "kind": message.media_kind,
            "file_id": stored.file_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": stored.size,
            "width": stored.width,
            "height": stored.height,
            "url": f"/control/files/{stored.file_id}",
        }
    origin = message.extra.get("forward_origin")
    if origin:
        view["forward_from"] = origin.get("sender_user", {}).get("first_name")
    if message.service is not None:
        view["service_data"] = _service_data(state, message)
    return view


def _service_data(state: SandboxState, message: Message) -> dict[str, Any]:
    extra = message.extra
    kind = message.service
    if kind == "new_chat_members":
        return {
            "names": [user["first_name"] for user in extra["new_chat_members"]],
            "actor": _name(state, message.sender_id),
        }
    if kind == "left_chat_member":
        return {
            "name": extra["left_chat_member"]["first_name"],
            "actor": _name(state, message.sender_id),
        }
    if kind == "forum_topic_created":
        return {
            "name": extra["forum_topic_created"]["name"],
            "actor": _name(state, message.sender_id),
        }
    if kind == "forum_topic_edited":
        return {
            "name": extra["forum_topic_edited"].get("name"),
            "actor": _name(state, message.sender_id),
        }
    if kind == "pinned_message":
        pinned = extra["pinned_message"]
        return {
            "message_id": pinned["message_id"],
            "text": pinned.get("text") or pinned.get("caption") or "",
            "actor": _name(state, message.sender_id),
        }
    return {"actor": _name(state, message.sender_id)}


def _visible(state: SandboxState, user: User, chat: Chat) -> None:
    if chat.type == "private":
        if chat.id != user.id:
            raise ControlError(403, "a private chat is visible to its user only")
        return
    if user.id not in chat.members:
        raise ControlError(403, f"user {user.id} has never been in chat {chat.id}")


def reply_keyboard_for(chat: Chat, user_id: int) -> dict[str, Any] | None:
    keyboard = chat.reply_keyboards.get(user_id, chat.reply_keyboards.get(None))
    if not keyboard:
        return None
    if keyboard.get("force_reply"):
        return {
            "force_reply": True,
            "placeholder": keyboard.get("input_field_placeholder"),
            "rows": [],
            "buttons": [],
        }
    return {
        "rows": [[button["text"] for button in row] for row in keyboard["keyboard"]],
        "buttons": keyboard_texts(keyboard),
        "one_time": bool(keyboard.get("one_time_keyboard")),
        "resize": bool(keyboard.get("resize_keyboard")),
        "persistent": bool(keyboard.get("is_persistent")),
        "placeholder": keyboard.get("input_field_placeholder"),
        "collapsed": user_id in chat.collapsed_keyboards,
    }


def chat_summary(state: SandboxState, chat: Chat, user_id: int | None = None) -> dict[str, Any]:
    live = chat.live_messages()
    last = live[-1] if live else None
    if chat.type == "private":
        user = state.users[chat.id]
        title = user.full_name
    else:
        title = chat.title or ""
    summary: dict[str, Any] = {
        "id": chat.id,
        "type": chat.type,
        "title": title,
        "username": chat.username,
        "is_forum": chat.is_forum,
        "topics": [
            {
                "thread_id": topic.thread_id,
                "name": topic.name,
                "closed": topic.closed,
                "icon_color": topic.icon_color,
            }
            for topic in chat.topics.values()
        ],
        "members_count": sum(1 for member in chat.members.values() if member.present),
        "bot_status": state.bot_member(chat).status,
        "bot_rights": state.bot_member(chat).rights,
        "last_seq": last.seq if last else 0,
        "last_text": _preview(last),
    }
    if user_id is not None:
        summary["my_status"] = state.member(chat, user_id).status
    return summary


def _preview(message: Message | None) -> str:
    if message is None:
        return ""
    if message.text:
        return message.text[:80]
    if message.caption:
        return message.caption[:80]
    if message.media_kind:
        return {"photo": "Фото", "video": "Видео"}.get(message.media_kind, "Файл")
    if message.service:
        return "•"
    return ""


def chat_list(state: SandboxState, user_id: int) -> list[dict[str, Any]]:
    """The persona's chats: the private chat with the bot first, then their groups."""
    user = state.user(user_id)
    chats: list[dict[str, Any]] = []
    private = state.chats.get(user.id)
    if private is not None:
        chats.append(chat_summary(state, private, user.id))
    else:
        chats.append(
            {
                "id": user.id,
                "type": "private",
                "title": user.full_name,
                "username": None,
                "is_forum": False,
                "topics": [],
                "members_count": 2,
                "bot_status": "member",
                "bot_rights": {},
                "last_seq": 0,
                "last_text": "",
                "my_status": "member",
                "not_started": True,
            }
        )
    groups = [
        chat
        for chat in state.chats.values()
        if chat.is_group and state.member(chat, user.id).present
    ]
    groups.sort(key=lambda chat: -(chat.live_messages()[-1].seq if chat.live_messages() else 0))
    chats.extend(chat_summary(state, chat, user.id) for chat in groups)
    return chats


def chat_view(state: SandboxState, user_id: int, chat_id: int | None = None) -> dict[str, Any]:
    user = state.user(user_id)
    chat_id = user.id if chat_id is None else chat_id
    chat = state.chats.get(chat_id)
    if chat is None and chat_id == user.id:
        return {
            "chat": chat_list(state, user.id)[0],
            "user": user_view(state, user),
            "bot": user_view(state, state.bot),
            "messages": [],
            "reply_keyboard": None,
            "toasts": [],
            "chat_action": None,
            "commands": state.commands_for(user.id, None),
        }
    if chat is None:
        raise ControlError(404, f"no chat {chat_id}")
    _visible(state, user, chat)
    toasts = [
        {
            "callback_query_id": query.id,
            "message_id": query.message_id,
            "data": query.data,
            "seq": query.seq,
            **(query.answer or {}),
        }
        for query in state.callback_queries.values()
        if query.user_id == user.id and query.chat_id == chat.id and query.answered
    ]
    action = None
    if chat.chat_action is not None:
        name, until, thread = chat.chat_action
        if asyncio.get_running_loop().time() < until:
            action = {"action": name, "thread_id": thread}
    return {
        "chat": chat_summary(state, chat, user.id),
        "user": user_view(state, user),
        "bot": user_view(state, state.bot),
        "messages": [message_view(state, message) for message in chat.live_messages()],
        "reply_keyboard": reply_keyboard_for(chat, user.id),
        "toasts": toasts,
        "chat_action": action,
        "commands": state.commands_for(user.id, chat),
    }
