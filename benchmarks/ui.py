"""How fast the screen answers, measured through a real pseudo-terminal.

Run by hand: ``python benchmarks/ui.py`` (three to four minutes; ``--only
SECTION,...`` runs a part, see ``--help``). It starts the real app on the
slave side of a pseudo-terminal sized with TIOCSWINSZ (and COLUMNS/LINES),
and plays the terminal on the master side (see ``ui_terminal.py``). The apps
measured:

- ``python -m lstm_tui english --hidden 64 --seed 0`` -- the ``random``
  preset's cell (PyTorch's initialisation, seed 0, on the preset's
  ``english`` sample) at H=64, which the preset itself does not offer (it
  would also open the timeline on h, not c);
- ``python -m lstm_tui`` with no arguments: the default, the ``counter``
  preset on ``brackets`` (673 steps);
- ``python -m lstm_tui FILE --hidden 64 --seed 0`` on a 100,000-character
  file, ``english`` repeated, made in a temporary folder: 100,000 steps;
- the floor, ``python benchmarks/floor_app.py``: a bare Textual app whose one
  full-screen ``Static`` is rebuilt on every ``right``, every cell changed.
  It is measured in the same run and the same kind of pseudo-terminal, and
  timings of lstm-tui are given as ratios to it, so a slow machine slows both.

It prints one table (measure, value, reference, ratio, goal, ok) with the
commit measured and the machine's load average: timings taken on a busy
machine are slower than the app. ``--dump DIR`` keeps the raw bytes and the
emulated screen of start-up and of the first and last step, to check the
figures by eye.

How frames are seen. Textual asks the terminal whether it supports
synchronized output (``ESC [ ? 2026 $ p``); the benchmark answers yes, as most
current terminals do, so Textual brackets every screen update with
``ESC [ ? 2026 h`` ... ``ESC [ ? 2026 l``. A frame is done when the read holding
its closing marker returns. A small VT emulator applies every frame, so the
step number shown in the header (``t = N / M``) is read off the screen, as a
user would read it.

- key press to the next frame (``keys``, ``default``, ``long``, and the
  floor): the escape sequence for ``right`` is written to the terminal; the
  time from that write to the end of the first frame after it, median and
  95th percentile over 100 presses. Each press waits for the step's output to
  stop (30 ms without a byte, not counted), then a random 0-17 ms, so presses
  do not lock onto Textual's 60 Hz update timer. The last frame of a step is
  reported too (a step may take more than one frame). ``keys`` is the H=64
  ``english`` run; ``default`` and ``long`` are held to 1.2 times the floor at
  80x24 and at 120x40.
- bytes per step (``keys``): every byte the app wrote between one ``right``
  and the silence after it (frame markers and cursor moves included), median
  and 95th percentile over the same presses, at 80x24 and 120x40, with
  truecolor (``TERM=xterm-256color COLORTERM=truecolor``) and 256 colours (no
  COLORTERM).
- edits (``edits``, 80x24, on the default preset and the 100,000-step file):
  the time from a key's write to the end of the first frame that shows the
  key's effect as it stands once the output has stopped (150 ms without a
  byte). ``+``: with the weight editor open (``w``) on the last weight of the
  row (``end``, a bias, which every step reads), so the editor's grid, its
  detail line and its live line change; what is watched is every line but the
  header and the footer. ``1``: the input gate's next activation, and
  ``ctrl+z``: undo one of those; what is watched is the header, which names
  each gate's activation, and the legend line (``i f o ...``), not the toast
  that says what changed. 25 presses of each, with the same random wait as
  above; held to 1.5 times the floor at 80x24.
- burst (``burst``, 160x50, default preset and H=64 ``english``): 300
  ``right`` written in one write, from t = 0 (both samples are longer, so the
  step to reach is t = 300). Measured: from the last byte written to the end
  of the last frame before the output stops (0.3 s without a byte), which
  must show t = 300 -- the time the screen kept changing after the keys --
  and to the first frame that shows t = 300; the frames painted from the
  write to the stop. Three bursts, each after ``home``, median; held to
  settling on t = 300 within 100 ms of the last byte.
- autoplay (``autoplay``): ``+`` pressed until the header shows the top
  speed, then ``space`` on a longer copy of the sample (four times
  ``english``, same vocabulary, so the same cell) for 5 s; then again at 30
  steps/s for 3 s. Steps shown per second counts the frames that change the
  header's step; steps advanced per second is how far ``t`` moved over the
  same time, which falls short of the set speed when the app falls behind;
  the longest wait is the longest time between two frames that changed the
  step.
- start-up (``startup``): from just before ``fork`` (so interpreter start and
  imports are in) to the end of the first frame after which the screen is
  what it is once the app has settled (no output for 0.3 s): every panel and
  the footer drawn. Median of 5 starts of the H=64 ``english`` run; held to
  1.5 times ``python -c "import textual, numpy"`` timed the same way in the
  same run (median of 5). The floor app's start-up is timed the same way
  (median of 5) and given as a ratio to the same imports: what a bare
  Textual app costs bounds what lstm-tui can reach. The three are timed in
  turn, one of each per round, so a change of load weighs on all alike.
  The package's bytecode is compiled first (``compileall``), as installing
  it does: Textual and NumPy are timed from theirs, and with
  ``PYTHONDONTWRITEBYTECODE`` set (as on some development machines) lstm-tui
  would otherwise be compiled from source on every start.
- idle CPU (``keys``): paused, 1 s after the last key, the CPU time of all the
  app's threads (``/proc/PID/task/*/schedstat``, nanoseconds) over 5 s of wall
  time, as a percentage of one core; bytes written meanwhile are reported
  too.
- memory (``keys``): peak and current resident set size (VmHWM, VmRSS in
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from ui_terminal import KEYS, ROOT, PtyApp, Screen

# Run from a checkout without installing: the package sits next to this folder.
sys.path.insert(0, str(ROOT))

from lstm_tui.engine.presets import RANDOM_SEED, get_preset
from lstm_tui.session import resolve_sequence_path

HIDDEN = 64
SAMPLE = get_preset("random").sample
APP_ARGS = ("--hidden", str(HIDDEN), "--seed", str(RANDOM_SEED))
LONG_STEPS = 100_000
FLOOR_PROGRAM = (str(Path(__file__).resolve().parent / "floor_app.py"),)

PRESSES = 100
QUIET = 0.03  # silence that ends a step's output
SETTLE = 0.3  # silence that ends start-up, a burst, opening the editor
TIMER_PERIOD = 1 / 60  # Textual's screen update timer (TEXTUAL_FPS=60)
PLAY_SECONDS = 5.0
PLAY_GOAL_SECONDS = 3.0
IDLE_SECONDS = 5.0
STARTS = 5
EDIT_PRESSES = 25
EDIT_QUIET = 0.15  # silence that ends an edit's output
EDIT_SIZE = (80, 24)
BURST_PRESSES = 300
BURST_SIZE = (160, 50)
BURSTS = 3
BURST_LIMIT = 30.0  # seconds after the write to give up waiting for the last step

KEY_GOAL_MS = 16.0
KEY_FLOOR_GOAL = 1.2  # times the floor
EDIT_FLOOR_GOAL = 1.5
BURST_GOAL_MS = 100.0
START_IMPORT_GOAL = 1.5  # times ``import textual, numpy``
PLAY_GOAL = 30.0
BYTES_GOAL = 5000
IDLE_CPU_GOAL = 0.5
MEMORY_GOAL_MIB = 80.0

TERMINALS: tuple[tuple[str, tuple[int, int], str | None], ...] = (
    ("80x24 truecolor", (80, 24), "truecolor"),
    ("80x24 256 colours", (80, 24), None),
    ("120x40 truecolor", (120, 40), "truecolor"),
    ("120x40 256 colours", (120, 40), None),
)
FLOOR_SIZES: tuple[tuple[int, int], ...] = ((80, 24), (120, 40))

SECTIONS = ("keys", "default", "long", "edits", "burst", "autoplay", "startup")
NEEDS_FLOOR = {"keys", "default", "long", "edits"}

_HEADER_STEP = re.compile(r"\bt = (\d+) / (\d+)")
_HEADER_SPEED = re.compile(r"(\d+(?:\.\d+)?)/s\b")


def header_step(screen: Screen) -> int | None:
    """The step ``t`` the header shows, or None when it shows none."""
    found = _HEADER_STEP.search(screen.line(0))
    return int(found.group(1)) if found else None


def header_steps(screen: Screen) -> int | None:
    """How many steps the header says the sequence has (``M`` of ``t = N / M``)."""
    found = _HEADER_STEP.search(screen.line(0))
    return int(found.group(2)) if found else None


def header_speed(screen: Screen) -> float | None:
    found = _HEADER_SPEED.search(screen.line(0))
    return float(found.group(1)) if found else None


def editor_lines(screen: Screen) -> str:
    """Every line but the header and the footer: the weight editor, when it is open."""
    return "\n".join(screen.line(y) for y in range(1, screen.rows - 1))


def header_and_legend(screen: Screen) -> str:
    """The header (it names each gate's activation) and the legend line of the scales."""
    lines = (screen.line(y) for y in range(1, screen.rows))
    legend = next((line for line in lines if line.startswith(" i f o ")), "")
    return f"{screen.line(0)}\n{legend}"


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def timing(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} ms, p95 {p95(values):.1f}"


def size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


# ------------------------------------------------------------------ table
@dataclass
class Row:
    measure: str
    value: str
    reference: str
    ratio: str
    goal: str
    ok: bool | None  # None: for reference, no goal


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        measure: str,
        value: str,
        goal: str = "-",
        ok: bool | None = None,
        *,
        reference: str = "-",
        ratio: str = "-",
    ) -> None:
        self.rows.append(Row(measure, value, reference, ratio, goal, ok))

    def render(self) -> str:
        header = ("measure", "value", "reference", "ratio", "goal", "ok")
        cells = [
            (
                r.measure,
                r.value,
                r.reference,
                r.ratio,
                r.goal,
                "-" if r.ok is None else "pass" if r.ok else "FAIL",
            )
            for r in self.rows
        ]
        widths = [max(len(c[k]) for c in [header, *cells]) for k in range(len(header))]
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
    args: Sequence[str],
    inspect: Callable[[Screen], object] | None = header_step,
    program: Sequence[str] = ("-m", "lstm_tui"),
) -> PtyApp:
    """The app, started and settled."""
    app = PtyApp(args, size=size, colorterm=colorterm, inspect=inspect, program=program)
    app.read_until_quiet(SETTLE, limit=60.0)
    return app


