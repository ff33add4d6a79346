"""Cell B: what a second cell, run beside the current one (A), changes of it.

B is A with other activations or clamps, or with weights of its own, or
another kind of cell altogether: a plain RNN or a GRU. Whatever B does not
change it takes from A at the moment it is run, so an edit to A's weights
reaches a B made from them, and B always reads A's inputs: the two step
together over the same sequence.

A B of another kind takes only weights: from a file, or made from A's
(:meth:`~lstm_tui.engine.hidden_params.HiddenParams.from_lstm`); it has no
activation slots or clamps to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lstm_tui.engine.activations import check_gate
from lstm_tui.engine.cell_weights_io import load_cell_weights
from lstm_tui.engine.config import CellConfig, check_clamp_value
from lstm_tui.engine.hidden_params import PARAMS_OF_KIND, HiddenParams, check_kind
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trace_io import VECTORS
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError

FREE = "free"
"""The clamp value that frees a gate A clamps (``--vs-clamp forget=free``)."""

AnyParams = LSTMParams | HiddenParams
AnyTrajectory = Trajectory | HiddenTrajectory


@dataclass(frozen=True, eq=False)
class Variant:
    """How cell B differs from cell A. Build with :meth:`build` (validates).

    ``clamps`` maps a gate to a value in [0, 1], or to ``None`` to free a
    gate that A clamps. ``params`` are B's own weights (``None``: A's, or
    made from A's for another kind); ``weights_label`` says where they came from.
    """

    kind: str = "lstm"
    activations: tuple[tuple[str, str], ...] = ()
    clamps: tuple[tuple[str, float | None], ...] = ()
    params: AnyParams | None = None
    weights_label: str | None = None

    @classmethod
    def build(
        cls,
        kind: str | None = None,
        activations: Mapping[str, str] | None = None,
        clamps: Mapping[str, float | None] | None = None,
        params: AnyParams | None = None,
        weights_label: str | None = None,
    ) -> Variant:
        """A validated variant: known slots, activations, gates and clamp values, and
        weights of the kind asked for. :class:`InputError` otherwise."""
        if kind is None:
            kind = "lstm" if params is None or isinstance(params, LSTMParams) else params.kind
        check_kind(kind)
        acts = dict(activations or {})
        fixed = {gate: value for gate, value in (clamps or {}).items()}
        if kind != "lstm" and (acts or fixed):
            option = "activations" if acts else "clamps"
            raise InputError(
                f"{option} belong to an LSTM; {_a(kind)} {kind.upper()} as cell B has none "
                "to change"
            )
        # CellConfig.build checks every name and value, and says which is wrong.
        for gate in fixed:
            check_gate(gate)
        CellConfig.build(acts, {g: v for g, v in fixed.items() if v is not None})
        for gate, value in fixed.items():
            if value is not None:
                fixed[gate] = check_clamp_value(gate, value)
        found = "lstm" if params is None or isinstance(params, LSTMParams) else params.kind
        if params is not None and found != kind:
            raise InputError(
                f"cell B is {_a(kind)} {kind.upper()} but its weights are {_a(found)} "
                f"{found.upper()}'s"
            )
        return cls(kind, tuple(acts.items()), tuple(fixed.items()), params, weights_label)

    # ------------------------------------------------------------- reading
    def config(self, base: CellConfig) -> CellConfig:
        """B's activations and clamps: ``base`` (A's) with this variant's changes."""
        config = base
        for slot, name in self.activations:
            config = config.with_activation(slot, name)
        for gate, value in self.clamps:
            config = config.without_clamp(gate) if value is None else config.with_clamp(gate, value)
        return config

    def weights(self, base: LSTMParams) -> AnyParams:
        """B's weights: its own, else made from ``base`` (A's)."""
        if self.params is not None:
            return self.params
        if self.kind == "lstm":
            return base
        return PARAMS_OF_KIND[self.kind].from_lstm(base)

    def trajectory(self, base: LSTMParams, config: CellConfig, inputs: np.ndarray) -> AnyTrajectory:
        """B run over A's ``inputs`` (T, I), nothing computed yet."""
        params = self.weights(base)
        if params.input_size != inputs.shape[1]:
            raise InputError(
                f"cell B's weights expect input size {params.input_size} but the sequence "
                f"has {inputs.shape[1]}"
            )
        if params.hidden_size != base.hidden_size:
            raise InputError(
                f"cell B's weights have {params.hidden_size} units but cell A has "
                f"{base.hidden_size}; B − A is taken unit by unit, so they must be as many"
            )
        if isinstance(params, LSTMParams):
            return Trajectory(params, inputs, self.config(config))
        return HiddenTrajectory(params, inputs)

    def describe(self) -> str:
        """What B is, in a few words: ``LSTM with forget=1``, ``RNN from A's weights``,
        ``GRU from gru.npz``."""
        changes = [f"{slot}={name}" for slot, name in self.activations]
        changes += [f"{gate} free" if v is None else f"{gate}={v:g}" for gate, v in self.clamps]
        source = ""
        if self.weights_label is not None:
            source = f"from {self.weights_label}"
        elif self.kind != "lstm":
            source = "from A's weights"
        words = [self.kind.upper(), f"with {', '.join(changes)}" if changes else "", source]
        return " ".join(word for word in words if word) if changes or source else "LSTM as A"


def load_variant(
    kind: str | None = None,
    activations: Mapping[str, str] | None = None,
    clamps: Mapping[str, str] | None = None,
    weights: str | Path | None = None,
) -> tuple[Variant, tuple[str, ...] | None]:
    """B from what the command line gives (clamp values as typed, ``free`` allowed),
    and the vocabulary of B's weights file if it has one."""
    params, vocab, label = None, None, None
    if weights is not None:
        params, vocab = load_cell_weights(weights, kind)
        label = Path(weights).name
    try:
        fixed: dict[str, float | None] = {
            check_gate(gate): None
            if value.strip().lower() == FREE
            else check_clamp_value(gate, value)
            for gate, value in (clamps or {}).items()
        }
        variant = Variant.build(kind, activations, fixed, params, label)
    except InputError as err:
        raise InputError(f"cell B: {err}") from None
    return variant, vocab


VS_PREFIX = "vs_"
"""What cell B's arrays are named with in a trace, beside cell A's."""


def variant_arrays(traj: AnyTrajectory) -> dict[str, np.ndarray]:
    """Every vector of cell B's fully computed trajectory, named with :data:`VS_PREFIX`:
    ``vs_z vs_i vs_f vs_g vs_o vs_c vs_h`` for an LSTM, ``vs_z vs_h`` for an RNN,
    ``vs_r vs_z vs_n vs_h`` for a GRU."""
    traj.run()
    names = traj.vectors if isinstance(traj, HiddenTrajectory) else VECTORS
    return {VS_PREFIX + name: np.ascontiguousarray(traj.vector(name)) for name in names}


def check_same_vocab(
    b_vocab: tuple[str, ...] | None, a_vocab: tuple[str, ...] | None, path: object
) -> None:
    """B reads A's inputs: a vocabulary B's file brings must name the same columns."""
    if b_vocab is not None and b_vocab != a_vocab:
        raise InputError(
            "cell B's vocabulary is not cell A's, so the two would read different tokens "
            "from the same input columns",
            path=path,
        )


def _a(kind: str) -> str:
    return "a" if kind == "gru" else "an"
