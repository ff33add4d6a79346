"""--color and --no-mouse, read off the bytes the real app writes to a pseudo-terminal.

Textual picks its colour depth when it is first imported, so these run the
app (``python -m lstm_tui``) in a pseudo-terminal of its own (all at once: they share
the machine's two cores instead of queueing), wait for the header to be
drawn, press q and keep every byte until the app has gone.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from dataclasses import dataclass, field

import pytest

from tests.sgr import colours, greys_only

APP = (sys.executable, "-m", "lstm_tui")
DRAWN = b"t = 0 /"  # the header's step: the first frame is on its way
DEADLINE = 60.0  # seconds for every run together, on a busy machine
MOUSE_ON = (b"\x1b[?1000h", b"\x1b[?1003h", b"\x1b[?1006h")


@dataclass
class Run:
    args: tuple[str, ...]
    env: dict[str, str]
    output: bytearray = field(default_factory=bytearray)
    status: int | None = None


# (args, environment beyond TERM=xterm-256color), by what each shows.
CASES: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "default": ((), {"COLORTERM": "truecolor"}),
    "256 over COLORTERM": (("--color", "256"), {"COLORTERM": "truecolor"}),
    "16 without mouse over the variable": (
        ("--color", "16", "--no-mouse"),
        {"COLORTERM": "truecolor", "TEXTUAL_COLOR_SYSTEM": "truecolor"},
    ),
    "truecolor without COLORTERM": (("--color", "truecolor"), {}),
    "none": (("--color", "none"), {"COLORTERM": "truecolor"}),
    "256 over NO_COLOR": (("--color", "256"), {"COLORTERM": "truecolor", "NO_COLOR": "1"}),
    "the variable alone": ((), {"COLORTERM": "truecolor", "TEXTUAL_COLOR_SYSTEM": "standard"}),
    "NO_COLOR alone": ((), {"COLORTERM": "truecolor", "NO_COLOR": "1"}),
}


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLORTERM", "NO_COLOR", "FORCE_COLOR") and not key.startswith("TEXTUAL")
    }
    env["TERM"] = "xterm-256color"
    return env | extra


def _start(run: Run) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: an 80x24 terminal, then the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(APP[0], [*APP, *run.args], _environment(run.env))
        finally:
            os._exit(127)
    return pid, fd


def _run_all(runs: list[Run]) -> None:
    """Each run drawn, then q pressed; returns when every app has exited."""
    open_fds = {fd: (pid, run) for run in runs for pid, fd in [_start(run)]}
    quitting: set[int] = set()
    deadline = time.monotonic() + DEADLINE
    try:
        while open_fds and time.monotonic() < deadline:
            ready, _, _ = select.select(list(open_fds), [], [], 1.0)
            for fd in ready:
                pid, run = open_fds[fd]
                try:
                    data = os.read(fd, 1 << 16)
                except OSError:  # the app exited and closed its side
                    data = b""
                if not data:
                    run.status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
                    os.close(fd)
                    del open_fds[fd]
                    continue
                run.output += data
                if fd not in quitting and DRAWN in run.output:
                    os.write(fd, b"q")
                    quitting.add(fd)
    finally:
        for fd, (pid, _) in open_fds.items():
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(fd)
    assert not open_fds, "an app did not draw and quit in time"


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    by_case = {name: Run(args, env) for name, (args, env) in CASES.items()}
    _run_all(list(by_case.values()))
    return by_case


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("default", "truecolor"),
        ("256 over COLORTERM", "256"),
        ("16 without mouse over the variable", "16"),
        ("truecolor without COLORTERM", "truecolor"),
        ("256 over NO_COLOR", "256"),
        ("the variable alone", "16"),
    ],
)
def test_the_app_draws_with_the_colours_chosen(runs: dict[str, Run], case: str, kind: str) -> None:
    run = runs[case]
    assert run.status == 0
    found, rgb = colours(bytes(run.output))
    assert found == {kind}, f"{case}: {sorted(found)}"
    assert not greys_only(rgb)


@pytest.mark.parametrize("case", ["none", "NO_COLOR alone"])
def test_no_colour_draws_in_greys(runs: dict[str, Run], case: str) -> None:
    run = runs[case]
    assert run.status == 0
    found, rgb = colours(bytes(run.output))
    assert found == {"truecolor"}
    assert greys_only(rgb), sorted(rgb)


def test_no_mouse_leaves_mouse_reporting_off(runs: dict[str, Run]) -> None:
    with_mouse = bytes(runs["default"].output)
    without = bytes(runs["16 without mouse over the variable"].output)
    assert all(mode in with_mouse for mode in MOUSE_ON)
    assert not any(mode in without for mode in MOUSE_ON)
    assert DRAWN in without


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--color", "8"], "argument --color: invalid choice: '8'"),
        (["--color", "TrueColor"], "argument --color: invalid choice: 'TrueColor'"),
        (["--color", ""], "argument --color: invalid choice: ''"),
        (["--color"], "argument --color: expected one argument"),
        (["--no-mouse=yes"], "argument --no-mouse: ignored explicit argument 'yes'"),
        (["trace", "brackets", "--color", "16"], "unrecognized arguments: --color 16"),
    ],
)
def test_a_bad_terminal_option_is_one_line(run_cli, args: list[str], complaint: str) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert complaint in result.err
