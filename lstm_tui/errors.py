"""The one error type a user ever sees.

Anything raised as :class:`InputError` is a problem with what the user gave
(a file, a name, a number) and is reported as one line, never a traceback.
"""

from __future__ import annotations

from lstm_tui.safe_text import safe_text


class InputError(ValueError):
    """A user-facing problem with an input; ``str(err)`` is the whole message.

    The message quotes what the user gave (a path, a key, a token), so it is
    made safe to show when the error is made: every screen, notification and
    stderr line that prints it gets no raw control or bidi character.
    ``path`` keeps the path as given.
    """

    def __init__(self, message: str, *, path: object | None = None) -> None:
        self.path = path
        text = f"{path}: {message}" if path is not None else message
        super().__init__(safe_text(text))
