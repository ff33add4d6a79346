"""What the compare screen shows: cell B stepping with cell A, B − A, and what reaches the unit.

Cell A is the session's, seen through the watch screen's :class:`View`
(the *lead*): its step and unit are the compare screen's too, so the two
cells always stand at the same token. Cell B is the session's
:class:`~lstm_tui.engine.variant.Variant` (one entry of its undo history,
like an edit to A), made into a cell on demand and made again whenever the
session's weights, configuration, sequence or variant are others, so an
edit or an undo reaches both. Each panel draws B through a
:class:`FollowingView`, a view that takes its step and unit from the lead
and its rows from the comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lstm_tui.engine.activations import get_activation
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.reach import reach
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.engine.variant import Variant
from lstm_tui.errors import InputError
from lstm_tui.session import Session
from lstm_tui.ui.scales import Scale, nice_range, scale_for
from lstm_tui.ui.text import short_activation
from lstm_tui.ui.view import RANGE_PROBE_STEPS, Row, View

REACH_BACK: tuple[int, ...] = (1, 10, 100)
"""How many steps back the numbers of what reaches the unit are read out."""

# The rows of a GRU as cell B: letter, activation (None: h, a mix of two).
_GRU_ROWS: tuple[tuple[str, str | None], ...] = (
    ("r", "sigmoid"),
    ("z", "sigmoid"),
    ("n", "tanh"),
    ("h", None),
)


@dataclass
class FollowingView(View):
    """A view at the lead's step and unit whose rows come from ``source``."""

    lead: View | None = None
    source: Callable[[int], tuple[Row, ...]] | None = None

    def __post_init__(self) -> None:
        self.update()

    def update(self) -> None:
        lead, source = self.lead, self.source
        assert lead is not None and source is not None
        self.t, self.unit, self.detailed = lead.t, lead.unit, lead.detailed
        self.cell_range = lead.cell_range
        self.rows = source(self.t)


