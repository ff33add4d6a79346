"""The training view: the cell trained on the sequence while the screen shows it learning."""

from __future__ import annotations

import re
import time

import numpy as np
from textual.pilot import Pilot

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.training import TrainingSettings
from lstm_tui.engine.trajectory import run
from lstm_tui.session import Session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.commands import TRAIN_COMMANDS
from lstm_tui.ui.screens.compare_screen import CompareScreen
from lstm_tui.ui.screens.train_screen import TrainScreen, trainer_for
from lstm_tui.ui.screens.watch_screen import WatchScreen
from lstm_tui.ui.view import View
from tests.ui.factory import kiosk_app, random_app, random_session
from tests.ui.screen_text import notes, panel_lines, panel_text
from tests.ui.test_keys import palette_run

SIZE = (80, 24)
# Long enough for several chunks of 25 steps.
TEXT = "((ab)(c(d)e))f(g(h)) ((i)j) (k(l(m)))n " * 3


async def until(pilot: Pilot, condition, what: str, limit: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds (the worker is a thread of its own)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {limit} s"
        await pilot.pause(0.02)


def status(app: LstmApp) -> str:
    return panel_text(app, "train-status")


def painted_step(app: LstmApp) -> int:
    found = re.search(r"step ([\d,]+)", status(app))
    return int(found.group(1).replace(",", "")) if found else -1


async def open_training(app: LstmApp, pilot: Pilot, limit: int) -> TrainScreen:
    """The training view, as T opens it, with a run that pauses after ``limit`` steps."""
    watch = app.watch_screen
    screen = TrainScreen(watch.view, trainer_for(app.session), limit=limit)
    await app.push_screen(screen)
    await until(pilot, lambda: f"step {limit:,}" in status(app), f"step {limit} painted")
    await until(pilot, lambda: "paused: step limit" in status(app), "paused at the limit")
    return screen


async def stop_training(app: LstmApp, pilot: Pilot) -> None:
    """Esc: the training stops and the watch screen is back."""
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, WatchScreen), "back on the watch screen")


async def test_t_opens_the_view_and_the_step_counter_advances() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TrainScreen)
        assert "train H=8" in status(app) and "brackets-text" in status(app)
        await until(pilot, lambda: painted_step(app) > 0, "a step painted")
        first = painted_step(app)
        await until(pilot, lambda: painted_step(app) > first, "the counter moving on")
        assert "adam lr 0.01" in status(app)
        await until(pilot, lambda: "steps/s" in status(app), "the steps per second")
        app.screen.run.pause()


async def test_the_cell_s_panels_show_the_weights_as_they_are_now() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=(120, 40)) as pilot:
        before = panel_lines(app, "cells")
        screen = await open_training(app, pilot, 30)
        await pilot.press("right", "right")
        await pilot.pause()
        session = app.session
        now = run(screen.run.trainer.model().layers[0], session.sequence.inputs[:3], session.config)
        unit = panel_text(app, "train-unit")
        for letter in "ifo":
            assert f"{letter} = sigmoid(" in unit
            assert f") = {getattr(now, letter)[2, 0]:.2f}" in unit
        assert f"c_t {now.c[2, 0]:+.2f}" in panel_text(app, "train-diagram")
        # The session's own cell is untouched: its panel still shows the weights it had.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WatchScreen), "back")
        await pilot.press("ctrl+z", "left", "left")
        await pilot.pause()
        assert panel_lines(app, "cells") == before


async def test_the_palette_opens_the_view() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        await palette_run(pilot, "Train on this sequence")
        await until(pilot, lambda: isinstance(app.screen, TrainScreen), "the training view")
        app.screen.run.pause()


async def test_the_loss_curve_paints_the_losses_of_the_steps_made() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        await open_training(app, pilot, 12)
        # The same training, run here: its losses are what the chart says.
        trainer = trainer_for(app.session)
        losses = [trainer.step() for _ in range(12)]
        chart = panel_lines(app, "train-chart")
        assert f"loss now {losses[-1]:.3f} (first {losses[0]:.3f})" in chart[0]
        # Twelve steps, one column each, the bars as tall as the losses.
        bars = [line[8:20] for line in chart[1:-6]]
        heights = [sum(row[x] != " " for row in bars) for x in range(12)]
        assert heights[0] >= heights[-1] > 0
        assert "step 0" in chart[len(bars) + 1] and "12" in chart[len(bars) + 1]


async def test_space_pauses_and_goes_on() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(app, pilot, 10)
        screen.run.limit = None
        await pilot.press("space")
        await until(pilot, lambda: painted_step(app) > 10, "going on after space")
        assert "training" in status(app)
        await pilot.press("space")
        await until(pilot, lambda: "paused (space: go on)" in status(app), "paused")
        await until(pilot, lambda: painted_step(app) == screen.run.trainer.steps, "caught up")
        made = screen.run.trainer.steps
        for _ in range(5):
            await pilot.pause(0.05)
        assert screen.run.trainer.steps == made == painted_step(app)


