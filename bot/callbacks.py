"""Typed callback data. Prefixes are short and unique; data stays under Telegram's 64 bytes.

Callback data is user-controlled input: handlers re-check every permission on the server.

Each field is typed (an id, a number, an enum, a flag); nothing is packed into a string by
hand. The digit in a prefix is the layout's version: a class whose fields change gets the
next one (rv1 -> rv2), so a button sent before the change no longer unpacks and is answered
as stale (handlers/fallback.py) instead of being read with the new layout.
"""

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from moderation.rules import Action as RuleAction
from storage.enums import (
    EventKind,
    JoinPolicy,
    MaterialKind,
    OrganisationKind,
    Position,
    QuestionKind,
    Recurrence,
    ReviewSource,
    Subject,
)
from storage.numbers import DB_INT_MAX
from storage.repositories.materials import Decision

# Every int in button data is a row id, a page or a small count: a forged "-1" or a twenty-
# digit number fails to unpack, so the press falls through to the stale-button answer
# instead of reaching the database (which holds 64-bit integers at most).
Id = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
# Pages: -1 is "my materials" (handlers/library.py), 999 "the last page" (handlers/threads.py).
Page = Annotated[int, Field(ge=-1, le=1_000_000)]
# A grade, a scale's top, a number of days, a length limit, a bit mask of ticked options.
Number = Annotated[int, Field(ge=0, le=1_000_000)]


class ConsentAction(StrEnum):
    ACCEPT = "y"
    DECLINE = "n"


class ConsentCallback(CallbackData, prefix="cs1"):
    action: ConsentAction


class LanguageCallback(CallbackData, prefix="lg1"):
    locale: str


class ProfileAction(StrEnum):
    BACK = "back"
    CANCEL = "cancel"
    ORG = "org"  # pick an organisation by id
    ORG_PAGE = "orgp"
    ORG_KIND = "kind"
    POSITION = "pos"
    SUBJECT = "subj"
    DONE = "done"
    EDIT = "edit"
    TZ = "tz"


class ProfileField(StrEnum):
    """What EDIT opens, from the profile card."""

    NAME = "name"
    ORGANISATION = "organisation"
    POSITION = "position"
    SUBJECTS = "subjects"
    TZ = "tz"


class ProfileCallback(CallbackData, prefix="pf2"):
    action: ProfileAction
    organisation_id: Id | None = None  # ORG
    page: Page = 0  # ORG_PAGE
    organisation_kind: OrganisationKind | None = None  # ORG_KIND
    position: Position | None = None  # POSITION
    subject: Subject | None = None  # SUBJECT
    field: ProfileField | None = None  # EDIT
    zone: str = ""  # TZ: an IANA name from handlers/profile.py's TIME_ZONES


class PrivacyAction(StrEnum):
    SHOW = "show"
    EXPORT = "export"
    DELETE = "delete"
    DELETE_CONFIRM = "delete_ok"
    DELETE_CANCEL = "delete_no"


class PrivacyCallback(CallbackData, prefix="pv1"):
    action: PrivacyAction


class CommunityAction(StrEnum):
    LIST = "list"
    CARD = "card"
    JOIN = "join"
    LEAVE = "leave"
    MINE = "mine"
    APPLY = "apply"
    SUBSCRIBE = "sub"  # new materials: on / off


class CommunityCallback(CallbackData, prefix="cm1"):
    action: CommunityAction
    community_id: Id = 0
    page: Page = 0


class DecisionAction(StrEnum):
    APPROVE = "ok"
    DECLINE = "no"


class JoinRequestCallback(CallbackData, prefix="jr1"):
    action: DecisionAction
    membership_id: Id


class ApplicationCallback(CallbackData, prefix="ap1"):
    action: DecisionAction
    community_id: Id


class ApplicationFormAction(StrEnum):
    SKIP = "skip"
    POLICY = "policy"
    SUBMIT = "submit"
    CANCEL = "cancel"
    BACK = "back"