class Comparison:
    """Cell B beside the lead view's cell A."""

    def __init__(self, lead: View) -> None:
        self.lead = lead
        self._made_from: tuple[object, ...] = ()
        self._b_lstm: View | None = None
        self._b_hidden: HiddenTrajectory | None = None
        self._pre_scale = Scale(True, 1.0)
        self._reach: tuple[tuple[object, ...], np.ndarray, np.ndarray] | None = None
        self.b = FollowingView(lead.session, lead=lead, source=self._b_rows)
        self.delta = FollowingView(lead.session, lead=lead, source=self._delta_rows)

    @property
    def session(self) -> Session:
        return self.lead.session

    @property
    def variant(self) -> Variant:
        """Cell B as the session holds it (so undo and redo take it back and forth)."""
        variant = self.session.variant
        if variant is None:
            raise InputError("there is no cell B to compare with")
        return variant

    def update(self) -> None:
        """Bring B and B − A to the lead's step (making B again if A is another)."""
        self.b.update()
        self.delta.update()

    # ------------------------------------------------------------ cell B
    def trajectory_b(self) -> Trajectory | HiddenTrajectory:
        """B over A's sequence, made again when A's weights, configuration or inputs changed."""
        session = self.session
        # Weights, sequences and variants are replaced, never changed: compared by identity.
        made_from = (session.params, session.sequence, self.variant, session.config)
        old = self._made_from
        if (
            not old
            or any(a is not b for a, b in zip(made_from[:3], old[:3], strict=True))
            or made_from[3] != old[3]
        ):
            self._make_b()
            self._made_from = made_from
            self._reach = None
        if self._b_lstm is not None:
            return self._b_lstm.session.trajectory
        assert self._b_hidden is not None
        return self._b_hidden

    def _make_b(self) -> None:
        session, variant = self.session, self.variant
        traj = variant.trajectory(session.params, session.config, session.sequence.inputs)
        if isinstance(traj, HiddenTrajectory):
            self._b_lstm, self._b_hidden = None, traj
            if traj.kind == "rnn" and len(traj):
                # The pre-activation's range, stated once from the first steps as A's c is.
                traj.ensure(min(len(traj), RANGE_PROBE_STEPS) - 1)
                self._pre_scale = Scale(True, nice_range(traj.vector("z")))
            return
        b_session = Session(
            session.sequence, traj.params, traj.config, session.vocab, variant.describe()
        )
        self._b_lstm = View(b_session, cell_range=self.lead.cell_range)
        self._b_hidden = None

    @property
    def b_is_lstm(self) -> bool:
        self.trajectory_b()
        return self._b_lstm is not None

    def b_lstm_view(self) -> View | None:
        """An LSTM B seen at the lead's step and unit (what draws its cell diagram);
        None for an RNN or GRU."""
        self.trajectory_b()
        view = self._b_lstm
        if view is not None:
            self._follow(view, self.lead.t)
        return view

    def _follow(self, view: View, t: int) -> None:
        """B's view at step ``t`` and the lead's unit, its cell state on A's ranges (one, or
        one per unit as A's are), so the two cells' colours compare."""
        lead = self.lead
        view.t, view.unit = t, lead.unit
        view.cell_range = lead.cell_range
        view.cell_scale_per_unit = lead.cell_scale_per_unit
        if lead.cell_scale_per_unit:
            lead.cell_scale()  # A's ranges stated, if they were not yet
            view.cell_ranges = lead.cell_ranges
        view.update()

    def _b_rows(self, t: int) -> tuple[Row, ...]:
        traj = self.trajectory_b()
        if self._b_lstm is not None:
            view = self._b_lstm
            self._follow(view, t)
            return view.rows
        assert isinstance(traj, HiddenTrajectory)
        traj.ensure(t)
        tanh = get_activation("tanh")
        if traj.kind == "rnn":
            return (
                Row("z", "z pre", traj.vector("z")[t], self._pre_scale, None),
                Row("h", f"h {short_activation('tanh')}", traj.h[t], scale_for(tanh), tanh),
            )
        rows = []
        for letter, name in _GRU_ROWS:
            act = get_activation(name) if name is not None else None
            label = f"{letter} {short_activation(name)}" if name is not None else letter
            scale = scale_for(act) if act is not None else scale_for(tanh)
            rows.append(Row(letter, label, traj.vector(letter)[t], scale, act))
        return tuple(rows)

    def _delta_rows(self, t: int) -> tuple[Row, ...]:
        traj_b = self.trajectory_b()
        traj_a = self.session.trajectory
        traj_a.ensure(t)
        traj_b.ensure(t)
        return tuple(
            Row(key, label, values[-1], scale, None)
            for key, label, values, scale in self.differences(1)
        )

    def differences(self, window: int) -> list[tuple[str, str, np.ndarray, Scale]]:
        """B − A over the last ``window`` steps up to the lead's (fewer near the start)
        for the lead's unit — or every unit for a window of 1 — as ``(key, label,
        values, scale)``: c when B has one, and h. Values are (n, H), or (n,) per unit."""
        traj_b = self.trajectory_b()
        traj_a = self.session.trajectory
        t = self.lead.t
        traj_a.ensure(t)
        traj_b.ensure(t)
        steps = slice(max(0, t - window + 1), t + 1)
        out = []
        if isinstance(traj_b, Trajectory):
            dc = traj_b.c[steps] - traj_a.c[steps]
            out.append(("c", "Δc B−A", dc, Scale(True, 2 * self.lead.cell_range)))
        dh = traj_b.h[steps] - traj_a.h[steps]
        out.append(("h", "Δh B−A", dh, Scale(True, 2.0)))
        return out

    # ------------------------------------------------------------ reaching
    def reach(self, window: int) -> tuple[np.ndarray, np.ndarray]:
        """What reaches the lead's unit at its step from each of the last ``window``
        steps (fewer near the start), in A (through c) and in B (through c, or h
        for a cell without one)."""
        traj_b = self.trajectory_b()
        traj_a = self.session.trajectory
        t, unit = self.lead.t, self.lead.unit
        key = (traj_a, traj_a.params, traj_a.config, traj_a.inputs, traj_b, t, unit, window)
        cached = self._reach
        if cached is not None and all(
            a is b or (isinstance(a, int) and a == b) for a, b in zip(key, cached[0], strict=True)
        ):
            return cached[1], cached[2]
        a, b = reach(traj_a, unit, t, window), reach(traj_b, unit, t, window)
        self._reach = (key, a, b)
        return a, b
