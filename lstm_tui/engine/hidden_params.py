"""Parameters of the cells an LSTM is compared with: a plain tanh RNN and a GRU.

Both use PyTorch's layout and names exactly, so a one-layer ``torch.nn.RNN``
or ``torch.nn.GRU`` state dict loads as is:

- RNN: ``weight_ih_l0`` (H, I), ``weight_hh_l0`` (H, H), ``bias_ih_l0`` and
  ``bias_hh_l0`` (H,).
- GRU: ``weight_ih_l0`` (3H, I), ``weight_hh_l0`` (3H, H), ``bias_ih_l0`` and
  ``bias_hh_l0`` (3H,); row blocks in the order r (reset gate), z (update
  gate), n (candidate), as ``torch.nn.GRU`` stores them.

Without weights of their own both are made from an LSTM's, block by the
block that plays the same part: the RNN's one block is the LSTM's candidate
g (the RNN is the LSTM with no gates and no cell state); the GRU's z is the
LSTM's forget gate f (both decide how much of the old state is kept), its n
is the candidate g, and its r is the output gate o (both decide how much of
the state the next step's candidate sees).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from lstm_tui.engine.params import (
    PARAM_KEYS,
    LSTMParams,
    checked_layer,
    gate_rows,
    random_layer,
    state_values,
)
from lstm_tui.errors import InputError

CELL_KINDS: tuple[str, ...] = ("lstm", "rnn", "gru")
"""The kinds of cell there are: the LSTM, and the two it is compared with."""

GRU_BLOCKS: tuple[str, ...] = ("r", "z", "n")
"""Row-block order of the GRU's parameter arrays (PyTorch's)."""


@dataclass(frozen=True, eq=False)
class HiddenParams:
    """Validated, read-only float64 parameters of a cell whose only state is h.

    ``weight_ih`` (kH, I), ``weight_hh`` (kH, H), ``bias_ih`` and ``bias_hh``
    (kH,), where k is :attr:`blocks` (1 for the RNN, 3 for the GRU).
    """

    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias_ih: np.ndarray
    bias_hh: np.ndarray

    kind: ClassVar[str] = ""
    blocks: ClassVar[int] = 1
    lstm_gates: ClassVar[tuple[str, ...]] = ()
    """The LSTM gate whose rows make each block by default, in block order."""

    @property
    def hidden_size(self) -> int:
        return self.weight_hh.shape[1]

    @property
    def input_size(self) -> int:
        return self.weight_ih.shape[1]

    @classmethod
    def from_arrays(
        cls, weight_ih: object, weight_hh: object, bias_ih: object, bias_hh: object
    ) -> HiddenParams:
        """Validate shapes, dtype and finiteness; copy into read-only float64 arrays.

        Raises :class:`InputError` naming the array, the shape it must have and
        the one it has.
        """
        values = (weight_ih, weight_hh, bias_ih, bias_hh)
        w_ih, w_hh, b_ih, b_hh = checked_layer(values, cls.blocks, cls.kind.upper())
        return cls(w_ih, w_hh, b_ih, b_hh)

    @classmethod
    def from_state_dict(cls, state: Mapping[str, object]) -> HiddenParams:
        """From a mapping with the four PyTorch keys (a ``state_dict`` or an ``.npz``)."""
        return cls.from_arrays(*state_values(state))

    @classmethod
    def random(cls, hidden_size: int, input_size: int, seed: int = 0) -> HiddenParams:
        """PyTorch's default initialisation: every entry from U(-1/sqrt(H), 1/sqrt(H))."""
        return cls.from_arrays(*random_layer(cls.blocks, hidden_size, input_size, seed))

    @classmethod
    def from_lstm(cls, lstm: LSTMParams) -> HiddenParams:
        """The blocks of ``lstm`` that play the same parts (see the module's docstring)."""
        rows = [gate_rows(gate, lstm.hidden_size) for gate in cls.lstm_gates]
        return cls.from_arrays(*(np.concatenate([a[r] for r in rows]) for a in lstm.arrays()))

    def state_dict(self) -> dict[str, np.ndarray]:
        """The four arrays under PyTorch's names (read-only)."""
        return dict(zip(PARAM_KEYS, self.arrays(), strict=True))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)

    def with_zero_columns(self, count: int) -> HiddenParams:
        """These weights with ``count`` zero columns appended to ``W_ih`` (inputs ignored)."""
        rows = self.weight_ih.shape[0]
        return type(self).from_arrays(
            np.hstack([self.weight_ih, np.zeros((rows, count))]), *self.arrays()[1:]
        )


class RNNParams(HiddenParams):
    """``torch.nn.RNN``'s one layer: ``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)``."""

    kind = "rnn"
    blocks = 1

    lstm_gates = ("g",)


class GRUParams(HiddenParams):
    """``torch.nn.GRU``'s one layer, row blocks r, z, n."""

    kind = "gru"
    blocks = 3

    lstm_gates = ("o", "f", "g")

    def block(self, name: str) -> slice:
        """The rows of a (3H, ...) array that belong to block ``name`` (r, z or n)."""
        k = GRU_BLOCKS.index(name)
        hidden = self.hidden_size
        return slice(k * hidden, (k + 1) * hidden)


PARAMS_OF_KIND: dict[str, type[HiddenParams]] = {"rnn": RNNParams, "gru": GRUParams}


def check_kind(kind: str) -> str:
    """``kind`` if it names a cell kind; an :class:`InputError` listing them otherwise."""
    if kind not in CELL_KINDS:
        raise InputError(f"unknown cell kind {kind!r}; choose one of: {', '.join(CELL_KINDS)}")
    return kind
