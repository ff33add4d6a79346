from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from lstm_tui.cli import main
from tests import waiting


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``lstm-tui`` in-process with the given arguments."""

    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def free_port() -> int:
    """A port nothing listens on at 127.0.0.1 now (the kernel's pick, so no guess collides)."""
    return waiting.free_port()
