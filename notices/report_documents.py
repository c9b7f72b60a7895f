"""The effectiveness report as documents, in the reader's language (seeds 003 §8–§10.2, 004
§3.1, §6.1): the charts' panels, the workbook's sheets, the PDF's sections, the plan of work
and the participant data bank, from the plain figures `ReportRepo.figures` computes.

Each section of the report is described once (`report_sections`): its figures as name and
value pairs and its tables. The workbook puts a section on a sheet (a table with a native
chart where a chart helps); the PDF lays the same sections out as a municipal report.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.documents.charts import BarPanel, ColumnPanel
from bot.documents.pdf import KeyValues, Paragraph, Section, TitlePage
from bot.documents.spreadsheets import CellValue, Percent, Sheet, Table
from bot.i18n import Translator
from notices.reports import one_decimal, period_text, scope_text, share_text
from storage.periods import Period
from storage.report_figures import ACTIONS, Counts, DataBankRow, Figures, PlannedEvent, Scope

TOP_SHOWN = 10  # rows of a "most …" table


ChartKind = Literal["bar", "column", "line", "pie"]


def _labelled(i18n: Translator, counts: Counts, prefix: str) -> list[tuple[str, int]]:
    """Counts under their names in the reader's language; an empty key is "not given"."""
    return [
        (i18n(f"{prefix}{key}") if key else i18n("report-not-given"), count)
        for key, count in counts
    ]


def _plain(i18n: Translator, counts: Counts) -> list[tuple[str, int]]:
    return [(key or i18n("report-not-given"), count) for key, count in counts]


def _grades(i18n: Translator, counts: Counts) -> list[tuple[str, int]]:
    return [(i18n("grade-short", grade=int(key)), count) for key, count in counts]


@dataclass(frozen=True)
class ReportTable:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[CellValue]]
    chart: ChartKind | None = None
    series: Sequence[int] = (1,)


@dataclass(frozen=True)
class ReportSection:
    title: str
    explanation: str
    figures: Sequence[tuple[str, CellValue]]
    tables: Sequence[ReportTable] = field(default_factory=tuple)


def _counts_table(
    i18n: Translator, title: str, what: str, rows: list[tuple[str, int]], chart: ChartKind | None
) -> ReportTable:
    return ReportTable(
        title,
        [what, i18n("report-column-count")],
        [list(row) for row in rows],
        chart if rows else None,
    )


def _percent(share: float | None) -> CellValue:
    return Percent(share) if share is not None else "—"


