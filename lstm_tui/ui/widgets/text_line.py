"""One line of plain text that repaints without asking for a new layout.

A ``Static`` asks for a layout of the whole screen on every update (its
content may change size), and under a dialog that means repainting the dimmed
screen behind it too. A line of fixed height only repaints itself.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextLine(Widget):
    """A single line of text, never parsed as markup."""

    DEFAULT_CSS = """
    TextLine { height: 1; width: 100%; }
    """

    def __init__(self, text: str | Text = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text(text) if isinstance(text, str) else text

    def show(self, text: str | Text) -> None:
        """Show ``text``; repaints only when it differs from what is shown."""
        new = Text(text) if isinstance(text, str) else text
        if new != self._text:
            self._text = new
            self.refresh()

    def render(self) -> Text:
        return self._text
