"""Lesson files: what a good one holds, and one clear line for each kind of wrongness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui import lessons
from lstm_tui.cli import main
from lstm_tui.errors import InputError
from lstm_tui.lessons import BUILTIN_LESSON, MAX_CAPTION_LINES, Lesson
from lstm_tui.ui.view import CELL_PATH, TIMELINE_VECTORS


def read_lesson(path: Path) -> Lesson:
    """A lesson read as the app reads it: its vectors the timeline's."""
    return lessons.read_lesson(path, TIMELINE_VECTORS)


def builtin_lesson() -> Lesson:
    return lessons.builtin_lesson(TIMELINE_VECTORS)


CAPTION = 'caption = ["Look at c.", "Try: → twice."]'
GOOD_CHAPTER = f"""
[[chapter]]
title = "Counting"
claim = "c counts brackets."
{CAPTION}
sample = "brackets"
"""


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def lesson_with(tmp_path: Path, chapter_body: str, title: str = "Second") -> Path:
    """A lesson whose second chapter is ``chapter_body`` (after a good first one)."""
    body = f'title = "A lesson"\n{GOOD_CHAPTER}\n[[chapter]]\ntitle = "{title}"\n{chapter_body}'
    return write(tmp_path, body)


def problem(path: Path, check: bool = False) -> str:
    with pytest.raises(InputError) as caught:
        lesson = read_lesson(path)
        if check:
            lesson.check()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_a_good_lesson_reads_with_defaults_and_paths_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("(a)(b)", encoding="utf-8")
    path = lesson_with(
        tmp_path,
        'claim = "Mine."\n'
        f"{CAPTION}\n"
        'sequence = "mine.txt"\npreset = "counter"\nstep = 2\nunit = 1\nvector = "h"\n'
        'activations = { cell = "identity" }\nclamps = { forget = 1 }\n',
    )
    lesson = read_lesson(path)
    lesson.check()
    first, second = lesson.chapters
    assert (lesson.title, len(lesson)) == ("A lesson", 2)
    assert (first.number, first.step, first.unit, first.vector) == (1, 0, None, None)
    assert second.sequence == tmp_path / "mine.txt"
    assert (second.step, second.unit, second.vector) == (2, 1, "h")
    assert dict(second.clamps) == {"forget": 1.0}
    session = lesson.open_chapter(1)
    assert session.config.activation_name("cell") == "identity"
    assert session.config.clamp("forget") == 1.0
    assert session.sequence.tokens == tuple("(a)(b)")


BASE = f'claim = "x"\n{CAPTION}\nsample = "brackets"\n'

# (what is wrong, the chapter's body, words the one line must hold)
WRONG_CHAPTERS = [
    ("unknown field", BASE + "colour = 3", "'colour'"),
    ("wrong type: step", BASE + 'step = "3"', "'step'"),
    ("wrong type: bool", BASE + "unit = true", "'unit'"),
    ("wrong type: claim", f'claim = 5\n{CAPTION}\nsample = "brackets"', "'claim'"),
    ("wrong type: caption", 'claim = "x"\ncaption = "one"\nsample = "brackets"', "'caption'"),
    (
        "wrong type: activations",
        BASE + 'activations = "relu"',
        "'activations'",
    ),
    (
        "wrong type: clamp value",
        BASE + 'clamps = { forget = "one" }',
        "'clamps'",
    ),
    ("unknown preset", BASE + 'preset = "nope"', "'preset'"),
    ("unknown sample", f'claim = "x"\n{CAPTION}\nsample = "nope"', "'sample'"),
    (
        "unknown activation",
        BASE + 'activations = { cell = "cosh" }',
        "cosh",
    ),
    (
        "unknown slot",
        BASE + 'activations = { memory = "tanh" }',
        "memory",
    ),
    (
        "unknown gate",
        BASE + "clamps = { candidate = 1 }",
        "candidate",
    ),
    (
        "clamp out of range",
        BASE + "clamps = { forget = 2 }",
        "'clamps'",
    ),
    ("unknown vector", BASE + 'vector = "q"', "'vector'"),
    ("unknown tokens", BASE + 'tokens = "byte"', "'tokens'"),
    ("negative step", BASE + "step = -1", "'step'"),
    ("missing caption", 'claim = "x"\nsample = "brackets"', "'caption'"),
    ("missing claim", f'{CAPTION}\nsample = "brackets"', "'claim'"),
    ("too few caption lines", 'claim = "x"\ncaption = ["one"]\nsample = "brackets"', "'caption'"),
    (
        "too many caption lines",
        'claim = "x"\ncaption = [' + ", ".join(['"a"'] * (MAX_CAPTION_LINES + 1)) + "]\n"
        'sample = "brackets"',
        "'caption'",
    ),
    (
        "a caption line too long",
        f'claim = "x"\ncaption = ["{"w" * 77}", "b"]\nsample = "brackets"',
        "'caption'",
    ),
    (
        "an empty caption line",
        'claim = "x"\ncaption = ["a", " "]\nsample = "brackets"',
        "'caption'",
    ),
    ("neither sample nor sequence", f'claim = "x"\n{CAPTION}', "'sample'"),
    (
        "both sample and sequence",
        BASE + 'sequence = "a.txt"',
        "'sample'",
    ),
    (
        "both preset and weights",
        BASE + 'preset = "counter"\nweights = "w.npz"',
        "'preset'",
    ),
]