def time_import() -> float:
    """Wall time of ``python -c "import textual, numpy"``, in seconds."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual, numpy"], check=True)
    return time.perf_counter() - began


@dataclass
class StartUp:
    first_frame: float
    full_frame: float
    settled: float
    bytes: int


def start_once(args: Sequence[str], program: Sequence[str]) -> tuple[StartUp, PtyApp]:
    """One start at 80x24 truecolor, to the settled screen."""
    app = PtyApp(args, size=(80, 24), colorterm="truecolor", inspect=Screen.text, program=program)
    settled = app.read_until_quiet(SETTLE, limit=30.0)
    final = app.screen.text()
    full = next(f for f in app.frames if f.seen == final)
    up = StartUp(
        app.frames[0].end - app.started,
        full.end - app.started,
        settled - app.started,
        app.bytes_read,
    )
    return up, app


def median_start(runs: list[StartUp]) -> StartUp:
    return StartUp(
        statistics.median(r.first_frame for r in runs),
        statistics.median(r.full_frame for r in runs),
        statistics.median(r.settled for r in runs),
        int(statistics.median(r.bytes for r in runs)),
    )


def time_start_ups(dump: Path | None) -> tuple[StartUp, float, StartUp]:
    """lstm-tui's start-up, the imports and the floor app's start-up, medians of STARTS each.

    The three are timed in turn, round after round, so a machine whose load
    changes meanwhile weighs on all three alike.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lstm_tui")], check=True)
    ours: list[StartUp] = []
    imports: list[float] = []
    floors: list[StartUp] = []
    for run in range(STARTS):
        up, app = start_once([SAMPLE, *APP_ARGS], ("-m", "lstm_tui"))
        ours.append(up)
        if dump is not None and run == 0:
            (dump / "start-up-80x24-truecolor.bin").write_bytes(bytes(app.raw))
            (dump / "start-up-80x24-truecolor.txt").write_text(app.screen.text() + "\n")
        app.quit()
        imports.append(time_import())
        up, app = start_once((), FLOOR_PROGRAM)
        floors.append(up)
        app.quit()
    return median_start(ours), statistics.median(imports), median_start(floors)


