"""The loss of one chunk of a sequence and its gradient with respect to every parameter.

The model is one LSTM layer reading the inputs and a linear head on its h::

    z_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh      i f g o = act(z_t blocks)
    c_t = f c_{t-1} + i g      h_t = o act_cell(c_t)      y_t = W h_t + b

Text: ``y_t`` are the logits of the next token, and the loss is the softmax
cross-entropy of the true next token, the mean over the chunk's K positions
(``torch.nn.functional.cross_entropy``). Numeric sequences: ``y_t`` is the
guess at the next vector, and the loss is the mean squared error over every
entry (``torch.nn.functional.mse_loss``).

Backpropagation through time runs the forward pass backwards, step by step
(the same lines as :mod:`lstm_tui.engine.gradients`, read bottom to top)::

    dh_t = W^T dy_t + W_hh^T dz_{t+1}          dc_t = f_{t+1} dc_{t+1} + dh_t o_t act_cell'(c_t)
    dz_t = (dc_t g_t, dc_t c_{t-1}, dc_t i_t, dh_t act_cell(c_t)) * act'(z_t)

and the parameter gradients are sums over the chunk: ``dW_ih = sum dz_t x_t^T``,
``dW_hh = sum dz_t h_{t-1}^T``, both biases ``sum dz_t``. The state the chunk
starts from (h0, c0, carried over from the chunk before) is a constant: no
gradient flows into the previous chunk (truncated backpropagation).

A clamped gate is a constant, so its slope is zero and its rows get no
gradient; every other slot trains through its activation's ``deriv``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from lstm_tui.engine.activations import Activation
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model, ModelNames
from lstm_tui.engine.params import LSTMParams, layer_keys
from lstm_tui.errors import InputError

TASKS: tuple[str, ...] = ("tokens", "vectors")
"""What the head predicts: the next token (cross-entropy) or the next vector (squared error)."""

HEAD_KEYS: tuple[str, str] = ("head.weight", "head.bias")
_GATE_SLOTS = ("input", "forget", "candidate", "output")


@dataclass(eq=False)
class Weights:
    """Writable float64 copies of everything that trains, in PyTorch's layout.

    ``weight_ih`` (4H, I), ``weight_hh`` (4H, H), ``bias_ih`` and ``bias_hh``
    (4H,), ``head_weight`` (O, H), ``head_bias`` (O,). The same class holds
    gradients, array for array.
    """

    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias_ih: np.ndarray
    bias_hh: np.ndarray
    head_weight: np.ndarray
    head_bias: np.ndarray

    @classmethod
    def of_model(cls, model: Model) -> Weights:
        """Copies of a model's one layer and its head; an :class:`InputError` for any other
        kind of model."""
        extra = [f"{model.depth} layers"] if model.depth != 1 else []
        extra += ["an embedding"] if model.embedding is not None else []
        if extra:
            raise InputError(
                "training takes one LSTM layer reading the inputs and a head; this model has "
                + " and ".join(extra)
            )
        if model.head_weight is None or model.head_bias is None:
            raise InputError("training needs a model with a head")
        params = model.layers[0]
        arrays = (*params.arrays(), model.head_weight, model.head_bias)
        return cls(*(np.array(a, dtype=np.float64, copy=True) for a in arrays))

    def arrays(self) -> tuple[np.ndarray, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def named(self) -> dict[str, np.ndarray]:
        """The arrays under the keys of a whole-model file (``lstm.weight_ih_l0`` …)."""
        return dict(zip((*layer_keys(0, "lstm."), *HEAD_KEYS), self.arrays(), strict=True))

    def copy(self) -> Weights:
        return Weights(*(np.array(a, copy=True) for a in self.arrays()))

    def zeros_like(self) -> Weights:
        return Weights(*(np.zeros_like(a) for a in self.arrays()))

    def is_finite(self) -> bool:
        return all(bool(np.all(np.isfinite(a))) for a in self.arrays())

    def model(self) -> Model:
        """The model these weights are (validated read-only copies), named ``lstm.``, ``head.``."""
        params = LSTMParams.from_arrays(
            self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh, prefix="lstm."
        )
        return Model.build(
            (params,),
            None,
            self.head_weight,
            self.head_bias,
            ModelNames("lstm.", None, "head.weight"),
        )


@dataclass(frozen=True, eq=False)
class ChunkResult:
    """The chunk's ``loss``, its gradient ``grads``, and the state ``h``, ``c`` (H,) after it."""

    loss: float
    grads: Weights
    h: np.ndarray
    c: np.ndarray


class _Gates:
    """The four gate activations of one configuration, applied to a (4H,) pre-activation.

    Sigmoid and tanh blocks share one ``tanh`` call: sigmoid(x) =
    0.5 + 0.5 tanh(0.5 x), as :mod:`lstm_tui.engine.activations` computes it,
    so the values are the same to the bit. A clamped block has scale 0 and its
    constant as offset; any other activation is applied to its block alone.
    """

    def __init__(self, config: CellConfig, hidden: int) -> None:
        rows = 4 * hidden
        self.scale = np.zeros(rows)
        self.offset = np.zeros(rows)
        self.others: list[tuple[slice, Activation]] = []
        self.kinds: list[tuple[slice, str, Activation]] = []
        for k, slot in enumerate(_GATE_SLOTS):
            block = slice(k * hidden, (k + 1) * hidden)
            clamp = config.clamp(slot) if slot != "candidate" else None
            act = config.activation(slot)
            if clamp is not None:
                self.offset[block] = clamp
                kind = "clamped"
            elif act.name == "sigmoid":
                self.scale[block] = 0.5
                self.offset[block] = 0.5
                kind = "sigmoid"
            elif act.name == "tanh":
                self.scale[block] = 1.0
                kind = "tanh"
            else:
                self.others.append((block, act))
                kind = "other"
            self.kinds.append((block, kind, act))

    def apply(self, z: np.ndarray, out: np.ndarray) -> None:
        np.multiply(z, self.scale, out=out)
        np.tanh(out, out=out)
        out *= self.scale
        out += self.offset
        for block, act in self.others:
            out[block] = act.fn(z[block])

    def slopes(self, z: np.ndarray, values: np.ndarray) -> np.ndarray:
        """(K, 4H) act'(z) for every step, from the pre-activations and the values they gave."""
        slope = np.zeros_like(z)
        for block, kind, act in self.kinds:
            y = values[:, block]
            if kind == "sigmoid":
                slope[:, block] = y * (1.0 - y)
            elif kind == "tanh":
                slope[:, block] = 1.0 - y * y
            elif kind == "other":
                slope[:, block] = act.deriv(z[:, block])
        return slope


