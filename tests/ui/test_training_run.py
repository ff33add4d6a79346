"""What a training run keeps: bounded curves and snapshots that still cover the whole run."""

from __future__ import annotations

import itertools

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.training import Trainer, TrainingSettings, with_head
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.ui.training_run import LossCurve, Thinned, TrainingRun, gate_saturation
from lstm_tui.ui.widgets.training_chart import nice_top


def test_the_loss_curve_stays_bounded_and_keeps_the_mean_of_every_step() -> None:
    curve = LossCurve(cap=8)
    losses = np.arange(1000, dtype=np.float64)
    for loss in losses:
        curve.add(float(loss))
    assert len(curve.values()) <= 9 and curve.steps == 1000
    full = curve.means
    # Each point is the mean of the span of steps it stands for, in order.
    expected = [losses[k * curve.span : (k + 1) * curve.span].mean() for k in range(len(full))]
    np.testing.assert_allclose(full, expected)


def test_thinned_snapshots_stay_bounded_spread_over_the_run_from_step_0() -> None:
    kept: Thinned[int] = Thinned(8)
    for step in range(0, 1001):
        if kept.due(step):
            kept.add(step, step)
    steps = [s for s, _ in kept.items]
    assert len(steps) <= 8 and steps[0] == 0
    gaps = {b - a for a, b in itertools.pairwise(steps)}
    assert gaps == {kept.interval} and steps[-1] > 1000 - kept.interval


def test_the_run_steps_in_its_loop_and_pauses_at_its_limit() -> None:
    sequence = from_tokens(list("((a)(b))" * 8))
    model = with_head(
        Model.single(LSTMParams.random(4, sequence.input_size, 0)), sequence.input_size, 0
    )
    ids = sequence.inputs.argmax(axis=1)
    trainer = Trainer(model, sequence.inputs, ids, CellConfig(), TrainingSettings(bptt=8))
    paused: list[int] = []
    run = TrainingRun(trainer, sequence.inputs, limit=30)
    run.told = lambda: (paused.append(trainer.steps), run.stop())
    run.resume()
    run.work()
    assert paused == [30] and run.latest.step == 30
    # Thirty steps fit both stores whole: a snapshot and a share at every step.
    assert [s for s, _ in run.snapshot_list()] == list(range(31))
    _step, model_at = run.snapshot_list()[-1]
    assert run.latest.model.layers[0].equals(model_at.layers[0])
    shares = dict(run.saturation.items)
    assert shares[30] == gate_saturation(model_at, sequence.inputs, CellConfig())


def test_the_loss_chart_s_top_goes_below_1_as_the_loss_does() -> None:
    assert [nice_top(x) for x in (2.9, 3.0, 0.134, 0.04, 12.0)] == [3.0, 3.0, 0.2, 0.05, 20.0]
