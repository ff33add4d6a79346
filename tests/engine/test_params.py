"""Parameters: PyTorch's layout, validation with a named error, the default initialisation."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tui.engine.params import GATE_ORDER, PARAM_KEYS, LSTMParams, gate_rows
from lstm_tui.errors import InputError

HIDDEN, INPUT = 3, 2


def arrays(hidden: int = HIDDEN, inputs: int = INPUT) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "weight_ih_l0": rng.normal(size=(4 * hidden, inputs)),
        "weight_hh_l0": rng.normal(size=(4 * hidden, hidden)),
        "bias_ih_l0": rng.normal(size=4 * hidden),
        "bias_hh_l0": rng.normal(size=4 * hidden),
    }


def build(**changes: object) -> LSTMParams:
    state: dict[str, object] = dict(arrays())
    state.update(changes)
    return LSTMParams.from_state_dict(state)


def test_valid_arrays_are_copied_read_only_float64() -> None:
    source = arrays()
    params = LSTMParams.from_state_dict(source)
    assert params.hidden_size == HIDDEN and params.input_size == INPUT
    for key, array in params.state_dict().items():
        assert array.dtype == np.float64
        assert not array.flags.writeable
        np.testing.assert_array_equal(array, source[key])
        assert not np.shares_memory(array, source[key])
    source["weight_hh_l0"][0, 0] = 99.0
    assert params.weight_hh[0, 0] != 99.0


def test_integer_arrays_become_float64() -> None:
    params = build(bias_ih_l0=np.arange(4 * HIDDEN))
    assert params.bias_ih.dtype == np.float64
    np.testing.assert_array_equal(params.bias_ih, np.arange(4 * HIDDEN, dtype=float))


def test_state_dict_uses_pytorch_names_in_order() -> None:
    assert PARAM_KEYS == ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
    assert tuple(build().state_dict()) == PARAM_KEYS


def test_gate_rows_follow_pytorch_order() -> None:
    assert GATE_ORDER == ("i", "f", "g", "o")
    assert [gate_rows(g, 5) for g in GATE_ORDER] == [
        slice(0, 5),
        slice(5, 10),
        slice(10, 15),
        slice(15, 20),
    ]


# ----------------------------------------------------------------- errors, one each
@pytest.mark.parametrize(
    ("changes", "named", "problem"),
    [
        ({"weight_hh_l0": np.zeros(12)}, "weight_hh_l0", "2-D"),
        ({"weight_hh_l0": np.zeros((12, 4))}, "weight_hh_l0", "(4H, H)"),
        ({"weight_hh_l0": np.zeros((0, 0))}, "weight_hh_l0", "H >= 1"),
        ({"weight_ih_l0": np.zeros((11, INPUT))}, "weight_ih_l0", "(12, I)"),
        ({"weight_ih_l0": np.zeros(12)}, "weight_ih_l0", "(4H, I)"),
        ({"weight_ih_l0": np.zeros((12, 0))}, "weight_ih_l0", "I >= 1"),
        ({"bias_ih_l0": np.zeros(11)}, "bias_ih_l0", "(12,)"),
        ({"bias_hh_l0": np.zeros((12, 1))}, "bias_hh_l0", "(12,)"),
    ],
)
def test_wrong_shapes_name_the_array(changes: dict, named: str, problem: str) -> None:
    with pytest.raises(InputError) as err:
        build(**changes)
    assert named in str(err.value) and problem in str(err.value)


@pytest.mark.parametrize("key", PARAM_KEYS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_name_the_array_and_count(key: str, bad: float) -> None:
    array = arrays()[key].copy()
    array.flat[0] = bad
    array.flat[-1] = bad
    with pytest.raises(InputError) as err:
        build(**{key: array})
    assert key in str(err.value) and "2 non-finite" in str(err.value)


@pytest.mark.parametrize("key", PARAM_KEYS)
def test_object_arrays_are_refused(key: str) -> None:
    with pytest.raises(InputError) as err:
        build(**{key: arrays()[key].astype(object)})
    assert key in str(err.value) and "object" in str(err.value)


@pytest.mark.parametrize("key", PARAM_KEYS)
def test_non_numeric_arrays_are_refused(key: str) -> None:
    with pytest.raises(InputError) as err:
        build(**{key: np.full(arrays()[key].shape, "x")})
    assert key in str(err.value) and "numeric" in str(err.value)


def test_missing_keys_are_listed() -> None:
    state = arrays()
    del state["bias_hh_l0"], state["weight_ih_l0"]
    with pytest.raises(InputError) as err:
        LSTMParams.from_state_dict(state)
    assert "weight_ih_l0, bias_hh_l0" in str(err.value)


# ----------------------------------------------------------------- random, zeros
def test_random_is_pytorch_default_init_and_seeded() -> None:
    params = LSTMParams.random(16, 5, seed=3)
    bound = 1.0 / np.sqrt(16)
    for array in params.arrays():
        assert np.all(np.abs(array) <= bound)
        assert np.count_nonzero(array) == array.size
    # Spread over the whole interval, not a corner of it.
    assert params.weight_ih.max() > 0.8 * bound and params.weight_ih.min() < -0.8 * bound
    assert params.equals(LSTMParams.random(16, 5, seed=3))
    assert not params.equals(LSTMParams.random(16, 5, seed=4))


@pytest.mark.parametrize(("hidden", "inputs"), [(0, 3), (3, 0), (-1, 2)])
def test_random_refuses_empty_sizes(hidden: int, inputs: int) -> None:
    with pytest.raises(InputError, match="at least 1"):
        LSTMParams.random(hidden, inputs)


@pytest.mark.parametrize("seed", [-1, -(2**70), 1.5, "3", None, True])
def test_random_refuses_a_seed_that_is_not_a_whole_number_0_or_more(seed: object) -> None:
    with pytest.raises(InputError, match=r"the seed must be a whole number 0 or more, got "):
        LSTMParams.random(2, 2, seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 2**70, np.int64(5)])
def test_random_takes_any_whole_seed_0_or_more(seed: int) -> None:
    assert LSTMParams.random(2, 2, seed).equals(LSTMParams.random(2, 2, int(seed)))


def test_zeros() -> None:
    params = LSTMParams.zeros(2, 3)
    assert params.weight_ih.shape == (8, 3) and params.weight_hh.shape == (8, 2)
    assert all(np.count_nonzero(a) == 0 for a in params.arrays())


# ----------------------------------------------------------------- copies with changes
def test_replace_and_with_value_validate_and_leave_the_original() -> None:
    params = build()
    changed = params.with_value("weight_hh", (1, 2), 7.5)
    assert changed.weight_hh[1, 2] == 7.5 and params.weight_hh[1, 2] != 7.5
    assert not changed.equals(params)
    replaced = params.replace(bias_ih=np.ones(4 * HIDDEN))
    np.testing.assert_array_equal(replaced.bias_ih, np.ones(4 * HIDDEN))
    with pytest.raises(InputError, match="non-finite"):
        params.with_value("bias_hh_l0", (0,), np.nan)
    with pytest.raises(InputError) as err:
        params.replace(kernel=np.ones(3))
    assert "kernel" in str(err.value) and "weight_ih_l0" in str(err.value)


def test_equals_is_bit_for_bit() -> None:
    params = build()
    assert params.equals(build())
    tiny = params.weight_ih.copy()
    tiny[0, 0] = np.nextafter(tiny[0, 0], np.inf)
    assert not params.equals(params.replace(weight_ih_l0=tiny))
