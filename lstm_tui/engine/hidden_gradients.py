"""Backpropagation through time for the plain RNN and the GRU: one target, a unit of h.

The question is the one the LSTM's gradient view asks (see
:mod:`lstm_tui.engine.gradients`): how much of a change at each earlier step
still reaches the selected unit now. These cells have no cell state, so the
change is to h_t, and ``dh[t]`` is the derivative of the target with respect
to h_t.

RNN, read bottom to top against its forward pass::

    z_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh     dh_{t-1} = W_hh^T dz_t, dx_t = W_ih^T dz_t
    h_t = tanh(z_t)                                 dz_t = dh_t * (1 - h_t^2)

so ``dh[t]`` is the product of the Jacobians ``diag(1 - h^2) W_hh`` of every
later step: unless W_hh and the slopes keep it up, it shrinks geometrically
(the vanishing gradient). The GRU adds a direct path, ``h_t = ... + z_t *
h_{t-1}``, along which the derivative is multiplied by the update gate z at
each step, as the LSTM's cell path is by f; :func:`update_path_gain` is that
product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_tui.engine.gradients import check_unit_and_step
from lstm_tui.engine.hidden_params import GRUParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.errors import InputError


@dataclass(frozen=True)
class HiddenGradients:
    """Derivatives of one target, ``h[step][unit]``, with respect to earlier values.

    Row t of each array belongs to step t, for t = 0 .. step.

    - ``dpre`` (step+1, kH): with respect to the input side of each block's
      pre-activation, ``W_ih x_t + b_ih`` (k = 1 for the RNN, 3 for the GRU).
    - ``dh`` (step+1, H): with respect to h_t.
    - ``dx`` (step+1, I): with respect to the input x_t.
    - ``dh0`` (H,): with respect to the initial state h0.
    """

    unit: int
    step: int
    dpre: np.ndarray
    dh: np.ndarray
    dx: np.ndarray
    dh0: np.ndarray


def _check_target(traj: HiddenTrajectory, unit: object, step: object) -> tuple[int, int]:
    return check_unit_and_step(traj.params.hidden_size, len(traj), unit, step)


def hidden_gradients(traj: HiddenTrajectory, unit: int, step: int) -> HiddenGradients:
    """Backpropagate from ``h[step][unit]`` to every earlier step of an RNN or GRU.

    Computes the trajectory up to ``step`` if needed; raises
    :class:`InputError` for a unit or step out of range.
    """
    unit, step = _check_target(traj, unit, step)
    traj.ensure(step)
    n = step + 1
    h = traj.h[:n]
    h_prev = np.concatenate([traj.h0[None, :], h[:-1]])
    seed = np.zeros(traj.params.hidden_size)
    seed[unit] = 1.0
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if isinstance(traj.params, GRUParams):
            dpre, dh, dh0 = _gru_backward(traj, traj.params, h_prev, seed)
        else:
            dpre, dh, dh0 = _rnn_backward(traj, h, seed)
        dx = dpre @ traj.params.weight_ih
    return HiddenGradients(unit, step, dpre, dh, dx, dh0)


def _rnn_backward(
    traj: HiddenTrajectory, h: np.ndarray, seed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w_hh = traj.params.weight_hh
    slope = 1.0 - h * h
    dz = np.empty_like(h)
    dh = np.empty_like(h)
    dh_next = seed
    for t in range(len(h) - 1, -1, -1):
        dh[t] = dh_next
        dz[t] = dh_next * slope[t]
        dh_next = dz[t] @ w_hh
    return dz, dh, dh_next


def _gru_backward(
    traj: HiddenTrajectory, params: GRUParams, h_prev: np.ndarray, seed: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_steps, hidden = h_prev.shape
    r, z, n = (traj.vector(name)[:n_steps] for name in ("r", "z", "n"))
    rows = params.block("n")
    # W_hn h_{t-1} + b_hn, the part of n's pre-activation that r scales.
    from_state_n = h_prev @ params.weight_hh[rows].T + params.bias_hh[rows]
    w_hh = params.weight_hh
    dpre = np.empty((n_steps, 3 * hidden))
    dh = np.empty((n_steps, hidden))
    through_state = np.empty(3 * hidden)
    dh_next = seed
    for t in range(n_steps - 1, -1, -1):
        dh[t] = dh_next
        dn = dh_next * (1.0 - z[t]) * (1.0 - n[t] * n[t])
        dr = dn * from_state_n[t] * r[t] * (1.0 - r[t])
        dz = dh_next * (h_prev[t] - n[t]) * z[t] * (1.0 - z[t])
        dpre[t, :hidden], dpre[t, hidden : 2 * hidden], dpre[t, 2 * hidden :] = dr, dz, dn
        through_state[: 2 * hidden] = dpre[t, : 2 * hidden]
        through_state[2 * hidden :] = dn * r[t]
        dh_next = dh_next * z[t] + through_state @ w_hh
    return dpre, dh, dh_next


def update_path_gain(traj: HiddenTrajectory, unit: int, step: int) -> np.ndarray:
    """(step+1,): ``|z_{t+1} * ... * z_step|`` for one unit of a GRU (1 at t = step).

    How much of a change to h_t reaches ``h[step][unit]`` along the direct
    path alone, ``h = (1 - z) n + z h_prev``: the GRU's counterpart of the
    LSTM's :func:`~lstm_tui.engine.gradients.cell_path_gain`.
    """
    if not isinstance(traj.params, GRUParams):
        raise InputError("only a GRU has an update gate; the RNN's only path is through tanh")
    unit, step = _check_target(traj, unit, step)
    traj.ensure(step)
    gain = np.ones(step + 1)
    later = np.abs(traj.vector("z")[1 : step + 1, unit])
    with np.errstate(under="ignore"):
        gain[:step] = np.cumprod(later[::-1])[::-1]
    return gain
