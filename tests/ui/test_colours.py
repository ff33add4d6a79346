"""The colour scales keep their hues when a terminal has only 16 colours."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem

from lstm_tui.ui.widgets.line_canvas import LineCanvas
from tests.ui.factory import random_app

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
            colour = canvas.get_component_rich_style(name).color
            # What Textual sends to a 16-colour terminal (TERM=xterm).
            found[name] = colour.downgrade(ColorSystem.STANDARD).number
        assert {n: c for n, c in found.items() if c not in WANTED[n]} == {}
