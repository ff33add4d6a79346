"""Backpropagation through time for one target: a unit of h or c at one step.

The backward pass mirrors the forward one (see :mod:`lstm_tui.engine.cell`)
line by line, read bottom to top::

    forward                              backward (d = derivative of the target)
    z = W_ih x + b_ih + W_hh h_prev + b_hh   dx = W_ih^T dz, dh_prev = W_hh^T dz
    i, f, g, o = act(z blocks)           dz = (di, df, dg, do) * act'(z blocks)
    c = f*c_prev + i*g                   di = dc*g, df = dc*c_prev, dg = dc*i,
                                         dc_prev (through the cell path) = dc*f
    h = o * act_cell(c)                  do = dh*act_cell(c), dc += dh*o*act_cell'(c)

Two derivatives per step, with different things held fixed, because the
screen asks two different questions:

- ``dh[t]``: the target's derivative with respect to h_t, holding c_t. It
  reaches the target only through the next step's pre-activations.
- ``dc[t]``: the total derivative with respect to c_t treated as a free
  variable, so its effect through h_t = o_t * act_cell(c_t) counts too.

Along the cell path alone the derivative is multiplied by f at every step:
a forget gate held at 1 carries it back unchanged, one at 0.9 shrinks it by
0.9 a step. :func:`cell_path_gain` gives exactly that product.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError

TARGET_VECTORS: tuple[str, ...] = ("h", "c")

_GATE_SLOTS = ("input", "forget", "candidate", "output")


@dataclass(frozen=True)
class Gradients:
    """Derivatives of one target, ``vector[step][unit]``, with respect to earlier values.

    Row t of each array belongs to step t, for t = 0 .. step.

    - ``dz`` (step+1, 4H): with respect to the pre-activations z_t (gate order
      i, f, g, o; zero in a clamped gate's block).
    - ``dc`` (step+1, H): with respect to c_t as a free variable (its effect
      through h_t counts).
    - ``dh`` (step+1, H): with respect to h_t, holding c_t.
    - ``dx`` (step+1, I): with respect to the input x_t.
    - ``dc0``, ``dh0`` (H,): with respect to the initial state c0 and h0.
    """

    vector: str
    unit: int
    step: int
    dz: np.ndarray
    dc: np.ndarray
    dh: np.ndarray
    dx: np.ndarray
    dc0: np.ndarray
    dh0: np.ndarray


def _check_target(traj: Trajectory, vector: str, unit: object, step: object) -> tuple[int, int]:
    if vector not in TARGET_VECTORS:
        raise InputError(
            f"gradient target must be one of: {', '.join(TARGET_VECTORS)}; got {vector!r}"
        )
    return check_unit_and_step(traj.params.hidden_size, len(traj), unit, step)


def check_unit_and_step(hidden: int, steps: int, unit: object, step: object) -> tuple[int, int]:
    """``(unit, step)`` as ints when they name one of ``hidden`` units and ``steps`` steps;
    an :class:`InputError` saying which is out of range otherwise."""
    if not isinstance(unit, Integral) or isinstance(unit, bool) or not 0 <= int(unit) < hidden:
        raise InputError(f"unit must be an integer in 0..{hidden - 1}, got {unit!r}")
    if not isinstance(step, Integral) or isinstance(step, bool) or not 0 <= int(step) < steps:
        last = steps - 1
        span = f"0..{last}" if last >= 0 else "nothing (the sequence is empty)"
        raise InputError(f"step must be an integer in {span}, got {step!r}")
    return int(unit), int(step)


# A forward pass that overflowed gives inf, and nan (0·inf), here too: those
# are the answer (the screen says "overflowed"), so no warnings.
@np.errstate(over="ignore", invalid="ignore")
def gradients(traj: Trajectory, vector: str, unit: int, step: int) -> Gradients:
    """Backpropagate from ``vector[step][unit]`` (vector "h" or "c") to every earlier step.

    Computes the trajectory up to ``step`` if needed. Each slot's derivative is
    its activation's ``deriv`` at the pre-activation (at c_t for the cell
    slot); a clamped gate is a constant, so its derivative is zero.
    Raises :class:`InputError` for an unknown vector or a unit or step out of range.
    """
    unit, step = _check_target(traj, vector, unit, step)
    traj.ensure(step)
    params, config = traj.params, traj.config
    hidden = params.hidden_size
    n = step + 1
    z = traj.z[:n]
    i, f, g, o, c = traj.i[:n], traj.f[:n], traj.g[:n], traj.o[:n], traj.c[:n]
    c_prev = np.concatenate([traj.c0[None, :], c[:-1]])

    # act'(z) for every gate block and step at once; zero where a gate is clamped.
    slope = np.zeros((n, 4 * hidden))
    for k, slot in enumerate(_GATE_SLOTS):
        if config.clamp(slot) is None:
            rows = slice(k * hidden, (k + 1) * hidden)
            slope[:, rows] = config.activation(slot).deriv(z[:, rows])
    cell = config.activation("cell")
    cell_out = cell.fn(c)
    cell_slope = cell.deriv(c)

    w_hh = params.weight_hh
    dz = np.empty((n, 4 * hidden))
    dc = np.empty((n, hidden))
    dh = np.empty((n, hidden))
    # What flows into step t from step t + 1: through z_{t+1} into h_t, and
    # through c_{t+1} = f_{t+1} c_t + ... into c_t.
    dh_next = np.zeros(hidden)
    dc_next = np.zeros(hidden)
    dh_next[unit] = 1.0 if vector == "h" else 0.0
    dc_next[unit] = 1.0 if vector == "c" else 0.0
    for t in range(step, -1, -1):
        dh[t] = dh_next
        dc[t] = dc_next + dh_next * o[t] * cell_slope[t]
        dzt = dz[t]
        dzt[0:hidden] = dc[t] * g[t]
        dzt[hidden : 2 * hidden] = dc[t] * c_prev[t]
        dzt[2 * hidden : 3 * hidden] = dc[t] * i[t]
        dzt[3 * hidden :] = dh[t] * cell_out[t]
        dzt *= slope[t]
        dh_next = dzt @ w_hh
        dc_next = dc[t] * f[t]
    # x_t reaches the target only through z_t, so all the dx rows are one product.
    dx = dz @ params.weight_ih
    return Gradients(vector, unit, step, dz, dc, dh, dx, dc_next, dh_next)


def cell_path_gain(traj: Trajectory, unit: int, step: int) -> np.ndarray:
    """(step+1,): |d c_step / d c_t| for one unit along the cell path alone.

    Entry t is ``|f_{t+1} * f_{t+2} * ... * f_step|`` for that unit (1 at t =
    step): how much of the error at ``step`` the cell state carries back to
    step t without passing through h. A forget gate clamped to 1 gives all
    ones; one held at 0.9 gives 0.9 ** (step - t). It equals
    ``|gradients(traj, "c", unit, step).dc[:, unit]|`` when the recurrent
    weights are zero; otherwise the full gradient adds the paths through h.
    """
    unit, step = _check_target(traj, "c", unit, step)
    traj.ensure(step)
    gain = np.ones(step + 1)
    later = np.abs(traj.f[1 : step + 1, unit])
    # A forget slot with an unbounded activation can overflow: inf is the
    # honest answer there, so no warning.
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        gain[:step] = np.cumprod(later[::-1])[::-1]
    return gain