@dataclass
class Steps:
    first_ms: list[float] = field(default_factory=list)
    last_ms: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    wrong: int = 0  # presses after which the header did not show the next step


def press_right(app: PtyApp, presses: int, rng: random.Random, dump: Path | None = None) -> Steps:
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


def measure_steps(
    args: Sequence[str],
    size: tuple[int, int],
    presses: int,
    rng: random.Random,
    program: Sequence[str] = ("-m", "lstm_tui"),
) -> Steps:
    """``right`` pressed ``presses`` times on a fresh app at ``size``, truecolor."""
    app = start(size, "truecolor", args, program=program)
    try:
        return press_right(app, presses, rng)
    finally:
        app.quit()


@dataclass
class Edits:
    effect_ms: list[float] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    unchanged: int = 0  # presses after which what is watched looked as before


def time_edits(
    app: PtyApp, key: str, presses: int, watch: Callable[[Screen], str], rng: random.Random
) -> Edits:
    """``key`` pressed ``presses`` times: to the first frame where ``watch`` reads as settled."""
    app.inspect = watch
    edits = Edits()
    for _ in range(presses):
        app.read_for(rng.uniform(0, TIMER_PERIOD))
        before = watch(app.screen)
        pressed = app.press(key)
        app.read_until_quiet(EDIT_QUIET, limit=30.0)
        after = watch(app.screen)
        frames = list(app.frames_since(pressed))
        edits.frames.append(len(frames))
        if after == before:
            edits.unchanged += 1
            continue
        effect = next(f for f in frames if f.seen == after)
        edits.effect_ms.append((effect.end - pressed) * 1000)
    return edits


