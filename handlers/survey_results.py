"""Surveys for those who run them and those asked: /surveys lists a runner's surveys (a
draft opens the builder, the others their card) and a member's open invitations; the
owner's card with the counts, the results as text, a chart, the answers as CSV or XLSX,
closing early.

Anonymity holds here too: results and charts appear only once ``min_group`` have
answered, a community's group only when it has that many answers; the exports carry no
names or times, their rows go in the order of the random response keys, and a response
of a hidden small group has an empty community cell.
"""

import asyncio

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.callbacks import (
    SurveyAnswerAction,
    SurveyAnswerCallback,
    SurveyBuildAction,
    SurveyBuildCallback,
    SurveyResultAction,
    SurveyResultCallback,
)
from bot.config import Settings
from bot.dates import moment_text, zone_of
from bot.documents.charts import BarPanel, bar_chart
from bot.documents.spreadsheets import Percent, Row, Sheet, xlsx_bytes
from bot.documents.tables import csv_bytes
from bot.i18n import Html, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from notices.after_commit import AfterCommit
from storage.enums import QuestionKind, SurveyStatus
from storage.errors import InvalidState
from storage.models import Survey, SurveyAnswer, User
from storage.repositories import Repo
from storage.repositories.surveys import GroupResult, QuestionResult

MESSAGE_LIMIT = 4000  # Telegram allows 4096 characters; some room for the markup
TEXTS_SHOWN = 10  # free-text answers shown in the results; the export has them all
TEXT_SHOWN_MAX = 300  # one free-text answer in the results, cut with "…"
BUTTON_TITLE_MAX = 40
CHART_QUESTIONS = 6  # questions per chart picture; more go into further pictures
MARKS = {
    SurveyStatus.DRAFT: "✏️",
    SurveyStatus.SCHEDULED: "🕒",
    SurveyStatus.OPEN: "🟢",
    SurveyStatus.CLOSED: "⏹",
}
EXPORT_ACTIONS = {SurveyResultAction.CSV, SurveyResultAction.XLSX}


def setup() -> Router:
    router = Router(name="survey-results")
    router.message.register(cmd_surveys, Command("surveys"))
    router.callback_query.register(cq_survey_result, SurveyResultCallback.filter())
    return router


def _data(action: SurveyResultAction, survey: Survey | None = None) -> SurveyResultCallback:
    return SurveyResultCallback(action=action, survey_id=survey.id if survey else 0)


def _short(title: str, limit: int = BUTTON_TITLE_MAX) -> Html:
    """A title for a button: not HTML (buttons show text as it is), and not too long."""
    return Html(title if len(title) <= limit else title[: limit - 1] + "…")


# --- /surveys ----------------------------------------------------------------------------------


async def render_list(repo: Repo, i18n: Translator, user: User, settings: Settings):
    builder = InlineKeyboardBuilder()
    parts = []
    runner = repo.surveys.can_run(user)
    if runner:
        surveys = await repo.surveys.mine(user)
        parts.append(
            i18n("surveys-list-mine", count=len(surveys))
            if surveys
            else i18n("surveys-list-mine-none")
        )
        for survey in surveys:
            if survey.status is SurveyStatus.DRAFT:
                builder.button(
                    text=i18n("surveys-list-item-draft", title=_short(survey.title)),
                    callback_data=SurveyBuildCallback(
                        action=SurveyBuildAction.DRAFT, survey_id=survey.id
                    ),
                )
                continue
            invited, answered = await repo.surveys.counts(survey)
            builder.button(
                text=i18n(
                    "surveys-list-item",
                    mark=MARKS[survey.status],
                    title=_short(survey.title),
                    answered=str(answered),
                    invited=str(invited),
                ),
                callback_data=_data(SurveyResultAction.OPEN, survey),
            )
    pending = await repo.surveys.invited_open(user)
    if pending:
        zone = zone_of(user, settings)
        lines = [i18n("surveys-list-take", count=len(pending))]
        lines += [
            i18n(
                "surveys-list-take-item",
                title=survey.title,
                until=moment_text(survey.closes_at, zone, i18n),
            )
            for survey in pending
        ]
        parts.append("\n".join(lines))
        for survey in pending:
            builder.button(
                text=i18n("surveys-list-take-button", title=_short(survey.title)),
                callback_data=SurveyAnswerCallback(
                    action=SurveyAnswerAction.TAKE, survey_id=survey.id
                ),
            )
    elif not runner:
        parts.append(i18n("surveys-list-none"))
    builder.adjust(1)
    markup = builder.as_markup() if list(builder.buttons) else None
    return "\n\n".join(parts), markup


