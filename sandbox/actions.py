"""What personas do: write, upload, press buttons, join and leave, block the bot.

Each action changes the world like the Telegram app would and queues the updates Telegram
would send the bot. Results are plain dicts for the control API; ``seq`` in each result is
the sequence number just before the action, usable as ``after_seq`` in waits.
"""

from __future__ import annotations

import secrets
from typing import Any

from .delivery import change_member, chat_instance, deliver_message, service_message
from .errors import ControlError
from .formatting import format_text
from .keyboards import find_inline_button, keyboard_texts
from .media import MEDIA_KINDS, guess_mime, image_size
from .state import (
    TOPIC_COLORS,
    CallbackQuery,
    Chat,
    InlineQuery,
    Member,
    Message,
    SandboxState,
    Topic,
    User,
    now_unix,
)


def _query_id() -> str:
    return str(secrets.randbits(62) + 10**17)


class UserActions:
    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # --- helpers ----------------------------------------------------------------------

    def _chat_for(self, user: User, chat_id: int | None) -> Chat:
        """The chat a user acts in: the private chat with the bot, or a group they are in."""
        state = self.state
        if chat_id is None or chat_id == user.id:
            if user.blocked:
                raise ControlError(409, f"user {user.id} has blocked the bot; unblock it first")
            return state.start_private_chat(user)
        chat = state.chat(chat_id)
        if chat.type == "private":
            raise ControlError(403, "a user can only write in their own private chat with the bot")
        member = state.member(chat, user.id)
        if not member.present:
            raise ControlError(403, f"user {user.id} is not a member of chat {chat_id}")
        return chat

    def _thread_and_reply(
        self, chat: Chat, user: User, thread_id: int | None, reply_to: int | None
    ) -> tuple[int | None, bool, int | None]:
        state = self.state
        is_topic = False
        if reply_to is not None:
            replied = state.get_message(chat, reply_to)
            if replied is None:
                raise ControlError(404, f"no message {reply_to} in chat {chat.id}")
            if thread_id is None and replied.thread_id is not None:
                thread_id = replied.thread_id
        if thread_id is not None:
            if not chat.is_forum:
                raise ControlError(400, f"chat {chat.id} is not a forum")
            topic = chat.topics.get(thread_id)
            if topic is None:
                raise ControlError(404, f"no topic {thread_id} in chat {chat.id}")
            if topic.closed and state.member(chat, user.id).status not in (
                "creator",
                "administrator",
            ):
                raise ControlError(403, f"topic {thread_id} is closed")
            is_topic = True
        return thread_id, is_topic, reply_to

    def _result(self, seq: int, message: Message | None, update_id: int | None) -> dict[str, Any]:
        result: dict[str, Any] = {"seq": seq, "update_id": update_id}
        if message is not None:
            result["chat_id"] = message.chat_id
            result["message_id"] = message.message_id
        return result

    def _collapse_one_time_keyboard(self, chat: Chat, user: User, text: str) -> None:
        keyboard = chat.reply_keyboards.get(user.id, chat.reply_keyboards.get(None))
        if keyboard and keyboard.get("one_time_keyboard") and text in keyboard_texts(keyboard):
            chat.collapsed_keyboards.add(user.id)

    def _check_can_send(self, chat: Chat, user: User, permission: str) -> None:
        if not chat.is_group:
            return
        member = self.state.member(chat, user.id)
        if member.status in ("creator", "administrator"):
            return
        rights = member.rights if member.status == "restricted" else chat.permissions
        if not rights.get(permission, True):
            raise ControlError(
                403, f"user {user.id} may not {permission[4:].replace('_', ' ')} here"
            )

    # --- messages ---------------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = self._chat_for(user, chat_id)
        self._check_can_send(chat, user, "can_send_messages")
        formatted = format_text(text, None)
        if not formatted.text:
            raise ControlError(400, "message text is empty")
        if len(formatted.text) > 4096:
            raise ControlError(400, "message is too long")
        thread_id, is_topic, reply_to = self._thread_and_reply(chat, user, thread_id, reply_to)
        self._collapse_one_time_keyboard(chat, user, formatted.text)
        message = state.add_message(
            chat,
            user.id,
            text=formatted.text,
            entities=formatted.entities,
            source_text=text,
            thread_id=thread_id,
            is_topic_message=is_topic,
            reply_to_message_id=reply_to,
        )
        return self._result(seq, message, deliver_message(state, chat, message))

    def send_file(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        kind: str = "document",
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        if kind not in MEDIA_KINDS:
            raise ControlError(400, f"kind must be one of {', '.join(MEDIA_KINDS)}")
        if len(data) > state.config.max_upload_bytes:
            raise ControlError(413, "file is too big")
        user = state.user(user_id)
        chat = self._chat_for(user, chat_id)
        self._check_can_send(chat, user, f"can_send_{kind}s")
        thread_id, is_topic, reply_to = self._thread_and_reply(chat, user, thread_id, reply_to)
        width = height = None
        if kind == "photo":
            size = image_size(data)
            if size is not None:
                width, height = size
        stored = state.store_file(
            data,
            kind,
            file_name=None if kind == "photo" else filename,
            mime_type=None if kind == "photo" else guess_mime(filename, mime_type),
            width=width,
            height=height,
            duration=0 if kind == "video" else None,
        )
        fields: dict[str, Any] = {}
        if caption:
            formatted = format_text(caption, None)
            if len(formatted.text) > 1024:
                raise ControlError(400, "message caption is too long")
            if formatted.text:
                fields = {"caption": formatted.text, "caption_entities": formatted.entities}
        message = state.add_message(
            chat,
            user.id,
            media_kind=kind,
            file_id=stored.file_id,
            thread_id=thread_id,
            is_topic_message=is_topic,
            reply_to_message_id=reply_to,
            **fields,
        )
        result = self._result(seq, message, deliver_message(state, chat, message))
        result["file_id"] = stored.file_id
        return result

    def edit_text(
        self, user_id: int, chat_id: int | None, message_id: int, text: str
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = self._chat_for(user, chat_id)
        message = state.get_message(chat, message_id)
        if message is None or message.sender_id != user.id or message.text is None:
            raise ControlError(404, f"user {user_id} has no text message {message_id} here")
        formatted = format_text(text, None)
        if not formatted.text:
            raise ControlError(400, "message text is empty")
        message.text = formatted.text
        message.entities = formatted.entities
        message.source_text = text
        message.edit_date = now_unix()
        state.emit("edit", chat_id=chat.id, message_id=message.message_id)
        return self._result(seq, message, deliver_message(state, chat, message, "edited_message"))

    # --- buttons and inline mode ------------------------------------------------------

    async def press_button(
        self,
        user_id: int,
        chat_id: int | None,
        message_id: int,
        text: str | None = None,
        data: str | None = None,
        wait: float | None = None,
    ) -> dict[str, Any]:
        """Press an inline button found by text or callback data; optionally wait for the
        bot's answerCallbackQuery and return the toast."""
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = self._chat_for(user, chat_id)
        message = state.get_message(chat, message_id)
        if message is None:
            raise ControlError(404, f"no message {message_id} in chat {chat.id}")
        if not message.reply_markup:
            raise ControlError(400, f"message {message_id} has no inline keyboard")
        button = find_inline_button(message.reply_markup, text=text, data=data)
        if button is None:
            raise ControlError(404, f"no button {text or data!r} on message {message_id}")
        if "url" in button:
            return {"seq": seq, "url": button["url"], "update_id": None}
        if "copy_text" in button:
            return {"seq": seq, "copied": button["copy_text"].get("text"), "update_id": None}
        if "switch_inline_query_current_chat" in button:
            return await self.inline_query(
                user_id, button["switch_inline_query_current_chat"], chat_type=chat.type, wait=wait
            )
        if "callback_data" not in button:
            kinds = ", ".join(key for key in button if key != "text")
            raise ControlError(400, f"pressing {kinds} buttons is not supported in the sandbox")
        return await self._send_callback(user, chat, message, button["callback_data"], seq, wait)

    async def _send_callback(
        self, user: User, chat: Chat, message: Message, data: str, seq: int, wait: float | None
    ) -> dict[str, Any]:
        state = self.state
        query = CallbackQuery(
            id=_query_id(),
            user_id=user.id,
            chat_id=chat.id,
            message_id=message.message_id,
            inline_message_id=message.inline_message_id,
            data=data,
            seq=state.next_seq(),
        )
        state.callback_queries[query.id] = query
        payload: dict[str, Any] = {
            "id": query.id,
            "from": state.user_json(user),
            "chat_instance": chat_instance(chat),
            "data": data,
        }
        if message.inline_message_id:
            payload["inline_message_id"] = message.inline_message_id
        else:
            payload["message"] = state.message_json(message)
        update = state.enqueue_update("callback_query", payload)
        state.emit("callback", chat_id=chat.id, callback_query_id=query.id)
        if wait:
            await state.notifier.wait_for(lambda: query.answered, wait)
        return {
            "seq": seq,
            "update_id": update.update_id if update else None,
            "callback_query_id": query.id,
            "answered": query.answered,
            "answer": query.answer,
        }

    async def inline_query(
        self,
        user_id: int,
        query: str,
        chat_type: str | None = "sender",
        offset: str = "",
        wait: float | None = None,
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        if not state.config.inline_mode:
            raise ControlError(400, "inline mode is disabled for the bot")
        record = InlineQuery(
            id=_query_id(),
            user_id=user.id,
            query=query,
            offset=offset,
            chat_type=chat_type,
            seq=state.next_seq(),
        )
        state.inline_queries[record.id] = record
        payload: dict[str, Any] = {
            "id": record.id,
            "from": state.user_json(user),
            "query": query,
            "offset": offset,
        }
        if chat_type:
            payload["chat_type"] = chat_type
        update = state.enqueue_update("inline_query", payload)
        if wait:
            await state.notifier.wait_for(lambda: record.answer is not None, wait)
        return {
            "seq": seq,
            "update_id": update.update_id if update else None,
            "inline_query_id": record.id,
            "answered": record.answer is not None,
            "answer": record.answer,
        }

    def choose_inline_result(
        self, user_id: int, inline_query_id: str, result_id: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Send a result of an answered inline query into a chat, as the app does."""
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        record = state.inline_queries.get(inline_query_id)
        if record is None or record.user_id != user.id:
            raise ControlError(404, f"no inline query {inline_query_id} of user {user_id}")
        if record.answer is None:
            raise ControlError(409, "the bot has not answered this inline query")
        result = next((r for r in record.answer["results"] if str(r.get("id")) == result_id), None)
        if result is None:
            raise ControlError(404, f"no result {result_id!r} in the answer")
        chat = self._chat_for(user, chat_id)
        fields = self._inline_result_content(result)
        inline_message_id = None
        markup = result.get("reply_markup")
        if markup:
            inline_message_id = secrets.token_urlsafe(18)
        message = state.add_message(
            chat,
            user.id,
            via_bot=True,
            reply_markup=markup or None,
            inline_message_id=inline_message_id,
            **fields,
        )
        if inline_message_id:
            state.inline_messages[inline_message_id] = (chat.id, message.message_id)
        message_update = deliver_message(state, chat, message)
        chosen: dict[str, Any] = {
            "result_id": result_id,
            "from": state.user_json(user),
            "query": record.query,
        }
        if inline_message_id:
            chosen["inline_message_id"] = inline_message_id
        update = state.enqueue_update("chosen_inline_result", chosen)
        out = self._result(seq, message, update.update_id if update else None)
        out["message_update_id"] = message_update
        out["inline_message_id"] = inline_message_id
        return out

    def _inline_result_content(self, result: dict[str, Any]) -> dict[str, Any]:
        state = self.state
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            formatted = format_text(
                content["message_text"], content.get("parse_mode"), content.get("entities")
            )
            return {
                "text": formatted.text,
                "entities": formatted.entities,
                "source_text": content["message_text"],
                "parse_mode": content.get("parse_mode"),
            }
        for kind in MEDIA_KINDS:
            file_id = result.get(f"{kind}_file_id")
            if file_id and file_id in state.files:
                fields: dict[str, Any] = {"media_kind": kind, "file_id": file_id}
                if result.get("caption"):
                    formatted = format_text(
                        result["caption"], result.get("parse_mode"), result.get("caption_entities")
                    )
                    fields.update(caption=formatted.text, caption_entities=formatted.entities)
                return fields
        raise ControlError(
            400, f"results of type {result.get('type')!r} without message text can't be sent here"
        )

    # --- membership -------------------------------------------------------------------

    def join_group(self, user_id: int, chat_id: int) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = state.chat(chat_id)
        if not chat.is_group:
            raise ControlError(400, "only groups can be joined")
        current = state.member(chat, user.id)
        if current.present:
            raise ControlError(409, f"user {user_id} is already in chat {chat_id}")
        if current.status == "kicked":
            raise ControlError(403, f"user {user_id} is banned in chat {chat_id}")
        if current.status == "restricted":
            new = Member(user.id, "restricted", dict(current.rights), current.until_date, True)
        else:
            new = Member(user.id, "member")
        update_ids = change_member(state, chat, user.id, new, user.id)
        message, update_id = service_message(
            state,
            chat,
            user.id,
            "new_chat_members",
            {
                "new_chat_members": [state.user_json(user)],
                "new_chat_member": state.user_json(user),
                "new_chat_participant": state.user_json(user),
            },
        )
        result = self._result(seq, message, update_id)
        result["member_update_ids"] = update_ids
        return result

    def leave_group(self, user_id: int, chat_id: int) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = state.chat(chat_id)
        if not chat.is_group or not state.member(chat, user.id).present:
            raise ControlError(409, f"user {user_id} is not in chat {chat_id}")
        update_ids = change_member(state, chat, user.id, Member(user.id, "left"), user.id)
        message, update_id = service_message(
            state,
            chat,
            user.id,
            "left_chat_member",
            {
                "left_chat_member": state.user_json(user),
                "left_chat_participant": state.user_json(user),
            },
        )
        result = self._result(seq, message, update_id)
        result["member_update_ids"] = update_ids
        return result

    def add_bot(
        self,
        user_id: int,
        chat_id: int,
        status: str = "member",
        rights: dict[str, bool] | None = None,
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = state.chat(chat_id)
        if not chat.is_group:
            raise ControlError(400, "bots are added to groups only")
        actor = state.member(chat, user.id)
        if not actor.present:
            raise ControlError(403, f"user {user_id} is not in chat {chat_id}")
        if status not in ("member", "administrator"):
            raise ControlError(400, "status must be member or administrator")
        if status == "administrator" and actor.status not in ("creator", "administrator"):
            raise ControlError(403, f"user {user_id} can't appoint administrators")
        was_present = state.bot_member(chat).present
        new = state.make_member(state.bot.id, status, rights)
        update_ids = change_member(state, chat, state.bot.id, new, user.id)
        result: dict[str, Any] = {"seq": seq, "update_ids": update_ids}
        if not was_present:
            bot_json = state.user_json(state.bot)
            message, update_id = service_message(
                state,
                chat,
                user.id,
                "new_chat_members",
                {
                    "new_chat_members": [bot_json],
                    "new_chat_member": bot_json,
                    "new_chat_participant": bot_json,
                },
            )
            result.update(message_id=message.message_id, update_id=update_id)
        return result

    def remove_bot(self, user_id: int, chat_id: int) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = state.chat(chat_id)
        if not chat.is_group or not state.bot_member(chat).present:
            raise ControlError(409, f"the bot is not in chat {chat_id}")
        if state.member(chat, user.id).status not in ("creator", "administrator"):
            raise ControlError(403, f"user {user_id} can't remove members")
        status = "kicked" if chat.type == "supergroup" else "left"
        update_ids = change_member(state, chat, state.bot.id, Member(state.bot.id, status), user.id)
        bot_json = state.user_json(state.bot)
        service_message(
            state,
            chat,
            user.id,
            "left_chat_member",
            {"left_chat_member": bot_json, "left_chat_participant": bot_json},
        )
        return {"seq": seq, "update_ids": update_ids}

    def set_member(
        self,
        actor_id: int,
        chat_id: int,
        user_id: int,
        status: str,
        rights: dict[str, bool] | None = None,
        until_date: int = 0,
    ) -> dict[str, Any]:
        """Promote, demote, restrict or ban someone (the bot included) as ``actor_id``."""
        state = self.state
        seq = state.seq
        actor = state.user(actor_id)
        chat = state.chat(chat_id)
        if not chat.is_group:
            raise ControlError(400, "member statuses exist in groups only")
        if state.member(chat, actor.id).status not in ("creator", "administrator"):
            raise ControlError(403, f"user {actor_id} is not an administrator of chat {chat_id}")
        if user_id != state.bot.id:
            state.user(user_id)
        new = state.make_member(user_id, status, rights)
        new.until_date = until_date
        if status == "restricted":
            new.is_member = state.member(chat, user_id).present
        update_ids = change_member(state, chat, user_id, new, actor.id)
        return {"seq": seq, "update_ids": update_ids}

    def _private_bot_change(self, user: User, old: str, new: str) -> int | None:
        state = self.state
        chat = state.start_private_chat(user) if old != "kicked" else state.chats[user.id]
        bot_json = state.user_json(state.bot)
        old_json: dict[str, Any] = {"status": old, "user": bot_json}
        new_json: dict[str, Any] = {"status": new, "user": bot_json}
        for member_json in (old_json, new_json):
            if member_json["status"] == "kicked":
                member_json["until_date"] = 0
        payload = {
            "chat": state.chat_json(chat),
            "from": state.user_json(user),
            "date": now_unix(),
            "old_chat_member": old_json,
            "new_chat_member": new_json,
        }
        update = state.enqueue_update("my_chat_member", payload)
        state.emit("chat", chat_id=chat.id)
        return update.update_id if update else None

    def block_bot(self, user_id: int) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        if user.blocked:
            raise ControlError(409, f"user {user_id} has already blocked the bot")
        update_id = self._private_bot_change(user, "member", "kicked")
        user.blocked = True
        return {"seq": seq, "update_id": update_id}

    def unblock_bot(self, user_id: int) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        if not user.blocked:
            raise ControlError(409, f"user {user_id} has not blocked the bot")
        user.blocked = False
        update_id = self._private_bot_change(user, "kicked", "member")
        return {"seq": seq, "update_id": update_id}

    def create_topic(
        self, user_id: int, chat_id: int, name: str, icon_color: int | None = None
    ) -> dict[str, Any]:
        state = self.state
        seq = state.seq
        user = state.user(user_id)
        chat = self._chat_for(user, chat_id)
        if not chat.is_forum:
            raise ControlError(400, f"chat {chat_id} is not a forum")
        self._check_can_send(chat, user, "can_manage_topics")
        if not name.strip() or len(name) > 128:
            raise ControlError(400, "topic names are 1-128 characters")
        topic = create_topic(state, chat, user.id, name, icon_color)
        return {"seq": seq, "thread_id": topic["message_thread_id"], "topic": topic}


def create_topic(
    state: SandboxState,
    chat: Chat,
    creator_id: int,
    name: str,
    icon_color: int | None,
    icon_custom_emoji_id: str | None = None,
) -> dict[str, Any]:
    """Open a forum topic; its id is the id of its "topic created" service message."""
    color = icon_color if icon_color is not None else TOPIC_COLORS[0]
    thread_id = chat.next_message_id
    created: dict[str, Any] = {"name": name, "icon_color": color}
    if icon_custom_emoji_id:
        created["icon_custom_emoji_id"] = icon_custom_emoji_id
    chat.topics[thread_id] = Topic(thread_id, name, color, icon_custom_emoji_id, False, creator_id)
    service_message(
        state,
        chat,
        creator_id,
        "forum_topic_created",
        {"forum_topic_created": created},
        thread_id=thread_id,
    )
    return {"message_thread_id": thread_id, **created}
