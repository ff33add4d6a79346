"""The compare screen: cell B stepping beside cell A, B − A, and what reaches the unit in each."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.hidden_params import GRUParams, RNNParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.trajectory import run
from lstm_tui.engine.variant import Variant
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.commands import COMPARE_COMMANDS
from lstm_tui.ui.dialogs.choice_list import ChoiceList
from lstm_tui.ui.screens.compare_screen import CompareScreen
from lstm_tui.ui.screens.watch_screen import WatchScreen
from lstm_tui.ui.text import number
from tests.ui.factory import default_app, random_app
from tests.ui.screen_text import notes, panel_lines, panel_text

SIZE = (80, 24)
# Wide enough that four units show as bars with their numbers on both sides.
WIDE = (160, 40)


async def open_compare(app: LstmApp, pilot, *down: str) -> CompareScreen:
    """Press z, pick the choice ``len(down)`` lines down, and return the compare screen."""
    await pilot.press("z")
    await pilot.pause()
    assert isinstance(app.screen, ChoiceList)
    await pilot.press(*down, "enter")
    await pilot.pause()
    assert isinstance(app.screen, CompareScreen)
    return app.screen


def row_numbers(lines: list[str], label: str) -> list[float]:
    """The numbers painted on the row labelled ``label`` (detailed cells; a border may lead)."""
    line = next(line.strip() for line in lines if line.strip().startswith(label))
    numbers = []
    for word in line[len(label) :].split():
        try:
            numbers.append(float(word))
        except ValueError:
            continue  # a bar, or the saturated share
    return numbers


async def test_an_rnn_b_steps_with_a_and_equals_a_separate_run() -> None:
    app = default_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_compare(app, pilot)
        await pilot.press(*["right"] * 12)
        await pilot.pause()
        session = app.session
        t = screen.view.t
        assert t == 12 and app.watch_screen.view is screen.view
        rnn = HiddenTrajectory(RNNParams.from_lstm(session.params), session.sequence.inputs).run()
        b = panel_lines(app, "b-cells")
        np.testing.assert_allclose(row_numbers(b, "h tanh"), rnn.h[t], atol=0.005)
        np.testing.assert_allclose(row_numbers(b, "z pre"), rnn.vector("z")[t], atol=0.005)
        delta = panel_lines(app, "delta")
        expected = rnn.h[t] - session.trajectory.h[t]
        np.testing.assert_allclose(row_numbers(delta, "Δh B−A"), expected, atol=0.005)
        assert not any(line.startswith(" Δc") for line in delta)  # an RNN has no c
        assert "B  RNN from A's weights" in panel_text(app, "b-title")
        assert "A  LSTM, preset counter" in panel_text(app, "a-title")


async def test_leaving_keeps_the_step_and_the_watch_screen_shows_it() -> None:
    app = default_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press("right", "right", "right", "down", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert (app.screen.view.t, app.screen.view.unit) == (3, 1)
        assert "t = 3 / 673" in panel_text(app, "header")


async def test_on_the_counter_the_lstm_carries_the_change_back_and_the_rnn_does_not() -> None:
    app = default_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_compare(app, pilot)
        await pilot.press(*["right"] * 150)
        await pilot.pause()
        a_row, b_row = panel_lines(app, "reach")[1:3]
        assert a_row.split()[:5] == ["A", "∂c", "×1.00", "×1.00", "×1.00"]
        assert b_row.split()[:5] == ["B", "∂h", "×0.00", "×0.00", "×0.00"]


async def test_another_b_is_chosen_with_z_and_a_gru_equals_a_separate_run() -> None:
    app = random_app(hidden=4)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_compare(app, pilot)
        await open_compare(app, pilot, "down")  # z on the compare screen: the GRU
        assert app.screen is screen
        await pilot.press(*["right"] * 5)
        await pilot.pause()
        assert "B  GRU from A's weights" in panel_text(app, "b-title")
        session = app.session
        gru = HiddenTrajectory(GRUParams.from_lstm(session.params), session.sequence.inputs).run()
        b = panel_lines(app, "b-cells")
        for letter in ("r", "z", "n"):
            label = f"{letter} {'σ' if letter != 'n' else 'tanh'}"
            np.testing.assert_allclose(row_numbers(b, label), gru.vector(letter)[5], atol=0.005)


async def test_an_lstm_b_shows_c_and_both_differences() -> None:
    app = random_app(hidden=4)
    async with app.run_test(size=WIDE) as pilot:
        # The third choice: the cell output as identity.
        await open_compare(app, pilot, "down", "down")
        await pilot.press(*["right"] * 6)
        await pilot.pause()
        session = app.session
        b = run(session.params, session.sequence.inputs, CellConfig.build({"cell": "identity"}))
        delta = panel_lines(app, "delta")
        np.testing.assert_allclose(
            row_numbers(delta, "Δc B−A"), b.c[6] - session.trajectory.c[6], atol=0.005
        )
        np.testing.assert_allclose(
            row_numbers(delta, "Δh B−A"), b.h[6] - session.trajectory.h[6], atol=0.005
        )
        reach = panel_lines(app, "reach")
        assert reach[2].split()[:2] == ["B", "∂c"]
        # The same differences over time for the selected unit, read 1 back (step 5).
        unit = app.screen.view.unit
        assert reach[3].split()[:3] == [
            "Δc",
            "B−A",
            number(b.c[5, unit] - session.trajectory.c[5, unit], signed=True),
        ]
        assert reach[4].split()[:3] == [
            "Δh",
            "B−A",
            number(b.h[5, unit] - session.trajectory.h[5, unit], signed=True),
        ]


async def test_b_follows_an_edit_to_a_and_its_undo() -> None:
    app = random_app(hidden=4)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_compare(app, pilot)
        await pilot.press("right", "right")
        before = panel_text(app, "b-cells")
        app.session.randomise(5)
        await pilot.pause()
        session = app.session
        rnn = HiddenTrajectory(RNNParams.from_lstm(session.params), session.sequence.inputs).run()
        np.testing.assert_allclose(
            row_numbers(panel_lines(app, "b-cells"), "h tanh"), rnn.h[2], atol=0.005
        )
        app.session.undo()
        await pilot.pause()
        assert panel_text(app, "b-cells") == before
        assert app.screen is screen


async def test_escape_in_the_choice_changes_nothing_and_the_palette_offers_compare() -> None:
    app = default_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Compare with…" in titles


class TestCompareSnapshots:
    """The counter with a plain RNN beside it, 150 steps in: the gradient that vanishes."""

    STEPS = ("z", "enter", *["right"] * 150)

    def test_counter_against_an_rnn_at_80x24(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=SIZE)

    def test_counter_against_forget_clamped_at_160x50(self, snap_compare) -> None:
        # Unit 1 forgets 10% a step in A: 10 steps back ×0.35 there, ×1.00 in B.
        press = ("z", "down", "down", "down", "enter", *["right"] * 150, "down")
        assert snap_compare(default_app(), press=press, terminal_size=(160, 50))

    def test_counter_against_an_rnn_written_out_at_160x50(self, snap_compare) -> None:
        # No figure for an RNN: its step as the arithmetic of its equation, under B.
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=(160, 50))


async def test_a_difference_below_0_is_drawn_in_shades_as_the_timeline_draws_it() -> None:
    # The counter against a plain RNN: inside brackets B's h is far below A's.
    app = LstmApp(default_app().session, compare=Variant.build("rnn"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["right"] * 125)
        await pilot.pause()
        row = next(line for line in panel_lines(app, "reach") if "Δh B−A" in line)
        _, _, one_back, ten_back, _, strip = row.split()[:6]
        # The strip ends at this step: 1 back is its last cell but one, 10 back 11 from the end.
        for shown, glyph in ((one_back, strip[-2]), (ten_back, strip[-11])):
            if float(shown) < -0.1:
                assert glyph in "░▒▓", row
            elif float(shown) > 0.1:
                assert glyph in "▁▂▃▄▅▆▇█", row
        assert float(one_back) < -0.1, row  # the case this test is about


async def test_the_app_opens_on_the_compare_screen_when_given_a_cell_b() -> None:
    app = LstmApp(default_app().session, compare=Variant.build("gru"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert "B  GRU from A's weights" in panel_text(app, "b-title")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)


async def test_edits_go_to_a_or_with_tab_to_b_and_undo_takes_back_both() -> None:
    app = random_app(hidden=4)
    async with app.run_test(size=WIDE) as pilot:
        await open_compare(app, pilot, "down", "down")  # B: the cell output as identity
        session = app.session
        await pilot.press("2")  # A's forget activation: B, made from A, follows
        await pilot.pause()
        forget = session.config.activation_name("forget")
        assert forget != "sigmoid"
        assert session.variant.config(session.config).activation_name("forget") == forget
        await pilot.press("tab", "4", "i")  # B's output activation, B's input gate clamped
        await pilot.pause()
        b_config = session.variant.config(session.config)
        assert session.config.activation_name("output") == "sigmoid"
        assert session.config.clamp("input") is None
        assert b_config.activation_name("output") != "sigmoid" and b_config.clamp("input") == 1.0
        assert "▶B  LSTM with cell=identity, output=" in panel_text(app, "b-title")
        for _ in range(2):  # B's two edits
            await pilot.press("ctrl+z")
            await pilot.pause()
        assert session.variant.config(session.config).clamp("input") is None
        assert session.config.activation_name("forget") == forget
        await pilot.press("ctrl+z")  # A's edit
        await pilot.pause()
        assert session.config.activation_name("forget") == "sigmoid"
        await pilot.press("ctrl+z")  # the choice of B itself: one cell again
        await pilot.pause()
        assert session.variant is None
        assert isinstance(app.screen, WatchScreen)


async def test_an_rnn_b_has_no_activations_to_change() -> None:
    app = default_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_compare(app, pilot)
        variant = app.session.variant
        await pilot.press("tab", "1")
        await pilot.pause()
        assert app.session.variant is variant
        assert any("no activations or clamps to change" in note for note in await notes(pilot))


def test_the_compare_screen_binds_its_table_and_has_every_action() -> None:
    bound = {(b.key, b.action) for b in CompareScreen.BINDINGS}  # type: ignore[union-attr]
    assert bound == {(c.keys, c.action) for c in COMPARE_COMMANDS}
    for command in COMPARE_COMMANDS:
        assert hasattr(CompareScreen, f"action_{command.action.split('(')[0]}"), command


async def test_a_long_description_of_b_ends_in_an_ellipsis_on_a_narrow_screen() -> None:
    variant = Variant.build(activations={"cell": "identity", "candidate": "softsign"})
    app = LstmApp(default_app().session, compare=variant)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        title = panel_text(app, "b-title")
        assert title.endswith("…") and title.startswith(" B  LSTM with cell=identity")
        assert len(title) <= SIZE[0] // 2


async def test_the_title_shows_what_is_read_as_the_unit_panel_does() -> None:
    # A newline read is ↵ there, as everywhere else, not its code point.
    app = LstmApp(default_app().session, compare=Variant.build("rnn"))
    newline = app.session.sequence.tokens.index("\n")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["right"] * newline)
        await pilot.pause()
        title = panel_text(app, "compare-title")
    assert f"t = {newline} /" in title and "read ↵ ·" in title, title
