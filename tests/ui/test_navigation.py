"""g goes to a step, / finds a token (n / N through its matches), ] / [ jump to events."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from lstm_tui.ui.dialogs.text_prompt import TextPrompt
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import default_app, record_notes, sample_app
from tests.ui.screen_text import notes, panel_text, screen_lines


def header(app) -> str:
    return panel_text(app, "header")


async def type_in(pilot: Pilot, text: str) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, TextPrompt)
    await pilot.press(*(text if text else []), "enter")
    await pilot.pause()


async def test_g_goes_to_the_step_typed() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await type_in(pilot, "114")
        assert isinstance(app.screen, WatchScreen)
        assert header(app).startswith(" t = 114 / 673")
        assert "read )" in panel_text(app, "unit")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "not a step number: 'abc'"),
        ("673", "673 is not a step of this sequence: type 0–672"),
        ("-1", "-1 is not a step of this sequence"),
        ("", "not a step number: ''"),
    ],
    ids=["not a number", "past the end", "negative", "empty"],
)
async def test_g_with_a_bad_step_says_so_and_the_prompt_stays(typed: str, says: str) -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await type_in(pilot, typed)
        assert isinstance(app.screen, TextPrompt)
        assert says in "\n".join(screen_lines(app))
        # Still in the prompt: the next keys correct the entry instead of acting on the screen.
        await pilot.press(*["backspace"] * len(typed), "9", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.watch_screen.view.t == 9


async def test_escape_leaves_the_step_prompt_and_nothing_moves() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "5", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.watch_screen.view.t == 0


async def test_find_jumps_to_the_first_bracket_then_n_and_N_go_through_the_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = default_app()
    tokens = app.session.sequence.tokens
    closing = [t for t, tok in enumerate(tokens) if tok == ")"]
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notes(app, monkeypatch)
        await pilot.press("slash")
        await type_in(pilot, ")")
        assert header(app).startswith(f" t = {closing[0]} / 673")
        assert f"find ) 1/{len(closing)}" in header(app)
        await pilot.press("n")
        await pilot.pause()
        assert header(app).startswith(f" t = {closing[1]} /")
        assert f"find ) 2/{len(closing)}" in header(app)
        await pilot.press("N", "N")  # past the first: round to the last
        await pilot.pause()
        assert app.watch_screen.view.t == closing[-1]
        assert any("from the other end" in m for m in said)
        await pilot.press("escape")
        await pilot.pause()
        assert "find" not in header(app)
        await pilot.press("n")  # no find and no lesson: n says what it is for
        await pilot.pause()
        assert app.watch_screen.view.t == closing[-1]
        assert any("n / N: the next / previous match" in m for m in said)


async def test_find_reads_the_strips_pictures_of_whitespace() -> None:
    app = default_app()
    tokens = app.session.sequence.tokens
    newlines = [t for t, tok in enumerate(tokens) if tok == "\n"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_in(pilot, "\\n")  # a backslash and n, typed
        assert app.watch_screen.view.t == newlines[0]
        assert "find ↵ 1/" in header(app)
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "↵"  # the strip's picture, pasted
        await pilot.press("enter")
        await pilot.pause()
        assert app.watch_screen.view.t == newlines[1]


async def test_find_of_a_token_not_in_the_sequence_says_so_and_the_prompt_stays() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "§"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert "§ does not occur in this sequence" in "\n".join(screen_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        assert app.watch_screen.view.find is None and app.watch_screen.view.t == 0


async def test_find_on_numbers_says_there_are_no_tokens() -> None:
    app = sample_app("sine")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, WatchScreen)
        assert any("numbers, not tokens" in m for m in await notes(pilot))


async def test_a_find_ends_when_another_sequence_is_shown() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_in(pilot, "(")
        assert "find (" in header(app)
        await pilot.press("L")  # chapter 1 opens the brackets again: a new sequence
        await pilot.pause()
        assert "find" not in header(app)
        await pilot.press("n")
        await pilot.pause()
        assert "lesson 2/13" in panel_text(app, "lesson")


async def test_right_bracket_jumps_to_the_unit_s_next_event_and_left_bracket_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_notes(app, monkeypatch)
        # 95: the first '(' (c +1, i opens); 96: i shuts; 114: the first ')' (c -1).
        for expected in (95, 96, 114):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert header(app).startswith(f" t = {expected} /")
        assert "t = 114 · read ) · unit 0: c +1.00 → +0.00" in said[-1]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert header(app).startswith(" t = 96 /")
        assert "i 1.00 → 0.00" in said[-1]


async def test_brackets_say_so_when_nothing_happens() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        said = record_notes(app, pytest.MonkeyPatch())
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.watch_screen.view.t == 0
        assert any("nothing happens to unit 0 before t = 0" in m for m in said)
        await pilot.press("end", "right_square_bracket")
        await pilot.pause()
        assert any("nothing happens to unit 0 after" in m for m in said)
