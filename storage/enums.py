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
