"""``lstm-tui --lesson FILE``: the plain command opens on a lesson's first chapter,
as ``lstm-tui lesson FILE`` does, so a ForceCommand can start a class on one."""

from __future__ import annotations

import argparse

import pytest

from lstm_tui import cli
from lstm_tui.lessons import BUILTIN_LESSON


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, argparse.Namespace, object]]:
    """What would have been handed to the app, instead of starting it."""
    seen: list[tuple[object, argparse.Namespace, object]] = []

    def run(session, args, lesson=None, variant=None) -> int:
        seen.append((session, args, lesson))
        return 0

    monkeypatch.setattr(cli, "_run", run)
    return seen


def test_lesson_opens_on_the_first_chapter_with_the_screen_options(run_cli, runs) -> None:
    result = run_cli("--kiosk", "--no-mouse", "--lesson", str(BUILTIN_LESSON))
    assert result.code == 0, result.err
    ((session, args, lesson),) = runs
    assert lesson is not None and len(lesson) == 13
    assert args.kiosk and args.no_mouse
    # The session is the first chapter's: its sample and preset.
    assert session.sequence.name == lesson.open_chapter(0).sequence.name


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["brackets"], "SEQUENCE"),
        (["--preset", "counter"], "--preset"),
        (["--hidden", "4"], "--hidden"),
        (["--act", "candidate=sigmoid"], "--act"),
        (["--clamp", "forget=1"], "--clamp"),
        (["--tokens", "word"], "--tokens"),
        (["--vs-act", "candidate=sigmoid"], "--vs-act"),
    ],
)
def test_lesson_with_options_a_chapter_sets_is_one_line(run_cli, runs, extra, named) -> None:
    result = run_cli("--lesson", str(BUILTIN_LESSON), *extra)
    assert result.code == 2
    assert runs == []
    assert result.err.count("\n") == 1
    assert f"leave out {named}" in result.err


def test_a_lesson_file_that_is_not_there_is_one_line(run_cli, runs, tmp_path) -> None:
    result = run_cli("--lesson", str(tmp_path / "missing.toml"))
    assert result.code == 2
    assert runs == []
    assert result.err.count("\n") == 1 and "missing.toml" in result.err


def test_a_broken_lesson_file_is_one_line_naming_the_field(run_cli, runs, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[chapter]]\ntitle = ""\n', encoding="utf-8")
    result = run_cli("--lesson", str(bad))
    assert result.code == 2
    assert runs == []
    assert result.err.count("\n") == 1 and "bad.toml" in result.err
