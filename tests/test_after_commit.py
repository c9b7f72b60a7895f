"""One commit per update, by the session middleware; what an update tells other people
leaves only after that commit, so a rolled-back update tells nobody anything."""

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, create_sessionmaker
from storage.enums import MaterialStatus, ReviewStatus
from storage.models import ReviewItem
from tests.flows import material, setup_community, share_document
from tests.harness import BotHarness
from tests.people import MODERATOR, TEACHER


def _fail_next_commit(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The database refuses the next commit (a lock timeout, a lost connection), once."""
    failed: list[int] = []
    commit = AsyncSession.commit

    async def flaky(self: AsyncSession) -> None:
        if not failed:
            failed.append(1)
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        await commit(self)

    monkeypatch.setattr(AsyncSession, "commit", flaky)
    return failed


async def test_a_decision_whose_commit_fails_tells_the_author_nothing(
    harness: BotHarness, repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    card = h.last_message(MODERATOR.id)
    to_author = len(h.sent_to(TEACHER.id))
    failed = _fail_next_commit(monkeypatch)

    await h.tap(MODERATOR, card, "Одобрить")

    assert failed, "the commit was never attempted"
    assert len(h.sent_to(TEACHER.id)) == to_author  # no "approved" for what rolled back
    assert "Одобрено" not in h.now(card).text  # the card is not closed either
    # The moderator hears that it went wrong.
    assert h.last_message(MODERATOR.id).text.startswith("Извините, что-то пошло не так")
    repo.session.expire_all()
    assert (await material(repo)).status is MaterialStatus.PENDING

    # Pressed again, it goes through: the author hears once, the card closes.
    await h.tap(MODERATOR, card, "Одобрить")
    assert (await material(repo)).status is MaterialStatus.PUBLISHED
    assert "одобрен" in h.last_message(TEACHER.id).text
    assert "Одобрено" in h.now(card).text


async def test_moderators_get_the_card_only_once_the_submission_is_committed(
    harness: BotHarness, repo, database_url: str
) -> None:
    """The card arrives after the commit: a moderator who presses at once finds the item."""
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    seen: list[int] = []
    send = h.session.make_request

    async def watching(bot, method, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(method, "chat_id", None) == MODERATOR.id:
            # What another replica would read at the moment the card is sent.
            engine = create_engine(database_url)
            async with create_sessionmaker(engine)() as other:
                seen.append(len(list(await other.scalars(select(ReviewItem)))))
            await engine.dispose()
        return await send(bot, method, **kwargs)

    h.session.make_request = watching  # type: ignore[method-assign]

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    assert seen and seen[0] == 1
    (item,) = await repo.session.scalars(select(ReviewItem))
    assert item.status is ReviewStatus.OPEN


async def test_a_send_that_fails_after_the_commit_is_logged_and_the_others_still_go(
    harness: BotHarness, repo, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    send = h.session.make_request

    async def broken_for_moderator(bot, method, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(method, "chat_id", None) == MODERATOR.id:
            raise RuntimeError("network gone")
        return await send(bot, method, **kwargs)

    h.session.make_request = broken_for_moderator  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="bot.middlewares"):
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    # The submission stands and its author was answered; the failed card is in the log.
    assert "отправлен модераторам" in h.last_message(TEACHER.id).text
    repo.session.expire_all()
    assert (await material(repo)).status is MaterialStatus.PENDING
    assert any("after the commit failed" in r.getMessage() for r in caplog.records)