class ApplicationFormCallback(CallbackData, prefix="af2"):
    action: ApplicationFormAction
    join_policy: JoinPolicy | None = None  # POLICY


class AdminAction(StrEnum):
    MENU = "menu"
    ADD_MODERATOR = "addmod"
    ADD_EXPERT = "addexp"
    DEMOTE = "demote"  # asks first
    DEMOTE_CONFIRM = "demote_ok"
    ARCHIVE = "arch"
    ARCHIVE_CONFIRM = "arch_ok"
    LINK = "link"


class AdminCallback(CallbackData, prefix="ad1"):
    action: AdminAction
    community_id: Id
    user_id: Id = 0


class ShareAction(StrEnum):
    RESUME = "resume"
    RESTART = "restart"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"  # leave, keeping the draft
    DISCARD = "discard"
    COMMUNITY = "comm"
    KIND = "kind"
    GRADE = "grade"
    DONE = "done"
    USE_FILE_NAME = "fname"
    SUBMIT = "submit"
    EDIT = "edit"  # the field to change from the preview
    CLEAR = "clear"  # empty the optional field being changed (description, tags)


class ShareField(StrEnum):
    TITLE = "title"
    DESCRIPTION = "description"
    COMMUNITY = "community"
    KIND = "kind"
    GRADES = "grades"
    TAGS = "tags"
    CONTENT = "content"


class ShareCallback(CallbackData, prefix="sh2"):
    action: ShareAction
    community_id: Id | None = None  # COMMUNITY
    kind: MaterialKind | None = None  # KIND
    grade: Number | None = None  # GRADE
    field: ShareField | None = None  # EDIT


class ReviewAction(StrEnum):
    APPROVE = "ok"
    REJECT = "rej"
    CHANGES = "chg"
    REASON = "why"  # a reason picked from the list
    TYPE_REASON = "type"
    FIX = "fix"  # no field: the menu of fields to fix
    FIX_KIND = "fk"
    FIX_GRADE = "fg"
    MENU = "menu"  # back to the decision buttons
    BACK = "back"  # from the reasons list to the decision buttons, this card only
    FILE = "file"  # send the material's file (or full text) to the presser, privately
    CANCEL = "cancel"  # stop typing a reason or a fix


class FixField(StrEnum):
    TITLE = "title"
    KIND = "kind"
    GRADES = "grades"
    TAGS = "tags"


class ReviewCallback(CallbackData, prefix="rv2"):
    action: ReviewAction
    item_id: Id
    decision: Decision | None = None  # REASON, TYPE_REASON: reject or ask for changes
    reason: str = ""  # REASON: a key of handlers/review.py's REASONS
    field: FixField | None = None  # FIX
    kind: MaterialKind | None = None  # FIX_KIND
    grade: Number | None = None  # FIX_GRADE


class MaterialAction(StrEnum):
    OPEN = "open"
    DOWNLOAD = "dl"
    USEFUL = "up"
    NOT_USEFUL = "down"
    WITHDRAW = "wd"
    EDIT = "edit"
    MINE = "mine"
    PAGE = "page"  # a page of search results
    EXPERTISE = "exp"  # the author asks for an expert review
    REPORT = "rep"  # a member reports the material; ``page`` carries nothing here


class MaterialCallback(CallbackData, prefix="mt1"):
    action: MaterialAction
    material_id: Id = 0
    page: Page = 0


class ExpertAction(StrEnum):
    RECOMMEND = "rec"
    NEEDS_WORK = "work"
    NO_COMMENT = "nc"
    FILE = "file"  # send the material's file (or full text) to the expert


class ExpertCallback(CallbackData, prefix="ex1"):
    action: ExpertAction
    review_id: Id


class SearchFilterField(StrEnum):
    COMMUNITY = "c"
    KIND = "k"
    GRADE = "g"
    THREADS = "t"  # search discussions instead of materials


