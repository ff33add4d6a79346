"""Hypothesis properties of the trajectory over random weights, inputs and configurations."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_tui.engine.activations import ACTIVATIONS, GATES, SLOTS
from lstm_tui.engine.cell import step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory

VECTORS = ("z", "i", "f", "g", "o", "c", "h")
GATE_LETTERS = {"input": "i", "forget": "f", "candidate": "g", "output": "o"}
# Activations whose outputs are bounded: with these in every slot |c_t| grows
# by at most 1 a step and |h_t| <= 1, so weights and inputs up to 1e150 keep
# every pre-activation finite (relu and identity can overflow by design).
BOUNDED = sorted(name for name, a in ACTIVATIONS.items() if np.isfinite(a.low + a.high))

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Huge magnitudes (products up to 1e300, never overflowing) and tiny ones
# (subnormals), as well as ordinary numbers.
HUGE = st.floats(-1e150, 1e150, allow_nan=False, allow_infinity=False)
MODERATE = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw: st.DrawFn, elements: st.SearchStrategy[float], names: list[str]) -> dict:
    """Weights, inputs, an initial state and a configuration, all random."""
    hidden = draw(st.integers(1, 4))
    size = draw(st.integers(1, 3))
    steps = draw(st.integers(1, 8))
    rows = 4 * hidden
    params = LSTMParams.from_arrays(
        draw(arrays(np.float64, (rows, size), elements=elements)),
        draw(arrays(np.float64, (rows, hidden), elements=elements)),
        draw(arrays(np.float64, rows, elements=elements)),
        draw(arrays(np.float64, rows, elements=elements)),
    )
    inputs = draw(arrays(np.float64, (steps, size), elements=elements))
    state = st.floats(-2.0, 2.0, allow_nan=False)
    h0 = draw(arrays(np.float64, hidden, elements=state))
    c0 = draw(arrays(np.float64, hidden, elements=state))
    acts = {slot: draw(st.sampled_from(names)) for slot in SLOTS}
    clamps = draw(st.dictionaries(st.sampled_from(GATES), st.floats(0.0, 1.0)))
    return {
        "params": params,
        "inputs": inputs,
        "h0": h0,
        "c0": c0,
        "config": CellConfig.build(acts, clamps),
    }


def build(problem: dict) -> Trajectory:
    return Trajectory(
        problem["params"], problem["inputs"], problem["config"], problem["h0"], problem["c0"]
    )


def assert_same(a: Trajectory, b: Trajectory) -> None:
    assert a.computed == b.computed
    for name in VECTORS:
        np.testing.assert_array_equal(a.vector(name), b.vector(name), err_msg=name)


@PROPERTY_SETTINGS
@given(problems(HUGE, BOUNDED))
def test_bounded_activations_give_finite_quiet_outputs_in_range(problem: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = build(problem).run()
        vectors = {name: traj.vector(name) for name in VECTORS}
    for name in "ifgoch":
        assert np.all(np.isfinite(vectors[name])), name
    config = problem["config"]
    for slot, letter in GATE_LETTERS.items():
        values = vectors[letter]
        clamp = config.clamp(slot) if slot in GATES else None
        if clamp is not None:
            assert np.all(values == clamp), slot
        else:
            act = config.activation(slot)
            assert np.all((act.low <= values) & (values <= act.high)), slot
    cell = config.activation("cell")
    bound = max(abs(cell.low), abs(cell.high)) * np.max(np.abs(vectors["o"]), initial=0.0)
    assert np.all(np.abs(vectors["h"]) <= bound)


@PROPERTY_SETTINGS
@given(problems(MODERATE, sorted(ACTIVATIONS)))
def test_gates_stay_in_range_for_every_activation(problem: dict) -> None:
    traj = build(problem).run()
    config = problem["config"]
    for slot, letter in GATE_LETTERS.items():
        values = traj.vector(letter)
        clamp = config.clamp(slot) if slot in GATES else None
        if clamp is not None:
            assert np.all(values == clamp)
        else:
            act = config.activation(slot)
            finite = values[np.isfinite(values)]
            assert np.all((act.low <= finite) & (finite <= act.high))


@PROPERTY_SETTINGS
@given(problems(MODERATE, BOUNDED))
def test_trajectory_matches_the_reference_step(problem: dict) -> None:
    traj = build(problem).run()
    h, c = problem["h0"], problem["c0"]
    for t, x in enumerate(problem["inputs"]):
        expected = step(problem["params"], x, h, c, problem["config"])
        h, c = expected.h, expected.c
        for name in "ch":
            np.testing.assert_allclose(
                traj.vector(name)[t], getattr(expected, name), rtol=1e-9, atol=1e-9
            )


@PROPERTY_SETTINGS
@given(st.one_of(problems(HUGE, BOUNDED), problems(MODERATE, sorted(ACTIVATIONS))))
def test_stepping_one_at_a_time_equals_the_whole_run(problem: dict) -> None:
    with np.errstate(all="ignore"):
        whole = build(problem).run()
        stepped = build(problem)
        for t in range(len(stepped)):
            stepped.ensure(t)
        assert_same(stepped, whole)


edits = st.sampled_from(["input", "params", "config", "initial_state"])


@PROPERTY_SETTINGS
@given(
    st.one_of(problems(HUGE, BOUNDED), problems(MODERATE, sorted(ACTIVATIONS))),
    st.lists(st.tuples(edits, st.integers(0, 1000), st.integers(0, 1000)), max_size=4),
    st.data(),
)
def test_editing_then_recomputing_equals_computing_from_scratch(
    problem: dict, changes: list[tuple[str, int, int]], data: st.DataObject
) -> None:
    params: LSTMParams = problem["params"]
    hidden, size = params.hidden_size, params.input_size
    steps = len(problem["inputs"])
    with np.errstate(all="ignore"):
        traj = build(problem)
        traj.ensure(steps - 1)
        current = dict(problem, inputs=problem["inputs"].copy())
        for kind, where, upto in changes:
            # Some steps computed (and z read) before each edit, some not.
            traj.ensure(upto % steps)
            traj.z  # noqa: B018
            if kind == "input":
                t = where % steps
                row = data.draw(arrays(np.float64, size, elements=MODERATE))
                traj.set_input(t, row)
                current["inputs"][t] = row
            elif kind == "params":
                new = LSTMParams.random(hidden, size, seed=where)
                traj.set_params(new)
                current["params"] = new
            elif kind == "config":
                new = data.draw(problems(MODERATE, BOUNDED))["config"]
                traj.set_config(new)
                current["config"] = new
            else:
                h0 = np.full(hidden, (where % 7) / 7.0)
                traj.set_initial_state(h0, -h0)
                current["h0"], current["c0"] = h0, -h0
        traj.run()
        assert_same(traj, build(current).run())
