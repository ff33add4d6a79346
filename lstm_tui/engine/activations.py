"""Activation functions with their derivatives, and the five slots they fill.

Every function is written so that no finite input, however large (±1e308),
raises a NumPy warning or returns NaN: the sigmoid goes through ``tanh``,
which saturates instead of overflowing like ``exp`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lstm_tui.errors import InputError

Array = np.ndarray

SLOTS: tuple[str, ...] = ("input", "forget", "candidate", "output", "cell")
"""The five places an activation is applied, in the order the equations use them."""

GATES: tuple[str, ...] = ("input", "forget", "output")
"""The gates that can be clamped to a constant."""

GATE_SLOT_LETTER = {"input": "i", "forget": "f", "candidate": "g", "output": "o", "cell": "c"}

DEFAULT_ACTIVATIONS: dict[str, str] = {
    "input": "sigmoid",
    "forget": "sigmoid",
    "candidate": "tanh",
    "output": "sigmoid",
    "cell": "tanh",
}


@dataclass(frozen=True)
class Activation:
    """One activation: its function, derivative (of the pre-activation) and range."""

    name: str
    fn: Callable[[Array], Array]
    deriv: Callable[[Array], Array]
    low: float
    high: float
    formula: str
    # Points where the derivative is not defined; gradient checks avoid them.
    kinks: tuple[float, ...] = ()


def _sigmoid(x: Array) -> Array:
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _sigmoid_deriv(x: Array) -> Array:
    s = _sigmoid(x)
    return s * (1.0 - s)


def _hard_sigmoid(x: Array) -> Array:
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


def _hard_sigmoid_deriv(x: Array) -> Array:
    return np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0)


def _hard_sigmoid_keras(x: Array) -> Array:
    # Keras before 2.3 (and tf.keras before 2.2): a steeper line than
    # relu6(x+3)/6, saturating at |x| = 2.5 instead of 3.
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def _hard_sigmoid_keras_deriv(x: Array) -> Array:
    return np.where((x > -2.5) & (x < 2.5), 0.2, 0.0)


def _tanh(x: Array) -> Array:
    return np.tanh(x)


def _tanh_deriv(x: Array) -> Array:
    t = np.tanh(x)
    return 1.0 - t * t


def _softsign(x: Array) -> Array:
    # x / (1 + |x|) overflows nowhere, but 1 + 1e308 rounds to 1e308; the ratio
    # is still exactly ±1, which is the right limit.
    return x / (1.0 + np.abs(x))


def _softsign_deriv(x: Array) -> Array:
    d = 1.0 + np.abs(x)
    # 1/d**2 underflows to 0 for huge |x| without a warning only if we avoid
    # squaring an overflowing number: divide twice instead.
    return (1.0 / d) / d


def _relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def _relu_deriv(x: Array) -> Array:
    return (x > 0.0).astype(np.float64)


def _identity(x: Array) -> Array:
    return np.array(x, dtype=np.float64, copy=True)


def _identity_deriv(x: Array) -> Array:
    return np.ones_like(x, dtype=np.float64)


def _step(x: Array) -> Array:
    return (x > 0.0).astype(np.float64)


def _step_deriv(x: Array) -> Array:
    return np.zeros_like(x, dtype=np.float64)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, _sigmoid_deriv, 0.0, 1.0, "1/(1+e^-x)"),
        Activation(
            "hard_sigmoid",
            _hard_sigmoid,
            _hard_sigmoid_deriv,
            0.0,
            1.0,
            "relu6(x+3)/6",
            (-3.0, 3.0),
        ),
        Activation("tanh", _tanh, _tanh_deriv, -1.0, 1.0, "tanh(x)"),
        Activation("softsign", _softsign, _softsign_deriv, -1.0, 1.0, "x/(1+|x|)"),
        Activation("relu", _relu, _relu_deriv, 0.0, np.inf, "max(x,0)", (0.0,)),
        Activation("identity", _identity, _identity_deriv, -np.inf, np.inf, "x"),
        Activation("step", _step, _step_deriv, 0.0, 1.0, "1 if x>0 else 0", (0.0,)),
        Activation(
            "hard_sigmoid_keras",
            _hard_sigmoid_keras,
            _hard_sigmoid_keras_deriv,
            0.0,
            1.0,
            "clip(0.2x+0.5,0,1)",
            (-2.5, 2.5),
        ),
    )
}


def get_activation(name: str) -> Activation:
    """The activation called ``name``; an :class:`InputError` listing the valid ones otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        valid = ", ".join(ACTIVATIONS)
        raise InputError(f"unknown activation {name!r}; choose one of: {valid}") from None


def check_slot(slot: str) -> str:
    """``slot`` if it names an activation slot; an :class:`InputError` listing them otherwise."""
    if slot not in SLOTS:
        raise InputError(f"unknown activation slot {slot!r}; choose one of: {', '.join(SLOTS)}")
    return slot


def check_gate(gate: str) -> str:
    """``gate`` if it names a clampable gate; an :class:`InputError` listing them otherwise."""
    if gate not in GATES:
        raise InputError(f"unknown gate {gate!r}; choose one of: {', '.join(GATES)}")
    return gate