def cases(names: str, table: list[tuple[str, str, str]]) -> pytest.MarkDecorator:
    """Parametrize by ``(what is wrong, input, words)`` rows, named by what is wrong."""
    return pytest.mark.parametrize(
        names, [(given, words) for _, given, words in table], ids=[what for what, _, _ in table]
    )


@cases("body, words", WRONG_CHAPTERS)
def test_a_wrong_chapter_is_one_line_naming_file_chapter_and_field(
    tmp_path: Path, body: str, words: str
) -> None:
    message = problem(lesson_with(tmp_path, body))
    assert "chapter 2 (Second): field '" in message
    assert words in message


# Wrong only once the chapter's session is opened (the lengths of its sequence and cell).
WRONG_WHEN_OPENED = [
    ("step past the end", BASE + "step = 673", "'step'"),
    ("unit past the cell", BASE + "unit = 2", "'unit'"),
    ("missing sequence file", f'claim = "x"\n{CAPTION}\nsequence = "gone.txt"', "'sequence'"),
    (
        "broken weights file",
        BASE + 'weights = "w.npz"',
        "'weights'",
    ),
]


@cases("body, words", WRONG_WHEN_OPENED)
def test_a_chapter_that_cannot_open_is_found_by_the_check(
    tmp_path: Path, body: str, words: str
) -> None:
    (tmp_path / "w.npz").write_bytes(b"not a zip file")
    message = problem(lesson_with(tmp_path, body), check=True)
    assert "chapter 2 (Second): field '" in message and words in message


WRONG_LESSONS = [
    ("not TOML", 'title = "a\n[[chapter]]', "not TOML"),
    ("no chapters", 'title = "A lesson"\n', "field 'chapter': no chapters"),
    ("empty chapters", 'title = "A lesson"\nchapter = []\n', "field 'chapter': no chapters"),
    ("chapters not tables", 'title = "A lesson"\nchapter = [1, 2]\n', "field 'chapter'"),
    ("unknown lesson field", f'title = "A"\nauthor = "me"\n{GOOD_CHAPTER}', "field 'author'"),
    ("missing title", GOOD_CHAPTER, "field 'title': is missing"),
    ("title not text", f"title = 3\n{GOOD_CHAPTER}", "field 'title'"),
]


@cases("text, words", WRONG_LESSONS)
def test_a_wrong_lesson_is_one_line_naming_the_file(tmp_path: Path, text: str, words: str) -> None:
    assert words in problem(write(tmp_path, text))


def test_a_lesson_that_is_not_utf8_or_missing_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'title = "caf\xe9"\n')
    assert "not UTF-8" in problem(path)
    assert "No such file" in problem(tmp_path / "gone.toml")


def test_a_chapter_title_with_control_characters_is_named_safely(tmp_path: Path) -> None:
    message = problem(lesson_with(tmp_path, "claim = 5", title="\\u001b[31mred"))
    assert "\x1b" not in message and "⟨U+001B⟩[31mred" in message


