"""What the screen shows right now, derived from the session on every update.

The session (sequence, weights, configuration, trajectory) is the single
source of truth; :class:`View` adds only where the viewer is looking (step,
unit, timeline vector, detail) and what it states about ranges (the cell
state's scale), and reads every number from the trajectory, which computes
whatever is asked of it. After any change to the session :meth:`View.update`
brings everything in line: the cursor and unit inside the new model and
sequence, the range stated again when the model or sequence is another.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from lstm_tui.engine.activations import Activation
from lstm_tui.engine.gradients import gradients
from lstm_tui.engine.presets import get_preset
from lstm_tui.sequences.sequence import Sequence
from lstm_tui.session import Session
from lstm_tui.ui.scales import (
    Scale,
    nice_range,
    nice_ranges,
    output_scale,
    saturated_share,
    scale_for,
)
from lstm_tui.ui.text import short_activation

if TYPE_CHECKING:
    from lstm_tui.lessons import Lesson

# The rows of the cell panel: the four gate/candidate slots, the cell state,
# the cell activation applied to it (what the output gate masks), and h.
GATE_ROWS: tuple[tuple[str, str], ...] = (
    ("i", "input"),
    ("f", "forget"),
    ("g", "candidate"),
    ("o", "output"),
)
ROW_KEYS: tuple[str, ...] = ("i", "f", "g", "o", "c", "a", "h")

# The timeline's last two vectors are not states but derivatives of the
# selected unit's c at the current step T with respect to c at each earlier
# step t. The cell path alone is the product of that unit's forget gates
# f_{t+1}·…·f_T: what the help's "a forget gate at 0.9 keeps 0.9 per step"
# is about. The full gradient (d c_T[unit] / d c_t, by backpropagation
# through time) adds every path through h and W_hh, and reaches the other
# units' c too.
CELL_PATH = "∂c cell path"
GRADIENT = "∂c"
DERIVATIVES: tuple[str, ...] = (CELL_PATH, GRADIENT)
# The order v goes round, and the help lists: a sample starts at c or h.
TIMELINE_VECTORS: tuple[str, ...] = ("c", "h", "i", "f", "g", "o", CELL_PATH, GRADIENT)
VECTOR_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "g": "candidate",
    "o": "output gate",
    "c": "cell state",
    "h": "output h",
    CELL_PATH: "∂c cell path",
    GRADIENT: "∂c full",
}


def opening_focus(session: Session) -> tuple[int, str]:
    """The unit and timeline vector a session opens on: its preset's, else unit 0 and c."""
    if session.preset is None:
        return 0, "c"
    preset = get_preset(session.preset)
    unit = min(preset.focus_unit, session.params.hidden_size - 1)
    return unit, preset.timeline if preset.timeline in TIMELINE_VECTORS else "c"


# Steps looked at ahead to state the cell state's range: enough to cover a
# sample, cheap (a few ms), and fixed once chosen so colours stay comparable.
RANGE_PROBE_STEPS = 2048
# A large model looks at fewer, so its first frame does not wait for
# thousands of steps: at most this many multiply-adds (about 0.1 s of
# NumPy on a small machine), and never fewer than RANGE_PROBE_MIN steps.
RANGE_PROBE_WORK = 2**28
RANGE_PROBE_MIN = 256


def range_probe_steps(
    session: Session, work: int = RANGE_PROBE_WORK, least: int = RANGE_PROBE_MIN
) -> int:
    """How many first steps state the cell state's range: at most ``work`` multiply-adds
    (fewer steps as a step costs more), never fewer than ``least`` nor more than 2048."""
    layers = session.stack.model.layers[: session.layer + 1]
    per_step = sum(4 * p.hidden_size * (p.hidden_size + p.input_size) for p in layers)
    fits = work // max(1, per_step)
    return int(max(least, min(RANGE_PROBE_STEPS, fits)))


def _probed_cell_states(session: Session, steps: int) -> np.ndarray:
    """(n, H) the cell state over the first ``steps``, computed now if they are not yet."""
    traj = session.trajectory
    if len(traj):
        traj.ensure(min(len(traj), steps) - 1)
    return traj.c[:steps]


def cell_range_for(
    session: Session, work: int = RANGE_PROBE_WORK, least: int = RANGE_PROBE_MIN
) -> float:
    """The range the cell state's colours are stated in: the first steps' largest magnitude
    (as many steps as :func:`range_probe_steps` allows for ``work`` and ``least``)."""
    return nice_range(_probed_cell_states(session, range_probe_steps(session, work, least)))


def cell_ranges_for(session: Session) -> tuple[float, ...]:
    """Each unit's own range over the same steps, for the cell-state scale per unit."""
    return nice_ranges(_probed_cell_states(session, range_probe_steps(session)))


