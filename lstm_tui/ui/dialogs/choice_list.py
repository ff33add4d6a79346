"""Pick one of a few named things with their descriptions: a sample, a preset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from lstm_tui.ui.text import safe_text


@dataclass(frozen=True)
class Choice:
    """One line of the list: ``name`` is returned, ``note`` says what it is for."""

    name: str
    note: str
    detail: str = ""


class ChoiceList(ModalScreen[str | None]):
    """Returns the chosen name on enter (or a click), ``None`` on escape.

    A choice whose name is a number (a lesson's chapter) is also picked by
    typing it: at once when no other number starts with what is typed
    (``6`` of 13 chapters), else on the next digit or enter (``1`` ``2``
    for 12, ``1`` enter for 1).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(self, title: str, choices: list[Choice], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        # The digits typed so far, while they begin more than one choice's number.
        self._typed = ""

    def compose(self) -> ComposeResult:
        options = []
        for choice in self.choices:
            prompt = Text()
            # Names and descriptions come from files (a sample index, a
            # lesson): shown safe, and as Text, never read as markup.
            prompt.append(safe_text(choice.name), style="bold")
            if choice.name == self.current:
                prompt.append(" (now)", style="italic")
            prompt.append(f"  {safe_text(choice.note)}")
            if choice.detail:
                prompt.append(f"\n  {safe_text(choice.detail)}", style="dim")
            options.append(Option(prompt, id=choice.name))
        with Vertical() as box:
            # A title given as a str is read as markup; Content is shown as it is.
            box.border_title = Content(self.title_text)
            box.border_subtitle = "↑↓ choose · enter: open · escape: cancel"
            yield OptionList(*options)

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        names = [choice.name for choice in self.choices]
        option_list.highlighted = names.index(self.current) if self.current in names else 0
        option_list.focus()

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if char and char.isdigit() and self._type(char):
            event.stop()

    def _type(self, char: str) -> bool:
        """Whether ``char`` (a digit) continues a choice's number, which it then picks
        or highlights."""
        typed = self._typed + char
        names = [c.name for c in self.choices if c.name.isdigit()]
        starting = [name for name in names if name.startswith(typed)]
        if not starting:
            return False
        if len(starting) == 1:
            self.dismiss(starting[0])
            return True
        # More than one number begins so: the one typed is highlighted, enter opens it.
        self._typed = typed
        option_list = self.query_one(OptionList)
        shown = typed if typed in names else starting[0]
        option_list.highlighted = [c.name for c in self.choices].index(shown)
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
