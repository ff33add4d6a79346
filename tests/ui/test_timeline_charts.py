"""With room to spare the timeline draws units as bar charts; with many units, one row each."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_tui.ui.scales import Scale
from lstm_tui.ui.widgets.timeline import Block, Timeline, chart_rows
from tests.ui.factory import default_app, random_app
from tests.ui.screen_text import panel_lines

SIGNED = Scale(True, 1.0)
GATE = Scale(False, 1.0)


def glyphs(rows: list[list[tuple[str, str]]], step: int) -> list[tuple[str, str]]:
    """One step's column of a chart, top to bottom."""
    return [row[step] if step < len(row) else (" ", "") for row in rows]


def test_positive_bars_rise_and_negative_bars_hang_from_the_middle() -> None:
    chart = chart_rows([1.0, 0.3, -0.5, -0.3, 0.0], SIGNED, 4)
    assert (chart.baseline, chart.bottom) == (1, 3)
    chars = [[ch for ch, _ in glyphs(chart.rows, k)] for k in range(5)]
    assert chars[0] == ["█", "█", " ", " "]  # +1: both rows above the middle
    assert chars[1] == [" ", "▅", " ", " "]  # +0.3: 5 of 16 eighths
    assert chars[2] == [" ", " ", "█", " "]  # -0.5: the first row below, full
    # -0.3: five eighths hanging from the middle line: the upper half block, drawn
    # as it is (no reverse video, which reads as a full block in plain text).
    assert glyphs(chart.rows, 3)[2] == ("▀", SIGNED.style_name(-0.3))
    assert chars[4] == [" ", "·", " ", " "]  # about zero: a dot on the middle line


# How much of a cell each glyph of a bar fills, read as plain text.
FILLED = {"█": 8, "▀": 4, "▔": 1, " ": 0, "·": 0}


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1.0, max_value=-0.01), st.integers(min_value=2, max_value=16))
def test_a_bar_below_0_reads_as_long_as_it_is_in_plain_text(value: float, rows: int) -> None:
    chart = chart_rows([value], SIGNED, rows)
    below = glyphs(chart.rows, 0)[chart.baseline + 1 : chart.bottom + 1]
    assert all(style.split() == [SIGNED.style_name(value)] for ch, style in below if ch != " ")
    eighths = sum(FILLED[ch] for ch, _ in below)
    down = rows // 2
    # Upper eighth and half blocks only: within three eighths of a row of the value.
    assert abs(eighths - abs(value) * down * 8) <= 3.5


def test_values_beyond_the_range_end_in_a_mark() -> None:
    chart = chart_rows([2.5, -4.0], SIGNED, 2)
    assert glyphs(chart.rows, 0)[0][0] == "▲"
    assert glyphs(chart.rows, 1)[-1][0] == "▼"


def test_gates_rise_from_the_bottom_over_every_row() -> None:
    chart = chart_rows([1.0, 0.5, 0.0], GATE, 3)
    assert [ch for ch, _ in glyphs(chart.rows, 0)] == ["█", "█", "█"]
    assert [ch for ch, _ in glyphs(chart.rows, 1)] == [" ", "▄", "█"]
    assert chart.baseline == 2  # the unit's number sits at the bottom


async def test_the_counter_at_160x50_is_drawn_as_charts_with_the_gates_under_them() -> None:
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("end", "home")
        timeline = app.screen.query_one(Timeline)
        layout = timeline.unit_layout(timeline.size.height - 2)
        lines = panel_lines(app, "timeline")
    charts = [block for block in layout if not block.gate]
    assert [block.unit for block in charts] == [0, 1]
    assert all(block.rows >= 8 for block in charts)
    assert [block.gate for block in layout if block.gate] == list("ifgo")
    labels = [line[:6].strip() for line in lines]
    assert labels.count("+10") == 2 and labels.count("-10") == 2
    assert {"i", "f", "g", "o", "u0▶", "u1"} <= set(labels)


async def test_only_the_selected_unit_is_a_chart_when_room_is_short() -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "down")
        timeline = app.screen.query_one(Timeline)
        layout = timeline.unit_layout(timeline.size.height - 2)
    assert [b.rows > 1 for b in layout] == [unit == 2 for unit in range(8)]


async def test_many_units_keep_one_row_each() -> None:
    app = random_app(hidden=64)
    async with app.run_test(size=(160, 50)):
        timeline = app.screen.query_one(Timeline)
        layout = timeline.unit_layout(timeline.size.height - 2)
    assert layout == [Block(unit, 1) for unit in range(len(layout))]


def test_the_timeline_draws_many_values_exactly_as_one_at_a_time() -> None:
    """The block drawing gives each value the glyph and colour the one-value rules give it."""
    from lstm_tui.ui.scales import Scale
    from lstm_tui.ui.widgets.timeline import heat_rows

    def timeline_glyph(scale: Scale, value: float) -> str:
        # The rule for one value: its scale's glyph, or a shade by magnitude below 0.
        glyph = scale.glyph(value)
        if not scale.diverging or value >= 0 or glyph in ("·", "▼", "?", "∞"):
            return glyph
        fraction = scale.fraction(value)
        return "░▒▓"[0 if fraction < 0.5 else 1 if fraction < 0.95 else 2]

    grid = np.concatenate(
        [np.linspace(-3.2, 3.2, 257), [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-12, -1e-12]]
    )
    for scale in (Scale(True, 1.0), Scale(True, 3.0), Scale(False, 1.0), Scale(False, 3.0)):
        (row,) = heat_rows(grid[:, None], scale)
        expected = [(timeline_glyph(scale, v), scale.style_name(v)) for v in grid.tolist()]
        assert row == expected
        assert scale.glyphs(grid).tolist() == [scale.glyph(v) for v in grid.tolist()]
