"""Every key, with what it does; any key closes it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("→ / l", "step forward: read the next token"),
    ("← / h", "step back (free: every step is kept)"),
    ("home / end", "first / last step"),
    ("space", "play / pause"),
    ("+ / -", "play faster / slower"),
    ("↑ / ↓", "select the unit above / below"),
    ("pgup / pgdn", "select a unit one page up / down"),
    ("v", "next vector in the timeline: i f g o c h"),
    ("d", "detailed cells: a bar and the number per unit"),
    ("s", "save an SVG screenshot"),
    ("ctrl+p", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit"),
)

READING = (
    "Rows: i f o are gates (0..1, glyph height = value), g the candidate, c the cell "
    "state, tanh(c) what the output gate masks, h = o·tanh(c) (−1..1: sign, then "
    "height). The unit panel shows the selected unit's numbers; sat is the share of "
    "units within 0.05 of an end of their activation's range."
)


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys; returns nothing."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 72; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen Static { width: 100%; }
    """

    def compose(self) -> ComposeResult:
        lines = [f"[b]{key:<12}[/b] {what}" for key, what in KEYS]
        with Vertical() as box:
            box.border_title = "keys (any key closes)"
            yield Static("\n".join(lines), markup=True)
            yield Static(READING, classes="reading")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()
