"""On the compare screen, edits go to cell A unless tab selects B: the weight editor too."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.params import gate_rows
from lstm_tui.engine.variant import Variant
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.weight_editor import WeightEditor
from lstm_tui.ui.screens.compare_screen import CompareScreen
from tests.ui.factory import default_app
from tests.ui.screen_text import notes, panel_lines, panel_text
from tests.ui.test_compare import WIDE, row_numbers

# The counter at depth 2: unit 0's c is 2, so A's h is tanh(2) and B's (identity) is 2.
DEPTH_2 = 125


async def open_identity_b(pilot, app: LstmApp) -> None:
    await pilot.pause()
    assert isinstance(app.screen, CompareScreen)
    app.screen.view.t = DEPTH_2
    app.screen.redraw()
    await pilot.pause()


async def test_w_after_tab_edits_bs_weights_and_leaves_as_alone() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(activations={"cell": "identity"}))
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_identity_b(pilot, app)
        session = app.session
        a_params = session.params
        assert row_numbers(panel_lines(app, "b-cells"), "h")[0] == 2.0
        await pilot.press("tab", "w")
        await pilot.pause()
        assert isinstance(app.screen, WeightEditor)
        # The output gate's bias_ih (+20 for unit 0), zeroed: o = sigmoid(0) = 0.5 in B.
        await pilot.press("o", "end", "left", "0")
        await pilot.pause()
        assert "cell B's weights of unit 0" in app.screen.query_one("Vertical").border_title
        # What B's weight was before the edit is A's: r would set it back to that.
        row = gate_rows("o", 2).start
        assert f"bias_ih_l0[{row}]  o0 bias = 0.0 (A's 20.0)" in panel_text(app, "detail")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert session.params is a_params
        b_params = session.variant.params
        assert b_params is not None
        assert b_params.state_dict()["bias_ih_l0"][row] == 0
        assert a_params.state_dict()["bias_ih_l0"][row] == 20
        a_h = row_numbers(panel_lines(app, "a-cells"), "h")
        b_h = row_numbers(panel_lines(app, "b-cells"), "h")
        np.testing.assert_allclose(a_h[0], np.tanh(2), atol=0.005)
        assert b_h[0] == 1.0  # 0.5 · c
        assert "B  LSTM with cell=identity from edited weights" in panel_text(app, "b-title")
        assert any("1 edit(s) of B's weights" in note for note in await notes(pilot))
        # ctrl+z on the compare screen takes the edit back: B is A's weights again.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert session.variant is not None and session.variant.params is None
        assert row_numbers(panel_lines(app, "b-cells"), "h")[0] == 2.0


async def test_w_without_tab_edits_as_weights_and_b_made_from_them_follows() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(activations={"cell": "identity"}))
    async with app.run_test(size=WIDE) as pilot:
        await open_identity_b(pilot, app)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeightEditor)
        assert "cell B's" not in app.screen.query_one("Vertical").border_title
        await pilot.press("o", "end", "left", "0", "escape")
        await pilot.pause()
        session = app.session
        assert session.params.state_dict()["bias_ih_l0"][gate_rows("o", 2).start] == 0
        assert session.variant.params is None
        # Both cells have o = 0.5 now: A's h is 0.5·tanh(2), B's 0.5·2.
        np.testing.assert_allclose(
            row_numbers(panel_lines(app, "a-cells"), "h")[0], 0.5 * np.tanh(2), atol=0.005
        )
        assert row_numbers(panel_lines(app, "b-cells"), "h")[0] == 1.0


async def test_an_rnn_b_has_no_weights_to_edit_here() -> None:
    app = LstmApp(default_app().session, compare=Variant.build("rnn"))
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("tab", "w")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert any("no weights to edit here" in note for note in await notes(pilot))
