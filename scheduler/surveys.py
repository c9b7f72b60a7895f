"""Surveys on a schedule: open at their time and invite the audience, remind those who
have not answered (at most ``reminders_max`` times, spread over the open period), close at
their time. Everything goes through the delivery outbox with keys that make a re-run add
nothing; every job is a plain function tests call with an injected clock."""

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n
from notices.surveys import send_invitations, take_button
from storage.clock import Clock, as_utc
from storage.models import Survey
from storage.repositories import Repo

logger = logging.getLogger(__name__)


async def run_survey_schedule(
    *, sessionmaker: async_sessionmaker[AsyncSession], i18n_hub: I18n, clock: Clock
) -> dict[str, int]:
    """One pass: open what is due, remind, close what is due. Returns what it did.

    Closing releases what still waits sealed, or deletes it unread when it is too few to
    show. While any survey is open or one has just closed, what released or deleted rows
    left behind is scrubbed (docs/privacy.md)."""
    done = {"opened": 0, "invited": 0, "reminded": 0, "closed": 0, "released": 0, "discarded": 0}
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        for survey in await repo.surveys.due_to_open():
            await repo.surveys.open(survey)
            done["opened"] += 1
            done["invited"] += await send_invitations(repo, i18n_hub, survey)
            await session.commit()
        for survey in await repo.surveys.open_surveys():
            done["reminded"] += await _remind(repo, i18n_hub, survey)
            await session.commit()
        for survey in await repo.surveys.due_to_close():
            release = await repo.surveys.close(survey)
            await repo.outbox.cancel_keys(f"survey:{survey.id}:")
            await _tell_owner(repo, i18n_hub, survey, discarded=release.discarded)
            done["closed"] += 1
            done["released"] += release.released
            done["discarded"] += release.discarded
            await session.commit()
        # Also while surveys are open: a release in an update's transaction scrubs at once,
        # but rows another transaction still saw then are only removable now.
        if done["closed"] or await repo.surveys.open_surveys():
            await repo.surveys.scrub()
    if any(done.values()):
        logger.info("Surveys: %s", done)
    return done


async def _remind(repo: Repo, i18n_hub: I18n, survey: Survey) -> int:
    """Reminder n goes at the n-th of ``reminders_max + 1`` equal parts of the open period."""
    if not survey.reminders_max or survey.opens_at is None or survey.closes_at is None:
        return 0  # (an open survey has both dates)
    now = repo.clock()
    opens, closes = as_utc(survey.opens_at), as_utc(survey.closes_at)
    step = (closes - opens) / (survey.reminders_max + 1)
    due = min(int((now - opens) / step), survey.reminders_max) if step.total_seconds() > 0 else 0
    if due < 1:
        return 0
    sent = 0
    for participant in await repo.surveys.to_remind(survey):
        if participant.reminders_sent >= due:
            continue
        participant.reminders_sent = due  # after downtime: one reminder, not a pile
        t = i18n_hub.for_user(participant.user)
        left = max(1, round((closes - now).total_seconds() / 86400))
        sent += await repo.outbox.enqueue(
            f"survey:{survey.id}:remind:{due}:{participant.user_id}",
            participant.user.telegram_id,
            t("survey-reminder", title=survey.title, days=left),
            user=participant.user,
            markup=take_button(t, survey),
            expires_at=closes,
        )
    return sent


async def _tell_owner(repo: Repo, i18n_hub: I18n, survey: Survey, *, discarded: int) -> None:
    if survey.creator is None:
        return
    invited, answered = await repo.surveys.counts(survey)
    t = i18n_hub.for_user(survey.creator)
    text = t("survey-closed-notice", title=survey.title, answered=answered, invited=invited)
    if discarded:
        text += "\n\n" + t("survey-closed-discarded", count=discarded, min=survey.min_group)
    await repo.outbox.enqueue(
        f"survey:{survey.id}:closed",
        survey.creator.telegram_id,
        text,
        user=survey.creator,
        urgent=True,
    )
