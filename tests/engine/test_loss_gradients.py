"""The training gradient against central finite differences, for every parameter.

Every check perturbs one entry of one parameter (the LSTM's four arrays and
the head's two), reruns the chunk with the reference :func:`cell.step` (not
the training code's own forward pass), and compares the slope of the loss
with the analytic gradient: relative error below 1e-6, entries smaller than
1e-3 compared absolutely at 1e-9. Each activation is tried in each slot, with
and without a clamp on another gate, from a carried-over state (h0, c0 not
zero), for text (cross-entropy) and numeric sequences (squared error).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lstm_tui.engine.cell import step as cell_step
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.loss_gradients import ChunkResult, Weights, chunk_loss
from lstm_tui.engine.params import LSTMParams
from tests.engine.test_gradients import (
    CASES,
    assert_gradient_close,
    first_clear_of_kinks,
    kink_margin,
    other_gate,
)

EPS = 1e-6
HIDDEN, INPUT, STEPS = 3, 4, 5


class Chunk:
    """One chunk, its weights and the reference loss as a function of them."""

    def __init__(self, config: CellConfig, task: str, seed: int) -> None:
        rng = np.random.default_rng(seed)
        rows = 4 * HIDDEN
        self.config, self.task = config, task
        self.weights = Weights(
            rng.uniform(-1.2, 1.2, (rows, INPUT)),
            rng.uniform(-1.2, 1.2, (rows, HIDDEN)),
            rng.uniform(-0.8, 0.8, rows),
            rng.uniform(-0.8, 0.8, rows),
            rng.uniform(-1.0, 1.0, (INPUT, HIDDEN)),
            rng.uniform(-0.5, 0.5, INPUT),
        )
        if task == "tokens":
            ids = rng.integers(0, INPUT, STEPS + 1)
            self.inputs = np.eye(INPUT)[ids[:-1]]
            self.targets = ids[1:]
        else:
            series = rng.normal(size=(STEPS + 1, INPUT))
            self.inputs, self.targets = series[:-1], series[1:]
        self.h0 = rng.uniform(-0.8, 0.8, HIDDEN)
        self.c0 = rng.uniform(-1.5, 1.5, HIDDEN)

    def reference(self, weights: Weights) -> tuple[float, list]:
        params = LSTMParams.from_arrays(*weights.arrays()[:4])
        h, c, steps = self.h0, self.c0, []
        for x in self.inputs:
            result = cell_step(params, x, h, c, self.config)
            steps.append(result)
            h, c = result.h, result.c
        outputs = np.array([s.h for s in steps]) @ weights.head_weight.T + weights.head_bias
        if self.task == "tokens":
            log_norm = np.log(np.sum(np.exp(outputs), axis=1))
            picked = outputs[np.arange(STEPS), self.targets]
            return float(np.mean(log_norm - picked)), steps
        return float(np.mean((outputs - self.targets) ** 2)), steps

    def loss(self, weights: Weights) -> float:
        return self.reference(weights)[0]

    def analytic(self) -> ChunkResult:
        return chunk_loss(
            self.weights, self.config, self.inputs, self.targets, self.h0, self.c0, self.task
        )

    def numeric(self) -> Weights:
        slopes = self.weights.zeros_like()
        for k, array in enumerate(self.weights.arrays()):
            for index in np.ndindex(array.shape):
                values = []
                for sign in (1.0, -1.0):
                    moved = self.weights.copy()
                    moved.arrays()[k][index] += sign * EPS
                    values.append(self.loss(moved))
                slopes.arrays()[k][index] = (values[0] - values[1]) / (2 * EPS)
        return slopes

    def kink_margin(self) -> float:
        return kink_margin(self.config, self.reference(self.weights)[1], HIDDEN)


def chunk_for(config: CellConfig, task: str) -> Chunk:
    return first_clear_of_kinks(lambda seed: Chunk(config, task, seed), config)


def check(chunk: Chunk) -> ChunkResult:
    result = chunk.analytic()
    assert result.loss == pytest.approx(chunk.loss(chunk.weights), rel=1e-12)
    expected = chunk.numeric()
    for name, analytic, numeric in zip(
        chunk.weights.named(), result.grads.arrays(), expected.arrays(), strict=True
    ):
        assert_gradient_close(analytic, numeric, name)
    return result


@pytest.mark.parametrize(("slot", "name", "clamped"), CASES)
def test_text_gradients_equal_finite_differences(slot: str, name: str, clamped: bool) -> None:
    clamps = {other_gate(slot): 0.85} if clamped else {}
    check(chunk_for(CellConfig.build({slot: name}, clamps), "tokens"))


@pytest.mark.parametrize(("slot", "name"), [c.values[:2] for c in CASES if not c.values[2]])
def test_numeric_gradients_equal_finite_differences(slot: str, name: str) -> None:
    check(chunk_for(CellConfig.build({slot: name}), "vectors"))


def test_a_clamped_gate_gets_no_gradient_and_the_state_carries_on() -> None:
    chunk = chunk_for(CellConfig.build(clamps={"forget": 1.0}), "tokens")
    result = check(chunk)
    rows = slice(HIDDEN, 2 * HIDDEN)
    for grad in (result.grads.weight_ih, result.grads.weight_hh, result.grads.bias_ih):
        assert np.all(grad[rows] == 0.0)
    steps = chunk.reference(chunk.weights)[1]
    np.testing.assert_allclose(result.h, steps[-1].h, rtol=0, atol=1e-14)
    np.testing.assert_allclose(result.c, steps[-1].c, rtol=0, atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(
    weights=hnp.arrays(
        np.float64,
        4 * HIDDEN * (INPUT + HIDDEN + 2) + INPUT * (HIDDEN + 1),
        elements=st.floats(-1000.0, 1000.0),
    ),
    state=hnp.arrays(np.float64, 2 * HIDDEN, elements=st.floats(-1000.0, 1000.0)),
    task=st.sampled_from(["tokens", "vectors"]),
)
def test_finite_weights_give_a_finite_loss_and_gradient(weights, state, task) -> None:
    chunk = Chunk(CellConfig(), task, 0)
    sizes = [a.size for a in chunk.weights.arrays()]
    parts = np.split(weights, np.cumsum(sizes)[:-1])
    chunk.weights = Weights(
        *(p.reshape(a.shape) for p, a in zip(parts, chunk.weights.arrays(), strict=True))
    )
    chunk.h0, chunk.c0 = state[:HIDDEN] / 1000.0, state[HIDDEN:]
    result = chunk.analytic()
    assert np.isfinite(result.loss)
    assert result.grads.is_finite()
    assert np.all(np.isfinite(result.h)) and np.all(np.isfinite(result.c))