def report_sections(i18n: Translator, figures: Figures) -> list[ReportSection]:
    c, p, d = figures.composition, figures.participation, figures.diversity
    disc, per, dem = figures.discussions, figures.periodicity, figures.demand
    rep, ev = figures.repository, figures.events
    kind = i18n("report-column-kind")
    weeks = figures.period.weeks()
    return [
        ReportSection(
            i18n("report-section-composition"),
            i18n("report-explain-composition"),
            [
                (i18n("report-figure-members"), c.members),
                (i18n("report-figure-joined"), c.joined),
                (i18n("report-figure-left"), c.left),
            ],
            [
                _counts_table(
                    i18n,
                    i18n("report-table-by-organisation"),
                    i18n("report-column-organisation"),
                    _plain(i18n, c.by_organisation),
                    "bar",
                ),
                _counts_table(
                    i18n,
                    i18n("report-table-by-position"),
                    i18n("report-column-position"),
                    _labelled(i18n, c.by_position, "position-"),
                    "pie",
                ),
                _counts_table(
                    i18n,
                    i18n("report-table-by-subject"),
                    i18n("report-column-subject"),
                    _labelled(i18n, c.by_subject, "subject-"),
                    "bar",
                ),
            ],
        ),
        ReportSection(
            i18n("report-section-participation"),
            i18n("report-explain-participation"),
            [
                (i18n("report-figure-active"), p.active),
                (i18n("report-figure-active-share"), _percent(p.share)),
                (i18n("report-figure-previous-active"), p.previous_active),
                (i18n("report-figure-previous-share"), _percent(p.previous_share)),
                (i18n("report-figure-actions"), p.actions),
                (i18n("report-figure-top-decile"), _percent(p.top_decile_share)),
                (
                    i18n("report-figure-gini"),
                    round(p.gini, 2) if p.gini is not None else "—",
                ),
            ],
            [
                _counts_table(
                    i18n,
                    i18n("report-table-by-action"),
                    i18n("report-column-action"),
                    [
                        (i18n(f"report-action-{key}"), count)
                        for key, count in sorted(
                            p.by_action, key=lambda pair: ACTIONS.index(pair[0])
                        )
                    ],
                    "bar",
                )
            ],
        ),
        ReportSection(
            i18n("report-section-diversity"),
            i18n("report-explain-diversity"),
            [(i18n("report-figure-threads-opened"), d.threads)],
            [
                _counts_table(
                    i18n,
                    i18n("report-table-materials-by-kind"),
                    kind,
                    _labelled(i18n, d.materials_by_kind, "kind-"),
                    "bar",
                ),
                _counts_table(
                    i18n,
                    i18n("report-table-events-by-kind"),
                    kind,
                    _labelled(i18n, d.events_by_kind, "event-kind-"),
                    "bar",
                ),
            ],
        ),
        ReportSection(
            i18n("report-section-discussions"),
            i18n("report-explain-discussions"),
            [
                (i18n("report-figure-threads-opened"), disc.opened),
                (i18n("report-figure-threads-active"), disc.active),
                (i18n("report-figure-replies"), disc.replies),
                (i18n("report-figure-turnover"), _percent(disc.turnover)),
                (i18n("report-figure-group-messages"), disc.group_messages),
            ],
        ),
        ReportSection(
            i18n("report-section-periodicity"),
            i18n("report-explain-periodicity"),
            [
                (i18n("report-figure-published"), per.published),
                (i18n("report-figure-per-week"), one_decimal(per.mean_per_week)),
                (i18n("report-figure-longest-gap"), one_decimal(per.longest_gap_days)),
            ],
            [
                ReportTable(
                    i18n("report-table-per-week"),
                    [i18n("report-column-week"), i18n("report-column-published")],
                    [
                        [_week_label(start, figures.period.zone), count]
                        for (start, _), count in zip(weeks, per.per_week, strict=False)
                    ],
                    "column" if per.per_week else None,
                )
            ],
        ),
        ReportSection(
            i18n("report-section-informing"),
            i18n("report-explain-informing"),
            [
                (i18n("report-figure-messages"), sum(row.messages for row in figures.informing)),
                (i18n("report-figure-delivered"), sum(row.delivered for row in figures.informing)),
            ],
            [
                ReportTable(
                    i18n("report-table-informing"),
                    [
                        i18n("report-column-mailing"),
                        i18n("report-column-mailings"),
                        i18n("report-column-messages"),
                        i18n("report-column-delivered"),
                        i18n("report-column-failed"),
                        i18n("report-column-waiting"),
                    ],
                    [
                        [
                            _delivery_kind(i18n, row.kind),
                            row.mailings,
                            row.messages,
                            row.delivered,
                            row.failed,
                            row.waiting,
                        ]
                        for row in figures.informing
                    ],
                    "bar" if figures.informing else None,
                    series=(2, 3),
                )
            ],
        ),
        ReportSection(
            i18n("report-section-demand"),
            i18n("report-explain-demand"),
            [
                (i18n("report-figure-views"), dem.views),
                (i18n("report-figure-downloads"), dem.downloads),
                (i18n("report-figure-useful"), dem.useful),
                (i18n("report-figure-not-useful"), dem.not_useful),
                (i18n("report-figure-published-total"), dem.published_total),
                (i18n("report-figure-never-opened"), dem.never_opened),
            ],
            [
                ReportTable(
                    i18n("report-table-top-downloaded"),
                    [
                        i18n("report-column-material"),
                        i18n("report-column-kind"),
                        i18n("report-column-downloads"),
                        i18n("report-column-views"),
                    ],
                    [
                        [
                            top.title,
                            i18n(f"kind-{top.kind}") if top.kind else i18n("report-not-given"),
                            top.downloads,
                            top.views,
                        ]
                        for top in dem.top_downloaded[:TOP_SHOWN]
                    ],
                    "bar" if dem.top_downloaded else None,
                    series=(2,),
                )
            ],
        ),
        ReportSection(
            i18n("report-section-repository"),
            i18n("report-explain-repository"),
            [
                (i18n("report-figure-submitted"), rep.submitted),
                (i18n("report-figure-approved"), rep.approved),
                (i18n("report-figure-rejected"), rep.rejected),
                (i18n("report-figure-changes"), rep.changes_requested),
                (
                    i18n("report-figure-median-decision"),
                    one_decimal(rep.median_decision_hours)
                    if rep.median_decision_hours is not None
                    else "—",
                ),
            ],
            [
                _counts_table(
                    i18n,
                    i18n("report-table-published-by-kind"),
                    kind,
                    _labelled(i18n, rep.published_by_kind, "kind-"),
                    "pie",
                ),
                _counts_table(
                    i18n,
                    i18n("report-table-published-by-grade"),
                    i18n("report-column-grade"),
                    _grades(i18n, rep.published_by_grade),
                    "column",
                ),
            ],
        ),
        ReportSection(
            i18n("report-section-events"),
            i18n("report-explain-events"),
            [
                (i18n("report-figure-events-held"), ev.held),
                (i18n("report-figure-events-online"), ev.online),
                (i18n("report-figure-going"), ev.going),
                (i18n("report-figure-attended"), ev.attended),
                (i18n("report-figure-marked"), ev.marked),
            ],
            [
                _counts_table(
                    i18n,
                    i18n("report-table-events-by-kind"),
                    kind,
                    _labelled(i18n, ev.by_kind, "event-kind-"),
                    "bar",
                ),
                _counts_table(
                    i18n,
                    i18n("report-table-places"),
                    i18n("report-column-place"),
                    _plain(i18n, ev.places),
                    None,
                ),
            ],
        ),
        ReportSection(
            i18n("report-section-satisfaction"),
            i18n("report-explain-satisfaction"),
            [(i18n("report-figure-surveys"), len(figures.satisfaction))],
            [
                ReportTable(
                    i18n("report-table-surveys"),
                    [
                        i18n("report-column-survey"),
                        i18n("report-column-invited"),
                        i18n("report-column-answered"),
                        i18n("report-column-rate"),
                    ],
                    [
                        [s.title, s.invited, s.answered, _percent(s.response_rate)]
                        for s in figures.satisfaction
                    ],
                ),
                *(
                    ReportTable(
                        i18n("report-table-survey-averages", title=s.title),
                        [
                            i18n("report-column-question"),
                            i18n("report-column-mean"),
                            i18n("report-column-scale"),
                        ],
                        [[question, one_decimal(mean), top] for question, mean, top in s.averages]
                        if s.shown
                        else [[i18n("report-survey-hidden"), "—", "—"]],
                        "bar" if s.shown and s.averages else None,
                    )
                    for s in figures.satisfaction
                ),
            ],
        ),
        ReportSection(
            i18n("report-section-deadlines"),
            i18n("report-explain-deadlines"),
            [(i18n("report-figure-deadlines"), len(figures.deadlines))],
            [
                ReportTable(
                    i18n("report-table-deadlines"),
                    [
                        i18n("report-column-deadline"),
                        i18n("report-column-due"),
                        i18n("report-column-expected"),
                        i18n("report-column-on-time"),
                        i18n("report-column-late"),
                        i18n("report-column-missing"),
                    ],
                    [
                        [d.title, f"{d.due_on:%d.%m.%Y}", d.expected, d.on_time, d.late, d.missing]
                        for d in figures.deadlines
                    ],
                )
            ],
        ),
    ]


