"""Training one LSTM layer and its head on one sequence, a chunk per step, as char-rnn does.

Step n takes the chunk at position p: inputs p … p+K−1, targets p+1 … p+K
(K is ``bptt``), and makes one update; then p += K. The state (h, c) the
chunk ends with is where the next chunk starts, carried over as a constant
(no gradient reaches back past a chunk: truncated backpropagation through
time). When the next chunk would run past the end of the sequence, p goes
back to 0 and h and c to zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.loss_gradients import Weights, chunk_loss
from lstm_tui.engine.model import Model
from lstm_tui.engine.optimizers import clip_gradients, make_optimizer
from lstm_tui.errors import InputError


@dataclass(frozen=True)
class TrainingSettings:
    """How to train: the optimizer (``adam`` or ``sgd``), its learning rate, the chunk
    length K and the gradient-norm clip (0: off)."""

    optimizer: str = "adam"
    lr: float = 0.01
    bptt: int = 25
    clip: float = 5.0

    def check(self) -> TrainingSettings:
        """These settings if usable; an :class:`InputError` naming the first that is not."""
        make_optimizer(self.optimizer, self.lr)
        if isinstance(self.bptt, bool) or not isinstance(self.bptt, Integral) or self.bptt < 1:
            raise InputError(
                f"the chunk length (bptt) must be a whole number 1 or more, got {self.bptt!r}"
            )
        if not isinstance(self.clip, (int, float)) or not math.isfinite(self.clip) or self.clip < 0:
            raise InputError(
                f"the gradient clip must be a number 0 or more (0: off), got {self.clip!r}"
            )
        return self


class Diverged(Exception):
    """A step's loss or gradient was not finite (or its update made a weight so): the
    weights are those from before it."""


def with_head(model: Model, outputs: int, seed: int = 0) -> Model:
    """``model`` with a linear head of ``outputs`` rows, if it has none.

    The head is initialised as ``torch.nn.Linear`` does: weight and bias from
    U(-1/sqrt(H), 1/sqrt(H)), here from a generator seeded with ``seed``
    (apart from the one the LSTM's random weights come from).
    """
    if model.head_weight is not None:
        return model
    hidden = model.layers[-1].hidden_size
    bound = 1.0 / math.sqrt(hidden)
    rng = np.random.default_rng([seed, 1])
    weight = rng.uniform(-bound, bound, (outputs, hidden))
    bias = rng.uniform(-bound, bound, outputs)
    return Model.build(model.layers, model.embedding, weight, bias, model.names)


class Trainer:
    """Trains ``model`` (one layer and a head) on ``inputs`` (T, I).

    With ``token_ids`` (T,) the sequence is text and the head guesses the next
    token (cross-entropy; its outputs are the vocabulary); without, it guesses
    the next vector (squared error; it has I outputs). Raises
    :class:`InputError` when the model, the sequence and the settings do not
    fit together.
    """

    def __init__(
        self,
        model: Model,
        inputs: np.ndarray,
        token_ids: np.ndarray | None,
        config: CellConfig,
        settings: TrainingSettings,
    ) -> None:
        settings.check()
        self.weights = Weights.of_model(model)
        self.config = config
        self.settings = settings
        self._inputs = np.asarray(inputs, dtype=np.float64)
        length, columns = self._inputs.shape
        outputs = self.weights.head_weight.shape[0]
        if columns != self.weights.weight_ih.shape[1]:
            raise InputError(
                f"the sequence has input size {columns} but the model expects "
                f"{self.weights.weight_ih.shape[1]}"
            )
        if token_ids is None:
            self.task = "vectors"
            self._targets = self._inputs
            if outputs != columns:
                raise InputError(
                    f"the head has {outputs} outputs; guessing the next vector needs {columns}"
                )
        else:
            self.task = "tokens"
            self._targets = np.asarray(token_ids, dtype=np.intp)
            if outputs != columns:
                raise InputError(
                    f"the head has {outputs} outputs; guessing the next token needs one per "
                    f"token of the vocabulary ({columns})"
                )
        if length < settings.bptt + 1:
            raise InputError(
                f"a chunk of {settings.bptt} steps needs a sequence of at least "
                f"{settings.bptt + 1} steps (inputs and the next one as target); this one has "
                f"{length}: use a smaller --bptt"
            )
        self._optimizer = make_optimizer(settings.optimizer, settings.lr)
        hidden = self.weights.weight_hh.shape[1]
        self._h = np.zeros(hidden)
        self._c = np.zeros(hidden)
        self.position = 0
        """Where the next chunk starts (before the wrap to 0, if it does not fit)."""
        self.steps = 0
        """Updates made so far."""

    def __len__(self) -> int:
        return self._inputs.shape[0]

    def step(self) -> float:
        """One update on the next chunk; its loss (before the update).

        Raises :class:`Diverged`, with the weights left as they were, when the
        loss or a gradient is not finite or the update would make a weight so.
        """
        bptt = self.settings.bptt
        if self.position + bptt >= len(self):
            self.position = 0
            self._h = np.zeros_like(self._h)
            self._c = np.zeros_like(self._c)
        p = self.position
        result = chunk_loss(
            self.weights,
            self.config,
            self._inputs[p : p + bptt],
            self._targets[p + 1 : p + bptt + 1],
            self._h,
            self._c,
            self.task,
        )
        if not math.isfinite(result.loss) or not result.grads.is_finite():
            raise Diverged(
                f"step {self.steps + 1}: the loss or its gradient overflowed (not finite)"
            )
        clip_gradients(result.grads, self.settings.clip)
        before = self.weights.copy()
        self._optimizer.step(self.weights, result.grads)
        if not self.weights.is_finite():
            self.weights = before
            raise Diverged(f"step {self.steps + 1}: the update made a weight overflow")
        self._h, self._c = result.h, result.c
        self.position = p + bptt
        self.steps += 1
        return result.loss

    def model(self) -> Model:
        """The model as trained so far (read-only copies)."""
        return self.weights.model()
