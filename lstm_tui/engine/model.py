"""A whole model: an optional embedding, a stack of LSTM layers and an optional linear head.

The layers are :class:`~lstm_tui.engine.params.LSTMParams` in PyTorch's
layout; layer k reads layer k-1's h, so its input size is layer k-1's
hidden size. The embedding (V, I) turns token t's one-hot row into
``E[token]``, layer 0's input; the head turns the last layer's h into
logits: ``logits = W h + b`` with ``W`` (V_out, H) and ``b`` (V_out,),
and ``softmax(logits)`` the probability of each next token.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from lstm_tui.engine.params import LSTMParams
from lstm_tui.errors import InputError


@dataclass(frozen=True)
class ModelNames:
    """Where each part of a model was found in its file, for the header and messages.

    ``lstm`` is the prefix of the LSTM's keys (``""`` for bare PyTorch keys,
    ``"keras"`` for a Keras layer); ``embedding`` and ``head`` are the keys of
    their weight arrays, or ``None`` when the model has none.
    """

    lstm: str = ""
    embedding: str | None = None
    head: str | None = None


@dataclass(frozen=True, eq=False)
class Model:
    """Validated, read-only parts of a model. Build with :meth:`build`."""

    layers: tuple[LSTMParams, ...]
    embedding: np.ndarray | None = None  # (V, I)
    # (V_out, H) on the last layer's h, or (V_out, H·layers) on every layer's h
    # side by side (layer 0 first), as a head on a stack's final states is.
    head_weight: np.ndarray | None = None
    head_bias: np.ndarray | None = None  # (V_out,)
    names: ModelNames = ModelNames()

    @classmethod
    def build(
        cls,
        layers: tuple[LSTMParams, ...] | list[LSTMParams],
        embedding: object = None,
        head_weight: object = None,
        head_bias: object = None,
        names: ModelNames | None = None,
    ) -> Model:
        """Check that the parts fit together; an :class:`InputError` naming what does not."""
        layers = tuple(layers)
        names = names or ModelNames()
        if not layers:
            raise InputError("a model needs at least one LSTM layer")
        for k in range(1, len(layers)):
            below, above = layers[k - 1].hidden_size, layers[k].input_size
            if above != below:
                raise InputError(
                    f"layer {k} reads {above} inputs, but layer {k - 1} gives {below} "
                    f"({names.lstm}weight_ih_l{k} must be (4H, {below}))"
                )
        first = layers[0].input_size
        emb = None
        if embedding is not None:
            emb = _matrix(names.embedding or "embedding", embedding)
            if emb.shape[1] != first:
                raise InputError(
                    f"{names.embedding or 'the embedding'} has shape {emb.shape}; "
                    f"it must be (V, {first}) to feed the LSTM"
                )
        weight = bias = None
        if head_weight is not None:
            key = names.head or "head"
            weight = _matrix(key, head_weight)
            if weight.shape[1] not in head_columns(layers):
                wanted = " or ".join(str(n) for n in head_columns(layers))
                raise InputError(f"{key} has shape {weight.shape}; it must be (V_out, {wanted})")
            bias = np.zeros(weight.shape[0]) if head_bias is None else _vector(key, head_bias)
            if bias.shape != (weight.shape[0],):
                raise InputError(
                    f"the bias of {key} has shape {bias.shape}; it must be ({weight.shape[0]},)"
                )
            bias.setflags(write=False)
        return cls(layers, emb, weight, bias, names)

    @classmethod
    def single(cls, params: LSTMParams) -> Model:
        """One bare LSTM layer: what a preset or a random cell is."""
        return cls((params,))

    @property
    def depth(self) -> int:
        return len(self.layers)

    @property
    def input_size(self) -> int:
        """Columns of what the model reads: V with an embedding, else layer 0's I."""
        return self.embedding.shape[0] if self.embedding is not None else self.layers[0].input_size

    @property
    def output_size(self) -> int | None:
        """V_out with a head, else ``None``."""
        return None if self.head_weight is None else self.head_weight.shape[0]

    @property
    def reads_tokens_directly(self) -> bool:
        """True when layer 0's input columns are the input columns (no embedding)."""
        return self.embedding is None

    @property
    def is_bare(self) -> bool:
        """One LSTM layer, no embedding, no head: a file of the four PyTorch arrays."""
        return self.depth == 1 and self.embedding is None and self.head_weight is None

    def with_layer(self, k: int, params: LSTMParams) -> Model:
        """A copy with layer ``k`` replaced by ``params`` of the same shapes."""
        old = self.layers[k]
        if (params.input_size, params.hidden_size) != (old.input_size, old.hidden_size):
            raise InputError(
                f"layer {k} must keep its shapes (H={old.hidden_size}, I={old.input_size})"
            )
        layers = (*self.layers[:k], params, *self.layers[k + 1 :])
        return replace(self, layers=layers)

    def with_embedding_rows(self, count: int) -> Model:
        """A copy whose embedding has ``count`` more zero rows (tokens it never saw)."""
        if self.embedding is None:
            return self
        rows = np.vstack([self.embedding, np.zeros((count, self.embedding.shape[1]))])
        rows.setflags(write=False)
        return replace(self, embedding=rows)

    def embed(self, inputs: np.ndarray) -> np.ndarray:
        """Layer 0's inputs (T, I) for the model's inputs (T, V); the same array without one.

        A one-hot row picks its row of the embedding exactly: every other
        product is a zero, and adding zeros changes no bit.
        """
        if self.embedding is None:
            return inputs
        return np.asarray(inputs, dtype=np.float64) @ self.embedding

    @property
    def head_reads_every_layer(self) -> bool:
        """Whether the head reads every layer's h side by side, not the last layer's alone."""
        return (
            self.head_weight is not None
            and self.depth > 1
            and self.head_weight.shape[1] != self.layers[-1].hidden_size
        )

    def logits(self, h: np.ndarray) -> np.ndarray:
        """``W h + b`` for the head's input (the last layer's h, or every layer's side by
        side), (columns,) or (T, columns) -> (V_out,) or (T, V_out)."""
        if self.head_weight is None or self.head_bias is None:
            raise InputError("the model has no head")
        return h @ self.head_weight.T + self.head_bias


def head_columns(layers: tuple[LSTMParams, ...]) -> tuple[int, ...]:
    """The widths a head's weight may have: the last layer's H, or (a stack) every layer's."""
    last = layers[-1].hidden_size
    every = sum(layer.hidden_size for layer in layers)
    return (last,) if len(layers) == 1 else (last, every)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities along the last axis, shifted by the maximum so no exp overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = logits - np.max(logits, axis=-1, keepdims=True)
        weights = np.exp(shifted)
        return weights / np.sum(weights, axis=-1, keepdims=True)


def _matrix(key: str, value: object) -> np.ndarray:
    array = _numeric(key, value)
    if array.ndim != 2 or 0 in array.shape:
        raise InputError(f"{key} must be a 2-D array, got shape {array.shape}")
    array.setflags(write=False)
    return array


def _vector(key: str, value: object) -> np.ndarray:
    return _numeric(f"the bias of {key}", value)


def _numeric(key: str, value: object) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype == object or array.dtype.kind not in "iuf":
        raise InputError(f"{key} must be numeric, got dtype {array.dtype}")
    array = np.array(array, dtype=np.float64, copy=True)
    if not np.all(np.isfinite(array)):
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        raise InputError(f"{key} has {bad} non-finite value(s) (NaN or inf)")
    return array
