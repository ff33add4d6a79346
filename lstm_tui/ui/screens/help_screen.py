"""Every key, with what it does, made from the command tables; ↑↓ scroll, other keys close."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from lstm_tui.ui.commands import (
    COMPARE_COMMANDS,
    EDITOR_COMMANDS,
    SECTION_TITLES,
    TRAIN_COMMANDS,
    WATCH_COMMANDS,
    help_rows,
)

KEY_WIDTH = 9

READING = (
    "Rows: i f o are gates (0..1, glyph height = value), g the candidate, c the cell "
    "state, tanh(c) what the output gate masks, h = o·tanh(c) (−1..1: sign, then "
    "height). On the timeline, with no room for a sign, ▓▒░ are values below 0 and "
    "▂▄▆█ above 0; a step's token stands over its column (the strip of characters at "
    "the top too). The unit panel shows the selected unit's numbers; sat is the share of "
    "units within 0.05 of an end of their activation's range. Two timeline vectors "
    "show how much of a change to c at each earlier step still reaches the selected "
    "unit's c now. ∂c cell path is the cell path alone, the product of f back to that "
    "step: a forget gate at 1 carries the change back whole, one at 0.9 keeps 0.9 per "
    "step. ∂c full is the whole gradient, through h and W_hh as well: with recurrent "
    "weights it differs from the product of f, and it reaches the other units' c too."
)


def help_text() -> Text:
    """The keys of every section as plain lines: a title over each, keys in a column."""
    text = Text()
    section = None
    for where, keys, what in help_rows(
        (*WATCH_COMMANDS, *COMPARE_COMMANDS, *TRAIN_COMMANDS, *EDITOR_COMMANDS)
    ):
        if where != section:
            if section is not None:
                text.append("\n")
            text.append(SECTION_TITLES[where] + "\n", style="bold underline")
            section = where
        text.append(f"{keys:<{KEY_WIDTH}}", style="bold")
        text.append(f" {what}\n")
    text.rstrip()
    return text


def help_table() -> Group:
    """The same lines, a two-column grid per section, so a long help wraps under its column."""
    parts: list[Text | Table] = []
    tables: dict[str, Table] = {}
    for where, keys, what in help_rows(
        (*WATCH_COMMANDS, *COMPARE_COMMANDS, *TRAIN_COMMANDS, *EDITOR_COMMANDS)
    ):
        if where not in tables:
            if parts:
                parts.append(Text())
            parts.append(Text(SECTION_TITLES[where], style="bold underline"))
            table = Table.grid(padding=(0, 1))
            table.add_column(width=KEY_WIDTH, style="bold", no_wrap=True)
            table.add_column(ratio=1)
            tables[where] = table
            parts.append(table)
        tables[where].add_row(Text(keys), Text(what))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys; returns nothing."""

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "keys (↑↓ pgup pgdn scroll · other keys close)"
            box.can_focus = False
            yield Static(help_table(), markup=False)
            yield Static(READING, classes="reading", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        # At 80x24 most keys run past the bottom: arrows scroll to them.
        scroll = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10}.get(event.key)
        if scroll is None:
            self.dismiss()
        else:
            box = self.query_one(VerticalScroll)
            box.scroll_to(y=box.scroll_y + scroll, animate=False)
