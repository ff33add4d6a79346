"""Text a user typed or a file named is shown as it is: never read as markup.

Square brackets are Rich/Textual markup in a notification. Before, ``[/b]``
in a path, a factor or a typed sequence closed a tag that was never opened
and the app crashed; ``[bold red]`` recoloured a message and hid its own
brackets; ``[@click=app.quit]`` made a clickable quit link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import random_app, random_session
from tests.ui.screen_text import notes, screen_lines, toasts


async def answer(pilot, key: str, text: str) -> None:
    """Open a dialog with ``key``, put ``text`` in its box and press enter."""
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one("Input").value = text
    await pilot.press("enter")
    await pilot.pause()


def literal(text: str, messages: list[str]) -> bool:
    return any(text in message for message in messages)


@pytest.mark.parametrize(
    ("key", "typed"),
    [("ctrl+o", "[/b]"), ("ctrl+s", "[/b]"), ("e", "[/b]")],
    ids=["open", "save", "export"],
)
async def test_a_closing_tag_in_a_path_is_shown_not_parsed(
    tmp_path: Path, key: str, typed: str
) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await answer(pilot, key, typed)
        assert isinstance(app.screen, WatchScreen)
        assert literal("[/b]", await notes(pilot))
    assert app.return_code in (None, 0)


async def test_a_closing_tag_as_a_scale_factor_in_kiosk_mode() -> None:
    app = LstmApp(random_session(), kiosk=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        params = app.session.params
        await answer(pilot, "x", "f [/b]")
        # Refused in the dialog itself, which stays open, the brackets shown.
        assert literal("not a number: '[/b]'", screen_lines(app))
        assert app.session.params is params


async def test_a_closing_tag_typed_as_numbers_in_kiosk_mode() -> None:
    app = LstmApp(open_session("sine"), kiosk=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        sequence = app.session.sequence
        await answer(pilot, "t", "1 2 [/b]")
        assert literal("[/b]", await notes(pilot))
        assert app.session.sequence is sequence


async def test_a_style_tag_in_a_path_is_shown_with_its_brackets(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await answer(pilot, "ctrl+o", "[bold red]boom.txt")
        shown = await toasts(pilot)
        assert [severity for severity, _ in shown] == ["error"]
        assert "[bold red]boom.txt" in shown[0][1]
        # Nothing of the message is drawn in the tag's bold red.
        toast = app.screen.query_one("Toast")
        assert not any("bold red" in str(span.style) for span in toast.render().spans)


async def test_a_click_tag_in_a_file_name_is_not_a_link(tmp_path: Path) -> None:
    path = tmp_path / "[@click=app.quit]x.txt"
    path.write_text("abc", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await answer(pilot, "ctrl+o", str(path))
        assert app.session.sequence.tokens == tuple("abc")
        assert literal("[@click=app.quit]x.txt", await notes(pilot))
        toast = app.screen.query_one("Toast")
        assert not any("@click" in str(span.style) for span in toast.render().spans)
        # A click on the message only dismisses it: the app keeps running.
        await pilot.click("Toast")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