class SearchFilterCallback(CallbackData, prefix="sf2"):
    """Nothing chosen: show the field's choices; ``any``: drop the filter; else the choice.

    THREADS: ``any`` goes back to materials, otherwise to discussions."""

    field: SearchFilterField
    any: bool = False
    number: Id | None = None  # COMMUNITY: its id; GRADE: the grade
    kind: MaterialKind | None = None  # KIND


class ReportCallback(CallbackData, prefix="rp1"):
    material_id: Id
    reason: str = ""  # empty: show the reasons


class CaseAction(StrEnum):
    DELETE = "del"  # a reported message: delete it and warn the author
    KEEP = "keep"  # ... or leave it: the report was unfounded
    LIFT = "lift"  # an appeal: lift the sanction
    UPHOLD = "hold"  # ... or keep it in force
    HISTORY = "hist"  # the member's record, before deciding


class CaseCallback(CallbackData, prefix="ca1"):
    action: CaseAction
    item_id: Id


class QueueAction(StrEnum):
    SHOW = "show"  # the first item of a filter
    NEXT = "next"  # the one after item_id
    CLAIM = "take"
    FILTERS = "flt"  # choose a filter


class QueueCallback(CallbackData, prefix="qu1"):
    action: QueueAction
    item_id: Id = 0
    source: ReviewSource | None = None  # None: every source
    community_id: Id = 0  # 0: all the moderator's communities


class ThreadAction(StrEnum):
    LIST = "list"  # a community's threads
    OPEN = "open"  # a thread, a page of its posts
    NEW = "new"
    REPLY = "reply"
    QUOTE = "quote"  # reply quoting post_id
    FOLLOW = "follow"  # follow or unfollow
    FULL = "full"  # a post in full, with its file and what one may do with it
    EDIT = "edit"  # the author edits post_id
    REMOVE = "rm"  # the author or a moderator removes post_id
    PIN = "pin"  # moderators: pin or unpin
    CLOSE = "close"  # moderators: close (asks the reason) or reopen
    MOVE = "move"  # moderators: choose a community (community_id 0), or move there
    JOIN = "join"  # a reader joins an open community and stays where they were


class ThreadCallback(CallbackData, prefix="th1"):
    action: ThreadAction
    community_id: Id = 0
    thread_id: Id = 0
    post_id: Id = 0
    page: Page = 0


class RulesAction(StrEnum):
    LIST = "list"
    OPEN = "open"
    SET_ACTION = "act"
    DRY_RUN = "dry"
    ADD_WORD = "add"
    REMOVE_WORD = "del"
    MODEL = "mdl"  # the learned classifier's card
    MODEL_SWITCH = "mon"  # on or off (attached from the shipped file when absent)
    MODEL_DRY_RUN = "mdr"


class RulesCallback(CallbackData, prefix="cr2"):
    action: RulesAction
    rule: str = ""  # a rule's id in the conduct code
    rule_action: RuleAction | None = None  # SET_ACTION


class EventAction(StrEnum):
    LIST = "list"  # back to /events
    OPEN = "open"
    GOING = "go"
    NOT_GOING = "no"
    ICS = "ics"
    ATTENDEES = "who"
    CSV = "csv"
    CANCEL = "cancel"
    CANCEL_ONE = "c1"
    CANCEL_SERIES = "cs"
    EDIT = "edit"
    EDIT_FIELD = "ef"
    MESSAGE = "msg"
    MESSAGE_SEND = "ms"
    ATTENDANCE = "att"  # after the start: who came (``page``)
    ATTEND = "at"  # tick or untick ``person`` on it
    # the creation dialog (handlers/event_form.py)
    NEW_KIND = "nk"
    NEW_NO_DESCRIPTION = "nd"
    NEW_REGISTRATION = "ng"
    NEW_WHERE = "nw"
    NEW_CAPACITY = "nc"
    NEW_REPEAT = "nr"
    NEW_REMINDERS = "nm"
    NEW_LATER = "nl"
    NEW_PUBLISH = "np"