async def cmd_surveys(
    message: Message, repo: Repo, user: User, i18n: Translator, settings: Settings
) -> None:
    text, markup = await render_list(repo, i18n, user, settings)
    await message.answer(text, reply_markup=markup)


# --- the owner's card --------------------------------------------------------------------------


async def _audience_text(repo: Repo, i18n: Translator, survey: Survey) -> str:
    if not survey.audience:
        return i18n("survey-results-everyone")
    return ", ".join([await _community_title(repo, i18n, cid) for cid in survey.audience])


async def _community_title(repo: Repo, i18n: Translator, community_id: int) -> str:
    community = await repo.communities.get(community_id)
    return community.title if community else i18n("survey-results-unknown-community")


async def render_card(repo: Repo, i18n: Translator, user: User, survey: Survey, settings):
    zone = zone_of(user, settings)
    status = survey.status
    lines = [
        i18n("survey-results-card-title", title=survey.title),
        i18n("survey-results-card-status", status=i18n(f"survey-results-status-{status.value}")),
    ]
    builder = InlineKeyboardBuilder()
    if status is SurveyStatus.DRAFT:
        lines.append(i18n("survey-results-card-draft"))
        builder.button(
            text=i18n("survey-results-edit-button"),
            callback_data=SurveyBuildCallback(action=SurveyBuildAction.DRAFT, survey_id=survey.id),
        )
        builder.button(
            text=i18n("survey-results-back-button"), callback_data=_data(SurveyResultAction.LIST)
        )
        builder.adjust(1)
        return "\n".join(lines), builder.as_markup()
    if survey.opens_at is not None:
        key = "opens" if status is SurveyStatus.SCHEDULED else "opened"
        lines.append(
            i18n(f"survey-results-card-{key}", when=moment_text(survey.opens_at, zone, i18n))
        )
    if status is SurveyStatus.CLOSED:
        closed = survey.closed_at or survey.closes_at
        lines.append(i18n("survey-results-card-closed", when=moment_text(closed, zone, i18n)))
    elif survey.closes_at is not None:
        lines.append(
            i18n("survey-results-card-closes", when=moment_text(survey.closes_at, zone, i18n))
        )
    lines.append(
        i18n("survey-results-card-audience", audience=await _audience_text(repo, i18n, survey))
    )
    invited, answered = await repo.surveys.counts(survey)
    lines.append(i18n("survey-results-card-counts", invited=invited, answered=answered))
    lines.append(i18n("survey-results-card-min-group", min=survey.min_group))
    if pending := await repo.surveys.pending(survey):
        lines.append(i18n("survey-results-pending", count=pending, min=survey.min_group))
    for action, label in (
        (SurveyResultAction.RESULTS, "survey-results-button"),
        (SurveyResultAction.CHART, "survey-results-chart-button"),
        (SurveyResultAction.XLSX, "survey-results-xlsx-button"),  # opens right everywhere
        (SurveyResultAction.CSV, "survey-results-csv-button"),
    ):
        builder.button(text=i18n(label), callback_data=_data(action, survey))
    rows = [2, 2]
    if status in (SurveyStatus.SCHEDULED, SurveyStatus.OPEN):
        builder.button(
            text=i18n("survey-results-close-button"),
            callback_data=_data(SurveyResultAction.CLOSE, survey),
        )
        rows.append(1)
    builder.button(
        text=i18n("survey-results-back-button"), callback_data=_data(SurveyResultAction.LIST)
    )
    builder.adjust(*rows, 1)
    return "\n".join(lines), builder.as_markup()


def _close_confirmation(i18n: Translator, survey: Survey):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-results-close-yes"),
        callback_data=_data(SurveyResultAction.CLOSE_YES, survey),
    )
    builder.button(
        text=i18n("survey-results-close-no"), callback_data=_data(SurveyResultAction.OPEN, survey)
    )
    builder.adjust(1)
    return i18n("survey-results-close-confirm", title=survey.title), builder.as_markup()


