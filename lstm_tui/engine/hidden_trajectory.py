"""A sequence run through a plain RNN or a GRU, every step kept.

The counterpart of :class:`~lstm_tui.engine.trajectory.Trajectory` for the
cells an LSTM is compared with: row t of every vector is the state after
consuming input t, a change marks the steps it affects as stale, and they
are recomputed lazily, only as far as somebody asks. The vectors are those
of :data:`~lstm_tui.engine.hidden_cells.STEP_VECTORS` (``z h`` for the RNN,
``r z n h`` for the GRU), each (T, H).

These cells are shown beside an LSTM, rarely on their own, so each step is
the reference step of :mod:`lstm_tui.engine.hidden_cells` itself: the
numbers are those equations' by construction.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.hidden_cells import STEP_VECTORS, hidden_step
from lstm_tui.engine.hidden_params import HiddenParams
from lstm_tui.engine.trajectory import check_inputs, check_state, check_step_units, with_input
from lstm_tui.errors import InputError


class HiddenTrajectory:
    """The states of an RNN or GRU over a whole input sequence, computed on demand.

    ``inputs`` is (T, I); ``h0`` is (H,) and defaults to zeros. T × H may be
    at most :data:`~lstm_tui.engine.trajectory.MAX_STEP_UNITS`.
    """

    def __init__(
        self, params: HiddenParams, inputs: np.ndarray, h0: np.ndarray | None = None
    ) -> None:
        shape = np.shape(inputs)
        check_step_units(shape[0] if shape else 0, params.hidden_size)
        self._params = params
        self._inputs = check_inputs(inputs, params.input_size)
        self._h0 = check_state("h0", h0, params.hidden_size)
        self._names = STEP_VECTORS[params.kind]
        # Row t + 1 is step t; row 0 holds h0 in its last (h) row.
        self._states = np.empty((len(self) + 1, len(self._names), params.hidden_size))
        self._states[0, -1] = self._h0
        self._computed = 0

    @property
    def kind(self) -> str:
        return self._params.kind

    @property
    def params(self) -> HiddenParams:
        return self._params

    @property
    def inputs(self) -> np.ndarray:
        """(T, I), read-only."""
        return self._inputs

    @property
    def h0(self) -> np.ndarray:
        return self._h0.copy()

    @property
    def vectors(self) -> tuple[str, ...]:
        """The names :meth:`vector` takes, in the order one step computes them."""
        return self._names

    def __len__(self) -> int:
        return self._inputs.shape[0]

    @property
    def computed(self) -> int:
        """How many leading steps hold current values."""
        return self._computed

    @property
    def h(self) -> np.ndarray:
        """(computed, H) output (hidden state)."""
        return self.vector("h")

    def vector(self, name: str) -> np.ndarray:
        """(computed, H): one computed vector over time by name (a read-only view)."""
        if name not in self._names:
            raise InputError(f"unknown vector {name!r}; choose one of: {', '.join(self._names)}")
        view = self._states[1 : self._computed + 1, self._names.index(name)]
        view.flags.writeable = False
        return view

    # --------------------------------------------------------------- changes
    def set_params(self, params: HiddenParams) -> None:
        """New weights of the same kind and sizes: every step is stale."""
        old = self._params
        if (params.kind, params.hidden_size, params.input_size) != (
            old.kind,
            old.hidden_size,
            old.input_size,
        ):
            raise InputError(
                f"the weights must stay a {old.kind.upper()} with H={old.hidden_size} and "
                f"I={old.input_size}; build a new trajectory"
            )
        self._params = params
        self._computed = 0

    def set_input(self, t: int, x: np.ndarray) -> None:
        """Replace input ``t``: steps t onward are stale."""
        self._check_index(t)
        self._inputs = with_input(self._inputs, t, x)
        self._computed = min(self._computed, t)

    def set_initial_state(self, h0: np.ndarray | None) -> None:
        """A new h0 (H,), or None for zeros: every step is stale."""
        self._h0 = check_state("h0", h0, self._params.hidden_size)
        self._states[0, -1] = self._h0
        self._computed = 0

    # ----------------------------------------------------------- computation
    def _check_index(self, t: int) -> int:
        if not 0 <= t < len(self):
            raise IndexError(f"step {t} is outside 0..{len(self) - 1}")
        return t

    def ensure(self, t: int) -> None:
        """Compute every stale step up to and including ``t``."""
        self._check_index(t)
        states, params, inputs = self._states, self._params, self._inputs
        with np.errstate(over="ignore", invalid="ignore"):
            for step in range(self._computed, t + 1):
                states[step + 1] = hidden_step(params, inputs[step], states[step, -1])
        self._computed = max(self._computed, t + 1)

    def run(self) -> HiddenTrajectory:
        """Compute the whole sequence; returns self."""
        if len(self):
            self.ensure(len(self) - 1)
        return self

    def previous(self, t: int) -> np.ndarray:
        """``h_{t-1}``: the state step ``t`` started from (h0 for t = 0)."""
        self._check_index(t)
        if t:
            self.ensure(t - 1)
        return self._states[t, -1].copy()

    def replica(self, steps: int | None = None) -> HiddenTrajectory:
        """A new trajectory of the same weights and h0 on the first ``steps`` inputs,
        nothing computed yet, sharing no storage with this one."""
        inputs = self._inputs if steps is None else self._inputs[:steps]
        return HiddenTrajectory(self._params, inputs, self._h0)
