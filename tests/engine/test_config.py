"""Cell configuration: activation per slot, clamps, and errors that list the valid names."""

from __future__ import annotations

import math

import pytest

from lstm_tui.engine.activations import ACTIVATIONS, DEFAULT_ACTIVATIONS, GATES, SLOTS
from lstm_tui.engine.config import CellConfig, check_clamp_value
from lstm_tui.errors import InputError


def test_default_is_the_textbook_cell() -> None:
    config = CellConfig()
    assert config.is_standard
    assert dict(config.activations) == DEFAULT_ACTIVATIONS
    assert config.clamps == ()
    assert CellConfig.build() == config
    for slot in SLOTS:
        assert config.activation(slot).name == DEFAULT_ACTIVATIONS[slot]
    assert all(config.clamp(gate) is None for gate in GATES)


def test_build_orders_slots_and_clamps_canonically() -> None:
    a = CellConfig.build({"cell": "relu", "input": "step"}, {"output": 0.5, "input": 1})
    b = CellConfig.build({"input": "step", "cell": "relu"}, {"input": 1.0, "output": 0.5})
    assert a == b and hash(a) == hash(b)
    assert [slot for slot, _ in a.activations] == list(SLOTS)
    assert a.clamps == (("input", 1.0), ("output", 0.5))
    assert not a.is_standard


def test_with_methods_return_new_configs() -> None:
    base = CellConfig()
    swapped = base.with_activation("forget", "hard_sigmoid")
    clamped = swapped.with_clamp("forget", 1)
    assert base.is_standard
    assert swapped.activation_name("forget") == "hard_sigmoid"
    assert clamped.clamp("forget") == 1.0 and swapped.clamp("forget") is None
    assert clamped.without_clamp("forget") == swapped
    assert base.without_clamp("output") == base


def test_clamps_alone_make_a_config_non_standard() -> None:
    assert not CellConfig.build(clamps={"forget": 1.0}).is_standard


def test_unknown_activation_lists_the_valid_names() -> None:
    with pytest.raises(InputError) as err:
        CellConfig.build({"forget": "gelu"})
    assert "'gelu'" in str(err.value)
    for name in ACTIVATIONS:
        assert name in str(err.value)
    with pytest.raises(InputError):
        CellConfig().with_activation("cell", "Tanh")


def test_unknown_slot_lists_the_valid_slots() -> None:
    with pytest.raises(InputError) as err:
        CellConfig.build({"hidden": "tanh"})
    assert "'hidden'" in str(err.value)
    for slot in SLOTS:
        assert slot in str(err.value)


@pytest.mark.parametrize("gate", ["candidate", "cell", "f", "bogus"])
def test_unknown_gate_lists_the_clampable_gates(gate: str) -> None:
    with pytest.raises(InputError) as err:
        CellConfig.build(clamps={gate: 0.5})
    for name in GATES:
        assert name in str(err.value)
    with pytest.raises(InputError):
        CellConfig().without_clamp(gate)


@pytest.mark.parametrize("value", [-0.1, 1.0000001, 2, -1e-300, math.inf, -math.inf, math.nan])
def test_clamp_outside_unit_interval_is_refused(value: float) -> None:
    with pytest.raises(InputError) as err:
        CellConfig.build(clamps={"forget": value})
    assert "forget" in str(err.value) and "[0, 1]" in str(err.value)


@pytest.mark.parametrize("value", ["half", None, [0.5], "nan"])
def test_clamp_that_is_not_a_number_is_refused(value: object) -> None:
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        check_clamp_value("input", value)


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), (1, 1.0), ("0.25", 0.25)])
def test_clamp_edges_and_numeric_strings_are_accepted(value: object, expected: float) -> None:
    assert check_clamp_value("output", value) == expected
    assert CellConfig.build(clamps={"output": value}).clamp("output") == expected
