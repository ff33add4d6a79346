"""Activations, clamps, whole-model changes, undo/redo and quitting with unsaved edits."""

from __future__ import annotations

import numpy as np
import pytest
from textual.command import CommandPalette

from lstm_tui.engine.activations import ACTIVATIONS
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams, gate_rows
from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.activation_picker import ActivationPicker
from lstm_tui.ui.dialogs.choice_list import ChoiceList
from lstm_tui.ui.dialogs.confirm import ConfirmScreen
from lstm_tui.ui.dialogs.text_prompt import TextPrompt
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import random_app
from tests.ui.screen_text import (
    assert_matches_engine,
    notes,
    panel_text,
    screen_lines,
    widget_lines,
)


@pytest.mark.parametrize(
    ("key", "slot"),
    [("1", "input"), ("2", "forget"), ("3", "candidate"), ("4", "output"), ("5", "cell")],
)
async def test_number_keys_cycle_a_slots_activation(key: str, slot: str) -> None:
    app = random_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("right", "right")
        names = list(ACTIVATIONS)
        start = app.session.config.activation_name(slot)
        await pilot.press(key)
        await pilot.pause()
        now = app.session.config.activation_name(slot)
        assert now == names[(names.index(start) + 1) % len(names)]
        assert f" {now} " in panel_text(app, "header")  # wide: every slot named
        assert app.watch_screen.view.t == 2
        assert_matches_engine(app)
        await pilot.press(*[key] * (len(names) - 1))
        assert app.session.config.activation_name(slot) == start


async def test_the_unit_panel_uses_the_chosen_names() -> None:
    app = random_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1", "5")  # input: hard_sigmoid, cell: softsign
        await pilot.pause()
        text = panel_text(app, "unit")
        assert "i = hard_sigmoid(" in text
        assert "h = o·softsign(c)" in text


async def test_the_picker_sets_activations_and_escape_cancels() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ActivationPicker)
        await pilot.press("down", "right", "right", "escape")
        await pilot.pause()
        assert app.session.config == CellConfig()
        await pilot.press("p", "down", "right", "right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.session.config.activation_name("forget") == "tanh"
        assert_matches_engine(app)
        await pilot.press("p", "a", "enter")
        await pilot.pause()
        assert app.session.config == CellConfig()


async def test_the_pickers_note_names_the_standard_activation_of_the_slot_apart() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # The candidate slot with sigmoid chosen: the note must not read as if that were standard.
        await pilot.press("p", "down", "down", "left", "left")
        await pilot.pause()
        assert isinstance(app.screen, ActivationPicker)
        lines = [line.strip() for line in widget_lines(app, app.screen.query_one("#grid"))]
        chosen = next(line for line in lines if line.startswith("candidate: sigmoid ="))
        assert "standard" not in chosen
        note = "* marks the standard LSTM's choice in each row (candidate: tanh)"
        assert note in lines


@pytest.mark.parametrize(
    ("key", "gate", "one", "zero"),
    [
        ("i", "input", "always write", "never write"),
        ("f", "forget", "never forget", "always forget"),
        ("o", "output", "always show", "never show"),
    ],
)
async def test_clamp_keys_go_one_zero_free(key: str, gate: str, one: str, zero: str) -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert app.session.config.clamp(gate) == 1.0
        assert any(one in m for m in (await notes(pilot)))
        assert f"{key} =1" in panel_text(app, "cells")  # shown on the gate's own row
        np.testing.assert_array_equal(app.session.trajectory.run().vector(key), 1.0)
        await pilot.press(key)
        await pilot.pause()
        assert app.session.config.clamp(gate) == 0.0
        assert any(zero in m for m in (await notes(pilot)))
        assert f"{key} =0" in panel_text(app, "cells")
        assert_matches_engine(app)
        await pilot.press(key)
        assert app.session.config.clamp(gate) is None
        assert not app.session.modified


async def test_a_clamp_from_the_command_line_is_freed_by_its_key() -> None:
    app = LstmApp(open_session(clamps={"forget": 0.9}))  # --clamp forget=0.9
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert app.session.config.clamp("forget") is None
        assert "clamp" not in panel_text(app, "header")


async def test_a_resets_activations_and_clamps() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f", "3", "5")
        assert not app.session.config.is_standard
        await pilot.press("a")
        await pilot.pause()
        assert app.session.config == CellConfig()
        await pilot.press("a")
        assert any("already the standard" in m for m in (await notes(pilot)))
        await pilot.press("ctrl+z")
        assert app.session.config.clamp("forget") == 1.0
        assert app.session.config.activation_name("cell") != "tanh"


async def test_undo_redo_cover_weights_activations_and_clamps() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        session = app.session
        h = session.trajectory.run().h.copy()
        await pilot.press("r", "2", "o")
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z")
        await pilot.pause()
        np.testing.assert_array_equal(session.trajectory.run().h, h)
        await pilot.press("ctrl+z")
        assert any("nothing to undo" in m for m in (await notes(pilot)))
        await pilot.press("ctrl+y", "ctrl+y", "ctrl+y")
        assert session.config.clamp("output") == 1.0
        assert session.model_label == "random H=8 seed=1"
        await pilot.press("ctrl+y")
        assert any("nothing to redo" in m for m in (await notes(pilot)))


async def test_r_rerandomises_with_the_next_seed() -> None:
    app = random_app(seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "r")
        await pilot.pause()
        session = app.session
        assert session.params.equals(LSTMParams.random(8, session.params.input_size, 5))
        assert "seed=5" in panel_text(app, "header")
        assert app.watch_screen.view.t == 1
        assert not session.modified  # reproducible weights, nothing to lose


async def test_m_switches_preset() -> None:
    app = random_app(text="(a(b)c)")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "m")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("enter")  # the first preset: counter
        await pilot.pause()
        assert app.session.preset == "counter"
        assert "preset counter" in panel_text(app, "header")
        assert app.watch_screen.view.t == 2
        assert_matches_engine(app)
        await pilot.press("m", "escape")
        assert app.session.preset == "counter"
        await pilot.press("ctrl+z")
        assert app.session.preset is None