def _week_label(start: datetime, zone: str) -> str:
    return f"{start.astimezone(ZoneInfo(zone)):%d.%m}"


def _delivery_kind(i18n: Translator, kind: str) -> str:
    key = f"report-delivery-{kind}"
    return i18n(key) if i18n.has(key) else kind


def chart_panels(i18n: Translator, figures: Figures) -> list[BarPanel | ColumnPanel]:
    """The pictures worth a look on a phone: publications per week, who took part in what,
    what was published and held."""
    panels: list[BarPanel | ColumnPanel] = []
    weeks = figures.period.weeks()
    if figures.periodicity.per_week:
        panels.append(
            ColumnPanel(
                i18n("report-chart-per-week"),
                [_week_label(start, figures.period.zone) for start, _ in weeks],
                list(figures.periodicity.per_week),
            )
        )
    p = figures.participation
    by_action = dict(p.by_action)
    panels.append(
        BarPanel(
            i18n("report-chart-participation", active=p.active, members=figures.key.members),
            [i18n(f"report-action-{key}") for key in ACTIONS],
            [by_action.get(key, 0) for key in ACTIONS],
        )
    )
    for title, counts, prefix in (
        (i18n("report-chart-materials"), figures.diversity.materials_by_kind, "kind-"),
        (i18n("report-chart-events"), figures.events.by_kind, "event-kind-"),
    ):
        rows = _labelled(i18n, counts, prefix)
        if rows:
            panels.append(BarPanel(title, [r[0] for r in rows], [r[1] for r in rows]))
    return panels


