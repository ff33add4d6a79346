"""The top line: what is loaded, where in time we are, and the cell's configuration."""

from __future__ import annotations

from lstm_tui.engine.activations import GATE_SLOT_LETTER, SLOTS
from lstm_tui.ui.text import short_activation
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells


class HeaderBar(LineCanvas):
    """``brackets · preset counter · t = 17 / 240 · i σ f σ g tanh o σ c tanh · no clamps``."""

    DEFAULT_CSS = """
    HeaderBar { background: $panel; }
    """

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        session = view.session
        config = session.config
        wide = width >= 110
        sep = text_cells(" │ ", "canvas--dim")
        # The program's name only where it costs nothing the student needs.
        row: Row = text_cells(" lstm-tui", "canvas--title") + sep if wide else [(" ", "")]
        row += text_cells(session.sequence_label, "canvas--title") + sep
        row += text_cells(session.model_label) + sep
        row += text_cells(f"t = {view.t} / {view.length}", "canvas--title") + sep
        for slot in SLOTS:
            name = config.activation_name(slot)
            letter = GATE_SLOT_LETTER[slot]
            row += text_cells(f"{letter} ", "canvas--label")
            row += text_cells((name if wide else short_activation(name)) + " ")
        clamps = ", ".join(f"{GATE_SLOT_LETTER[g]}={v:g}" for g, v in config.clamps)
        row += sep[1:] + text_cells(f"clamp {clamps}" if clamps else "no clamps")
        state = f"▶ {view.speed:g}/s" if view.playing else f"❚❚ {view.speed:g}/s"
        tail = text_cells(f" {state} ", "canvas--title")
        if len(row) + len(tail) <= width:
            row += [(" ", "")] * (width - len(row) - len(tail)) + tail
        return [row]