# Keys that put another model in place: "enter" picks the first item of a list.
REPLACEMENTS = [("r",), ("m", "enter"), ("b", "enter")]


@pytest.mark.parametrize("keys", REPLACEMENTS, ids=["seed", "preset", "sample"])
async def test_replacing_an_edited_model_asks_first_and_no_keeps_it(keys: tuple[str, ...]) -> None:
    app = random_app(text="(a(b)c)")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", *keys)  # clamp f: an unsaved edit
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Replace it with" in str(app.screen.query_one("#question").render())
        edited = (app.session.params, app.session.config)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert (app.session.params, app.session.config) == edited
        assert app.session.modified


@pytest.mark.parametrize("keys", REPLACEMENTS, ids=["seed", "preset", "sample"])
async def test_replacing_an_edited_model_goes_ahead_on_yes(keys: tuple[str, ...]) -> None:
    app = random_app(text="(a(b)c)")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "0", "escape")  # a weight edit: replaced with the weights
        await pilot.pause()
        await pilot.press(*keys, "y")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.session.model_label != "random H=8 seed=0"
        assert not app.session.modified


async def test_an_activation_edit_outlives_new_weights_and_still_counts_as_unsaved() -> None:
    """2, then r (new weights) and y: the edited forget activation stays, and q asks."""
    app = random_app(text="(a(b)c)")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "r", "y")
        await pilot.pause()
        assert app.session.model_label == "random H=8 seed=1"
        assert app.session.config.activation_name("forget") != "sigmoid"
        assert app.session.modified and "*" in panel_text(app, "header")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_an_unedited_model_is_replaced_without_a_question() -> None:
    app = random_app(text="(a(b)c)")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.session.preset == "counter"


async def test_a_preset_that_does_not_fit_is_refused() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.session.params
        app.watch_screen._switch_preset("sine")  # reads numbers, not characters
        app.watch_screen._switch_preset("counter")  # the text holds a tab
        await pilot.pause()
        assert app.session.params is before
        assert any("numeric" in m for m in (await notes(pilot)))
        assert any("'\\t'" in m for m in (await notes(pilot)))


async def test_x_scales_a_gate() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = app.session.params
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"f 2", "enter")
        await pilot.pause()
        rows = gate_rows("f", 8)
        np.testing.assert_array_equal(
            app.session.params.weight_hh[rows], before.weight_hh[rows] * 2
        )
        assert_matches_engine(app)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("q abc", "a gate (i f g o) and a factor"),
        ("f abc", "not a number: 'abc'"),
        ("f", "a gate (i f g o) and a factor"),
        ("f inf", "finite number"),
    ],
)
async def test_a_refused_scale_keeps_the_dialog_open_with_the_reason(typed, said) -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = (app.session.params, app.session.config)
        await pilot.press("x", *typed, "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert said in " ".join(" ".join(screen_lines(app)).split())
        # The next keys go on into the box: "q" does not quit, "f" clamps nothing.
        await pilot.press("ctrl+u", *"q f", "enter")
        await pilot.pause()
        assert app.screen is prompt and app.is_running
        assert (app.session.params, app.session.config) == before
        await pilot.press("ctrl+u", *"f 2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        assert app.session.params is not before[0]


async def test_quitting_with_unsaved_edits_asks_first() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_value == 0


async def test_ctrl_q_asks_too() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)


async def test_the_palette_offers_the_editing_actions() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Clamp forget")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.config.clamp("forget") == 1.0


async def test_help_lists_every_key_of_both_tables_and_scrolls_to_them() -> None:
    from textual.containers import VerticalScroll

    from lstm_tui.ui.commands import EDITOR_COMMANDS, WATCH_COMMANDS
    from lstm_tui.ui.screens.help_screen import HelpScreen, help_text

    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = help_text().plain.splitlines()
        for command in (*WATCH_COMMANDS, *EDITOR_COMMANDS):
            if command.listed:
                assert any(
                    line.startswith(command.shown_keys + " ") and command.help in line
                    for line in lines
                ), command
        # The weight editor's keys that were once in no help at all.
        for keys in ("tab", "pgup", "pgdn", "home", "end"):
            assert any(
                line.startswith(keys + " ")
                for line in lines[lines.index("in the weight editor (w)") :]
            )
        box = app.screen.query_one(VerticalScroll)
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y > 0
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, WatchScreen)
