"""A sequence run through the cell, every step kept.

The trajectory keeps, for every computed step t, the gate and candidate
values ``i f g o`` (each (T, H)), the cell state ``c`` (T, H) and the output
``h`` (T, H); the pre-activations ``z`` (T, 4H) are rebuilt, bit for bit, the
first time they are read. Row t is the state after consuming input t.
Stepping back is a look-up; a change (weights, activations, clamps, inputs,
initial state) marks the steps it affects as stale, and they are recomputed
lazily, only as far as somebody asks.

The arrays the properties return are views of the trajectory's storage:
read them, do not write them, and read them again after a change.

Why the inner loop looks the way it does (nine NumPy calls a step for the
textbook cell; each call costs far more than the arithmetic inside it):

- The input half of every pre-activation, ``W_ih x_t + b_ih + b_hh``, comes
  from one matrix product per chunk of steps; for one-hot inputs (characters,
  words) it is a row look-up, since ``W_ih x_t`` is then a column of ``W_ih``.
- ``sigmoid(x) = 0.5 + 0.5 tanh(x / 2)``, so one ``tanh`` call serves all four
  blocks when they are sigmoids or tanhs. The halving is folded into the rows
  of the weights that feed a sigmoid; because 0.5 is a power of two this
  scales every product and sum exactly, so the loop's pre-activation is
  exactly z/2 and doubling it restores z exactly (except in the subnormal
  range, |z| < 2.2e-308, where the last bit may differ).
- Inside, the gate blocks are kept in the order g, f, i, o, and each step's
  rows in the state buffer are ``g f i o h c``: then ``(f_t, i_t)`` and
  ``(c_{t-1}, g_t)`` are both contiguous (2, H) blocks, and the cell update
  ``c_t = f c_{t-1} + i g`` is one multiply and one add.
- Per-step views come from iterating strided arrays, which NumPy does in C.
- ``z`` is not stored during the run: that would touch 4H more fresh floats
  a step (page faults are a real share of a run), and most runs never read
  z. Reading it replays the two calls that made it, on the same operands,
  so the bits are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from lstm_tui.engine.cell import Step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.errors import InputError

# The projection is computed a chunk at a time into a buffer of about this
# many float64 values (1 MiB): big enough that the matrix product is
# efficient, small enough to stay in cache. Chunks start at multiples of
# their size, so a row always comes from the same product: bit-for-bit equal
# before and after an edit.
_PROJECTION_VALUES = 1 << 17

MAX_STEP_UNITS = 10_000_000
"""Most steps × hidden units one trajectory holds.

