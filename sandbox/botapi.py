"""The Bot API methods: what a bot can do, with Telegram's checks and error wording."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from . import errors
from .actions import create_topic
from .delivery import change_member, service_message
from .errors import ApiError, bad_request, forbidden
from .formatting import FormattedText, ParseError, format_text, slice_utf16, utf16_len
from .keyboards import ParsedMarkup, parse_reply_markup
from .media import file_path_for, guess_mime, image_size
from .params import Params, Upload
from .state import (
    ADMIN_RIGHTS,
    ALL_UPDATE_TYPES,
    PERMISSIONS,
    TOPIC_COLORS,
    ApiCall,
    Chat,
    Member,
    Message,
    SandboxState,
    StoredFile,
    User,
    Webhook,
    now_unix,
)

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MAX_TEXT = 4096
MAX_CAPTION = 1024
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_MEDIA_NAMES = {"document": "documents", "photo": "photos", "video": "videos"}


@dataclass
class Answer:
    """A result with the optional ``description`` Telegram adds (e.g. "Webhook was set")."""

    result: Any
    description: str | None = None


Handler = Callable[[Params], Awaitable[Any]]


class BotApi:
    """Executes Bot API methods against a :class:`SandboxState`."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._file_counter = 0
        self.methods: dict[str, Handler] = {}
        for name in dir(self):
            if name.startswith("api_"):
                self.methods[name[4:].replace("_", "").lower()] = getattr(self, name)
        # Older aliases Telegram still answers.
        self.methods["getchatmemberscount"] = self.api_get_chat_member_count
        self.methods["kickchatmember"] = self.api_ban_chat_member

    # --- entry point ------------------------------------------------------------------

    async def execute(
        self, method: str, params: Params | None, error: ApiError | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Run one call, log it, and return the HTTP status and the JSON body."""
        state = self.state
        polling = method.lower() == "getupdates"
        call = ApiCall(
            seq=state.next_seq(),
            time=asyncio.get_running_loop().time(),
            method=method,
            params=params.to_log() if params is not None else {},
        )
        state.api_log.append(call)
        state.touch()  # a wait for a call to start (a long poll) wakes now, not when it ends
        if not polling:
            state.api_in_flight += 1
            state.mark_activity()
        try:
            if error is not None:
                raise error
            handler = self.methods.get(method.lower())
            if handler is None:
                raise errors.not_found()
            assert params is not None
            value = await handler(params)
            answer = value if isinstance(value, Answer) else Answer(value)
            body: dict[str, Any] = {"ok": True, "result": answer.result}
            if answer.description:
                body["description"] = answer.description
            call.ok = True
            call.result = answer.result
            status = 200
        except ApiError as exc:
            body = exc.to_json()
            call.ok = False
            call.error_code = exc.code
            call.description = exc.description
            status = exc.code
        finally:
            if not polling:
                state.api_in_flight -= 1
                state.mark_activity()
            state.emit("api_call", method=method, seq=call.seq)
        return status, body

    # --- shared checks ----------------------------------------------------------------

    def _chat(self, params: Params, name: str = "chat_id") -> Chat:
        ref = params.chat_id(name)
        assert ref is not None
        chat = self.state.resolve_chat(ref)
        if chat is None:
            if isinstance(ref, int) and self._knows_user(ref):
                raise forbidden(errors.CANT_INITIATE)
            raise bad_request(errors.CHAT_NOT_FOUND)
        if chat.is_group and self.state.bot.id not in chat.members and not chat.username:
            # A private group the bot has never been in is invisible to it.
            raise bad_request(errors.CHAT_NOT_FOUND)
        return chat

    def _knows_user(self, user_id: int) -> bool:
        """The bot has seen this user (in a shared group) but has no private chat yet."""
        state = self.state
        user = state.users.get(user_id)
        if user is None or user.is_bot:
            return False
        return any(
            chat.is_group and user_id in chat.members and state.bot_member(chat).present
            for chat in state.chats.values()
        )

    def _writable_chat(self, params: Params, name: str = "chat_id") -> Chat:
        """A chat the bot may post to right now."""
        chat = self._chat(params, name)
        self._check_writable(chat)
        return chat

    def _check_writable(self, chat: Chat) -> None:
        state = self.state
        if chat.type == "private":
            user = state.users[chat.id]
            if user.blocked:
                raise forbidden(errors.BOT_BLOCKED)
            return
        member = state.bot_member(chat)
        if member.status == "kicked":
            raise forbidden(f"bot was kicked from the {chat.kind_label}")
        if not member.present:
            raise forbidden(f"bot is not a member of the {chat.kind_label}")

    def _check_send_right(self, chat: Chat, permission: str, what: str) -> None:
        if not chat.is_group:
            return
        member = self.state.bot_member(chat)
        if member.status in ("creator", "administrator"):
            return
        rights = member.rights if member.status == "restricted" else chat.permissions
        if not rights.get(permission, True):
            raise bad_request(f"not enough rights to send {what} to the chat")

    def _admin_right(self, chat: Chat, right: str, error: str) -> None:
        member = self.state.bot_member(chat)
        if member.status == "creator":
            return
        if member.status != "administrator" or not member.rights.get(right):
            raise bad_request(error)

    def _user_id(self, params: Params) -> int:
        user_id = params.integer("user_id", required=True, error="user not found")
        assert user_id is not None
        if user_id not in self.state.users:
            raise bad_request("user not found")
        return user_id

    def _format(
        self,
        params: Params,
        field: str = "text",
        mode_field: str = "parse_mode",
        entities_field: str = "entities",
        *,
        required: bool = True,
    ) -> FormattedText | None:
        text = params.string(field)
        if not text:
            if required:
                raise bad_request(errors.MESSAGE_TEXT_EMPTY)
            return None
        entities = params.json(entities_field, error="can't parse entities JSON object")
        if entities is not None and not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        try:
            formatted = format_text(
                text, params.string(mode_field), entities, self.state.user_json_by_id
            )
        except ParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        if not formatted.text and required:
            raise bad_request(errors.MESSAGE_TEXT_EMPTY)
        return formatted

    def _text(self, params: Params) -> FormattedText:
        formatted = self._format(params)
        assert formatted is not None
        if utf16_len(formatted.text) > MAX_TEXT:
            raise bad_request(errors.MESSAGE_TOO_LONG)
        return formatted

    def _caption(self, params: Params, field: str = "caption") -> FormattedText | None:
        formatted = self._format(params, field, "parse_mode", f"{field}_entities", required=False)
        if formatted is not None and utf16_len(formatted.text) > MAX_CAPTION:
            raise bad_request(errors.CAPTION_TOO_LONG)
        return formatted

    def _markup(self, params: Params) -> ParsedMarkup:
        return parse_reply_markup(
            params.json("reply_markup", error="can't parse reply keyboard markup JSON object")
        )

    def _thread(self, chat: Chat, params: Params) -> tuple[int | None, bool]:
        thread_id = params.integer("message_thread_id")
        if thread_id is None:
            return None, False
        if chat.is_forum:
            topic = chat.topics.get(thread_id)
            if topic is None:
                if thread_id == 1:  # the General topic
                    return None, False
                raise bad_request("message thread not found")
            if topic.closed:
                member = self.state.bot_member(chat)
                if member.status != "creator" and not member.rights.get("can_manage_topics"):
                    raise bad_request("TOPIC_CLOSED")
            return thread_id, True
        if self.state.get_message(chat, thread_id) is None:
            raise bad_request("message thread not found")
        return thread_id, False

    def _reply(
        self, chat: Chat, params: Params, thread: tuple[int | None, bool]
    ) -> tuple[int | None, int | None, bool]:
        reply_id: int | None = None
        allow_missing = params.flag("allow_sending_without_reply")
        parameters = params.json(
            "reply_parameters", error="can't parse reply parameters JSON object"
        )
        if isinstance(parameters, dict):
            reply_id = parameters.get("message_id")
            allow_missing = bool(parameters.get("allow_sending_without_reply", allow_missing))
            other = parameters.get("chat_id")
            if other is not None and other != chat.id and str(other) != str(chat.id):
                # Replies to other chats are shown as quotes; nothing to link here.
                reply_id = None
        else:
            reply_id = params.integer("reply_to_message_id")
        thread_id, is_topic = thread
        if reply_id is None:
            return None, thread_id, is_topic
        replied = self.state.get_message(chat, int(reply_id))
        if replied is None:
            if allow_missing:
                return None, thread_id, is_topic
            raise bad_request("message to be replied not found")
        if thread_id is None and replied.thread_id is not None:
            thread_id, is_topic = replied.thread_id, replied.is_topic_message
        return replied.message_id, thread_id, is_topic

    def _check_rate(self, chat: Chat) -> None:
        retry_after = self.state.limiter.retry_after(chat.id, chat.type)
        if retry_after:
            raise errors.too_many_requests(retry_after)

    def _post(self, chat: Chat, params: Params, markup: ParsedMarkup, **fields: Any) -> Message:
        """Create the bot's message after every check passed; counts for flood control."""
        state = self.state
        self._check_rate(chat)
        thread_id, is_topic = self._thread(chat, params)
        reply_id, thread_id, is_topic = self._reply(chat, params, (thread_id, is_topic))
        extra = fields.pop("extra", {})
        if params.flag("protect_content"):
            extra["has_protected_content"] = True
        message = state.add_message(
            chat,
            state.bot.id,
            thread_id=thread_id,
            is_topic_message=is_topic,
            reply_to_message_id=reply_id,
            reply_markup=markup.inline,
            reply_keyboard=markup.reply,
            extra=extra,
            **fields,
        )
        state.limiter.record(chat.id, chat.type)
        if markup.reply is not None:
            self._show_reply_keyboard(chat, message, markup.reply)
        return message

    def _show_reply_keyboard(self, chat: Chat, message: Message, reply: dict[str, Any]) -> None:
        value = None if reply.get("remove_keyboard") else reply
        if not reply.get("selective") or chat.type == "private":
            chat.reply_keyboards = {None: value}
            chat.collapsed_keyboards.clear()
            return
        targets: set[int] = set()
        replied = self.state.get_message(chat, message.reply_to_message_id)
        if replied is not None and replied.sender_id != self.state.bot.id:
            targets.add(replied.sender_id)
        text = message.text or ""
        for entity in message.entities:
            if entity["type"] == "mention":
                found = self.state.find_username(
                    slice_utf16(text, entity["offset"], entity["length"])
                )
                if isinstance(found, User):
                    targets.add(found.id)
            elif entity["type"] == "text_mention":
                targets.add(entity["user"]["id"])
        for user_id in targets:
            chat.reply_keyboards[user_id] = value
            chat.collapsed_keyboards.discard(user_id)

    def _edit_target(self, params: Params, not_found: str) -> tuple[Chat, Message, bool]:
        state = self.state
        inline_id = params.string("inline_message_id")
        if inline_id:
            location = state.inline_messages.get(inline_id)
            if location is None:
                raise bad_request("MESSAGE_ID_INVALID")
            chat = state.chats[location[0]]
            message = state.get_message(chat, location[1])
            if message is None:
                raise bad_request(not_found)
            return chat, message, True
        chat = self._chat(params)
        self._check_writable(chat)
        message_id = params.integer(
            "message_id", required=True, error="message identifier is not specified"
        )
        message = state.get_message(chat, message_id)
        if message is None:
            raise bad_request(not_found)
        if message.sender_id != state.bot.id:
            raise bad_request("message can't be edited")
        return chat, message, False

    def _edited(self, chat: Chat, message: Message, inline: bool) -> Any:
        message.edit_date = now_unix()
        self.state.emit("edit", chat_id=chat.id, message_id=message.message_id)
        return True if inline else self.state.message_json(message)

    # --- getMe, updates, webhooks -----------------------------------------------------

    async def api_get_me(self, params: Params) -> Any:
        state = self.state
        data = state.user_json(state.bot)
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=not state.config.privacy_mode,
            supports_inline_queries=state.config.inline_mode,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
        return data

    async def api_get_updates(self, params: Params) -> Any:
        state = self.state
        if state.webhook is not None:
            raise errors.conflict(
                "can't use getUpdates method while webhook is active; use deleteWebhook to "
                "delete the webhook first"
            )
        offset = params.integer("offset")
        limit = params.integer("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = max(0, params.integer("timeout") or 0)
        allowed = params.json("allowed_updates", error="can't parse allowed_updates JSON object")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        if offset is not None and offset > 0:
            state.drop_updates_before(offset)
        elif offset is not None and offset < 0:
            keep = -offset
            if len(state.updates) > keep:
                state.updates = state.updates[-keep:]
        state.poll_generation += 1
        generation = state.poll_generation
        if not state.updates and timeout > 0:
            state.polling_waiters += 1
            state.touch()
            try:
                await state.notifier.wait_for(
                    lambda: (
                        bool(state.updates)
                        or state.poll_generation != generation
                        or state.webhook is not None
                    ),
                    float(timeout),
                )
            finally:
                state.polling_waiters -= 1
                state.touch()
            if state.poll_generation != generation:
                if state.webhook is not None:
                    raise errors.conflict("terminated by setWebhook request")
                raise errors.conflict(
                    "terminated by other getUpdates request; make sure that only one bot "
                    "instance is running"
                )
        return [update.to_json() for update in state.updates[:limit]]

    def _set_allowed_updates(self, allowed: Any) -> None:
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed_updates JSON object")
        state = self.state
        state.allowed_updates = [kind for kind in allowed if kind in ALL_UPDATE_TYPES] or None
        kinds = state.effective_update_types()
        state.updates = [update for update in state.updates if update.kind in kinds]

    async def api_set_webhook(self, params: Params) -> Any:
        state = self.state
        url = (params.string("url") or "").strip()
        if not url:
            return await self.api_delete_webhook(params)
        if not re.match(r"^https?://[^/\s]+", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.integer("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.json("allowed_updates", error="can't parse allowed_updates JSON object")
        if allowed is not None:
            self._set_allowed_updates(allowed)
        if params.flag("drop_pending_updates"):
            state.updates.clear()
        same = state.webhook is not None and state.webhook.url == url
        state.webhook = Webhook(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.string("ip_address") or "127.0.0.1",
            has_custom_certificate=params.file("certificate") is not None,
        )
        state.poll_generation += 1
        state.emit("webhook", url=url)
        return Answer(True, "Webhook is already set" if same else "Webhook was set")

    async def api_delete_webhook(self, params: Params) -> Any:
        state = self.state
        existed = state.webhook is not None
        state.webhook = None
        if params.flag("drop_pending_updates"):
            state.updates.clear()
        state.emit("webhook", url="")
        return Answer(True, "Webhook was deleted" if existed else "Webhook is already deleted")

    async def api_get_webhook_info(self, params: Params) -> Any:
        state = self.state
        hook = state.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": bool(hook and hook.has_custom_certificate),
            "pending_update_count": len(state.updates),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["ip_address"] = hook.ip_address
            if hook.last_error_date:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        if state.allowed_updates:
            info["allowed_updates"] = list(state.allowed_updates)
        return info

    # --- sending ----------------------------------------------------------------------

    async def api_send_message(self, params: Params) -> Any:
        chat = self._writable_chat(params)
        formatted = self._text(params)
        markup = self._markup(params)
        self._check_send_right(chat, "can_send_messages", "text messages")
        message = self._post(
            chat,
            params,
            markup,
            text=formatted.text,
            entities=formatted.entities,
            source_text=params.string("text"),
            parse_mode=params.string("parse_mode"),
        )
        return self.state.message_json(message)

    async def api_send_document(self, params: Params) -> Any:
        return await self._send_media(params, "document")

    async def api_send_photo(self, params: Params) -> Any:
        return await self._send_media(params, "photo")

    async def api_send_video(self, params: Params) -> Any:
        return await self._send_media(params, "video")

    async def _send_media(self, params: Params, kind: str) -> Any:
        chat = self._writable_chat(params)
        value = params.file(kind)
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        caption = self._caption(params)
        markup = self._markup(params)
        self._check_send_right(chat, f"can_send_{kind}s", _MEDIA_NAMES[kind])
        stored = self._resolve_file(value, kind, params)
        fields: dict[str, Any] = {"media_kind": kind, "file_id": stored.file_id}
        if caption is not None and caption.text:
            fields.update(
                caption=caption.text,
                caption_entities=caption.entities,
            )
        message = self._post(chat, params, markup, **fields)
        return self.state.message_json(message)

    def _resolve_file(self, value: Upload | str, kind: str, params: Params) -> StoredFile:
        state = self.state
        if isinstance(value, str):
            if re.match(r"^https?://", value):
                raise bad_request("failed to get HTTP URL content")
            stored = state.files.get(value.strip())
            if stored is None:
                raise bad_request(errors.WRONG_FILE_ID)
            if stored.kind != kind:
                raise bad_request(
                    f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}"
                )
            return stored
        if not value.data:
            raise bad_request("file must be non-empty")
        width = params.integer("width")
        height = params.integer("height")
        if kind == "photo":
            size = image_size(value.data)
            if size is not None:
                width, height = size
        return state.store_file(
            value.data,
            kind,
            file_name=None if kind == "photo" else value.filename,
            mime_type=None if kind == "photo" else guess_mime(value.filename, value.content_type),
            width=width,
            height=height,
            duration=params.integer("duration") or (0 if kind == "video" else None),
        )

    async def api_send_chat_action(self, params: Params) -> Any:
        chat = self._writable_chat(params)
        action = params.string("action", required=True, error="wrong parameter action in request")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        loop_time = asyncio.get_running_loop().time()
        chat.chat_action = (action, loop_time + 5.0, params.integer("message_thread_id"))
        self.state.emit("action", chat_id=chat.id, action=action)
        return True

    async def api_copy_message(self, params: Params) -> Any:
        _, original = self._source_message(params, "message to copy not found")
        if original.service is not None or original.extra.get("poll"):
            raise bad_request("message can't be copied")
        chat = self._writable_chat(params)
        markup = self._markup(params)
        fields: dict[str, Any] = {}
        if original.text is not None:
            fields.update(text=original.text, entities=list(original.entities))
        else:
            fields.update(media_kind=original.media_kind, file_id=original.file_id)
            caption = self._caption(params) if params.has("caption") else None
            if caption is not None:
                fields.update(caption=caption.text, caption_entities=caption.entities)
            elif original.caption is not None:
                fields.update(
                    caption=original.caption, caption_entities=list(original.caption_entities)
                )
        message = self._post(chat, params, markup, **fields)
        return {"message_id": message.message_id}

    async def api_forward_message(self, params: Params) -> Any:
        state = self.state
        _, original = self._source_message(params, "message to forward not found")
        if original.service is not None:
            raise bad_request("message can't be forwarded")
        chat = self._writable_chat(params)
        sender = state.users[original.sender_id]
        fields: dict[str, Any] = {
            "text": original.text,
            "entities": list(original.entities),
            "media_kind": original.media_kind,
            "file_id": original.file_id,
            "caption": original.caption,
            "caption_entities": list(original.caption_entities),
            "extra": {
                "forward_origin": {
                    "type": "user",
                    "date": original.date,
                    "sender_user": state.user_json(sender),
                }
            },
        }
        if original.extra.get("poll"):
            fields["extra"]["poll"] = original.extra["poll"]
        message = self._post(chat, params, ParsedMarkup(), **fields)
        return state.message_json(message)

    def _source_message(self, params: Params, not_found: str) -> tuple[Chat, Message]:
        source = self._chat(params, "from_chat_id")
        message_id = params.integer("message_id", required=True, error=not_found)
        message = self.state.get_message(source, message_id)
        if message is None:
            raise bad_request(not_found)
        return source, message

    async def api_send_poll(self, params: Params) -> Any:
        chat = self._writable_chat(params)
        question = params.string("question")
        if not question or len(question) > 300:
            raise bad_request("POLL_QUESTION_INVALID")
        options = params.json("options", error="can't parse options JSON object")
        if not isinstance(options, list):
            raise bad_request("can't parse options JSON object")
        texts = [
            option if isinstance(option, str) else (option or {}).get("text") for option in options
        ]
        if len(texts) < 2:
            raise bad_request("poll must have at least 2 option")
        if len(texts) > 12:
            raise bad_request("poll can't have more than 12 options")
        if any(not isinstance(text, str) or not text or len(text) > 100 for text in texts):
            raise bad_request("POLL_OPTION_INVALID")
        poll_type = params.string("type") or "regular"
        if poll_type not in ("regular", "quiz"):
            raise bad_request("poll type is invalid")
        self._check_send_right(chat, "can_send_polls", "polls")
        markup = self._markup(params)
        poll: dict[str, Any] = {
            "id": str(secrets.randbits(62)),
            "question": question,
            "options": [
                {"persistent_id": str(index), "text": text, "voter_count": 0}
                for index, text in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": params.flag("is_closed"),
            "is_anonymous": params.flag("is_anonymous", default=True),
            "type": poll_type,
            "allows_multiple_answers": params.flag("allows_multiple_answers"),
            "allows_revoting": poll_type != "quiz",
            "members_only": False,
        }
        if poll_type == "quiz":
            correct = params.integer("correct_option_id")
            if correct is None or not 0 <= correct < len(texts):
                raise bad_request("wrong correct option id specified")
            poll["correct_option_id"] = correct
            if params.has("explanation"):
                poll["explanation"] = params.string("explanation")
        message = self._post(chat, params, markup, extra={"poll": poll})
        return self.state.message_json(message)

    async def api_stop_poll(self, params: Params) -> Any:
        chat = self._chat(params)
        message_id = params.integer("message_id", required=True)
        message = self.state.get_message(chat, message_id)
        if message is None or "poll" not in message.extra or message.sender_id != self.state.bot.id:
            raise bad_request("message with poll to stop not found")
        poll = message.extra["poll"]
        if poll["is_closed"]:
            raise bad_request("poll has already been closed")
        poll["is_closed"] = True
        markup = self._markup(params)
        if markup.given:
            message.reply_markup = markup.inline
        self.state.emit("edit", chat_id=chat.id, message_id=message.message_id)
        return poll

    # --- editing and deleting ---------------------------------------------------------

    async def api_edit_message_text(self, params: Params) -> Any:
        chat, message, inline = self._edit_target(params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
        formatted = self._text(params)
        markup = self._markup(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        if (
            message.text == formatted.text
            and message.entities == formatted.entities
            and message.reply_markup == markup.inline
        ):
            raise bad_request(errors.MESSAGE_NOT_MODIFIED)
        message.text = formatted.text
        message.entities = formatted.entities
        message.source_text = params.string("text")
        message.parse_mode = params.string("parse_mode")
        message.reply_markup = markup.inline
        return self._edited(chat, message, inline)

    async def api_edit_message_caption(self, params: Params) -> Any:
        chat, message, inline = self._edit_target(params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
        caption = self._caption(params)
        markup = self._markup(params)
        if message.file_id is None:
            raise bad_request("there is no caption in the message to edit")
        new_text = caption.text if caption is not None else None
        new_entities = caption.entities if caption is not None else []
        if (
            (message.caption or None) == (new_text or None)
            and message.caption_entities == new_entities
            and message.reply_markup == markup.inline
        ):
            raise bad_request(errors.MESSAGE_NOT_MODIFIED)
        message.caption = new_text or None
        message.caption_entities = new_entities
        message.reply_markup = markup.inline
        return self._edited(chat, message, inline)

    async def api_edit_message_reply_markup(self, params: Params) -> Any:
        chat, message, inline = self._edit_target(params, errors.MESSAGE_TO_EDIT_NOT_FOUND)
        markup = self._markup(params)
        if markup.reply is not None:
            raise bad_request("inline keyboard expected")
        if message.reply_markup == markup.inline:
            raise bad_request(errors.MESSAGE_NOT_MODIFIED)
        message.reply_markup = markup.inline
        return self._edited(chat, message, inline)

    async def api_delete_message(self, params: Params) -> Any:
        chat = self._chat(params)
        message_id = params.integer(
            "message_id", required=True, error=errors.MESSAGE_TO_DELETE_NOT_FOUND
        )
        self._delete(chat, message_id, strict=True)
        return True

    async def api_delete_messages(self, params: Params) -> Any:
        chat = self._chat(params)
        ids = params.json("message_ids", error="can't parse message_ids JSON object")
        if not isinstance(ids, list) or not ids or len(ids) > 100:
            raise bad_request("message_ids is empty" if not ids else "too many messages to delete")
        deleted = [self._delete(chat, int(message_id), strict=False) for message_id in ids]
        if not any(deleted):
            raise bad_request(errors.MESSAGE_TO_DELETE_NOT_FOUND)
        return True

    def _delete(self, chat: Chat, message_id: int | None, *, strict: bool) -> bool:
        state = self.state
        message = state.get_message(chat, message_id)
        if message is None:
            if strict:
                raise bad_request(errors.MESSAGE_TO_DELETE_NOT_FOUND)
            return False
        if chat.is_group and message.sender_id != state.bot.id:
            member = state.bot_member(chat)
            allowed = member.status == "creator" or (
                member.status == "administrator" and member.rights.get("can_delete_messages")
            )
            if not allowed:
                if strict:
                    raise bad_request("message can't be deleted")
                return False
        message.deleted = True
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        state.emit("delete", chat_id=chat.id, message_id=message.message_id)
        return True

    # --- callback and inline queries --------------------------------------------------

    async def api_answer_callback_query(self, params: Params) -> Any:
        state = self.state
        query_id = params.string("callback_query_id")
        query = state.callback_queries.get(query_id or "")
        if query is None or query.answered:
            raise bad_request(errors.QUERY_TOO_OLD)
        text = params.string("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {
            "text": text,
            "show_alert": params.flag("show_alert"),
            "url": params.string("url"),
            "cache_time": params.integer("cache_time") or 0,
        }
        state.emit(
            "toast", chat_id=query.chat_id, user_id=query.user_id, callback_query_id=query.id
        )
        return True

    async def api_answer_inline_query(self, params: Params) -> Any:
        state = self.state
        query = state.inline_queries.get(params.string("inline_query_id") or "")
        if query is None or query.answer is not None:
            raise bad_request(errors.QUERY_TOO_OLD)
        results = params.json("results", error="can't parse inline query results JSON object")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type") or not result.get("id"):
                raise bad_request("can't parse InlineQueryResult JSON object")
            result_id = str(result["id"])
            if not 1 <= len(result_id.encode()) <= 64:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            markup = result.get("reply_markup")
            if markup is not None:
                parsed = parse_reply_markup(markup)
                result["reply_markup"] = parsed.inline
        query.answer = {
            "results": results,
            "cache_time": params.integer("cache_time"),
            "is_personal": params.flag("is_personal"),
            "next_offset": params.string("next_offset") or "",
            "button": params.json("button"),
        }
        state.emit("inline_answer", user_id=query.user_id, inline_query_id=query.id)
        return True

    # --- files ------------------------------------------------------------------------

    async def api_get_file(self, params: Params) -> Any:
        state = self.state
        file_id = params.string("file_id", required=True, error="invalid file_id")
        stored = state.files.get(file_id or "")
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > state.config.max_download_bytes:
            raise bad_request(errors.FILE_TOO_BIG)
        if stored.file_path is None:
            self._file_counter += 1
            stored.file_path = file_path_for(stored.kind, self._file_counter, stored.file_name)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": stored.file_path,
        }

    def file_by_path(self, path: str) -> StoredFile | None:
        for stored in self.state.files.values():
            if stored.file_path == path:
                return stored
        return None

    # --- commands and profile texts ---------------------------------------------------

    def _scope_key(self, params: Params) -> str:
        scope = params.json("scope", error="can't parse BotCommandScope JSON object")
        if scope is None:
            return "default"
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return str(kind)
        if kind not in ("chat", "chat_administrators", "chat_member"):
            raise bad_request("unsupported bot command scope type")
        ref = scope.get("chat_id")
        chat = (
            self.state.resolve_chat(
                int(ref) if isinstance(ref, str) and ref.lstrip("-").isdigit() else ref
            )
            if ref is not None
            else None
        )
        if chat is None:
            raise bad_request(errors.CHAT_NOT_FOUND)
        if kind == "chat_member":
            user_id = scope.get("user_id")
            if not isinstance(user_id, int) or user_id not in self.state.users:
                raise bad_request("user not found")
            return f"chat_member:{chat.id}:{user_id}"
        return f"{kind}:{chat.id}"

    async def api_set_my_commands(self, params: Params) -> Any:
        commands = params.json("commands", error="can't parse commands JSON object")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        clean: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", "")).lstrip("/")
            description = str(command.get("description", ""))
            if not _COMMAND.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": description})
        key = (self._scope_key(params), params.string("language_code") or "")
        if clean:
            self.state.commands[key] = clean
        else:
            self.state.commands.pop(key, None)
        self.state.emit("commands")
        return True

    async def api_get_my_commands(self, params: Params) -> Any:
        key = (self._scope_key(params), params.string("language_code") or "")
        return list(self.state.commands.get(key, []))

    async def api_delete_my_commands(self, params: Params) -> Any:
        key = (self._scope_key(params), params.string("language_code") or "")
        self.state.commands.pop(key, None)
        self.state.emit("commands")
        return True

    def _set_text(self, params: Params, field: str, limit: int) -> Any:
        value = params.string(field) or ""
        if len(value) > limit:
            raise bad_request(f"{field.upper()}_INVALID")
        key = (field, params.string("language_code") or "")
        if value:
            self.state.texts[key] = value
        else:
            self.state.texts.pop(key, None)
        return True

    def _get_text(self, params: Params, field: str) -> Any:
        language = params.string("language_code") or ""
        value = self.state.texts.get((field, language))
        if value is None and field == "name" and not language:
            value = self.state.bot.first_name
        return {field: value or ""}

    async def api_set_my_description(self, params: Params) -> Any:
        return self._set_text(params, "description", 512)

    async def api_get_my_description(self, params: Params) -> Any:
        return self._get_text(params, "description")

    async def api_set_my_short_description(self, params: Params) -> Any:
        return self._set_text(params, "short_description", 120)

    async def api_get_my_short_description(self, params: Params) -> Any:
        return self._get_text(params, "short_description")

    async def api_set_my_name(self, params: Params) -> Any:
        return self._set_text(params, "name", 64)

    async def api_get_my_name(self, params: Params) -> Any:
        return self._get_text(params, "name")

    async def api_set_chat_menu_button(self, params: Params) -> Any:
        button = params.json("menu_button", error="can't parse menu button JSON object")
        if button is not None and (not isinstance(button, dict) or "type" not in button):
            raise bad_request("can't parse menu button JSON object")
        chat_id = params.integer("chat_id")
        self.state.texts[("menu_button", str(chat_id or ""))] = button or {"type": "default"}
        return True

    async def api_get_chat_menu_button(self, params: Params) -> Any:
        chat_id = params.integer("chat_id")
        texts: dict[Any, Any] = self.state.texts
        button = texts.get(("menu_button", str(chat_id or ""))) or texts.get(("menu_button", ""))
        if not button or button.get("type") == "default":
            return {"type": "commands"}
        return button

    # --- chats and members ------------------------------------------------------------

    async def api_get_chat(self, params: Params) -> Any:
        return self.state.chat_full_json(self._chat(params))

    async def api_get_chat_member(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        user_id = self._user_id(params)
        if chat.type == "private":
            if user_id not in (chat.id, state.bot.id):
                raise bad_request("user not found")
            return {"status": "member", "user": state.user_json(state.users[user_id])}
        if not state.bot_member(chat).present:
            raise forbidden(f"bot is not a member of the {chat.kind_label}")
        return state.member_json(chat, user_id)

    async def api_get_chat_administrators(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        if not state.bot_member(chat).present:
            raise forbidden(f"bot is not a member of the {chat.kind_label}")
        admins = [
            member
            for member in chat.members.values()
            if member.status in ("creator", "administrator")
        ]
        admins.sort(key=lambda member: member.status != "creator")
        return [state.member_json(chat, member.user_id) for member in admins]

    async def api_get_chat_member_count(self, params: Params) -> Any:
        chat = self._chat(params)
        if chat.type == "private":
            return 2
        return sum(1 for member in chat.members.values() if member.present)

    def _restrict_target(self, chat: Chat, user_id: int) -> Member:
        state = self.state
        if not chat.is_group:
            raise bad_request("method is available for supergroup and channel chats only")
        self._admin_right(
            chat, "can_restrict_members", "not enough rights to restrict/unrestrict chat member"
        )
        member = state.member(chat, user_id)
        if member.status == "creator":
            raise bad_request("can't remove chat owner")
        if member.status == "administrator":
            raise bad_request("user is an administrator of the chat")
        return member

    def _remove_from_chat(self, chat: Chat, user_id: int, new: Member) -> None:
        state = self.state
        was_present = state.member(chat, user_id).present
        change_member(state, chat, user_id, new, state.bot.id)
        if was_present:
            user_json = state.user_json(state.users[user_id])
            service_message(
                state,
                chat,
                state.bot.id,
                "left_chat_member",
                {"left_chat_member": user_json, "left_chat_participant": user_json},
            )

    async def api_ban_chat_member(self, params: Params) -> Any:
        chat = self._chat(params)
        user_id = self._user_id(params)
        if user_id == self.state.bot.id:
            raise bad_request("can't remove myself")
        self._restrict_target(chat, user_id)
        until = params.integer("until_date") or 0
        self._remove_from_chat(chat, user_id, Member(user_id, "kicked", until_date=until))
        if params.flag("revoke_messages"):
            for message in chat.live_messages():
                if message.sender_id == user_id:
                    message.deleted = True
            self.state.emit("chat", chat_id=chat.id)
        return True

    async def api_unban_chat_member(self, params: Params) -> Any:
        chat = self._chat(params)
        user_id = self._user_id(params)
        member = self._restrict_target(chat, user_id)
        if member.status == "kicked":
            change_member(self.state, chat, user_id, Member(user_id, "left"), self.state.bot.id)
        elif member.present and not params.flag("only_if_banned"):
            self._remove_from_chat(chat, user_id, Member(user_id, "left"))
        return True

    async def api_restrict_chat_member(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        user_id = self._user_id(params)
        if chat.type != "supergroup":
            raise bad_request("method is available only for supergroups")
        member = self._restrict_target(chat, user_id)
        permissions = params.json("permissions", error="can't parse chat permissions JSON object")
        if not isinstance(permissions, dict):
            raise bad_request("can't parse chat permissions JSON object")
        rights = {name: bool(permissions.get(name, False)) for name in PERMISSIONS}
        until = params.integer("until_date") or 0
        present = member.present
        if all(rights[name] or not chat.permissions.get(name, False) for name in PERMISSIONS):
            new = Member(user_id, "member" if present else "left")
        else:
            new = Member(user_id, "restricted", rights, until, present)
        change_member(state, chat, user_id, new, state.bot.id)
        return True

    async def api_promote_chat_member(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        user_id = self._user_id(params)
        if not chat.is_group:
            raise bad_request("method is available for supergroup and channel chats only")
        self._admin_right(chat, "can_promote_members", "not enough rights")
        member = state.member(chat, user_id)
        if member.status == "creator":
            raise bad_request("can't promote chat owner")
        if not member.present:
            raise bad_request("USER_NOT_PARTICIPANT")
        rights = {name: params.flag(name) for name in ADMIN_RIGHTS}
        if any(rights.values()):
            rights["can_manage_chat"] = True
            new = Member(user_id, "administrator", rights)
        else:
            new = Member(user_id, "member")
        change_member(state, chat, user_id, new, state.bot.id)
        return True

    async def api_leave_chat(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        if not state.bot_member(chat).present:
            raise forbidden(f"bot is not a member of the {chat.kind_label}")
        bot_json = state.user_json(state.bot)
        service_message(
            state,
            chat,
            state.bot.id,
            "left_chat_member",
            {"left_chat_member": bot_json, "left_chat_participant": bot_json},
        )
        change_member(state, chat, state.bot.id, Member(state.bot.id, "left"), state.bot.id)
        return True

    # --- pins -------------------------------------------------------------------------

    def _pin_rights(self, chat: Chat) -> None:
        if not chat.is_group:
            return
        member = self.state.bot_member(chat)
        if member.status == "creator":
            return
        if member.status == "administrator" and member.rights.get("can_pin_messages"):
            return
        if (
            member.status == "member"
            and chat.type == "group"
            and chat.permissions.get("can_pin_messages")
        ):
            return
        raise bad_request("not enough rights to manage pinned messages in the chat")

    async def api_pin_chat_message(self, params: Params) -> Any:
        state = self.state
        chat = self._chat(params)
        self._check_writable(chat)
        self._pin_rights(chat)
        message_id = params.integer("message_id", required=True, error="message to pin not found")
        message = state.get_message(chat, message_id)
        if message is None:
            raise bad_request("message to pin not found")
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        chat.pinned.append(message.message_id)
        service_message(
            state,
            chat,
            state.bot.id,
            "pinned_message",
            {"pinned_message": state.message_json(message, with_reply=False)},
            thread_id=message.thread_id if message.is_topic_message else None,
        )
        return True

    async def api_unpin_chat_message(self, params: Params) -> Any:
        chat = self._chat(params)
        self._check_writable(chat)
        self._pin_rights(chat)
        message_id = params.integer("message_id")
        if message_id is None:
            if chat.pinned:
                chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        self.state.emit("chat", chat_id=chat.id)
        return True

    async def api_unpin_all_chat_messages(self, params: Params) -> Any:
        chat = self._chat(params)
        self._check_writable(chat)
        self._pin_rights(chat)
        chat.pinned.clear()
        self.state.emit("chat", chat_id=chat.id)
        return True

    # --- forum topics -----------------------------------------------------------------

    def _forum(self, params: Params) -> Chat:
        chat = self._chat(params)
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        self._check_writable(chat)
        return chat

    def _topic_rights(self, chat: Chat, creator_id: int | None, error: str) -> None:
        member = self.state.bot_member(chat)
        if member.status == "creator" or member.rights.get("can_manage_topics"):
            return
        if creator_id == self.state.bot.id:
            return
        raise bad_request(error)

    def _topic(self, chat: Chat, params: Params) -> Any:
        thread_id = params.integer("message_thread_id", required=True, error="TOPIC_ID_INVALID")
        topic = chat.topics.get(thread_id or 0)
        if topic is None:
            raise bad_request("TOPIC_ID_INVALID")
        return topic

    async def api_create_forum_topic(self, params: Params) -> Any:
        chat = self._forum(params)
        self._topic_rights(chat, None, "not enough rights to create a topic")
        name = params.string("name") or ""
        if not name.strip():
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        color = params.integer("icon_color")
        if color is not None and color not in TOPIC_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        return create_topic(
            self.state, chat, self.state.bot.id, name, color, params.string("icon_custom_emoji_id")
        )

    async def api_edit_forum_topic(self, params: Params) -> Any:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        self._topic_rights(chat, topic.creator_id, "not enough rights to edit a topic")
        changes: dict[str, Any] = {}
        name = params.string("name")
        if name is not None and name != topic.name:
            if not name.strip() or len(name) > 128:
                raise bad_request("TOPIC_TITLE_EMPTY")
            changes["name"] = name
        emoji = params.string("icon_custom_emoji_id")
        if emoji is not None and emoji != (topic.icon_custom_emoji_id or ""):
            changes["icon_custom_emoji_id"] = emoji
        if not changes:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.name = changes.get("name", topic.name)
        topic.icon_custom_emoji_id = changes.get("icon_custom_emoji_id", topic.icon_custom_emoji_id)
        service_message(
            self.state,
            chat,
            self.state.bot.id,
            "forum_topic_edited",
            {"forum_topic_edited": changes},
            thread_id=topic.thread_id,
        )
        return True

    async def _set_topic_closed(self, params: Params, closed: bool) -> Any:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        self._topic_rights(chat, topic.creator_id, "not enough rights to manage topics")
        if topic.closed == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        kind = "forum_topic_closed" if closed else "forum_topic_reopened"
        service_message(
            self.state, chat, self.state.bot.id, kind, {kind: {}}, thread_id=topic.thread_id
        )
        return True

    async def api_close_forum_topic(self, params: Params) -> Any:
        return await self._set_topic_closed(params, True)

    async def api_reopen_forum_topic(self, params: Params) -> Any:
        return await self._set_topic_closed(params, False)

    async def api_delete_forum_topic(self, params: Params) -> Any:
        chat = self._forum(params)
        topic = self._topic(chat, params)
        self._topic_rights(chat, None, "not enough rights to delete a topic")
        for message in chat.live_messages():
            if message.thread_id == topic.thread_id:
                message.deleted = True
        del chat.topics[topic.thread_id]
        self.state.emit("chat", chat_id=chat.id)
        return True
