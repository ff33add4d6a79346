"""A classroom on one machine: N students at once, each stepping through the app.

Run by hand: ``python benchmarks/sessions.py`` (30 sessions, about two
minutes), ``--sessions N``, ``--seconds S`` of stepping, ``--ssh`` to log
every student in through a private OpenSSH server built from
docs/classroom.md (``tests/classroom/sshd.py``, the test's own set-up),
``--slow`` for the slow-link command (``--no-mouse --color 16``), ``--app
"ARGS"`` for another command line of the app (without ``--ssh``; for example
``--app "--kiosk english --hidden 64 --seed 0"``, the larger cell
``benchmarks/ui.py`` times).

Each student is the real app in a pseudo-terminal of its own, 80x24 (the
terminal of ``ui_terminal.PtyApp``, as ``benchmarks/ui.py`` uses it:
synchronized output answered, so every frame's end is seen exactly, and a
small VT emulator so the step the header shows is read off the screen). With
``--ssh`` the pseudo-terminal holds ``ssh -t student@host`` instead, and the
app runs under sshd. Every session runs the classroom's command,
``lstm-tui --kiosk --preset counter brackets``, with ``TERM=xterm-256color``
and no ``COLORTERM`` (over SSH it does not arrive), so 256 colours.

The students start together and, once every screen has settled, step for
``--seconds``: a key every 0.5 to 1 s (uniform, each student its own random
stream), → mostly and ← one time in six once past step 1. Measured:

- key → frame: from writing a key to the end of the first frame whose header
  shows the step the key leads to (a frame's end is the read holding its
  closing marker), pooled over every press of every session: p50, p95, p99,
  the worst; a press whose step is not on screen by the next press counts
  as missed.
- bytes per step: every byte the terminal received between one key and the
  next (median, p95); with ``--ssh`` also what sshd wrote per key, to the
  socket, encrypted (``wchar`` of sshd's processes, /proc/PID/io).
- memory per session: RSS and PSS (``/proc/PID/smaps_rollup``: shared pages
  split between the processes that share them) of each app process after
  the stepping; with ``--ssh`` also sshd's two processes per connection.
- CPU: the apps' CPU time over the stepping (all threads,
  ``/proc/PID/task/*/schedstat``) as a share of one core, with sshd's and the
  ssh clients' beside it, and the harness's own; and how busy the whole
  machine was (``/proc/stat``), since other people use it too.

Reference, in the same run: one session alone, stepped the same way for a
third of the time (15 s at least). The goal (issue 10): 30 sessions on this 2-core machine
with p95 key → frame at most 100 ms and at most 80 MiB per session.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import select
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from ui import code_version, header_step
from ui_terminal import ROOT, PtyApp, cpu_seconds

sys.path.insert(0, str(ROOT))

from tests.classroom import sshd as private

APP_ARGS = ("--kiosk", "--preset", "counter", "brackets")
SLOW_ARGS = ("--kiosk", "--no-mouse", "--color", "16", "--preset", "counter", "brackets")
SIZE = (80, 24)
GAP = (0.5, 1.0)  # seconds between one student's keys
BACK_SHARE = 1 / 6
SETTLE = 0.3  # silence after which a session has started
START_LIMIT = 180.0  # seconds for every session to start, on a busy machine
LATENCY_GOAL_MS = 100.0
MEMORY_GOAL_MIB = 80.0
SESSIONS = 30
SECONDS = 45.0
REFERENCE_SECONDS = 15.0


# ------------------------------------------------------------------ /proc
def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of ``pid`` in MiB, from /proc/PID/smaps_rollup."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("Rss", "Pss"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["Rss"], fields["Pss"]


def bytes_written(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


# ------------------------------------------------------------------ students
@dataclass
class Press:
    at: float
    expected: int
    bytes_before: int
    seen_ms: float | None = None


@dataclass
class Student:
    app: PtyApp
    rng: random.Random
    next_at: float = 0.0
    press: Press | None = None
    frames_read: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    step_bytes: list[int] = field(default_factory=list)
    missed: int = 0
    gone: bool = False

    def check_frames(self) -> None:
        """Note when the pending press's step first shows."""
        frames = self.app.frames
        press = self.press
        for frame in frames[self.frames_read :]:
            if (
                press is not None
                and press.seen_ms is None
                and frame.end >= press.at
                and frame.seen == press.expected
            ):
                press.seen_ms = (frame.end - press.at) * 1000
        self.frames_read = len(frames)

    def close_press(self) -> None:
        press = self.press
        if press is None:
            return
        self.step_bytes.append(self.app.bytes_read - press.bytes_before)
        if press.seen_ms is None:
            self.missed += 1
        else:
            self.latencies_ms.append(press.seen_ms)
        self.press = None

    def press_key(self, now: float) -> None:
        self.close_press()
        shown = header_step(self.app.screen)
        if shown is None:
            self.missed += 1
            shown = 0
        back = shown > 1 and self.rng.random() < BACK_SHARE
        before = self.app.bytes_read
        at = self.app.press("left" if back else "right")
        self.press = Press(at, shown - 1 if back else shown + 1, before)
        self.next_at = at + self.rng.uniform(*GAP)