def test_the_command_line_says_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = lesson_with(tmp_path, BASE + "step = 9999")
    assert main(["lesson", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "chapter 2 (Second): field 'step'" in err and str(path) in err


def test_the_builtin_lesson_has_its_chapters_in_the_issues_order() -> None:
    lesson = builtin_lesson()
    lesson.check()
    assert lesson.path == BUILTIN_LESSON
    words = [
        "pre-activation",
        "saturation",
        "count",
        "full stop",
        "latch",
        "sigmoid",
        "h",
        "gradient",
        # Side by side with a cell B (tests/test_lessons_compare.py).
        "identity",
        "clamped to 1",
        "sigmoid candidate",
        "RNN",
        "depth",
    ]
    assert len(lesson) == len(words)
    for chapter, word in zip(lesson.chapters, words, strict=True):
        assert word in chapter.claim, (chapter.name, word)
        assert 2 <= len(chapter.caption) <= MAX_CAPTION_LINES


# ---------------------------------------------------------------- the claims
# Each chapter of the built-in lesson is opened as the app opens it, and its
# claim is checked on the session's numbers at the chapter's step and unit.


def chapter(number: int):
    lesson = builtin_lesson()
    ch = lesson.chapters[number - 1]
    session = lesson.open_chapter(number - 1)
    traj = session.trajectory.run()
    assert ch.unit is not None  # every built-in chapter says which unit it is about
    return ch, session, traj, ch.step, ch.unit


def test_chapter_1_input_gate_and_candidate_see_different_pre_activations() -> None:
    _, session, traj, t, u = chapter(1)
    hidden = session.params.hidden_size
    z_i, z_g = traj.z[t, u], traj.z[t, 2 * hidden + u]
    assert session.sequence.tokens[t] == "("
    assert abs(z_i - z_g) > 1


def test_chapter_2_gates_are_saturated_switches() -> None:
    _, _, traj, t, _ = chapter(2)
    for gate in (traj.i[t], traj.o[t]):
        assert np.all((gate < 0.05) | (gate > 0.95))


def test_chapter_3_a_bracket_moves_unit_0s_count_by_one() -> None:
    _, session, traj, t, u = chapter(3)
    assert session.sequence.tokens[t] == ")"
    assert traj.c[t, u] - traj.c[t - 1, u] == pytest.approx(-1, abs=1e-6)
    opening = session.sequence.tokens.index("(")
    assert traj.c[opening, u] - traj.c[opening - 1, u] == pytest.approx(1, abs=1e-6)


def test_chapter_4_the_count_is_back_to_0_at_a_full_stop() -> None:
    _, session, traj, t, u = chapter(4)
    assert session.sequence.tokens[t] == "."
    assert traj.c[t - 1, u] > 10
    assert abs(traj.c[t, u]) < 1e-3
    assert traj.f[t, u] < 0.01


def test_chapter_5_the_latch_shows_its_bit_only_when_asked() -> None:
    _, session, traj, t, u = chapter(5)
    assert session.sequence.tokens[t] == "?"
    assert abs(traj.c[t - 1, u]) > 0.99 and abs(traj.h[t - 1, u]) < 0.01
    assert abs(traj.h[t, u]) == pytest.approx(np.tanh(1), abs=0.01)


def test_chapter_6_with_a_sigmoid_candidate_c_only_grows() -> None:
    _, session, traj, t, u = chapter(6)
    assert session.config.activation_name("candidate") == "sigmoid"
    assert session.sequence.tokens[t] == ")"
    assert np.all(np.diff(traj.c[:, u]) > -1e-6)
    assert traj.c[t, u] >= traj.c[t - 1, u] - 1e-6


def test_chapter_7_with_identity_on_the_cell_h_leaves_minus_1_to_1() -> None:
    _, session, traj, t, u = chapter(7)
    assert session.config.activation_name("cell") == "identity"
    assert abs(traj.h[t, u]) > 1


def test_chapter_8_a_forget_gate_at_1_carries_the_gradient_back_unchanged() -> None:
    from lstm_tui.engine.gradients import gradients

    ch, _, traj, t, u = chapter(8)
    assert ch.vector == CELL_PATH
    whole = gradients(traj, "c", u, t).dc[:, u]
    assert np.allclose(whole, 1, atol=1e-5)
    fading = gradients(traj, "c", 1, t).dc[:, 1]
    assert fading[t - 10] == pytest.approx(0.9**10, rel=1e-3)


def test_lstm_tui_lesson_checks_the_builtin_lesson_before_asking_for_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Under pytest stdin is no terminal: the lesson is read and checked, then refused.
    assert main(["lesson"]) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_the_readmes_example_lesson_is_a_good_one(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("```toml\n") + len("```toml\n") :]
    lesson = read_lesson(write(tmp_path, example[: example.index("```")]))
    lesson.check()
    (only,) = lesson.chapters
    traj = lesson.open_chapter(0).trajectory.run()
    # What its caption says: 0.9 of unit 1's count is left a step after the '('.
    assert traj.c[only.step, 1] == pytest.approx(0.9 * traj.c[only.step - 1, 1], rel=1e-6)


def test_a_chapter_title_too_long_for_the_caption_line_is_named(tmp_path: Path) -> None:
    from lstm_tui.lessons import MAX_TITLE

    message = problem(lesson_with(tmp_path, BASE, title="T" * (MAX_TITLE + 1)))
    assert (
        f"chapter 2 ({'T' * (MAX_TITLE + 1)}): field 'title': is {MAX_TITLE + 1} characters"
        in message
    )
