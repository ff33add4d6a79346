"""Training against golden arrays computed by torch (no torch needed here).

From the same initial model (a torch state dict saved with ``np.savez``),
one ``sgd`` step and five ``adam`` steps, chunked and carried as the ``train``
command does it, give torch's losses and parameters to 1e-10, for text and
for numeric sequences; one case clips the gradient norm. The arrays and the
script that made them are in ``tests/golden/``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.training import Trainer, TrainingSettings
from lstm_tui.engine.weights_io import load_model
from lstm_tui.sequences.sequence import from_tokens

DATA = Path(__file__).resolve().parent.parent / "golden" / "data" / "training"
CASES = sorted(DATA.glob("*.init.npz"))
TOLERANCE = 1e-10


def case(init: Path, **changes: object) -> tuple[Trainer, dict[str, np.ndarray]]:
    with np.load(
        init.with_name(init.name.replace(".init.", ".expected.")), allow_pickle=False
    ) as f:
        expected = {key: f[key] for key in f.files}
    loaded = load_model(init)
    settings = TrainingSettings(
        optimizer=str(expected["optimizer"]),
        lr=float(expected["lr"]),
        bptt=int(expected["bptt"]),
        clip=float(expected["clip"]),
    )
    settings = replace(settings, **changes)
    if "text" in expected:
        assert loaded.vocab is not None
        sequence = from_tokens(tuple(str(expected["text"])), loaded.vocab)
        ids = sequence.inputs.argmax(axis=1)
        trainer = Trainer(loaded.model, sequence.inputs, ids, CellConfig(), settings)
    else:
        trainer = Trainer(loaded.model, expected["vectors"], None, CellConfig(), settings)
    return trainer, expected


def test_the_cases_cover_both_optimizers_both_tasks_and_the_clip() -> None:
    names = {path.name.split(".")[0] for path in CASES}
    assert {"char_sgd", "char_adam", "numeric_sgd", "numeric_adam", "char_adam_clip"} <= names


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_training_steps_give_torchs_losses_and_parameters(path: Path) -> None:
    trainer, expected = case(path)
    steps = int(expected["steps"])
    assert steps == (1 if trainer.settings.optimizer == "sgd" else 5)
    losses = [trainer.step() for _ in range(steps)]
    np.testing.assert_allclose(losses, expected["losses"], rtol=0, atol=TOLERANCE)
    for key, value in trainer.weights.named().items():
        assert value.shape == expected[key].shape, key
        error = float(np.max(np.abs(value - expected[key])))
        assert error < TOLERANCE, f"{key}: {error:.2e} from torch"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_the_five_step_cases_wrap_around_the_sequence(path: Path) -> None:
    trainer, expected = case(path)
    # Without a wrap inside the steps, the reset of p, h and c would go untested.
    positions = []
    for _ in range(int(expected["steps"])):
        trainer.step()
        positions.append(trainer.position - trainer.settings.bptt)
    if int(expected["steps"]) == 5:
        assert 0 in positions[1:], positions


def test_the_clip_case_ends_elsewhere_without_the_clip() -> None:
    trainer, expected = case(DATA / "char_adam_clip.init.npz", clip=0.0)
    for _ in range(int(expected["steps"])):
        trainer.step()
    moved = max(
        float(np.max(np.abs(value - expected[key])))
        for key, value in trainer.weights.named().items()
    )
    assert moved > 1e-4
