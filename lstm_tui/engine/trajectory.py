"""A sequence run through the cell, every step kept.

The trajectory stores, for every computed step t, the pre-activations ``z``
(T, 4H), the gate and candidate values ``i f g o`` (each (T, H)), the cell
state ``c`` (T, H) and the output ``h`` (T, H). Row t is the state after
consuming input t. Stepping back is a look-up; a change (weights,
activations, clamps, inputs) marks the steps it affects as stale, and they
are recomputed lazily, only as far as somebody asks.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.cell import Step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.errors import InputError

# Rows of the input projection X W_ih^T + b computed at once: one matrix
# product per chunk instead of one per step, without projecting a 100,000-step
# sequence up front when only its first steps are looked at.
_PROJECTION_CHUNK = 1024

_GATE_SLOTS = ("input", "forget", "candidate", "output")


class Trajectory:
    """The cell's states over a whole input sequence, computed on demand.

    ``inputs`` is (T, I). ``h0`` and ``c0`` are (H,) and default to zeros.
    """

    def __init__(
        self,
        params: LSTMParams,
        inputs: np.ndarray,
        config: CellConfig | None = None,
        h0: np.ndarray | None = None,
        c0: np.ndarray | None = None,
    ) -> None:
        self._params = params
        self._config = config or CellConfig()
        self._inputs = self._check_inputs(inputs, params)
        hidden = params.hidden_size
        self._h0 = self._check_state("h0", h0, hidden)
        self._c0 = self._check_state("c0", c0, hidden)
        length = self._inputs.shape[0]
        self._z = np.empty((length, 4 * hidden))
        self._gates = np.empty((length, 4, hidden))
        self._c = np.empty((length, hidden))
        self._h = np.empty((length, hidden))
        self._computed = 0
        self._projected = 0
        self._prepare()

    # ---------------------------------------------------------------- inputs
    @staticmethod
    def _check_inputs(inputs: np.ndarray, params: LSTMParams) -> np.ndarray:
        x = np.asarray(inputs, dtype=np.float64)
        if x.ndim != 2:
            raise InputError(f"inputs must be 2-D (T, I), got shape {x.shape}")
        if x.shape[1] != params.input_size:
            raise InputError(
                f"the sequence has input size {x.shape[1]} but the weights expect "
                f"{params.input_size}"
            )
        if not np.all(np.isfinite(x)):
            raise InputError("inputs contain NaN or inf")
        x = np.array(x, copy=True)
        x.setflags(write=False)
        return x

    @staticmethod
    def _check_state(name: str, value: np.ndarray | None, hidden: int) -> np.ndarray:
        if value is None:
            return np.zeros(hidden)
        state = np.array(value, dtype=np.float64, copy=True)
        if state.shape != (hidden,):
            raise InputError(f"{name} must have shape ({hidden},), got {state.shape}")
        if not np.all(np.isfinite(state)):
            raise InputError(f"{name} contains NaN or inf")
        return state

    def _prepare(self) -> None:
        """Per-configuration constants for the inner loop."""
        hidden = self._params.hidden_size
        # sigmoid(x) = 0.5 + 0.5*tanh(x/2): one tanh call serves every block that
        # is a sigmoid or a tanh, and tanh cannot overflow.
        scale = np.ones((4, hidden))
        offset = np.zeros((4, hidden))
        self._tanh_blocks = False
        self._other_blocks: list[tuple[int, object]] = []
        self._clamp_blocks: list[tuple[int, float]] = []
        for k, slot in enumerate(_GATE_SLOTS):
            clamp = self._config.clamp(slot)
            name = self._config.activation_name(slot)
            if clamp is not None:
                self._clamp_blocks.append((k, clamp))
            elif name == "sigmoid":
                scale[k] = 0.5
                offset[k] = 0.5
                self._tanh_blocks = True
            elif name == "tanh":
                self._tanh_blocks = True
            else:
                self._other_blocks.append((k, self._config.activation(slot).fn))
        self._scale = scale
        self._offset = offset
        cell_name = self._config.activation_name("cell")
        self._cell_fn = None if cell_name == "tanh" else self._config.activation("cell").fn
        self._bias = self._params.bias_ih + self._params.bias_hh

    # ------------------------------------------------------------ properties
    @property
    def params(self) -> LSTMParams:
        return self._params

    @property
    def config(self) -> CellConfig:
        return self._config

    @property
    def inputs(self) -> np.ndarray:
        """(T, I), read-only."""
        return self._inputs

    @property
    def h0(self) -> np.ndarray:
        return self._h0.copy()

    @property
    def c0(self) -> np.ndarray:
        return self._c0.copy()

    def __len__(self) -> int:
        return self._inputs.shape[0]

    @property
    def computed(self) -> int:
        """How many leading steps hold current values."""
        return self._computed

    @property
    def z(self) -> np.ndarray:
        """(computed, 4H) pre-activations."""
        return self._z[: self._computed]

    @property
    def i(self) -> np.ndarray:
        return self._gates[: self._computed, 0]

    @property
    def f(self) -> np.ndarray:
        return self._gates[: self._computed, 1]

    @property
    def g(self) -> np.ndarray:
        return self._gates[: self._computed, 2]

    @property
    def o(self) -> np.ndarray:
        return self._gates[: self._computed, 3]

    @property
    def c(self) -> np.ndarray:
        return self._c[: self._computed]

    @property
    def h(self) -> np.ndarray:
        return self._h[: self._computed]

    # --------------------------------------------------------------- changes
    def set_params(self, params: LSTMParams) -> None:
        """New weights: every step is stale (weights are shared across time)."""
        self._check_inputs(self._inputs, params)
        if params.hidden_size != self._params.hidden_size:
            raise InputError(
                f"hidden size changed from {self._params.hidden_size} to {params.hidden_size}; "
                "build a new trajectory"
            )
        self._params = params
        self._computed = 0
        self._projected = 0
        self._prepare()

    def set_config(self, config: CellConfig) -> None:
        """New activations or clamps: every step is stale, the input projection is not."""
        self._config = config
        self._computed = 0
        self._prepare()

    def set_input(self, t: int, x: np.ndarray) -> None:
        """Replace input ``t``: steps t onward are stale."""
        self._check_index(t)
        row = np.asarray(x, dtype=np.float64)
        if row.shape != (self._params.input_size,) or not np.all(np.isfinite(row)):
            raise InputError(f"input {t} must be {self._params.input_size} finite numbers")
        inputs = np.array(self._inputs, copy=True)
        inputs[t] = row
        inputs.setflags(write=False)
        self._inputs = inputs
        self._computed = min(self._computed, t)
        self._projected = min(self._projected, t)

    def set_initial_state(self, h0: np.ndarray | None, c0: np.ndarray | None) -> None:
        hidden = self._params.hidden_size
        self._h0 = self._check_state("h0", h0, hidden)
        self._c0 = self._check_state("c0", c0, hidden)
        self._computed = 0

    # ----------------------------------------------------------- computation
    def _check_index(self, t: int) -> int:
        if not 0 <= t < len(self):
            raise IndexError(f"step {t} is outside 0..{len(self) - 1}")
        return t

    def ensure(self, t: int) -> None:
        """Compute every stale step up to and including ``t``."""
        self._check_index(t)
        if t < self._computed:
            return
        self._project_through(t)
        self._forward(self._computed, t + 1)
        self._computed = t + 1

    def run(self) -> Trajectory:
        """Compute the whole sequence; returns self."""
        if len(self):
            self.ensure(len(self) - 1)
        return self

    def _project_through(self, t: int) -> None:
        if t < self._projected:
            return
        start = self._projected
        stop = min(len(self), max(t + 1, start + _PROJECTION_CHUNK))
        np.matmul(self._inputs[start:stop], self._params.weight_ih.T, out=self._z[start:stop])
        self._z[start:stop] += self._bias
        self._projected = stop

    def _forward(self, start: int, stop: int) -> None:
        w_hh = self._params.weight_hh
        z, gates, cs, hs = self._z, self._gates, self._c, self._h
        scale, offset = self._scale, self._offset
        tanh_blocks, other_blocks, clamp_blocks = (
            self._tanh_blocks,
            self._other_blocks,
            self._clamp_blocks,
        )
        cell_fn = self._cell_fn
        hidden = self._params.hidden_size
        z4 = z.reshape(len(self), 4, hidden)
        recurrent = np.empty(4 * hidden)
        product = np.empty(hidden)
        if start == 0:
            h_prev, c_prev = self._h0, self._c0
        else:
            h_prev, c_prev = hs[start - 1], cs[start - 1]
        for t in range(start, stop):
            zt = z[t]
            np.dot(w_hh, h_prev, out=recurrent)
            zt += recurrent
            at = gates[t]
            if tanh_blocks:
                np.multiply(z4[t], scale, out=at)
                np.tanh(at, out=at)
                at *= scale
                at += offset
            for k, fn in other_blocks:
                at[k] = fn(z4[t, k])
            for k, value in clamp_blocks:
                at[k] = value
            ct = cs[t]
            np.multiply(at[1], c_prev, out=ct)
            np.multiply(at[0], at[2], out=product)
            ct += product
            ht = hs[t]
            if cell_fn is None:
                np.tanh(ct, out=ht)
            else:
                ht[:] = cell_fn(ct)
            ht *= at[3]
            h_prev, c_prev = ht, ct

    # --------------------------------------------------------------- reading
    def state(self, t: int) -> Step:
        """Copies of everything step ``t`` computed (computing it if needed)."""
        self.ensure(t)
        return Step(
            self._z[t].copy(),
            self._gates[t, 0].copy(),
            self._gates[t, 1].copy(),
            self._gates[t, 2].copy(),
            self._gates[t, 3].copy(),
            self._c[t].copy(),
            self._h[t].copy(),
        )

    def previous(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """``(h_{t-1}, c_{t-1})``: the state step ``t`` started from."""
        self._check_index(t)
        if t == 0:
            return self._h0.copy(), self._c0.copy()
        self.ensure(t - 1)
        return self._h[t - 1].copy(), self._c[t - 1].copy()

    def vector(self, name: str) -> np.ndarray:
        """One computed vector over time by letter: ``z i f g o c h``."""
        try:
            return {
                "z": self.z,
                "i": self.i,
                "f": self.f,
                "g": self.g,
                "o": self.o,
                "c": self.c,
                "h": self.h,
            }[name]
        except KeyError:
            raise InputError(f"unknown vector {name!r}; choose one of: z, i, f, g, o, c, h") from None


def run(
    params: LSTMParams,
    inputs: np.ndarray,
    config: CellConfig | None = None,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> Trajectory:
    """The whole sequence, computed."""
    return Trajectory(params, inputs, config, h0, c0).run()