EDIT_KEYS: tuple[tuple[str, str], ...] = (
    ("plus", "+ in the weight editor"),
    ("1", "1 (input gate's activation)"),
    ("ctrl+z", "ctrl+z (undo an activation)"),
)


def measure_edits(args: Sequence[str], presses: int, rng: random.Random) -> dict[str, Edits]:
    """``+`` in the weight editor, then ``1`` and ``ctrl+z`` on the main screen, at 80x24."""
    app = start(EDIT_SIZE, "truecolor", args, inspect=None)
    try:
        app.press("w")
        app.read_until_quiet(SETTLE, limit=30.0)
        app.press("end")  # the row's last weight, a bias: every step reads it
        app.read_until_quiet(SETTLE, limit=30.0)
        if not any("weights of unit" in app.screen.line(y) for y in range(3)):
            raise RuntimeError(f"w did not open the weight editor:\n{app.screen.text()}")
        times = {"plus": time_edits(app, "plus", presses, editor_lines, rng)}
        app.inspect = None
        app.press("w")
        app.read_until_quiet(SETTLE, limit=30.0)
        if "weights of unit" in app.screen.line(1):
            raise RuntimeError("w did not close the weight editor")
        times["1"] = time_edits(app, "1", presses, header_and_legend, rng)
        times["ctrl+z"] = time_edits(app, "ctrl+z", presses, header_and_legend, rng)
        return times
    finally:
        app.quit()


@dataclass
class Burst:
    settled_ms: float  # last byte written -> the last frame before the silence
    reached_ms: float | None  # last byte written -> the first frame showing the step to reach
    frames: int
    longest_gap_ms: float  # the longest time without a frame, from the write on
    expected: int
    shown: int | None


def measure_bursts(args: Sequence[str], presses: int, runs: int) -> list[Burst]:
    """``presses`` times ``right`` in one write, ``runs`` times, each from t = 0."""
    app = start(BURST_SIZE, "truecolor", args)
    bursts = []
    try:
        for run in range(runs):
            if run:
                app.press("home")
                app.read_until_quiet(SETTLE, limit=30.0)
            first, steps = header_step(app.screen), header_steps(app.screen)
            if first is None or steps is None:
                raise RuntimeError(f"no step in the header:\n{app.screen.text()}")
            expected = min(first + presses, steps)
            began = time.perf_counter()
            written = app.write(KEYS["right"] * presses)
            # The app may fall silent for longer than SETTLE while it works through
            # the keys, so silence ends the burst only once the step to reach shows.
            deadline = written + BURST_LIMIT
            while (left := deadline - time.perf_counter()) > 0:
                app.read_until_quiet(SETTLE, min_frames=0, limit=left + SETTLE)
                if header_step(app.screen) == expected:
                    break
            frames = list(app.frames_since(began))
            reached = next((f for f in frames if f.seen == expected), None)
            ends = [written, *(f.end for f in frames)]
            bursts.append(
                Burst(
                    (ends[-1] - written) * 1000,
                    None if reached is None else (reached.end - written) * 1000,
                    len(frames),
                    max(b - a for a, b in itertools.pairwise(ends)) * 1000,
                    expected,
                    header_step(app.screen),
                )
            )
    finally:
        app.quit()
    return bursts


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
    app = start((80, 24), "truecolor", [str(sequence), *APP_ARGS])
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


