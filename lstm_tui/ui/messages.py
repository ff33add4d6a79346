"""The one message by which a change to the session reaches the screens."""

from __future__ import annotations

from textual.message import Message

from lstm_tui.session import Change


class SessionChanged(Message):
    """The session changed; ``change`` says what (model, weights, configuration, sequence)."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change
