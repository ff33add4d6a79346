"""The timeline's ∂c vector: how much of a change at each earlier step reaches the selected c."""

from __future__ import annotations

import numpy as np
import pytest

import lstm_tui.ui.view as view_module
import lstm_tui.ui.widgets.timeline as timeline_module
from lstm_tui.engine.gradients import gradients
from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.screens.help_screen import READING
from lstm_tui.ui.text import number
from lstm_tui.ui.view import CELL_PATH, GRADIENT, VECTOR_NAMES
from tests.ui.factory import default_app, random_app
from tests.ui.screen_text import panel_lines

STEP = 200


async def show_gradient(
    app: LstmApp, pilot, unit: int, step: int = STEP, vector: str = GRADIENT
) -> list[str]:
    """Go to ``step``, select ``unit``, cycle the timeline to ``vector``; the timeline's lines."""
    screen = app.watch_screen
    await pilot.press("end", "home")
    screen.view.t = step
    screen.view.unit = unit
    while screen.view.vector != vector:
        await pilot.press("v")
    screen.redraw(layout=True)
    await pilot.pause()
    return panel_lines(app, "timeline")


def unit_row(lines: list[str], unit: int) -> str:
    """The glyphs of one unit's row of the timeline (label cut off)."""
    row = next(line for line in lines[2:] if line[:5].strip().rstrip("▶") == f"u{unit}")
    return row[6:]


async def test_a_forget_gate_at_one_carries_the_change_back_unchanged() -> None:
    app = default_app()  # the counter: unit 0 never forgets
    async with app.run_test(size=(120, 30)) as pilot:
        lines = await show_gradient(app, pilot, unit=0)
    assert "1 back ×1.00 · 10 back ×1.00 · 100 back ×1.00" in lines[0]
    # Every step shown, back from the cursor, is a full block: nothing lost.
    assert set(unit_row(lines, 0)) == {"█"}
    # The other unit has no path into unit 0 (no recurrent weights).
    assert set(unit_row(lines, 1)) == {"·"}


async def test_a_forget_gate_at_0_9_forgets_geometrically() -> None:
    app = default_app()  # the counter's unit 1 has f = 0.9
    async with app.run_test(size=(120, 30)) as pilot:
        lines = await show_gradient(app, pilot, unit=1)
    assert "1 back ×0.90 · 10 back ×0.35 · 100 back ×0.00" in lines[0]
    glyphs = unit_row(lines, 1).rstrip()
    # Tallest at the cursor, shrinking step by step into dots further back.
    assert glyphs[-1] == "█"
    assert glyphs[-8] in "▄▅" and glyphs[-30] == "·"


async def test_clamping_the_forget_gate_to_one_makes_it_flat() -> None:
    app = LstmApp(open_session(clamps={"forget": 1.0}))
    async with app.run_test(size=(120, 30)) as pilot:
        lines = await show_gradient(app, pilot, unit=1)
    assert "1 back ×1.00 · 10 back ×1.00 · 100 back ×1.00" in lines[0]
    assert set(unit_row(lines, 1)) == {"█"}


async def test_the_cell_path_and_the_full_gradient_are_shown_apart_and_labelled() -> None:
    # Random weights: W_hh is not zero, so the full gradient is not the product of f.
    app = random_app(hidden=8)
    async with app.run_test(size=(120, 30)) as pilot:
        path_lines = await show_gradient(app, pilot, unit=3, step=12, vector=CELL_PATH)
        view = app.watch_screen.view
        f = view.session.trajectory.f[:13, 3]
        path = view.cell_path()[:, 3]
        full_lines = await show_gradient(app, pilot, unit=3, step=12, vector=GRADIENT)
        full = view.gradient()
    assert full is not None
    # The cell path is the product of f: one step back it is f at this step.
    np.testing.assert_allclose(path[11], f[12])
    np.testing.assert_allclose(path[2], np.prod(f[3:13]))
    assert "∂c cell path" in path_lines[0]
    assert f"1 back ×{number(float(f[12]))}" in path_lines[0]
    assert path_lines[1].startswith(" ∏f")
    # The full gradient is labelled as such, with its own figure.
    assert "∂c full" in full_lines[0] and "h" in full_lines[0]
    assert f"1 back ×{number(float(full[11, 3]))}" in full_lines[0]
    assert number(float(full[11, 3])) != number(float(f[12]))
    # The help says what each one is.
    assert "∂c cell path is the cell path alone, the product of f" in READING
    assert "∂c full is the whole gradient, through h and W_hh" in READING
    assert VECTOR_NAMES[CELL_PATH] == "∂c cell path" and VECTOR_NAMES[GRADIENT] == "∂c full"


async def test_the_values_are_the_engines_gradient() -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=(100, 30)) as pilot:
        await show_gradient(app, pilot, unit=3, step=12)
        view = app.watch_screen.view
        shown = view.gradient()
        expected = gradients(view.session.trajectory, "c", 3, 12).dc
    assert shown is not None
    np.testing.assert_array_equal(shown, expected)


async def test_the_gradient_is_computed_only_when_shown_and_once_per_step(monkeypatch) -> None:
    calls: list[tuple[int, int]] = []
    real = view_module.gradients

    def counting(traj, vector, unit, step):
        calls.append((unit, step))
        return real(traj, vector, unit, step)

    monkeypatch.setattr(view_module, "gradients", counting)
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "right", "down")
        assert calls == []
        while app.watch_screen.view.vector != GRADIENT:
            await pilot.press("v")
        await pilot.press("d", "d")  # redraws without a new step or unit
        assert calls == [(1, 3)]
        await pilot.press("right", "down")
        assert calls == [(1, 3), (1, 4), (2, 4)]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_a_long_backward_pass_runs_in_a_worker(monkeypatch, size) -> None:
    monkeypatch.setattr(timeline_module, "GRADIENT_INLINE_SECONDS", -1.0)
    app = default_app()
    async with app.run_test(size=size) as pilot:
        app.watch_screen.view.t = 50
        while app.watch_screen.view.vector != GRADIENT:
            await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = panel_lines(app, "timeline")
        view = app.watch_screen.view
        expected = gradients(view.session.trajectory, "c", view.unit, 50).dc
        np.testing.assert_array_equal(view.gradient(), expected)
    assert "computing" not in lines[0]
    assert set(unit_row(lines, 0)) == {"█"}
