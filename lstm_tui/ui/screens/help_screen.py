"""Every key, with what it does; ↑↓ scroll, any other key closes it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from lstm_tui.ui.editing import EDITING_KEYS

KEYS: tuple[tuple[str, str], ...] = (
    ("→ / l", "step forward: read the next token"),
    ("← / h", "step back (free: every step is kept)"),
    ("home / end", "first / last step"),
    ("space", "play / pause"),
    ("+ / -", "play faster / slower"),
    ("↑ / ↓", "select the unit above / below"),
    ("pgup / pgdn", "select a unit one page up / down"),
    ("v", "next timeline vector: i f g o c h, ∂c (gradient)"),
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
    "units within 0.05 of an end of their activation's range. The timeline's ∂c shows "
    "how much of a change to c at each earlier step still reaches the selected unit's "
    "c now: a forget gate at 1 carries it back whole, one at 0.9 keeps 0.9 per step."
)


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys; returns nothing."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen Static { width: 100%; }
    HelpScreen .editing { margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        lines = [f"[b]{key:<12}[/b] {what}" for key, what in KEYS]
        editing = ["[b]changing the model[/b]"]
        editing += [f"[b]{key:<16}[/b] {what}" for key, what in EDITING_KEYS]
        with VerticalScroll() as box:
            box.border_title = "keys (↑↓ scroll · any other key closes)"
            box.can_focus = False
            yield Static("\n".join(lines), markup=True)
            yield Static("\n".join(editing), markup=True, classes="editing")
            yield Static(READING, classes="reading")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        # At 80x24 the editing keys run past the bottom: arrows scroll to them.
        scroll = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10}.get(event.key)
        if scroll is None:
            self.dismiss()
        else:
            box = self.query_one(VerticalScroll)
            box.scroll_to(y=box.scroll_y + scroll, animate=False)
