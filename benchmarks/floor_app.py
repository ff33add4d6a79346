"""The floor of the UI benchmark: a bare Textual app that repaints the whole screen per key.

Run by ``ui.py`` in the same pseudo-terminal set-up as lstm-tui (``python
benchmarks/floor_app.py``). One ``Static`` fills the screen; ``right`` adds
one to a counter and the whole text is rebuilt from it, so every cell
changes and every key is a full repaint: the least Textual does to answer a
key with a new screen. Line 0 reads like lstm-tui's header (``t = N / M``)
so the benchmark reads the step the same way; ``q`` quits.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

STEPS = 100_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def page(t: int, width: int, height: int) -> str:
    """The screen at step ``t``: the header line, then rows of letters shifted by ``t``."""
    lines = [f" t = {t} / {STEPS}".ljust(width)[:width]]
    for row in range(1, height):
        shift = (t + row) % len(LETTERS)
        run = LETTERS[shift:] + LETTERS[:shift]
        lines.append((run * (width // len(run) + 1))[:width])
    return "\n".join(lines)


class FloorApp(App[None]):
    CSS = "Static { width: 100%; height: 100%; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "step", "step"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.t = 0

    def compose(self) -> ComposeResult:
        yield Static(markup=False)

    def on_mount(self) -> None:
        self.paint()

    def on_resize(self) -> None:
        self.paint()

    def action_step(self) -> None:
        self.t = min(self.t + 1, STEPS)
        self.paint()

    def paint(self) -> None:
        width, height = self.size
        self.query_one(Static).update(page(self.t, width, height))


if __name__ == "__main__":
    FloorApp().run()
