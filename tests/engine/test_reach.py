"""What reaches a unit from earlier steps, on a window of steps, equals the whole backward pass."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tui.engine.gradients import gradients
from lstm_tui.engine.hidden_gradients import hidden_gradients
from lstm_tui.engine.hidden_params import GRUParams, RNNParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.reach import reach
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError
from lstm_tui.session import open_session

INPUTS = np.random.default_rng(4).normal(size=(40, 2))


@pytest.mark.parametrize("window", [1, 7, 40, 100])
def test_a_window_gives_the_last_steps_of_the_whole_backward_pass(window: int) -> None:
    lstm = Trajectory(LSTMParams.random(3, 2, seed=1), INPUTS, h0=np.full(3, 0.2))
    whole = gradients(lstm, "c", 1, 30).dc[:, 1]
    np.testing.assert_allclose(reach(lstm, 1, 30, window), whole[-window:], rtol=1e-12, atol=1e-15)
    for cls in (RNNParams, GRUParams):
        cell = HiddenTrajectory(cls.random(3, 2, seed=2), INPUTS, np.full(3, -0.3))
        whole = hidden_gradients(cell, 2, 30).dh[:, 2]
        got = reach(cell, 2, 30, window)
        np.testing.assert_allclose(got, whole[-window:], rtol=1e-12, atol=1e-15)


def test_on_the_counter_the_lstm_carries_the_change_where_the_rnn_loses_it() -> None:
    session = open_session("brackets", preset="counter")
    lstm = session.trajectory
    rnn = HiddenTrajectory(RNNParams.from_lstm(session.params), session.sequence.inputs)
    a, b = reach(lstm, 0, 200, 101), reach(rnn, 0, 200, 101)
    # 100 steps back: the LSTM's never-forgetting unit keeps all of it, the RNN none.
    assert abs(a[0]) == pytest.approx(1.0, abs=1e-5)
    assert abs(b[0]) < 1e-6 and abs(b[-11]) < 1e-6


def test_a_bad_unit_or_step_is_one_line() -> None:
    with pytest.raises(InputError, match=r"unit must be an integer in 0\.\.2"):
        reach(HiddenTrajectory(RNNParams.random(3, 2), INPUTS), 3, 5, 10)
    with pytest.raises(InputError, match=r"step must be an integer in 0\.\.39"):
        reach(Trajectory(LSTMParams.random(3, 2), INPUTS), 0, 40, 10)