async def cq_survey_result(
    callback: CallbackQuery,
    callback_data: SurveyResultCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    bot: Bot,
    callback_answer,
    after_commit: AfterCommit,
) -> None:
    action = callback_data.action
    if action is SurveyResultAction.LIST:
        text, markup = await render_list(repo, i18n, user, settings)
        await show(callback, text, markup)
        return
    # Every press re-checks: only the survey's owner or an admin gets past this line.
    survey = await repo.surveys.owned(callback_data.survey_id, user)
    chat_id = callback.from_user.id
    if action is SurveyResultAction.CLOSE:
        if survey.status not in (SurveyStatus.SCHEDULED, SurveyStatus.OPEN):
            raise InvalidState(
                "survey-closed" if survey.status is SurveyStatus.CLOSED else "survey-not-published"
            )
        text, markup = _close_confirmation(i18n, survey)
        await show(callback, text, markup)
        return
    if action is SurveyResultAction.CLOSE_YES:
        release = await repo.surveys.close(survey, user)
        # invitations and reminders still waiting in the outbox are withdrawn
        await repo.outbox.cancel_keys(f"survey:{survey.id}:")
        callback_answer.text = i18n("survey-results-closed-done")
        if release.discarded:
            callback_answer.text = i18n(
                "survey-results-closed-discarded", count=release.discarded, min=survey.min_group
            )
            callback_answer.show_alert = True
        if release:
            after_commit(repo.surveys.scrub)  # what the released or deleted rows left behind
    elif action is SurveyResultAction.RESULTS:
        for text in await results_messages(repo, i18n, survey):
            await bot.send_message(chat_id, text)
        return
    elif action is SurveyResultAction.CHART:
        await _send_chart(bot, chat_id, repo, i18n, survey)
        return
    elif action in EXPORT_ACTIONS:
        await _send_export(bot, chat_id, repo, i18n, user, survey, action)
        return
    text, markup = await render_card(repo, i18n, user, survey, settings)
    await show(callback, text, markup)


# --- results as text ---------------------------------------------------------------------------


def _percent(count: int, of: int) -> str:
    return str(int(100 * count / of + 0.5)) if of else "0"


def _decimal(i18n: Translator, value: float) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if i18n.locale == "ru" else text


def _scale_value(question, value: int) -> str:
    labels = question.scale_labels
    if len(labels) == 2 and value in (1, question.scale_max):
        return f"{value} ({labels[0] if value == 1 else labels[1]})"
    return str(value)


def question_block(i18n: Translator, result: QuestionResult) -> str:
    question = result.question
    answered = result.answered
    lines = [i18n("survey-results-question", number=str(question.position + 1), text=question.text)]
    if question.kind is QuestionKind.SCALE:
        if result.average is not None:
            lines.append(
                i18n(
                    "survey-results-average",
                    average=_decimal(i18n, result.average),
                    count=answered,
                )
            )
        else:
            lines.append(i18n("survey-results-answered", count=answered))
        for value in range(1, question.scale_max + 1):
            count = result.counts.get(str(value), 0)
            lines.append(
                i18n(
                    "survey-results-value",
                    value=_scale_value(question, value),
                    count=count,
                    percent=_percent(count, answered),
                )
            )
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        key = (
            "survey-results-answered-multiple"
            if question.kind is QuestionKind.MULTIPLE
            else "survey-results-answered"
        )
        lines.append(i18n(key, count=answered))
        for option in question.options:
            count = result.counts.get(option, 0)
            lines.append(
                i18n(
                    "survey-results-option",
                    option=option,
                    count=count,
                    percent=_percent(count, answered),
                )
            )
        if result.texts:
            # what "other" means: the written-in words, shown only where the figures are
            # (a group of at least min_group: GroupResult never holds a smaller one)
            lines.append(i18n("survey-results-other", count=len(result.texts)))
            lines += _written(i18n, result.texts, "survey-results-other-text")
    else:
        lines.append(i18n("survey-results-texts", count=len(result.texts)))
        lines += _written(i18n, result.texts, "survey-results-text")
    return "\n".join(lines)


def _written(i18n: Translator, texts: list[str], key: str) -> list[str]:
    """Written answers in alphabetical order (never in the order given), each on one line
    and cut; the first TEXTS_SHOWN, then "…and N more — in the export"."""
    shown = sorted(texts, key=str.casefold)[:TEXTS_SHOWN]
    lines = []
    for text in shown:
        text = " ".join(text.split())
        if len(text) > TEXT_SHOWN_MAX:
            text = text[: TEXT_SHOWN_MAX - 1] + "…"
        lines.append(i18n(key, text=text))
    if len(texts) > len(shown):
        lines.append(i18n("survey-results-more-texts", count=len(texts) - len(shown)))
    return lines