class EventField(StrEnum):
    """What EDIT_FIELD changes."""

    TITLE = "title"
    WHEN = "when"
    DURATION = "duration"
    PLACE = "place"


class EventCallback(CallbackData, prefix="ev2"):
    action: EventAction
    event_id: Id = 0
    field: EventField | None = None  # EDIT_FIELD
    kind: EventKind | None = None  # NEW_KIND
    community_id: Id | None = None  # NEW_WHERE (0: the whole network)
    recurrence: Recurrence = Recurrence.ONCE  # NEW_REPEAT (ONCE packs as "", so not None)
    person: Id | None = None  # ATTEND: the user's id
    page: int = 0  # ATTENDANCE, ATTEND


class DeadlineAction(StrEnum):
    LIST = "list"
    OPEN = "open"
    SUBMIT = "sub"  # a coordinator marks the report as submitted
    UNSUBMIT = "unsub"  # and takes the mark back (``card`` as for SUBMIT)
    CANCEL = "cancel"  # asks to confirm
    CANCEL_CONFIRM = "cancel_ok"
    NEW_DEFAULT = "nd"  # the dialog: the default reminder offsets
    NEW_SAVE = "ns"


class DeadlineCallback(CallbackData, prefix="dl2"):
    action: DeadlineAction
    deadline_id: Id = 0
    card: bool = False  # SUBMIT, UNSUBMIT: pressed on the deadline's card, not a reminder


class BroadcastAction(StrEnum):
    TOGGLE = "t"  # a community in or out of the audience
    ALL = "all"
    NEXT = "next"
    NOW = "now"
    SEND = "send"
    STOP = "stop"
    RESEND = "re"  # any batch: resend what a crash left unknown


class BroadcastCallback(CallbackData, prefix="bc1"):
    action: BroadcastAction
    value: Id = 0


class SurveyBuildAction(StrEnum):
    """The survey builder (handlers/survey_builder.py)."""

    DRAFT = "draft"  # open a draft's editor (also pressed from /surveys)
    NEW = "new"  # template: a template's key, or none for a blank survey
    NO_INTRO = "nointro"
    ADD = "add"  # choose the kind of a new question
    KIND = "kind"  # kind: the question's kind
    SCALE = "scale"  # number: 5 or 10
    NO_LABELS = "nolabels"
    OTHER = "other"  # yes or not, while adding a multiple-choice question
    LIMIT = "limit"  # number: the default length limit of a free answer
    REQUIRED = "req"  # yes or not, the last step of adding a question
    QUESTION = "q"  # a question's own view
    EDIT_TEXT = "etext"
    EDIT_EXTRA = "eextra"  # options, scale or length limit, by kind
    TOGGLE_REQUIRED = "treq"
    TOGGLE_OTHER = "toth"
    UP = "up"
    DOWN = "down"
    DELETE = "del"  # asks to confirm
    DELETE_YES = "delyes"
    PUBLISH = "pub"  # the audience, the dates, the summary
    EVERYONE = "all"
    AUDIENCE = "aud"  # number: a community's id
    NEXT = "next"
    NOW = "now"
    CLOSE_IN = "closein"  # number: days after opening
    MIN_GROUP = "mingroup"
    REMINDERS = "remind"
    CONFIRM = "confirm"


class SurveyBuildCallback(CallbackData, prefix="sb2"):
    action: SurveyBuildAction
    survey_id: Id = 0
    question_id: Id = 0
    template: str = ""  # NEW: a key of storage/survey_templates.py's TEMPLATES
    kind: QuestionKind | None = None  # KIND
    number: Id | None = None  # SCALE, LIMIT, AUDIENCE, CLOSE_IN, MIN_GROUP (as commented there)
    yes: bool = False  # OTHER, REQUIRED


