"""B − A over the last steps for every unit: where the two cells part, and when.

A heat map like the timeline's, units down and steps across, the current
step at the right edge (as the strips of what reaches the unit above it):
one block of rows for Δc (when B has a cell state) and one for Δh. A unit
where B and A agree is a row of dots; a positive difference is drawn in
blocks, a negative one in shades, so the sign reads without colour. With
rows to spare each unit is a bar chart instead, up for B above A, down for
B below it.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.ui.compare_view import Comparison
from lstm_tui.ui.glyphs import CURSOR_MARK, SELECTED_MARK
from lstm_tui.ui.scales import Scale
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, fit, text_cells
from lstm_tui.ui.widgets.timeline import (
    CHART_MAX_ROWS,
    CHART_MIN_ROWS,
    LABEL_WIDTH,
    chart_rows,
    heat_rows,
)

# A title, a ruler and one unit's row.
MIN_HEIGHT = 3


class DeltaTimeline(LineCanvas):
    """A title, then for Δc and Δh a ruler and a row per unit (a page holding the selected one)."""

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = comparison

    def build(self, width: int, height: int) -> list[Row]:
        comparison = self.comparison
        lead = comparison.lead
        t, selected = lead.t, lead.unit
        if height < MIN_HEIGHT:
            # Not even one unit's row under a ruler: nothing worth a title.
            return []
        room = max(1, width - LABEL_WIDTH)
        differences = comparison.differences(room)
        # Each block has a ruler and a row per unit at least; those that do not fit
        # are left out, Δh first (Δc, where B has one, is what the lessons read).
        differences = differences[: max(1, (height - 1) // 2)]
        # The units share what is left, a page each.
        per_block = max(1, (height - 1) // len(differences) - 1)
        first = (selected // per_block) * per_block
        units = list(range(first, min(lead.hidden, first + per_block)))
        shown = len(differences[0][2])
        start = t - shown + 1
        which = f"unit {units[0]}" if len(units) == 1 else f"units {units[0]}–{units[-1]}"
        title = (
            f" B − A, unit by unit · {which} of {lead.hidden}"
            f" · steps {start}–{t} · dots: B = A, blocks above 0, shades below"
        )
        rows: list[Row] = [text_cells(title[:width], "canvas--title")]
        pad: Row = [(" ", "")] * (room - shown)
        tall = min(CHART_MAX_ROWS, per_block // len(units))
        for key, _, values, scale in differences:
            rows.append(self._ruler(f"Δ{key}", start, t, room))
            block = np.asarray(values)[:, units]
            if tall >= CHART_MIN_ROWS:
                for k, unit in enumerate(units):
                    rows += self._chart(unit, unit == selected, block[:, k], scale, tall, pad)
                continue
            for unit, cells in zip(units, heat_rows(block, scale), strict=True):
                rows.append(self._label(unit, unit == selected) + pad + cells)
        return rows

    def _chart(
        self, unit: int, selected: bool, values: np.ndarray, scale: Scale, tall: int, pad: Row
    ) -> list[Row]:
        """A unit's differences as bars ``tall`` rows high, its name on the zero line."""
        chart = chart_rows(values.tolist(), scale, tall)
        out = []
        for y, row in enumerate(chart.rows):
            if y == chart.baseline:
                label = self._label(unit, selected)
            elif y == 0:
                label = text_cells(f"{scale.high:+g}".rjust(4) + "  ", "canvas--dim")
            elif y == chart.bottom:
                label = text_cells(f"{-scale.high:g}".rjust(4) + "  ", "canvas--dim")
            else:
                label = []
            out.append(fit(label, LABEL_WIDTH) + pad + row)
        return out

    @staticmethod
    def _label(unit: int, selected: bool) -> Row:
        marker = SELECTED_MARK if selected else " "
        style = "canvas--title" if selected else "canvas--label"
        return text_cells(f"{f'u{unit}':>4}{marker} ", style)

    @staticmethod
    def _ruler(name: str, start: int, t: int, room: int) -> Row:
        """The block's name, every tenth step's number, and ▼ over the current step."""
        ticks: Row = [(" ", "")] * room
        offset = room - (t - start + 1)
        for step in range(start, t + 1):
            text = str(step)
            k = offset + step - start
            if step % 10 == 0 and k + len(text) < room - 1:
                for j, ch in enumerate(text):
                    ticks[k + j] = (ch, "canvas--label")
        ticks[room - 1] = (CURSOR_MARK, "canvas--title")
        return text_cells(f" {name}".ljust(LABEL_WIDTH), "canvas--title") + ticks
