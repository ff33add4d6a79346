"""Every key does what the help screen says."""

from __future__ import annotations

import time
from pathlib import Path

from textual.command import CommandPalette

from lstm_tui.ui.commands import WATCH_COMMANDS
from lstm_tui.ui.screens.help_screen import HelpScreen
from lstm_tui.ui.screens.watch_screen import WatchScreen
from lstm_tui.ui.view import TIMELINE_VECTORS
from tests.ui.factory import TEXT, random_app, record_notes
from tests.ui.screen_text import footer_line, notes, panel_text, svg_lines


def help_of(key: str) -> str:
    """The help line of the watch screen's command on ``key``."""
    return next(c.help for c in WATCH_COMMANDS if key in c.key_list)


def watch(app) -> WatchScreen:
    return app.watch_screen


async def test_right_and_l_step_forward_left_and_h_step_back() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "l")
        assert watch(app).view.t == 3
        assert "t = 3 / " in panel_text(app, "header")
        await pilot.press("left", "h")
        assert watch(app).view.t == 1
        await pilot.press("left", "left", "left")
        assert watch(app).view.t == 0


async def test_home_and_end_jump() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        assert watch(app).view.t == len(TEXT) - 1
        await pilot.press("right")
        assert watch(app).view.t == len(TEXT) - 1
        await pilot.press("home")
        assert watch(app).view.t == 0