class SurveyAnswerAction(StrEnum):
    """Answering (handlers/survey_answer.py)."""

    TAKE = "take"  # the invitation's button: start or resume
    PREVIEW = "pv"  # the builder's preview: walk the questions as a respondent, store nothing
    # The steps: the question, and an argument (a number, an option's index, a bit mask).
    BEGIN = "go"  # the introduction's "Start"
    NUMBER = "n"  # a scale's value
    CHOOSE = "c"  # a single choice: the option's index
    TOGGLE = "t"  # a multiple choice: the ticks after the press, as a bit mask
    OTHER = "o"  # a multiple choice's "Other…": the next text is the answer
    DONE = "d"  # a multiple choice: the ticks to keep
    KEEP = "k"  # a free-text question answered before: keep it and go on
    SKIP = "s"  # an optional question left unanswered
    BACK = "b"  # the previous question (from the summary: the last one)
    SUBMIT = "ok"  # the summary's "Submit"


class SurveyAnswerCallback(CallbackData, prefix="sa2"):
    action: SurveyAnswerAction
    survey_id: Id = 0
    preview: bool = False  # the builder's preview, not stored answers
    question_id: Id = 0
    arg: Number = 0


class SurveyResultAction(StrEnum):
    """Results and exports (handlers/survey_results.py)."""

    OPEN = "open"
    LIST = "list"  # back to /surveys
    RESULTS = "res"
    CHART = "chart"
    CSV = "csv"
    XLSX = "xlsx"
    CLOSE = "close"  # asks first
    CLOSE_YES = "close_yes"


class SurveyResultCallback(CallbackData, prefix="sr2"):
    action: SurveyResultAction
    survey_id: Id = 0


class AnalysisAction(StrEnum):
    """The effectiveness report (/report): scope and period pickers, the card, documents."""

    SCOPES = "sc"  # the list of what this person may report on (``page``)
    SCOPE = "s"  # a scope picked: the period picker
    TYPE = "t"  # type the dates
    CARD = "c"  # the summary card for ``first``..``last``
    CHARTS = "ch"
    XLSX = "x"
    PDF = "p"
    BANK = "b"  # the participant data bank (coordinators and admins)
    PLAN = "pl"  # the plan of work for the academic year of ``first``


class AnalysisCallback(CallbackData, prefix="an1"):
    action: AnalysisAction
    community: Id = 0  # 0: the whole network
    page: Page = 0
    first: Number = 0  # the period's first and last day as date.toordinal()
    last: Number = 0
    apart: bool = False  # answer in a message of its own: the one pressed on stays as it is


class AppealAction(StrEnum):
    START = "go"  # the notice's button: ask why
    SEND = "send"  # the confirmation: send it to the moderators
    REWRITE = "redo"  # ... or write the reason again
    CANCEL = "no"


class AppealCallback(CallbackData, prefix="apl1"):
    action: AppealAction
    sanction_id: Id


class GroupLinkCallback(CallbackData, prefix="gl1"):
    """/link in a group when the community already has one: replace it, or keep it."""

    community_id: Id
    moderators: bool
    replace: bool


# --- buttons sent in the older formats -------------------------------------------------------
# Most old buttons are answered "this button is out of date" (handlers/fallback.py). Three
# kinds live for days or weeks in people's chats and keep working: a survey invitation's
# "Take the survey", a report-deadline reminder's "Submitted", and a review card's own
# buttons (approve, reject, ask for changes, fix, open the file).


class SurveyInvitationV1(CallbackData, prefix="sa1"):
    """An invitation's button as sent before ``SurveyAnswerCallback`` (sa2): "sa1:take:<id>:"."""

    action: str
    survey_id: Id = 0
    value: str = ""


class ReviewCardV1(CallbackData, prefix="rv1"):
    """A review card's button as sent before ``ReviewCallback`` (rv2): "rv1:ok:<item id>:"."""

    action: str
    item_id: Id = 0
    value: str = ""


class DeadlineReminderV1(CallbackData, prefix="dl1"):
    """A reminder's button as sent before ``DeadlineCallback`` (dl2): "dl1:sub:<id>:"."""

    action: str
    deadline_id: Id = 0
    value: str = ""
