"""Survey invitations: what the bot sends each member of a survey's audience, through the
delivery outbox. Used by the survey builder (publish now) and the schedule (open later)."""

from typing import Any

from aiogram import html

from bot.callbacks import SurveyAnswerAction, SurveyAnswerCallback
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from storage.clock import as_utc
from storage.models import Survey, User
from storage.repositories import Repo


def take_button(t: Translator, survey: Survey) -> dict[str, Any]:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("survey-take-button"),
        callback_data=SurveyAnswerCallback(action=SurveyAnswerAction.TAKE, survey_id=survey.id),
    )
    return builder.as_markup().model_dump(exclude_none=True)


async def send_invitations(repo: Repo, i18n_hub: I18n, survey: Survey) -> int:
    """Invite the audience (new members of it too, on a later run); returns how many."""
    invited = await repo.surveys.invite(survey)
    batch = None
    if survey.batch_id is None and survey.creator is not None:
        batch = await repo.outbox.new_batch(
            "survey",
            survey.title,
            sender_chat_id=survey.creator.telegram_id,
            locale=survey.creator.locale or i18n_hub.default_locale,
        )
        survey.batch_id = batch.id
    for user in invited:
        t = i18n_hub.for_user(user)
        await repo.outbox.enqueue(
            f"survey:{survey.id}:invite:{user.id}",
            user.telegram_id,
            invitation(t, survey, user),
            user=user,
            markup=take_button(t, survey),
            batch=batch,
            expires_at=as_utc(survey.closes_at) if survey.closes_at else None,
        )
    return len(invited)


def invitation(t: Translator, survey: Survey, user: User) -> str:
    lines = [t("survey-invitation", title=survey.title, count=len(survey.questions))]
    if survey.intro:
        lines.append(html.quote(survey.intro))
    return "\n\n".join(lines)
