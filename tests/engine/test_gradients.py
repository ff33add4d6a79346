"""Backpropagation through time against central finite differences.

Every check perturbs one number, reruns the sequence with the reference
:func:`cell.step` (not the trajectory), and compares the slope of the target
with the analytic gradient: relative error below 1e-6, entries smaller than
1e-3 compared absolutely at 1e-9.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial

import numpy as np
import pytest

from lstm_tui.engine.activations import ACTIVATIONS, GATES, SLOTS
from lstm_tui.engine.cell import step as cell_step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.gradients import Gradients, cell_path_gain, gradients
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory, run
from lstm_tui.errors import InputError

EPS = 1e-6
HIDDEN, INPUT, STEPS = 3, 2, 6
# Sample points closer than this to a kink are avoided: the perturbations
# that reach them are orders of magnitude smaller.
KINK_MARGIN = 1e-3
GATE_BLOCK = {"input": 0, "forget": 1, "candidate": 2, "output": 3}


def assert_gradient_close(analytic: np.ndarray, numeric: np.ndarray, name: str) -> None:
    assert analytic.shape == numeric.shape, name
    size = np.maximum(np.abs(analytic), np.abs(numeric))
    error = np.abs(analytic - numeric) / np.maximum(size, 1e-3)
    worst = np.unravel_index(np.argmax(error), error.shape) if error.size else ()
    assert error.max(initial=0.0) < 1e-6, (
        f"{name}: relative error {error.max():.2e} at {worst}: "
        f"analytic {analytic[worst]!r}, numeric {numeric[worst]!r}"
    )


class Problem:
    """One sequence, its reference forward pass, and finite-difference slopes of a target."""

    def __init__(self, config: CellConfig, seed: int) -> None:
        rng = np.random.default_rng(seed)
        rows = 4 * HIDDEN
        self.params = LSTMParams.from_arrays(
            rng.uniform(-1.2, 1.2, (rows, INPUT)),
            rng.uniform(-1.2, 1.2, (rows, HIDDEN)),
            rng.uniform(-0.8, 0.8, rows),
            rng.uniform(-0.8, 0.8, rows),
        )
        self.config = config
        self.inputs = rng.normal(size=(STEPS, INPUT))
        self.h0 = rng.uniform(-0.8, 0.8, HIDDEN)
        self.c0 = rng.uniform(-1.5, 1.5, HIDDEN)
        self.steps = self.forward(0, self.h0, self.c0, self.inputs, STEPS - 1)

    def trajectory(self) -> Trajectory:
        return Trajectory(self.params, self.inputs, self.config, self.h0, self.c0)

    def forward(self, start, h, c, inputs, stop):
        """Reference steps ``start`` .. ``stop`` from state (h, c)."""
        out = []
        for t in range(start, stop + 1):
            result = cell_step(self.params, inputs[t], h, c, self.config)
            out.append(result)
            h, c = result.h, result.c
        return out

    def kink_margin(self) -> float:
        return kink_margin(self.config, self.steps, HIDDEN)

    # -- the target as a function of one perturbed value --------------------------
    def state_before(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        return (self.h0, self.c0) if t == 0 else (self.steps[t - 1].h, self.steps[t - 1].c)

    def target_after(self, vector, unit, stop, t, h, c, inputs=None) -> float:
        """The target when the state after step ``t`` (t = -1: the initial state) is (h, c)."""
        if t < stop:
            last = self.forward(t + 1, h, c, self.inputs if inputs is None else inputs, stop)[-1]
            h, c = last.h, last.c
        return (h if vector == "h" else c)[unit]

    def numeric(self, vector: str, unit: int, stop: int) -> dict[str, np.ndarray]:
        act_cell = self.config.activation("cell").fn
        target = partial(self.target_after, vector, unit, stop)

        def through_c(t: int, c: np.ndarray) -> float:
            # c_t as a free variable: h_t = o_t * act_cell(c_t) follows it.
            return target(t, self.steps[t].o * act_cell(c), c)

        def through_h(t: int, h: np.ndarray) -> float:
            return target(t, h, self.steps[t].c)

        def through_x(t: int, x: np.ndarray) -> float:
            inputs = self.inputs.copy()
            inputs[t] = x
            return target(t - 1, *self.state_before(t), inputs)

        rows = range(stop + 1)
        return {
            "dc": np.array([central(partial(through_c, t), self.steps[t].c) for t in rows]),
            "dh": np.array([central(partial(through_h, t), self.steps[t].h) for t in rows]),
            "dx": np.array([central(partial(through_x, t), self.inputs[t]) for t in rows]),
            "dh0": central(lambda h0: target(-1, h0, self.c0), self.h0),
            "dc0": central(lambda c0: target(-1, self.h0, c0), self.c0),
        }


def kink_margin(config: CellConfig, steps: list, hidden: int) -> float:
    """How close any sample point of ``steps`` (each with its z and c) comes to a kink of
    the activation applied to it."""
    margin = np.inf
    for slot in SLOTS:
        kinks = ACTIVATIONS[config.activation_name(slot)].kinks
        if not kinks or (slot in GATES and config.clamp(slot) is not None):
            continue
        if slot == "cell":
            points = np.array([s.c for s in steps])
        else:
            k = GATE_BLOCK[slot]
            points = np.array([s.z[k * hidden : (k + 1) * hidden] for s in steps])
        for kink in kinks:
            margin = min(margin, float(np.min(np.abs(points - kink))))
    return margin


def first_clear_of_kinks(make: Callable[[int], Problem], config: CellConfig) -> Problem:
    """The first seeded problem whose sample points keep clear of every kink."""
    for seed in range(200):
        problem = make(seed)
        if problem.kink_margin() > KINK_MARGIN:
            return problem
    raise AssertionError(f"no seed keeps clear of the kinks for {config}")


def central(evaluate: Callable[[np.ndarray], float], at: np.ndarray) -> np.ndarray:
    """Central-difference slope of ``evaluate`` along each coordinate of ``at``."""
    slopes = np.empty(at.shape)
    for j in range(at.size):
        step = np.zeros(at.shape)
        step[j] = EPS
        slopes[j] = (evaluate(at + step) - evaluate(at - step)) / (2 * EPS)
    return slopes


def problem_for(config: CellConfig) -> Problem:
    return first_clear_of_kinks(partial(Problem, config), config)


def check(problem: Problem, vector: str, unit: int, stop: int) -> Gradients:
    grads = gradients(problem.trajectory(), vector, unit, stop)
    numeric = problem.numeric(vector, unit, stop)
    for name, expected in numeric.items():
        assert_gradient_close(getattr(grads, name), expected, f"{vector}[{stop}][{unit}] {name}")
    return grads


def other_gate(slot: str) -> str:
    """A gate to clamp that leaves ``slot`` computed."""
    return "input" if slot == "forget" else "forget"


# Every activation in every slot; each alone, then alongside a clamp on another gate.
CASES = [
    pytest.param(slot, name, clamped, id=f"{slot}={name}{'+clamp' if clamped else ''}")
    for slot, name, clamped in itertools.product(SLOTS, sorted(ACTIVATIONS), (False, True))
]


@pytest.mark.parametrize(("slot", "name", "clamped"), CASES)
def test_gradients_equal_finite_differences(slot: str, name: str, clamped: bool) -> None:
    clamps = {other_gate(slot): 0.85} if clamped else {}
    problem = problem_for(CellConfig.build({slot: name}, clamps))
    for vector, unit in (("h", 0), ("c", 2)):
        check(problem, vector, unit, STEPS - 1)


@pytest.mark.parametrize("vector", ["h", "c"])
@pytest.mark.parametrize("stop", [0, 2])
def test_targets_before_the_last_step(vector: str, stop: int) -> None:
    problem = problem_for(CellConfig())
    grads = check(problem, vector, 1, stop)
    assert grads.step == stop and grads.dc.shape == (stop + 1, HIDDEN)


def test_all_three_gates_clamped() -> None:
    config = CellConfig.build(
        {"candidate": "softsign"}, {"input": 0.5, "forget": 1.0, "output": 0.3}
    )
    problem = problem_for(config)
    for vector in ("h", "c"):
        grads = check(problem, vector, 1, STEPS - 1)
        # Only the candidate block is computed, so only it has a slope.
        assert np.all(grads.dz[:, : 2 * HIDDEN] == 0.0)
        assert np.all(grads.dz[:, 3 * HIDDEN :] == 0.0)


def test_shapes_and_the_target_itself() -> None:
    problem = problem_for(CellConfig())
    traj = problem.trajectory()
    grads = gradients(traj, "h", 2, 4)
    assert (grads.vector, grads.unit, grads.step) == ("h", 2, 4)
    assert grads.dz.shape == (5, 4 * HIDDEN)
    assert grads.dc.shape == grads.dh.shape == (5, HIDDEN)
    assert grads.dx.shape == (5, INPUT)
    assert grads.dc0.shape == grads.dh0.shape == (HIDDEN,)
    # d h_T[u] / d h_T = e_u (c held); through c_T it is o * act_cell'(c_T).
    np.testing.assert_array_equal(grads.dh[4], np.eye(HIDDEN)[2])
    expected = np.zeros(HIDDEN)
    expected[2] = traj.o[4, 2] * (1.0 - np.tanh(traj.c[4, 2]) ** 2)
    np.testing.assert_allclose(grads.dc[4], expected, rtol=1e-15)
    c_grads = gradients(traj, "c", 0, 4)
    np.testing.assert_array_equal(c_grads.dc[4], np.eye(HIDDEN)[0])
    np.testing.assert_array_equal(c_grads.dh[4], np.zeros(HIDDEN))


def test_gradients_compute_the_trajectory_only_as_far_as_needed() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), np.ones((10, 2)))
    gradients(traj, "c", 0, 3)
    assert traj.computed == 4


# ----------------------------------------------------------------- the cell path
def test_forget_clamped_to_one_carries_the_error_back_unchanged() -> None:
    params = LSTMParams.random(4, 2, seed=1).replace(weight_hh=np.zeros((16, 4)))
    config = CellConfig.build(clamps={"forget": 1.0})
    traj = run(params, np.random.default_rng(0).normal(size=(30, 2)), config)
    np.testing.assert_array_equal(cell_path_gain(traj, 1, 29), np.ones(30))
    grads = gradients(traj, "c", 1, 29)
    np.testing.assert_array_equal(grads.dc[:, 1], np.ones(30))
    np.testing.assert_array_equal(np.delete(grads.dc, 1, axis=1), np.zeros((30, 3)))


def test_forget_clamped_at_point_nine_shrinks_geometrically() -> None:
    config = CellConfig.build(clamps={"forget": 0.9})
    traj = run(LSTMParams.random(4, 2, seed=1), np.ones((25, 2)), config)
    gain = cell_path_gain(traj, 3, 20)
    assert gain.shape == (21,)
    np.testing.assert_allclose(gain, 0.9 ** np.arange(20, -1, -1), rtol=1e-13)


def test_cell_path_gain_is_the_gradient_when_h_does_not_feed_back() -> None:
    params = LSTMParams.random(5, 3, seed=2).replace(weight_hh=np.zeros((20, 5)))
    traj = run(params, np.random.default_rng(3).normal(size=(12, 3)))
    gain = cell_path_gain(traj, 4, 11)
    np.testing.assert_allclose(gain, np.abs(gradients(traj, "c", 4, 11).dc[:, 4]), rtol=1e-14)
    np.testing.assert_allclose(gain[:-1], np.abs(np.cumprod(traj.f[:0:-1, 4])[::-1]), rtol=1e-14)


def test_cell_path_gain_is_quiet_when_an_unbounded_forget_gate_overflows() -> None:
    params = LSTMParams.zeros(1, 1).replace(bias_ih=np.full(4, 1e300))
    with np.errstate(over="ignore"):
        # The cell state itself overflows here; that is the trajectory's business.
        traj = run(params, np.zeros((4, 1)), CellConfig.build({"forget": "identity"}))
    with np.errstate(all="raise"):
        gain = cell_path_gain(traj, 0, 3)
    assert gain[-1] == 1.0 and gain[-2] == 1e300 and np.isinf(gain[0])


# ----------------------------------------------------------------- bad targets
@pytest.fixture
def traj() -> Trajectory:
    return Trajectory(LSTMParams.random(3, 2), np.ones((5, 2)))


@pytest.mark.parametrize("vector", ["z", "i", "H", ""])
def test_unknown_target_vector_lists_the_valid_ones(traj: Trajectory, vector: str) -> None:
    with pytest.raises(InputError) as err:
        gradients(traj, vector, 0, 0)
    assert "h, c" in str(err.value)


@pytest.mark.parametrize("unit", [-1, 3, 1.0, "0", True, None])
def test_unit_out_of_range_is_refused(traj: Trajectory, unit: object) -> None:
    with pytest.raises(InputError, match=r"unit must be an integer in 0\.\.2"):
        gradients(traj, "h", unit, 0)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unit"):
        cell_path_gain(traj, unit, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize("step", [-1, 5, 2.0, None])
def test_step_out_of_range_is_refused(traj: Trajectory, step: object) -> None:
    with pytest.raises(InputError, match=r"step must be an integer in 0\.\.4"):
        gradients(traj, "c", 0, step)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="step"):
        cell_path_gain(traj, 0, step)  # type: ignore[arg-type]
    assert traj.computed == 0


def test_numpy_integers_are_accepted(traj: Trajectory) -> None:
    grads = gradients(traj, "h", np.int64(2), np.int32(4))
    assert grads.unit == 2 and grads.step == 4 and type(grads.unit) is int


def test_an_empty_sequence_has_no_step_to_target() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), np.zeros((0, 2)))
    with pytest.raises(InputError, match="empty"):
        gradients(traj, "h", 0, 0)
