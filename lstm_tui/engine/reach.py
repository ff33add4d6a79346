"""How much of a change at each earlier step still reaches one unit now, for any cell.

For an LSTM the change is to the cell state, ``d c_step[unit] / d c_t[unit]``;
for a plain RNN or a GRU, which have no cell state, to the output,
``d h_step[unit] / d h_t[unit]``. Both come from backpropagation through time
(:mod:`lstm_tui.engine.gradients`, :mod:`lstm_tui.engine.hidden_gradients`),
run over the last ``window`` steps only: a derivative with respect to a
state at step t depends on nothing before t, so a run that starts at step
``step - window + 1`` from the state the whole run had there gives exactly
those steps' numbers, at a cost that does not grow with the sequence.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.gradients import check_unit_and_step, gradients
from lstm_tui.engine.hidden_gradients import hidden_gradients
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.trajectory import Trajectory


def reach(traj: Trajectory | HiddenTrajectory, unit: int, step: int, window: int) -> np.ndarray:
    """(n,): entry k is what reaches ``unit`` at ``step`` from step ``step - n + 1 + k``,
    for the last n = min(window, step + 1) steps (1 at ``step`` itself)."""
    unit, step = check_unit_and_step(traj.params.hidden_size, len(traj), unit, step)
    start = max(0, step - max(1, window) + 1)
    inputs = traj.inputs[start : step + 1]
    last = len(inputs) - 1
    if isinstance(traj, HiddenTrajectory):
        h0 = traj.previous(start)
        part = HiddenTrajectory(traj.params, inputs, h0)
        return hidden_gradients(part, unit, last).dh[:, unit]
    h0, c0 = traj.previous(start)
    lstm = Trajectory(traj.params, inputs, traj.config, h0, c0)
    return gradients(lstm, "c", unit, last).dc[:, unit]
