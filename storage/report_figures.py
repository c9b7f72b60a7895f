"""The figures of an effectiveness report (seeds 003 §8, §9, §10.2; 004 §3.1, §5.4, §6.1), as
plain data: what `ReportRepo.figures` computes with SQL aggregates, and what the card, the
charts, the workbook and the PDF render in the reader's language.

Labels are the domain's own keys (a MaterialKind value, a Position value, a subject key, an
organisation's name, a delivery kind), never translated words; an empty key means "not
given". Shares are fractions (0.25), None where the base is zero. No figure names a person:
the participant data bank is a separate export (`ReportRepo.data_bank`).
"""

from dataclasses import dataclass, field
from datetime import date

from storage.periods import Period

Counts = list[tuple[str, int]]  # (key, count), largest first unless the key has an order


@dataclass(frozen=True)
class Scope:
    """The whole network (community_id None) or one community."""

    community_id: int | None = None
    title: str = ""  # the community's title; empty for the network


@dataclass(frozen=True)
class Composition:
    """Seeds 003 §10.2, 004 §6.1: who the members are."""

    members: int  # active members at the end of the period (people, counted once)
    joined: int  # memberships that began in the period
    left: int  # memberships that ended in the period (left, removed, deleted)
    by_organisation: Counts  # organisation name -> members; "" = none given
    by_position: Counts  # Position value -> members; "" = none given
    by_subject: Counts  # Subject value -> members (a member with two subjects counts in both)


@dataclass(frozen=True)
class Participation:
    """Seed 003 §8 (growth of active participants) and §10.2 (even participation)."""

    active: int  # members who did at least one counted thing in the period
    share: float | None  # active / members
    previous_active: int  # the same in the previous period of the same length
    previous_share: float | None
    by_action: Counts  # action key -> people who did it; keys in ACTIONS' order
    actions: int  # all counted actions of the scope's members in the period
    top_decile_share: float | None  # share of the actions by the most active tenth of the active
    gini: float | None  # 0 = everyone equally active, towards 1 = a few do everything


# What counts as taking part, in the order the report lists them. A survey answer counts
# for the period its survey closed in, so no moment of answering is kept or revealed.
ACTIONS = ("shared", "reviewed", "posted", "attended", "answered")


@dataclass(frozen=True)
class Diversity:
    """Seed 003 §8: the forms of activity."""

    materials_by_kind: Counts  # published in the period, MaterialKind value -> count
    events_by_kind: Counts  # held in the period (not cancelled), EventKind value -> count
    threads: int  # opened in the period


@dataclass(frozen=True)
class Discussions:
    """Seed 003 §8: threads opened, threads with replies, replies, turnover."""

    opened: int  # threads opened in the period
    active: int  # threads with at least one reply in the period
    replies: int  # published replies in the period
    turnover: float | None  # share of the active threads opened in the period
    group_messages: int  # messages in the communities' linked Telegram groups


@dataclass(frozen=True)
class Periodicity:
    """Seed 003 §8: publications per week and the longest silence."""

    published: int
    per_week: list[int]  # one count per seven-day slice of the period (Period.weeks())
    mean_per_week: float
    longest_gap_days: float  # the longest stretch without a publication, in days, period
    # bounds included (a period without publications: its whole length)


@dataclass(frozen=True)
class Informing:
    """Seed 003 §8: what was sent, by kind (broadcast, event, event-message, survey,
    deadline, digest), from the delivery outbox."""

    kind: str
    mailings: int  # batches (one announcement to many) or, for single notices, messages
    messages: int  # deliveries queued
    delivered: int  # sent
    failed: int  # failed or blocked
    waiting: int  # pending or sending at the end of the period


@dataclass(frozen=True)
class TopMaterial:
    material_id: int
    title: str
    kind: str  # MaterialKind value or ""
    downloads: int
    views: int


@dataclass(frozen=True)
class Demand:
    """Seed 003 §10.2: demand for the resources."""

    views: int  # card openings in the period
    downloads: int
    useful: int  # 👍 given in the period
    not_useful: int  # 👎
    top_downloaded: list[TopMaterial]  # up to 10, most downloaded in the period
    never_opened: int  # published materials (at the end of the period) never opened at all
    published_total: int  # published materials at the end of the period


@dataclass(frozen=True)
class Repository:
    """Seed 003 §10.2: the repository's filling and the review pipeline."""

    published_by_kind: Counts  # published in the period
    published_by_grade: Counts  # grade as text ("0" preschool .. "11"), in grade order
    submitted: int  # materials sent for review in the period
    approved: int  # review decisions in the period
    rejected: int
    changes_requested: int
    median_decision_hours: float | None  # from submission to decision, decided in the period


@dataclass(frozen=True)
class Events:
    """Seed 004 §3.1: events held."""

    held: int  # began in the period, not cancelled
    by_kind: Counts
    places: Counts  # place -> events ("" = not given), most first, up to 10
    going: int  # "I'll come" answers to the events held
    attended: int  # marked as came
    marked: int  # events whose organiser marked attendance
    online: int  # events whose place is a link


@dataclass(frozen=True)
class SurveyFigures:
    """Seed 003 §9: one survey closed in the period."""

    survey_id: int
    title: str
    invited: int
    answered: int
    response_rate: float | None
    shown: bool  # False: fewer answers than the survey's minimum group, no figures below
    averages: list[tuple[str, float, int]] = field(default_factory=list)  # (question, mean,
    # scale max) for each scale question


@dataclass(frozen=True)
class DeadlineFigures:
    """Seed 004 §5.4: a report deadline that fell in the period."""

    deadline_id: int
    title: str
    due_on: date
    expected: int  # coordinators asked to submit (today's coordinators)
    on_time: int
    late: int
    missing: int


@dataclass(frozen=True)
class KeyFigures:
    """The figures the summary card compares with the previous period."""

    members: int
    active: int
    published: int
    threads: int
    replies: int
    events: int
    views: int
    downloads: int


@dataclass(frozen=True)
class Figures:
    scope: Scope
    period: Period
    composition: Composition
    participation: Participation
    diversity: Diversity
    discussions: Discussions
    periodicity: Periodicity
    informing: list[Informing]
    demand: Demand
    repository: Repository
    events: Events
    satisfaction: list[SurveyFigures]
    deadlines: list[DeadlineFigures]
    key: KeyFigures
    previous: KeyFigures  # the previous period of the same length


@dataclass(frozen=True)
class DataBankRow:
    """Seed 004 §6.1: one participant of the data bank (coordinators and admins only)."""

    organisation: str
    full_name: str
    position: str  # Position value or ""
    subjects: list[str]  # Subject values
    communities: list[str]  # titles of the communities they are an active member of
    joined: date  # their earliest active membership began (local date)


@dataclass(frozen=True)
class PlannedEvent:
    """Seed 004 §3.1, §6.1: one line of the plan of work."""

    starts_at_local: str  # "2026-09-15 15:00" in the period's zone
    kind: str  # EventKind value
    title: str
    community: str  # "" for a network-wide event
    place: str
    organiser: str
    status: str  # EventStatus value
