"""The shift report for the handover between operators, as HTML and PDF: the shift, each
line's output against plan, OEE and its losses, cycle times, energy and bottleneck, then
the alarms, advisories and bookmarks of the shift. ``write_shift_report`` also writes the
CSV (``app.shift.table``) for a ``.csv`` path."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app.export.document import PRINT_CSS, write_document
from app.shift import words as w
from app.shift.table import write_shift_csv
from twin.kpi.shift import LineSummary, ShiftSummary
from twin.plant.model import Plant

FORMATS = (".pdf", ".csv", ".html")


def _t(text: str) -> str:
    return html.escape(text, quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A bordered table; ``head`` and cells are plain text."""
    top = "".join(f"<th align='left'>{_t(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_t(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr>{top}</tr>{body}</table>"
    )


def _facts(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th align='left'>{_t(k)}</th><td>{_t(v)}</td></tr>" for k, v in rows)
    return f"<table cellpadding='3'>{body}</table>"


def shift_report_html(s: ShiftSummary, plant: Plant, made: dt.datetime | None = None) -> str:
    """The report as a self-contained HTML page."""
    heading = (
        QCoreApplication.translate("ShiftReport", "Shift report: %1, %2")
        .replace("%1", s.window.shift.name)
        .replace("%2", s.window.day.isoformat())
    )
    parts = [f"<h1>{_t(heading)}</h1>", _header(s, made)]
    warning = _coverage_warning(s)
    if warning:
        parts.append(f"<p><b>{_t(warning)}</b></p>")
    for line in s.lines:
        parts.append(_line_section(line, s))
    parts += [_alarms(s, plant), _advisories(s), _notes(s)]
    return f"""<html><head><meta charset="utf-8"><title>{_t(heading)}</title>
<style>{PRINT_CSS}</style></head><body>
{"".join(parts)}</body></html>"""


def _header(s: ShiftSummary, made: dt.datetime | None) -> str:
    unknown = QCoreApplication.translate("ShiftReport", "not known")
    rows = [
        (QCoreApplication.translate("ShiftReport", "Plant"), s.plant_name),
        (
            QCoreApplication.translate("ShiftReport", "Shift"),
            w.shift_name(s.window.shift),
        ),
        (QCoreApplication.translate("ShiftReport", "Day"), s.window.day.isoformat()),
        (QCoreApplication.translate("ShiftReport", "From–to"), w.span(s.window)),
        (QCoreApplication.translate("ShiftReport", "Recorded"), _recorded(s)),
        (QCoreApplication.translate("ShiftReport", "Operator"), ", ".join(s.operators) or unknown),
    ]
    if made is not None:
        rows.append(
            (
                QCoreApplication.translate("ShiftReport", "Report made"),
                made.strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    return _facts(rows)


def _recorded(s: ShiftSummary) -> str:
    day = s.window.day
    return f"{w.clock(s.data_from, day)}–{w.clock(s.data_to, day)} UTC"


def _coverage_warning(s: ShiftSummary) -> str:
    """Why the figures cover less than the whole shift ("" when they cover it all)."""
    said = []
    if s.started_late:
        said.append(
            QCoreApplication.translate(
                "ShiftReport",
                "Incomplete: the recording began at %1, after the shift had started.",
            ).replace("%1", w.clock(s.data_from, s.window.day))
        )
    if s.ended_early:
        said.append(
            QCoreApplication.translate(
                "ShiftReport",
                "Incomplete: the data stops at %1 (the shift is under way or the recording "
                "stopped); the figures are the shift so far.",
            ).replace("%1", w.clock(s.data_to, s.window.day))
        )
    return " ".join(said)


def _line_section(li: LineSummary, s: ShiftSummary) -> str:
    output = QCoreApplication.translate("ShiftReport", "%1 parts (%2 good, %3 scrap)")
    output = (
        output.replace("%1", w.number(li.parts))
        .replace("%2", w.number(li.good))
        .replace("%3", w.number(li.scrap))
    )
    if li.plan_parts is None:
        plan = QCoreApplication.translate("ShiftReport", "no plan for this shift")
    else:
        plan = QCoreApplication.translate("ShiftReport", "plan %1, %2 due in the recorded time")
        plan = plan.replace("%1", str(li.plan_parts)).replace("%2", w.number(li.plan_due))
    facts = [
        (QCoreApplication.translate("ShiftReport", "Output"), f"{output} · {plan}"),
        (
            QCoreApplication.translate("ShiftReport", "OEE"),
            QCoreApplication.translate(
                "ShiftReport", "%1 = availability %2 × performance %3 × quality %4"
            )
            .replace("%1", w.percent(li.oee))
            .replace("%2", w.percent(li.availability))
            .replace("%3", w.percent(li.performance))
            .replace("%4", w.percent(li.quality)),
        ),
        (QCoreApplication.translate("ShiftReport", "Energy"), _energy(li)),
        (QCoreApplication.translate("ShiftReport", "Bottleneck"), _bottleneck(li)),
    ]
    losses = QCoreApplication.translate("ShiftReport", "Losses")
    cycles = QCoreApplication.translate("ShiftReport", "Cycle times")
    return (
        f"<h2>{_t(li.name)}</h2>{_facts(facts)}"
        f"<h3>{_t(losses)}</h3>{_losses(li)}<h3>{_t(cycles)}</h3>{_cycles(li)}"
    )


def _energy(li: LineSummary) -> str:
    words = QCoreApplication.translate("ShiftReport", "%1 kWh, %2 kWh a part")
    return words.replace("%1", w.number(li.energy_kwh, 1)).replace(
        "%2", w.number(li.energy_per_part_kwh, 2)
    )


def _bottleneck(li: LineSummary) -> str:
    if li.bottleneck is None:
        return "–"
    words = QCoreApplication.translate("ShiftReport", "%1 (median cycle %2)")
    return words.replace("%1", li.bottleneck).replace("%2", w.seconds(li.bottleneck_median_s))


def _losses(li: LineSummary) -> str:
    """Each loss in minutes and as a share of the planned time (what OEE misses by)."""
    downtime = QCoreApplication.translate("ShiftReport", "Downtime: %1")
    losses = [(downtime.replace("%1", w.cause(name)), sec) for name, sec in li.downtime_by_cause]
    losses.append(
        (QCoreApplication.translate("ShiftReport", "Slow cycles"), max(li.speed_loss_s, 0.0))
    )
    losses.append((QCoreApplication.translate("ShiftReport", "Scrap"), li.scrap_loss_s))
    planned = li.planned_s if li.planned_s > 0 else float("nan")
    rows = [[name, w.minutes(sec), w.percent(sec / planned)] for name, sec in losses]
    head = [
        QCoreApplication.translate("ShiftReport", "Loss"),
        QCoreApplication.translate("ShiftReport", "Time"),
        QCoreApplication.translate("ShiftReport", "Of the planned %1").replace(
            "%1", w.minutes(li.planned_s)
        ),
    ]
    return _table(head, rows)


def _cycles(li: LineSummary) -> str:
    c = li.cycles
    head = [
        QCoreApplication.translate("ShiftReport", "Last"),
        QCoreApplication.translate("ShiftReport", "Median"),
        QCoreApplication.translate("ShiftReport", "p90"),
        QCoreApplication.translate("ShiftReport", "Min"),
        QCoreApplication.translate("ShiftReport", "Max"),
        QCoreApplication.translate("ShiftReport", "Cycles"),
        QCoreApplication.translate("ShiftReport", "Over target %1").replace(
            "%1", w.seconds(c.target_s)
        ),
    ]
    row = [w.seconds(x) for x in (c.last_s, c.median_s, c.p90_s, c.min_s, c.max_s)]
    return _table(head, [[*row, str(c.count), str(c.slow)]])


def _titled(title: str, count: int, body: str) -> str:
    """A section: its title with how many rows it has, then ``body`` (or "None.")."""
    none = QCoreApplication.translate("ShiftReport", "None.")
    return f"<h2>{_t(title)} ({count})</h2>" + (body or f"<p>{_t(none)}</p>")


def _alarms(s: ShiftSummary, plant: Plant) -> str:
    title = QCoreApplication.translate("ShiftReport", "Alarms raised")
    day = s.window.day
    rows = [
        [
            w.clock(a.raised.t, day),
            a.raised.asset_id,
            w.alarm_text(a.raised, plant),
            w.priority(a.raised),
            (a.acked.user or "") if a.acked else "",
            w.clock(a.acked.t, day) if a.acked else "",
        ]
        for a in s.alarms
    ]
    head = [
        QCoreApplication.translate("ShiftReport", "Time"),
        QCoreApplication.translate("ShiftReport", "Asset"),
        QCoreApplication.translate("ShiftReport", "Alarm"),
        QCoreApplication.translate("ShiftReport", "Priority"),
        QCoreApplication.translate("ShiftReport", "Acknowledged by"),
        QCoreApplication.translate("ShiftReport", "at"),
    ]
    return _titled(title, len(rows), _table(head, rows) if rows else "")


def _advisories(s: ShiftSummary) -> str:
    title = QCoreApplication.translate("ShiftReport", "Advisories")
    day = s.window.day
    still = QCoreApplication.translate("ShiftReport", "standing")
    rows = [
        [
            w.clock(a.raised.t_ns, day),
            a.raised.asset_id,
            w.advisory_text(a.raised.summary),
            w.clock(a.cleared_ns, day) if a.cleared_ns is not None else still,
        ]
        for a in s.advisories
    ]
    head = [
        QCoreApplication.translate("ShiftReport", "Time"),
        QCoreApplication.translate("ShiftReport", "Asset"),
        QCoreApplication.translate("ShiftReport", "Advisory"),
        QCoreApplication.translate("ShiftReport", "Cleared"),
    ]
    return _titled(title, len(rows), _table(head, rows) if rows else "")


def _notes(s: ShiftSummary) -> str:
    title = QCoreApplication.translate("ShiftReport", "Bookmarks")
    rows = [[w.clock(n.t_ns, s.window.day), n.text] for n in s.notes]
    head = [
        QCoreApplication.translate("ShiftReport", "Time"),
        QCoreApplication.translate("ShiftReport", "Comment"),
    ]
    return _titled(title, len(rows), _table(head, rows) if rows else "")


def write_shift_report(s: ShiftSummary, plant: Plant, out: Path) -> Path:
    """Write the report to ``out``: PDF, CSV or HTML by its suffix; returns ``out``.
    ValueError for another suffix."""
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{out}: a shift report is .pdf, .csv or .html, not {suffix or 'none'}")
    if suffix == ".csv":
        return write_shift_csv(s, plant, out)
    title = f"{s.plant_name}: {s.window.shift.name} {s.window.day.isoformat()}"
    page = shift_report_html(s, plant, dt.datetime.now(dt.UTC))
    return write_document(page, out, title)
