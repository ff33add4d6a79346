"""Lesson chapters with a cell B (``vs``): how they are written, checked, and what the
built-in ones show side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.cli import main
from lstm_tui.engine.hidden_params import RNNParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.reach import reach
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.lessons import CellB
from tests.test_lessons import BASE, builtin_lesson, cases, lesson_with, problem, read_lesson


def save_rnn(path: Path, units: int, seed: int = 0) -> None:
    """An RNN's weights, as torch's ``nn.RNN`` state dict is saved, reading the counter's
    96 characters."""
    np.savez(path, **RNNParams.random(units, 96, seed=seed).state_dict())


def test_a_vs_table_gives_the_chapter_a_cell_b_its_session_compares_with(tmp_path: Path) -> None:
    lesson = read_lesson(
        lesson_with(
            tmp_path,
            BASE + 'clamps = { forget = 1 }\nvs = { clamps = { forget = "free" }, '
            'activations = { cell = "identity" } }',
        )
    )
    first, second = lesson.chapters
    assert first.vs is None
    assert second.vs == CellB(None, {"cell": "identity"}, {"forget": None})
    assert lesson.open_chapter(0).variant is None
    b = lesson.open_chapter(1).variant
    assert b is not None
    assert b.describe() == "LSTM with cell=identity, forget free"


def test_a_vs_weights_file_is_read_beside_the_lesson(tmp_path: Path) -> None:
    # The counter's two units: an RNN of two units reading its 96 characters.
    save_rnn(tmp_path / "rnn.npz", 2, seed=3)
    lesson = read_lesson(
        lesson_with(tmp_path, BASE + 'preset = "counter"\nvs = { weights = "rnn.npz" }')
    )
    b = lesson.open_chapter(1).variant
    assert b is not None and b.kind == "rnn" and b.weights_label == "rnn.npz"


# (what is wrong, the chapter's vs table, the words of the one line). Wrong
# files and sizes are found only once the chapter is opened, by the check.
WRONG_VS = [
    ("vs not a table", "3", "field 'vs'"),
    ("vs empty", "{}", "field 'vs': is empty"),
    ("unknown vs field", "{ colour = 1 }", "field 'vs.colour': unknown field"),
    ("unknown cell kind", '{ cell = "lstmx" }', "field 'vs.cell'"),
    ("cell kind not text", "{ cell = 1 }", "field 'vs.cell': must be text"),
    ("unknown slot", '{ activations = { cel = "tanh" } }', "'vs.activations': unknown activation"),
    ("unknown activation", '{ activations = { cell = "cosh" } }', "field 'vs.activations'"),
    ("clamp out of range", "{ clamps = { forget = 2 } }", "field 'vs.clamps'"),
    ("clamp not free", '{ clamps = { forget = "never" } }', "number in [0, 1] or 'free'"),
    ("RNN activations", '{ cell = "rnn", activations = { cell = "tanh" } }', "belong to an LSTM"),
    ("weights not text", "{ weights = 1 }", "field 'vs.weights': must be text"),
    ("missing weights file", '{ weights = "gone.npz" }', "field 'vs.weights'"),
    ("broken weights file", '{ weights = "w.npz" }', "field 'vs.weights'"),
    ("another kind", '{ cell = "gru", weights = "rnn.npz" }', "field 'vs.weights'"),
    ("other units", '{ weights = "rnn3.npz" }', "weights have 3 units but cell A has 2"),
]


@cases("table, words", WRONG_VS)
def test_a_wrong_vs_is_one_line_naming_file_chapter_and_field(
    tmp_path: Path, table: str, words: str
) -> None:
    (tmp_path / "w.npz").write_bytes(b"not a zip file")
    save_rnn(tmp_path / "rnn.npz", 2)
    save_rnn(tmp_path / "rnn3.npz", 3)
    path = lesson_with(tmp_path, f'{BASE}preset = "counter"\nvs = {table}')
    message = problem(path, check=True)
    assert "chapter 2 (Second): field 'vs" in message and words in message


def test_the_command_line_names_the_vs_field_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = lesson_with(tmp_path, BASE + 'vs = { clamps = { output = "x" } }')
    assert main(["lesson", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "chapter 2 (Second): field 'vs.clamps'" in err and str(path) in err


# ------------------------------------------------ the built-in chapters with a cell B
def compared(number: int) -> tuple[Trajectory, Trajectory | HiddenTrajectory, int, int]:
    """Built-in chapter ``number`` opened: A's and B's trajectories, its step and unit."""
    lesson = builtin_lesson()
    chapter = lesson.chapters[number - 1]
    session = lesson.open_chapter(number - 1)
    variant = session.variant
    assert variant is not None and chapter.unit is not None
    a = session.trajectory.run()
    b = variant.trajectory(session.params, session.config, session.sequence.inputs).run()
    return a, b, chapter.step, chapter.unit


def test_the_compare_chapters_follow_the_eight_and_each_has_a_cell_b() -> None:
    lesson = builtin_lesson()
    # The eight one-cell claims, four side by side, then the training chapter.
    assert [ch.vs is not None for ch in lesson.chapters] == [False] * 8 + [True] * 4 + [False]
    # Each fits the compare view at 24 rows: a title, the claim and two lines.
    assert all(len(ch.caption) == 2 for ch in lesson.chapters[8:12])


def test_chapter_9_identity_on_the_cell_output_lets_h_follow_c() -> None:
    a, b, t, u = compared(9)
    assert isinstance(b, Trajectory)
    assert a.c[t, u] == pytest.approx(2, abs=1e-6) and b.c[t, u] == pytest.approx(2, abs=1e-6)
    assert a.h[t, u] == pytest.approx(np.tanh(2), abs=1e-6)
    assert b.h[t, u] - a.h[t, u] == pytest.approx(1.04, abs=0.005)


def test_chapter_10_forget_clamped_to_1_keeps_unit_1s_count_and_its_gradient() -> None:
    a, b, t, u = compared(10)
    assert isinstance(b, Trajectory)
    assert a.c[t, u] == pytest.approx(0.36, abs=0.005) and b.c[t, u] == pytest.approx(2)
    ra, rb = reach(a, u, t, 101), reach(b, u, t, 101)
    assert ra[-1 - 10] == pytest.approx(0.9**10, rel=1e-3) and rb[-1 - 10] == pytest.approx(1)
    assert ra[-1 - 100] < 0.005 and rb[-1 - 100] == pytest.approx(1)


def test_chapter_11_a_sigmoid_candidate_only_climbs_and_b_minus_a_grows_at_each_close() -> None:
    a, b, t, u = compared(11)
    assert isinstance(b, Trajectory)
    assert a.c[t, u] == pytest.approx(0, abs=1e-5) and b.c[t, u] == pytest.approx(9, abs=1e-5)
    assert np.all(np.diff(b.c[: t + 1, u]) > -1e-6)
    delta = np.diff(b.c[: t + 1, u] - a.c[: t + 1, u])
    tokens = builtin_lesson().open_chapter(10).sequence.tokens
    closes = [k for k in range(1, t + 1) if tokens[k] == ")"]
    np.testing.assert_allclose(delta[[k - 1 for k in closes]], 1, atol=1e-3)


def test_chapter_12_a_plain_rnns_gradient_vanishes_where_the_lstms_stays() -> None:
    a, b, t, u = compared(12)
    assert isinstance(b, HiddenTrajectory) and b.kind == "rnn"
    ra, rb = reach(a, u, t, 101), reach(b, u, t, 101)
    np.testing.assert_allclose(ra[[-2, -11, -101]], 1, atol=1e-5)
    np.testing.assert_allclose(rb[[-2, -11, -101]], 0, atol=1e-5)
