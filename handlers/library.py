"""Finding materials: /search, the material card, download, rating, my materials."""

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultUnion,
    InputTextMessageContent,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link

from bot.callbacks import (
    MaterialAction,
    MaterialCallback,
    ReportCallback,
    SearchFilterCallback,
    SearchFilterField,
    ThreadAction,
    ThreadCallback,
)
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder, clamp_page, pager_row, pages_for
from handlers.common import MenuText, file_of, show
from notices.after_commit import AfterCommit
from notices.material_cards import grades_text, render_material
from notices.review_cards import REASONS, announce_review_item
from storage.enums import ContentType, MaterialKind, MaterialStatus
from storage.errors import InvalidState, NotFound
from storage.limits import SEARCH_QUERY_MAX
from storage.models import Material, User
from storage.numbers import parse_int
from storage.repositories import Repo
from storage.repositories.materials import Listed, SearchFilters
from storage.search import split_grade

RESULTS_PER_PAGE = 5  # one row of number buttons fits a phone
FILTER_VALUE_MAX = 24  # a community's title on its filter button, so the button is not cut
MINE_PAGE = -1  # a card opened from "my materials" leads back there, not to search results
INLINE_RESULTS = 20
INLINE_OFFSET_MAX = 10_000  # far beyond any result list; a forged offset is just "none left"
STATUS_ICONS = {
    MaterialStatus.PUBLISHED: "✅",
    MaterialStatus.PENDING: "⏳",
    MaterialStatus.CHANGES_REQUESTED: "✏️",
    MaterialStatus.REJECTED: "❌",
    MaterialStatus.WITHDRAWN: "🗄",
    MaterialStatus.DRAFT: "📝",
}


class SearchForm(StatesGroup):
    query = State()


def setup() -> Router:
    router = Router(name="library")
    router.message.register(cmd_search, Command("search"))
    router.message.register(cmd_search, MenuText("menu-search"))
    router.message.register(on_query, SearchForm.query, F.text)
    # First of the buttons, which no two take alike: every result list leads to a card.
    router.callback_query.register(
        cq_open, MaterialCallback.filter(F.action == MaterialAction.OPEN)
    )
    router.callback_query.register(
        cq_page, MaterialCallback.filter(F.action == MaterialAction.PAGE)
    )
    router.callback_query.register(cq_filter, SearchFilterCallback.filter())
    router.callback_query.register(cq_report, ReportCallback.filter())
    router.callback_query.register(
        cq_download, MaterialCallback.filter(F.action == MaterialAction.DOWNLOAD)
    )
    router.callback_query.register(
        cq_rate,
        MaterialCallback.filter(F.action.in_({MaterialAction.USEFUL, MaterialAction.NOT_USEFUL})),
    )
    router.message.register(cmd_mine, Command("my_materials"))
    router.callback_query.register(
        cq_mine, MaterialCallback.filter(F.action == MaterialAction.MINE)
    )
    router.callback_query.register(
        cq_withdraw, MaterialCallback.filter(F.action == MaterialAction.WITHDRAW)
    )
    return router


def setup_typed_search() -> Router:
    """For the end of the consented scope: text typed outside any dialog, and taken by no
    feature before it, is a search. Commands are left to the fallback's hint."""
    router = Router(name="library-typed-search")
    router.message.register(on_typed_text, StateFilter(None), F.text, ~F.text.startswith("/"))
    return router


# --- search --------------------------------------------------------------------------------


async def cmd_search(
    message: Message,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
    command: CommandObject | None = None,
) -> None:
    """/search [words], or the menu button (no command there, so no words either)."""
    query = (command.args or "").strip() if command else ""
    if query:
        await _search(message, state, repo, i18n, query[:SEARCH_QUERY_MAX])
        return
    await state.set_state(SearchForm.query)
    await message.answer(i18n("search-ask"))


async def on_query(message: Message, state: FSMContext, repo: Repo, i18n: Translator) -> None:
    await state.set_state(None)
    await _search(message, state, repo, i18n, (message.text or "").strip()[:SEARCH_QUERY_MAX])


async def on_typed_text(message: Message, state: FSMContext, repo: Repo, i18n: Translator) -> None:
    """Words typed outside any dialog are what the teacher is looking for; if nothing is
    found, the answer also says where the menu and the commands are."""
    await _search(
        message, state, repo, i18n, (message.text or "").strip()[:SEARCH_QUERY_MAX], typed=True
    )


