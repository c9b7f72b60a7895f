"""How long what people type may be, in one place: a dialog's check, the repository's own
check and the message that names the limit all read the same number."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Length:
    low: int
    high: int

    def cleaned(self, text: str | None, *, one_line: bool = True) -> str | None:
        """The text with its spacing tidied (runs of spaces and line breaks become one space
        when ``one_line``), or None when it is a command or its length does not fit."""
        value = " ".join((text or "").split()) if one_line else (text or "").strip()
        if value.startswith("/") or not self.low <= len(value) <= self.high:
            return None
        return value


# Materials
MATERIAL_TITLE = Length(3, 200)
MATERIAL_DESCRIPTION = Length(0, 2000)
MATERIAL_TEXT = Length(20, 3500)  # a text material: one Telegram message with its card
TAG = Length(1, 30)
TAGS_MAX = 10
REVIEW_REASON = Length(3, 500)  # a moderator's own words when rejecting or asking for changes
EXPERT_COMMENT = Length(0, 500)

# Forum
THREAD_TITLE = Length(3, 120)
POST_BODY = Length(0, 3500)  # a post fits in one Telegram message with its header
MODERATION_REASON = Length(3, 300)  # removing a post, closing a thread

# Conduct
SANCTION_REASON_MAX = 300  # longer reasons are cut, not refused: the sanction stands
REPORT_REASON_MAX = 200
APPEAL = Length(10, 1000)
RULE_ENTRY = Length(2, 60)  # a word or phrase of a conduct rule

# People
PERSON_NAME = Length(2, 150)
ORGANISATION = Length(3, 200)

# Events, deadlines, broadcasts (the survey builder's limits are the survey repository's)
EVENT_TITLE = Length(3, 150)
EVENT_PLACE = Length(2, 500)
EVENT_MESSAGE = Length(1, 3000)  # the organiser's message to those coming
DEADLINE_TITLE = Length(3, 150)
BROADCAST_TEXT = Length(1, 3500)
BROADCAST_CAPTION = Length(0, 1000)  # Telegram allows 1,024 characters under a file

# Search
SEARCH_QUERY_MAX = 200
