"""Publishing a survey: the audience (everyone or communities), when it opens and closes,
then a summary with the number of recipients, the minimum group and the reminders before
anything goes out; published now, the invitations are queued, else the schedule job opens
it at its time."""

from datetime import datetime, timedelta

from bot.dates import parse_when, short_moment, zone_name, zone_of
from bot.keyboards import InlineKeyboardBuilder
from handlers.dialog import Turn
from handlers.quiet import batch_line, forecast_line
from handlers.survey_build_views import Action, SurveyBuildForm, data, draft_only
from notices.surveys import send_invitations
from storage.errors import InvalidState
from storage.models import Survey

Form = SurveyBuildForm
MIN_GROUPS = (3, 5, 10)
REMINDER_CHOICES = (0, 1, 2, 3)
CLOSE_IN_DAYS = (7, 14)


async def publish(turn: Turn) -> None:
    draft_only(turn.subject)
    if not turn.subject.questions:
        raise InvalidState("survey-no-questions")
    await turn.state.set_data({"survey_id": turn.subject.id, "communities": [], "everyone": False})
    await turn.go(Form.audience, edit=True)


async def audience_view(turn: Turn):
    i18n, survey, form = turn.i18n, turn.subject, await turn.form()
    chosen = set(form["communities"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=("✅ " if form["everyone"] else "▫️ ") + i18n("survey-build-everyone"),
        callback_data=data(Action.EVERYONE, survey.id),
    )
    for community in await turn.repo.communities.active_titles():
        builder.button(
            text=("✅ " if community.id in chosen else "▫️ ") + community.title,
            callback_data=data(Action.AUDIENCE, survey.id, number=community.id),
        )
    builder.button(
        text=i18n("survey-build-next-button"), callback_data=data(Action.NEXT, survey.id)
    )
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=data(Action.DRAFT, survey.id)
    )
    builder.adjust(1)
    return i18n("survey-build-ask-audience"), builder.as_markup()


async def audience(turn: Turn) -> None:
    form = await turn.form()
    if turn.data.action is Action.EVERYONE:
        form["everyone"], form["communities"] = not form["everyone"], []
    else:
        community_id = turn.data.number
        if community_id is None:
            raise InvalidState("error-stale-button")
        community = await turn.repo.communities.require(community_id)
        form["communities"] = sorted(set(form["communities"]) ^ {community.id})
        form["everyone"] = False
    await turn.state.set_data(form)
    await turn.go(Form.audience, edit=True)


async def next_(turn: Turn) -> None:
    form = await turn.form()
    if not form["everyone"] and not form["communities"]:
        if turn.answer is not None:
            turn.answer.text = turn.i18n("survey-build-choose-audience")
            turn.answer.show_alert = True
        return
    await turn.go(Form.opens)


def zone(turn: Turn) -> dict:
    return {"zone": zone_name(turn.i18n, zone_of(turn.user, turn.settings).key)}


def now_button(turn: Turn):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=turn.i18n("survey-build-now-button"), callback_data=data(Action.NOW, turn.subject.id)
    )
    return builder.as_markup()


async def read_moment(turn: Turn, text: str) -> str:
    zone = zone_of(turn.user, turn.settings)
    return parse_when(text, zone, turn.repo.clock(), "survey-date-past").isoformat()


async def now(turn: Turn) -> None:
    await turn.remember(opens=None)
    await turn.go(Form.closes)


def close_buttons(turn: Turn):
    builder = InlineKeyboardBuilder()
    for days in CLOSE_IN_DAYS:
        builder.button(
            text=turn.i18n("survey-build-days-button", days=days),
            callback_data=data(Action.CLOSE_IN, turn.subject.id, number=days),
        )
    return builder.as_markup()


def _opening(form: dict, now: datetime) -> datetime:
    return datetime.fromisoformat(form["opens"]) if form.get("opens") else now


async def read_closes(turn: Turn, text: str) -> str:
    moment = await read_moment(turn, text)
    if datetime.fromisoformat(moment) <= _opening(await turn.form(), turn.repo.clock()):
        raise InvalidState("survey-closes-before-opening")
    return moment


async def close_in(turn: Turn) -> None:
    days = turn.data.number
    if days not in CLOSE_IN_DAYS:
        raise InvalidState("error-stale-button")
    closes = _opening(await turn.form(), turn.repo.clock()) + timedelta(days=days)
    await turn.remember(closes=closes.isoformat())
    await turn.go(Form.confirm)


def _audience_ids(form: dict) -> list[int] | None:
    return None if form["everyone"] else list(form["communities"])