# Estimated cost of the backward pass, per step, in seconds: a fixed part for
# the Python loop and a part for the (4H, H) product (measured on a laptop).
_GRADIENT_STEP_COST = 15e-6
_GRADIENT_PRODUCT_COST = 3e-9
# Longer passes run in a worker thread so keys stay responsive.
GRADIENT_INLINE_SECONDS = 0.02


@dataclass(frozen=True)
class Row:
    """One row of the cell panel: its key, label, values at step t and scale."""

    key: str
    label: str
    values: np.ndarray  # (H,)
    scale: Scale
    activation: Activation | None
    clamp: float | None = None

    def saturation(self) -> float | None:
        """The share of units near an end of the activation's range; None for a row
        without one: clamped, the cell state, h, or an activation with no finite end
        (identity: nothing to saturate at, so no 0% that reads as a measurement)."""
        return self._saturation

    @cached_property
    def _saturation(self) -> float | None:
        # Worked out once per step: the cell panel and the legend both show it.
        act = self.activation
        if act is None or self.clamp is not None:
            return None
        if not (math.isfinite(act.low) or math.isfinite(act.high)):
            return None
        return saturated_share(self.values, act)


@dataclass(frozen=True)
class GradientKey:
    """What a gradient was computed from: objects by identity (they are never
    changed in place, only replaced), small values by equality."""

    objects: tuple[object, ...]
    values: tuple[object, ...]

    def matches(self, other: GradientKey) -> bool:
        return self.values == other.values and all(
            a is b for a, b in zip(self.objects, other.objects, strict=True)
        )


@dataclass(frozen=True)
class Find:
    """A token being searched for, and the steps of ``sequence`` where it occurs."""

    token: str
    sequence: Sequence
    steps: tuple[int, ...]

    def position(self, t: int) -> int:
        """How many matches lie at or before step ``t`` (1 when ``t`` is the first)."""
        return bisect.bisect_right(self.steps, t)


