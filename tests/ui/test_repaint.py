"""A step repaints only the cells that changed, and only those go to the terminal."""

from __future__ import annotations

import gc
import re
import subprocess
import sys

from textual.geometry import Region

from lstm_tui.session import open_session
from lstm_tui.ui.app import GC_THRESHOLD, LstmApp
from lstm_tui.ui.compositor import SpanUpdate
from lstm_tui.ui.widgets.line_canvas import LineCanvas
from lstm_tui.ui.widgets.timeline import LABEL_WIDTH
from tests.ui.factory import TEXT, default_app, random_app
from tests.ui.screen_text import painted_cells, screen_lines

_CURSOR_MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def record_refreshes(canvas: LineCanvas) -> list[Region]:
    """Every region the canvas asks to have repainted from now on (whole: its size)."""
    seen: list[Region] = []
    refresh, repaint = canvas.refresh, canvas._repaint

    def recorded_refresh(*regions: Region, **kwargs: object):
        seen.extend(regions or [canvas.size.region])
        return refresh(*regions, **kwargs)

    def recorded_repaint(regions: list[Region]) -> None:
        seen.extend(regions)
        repaint(regions)

    canvas.refresh = recorded_refresh  # type: ignore[method-assign]
    canvas._repaint = recorded_repaint  # type: ignore[method-assign]
    return seen


def record_frames(app) -> list[object]:
    """What the app hands the terminal from now on (a headless app writes nothing)."""
    frames: list[object] = []
    original = app._display

    def display(screen, renderable):
        frames.append(renderable)
        return original(screen, renderable)

    app._display = display
    return frames


async def test_every_panel_paints_its_rows_at_every_size() -> None:
    app = random_app(hidden=64)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right")
        for size in ((80, 24), (133, 41)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            for canvas in app.screen.query(LineCanvas):
                painted = [[ch for ch, _ in row] for row in painted_cells(app, canvas.id)]
                assert painted == [[ch for ch, _ in row] for row in canvas._rows], canvas.id


async def test_a_step_repaints_one_column_of_the_timeline() -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("right", "right", "right")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", LineCanvas)
        seen = record_refreshes(timeline)
        await pilot.press("right")
        new_column = LABEL_WIDTH + app.watch_screen.view.t
        unit_rows = [r for r in seen if r.y >= 2]  # below the title and the ruler
        assert len(unit_rows) >= 8  # each unit's row, more where the selected one is a chart
        for region in unit_rows:
            # Exactly the new column: the rest of each row is as it was.
            assert (region.x, region.width) == (new_column, 1)


async def test_a_step_inside_a_page_changes_two_tokens_of_the_strip() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        strip = app.screen.query_one("#tokens", LineCanvas)
        before = [ch for ch, _ in strip._rows[0]]
        seen = record_refreshes(strip)
        await pilot.press("right")
        after = [ch for ch, _ in strip._rows[0]]
        assert before == after  # the page did not move: only styles changed
        # The token just read and the one now current, one character each.
        assert sum(region.width for region in seen) == 2


async def test_a_step_sends_the_changed_cells_and_nothing_else() -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        before = screen_lines(app)
        frames = record_frames(app)
        await pilot.press("right")
        await pilot.pause()
        after = screen_lines(app)
        updates = [f for f in frames if f is not None]
        assert updates and all(isinstance(update, SpanUpdate) for update in updates)
        # Applied to the screen before, the bytes give the screen after.
        shown = [list(line) for line in before]
        sent = 0
        for update in updates:
            text = _SGR.sub("", update.render_segments(app.console))
            parts = _CURSOR_MOVE.split(text)
            for row, column, cells in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
                y, x = int(row) - 1, int(column) - 1
                for k, ch in enumerate(cells.rstrip("\n")):
                    shown[y][x + k] = ch
                    sent += 1
        assert ["".join(line) for line in shown] == after
        changed = sum(
            a != b
            for old, new in zip(before, after, strict=True)
            for a, b in zip(old, new, strict=True)
        )
        # Each span runs from a row's first changed cell to its last: a few
        # unchanged cells between two changes ride along, no more.
        assert changed <= sent <= 3 * changed + 20


async def test_the_strip_turns_the_page_before_the_cursor_reaches_the_edge() -> None:
    app = random_app(text=TEXT * 20)
    async with app.run_test(size=(40, 24)) as pilot:
        strip = app.screen.query_one("#tokens", LineCanvas)
        for _ in range(60):
            await pilot.press("right")
            cells = strip._rows[0]
            cursor = next(x for x, (_, style) in enumerate(cells) if style == "canvas--cursor")
            # Always some of what comes next in view, and some of what came before
            # (in the timeline's window: 6 cells of label, a step per cell after).
            assert cursor <= 6 + (40 - 6) * 3 // 4
            assert app.watch_screen.view.t < 3 or cursor > 6


async def test_an_edit_that_changes_a_panels_height_is_laid_out_in_its_first_frame() -> None:
    # Cycling the input gate's activation changes the legend's ranges and the
    # unit panel's equations; at 80 columns some take their panel another line.
    app = LstmApp(open_session("english", hidden=64, seed=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        canvases = list(app.screen.query(LineCanvas))
        seen: list[list[Region]] = []
        original = app._display

        def display(screen, renderable):
            seen.append([canvas.region for canvas in canvases])
            return original(screen, renderable)

        app._display = display
        moved = 0
        for _ in range(12):
            before = [canvas.region for canvas in canvases]
            seen.clear()
            await pilot.press("1")
            await pilot.pause()
            after = [canvas.region for canvas in canvases]
            if after != before:
                moved += 1
                # The frame that first shows the edit has the panels where they end up.
                assert seen[0] == after
        assert moved >= 2


async def test_the_first_frame_already_shows_the_footer_keys() -> None:
    app = random_app()
    frames = record_frames(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = next(f for f in frames if f is not None)
        text = _SGR.sub("", first.render_segments(app.console))
        assert "q quit" in text


async def test_the_footer_is_not_composed_again_when_its_keys_stay_the_same() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query("FooterKey"))
        assert keys
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert list(app.screen.query("FooterKey")) == keys
        assert "q quit" in screen_lines(app)[-1]


async def test_an_edit_under_the_weight_editor_repaints_only_what_changed() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "end")
        await pilot.pause()
        # The first edit may still meet the editor's opening layout (seen in a
        # whole-suite run); the edits after it are what is counted.
        await pilot.press("plus")
        await pilot.pause()
        frames = record_frames(app)
        for _ in range(2):
            await pilot.press("plus")
            await pilot.pause()
        updates = [f for f in frames if f is not None]
        # No frame repaints the whole terminal: the editor's cells and the
        # header behind it (now marked modified) go out, and nothing else.
        # (Textual's full frame is a LayoutUpdate; a partial one a ChopsUpdate.)
        assert updates and not any(type(f).__name__ == "LayoutUpdate" for f in updates)
        lines = screen_lines(app)
        assert "*" in lines[0]
        assert "edits 3" in lines[2]
        assert "-19.70" in "\n".join(lines)


async def test_the_garbage_collector_is_tuned_while_the_app_runs_and_restored_after() -> None:
    before = gc.get_threshold()
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[0] == GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before


def test_the_dialogs_are_not_imported_before_the_first_frame() -> None:
    # A fresh interpreter: the first frame needs the watch screen, not the dialogs.
    code = (
        "import sys, lstm_tui.cli, lstm_tui.ui.app\n"
        "print(sorted(m for m in sys.modules if m.startswith('lstm_tui.ui.dialogs.')"
        " or m == 'lstm_tui.ui.screens.help_screen'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