# ------------------------------------------------------------------ rows
def pooled(runs: list[Steps]) -> Steps:
    """The presses of several runs as one."""
    steps = Steps()
    for run in runs:
        steps.first_ms += run.first_ms
        steps.last_ms += run.last_ms
        steps.frames += run.frames
        steps.bytes += run.bytes
        steps.wrong += run.wrong
    return steps


def floor_rows(table: Table, runs: dict[tuple[int, int], list[Steps]]) -> None:
    for size, measured in runs.items():
        each = " then ".join(f"{statistics.median(run.first_ms):.1f}" for run in measured)
        table.add(
            f"floor: bare Textual app, key -> frame, {size_name(size)}",
            f"{timing(pooled(measured).first_ms)} (medians {each} ms)"
            if len(measured) > 1
            else timing(measured[0].first_ms),
        )


def key_rows(
    table: Table,
    label: str,
    run: Steps,
    floor: Steps | None,
    goal: tuple[str, bool] | None,
) -> None:
    """key -> next frame (as a ratio to the floor) and key -> the step's last frame."""
    first = statistics.median(run.first_ms)
    reference = ratio = last_ratio = "-"
    if floor is not None:
        floor_first = statistics.median(floor.first_ms)
        reference = f"floor {floor_first:.1f} ms, p95 {p95(floor.first_ms):.1f}"
        ratio = f"{first / floor_first:.2f}x, p95 {p95(run.first_ms) / p95(floor.first_ms):.2f}x"
        last_ratio = f"{statistics.median(run.last_ms) / floor_first:.2f}x"
    goal_text, ok = goal if goal is not None else ("-", None)
    table.add(
        f"key -> next frame, {label}",
        timing(run.first_ms),
        goal_text,
        ok,
        reference=reference,
        ratio=ratio,
    )
    table.add(
        f"key -> step's last frame, {label}",
        f"{timing(run.last_ms)} ({max(run.frames)} frame(s) max)",
        reference=reference,
        ratio=last_ratio,
    )


def floor_goal(run: Steps, floor: Steps, times: float) -> tuple[str, bool]:
    ratio = statistics.median(run.first_ms) / statistics.median(floor.first_ms)
    return f"median <= {times:g}x floor", ratio <= times


def edit_rows(table: Table, label: str, times: dict[str, Edits], floor: Steps) -> None:
    floor_ms = statistics.median(floor.first_ms)
    for key, what in EDIT_KEYS:
        run = times[key]
        name = f"edit: {what}, {label}, {size_name(EDIT_SIZE)}"
        if not run.effect_ms:
            table.add(name, "no press changed the screen", "-", False)
            continue
        ratio = statistics.median(run.effect_ms) / floor_ms
        unchanged = f"; {run.unchanged} unchanged" if run.unchanged else ""
        table.add(
            name,
            f"{timing(run.effect_ms)} ({max(run.frames)} frame(s) max{unchanged})",
            f"median <= {EDIT_FLOOR_GOAL:g}x floor",
            ratio <= EDIT_FLOOR_GOAL and not run.unchanged,
            reference=f"floor {floor_ms:.1f} ms",
            ratio=f"{ratio:.2f}x",
        )


