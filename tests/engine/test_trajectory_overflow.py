"""A cell told to grow past float64's range shows inf or NaN, and prints nothing."""

import warnings

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory


def test_runaway_cell_overflows_without_a_warning() -> None:
    hidden, steps = 2, 400
    params = LSTMParams.from_arrays(
        np.full((4 * hidden, 1), 30.0),
        np.zeros((4 * hidden, hidden)),
        np.zeros(4 * hidden),
        np.zeros(4 * hidden),
    )
    config = CellConfig.build({"forget": "relu", "cell": "identity"})
    traj = Trajectory(params, np.ones((steps, 1)), config)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj.run()
        z = traj.z
    assert not np.all(np.isfinite(traj.c))
    assert np.all(np.isfinite(z[:10]))
