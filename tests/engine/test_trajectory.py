"""The trajectory: equal to the reference step, lazy, exact after edits, clamps honoured."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from lstm_tui.engine import trajectory as trajectory_module
from lstm_tui.engine.activations import ACTIVATIONS, SLOTS
from lstm_tui.engine.cell import Step, step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import MAX_STEP_UNITS, Trajectory, check_step_units, run
from lstm_tui.errors import InputError

VECTORS = ("z", "i", "f", "g", "o", "c", "h")


def numeric_inputs(steps: int, inputs: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(steps, inputs))


def one_hot_inputs(steps: int, inputs: int, seed: int = 0) -> np.ndarray:
    columns = np.random.default_rng(seed).integers(0, inputs, steps)
    return np.eye(inputs)[columns]


def reference(
    params: LSTMParams,
    inputs: np.ndarray,
    config: CellConfig,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> list[Step]:
    """The sequence through :func:`cell.step`, one call per step."""
    h = np.zeros(params.hidden_size) if h0 is None else h0
    c = np.zeros(params.hidden_size) if c0 is None else c0
    steps = []
    for x in inputs:
        result = step(params, x, h, c, config)
        steps.append(result)
        h, c = result.h, result.c
    return steps


def assert_same(a: Trajectory, b: Trajectory) -> None:
    """Bit-for-bit equal over the steps both have computed."""
    assert a.computed == b.computed
    for name in VECTORS:
        np.testing.assert_array_equal(a.vector(name), b.vector(name), err_msg=name)


# A spread of configurations: every activation in every slot at least once,
# plus clamps.
CONFIGS = [
    CellConfig(),
    *(
        CellConfig.build({slot: name})
        for slot, name in itertools.product(SLOTS, ACTIVATIONS)
        if name != CellConfig().activation_name(slot)
    ),
    CellConfig.build(clamps={"forget": 1.0, "input": 0.25}),
    CellConfig.build({"candidate": "softsign"}, {"output": 0.0}),
    CellConfig.build({"cell": "identity", "forget": "hard_sigmoid"}, {"input": 1.0}),
]


# ----------------------------------------------------------------- reference equality
def describe(config: CellConfig) -> str:
    return repr(dict(config.activations) | dict(config.clamps))


@pytest.mark.parametrize("config", CONFIGS, ids=describe)
@pytest.mark.parametrize("make_inputs", [numeric_inputs, one_hot_inputs])
def test_trajectory_equals_the_reference_step(config: CellConfig, make_inputs) -> None:
    params = LSTMParams.random(5, 4, seed=7)
    inputs = make_inputs(12, 4)
    rng = np.random.default_rng(1)
    h0, c0 = rng.normal(size=5), rng.normal(size=5)
    traj = run(params, inputs, config, h0, c0)
    for t, expected in enumerate(reference(params, inputs, config, h0, c0)):
        got = traj.state(t)
        for name in VECTORS:
            np.testing.assert_allclose(
                getattr(got, name), getattr(expected, name), rtol=1e-13, atol=1e-13, err_msg=name
            )


def test_z_is_exactly_what_the_gates_were_computed_from() -> None:
    params = LSTMParams.random(6, 3, seed=2)
    traj = run(params, numeric_inputs(40, 3))
    hidden = 6
    blocks = {"i": 0, "f": 1, "g": 2, "o": 3}
    acts = {"i": "sigmoid", "f": "sigmoid", "g": "tanh", "o": "sigmoid"}
    for name, k in blocks.items():
        z_block = traj.z[:, k * hidden : (k + 1) * hidden]
        np.testing.assert_array_equal(traj.vector(name), ACTIVATIONS[acts[name]].fn(z_block))
    np.testing.assert_array_equal(traj.h, traj.o * np.tanh(traj.c))


def test_shapes_and_row_meaning() -> None:
    params = LSTMParams.random(3, 2, seed=0)
    inputs = numeric_inputs(5, 2)
    traj = run(params, inputs)
    assert len(traj) == 5 and traj.computed == 5
    assert traj.z.shape == (5, 12)
    for name in "ifgoch":
        assert traj.vector(name).shape == (5, 3)
    # Row t is the state after consuming input t: row 0 already saw input 0.
    first = step(params, inputs[0], np.zeros(3), np.zeros(3))
    np.testing.assert_allclose(traj.h[0], first.h, rtol=1e-14)


# ----------------------------------------------------------------- laziness
def test_nothing_is_computed_until_asked() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(20, 2))
    assert traj.computed == 0
    assert traj.h.shape == (0, 3) and traj.z.shape == (0, 12)


def test_ensure_five_computes_six_steps_only() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(20, 2))
    traj.ensure(5)
    assert traj.computed == 6
    assert traj.h.shape == (6, 3) and traj.z.shape == (6, 12)
    traj.ensure(2)
    assert traj.computed == 6
    traj.ensure(6)
    assert traj.computed == 7


def test_reading_a_step_computes_only_up_to_it() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(20, 2))
    traj.state(4)
    assert traj.computed == 5
    traj.previous(9)
    assert traj.computed == 9
    traj.previous(0)
    assert traj.computed == 9


@pytest.mark.parametrize("at", [0, 3, 11])
def test_an_input_edit_invalidates_from_its_step(at: int) -> None:
    params = LSTMParams.random(4, 3, seed=5)
    inputs = numeric_inputs(12, 3)
    traj = run(params, inputs)
    before = {name: traj.vector(name).copy() for name in VECTORS}
    new_row = np.array([0.5, -2.0, 1.5])
    traj.set_input(at, new_row)
    assert traj.computed == at
    # The steps before the edit are kept, untouched.
    for name in VECTORS:
        np.testing.assert_array_equal(traj.vector(name), before[name][:at])
    traj.run()
    edited = inputs.copy()
    edited[at] = new_row
    assert_same(traj, run(params, edited))
    assert not np.array_equal(traj.h[at], before["h"][at])


def test_each_kind_of_edit_then_recompute_equals_fresh_computation() -> None:
    params = LSTMParams.random(4, 3, seed=5)
    inputs = numeric_inputs(30, 3)
    other = LSTMParams.random(4, 3, seed=6)
    config = CellConfig.build({"cell": "softsign"}, {"forget": 0.75})
    h0, c0 = np.full(4, 0.5), np.full(4, -1.0)

    traj = run(params, inputs)
    traj.z  # noqa: B018 - reading z builds its cache, which the edits must invalidate
    traj.set_params(other)
    assert traj.computed == 0
    assert_same(traj.run(), run(other, inputs))

    traj.set_config(config)
    assert traj.computed == 0
    assert_same(traj.run(), run(other, inputs, config))

    traj.set_initial_state(h0, c0)
    assert traj.computed == 0
    assert_same(traj.run(), run(other, inputs, config, h0, c0))
    np.testing.assert_array_equal(traj.h0, h0)

    # Back to where it started: exactly the first computation again.
    traj.set_params(params)
    traj.set_config(CellConfig())
    traj.set_initial_state(None, None)
    assert_same(traj.run(), run(params, inputs))


def test_partial_recompute_after_an_edit_equals_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny projection chunks (5 steps) so edits fall inside, at and across chunk edges.
    monkeypatch.setattr(trajectory_module, "_PROJECTION_VALUES", 4 * 3 * 5)
    params = LSTMParams.random(3, 4, seed=1)
    inputs = one_hot_inputs(23, 4)
    traj = Trajectory(params, inputs)
    traj.ensure(17)
    traj.z  # noqa: B018 - cache z for 18 steps
    edited = inputs.copy()
    for at, row in [(9, [0.0, 0.3, 0.0, 0.0]), (10, [0.0, 0.0, 1.0, 0.0]), (4, [1.0, 1.0, 0, 0])]:
        edited[at] = row
        traj.set_input(at, np.array(row))
        traj.ensure(at + 7)
        fresh = Trajectory(params, edited)
        fresh.ensure(at + 7)
        assert_same(traj, fresh)


def test_stepping_one_at_a_time_equals_the_whole_run() -> None:
    params = LSTMParams.random(5, 3, seed=4)
    inputs = numeric_inputs(300, 3)
    stepped = Trajectory(params, inputs)
    for t in range(len(inputs)):
        stepped.ensure(t)
        assert stepped.computed == t + 1
    assert_same(stepped, run(params, inputs))


def test_empty_sequence() -> None:
    traj = run(LSTMParams.random(2, 3), np.zeros((0, 3)))
    assert len(traj) == 0 and traj.computed == 0
    assert traj.h.shape == (0, 2) and traj.z.shape == (0, 8)
    with pytest.raises(IndexError):
        traj.ensure(0)


# ----------------------------------------------------------------- clamps
def test_clamped_gates_equal_their_clamp_at_every_step() -> None:
    config = CellConfig.build(clamps={"input": 0.3, "forget": 1.0, "output": 0.0})
    traj = run(LSTMParams.random(4, 2, seed=3), numeric_inputs(15, 2), config)
    assert np.all(traj.i == 0.3)
    assert np.all(traj.f == 1.0)
    assert np.all(traj.o == 0.0)
    assert np.all(traj.h == 0.0)
    # The pre-activations are still computed and shown, clamp or not.
    assert np.count_nonzero(traj.z) == traj.z.size


def test_never_forget_and_never_write_keeps_the_initial_cell_state() -> None:
    c0 = np.array([1.5, -0.25, 0.0])
    config = CellConfig.build(clamps={"forget": 1.0, "input": 0.0})
    traj = run(LSTMParams.random(3, 2, seed=3), numeric_inputs(50, 2), config, c0=c0)
    np.testing.assert_array_equal(traj.c, np.tile(c0, (50, 1)))


def test_forget_clamped_to_one_makes_the_cell_a_counter() -> None:
    # With i = 1 and f = 1, c_t = c_{t-1} + g_t: the running sum of the candidate.
    config = CellConfig.build(clamps={"forget": 1.0, "input": 1.0})
    traj = run(LSTMParams.random(3, 2, seed=8), numeric_inputs(40, 2), config)
    np.testing.assert_allclose(traj.c, np.cumsum(traj.g, axis=0), rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------- reading
def test_state_and_previous_return_copies() -> None:
    h0, c0 = np.full(3, 0.1), np.full(3, -0.2)
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(6, 2), h0=h0, c0=c0)
    got = traj.state(3)
    for name in VECTORS:
        np.testing.assert_array_equal(getattr(got, name), traj.vector(name)[3])
    got.h[:] = 42.0
    got.z[:] = 42.0
    assert not np.any(traj.h == 42.0) and not np.any(traj.z == 42.0)
    h_prev, c_prev = traj.previous(0)
    np.testing.assert_array_equal(h_prev, h0)
    np.testing.assert_array_equal(c_prev, c0)
    h_prev[:] = 9.0
    np.testing.assert_array_equal(traj.h0, h0)
    h_prev, c_prev = traj.previous(4)
    np.testing.assert_array_equal(h_prev, traj.h[3])
    np.testing.assert_array_equal(c_prev, traj.c[3])


def test_inputs_are_a_read_only_copy() -> None:
    inputs = numeric_inputs(4, 2)
    traj = Trajectory(LSTMParams.random(3, 2), inputs)
    inputs[0, 0] = 100.0
    assert traj.inputs[0, 0] != 100.0
    with pytest.raises(ValueError):
        traj.inputs[0, 0] = 1.0


# ----------------------------------------------------------------- errors
def test_unknown_vector_lists_the_valid_letters() -> None:
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(4, 2))
    with pytest.raises(InputError) as err:
        traj.vector("x")
    assert "z, i, f, g, o, c, h" in str(err.value)


@pytest.mark.parametrize("t", [-1, 4, 100])
def test_steps_outside_the_sequence_are_index_errors(t: int) -> None:
    traj = Trajectory(LSTMParams.random(3, 2), numeric_inputs(4, 2))
    for call in (traj.ensure, traj.state, traj.previous):
        with pytest.raises(IndexError):
            call(t)
    with pytest.raises(IndexError):
        traj.set_input(t, np.zeros(2))


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (np.zeros(4), "2-D"),
        (np.zeros((4, 3)), "input size 3"),
        (np.array([[0.0, np.nan]]), "NaN or inf"),
        (np.array([[np.inf, 0.0]]), "NaN or inf"),
    ],
)
def test_bad_inputs_are_refused(inputs: np.ndarray, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Trajectory(LSTMParams.random(3, 2), inputs)


def test_bad_initial_state_and_edits_are_refused() -> None:
    params = LSTMParams.random(3, 2)
    with pytest.raises(InputError, match="h0"):
        Trajectory(params, numeric_inputs(4, 2), h0=np.zeros(2))
    with pytest.raises(InputError, match="c0"):
        Trajectory(params, numeric_inputs(4, 2), c0=np.array([0.0, np.nan, 0.0]))
    traj = run(params, numeric_inputs(4, 2))
    with pytest.raises(InputError, match="2 finite numbers"):
        traj.set_input(1, np.array([1.0, np.inf]))
    with pytest.raises(InputError, match="2 finite numbers"):
        traj.set_input(1, np.zeros(3))
    with pytest.raises(InputError, match="hidden size"):
        traj.set_params(LSTMParams.random(4, 2))
    with pytest.raises(InputError, match="input size"):
        traj.set_params(LSTMParams.random(3, 5))
    with pytest.raises(InputError, match="h0"):
        traj.set_initial_state(np.zeros(4), None)
    # A refused edit changes nothing.
    assert traj.computed == 4
    assert_same(traj, run(params, numeric_inputs(4, 2)))


# ---------------------------------------------------------------- size limit


def test_more_steps_times_units_than_the_limit_is_refused_before_allocating() -> None:
    import tracemalloc

    params = LSTMParams.random(512, 1)
    inputs = np.zeros((100_000, 1))
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as err:
            Trajectory(params, inputs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(err.value) == (
        "100,000 steps × 512 units = 51,200,000 values is more than the 10,000,000 "
        "this program holds; use a shorter sequence or fewer units"
    )
    # The state alone would be 100,000 × 6 × 512 float64 values, 2.4 GB.
    assert peak < 1_000_000


def test_the_limit_is_steps_times_units() -> None:
    assert MAX_STEP_UNITS == 10_000_000
    # Exactly at the limit is allowed; one unit's worth of steps more is not.
    Trajectory(LSTMParams.random(100, 1), np.zeros((100_000, 1)))
    with pytest.raises(InputError, match="10,000,100 values"):
        Trajectory(LSTMParams.random(100, 1), np.zeros((100_001, 1)))
    check_step_units(10_000_000, 1)
    with pytest.raises(InputError, match="10,000,001 values"):
        check_step_units(10_000_001, 1)


def test_the_longest_sequence_at_64_units_still_runs() -> None:
    traj = Trajectory(LSTMParams.random(64, 2), numeric_inputs(100_000, 2))
    traj.ensure(99_999)
    assert traj.h.shape == (100_000, 64)


def test_a_replica_computes_the_same_steps_on_storage_of_its_own() -> None:
    params = LSTMParams.random(4, 3, 2)
    inputs = np.random.default_rng(1).normal(size=(9, 3))
    traj = Trajectory(params, inputs, CellConfig().with_clamp("forget", 1.0), h0=np.ones(4))
    first = traj.replica(5).run()
    assert len(first) == 5 and first.computed == 5 and traj.computed == 0
    whole = traj.replica().run()
    np.testing.assert_array_equal(whole.h, traj.run().h)
    np.testing.assert_array_equal(first.c, traj.c[:5])
    before = whole.h.copy()
    traj.set_params(params.with_value("bias_hh_l0", (0,), 3.0))
    traj.run()
    np.testing.assert_array_equal(whole.h, before)  # an edit to the original leaves it
    assert not np.array_equal(traj.h, before)
