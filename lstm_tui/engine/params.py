"""LSTM parameters in PyTorch's layout and names.

``weight_ih_l0`` (4H, I), ``weight_hh_l0`` (4H, H), ``bias_ih_l0`` (4H,) and
``bias_hh_l0`` (4H,); the four row blocks are the gates in the order
i (input), f (forget), g (candidate), o (output) — exactly as
``torch.nn.LSTM`` stores them, so a state dict moves over unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from lstm_tui.errors import InputError

PARAM_KEYS: tuple[str, ...] = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")

GATE_ORDER: tuple[str, ...] = ("i", "f", "g", "o")
"""Row-block order of the gates inside every parameter array."""


def layer_keys(layer: int = 0, prefix: str = "") -> tuple[str, str, str, str]:
    """The four keys of layer ``layer`` as PyTorch names them, under ``prefix`` (``lstm.``)."""
    return tuple(f"{prefix}{key[:-1]}{layer}" for key in PARAM_KEYS)  # type: ignore[return-value]


def gate_rows(gate: str, hidden_size: int) -> slice:
    """The rows of a (4H, ...) parameter array that belong to ``gate`` (one of i, f, g, o)."""
    k = GATE_ORDER.index(gate)
    return slice(k * hidden_size, (k + 1) * hidden_size)


@dataclass(frozen=True, eq=False)
class LSTMParams:
    """Validated, read-only float64 parameters of one LSTM layer.

    Build with :meth:`from_arrays` (validates and copies) or :meth:`random`.
    """

    weight_ih: np.ndarray  # (4H, I)
    weight_hh: np.ndarray  # (4H, H)
    bias_ih: np.ndarray  # (4H,)
    bias_hh: np.ndarray  # (4H,)

    @property
    def hidden_size(self) -> int:
        return self.weight_hh.shape[1]

    @property
    def input_size(self) -> int:
        return self.weight_ih.shape[1]

    @classmethod
    def from_arrays(
        cls,
        weight_ih: object,
        weight_hh: object,
        bias_ih: object,
        bias_hh: object,
        *,
        layer: int = 0,
        prefix: str = "",
    ) -> LSTMParams:
        """Validate shapes, dtype and finiteness; copy into read-only float64 arrays.

        Raises :class:`InputError` naming the array and what is wrong with it,
        by the key it has in its file (``prefix``, ``layer``: ``lstm.weight_hh_l1``).
        """
        w_ih, w_hh, b_ih, b_hh = checked_layer(
            (weight_ih, weight_hh, bias_ih, bias_hh), 4, keys=layer_keys(layer, prefix)
        )
        return cls(w_ih, w_hh, b_ih, b_hh)

    @classmethod
    def from_state_dict(cls, state: Mapping[str, object]) -> LSTMParams:
        """From a mapping with the four PyTorch keys (a ``state_dict`` or an ``.npz``)."""
        return cls.from_arrays(*state_values(state))

    @classmethod
    def random(cls, hidden_size: int, input_size: int, seed: int = 0) -> LSTMParams:
        """PyTorch's default initialisation: every entry from U(-1/sqrt(H), 1/sqrt(H)).

        ``seed`` is a whole number 0 or more; anything else is an :class:`InputError`.
        """
        return cls.from_arrays(*random_layer(4, hidden_size, input_size, seed))

    @classmethod
    def zeros(cls, hidden_size: int, input_size: int) -> LSTMParams:
        rows = 4 * hidden_size
        return cls.from_arrays(
            np.zeros((rows, input_size)),
            np.zeros((rows, hidden_size)),
            np.zeros(rows),
            np.zeros(rows),
        )

    def state_dict(self) -> dict[str, np.ndarray]:
        """The four arrays under PyTorch's names (read-only views)."""
        return dict(zip(PARAM_KEYS, self.arrays(), strict=True))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)

    def replace(self, **changes: object) -> LSTMParams:
        """A validated copy with some arrays replaced, by PyTorch key or field name."""
        current: dict[str, object] = dict(self.state_dict())
        for key, value in changes.items():
            name = key if key in PARAM_KEYS else f"{key}_l0"
            if name not in PARAM_KEYS:
                valid = ", ".join(PARAM_KEYS)
                raise InputError(f"unknown parameter {key!r}; choose one of: {valid}")
            current[name] = value
        return LSTMParams.from_state_dict(current)

    def with_value(self, key: str, index: tuple[int, ...], value: float) -> LSTMParams:
        """A copy with one entry of one array set to ``value``."""
        name = key if key in PARAM_KEYS else f"{key}_l0"
        array = np.array(self.state_dict()[name], copy=True)
        array[index] = value
        return self.replace(**{name: array})

    def equals(self, other: LSTMParams) -> bool:
        """Bit-for-bit equality of all four arrays."""
        return all(
            a.shape == b.shape and np.array_equal(a, b)
            for a, b in zip(self.arrays(), other.arrays(), strict=True)
        )


