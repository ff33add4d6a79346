"""The cell diagram: the classic figure for the selected unit, live, read as painted."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_tui.engine.params import LSTMParams
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.session import Session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.text import fixed_number, short_activation
from lstm_tui.ui.widgets.cell_diagram import DIAGRAM_WIDTH, CellDiagram
from lstm_tui.ui.widgets.unit_panel import UnitPanel
from tests.ui.factory import activations_app, default_app, random_app, random_session
from tests.ui.screen_text import panel_lines, panel_text

# Rows of the figure as painted: the boxes' activation names, their values.
NAME_ROW, VALUE_ROW, BUS_ROW = 5, 6, 8
IN_A_BOX = re.compile(r"[│║]\s*([^\s│║]+)\s*[│║]")
BOX_ORDER = "figo"  # left to right, as in the classic figure


def boxes(app: LstmApp, row: int) -> dict[str, str]:
    """What each gate's box shows on ``row`` of the painted diagram, by gate letter."""
    found = IN_A_BOX.findall(panel_lines(app, "diagram")[row])
    assert len(found) == 4, found
    return dict(zip(BOX_ORDER, found, strict=True))


def labelled(app: LstmApp, label: str) -> float:
    """The number painted right after ``label`` (``c_t``, ``h_{t-1}``, ``i·g`` ...)."""
    match = re.search(re.escape(label) + r"\s+([+-]?\d+\.\d+)", panel_text(app, "diagram"))
    assert match, (label, panel_text(app, "diagram"))
    return float(match.group(1))


def assert_shows_the_engine(app: LstmApp) -> None:
    """Every value of the figure is the selected unit's at the current step, to two decimals."""
    view = app.watch_screen.view
    traj = app.session.trajectory
    t, u = view.t, view.unit
    h_prev, c_prev = traj.previous(t)
    shown = {k: float(v) for k, v in boxes(app, VALUE_ROW).items()}
    expected = {k: float(traj.vector(k)[t, u]) for k in BOX_ORDER}
    assert shown == pytest.approx(expected, abs=0.006)
    assert labelled(app, "c_{t-1}") == pytest.approx(c_prev[u], abs=0.006)
    assert labelled(app, "h_{t-1}") == pytest.approx(h_prev[u], abs=0.006)
    assert labelled(app, "c_t") == pytest.approx(traj.c[t, u], abs=0.006)
    assert labelled(app, "i·g") == pytest.approx(expected["i"] * expected["g"], abs=0.006)
    cell = short_activation(app.session.config.activation_name("cell"))
    assert labelled(app, cell) == pytest.approx(view.row("a").values[u], abs=0.006)
    # h_t's value stands under its arrow, at the end of the boxes' top row.
    h_shown = panel_lines(app, "diagram")[NAME_ROW - 1].split()[-1]
    assert float(h_shown) == pytest.approx(traj.h[t, u], abs=0.006)
    assert f"unit {u}" in panel_lines(app, "diagram")[-1]


def shown(app: LstmApp, widget_id: str) -> bool:
    widget = app.screen.query_one(f"#{widget_id}")
    return widget.display and widget.region.width > 0


@pytest.mark.parametrize("size", [(120, 40), (160, 50)])
async def test_shown_under_the_unit_panel_where_it_fits(size: tuple[int, int]) -> None:
    app = default_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert shown(app, "diagram") and shown(app, "unit")
        diagram = app.screen.query_one("#diagram")
        unit = app.screen.query_one("#unit")
        assert diagram.content_size.width >= DIAGRAM_WIDTH
        assert diagram.region.x == unit.region.x and diagram.region.y >= unit.region.bottom
        # The cell panel keeps the width it has without the diagram.
        assert app.screen.query_one("#cells").region.right == unit.region.x
        # Nothing of the figure is cut: its right column carries c_t and h_t.
        assert_shows_the_engine(app)
        # The cell panel keeps both units as bars with their numbers.
        assert app.watch_screen.view.detailed


async def test_c_shows_it_at_80x24_in_place_of_the_unit_panel_and_hides_it_again() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not shown(app, "diagram") and shown(app, "unit")
        await pilot.press("c")
        assert shown(app, "diagram") and not shown(app, "unit")
        assert app.screen.query_one("#diagram").content_size.width >= DIAGRAM_WIDTH
        assert_shows_the_engine(app)
        # The cell panel's essentials stay: every row, both units with their numbers.
        cells = panel_text(app, "cells")
        for label in ("i σ", "f σ", "g tanh", "o σ", "c", "tanh(c)", "h"):
            assert f"\n {label}" in cells
        ruler = cells.splitlines()[0]
        assert "▼0" in ruler and " 1" in ruler
        assert cells.count("1.00") >= 2
        await pilot.press("c")
        assert not shown(app, "diagram") and shown(app, "unit")


async def test_c_hides_it_where_it_is_shown_unasked() -> None:
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("c")
        assert not shown(app, "diagram") and shown(app, "unit")


async def test_values_follow_each_step_and_the_selected_unit() -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert_shows_the_engine(app)
        before = panel_text(app, "diagram")
        for key in ("right", "right", "down", "down", "left"):
            await pilot.press(key)
            assert_shows_the_engine(app)
        assert panel_text(app, "diagram") != before
        assert "unit 2" in panel_text(app, "diagram")


