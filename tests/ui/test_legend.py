"""The legend says in words what each glyph means, whole at every size."""

from __future__ import annotations

import pytest

from tests.ui.factory import default_app
from tests.ui.screen_text import panel_lines, panel_text


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_the_legend_reads_without_the_code(size) -> None:
    app = default_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        bars = "\n".join(panel_lines(app, "legend"))
        await pilot.press("d")  # from bars with numbers to a glyph per unit
        await pilot.pause()
        lines = panel_lines(app, "legend")
    text = "\n".join(lines)
    # Bars: as long as the size, the sign in the colour (and the number beside).
    assert "i f o 0 ▌ █ ██ 1" in bars and "g -1 ██ █ · █ ██ +1" in bars
    # Glyphs: gates from 0 to 1 by height; the candidate's sign before its height.
    assert "i f o 0 · ▂ ▄ ▆ █ 1" in text
    assert "g -1 -█ -▅ · +▅ +█ +1" in text
    # The timeline has no sign glyph: shades below 0, blocks above, in words.
    assert "timeline below 0 ▓▒░ · ▂▄▆█ above 0" in text
    for mark in ("▲▼ beyond the range", "∞ inf: overflowed", "? nan: undefined"):
        assert mark in text
    assert "saturated (±0.05 of a range end) i 100%" in text
    # Nothing is cut at the panel's edge: entries that do not fit move down.
    assert all(len(line) < size[0] for line in lines)


async def test_a_row_whose_range_is_not_the_usual_says_it_beside_its_label() -> None:
    # With identity on the cell output, h's bars are lengths in ±3, not ±1:
    # without the range, h = +2.00 would draw shorter than tanh's +0.96.
    from tests.ui.factory import activations_app

    app = activations_app(cell="identity")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        cells, legend = panel_lines(app, "cells"), panel_text(app, "legend")
    labels = [line[:9].strip() for line in cells]
    assert "id(c) ±3" in labels and "h ±3" in labels
    assert "i σ" in labels and "c" in labels  # the usual ranges (c's is in the legend)
    # Identity has no end to saturate at: no share that reads like a measured 0%.
    assert "id(c) –" in legend
    id_row = next(line for line in cells if line.startswith(" id(c)"))
    assert not id_row.rstrip().endswith("%"), id_row
