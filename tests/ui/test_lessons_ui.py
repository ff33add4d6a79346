"""A lesson in the app: L opens it, n / N turn chapters, each lands where its claim shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.test_lessons import builtin_lesson, read_lesson
from tests.ui.factory import default_app, record_notes
from tests.ui.screen_text import panel_text, screen_lines

# What each chapter of the built-in lesson must paint, read off the unit panel
# (the selected unit's arithmetic with its real numbers) at the chapter's step.
CHAPTER_SHOWS: list[tuple[str, ...]] = [
    # 1: z_i and z_g for the same token, side by side.
    ("read (", "i = sigmoid(+20.00)", "g = tanh(+10.00)"),
    # 2: the gates are switches (also: the cell panel's sat column below).
    ("i = sigmoid(-20.00) = 0.00", "o = sigmoid(+20.00) = 1.00"),
    # 3: at the first ')' the count goes from 1 to 0.
    ("read )", "1.00·1.00 + 1.00·(-1.00)", "= 0.00"),
    # 4: at a full stop f = 0 wipes the count of 38.
    ("read .", "f = sigmoid(-20.00) = 0.00", "0.00·38.00 + 0.00·1.00 = 0.00"),
    # 5: at '?' the output gate opens on the held bit.
    ("read ?", "o = sigmoid(+20.00) = 1.00", "= 1.00·0.76 = 0.76"),
    # 6: a sigmoid candidate writes 0, not -1, at ')': c stays at 1.
    ("read )", "g = sigmoid(-10.00) = 0.00", "1.00·1.00 + 1.00·0.00 = 1.00"),
    # 7: identity on the cell output: h = 2.
    ("h = o·identity(c)", "= 1.00·2.00 = 2.00"),
    # 8: the gradient view at a forget gate held at 1.
    ("f = sigmoid(+20.00) = 1.00",),
    # 9: a random cell to train, its unit 3 selected.
    ("unit 3 of 8 · t = 40",),
]


async def test_every_chapter_lands_where_its_claim_is_painted() -> None:
    lesson = builtin_lesson()
    # The chapters of one cell; those with a cell B follow them (test_lessons_compare_ui.py).
    one_cell = [chapter for chapter in lesson.chapters if chapter.vs is None]
    assert len(CHAPTER_SHOWS) == len(one_cell)
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L")
        for index, (chapter, shows) in enumerate(zip(one_cell, CHAPTER_SHOWS, strict=True)):
            if index:
                # Its number typed in the chapters' list (enter where it begins another's).
                await pilot.press("L", *str(chapter.number))
                await pilot.pause()
                if not isinstance(app.screen, WatchScreen):
                    await pilot.press("enter")
            await pilot.pause()
            view = app.watch_screen.view
            caption = panel_text(app, "lesson")
            assert f"lesson {chapter.number}/{len(lesson)} · {chapter.title}" in caption
            assert chapter.claim in caption and all(line in caption for line in chapter.caption)
            assert f"t = {chapter.step} /" in panel_text(app, "header")
            assert (view.unit, view.vector) == (chapter.unit, chapter.vector)
            unit = panel_text(app, "unit")
            for text in shows:
                assert text in unit, (chapter.name, text, unit)
            if index == 1:
                sat = [line for line in panel_text(app, "cells").splitlines() if "i σ" in line]
                assert sat and sat[0].rstrip().endswith("100%")
            if index == 7:
                # With f = 1 the change ten steps back reaches c whole.
                timeline = panel_text(app, "timeline")
                assert "∂c" in timeline and "10 back ×1.00" in timeline, timeline


async def test_n_and_N_turn_chapters_and_a_chapter_is_one_undoable_change() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        said = record_notes(app, pytest.MonkeyPatch())
        await pilot.press("L", "n", "n", "n", "n", "n")  # chapter 6: a sigmoid candidate
        await pilot.pause()
        assert app.session.config.activation_name("candidate") == "sigmoid"
        await pilot.press("n")  # chapter 7: identity on the cell
        await pilot.pause()
        assert "lesson 7/13" in panel_text(app, "lesson")
        assert app.session.config.activation_name("cell") == "identity"
        await pilot.press("ctrl+z")
        await pilot.pause()
        # The model and settings before the chapter are back; the caption stays.
        assert app.session.config.activation_name("candidate") == "sigmoid"
        assert app.session.config.activation_name("cell") == "tanh"
        assert "lesson 7/13" in panel_text(app, "lesson")
        await pilot.press("N", "N")
        await pilot.pause()
        assert "lesson 5/13" in panel_text(app, "lesson")
        assert app.session.sequence.name == "latch"
        await pilot.press("2")  # the latch, as the chapter left it: forget's activation cycled
        await pilot.press("L", "enter")  # the list of chapters; enter: this one set up again
        await pilot.pause()
        assert "lesson 5/13" in panel_text(app, "lesson")
        assert app.session.config.activation_name("forget") == "sigmoid"
        await pilot.press("N", "N", "N", "N", "N")
        await pilot.pause()
        assert "lesson 1/13" in panel_text(app, "lesson")
        assert any("the first chapter" in m for m in said)


async def test_every_other_key_works_as_usual_in_a_lesson() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", "n", "n")  # chapter 3 at the first ')'
        await pilot.pause()
        await pilot.press("right", "down", "2")
        await pilot.pause()
        view = app.watch_screen.view
        assert (view.t, view.unit) == (115, 1)
        assert app.session.config.activation_name("forget") == "hard_sigmoid"
        assert "lesson 3/13" in panel_text(app, "lesson")


async def test_esc_closes_the_caption_and_the_panels_take_its_place() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L")
        await pilot.pause()
        assert app.watch_screen.query_one("#lesson").size.height >= 5
        await pilot.press("escape")
        await pilot.pause()
        assert app.watch_screen.query_one("#lesson").size.height == 0
        await pilot.press("n")
        await pilot.pause()
        assert app.watch_screen.view.lesson is None


async def test_at_80x24_the_caption_leaves_the_cell_panel_whole() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", *["n"] * 7)  # chapter 8 has the longest caption
        await pilot.pause()
        screen = app.watch_screen
        cells = screen.query_one("#cells")
        assert cells.size.height == cells.wanted_height(cells.size.width)
        assert cells.region.bottom <= screen.query_one("#legend").region.y
        assert screen.query_one("#timeline").size.height >= 2
        lines = panel_text(app, "cells").splitlines()
        assert [line.split()[0] for line in lines[1:8]] == ["i", "f", "g", "o", "c", "tanh(c)", "h"]


async def test_a_lesson_file_that_breaks_in_the_app_is_a_notification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[chapter]]\ntitle = 7\n', encoding="utf-8")
    # The app loads lessons when L is first pressed: the lessons module is where it looks.
    monkeypatch.setattr("lstm_tui.lessons.builtin_lesson", lambda _: read_lesson(bad))
    app = default_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        said = record_notes(app, monkeypatch)
        await pilot.press("L")
        await pilot.pause()
        assert app.watch_screen.view.lesson is None
        assert any(f"{bad}: chapter 1 (): field 'title'" in m for m in said), said


async def test_the_app_opened_with_a_lesson_starts_on_its_first_chapter() -> None:
    lesson = builtin_lesson()
    app = LstmApp(lesson.open_chapter(0), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "lesson 1/13" in panel_text(app, "lesson")
        assert f"t = {lesson.chapters[0].step} /" in panel_text(app, "header")
        assert not app.session.can_undo  # nothing before the first chapter to go back to
        # The timeline shows the steps up to the chapter's, as after turning to it with n.
        step = lesson.chapters[0].step
        title = panel_text(app, "timeline")
        assert f"–{step} " in title or title.rstrip().endswith(f"–{step}"), title


async def test_lesson_text_is_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.toml"
    path.write_text(
        'title = "[b]x"\n[[chapter]]\ntitle = "[red]Red[/red]"\nclaim = "[@click=app.quit]q[/]"\n'
        'caption = ["\\u001b[2J wiped", "[/b] closed"]\nsample = "brackets"\n',
        encoding="utf-8",
    )
    lesson = read_lesson(path)
    app = LstmApp(open_session(), lesson=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.watch_screen.show_chapter(lesson, 0)
        await pilot.pause()
        caption = panel_text(app, "lesson")
        assert "[red]Red[/red]" in caption and "[@click=app.quit]q[/]" in caption
        assert "⟨U+001B⟩[2J wiped" in caption and "[/b] closed" in caption


async def test_the_palette_opens_the_lesson() -> None:
    from tests.ui.test_keys import palette_run

    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await palette_run(pilot, "Open the lesson")
        await pilot.pause()
        assert "lesson 1/13" in panel_text(app, "lesson")


async def test_in_a_lesson_a_find_takes_n_until_esc_ends_it() -> None:
    app = default_app()
    closing = [t for t, tok in enumerate(app.session.sequence.tokens) if tok == ")"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", "slash", ")", "enter", "n")
        await pilot.pause()
        assert app.watch_screen.view.t == closing[1]
        assert "lesson 1/13" in panel_text(app, "lesson")
        assert "n N: matches · esc: end find" in panel_text(app, "lesson")
        await pilot.press("escape", "n")
        await pilot.pause()
        assert "lesson 2/13" in panel_text(app, "lesson")
        assert "n next · N back" in panel_text(app, "lesson")


async def test_the_longest_title_a_lesson_may_have_leaves_the_keys_in_view(tmp_path: Path) -> None:
    from lstm_tui.lessons import MAX_TITLE

    path = tmp_path / "long.toml"
    path.write_text(
        f'title = "x"\n[[chapter]]\ntitle = "{"T" * MAX_TITLE}"\nclaim = "c"\n'
        'caption = ["a", "b"]\nsample = "brackets"\n',
        encoding="utf-8",
    )
    lesson = read_lesson(path)
    app = LstmApp(lesson.open_chapter(0), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The chapters' list is one key away whatever the title: L is always named.
        assert panel_text(app, "lesson").splitlines()[0].endswith("n next · N back · L chapters")
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert (
            panel_text(app, "lesson")
            .splitlines()[0]
            .endswith("n next · N back · L chapters · esc close")
        )
        await pilot.press("slash", "(", "enter")
        await pilot.pause()
        assert panel_text(app, "lesson").splitlines()[0].endswith("n N: matches · esc: end find")


async def test_in_a_lesson_L_lists_the_chapters_and_a_number_opens_one() -> None:
    lesson = builtin_lesson()
    app = LstmApp(lesson.open_chapter(0), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L")
        await pilot.pause()
        listed = "\n".join(screen_lines(app))
        # At 24 rows the first seven fit; the list scrolls to the eighth.
        assert "1 (now)  Two gates, two rows of weights" in listed
        for chapter in lesson.chapters[1:7]:
            assert f"{chapter.number}  {chapter.title}" in listed
        await pilot.press("7")  # two keys from the start to any chapter
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert "lesson 7/13" in panel_text(app, "lesson")
        assert app.session.config.activation_name("cell") == "identity"
        await pilot.press("L", "escape")
        await pilot.pause()
        assert "lesson 7/13" in panel_text(app, "lesson")
        # Chapters 10 to 13 are three keys away, and so is chapter 1 (a 1 could begin 12).
        await pilot.press("L", "1", "2")
        await pilot.pause()
        assert "lesson 12/13" in panel_text(app, "compare-lesson")  # a chapter with a cell B
        await pilot.press("L", "1", "enter")
        await pilot.pause()
        assert "lesson 1/13" in panel_text(app, "lesson")


async def test_turning_chapters_puts_no_toast_over_the_panels(monkeypatch) -> None:
    # The caption says which chapter this is; a toast would cover the timeline for 3 s.
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notes(app, monkeypatch)
        await pilot.press("L")
        await pilot.pause()
        assert said == ["a lesson: ctrl+z brings back what was there before"]
        await pilot.press("n", "n", "N")
        await pilot.pause()
        assert "lesson 2/13" in panel_text(app, "lesson")
        assert len(said) == 1, said


@pytest.mark.parametrize(("typed", "chapter"), [("L6", 6), ("L13", 13)])
async def test_a_chapter_s_number_in_one_burst_with_L_opens_it(typed: str, chapter: int) -> None:
    # A fast typist or a slow SSH link: the digits are read before L's list is there.
    from textual import events

    lesson = builtin_lesson()
    app = LstmApp(lesson.open_chapter(0), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for char in typed:
            app.post_message(events.Key(char, char))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert f"lesson {chapter}/13" in panel_text(app, "lesson")
        # The next digit on its own acts as usual: 1 changes the input gate's activation.
        before = app.session.config.activation_name("input")
        await pilot.press("1")
        assert app.session.config.activation_name("input") != before
