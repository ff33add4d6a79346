"""A lesson's chapters with a cell B: each opens the compare view under its caption."""

from __future__ import annotations

import pytest

from lstm_tui.lessons import Lesson
from lstm_tui.ui.screens.compare_screen import LESSON_KEYS, CompareScreen
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.test_lessons import builtin_lesson
from tests.ui.factory import default_app, record_notes
from tests.ui.screen_text import panel_text

# What each chapter with a cell B paints: B's title, then words of the B − A rows
# (Δc, Δh) and of what reaches the unit (k back), at the chapter's step and unit.
COMPARE_SHOWS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    # 9: identity on the cell output: Δh +1.04 for unit 0 at depth 2.
    ("B  LSTM with cell=identity", ("Δh B−A", "+1.04"), ("A ∂c", "×1.00")),
    # 10: forget clamped to 1: unit 1's c is 2 in B, 0.36 in A; A keeps ×0.35 from 10 back.
    ("B  LSTM with forget=1", ("Δc B−A", "+1.64"), ("×0.90    ×0.35    ×0.00",)),
    # 11: a sigmoid candidate: B's c is 9 where A's is 0.
    ("B  LSTM with candidate=sigmoid", ("Δc B−A", "+9.00"), ("×1.00",)),
    # 12: a plain RNN: its h forgets at once, the LSTM's cell path keeps ×1.00.
    ("B  RNN from A's weights", ("Δh B−A",), ("B ∂h        ×0.00    ×0.00    ×0.00",)),
]


def first_with_b(lesson: Lesson) -> int:
    """The index of the lesson's first chapter with a cell B."""
    return next(k for k, chapter in enumerate(lesson.chapters) if chapter.vs is not None)


async def test_each_chapter_with_a_cell_b_opens_the_compare_view_under_its_caption() -> None:
    lesson = builtin_lesson()
    first = first_with_b(lesson)
    with_b = [chapter for chapter in lesson.chapters if chapter.vs is not None]
    assert len(with_b) == len(COMPARE_SHOWS)
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", *["n"] * (first - 1))
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        for index, (b_title, delta, reach) in enumerate(COMPARE_SHOWS, first):
            chapter = lesson.chapters[index]
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen), chapter.name
            caption = panel_text(app, "compare-lesson")
            assert f"lesson {index + 1}/{len(lesson)} · {chapter.title}" in caption
            # The keys in the longest form that fits (at 80 columns, without esc).
            assert caption.splitlines()[0].endswith(LESSON_KEYS[1:])
            assert chapter.claim in caption and all(line in caption for line in chapter.caption)
            title = panel_text(app, "compare-title")
            assert f"t = {chapter.step} /" in title and f"unit {chapter.unit}" in title
            assert b_title in panel_text(app, "b-title")
            shown = panel_text(app, "delta")
            assert all(word in shown for word in delta), (chapter.name, shown)
            shown = panel_text(app, "reach")
            assert all(word in shown for word in reach), (chapter.name, shown)
        # Every line of the compare view fits 24 rows with the caption: the last
        # row of what reaches the unit is painted above the footer.
        assert "Δh B−A" in panel_text(app, "reach").splitlines()[-1]


async def test_turning_back_to_a_chapter_of_one_cell_closes_the_compare_view_quietly() -> None:
    lesson = builtin_lesson()
    first = first_with_b(lesson)
    app = default_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        said = record_notes(app, pytest.MonkeyPatch())
        await pilot.press("L", *["n"] * first)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.session.variant is None
        assert f"lesson {first}/{len(lesson)}" in panel_text(app, "lesson")
        assert not any("no cell B" in note for note in said)
        # ctrl+z on the one cell brings back the chapter with B, as it was.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.variant is not None


async def test_a_lesson_whose_first_chapter_has_a_cell_b_opens_on_the_compare_view(
    tmp_path,
) -> None:
    from lstm_tui.ui.app import LstmApp
    from tests.test_lessons import BASE, read_lesson, write

    text = f'title = "A lesson"\n[[chapter]]\ntitle = "First"\n{BASE}vs = {{ cell = "gru" }}\n'
    lesson = read_lesson(write(tmp_path, text))
    app = LstmApp(lesson.open_chapter(0), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert "B  GRU from A's weights" in panel_text(app, "b-title")
        assert "lesson 1/1 · First" in panel_text(app, "compare-lesson")


async def test_l_on_the_compare_view_lists_the_chapters_and_one_of_one_cell_closes_it() -> None:
    from lstm_tui.ui.dialogs.choice_list import ChoiceList

    lesson = builtin_lesson()
    first = first_with_b(lesson)
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", *["n"] * first)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("3")  # chapter 3: the counter, one cell
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert "lesson 3/" in panel_text(app, "lesson")
        assert app.session.variant is None


async def test_esc_on_the_compare_view_keeps_the_lesson_and_n_goes_on() -> None:
    lesson = builtin_lesson()
    first = first_with_b(lesson)
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("L", *["n"] * first, "escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert f"lesson {first + 1}/" in panel_text(app, "lesson")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert f"lesson {first + 2}/" in panel_text(app, "compare-lesson")


async def test_on_a_wide_screen_the_captions_keys_say_esc_goes_back_to_one_cell() -> None:
    lesson = builtin_lesson()
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("L", *["n"] * first_with_b(lesson))
        await pilot.pause()
        first = panel_text(app, "compare-lesson").splitlines()[0]
        assert first.endswith("n next · N back · L chapters · esc 1 cell")
