"""A stand-in terminal for the UI benchmark: the real app in a pseudo-terminal.

:class:`PtyApp` starts ``python -m lstm_tui ...`` on the slave side of a
pseudo-terminal of a given size and plays the terminal on the master side: it
writes keys, reads everything the app writes with the time each read
returned, and answers the one query Textual needs answered. :class:`Screen`
is a minimal VT emulator, just enough to read back what is on screen (cursor
moves, text and wide characters; colours and modes are skipped).

Frames are found exactly, not guessed from silence. Textual asks the terminal
whether it supports synchronized output (DECRQM ``ESC [ ? 2026 $ p``); we
answer yes (``ESC [ ? 2026 ; 2 $ y``, as kitty, WezTerm, iTerm2, Windows
Terminal and recent VTE do), and from then on Textual wraps every screen
update in ``ESC [ ? 2026 h`` ... ``ESC [ ? 2026 l`` (``App._display``). The
time a frame is done is the time the read holding its closing marker returned.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"

KEYS: Mapping[str, bytes] = {
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "space": b" ",
    "plus": b"+",
    "q": b"q",
    "w": b"w",
    "1": b"1",
    "ctrl+z": b"\x1a",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
}

ROOT = Path(__file__).resolve().parent.parent

# Variables that would change what is measured: colour depth and Textual's own knobs.
_DROPPED_ENV = ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "TERM_PROGRAM")


def app_env(term: str, colorterm: str | None, size: tuple[int, int]) -> dict[str, str]:
    """The environment of a terminal of ``size`` (columns, rows) that sets these variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _DROPPED_ENV and not key.startswith("TEXTUAL")
    }
    env["TERM"] = term
    if colorterm is not None:
        env["COLORTERM"] = colorterm
    env["COLUMNS"], env["LINES"] = str(size[0]), str(size[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of ``pid`` so far (from /proc/PID/task/*/schedstat); 0 once gone."""
    total = 0
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return 0.0
    for task in tasks:
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


@dataclass
class Frame:
    """One synchronized update of the screen.

    ``end`` is when the read holding its end marker returned, ``size`` its bytes
    from start marker to end marker, ``seen`` what the ``inspect`` callback read
    off the screen once the frame was applied.
    """

    end: float
    size: int
    seen: object = None


@dataclass
class Screen:
    """The characters on a terminal screen, updated from the app's output."""

    columns: int
    rows: int
    cells: list[list[str]] = field(default_factory=list)
    x: int = 0
    y: int = 0

    def __post_init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.cells = [[" "] * self.columns for _ in range(self.rows)]

    def line(self, y: int) -> str:
        return "".join(self.cells[y])

    def text(self) -> str:
        return "\n".join(self.line(y) for y in range(self.rows))

    def feed(self, data: str) -> None:
        i, n = 0, len(data)
        while i < n:
            ch = data[i]
            if ch == "\x1b":
                i = self._escape(data, i)
            elif ch == "\r":
                self.x, i = 0, i + 1
            elif ch == "\n":
                self.y, i = min(self.y + 1, self.rows - 1), i + 1
            elif ch < " " or ch == "\x7f":
                i += 1
            else:
                self._put(ch)
                i += 1

    def _put(self, ch: str) -> None:
        width = cell_len(ch)
        if width == 0:
            return
        if 0 <= self.y < self.rows and 0 <= self.x < self.columns:
            self.cells[self.y][self.x] = ch
            if width == 2 and self.x + 1 < self.columns:
                self.cells[self.y][self.x + 1] = ""
        self.x += width

    def _escape(self, data: str, i: int) -> int:
        if i + 1 >= len(data):
            return len(data)
        kind = data[i + 1]
        if kind == "[":
            j = i + 2
            while j < len(data) and not ("@" <= data[j] <= "~"):
                j += 1
            if j >= len(data):
                return len(data)
            self._csi(data[i + 2 : j], data[j])
            return j + 1
        if kind == "]":
            # OSC: up to BEL or ST.
            bel = data.find("\x07", i)
            st = data.find("\x1b\\", i)
            ends = [e + 1 for e in (bel,) if e >= 0] + [e + 2 for e in (st,) if e >= 0]
            return min(ends) if ends else len(data)
        return i + 2

    def _csi(self, params: str, final: str) -> None:
        if final == "H" and not params.startswith("?"):
            row, _, col = params.partition(";")
            self.y = min(max(int(row or 1) - 1, 0), self.rows - 1)
            self.x = min(max(int(col or 1) - 1, 0), self.columns - 1)
        elif final == "J" and params == "2":
            self.clear()


class PtyApp:
    """The app running in a pseudo-terminal, driven and read like a terminal would.

    ``program`` is what follows the interpreter on the command line before
    ``args``: lstm-tui by default, or a script such as ``floor_app.py``;
    ``argv``, when given, is the whole command line instead (an ``ssh`` client).
    ``inspect`` is called on the screen after every frame (it may be changed
    between presses); what it returns is the frame's ``seen``.
    """

    def __init__(
        self,
        args: Sequence[str],
        *,
        size: tuple[int, int],
        program: Sequence[str] = ("-m", "lstm_tui"),
        term: str = "xterm-256color",
        colorterm: str | None = "truecolor",
        inspect: Callable[[Screen], object] | None = None,
        argv: Sequence[str] | None = None,
    ) -> None:
        self.size = size
        self.screen = Screen(*size)
        self.frames: list[Frame] = []
        self.bytes_read = 0
        self.raw = bytearray()
        self._pending = b""
        self.inspect = inspect
        self._exit_status: int | None = None
        env = app_env(term, colorterm, size)
        argv = [sys.executable, *program, *args] if argv is None else list(argv)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the app
            try:
                winsize = struct.pack("HHHH", size[1], size[0], 0, 0)
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                os.chdir(ROOT)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    # ------------------------------------------------------------- reading
    def _read_once(self, timeout: float) -> float | None:
        """Read what is there (waiting up to ``timeout``); the time it arrived, or None."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return None
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # the app has exited and the slave side is closed
            data = b""
        now = time.perf_counter()
        if not data:
            raise EOFError("the app closed the terminal")
        self.bytes_read += len(data)
        self.raw += data
        self._take(data, now)
        return now

    def _take(self, data: bytes, now: float) -> None:
        buffer = self._pending + data
        if SYNC_QUERY in buffer:
            os.write(self.fd, SYNC_REPLY)
            buffer = buffer.replace(SYNC_QUERY, b"")
        while True:
            end = buffer.find(SYNC_END)
            if end < 0:
                break
            chunk, buffer = buffer[: end + len(SYNC_END)], buffer[end + len(SYNC_END) :]
            self.screen.feed(chunk.decode("utf-8", "replace"))
            start = chunk.rfind(SYNC_START)
            size = len(chunk) - max(start, 0)
            frame = Frame(now, size)
            if self.inspect is not None:
                frame.seen = self.inspect(self.screen)
            self.frames.append(frame)
        # Keep an unfinished frame (or a marker cut in two) for the next read.
        self._pending = buffer

    def read_now(self) -> float | None:
        """Read what is there without waiting (after a select elsewhere); when it arrived."""
        return self._read_once(0.0)

    def read_for(self, seconds: float) -> None:
        """Read everything that arrives during ``seconds``."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._read_once(left)

    def read_until_quiet(self, gap: float, *, min_frames: int = 1, limit: float = 5.0) -> float:
        """Read until ``min_frames`` new frames have come and then ``gap`` s of silence.

        Returns the time the last byte arrived.
        """
        wanted = len(self.frames) + min_frames
        deadline = time.perf_counter() + limit
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            got = self._read_once(gap if len(self.frames) >= wanted else deadline - last)
            if got is not None:
                last = got
            elif len(self.frames) >= wanted:
                return last
        raise TimeoutError(f"no frame within {limit} s")

    def frames_since(self, start: float) -> Iterator[Frame]:
        return (f for f in self.frames if f.end >= start)

    # ------------------------------------------------------------- keys
    def press(self, key: str) -> float:
        """Write ``key`` as the terminal would; the time it was written."""
        return self.write(KEYS[key])

    def write(self, data: bytes) -> float:
        """Write ``data`` to the terminal in one go; the time its last byte was written."""
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]
        return time.perf_counter()

    # ------------------------------------------------------------- the process
    def cpu_seconds(self) -> float:
        """CPU time of every thread of the app so far."""
        return cpu_seconds(self.pid)

    def memory_mib(self) -> tuple[float, float]:
        """(peak RSS, current RSS) in MiB, from /proc/PID/status."""
        fields: dict[str, float] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0]) / 1024
        return fields["VmHWM"], fields["VmRSS"]

    def quit(self, timeout: float = 5.0) -> int:
        """Press q and wait for the app to exit (killed if it does not); its exit status."""
        if self._exit_status is not None:
            return self._exit_status
        with contextlib.suppress(OSError):  # the app may be gone already
            self.press("q")
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with contextlib.suppress(EOFError):
                self._read_once(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._exit_status = os.waitstatus_to_exitcode(status)
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            _, status = os.waitpid(self.pid, 0)
            self._exit_status = os.waitstatus_to_exitcode(status)
        os.close(self.fd)
        return self._exit_status

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()
