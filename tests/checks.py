"""Assertions shared by the tests of every layer."""

from __future__ import annotations

import pytest

from lstm_tui.errors import InputError


def assert_one_line(err: pytest.ExceptionInfo[InputError], path: object, *parts: str) -> None:
    """The message is one line, starts with the file's path and names the problem."""
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    for part in parts:
        assert part in message, message