@dataclass
class View:
    """The session plus where the viewer is looking; every panel draws from it."""

    session: Session
    t: int = 0
    unit: int = 0
    vector: str = "c"
    detailed: bool = False
    playing: bool = False
    speed: float = 10.0
    cell_range: float = field(default=0.0)
    # The cell state drawn in a range per unit (stated over the same first
    # steps), so a unit with |c| near 30 does not flatten the others.
    cell_scale_per_unit: bool = False
    cell_ranges: tuple[float, ...] = field(default=(), init=False)
    # The token strip coloured by the head's surprisal at each token read.
    surprisal_strip: bool = False
    # How far a jump far ahead has computed (0..1), while it is under way.
    computing: float | None = None
    rows: tuple[Row, ...] = field(default=(), init=False)
    # The lesson being followed and its chapter shown (0-based), if any.
    lesson: Lesson | None = None
    chapter: int = 0
    # The token being searched for, while a find is active.
    searching: Find | None = None
    # The furthest step visited: the timeline shows the steps "so far".
    reached: int = field(default=0, init=False)
    # The last gradient computed and what it was computed from.
    _gradient: tuple[GradientKey, np.ndarray] | None = field(default=None, init=False)
    # The first step of the window of steps shown across a panel, by its room:
    # the timeline and the token strip read one, so step k is in one column of both.
    _windows: dict[int, int] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if not self.cell_range:
            self.cell_range = cell_range_for(self.session)
        self.update()

    def restate_ranges(self) -> None:
        """Another model or sequence: the cell state's range is worked out again."""
        self.cell_range = cell_range_for(self.session)
        self.cell_ranges = ()

    def cell_scale(self) -> Scale:
        """The cell state's scale: one range for every unit, or (as chosen) one per unit."""
        if not self.cell_scale_per_unit:
            return Scale(True, self.cell_range)
        if len(self.cell_ranges) != self.hidden:
            self.cell_ranges = cell_ranges_for(self.session)
        return Scale(True, max(self.cell_ranges, default=1.0), self.cell_ranges)

    @property
    def length(self) -> int:
        return len(self.session.trajectory)

    @property
    def hidden(self) -> int:
        return self.session.params.hidden_size

    def steps_window(self, room: int) -> range:
        """The steps shown, one per column, across ``room`` columns; the cursor among them.

        Moved by pages, so playing repaints a panel once per page, not once
        per step. While the cursor stays in the first three quarters the page
        is kept (a quarter of what comes next stays in view); past them, or
        back before its start, a new page puts the cursor a third of the way
        in (the timeline's history behind it), but never reaches past the
        last step while earlier steps could fill it.
        """
        room = max(1, room)
        t = self.t
        first = self._windows.get(room, 0)
        if not first <= t <= first + room * 3 // 4:
            ahead = max(0, self.length - room)
            first = max(0, min(t - room // 3, ahead))
            self._windows[room] = first
        return range(first, first + room)

    def update(self) -> None:
        """Recompute the rows for the current step (computing the step if needed)."""
        traj = self.session.trajectory
        config = self.session.config
        # A change may bring a shorter sequence or fewer units.
        self.t = max(0, min(self.t, self.length - 1))
        self.unit = max(0, min(self.unit, self.hidden - 1))
        self.reached = min(max(self.reached, self.t), self.length - 1)
        traj.ensure(self.t)
        t = self.t
        rows: list[Row] = []
        for letter, slot in GATE_ROWS:
            act = config.activation(slot)
            clamp = config.clamp(slot) if slot != "candidate" else None
            label = (
                f"{letter} {short_activation(act.name)}"
                if clamp is None
                else f"{letter} ={clamp:g}"
            )
            rows.append(Row(letter, label, traj.vector(letter)[t], scale_for(act), act, clamp))
        cell_act = config.activation("cell")
        c = traj.c[t]
        rows.append(Row("c", "c", c, self.cell_scale(), None))
        rows.append(
            Row(
                "a",
                f"{short_activation(cell_act.name)}(c)",
                cell_act.fn(c),
                scale_for(cell_act),
                cell_act,
            )
        )
        rows.append(
            Row("h", "h", traj.h[t], output_scale(config.activation("output"), cell_act), None)
        )
        self.rows = tuple(rows)

    def catch_up(self) -> None:
        """Update now if the session changed and the current step is not computed yet.

        A panel asked for its height by a layout pass between a change and
        the screen's redraw (which updates the view) reads a trajectory that
        may have nothing computed, or fewer steps than the cursor.
        """
        stale = len(self.row("c").values) != self.hidden  # another model since the update
        if stale or self.t >= self.session.trajectory.computed:
            self.update()

    @property
    def find(self) -> Find | None:
        """The active find, if it searched the sequence shown now (another one ends it)."""
        found = self.searching
        return found if found is not None and found.sequence is self.session.sequence else None

    def row(self, key: str) -> Row:
        return self.rows[ROW_KEYS.index(key)]

    def vector_scale(self, letter: str) -> Scale:
        if letter in DERIVATIVES:
            # A change carried back whole is 1; more than that is marked beyond.
            return Scale(True, 1.0)
        return self.row(letter).scale

    # ------------------------------------------------------------ gradient
    def gradient_key(self) -> GradientKey:
        """Everything the gradient depends on."""
        traj = self.session.trajectory
        return GradientKey(
            (traj, traj.params, traj.config, traj.inputs),
            (traj.h0.tobytes(), traj.c0.tobytes(), self.t, self.unit),
        )

    def gradient(self) -> np.ndarray | None:
        """(t+1, H): d c_t[unit] / d c_s for s = 0..t, if already computed for this view."""
        if self._gradient is None:
            return None
        key, dc = self._gradient
        return dc if key.matches(self.gradient_key()) else None

    def cell_path(self) -> np.ndarray:
        """(t+1, H): each unit's product of its own forget gates from step s+1 to t.

        Row s is f_{s+1}·f_{s+2}·…·f_t unit by unit (1 at s = t): how much
        of a change to c at step s the cell path alone carries to c at t,
        without passing through h. Signed: an activation in the forget slot
        may give negative values.
        """
        traj = self.session.trajectory
        t = self.t
        traj.ensure(t)
        path = np.ones((t + 1, self.hidden))
        # An unbounded forget activation can overflow the product: inf is the answer there.
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            path[:t] = np.cumprod(traj.f[t:0:-1], axis=0)[::-1]
        return path

    def store_gradient(self, key: GradientKey, dc: np.ndarray) -> None:
        self._gradient = (key, dc)

    def gradient_seconds(self) -> float:
        """About how long the backward pass from the current step takes."""
        hidden = self.hidden
        return (self.t + 1) * (_GRADIENT_STEP_COST + 4 * hidden * hidden * _GRADIENT_PRODUCT_COST)

    def compute_gradient(self) -> np.ndarray:
        """The gradient for this view, computed now on the session's trajectory (cached)."""
        cached = self.gradient()
        if cached is not None:
            return cached
        dc = gradients(self.session.trajectory, "c", self.unit, self.t).dc
        self.store_gradient(self.gradient_key(), dc)
        return dc

    def gradient_job(self) -> tuple[GradientKey, Callable[[], np.ndarray]]:
        """The key and a function computing the gradient away from the session.

        The function replays the steps on a replica of the session's
        trajectory, taken now, so it can run in a worker thread while the
        screen keeps stepping (or editing) the session's.
        """
        key = self.gradient_key()
        unit, step = self.unit, self.t
        private = self.session.trajectory.replica(step + 1)

        def job() -> np.ndarray:
            return gradients(private, "c", unit, step).dc

        return key, job
