"""The one error type a user ever sees.

Anything raised as :class:`InputError` is a problem with what the user gave
(a file, a name, a number) and is reported as one line, never a traceback.
"""

from __future__ import annotations


class InputError(ValueError):
    """A user-facing problem with an input; ``str(err)`` is the whole message."""

    def __init__(self, message: str, *, path: object | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)
