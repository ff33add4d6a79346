"""BPTT through the plain RNN and the GRU against central finite differences.

As for the LSTM (``test_gradients.py``, whose helpers are used here), every
check perturbs one number, reruns the sequence with the reference step of
:mod:`lstm_tui.engine.hidden_cells` (not the trajectory), and compares the
slope of the target with the analytic gradient.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from lstm_tui.engine.hidden_cells import hidden_step
from lstm_tui.engine.hidden_gradients import hidden_gradients, update_path_gain
from lstm_tui.engine.hidden_params import PARAMS_OF_KIND, GRUParams, HiddenParams, RNNParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.errors import InputError
from tests.engine.test_gradients import assert_gradient_close, central

HIDDEN, INPUT, STEPS = 3, 2, 7


def problem(kind: str, seed: int) -> tuple[HiddenParams, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows = PARAMS_OF_KIND[kind].blocks * HIDDEN
    params = PARAMS_OF_KIND[kind].from_arrays(
        rng.uniform(-1.2, 1.2, (rows, INPUT)),
        rng.uniform(-1.2, 1.2, (rows, HIDDEN)),
        rng.uniform(-0.8, 0.8, rows),
        rng.uniform(-0.8, 0.8, rows),
    )
    return params, rng.normal(size=(STEPS, INPUT)), rng.uniform(-0.8, 0.8, HIDDEN)


def reference_h(params: HiddenParams, inputs: np.ndarray, h: np.ndarray, start: int, stop: int):
    """h after step ``stop``, starting from ``h`` as the state before step ``start``."""
    for t in range(start, stop + 1):
        h = hidden_step(params, inputs[t], h)[-1]
    return h


@pytest.mark.parametrize("kind", ["rnn", "gru"])
@pytest.mark.parametrize(("unit", "stop"), [(0, STEPS - 1), (2, STEPS - 1), (1, 3), (1, 0)])
def test_gradients_equal_finite_differences(kind: str, unit: int, stop: int) -> None:
    params, inputs, h0 = problem(kind, seed=5)
    grads = hidden_gradients(HiddenTrajectory(params, inputs, h0), unit, stop)
    states = [reference_h(params, inputs, h0, 0, t) for t in range(stop + 1)]

    def after_state(t: int, h: np.ndarray) -> float:
        # The target when h_t is ``h`` (t = -1: the initial state).
        return float((reference_h(params, inputs, h, t + 1, stop) if t < stop else h)[unit])

    def after_input(t: int, x: np.ndarray) -> float:
        changed = inputs.copy()
        changed[t] = x
        return float(reference_h(params, changed, h0, 0, stop)[unit])

    rows = range(stop + 1)
    numeric = {
        "dh": np.array([central(partial(after_state, t), states[t]) for t in rows]),
        "dx": np.array([central(partial(after_input, t), inputs[t]) for t in rows]),
        "dh0": central(partial(after_state, -1), h0),
    }
    for name, expected in numeric.items():
        assert_gradient_close(getattr(grads, name), expected, f"{kind} h[{stop}][{unit}] {name}")
    assert grads.dpre.shape == (stop + 1, params.blocks * HIDDEN)
    np.testing.assert_array_equal(grads.dh[stop], np.eye(HIDDEN)[unit])


def test_the_rnn_gradient_is_the_product_of_the_jacobians() -> None:
    # One unit: each Jacobian is the number (1 - h_t^2) * w_hh.
    params = RNNParams.from_arrays([[0.7]], [[1.3]], [0.1], [-0.2])
    traj = HiddenTrajectory(params, np.random.default_rng(1).normal(size=(20, 1))).run()
    jacobians = (1.0 - traj.h[:, 0] ** 2) * 1.3
    expected = np.append(np.cumprod(jacobians[:0:-1])[::-1], 1.0)
    np.testing.assert_allclose(hidden_gradients(traj, 0, 19).dh[:, 0], expected, rtol=1e-13)


def test_the_rnn_gradient_vanishes_where_tanh_saturates() -> None:
    # |w_hh| < 1 and a slope of at most 1: every step back shrinks it; 40 back it is gone.
    params = RNNParams.random(6, 2, seed=3)
    traj = HiddenTrajectory(params, np.random.default_rng(2).normal(size=(60, 2))).run()
    dh = np.abs(hidden_gradients(traj, 2, 59).dh[:, 2])
    assert dh[-1] == 1.0
    assert dh[59 - 40] < 1e-4


def test_update_path_gain_is_the_gradient_when_h_feeds_back_only_directly() -> None:
    params, inputs, h0 = problem("gru", seed=8)
    params = GRUParams.from_arrays(
        params.weight_ih, np.zeros((3 * HIDDEN, HIDDEN)), params.bias_ih, params.bias_hh
    )
    traj = HiddenTrajectory(params, inputs, h0)
    gain = update_path_gain(traj, 1, STEPS - 1)
    np.testing.assert_allclose(gain, np.abs(hidden_gradients(traj, 1, STEPS - 1).dh[:, 1]))
    np.testing.assert_allclose(gain[:-1], np.cumprod(traj.vector("z")[:0:-1, 1])[::-1])


def test_update_path_gain_needs_a_gru() -> None:
    traj = HiddenTrajectory(RNNParams.random(2, 1), np.ones((3, 1)))
    with pytest.raises(InputError, match="only a GRU has an update gate"):
        update_path_gain(traj, 0, 2)


@pytest.mark.parametrize(
    ("unit", "step", "message"),
    [
        (3, 1, "unit must be an integer in 0..2"),
        (0, 5, "step must be an integer in 0..4"),
        (True, 1, "unit must be"),
        (0, -1, "step must be"),
    ],
)
def test_bad_targets_are_one_line(unit: object, step: object, message: str) -> None:
    traj = HiddenTrajectory(GRUParams.random(3, 2), np.ones((5, 2)))
    with pytest.raises(InputError, match=message) as err:
        hidden_gradients(traj, unit, step)  # type: ignore[arg-type]
    assert "\n" not in str(err.value)


def test_gradients_compute_the_trajectory_only_as_far_as_needed() -> None:
    traj = HiddenTrajectory(RNNParams.random(3, 2), np.ones((10, 2)))
    hidden_gradients(traj, 0, 3)
    assert traj.computed == 4
