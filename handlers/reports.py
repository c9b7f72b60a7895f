"""/report: the effectiveness report the regulations ask for (seeds 003 §8–§10, 004 §3.1,
§5.4, §6.1). Pick what to report on (the network or a community: coordinators, admins and
methodists have all, a moderator their communities), then the period (this month, last
month, the quarter, the academic year, or dates typed); the summary card follows, with
buttons for the charts, the workbook, the PDF, the plan of work and, for coordinators and
admins, the participant data bank.

Every button carries its scope and its days, so a card pressed tomorrow (or a month's
digest pressed next week) still gives the report it showed; permission is checked anew on
every press.
"""

import asyncio
from datetime import date

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import AnalysisAction, AnalysisCallback
from bot.config import Settings
from bot.dates import parse_date_range, zone_name, zone_of
from bot.documents.charts import charts_png
from bot.documents.pdf import pdf_bytes
from bot.documents.spreadsheets import xlsx_bytes
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import pressed_message, show
from notices.report_documents import (
    chart_panels,
    data_bank_sheets,
    pdf_sections,
    plan_pdf_sections,
    plan_sheets,
    prepared_text,
    title_page,
    workbook,
)
from notices.reports import (
    card_markup,
    card_text,
    document_caption,
    file_stem,
    period_text,
    scope_text,
)
from storage import policy
from storage.errors import InvalidState, PermissionDenied
from storage.models import User
from storage.periods import Period, Preset, academic_year, preset_period
from storage.report_figures import Scope
from storage.repositories import Repo

SCOPES_PER_PAGE = 8
BUTTON_TITLE_MAX = 40
PRESETS = (Preset.THIS_MONTH, Preset.LAST_MONTH, Preset.QUARTER, Preset.ACADEMIC_YEAR)


class ReportForm(StatesGroup):
    dates = State()


def setup() -> Router:
    router = Router(name="reports")
    router.message.register(cmd_report, Command("report"))
    router.callback_query.register(cq_report, AnalysisCallback.filter())
    router.message.register(on_dates, ReportForm.dates, F.text, ~F.text.startswith("/"))
    return router


# --- what and when -------------------------------------------------------------------------------


async def _scope(repo: Repo, user: User, community_id: int) -> Scope:
    """The scope a button names, if this person may still report on it."""
    if community_id:
        community = await repo.communities.require(community_id)
        scope = Scope(community.id, community.title)
    else:
        scope = Scope()
    if not await repo.reports.may_report(user, scope):
        raise PermissionDenied()
    return scope


def _period(data: AnalysisCallback, zone: str) -> Period:
    if data.first < 1 or data.last < 1:
        raise InvalidState("error-stale-button")
    return Period(date.fromordinal(data.first), date.fromordinal(data.last), zone)


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TITLE_MAX else title[: BUTTON_TITLE_MAX - 1] + "…"


def _button(action: AnalysisAction, scope: Scope, **fields: int) -> AnalysisCallback:
    return AnalysisCallback(action=action, community=scope.community_id or 0, **fields)


