"""Report-deadline reminders: what a coordinator is sent on each reminder day, and when.
Used by the scheduler's job that queues them and by the deadline cards."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import AnalysisAction, AnalysisCallback, DeadlineAction, DeadlineCallback
from bot.i18n import Html, Translator
from bot.keyboards import InlineKeyboardBuilder
from storage.models import ReportDeadline

REMIND_AT = time(10, 0)  # the reminder's hour on its day, in the community's zone


def date_text(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def days_left_text(i18n: Translator, due_on: date, today: date) -> str:
    days = (due_on - today).days
    return i18n("deadline-overdue") if days < 0 else i18n("deadline-days-left", days=days)


def reminder_moment(due_on: date, offset: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(due_on - timedelta(days=offset), REMIND_AT, tzinfo=zone)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)


def reminder_text(i18n: Translator, deadline: ReportDeadline, today: date) -> str:
    return i18n(
        "deadline-reminder",
        title=deadline.title,
        date=date_text(deadline.due_on),
        left=Html(days_left_text(i18n, deadline.due_on, today)),
    )


def submit_markup(
    i18n: Translator, deadline: ReportDeadline, report_days: tuple[date, date] | None = None
) -> InlineKeyboardMarkup:
    """The reminder's buttons: mark the report as submitted, and the network's report for
    the days it covers (DeadlineRepo.report_period), to write it from."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("deadline-submit-button"),
        callback_data=DeadlineCallback(action=DeadlineAction.SUBMIT, deadline_id=deadline.id),
    )
    if report_days is not None:
        first, last = report_days
        builder.button(
            text=i18n("report-deadline-button", period=f"{first:%d.%m}–{last:%d.%m.%Y}"),
            callback_data=AnalysisCallback(
                action=AnalysisAction.CARD,
                first=first.toordinal(),
                last=last.toordinal(),
                apart=True,
            ),
        )
    builder.adjust(1)
    return builder.as_markup()
