"""``--projector``: the big-screen layout a class reads from the back of the room."""

from __future__ import annotations

import re

import pytest

from lstm_tui import cli
from lstm_tui.lessons import builtin_lesson
from lstm_tui.session import open_session
from lstm_tui.ui import app as app_module
from lstm_tui.ui.app import PROJECTOR_THEME, LstmApp
from lstm_tui.ui.screens.watch_screen import PROJECTOR_UNITS
from lstm_tui.ui.view import TIMELINE_VECTORS
from tests.ui.factory import random_session
from tests.ui.screen_text import panel_lines, screen_lines

PROJECTOR = (100, 30)


async def test_the_projector_has_no_timeline_and_a_high_contrast_theme() -> None:
    app = LstmApp(open_session(), projector=True)
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        assert "t = 2" in screen
        assert "timeline" not in screen
        assert app.theme == PROJECTOR_THEME.name
        assert app.current_theme.background == "#000000"


async def test_a_plain_run_keeps_the_timeline() -> None:
    app = LstmApp(open_session())
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.pause()
        assert "timeline" in "\n".join(screen_lines(app))
        assert app.theme != PROJECTOR_THEME.name


async def test_the_projector_shows_few_large_units_a_page() -> None:
    app = LstmApp(random_session(hidden=64), projector=True)
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.pause()
        cells = panel_lines(app, "cells")
        assert f"units 0–{PROJECTOR_UNITS - 1} of 64" in "\n".join(cells)
        # Every unit is a bar with its number: one number per unit on the i row.
        i_row = next(line for line in cells if line.startswith(" i "))
        assert len(re.findall(r"\d\.\d\d", i_row)) == PROJECTOR_UNITS
        # The next page is the next six units.
        await pilot.press("pagedown")
        await pilot.pause()
        cells = "\n".join(panel_lines(app, "cells"))
        assert f"units {PROJECTOR_UNITS}–{2 * PROJECTOR_UNITS - 1} of 64" in cells


@pytest.mark.parametrize(("argv", "wanted"), [([], False), (["--projector"], True)])
def test_the_command_line_hands_the_projector_over(monkeypatch, argv, wanted) -> None:
    seen: dict[str, bool] = {}

    def fake_run_app(session, *, projector: bool = False, **options: object) -> int:
        seen["projector"] = projector
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli.main(argv) == 0
    assert seen == {"projector": wanted}


async def test_a_lesson_on_the_projector_fits_caption_cells_and_diagram() -> None:
    lesson = builtin_lesson(TIMELINE_VECTORS)
    app = LstmApp(lesson.open_chapter(0), projector=True, lesson=lesson)
    async with app.run_test(size=PROJECTOR) as pilot:
        await pilot.press("n", "n")
        await pilot.pause()
        lines = screen_lines(app)
        screen = "\n".join(lines)
        assert "lesson 3/13" in screen
        # The figure in place of the arithmetic: its gate boxes and its wires.
        assert "c_{t-1}" in screen and "h_{t-1}" in screen
        assert "unit 0 of 2 · t =" not in screen
        # All of it on the one screen, the footer on the last line.
        assert "step" in lines[-1] and "help" in lines[-1]
        assert "timeline" not in screen
        await pilot.press("c")
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        # c: the unit panel's arithmetic instead.
        assert "unit 0 of 2 · t =" in screen
        assert "c_{t-1}" not in screen


class TestProjectorSnapshots:
    """What the back of the room sees, at the projector's size and at 160x50."""

    def test_counter_on_the_projector(self, snap_compare) -> None:
        app = LstmApp(open_session(), projector=True)
        assert snap_compare(app, press=["end", "home", *["right"] * 12], terminal_size=PROJECTOR)

    def test_lesson_chapter_on_the_projector(self, snap_compare) -> None:
        lesson = builtin_lesson(TIMELINE_VECTORS)
        app = LstmApp(lesson.open_chapter(0), projector=True, lesson=lesson)
        assert snap_compare(app, press=["n", "n"], terminal_size=PROJECTOR)

    def test_lesson_chapter_on_a_large_projector(self, snap_compare) -> None:
        lesson = builtin_lesson(TIMELINE_VECTORS)
        app = LstmApp(lesson.open_chapter(0), projector=True, lesson=lesson)
        assert snap_compare(app, press=["n", "n"], terminal_size=(160, 50))
