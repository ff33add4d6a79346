"""Updates from gradients: plain SGD and Adam exactly as ``torch.optim`` computes them,
and the gradient-norm clip of ``torch.nn.utils.clip_grad_norm_``.

Each update is written in the same operations, in the same order, as
PyTorch's single-tensor code path, so that from the same weights and
gradients the results agree to rounding (the golden tests hold them to 1e-10
after several steps).
"""

from __future__ import annotations

import math

import numpy as np

from lstm_tui.engine.loss_gradients import Weights
from lstm_tui.errors import InputError

OPTIMIZERS: tuple[str, ...] = ("adam", "sgd")

# torch.nn.utils.clip_grad_norm_ adds this to the norm before dividing.
_CLIP_EPS = 1e-6


def clip_gradients(grads: Weights, max_norm: float) -> float:
    """Scale ``grads`` in place so their joint 2-norm is at most ``max_norm``; 0 turns it off.

    Returns the norm before clipping. As PyTorch: the norm of the arrays'
    norms, and a factor ``max_norm / (norm + 1e-6)`` applied when below 1.
    """
    norms = np.array([np.linalg.norm(a.ravel()) for a in grads.arrays()])
    total = float(np.linalg.norm(norms))
    if max_norm > 0.0:
        factor = min(max_norm / (total + _CLIP_EPS), 1.0)
        if factor < 1.0:
            for array in grads.arrays():
                array *= factor
    return total


class SGD:
    """``p -= lr * grad``: ``torch.optim.SGD`` without momentum or weight decay."""

    name = "sgd"

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def step(self, weights: Weights, grads: Weights) -> None:
        for param, grad in zip(weights.arrays(), grads.arrays(), strict=True):
            param -= self.lr * grad


class Adam:
    """``torch.optim.Adam`` with its defaults: betas (0.9, 0.999), eps 1e-8, no weight decay."""

    name = "adam"

    def __init__(self, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.steps = 0
        self._moments: list[tuple[np.ndarray, np.ndarray]] | None = None

    def step(self, weights: Weights, grads: Weights) -> None:
        if self._moments is None:
            self._moments = [(np.zeros_like(p), np.zeros_like(p)) for p in weights.arrays()]
        beta1, beta2 = self.betas
        self.steps += 1
        step_size = self.lr / (1 - beta1**self.steps)
        correction2_sqrt = (1 - beta2**self.steps) ** 0.5
        pairs = zip(weights.arrays(), grads.arrays(), self._moments, strict=True)
        for param, grad, (mean, square) in pairs:
            # mean.lerp_(grad, 1 - beta1): for a weight below 0.5, start + weight * (end - start).
            mean += (1 - beta1) * (grad - mean)
            square *= beta2
            square += (1 - beta2) * grad * grad
            denom = np.sqrt(square) / correction2_sqrt
            denom += self.eps
            param -= step_size * mean / denom


Optimizer = SGD | Adam


def make_optimizer(name: str, lr: float) -> Optimizer:
    """The optimizer called ``name`` with learning rate ``lr``; an :class:`InputError` when
    either is wrong."""
    if not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise InputError(f"the learning rate must be a number above 0, got {lr!r}")
    if name == "sgd":
        return SGD(float(lr))
    if name == "adam":
        return Adam(float(lr))
    raise InputError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
