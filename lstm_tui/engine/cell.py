"""One LSTM step, exactly as the equations read.

::

    z = W_ih x + b_ih + W_hh h + b_hh          (4H pre-activations)
    i = act_input(z_i)   f = act_forget(z_f)   g = act_candidate(z_g)   o = act_output(z_o)
    c' = f*c + i*g
    h' = o * act_cell(c')

This is the reference form, one call per step. :class:`~lstm_tui.engine.trajectory.Trajectory`
computes the same numbers over a whole sequence without per-step allocation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams


@dataclass(frozen=True)
class Step:
    """Everything one step computed. Shapes: ``z`` (4H,), the rest (H,)."""

    z: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray


_GATE_SLOTS = (("i", "input"), ("f", "forget"), ("g", "candidate"), ("o", "output"))


def step(
    params: LSTMParams,
    x: np.ndarray,
    h: np.ndarray,
    c: np.ndarray,
    config: CellConfig | None = None,
) -> Step:
    """One step from state ``(h, c)`` (each (H,)) on input ``x`` (I,)."""
    config = config or CellConfig()
    hidden = params.hidden_size
    z = params.weight_ih @ x + params.bias_ih + params.weight_hh @ h + params.bias_hh
    values = {}
    for k, (letter, slot) in enumerate(_GATE_SLOTS):
        clamp = config.clamp(slot)
        if clamp is not None:
            values[letter] = np.full(hidden, clamp)
        else:
            values[letter] = config.activation(slot).fn(z[k * hidden : (k + 1) * hidden])
    c_new = values["f"] * c + values["i"] * values["g"]
    h_new = values["o"] * config.activation("cell").fn(c_new)
    return Step(z, values["i"], values["f"], values["g"], values["o"], c_new, h_new)