async def _too_few(repo: Repo, survey: Survey) -> InvalidState:
    _, answered = await repo.surveys.counts(survey)
    # closed: what waited was released, or deleted unread because it was too few
    closed = survey.status is SurveyStatus.CLOSED
    key = "survey-results-too-few-closed" if closed else "survey-results-too-few"
    return InvalidState(key, min=survey.min_group, count=answered)


async def results_messages(repo: Repo, i18n: Translator, survey: Survey) -> list[str]:
    invited, answered = await repo.surveys.counts(survey)
    head = [i18n("survey-results-title", title=survey.title, answered=answered, invited=invited)]
    groups = await repo.surveys.results(survey)
    if not groups:  # (nothing released yet: "too few" says why, the waiting line would repeat it)
        too_few = await _too_few(repo, survey)
        head.append(i18n(too_few.key, **too_few.args_for_text))
        return ["\n\n".join(head)]
    if pending := await repo.surveys.pending(survey):
        head.append(i18n("survey-results-pending", count=pending, min=survey.min_group))
    if ungrouped := await repo.surveys.ungrouped(survey):
        head.append(i18n("survey-results-ungrouped", min=survey.min_group, count=ungrouped))
    blocks = ["\n".join(head)]
    for group in groups:
        if group.community_id is None:
            blocks.append(i18n("survey-results-everyone-group", count=group.responses))
        else:
            title = await _community_title(repo, i18n, group.community_id)
            blocks.append(
                i18n("survey-results-community-group", title=title, count=group.responses)
            )
        blocks += [question_block(i18n, result) for result in group.questions]
    return split_messages(blocks)


