"""Hypothesis properties of the RNN and GRU trajectories over random weights and inputs."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_tui.engine.hidden_params import PARAMS_OF_KIND
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from tests.engine.test_properties import HUGE, MODERATE, PROPERTY_SETTINGS


@st.composite
def problems(draw: st.DrawFn, elements: st.SearchStrategy[float]) -> dict:
    kind = draw(st.sampled_from(sorted(PARAMS_OF_KIND)))
    hidden = draw(st.integers(1, 4))
    size = draw(st.integers(1, 3))
    steps = draw(st.integers(1, 8))
    rows = PARAMS_OF_KIND[kind].blocks * hidden
    params = PARAMS_OF_KIND[kind].from_arrays(
        draw(arrays(np.float64, (rows, size), elements=elements)),
        draw(arrays(np.float64, (rows, hidden), elements=elements)),
        draw(arrays(np.float64, rows, elements=elements)),
        draw(arrays(np.float64, rows, elements=elements)),
    )
    inputs = draw(arrays(np.float64, (steps, size), elements=elements))
    h0 = draw(arrays(np.float64, hidden, elements=st.floats(-1.0, 1.0)))
    return {"params": params, "inputs": inputs, "h0": h0}


def build(problem: dict) -> HiddenTrajectory:
    return HiddenTrajectory(problem["params"], problem["inputs"], problem["h0"])


def assert_same(a: HiddenTrajectory, b: HiddenTrajectory) -> None:
    assert a.computed == b.computed
    for name in a.vectors:
        np.testing.assert_array_equal(a.vector(name), b.vector(name), err_msg=name)


@PROPERTY_SETTINGS
@given(problems(HUGE))
def test_finite_weights_give_finite_quiet_outputs_in_range(problem: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = build(problem).run()
    for name in traj.vectors:
        assert np.all(np.isfinite(traj.vector(name))), name
    # h is a tanh (RNN) or a mix of a tanh and the previous h (GRU): within [-1, 1].
    assert np.all(np.abs(traj.h) <= 1.0)
    if traj.kind == "gru":
        for name in ("r", "z"):
            gate = traj.vector(name)
            assert np.all((gate >= 0.0) & (gate <= 1.0)), name


@PROPERTY_SETTINGS
@given(st.one_of(problems(HUGE), problems(MODERATE)))
def test_stepping_one_at_a_time_equals_the_whole_run(problem: dict) -> None:
    whole = build(problem).run()
    stepped = build(problem)
    for t in range(len(stepped)):
        stepped.ensure(t)
        assert stepped.computed == t + 1
    assert_same(stepped, whole)


edits = st.sampled_from(["input", "params", "initial_state"])


@PROPERTY_SETTINGS
@given(
    problems(MODERATE),
    st.lists(st.tuples(edits, st.integers(0, 1000), st.integers(0, 1000)), max_size=4),
    st.data(),
)
def test_editing_then_recomputing_equals_computing_from_scratch(
    problem: dict, changes: list[tuple[str, int, int]], data: st.DataObject
) -> None:
    params = problem["params"]
    steps = len(problem["inputs"])
    traj = build(problem)
    current = dict(problem, inputs=problem["inputs"].copy())
    for kind, where, upto in changes:
        traj.ensure(upto % steps)
        if kind == "input":
            t = where % steps
            row = data.draw(arrays(np.float64, params.input_size, elements=MODERATE))
            traj.set_input(t, row)
            current["inputs"][t] = row
        elif kind == "params":
            new = type(params).random(params.hidden_size, params.input_size, seed=where)
            traj.set_params(new)
            current["params"] = new
        else:
            h0 = np.full(params.hidden_size, (where % 7) / 7.0)
            traj.set_initial_state(h0)
            current["h0"] = h0
    traj.run()
    assert_same(traj, build(current).run())