def _table(table: ReportTable) -> Table:
    return Table(
        table.title, table.header, table.rows, chart=table.chart, series=tuple(table.series)
    )


def workbook(i18n: Translator, figures: Figures) -> list[Sheet]:
    """A summary sheet, then a sheet per section: its figures, then its tables with charts."""
    sections = report_sections(i18n, figures)
    summary = Table(
        i18n("report-title-long"),
        [i18n("report-column-figure"), i18n("report-column-value")],
        [
            [i18n("report-figure-scope"), scope_text(i18n, figures.scope)],
            [i18n("report-figure-period"), period_text(figures.period)],
            *([f"{n}. {s.title}", ""] for n, s in enumerate(sections, 1)),
        ],
    )
    sheets = [Sheet(i18n("report-sheet-summary"), [], tables=[summary])]
    for number, section in enumerate(sections, 1):
        figures_table = Table(
            f"{number}. {section.title}",
            [i18n("report-column-figure"), i18n("report-column-value")],
            [list(row) for row in section.figures],
        )
        sheets.append(
            Sheet(
                _sheet_title(number, section.title),
                [],
                tables=[figures_table, *(_table(t) for t in section.tables)],
            )
        )
    return sheets


def _sheet_title(number: int, title: str) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return f"{number}. {clean}"[:31]


def data_bank_sheets(i18n: Translator, rows: list[DataBankRow]) -> list[Sheet]:
    header = [
        i18n("report-column-organisation"),
        i18n("report-column-name"),
        i18n("report-column-position"),
        i18n("report-column-subject"),
        i18n("report-column-communities"),
        i18n("report-column-since"),
    ]
    body = [
        [
            row.organisation or i18n("report-not-given"),
            row.full_name,
            i18n(f"position-{row.position}") if row.position else i18n("report-not-given"),
            ", ".join(i18n(f"subject-{s}") for s in row.subjects),
            ", ".join(row.communities),
            f"{row.joined:%d.%m.%Y}",
        ]
        for row in rows
    ]
    per_organisation: dict[str, int] = {}
    for row in body:
        per_organisation[str(row[0])] = per_organisation.get(str(row[0]), 0) + 1
    return [
        Sheet(
            i18n("report-sheet-bank"),
            [],
            tables=[Table(i18n("report-bank-title", count=len(rows)), header, body)],
        ),
        Sheet(
            i18n("report-sheet-bank-organisations"),
            [],
            tables=[
                Table(
                    i18n("report-table-by-organisation"),
                    [i18n("report-column-organisation"), i18n("report-column-count")],
                    [list(pair) for pair in sorted(per_organisation.items(), key=lambda p: -p[1])],
                    chart="bar" if per_organisation else None,
                )
            ],
        ),
    ]


def _plan_rows(i18n: Translator, events: list[PlannedEvent]) -> list[list[CellValue]]:
    return [
        [
            event.starts_at_local,
            i18n(f"event-kind-{event.kind}"),
            event.title,
            event.community or i18n("report-scope-network"),
            event.place or i18n("report-not-given"),
            event.organiser,
            i18n(f"report-event-status-{event.status}"),
        ]
        for event in events
    ]


