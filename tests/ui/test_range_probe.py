"""The cell state's range is stated from the first steps: fewer of them as a step costs more,
so a large model's first frame does not wait for thousands of steps."""

from __future__ import annotations

from pathlib import Path

from lstm_tui.session import open_session
from lstm_tui.ui.view import RANGE_PROBE_MIN, RANGE_PROBE_STEPS, View, range_probe_steps


def _text(tmp_path: Path, length: int = 3000) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(("abc de(f)g " * length)[:length], encoding="utf-8")
    return path


def test_a_small_cell_states_its_range_over_the_first_2048_steps(tmp_path: Path) -> None:
    session = open_session(str(_text(tmp_path)), hidden=8)
    assert range_probe_steps(session) == RANGE_PROBE_STEPS
    View(session)
    assert session.trajectory.computed >= RANGE_PROBE_STEPS


def test_a_large_cell_looks_at_fewer_steps_before_the_first_frame(tmp_path: Path) -> None:
    session = open_session(str(_text(tmp_path)), hidden=512)
    steps = range_probe_steps(session)
    assert steps == RANGE_PROBE_MIN
    view = View(session)
    # Only the probe's steps (rounded up to the engine's chunk) are computed.
    assert session.trajectory.computed < RANGE_PROBE_STEPS // 2
    assert view.cell_range > 0


def test_the_probe_shrinks_as_a_step_costs_more(tmp_path: Path) -> None:
    text = str(_text(tmp_path))
    steps = [range_probe_steps(open_session(text, hidden=h)) for h in (16, 128, 256, 512)]
    assert steps == sorted(steps, reverse=True)
    assert steps[0] == RANGE_PROBE_STEPS and steps[-1] == RANGE_PROBE_MIN
