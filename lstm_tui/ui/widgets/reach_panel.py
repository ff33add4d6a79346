"""What a change k steps back still does to the selected unit now, in cell A and cell B,
and B − A for that unit over the same steps.

One row per cell: the derivative read out 1, 10 and 100 steps back, then a
strip of the last steps, oldest on the left, one cell a step, as tall as the
derivative's magnitude (a mark above 1). Below them, in the same columns,
B − A of c (when B has one) and h: the timeline of where the cells part.
The LSTM's derivative is through its cell state; a cell without one (RNN,
GRU) is read through h. On the counter the
LSTM's never-forgetting unit shows ×1.00 all the way back while an RNN's
shows ×0.00: the vanishing gradient, side by side.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.ui.compare_view import REACH_BACK, Comparison
from lstm_tui.ui.scales import Scale
from lstm_tui.ui.text import number
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells
from lstm_tui.ui.widgets.timeline import timeline_glyphs

LABEL_WIDTH = 9
NUMBER_WIDTH = 9  # "  ×-0.00 " per step count
GAP = 2
# A change carried back whole is 1; more than that is marked beyond, as in the timeline.
REACH_SCALE = Scale(True, 1.0)


class ReachPanel(LineCanvas):
    """Two rows, A's and B's: what reaches the unit from each earlier step."""

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = comparison

    def wanted_height(self, width: int) -> int:
        return 3 + len(self.comparison.differences(1))

    def strip_width(self, width: int) -> int:
        return max(0, width - LABEL_WIDTH - NUMBER_WIDTH * len(REACH_BACK) - GAP)

    def build(self, width: int, height: int) -> list[Row]:
        comparison = self.comparison
        lead = comparison.lead
        t, unit = lead.t, lead.unit
        strip = self.strip_width(width)
        a, b = comparison.reach(max(strip, REACH_BACK[-1] + 1))
        through_b = "c" if comparison.b_is_lstm else "h"
        heads = "".join(str(k).rjust(NUMBER_WIDTH) for k in REACH_BACK)
        title = text_cells(" k back".ljust(LABEL_WIDTH), "canvas--title")
        title += text_cells(heads, "canvas--label")
        if strip:
            note = f"  the last {strip} steps → t={t}, unit {unit}"
            title += text_cells(note[: strip + GAP], "canvas--label")
        rows = [
            title,
            self._row(" A ∂c", a, strip, REACH_SCALE),
            self._row(f" B ∂{through_b}", b, strip, REACH_SCALE),
        ]
        # B − A for the unit, over the same steps: where the two cells part.
        window = max(strip, REACH_BACK[-1] + 1)
        for _, label, values, scale in comparison.differences(window):
            rows.append(self._row(f" {label}", values[:, unit], strip, scale))
        return rows

    def _row(self, label: str, values: np.ndarray, strip: int, scale: Scale) -> Row:
        row: Row = text_cells(label.ljust(LABEL_WIDTH)[:LABEL_WIDTH], "canvas--label")
        last = len(values) - 1
        for k in REACH_BACK:
            if k > last:
                row += text_cells("–".rjust(NUMBER_WIDTH), "canvas--dim")
                continue
            value = float(values[last - k])
            text = f"×{number(value)}" if scale is REACH_SCALE else number(value, signed=True)
            row += text_cells(text.rjust(NUMBER_WIDTH), scale.style_name(value))
        row += text_cells(" " * GAP)
        if strip:
            shown = np.asarray(values[-strip:], dtype=np.float64)
            row += text_cells(" " * (strip - len(shown)))
            # As the timeline draws: blocks above 0, shades below (no room for a sign).
            glyphs = timeline_glyphs(scale, shown).tolist()
            row += list(zip(glyphs, scale.style_names(shown).tolist(), strict=True))
        return row
