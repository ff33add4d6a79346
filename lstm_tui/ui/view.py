"""What the screen shows right now, derived from the session on every update.

The session (sequence, weights, configuration, trajectory) is the single
source of truth; :class:`View` adds only where the viewer is looking (step,
unit, timeline vector, detail) and reads every number from the trajectory.
Anything that edits the session only has to build a new view to refresh the
whole screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lstm_tui.engine.activations import Activation
from lstm_tui.session import Session
from lstm_tui.ui.scales import Scale, output_scale, saturated_share, scale_for
from lstm_tui.ui.text import short_activation

# The rows of the cell panel: the four gate/candidate slots, the cell state,
# the cell activation applied to it (what the output gate masks), and h.
GATE_ROWS: tuple[tuple[str, str], ...] = (
    ("i", "input"),
    ("f", "forget"),
    ("g", "candidate"),
    ("o", "output"),
)
ROW_KEYS: tuple[str, ...] = ("i", "f", "g", "o", "c", "a", "h")
TIMELINE_VECTORS: tuple[str, ...] = ("i", "f", "g", "o", "c", "h")
VECTOR_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "g": "candidate",
    "o": "output gate",
    "c": "cell state",
    "h": "output h",
}


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
        if self.activation is None or self.clamp is not None:
            return None
        return saturated_share(self.values, self.activation)


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
    cell_range: float = 1.0
    rows: tuple[Row, ...] = field(default=(), init=False)
    # The furthest step visited: the timeline shows the steps "so far".
    reached: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.update()

    @property
    def length(self) -> int:
        return len(self.session.trajectory)

    @property
    def hidden(self) -> int:
        return self.session.params.hidden_size

    def update(self) -> None:
        """Recompute the rows for the current step (computing the step if needed)."""
        traj = self.session.trajectory
        config = self.session.config
        traj.ensure(self.t)
        t = self.t
        self.reached = max(self.reached, t)
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
        rows.append(Row("c", "c", c, Scale(True, self.cell_range), None))
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

    def row(self, key: str) -> Row:
        return self.rows[ROW_KEYS.index(key)]

    def vector_scale(self, letter: str) -> Scale:
        return self.row(letter).scale
