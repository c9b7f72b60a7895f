"""Telegram's HTML and MarkdownV2 parsing, UTF-16 offsets and entity detection."""

import pytest

from sandbox.formatting import ParseError, detect_entities, format_text, parse_html


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("привет <br>", 'Unsupported start tag "br" at byte offset 13'),
    ],
)
def test_html_errors_match_telegram(source: str, error: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_html(source)
    assert str(raised.value) == error


def test_html_entities_and_references() -> None:
    parsed = parse_html(
        '<a href="https://example.com">site</a> <blockquote>q</blockquote>'
        "<blockquote expandable>e</blockquote><tg-spoiler>s</tg-spoiler>"
        '<span class="tg-spoiler">t</span><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parsed.text == "site qest👍"
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == [
        ("text_link", 0, 4),
        ("blockquote", 5, 1),
        ("expandable_blockquote", 6, 1),
        ("spoiler", 7, 1),
        ("spoiler", 8, 1),
        ("custom_emoji", 9, 2),
    ]
    assert parse_html("&lt;&gt;&amp;&quot; &lt&gt &#65;&#x42; &nbsp; Tom & Jerry").text == (
        '<>&" <> AB &nbsp; Tom & Jerry'
    )


def test_pre_with_language_and_nesting() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>\n<b>a<i>b</i></b>')
    assert parsed.text == "x = 1\nab"
    assert parsed.entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "bold", "offset": 6, "length": 2},
        {"type": "italic", "offset": 7, "length": 1},
    ]


def test_offsets_are_utf16_and_text_is_trimmed() -> None:
    parsed = format_text("  \n<b>😀 ok</b> /start   ", "HTML")
    assert parsed.text == "😀 ok /start"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "bot_command", "offset": 6, "length": 6},
    ]


def test_markdown_v2() -> None:
    parsed = format_text(
        "*жирный* _курсив_ __подч__ ~зач~ ||спойлер|| `код` [ссылка](https://a.ru) 1\\.5",
        "MarkdownV2",
    )
    assert parsed.text == "жирный курсив подч зач спойлер код ссылка 1.5"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    with pytest.raises(ParseError, match=r"Character '\.' is reserved"):
        format_text("1.5", "MarkdownV2")
    with pytest.raises(ParseError, match="Can't find end of Bold entity at byte offset 0"):
        format_text("*открыто", "MarkdownV2")


def test_detected_entities() -> None:
    text = "/start@metodset_bot пишите @anna_t, #урок https://t.me/x. mail@school.ru </b>"
    kinds = [
        (e["type"], text[e["offset"] : e["offset"] + e["length"]]) for e in detect_entities(text)
    ]
    assert kinds == [
        ("bot_command", "/start@metodset_bot"),
        ("mention", "@anna_t"),
        ("hashtag", "#урок"),
        ("url", "https://t.me/x"),
        ("email", "mail@school.ru"),
    ]


def test_unknown_parse_mode() -> None:
    with pytest.raises(ValueError, match="Markdown3"):
        format_text("x", "Markdown3")
