"""A heat map of one vector over the steps so far: units down, time across."""

from __future__ import annotations

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
from lstm_tui.ui.text import gain, visible_token
from lstm_tui.ui.view import (
    CELL_PATH,
    DERIVATIVES,
    GATE_ROWS,
    GRADIENT,
    GRADIENT_INLINE_SECONDS,
    VECTOR_NAMES,
    View,
)
from lstm_tui.ui.widgets.line_canvas import Cell, LineCanvas, Row, fit, text_cells, token_cells

LABEL_WIDTH = 6
# The ruler's label column is narrow: the cell path is the product of f.
RULER_LABELS = {CELL_PATH: "∏f", GRADIENT: "∂c"}

# A unit drawn as a bar chart gets at least this many rows (one of them a gap),
# so a diverging chart has a row up and a row down, and at most this many.
CHART_MIN_ROWS = 4
CHART_MAX_ROWS = 17
GATE_LETTERS = tuple(letter for letter, _ in GATE_ROWS)
_SHADE_GLYPHS = np.array(list(SHADES), dtype=object)


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
        shade = _SHADE_GLYPHS[2 - (fraction < 0.5) - (fraction < 0.95)]
        negative = v < 0
        for mark in (ZERO_GLYPH, BELOW_GLYPH, NAN_GLYPH, INF_GLYPH):
            negative &= shown != mark
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


def charted(layout: list[Block]) -> list[tuple[int, str, bool]]:
    """Which blocks of a layout are drawn as charts, whatever their height."""
    return [(block.unit, block.gate, block.rows > 1) for block in layout]


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


def chart_rows(values: np.ndarray | list[float], scale: Scale, rows: int) -> Chart:
    """A bar per step, ``rows`` tall; diverging values rise above and hang below a middle line.

    Bars grow in eighths of a row. A bar hanging down ends in an upper block
    (▔ an eighth, ▀ a half; no finer ones are in common fonts), so what is
    coloured is what the text says: no reverse video, which reads as a full
    block once the colours are gone. Values beyond the stated range end in ▲ or ▼.

    A chart is redrawn on every step: the levels of all its values are worked
    out at once, and each step's column of cells is one of a few (a height,
    a mark, a colour), made once and then looked up.
    """
    up = rows // 2 if scale.diverging else rows
    down = up if scale.diverging else 0
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    hanging = finite & (v < 0) if scale.diverging else np.zeros(len(v), dtype=bool)
    with np.errstate(invalid="ignore"):
        fraction = np.where(finite, np.minimum(1.0, np.abs(v) / scale.high), 0.0)
    # Beyond the range on the side the value is drawn: ▲ up top, ▼ at the bottom.
    above, below = scale.beyond_all(v)
    beyond = np.where(hanging, below, above)
    eighths = np.rint(fraction * (np.where(hanging, down, up) * 8)).astype(np.intp)
    # What tells one column from another: its kind (0 rising, 1 hanging, 2 no
    # size), how many eighths, whether it is marked beyond, and its colour.
    kind = np.where(finite, hanging.astype(np.intp), 2)
    columns: list[tuple[Cell, ...]] = []
    made = _CHART_COLUMNS.setdefault((up, down), {})
    keys = zip(
        kind.tolist(),
        eighths.tolist(),
        beyond.tolist(),
        scale.style_names(v).tolist(),
        np.isnan(v).tolist(),
        strict=True,
    )
    for key in keys:
        column = made.get(key)
        if column is None:
            column = made[key] = _chart_column(up, down, *key)
        columns.append(column)
    grid: list[Row] = [list(row) for row in zip(*columns, strict=True)] if columns else []
    grid += [[] for _ in range(up + down - len(grid))]
    # An odd row left over stays blank, so up and down share one scale.
    return Chart(grid + [[] for _ in range(rows - up - down)], up - 1, up + down - 1)


# Columns of a chart already made, by the chart's rows up and down and the column's key.
_CHART_COLUMNS: dict[tuple[int, int], dict[tuple[int, int, bool, str, bool], tuple[Cell, ...]]] = {}


def _chart_column(
    up: int, down: int, kind: int, eighths: int, beyond: bool, style: str, nan: bool
) -> tuple[Cell, ...]:
    """One step's cells, top to bottom: ``up`` rows above the middle line, ``down`` below."""
    blank: Cell = (" ", "")
    cells = [blank] * (up + down)
    middle = max(0, up - 1)
    if kind == 2:
        # No size, so no bar: only the mark (? or ∞) on the middle line.
        cells[middle] = (NAN_GLYPH if nan else INF_GLYPH, style)
    elif kind == 0:
        for y in range(up):
            cells[y] = (EIGHTHS[min(8, max(0, eighths - (up - 1 - y) * 8))], style)
        if beyond:
            cells[0] = (ABOVE_GLYPH, style)
        elif eighths == 0:
            # Nothing to draw: a dot on the middle line says "about zero".
            cells[middle] = (ZERO_GLYPH, style)
    else:
        for depth in range(down):
            fill = min(8, max(0, eighths - depth * 8))
            if fill:
                cells[up + depth] = (hanging_glyph(fill), style)
        if beyond:
            cells[-1] = (BELOW_GLYPH, style)
        elif eighths == 0:
            cells[middle] = (ZERO_GLYPH, style)
    return tuple(cells)