def _plan_header(i18n: Translator) -> list[str]:
    return [
        i18n("report-column-when"),
        i18n("report-column-kind"),
        i18n("report-column-event"),
        i18n("report-column-community"),
        i18n("report-column-place"),
        i18n("report-column-organiser"),
        i18n("report-column-status"),
    ]


def plan_sheets(i18n: Translator, period: Period, events: list[PlannedEvent]) -> list[Sheet]:
    return [
        Sheet(
            i18n("report-sheet-plan"),
            [],
            tables=[
                Table(
                    i18n("report-plan-title", period=period_text(period)),
                    _plan_header(i18n),
                    _plan_rows(i18n, events),
                )
            ],
        )
    ]


def _value_text(i18n: Translator, value: CellValue) -> str:
    if isinstance(value, Percent):
        return share_text(value.value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if i18n.locale == "ru" else text
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0" if i18n.locale == "ru" else ",")
    return "" if value is None else str(value)


def _pdf_table(i18n: Translator, table: ReportTable) -> Table:
    return Table(
        table.title,
        table.header,
        [[_value_text(i18n, value) for value in row] for row in table.rows],
    )


def _pdf_chart(table: ReportTable) -> BarPanel | ColumnPanel | None:
    if table.chart is None or not table.rows:
        return None
    column = table.series[0]
    labels = [str(row[0]) for row in table.rows]
    values = [row[column] for row in table.rows]
    if not all(isinstance(v, int | float) for v in values):
        return None
    numbers = [int(v) if isinstance(v, int) else v for v in values]
    if table.chart == "column":
        return ColumnPanel(table.title, labels, numbers)  # type: ignore[arg-type]
    return BarPanel(table.title, labels, numbers)  # type: ignore[arg-type]


def title_page(
    i18n: Translator,
    network: str,
    scope: Scope,
    period: Period,
    prepared: str,
    *,
    title: str | None = None,
) -> TitlePage:
    return TitlePage(
        authority=network,
        title=title or i18n("report-title-long"),
        subtitle=i18n(
            "report-title-period", first=f"{period.first:%d.%m.%Y}", last=f"{period.last:%d.%m.%Y}"
        ),
        scope=scope_text(i18n, scope),
        place_year=str(period.last.year),
        prepared=prepared,
    )


def pdf_sections(i18n: Translator, figures: Figures) -> list[Section]:
    sections = []
    for section in report_sections(i18n, figures):
        blocks: list[Paragraph | KeyValues | Table | BarPanel | ColumnPanel] = [
            Paragraph(section.explanation),
            KeyValues([(name, _value_text(i18n, value)) for name, value in section.figures]),
        ]
        for table in section.tables:
            if not table.rows:
                continue
            blocks.append(_pdf_table(i18n, table))
            chart = _pdf_chart(table)
            if chart is not None and len(table.rows) > 1:
                blocks.append(chart)
        sections.append(Section(section.title, blocks))
    return sections


def plan_pdf_sections(i18n: Translator, events: list[PlannedEvent]) -> list[Section]:
    # A4 portrait has room for five columns: the organiser stays in the workbook, and a
    # cancelled meeting says so after its title.
    printed = [
        [
            str(row[0]),
            str(row[1]),
            str(row[2])
            if event.status != "cancelled"
            else f"{row[2]} ({i18n('report-event-status-cancelled')})",
            str(row[3]),
            str(row[4]),
        ]
        for row, event in zip(_plan_rows(i18n, events), events, strict=True)
    ]
    blocks: list[Paragraph | KeyValues | Table | BarPanel | ColumnPanel] = (
        [Table("", _plan_header(i18n)[:5], printed)]
        if printed
        else [Paragraph(i18n("report-plan-empty"))]
    )
    return [Section(i18n("report-plan-section"), blocks)]


def prepared_text(i18n: Translator, now: datetime, zone: ZoneInfo, zone_label: str) -> str:
    return i18n("report-prepared", moment=f"{now.astimezone(zone):%d.%m.%Y %H:%M}", zone=zone_label)