def burst_rows(table: Table, label: str, bursts: list[Burst]) -> None:
    settled = statistics.median(b.settled_ms for b in bursts)
    reached = [b.reached_ms for b in bursts if b.reached_ms is not None]
    right = all(b.shown == b.expected for b in bursts)
    shown = ", ".join(f"t = {b.shown}" for b in bursts)
    expected = bursts[0].expected
    name = f"burst of {BURST_PRESSES} right, {label}, {size_name(BURST_SIZE)}"
    table.add(
        f"{name}: screen changing after last key",
        f"median {settled:.0f} ms, max {max(b.settled_ms for b in bursts):.0f}"
        f" (settled on {shown})",
        f"<= {BURST_GOAL_MS:g} ms, on t = {expected}",
        settled <= BURST_GOAL_MS and right,
    )
    table.add(
        f"{name}: first frame showing t = {expected}",
        f"median {statistics.median(reached):.0f} ms after last key" if reached else "never shown",
    )
    table.add(
        f"{name}: frames painted",
        f"median {statistics.median(b.frames for b in bursts):.0f}, "
        f"max {max(b.frames for b in bursts)}; longest wait for a frame "
        f"{max(b.longest_gap_ms for b in bursts):.0f} ms",
    )


def autoplay_rows(table: Table, top: Autoplay, held: Autoplay) -> None:
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


def start_up_rows(table: Table, up: StartUp, imports: float, floor: StartUp) -> None:
    table.add(
        f"start-up to first full frame, {SAMPLE} H={HIDDEN}, 80x24",
        f"{up.full_frame:.3f} s",
        f"<= {START_IMPORT_GOAL:g}x imports",
        up.full_frame <= START_IMPORT_GOAL * imports,
        reference=f'python -c "import textual, numpy" {imports:.3f} s',
        ratio=f"{up.full_frame / imports:.2f}x",
    )
    table.add("start-up: first frame / settled", f"{up.first_frame:.3f} s / {up.settled:.3f} s")
    table.add("start-up: bytes until settled", f"{up.bytes:,} B")
    # What Textual itself costs: a bare app's start-up against the same imports.
    table.add(
        "start-up of the floor (bare Textual app) to first full frame, 80x24",
        f"{floor.full_frame:.3f} s",
        reference=f"imports {imports:.3f} s",
        ratio=f"{floor.full_frame / imports:.2f}x",
    )


def english_rows(
    table: Table, steps: dict[str, Steps], idle: Idle, floor: dict[tuple[int, int], Steps]
) -> None:
    """The H=64 ``english`` runs: key -> frame, bytes per step, idle CPU and memory."""
    for name, size in (("80x24 truecolor", (80, 24)), ("120x40 truecolor", (120, 40))):
        run = steps[name]
        first = statistics.median(run.first_ms)
        key_rows(
            table,
            f"{SAMPLE} H={HIDDEN}, {name}",
            run,
            floor.get(size),
            (f"median <= {KEY_GOAL_MS:g} ms", first <= KEY_GOAL_MS),
        )
    for name, _, _ in TERMINALS:
        run = steps[name]
        median = statistics.median(run.bytes)
        table.add(
            f"bytes per step, {SAMPLE} H={HIDDEN}, {name}",
            f"median {median:,.0f} B, p95 {p95(run.bytes):,.0f}",
            f"median <= {BYTES_GOAL:,} B",
            median <= BYTES_GOAL,
        )
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