def _head_loss(task: str, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss of the head's ``outputs`` (K, O) and its derivative with respect to them."""
    if task == "tokens":
        count = outputs.shape[0]
        shifted = outputs - np.max(outputs, axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = np.sum(exps, axis=1)
        picked = shifted[np.arange(count), targets]
        loss = float(np.mean(np.log(sums) - picked))
        d_out = exps / sums[:, None]
        d_out[np.arange(count), targets] -= 1.0
        d_out /= count
        return loss, d_out
    diff = outputs - targets
    loss = float(np.mean(diff * diff))
    return loss, diff * (2.0 / diff.size)


# Activations that overflow (identity, relu) give inf and nan here: the caller
# sees a non-finite loss and stops, so no warnings.
@np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore")
def chunk_loss(
    weights: Weights,
    config: CellConfig,
    inputs: np.ndarray,
    targets: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    task: str = "tokens",
) -> ChunkResult:
    """Run one chunk forward from (h0, c0) and backpropagate its loss through it.

    ``inputs`` (K, I); ``targets`` (K,) token indices among the head's outputs
    for ``task`` "tokens", (K, O) vectors for "vectors"; ``h0``, ``c0`` (H,).
    """
    count = inputs.shape[0]
    hidden = weights.weight_hh.shape[1]
    gates = _Gates(config, hidden)
    cell = config.activation("cell")
    cell_tanh = cell.name == "tanh"

    # Forward: the input projection of every step at once, then the recurrence.
    z = inputs @ weights.weight_ih.T
    z += weights.bias_ih + weights.bias_hh
    values = np.empty((count, 4 * hidden))
    c = np.empty((count + 1, hidden))
    h = np.empty((count + 1, hidden))
    cell_out = np.empty((count, hidden))
    c[0], h[0] = c0, h0
    w_hh_t = np.ascontiguousarray(weights.weight_hh.T)
    recurrent = np.empty(4 * hidden)
    through = np.empty(hidden)
    i_v, f_v = values[:, :hidden], values[:, hidden : 2 * hidden]
    g_v, o_v = values[:, 2 * hidden : 3 * hidden], values[:, 3 * hidden :]
    for t in range(count):
        zt = z[t]
        np.dot(h[t], w_hh_t, out=recurrent)
        zt += recurrent
        gates.apply(zt, values[t])
        np.multiply(f_v[t], c[t], out=c[t + 1])
        np.multiply(i_v[t], g_v[t], out=through)
        c[t + 1] += through
        if cell_tanh:
            np.tanh(c[t + 1], out=cell_out[t])
        else:
            cell_out[t] = cell.fn(c[t + 1])
        np.multiply(o_v[t], cell_out[t], out=h[t + 1])

    outputs = h[1:] @ weights.head_weight.T
    outputs += weights.head_bias
    loss, d_out = _head_loss(task, outputs, targets)

    # Backward. Everything that does not depend on the recurrence is computed
    # for the whole chunk first; the loop carries only dh and dc.
    slope = gates.slopes(z, values)
    cell_slope = 1.0 - cell_out * cell_out if cell_tanh else cell.deriv(c[1:])
    # dz_t for the i, f, g blocks is dc_t times these; for the o block, dh_t times the last.
    through_c = np.concatenate([g_v, c[:-1], i_v], axis=1) * slope[:, : 3 * hidden]
    through_c = through_c.reshape(count, 3, hidden)
    through_h = cell_out * slope[:, 3 * hidden :]
    o_cell = o_v * cell_slope
    dh_head = d_out @ weights.head_weight
    dz = np.empty((count, 4 * hidden))
    blocks = dz.reshape(count, 4, hidden)  # a view: writing the blocks fills dz
    dz_c, dz_h = blocks[:, :3], blocks[:, 3]
    w_hh = weights.weight_hh
    dh_next = np.zeros(hidden)
    dc_next = np.zeros(hidden)
    for t in range(count - 1, -1, -1):
        dh_t = dh_head[t] + dh_next
        dc_t = dh_t * o_cell[t]
        dc_t += dc_next
        np.multiply(through_c[t], dc_t, out=dz_c[t])
        np.multiply(through_h[t], dh_t, out=dz_h[t])
        dh_next = dz[t] @ w_hh
        dc_next = dc_t * f_v[t]

    d_bias = dz.sum(axis=0)
    grads = Weights(
        dz.T @ inputs,
        dz.T @ h[:-1],
        d_bias,
        d_bias.copy(),
        d_out.T @ h[1:],
        d_out.sum(axis=0),
    )
    return ChunkResult(loss, grads, h[-1].copy(), c[-1].copy())
