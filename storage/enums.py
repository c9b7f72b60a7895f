"""Closed vocabularies of the domain, taken from the community's regulations (shared/seeds)."""

from enum import StrEnum


class UserStatus(StrEnum):
    NEW = "new"  # only the Telegram id is known: no consent yet
    ACTIVE = "active"  # consent given, profile stored
    DELETED = "deleted"  # personal data erased on the user's request


class GlobalRole(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    METHODIST = "methodist"


class OrganisationKind(StrEnum):
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"
    OTHER = "other"


class Position(StrEnum):
    SUBJECT_TEACHER = "subject_teacher"
    PRIMARY_TEACHER = "primary_teacher"
    KINDERGARTEN_TEACHER = "kindergarten_teacher"
    METHODIST = "methodist"
    HEAD = "head"
    OTHER = "other"


class Subject(StrEnum):
    RUSSIAN = "russian"
    LITERATURE = "literature"
    MATH = "math"
    INFORMATICS = "informatics"
    PHYSICS = "physics"
    CHEMISTRY = "chemistry"
    BIOLOGY = "biology"
    GEOGRAPHY = "geography"
    HISTORY = "history"
    SOCIAL = "social"
    FOREIGN = "foreign"
    PRIMARY = "primary"
    PRESCHOOL = "preschool"
    ARTS = "arts"
    MUSIC = "music"
    PE = "pe"
    TECHNOLOGY = "technology"
    SAFETY = "safety"
    PSYCHOLOGY = "psychology"
    CLASS_TEACHER = "class_teacher"


class CommunityStatus(StrEnum):
    PROPOSED = "proposed"  # an application waiting for the methodical centre
    ACTIVE = "active"
    ARCHIVED = "archived"
    DECLINED = "declined"  # an application that was turned down


class JoinPolicy(StrEnum):
    OPEN = "open"
    BY_REQUEST = "request"


class CommunityRole(StrEnum):
    MEMBER = "member"
    EXPERT = "expert"
    MODERATOR = "moderator"


class MembershipStatus(StrEnum):
    PENDING = "pending"  # a join request waiting for a moderator
    ACTIVE = "active"
    DECLINED = "declined"
    LEFT = "left"


class MaterialKind(StrEnum):
    """Kinds of materials the regulations name (seeds 000 §1.6, 003 §3.2)."""

    METHODICAL_DEVELOPMENT = "methodical_development"
    RECOMMENDATIONS = "recommendations"
    LESSON_PLAN = "lesson_plan"
    VIDEO = "video"  # a lesson or an extracurricular activity on video
    PROJECT = "project"
    ASSESSMENT = "assessment"  # КИМ, контрольно-измерительные материалы
    EVALUATION_SHEET = "evaluation_sheet"
    PRESENTATION = "presentation"
    WORK_PROGRAMME = "work_programme"
    OTHER = "other"


class MaterialStatus(StrEnum):
    DRAFT = "draft"  # the sharing dialog is still filling it in
    PENDING = "pending"  # in the review queue
    CHANGES_REQUESTED = "changes"  # a moderator asked the author to fix something
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the author took it back


class ContentType(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    VIDEO = "video"
    LINK = "link"
    TEXT = "text"


class ReviewSource(StrEnum):
    PREMODERATION = "premoderation"
    AUTO_FLAG = "auto_flag"  # the conduct-code engine asked for a look
    MEMBER_REPORT = "report"
    EDIT = "edit"  # a published item was edited
    APPEAL = "appeal"  # a member appeals a sanction


class ReviewStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes"
    CANCELLED = "cancelled"  # the author withdrew the item before a decision


class ExpertVerdict(StrEnum):
    """An expert's opinion of a material (seeds 000 §3.1, 001 §3.6)."""

    RECOMMENDED = "recommended"
    NEEDS_WORK = "needs_work"


class SanctionKind(StrEnum):
    WARNING = "warning"
    MUTE = "mute"
    BAN = "ban"


class DeliveryState(StrEnum):
    """One message to one recipient in the delivery outbox."""

    PENDING = "pending"  # waiting for its time (and the quiet hours, and the limits)
    SENDING = "sending"  # handed to Telegram; the answer not yet recorded
    SENT = "sent"
    FAILED = "failed"  # gave up after retries, or interrupted mid-send (see last_error)
    BLOCKED = "blocked"  # the recipient blocked the bot; nothing more goes to them
    CANCELLED = "cancelled"  # its event or broadcast was cancelled before it went out


class ThreadStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # no more replies; the reason is shown
    DELETED = "deleted"


class PostStatus(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"  # held by the conduct code or premoderation
    REJECTED = "rejected"
    DELETED = "deleted"


class EventKind(StrEnum):
    """Forms of the network's work the regulations name (seeds 003 §3.2, 004 §3.1)."""

    SEMINAR = "seminar"
    WEBINAR = "webinar"
    MASTER_CLASS = "master_class"
    ROUND_TABLE = "round_table"
    OPEN_LESSON = "open_lesson"
    METHODICAL_WEEK = "methodical_week"
    CONTEST = "contest"
    MARATHON = "marathon"
    MEETING = "meeting"  # a methodical association's meeting
    OTHER = "other"


class EventStatus(StrEnum):
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Recurrence(StrEnum):
    """How an event repeats; a series is one row per occurrence."""

    ONCE = ""
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_WEEKDAY = "monthly_weekday"  # e.g. every second Tuesday of the month
    MONTHLY_DATE = "monthly_date"  # e.g. on the 15th


class RsvpStatus(StrEnum):
    GOING = "going"
    WAITING = "waiting"  # the event is full: next in line
    NOT_GOING = "not_going"


class SurveyStatus(StrEnum):
    DRAFT = "draft"  # being built: questions can be edited and reordered
    SCHEDULED = "scheduled"  # published, opens at a set time
    OPEN = "open"
    CLOSED = "closed"


class QuestionKind(StrEnum):
    SCALE = "scale"  # 1-5 or 1-10, with labels at the ends
    SINGLE = "single"
    MULTIPLE = "multiple"  # optionally with an "other" answer
    TEXT = "text"
