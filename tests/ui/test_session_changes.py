"""One way a change reaches the screen: every panel follows the session, whoever changed it."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem

from lstm_tui.ui.dialogs.weight_editor import WeightEditor
from lstm_tui.ui.screens.watch_screen import WatchScreen
from lstm_tui.ui.widgets.line_canvas import SCALE_CLASSES, LineCanvas
from lstm_tui.ui.widgets.weight_grid import WeightGrid
from tests.ui.factory import default_app, random_app
from tests.ui.screen_text import panel_lines, panel_text


def timeline_row(app, unit: int = 0) -> str:
    return next(line for line in panel_lines(app, "timeline") if line.startswith(f"  u{unit}"))


async def test_an_edit_in_the_weight_editor_keeps_the_timeline_history() -> None:
    """end, home, step to t=2, w, +, close: every step visited is still drawn."""
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "home", "right", "right")
        await pilot.pause()
        title = panel_lines(app, "timeline")[0]
        row = timeline_row(app)
        await pilot.press("w", "plus", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert panel_lines(app, "timeline")[0] == title
        assert len(timeline_row(app)) == len(row)


async def test_a_model_change_under_the_editor_restates_the_cell_state_range() -> None:
    """Random cell, m (counter), w, the preset undone while the editor is open: the c
    scale is the random cell's again (whatever changes the session, the screen follows)."""
    app = random_app(text="(a(b)c)((()))")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = panel_text(app, "legend")
        assert "c in ±1 " in before
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")  # the first preset: counter, three brackets deep
        await pilot.pause()
        assert "c in ±3 " in panel_text(app, "legend")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeightEditor)
        # The editor's own ctrl+z only takes back its edits; the preset is undone
        # by the session directly, as any other source of a change would.
        assert app.session.undo()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.preset is None
        assert panel_text(app, "legend") == before


async def test_an_undo_reaches_the_screen_behind_and_the_editor_alike() -> None:
    app = default_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "end")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, WeightEditor)
        live = str(editor.query_one("#live").render())
        await pilot.press("plus")
        await pilot.pause()
        assert str(editor.query_one("#live").render()) != live
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert str(editor.query_one("#live").render()) == live
        assert not app.session.modified
        await pilot.press("escape")
        await pilot.pause()
        assert "*" not in panel_text(app, "header")


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_weight_grid_colours_are_the_cell_panels(theme: str) -> None:
    """One stylesheet: a weight's colour is a value's, in every colour system."""
    app = default_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await pilot.press("w")
        await pilot.pause()
        grid = app.screen.query_one(WeightGrid)
        canvas = app.screen_stack[-2].query_one("#cells", LineCanvas)
        for name in (n for n in SCALE_CLASSES if n.startswith("scale--")):
            ours = grid.get_component_rich_style(name)
            theirs = canvas.style_for(name)
            assert (ours.color, ours.bold) == (theirs.color, theirs.bold)
        # With 16 colours small weights keep their sign's hue: blue below 0, yellow above.
        negative = grid.get_component_rich_style("scale--neg1").color
        positive = grid.get_component_rich_style("scale--pos1").color
        assert negative.downgrade(ColorSystem.STANDARD).number in {4, 12}
        assert positive.downgrade(ColorSystem.STANDARD).number in {3, 11}


async def test_a_panel_that_stops_repainting_is_seen_stale() -> None:
    """The screen helpers read what is painted, so a panel that is not redrawn shows old text."""
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("#header", LineCanvas)
        before = panel_text(app, "header")
        header.redraw = lambda: None  # type: ignore[method-assign]
        await pilot.press("right")
        await pilot.pause()
        assert app.watch_screen.view.t == 1
        assert panel_text(app, "header") == before
