"""One step of the plain RNN and of the GRU, exactly as PyTorch's equations read.

RNN (``torch.nn.RNN``, tanh)::

    z  = W_ih x + b_ih + W_hh h + b_hh         (H pre-activations)
    h' = tanh(z)

GRU (``torch.nn.GRU``; blocks r, z, n of every parameter array)::

    r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)        reset gate
    z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)        update gate
    n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))     candidate
    h' = (1 - z) * n + z * h

Note that the GRU's ``z`` is its update gate (PyTorch's name), where the
RNN's and the LSTM's ``z`` are pre-activations. Each step returns every
vector it computed, by name, in the order of :data:`STEP_VECTORS`; the last
is always ``h``.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.activations import get_activation
from lstm_tui.engine.hidden_params import GRUParams, HiddenParams, RNNParams

STEP_VECTORS: dict[str, tuple[str, ...]] = {"rnn": ("z", "h"), "gru": ("r", "z", "n", "h")}
"""The vectors one step of each kind computes, each (H,)."""

_sigmoid = get_activation("sigmoid").fn


def rnn_step(params: RNNParams, x: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, ...]:
    """``(z, h')`` from state ``h`` (H,) on input ``x`` (I,)."""
    z = params.weight_ih @ x + params.bias_ih + (params.weight_hh @ h + params.bias_hh)
    return z, np.tanh(z)


def gru_step(params: GRUParams, x: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, ...]:
    """``(r, z, n, h')`` from state ``h`` (H,) on input ``x`` (I,)."""
    hidden = params.hidden_size
    from_input = params.weight_ih @ x + params.bias_ih
    from_state = params.weight_hh @ h + params.bias_hh
    gates = _sigmoid(from_input[: 2 * hidden] + from_state[: 2 * hidden])
    r, z = gates[:hidden], gates[hidden:]
    n = np.tanh(from_input[2 * hidden :] + r * from_state[2 * hidden :])
    return r, z, n, (1.0 - z) * n + z * h


def hidden_step(params: HiddenParams, x: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, ...]:
    """One step of whichever kind ``params`` are for."""
    if isinstance(params, GRUParams):
        return gru_step(params, x, h)
    assert isinstance(params, RNNParams)
    return rnn_step(params, x, h)