MOUSE_ANY_EVENT = b"\x1b[?1003h"  # the app asks for a report of every move of the pointer
MOUSE_OFF = b"\x1b[?1003l"


def sweep_pointer(app: PtyApp) -> tuple[int, int]:
    """Move the pointer along the footer and across the middle, as a terminal reports it.

    A terminal reports moves only when the app has asked (any-event mode,
    ``ESC [ ? 1003 h``); returns (bytes the terminal sent, bytes the app wrote back).
    """
    raw = bytes(app.raw)
    if raw.rfind(MOUSE_ANY_EVENT) <= raw.rfind(MOUSE_OFF):
        return 0, 0
    before, sent = app.bytes_read, 0
    for x in range(1, SIZE[0] // 2 + 1):
        for y in (SIZE[1], SIZE[1] // 2):
            report = f"\x1b[<35;{x};{y}M".encode()  # SGR mouse: motion, no button
            app.write(report)
            sent += len(report)
            app.read_for(0.02)
    app.read_until_quiet(SETTLE, min_frames=0)
    return sent, app.bytes_read - before


def read_ready(students: Sequence[Student], timeout: float) -> None:
    live = {s.app.fd: s for s in students if not s.gone}
    if not live:
        return
    ready, _, _ = select.select(list(live), [], [], max(timeout, 0.0))
    for fd in ready:
        student = live[fd]
        try:
            student.app.read_now()
        except EOFError:
            student.gone = True
        student.check_frames()


def start_all(argvs: Iterable[Sequence[str] | None], args: Sequence[str]) -> list[Student]:
    """Start every session at once; return when each has drawn and gone quiet."""
    students = [
        Student(
            PtyApp(args, size=SIZE, colorterm=None, inspect=header_step, argv=argv),
            random.Random(k),
        )
        for k, argv in enumerate(argvs)
    ]
    deadline = time.perf_counter() + START_LIMIT
    while time.perf_counter() < deadline:
        read_ready(students, 0.05)
        now = time.perf_counter()
        if all(
            s.gone
            or (
                header_step(s.app.screen) == 0
                and s.app.frames
                and now - s.app.frames[-1].end > SETTLE
            )
            for s in students
        ):
            break
    else:
        raise TimeoutError(f"not every session started within {START_LIMIT} s")
    if any(s.gone for s in students):
        raise RuntimeError(f"{sum(s.gone for s in students)} sessions ended during start-up")
    return students


def step_all(students: Sequence[Student], seconds: float) -> float:
    """Every student steps for ``seconds``; the wall time it took."""
    began = time.perf_counter()
    for student in students:
        student.next_at = began + student.rng.uniform(0, GAP[1])
    end = began + seconds
    while (now := time.perf_counter()) < end:
        due = min(s.next_at for s in students)
        read_ready(students, min(due, end) - now)
        now = time.perf_counter()
        for student in students:
            if not student.gone and now >= student.next_at:
                student.press_key(now)
    # The last keys' frames: read until every session is quiet.
    quiet_until = time.perf_counter() + 1.0
    while time.perf_counter() < quiet_until:
        read_ready(students, 0.05)
    for student in students:
        student.close_press()
    return time.perf_counter() - began


# ------------------------------------------------------------------ one run
@dataclass
class Result:
    sessions: int
    started_s: float
    stepped_s: float
    latencies_ms: list[float]
    step_bytes: list[int]
    presses: int
    missed: int
    ended: int
    app_rss: list[float]
    app_pss: list[float]
    app_cpu_s: float
    sshd_pss: list[float] = field(default_factory=list)
    sshd_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    wire_bytes: int = 0
    harness_cpu_s: float = 0.0
    mouse: tuple[int, int] | None = None  # a sweep of the pointer: bytes up, bytes back
    machine_busy: float = 0.0  # share of the machine's CPUs busy (all processes) while stepping


class Processes:
    """Where each session's processes are: the app itself, or an ssh client and sshd's children."""

    def __init__(self, server: private.Sshd | None, students: Sequence[Student]) -> None:
        self.server = server
        self.clients = [s.app.pid for s in students]
        if server is None:
            self.apps, self.sshd = list(self.clients), []
            return
        below = descendants(server.process.pid)
        self.sshd = [pid for pid in below if command_name(pid) == "sshd"]
        self.apps = [pid for pid in below if command_name(pid) not in ("sshd", "sh", "bash")]

    def cpu(self) -> tuple[float, float, float]:
        """(apps, sshd, ssh clients) CPU seconds so far."""
        apps = sum(cpu_seconds(pid) for pid in self.apps)
        if self.server is None:
            return apps, 0.0, 0.0
        sshd = sum(cpu_seconds(pid) for pid in self.sshd)
        return apps, sshd, sum(cpu_seconds(pid) for pid in self.clients)

    def wire(self) -> int:
        return sum(bytes_written(pid) for pid in self.sshd)


def harness_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(sessions: int, seconds: float, server: private.Sshd | None, args: Sequence[str]) -> Result:
    began = time.perf_counter()
    argv = server.typed("ssh -t student@host") if server is not None else None
    students = start_all([argv] * sessions, args)
    started = time.perf_counter() - began
    processes = Processes(server, students)
    if len(processes.apps) != sessions:
        raise RuntimeError(f"found {len(processes.apps)} app processes for {sessions} sessions")
    cpu_before, wire_before, harness_before = processes.cpu(), processes.wire(), harness_cpu()
    busy_before = machine_busy()
    stepped = step_all(students, seconds)
    cpu_after, wire_after, harness_after = processes.cpu(), processes.wire(), harness_cpu()
    busy_after = machine_busy()
    mouse = sweep_pointer(students[0].app) if sessions == 1 else None
    memory = [memory_mib(pid) for pid in processes.apps]
    sshd_pss = [memory_mib(pid)[1] for pid in processes.sshd]
    for student in students:
        student.app.quit()
    presses = sum(len(s.step_bytes) for s in students)
    return Result(
        sessions=sessions,
        started_s=started,
        stepped_s=stepped,
        latencies_ms=[ms for s in students for ms in s.latencies_ms],
        step_bytes=[n for s in students for n in s.step_bytes],
        presses=presses,
        missed=sum(s.missed for s in students),
        ended=sum(s.gone for s in students),
        app_rss=[rss for rss, _ in memory],
        app_pss=[pss for _, pss in memory],
        app_cpu_s=cpu_after[0] - cpu_before[0],
        sshd_pss=sshd_pss,
        sshd_cpu_s=cpu_after[1] - cpu_before[1],
        client_cpu_s=cpu_after[2] - cpu_before[2],
        wire_bytes=wire_after - wire_before,
        harness_cpu_s=harness_after - harness_before,
        mouse=mouse,
        machine_busy=(busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1),
    )


# ------------------------------------------------------------------ table
def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def rows(result: Result, ssh: bool) -> list[tuple[str, str]]:
    n = result.sessions
    app_cpu = 100 * result.app_cpu_s / result.stepped_s
    cores = os.cpu_count() or 1
    lat = result.latencies_ms
    out = [
        ("sessions", f"{n}"),
        ("all started and settled", f"{result.started_s:.1f} s"),
        ("keys pressed (over s)", f"{result.presses} ({result.stepped_s:.0f} s)"),
        ("key → frame p50", f"{percentile(lat, 50):.1f} ms"),
        ("key → frame p95", f"{percentile(lat, 95):.1f} ms"),
        ("key → frame p99", f"{percentile(lat, 99):.1f} ms"),
        ("key → frame worst", f"{max(lat, default=float('nan')):.1f} ms"),
        ("steps missed / sessions ended", f"{result.missed} / {result.ended}"),
        ("bytes per step, median", f"{statistics.median(result.step_bytes):,.0f}"),
        ("bytes per step, p95", f"{percentile(result.step_bytes, 95):,.0f}"),
        (
            "app RSS per session, mean (max)",
            f"{statistics.mean(result.app_rss):.1f} ({max(result.app_rss):.1f}) MiB",
        ),
        (
            "app PSS per session, mean (max)",
            f"{statistics.mean(result.app_pss):.1f} ({max(result.app_pss):.1f}) MiB",
        ),
        (
            "apps' CPU, % of one core",
            f"{app_cpu:.1f} % ({app_cpu / n:.1f} % each)",
        ),
    ]
    if ssh:
        wire = result.wire_bytes / max(result.presses, 1)
        out += [
            ("sshd bytes to the socket per step", f"{wire:,.0f}"),
            ("sshd PSS per session (2 processes)", f"{sum(result.sshd_pss) / n:.1f} MiB"),
            ("sshd CPU, % of one core", f"{100 * result.sshd_cpu_s / result.stepped_s:.1f} %"),
            (
                "ssh clients' CPU, % of one core",
                f"{100 * result.client_cpu_s / result.stepped_s:.1f} %",
            ),
        ]
    mouse = "-" if result.mouse is None else f"{result.mouse[0]:,} up, {result.mouse[1]:,} back"
    out += [
        ("pointer across the screen (80 moves)", mouse),
        ("harness CPU, % of one core", f"{100 * result.harness_cpu_s / result.stepped_s:.1f} %"),
        ("machine busy (every process)", f"{100 * result.machine_busy:.0f} % of {cores} cores"),
    ]
    return out


def render(reference: Result, result: Result, ssh: bool) -> str:
    left, right = rows(reference, ssh), rows(result, ssh)
    p95 = percentile(result.latencies_ms, 95)
    rss = max(result.app_rss)
    pss = max(result.app_pss)
    goals = {
        "key → frame p95": (f"≤ {LATENCY_GOAL_MS:.0f} ms", p95 <= LATENCY_GOAL_MS),
        "app RSS per session, mean (max)": (f"≤ {MEMORY_GOAL_MIB:.0f} MiB", rss <= MEMORY_GOAL_MIB),
        "app PSS per session, mean (max)": (f"≤ {MEMORY_GOAL_MIB:.0f} MiB", pss <= MEMORY_GOAL_MIB),
    }
    header = ("measure", "1 session (reference)", f"{result.sessions} sessions", "goal", "ok")
    table = []
    for (name, ref), (_, value) in zip(left, right, strict=True):
        goal, ok = goals.get(name, ("-", None))
        table.append((name, ref, value, goal, "-" if ok is None else "pass" if ok else "FAIL"))
    widths = [max(len(row[k]) for row in [header, *table]) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS, metavar="N")
    parser.add_argument("--seconds", type=float, default=SECONDS, metavar="S")
    parser.add_argument("--ssh", action="store_true", help="log in through a private sshd")
    parser.add_argument("--slow", action="store_true", help="the slow link's --no-mouse --color 16")
    parser.add_argument(
        "--app", metavar="ARGS", help="the app's arguments instead (not with --ssh)"
    )
    options = parser.parse_args(argv)
    if options.sessions < 1 or options.seconds <= 0:
        parser.error("--sessions and --seconds must be positive")
    if options.app is not None and (options.ssh or options.slow):
        parser.error("--app runs the app directly: not with --ssh or --slow")
    args = SLOW_ARGS if options.slow else APP_ARGS
    if options.app is not None:
        args = tuple(shlex.split(options.app))
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lstm-tui-sessions-") as tmp:
        server = None
        if options.ssh:
            if (why := private.unavailable()) is not None:
                print(f"sessions.py: --ssh: {why}", file=sys.stderr)
                return 2
            force = private.slow_link_force_command() if options.slow else None
            server = private.start_sshd(Path(tmp), force_command=force)
        try:
            reference = run(1, max(options.seconds / 3, REFERENCE_SECONDS), server, args)
            result = run(options.sessions, options.seconds, server, args)
        finally:
            if server is not None:
                server.stop()
    how = "through sshd (ssh -t student@host)" if options.ssh else "each in its own pseudo-terminal"
    print(f"lstm-tui {' '.join(args)}, {SIZE[0]}x{SIZE[1]}, TERM=xterm-256color, {how}")
    print(
        f"commit {code_version()}; load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"after {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} cores"
    )
    print(render(reference, result, options.ssh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