async def _run(repo: Repo, query: str, filters: dict) -> list[int]:
    """Materials, or discussions when that filter is on: the same Russian-aware search."""
    if filters.get("threads"):
        return await repo.threads.search(query, filters.get("community_id"))
    return await repo.materials.search(
        query, SearchFilters(**{k: v for k, v in filters.items() if k != "threads"})
    )


async def _search(
    message: Message,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
    query: str,
    *,
    typed: bool = False,
) -> None:
    """A new query keeps the filters already chosen; a grade named in it ("дроби 6 класс")
    sets the grade filter, shown on its button, so it can be changed."""
    filters = dict((await state.get_data()).get("search_filters", {}))
    if not filters.get("threads"):
        query, grade = split_grade(query)
        if grade is not None:
            filters["grade"] = grade
    ids = await _run(repo, query, filters)
    await state.update_data(search_query=query, search_ids=ids, search_filters=filters)
    text, markup = await render_results(repo, i18n, query, ids, 0, filters)
    if typed and not ids:
        text = i18n("search-nothing-typed", query=query)
    await message.answer(text, reply_markup=markup)


def _short(text: str, limit: int = FILTER_VALUE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def filter_rows(
    repo: Repo, i18n: Translator, filters: dict
) -> list[list[InlineKeyboardButton]]:
    """Each filter says what it filters and its value: "Сообщество: все", "Вид: урок"."""
    community = (
        await repo.communities.get(filters["community_id"]) if filters.get("community_id") else None
    )
    kind = filters.get("kind")
    grade = filters.get("grade")
    threads = bool(filters.get("threads"))
    everything = i18n("search-filter-all")
    by_community = InlineKeyboardButton(
        text=i18n(
            "search-filter-community", value=_short(community.title) if community else everything
        ),
        callback_data=SearchFilterCallback(field=SearchFilterField.COMMUNITY).pack(),
    )
    switch = InlineKeyboardButton(
        text=i18n("search-in-materials" if threads else "search-in-threads"),
        callback_data=SearchFilterCallback(field=SearchFilterField.THREADS, any=threads).pack(),
    )
    if threads:
        return [[by_community], [switch]]
    by_kind = InlineKeyboardButton(
        text=i18n("search-filter-kind", value=i18n(f"kind-{kind}-short") if kind else everything),
        callback_data=SearchFilterCallback(field=SearchFilterField.KIND).pack(),
    )
    by_grade = InlineKeyboardButton(
        text=i18n(
            "search-filter-grade",
            value=i18n("search-filter-grade-value", grade=grade)
            if grade is not None
            else everything,
        ),
        callback_data=SearchFilterCallback(field=SearchFilterField.GRADE).pack(),
    )
    return [[by_community], [by_kind, by_grade], [switch]]


def _material_entry(i18n: Translator, number: int, material: Listed) -> str:
    details = []
    if material.kind:
        details.append(i18n(f"kind-{material.kind.value}-short"))
    if material.community_title:
        details.append(html.quote(material.community_title))
    if material.grades:
        details.append(grades_text(i18n, material.grades))
    title = i18n("search-result", number=number, title=material.title)
    return "\n".join([title, " · ".join(details)]) if details else title


async def render_results(
    repo: Repo, i18n: Translator, query: str, ids: list[int], page: int, filters: dict
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A numbered list in the text (whole titles, then kind, community and grades), a row of
    number buttons under it, the pager, then the filters."""
    builder = InlineKeyboardBuilder()
    if not ids:
        for row in await filter_rows(repo, i18n, filters):
            builder.row(*row)
        return i18n("search-nothing", query=query), builder.as_markup()
    pages = pages_for(len(ids), RESULTS_PER_PAGE)
    page = clamp_page(page, pages)
    first = page * RESULTS_PER_PAGE
    shown = ids[first : first + RESULTS_PER_PAGE]
    entries: list[str] = []
    numbers: list[InlineKeyboardButton] = []
    if filters.get("threads"):
        for number, thread in enumerate(await repo.threads.by_ids(shown), start=first + 1):
            entries.append(
                i18n("search-result", number=number, title=thread.title)
                + "\n"
                + i18n(
                    "search-thread-details",
                    community=thread.community.title,
                    replies=thread.replies,
                )
            )
            numbers.append(
                InlineKeyboardButton(
                    text=str(number),
                    callback_data=ThreadCallback(
                        action=ThreadAction.OPEN, thread_id=thread.id
                    ).pack(),
                )
            )
    else:
        listed = await repo.materials.listed(shown)
        for number, material in enumerate(listed, start=first + 1):
            entries.append(_material_entry(i18n, number, material))
            numbers.append(
                InlineKeyboardButton(
                    text=str(number),
                    callback_data=MaterialCallback(
                        action=MaterialAction.OPEN, material_id=material.id, page=page
                    ).pack(),
                )
            )
    builder.row(*numbers)
    pager = pager_row(
        i18n, page, pages, lambda n: MaterialCallback(action=MaterialAction.PAGE, page=n).pack()
    )
    if pager:
        builder.row(*pager)
    for row in await filter_rows(repo, i18n, filters):
        builder.row(*row)
    key = "search-found" if query else "search-latest"
    if filters.get("threads"):
        key = "search-found-threads"
    header = i18n(key, query=query, count=len(ids))
    return "\n\n".join([header, *entries]), builder.as_markup()


async def cq_page(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
) -> None:
    """A page of the last search; with none behind the button (a card opened by a link),
    the newest materials."""
    data = await state.get_data()
    filters = data.get("search_filters", {})
    query = data.get("search_query", "")
    ids = data.get("search_ids")
    if ids is None:
        ids = await _run(repo, query, filters)
        await state.update_data(search_query=query, search_ids=ids)
    text, markup = await render_results(repo, i18n, query, ids, callback_data.page, filters)
    await show(callback, text, markup)


async def cq_filter(
    callback: CallbackQuery,
    callback_data: SearchFilterCallback,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
) -> None:
    """Show a filter's choices, or apply the chosen one and search again."""
    data = await state.get_data()
    if "search_query" not in data:
        raise InvalidState("error-stale-button")
    field, number, kind = callback_data.field, callback_data.number, callback_data.kind
    chosen = callback_data.any or number is not None or kind is not None
    if not chosen and field is not SearchFilterField.THREADS:
        await show(
            callback, i18n(f"search-filter-choose-{field.value}"), await _choices(repo, i18n, field)
        )
        return
    filters = dict(data.get("search_filters", {}))
    key = {"c": "community_id", "k": "kind", "g": "grade", "t": "threads"}[field.value]
    if callback_data.any:
        filters.pop(key, None)
    elif field is SearchFilterField.THREADS:
        filters = {k: v for k, v in filters.items() if k == "community_id"}
        filters["threads"] = True
    elif field is SearchFilterField.KIND and kind is not None:
        filters[key] = kind.value
    elif field is not SearchFilterField.KIND and number is not None:
        filters[key] = number
    else:
        raise InvalidState("error-stale-button")
    ids = await _run(repo, data["search_query"], filters)
    await state.update_data(search_filters=filters, search_ids=ids)
    text, markup = await render_results(repo, i18n, data["search_query"], ids, 0, filters)
    await show(callback, text, markup)


async def _choices(repo: Repo, i18n: Translator, field: SearchFilterField) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n(f"search-filter-any-{field.value}"),
        callback_data=SearchFilterCallback(field=field, any=True),
    )
    if field is SearchFilterField.COMMUNITY:
        for community in await repo.communities.active_titles():
            builder.button(
                text=community.title,
                callback_data=SearchFilterCallback(field=field, number=community.id),
            )
        builder.adjust(1)
    elif field is SearchFilterField.KIND:
        for kind in MaterialKind:
            builder.button(
                text=i18n(f"kind-{kind.value}"),
                callback_data=SearchFilterCallback(field=field, kind=kind),
            )
        builder.adjust(1)
    else:
        for grade in range(12):
            builder.button(
                text=i18n("grade-short", grade=grade),
                callback_data=SearchFilterCallback(field=field, number=grade),
            )
        builder.adjust(1, 4, 4, 4)
    builder.row(
        InlineKeyboardButton(
            text=i18n("search-back"),
            callback_data=MaterialCallback(action=MaterialAction.PAGE, page=0).pack(),
        )
    )
    return builder.as_markup()


# --- the card ------------------------------------------------------------------------------


def card_keyboard(
    i18n: Translator, material: Material, user: User, page: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    open_data = {"material_id": material.id, "page": page}
    if material.status is MaterialStatus.PUBLISHED:
        builder.button(
            text=i18n("material-download"),
            callback_data=MaterialCallback(action=MaterialAction.DOWNLOAD, **open_data),
        )
        builder.button(
            text=i18n("material-useful", count=material.useful),
            callback_data=MaterialCallback(action=MaterialAction.USEFUL, **open_data),
        )
        builder.button(
            text=i18n("material-not-useful", count=material.not_useful),
            callback_data=MaterialCallback(action=MaterialAction.NOT_USEFUL, **open_data),
        )
    if material.status is MaterialStatus.PUBLISHED and material.author_id != user.id:
        builder.button(
            text=i18n("material-report"),
            callback_data=ReportCallback(material_id=material.id),
        )
    if (
        material.author_id == user.id
        and material.status is MaterialStatus.PUBLISHED
        and material.expert_verdict is None
    ):
        builder.button(
            text=i18n("expertise-request-button"),
            callback_data=MaterialCallback(action=MaterialAction.EXPERTISE, **open_data),
        )
    if material.author_id == user.id and material.status in (
        MaterialStatus.PUBLISHED,
        MaterialStatus.CHANGES_REQUESTED,
    ):
        builder.button(
            text=i18n("material-edit"),
            callback_data=MaterialCallback(action=MaterialAction.EDIT, **open_data),
        )
    if material.author_id == user.id and material.status is not MaterialStatus.WITHDRAWN:
        builder.button(
            text=i18n("material-withdraw"),
            callback_data=MaterialCallback(action=MaterialAction.WITHDRAW, **open_data),
        )
    if page == MINE_PAGE:
        builder.button(
            text=i18n("search-back-mine"),
            callback_data=MaterialCallback(action=MaterialAction.MINE),
        )
    else:
        builder.button(
            text=i18n("search-back"),
            callback_data=MaterialCallback(action=MaterialAction.PAGE, page=page),
        )
    builder.adjust(1, 2, 1)
    return builder.as_markup()


async def _visible(repo: Repo, material_id: int, user: User) -> Material:
    material = await repo.materials.get(material_id)
    if material is None or (
        material.status is not MaterialStatus.PUBLISHED and material.author_id != user.id
    ):
        raise NotFound("error-material-not-found")
    return material


async def send_material_card(
    message: Message, repo: Repo, i18n: Translator, user: User, material_id: int
) -> None:
    """For deep links (start=m_<id>)."""
    material = await _visible(repo, material_id, user)
    await repo.materials.record_view(material)
    await message.answer(
        render_material(i18n, material, counters=True),
        reply_markup=card_keyboard(i18n, material, user, 0),
    )


async def cq_open(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    repo: Repo,
    i18n: Translator,
    user: User,
) -> None:
    material = await _visible(repo, callback_data.material_id, user)
    await repo.materials.record_view(material)
    await show(
        callback,
        render_material(i18n, material, counters=True),
        card_keyboard(i18n, material, user, callback_data.page),
    )


async def cq_download(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    repo: Repo,
    i18n: Translator,
    user: User,
    bot: Bot,
) -> None:
    material = await repo.materials.require_published(callback_data.material_id)
    chat_id = callback.from_user.id
    caption = i18n("material-download-caption", title=material.title)
    if material.content_type is ContentType.DOCUMENT:
        await bot.send_document(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.PHOTO:
        await bot.send_photo(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.VIDEO:
        await bot.send_video(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.LINK:
        await bot.send_message(chat_id, i18n("material-card-link", url=material.url or ""))
    else:
        await bot.send_message(
            chat_id, caption + "\n\n" + i18n("material-card-description", text=material.body)
        )
    await repo.materials.record_download(material, user)
    await _refresh_card(callback, i18n, material, user, callback_data.page)


async def _refresh_card(
    callback: CallbackQuery, i18n: Translator, material: Material, user: User, page: int
) -> None:
    """The card with today's counters (a vote repeated changes nothing: bot.not_modified)."""
    await show(
        callback,
        render_material(i18n, material, counters=True),
        card_keyboard(i18n, material, user, page),
    )


async def cq_rate(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    repo: Repo,
    i18n: Translator,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    material = await repo.materials.require_published(callback_data.material_id)
    if material.author_id == user.id:
        raise InvalidState("material-rate-own")
    await repo.materials.rate(material, user, useful=callback_data.action is MaterialAction.USEFUL)
    callback_answer.text = i18n("material-rated")
    await _refresh_card(callback, i18n, material, user, callback_data.page)


# --- my materials (the teacher's portfolio, seed 003 §2.1) ---------------------------------


async def render_mine(
    repo: Repo, i18n: Translator, user: User
) -> tuple[str, InlineKeyboardMarkup | None]:
    materials = await repo.materials.of_author(user)
    if not materials:
        return i18n("mine-empty"), None
    builder = InlineKeyboardBuilder()
    for material in materials[:50]:
        builder.button(
            text=i18n(
                "mine-item",
                status=STATUS_ICONS[material.status],
                title=material.title,
                downloads=material.downloads,
                useful=material.useful,
            ),
            callback_data=MaterialCallback(
                action=MaterialAction.OPEN, material_id=material.id, page=MINE_PAGE
            ),
        )
    builder.adjust(1)
    published = sum(m.status is MaterialStatus.PUBLISHED for m in materials)
    downloads = sum(m.downloads for m in materials)
    return i18n(
        "mine-title", count=len(materials), published=published, downloads=downloads
    ), builder.as_markup()


async def cmd_mine(message: Message, repo: Repo, i18n: Translator, user: User) -> None:
    text, markup = await render_mine(repo, i18n, user)
    await message.answer(text, reply_markup=markup)


async def cq_mine(callback: CallbackQuery, repo: Repo, i18n: Translator, user: User) -> None:
    text, markup = await render_mine(repo, i18n, user)
    await show(callback, text, markup)


async def cq_withdraw(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    repo: Repo,
    i18n: Translator,
    user: User,
    callback_answer: CallbackAnswer,
) -> None:
    material = await repo.materials.withdraw(callback_data.material_id, user)
    callback_answer.text = i18n("material-withdrawn", title=material.title)
    callback_answer.show_alert = True
    text, markup = await render_mine(repo, i18n, user)
    await show(callback, text, markup)


# --- inline mode: @bot query in any chat ---------------------------------------------------


def setup_inline() -> Router:
    """Inline queries come from any chat, so this router sits outside the private scope."""
    router = Router(name="library-inline")
    router.inline_query.register(on_inline_query)
    return router


async def on_inline_query(
    inline_query: InlineQuery, repo: Repo, i18n: Translator, bot: Bot
) -> None:
    """Published materials only; picking one posts its card with a link back to the bot."""
    offset = parse_int(inline_query.offset, high=INLINE_OFFSET_MAX) or 0
    ids = await repo.materials.search(inline_query.query[:SEARCH_QUERY_MAX])
    page = await repo.materials.by_ids(ids[offset : offset + INLINE_RESULTS])
    results: list[InlineQueryResultUnion] = []
    for material in page:
        link = await create_start_link(bot, f"m_{material.id}")
        results.append(
            InlineQueryResultArticle(
                id=str(material.id),
                title=material.title,
                description=i18n(f"kind-{material.kind.value}") if material.kind else None,
                input_message_content=InputTextMessageContent(
                    message_text=render_material(i18n, material)
                ),
                reply_markup=InlineKeyboardMarkup(
                    inline_keyboard=[
                        [InlineKeyboardButton(text=i18n("material-open-in-bot"), url=link)]
                    ]
                ),
            )
        )
    next_offset = str(offset + INLINE_RESULTS) if len(ids) > offset + INLINE_RESULTS else ""
    await inline_query.answer(results, cache_time=30, is_personal=False, next_offset=next_offset)


# --- reports -------------------------------------------------------------------------------


async def cq_report(
    callback: CallbackQuery,
    callback_data: ReportCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    callback_answer: CallbackAnswer,
    after_commit: AfterCommit,
) -> None:
    """Pick a reason, then the report joins the material's entry in the review queue."""
    material = await repo.materials.require_published(callback_data.material_id)
    if not callback_data.reason:
        builder = InlineKeyboardBuilder()
        for reason in REASONS:
            builder.button(
                text=i18n(f"reason-{reason}"),
                callback_data=ReportCallback(material_id=material.id, reason=reason),
            )
        builder.button(
            text=i18n("button-back"),
            callback_data=MaterialCallback(action=MaterialAction.OPEN, material_id=material.id),
        )
        builder.adjust(1)
        await show(
            callback, i18n("report-choose-reason", title=material.title), builder.as_markup()
        )
        return
    if callback_data.reason not in REASONS:
        raise InvalidState("error-stale-button")
    item, created = await repo.materials.report(material.id, user, callback_data.reason)
    if created:
        after_commit(announce_review_item, bot, repo, i18n_hub, item)
    callback_answer.text = i18n("report-sent")
    callback_answer.show_alert = True
    await show(
        callback,
        render_material(i18n, material, counters=True),
        card_keyboard(i18n, material, user, 0),
    )
