"""How fast the screen answers, measured through a real pseudo-terminal.

Run by hand: ``python benchmarks/ui.py`` (about a minute). It starts the real
app, ``python -m lstm_tui english --hidden 64 --seed 0`` -- the ``random``
preset's cell (PyTorch's initialisation, seed 0, on the preset's ``english``
sample) at H=64, which the preset itself does not offer (it would also open
the timeline on h, not c) -- on the slave side of a pseudo-terminal sized with
TIOCSWINSZ (and COLUMNS/LINES), and plays the terminal on the master side
(see ``ui_terminal.py``). It prints one table of figures next to the goals of
issue 4, with the commit measured and the machine's load average: timings
taken on a busy machine are slower than the app. ``--dump DIR`` keeps the raw
bytes and the emulated screen of start-up and of the first and last step, to
check the figures by eye.

How frames are seen. Textual asks the terminal whether it supports
synchronized output (``ESC [ ? 2026 $ p``); the benchmark answers yes, as most
current terminals do, so Textual brackets every screen update with
``ESC [ ? 2026 h`` ... ``ESC [ ? 2026 l``. A frame is done when the read holding
its closing marker returns. A small VT emulator applies every frame, so the
step number shown in the header (``t = N / M``) is read off the screen, as a
user would read it.

- key press to the next frame: the escape sequence for ``right`` is written
  to the terminal; the time from that write to the end of the first frame
  after it, median and 95th percentile over 100 presses. Each press waits for
  the step's output to stop (30 ms without a byte, not counted), then a random
  0-17 ms, so presses do not lock onto Textual's 60 Hz update timer. The last
  frame of a step is reported too (a step may take more than one frame).
- bytes per step: every byte the app wrote between one ``right`` and the
  silence after it (frame markers and cursor moves included), median and 95th
  percentile over the same presses, at 80x24 and 120x40, with truecolor
  (``TERM=xterm-256color COLORTERM=truecolor``) and 256 colours (no COLORTERM).
- autoplay: ``+`` pressed until the header shows the top speed, then ``space``
  on a longer copy of the sample (four times ``english``, same vocabulary, so
  the same cell) for 5 s; then again at 30 steps/s for 3 s. Steps shown per
  second counts the frames that change the header's step; steps advanced per
  second is how far ``t`` moved over the same time, which falls short of the
  set speed when the app falls behind; the longest wait is the longest time
  between two frames that changed the step.
- start-up: from just before ``fork`` (so interpreter start and imports are
  in) to the end of the first frame after which the screen is what it is once
  the app has settled (no output for 0.3 s): every panel and the footer drawn.
  Median of 5 starts; ``python -c "import textual, numpy"`` timed the same way
  (median of 3) for reference.
- idle CPU: paused, 1 s after the last key, the CPU time of all the app's
  threads (``/proc/PID/task/*/schedstat``, nanoseconds) over 5 s of wall time,
  as a percentage of one core; bytes written meanwhile are reported too.
- memory: peak and current resident set size (VmHWM, VmRSS in
  ``/proc/PID/status``) after the 100 steps and the idle time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from ui_terminal import ROOT, PtyApp, Screen

# Run from a checkout without installing: the package sits next to this folder.
sys.path.insert(0, str(ROOT))

from lstm_tui.engine.presets import RANDOM_SEED, get_preset
from lstm_tui.session import resolve_sequence_path

HIDDEN = 64
SAMPLE = get_preset("random").sample
APP_ARGS = ("--hidden", str(HIDDEN), "--seed", str(RANDOM_SEED))

PRESSES = 100
QUIET = 0.03  # silence that ends a step's output
SETTLE = 0.3  # silence that ends start-up
TIMER_PERIOD = 1 / 60  # Textual's screen update timer (TEXTUAL_FPS=60)
PLAY_SECONDS = 5.0
PLAY_GOAL_SECONDS = 3.0
IDLE_SECONDS = 5.0
STARTS = 5

KEY_GOAL_MS = 16.0
PLAY_GOAL = 30.0
START_GOAL_S = 0.8
BYTES_GOAL = 5000
IDLE_CPU_GOAL = 0.5
MEMORY_GOAL_MIB = 80.0

TERMINALS: tuple[tuple[str, tuple[int, int], str | None], ...] = (
    ("80x24 truecolor", (80, 24), "truecolor"),
    ("80x24 256 colours", (80, 24), None),
    ("120x40 truecolor", (120, 40), "truecolor"),
    ("120x40 256 colours", (120, 40), None),
)

_HEADER_STEP = re.compile(r"\bt = (\d+) / (\d+)")
_HEADER_SPEED = re.compile(r"(\d+(?:\.\d+)?)/s\b")


def header_step(screen: Screen) -> int | None:
    """The step ``t`` the header shows, or None when it shows none."""
    found = _HEADER_STEP.search(screen.line(0))
    return int(found.group(1)) if found else None


def header_speed(screen: Screen) -> float | None:
    found = _HEADER_SPEED.search(screen.line(0))
    return float(found.group(1)) if found else None


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


# ------------------------------------------------------------------ table
@dataclass
class Row:
    measure: str
    value: str
    goal: str
    ok: bool | None  # None: for reference, no goal


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, measure: str, value: str, goal: str = "-", ok: bool | None = None) -> None:
        self.rows.append(Row(measure, value, goal, ok))

    def render(self) -> str:
        header = ("measure", "value", "goal", "pass/fail")
        cells = [
            (r.measure, r.value, r.goal, "-" if r.ok is None else "pass" if r.ok else "FAIL")
            for r in self.rows
        ]
        widths = [max(len(c[k]) for c in [header, *cells]) for k in range(4)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        return "\n".join(lines + self.notes)


# ------------------------------------------------------------------ runs
def start(
    size: tuple[int, int],
    colorterm: str | None,
    sequence: str = SAMPLE,
    inspect: Callable[[Screen], object] = header_step,
) -> PtyApp:
    """The app, started and settled."""
    app = PtyApp([sequence, *APP_ARGS], size=size, colorterm=colorterm, inspect=inspect)
    app.read_until_quiet(SETTLE, limit=30.0)
    return app


def time_import(runs: int = 3) -> float:
    """Median wall time of ``python -c "import textual, numpy"``, in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import textual, numpy"], check=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