class FakeClock:
    """A clock that moves only when told, so playback is tested without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_space_plays_and_pauses() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = watch(app)
        screen.clock = clock = FakeClock()
        await pilot.press("space")
        assert screen.view.playing
        assert "▶" in panel_text(app, "header")
        clock.now += 2 / screen.view.speed
        screen._tick()
        assert screen.view.t == 2
        await pilot.press("space")
        assert not screen.view.playing
        assert "❚❚" in panel_text(app, "header")


async def test_play_stops_at_the_end() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = watch(app)
        screen.clock = clock = FakeClock()
        await pilot.press("space")
        for _ in range(len(TEXT) + 2):
            clock.now += 1 / screen.view.speed
            screen._tick()
        await pilot.pause()
        assert screen.view.t == len(TEXT) - 1
        assert not screen.view.playing


async def test_plus_and_minus_change_speed() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = watch(app)
        start = screen.view.speed
        await pilot.press("plus")
        assert screen.view.speed > start
        await pilot.press("minus", "minus")
        assert screen.view.speed < start


async def test_up_and_down_select_a_unit() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        assert watch(app).view.unit == 2
        assert "unit 2 of 8" in panel_text(app, "unit")
        await pilot.press("up", "up", "up")
        assert watch(app).view.unit == 0


async def test_v_cycles_the_timeline_vector() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        for _ in range(8):
            seen.append(watch(app).view.vector)
            await pilot.press("v")
        # In the order the help lists them, from c where a session starts.
        assert seen == [*"chifgo", "∂c cell path", "∂c"]
        assert "in turn (a sample starts at c or h): c h i f g o" in help_of("v")
        assert f"timeline of {watch(app).view.vector} " in panel_text(app, "timeline")


async def test_d_toggles_bars_with_numbers_and_the_footer_says_what_it_does_next() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not watch(app).view.detailed
        assert "d bars " in footer_line(app) and "detail" not in footer_line(app)
        await pilot.press("d")
        await pilot.pause()
        assert watch(app).view.detailed
        assert "0." in panel_text(app, "cells") and "units 0–" in panel_text(app, "cells")
        # Already bars: d now gives glyphs, and says so.
        assert "d glyphs " in footer_line(app) and "d bars" not in footer_line(app)
        await pilot.press("d")
        await pilot.pause()
        assert not watch(app).view.detailed
        assert "d bars " in footer_line(app)


async def screenshots(pilot, folder: Path, count: int) -> list[Path]:
    """The SVGs in ``folder`` once there are ``count``: a screenshot waits for toasts to go."""
    # Polled between the app's own turns, for at most a few seconds of a slow machine.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        saved = sorted(folder.glob("*.svg"))
        if len(saved) >= count:
            await pilot.pause()
            return saved
        await pilot.pause()
    raise AssertionError(f"no screenshot in {folder}")


async def test_s_saves_an_svg_and_says_where(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("right", "s")
        saved = await screenshots(pilot, tmp_path, 1)
        assert len(saved) == 1
        assert saved[0].read_text().startswith("<svg")
        assert any(str(saved[0]) in m.replace("\n", "") for m in (await notes(pilot)))


async def test_a_second_screenshot_does_not_show_the_first_ones_message(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for count in (1, 2):
            await pilot.press("s")
            await screenshots(pilot, tmp_path, count)
        assert any("screenshot saved" in m for m in (await notes(pilot)))
    for svg in tmp_path.glob("*.svg"):
        text = "\n".join(svg_lines(svg.read_text(), 80, 24))
        assert "t = 0 / 15" in text and "saved" not in text, svg.name


async def test_one_step_per_second_is_said_in_the_singular() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*["minus"] * 8)
        messages = await notes(pilot)
        assert "1 step per second" in messages[-1]
        assert not any("1 steps" in m for m in messages)


async def test_question_mark_opens_help_and_any_key_closes_it() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("x")
        assert isinstance(app.screen, WatchScreen)


async def test_ctrl_p_palette_offers_every_action() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Jump to end")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert watch(app).view.t == len(TEXT) - 1


async def test_the_palette_names_every_timeline_vector_the_cycle_shows() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        helps = {c.title: c.help for c in app.get_system_commands(watch(app))}
        assert all(vector in helps["Next timeline vector"] for vector in TIMELINE_VECTORS)


async def test_q_quits() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


async def test_resizing_while_playing_keeps_every_panel() -> None:
    app = random_app(hidden=64)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = watch(app)
        await pilot.press("space")
        for size in ((120, 40), (60, 20), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            screen._tick()
            await pilot.pause()
            assert "t = " in panel_text(app, "header")
            assert "unit " in panel_text(app, "unit")
        await pilot.press("space")


async def test_the_footer_names_each_key_once_and_fits_80_columns() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = footer_line(app)
        # Of d's two labels only the one it does now is shown.
        labels = [c.footer for c in WATCH_COMMANDS if c.footer not in (None, "glyphs")]
        for label in labels:
            assert footer.count(f" {label} ") == 1, (label, footer)
        assert " glyphs " not in footer
        # Up and down share one entry, and nothing is hidden under the palette key.
        assert "↑↓ unit" in footer and footer.rstrip().endswith("^p palette")
        assert footer.index("palette") > footer.index("quit")


async def palette_run(pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*text)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_the_palette_keeps_only_the_built_in_commands_that_fit(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = {command.title for command in app.get_system_commands(watch(app))}
        assert {"Quit", "Theme", "Save SVG screenshot", "Show keys"} <= titles
        assert not {"Screenshot", "Keys", "Maximize", "Minimize"} & titles
        # "Screenshot" finds the app's own command, which writes where `s` does.
        await palette_run(pilot, "Screenshot")
        assert isinstance(app.screen, WatchScreen)
        await screenshots(pilot, tmp_path, 1)
        assert [p.suffix for p in tmp_path.iterdir()] == [".svg"]
        # "Keys" opens the help screen, not a side panel.
        await palette_run(pilot, "Keys")
        assert isinstance(app.screen, HelpScreen)
        assert not app.screen.query("HelpPanel") and not watch(app).query("HelpPanel")


async def test_palette_quit_asks_about_unsaved_edits() -> None:
    from lstm_tui.ui.dialogs.confirm import ConfirmScreen

    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")  # another forget activation: an unsaved edit
        await palette_run(pilot, "Quit")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)


async def test_palette_theme_switches_the_theme() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = app.theme
        await palette_run(pilot, "Theme")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.theme != before


async def test_a_far_jump_is_computed_in_slices_with_progress(monkeypatch) -> None:
    from lstm_tui.ui.screens import watch_screen

    monkeypatch.setattr(watch_screen, "FAR_WORK", 5 * 8)  # five steps of eight units
    monkeypatch.setattr(watch_screen, "SLICE_WORK", 100 * 8)
    # Longer than the steps computed at the start to state the cell state's range.
    app = random_app(text=TEXT * 200)
    said = record_notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        headers = []
        for _ in range(100):
            if app.watch_screen.view.t:
                break
            headers.append(panel_text(app, "header"))
            await pilot.pause()
        # The share computed, painted in the header between slices of a hundred steps.
        assert any(" computing " in h and "%" in h for h in headers)
        last = len(TEXT) * 200 - 1
        assert app.watch_screen.view.t == last
        assert f"t = {last} /" in panel_text(app, "header")
    assert any(m.startswith(f"computing steps up to {last:,}") for m in said)
