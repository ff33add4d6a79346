"""The colour scales keep their hues when a terminal has only 16 colours, and follow the theme."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem

from lstm_tui.ui.widgets.line_canvas import LineCanvas
from tests.ui.factory import random_app
from tests.ui.screen_text import painted_cells

MAGENTA = {5, 13}
BLUE = {4, 12}
YELLOW = {3, 11}
GREY = {7, 8}

# Every level above "closed" of the gates keeps its magenta; the two sides of
# a diverging scale stay blue and yellow; none turns the white of plain text.
WANTED = {
    **{f"scale--seq{level}": MAGENTA for level in range(1, 5)},
    **{f"scale--neg{level}": BLUE for level in range(1, 4)},
    **{f"scale--pos{level}": YELLOW for level in range(1, 4)},
    "scale--zero": GREY,
    "scale--nonfinite": GREY,
}


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_scales_keep_their_hues_downgraded_to_16_colours(theme: str) -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        canvas = app.screen.query_one("#cells", LineCanvas)
        found = {}
        for name in WANTED:
            colour = canvas.style_for(name).color
            # What Textual sends to a 16-colour terminal (TERM=xterm).
            found[name] = colour.downgrade(ColorSystem.STANDARD).number
        assert {n: c for n, c in found.items() if c not in WANTED[n]} == {}


PANELS = ("header", "tokens", "cells", "unit", "legend", "timeline")


async def _painted(app, theme: str | None = None) -> dict[str, list]:
    async with app.run_test(size=(120, 40)) as pilot:
        if theme is not None:
            app.theme = theme
        await pilot.press("right", "right")
        await pilot.pause()
        return {panel: painted_cells(app, panel) for panel in PANELS}


@pytest.mark.parametrize(
    ("start", "switch"), [("textual-dark", "textual-light"), ("textual-light", "textual-dark")]
)
async def test_a_theme_switched_while_running_recolours_every_panel_as_a_start_in_it_paints(
    start: str, switch: str
) -> None:
    """The panels take their colours from the screen's palette: a switch reaches them all."""

    switched = random_app()
    switched.theme = start
    after_switch = await _painted(switched, switch)
    fresh = random_app()
    fresh.theme = switch
    started = await _painted(fresh)
    assert after_switch == started
