"""A heat map of one vector over the steps so far: units down, time across."""

from __future__ import annotations

import numpy as np
from textual.worker import Worker, WorkerState

from lstm_tui.ui.scales import Scale
from lstm_tui.ui.text import number
from lstm_tui.ui.view import GRADIENT, GRADIENT_INLINE_SECONDS, VECTOR_NAMES, View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells

LABEL_WIDTH = 6
SHADES = "░▒▓"


def timeline_glyph(scale: Scale, value: float) -> str:
    """One cell for one value: solid blocks from 0 up, shades below 0.

    A diverging value has no room for a sign glyph here, so negative values
    are drawn as shades (░▒▓ by magnitude) and positive ones as blocks: the
    sign survives without colour.
    """
    glyph = scale.glyph(value)
    if not scale.diverging or value >= 0 or glyph in "·▼":
        return glyph
    fraction = scale.fraction(value)
    return SHADES[0 if fraction < 0.5 else 1 if fraction < 0.95 else 2]


class Timeline(LineCanvas):
    """The cursor column is marked ▼ in the ruler; ▶ marks the selected unit."""

    DEFAULT_CSS = """
    Timeline { height: 1fr; }
    """

    # A step adds one column to every unit's row, and a changed line is sent
    # from its band's left edge: four-cell bands keep that to a few cells
    # without so many bands that placing them costs more than it saves.
    BAND_WIDTH = 4

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # The first step shown; moved by pages so playing repaints the whole
        # map once per page, not once per step.
        self._first_step = 0

    def band_edges(self, width: int) -> list[int]:
        return [0, *range(LABEL_WIDTH, width, self.BAND_WIDTH)]

    def steps_shown(self, width: int) -> range:
        room = max(1, width - LABEL_WIDTH)
        t = self.view.t
        if not self._first_step <= t < self._first_step + room:
            self._first_step = max(0, t - room // 3) if t >= room else 0
        return range(self._first_step, self._first_step + room)

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        letter = view.vector
        steps = self.steps_shown(width)
        with_title = height >= 3
        unit_rows = max(1, height - 1 - (1 if with_title else 0))
        first = (view.unit // unit_rows) * unit_rows
        units = range(first, min(view.hidden, first + unit_rows))
        rows: list[Row] = []
        # A gradient reaches back from the current step only; states go as far as visited.
        reach = view.t if letter == GRADIENT else view.reached
        last = min(steps.stop - 1, reach)
        values = self._values(steps.start, last)
        if with_title:
            rows.append(self._title(width, units, steps, last, values))
        ruler: Row = text_cells(f" {letter}".ljust(LABEL_WIDTH), "canvas--title")
        ticks: Row = [(" ", "")] * len(steps)
        for k, s in enumerate(steps):
            text = str(s)
            clear = not k <= view.t - steps.start <= k + len(text)
            if s % 10 == 0 and s <= last and k + len(text) <= len(steps) and clear:
                for j, ch in enumerate(str(s)):
                    ticks[k + j] = (ch, "canvas--label")
        cursor = view.t - steps.start
        ticks[cursor] = ("▼", "canvas--title")
        rows.append(ruler + ticks)
        scale = view.vector_scale(letter)
        for unit in units:
            marker = "▶" if unit == view.unit else " "
            style = "canvas--title" if unit == view.unit else "canvas--label"
            row = text_cells(f"{unit:>4}{marker} ", style)
            if values is not None:
                for value in values[:, unit].tolist():
                    # The cursor is marked in the ruler only: a highlighted
                    # column would repaint every row twice per step.
                    row.append((timeline_glyph(scale, value), scale.style_name(value)))
            rows.append(row)
        return rows

    def _values(self, start: int, last: int) -> np.ndarray | None:
        """(last - start + 1, H) values of the chosen vector, or None while there are none."""
        view = self.view
        if last < start:
            return None
        if view.vector != GRADIENT:
            return view.session.trajectory.vector(view.vector)[start : last + 1]
        gradient = self._gradient()
        return None if gradient is None else gradient[start : last + 1]

    def _title(
        self, width: int, units: range, steps: range, last: int, values: np.ndarray | None
    ) -> Row:
        view = self.view
        letter = view.vector
        if letter != GRADIENT:
            title = (
                f" timeline of {letter} ({VECTOR_NAMES[letter]}) · units {units.start}–"
                f"{units.stop - 1} of {view.hidden} · steps {steps.start}–{max(last, steps.start)}"
                " · v: next vector"
            )
            return text_cells(title, "canvas--title")
        u, t = view.unit, view.t
        gradient = view.gradient()
        if gradient is None:
            return text_cells(f" ∂c: what reaches unit {u} at t={t} (computing…)", "canvas--title")
        # The selected unit's own row read out: how much of a change survives
        # k steps back (0.9 per step is 0.35 after ten).
        back = [
            f"{k} back ×{number(float(gradient[t - k, u]))}" for k in (1, 10, 100) if t - k >= 0
        ]
        long = (
            f" ∂c_{t}[{u}]/∂c_t: how much of a change to c at step t still reaches"
            f" unit {u}'s c at t = {t}"
        )
        parts = [long, *back, "v: next vector"]
        if len(" · ".join(parts)) > width:
            parts = [f" ∂c: what reaches unit {u} at t={t}", *back]
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
        key, dc = event.worker.result
        # A result for a step or unit already left behind is dropped.
        if key.matches(self.view.gradient_key()):
            self.view.store_gradient(key, dc)
            if self.view.vector == GRADIENT:
                self.redraw()
