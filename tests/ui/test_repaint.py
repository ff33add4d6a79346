"""A step repaints only what changed, in narrow bands, so little goes to the terminal."""

from __future__ import annotations

import itertools

from textual.geometry import Region

from lstm_tui.ui.widgets.line_canvas import Band, LineCanvas
from lstm_tui.ui.widgets.timeline import LABEL_WIDTH
from tests.ui.factory import TEXT, random_app


def record_refreshes(canvas: LineCanvas) -> list[Region]:
    """Every region the canvas asks Textual to repaint from now on."""
    seen: list[Region] = []
    original = canvas.refresh

    def refresh(*regions: Region, **kwargs: object):
        seen.extend(regions or [canvas.size.region])
        return original(*regions, **kwargs)

    canvas.refresh = refresh  # type: ignore[method-assign]
    return seen


async def test_bands_tile_every_panel_and_show_its_rows() -> None:
    app = random_app(hidden=64)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right", "right")
        for size in ((80, 24), (133, 41)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            for canvas in app.screen.query(LineCanvas):
                bands = list(canvas.query_children(Band))
                assert bands[0].left == 0, canvas.id
                for before, after in itertools.pairwise(bands):
                    assert before.left + before.span == after.left, canvas.id
                # Made once as wide as the terminal: they reach past a narrower panel.
                assert bands[-1].left + bands[-1].span >= canvas.size.width, canvas.id
                # The bands side by side draw exactly the canvas rows.
                joined = [
                    list(itertools.chain.from_iterable(band._rows[y] for band in bands))
                    for y in range(len(canvas._rows))
                ]
                assert joined == canvas._rows, canvas.id


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
            # From the start of the band holding the new column, to that column.
            assert region.right - 1 == new_column
            assert region.width <= timeline.BAND_WIDTH


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
        assert sum(region.width for region in seen) <= 2 * strip.BAND_WIDTH


async def test_the_strip_turns_the_page_before_the_cursor_reaches_the_edge() -> None:
    app = random_app(text=TEXT * 20)
    async with app.run_test(size=(40, 24)) as pilot:
        strip = app.screen.query_one("#tokens", LineCanvas)
        for _ in range(60):
            await pilot.press("right")
            cells = strip._rows[0]
            cursor = next(x for x, (_, style) in enumerate(cells) if style == "canvas--cursor")
            # Always some of what comes next in view, and some of what came before.
            assert cursor <= 6 + (40 - 7) * 3 // 4
            assert app.watch_screen.view.t < 3 or cursor > 6
