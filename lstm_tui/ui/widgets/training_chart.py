"""The loss over training and each gate's saturated share, as bar charts drawn in cells.

Time runs left to right, one column per stretch of steps; while the run is
shorter than the chart is wide each column is one stretch of the loss
curve, so the curve grows across the screen, and then the whole run is
squeezed into the width. The chart is a :class:`LineCanvas`, as every panel:
a refresh sends only the columns that moved, which over SSH is a few
hundred bytes rather than the whole chart (a plotting library's chart is
repainted whole). A snapshot being looked at is marked by its column, in
every row, and by ▲ on the axis.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from lstm_tui.ui.scales import Scale
from lstm_tui.ui.view import GATE_ROWS
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells
from lstm_tui.ui.widgets.timeline import chart_rows

LABEL_WIDTH = 8
# Rows per gate's chart at most, and the loss chart's at most.
MAX_GATE_ROWS = 3
MAX_LOSS_ROWS = 20
MARK = "▲"
SHARE_SCALE = Scale(False, 1.0)


@dataclass
class ChartData:
    """What the chart shows: the loss of each stretch of ``span`` steps, the run's
    ``steps``, each gate's saturated share at some steps, and the step marked."""

    losses: list[float] = field(default_factory=list)
    span: int = 1
    steps: int = 0
    saturation: list[tuple[int, tuple[float | None, ...]]] = field(default_factory=list)
    mark: int | None = None
    probe_steps: int = 0


def nice_top(value: float) -> float:
    """The smallest of ..., 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, ... at or above ``value``
    (a loss falls far below 1, where the cells' ranges never go)."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    decade = 10.0 ** math.floor(math.log10(value))
    for nice in (1.0, 2.0, 3.0, 5.0, 10.0):
        if nice * decade >= value * (1 - 1e-12):
            return nice * decade
    return 10.0 * decade


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else float("nan")


class TrainingChart(LineCanvas):
    """Loss, then i f g o's saturated share, over the steps of training so far."""

    DEFAULT_CSS = """
    TrainingChart { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = ChartData()

    def show(self, data: ChartData) -> None:
        self.data = data
        self.redraw()

    def columns(self, room: int) -> list[tuple[float, int]]:
        """``(mean loss, last step)`` of each column, at most ``room`` columns."""
        data = self.data
        count = len(data.losses)
        if not count or room <= 0:
            return []
        shown = min(room, count)
        out = []
        for x in range(shown):
            a, b = x * count // shown, (x + 1) * count // shown
            out.append((_mean(data.losses[a:b]), min(data.steps, b * data.span)))
        return out

    def build(self, width: int, height: int) -> list[Row]:
        data = self.data
        room = max(1, width - LABEL_WIDTH)
        columns = self.columns(room)
        fixed = 3  # the two titles and the axis
        rest = max(2, height - fixed)
        gate_rows = max(1, min(MAX_GATE_ROWS, (rest // 2) // len(GATE_ROWS)))
        loss_rows = max(1, min(MAX_LOSS_ROWS, rest - gate_rows * len(GATE_ROWS)))
        mark_x = self._mark_column(columns)
        rows: list[Row] = [self._loss_title(columns, width)]
        values = [loss for loss, _ in columns]
        finite = [v for v in values if math.isfinite(v)]
        top = nice_top(max(finite)) if finite else 1.0
        chart = chart_rows(values, Scale(False, top), loss_rows)
        for y, cells in enumerate(chart.rows[:loss_rows]):
            label = f"{top:g}" if y == 0 else "0" if y == loss_rows - 1 else ""
            rows.append(self._with_label(label.rjust(LABEL_WIDTH - 1) + " ", cells, mark_x))
        rows.append(self._axis(columns, mark_x, room))
        latest = data.saturation[-1][1] if data.saturation else ()
        title = f" gates near 0 or 1 (g: ±1), first {data.probe_steps} steps"
        rows.append(text_cells(title, "canvas--title"))
        steps = [s for s, _ in data.saturation]
        for k, (letter, _) in enumerate(GATE_ROWS):
            shares: list[float] = []
            for _, last in columns:
                at = bisect.bisect_right(steps, last) - 1
                share = data.saturation[at][1][k] if at >= 0 else None
                shares.append(0.0 if share is None else share)
            chart = chart_rows(shares, SHARE_SCALE, gate_rows)
            share_now = latest[k] if k < len(latest) else None
            for y, cells in enumerate(chart.rows[:gate_rows]):
                label = ""
                if y == gate_rows - 1:
                    label = f" {letter} " + (
                        "  =" if share_now is None else f"{share_now * 100:3.0f}%"
                    )
                rows.append(self._with_label(label.ljust(LABEL_WIDTH), cells, mark_x))
        return rows[:height]

    def _loss_title(self, columns: list[tuple[float, int]], width: int) -> Row:
        """``loss now 2.056 (first 2.191), a bar: 32 steps``: the latest point, the
        first, and how many steps each bar is the mean of; shorter where that does
        not fit, never a number cut."""
        data = self.data
        if not columns:
            return text_cells(" loss: no steps yet", "canvas--title")
        first, last = data.losses[0], data.losses[-1]
        forms = [f" loss now {last:.3f} (first {first:.3f})"]
        if data.span > 1:
            forms.insert(0, f"{forms[0]}, a bar: the mean of {data.span:,} steps")
            forms.insert(1, f"{forms[-1]}, a bar: {data.span:,} steps")
        text = next((form for form in forms if len(form) < width), forms[-1])
        return text_cells(text, "canvas--title")

    def _mark_column(self, columns: list[tuple[float, int]]) -> int | None:
        mark = self.data.mark
        if mark is None or not columns:
            return None
        for x, (_, last) in enumerate(columns):
            if mark <= last:
                return x
        return len(columns) - 1

    @staticmethod
    def _with_label(label: str, cells: Row, mark_x: int | None) -> Row:
        row = text_cells(label[:LABEL_WIDTH].ljust(LABEL_WIDTH), "canvas--label")
        if mark_x is not None and mark_x < len(cells):
            ch, style = cells[mark_x]
            cells = list(cells)
            cells[mark_x] = (ch, f"{style} canvas--selected".strip())
        return row + cells

    def _axis(self, columns: list[tuple[float, int]], mark_x: int | None, room: int) -> Row:
        """``step 0 … N`` under the columns, and ``▲ step`` under the marked one."""
        row = text_cells("step".rjust(LABEL_WIDTH - 1) + " ", "canvas--label")
        if not columns:
            return row
        line: Row = [(" ", "")] * room
        last = f"{columns[-1][1]:,}"
        ends = [(0, "0"), (max(2, len(columns) - len(last)), last)]
        if mark_x is not None:
            note = f"{MARK} {self.data.mark:,}"
            if mark_x + len(note) > room:
                note = f"{self.data.mark:,} {MARK}"
                mark_x = max(0, mark_x - len(note) + 1)
            ends.append((mark_x, note))
        for start, text in ends:
            style = "canvas--title" if text.startswith(MARK) or text.endswith(MARK) else ""
            for j, ch in enumerate(text):
                if start + j < room:
                    line[start + j] = (ch, style or "canvas--label")
        return row + line
