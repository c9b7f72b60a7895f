"""Forum-style threads of a community: start, reply, read in pages, follow."""

from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import policy
from storage import search as text_search
from storage.clock import Clock
from storage.enums import (
    ContentType,
    MembershipStatus,
    PostStatus,
    ReviewSource,
    ReviewStatus,
    ThreadStatus,
)
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.limits import POST_BODY, THREAD_TITLE
from storage.models import Community, Membership, Post, ReviewItem, Thread, ThreadFollow, User
from storage.repositories.audit import AuditRepo

POST = "post"


class Removal(NamedTuple):
    thread: Thread
    by_moderator: bool
    orphans: list[tuple[Post, ReviewItem]]  # held replies that left the queue with the thread


INDEXED_TEXT_MAX = 20_000  # of a thread's posts, for search


class ThreadRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit
        self._index = text_search.SearchIndex(session, "thread_search", "thread_id")

    # --- search ------------------------------------------------------------------------------

    async def reindex(self, thread: Thread) -> None:
        """The thread's title and published posts, as search reads them."""
        if thread.status is ThreadStatus.DELETED:
            await self._index.remove(thread.id)
            return
        bodies = await self._session.scalars(
            select(Post.body)
            .where(Post.thread_id == thread.id, Post.status == PostStatus.PUBLISHED)
            .order_by(Post.id)
        )
        body = " ".join(bodies)[:INDEXED_TEXT_MAX]
        await self._index.put(
            thread.id,
            text_search.Indexed(
                title=" ".join(text_search.tokens(thread.title)),
                body=" ".join(text_search.tokens(body)),
                facets=" ".join(
                    text_search.facet_tokens(community_id=thread.community_id, kind=None, grades=[])
                ),
            ),
        )

    async def search(self, raw: str, community_id: int | None = None) -> list[int]:
        facets = text_search.facet_tokens(community_id=community_id, kind=None, grades=[])
        return await self._index.search(text_search.parse_query(raw), facets)

    async def by_ids(self, ids: list[int]) -> list[Thread]:
        if not ids:
            return []
        rows = {
            thread.id: thread
            for thread in await self._session.scalars(select(Thread).where(Thread.id.in_(ids)))
        }
        return [rows[i] for i in ids if i in rows and rows[i].status is not ThreadStatus.DELETED]

    # --- reading ---------------------------------------------------------------------------

    async def get(self, thread_id: int) -> Thread:
        thread = await self._session.get(Thread, thread_id)
        if thread is None or thread.status is ThreadStatus.DELETED:
            raise NotFound("thread-not-found")
        return thread

    async def page_of_threads(
        self, community_id: int, offset: int, limit: int
    ) -> tuple[list[Thread], int]:
        """Pinned first, then by last activity."""
        visible = (Thread.community_id == community_id, Thread.status != ThreadStatus.DELETED)
        total = await self._session.scalar(select(func.count()).select_from(Thread).where(*visible))
        rows = await self._session.scalars(
            select(Thread)
            .where(*visible)
            .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total or 0

    async def page_of_posts(
        self, thread_id: int, offset: int, limit: int
    ) -> tuple[list[Post], int]:
        """Published posts, oldest first: the opening post, then the replies."""
        visible = (Post.thread_id == thread_id, Post.status == PostStatus.PUBLISHED)
        total = await self._session.scalar(select(func.count()).select_from(Post).where(*visible))
        rows = await self._session.scalars(
            select(Post).where(*visible).order_by(Post.id).offset(offset).limit(limit)
        )
        return list(rows), total or 0

    async def post(self, post_id: int) -> Post:
        post = await self._session.get(Post, post_id)
        if post is None:
            raise NotFound("thread-not-found")
        return post

    async def opening_id(self, thread: Thread) -> int | None:
        return await self._session.scalar(
            select(func.min(Post.id)).where(Post.thread_id == thread.id)
        )

    async def number_of(self, post: Post) -> int:
        """A post's number in its thread (1 is the opening post), as readers see it."""
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Post)
                .where(
                    Post.thread_id == post.thread_id,
                    Post.status == PostStatus.PUBLISHED,
                    Post.id <= post.id,
                )
            )
            or 0
        )

    # --- writing ---------------------------------------------------------------------------

    async def by_topic(self, community_id: int, topic_id: int) -> Thread | None:
        return await self._session.scalar(
            select(Thread).where(
                Thread.community_id == community_id,
                Thread.topic_id == topic_id,
                Thread.status != ThreadStatus.DELETED,
            )
        )

    async def can_write(self, user: User, community_id: int) -> bool:
        """Active members (and admins) start threads and reply; others only read."""
        if policy.is_admin(user):
            return True
        membership = await self._session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.community_id == community_id
            )
        )
        return membership is not None and membership.status is MembershipStatus.ACTIVE

    async def require_member(self, user: User, community_id: int) -> None:
        if not await self.can_write(user, community_id):
            raise PermissionDenied("thread-members-only")

    async def start(self, author: User, community_id: int, title: str) -> Thread:
        await self.require_member(author, community_id)
        title = " ".join(title.split())
        if not THREAD_TITLE.low <= len(title) <= THREAD_TITLE.high:
            raise InvalidState("thread-title-length", max=THREAD_TITLE.high)
        now = self._clock()
        thread = Thread(
            community_id=community_id,
            author_id=author.id,
            title=title,
            status=ThreadStatus.OPEN,
            created_at=now,
            last_post_at=now,
        )
        self._session.add(thread)
        await self._session.flush()
        await self.follow(thread, author)
        await self._audit.record(author, "thread.start", "thread", thread.id)
        return thread

    async def add_post(
        self,
        thread: Thread,
        author: User,
        body: str,
        *,
        file_id: str | None = None,
        file_name: str | None = None,
        content_type: ContentType | None = None,
        quote: Post | None = None,
        held: bool = False,
        hits: list[dict[str, Any]] | None = None,
        topic_message_id: int | None = None,
    ) -> tuple[Post, ReviewItem | None]:
        """A post, published at once or held for a moderator (then it joins the queue).
        A message written in the thread's forum topic comes with its ``topic_message_id``:
        whoever may write in the community's group may write there."""
        if topic_message_id is None:
            await self.require_member(author, thread.community_id)
        if thread.status is ThreadStatus.CLOSED:
            raise InvalidState("thread-closed", reason=thread.closed_reason or "—")
        body = body.strip()
        if not body and not file_id:
            raise InvalidState("thread-post-empty")
        if len(body) > POST_BODY.high:
            raise InvalidState("thread-post-too-long", max=POST_BODY.high)
        if quote is not None and quote.thread_id != thread.id:
            raise InvalidState("error-stale-button")
        now = self._clock()
        post = Post(
            thread_id=thread.id,
            author_id=author.id,
            body=body,
            file_id=file_id,
            file_name=file_name,
            content_type=content_type,
            quote_id=quote.id if quote else None,
            status=PostStatus.PENDING if held else PostStatus.PUBLISHED,
            created_at=now,
            topic_message_id=topic_message_id,
            from_topic=topic_message_id is not None,
        )
        self._session.add(post)
        await self._session.flush()
        item = None
        if held:
            item = ReviewItem(
                community_id=thread.community_id,
                object_type=POST,
                object_id=post.id,
                source=ReviewSource.AUTO_FLAG if hits else ReviewSource.PREMODERATION,
                status=ReviewStatus.OPEN,
                priority=1 if hits else 0,
                hits=hits or [],
                created_at=now,
            )
            self._session.add(item)
            await self._session.flush()
        else:
            await self._published(thread, post)
        await self._audit.record(author, "post.add", POST, post.id, held=held)
        return post, item

    async def _published(self, thread: Thread, post: Post) -> None:
        """A post became visible: the thread's counters move."""
        count, last = (
            await self._session.execute(
                select(func.count(), func.max(Post.created_at)).where(
                    Post.thread_id == thread.id, Post.status == PostStatus.PUBLISHED
                )
            )
        ).one()
        thread.replies = max(0, (count or 0) - 1)
        # MAX() of no rows is NULL, whatever the column's type says
        thread.last_post_at = cast(datetime | None, last) or post.created_at
        await self._session.flush()
        await self.reindex(thread)

    async def publish_held(self, post: Post) -> Thread:
        thread = await self.get(post.thread_id)
        post.status = PostStatus.PUBLISHED
        await self._published(thread, post)
        return thread

    async def reject_held(
        self, post: Post, actor: User, reason: str
    ) -> list[tuple[Post, ReviewItem]]:
        """A held post rejected. A rejected opening post takes its thread away (already
        listed, it would stay a topic without its question), with the replies held in it;
        those are returned, for their authors to be told."""
        post.status = PostStatus.REJECTED
        post.removed_reason = reason
        await self._session.flush()
        thread = await self.thread_of(post)
        if post.id != await self.opening_id(thread):
            return []
        thread.status = ThreadStatus.DELETED
        return await self.withdraw_orphans(thread, actor)

    async def posted_before(self, user: User, community_id: int) -> int:
        """Published posts of the member in the community: newcomers are premoderated."""
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Post)
                .join(Thread, Thread.id == Post.thread_id)
                .where(
                    Post.author_id == user.id,
                    Post.status == PostStatus.PUBLISHED,
                    Thread.community_id == community_id,
                )
            )
            or 0
        )

    # --- following -------------------------------------------------------------------------

    async def following(self, thread: Thread, user: User) -> bool:
        return (
            await self._session.scalar(
                select(ThreadFollow.id).where(
                    ThreadFollow.thread_id == thread.id, ThreadFollow.user_id == user.id
                )
            )
            is not None
        )

    async def follow(self, thread: Thread, user: User) -> None:
        if not await self.following(thread, user):
            self._session.add(
                ThreadFollow(thread_id=thread.id, user_id=user.id, created_at=self._clock())
            )
            await self._session.flush()

    async def unfollow(self, thread: Thread, user: User) -> None:
        follow = await self._session.scalar(
            select(ThreadFollow).where(
                ThreadFollow.thread_id == thread.id, ThreadFollow.user_id == user.id
            )
        )
        if follow is not None:
            await self._session.delete(follow)
            await self._session.flush()

    async def notices_due(
        self, thread: Thread, replier: User, interval: timedelta
    ) -> list[tuple[User, datetime]]:
        """Who hears of a new reply, and when: at once if their last notice is older than
        ``interval``, otherwise when the interval ends (one notice per window)."""
        now = self._clock()
        follows = await self._session.scalars(
            select(ThreadFollow).where(
                ThreadFollow.thread_id == thread.id, ThreadFollow.user_id != replier.id
            )
        )
        due: list[tuple[User, datetime]] = []
        for follow in follows:
            if follow.user.bot_blocked_at is not None:
                continue
            last = follow.notified_at
            if last is not None and last.tzinfo is None:
                last = last.replace(tzinfo=now.tzinfo)
            if last is None or now - last >= interval:
                at = now
            elif last > now:
                at = last  # a gathering notice is already waiting: it covers this reply
            else:
                at = last + interval
            follow.notified_at = at
            due.append((follow.user, at))
        await self._session.flush()
        return due

    # --- changing and moderating -------------------------------------------------------------

    async def can_moderate(self, user: User, community_id: int) -> bool:
        membership = await self._session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.community_id == community_id
            )
        )
        return policy.can_moderate(user, membership)

    def within(self, post: Post, window: timedelta) -> bool:
        created = post.created_at
        now = self._clock()
        if created.tzinfo is None:
            created = created.replace(tzinfo=now.tzinfo)
        return now - created <= window

    async def edit_post(self, post: Post, author: User, body: str, window: timedelta) -> Post:
        """The author may fix a post within the window; the conduct code was asked before."""
        if post.author_id != author.id or post.status is not PostStatus.PUBLISHED:
            raise PermissionDenied()
        if not self.within(post, window):
            raise InvalidState("post-edit-too-late", minutes=int(window.total_seconds() // 60))
        body = body.strip()
        if not body and not post.file_id:
            raise InvalidState("thread-post-empty")
        if len(body) > POST_BODY.high:
            raise InvalidState("thread-post-too-long", max=POST_BODY.high)
        post.body = body
        post.edited_at = self._clock()
        await self._session.flush()
        await self.reindex(await self.get(post.thread_id))
        await self._audit.record(author, "post.edit", POST, post.id)
        return post

    async def remove_post(self, post: Post, actor: User, reason: str, window: timedelta) -> Removal:
        """The author within the window, or a moderator with a reason. Removing the opening
        post removes the thread, and the replies held for review with it (they could never be
        published). Returns the thread, whether a moderator did it, and those replies."""
        thread = await self.get(post.thread_id)
        moderator = await self.can_moderate(actor, thread.community_id)
        own = post.author_id == actor.id and self.within(post, window)
        if not (own or moderator):
            if post.author_id == actor.id:
                raise InvalidState("post-edit-too-late", minutes=int(window.total_seconds() // 60))
            raise PermissionDenied()
        if post.status is not PostStatus.PUBLISHED:
            raise InvalidState("error-stale-button")
        opening = await self._session.scalar(
            select(func.min(Post.id)).where(Post.thread_id == thread.id)
        )
        post.status = PostStatus.DELETED
        post.removed_reason = reason
        orphans: list[tuple[Post, ReviewItem]] = []
        if post.id == opening:
            thread.status = ThreadStatus.DELETED
            orphans = await self.withdraw_orphans(thread, actor)
        await self._published(thread, post)
        await self._audit.record(actor, "post.remove", POST, post.id, reason=reason)
        return Removal(thread, moderator and post.author_id != actor.id, orphans)

    async def thread_of(self, post: Post) -> Thread:
        """The post's thread, a removed one too (review cards still name it)."""
        thread = await self._session.get(Thread, post.thread_id)
        if thread is None:
            raise NotFound("thread-not-found")
        return thread

    async def orphaned(self, post: Post) -> bool:
        """A reply whose thread was removed: it can never be published."""
        thread = await self._session.get(Thread, post.thread_id)
        return thread is None or thread.status is ThreadStatus.DELETED

    async def withdraw_orphans(self, thread: Thread, actor: User) -> list[tuple[Post, ReviewItem]]:
        """The held replies of a removed thread leave the review queue (cancelled, not decided
        on their merits) and are rejected; their authors are told by the caller."""
        rows = await self._session.execute(
            select(Post, ReviewItem)
            .join(ReviewItem, (ReviewItem.object_type == POST) & (ReviewItem.object_id == Post.id))
            .where(
                Post.thread_id == thread.id,
                Post.status == PostStatus.PENDING,
                ReviewItem.status == ReviewStatus.OPEN,
            )
            .order_by(Post.id)
        )
        orphans = [(post, item) for post, item in rows.all()]
        now = self._clock()
        for post, item in orphans:
            post.status = PostStatus.REJECTED
            item.status = ReviewStatus.CANCELLED
            item.decided_by_id = actor.id
            item.decided_at = now
            await self._audit.record(actor, "post.orphaned", POST, post.id, review_item=item.id)
        await self._session.flush()
        return orphans

    async def moderate(self, thread: Thread, actor: User, action: str, reason: str = "") -> Thread:
        """pin, unpin, close (with a reason), reopen."""
        if not await self.can_moderate(actor, thread.community_id):
            raise PermissionDenied()
        if action in ("pin", "unpin"):
            thread.pinned = action == "pin"
        elif action == "close":
            thread.status = ThreadStatus.CLOSED
            thread.closed_reason = reason
        elif action == "reopen":
            thread.status = ThreadStatus.OPEN
            thread.closed_reason = ""
        else:
            raise InvalidState("error-stale-button")
        await self._session.flush()
        await self._audit.record(actor, f"thread.{action}", "thread", thread.id, reason=reason)
        return thread

    async def move(self, thread: Thread, actor: User, community_id: int) -> Thread:
        """To another community: the mover must moderate both (or be an admin)."""
        if community_id == thread.community_id:
            raise InvalidState("error-stale-button")
        if not await self.can_moderate(actor, thread.community_id):
            raise PermissionDenied()
        if not await self.can_moderate(actor, community_id):
            raise PermissionDenied()
        source = thread.community_id
        thread.community_id = community_id
        thread.topic_id = None  # the old group's topic stays where it was
        await self._session.flush()
        await self._session.refresh(thread, ["community"])
        await self.reindex(thread)
        await self._audit.record(
            actor, "thread.move", "thread", thread.id, source=source, target=community_id
        )
        return thread

    async def mirrored_posts_of(self, author: User) -> list[tuple[Post, int]]:
        """The author's published posts that have a message in a forum topic, with the
        forum group's chat: what /delete_me must reach in the groups."""
        rows = await self._session.execute(
            select(Post, Community.group_chat_id)
            .join(Thread, Thread.id == Post.thread_id)
            .join(Community, Community.id == Thread.community_id)
            .where(
                Post.author_id == author.id,
                Post.status == PostStatus.PUBLISHED,
                Post.topic_message_id.is_not(None),
                Community.group_is_forum.is_(True),
                Community.group_chat_id.is_not(None),
            )
            .order_by(Post.id)
        )
        return [(post, chat_id) for post, chat_id in rows if chat_id is not None]
