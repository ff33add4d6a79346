"""Activations: exact values, ranges, derivatives, and quiet behaviour at the extremes."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_tui.engine.activations import (
    ACTIVATIONS,
    DEFAULT_ACTIVATIONS,
    GATES,
    SLOTS,
    check_gate,
    check_slot,
    get_activation,
)
from lstm_tui.errors import InputError

NAMES = sorted(ACTIVATIONS)

# Every finite extreme: the largest and smallest normals, subnormals, signed zeros.
EXTREMES = np.array(
    [
        -1.7976931348623157e308,
        -1e308,
        -1e154,
        -710.0,
        -1.0,
        -2.2250738585072014e-308,
        -5e-324,
        -0.0,
        0.0,
        5e-324,
        2.2250738585072014e-308,
        1.0,
        710.0,
        1e154,
        1e308,
        1.7976931348623157e308,
    ]
)


@contextmanager
def strict() -> Iterator[None]:
    """Any NumPy floating-point warning or Python warning fails the test.

    Underflow to zero stays allowed: it is the correct answer (the softsign
    slope at 1e308 is 1e-616, which is 0.0 in float64) and NumPy ignores it
    by default.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield


# ----------------------------------------------------------------- exact values
@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        ("sigmoid", 0.0, 0.5),
        ("sigmoid", 1e308, 1.0),
        ("sigmoid", -1e308, 0.0),
        ("sigmoid", 40.0, 1.0),
        ("hard_sigmoid", -3.0, 0.0),
        ("hard_sigmoid", -4.0, 0.0),
        ("hard_sigmoid", 0.0, 0.5),
        ("hard_sigmoid", 1.5, 0.75),
        ("hard_sigmoid", 3.0, 1.0),
        ("hard_sigmoid", 1e308, 1.0),
        ("tanh", 0.0, 0.0),
        ("tanh", 1e308, 1.0),
        ("tanh", -1e308, -1.0),
        ("softsign", 1.0, 0.5),
        ("softsign", -3.0, -0.75),
        ("softsign", 1e308, 1.0),
        ("softsign", -1e308, -1.0),
        ("relu", -2.0, 0.0),
        ("relu", 2.5, 2.5),
        ("relu", 1e308, 1e308),
        ("identity", -1e308, -1e308),
        ("identity", 0.25, 0.25),
        ("step", 0.0, 0.0),
        ("step", -1.0, 0.0),
        ("step", 5e-324, 1.0),
        ("step", 1e308, 1.0),
        ("hard_sigmoid_keras", 0.0, 0.5),
        ("hard_sigmoid_keras", 1.0, 0.7),
        ("hard_sigmoid_keras", 2.5, 1.0),
        ("hard_sigmoid_keras", -2.6, 0.0),
        ("hard_sigmoid_keras", 1e308, 1.0),
        ("hard_sigmoid_keras", -1e308, 0.0),
    ],
)
def test_values(name: str, x: float, expected: float) -> None:
    with strict():
        assert get_activation(name).fn(np.array([x]))[0] == expected


def test_sigmoid_matches_the_textbook_formula() -> None:
    x = np.linspace(-30.0, 30.0, 601)
    textbook = 1.0 / (1.0 + np.exp(-x))
    np.testing.assert_allclose(get_activation("sigmoid").fn(x), textbook, rtol=1e-14, atol=1e-16)


def test_keras_hard_sigmoid_is_the_clipped_line_of_slope_one_fifth() -> None:
    x = np.linspace(-8.0, 8.0, 161)
    expected = np.minimum(np.maximum(0.2 * x + 0.5, 0.0), 1.0)
    np.testing.assert_array_equal(get_activation("hard_sigmoid_keras").fn(x), expected)
    # The two hard sigmoids part most at x = ±2.5: 1 against 11/12.
    gap = np.abs(expected - get_activation("hard_sigmoid").fn(x)).max()
    assert gap == pytest.approx(1.0 - (2.5 + 3.0) / 6.0)


def test_hard_sigmoid_is_relu6_of_x_plus_3_over_6() -> None:
    x = np.linspace(-8.0, 8.0, 161)
    np.testing.assert_array_equal(
        get_activation("hard_sigmoid").fn(x), np.minimum(np.maximum(x + 3.0, 0.0), 6.0) / 6.0
    )


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        ("sigmoid", 0.0, 0.25),
        ("sigmoid", 1e308, 0.0),
        ("hard_sigmoid", 0.0, 1.0 / 6.0),
        ("hard_sigmoid", 3.5, 0.0),
        ("hard_sigmoid", -3.5, 0.0),
        ("tanh", 0.0, 1.0),
        ("tanh", -1e308, 0.0),
        ("softsign", 0.0, 1.0),
        ("softsign", 1.0, 0.25),
        ("softsign", 1e308, 0.0),
        ("relu", -1.0, 0.0),
        ("relu", 1.0, 1.0),
        ("identity", 123.0, 1.0),
        ("step", 2.0, 0.0),
        ("step", -2.0, 0.0),
        ("hard_sigmoid_keras", 0.0, 0.2),
        ("hard_sigmoid_keras", 2.6, 0.0),
        ("hard_sigmoid_keras", -2.6, 0.0),
    ],
)
def test_derivative_values(name: str, x: float, expected: float) -> None:
    with strict():
        assert get_activation(name).deriv(np.array([x]))[0] == pytest.approx(expected, abs=1e-300)


