"""One line of input: a file name to save to, a directory, a typed sequence, a factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from lstm_tui.ui.text import safe_lines
from lstm_tui.ui.widgets.safe_input import SafeInput


class TextPrompt(ModalScreen[str | None]):
    """Returns the text on enter, ``None`` on escape.

    With ``check``, a text it refuses (it returns what is wrong) keeps the
    prompt open, the reason shown under the box and the text kept to be
    corrected: keys typed next go on into the box, not to the screen behind.
    Without it the caller checks the text, and a refusal comes back as a
    notification.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self,
        title: str,
        prompt: str,
        value: str = "",
        hint: str = "",
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.check = check
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            # A title given as a str is read as markup; Content is shown as it is.
            box.border_title = Content(self.title_text)
            box.border_subtitle = "enter: ok · escape: cancel"
            yield Static(safe_lines(self.prompt), markup=False)
            yield SafeInput(self.value, placeholder=self.placeholder, select_on_focus=False)
            yield Static("", id="error", markup=False)
            if self.hint:
                yield Static(safe_lines(self.hint), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        wrong = self.check(event.value) if self.check is not None else None
        if wrong is not None:
            error = self.query_one("#error", Static)
            error.update(safe_lines(wrong))
            error.add_class("-shown")
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