@dataclass
class StartUp:
    first_frame: float
    full_frame: float
    settled: float
    bytes: int


def time_start_up(dump: Path | None) -> StartUp:
    runs = []
    for run in range(STARTS):
        app = PtyApp([SAMPLE, *APP_ARGS], size=(80, 24), colorterm="truecolor", inspect=Screen.text)
        settled = app.read_until_quiet(SETTLE, limit=30.0)
        final = app.screen.text()
        full = next(f for f in app.frames if f.seen == final)
        runs.append(
            StartUp(
                app.frames[0].end - app.started,
                full.end - app.started,
                settled - app.started,
                app.bytes_read,
            )
        )
        if dump is not None and run == 0:
            (dump / "start-up-80x24-truecolor.bin").write_bytes(bytes(app.raw))
            (dump / "start-up-80x24-truecolor.txt").write_text(final + "\n")
        app.quit()
    return StartUp(
        statistics.median(r.first_frame for r in runs),
        statistics.median(r.full_frame for r in runs),
        statistics.median(r.settled for r in runs),
        int(statistics.median(r.bytes for r in runs)),
    )


@dataclass
class Steps:
    first_ms: list[float] = field(default_factory=list)
    last_ms: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    wrong: int = 0  # presses after which the header did not show the next step


def press_right(app: PtyApp, presses: int, rng: random.Random, dump: Path | None) -> Steps:
    steps = Steps()
    for k in range(presses):
        app.read_for(rng.uniform(0, TIMER_PERIOD))
        shown = header_step(app.screen)
        before, raw_before = app.bytes_read, len(app.raw)
        pressed = app.press("right")
        app.read_until_quiet(QUIET)
        frames = list(app.frames_since(pressed))
        steps.first_ms.append((frames[0].end - pressed) * 1000)
        steps.last_ms.append((frames[-1].end - pressed) * 1000)
        steps.frames.append(len(frames))
        steps.bytes.append(app.bytes_read - before)
        if shown is None or header_step(app.screen) != shown + 1:
            steps.wrong += 1
        if dump is not None and k in (0, presses - 1):
            (dump / f"step-{k + 1}.bin").write_bytes(bytes(app.raw[raw_before:]))
            (dump / f"step-{k + 1}.txt").write_text(app.screen.text() + "\n")
    return steps