async def summary(turn: Turn):
    i18n, repo, user, settings, survey = (
        turn.i18n,
        turn.repo,
        turn.user,
        turn.settings,
        turn.subject,
    )
    form = await turn.form()
    ids = _audience_ids(form)
    # The same rule the invitations follow, on an unsaved copy: the draft stays untouched.
    people = await repo.surveys.audience(Survey(audience=ids))
    recipients = len(people)
    if ids is None:
        audience = i18n("survey-build-everyone")
    else:
        audience = ", ".join([(await repo.communities.require(i)).title for i in ids])
    zone = zone_of(user, settings)
    opens = (
        short_moment(datetime.fromisoformat(form["opens"]), zone) if form.get("opens") else "now"
    )
    closes = short_moment(datetime.fromisoformat(form["closes"]), zone)
    min_group = form.get("min_group", 5)
    reminders = form.get("reminders", 2)
    text = i18n(
        "survey-build-summary",
        title=survey.title,
        audience=audience,
        count=recipients,
        opens=opens,
        closes=closes,
        min=min_group,
        reminders=reminders,
    )
    # Fewer recipients than the minimum group: no result would ever be shown. Said now,
    # with a way to lower it, or to keep it knowingly (the publish button says so).
    too_small = recipients < min_group
    if too_small:
        text += "\n\n" + i18n("survey-build-min-group-too-big", count=recipients, min=min_group)
    opening = datetime.fromisoformat(form["opens"]) if form.get("opens") else None
    if night := forecast_line(i18n, user, settings, people, opening, repo.clock()):
        text += "\n" + night
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-build-min-group-button", min=min_group),
        callback_data=data(Action.MIN_GROUP, survey.id),
    )
    builder.button(
        text=i18n("survey-build-reminders-button", count=reminders),
        callback_data=data(Action.REMINDERS, survey.id),
    )
    rows = [2]
    lower = [choice for choice in MIN_GROUPS if choice <= recipients]
    if too_small and lower:
        builder.button(
            text=i18n("survey-build-min-group-lower-button", min=lower[-1]),
            callback_data=data(Action.MIN_GROUP, survey.id, number=lower[-1]),
        )
        rows.append(1)
    builder.button(
        text=i18n("survey-build-confirm-anyway-button", count=recipients, min=min_group)
        if too_small
        else i18n("survey-build-confirm-button", count=recipients),
        callback_data=data(Action.CONFIRM, survey.id),
    )
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=data(Action.DRAFT, survey.id)
    )
    builder.adjust(*rows, 1, 1)
    return text, builder.as_markup()


async def cycle(turn: Turn) -> None:
    form = await turn.form()
    if turn.data.action is Action.MIN_GROUP and turn.data.number is not None:  # "lower to N"
        min_group = turn.data.number
        if min_group not in MIN_GROUPS:
            raise InvalidState("error-stale-button")
        await turn.remember(min_group=min_group)
    elif turn.data.action is Action.MIN_GROUP:
        current = form.get("min_group", 5)
        index = MIN_GROUPS.index(current) if current in MIN_GROUPS else -1
        await turn.remember(min_group=MIN_GROUPS[(index + 1) % len(MIN_GROUPS)])
    else:
        current = form.get("reminders", 2)
        await turn.remember(reminders=(current + 1) % len(REMINDER_CHOICES))
    await turn.go(Form.confirm, edit=True)


async def confirm(turn: Turn) -> None:
    p = turn
    survey, form = p.subject, await p.form()
    opens = datetime.fromisoformat(form["opens"]) if form.get("opens") else None
    closes = datetime.fromisoformat(form["closes"])
    await p.repo.surveys.publish(
        survey,
        p.user,
        audience=_audience_ids(form),
        opens_at=opens,
        closes_at=closes,
        min_group=form.get("min_group", 5),
        reminders_max=form.get("reminders", 2),
    )
    await p.end()
    await p.message.edit_reply_markup(reply_markup=None)
    zone = zone_of(p.user, p.settings)
    if opens is not None:  # the schedule job opens it and sends the invitations then
        await p.message.answer(
            p.i18n(
                "survey-build-scheduled",
                title=survey.title,
                opens=short_moment(opens, zone),
                closes=short_moment(closes, zone),
            )
        )
        return
    invited = await send_invitations(p.repo, p.i18n_hub, survey)
    text = p.i18n("survey-build-published", title=survey.title, count=invited)
    if night := await batch_line(p.repo, p.i18n, p.user, p.settings, survey.batch_id):
        text += "\n" + night
    confirmation = await p.message.answer(text)
    batch = await p.repo.outbox.batch(survey.batch_id) if survey.batch_id else None
    if batch is not None:
        # The progress goes to whoever published (an admin, perhaps), in their language.
        await p.repo.outbox.show_progress(
            batch, confirmation.message_id, chat_id=p.user.telegram_id, locale=p.i18n.locale
        )
