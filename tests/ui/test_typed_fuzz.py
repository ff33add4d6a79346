"""Whatever is typed into the sequence prompt, the app keeps running and the terminal stays its own.

One app serves every example (starting one per example would take most of
the time): each types a text at ``t``, answers the vocabulary question if
one comes, and reads the frame Textual would send for every screen on the
way, looking for controls it did not make itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot

from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.confirm import ConfirmScreen
from lstm_tui.ui.dialogs.text_prompt import TextPrompt
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import random_session
from tests.ui.screen_text import foreign_controls

# Pieces that have broken terminals and markup parsers, mixed with any character.
PIECES = (
    "[",
    "[/",
    "[/b]",
    "[b]",
    "[@click=app.quit]",
    "[bold red]",
    "[link=http://x]",
    "\x1b",
    "\x1b[31m",
    "\x1b[?1049l",
    "\x1b]52;c;aGk=\x07",
    "\x9b2J",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u0301",
    "\ufe0f",
    "字",
    "😀",
    "\\n",
    "\\t",
    " ",
)
Step = Callable[[Pilot], Awaitable[None]]
TYPED = st.lists(st.one_of(st.sampled_from(PIECES), st.characters()), max_size=12).map("".join)


class Running:
    """One app, run by one task of a loop of its own; each example hands it a step."""

    def __init__(self, app: LstmApp) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = app
        self.steps: asyncio.Queue[tuple[Step, asyncio.Future[None]] | None] = asyncio.Queue()
        ready: asyncio.Future[None] = self.loop.create_future()
        self.task = self.loop.create_task(self._serve(ready))
        self.loop.run_until_complete(ready)

    async def _serve(self, ready: asyncio.Future[None]) -> None:
        # The steps run inside run_test's body, as a test's own lines would.
        async with self.app.run_test(size=(100, 30), notifications=True) as pilot:
            ready.set_result(None)
            while (item := await self.steps.get()) is not None:
                step, done = item
                try:
                    await step(pilot)
                except BaseException as error:  # handed to the example that failed
                    done.set_exception(error)
                else:
                    done.set_result(None)

    def run(self, step: Step) -> None:
        done: asyncio.Future[None] = self.loop.create_future()
        self.steps.put_nowait((step, done))
        self.loop.run_until_complete(done)

    def close(self) -> None:
        self.steps.put_nowait(None)
        try:
            self.loop.run_until_complete(self.task)
        finally:
            self.loop.close()


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    app = Running(LstmApp(random_session(hidden=4), kiosk=True))
    yield app
    app.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("names")


@pytest.fixture(scope="module")
def browsing(folder: Path) -> Iterator[Running]:
    """An app whose file dialogs start in ``folder``, where each example puts a file."""
    app = Running(LstmApp(random_session(hidden=4), screenshot_dir=folder))
    yield app
    app.close()


def assert_clean(app: LstmApp) -> None:
    assert app.is_running and app.return_code is None
    assert foreign_controls(app) == []


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TYPED, extend=st.booleans())
def test_any_typed_text_is_shown_safe(running: Running, text: str, extend: bool) -> None:
    async def step(pilot: Pilot) -> None:
        app = pilot.app
        # A failed example (while Hypothesis shrinks) may have left a dialog open.
        while not isinstance(app.screen, WatchScreen):
            app.pop_screen()
            await pilot.pause()
        app.clear_notifications()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        # A paste is how a control character reaches the box (keys cannot type one).
        app.screen.query_one("Input").post_message(events.Paste(text))
        await pilot.pause()
        assert_clean(app)  # the prompt showing the text
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            assert_clean(app)  # the question quoting the new tokens
            await pilot.press("y" if extend else "n")
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert_clean(app)  # the panels and the notification

    running.run(step)


# A name a file system takes: no slash or NUL, at most 255 bytes, not . or ..
NAMES = (
    st.lists(st.one_of(st.sampled_from(PIECES), st.characters()), min_size=1, max_size=8)
    .map("".join)
    .map(lambda name: name.replace("/", "").replace("\x00", ""))
    .filter(
        lambda name: (
            name not in ("", ".", "..") and len(name.encode("utf-8", "surrogatepass")) <= 200
        )
    )
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=NAMES)
def test_any_file_name_in_the_open_dialog_is_shown_safe(
    browsing: Running, folder: Path, name: str
) -> None:
    try:
        path = folder / name
        path.write_text("ab", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        return  # a name this file system refuses cannot be listed either

    async def step(pilot: Pilot) -> None:
        app = pilot.app
        while not isinstance(app.screen, WatchScreen):
            app.pop_screen()
            await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.pause()
        assert_clean(app)  # the tree listing the file
        await pilot.press("escape")
        await pilot.pause()

    try:
        browsing.run(step)
    finally:
        path.unlink()
