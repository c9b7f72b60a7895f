"""Typed SQLAlchemy models. Times are stored in UTC."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    ContentType,
    DeliveryState,
    EventKind,
    EventStatus,
    ExpertVerdict,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    OrganisationKind,
    Position,
    PostStatus,
    QuestionKind,
    ReviewSource,
    ReviewStatus,
    RsvpStatus,
    SanctionKind,
    SurveyStatus,
    ThreadStatus,
    UserStatus,
)


def enum_type(enum_cls: type[Enum]) -> SAEnum:
    """Store enum values (not names) as short strings with a CHECK, the same on both backends."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        name=enum_cls.__name__.lower(),
        create_constraint=True,
    )


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("name", "municipality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind))
    municipality: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(unique=True)
    status: Mapped[UserStatus] = mapped_column(enum_type(UserStatus), default=UserStatus.NEW)
    # Personal data: empty until consent, erased on /delete_me.
    full_name: Mapped[str | None] = mapped_column(String(150))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    position: Mapped[Position | None] = mapped_column(enum_type(Position))
    subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    # Set when Telegram says the user blocked the bot: the outbox stops writing to them.
    bot_blocked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    roles: Mapped[list["UserRole"]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        back_populates="user",
        foreign_keys="UserRole.user_id",
    )

    @property
    def global_roles(self) -> frozenset[GlobalRole]:
        return frozenset(role.role for role in self.roles)

    @property
    def has_consent(self) -> bool:
        return self.status is UserStatus.ACTIVE


class UserRole(Base):
    """A global role (admin, coordinator, methodist); roles are data assigned by admins."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[GlobalRole] = mapped_column(enum_type(GlobalRole))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime]

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="roles")


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (
        Index("ix_communities_status_title", "status", "title"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(200), default="")  # subject or problem area
    join_policy: Mapped[JoinPolicy] = mapped_column(enum_type(JoinPolicy), default=JoinPolicy.OPEN)
    status: Mapped[CommunityStatus] = mapped_column(
        enum_type(CommunityStatus), default=CommunityStatus.ACTIVE
    )
    group_chat_id: Mapped[int | None] = mapped_column(unique=True)
    # A forum supergroup: each thread gets a topic there, and the topic's messages are replies.
    group_is_forum: Mapped[bool] = mapped_column(default=False)
    # Where review cards go; without it moderators use /queue in private chat.
    moderators_chat_id: Mapped[int | None] = mapped_column(unique=True)
    # The community's sanctions ladder and flood limits (moderation.sanctions.Ladder).
    conduct_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The application of seed 001 §3.1.4: problem, expected result, term, participants.
    problem: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    term: Mapped[str] = mapped_column(String(200), default="")
    initial_participants: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        Index("ix_memberships_user_status", "user_id", "status"),
        Index("ix_memberships_community_joined", "community_id", "joined_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[CommunityRole] = mapped_column(
        enum_type(CommunityRole), default=CommunityRole.MEMBER
    )
    status: Mapped[MembershipStatus] = mapped_column(
        enum_type(MembershipStatus), default=MembershipStatus.ACTIVE
    )
    created_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    # The member asked to hear of every new material published in the community.
    notify_materials: Mapped[bool] = mapped_column(default=False)
    # When the membership last became active and when it ended (left, removed, the account
    # deleted): the reports count members at a moment and who joined or left in a period.
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class AuditEntry(Base):
    """Every privileged action: who did what to which object, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Material(Base):
    """A teaching material: a file kept by Telegram file_id, a link, or a text."""

    __tablename__ = "materials"
    __table_args__ = (
        Index("ix_materials_author_status", "author_id", "status"),
        Index("ix_materials_community_status", "community_id", "status"),
        # The reports: what was sent for review in a period, and what the repository held
        # at a moment and how much of it was never opened (read from the index alone).
        Index("ix_materials_submitted_at", "submitted_at"),
        Index("ix_materials_status_published", "status", "published_at", "views"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    status: Mapped[MaterialStatus] = mapped_column(
        enum_type(MaterialStatus), default=MaterialStatus.DRAFT
    )
    kind: Mapped[MaterialKind | None] = mapped_column(enum_type(MaterialKind))
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    grades: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = preschool, 1..11
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_type: Mapped[ContentType | None] = mapped_column(enum_type(ContentType))
    file_id: Mapped[str | None] = mapped_column(String(255))
    file_unique_id: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None]
    mime_type: Mapped[str | None] = mapped_column(String(127))
    url: Mapped[str | None] = mapped_column(String(2048))
    body: Mapped[str] = mapped_column(Text, default="")
    views: Mapped[int] = mapped_column(default=0)
    downloads: Mapped[int] = mapped_column(default=0)
    useful: Mapped[int] = mapped_column(default=0)
    not_useful: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # The latest expert verdict, kept on the material so cards and ranking need no join.
    expert_verdict: Mapped[ExpertVerdict | None] = mapped_column(enum_type(ExpertVerdict))

    author: Mapped[User] = relationship(lazy="joined")
    community: Mapped[Community | None] = relationship(lazy="joined")


class ReviewItem(Base):
    """One thing waiting for a moderator: a material now; posts and reports later.

    Generic by (object_type, object_id), so every source shares one queue and one
    first-decision-wins rule.
    """

    __tablename__ = "review_items"
    __table_args__ = (
        Index("ix_review_items_queue", "community_id", "status", "priority", "created_at"),
        Index("ix_review_items_object", "object_type", "object_id"),
        Index("ix_review_items_decided_at", "decided_at"),  # decisions in a report's period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    source: Mapped[ReviewSource] = mapped_column(enum_type(ReviewSource))
    status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus), default=ReviewStatus.OPEN)
    priority: Mapped[int] = mapped_column(default=0)
    hits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # conduct-code hits
    reason: Mapped[str] = mapped_column(Text, default="")  # the moderator's reason
    created_at: Mapped[datetime]
    announced_at: Mapped[datetime | None]
    reannounced_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    # A moderator who took the item: others' /queue walks past it.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]


class ReviewCard(Base):
    """Where a review item's card was posted, so every copy is edited when it is decided."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(
        ForeignKey("review_items.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int]
    message_id: Mapped[int]
    locale: Mapped[str] = mapped_column(String(8), default="ru")


class MaterialRating(Base):
    __tablename__ = "material_ratings"
    __table_args__ = (
        UniqueConstraint("material_id", "user_id"),
        Index("ix_material_ratings_at", "at"),  # ratings given in a report's period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    useful: Mapped[bool]
    at: Mapped[datetime]


class MaterialDownload(Base):
    """Each download, for "demand for resources" (seed 003 §8) per period."""

    __tablename__ = "material_downloads"
    __table_args__ = (
        Index("ix_material_downloads_material_at", "material_id", "at"),
        Index("ix_material_downloads_at", "at"),  # downloads in a report's period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime]


class MaterialViews(Base):
    """Card openings per material and hour (UTC), for "demand for resources" per period:
    an hour is a whole unit in every Russian time zone, so any report period in any of them
    adds up exactly. Who opened a card is not kept."""

    __tablename__ = "material_views"
    # A period's openings summed from the index alone, for the network or by material.
    __table_args__ = (Index("ix_material_views_hour_views", "hour", "material_id", "views"),)

    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    views: Mapped[int] = mapped_column(default=0)


class ExpertReview(Base):
    """An author's request for expertise and the expert's verdict with a short comment."""

    __tablename__ = "expert_reviews"
    __table_args__ = (Index("ix_expert_reviews_material", "material_id", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    requested_at: Mapped[datetime]
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verdict: Mapped[ExpertVerdict | None] = mapped_column(enum_type(ExpertVerdict))
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]


class Report(Base):
    """A member's report; the reporter is never shown to the author."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("review_item_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(
        ForeignKey("review_items.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class ConductVersion(Base):
    """A version of the conduct code's rules as an admin edited them; the newest is in force."""

    __tablename__ = "conduct_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class ConductHit(Base):
    """One rule's hit on one text, for per-rule counts; the text itself is not kept."""

    __tablename__ = "conduct_hits"
    __table_args__ = (Index("ix_conduct_hits_at_rule", "at", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    rule: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    dry_run: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(32))  # material, group, post
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Sanction(Base):
    """A warning, mute or ban of a member in a community; issued_by is empty when automatic."""

    __tablename__ = "sanctions"
    __table_args__ = (Index("ix_sanctions_member", "user_id", "community_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[SanctionKind] = mapped_column(enum_type(SanctionKind))
    reason: Mapped[str] = mapped_column(Text, default="")
    clause: Mapped[str] = mapped_column(String(32), default="")
    rule: Mapped[str | None] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]  # warnings stop counting, mutes end; bans: never
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lift_reason: Mapped[str] = mapped_column(Text, default="")

    community: Mapped[Community] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class Appeal(Base):
    """A member's appeal of a sanction; it waits in the review queue like everything else."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    sanction_id: Mapped[int] = mapped_column(
        ForeignKey("sanctions.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]

    sanction: Mapped[Sanction] = relationship(lazy="joined")


class GroupMessage(Base):
    """A linked group's message kept because it was flagged or reported, for the queue."""

    __tablename__ = "group_messages"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id"),
        Index("ix_group_messages_created_at", "created_at"),  # a report's period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    chat_id: Mapped[int]
    message_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User | None] = relationship(lazy="joined")


class GroupMember(Base):
    """How many messages a member wrote in a community's group: newcomers' links are held."""

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    messages: Mapped[int] = mapped_column(default=0)
    first_seen_at: Mapped[datetime]


class ClassifierStats(Base):
    """A community's learned model: how many approved (ham) and rejected (spam) texts."""

    __tablename__ = "classifier_stats"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    ham_docs: Mapped[int] = mapped_column(default=0)
    spam_docs: Mapped[int] = mapped_column(default=0)


class ClassifierWord(Base):
    """In how many approved and rejected texts of a community a word stem appeared."""

    __tablename__ = "classifier_words"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    stem: Mapped[str] = mapped_column(String(64), primary_key=True)
    ham: Mapped[int] = mapped_column(default=0)
    spam: Mapped[int] = mapped_column(default=0)


class DeliveryBatch(Base):
    """Many deliveries sent as one: a broadcast, an event's announcement. Its sender sees
    the progress in one message, edited in place."""

    __tablename__ = "delivery_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200), default="")
    sender_chat_id: Mapped[int | None]
    progress_message_id: Mapped[int | None]
    progress_locale: Mapped[str] = mapped_column(String(8), default="ru")
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Delivery(Base):
    """One message to one recipient. The key (what, to whom) is unique, so nothing is
    queued twice; the state says how far it got, so nothing is sent twice."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "state", "not_before"),
        Index("ix_deliveries_batch_state", "batch_id", "state"),
        Index("ix_deliveries_created_at", "created_at"),  # what a report's period queued
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_batches.id", ondelete="CASCADE")
    )
    chat_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    document_id: Mapped[str | None] = mapped_column(String(255))
    urgent: Mapped[bool] = mapped_column(default=False)  # urgent messages ignore quiet hours
    not_before: Mapped[datetime]
    # After this moment the message is pointless (a reminder of an event that has begun).
    expires_at: Mapped[datetime | None]
    state: Mapped[DeliveryState] = mapped_column(
        enum_type(DeliveryState), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    message_id: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(lazy="joined")


class Thread(Base):
    """A community's discussion: a title, an opening post, replies (seed 003 §1.7, §3.2)."""

    __tablename__ = "threads"
    __table_args__ = (
        Index("ix_threads_community_activity", "community_id", "status", "last_post_at"),
        Index("ix_threads_created_at", "created_at"),  # threads opened in a report's period
        CheckConstraint("length(title) > 0", name="thread_title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ThreadStatus] = mapped_column(enum_type(ThreadStatus), default=ThreadStatus.OPEN)
    pinned: Mapped[bool] = mapped_column(default=False)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    replies: Mapped[int] = mapped_column(default=0)  # published posts after the opening one
    created_at: Mapped[datetime]
    last_post_at: Mapped[datetime]
    topic_id: Mapped[int | None]  # the forum topic mirroring it, in a forum group

    author: Mapped[User | None] = relationship(lazy="joined")
    community: Mapped[Community] = relationship(lazy="joined")


class Post(Base):
    """The opening post or a reply; text, optionally a file, optionally quoting a post."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_thread_status_id", "thread_id", "status", "id"),
        Index("ix_posts_created_at", "created_at"),  # posts written in a report's period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[ContentType | None] = mapped_column(enum_type(ContentType))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    status: Mapped[PostStatus] = mapped_column(enum_type(PostStatus), default=PostStatus.PUBLISHED)
    created_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    # Its message in the thread's forum topic (the bot's copy, or the member's own message
    # taken from the topic), so a removal reaches the group too.
    topic_message_id: Mapped[int | None]
    from_topic: Mapped[bool] = mapped_column(default=False)  # written in the topic itself

    author: Mapped[User | None] = relationship(lazy="joined")


class ThreadFollow(Base):
    """Someone following a thread; notices of new replies are batched per follower."""

    __tablename__ = "thread_follows"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]  # the last notice that went out

    user: Mapped[User] = relationship(lazy="joined")


class Event(Base):
    """A seminar, webinar, master class... for a community or the whole network."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_status_start", "status", "starts_at"),
        CheckConstraint("length(title) > 0", name="event_title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )  # empty: the whole network
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]  # UTC
    duration_minutes: Mapped[int] = mapped_column(default=60)
    place: Mapped[str] = mapped_column(String(500), default="")  # an address or a link
    capacity: Mapped[int | None]
    registration_until: Mapped[datetime | None]  # answers close then (UTC); empty: at the start
    time_zone: Mapped[str] = mapped_column(String(64))  # the organiser's, for display
    reminders: Mapped[list[int]] = mapped_column(JSON, default=list)  # minutes before the start
    status: Mapped[EventStatus] = mapped_column(
        enum_type(EventStatus), default=EventStatus.PUBLISHED
    )
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_batches.id", ondelete="SET NULL")
    )
    # A recurring event is one row per occurrence; they share the first one's id.
    series_id: Mapped[int | None] = mapped_column(index=True)
    recurrence: Mapped[str] = mapped_column(String(32), default="")  # "", weekly, monthly...
    # Bumped by each reschedule, so the new reminders get new outbox keys.
    revision: Mapped[int] = mapped_column(default=0)
    # When the organiser first opened the attendance list (those coming were ticked then).
    attendance_marked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    community: Mapped[Community | None] = relationship(lazy="joined")
    creator: Mapped[User | None] = relationship(lazy="joined")


class EventRsvp(Base):
    """A member's answer: coming, waiting for a place, or not coming."""

    __tablename__ = "event_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[RsvpStatus] = mapped_column(enum_type(RsvpStatus))
    # Marked by the organiser after the start; None until they first look at the list.
    attended: Mapped[bool | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class ReportDeadline(Base):
    """A date by which network coordinators owe a report (seed 004 §5.4)."""

    __tablename__ = "report_deadlines"
    __table_args__ = (CheckConstraint("length(title) > 0", name="deadline_title_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    offsets: Mapped[list[int]] = mapped_column(JSON, default=list)  # days before, reminders
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]

    creator: Mapped[User | None] = relationship(lazy="joined")


class ReportSubmission(Base):
    """A coordinator marked the report as submitted: no more reminders for them."""

    __tablename__ = "report_submissions"
    __table_args__ = (UniqueConstraint("deadline_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("report_deadlines.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime]

    user: Mapped[User] = relationship(lazy="joined")


class Survey(Base):
    """An anonymous survey (seeds 003 §9, 004 §6.1): built by a methodist or coordinator,
    sent to communities or everyone, answered once per member."""

    __tablename__ = "surveys"
    __table_args__ = (CheckConstraint("length(title) > 0", name="survey_title_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[SurveyStatus] = mapped_column(
        enum_type(SurveyStatus), default=SurveyStatus.DRAFT
    )
    audience: Mapped[list[int] | None] = mapped_column(JSON)  # community ids; empty: everyone
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    min_group: Mapped[int] = mapped_column(default=5)  # smaller groups are never shown
    reminders_max: Mapped[int] = mapped_column(default=2)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_batches.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    creator: Mapped[User | None] = relationship(lazy="joined")
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan", lazy="selectin"
    )


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"
    __table_args__ = (CheckConstraint("length(text) > 0", name="question_text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind))
    text: Mapped[str] = mapped_column(String(500))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # choices
    scale_max: Mapped[int] = mapped_column(default=5)  # 5 or 10
    scale_labels: Mapped[list[str]] = mapped_column(JSON, default=list)  # [low, high]
    allow_other: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=True)
    max_length: Mapped[int] = mapped_column(default=1000)


class SurveyParticipant(Base):
    """Who was invited and whether they have answered: the one-answer rule and reminders.
    Nothing here points at a response, and nothing records when the answer came.

    ``released`` turns true when the participant's sealed response is released into the
    results: the whole batch's marks are rewritten in that one transaction, so on
    PostgreSQL they share its id and none of them keeps the id of the answer's own
    transaction (docs/privacy.md). ``group_id`` is the community the response is counted
    in (None: the survey's everyone-together group)."""

    __tablename__ = "survey_participants"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answered: Mapped[bool] = mapped_column(default=False)
    released: Mapped[bool] = mapped_column(default=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"))
    reminders_sent: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(lazy="joined")


class SurveyProgress(Base):
    """A respondent's unfinished answers, kept so they can resume. Sealed (storage/sealing)
    and padded to the survey's one size, and deleted when the response is submitted: what
    is left of it anywhere (a dead row, the write-ahead log) is unreadable and as long as
    any other respondent's."""

    __tablename__ = "survey_progress"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)  # question id -> answer, sealed
    position: Mapped[int] = mapped_column(default=0)


class SealedResponse(Base):
    """A submitted response waiting, sealed, until its group holds at least the survey's
    minimum group; then one transaction opens the whole batch, writes the responses in a
    shuffled order and deletes these rows (SurveyRepo.release). No user, no time; the
    random key keeps even the order of rows meaningless."""

    __tablename__ = "survey_sealed_responses"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class SurveyResponse(Base):
    """One submitted response: no user, no message, no time. Its key is random, so even
    the order of rows says nothing of who answered when; the community is the group the
    results are shown for (only when it holds enough responses)."""

    __tablename__ = "survey_responses"
    # Without a rowid, SQLite keeps no hidden insertion order beside the random key.
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )

    answers: Mapped[list["SurveyAnswer"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    response_id: Mapped[str] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    number: Mapped[int | None]  # a scale's value
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)  # chosen options
    text: Mapped[str] = mapped_column(Text, default="")  # free text or "other"
