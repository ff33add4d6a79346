"""Keys read in one burst with a key that opens a dialog go to that dialog.

Over a slow SSH link keys arrive in bunches: ``g 1 2 0 enter`` is read in
one go, before the prompt ``g`` opens is on the screen. Each test posts its
keys as one burst (every key queued before the app handles any) and pauses
once. The keys are the screens' priority bindings (see
:func:`lstm_tui.ui.commands.bindings`).
"""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot

from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.weight_editor import WeightEditor
from lstm_tui.ui.screens.compare_screen import CompareScreen
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.test_lessons import builtin_lesson
from tests.ui.factory import default_app
from tests.ui.screen_text import panel_text

# The character a terminal sends for each named key a test types.
CHARACTERS = {
    "enter": "\r",
    "space": " ",
    "slash": "/",
    "full_stop": ".",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
}


async def burst(pilot: Pilot[int], *keys: str | events.Paste) -> None:
    """Queue ``keys`` (Textual key names, or a paste) as the terminal's one read
    would, then wait until the app has handled them."""
    for key in keys:
        if isinstance(key, events.Paste):
            pilot.app.post_message(key)
            continue
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()


def activations(app: LstmApp) -> list[str]:
    config = app.session.config
    return [config.activation_name(slot) for slot in ("input", "forget", "candidate", "output")]


@pytest.mark.parametrize(
    ("keys", "panel", "painted"),
    [
        (("g", "1", "2", "0", "enter"), "header", "t = 120 / "),
        (("x", "f", "space", "2", "enter"), "unit", "f = sigmoid(+40.00)"),
        (("u", "1", "enter"), "unit", "unit 1 of 2 · "),
    ],
)
async def test_a_prompt_s_key_and_its_answer_in_one_burst_do_what_the_answer_asks(
    keys: tuple[str, ...], panel: str, painted: str
) -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = activations(app)
        assert painted not in panel_text(app, panel)
        await burst(pilot, *keys)
        assert isinstance(app.screen, WatchScreen)
        assert painted in panel_text(app, panel)
        # The digits were the prompt's: 1 and 2 changed no activation behind it.
        assert activations(app) == before


async def test_keys_before_the_one_that_opens_a_dialog_still_act_first() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        vector = app.watch_screen.view.vector
        await burst(pilot, "v", "right", "g", "5", "0", "enter")
        view = app.watch_screen.view
        assert view.vector != vector
        assert panel_text(app, "header").lstrip().startswith("t = 50 / ")


async def test_slash_a_token_and_enter_in_one_burst_find_it() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "slash", "right_parenthesis", "enter")
        assert isinstance(app.screen, WatchScreen)
        tokens = app.session.sequence.tokens
        header = panel_text(app, "header")
        assert header.lstrip().startswith(f"t = {tokens.index(')')} / ")
        assert f"find ) 1/{tokens.count(')')}" in header
        assert panel_text(app, "unit").splitlines()[0].endswith("read )")


async def test_t_a_text_and_enter_in_one_burst_run_the_typed_sequence() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(
            pilot, "t", "left_parenthesis", "left_parenthesis", "right_parenthesis", "enter"
        )
        assert isinstance(app.screen, WatchScreen)
        assert app.session.sequence.tokens == tuple("(()")
        assert panel_text(app, "header").lstrip().startswith("t = 0 / 3 ")


async def test_L_and_a_chapter_s_number_in_one_burst_open_it_from_the_compare_screen() -> None:
    lesson = builtin_lesson()
    app = LstmApp(lesson.open_chapter(11), lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await burst(pilot, "L", "1", "0")
        assert isinstance(app.screen, CompareScreen)
        assert "lesson 10/13" in panel_text(app, "compare-lesson")


async def test_w_and_a_typed_value_in_one_burst_set_the_weight() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "w", "1", "full_stop", "5", "enter")
        editor = app.screen
        assert isinstance(editor, WeightEditor)
        assert not editor.typing
        assert editor.value(editor.current) == 1.5
        assert "1.5" in str(editor.query_one("#detail").render())


async def test_a_paste_in_one_burst_with_t_and_typed_keys_keeps_its_place() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paste = events.Paste("()")
        await burst(pilot, "t", "left_parenthesis", paste, "right_parenthesis", "enter")
        assert isinstance(app.screen, WatchScreen)
        assert app.session.sequence.tokens == tuple("(())")
