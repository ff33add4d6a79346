"""The weight editor: every key, numbers on screen equal to the engine's, undo bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tui.engine.params import gate_rows
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.ui.dialogs.weight_editor import STEPS, WeightEditor, WeightGrid
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import default_app, random_app
from tests.ui.screen_text import notes, panel_text, widget_lines


async def open_editor(app, pilot, *keys: str) -> WeightEditor:
    await pilot.press(*keys, "w")
    await pilot.pause()
    assert isinstance(app.screen, WeightEditor)
    return app.screen


def unit_numbers(traj: Trajectory, t: int, unit: int) -> list[str]:
    """The unit panel's numbers for one step, as the engine computes them."""
    hidden = traj.params.hidden_size
    z = traj.z[t]
    out = []
    for k, letter in enumerate("ifgo"):
        act = "tanh" if letter == "g" else "sigmoid"
        out.append(f"{letter} = {act}({z[k * hidden + unit]:+.2f})")
        value = float(traj.vector(letter)[t, unit])
        out.append(f"= {value:+.2f}" if letter == "g" else f"= {value:.2f}")
    out.append(f"= {float(traj.h[t, unit]):.2f}")
    return out


async def test_an_edited_weight_changes_the_screen_as_the_engine_computes_and_undo_restores() -> (
    None
):
    app = random_app()
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.session
        original = session.params
        original_h = session.trajectory.run().h.copy()
        await pilot.press("right", "right", "right", "down", "down")
        before_text = panel_text(app, "unit")
        editor = await open_editor(app, pilot)
        assert editor.unit == 2
        await pilot.press("f", "end")  # the forget gate's b_hh of unit 2
        await pilot.press("2", ".", "7", "5", "enter")
        await pilot.pause()
        row = gate_rows("f", 8).start + 2
        assert session.params.bias_hh[row] == 2.75
        assert "bias_hh_l0[10]" in str(app.screen.query_one("#detail").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.watch_screen.view.t == 3  # the cursor stayed where it was

        expected = Trajectory(original.with_value("bias_hh", (row,), 2.75), session.sequence.inputs)
        expected.run()
        text = " ".join(panel_text(app, "unit").split())
        for piece in unit_numbers(expected, 3, 2):
            assert piece in text
        np.testing.assert_array_equal(session.trajectory.run().h, expected.h)
        assert "*" in panel_text(app, "header")

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert session.params.equals(original)
        np.testing.assert_array_equal(session.trajectory.run().h, original_h)
        assert panel_text(app, "unit") == before_text
        assert "*" not in panel_text(app, "header")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert session.params.bias_hh[row] == 2.75


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "not a number"), ("1e4", "±1,000"), ("nan", "finite"), ("-inf", "finite")],
)
async def test_bad_values_are_refused_with_a_message(typed: str, message: str) -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.session.params
        await open_editor(app, pilot)
        await pilot.press("enter")
        box = app.screen.query_one("Input")
        box.value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.params is before
        assert any(message in m and "refused" in m for m in (await notes(pilot)))
        assert app.screen.typing  # the box stays open to be corrected
        await pilot.press("escape")
        assert not app.screen.typing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)


async def test_arrows_move_over_the_grid() -> None:
    app = random_app()  # 12 tokens, 8 units, 2 biases: 22 weights
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        per_line = editor.query_one(WeightGrid).per_line(
            editor.query_one(WeightGrid).scrollable_content_region.width
        )
        await pilot.press("right", "right")
        assert editor.cursor == 2
        await pilot.press("left")
        assert editor.cursor == 1
        await pilot.press("down")
        assert per_line < 11 and editor.cursor == 1 + per_line
        await pilot.press("end")
        assert editor.current.key == "bias_hh_l0"
        await pilot.press("home")
        assert editor.cursor == 0
        await pilot.press("left")
        assert editor.cursor == 0
        await pilot.press("up")
        assert editor.cursor == 0


async def test_plus_minus_nudge_by_a_step_that_brackets_change() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        start = editor.value(editor.current)
        await pilot.press("plus")
        assert editor.value(editor.current) == pytest.approx(start + 0.1, abs=1e-15)
        await pilot.press("right_square_bracket", "minus")
        assert STEPS[editor.step] == 0.5
        assert editor.value(editor.current) == pytest.approx(start + 0.1 - 0.5, abs=1e-15)
        await pilot.press("left_square_bracket", "left_square_bracket", "plus")
        assert STEPS[editor.step] == 0.01
        assert editor.value(editor.current) == pytest.approx(start + 0.1 - 0.5 + 0.01, abs=1e-15)
        assert editor.edits == 3


async def test_a_nudge_past_the_limit_is_refused() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        editor = await open_editor(app, pilot)
        await pilot.press("enter")
        editor.query_one("Input").value = "1000"
        await pilot.press("enter", "plus")
        await pilot.pause()
        assert editor.value(editor.current) == 1000.0
        assert any("±1,000" in m for m in (await notes(pilot)))


