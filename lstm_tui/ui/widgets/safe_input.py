"""A one-line input box whose text is always safe to draw."""

from __future__ import annotations

from textual.widgets import Input

from lstm_tui.ui.text import safe_text


class SafeInput(Input):
    """An :class:`Input` that keeps control, bidi and zero-width characters out of its value.

    Keys cannot type an ESC into the box, but a paste can (over SSH, from
    anything the student copied), and the box draws its value raw: a pasted
    ``ESC[?1049l`` would act on the terminal at once. Such characters are
    spelled as :func:`safe_text` does, so they are seen and can be deleted.
    """

    def replace(self, text: str, start: int, end: int) -> None:
        # Every edit (a key, a paste, a deletion) comes through here; spelled
        # before insertion so the cursor lands after what is shown.
        super().replace(safe_text(text), start, end)

    def validate_value(self, value: str) -> str:
        # A value set by the program (a default path) is made safe as well.
        return safe_text(value)
