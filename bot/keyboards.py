"""Keyboards shared across features. Every label comes from the locales."""

from collections.abc import Callable

from aiogram.types import InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils import keyboard

from bot.i18n import Translator


class InlineKeyboardBuilder(keyboard.InlineKeyboardBuilder):
    """aiogram's builder without its deep copies. ``export``, which ``button``, ``add``,
    ``adjust`` and ``as_markup`` each call, deep-copies every button so far: a card's ten
    buttons cost hundreds of copies. Copying the rows is enough, since no button is changed
    once made."""

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]


class ReplyKeyboardBuilder(keyboard.ReplyKeyboardBuilder):
    """As ``InlineKeyboardBuilder``, for reply keyboards."""

    def export(self) -> list[list[KeyboardButton]]:
        return [list(row) for row in self._markup]


# The main menu's buttons, in the order they are laid out.
MENU_KEYS = ("menu-search", "menu-share", "menu-communities", "menu-profile", "menu-help")


def main_menu(i18n: Translator) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for key in MENU_KEYS:
        builder.button(text=i18n(key))
    builder.adjust(2, 1, 2)
    return builder.as_markup(resize_keyboard=True, is_persistent=True)


def pager_row(
    i18n: Translator, page: int, pages: int, page_data: Callable[[int], str]
) -> list[InlineKeyboardButton]:
    """◀ 2/5 ▶ with arrows only where there is somewhere to go; empty for a single page."""
    if pages <= 1:
        return []
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=page_data(page - 1)))
    row.append(
        InlineKeyboardButton(
            text=i18n("pager", page=page + 1, pages=pages), callback_data=page_data(page)
        )
    )
    if page + 1 < pages:
        row.append(InlineKeyboardButton(text="▶", callback_data=page_data(page + 1)))
    return row


# Wider than this, a label is cut in half a row on a 390 px phone ("Методическая н…").
HALF_ROW_CHARS = 15


def paired_rows(labels: list[str]) -> list[int]:
    """Row sizes for ``InlineKeyboardBuilder.adjust``: two short labels a row, a long one
    alone, in the given order."""
    sizes: list[int] = []
    waiting = 0  # a short label waiting for its pair
    for label in labels:
        if len(label) > HALF_ROW_CHARS:
            if waiting:
                sizes.append(1)
                waiting = 0
            sizes.append(1)
        elif waiting:
            sizes.append(2)
            waiting = 0
        else:
            waiting = 1
    if waiting:
        sizes.append(1)
    return sizes


def in_pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """The buttons laid out in rows by ``paired_rows``: for ``builder.row`` one row at a time."""
    rows, start = [], 0
    for size in paired_rows([button.text for button in buttons]):
        rows.append(buttons[start : start + size])
        start += size
    return rows


def pages_for(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int, pages: int) -> int:
    return min(max(page, 0), pages - 1)
