"""Message formatting as Telegram does it: HTML and MarkdownV2 parsing, entity detection.

The HTML parser follows TDLib's ``parse_html`` (the code behind the Bot API), so the same
input is accepted or refused with the same words: only the tags Telegram allows, the four
named character references plus numeric ones, byte offsets in error messages, entity
offsets and lengths in UTF-16 code units.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]


class ParseError(Exception):
    """Raised with TDLib's wording; the Bot API prefixes "can't parse entities: "."""


@dataclass
class FormattedText:
    text: str
    entities: list[Entity] = field(default_factory=list)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


_SPACES = " \t\r\n\v\f"

HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_SIMPLE_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}

_TYPE_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 1,
    "code": 2,
    "text_link": 3,
    "text_mention": 3,
    "bold": 4,
    "italic": 5,
    "underline": 6,
    "strikethrough": 7,
    "spoiler": 8,
    "custom_emoji": 9,
    "date_time": 9,
}


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&lt;``, ``&gt;``, ``&amp;``, ``&quot;``, ``&#NN;``, ``&#xHH;`` at ``pos``.

    Returns the character and the position after the reference, or None when the
    ampersand does not start a supported reference (it is then kept literally).
    """
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        value = 0
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
        else:
            while end < n and text[end].isascii() and text[end].isdigit():
                value = value * 10 + int(text[end])
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in named:
            return None
        char = named[name]
    if end < n and text[end] == ";":
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    result_pos: int
    attributes: dict[str, str] = field(default_factory=dict)


def _valid_url(url: str) -> str | None:
    url = url.strip()
    if not url or any(ch in _SPACES for ch in url):
        return None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return url
    host = url.split("/", 1)[0]
    if "." not in host:
        return None
    return f"http://{url}"


def parse_html(
    source: str, user_lookup: Callable[[int], Entity | None] | None = None
) -> FormattedText:
    """Parse Telegram HTML into plain text and entities, or raise :class:`ParseError`."""
    text = source
    n = len(text)

    def at(index: int) -> str:
        return text[index] if index < n else "\0"

    def is_space(ch: str) -> bool:
        return ch in _SPACES or ch == "\0"

    result: list[str] = []
    result_len = 0
    utf16_offset = 0
    entities: list[Entity] = []
    stack: list[_OpenTag] = []

    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                char, i = decoded
                result.append(char)
                result_len += len(char)
                utf16_offset += utf16_len(char)
                continue
        if ch != "<":
            result.append(ch)
            result_len += 1
            utf16_offset += utf16_len(ch)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while not is_space(at(i)) and at(i) != ">":
                i += 1
            if i >= n:
                raise ParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            tag = text[begin + 1 : i].lower()
            offset = _byte_offset(text, begin)
            if tag not in HTML_TAGS:
                raise ParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
            argument = ""
            attributes: dict[str, str] = {}
            while at(i) != ">":
                while i < n and is_space(at(i)):
                    i += 1
                if at(i) == ">":
                    break
                attr_begin = i
                while not is_space(at(i)) and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i].lower()
                if not attr_name:
                    raise ParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {offset}'
                    )
                while i < n and is_space(at(i)):
                    i += 1
                if i >= n:
                    raise ParseError(f'Unclosed start tag "{tag}" at byte offset {offset}')
                if at(i) != "=":
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                        continue
                    raise ParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {offset}'
                    )
                i += 1
                while i < n and is_space(at(i)):
                    i += 1
                if i >= n:
                    raise ParseError(f'Unclosed start tag "{tag}" at byte offset {offset}')
                if at(i) not in "'\"":
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if not is_space(at(i)) and at(i) != ">":
                        raise ParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    value = "".join(chars)
                    if at(i) == quote:
                        i += 1
                if i >= n:
                    raise ParseError(f"Unclosed start tag at byte offset {offset}")
                attributes[attr_name] = value
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            stack.append(_OpenTag(tag, argument, utf16_offset, result_len, attributes))
            i += 1
            continue

        # An end tag.
        offset = _byte_offset(text, begin)
        if not stack:
            raise ParseError(f"Unexpected end tag at byte offset {offset}")
        while not is_space(at(i)) and at(i) != ">":
            i += 1
        end_tag = text[begin + 2 : i]
        while i < n and is_space(at(i)):
            i += 1
        if at(i) != ">":
            raise ParseError(f"Unclosed end tag at byte offset {offset}")
        i += 1
        open_tag = stack[-1]
        if end_tag and end_tag.lower() != open_tag.name:
            raise ParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{open_tag.name}>", '
                f'found "</{end_tag}>"'
            )
        if utf16_offset > open_tag.utf16_offset:
            entity = _entity_for_tag(
                open_tag,
                utf16_offset - open_tag.utf16_offset,
                "".join(result)[open_tag.result_pos :],
                entities,
                user_lookup,
            )
            if entity is not None:
                entities.append(entity)
        stack.pop()

    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return finish("".join(result), entities)


def _entity_for_tag(
    tag: _OpenTag,
    length: int,
    inner_text: str,
    entities: list[Entity],
    user_lookup: Callable[[int], Entity | None] | None,
) -> Entity | None:
    offset = tag.utf16_offset
    name = tag.name
    if name in _SIMPLE_TAG_TYPES:
        return {"type": _SIMPLE_TAG_TYPES[name], "offset": offset, "length": length}
    if name == "blockquote":
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        return {"type": kind, "offset": offset, "length": length}
    if name == "a":
        url = tag.argument or inner_text
        mention = re.fullmatch(r"tg://user\?id=(\d+)", url.strip())
        if mention and user_lookup is not None:
            user = user_lookup(int(mention.group(1)))
            if user is not None:
                return {"type": "text_mention", "offset": offset, "length": length, "user": user}
        checked = _valid_url(url)
        if checked is None:
            return None
        return {"type": "text_link", "offset": offset, "length": length, "url": checked}
    if name == "tg-emoji":
        if not tag.argument.isdigit() or not 0 < int(tag.argument) < 2**63:
            raise ParseError("Invalid custom emoji identifier specified")
        return {
            "type": "custom_emoji",
            "offset": offset,
            "length": length,
            "custom_emoji_id": tag.argument,
        }
    if name == "tg-time":
        unix = tag.attributes.get("unix", "")
        if not unix.isdigit():
            raise ParseError("Invalid Unix time specified")
        entity: Entity = {
            "type": "date_time",
            "offset": offset,
            "length": length,
            "unix_time": int(unix),
        }
        if tag.attributes.get("format"):
            entity["date_time_format"] = tag.attributes["format"]
        return entity
    if name == "pre":
        if (
            entities
            and entities[-1]["type"] == "code"
            and entities[-1]["offset"] == offset
            and entities[-1]["length"] == length
            and entities[-1].get("language")
        ):
            language = entities.pop()["language"]
            return {"type": "pre", "offset": offset, "length": length, "language": language}
        return {"type": "pre", "offset": offset, "length": length}
    # name == "code"
    if (
        entities
        and entities[-1]["type"] == "pre"
        and entities[-1]["offset"] == offset
        and entities[-1]["length"] == length
        and tag.argument
    ):
        entities[-1]["language"] = tag.argument
        return None
    entity = {"type": "code", "offset": offset, "length": length}
    if tag.argument:
        entity["language"] = tag.argument
    return entity


# --- MarkdownV2 -------------------------------------------------------------------------

_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
}
_MDV2_TYPES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


def parse_markdown_v2(source: str) -> FormattedText:
    """Parse MarkdownV2 (bold, italic, underline, strike, spoiler, code, pre, links,
    block quotes), refusing unescaped reserved characters as Telegram does."""
    text = source
    n = len(text)
    result: list[str] = []
    utf16_offset = 0
    entities: list[Entity] = []
    stack: list[tuple[str, int, int]] = []  # marker, utf16 offset, byte offset
    quote_start: int | None = None
    at_line_start = True
    i = 0

    def emit(chars: str) -> None:
        nonlocal utf16_offset
        result.append(chars)
        utf16_offset += utf16_len(chars)

    while i < n:
        ch = text[i]
        if at_line_start:
            at_line_start = False
            if ch == ">" or text.startswith("**>", i):
                if quote_start is None:
                    quote_start = utf16_offset
                i += 1 if ch == ">" else 3
                continue
            if quote_start is not None:
                # The quote ends before the line break that ended its last line.
                _close_quote(entities, quote_start, utf16_offset - 1)
                quote_start = None
        if ch == "\\":
            if i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                emit(text[i + 1])
                i += 2
                continue
            emit(ch)
            i += 1
            continue
        if ch == "\n":
            emit(ch)
            i += 1
            at_line_start = True
            continue
        if ch == "`":
            i, chunk_entity = _md_code(text, i, utf16_offset)
            emit(chunk_entity[0])
            entities.append(chunk_entity[1])
            continue
        if ch == "[" or (ch == "!" and i + 1 < n and text[i + 1] == "["):
            marker = "![" if ch == "!" else "["
            stack.append((marker, utf16_offset, _byte_offset(text, i)))
            i += len(marker)
            continue
        if ch == "]" and stack and stack[-1][0] in ("[", "!["):
            marker, start, byte_start = stack.pop()
            if i + 1 >= n or text[i + 1] != "(":
                raise ParseError(f"Can't find end of TextUrl entity at byte offset {byte_start}")
            close = text.find(")", i + 2)
            if close == -1:
                raise ParseError(f"Can't find end of TextUrl entity at byte offset {byte_start}")
            url = text[i + 2 : close].replace("\\)", ")").replace("\\\\", "\\")
            i = close + 1
            if utf16_offset > start:
                if marker == "![":
                    match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                    if not match:
                        raise ParseError("Custom emoji URL must have an emoji identifier")
                    entities.append(
                        {
                            "type": "custom_emoji",
                            "offset": start,
                            "length": utf16_offset - start,
                            "custom_emoji_id": match.group(1),
                        }
                    )
                elif (checked := _valid_url(url)) is not None:
                    entities.append(
                        {
                            "type": "text_link",
                            "offset": start,
                            "length": utf16_offset - start,
                            "url": checked,
                        }
                    )
            continue
        marker = ""  # none
        if text.startswith("__", i):
            marker = "__"
        elif text.startswith("||", i):
            marker = "||"
        elif ch in "*_~":
            marker = ch
        if marker:
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                if utf16_offset > start:
                    entities.append(
                        {
                            "type": _MDV2_TYPES[marker],
                            "offset": start,
                            "length": utf16_offset - start,
                        }
                    )
            else:
                stack.append((marker, utf16_offset, _byte_offset(text, i)))
            i += len(marker)
            continue
        if ch in _MDV2_RESERVED:
            raise ParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(ch)
        i += 1

    if stack:
        marker, _, byte_start = stack[-1]
        name = _MDV2_NAMES.get(marker, "TextUrl")
        raise ParseError(f"Can't find end of {name} entity at byte offset {byte_start}")
    if quote_start is not None:
        _close_quote(entities, quote_start, utf16_offset)
    return finish("".join(result), entities)


def _close_quote(entities: list[Entity], start: int, end: int) -> None:
    if end > start:
        entities.append({"type": "blockquote", "offset": start, "length": end - start})


def _md_code(text: str, i: int, utf16_offset: int) -> tuple[int, tuple[str, Entity]]:
    byte_start = _byte_offset(text, i)
    if text.startswith("```", i):
        close = text.find("```", i + 3)
        if close == -1:
            raise ParseError(f"Can't find end of Pre entity at byte offset {byte_start}")
        body = text[i + 3 : close]
        language = ""
        if "\n" in body:
            first, rest = body.split("\n", 1)
            if first and " " not in first:
                language, body = first, rest
        body = re.sub(r"\\([`\\])", r"\1", body)
        entity: Entity = {"type": "pre", "offset": utf16_offset, "length": utf16_len(body)}
        if language:
            entity["language"] = language
        return close + 3, (body, entity)
    close = i + 1
    while close < len(text) and text[close] != "`":
        close += 2 if text[close] == "\\" else 1
    if close >= len(text):
        raise ParseError(f"Can't find end of Code entity at byte offset {byte_start}")
    body = re.sub(r"\\([`\\])", r"\1", text[i + 1 : close])
    return close + 1, (body, {"type": "code", "offset": utf16_offset, "length": utf16_len(body)})


def parse_markdown(source: str) -> FormattedText:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    text = source
    n = len(text)
    result: list[str] = []
    utf16_offset = 0
    entities: list[Entity] = []
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            result.append(text[i + 1])
            utf16_offset += 1
            i += 2
            continue
        if ch not in "_*`[":
            result.append(ch)
            utf16_offset += utf16_len(ch)
            i += 1
            continue
        byte_start = _byte_offset(text, i)
        if ch == "[":
            close = text.find("]", i + 1)
            if close == -1 or close + 1 >= n or text[close + 1] != "(":
                raise ParseError(
                    f"Can't find end of the entity starting at byte offset {byte_start}"
                )
            url_end = text.find(")", close + 2)
            if url_end == -1:
                raise ParseError(
                    f"Can't find end of the entity starting at byte offset {byte_start}"
                )
            label = text[i + 1 : close]
            url = text[close + 2 : url_end]
            result.append(label)
            if label and (checked := _valid_url(url)) is not None:
                entities.append(
                    {
                        "type": "text_link",
                        "offset": utf16_offset,
                        "length": utf16_len(label),
                        "url": checked,
                    }
                )
            utf16_offset += utf16_len(label)
            i = url_end + 1
            continue
        marker = "```" if text.startswith("```", i) else ch
        close = text.find(marker, i + len(marker))
        if close == -1:
            raise ParseError(f"Can't find end of the entity starting at byte offset {byte_start}")
        body = text[i + len(marker) : close]
        kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[marker]
        entity: Entity = {"type": kind, "offset": utf16_offset, "length": utf16_len(body)}
        if marker == "```" and "\n" in body:
            first, rest = body.split("\n", 1)
            if first and " " not in first:
                entity["language"] = first
                body = rest
                entity["length"] = utf16_len(body)
        result.append(body)
        if body:
            entities.append(entity)
        utf16_offset += utf16_len(body)
        i = close + len(marker)
    return finish("".join(result), entities)


# --- Shared post-processing -------------------------------------------------------------


def _sort_key(entity: Entity) -> tuple[int, int, int]:
    return (entity["offset"], -entity["length"], _TYPE_PRIORITY.get(entity["type"], 10))


def finish(text: str, entities: list[Entity]) -> FormattedText:
    """Trim surrounding white space as Telegram does, shifting and clipping entities."""
    stripped_left = len(text) - len(text.lstrip(_SPACES))
    left_units = utf16_len(text[:stripped_left])
    text = text.strip(_SPACES)
    total = utf16_len(text)
    fixed: list[Entity] = []
    for entity in entities:
        start = max(0, entity["offset"] - left_units)
        end = min(total, entity["offset"] + entity["length"] - left_units)
        if end <= start:
            continue
        fixed.append({**entity, "offset": start, "length": end - start})
    fixed.sort(key=_sort_key)
    return FormattedText(text, fixed)


def format_text(
    text: str,
    parse_mode: str | None,
    entities: list[Entity] | None = None,
    user_lookup: Callable[[int], Entity | None] | None = None,
) -> FormattedText:
    """Turn what a bot sent (text + parse_mode or explicit entities) into the stored form.

    Raises :class:`ParseError` for malformed markup and :class:`ValueError` for an unknown
    parse mode. Auto-detected entities (commands, mentions, links) are added as Telegram
    adds them.
    """
    if entities:
        formatted = finish(text, [dict(entity) for entity in entities])
    elif parse_mode:
        mode = parse_mode.lower()
        if mode == "html":
            formatted = parse_html(text, user_lookup)
        elif mode == "markdownv2":
            formatted = parse_markdown_v2(text)
        elif mode == "markdown":
            formatted = parse_markdown(text)
        else:
            raise ValueError(parse_mode)
    else:
        formatted = finish(text, [])
    formatted.entities = merge_detected(formatted.text, formatted.entities)
    return formatted


# --- Entity detection -------------------------------------------------------------------

_DETECTORS: list[tuple[str, re.Pattern[str]]] = [
    (
        "bot_command",
        re.compile(r"(?<![\w/@<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"),
    ),
    (
        "email",
        re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
    ),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
    (
        "url",
        re.compile(r"(?i)(?<![\w@/.])(?:https?://|www\.|t\.me/)[^\s<>\"]+"),
    ),
]

_URL_TRAILING = ".,;:!?)]}'\""


def detect_entities(text: str) -> list[Entity]:
    """Commands, mentions, hashtags, e-mails and links, as Telegram marks them up."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "url":
                while end > start and text[end - 1] in _URL_TRAILING:
                    end -= 1
            if end <= start:
                continue
            if any(start < f_end and f_start < end for f_start, f_end, _ in found):
                continue
            found.append((start, end, kind))
    found.sort()
    return [
        {
            "type": kind,
            "offset": utf16_len(text[:start]),
            "length": utf16_len(text[start:end]),
        }
        for start, end, kind in found
    ]


_NO_DETECTION_INSIDE = {"code", "pre", "text_link", "text_mention", "custom_emoji", "date_time"}


def merge_detected(text: str, entities: list[Entity]) -> list[Entity]:
    """Add auto-detected entities that do not fall inside code, pre or links."""
    blocked = [e for e in entities if e["type"] in _NO_DETECTION_INSIDE]
    merged = list(entities)
    for entity in detect_entities(text):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if any(start < b["offset"] + b["length"] and b["offset"] < end for b in blocked):
            continue
        merged.append(entity)
    merged.sort(key=_sort_key)
    return merged


def slice_utf16(text: str, offset: int, length: int) -> str:
    """The part of ``text`` an entity covers."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le", "surrogatepass")


def command_of(text: str, entities: list[Entity]) -> str | None:
    """The bot command a message starts with (``/start@bot`` -> ``start``), if any."""
    for entity in entities:
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            command = slice_utf16(text, 0, entity["length"])[1:]
            return command.split("@", 1)[0].lower()
    return None
