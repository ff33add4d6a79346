"""Choose the activation of each of the five slots from a grid: slots by activations."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from lstm_tui.engine.activations import (
    ACTIVATIONS,
    DEFAULT_ACTIVATIONS,
    GATE_SLOT_LETTER,
    SLOTS,
)
from lstm_tui.engine.config import CellConfig
from lstm_tui.ui.glyphs import CHOSEN_MARK, UNCHOSEN_MARK

NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
# Column headings where the name is too long for the grid to fit 80 columns;
# the line under the grid spells the activation under the cursor in full.
HEADINGS: dict[str, str] = {"hard_sigmoid_keras": "hs_keras"}


def _range(low: float, high: float) -> str:
    def end(x: float) -> str:
        return "∞" if x == float("inf") else "-∞" if x == float("-inf") else f"{x:g}"

    return f"{end(low)}..{end(high)}"


class ActivationPicker(ModalScreen[CellConfig | None]):
    """Returns the configuration with the chosen activations on enter, ``None`` on escape.

    Clamps are kept as they are; the grid marks the textbook choice of each
    slot so a student can always find the way back.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "slot up", show=False),
        Binding("down", "move(1, 0)", "slot down", show=False),
        Binding("left", "move(0, -1)", "activation left", show=False),
        Binding("right", "move(0, 1)", "activation right", show=False),
        Binding("a", "standard", "standard LSTM", show=False),
        Binding("enter", "done", "apply", show=False),
        Binding("escape", "cancel", "cancel", show=False),
    ]

    def __init__(self, config: CellConfig, slot: str = "input") -> None:
        super().__init__()
        self.config = config
        self.slot = SLOTS.index(slot)

    @property
    def column(self) -> int:
        return NAMES.index(self.config.activation_name(SLOTS[self.slot]))

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "activations"
            box.border_subtitle = "↑↓ slot · ←→ activation · a standard · enter apply · esc cancel"
            yield Static(self.grid(), id="grid")

    def grid(self) -> Text:
        """The table: a ● for each slot's activation, the cursor reversed, * the textbook one."""
        text = Text()
        text.append(" " * 13)
        for name in NAMES:
            text.append(f" {HEADINGS.get(name, name)}", style="bold")
        text.append("\n")
        for row, slot in enumerate(SLOTS):
            text.append(f" {GATE_SLOT_LETTER[slot]} {slot:<10}", style="bold")
            chosen = self.config.activation_name(slot)
            for col, name in enumerate(NAMES):
                mark = CHOSEN_MARK if name == chosen else UNCHOSEN_MARK
                if name == DEFAULT_ACTIVATIONS[slot]:
                    mark += "*"
                cell = mark.center(len(HEADINGS.get(name, name)))
                style = "reverse bold" if (row, col) == (self.slot, self.column) else ""
                text.append(" ")
                text.append(cell, style=style)
            text.append("\n")
        act = ACTIVATIONS[NAMES[self.column]]
        slot = SLOTS[self.slot]
        text.append(f"\n {slot}: {act.name} = {act.formula}, range {_range(act.low, act.high)}")
        # On a line of its own: beside the chosen activation it read as if
        # that were the standard one.
        standard = DEFAULT_ACTIVATIONS[slot]
        text.append(f"\n * marks the standard LSTM's choice in each row ({slot}: {standard})")
        return text

    def _update(self) -> None:
        self.query_one("#grid", Static).update(self.grid())

    def action_move(self, rows: int, cols: int) -> None:
        self.slot = (self.slot + rows) % len(SLOTS)
        if cols:
            name = NAMES[(self.column + cols) % len(NAMES)]
            self.config = self.config.with_activation(SLOTS[self.slot], name)
        self._update()

    def action_standard(self) -> None:
        self.config = CellConfig.build(None, dict(self.config.clamps))
        self._update()

    def action_done(self) -> None:
        self.dismiss(self.config)

    def action_cancel(self) -> None:
        self.dismiss(None)
