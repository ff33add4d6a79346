"""A heat map of one vector over the steps so far: units down, time across."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from textual.worker import Worker, WorkerState

from lstm_tui.ui.glyphs import (
    ABOVE_GLYPH,
    BELOW_GLYPH,
    CURSOR_MARK,
    EIGHTHS,
    FULL_BLOCK,
    INF_GLYPH,
    NAN_GLYPH,
    SELECTED_MARK,
    SHADES,
    UPPER_EIGHTH,
    UPPER_HALF,
    ZERO_GLYPH,
)
from lstm_tui.ui.scales import Scale
from lstm_tui.ui.text import gain
from lstm_tui.ui.view import (
    CELL_PATH,
    DERIVATIVES,
    GATE_ROWS,
    GRADIENT,
    GRADIENT_INLINE_SECONDS,
    VECTOR_NAMES,
    View,
)
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, fit, text_cells

LABEL_WIDTH = 6
# The ruler's label column is narrow: the cell path is the product of f.
RULER_LABELS = {CELL_PATH: "∏f", GRADIENT: "∂c"}

# A unit drawn as a bar chart gets at least this many rows (one of them a gap),
# so a diverging chart has a row up and a row down, and at most this many.
CHART_MIN_ROWS = 4
CHART_MAX_ROWS = 17
GATE_LETTERS = tuple(letter for letter, _ in GATE_ROWS)


def timeline_glyphs(scale: Scale, values: np.ndarray) -> np.ndarray:
    """One cell per value: solid blocks from 0 up, shades below 0 (an object array).

    A diverging value has no room for a sign glyph here, so negative values
    are drawn as shades (░▒▓ by magnitude) and positive ones as blocks: the
    sign survives without colour.
    """
    v = np.asarray(values, dtype=np.float64)
    shown = scale.glyphs(v)
    if not scale.diverging:
        return shown
    with np.errstate(invalid="ignore"):
        fraction = np.minimum(1.0, np.abs(v) / scale.highs)
        shade = np.select([fraction < 0.5, fraction < 0.95], [SHADES[0], SHADES[1]], SHADES[2])
        negative = (v < 0) & ~np.isin(shown, (ZERO_GLYPH, BELOW_GLYPH, NAN_GLYPH, INF_GLYPH))
    return np.where(negative, shade, shown)


def heat_rows(values: np.ndarray, scale: Scale) -> list[Row]:
    """One row per column of ``values`` (T, n): a glyph per step, coloured by value.

    Computed for the whole block at once: a timeline holds thousands of cells.
    """
    # The cursor is marked in the ruler only: a highlighted column would
    # repaint every row twice per step.
    block = np.asarray(values, dtype=np.float64).reshape(len(values), -1)
    glyphs = timeline_glyphs(scale, block).T.tolist()
    styles = scale.style_names(block).T.tolist()
    return [list(zip(g, s, strict=True)) for g, s in zip(glyphs, styles, strict=True)]


@dataclass(frozen=True)
class Block:
    """Rows of the timeline: a unit (one row of glyphs, or a chart ``rows`` tall), or one
    of the selected unit's gates when ``gate`` names it."""

    unit: int
    rows: int
    gate: str = ""


def hanging_glyph(eighths: int) -> str:
    """The block for ``eighths`` (1..8) of a cell filled from the top: the nearest of ▔ ▀ █."""
    if eighths <= 2:
        return UPPER_EIGHTH
    return UPPER_HALF if eighths <= 5 else FULL_BLOCK


@dataclass(frozen=True)
class Chart:
    """A unit's bar chart: its rows, the row just above the zero line, and the last bar row."""

    rows: list[Row]
    baseline: int
    bottom: int


def chart_rows(values: list[float], scale: Scale, rows: int) -> Chart:
    """A bar per step, ``rows`` tall; diverging values rise above and hang below a middle line.

    Bars grow in eighths of a row. A bar hanging down ends in an upper block
    (▔ an eighth, ▀ a half; no finer ones are in common fonts), so what is
    coloured is what the text says: no reverse video, which reads as a full
    block once the colours are gone. Values beyond the stated range end in ▲ or ▼.
    """
    up = rows // 2 if scale.diverging else rows
    down = up if scale.diverging else 0
    grid: list[Row] = [[] for _ in range(up + down)]
    for value in values:
        style = scale.style_name(value)
        if not math.isfinite(value):
            # No size, so no bar: only the mark (? or ∞) on the middle line.
            for row in grid:
                row.append((" ", ""))
            grid[max(0, up - 1)][-1] = (scale.glyph(value), style)
            continue
        beyond = scale.beyond(value)
        if value >= 0 or not scale.diverging:
            eighths = round(scale.fraction(value) * up * 8)
            for y in range(up):
                fill = min(8, max(0, eighths - (up - 1 - y) * 8))
                grid[y].append((EIGHTHS[fill], style))
            for y in range(up, up + down):
                grid[y].append((" ", ""))
            if beyond > 0:
                grid[0][-1] = (ABOVE_GLYPH, style)
            elif eighths == 0:
                # Nothing to draw: a dot on the middle line says "about zero".
                grid[up - 1][-1] = (ZERO_GLYPH, style)
        else:
            eighths = round(scale.fraction(value) * down * 8)
            for y in range(up):
                grid[y].append((" ", ""))
            for depth in range(down):
                fill = min(8, max(0, eighths - depth * 8))
                cell = (hanging_glyph(fill), style) if fill else (" ", "")
                grid[up + depth].append(cell)
            if beyond < 0:
                grid[-1][-1] = (BELOW_GLYPH, style)
            elif eighths == 0:
                grid[up - 1][-1] = (ZERO_GLYPH, style)
    # An odd row left over stays blank, so up and down share one scale.
    return Chart(grid + [[] for _ in range(rows - up - down)], up - 1, up + down - 1)


