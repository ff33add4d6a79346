"""Where an unexpected error goes: a report in a file, one line on the terminal.

The app is shown to a classroom. Textual's own handler prints a traceback
with the local variables of every frame, which can quote file contents,
paths and tokens raw, fills the screen and tells a student nothing. The
full report (the traceback without locals) goes to a file the teacher can
send on; the terminal gets one line naming it.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

from lstm_tui import __version__

CRASH_DIR_NAME = "lstm-tui"


def report_dirs() -> list[Path]:
    """Where a report may go, best first: the user's cache directory, then the temp directory."""
    dirs: list[Path] = []
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative value is to be ignored.
    if xdg and Path(xdg).is_absolute():
        dirs.append(Path(xdg) / CRASH_DIR_NAME)
    home = os.environ.get("HOME") or os.path.expanduser("~")
    if home and home != "~":
        dirs.append(Path(home) / ".cache" / CRASH_DIR_NAME)
    dirs.append(Path(tempfile.gettempdir()) / CRASH_DIR_NAME)
    return dirs


def report_text(error: BaseException) -> str:
    """The report: versions and the traceback with its chained causes, and no local variables."""
    lines = [
        f"lstm-tui {__version__} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"command line: {' '.join(sys.argv)}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_report(error: BaseException, previous: Path | None = None) -> Path | None:
    """Write the report of ``error`` to a new file; its path, or None if no directory took it.

    With ``previous`` (a report already written by this run), the error is
    added to that file: one run, one report.
    """
    text = report_text(error)
    if previous is not None:
        try:
            with previous.open("a", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write("\n" + text)
            return previous
        except OSError:
            pass
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for folder in report_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / f"crash-{stamp}-{os.getpid()}.txt"
            # "x": never write over another report; 0o600: it may name the user's files.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return None