@dataclass
class Idle:
    cpu_percent: float
    bytes: int
    peak_mib: float
    rss_mib: float


def measure_idle(app: PtyApp) -> Idle:
    app.read_for(1.0)
    cpu, written, began = app.cpu_seconds(), app.bytes_read, time.perf_counter()
    app.read_for(IDLE_SECONDS)
    cpu_percent = (app.cpu_seconds() - cpu) / (time.perf_counter() - began) * 100
    return Idle(cpu_percent, app.bytes_read - written, *app.memory_mib())


@dataclass
class Autoplay:
    speed: float
    shown_per_s: float
    advanced_per_s: float
    longest_gap_ms: float


def measure_autoplay(sequence: Path, speed: float | None, seconds: float) -> Autoplay:
    """Play for ``seconds`` at ``speed`` steps per second (None: the top speed)."""
    app = start((80, 24), "truecolor", str(sequence))
    shown = header_speed(app.screen)
    for _ in range(12):  # more presses than there are speeds
        if speed is not None and shown is not None and shown >= speed:
            break
        app.press("plus")
        app.read_for(0.05)
        now = header_speed(app.screen)
        if now == shown:
            break
        shown = now
    app.read_for(2.0)  # the speed notifications time out
    pressed = app.press("space")
    app.read_for(seconds)
    app.press("space")
    app.read_until_quiet(QUIET)
    changes: list[tuple[float, int]] = []
    for frame in app.frames_since(pressed):
        step = frame.seen
        if isinstance(step, int) and (not changes or step != changes[-1][1]):
            changes.append((frame.end, step))
    app.quit()
    span = changes[-1][0] - changes[0][0]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(changes)]
    return Autoplay(
        shown or 0.0,
        (len(changes) - 1) / span,
        (changes[-1][1] - changes[0][1]) / span,
        max(gaps) * 1000,
    )


