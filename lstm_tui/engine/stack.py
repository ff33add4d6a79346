"""Every layer of a model run over one sequence: layer k reads layer k-1's h.

Each layer is a :class:`~lstm_tui.engine.trajectory.Trajectory` of its own,
built the first time it is asked for. Layer 0 reads the model's inputs
(through the embedding when there is one); layer k > 0 reads layer k-1's h,
pulled a projection chunk at a time as its own steps are asked for, so
stepping a stack computes each layer only as far as the screen has gone. A
change to layer k keeps layer k's trajectory (it recomputes lazily) and
drops the layers above, which are built again (cheaply) when next asked
for. All layers share one :class:`~lstm_tui.engine.config.CellConfig`.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model, softmax
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory, check_step_units
from lstm_tui.errors import InputError


class Stack:
    """The model's layers over ``inputs`` (T, model.input_size), computed on demand."""

    def __init__(self, model: Model, inputs: np.ndarray, config: CellConfig | None = None) -> None:
        shape = np.shape(inputs)
        check_step_units(shape[0] if shape else 0, sum(p.hidden_size for p in model.layers))
        if len(shape) != 2 or shape[1] != model.input_size:
            raise InputError(
                f"the sequence has input size {shape[1] if len(shape) == 2 else shape} "
                f"but the model expects {model.input_size}"
            )
        self._model = model
        self._inputs = inputs
        self._config = config or CellConfig()
        self._layers: list[Trajectory | None] = [None] * model.depth

    @property
    def model(self) -> Model:
        return self._model

    @property
    def config(self) -> CellConfig:
        return self._config

    @property
    def depth(self) -> int:
        return self._model.depth

    def __len__(self) -> int:
        return int(np.shape(self._inputs)[0])

    def layer(self, k: int) -> Trajectory:
        """Layer ``k``'s trajectory, building it (and running the layers below) if needed."""
        if not 0 <= k < self.depth:
            raise IndexError(f"layer {k} is outside 0..{self.depth - 1}")
        built = self._layers[k]
        if built is None:
            params = self._model.layers[k]
            if k == 0:
                built = Trajectory(params, self._model.embed(self._inputs), self._config)
            else:
                built = LayerAbove(params, self.layer(k - 1), self._config)
            self._layers[k] = built
        return built

    def built(self, k: int) -> bool:
        """Whether layer ``k``'s trajectory exists (asking for it would not build it)."""
        return self._layers[k] is not None

    def set_params(self, k: int, params: LSTMParams) -> None:
        """New weights for layer ``k``: its steps are stale, the layers above rebuilt."""
        self._model = self._model.with_layer(k, params)
        current = self._layers[k]
        if current is not None:
            current.set_params(params)
        self._drop_above(k)

    def set_config(self, config: CellConfig) -> None:
        """New activations or clamps for every layer."""
        self._config = config
        first = self._layers[0]
        if first is not None:
            first.set_config(config)
        self._drop_above(0)

    def _drop_above(self, k: int) -> None:
        for j in range(k + 1, self.depth):
            self._layers[j] = None

    # ------------------------------------------------------------ the head
    @property
    def has_head(self) -> bool:
        return self._model.head_weight is not None

    def probabilities(self, t: int) -> np.ndarray:
        """(V_out,) the head's softmax after input ``t``: the model's guess at token t+1."""
        return softmax(self._model.logits(self.head_inputs(t, t + 1)[0]))

    def head_output(self, t: int) -> np.ndarray:
        """(V_out,) the head's raw output after input ``t``: for a model of numbers, its
        guess at the next vector (no softmax)."""
        return self._model.logits(self.head_inputs(t, t + 1)[0])

    def logits(self) -> np.ndarray:
        """(T, V_out) the head's logits after every input (the whole sequence is computed)."""
        return self._model.logits(self.head_inputs(0, len(self)))

    def head_inputs(self, start: int, stop: int) -> np.ndarray:
        """(stop - start, columns) what the head reads after inputs start..stop-1, computed
        as far as needed: the last layer's h, or every layer's side by side."""
        shown = range(self.depth) if self._model.head_reads_every_layer else [self.depth - 1]
        parts = []
        for k in shown:
            layer = self.layer(k)
            if stop > start:
                layer.ensure(stop - 1)
            parts.append(layer.h[start:stop])
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def surprisal_bits(self, ids: np.ndarray, start: int, stop: int) -> np.ndarray:
        """(stop - start,) ``-log2 p(token t)`` for t in start..stop-1, as guessed after t-1.

        ``ids`` (T,) are the tokens' indices among the head's outputs; token 0
        has no guess before it, and an id outside the outputs none either:
        both are NaN. Steps up to stop - 2 are computed.
        """
        bits = np.full(max(0, stop - start), np.nan)
        first = max(start, 1)
        if stop <= first:
            return bits
        logits = self._model.logits(self.head_inputs(first - 1, stop - 1))
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            shifted = logits - np.max(logits, axis=1, keepdims=True)
            log_norm = np.log(np.sum(np.exp(shifted), axis=1))
            wanted = np.asarray(ids[first:stop])
            inside = (wanted >= 0) & (wanted < logits.shape[1])
            picked = shifted[np.arange(len(wanted)), np.where(inside, wanted, 0)]
            nats = np.where(inside, log_norm - picked, np.nan)
        bits[first - start :] = nats / np.log(2.0)
        return bits


class LayerAbove(Trajectory):
    """A layer whose inputs are the h of the layer ``below``, pulled as its steps are asked for.

    Its inputs start as zeros; before steps are computed, the rows of every
    projection chunk they lie in are copied from ``below`` (computing it that
    far), so a chunk is always projected from its final inputs. Rows not yet
    pulled are zeros: :meth:`replica` and :attr:`inputs` readers that go past
    the computed steps pull first. ``below`` must not change while this layer
    lives (the :class:`Stack` builds a new one when it does).

    This leans on three of :class:`Trajectory`'s private members, the input
    buffer ``_inputs``, the projection chunk size ``_chunk`` and the projected
    chunk ``_projected_chunk``; the golden tests of stacks guard the coupling.
    """

    def __init__(self, params: LSTMParams, below: Trajectory, config: CellConfig) -> None:
        self._below = below
        self._pulled = 0
        super().__init__(params, np.zeros((len(below), below.params.hidden_size)), config)
        # The base class keeps a read-only copy it owns; this layer fills it in.
        self._inputs.setflags(write=True)

    def _pull(self, stop: int) -> None:
        """Inputs up to row ``stop`` (exclusive) copied from the layer below."""
        stop = min(len(self), stop)
        if stop <= self._pulled:
            return
        self._below.ensure(stop - 1)
        self._inputs[self._pulled : stop] = self._below.h[self._pulled : stop]
        chunk = self._chunk
        if self._projected_chunk >= self._pulled // chunk:
            self._projected_chunk = -1  # it was projected from rows still zero
        self._pulled = stop

    def ensure(self, t: int) -> None:
        self._check_index(t)
        self._pull((t // self._chunk + 1) * self._chunk)
        super().ensure(t)

    def replica(self, steps: int | None = None) -> Trajectory:
        self._pull(len(self) if steps is None else steps)
        return super().replica(steps)
