"""--kiosk refuses every action that reads or writes a file chosen at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.choice_list import ChoiceList
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import random_session
from tests.ui.screen_text import notes, screen_lines


def kiosk_app(tmp_path: Path) -> LstmApp:
    return LstmApp(random_session(), kiosk=True, screenshot_dir=tmp_path)


async def assert_refused(tmp_path: Path, key: str, what: str) -> None:
    app = kiosk_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = (app.session.params, app.session.sequence)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)  # no dialog opened
        messages = await notes(pilot)
        assert any("kiosk mode" in m and what in m for m in messages)
        assert (app.session.params, app.session.sequence) == before
    assert list(tmp_path.iterdir()) == []


async def test_kiosk_refuses_opening_a_sequence(tmp_path: Path) -> None:
    await assert_refused(tmp_path, "ctrl+o", "opening files")


async def test_kiosk_refuses_loading_weights(tmp_path: Path) -> None:
    await assert_refused(tmp_path, "ctrl+l", "loading weights")


async def test_kiosk_refuses_saving_weights(tmp_path: Path) -> None:
    await assert_refused(tmp_path, "ctrl+s", "saving weights")


async def test_kiosk_refuses_exporting(tmp_path: Path) -> None:
    await assert_refused(tmp_path, "e", "exporting")


async def test_kiosk_refuses_screenshots(tmp_path: Path) -> None:
    await assert_refused(tmp_path, "s", "saving screenshots")


@pytest.mark.parametrize(
    "action", ["open_sequence", "load_weights", "save_weights", "export", "screenshot"]
)
async def test_kiosk_refuses_from_the_palette_too(tmp_path: Path, action: str) -> None:
    app = kiosk_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.watch_screen.run_action(action)
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert any("kiosk mode" in m for m in (await notes(pilot)))


async def test_kiosk_keeps_samples_and_typed_sequences(tmp_path: Path) -> None:
    app = kiosk_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.sequence.name == "brackets"
        await pilot.press("t", *"(()", "enter")
        await pilot.pause()
        assert app.session.sequence.tokens == tuple("(()")


async def test_the_kiosk_quit_question_offers_no_save() -> None:
    from lstm_tui.ui.dialogs.confirm import ConfirmScreen

    app = LstmApp(random_session(), kiosk=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = "\n".join(screen_lines(app))
        assert "Quit and lose" in text and "ctrl+s" not in text