Every step keeps six float64 vectors of H values (g f i o h c), so the state
alone is 6 × 8 = 48 bytes per step and unit: 10,000,000 × 48 bytes = 480 MB.
Reading ``z`` adds 4 values (320 MB at the limit) and a trace export copies
the six vectors once more, so a trace at the limit peaks near 1.3 GB; past
it a 100,000-step text at H=512 (51.2 million values) took 4 GB in the app
and 6.5 GB to trace. The limit still holds the longest sequence
(100,000 steps) at H=100, and the default sizes by far.
"""

# The slot of each gate block, in PyTorch's (public) order i, f, g, o.
_GATE_SLOTS = ("input", "forget", "candidate", "output")
# Internal block order: block k inside the loop is public block _ORDER[k].
_ORDER = (2, 1, 0, 3)
# Rows of one step in the state buffer.
_G, _F, _I, _O, _H, _C = range(6)
_ROWS = 6


class Trajectory:
    """The cell's states over a whole input sequence, computed on demand.

    ``inputs`` is (T, I). ``h0`` and ``c0`` are (H,) and default to zeros.
    T × H may be at most :data:`MAX_STEP_UNITS`; a longer run is an
    :class:`InputError`, raised before anything is allocated.
    """

    def __init__(
        self,
        params: LSTMParams,
        inputs: np.ndarray,
        config: CellConfig | None = None,
        h0: np.ndarray | None = None,
        c0: np.ndarray | None = None,
    ) -> None:
        # First, so a run too big to hold is refused before anything is allocated.
        shape = np.shape(inputs)
        check_step_units(shape[0] if shape else 0, params.hidden_size)
        self._params = params
        self._config = config or CellConfig()
        self._inputs = check_inputs(inputs, params.input_size)
        self._hot = _one_hot_columns(self._inputs)
        hidden = params.hidden_size
        self._h0 = check_state("h0", h0, hidden)
        self._c0 = check_state("c0", c0, hidden)
        self._allocate(len(self), hidden)
        self._computed = 0
        self._prepare()

    def _allocate(self, length: int, hidden: int) -> None:
        """Storage, and the strided views the inner loop iterates over."""
        # Row 0 is the initial state (only its h and c rows are used); row
        # t + 1 is step t. np.empty: pages are touched only as steps are computed.
        states = np.empty((length + 1, _ROWS, hidden))
        states[0, _H] = self._h0
        states[0, _C] = self._c0
        self._states = states
        steps = states[1:]
        self._gates4 = steps[:, _G : _O + 1].reshape(length, 4 * hidden)
        self._fi = steps[:, _F : _I + 1]
        # (c_{t-1}, g_t): the last row of one step and the first of the next.
        item = states.itemsize
        self._cg = np.lib.stride_tricks.as_strided(
            states[0, _C],
            shape=(length, 2, hidden),
            strides=(_ROWS * hidden * item, hidden * item, item),
            writeable=False,
        )
        self._chunk = max(1, _PROJECTION_VALUES // (4 * hidden))
        self._projection = np.empty((min(length, self._chunk), 4 * hidden))
        self._projected_chunk = -1
        # Scratch for the loop: W_hh h, the pre-activation, (f c_prev, i g).
        self._recurrent = np.empty(4 * hidden)
        self._pre = np.empty(4 * hidden)
        self._product = np.empty((2, hidden))
        self._through = tuple(self._product)
        # Filled the first time ``z`` is read; its first _z_ready rows are current.
        self._z: np.ndarray | None = None
        self._z_ready = 0

    def _prepare(self) -> None:
        """Per-configuration constants for the inner loop (in internal block order)."""
        hidden = self._params.hidden_size
        scale = np.ones(4 * hidden)
        # -0.0 is the exact additive identity (+0.0 would turn -0.0 into +0.0).
        offset = np.full(4 * hidden, -0.0)
        tanh_blocks = False
        others: list[tuple[slice, Callable[[np.ndarray], np.ndarray]]] = []
        clamps: list[tuple[slice, float]] = []
        for k, public in enumerate(_ORDER):
            slot = _GATE_SLOTS[public]
            rows = slice(k * hidden, (k + 1) * hidden)
            clamp = self._config.clamp(slot)
            name = self._config.activation_name(slot)
            if clamp is not None:
                clamps.append((rows, clamp))
            elif name == "sigmoid":
                scale[rows] = 0.5
                offset[rows] = 0.5
                tanh_blocks = True
            elif name == "tanh":
                tanh_blocks = True
            else:
                others.append((rows, self._config.activation(slot).fn))
        self._tanh_blocks = tanh_blocks
        self._sigmoid_blocks = bool(np.any(scale != 1.0))
        self._other_blocks = others
        self._clamp_blocks = clamps
        self._scale = scale
        self._offset = offset
        cell_name = self._config.activation_name("cell")
        self._cell_fn = None if cell_name == "tanh" else self._config.activation("cell").fn
        # Internal row k of every (4H, ...) array is public row _from_public[k].
        self._from_public = np.concatenate(
            [np.arange(b * hidden, (b + 1) * hidden) for b in _ORDER]
        )
        # Public row j of z is internal row _to_public[j], doubled back where halved.
        self._to_public = np.argsort(self._from_public)
        self._unscale = (1.0 / scale)[self._to_public]
        params = self._params
        column = scale[:, None]
        # Fortran order: NumPy's product of a column-major matrix and a vector
        # goes through the faster of OpenBLAS's two gemv kernels.
        self._w_hh = np.asfortranarray(params.weight_hh[self._from_public] * column)
        self._w_ih_t = np.ascontiguousarray((params.weight_ih[self._from_public] * column).T)
        self._bias = (params.bias_ih + params.bias_hh)[self._from_public] * scale
        # For one-hot rows the projection is a row of this table: (I, 4H).
        self._table = self._w_ih_t + self._bias
        self._projected_chunk = -1

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
        """(computed, 4H) pre-activations, exactly those the gates were computed from."""
        return self._rebuild_z()[: self._computed]

    @property
    def i(self) -> np.ndarray:
        """(computed, H) input gate."""
        return self._states[1 : self._computed + 1, _I]

    @property
    def f(self) -> np.ndarray:
        """(computed, H) forget gate."""
        return self._states[1 : self._computed + 1, _F]

    @property
    def g(self) -> np.ndarray:
        """(computed, H) candidate."""
        return self._states[1 : self._computed + 1, _G]

    @property
    def o(self) -> np.ndarray:
        """(computed, H) output gate."""
        return self._states[1 : self._computed + 1, _O]

    @property
    def c(self) -> np.ndarray:
        """(computed, H) cell state."""
        return self._states[1 : self._computed + 1, _C]

    @property
    def h(self) -> np.ndarray:
        """(computed, H) output (hidden state)."""
        return self._states[1 : self._computed + 1, _H]

    # --------------------------------------------------------------- changes
    def set_params(self, params: LSTMParams) -> None:
        """New weights: every step is stale (weights are shared across time)."""
        # The inputs were checked and copied once; only the shapes must agree.
        if params.input_size != self._inputs.shape[1]:
            raise InputError(
                f"the sequence has input size {self._inputs.shape[1]} but the weights expect "
                f"{params.input_size}"
            )
        if params.hidden_size != self._params.hidden_size:
            raise InputError(
                f"hidden size changed from {self._params.hidden_size} to {params.hidden_size}; "
                "build a new trajectory"
            )
        self._params = params
        self._prepare()
        self._invalidate(0)

    def set_config(self, config: CellConfig) -> None:
        """New activations or clamps: every step is stale."""
        self._config = config
        self._prepare()
        self._invalidate(0)

    def set_input(self, t: int, x: np.ndarray) -> None:
        """Replace input ``t``: steps t onward are stale."""
        self._check_index(t)
        self._inputs = inputs = with_input(self._inputs, t, x)
        self._hot[t] = _one_hot_columns(inputs[t : t + 1])[0]
        if self._projected_chunk == t // self._chunk:
            self._projected_chunk = -1
        self._invalidate(t)

    def set_initial_state(self, h0: np.ndarray | None, c0: np.ndarray | None) -> None:
        """New (h0, c0), each (H,) or None for zeros: every step is stale."""
        hidden = self._params.hidden_size
        h0 = check_state("h0", h0, hidden)
        c0 = check_state("c0", c0, hidden)
        self._h0, self._c0 = h0, c0
        self._states[0, _H] = h0
        self._states[0, _C] = c0
        self._invalidate(0)

    def _invalidate(self, t: int) -> None:
        """Steps t onward are stale."""
        self._computed = min(self._computed, t)
        self._z_ready = min(self._z_ready, t)

    # ----------------------------------------------------------- computation
    def _check_index(self, t: int) -> int:
        if not 0 <= t < len(self):
            raise IndexError(f"step {t} is outside 0..{len(self) - 1}")
        return t

    def ensure(self, t: int) -> None:
        """Compute every stale step up to and including ``t``."""
        self._check_index(t)
        # A cell that is told to (a relu forget gate, an identity cell) can grow
        # past float64's range: that is a result to show, not a warning to print
        # over the screen. Consumers check np.isfinite.
        with np.errstate(over="ignore", invalid="ignore"):
            while self._computed <= t:
                start = self._computed
                chunk_start = self._project(start)
                stop = min(t + 1, chunk_start + self._chunk)
                self._forward(start, stop, chunk_start)
                self._computed = stop

    def run(self) -> Trajectory:
        """Compute the whole sequence; returns self."""
        if len(self):
            self.ensure(len(self) - 1)
        return self

    def _project(self, t: int) -> int:
        """Hold the input projection of the chunk with step ``t``; the chunk's first step.

        Internal block order, sigmoid blocks halved, both biases included.
        """
        chunk = t // self._chunk
        start = chunk * self._chunk
        if chunk != self._projected_chunk:
            stop = min(len(self), start + self._chunk)
            out = self._projection[: stop - start]
            columns = self._hot[start:stop]
            if columns.min() >= 0:
                np.take(self._table, columns, axis=0, out=out)
            else:
                np.matmul(self._inputs[start:stop], self._w_ih_t, out=out)
                out += self._bias
            self._projected_chunk = chunk
        return start

    def _forward(self, start: int, stop: int, chunk_start: int) -> None:
        """Steps ``start`` to ``stop - 1`` of the projected chunk; earlier steps are current."""
        dot, add, multiply, tanh = np.dot, np.add, np.multiply, np.tanh
        w_hh = self._w_hh
        recurrent, pre, product = self._recurrent, self._pre, self._product
        through_forget, through_input = self._through
        scale, offset = self._scale, self._offset
        tanh_blocks, sigmoid_blocks = self._tanh_blocks, self._sigmoid_blocks
        other_blocks, clamp_blocks = self._other_blocks, self._clamp_blocks
        cell_fn = self._cell_fn
        states = self._states
        h_prev = states[start, _H]
        views: Iterable[tuple[np.ndarray, ...]]
        if stop == start + 1:
            # One step (the stepping case): indexing beats building iterators.
            row = states[stop]
            views = [
                (
                    self._projection[start - chunk_start],
                    self._gates4[start],
                    self._fi[start],
                    self._cg[start],
                    row[_C],
                    row[_H],
                    row[_O],
                )
            ]
        else:
            steps = states[start + 1 : stop + 1]
            views = zip(
                self._projection[start - chunk_start : stop - chunk_start],
                self._gates4[start:stop],
                self._fi[start:stop],
                self._cg[start:stop],
                steps[:, _C],
                steps[:, _H],
                steps[:, _O],
                strict=True,
            )
        # ``out`` is passed by position: parsing a keyword is a measurable
        # share of a call on arrays this small.
        for xt, at, fit, cgt, ct, ht, ot in views:
            dot(w_hh, h_prev, recurrent)
            add(xt, recurrent, pre)
            if tanh_blocks:
                tanh(pre, at)
                if sigmoid_blocks:
                    multiply(at, scale, at)
                    add(at, offset, at)
            for rows, fn in other_blocks:
                at[rows] = fn(pre[rows])
            for rows, value in clamp_blocks:
                at[rows] = value
            multiply(fit, cgt, product)
            add(through_forget, through_input, ct)
            if cell_fn is None:
                tanh(ct, ht)
            else:
                ht[...] = cell_fn(ct)
            multiply(ht, ot, ht)
            h_prev = ht

    def _rebuild_z(self) -> np.ndarray:
        """The z buffer (T, 4H) with every computed row current."""
        if self._z is None:
            self._z = np.empty((len(self), self._w_hh.shape[0]))
        dot, add, w_hh = np.dot, np.add, self._w_hh
        recurrent = np.empty(w_hh.shape[0])
        with np.errstate(over="ignore", invalid="ignore"):  # as in ensure()
            while self._z_ready < self._computed:
                start = self._z_ready
                chunk_start = self._project(start)
                stop = min(self._computed, chunk_start + self._chunk)
                rows = self._z[start:stop]
                # The loop's own two calls on the same operands: the same bits.
                for xt, h_prev, zt in zip(
                    self._projection[start - chunk_start : stop - chunk_start],
                    self._states[start:stop, _H],
                    rows,
                    strict=True,
                ):
                    dot(w_hh, h_prev, recurrent)
                    add(xt, recurrent, zt)
                rows[...] = rows[:, self._to_public] * self._unscale
                self._z_ready = stop
        return self._z

    def _replay_z(self, t: int, out: np.ndarray) -> None:
        """The loop's pre-activation of step ``t`` (internal order, halved), by the same calls."""
        chunk_start = self._project(t)
        recurrent = np.empty(self._w_hh.shape[0])
        np.dot(self._w_hh, self._states[t, _H], recurrent)
        np.add(self._projection[t - chunk_start], recurrent, out)

    # --------------------------------------------------------------- reading
    def replica(self, steps: int | None = None) -> Trajectory:
        """A new trajectory of the same weights, configuration and initial state on the
        first ``steps`` inputs (all of them by default), nothing computed yet.

        It shares no storage with this one, so another thread may run it while
        this one is stepped or edited.
        """
        inputs = self._inputs if steps is None else self._inputs[:steps]
        return Trajectory(self._params, inputs, self._config, self._h0, self._c0)

    def state(self, t: int) -> Step:
        """Copies of everything step ``t`` computed (computing it if needed)."""
        self.ensure(t)
        row = self._states[t + 1]
        pre = np.empty(self._w_hh.shape[0])
        self._replay_z(t, pre)
        return Step(
            pre[self._to_public] * self._unscale,
            row[_I].copy(),
            row[_F].copy(),
            row[_G].copy(),
            row[_O].copy(),
            row[_C].copy(),
            row[_H].copy(),
        )

    def previous(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """``(h_{t-1}, c_{t-1})``: the state step ``t`` started from."""
        self._check_index(t)
        if t == 0:
            return self._h0.copy(), self._c0.copy()
        self.ensure(t - 1)
        row = self._states[t]
        return row[_H].copy(), row[_C].copy()

    def vector(self, name: str) -> np.ndarray:
        """One computed vector over time by letter: ``z i f g o c h``."""
        if name not in ("z", "i", "f", "g", "o", "c", "h"):
            raise InputError(f"unknown vector {name!r}; choose one of: z, i, f, g, o, c, h")
        return getattr(self, name)


def check_inputs(inputs: np.ndarray, input_size: int) -> np.ndarray:
    """``inputs`` as a read-only (T, I) float64 copy; an :class:`InputError` unless it is
    2-D, ``input_size`` wide and finite."""
    x = np.asarray(inputs, dtype=np.float64)
    if x.ndim != 2:
        raise InputError(f"inputs must be 2-D (T, I), got shape {x.shape}")
    if x.shape[1] != input_size:
        raise InputError(
            f"the sequence has input size {x.shape[1]} but the weights expect {input_size}"
        )
    if not np.all(np.isfinite(x)):
        raise InputError("inputs contain NaN or inf")
    x = np.array(x, copy=True)
    x.setflags(write=False)
    return x


def check_state(name: str, value: np.ndarray | None, hidden: int) -> np.ndarray:
    """An initial state (H,) as a float64 copy, zeros for ``None``; an :class:`InputError`
    unless it is ``hidden`` finite numbers."""
    if value is None:
        return np.zeros(hidden)
    state = np.array(value, dtype=np.float64, copy=True)
    if state.shape != (hidden,):
        raise InputError(f"{name} must have shape ({hidden},), got {state.shape}")
    if not np.all(np.isfinite(state)):
        raise InputError(f"{name} contains NaN or inf")
    return state


def with_input(inputs: np.ndarray, t: int, x: np.ndarray) -> np.ndarray:
    """A read-only copy of ``inputs`` (T, I) with row ``t`` replaced by ``x`` (I finite numbers)."""
    size = inputs.shape[1]
    row = np.asarray(x, dtype=np.float64)
    if row.shape != (size,) or not np.all(np.isfinite(row)):
        raise InputError(f"input {t} must be {size} finite numbers")
    changed = np.array(inputs, copy=True)
    changed[t] = row
    changed.setflags(write=False)
    return changed


def check_step_units(steps: int, units: int) -> None:
    """An :class:`InputError` when ``steps`` × ``units`` is more than :data:`MAX_STEP_UNITS`."""
    values = steps * units
    if values > MAX_STEP_UNITS:
        raise InputError(
            f"{steps:,} steps × {units:,} units = {values:,} values is more than the "
            f"{MAX_STEP_UNITS:,} this program holds; use a shorter sequence or fewer units"
        )


def _one_hot_columns(inputs: np.ndarray) -> np.ndarray:
    """(T,) for (T, I) inputs: the column of the single 1.0 in each one-hot row, else -1."""
    if inputs.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    column = inputs.argmax(axis=1)
    hot = (np.count_nonzero(inputs, axis=1) == 1) & (
        inputs[np.arange(inputs.shape[0]), column] == 1.0
    )
    return np.where(hot, column, -1)


def run(
    params: LSTMParams,
    inputs: np.ndarray,
    config: CellConfig | None = None,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> Trajectory:
    """The whole sequence, computed."""
    return Trajectory(params, inputs, config, h0, c0).run()