def state_values(state: Mapping[str, object]) -> tuple[object, ...]:
    """The values under the four PyTorch keys, in order; an :class:`InputError` naming
    any that is missing."""
    missing = [k for k in PARAM_KEYS if k not in state]
    if missing:
        raise InputError(f"missing key(s): {', '.join(missing)} (need {', '.join(PARAM_KEYS)})")
    return tuple(state[k] for k in PARAM_KEYS)


def checked_layer(
    values: tuple[object, ...],
    blocks: int,
    name: str = "",
    keys: tuple[str, ...] = PARAM_KEYS,
) -> tuple[np.ndarray, ...]:
    """The four arrays of one layer with ``blocks`` row blocks of H (4 for the LSTM),
    validated and copied into read-only float64 arrays.

    Raises :class:`InputError` naming the array by its key in ``keys`` (after
    ``name``, the kind of cell, if given), the shape it must have and the one
    it has.
    """
    arrays = {key: _as_float_array(key, value) for key, value in zip(keys, values, strict=True)}
    w_ih, w_hh, b_ih, b_hh = (arrays[k] for k in keys)
    n_ih, n_hh, n_bih, n_bhh = keys
    k = f"{blocks}H" if blocks > 1 else "H"
    name = f"{name} " if name else ""
    if w_hh.ndim != 2:
        raise InputError(f"{name}{n_hh} must be 2-D ({k}, H), got shape {w_hh.shape}")
    rows, hidden = w_hh.shape
    if hidden < 1 or rows != blocks * hidden:
        raise InputError(f"{name}{n_hh} must have shape ({k}, H) with H >= 1, got {w_hh.shape}")
    if w_ih.ndim != 2 or w_ih.shape[0] != rows or w_ih.shape[1] < 1:
        raise InputError(
            f"{name}{n_ih} must have shape ({k}, I) = ({rows}, I) with I >= 1, got {w_ih.shape}"
        )
    for key, b in ((n_bih, b_ih), (n_bhh, b_hh)):
        if b.shape != (rows,):
            raise InputError(f"{name}{key} must have shape ({k},) = ({rows},), got {b.shape}")
    for key, a in arrays.items():
        if not np.all(np.isfinite(a)):
            bad = int(np.size(a) - np.count_nonzero(np.isfinite(a)))
            raise InputError(f"{name}{key} has {bad} non-finite value(s) (NaN or inf)")
    for a in arrays.values():
        a.setflags(write=False)
    return w_ih, w_hh, b_ih, b_hh


def random_layer(
    blocks: int, hidden_size: int, input_size: int, seed: int
) -> tuple[np.ndarray, ...]:
    """PyTorch's default initialisation of one layer with ``blocks`` row blocks of H:
    every entry from U(-1/sqrt(H), 1/sqrt(H)). Bad sizes or seed: an :class:`InputError`."""
    if hidden_size < 1 or input_size < 1:
        raise InputError(
            f"hidden and input sizes must be at least 1, got H={hidden_size}, I={input_size}"
        )
    # NumPy's generator takes only non-negative integers and raises a bare
    # ValueError or TypeError otherwise; bool is an int, but no seed.
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"the seed must be a whole number 0 or more, got {seed!r}")
    k = 1.0 / np.sqrt(hidden_size)
    rng = np.random.default_rng(seed)
    rows = blocks * hidden_size
    return (
        rng.uniform(-k, k, (rows, input_size)),
        rng.uniform(-k, k, (rows, hidden_size)),
        rng.uniform(-k, k, rows),
        rng.uniform(-k, k, rows),
    )


def _as_float_array(key: str, value: object) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == object:
        raise InputError(f"{key} is an object array; only numeric arrays are accepted")
    if not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise InputError(f"{key} must be numeric, got dtype {array.dtype}")
    return np.array(array, dtype=np.float64, copy=True)