async def test_the_forget_box_names_the_activation_now_in_its_slot() -> None:
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert boxes(app, NAME_ROW) == {"f": "σ", "i": "σ", "g": "tanh", "o": "σ"}
        await pilot.press("2")
        assert boxes(app, NAME_ROW)["f"] == "hσ"  # the next after sigmoid: hard sigmoid
        await pilot.press("3", "3")
        assert boxes(app, NAME_ROW)["g"] == "relu"
        await pilot.press("5")
        assert "ssgn" in panel_lines(app, "diagram")[2]  # the cell activation, on the way out
        assert_shows_the_engine(app)
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        assert boxes(app, NAME_ROW) == {"f": "σ", "i": "σ", "g": "tanh", "o": "σ"}


async def test_the_gates_carry_the_classic_figure_s_numbers_1_forget_2_input_3_output() -> None:
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        bottom = panel_lines(app, "diagram")[BUS_ROW - 1].split()
        assert bottom == ["└1─┬──┘", "└2─┬──┘", "└──┬──┘", "└3─┬──┘"]
        await pilot.press("f")  # a clamped forget gate keeps its number
        assert panel_lines(app, "diagram")[BUS_ROW - 1].split()[0] == "╚1════╝"


async def test_a_clamped_gate_is_pinned_in_a_double_box_that_the_bus_does_not_feed() -> None:
    app = default_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press(*["right"] * 5)
        lines = panel_lines(app, "diagram")
        free_top, free_bus = lines[NAME_ROW - 1], lines[BUS_ROW]
        assert "╔" not in free_top and free_bus.count("┴") == 3
        await pilot.press("f")  # forget clamped to 1: never forget
        lines = panel_lines(app, "diagram")
        assert boxes(app, NAME_ROW)["f"] == "=1"
        assert boxes(app, VALUE_ROW)["f"] == "1.00"
        top = lines[NAME_ROW - 1]
        assert top.lstrip().startswith("╔f═╧══╗")
        # The bus no longer rises into the forget box, and its box has no feed.
        assert lines[BUS_ROW].count("┴") == 2
        assert "┬" not in lines[BUS_ROW - 1].split("╝")[0]
        await pilot.press("f")
        assert boxes(app, NAME_ROW)["f"] == "=0"
        assert boxes(app, VALUE_ROW)["f"] == "0.00"
        assert_shows_the_engine(app)
        await pilot.press("f")
        assert boxes(app, NAME_ROW)["f"] == "σ"
        assert panel_lines(app, "diagram")[NAME_ROW - 1] == free_top


async def test_an_edit_to_the_weights_redraws_it() -> None:
    session = random_session(hidden=4)
    app = LstmApp(session)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("right", "right")
        before = boxes(app, VALUE_ROW)
        params = session.params
        bias = params.bias_ih.copy()
        bias[1 * 4 + 0] += 5.0  # the forget gate of unit 0 opens
        session.apply(params=params.replace(bias_ih=bias))
        await pilot.pause()
        assert boxes(app, VALUE_ROW)["f"] != before["f"]
        assert_shows_the_engine(app)


@pytest.mark.parametrize(
    "token",
    ["averyveryveryverylongwordindeed", "漢字漢字漢字漢字漢字漢字", "\x1b[31mred", "a\u202eb"],
)
async def test_the_token_read_is_shown_safe_and_cut_to_the_room(token: str) -> None:
    sequence = from_tokens([token, "x"], name="odd")
    params = LSTMParams.random(2, sequence.input_size, 0)
    session = random_session()
    session = Session(
        sequence=sequence,
        params=params,
        config=session.config,
        vocab=sequence.vocab,
        model_label="odd",
        preset=None,
    )
    app = LstmApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        foot = panel_lines(app, "diagram")[-1]
        assert "\x1b" not in foot and "\u202e" not in foot
        # However long the token, the unit still ends the line where it always does.
        assert foot.endswith("unit 0")
        assert len(foot) <= DIAGRAM_WIDTH + 1


async def test_an_overflowed_cell_is_spelled_not_drawn_as_a_number_it_is_not() -> None:
    app = activations_app(forget="relu", cell="identity")
    async with app.run_test(size=(120, 40)) as pilot:
        traj = app.session.trajectory.run()
        steps, units = np.nonzero(~np.isfinite(traj.c))
        screen = app.watch_screen
        screen.view.t, screen.view.unit = int(steps[0]), int(units[0])
        screen.redraw(layout=True)
        await pilot.pause()
        c_t = panel_lines(app, "diagram")[0].split("c_t")[1].strip()
        value = float(traj.c[screen.view.t, screen.view.unit])
        assert not np.isfinite(value)
        assert c_t == fixed_number(value, 5, True).strip()
        assert not any(ch.isdigit() for ch in c_t)


async def test_a_layout_between_an_edit_and_the_redraw_finds_the_step_computed() -> None:
    """The diagram's column asks the unit panel its height on its own layout passes."""
    app = random_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right")
        params = app.session.params
        app.session.apply(params=params.with_value("weight_ih_l0", (0, 0), 3.0))
        # Before the redraw the change asked for: nothing of the new trajectory is computed.
        assert app.session.trajectory.computed == 0
        unit = app.screen.query_one("#unit", UnitPanel)
        diagram = app.screen.query_one("#diagram", CellDiagram)
        assert unit.wanted_height(57) == len(unit.lines(57))
        assert len(diagram.build(DIAGRAM_WIDTH, 10)) == 10
        await pilot.pause()
        assert_shows_the_engine(app)
