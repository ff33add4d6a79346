"""Which activation fills each slot, and which gates are clamped."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from lstm_tui.engine.activations import (
    DEFAULT_ACTIVATIONS,
    SLOTS,
    Activation,
    check_gate,
    check_slot,
    get_activation,
)
from lstm_tui.errors import InputError


@dataclass(frozen=True)
class CellConfig:
    """Activation name per slot and an optional constant per gate (a clamp).

    Immutable: :meth:`with_activation`, :meth:`with_clamp` and
    :meth:`without_clamp` return new configs, which makes undo trivial.
    """

    activations: tuple[tuple[str, str], ...] = field(
        default_factory=lambda: tuple(DEFAULT_ACTIVATIONS.items())
    )
    clamps: tuple[tuple[str, float], ...] = ()

    @classmethod
    def build(
        cls,
        activations: Mapping[str, str] | None = None,
        clamps: Mapping[str, float] | None = None,
    ) -> CellConfig:
        """Validate slot, gate and activation names and clamp values."""
        acts = dict(DEFAULT_ACTIVATIONS)
        for slot, name in (activations or {}).items():
            check_slot(slot)
            get_activation(name)
            acts[slot] = name
        checked: dict[str, float] = {}
        for gate, value in (clamps or {}).items():
            check_gate(gate)
            checked[gate] = check_clamp_value(gate, value)
        order = {g: k for k, g in enumerate(SLOTS)}
        return cls(
            tuple((s, acts[s]) for s in SLOTS),
            tuple(sorted(checked.items(), key=lambda kv: order[kv[0]])),
        )

    def activation_name(self, slot: str) -> str:
        return dict(self.activations)[slot]

    def activation(self, slot: str) -> Activation:
        return get_activation(self.activation_name(slot))

    def clamp(self, gate: str) -> float | None:
        return dict(self.clamps).get(gate)

    @property
    def is_standard(self) -> bool:
        """True for the textbook LSTM: default activations, no clamps."""
        return dict(self.activations) == DEFAULT_ACTIVATIONS and not self.clamps

    def with_activation(self, slot: str, name: str) -> CellConfig:
        acts = dict(self.activations)
        acts[slot] = name
        return CellConfig.build(acts, dict(self.clamps))

    def with_clamp(self, gate: str, value: float) -> CellConfig:
        clamps = dict(self.clamps)
        clamps[gate] = value
        return CellConfig.build(dict(self.activations), clamps)

    def without_clamp(self, gate: str) -> CellConfig:
        clamps = dict(self.clamps)
        clamps.pop(check_gate(gate), None)
        return CellConfig.build(dict(self.activations), clamps)


def check_clamp_value(gate: str, value: object) -> float:
    """``value`` as a float in [0, 1]; an :class:`InputError` otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"clamp for {gate} must be a number in [0, 1], got {value!r}") from None
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise InputError(f"clamp for {gate} must be in [0, 1], got {value!r}")
    return number
