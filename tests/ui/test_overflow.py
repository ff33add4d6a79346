"""Huge, infinite and undefined values: one spelling each, named in the legend.

``--act forget=relu`` on the counter: unit 0's f is 20 and its c overflows to
inf; unit 1's f is 2.2 and its c grows 2.2-fold a step, huge but finite.
"""

from __future__ import annotations

import math

import numpy as np

from lstm_tui.ui.view import CELL_PATH, GRADIENT
from tests.ui.factory import activations_app
from tests.ui.screen_text import panel_lines, panel_text

# Unit 1's c is about 2.2 ** t: finite and far beyond any range by then.
STEP = 600


async def _at(app, pilot, vector: str, unit: int = 0) -> list[str]:
    view = app.watch_screen.view
    view.t, view.unit, view.vector, view.detailed = STEP, unit, vector, True
    app.watch_screen.redraw(layout=True)
    await pilot.pause()
    return panel_lines(app, "timeline")


async def test_huge_infinite_and_overflowed_gradients_are_each_spelled_one_way() -> None:
    app = activations_app(forget="relu")
    async with app.run_test(size=(120, 40)) as pilot:
        full = await _at(app, pilot, GRADIENT)
        path = await _at(app, pilot, CELL_PATH, unit=1)
        view = app.watch_screen.view
        c = view.session.trajectory.c[STEP]
        cells = panel_text(app, "cells")
        legend = panel_text(app, "legend")
    assert math.isinf(c[0]) and math.isfinite(c[1]) and abs(c[1]) > 1e90
    c_row = next(line for line in cells.splitlines() if line.startswith(" c "))
    # The finite value is written as a number, the infinite one as inf: ∞ marks only inf.
    assert f"{c[1]:.0e}".replace("e+", "e") in c_row
    assert "+inf" in c_row
    assert c_row.count("∞") == 1  # the infinite unit's mark; never beside a finite number
    # The full gradient overflowed: it says so, in words and with ∞, never as nan or ?.
    assert "1 back ×overflowed" in full[0]
    assert "nan" not in full[0]
    assert not any("?" in line for line in full[1:])
    assert "∞" in "".join(full[2:])
    # The cell path alone still shows unit 1's real growth: 2.2 a step.
    assert "1 back ×2.20" in path[0] and "overflowed" not in path[0]
    np.testing.assert_allclose(view.cell_path()[STEP - 1, 1], 2.2, rtol=1e-2)
    # Each kind of too much is named in the legend.
    assert "▲▼ beyond the range" in legend
    assert "∞ inf: overflowed" in legend
    assert "? nan: undefined" in legend