# ----------------------------------------------------------------- ranges
@pytest.mark.parametrize("name", NAMES)
def test_extremes_give_no_warning_no_nan_and_stay_in_range(name: str) -> None:
    act = ACTIVATIONS[name]
    with strict():
        y = act.fn(EXTREMES)
        dy = act.deriv(EXTREMES)
    assert y.dtype == np.float64 and dy.dtype == np.float64
    assert y.shape == EXTREMES.shape and dy.shape == EXTREMES.shape
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))
    assert np.all((act.low <= y) & (y <= act.high))
    assert np.all(dy >= 0.0), "every activation here is non-decreasing"


@pytest.mark.parametrize("name", NAMES)
def test_fn_does_not_write_its_argument(name: str) -> None:
    x = np.array([-2.0, 0.5, 4.0])
    before = x.copy()
    y = ACTIVATIONS[name].fn(x)
    ACTIVATIONS[name].deriv(x)
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(x, y)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(NAMES),
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=8),
)
def test_any_finite_input_is_quiet_and_in_range(name: str, values: list[float]) -> None:
    act = ACTIVATIONS[name]
    x = np.array(values)
    with strict():
        y = act.fn(x)
        dy = act.deriv(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))
    assert np.all((act.low <= y) & (y <= act.high))


@pytest.mark.parametrize("name", NAMES)
def test_two_dimensional_input_keeps_its_shape(name: str) -> None:
    x = np.arange(-6.0, 6.0).reshape(3, 4) + 0.5
    assert ACTIVATIONS[name].fn(x).shape == (3, 4)
    assert ACTIVATIONS[name].deriv(x).shape == (3, 4)


# ----------------------------------------------------------------- derivatives
def _away_from_kinks(name: str, x: np.ndarray, margin: float) -> np.ndarray:
    kinks = np.array(ACTIVATIONS[name].kinks)
    if kinks.size == 0:
        return x
    return x[np.min(np.abs(x[:, None] - kinks[None, :]), axis=1) > margin]


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name: str) -> None:
    act = ACTIVATIONS[name]
    eps = 1e-6
    x = _away_from_kinks(name, np.linspace(-7.0, 7.0, 1401) + 0.003, 10 * eps)
    numeric = (act.fn(x + eps) - act.fn(x - eps)) / (2 * eps)
    np.testing.assert_allclose(act.deriv(x), numeric, rtol=1e-7, atol=1e-9)


def test_kinks_are_where_the_derivative_jumps() -> None:
    assert ACTIVATIONS["hard_sigmoid"].kinks == (-3.0, 3.0)
    assert ACTIVATIONS["relu"].kinks == (0.0,)
    assert ACTIVATIONS["step"].kinks == (0.0,)
    assert ACTIVATIONS["hard_sigmoid_keras"].kinks == (-2.5, 2.5)
    for name in ("sigmoid", "tanh", "softsign", "identity"):
        assert ACTIVATIONS[name].kinks == ()


# ----------------------------------------------------------------- names
def test_the_eight_activations_and_five_slots() -> None:
    assert set(ACTIVATIONS) == {
        "sigmoid",
        "hard_sigmoid",
        "hard_sigmoid_keras",
        "tanh",
        "softsign",
        "relu",
        "identity",
        "step",
    }
    assert SLOTS == ("input", "forget", "candidate", "output", "cell")
    assert GATES == ("input", "forget", "output")
    assert DEFAULT_ACTIVATIONS == {
        "input": "sigmoid",
        "forget": "sigmoid",
        "candidate": "tanh",
        "output": "sigmoid",
        "cell": "tanh",
    }


def test_unknown_activation_lists_the_valid_ones() -> None:
    with pytest.raises(InputError) as err:
        get_activation("swish")
    message = str(err.value)
    assert "'swish'" in message
    for name in ACTIVATIONS:
        assert name in message


def test_unknown_slot_lists_the_valid_ones() -> None:
    with pytest.raises(InputError) as err:
        check_slot("gate")
    for slot in SLOTS:
        assert slot in str(err.value)
    assert check_slot("cell") == "cell"


def test_unknown_gate_lists_the_valid_ones() -> None:
    with pytest.raises(InputError) as err:
        check_gate("candidate")
    for gate in GATES:
        assert gate in str(err.value)
    assert check_gate("forget") == "forget"