class Timeline(LineCanvas):
    """The cursor column is marked ▼ in the ruler; ▶ marks the selected unit."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # The first step shown; moved by pages so playing repaints the whole
        # map once per page, not once per step.
        self._first_step = 0

    # A step adds one column to every unit's row: runs of four cells keep the
    # colour codes sent for it to the few cells around it.
    RUN_WIDTH = 4

    def run_edges(self, width: int) -> list[int]:
        return [0, *range(LABEL_WIDTH, width, self.RUN_WIDTH)]

    def steps_shown(self, width: int) -> range:
        room = max(1, width - LABEL_WIDTH)
        t = self.view.t
        if not self._first_step <= t < self._first_step + room:
            # A third of the window behind the cursor, but never a window
            # reaching past the last step while earlier steps could fill it.
            ahead = max(0, self.view.length - room)
            self._first_step = max(0, min(t - room // 3, ahead)) if t >= room else 0
        return range(self._first_step, self._first_step + room)

    def unit_layout(self, room: int) -> list[Block]:
        """What goes in ``room`` rows, top to bottom.

        With room to spare, units become bar charts several rows tall (the
        counter's depth as height): every unit when each can have
        :data:`CHART_MIN_ROWS`, with the selected unit's gates as strips under
        its chart when they fit too; else only the selected unit is a chart.
        Otherwise one row per unit, a page of units holding the selected one.
        """
        view = self.view
        hidden, selected = view.hidden, view.unit
        gates = [Block(selected, 1, letter) for letter in GATE_LETTERS]
        if room >= CHART_MIN_ROWS * hidden + len(gates):
            tall = min(CHART_MAX_ROWS, (room - len(gates)) // hidden)
            blocks = []
            for unit in range(hidden):
                blocks.append(Block(unit, tall))
                if unit == selected:
                    blocks += gates
            return blocks
        if room >= CHART_MIN_ROWS * hidden:
            tall = min(CHART_MAX_ROWS, room // hidden)
            return [Block(unit, tall) for unit in range(hidden)]
        if room >= hidden - 1 + CHART_MIN_ROWS:
            tall = min(CHART_MAX_ROWS, room - (hidden - 1))
            return [Block(unit, tall if unit == selected else 1) for unit in range(hidden)]
        first = (selected // room) * room
        return [Block(unit, 1) for unit in range(first, min(hidden, first + room))]

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        letter = view.vector
        steps = self.steps_shown(width)
        with_title = height >= 3
        layout = self.unit_layout(max(1, height - 1 - (1 if with_title else 0)))
        units = range(layout[0].unit, layout[-1].unit + 1)
        rows: list[Row] = []
        # A derivative reaches back from the current step only; states go as far as visited.
        reach = view.t if letter in DERIVATIVES else view.reached
        last = min(steps.stop - 1, reach)
        # Every step drawn is computed now: an edit makes the trajectory
        # recompute lazily, and the map must not shrink to what the cursor needed.
        if last >= 0:
            view.session.trajectory.ensure(last)
        values = self._values(steps.start, last)
        if with_title:
            rows.append(self._title(width, units, steps, last, values))
        ruler_label = f" {RULER_LABELS.get(letter, letter)}".ljust(LABEL_WIDTH)
        ruler: Row = text_cells(ruler_label, "canvas--title")
        ticks: Row = [(" ", "")] * len(steps)
        for k, s in enumerate(steps):
            text = str(s)
            clear = not k <= view.t - steps.start <= k + len(text)
            if s % 10 == 0 and s <= last and k + len(text) <= len(steps) and clear:
                for j, ch in enumerate(str(s)):
                    ticks[k + j] = (ch, "canvas--label")
        cursor = view.t - steps.start
        ticks[cursor] = (CURSOR_MARK, "canvas--title")
        rows.append(ruler + ticks)
        scale = view.vector_scale(letter)
        traj = view.session.trajectory
        # The one-row units, drawn together: a row per unit of the shown window.
        single = [b.unit for b in layout if not b.gate and b.rows == 1]
        heat: dict[int, Row] = {}
        if single and values is not None:
            heat = dict(
                zip(single, heat_rows(values[:, single], scale.columns(single)), strict=True)
            )
        for block in layout:
            if block.gate:
                # The selected unit's gate under its chart: the switch that moved it.
                label = text_cells(f"{block.gate:>5} ", "canvas--label")
                if last >= steps.start:
                    gate = traj.vector(block.gate)[
                        steps.start : last + 1, block.unit : block.unit + 1
                    ]
                    label += heat_rows(gate, view.vector_scale(block.gate))[0]
                rows.append(label)
                continue
            column = [] if values is None else values[:, block.unit].tolist()
            if block.rows == 1:
                rows.append(self._label(block.unit) + heat.get(block.unit, []))
            else:
                own = scale.at(block.unit)
                chart = chart_rows(column, own, block.rows - 1)
                for y, row in enumerate(chart.rows):
                    label = self._chart_label(block.unit, y, chart, own)
                    rows.append(fit(label, LABEL_WIDTH) + row)
                rows.append([])  # a gap between one chart and the next
        return rows

    def _label(self, unit: int) -> Row:
        """A unit's name in the label column (``u3``), ▶ marking the selected one.

        The ``u`` keeps a unit's number apart from a chart's value labels
        (``+10``, ``-10``) in the same column.
        """
        selected = unit == self.view.unit
        marker = SELECTED_MARK if selected else " "
        style = "canvas--title" if selected else "canvas--label"
        return text_cells(f"{f'u{unit}':>4}{marker} ", style)

    def _chart_label(self, unit: int, y: int, chart: Chart, scale: Scale) -> Row:
        """Down a chart: its top value, the unit's number on the zero line, its bottom value."""
        if y == chart.baseline:
            return self._label(unit)
        if y == 0:
            text = f"{scale.high:+g}" if scale.diverging else f"{scale.high:g}"
        elif y == chart.bottom and scale.diverging:
            text = f"{-scale.high:g}"
        else:
            return []
        return text_cells(f"{text:>4}  ", "canvas--dim")

    def _values(self, start: int, last: int) -> np.ndarray | None:
        """(last - start + 1, H) values of the chosen vector, or None while there are none."""
        view = self.view
        if last < start:
            return None
        if view.vector == CELL_PATH:
            return view.cell_path()[start : last + 1]
        if view.vector != GRADIENT:
            return view.session.trajectory.vector(view.vector)[start : last + 1]
        gradient = self._gradient()
        if gradient is None:
            return None
        # nan in a gradient comes from 0·inf once the forward pass overflowed:
        # drawn as overflowed (∞), like the infinities it came from.
        shown = gradient[start : last + 1]
        return np.where(np.isnan(shown), np.inf, shown)

    def _title(
        self, width: int, units: range, steps: range, last: int, values: np.ndarray | None
    ) -> Row:
        view = self.view
        letter = view.vector
        if letter not in DERIVATIVES:
            title = (
                f" timeline of {letter} ({VECTOR_NAMES[letter]}) · units {units.start}–"
                f"{units.stop - 1} of {view.hidden} · steps {steps.start}–{max(last, steps.start)}"
                " · v: next vector"
            )
            return text_cells(title, "canvas--title")
        u, t = view.unit, view.t
        name = VECTOR_NAMES[letter]
        if letter == CELL_PATH:
            gradient: np.ndarray | None = view.cell_path()
            long = f" {name}: each unit's f·f·…·f from step t+1 to {t} (h left out)"
            short = f" {name} (∏f) to t={t}"
        else:
            gradient = view.gradient()
            long = (
                f" {name}: ∂c_{t}[{u}]/∂c_t, what a change to c at step t does to"
                f" unit {u}'s c at t = {t}, through c, h and W_hh"
            )
            short = f" {name} (via h too): unit {u} at t={t}"
        if gradient is None:
            return text_cells(f"{short} (computing…)", "canvas--title")
        # The selected unit's own row read out: how much of a change survives
        # k steps back (0.9 per step is 0.35 after ten).
        back = [f"{k} back ×{gain(float(gradient[t - k, u]))}" for k in (1, 10, 100) if t - k >= 0]
        parts = [long, *back, "v: next vector"]
        if len(" · ".join(parts)) > width:
            parts = [short, *back]
        while len(" · ".join(parts)) > width and len(parts) > 1:
            parts.pop()
        return text_cells(" · ".join(parts), "canvas--title")

    def _gradient(self) -> np.ndarray | None:
        """The gradient for the view: computed here when quick, else in a worker thread."""
        view = self.view
        cached = view.gradient()
        if cached is not None or view.gradient_seconds() <= GRADIENT_INLINE_SECONDS:
            return cached if cached is not None else view.compute_gradient()
        key, job = view.gradient_job()
        self.run_worker(
            lambda: (key, job()), thread=True, exclusive=True, group="gradient", exit_on_error=False
        )
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "gradient" or event.state != WorkerState.SUCCESS:
            return
        result = event.worker.result
        if result is None:
            return
        key, dc = result
        # A result for a step or unit already left behind is dropped.
        if key.matches(self.view.gradient_key()):
            self.view.store_gradient(key, dc)
            if self.view.vector == GRADIENT:
                self.redraw()