async def render_scopes(i18n: Translator, scopes: list[Scope], page: int):
    pages = max(1, -(-len(scopes) // SCOPES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    builder = InlineKeyboardBuilder()
    for scope in scopes[page * SCOPES_PER_PAGE : (page + 1) * SCOPES_PER_PAGE]:
        label = (
            i18n("report-scope-network-button")
            if scope.community_id is None
            else i18n("report-scope-community-button", title=_short(scope.title))
        )
        builder.button(text=label, callback_data=_button(AnalysisAction.SCOPE, scope))
    sizes = [1] * min(SCOPES_PER_PAGE, len(scopes) - page * SCOPES_PER_PAGE)
    if pages > 1:
        if page > 0:
            builder.button(
                text="◀️",
                callback_data=AnalysisCallback(action=AnalysisAction.SCOPES, page=page - 1),
            )
        if page < pages - 1:
            builder.button(
                text="▶️",
                callback_data=AnalysisCallback(action=AnalysisAction.SCOPES, page=page + 1),
            )
        sizes.append(2 if 0 < page < pages - 1 else 1)
    builder.adjust(*sizes)
    text = i18n("report-pick-scope")
    if pages > 1:
        text += "\n" + i18n("report-page", page=page + 1, pages=pages)
    return text, builder.as_markup()


def _preset_label(i18n: Translator, preset: Preset, period: Period) -> str:
    if preset in (Preset.THIS_MONTH, Preset.LAST_MONTH):
        return i18n(
            "report-period-month",
            month=period.first.month,
            year=str(period.first.year),
            current="yes" if preset is Preset.THIS_MONTH else "no",
        )
    if preset is Preset.QUARTER:
        return i18n(
            "report-period-quarter",
            quarter=(period.first.month - 1) // 3 + 1,
            year=str(period.first.year),
        )
    # years as text (a number would be written "2 026"), the second one short: 2026/27
    year = period.first.year
    return i18n("report-period-academic-year", first=str(year), last=f"{(year + 1) % 100:02d}")


def render_periods(i18n: Translator, scope: Scope, today: date, zone: str, *, back: bool):
    builder = InlineKeyboardBuilder()
    for preset in PRESETS:
        period = preset_period(preset, today, zone)
        builder.button(
            text=_preset_label(i18n, preset, period),
            callback_data=_button(
                AnalysisAction.CARD,
                scope,
                first=period.first.toordinal(),
                last=period.last.toordinal(),
            ),
        )
    builder.button(
        text=i18n("report-period-typed"), callback_data=_button(AnalysisAction.TYPE, scope)
    )
    if back:
        builder.button(
            text=i18n("report-back"), callback_data=AnalysisCallback(action=AnalysisAction.SCOPES)
        )
    builder.adjust(1)  # whole labels on a phone: «Учебный год 2026/27», «Декабрь 2026 (по сегодня)»
    return i18n("report-pick-period", scope=scope_text(i18n, scope)), builder.as_markup()


# --- /report -------------------------------------------------------------------------------------


async def cmd_report(
    message: Message,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    state: FSMContext,
) -> None:
    await state.clear()
    scopes = await repo.reports.reportable(user)
    if not scopes:
        await message.answer(i18n("report-no-rights"))
        return
    if len(scopes) == 1:
        zone = zone_of(user, settings)
        today = repo.clock().astimezone(zone).date()
        text, markup = render_periods(i18n, scopes[0], today, zone.key, back=False)
    else:
        text, markup = await render_scopes(i18n, scopes, 0)
    await message.answer(text, reply_markup=markup)


async def cq_report(
    callback: CallbackQuery,
    callback_data: AnalysisCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    state: FSMContext,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    action = callback_data.action
    zone = zone_of(user, settings)
    if action is AnalysisAction.SCOPES:
        scopes = await repo.reports.reportable(user)
        if not scopes:
            raise PermissionDenied()
        await show(callback, *await render_scopes(i18n, scopes, callback_data.page))
        return
    scope = await _scope(repo, user, callback_data.community)
    if action is AnalysisAction.SCOPE:
        today = repo.clock().astimezone(zone).date()
        several = len(await repo.reports.reportable(user)) > 1
        text, markup = render_periods(i18n, scope, today, zone.key, back=several)
        if callback_data.apart:  # from a card: the card and its figures stay in the chat
            await bot.send_message(user.telegram_id, text, reply_markup=markup)
        else:
            await show(callback, text, markup)
        return
    if action is AnalysisAction.TYPE:
        await state.set_state(ReportForm.dates)
        await state.update_data(community=scope.community_id or 0)
        await show(callback, i18n("report-dates-ask", scope=scope_text(i18n, scope)))
        return
    period = _period(callback_data, zone.key)
    if action is AnalysisAction.CARD:
        text, markup = await render_card(repo, i18n, user, scope, period)
        if callback_data.apart:  # the reminder it was pressed on stays as it is
            await bot.send_message(user.telegram_id, text, reply_markup=markup)
        else:
            await show(callback, text, markup)
        return
    if action is AnalysisAction.BANK and not policy.may_see_data_bank(user):
        raise PermissionDenied()
    # Documents take a second or two: the spinner stops at once, with word of what comes.
    await callback.answer(i18n("report-preparing"))
    callback_answer.disabled = True
    chat_id = pressed_message(callback).chat.id if callback.message else user.telegram_id
    if action in (AnalysisAction.CHARTS, AnalysisAction.XLSX, AnalysisAction.PDF):
        await _send_report(bot, chat_id, repo, user, i18n, settings, scope, period, action)
    elif action is AnalysisAction.BANK:
        await _send_data_bank(bot, chat_id, repo, user, i18n, scope, period)
    elif action is AnalysisAction.PLAN:
        await _send_plan(bot, chat_id, repo, user, i18n, settings, scope, period)


async def on_dates(
    message: Message,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    state: FSMContext,
) -> None:
    """Dates typed for the report; a mistake is answered and the question stays open."""
    data = await state.get_data()
    scope = await _scope(repo, user, int(data.get("community", 0)))
    zone = zone_of(user, settings)
    today = repo.clock().astimezone(zone).date()
    first, last = parse_date_range(message.text or "", today)
    period = Period(first, last, zone.key)
    await state.clear()
    text, markup = await render_card(repo, i18n, user, scope, period)
    await message.answer(text, reply_markup=markup)


async def render_card(repo: Repo, i18n: Translator, user: User, scope: Scope, period: Period):
    """The summary card as this person sees it (the data bank's button for its holders)."""
    figures = await repo.reports.figures(scope, period)
    data_bank = policy.may_see_data_bank(user)
    return card_text(i18n, figures), card_markup(i18n, scope, period, data_bank=data_bank)


# --- the card and the documents ------------------------------------------------------------------


async def _send_report(
    bot: Bot,
    chat_id: int,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    scope: Scope,
    period: Period,
    action: AnalysisAction,
) -> None:
    """The charts (a photo), the workbook or the PDF of the report. Rendering takes a
    moment of CPU, so it runs off the event loop (the renderers are thread-safe)."""
    figures = await repo.reports.figures(scope, period)
    stem = file_stem(scope, period)
    if action is AnalysisAction.CHARTS:
        png = await asyncio.to_thread(charts_png, chart_panels(i18n, figures))
        await bot.send_photo(
            chat_id,
            BufferedInputFile(png, filename=f"{stem}.png"),
            caption=document_caption(i18n, scope, period, i18n("report-what-charts")),
        )
        return
    if action is AnalysisAction.XLSX:
        content = await asyncio.to_thread(xlsx_bytes, workbook(i18n, figures))
        extension, what = "xlsx", i18n("report-what-xlsx")
    else:
        cover = title_page(
            i18n, _network(i18n, settings), scope, period, _prepared(repo, user, i18n, settings)
        )
        content = await asyncio.to_thread(
            pdf_bytes,
            cover,
            pdf_sections(i18n, figures),
            document_title=f"{i18n('report-title-long')} · {period_text(period)}",
            page_label=i18n("report-page-label"),
        )
        extension, what = "pdf", i18n("report-what-pdf")
    await bot.send_document(
        chat_id,
        BufferedInputFile(content, filename=f"{stem}.{extension}"),
        caption=document_caption(i18n, scope, period, what),
    )


def _prepared(repo: Repo, user: User, i18n: Translator, settings: Settings) -> str:
    zone = zone_of(user, settings)
    return prepared_text(i18n, repo.clock(), zone, zone_name(i18n, zone.key))


def _network(i18n: Translator, settings: Settings) -> str:
    return settings.network_name or i18n("report-network-default")


async def _send_data_bank(
    bot: Bot, chat_id: int, repo: Repo, user: User, i18n: Translator, scope: Scope, period: Period
) -> None:
    rows = await repo.reports.data_bank(user, scope)  # refuses all but coordinators and admins
    content = await asyncio.to_thread(xlsx_bytes, data_bank_sheets(i18n, rows))
    await bot.send_document(
        chat_id,
        BufferedInputFile(content, filename=f"{file_stem(scope, period, 'data-bank')}.xlsx"),
        caption=i18n("report-bank-caption", scope=scope_text(i18n, scope), count=len(rows)),
    )


async def _send_plan(
    bot: Bot,
    chat_id: int,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    scope: Scope,
    period: Period,
) -> None:
    year = academic_year(period.first, period.zone)
    events = await repo.reports.plan_of_work(scope, year)
    sheets = await asyncio.to_thread(xlsx_bytes, plan_sheets(i18n, year, events))
    cover = title_page(
        i18n,
        _network(i18n, settings),
        scope,
        year,
        _prepared(repo, user, i18n, settings),
        title=i18n("report-plan-title-long"),
    )
    pdf = await asyncio.to_thread(
        pdf_bytes,
        cover,
        plan_pdf_sections(i18n, events),
        document_title=i18n("report-plan-title", period=period_text(year)),
        page_label=i18n("report-page-label"),
    )
    stem = f"plan-{year.first.year}-{year.last.year}"
    caption = i18n(
        "report-plan-caption",
        scope=scope_text(i18n, scope),
        period=period_text(year),
        count=len(events),
    )
    await bot.send_document(
        chat_id, BufferedInputFile(sheets, filename=f"{stem}.xlsx"), caption=caption
    )
    await bot.send_document(
        chat_id, BufferedInputFile(pdf, filename=f"{stem}.pdf"), caption=caption
    )
