"""The engine against golden arrays computed by torch.nn.LSTM (no torch needed here).

The arrays, and the script that made them, are in ``tests/golden/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.cell import step
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory, run

DATA = Path(__file__).resolve().parent.parent / "golden" / "data"
CASES = sorted(DATA.glob("*.npz"))
TOLERANCE = 1e-10


def load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def test_the_golden_set_covers_the_edges_and_stays_small() -> None:
    cases = [load(path) for path in CASES]
    assert len(cases) >= 5
    sizes = {(case["weight_hh_l0"].shape[1], case["x"].shape[1]) for case in cases}
    assert any(hidden == 1 for hidden, _ in sizes)
    assert any(size == 1 for _, size in sizes)
    assert any("text" in case for case in cases) and any("text" not in case for case in cases)
    assert any(np.any(case["h0"] != 0.0) for case in cases)
    assert sum(path.stat().st_size for path in CASES) < 200_000


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_trajectory_matches_torch(path: Path) -> None:
    case = load(path)
    params = LSTMParams.from_state_dict(case)
    traj = run(params, case["x"], h0=case["h0"], c0=case["c0"])
    np.testing.assert_allclose(traj.h, case["h"], rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(traj.c, case["c"], rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_stepping_and_the_reference_step_match_torch(path: Path) -> None:
    case = load(path)
    params = LSTMParams.from_state_dict(case)
    traj = Trajectory(params, case["x"], h0=case["h0"], c0=case["c0"])
    h, c = case["h0"], case["c0"]
    for t, x in enumerate(case["x"]):
        traj.ensure(t)
        reference = step(params, x, h, c)
        h, c = reference.h, reference.c
        for got in (traj.h[t], reference.h):
            np.testing.assert_allclose(got, case["h"][t], rtol=0, atol=TOLERANCE)
        for got in (traj.c[t], reference.c):
            np.testing.assert_allclose(got, case["c"][t], rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("path", [p for p in CASES if "char" in p.stem], ids=lambda p: p.stem)
def test_character_cases_are_one_hot_over_the_sorted_vocabulary(path: Path) -> None:
    case = load(path)
    text, vocab = str(case["text"]), [str(v) for v in case["vocab"]]
    assert vocab == sorted(set(text))
    assert case["x"].shape == (len(text), len(vocab))
    np.testing.assert_array_equal(case["x"].argmax(axis=1), [vocab.index(ch) for ch in text])
    np.testing.assert_array_equal(case["x"].sum(axis=1), np.ones(len(text)))