class Timeline(LineCanvas):
    """The cursor column is marked ▼ in the ruler; ▶ marks the selected unit."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # Each step's token as cells, for the sequence they were made for.
        self._tokens: dict[int, Row] = {}
        self._tokens_for: object = None
        # Title lines taken for a vector at a width: figures that once needed
        # a second line keep it, so the map does not move up and down a row.
        self._title_rows: dict[tuple[str, int], int] = {}

    # A step adds one column to every unit's row: runs of four cells keep the
    # colour codes sent for it to the few cells around it.
    RUN_WIDTH = 4

    def run_edges(self, width: int) -> list[int]:
        return [0, *range(LABEL_WIDTH, width, self.RUN_WIDTH)]

    def steps_shown(self, width: int) -> range:
        # The token strip reads the same window: step k has the same column in both.
        return self.view.steps_window(width - LABEL_WIDTH)

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
        rows: list[Row] = []
        # A derivative reaches back from the current step only; states go as far as visited.
        reach = view.t if letter in DERIVATIVES else view.reached
        last = min(steps.stop - 1, reach)
        # Every step drawn is computed now: an edit makes the trajectory
        # recompute lazily, and the map must not shrink to what the cursor needed.
        if last >= 0:
            view.session.trajectory.ensure(last)
        values = self._values(steps.start, last)
        title_rows = self._title_rows.get((letter, width), 1) if with_title else 0
        for _ in range(2):
            room = max(1, height - 1 - title_rows)
            layout = self.unit_layout(room)
            # The steps' tokens under the ruler, where a row can be spared for
            # them: no unit drawn as a chart becomes a single row for it.
            with_tokens = view.session.sequence.is_tokens and room > 2
            if with_tokens:
                fewer = self.unit_layout(room - 1)
                with_tokens = charted(fewer) == charted(layout)
                layout = fewer if with_tokens else layout
            units = range(layout[0].unit, layout[-1].unit + 1)
            title = self._title(width, units, steps, last, title_rows) if with_title else []
            if len(title) == title_rows:
                break
            title_rows = len(title)
            self._title_rows[(letter, width)] = title_rows
        rows += title
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
        if with_tokens:
            label = text_cells(" read ".ljust(LABEL_WIDTH), "canvas--label")
            rows.append(label + self._token_row(steps))
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
            column = np.zeros(0) if values is None else values[:, block.unit]
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

    def _title(self, width: int, units: range, steps: range, last: int, rows: int) -> list[Row]:
        """The title in at least ``rows`` lines: its figures go on a second line when
        they do not fit on the first, never cut off; only the key hint gives way."""
        view = self.view
        letter = view.vector
        hint = "v: next vector"
        if letter not in DERIVATIVES:
            name = f" timeline of {letter} ({VECTOR_NAMES[letter]})"
            figures = [
                f"units {units.start}–{units.stop - 1} of {view.hidden}",
                f"steps {steps.start}–{max(last, steps.start)}",
            ]
            return self._title_lines(width, [name], [name], figures, hint, rows)
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
            return [text_cells(f"{short} (computing…)", "canvas--title")] + [[]] * (rows - 1)
        # The selected unit's own row read out: how much of a change survives
        # k steps back (0.9 per step is 0.35 after ten).
        back = [f"{k} back ×{gain(float(gradient[t - k, u]))}" for k in (1, 10, 100) if t - k >= 0]
        return self._title_lines(width, [long, short], [short], back, hint, rows)

    @staticmethod
    def _title_lines(
        width: int,
        names: list[str],
        second_names: list[str],
        figures: list[str],
        hint: str,
        rows: int,
    ) -> list[Row]:
        """One line when a name and every figure fit on it (with ``hint`` if it fits
        too), else a name over the figures; in ``rows`` lines at least."""
        if rows < 2:
            for name in names:
                for extra in ([hint], []):
                    line = " · ".join([name, *figures, *extra])
                    if len(line) <= width:
                        return [text_cells(line, "canvas--title")]
        name = next((n for n in second_names if len(n) <= width), second_names[-1])
        second = " " + " · ".join(figures)
        if len(f"{second} · {hint}") <= width:
            second = f"{second} · {hint}"
        return [text_cells(name, "canvas--title"), text_cells(second, "canvas--title")]

    def _token_row(self, steps: range) -> Row:
        """The token of each step, starting in that step's column.

        The cursor's token first, then every other that fits whole: a word
        needs the cells beside it free, so two never run together; one that
        does not fit is left out, never cut.
        """
        view = self.view
        sequence = view.session.sequence
        if self._tokens_for is not sequence:
            self._tokens, self._tokens_for = {}, sequence
        room = len(steps)
        row: Row = [(" ", "")] * room
        taken = [False] * room
        order = [s for s in steps if s < view.length]
        if view.t in steps:
            order = [view.t, *(s for s in order if s != view.t)]
        for s in order:
            cells = self._tokens.get(s)
            if cells is None:
                cells = token_cells(visible_token(sequence.label(s)))
                self._tokens[s] = cells
            k = s - steps.start
            # Among words, a one-letter token (a full stop) is kept apart too.
            gap = 1 if len(cells) > 1 or sequence.reads_words else 0
            around = range(max(0, k - gap), min(room, k + len(cells) + gap))
            if k + len(cells) > room or any(taken[j] for j in around):
                continue
            style = "canvas--cursor" if s == view.t else ("canvas--dim" if s > view.t else "")
            row[k : k + len(cells)] = [(ch, style) for ch, _ in cells]
            for j in around:
                taken[j] = True
        return row

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
