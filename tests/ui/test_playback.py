"""Playback follows the clock: the cursor is where the speed says, however many ticks ran."""

from __future__ import annotations

import pytest

from lstm_tui.ui.screens.watch_screen import MAX_TICKS_PER_SECOND
from tests.ui.factory import random_app
from tests.ui.test_keys import FakeClock

LONG = "((a)(b c))\n\t(d)" * 40  # 600 steps: room for several seconds at 120 steps/s


async def play_at(pilot, speed: float) -> FakeClock:
    screen = pilot.app.watch_screen
    screen.clock = clock = FakeClock()
    while screen.view.speed < speed:
        await pilot.press("plus")
    assert screen.view.speed == speed
    await pilot.press("space")
    await pilot.pause()
    return clock


@pytest.mark.parametrize("speed", [30.0, 120.0])
async def test_dropped_ticks_do_not_slow_playback(speed: float) -> None:
    app = random_app(text=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        clock = await play_at(pilot, speed)
        screen = app.watch_screen
        # Uneven gaps between ticks, as when frames take long to render:
        # 1.5 seconds pass in only five ticks.
        for gap in (0.1, 0.45, 0.05, 0.6, 0.3):
            clock.now += gap
            screen._tick()
        await pilot.pause()
        assert screen.view.t == int(1.5 * speed)
        assert screen.view.playing


async def test_ticks_stay_at_most_sixty_a_second() -> None:
    app = random_app(text=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_at(pilot, 120.0)
        timer = app.watch_screen._timer
        assert timer is not None
        assert timer._interval >= 1 / MAX_TICKS_PER_SECOND


async def test_a_speed_change_or_a_step_continues_from_the_cursor() -> None:
    app = random_app(text=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        clock = await play_at(pilot, 10.0)
        screen = app.watch_screen
        clock.now += 0.5
        screen._tick()
        assert screen.view.t == 5
        await pilot.press("plus")  # 20 steps/s from here on
        clock.now += 0.5
        screen._tick()
        assert screen.view.t == 15
        await pilot.press("left")  # a step back while playing is not undone
        assert screen.view.t == 14
        screen._tick()
        assert screen.view.t == 14
        clock.now += 0.1
        screen._tick()
        assert screen.view.t == 16