# ------------------------------------------------------------------ main
def parse_sections(text: str) -> set[str]:
    chosen = {name.strip() for name in text.split(",") if name.strip()}
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}"
        )
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        type=parse_sections,
        default=set(SECTIONS),
        metavar="SECTION,...",
        help=f"run only these parts, of: {', '.join(SECTIONS)} (the floor runs when needed)",
    )
    parser.add_argument("--presses", type=int, default=PRESSES, help="right presses per terminal")
    parser.add_argument(
        "--edits", type=int, default=EDIT_PRESSES, help="presses of each edit key per app"
    )
    parser.add_argument(
        "--dump", type=Path, help="write the raw bytes and screens of start-up and steps here"
    )
    args = parser.parse_args(argv)
    only: set[str] = args.only
    if args.dump is not None:
        args.dump.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    began = time.perf_counter()
    load_before = os.getloadavg()[0]  # timings mean little on a busy machine
    wrong: list[str] = []

    def steps_of(
        label: str,
        app_args: Sequence[str],
        size: tuple[int, int],
        program: Sequence[str] = ("-m", "lstm_tui"),
    ) -> Steps:
        run = measure_steps(app_args, size, args.presses, rng, program)
        if run.wrong:
            wrong.append(f"{run.wrong} presses, {label} {size_name(size)}")
        return run

    # The floor is measured before and after the runs held to it, and the two
    # pooled, so a machine that gets busier meanwhile shows in both sides.
    floor_runs: dict[tuple[int, int], list[Steps]] = {size: [] for size in FLOOR_SIZES}

    def measure_floor() -> None:
        for size in FLOOR_SIZES:
            floor_runs[size].append(steps_of("floor app", [], size, program=FLOOR_PROGRAM))

    with tempfile.TemporaryDirectory() as folder:
        text = resolve_sequence_path(SAMPLE)[0].read_text(encoding="utf-8")
        longer = Path(folder) / f"{SAMPLE}-x4.txt"
        longer.write_text(text * 4, encoding="utf-8")
        long_file = Path(folder) / f"{SAMPLE}-100k.txt"
        long_file.write_text((text * (LONG_STEPS // len(text) + 1))[:LONG_STEPS], encoding="utf-8")
        apps = {
            "default": ("default preset", []),
            "long": (f"{LONG_STEPS:,} steps H={HIDDEN}", [str(long_file), *APP_ARGS]),
        }

        if only & NEEDS_FLOOR:
            measure_floor()

        english: dict[str, Steps] = {}
        idle: Idle | None = None
        if "keys" in only:
            for name, size, colorterm in TERMINALS:
                app = start(size, colorterm, [SAMPLE, *APP_ARGS])
                dump = args.dump / name.replace(" ", "-") if args.dump else None
                if dump is not None:
                    dump.mkdir(exist_ok=True)
                english[name] = press_right(app, args.presses, rng, dump)
                if idle is None:
                    idle = measure_idle(app)
                app.quit()
                if english[name].wrong:
                    wrong.append(f"{english[name].wrong} presses, {SAMPLE} H={HIDDEN} {name}")

        held_to_floor: dict[tuple[str, tuple[int, int]], Steps] = {}
        for section in ("default", "long"):
            if section in only:
                label, app_args = apps[section]
                for size in FLOOR_SIZES:
                    held_to_floor[label, size] = steps_of(label, app_args, size)

        edits: dict[str, dict[str, Edits]] = {}
        if "edits" in only:
            for section in ("default", "long"):
                label, app_args = apps[section]
                edits[label] = measure_edits(app_args, args.edits, rng)

        if only & NEEDS_FLOOR:
            measure_floor()

        bursts: dict[str, list[Burst]] = {}
        if "burst" in only:
            for label, app_args in (apps["default"], (f"{SAMPLE} H={HIDDEN}", [SAMPLE, *APP_ARGS])):
                bursts[label] = measure_bursts(app_args, BURST_PRESSES, BURSTS)

        autoplay: tuple[Autoplay, Autoplay] | None = None
        if "autoplay" in only:
            autoplay = (
                measure_autoplay(longer, None, PLAY_SECONDS),
                measure_autoplay(longer, PLAY_GOAL, PLAY_GOAL_SECONDS),
            )

    start_up: tuple[StartUp, float, StartUp] | None = None
    if "startup" in only:
        start_up = time_start_ups(args.dump)

    table = Table()
    floor = {size: pooled(runs) for size, runs in floor_runs.items() if runs}
    if floor:
        floor_rows(table, floor_runs)
    if idle is not None:
        english_rows(table, english, idle, floor)
    for (label, size), run in held_to_floor.items():
        goal = floor_goal(run, floor[size], KEY_FLOOR_GOAL)
        key_rows(table, f"{label}, {size_name(size)} truecolor", run, floor[size], goal)
    for label, times in edits.items():
        edit_rows(table, label, times, floor[EDIT_SIZE])
    for label, runs in bursts.items():
        burst_rows(table, label, runs)
    if autoplay is not None:
        autoplay_rows(table, *autoplay)
    if start_up is not None:
        start_up_rows(table, *start_up)

    counts = []
    if floor:
        counts.append(f"{args.presses} presses of right per terminal")
    if "edits" in only:
        counts.append(f"{args.edits} of each edit key")
    if "burst" in only:
        counts.append(f"{BURSTS} bursts per app")
    table.notes.append(
        f"\nSections {', '.join(s for s in SECTIONS if s in only)}; H={HIDDEN}, seed "
        f"{RANDOM_SEED}; {', '.join(counts)}; {time.perf_counter() - began:.0f} s in all; "
        f"code {code_version()}; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after on {os.cpu_count()} CPUs."
    )
    for what in wrong:
        table.notes.append(f"WARNING: {what} did not show the next step in the header.")
    print(table.render())
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