async def test_scrubbing_shows_the_cell_as_a_snapshot_had_it() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_training(app, pilot, 40)
        await pilot.press("right", "right", "right")
        await pilot.pause()
        now = panel_lines(app, "train-cells")
        await pilot.press(*["left_square_bracket"] * 3)
        await pilot.pause()
        step, model = screen.shown_model()
        assert 0 < step < 40
        assert f"looking at step {step}" in status(app)
        then = panel_lines(app, "train-cells")
        assert then != now
        # The unit panel's gate is the snapshot's, at this step of the sequence.
        session = app.session
        gates = run(model.layers[0], session.sequence.inputs[:4], session.config)
        unit = panel_text(app, "train-unit")
        assert f"= {gates.i[3, 0]:.2f}" in unit
        await pilot.press(*["right_square_bracket"] * 10)
        await pilot.pause()
        assert screen.scrub is None
        assert panel_lines(app, "train-cells") == now


async def test_stopping_keeps_the_trained_model_and_ctrl_z_brings_back_the_old_one() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        before = app.session.params
        label = app.session.model_label
        screen = await open_training(app, pilot, 15)
        trained = screen.run.trainer.model()
        await stop_training(app, pilot)
        session = app.session
        assert session.model_label == f"trained 15 steps from {label}"
        assert session.params.equals(trained.layers[0])
        assert session.model.head_weight is not None and session.modified
        assert "trained 15 steps" in panel_text(app, "header")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.params is before and app.session.model_label == label
        assert app.session.model.head_weight is None


async def test_stopping_on_a_snapshot_keeps_that_snapshot() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(app, pilot, 20)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        step, model = screen.shown_model()
        await stop_training(app, pilot)
        assert app.session.params.equals(model.layers[0])
        assert app.session.model_label.startswith(f"trained {step} steps")


async def test_the_learning_rate_keys_change_what_the_next_steps_use() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_training(app, pilot, 5)
        await pilot.press("plus")
        await pilot.pause()
        assert "adam lr 0.02" in status(app)
        screen.run.limit = 6
        await pilot.press("space")
        await until(pilot, lambda: painted_step(app) == 6, "one more step")
        assert screen.run.trainer.settings.lr == 0.02
        await pilot.press("minus", "minus")
        await pilot.pause()
        assert "adam lr 0.005" in status(app)


async def test_a_step_that_overflows_pauses_with_the_weights_from_before_it() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # With this rate the first update is so large that the second step overflows.
        settings = TrainingSettings("sgd", 1e308, 25, 0.0)
        trainer = trainer_for(app.session, settings)
        screen = TrainScreen(app.watch_screen.view, trainer)
        await app.push_screen(screen)
        await until(pilot, lambda: "overflowed" in status(app), "paused by the overflow")
        said = await notes(pilot)
        assert any("step 2" in line and "from before it" in line for line in said)
        assert painted_step(app) == 1 and not screen.run.running
        once = trainer_for(app.session, settings)
        once.step()
        assert trainer.model().layers[0].equals(once.model().layers[0])


async def test_a_new_model_from_the_palette_ends_the_training_and_keeps_nothing() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_training(app, pilot, 5)
        await palette_run(pilot, "New random weights")
        await until(pilot, lambda: isinstance(app.screen, WatchScreen), "back on the watch screen")
        said = await notes(pilot)
        assert any("training stopped, nothing of it kept" in line for line in said)
        assert not app.session.model_label.startswith("trained")


async def test_a_stack_of_layers_is_refused_with_one_message() -> None:
    session = random_session(TEXT)
    first = session.params
    second = LSTMParams.random(4, first.hidden_size, 1)
    stacked = Session(
        session.sequence,
        second,
        CellConfig(),
        session.vocab,
        "two layers",
        model=Model.build((first, second)),
    )
    app = LstmApp(stacked)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("T")
        said = await notes(pilot)
        assert isinstance(app.screen, WatchScreen)
        assert len(said) == 1 and "cannot train this model" in said[0]
        assert "2 layers" in said[0]


async def test_a_sequence_of_one_step_is_refused() -> None:
    app = random_app("(")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("T")
        said = await notes(pilot)
        assert isinstance(app.screen, WatchScreen)
        assert said and "at least 2 steps" in said[0]


async def test_training_is_refused_from_the_compare_screen() -> None:
    app = random_app(TEXT)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("z", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        # As the palette runs it: the watch screen's action, with another screen on top.
        await app.watch_screen.run_action("train")
        said = await notes(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert any("one-cell screen" in line for line in said)


async def test_kiosk_mode_trains_it_writes_no_file() -> None:
    app = kiosk_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TrainScreen)
        app.screen.run.pause()


def test_the_screen_binds_exactly_the_train_table() -> None:
    bound = {(b.key, b.action) for b in TrainScreen.BINDINGS}  # type: ignore[union-attr]
    assert bound == {(c.keys, c.action) for c in TRAIN_COMMANDS}


def test_a_chapter_trained_preview_is_its_own_session() -> None:
    """The preview a training screen draws never touches the session's history."""
    session = random_session(TEXT)
    screen = TrainScreen(View(session), trainer_for(session), limit=1)
    preview = screen.view.session
    assert preview is not session and not session.can_undo
    np.testing.assert_array_equal(preview.params.weight_ih, session.params.weight_ih)
