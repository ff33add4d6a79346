"""The RNN and GRU against golden arrays computed by torch.nn.RNN / torch.nn.GRU.

The arrays, and the script that made them (``make_golden_hidden.py``), are in
``tests/golden/``; no torch is needed here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.hidden_cells import hidden_step
from lstm_tui.engine.hidden_params import PARAMS_OF_KIND
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from tests.engine.test_golden import load

DATA = Path(__file__).resolve().parent.parent / "golden" / "hidden"
CASES = sorted(DATA.glob("*.npz"))
TOLERANCE = 1e-10


def kind_of(path: Path) -> str:
    return path.stem.split("_", 1)[0]


def test_the_golden_set_covers_both_kinds_and_the_edges() -> None:
    for kind, blocks in (("rnn", 1), ("gru", 3)):
        cases = [load(p) for p in CASES if kind_of(p) == kind]
        assert len(cases) >= 3, kind
        hiddens = {case["weight_hh_l0"].shape[1] for case in cases}
        assert 1 in hiddens and max(hiddens) >= 16
        for case in cases:
            hidden = case["weight_hh_l0"].shape[1]
            assert case["weight_ih_l0"].shape[0] == blocks * hidden
        assert any("text" in case for case in cases)
        assert any(np.any(case["h0"] != 0.0) for case in cases)
        # Saturated: some h within 1e-3 of ±1, where tanh's slope is nearly 0.
        assert any(np.max(np.abs(case["h"])) > 0.999 for case in cases)
    assert sum(path.stat().st_size for path in CASES) < 100_000


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_trajectory_matches_torch(path: Path) -> None:
    case = load(path)
    params = PARAMS_OF_KIND[kind_of(path)].from_state_dict(case)
    traj = HiddenTrajectory(params, case["x"], case["h0"]).run()
    np.testing.assert_allclose(traj.h, case["h"], rtol=0, atol=TOLERANCE)
    for name in ("r", "z", "n"):
        if name in case:
            np.testing.assert_allclose(traj.vector(name), case[name], rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_stepping_matches_torch(path: Path) -> None:
    case = load(path)
    params = PARAMS_OF_KIND[kind_of(path)].from_state_dict(case)
    traj = HiddenTrajectory(params, case["x"], case["h0"])
    h = case["h0"]
    for t, x in enumerate(case["x"]):
        traj.ensure(t)
        h = hidden_step(params, x, h)[-1]
        np.testing.assert_allclose(traj.h[t], case["h"][t], rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(h, case["h"][t], rtol=0, atol=TOLERANCE)
