"""`C`: the cell state in a range per unit, so one unit with a large c does not flatten the rest.

A two-unit cell built for it: unit 0 counts every token (i = f = 1, g = 1, so
c grows by one a step, to 40), unit 1 holds c = 0.5 (i = 1, f = 0, g = 0.5).
In one range for both (±50) unit 1 is drawn as `·`; in its own (±1) it is a
half block, and the legend says whose range is shown.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.params import LSTMParams
from lstm_tui.session import Session
from lstm_tui.ui.app import LstmApp
from tests.ui.factory import hand_built_session
from tests.ui.screen_text import panel_lines, panel_text

TEXT = "ab" * 20


def _two_scales_session() -> Session:
    hidden, inputs = 2, len(set(TEXT))
    # Rows in PyTorch's order: i, f, g, o, each H rows.
    g_half = float(np.arctanh(0.5))
    #               i: both open   f: unit 1 forgets   g: 1 and 0.5     o: open
    bias = np.array([20.0, 20.0, 20.0, -20.0, 20.0, g_half, 20.0, 20.0])
    params = LSTMParams.from_arrays(
        np.zeros((4 * hidden, inputs)), np.zeros((4 * hidden, hidden)), bias, np.zeros(8)
    )
    return hand_built_session(list(TEXT), "two-scales", params, "two scales")


def _c_row(app: LstmApp) -> str:
    return next(line for line in panel_lines(app, "cells") if line.startswith(" c "))


async def test_C_draws_each_unit_in_its_own_range_and_back() -> None:
    app = LstmApp(_two_scales_session())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        shared = _c_row(app)
        assert "c in ±50" in panel_text(app, "legend")
        # Unit 1's 0.5 is a hundredth of ±50: a sliver.
        assert shared.split("+40.00")[-1].split() == ["▏", "+0.50"], shared

        await pilot.press("C")
        await pilot.pause()
        own = _c_row(app)
        # Unit 0 keeps its range (±50: its own too); unit 1 fills half of its ±1.
        assert own.split("+40.00")[0] == shared.split("+40.00")[0], own
        assert own.split("+40.00")[-1].split() == ["████████▌", "+0.50"], own
        assert "per unit: u0 in ±50" in panel_text(app, "legend")
        await pilot.press("down")
        await pilot.pause()
        assert "per unit: u1 in ±1" in panel_text(app, "legend")
        # The timeline's chart of unit 1 is stated in its own range too.
        assert "  +1" in panel_lines(app, "timeline")

        await pilot.press("C")
        await pilot.pause()
        assert _c_row(app) == shared
        assert "c in ±50" in panel_text(app, "legend")


def test_a_scale_per_unit_draws_each_column_as_that_unit_alone() -> None:
    from lstm_tui.ui.scales import Scale, nice_ranges

    values = np.array([[0.4, -30.0, 0.0, 1.0], [-0.9, 12.0, 0.0, np.nan], [1.5, 55.0, 0.0, 0.5]])
    ranges = nice_ranges(values)
    # A unit that never leaves 0 gets ±1; one that is NaN somewhere the unbounded ±3,
    # as the range shared by every unit would be.
    assert ranges == (2.0, 100.0, 1.0, 3.0)
    scale = Scale(True, max(ranges), ranges)
    glyphs, styles = scale.glyphs(values), scale.style_names(values)
    for u in range(4):
        own = scale.at(u)
        assert own == Scale(True, ranges[u])
        assert glyphs[:, u].tolist() == own.glyphs(values[:, u]).tolist()
        assert styles[:, u].tolist() == own.style_names(values[:, u]).tolist()
    picked = scale.columns([2, 0])
    assert picked.glyphs(values[:, [2, 0]]).tolist() == glyphs[:, [2, 0]].tolist()
    # A shared scale is its own unit's scale.
    assert Scale(True, 3.0).at(1) == Scale(True, 3.0)