def split_messages(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks joined by blank lines into messages under the limit; a block too long for one
    message is split between its lines (tags never span lines here)."""
    pieces: list[tuple[str, str]] = []  # (separator before, text)
    for block in blocks:
        if len(block) <= limit:
            pieces.append(("\n\n", block))
            continue
        for number, line in enumerate(block.split("\n")):
            pieces.append(("\n\n" if number == 0 else "\n", line[:limit]))
    messages: list[str] = []
    current = ""
    for separator, text in pieces:
        if current and len(current) + len(separator) + len(text) > limit:
            messages.append(current)
            current = ""
        current = f"{current}{separator}{text}" if current else text
    if current:
        messages.append(current)
    return messages


# --- the chart ---------------------------------------------------------------------------------


def _bars(result: QuestionResult, other: str) -> tuple[list[str], list[int]]:
    question = result.question
    if question.kind is QuestionKind.SCALE:
        values = range(1, question.scale_max + 1)
        return (
            [_scale_value(question, value) for value in values],
            [result.counts.get(str(value), 0) for value in values],
        )
    labels = list(question.options)
    counts = [result.counts.get(option, 0) for option in labels]
    if result.texts:
        labels.append(other)
        counts.append(len(result.texts))
    return labels, counts


def render_chart(results: list[QuestionResult], other: str) -> bytes:
    """The questions' bars as one PNG (bot/documents/charts.py draws it)."""
    return bar_chart(
        [
            BarPanel(f"{r.question.position + 1}. {r.question.text}", *_bars(r, other))
            for r in results
        ]
    )


async def _send_chart(bot: Bot, chat_id: int, repo: Repo, i18n: Translator, survey: Survey):
    groups = await repo.surveys.results(survey)
    if not groups:
        raise await _too_few(repo, survey)
    everyone: GroupResult = groups[0]
    charted = [r for r in everyone.questions if r.question.kind is not QuestionKind.TEXT]
    if not charted:
        raise InvalidState("survey-results-chart-nothing")
    parts = [
        charted[start : start + CHART_QUESTIONS]
        for start in range(0, len(charted), CHART_QUESTIONS)
    ]
    other = i18n("survey-results-other-label")
    for number, part in enumerate(parts, 1):
        # drawing takes a moment of CPU: off the event loop (the Figure API is thread-safe)
        png = await asyncio.to_thread(render_chart, part, other)
        if len(parts) == 1:
            caption = i18n(
                "survey-results-chart-caption", title=survey.title, count=everyone.responses
            )
        else:
            caption = i18n(
                "survey-results-chart-part",
                title=survey.title,
                count=everyone.responses,
                part=number,
                parts=len(parts),
            )
        await bot.send_photo(
            chat_id,
            BufferedInputFile(png, filename=f"survey-{survey.id}-{number}.png"),
            caption=caption,
        )


# --- exports -----------------------------------------------------------------------------------


def _cell(question, answer: SurveyAnswer | None, other: str) -> str | int:
    if answer is None:
        return ""
    if question.kind is QuestionKind.SCALE:
        return answer.number if answer.number is not None else ""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chosen = list(answer.choices)
        if answer.text:
            chosen.append(f"{other}: {answer.text}")
        return "; ".join(chosen)
    return answer.text


async def export_table(repo: Repo, i18n: Translator, survey: Survey):
    """(header, rows, results): one row per response, ordered by its random key."""
    groups = await repo.surveys.results(survey)
    if not groups:
        raise await _too_few(repo, survey)
    shown = {g.community_id for g in groups if g.community_id is not None}
    titles = {cid: await _community_title(repo, i18n, cid) for cid in shown}
    grouped = len(survey.audience or []) >= 2
    other = i18n("survey-results-other-label")
    header = [f"{q.position + 1}. {q.text}" for q in survey.questions]
    if grouped:
        header.insert(0, i18n("survey-results-column-community"))
    rows = []
    for response in sorted(await repo.surveys.responses(survey), key=lambda r: r.id):
        answers = {answer.question_id: answer for answer in response.answers}
        row = [_cell(q, answers.get(q.id), other) for q in survey.questions]
        if grouped:
            row.insert(0, titles.get(response.community_id or 0, ""))
        rows.append(row)
    return header, rows, groups


def _xlsx_sheets(
    i18n: Translator, header: list[str], rows: list[list], everyone: GroupResult
) -> list[Sheet]:
    """The responses as they are, then a summary sheet: counts and shares per question."""
    answers = Sheet(
        i18n("survey-results-sheet-responses"),
        [Row(header, bold=True), *(Row(row) for row in rows)],
        column_width=30,
        freeze_header=True,
    )
    summary = [
        Row([i18n("survey-results-summary-total"), everyone.responses], bold=True),
        Row(
            [
                i18n("survey-results-summary-answer"),
                i18n("survey-results-summary-count"),
                i18n("survey-results-summary-share"),
            ],
            bold=True,
        ),
    ]
    other = i18n("survey-results-other-label")
    for result in everyone.questions:
        question = result.question
        summary.append(Row([]))
        summary.append(Row([f"{question.position + 1}. {question.text}"], bold=True))
        summary.append(Row([i18n("survey-results-summary-answered"), result.answered]))
        if question.kind is QuestionKind.TEXT:
            continue
        if question.kind is QuestionKind.SCALE:
            keys: list = list(range(1, question.scale_max + 1))
            counts = [result.counts.get(str(value), 0) for value in keys]
        else:
            keys = list(question.options)
            counts = [result.counts.get(option, 0) for option in keys]
            if result.texts:
                keys.append(other)
                counts.append(len(result.texts))
        for key, count in zip(keys, counts, strict=True):
            share = count / result.answered if result.answered else 0
            summary.append(Row([key, count, Percent(share)]))
        if result.average is not None:
            summary.append(Row([i18n("survey-results-summary-average"), round(result.average, 2)]))
    return [answers, Sheet(i18n("survey-results-sheet-summary"), summary, widths={"A": 50})]


async def _send_export(
    bot: Bot,
    chat_id: int,
    repo: Repo,
    i18n: Translator,
    user: User,
    survey: Survey,
    action: SurveyResultAction,
) -> None:
    header, rows, groups = await export_table(repo, i18n, survey)
    if action is SurveyResultAction.CSV:
        content, extension = csv_bytes(header, rows), "csv"
    else:
        sheets = _xlsx_sheets(i18n, header, rows, groups[0])
        content = await asyncio.to_thread(xlsx_bytes, sheets)
        extension = "xlsx"
    await repo.audit.record(
        user, "survey.export", "survey", survey.id, format=extension, rows=len(rows)
    )
    await bot.send_document(
        chat_id,
        BufferedInputFile(content, filename=f"survey-{survey.id}.{extension}"),
        caption=i18n("survey-results-export-caption", title=survey.title, count=len(rows)),
    )
