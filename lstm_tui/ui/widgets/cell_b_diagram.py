"""The cells' figures on the compare screen, for the selected unit at this step: B's beside A's.

An LSTM B is drawn as the classic figure, as A is (the same widget, reading
B's cell); a plain RNN or a GRU has no such figure, so its step is written out
as the arithmetic of its equations with this step's numbers::

     plain RNN · unit 0 · no gates, no c
     z = W x + U h_{t-1} + b = +1.20
     h_t = tanh(z) = tanh(+1.20) = +0.83
"""

from __future__ import annotations

from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.ui.compare_view import Comparison
from lstm_tui.ui.text import number
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.cell_diagram import DIAGRAM_HEIGHT, DIAGRAM_WIDTH, CellDiagram
from lstm_tui.ui.widgets.line_canvas import Row, fit, text_cells


class NamedDiagram(CellDiagram):
    """A cell's figure that can say whose it is beside it (``cell A``), for a screen
    that shows only one of the two."""

    def __init__(self, view: View, cell: str, *, id: str | None = None) -> None:
        super().__init__(view, id=id)
        self.cell = cell
        self.named = False

    def build(self, width: int, height: int) -> list[Row]:
        rows = self.figure(width, height)
        label = f"cell {self.cell}"
        if self.named and rows and width >= DIAGRAM_WIDTH + len(label) + 2:
            rows[0] = fit(rows[0], DIAGRAM_WIDTH + 1) + text_cells(label, "canvas--title")
        return rows

    def figure(self, width: int, height: int) -> list[Row]:
        return super().build(width, height)


class CellBDiagram(NamedDiagram):
    """B's cell as the figure (an LSTM) or as its equations (an RNN, a GRU)."""

    def __init__(self, comparison: Comparison, *, id: str | None = None) -> None:
        super().__init__(comparison.lead, "B", id=id)
        self.comparison = comparison

    def band_edges(self, width: int) -> list[int]:
        # The equations are written from the left edge; the figure has its bands.
        return super().band_edges(width) if self.comparison.b_is_lstm else [0]

    def figure(self, width: int, height: int) -> list[Row]:
        view = self.comparison.b_lstm_view()
        if view is not None:
            # The figure reads everything through its view: B's, at the lead's step.
            self.view = view
            return super().figure(width, height)
        traj = self.comparison.trajectory_b()
        assert isinstance(traj, HiddenTrajectory)
        lead = self.comparison.lead
        t, u = lead.t, lead.unit
        traj.ensure(t)
        h_prev = float(traj.previous(t)[u])
        h = float(traj.h[t, u])
        if traj.kind == "rnn":
            z = float(traj.vector("z")[t, u])
            lines = [
                (f" plain RNN · unit {u} · no gates, no c", "canvas--title"),
                (f" h_{{t-1}} = {number(h_prev, True)}", "canvas--label"),
                (f" z = W x + U h_{{t-1}} + b = {number(z, True)}", ""),
                (f" h_t = tanh(z) = tanh({number(z, True)}) = {number(h, True)}", ""),
            ]
        else:
            r, zg, n = (float(traj.vector(k)[t, u]) for k in ("r", "z", "n"))
            lines = [
                (f" GRU · unit {u} · PyTorch's equations", "canvas--title"),
                (f" h_{{t-1}} = {number(h_prev, True)}", "canvas--label"),
                (f" r = σ(W_r x + U_r h_{{t-1}} + b_r) = {number(r)}", ""),
                (f" z = σ(W_z x + U_z h_{{t-1}} + b_z) = {number(zg)}", ""),
                (f" n = tanh(W_n x + b_n + r·(U_n h_{{t-1}} + b_hn)) = {number(n, True)}", ""),
                (" h_t = (1 − z)·n + z·h_{t-1}", ""),
                (
                    f"     = {number(1 - zg)}·{number(n, True)} + {number(zg)}·"
                    f"{number(h_prev, True)} = {number(h, True)}",
                    "",
                ),
            ]
        rows = [text_cells(text[:width], style) for text, style in lines]
        return rows[:height] + [[] for _ in range(DIAGRAM_HEIGHT - len(rows))]