async def test_zero_and_restore() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        await pilot.press("right")
        loaded = editor.value(editor.current)
        assert loaded != 0.0
        await pilot.press("0")
        assert editor.value(editor.current) == 0.0
        assert app.session.modified
        await pilot.press("r")
        assert editor.value(editor.current) == loaded
        assert not app.session.modified
        assert editor.edits == 2


async def test_gate_keys_and_tab_choose_the_row() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        editor = await open_editor(app, pilot)
        assert (editor.gate, editor.row) == ("i", 1)
        await pilot.press("o")
        assert (editor.gate, editor.row) == ("o", 3 * 8 + 1)
        await pilot.press("tab")
        assert editor.gate == "i"
        await pilot.press("g", "0")
        assert app.session.params.weight_ih[2 * 8 + 1, 0] == 0.0
        assert "candidate" in editor.query_one("Vertical").border_title


async def test_undo_and_redo_inside_the_editor() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        original = app.session.params
        editor = await open_editor(app, pilot)
        await pilot.press("0", "right", "0")
        await pilot.press("ctrl+z", "ctrl+z")
        assert app.session.params.equals(original)
        await pilot.press("ctrl+z")
        assert any("no weight edit to undo" in m for m in (await notes(pilot)))
        await pilot.press("ctrl+y")
        assert app.session.params.weight_ih[0, 0] == 0.0
        assert editor.edits == 2


async def test_a_large_vocabulary_scrolls_to_the_cursor() -> None:
    app = default_app()  # the counter preset reads 96 characters
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        grid = editor.query_one(WeightGrid)
        assert grid.scroll_offset.y == 0
        await pilot.press("end")
        await pilot.pause()
        assert editor.current.key == "bias_hh_l0"
        # The biases stay in view under the rows that scroll: nothing to scroll for them.
        assert grid.scroll_offset.y == 0
        await pilot.press(*["left"] * 4)  # past b_ih, h1 and h0: the last input weight
        await pilot.pause()
        assert editor.current.key == "weight_ih_l0"
        assert grid.scroll_offset.y > 0
        await pilot.press("home")
        await pilot.pause()
        assert grid.scroll_offset.y == 0


async def test_w_and_q_close_and_report_the_edits() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_editor(app, pilot)
        await pilot.press("0", "w")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert any("1 weight edit" in m for m in (await notes(pilot)))
        await open_editor(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)


async def test_enter_on_an_empty_box_cancels_quietly() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.session.params
        editor = await open_editor(app, pilot)
        await pilot.press("enter")
        assert editor.typing
        editor.query_one("Input").value = "  "
        await pilot.press("enter")
        await pilot.pause()
        assert not editor.typing
        assert app.session.params is before
        assert (await notes(pilot)) == []


async def test_undo_in_the_editor_never_reaches_changes_made_before_it() -> None:
    """b (another sample), w, ctrl+z: the sample stays; only the editor's own edits undo."""
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.session.apply(config=app.session.config.with_clamp("forget", 1.0))
        config = app.session.config
        await open_editor(app, pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.config == config
        assert any("no weight edit to undo" in m for m in (await notes(pilot)))


async def test_a_weight_past_the_limit_from_a_file_can_be_nudged_back() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.session.apply(params=app.session.params.with_value("weight_ih_l0", (0, 0), 5000.0))
        await open_editor(app, pilot)
        await pilot.press("minus")
        await pilot.pause()
        assert app.session.params.weight_ih[0, 0] == pytest.approx(4999.9)
        # Away from the limit again is refused, as for a typed value.
        await pilot.press("plus")
        await pilot.pause()
        assert app.session.params.weight_ih[0, 0] == pytest.approx(4999.9)
        assert any("within ±1,000" in m for m in (await notes(pilot)))


async def test_the_bias_under_the_cursor_is_in_view_at_80x24() -> None:
    app = default_app()  # 96 input columns: the biases are far below
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        lines = widget_lines(app, editor.query_one(WeightGrid))
        labels = next(k for k, line in enumerate(lines) if "b_ih" in line)
        assert "20.00" in lines[labels + 1]  # the counter's bias, painted under its label


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_biases_stay_in_view_wherever_the_cursor_is(size) -> None:
    app = default_app()  # 96 input columns: more rows of weights than fit
    async with app.run_test(size=size) as pilot:
        editor = await open_editor(app, pilot)
        grid = editor.query_one(WeightGrid)
        for keys in ([], ["down"] * 4, ["end", *["left"] * 4]):
            await pilot.press(*keys)
            await pilot.pause()
            lines = widget_lines(app, grid)
            labels = next(k for k, line in enumerate(lines) if "b_ih" in line)
            # The counter's input gate: b_ih -20, b_hh 0, painted under their labels.
            assert lines[labels + 1].split()[:2] == ["-20.00", "+0.00"], lines
        assert grid.scroll_offset.y > 0  # the input weights did scroll


async def test_three_nudges_of_a_tenth_make_three_tenths() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot)
        await pilot.press("0", "plus", "plus", "plus")
        await pilot.pause()
        assert editor.value(editor.current) == 0.3
        assert "= 0.3 " in str(editor.query_one("#detail").render()) + " "