def code_version() -> str:
    """The commit measured, marked ``+changes`` when the package differs from it."""
    git = ["git", "-C", str(ROOT)]
    try:
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [*git, "status", "--porcelain", "--", "lstm_tui"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"{commit}{' +changes' if changed else ''}"


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=PRESSES, help="right presses per terminal")
    parser.add_argument(
        "--dump", type=Path, help="write the raw bytes and screens of start-up and steps here"
    )
    args = parser.parse_args(argv)
    if args.dump is not None:
        args.dump.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    began = time.perf_counter()
    load_before = os.getloadavg()[0]  # timings mean little on a busy machine
    table = Table()

    steps: dict[str, Steps] = {}
    idle: Idle | None = None
    for name, size, colorterm in TERMINALS:
        app = start(size, colorterm)
        dump = args.dump / name.replace(" ", "-") if args.dump else None
        if dump is not None:
            dump.mkdir(exist_ok=True)
        steps[name] = press_right(app, args.presses, rng, dump)
        if idle is None:
            idle = measure_idle(app)
        app.quit()

    for name in ("80x24 truecolor", "120x40 truecolor"):
        run = steps[name]
        first = statistics.median(run.first_ms)
        table.add(
            f"key -> next frame, {name}",
            f"median {first:.1f} ms, p95 {p95(run.first_ms):.1f}",
            f"median <= {KEY_GOAL_MS:g} ms",
            first <= KEY_GOAL_MS,
        )
        table.add(
            f"key -> step's last frame, {name}",
            f"median {statistics.median(run.last_ms):.1f} ms, p95 {p95(run.last_ms):.1f}"
            f" ({max(run.frames)} frame(s) max)",
        )

    with tempfile.TemporaryDirectory() as folder:
        text = resolve_sequence_path(SAMPLE)[0].read_text(encoding="utf-8")
        longer = Path(folder) / f"{SAMPLE}-x4.txt"
        longer.write_text(text * 4, encoding="utf-8")
        top = measure_autoplay(longer, None, PLAY_SECONDS)
        held = measure_autoplay(longer, PLAY_GOAL, PLAY_GOAL_SECONDS)
    table.add(
        f"autoplay at top speed {top.speed:g}/s: steps shown per s",
        f"{top.shown_per_s:.1f} (longest wait {top.longest_gap_ms:.0f} ms)",
        f">= {PLAY_GOAL:g}",
        top.shown_per_s >= PLAY_GOAL,
    )
    table.add(
        f"autoplay at {top.speed:g}/s: steps advanced per s",
        f"{top.advanced_per_s:.1f} ({top.advanced_per_s / top.speed:.0%} of set)",
        ">= 95% of set (keeps up)",
        top.advanced_per_s >= 0.95 * top.speed,
    )
    keeps_up = 0.95 * held.speed
    table.add(
        f"autoplay at {held.speed:g}/s: steps shown / advanced per s",
        f"{held.shown_per_s:.1f} / {held.advanced_per_s:.1f}",
        f">= {keeps_up:g} both (95%)",
        min(held.shown_per_s, held.advanced_per_s) >= keeps_up,
    )
    table.add(
        f"autoplay at {held.speed:g}/s: longest wait between steps",
        f"{held.longest_gap_ms:.1f} ms ({held.speed * held.longest_gap_ms / 1000:.1f} steps)",
    )

    up = time_start_up(args.dump)
    table.add(
        "start-up to first full frame (80x24)",
        f"{up.full_frame:.3f} s",
        f"<= {START_GOAL_S:g} s",
        up.full_frame <= START_GOAL_S,
    )
    table.add(
        "start-up: first frame / settled",
        f"{up.first_frame:.3f} s / {up.settled:.3f} s",
    )
    table.add("start-up: bytes until settled", f"{up.bytes:,} B")
    table.add('python -c "import textual, numpy"', f"{time_import():.3f} s", "reference")

    for name, _, _ in TERMINALS:
        run = steps[name]
        median = statistics.median(run.bytes)
        table.add(
            f"bytes per step, {name}",
            f"median {median:,.0f} B, p95 {p95(run.bytes):,.0f}",
            f"median <= {BYTES_GOAL:,} B",
            median <= BYTES_GOAL,
        )

    assert idle is not None
    table.add(
        "idle CPU, paused (% of one core)",
        f"{idle.cpu_percent:.2f}%",
        f"< {IDLE_CPU_GOAL:g}%",
        idle.cpu_percent < IDLE_CPU_GOAL,
    )
    table.add(f"bytes written while idle {IDLE_SECONDS:g} s", f"{idle.bytes:,} B")
    table.add(
        "memory: peak RSS / current RSS",
        f"{idle.peak_mib:.1f} / {idle.rss_mib:.1f} MiB",
        f"< {MEMORY_GOAL_MIB:g} MiB",
        idle.peak_mib < MEMORY_GOAL_MIB,
    )

    wrong = sum(run.wrong for run in steps.values())
    table.notes.append(
        f"\nH={HIDDEN}, seed {RANDOM_SEED}, sample {SAMPLE!r}; {args.presses} presses of right "
        f"per terminal; {time.perf_counter() - began:.0f} s in all; code {code_version()}; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"on {os.cpu_count()} CPUs."
    )
    if wrong:
        table.notes.append(f"WARNING: {wrong} presses did not show the next step in the header.")
    print(table.render())
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
