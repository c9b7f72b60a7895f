"""The effectiveness report's card (seeds 003 §8–§10, 004 §5.4): the key figures with their
change against the previous period, the buttons for the documents, their captions, and the
monthly digest that carries the card. /report and the scheduler's digest both word it here;
the documents themselves are in notices/report_documents.py.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import AnalysisAction, AnalysisCallback
from bot.i18n import Html, Translator
from bot.keyboards import InlineKeyboardBuilder
from storage.periods import Period, Preset, preset_period
from storage.report_figures import (
    Figures,
    Scope,
)


def period_text(period: Period) -> str:
    return f"{period.first:%d.%m.%Y} – {period.last:%d.%m.%Y}"


def scope_text(i18n: Translator, scope: Scope) -> str:
    return scope.title if scope.community_id is not None else i18n("report-scope-network")


def share_text(share: float | None) -> str:
    """A share as a whole percentage, halves rounded up as a spreadsheet does (5 of 8 is
    63%, in the card and in the workbook alike; Python's round() would say 62%)."""
    if share is None:
        return "—"
    percent = Decimal(str(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{percent}%"


def _change(i18n: Translator, now: int, before: int) -> str:
    if now == before:
        return i18n("report-change-same")
    return i18n("report-change", sign="+" if now > before else "−", delta=abs(now - before))


def one_decimal(value: float) -> float:
    return round(value, 1)


# --- the card ----------------------------------------------------------------------------------


def card_text(i18n: Translator, figures: Figures) -> str:
    """The key figures and their change against the previous period of the same length."""
    key, was = figures.key, figures.previous
    p = figures.participation
    ev = figures.events
    lines = [
        i18n("report-card-title", scope=scope_text(i18n, figures.scope)),
        i18n(
            "report-card-period",
            period=period_text(figures.period),
            previous=period_text(figures.period.previous()),
        ),
        "",
        i18n(
            "report-card-members",
            count=key.members,
            change=Html(_change(i18n, key.members, was.members)),
            joined=figures.composition.joined,
            left=figures.composition.left,
        ),
        i18n(
            "report-card-active",
            count=key.active,
            share=share_text(p.share),
            before=share_text(p.previous_share),
        ),
        i18n(
            "report-card-published",
            count=key.published,
            change=Html(_change(i18n, key.published, was.published)),
            per_week=one_decimal(figures.periodicity.mean_per_week),
        ),
        i18n(
            "report-card-discussions",
            threads=key.threads,
            replies=key.replies,
            change=Html(_change(i18n, key.replies, was.replies)),
        ),
        i18n("report-card-events", count=key.events, going=ev.going, attended=ev.attended),
        i18n(
            "report-card-demand",
            views=key.views,
            change=Html(_change(i18n, key.views, was.views)),
            downloads=key.downloads,
        ),
    ]
    shown = [s for s in figures.satisfaction if s.shown and s.averages]
    if shown:
        survey = shown[0]
        _, mean, top = survey.averages[0]
        lines.append(
            i18n(
                "report-card-satisfaction",
                title=survey.title,
                mean=one_decimal(mean),
                top=top,
                rate=share_text(survey.response_rate),
            )
        )
    elif figures.satisfaction:
        lines.append(i18n("report-card-satisfaction-hidden", count=len(figures.satisfaction)))
    if figures.deadlines:
        on_time = sum(d.on_time for d in figures.deadlines)
        expected = sum(d.expected for d in figures.deadlines)
        lines.append(i18n("report-card-deadlines", on_time=on_time, expected=expected))
    lines += ["", i18n("report-card-hint")]
    return "\n".join(lines)


def _data(
    action: AnalysisAction, scope: Scope | None = None, period: Period | None = None
) -> AnalysisCallback:
    return AnalysisCallback(
        action=action,
        community=(scope.community_id or 0) if scope else 0,
        first=period.first.toordinal() if period else 0,
        last=period.last.toordinal() if period else 0,
    )


def card_markup(
    i18n: Translator, scope: Scope, period: Period, *, data_bank: bool, back: bool = True
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for action, key in (
        (AnalysisAction.CHARTS, "report-button-charts"),
        (AnalysisAction.XLSX, "report-button-xlsx"),
        (AnalysisAction.PDF, "report-button-pdf"),
    ):
        builder.button(text=i18n(key), callback_data=_data(action, scope, period))
    builder.button(
        text=i18n("report-button-plan"), callback_data=_data(AnalysisAction.PLAN, scope, period)
    )
    sizes = [3, 1]
    if data_bank:
        builder.button(
            text=i18n("report-button-bank"), callback_data=_data(AnalysisAction.BANK, scope, period)
        )
        sizes.append(1)
    if back:
        builder.button(
            text=i18n("report-button-other-period"),
            callback_data=AnalysisCallback(
                action=AnalysisAction.SCOPE, community=scope.community_id or 0, apart=True
            ),
        )
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def document_caption(i18n: Translator, figures_scope: Scope, period: Period, what: str) -> str:
    return i18n(
        "report-document-caption",
        what=what,
        scope=scope_text(i18n, figures_scope),
        period=period_text(period),
    )


def file_stem(scope: Scope, period: Period, what: str = "report") -> str:
    who = f"community-{scope.community_id}" if scope.community_id is not None else "network"
    return f"{what}-{who}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"


def digest_period(today: date, zone: str) -> Period:
    """The month before ``today``'s (the digest goes out on the 1st)."""
    return preset_period(Preset.LAST_MONTH, today, zone)


# --- the monthly digest ---------------------------------------------------------------------

DIGEST_AT = time(9, 0)  # on the 1st, in the recipient's zone


def digest_due(now: datetime, zone: ZoneInfo) -> date | None:
    """The local day if it is the 1st of a month and 09:00 has come there, else None."""
    local = now.astimezone(zone)
    if local.day == 1 and local.time() >= DIGEST_AT:
        return local.date()
    return None


def digest_key(user_id: int, scope: Scope, period: Period) -> str:
    return f"digest:{period.first:%Y-%m}:{user_id}:{scope.community_id or 0}"


def digest_text(i18n: Translator, figures: Figures) -> str:
    return (
        i18n("report-digest-intro", period=period_text(figures.period))
        + "\n\n"
        + card_text(i18n, figures)
    )
