"""The compare screen where there is room: each cell's diagram under it, and B − A for
every unit over the steps, as a timeline."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.variant import Variant
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.glyphs import ZERO_GLYPH
from lstm_tui.ui.screens.compare_screen import CompareScreen
from lstm_tui.ui.text import number
from tests.test_lessons import builtin_lesson
from tests.ui.factory import default_app
from tests.ui.screen_text import panel_lines, panel_text

LARGE = (160, 50)
SMALL = (80, 24)
# The counter at the first ')' after depth 2 has been reached and unit 1 has faded.
STEP = 140


async def compare_at(app: LstmApp, pilot, step: int = STEP, unit: int = 0) -> CompareScreen:
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    screen.view.t, screen.view.unit = step, unit
    screen.redraw(layout=True)
    await pilot.pause()
    return screen


def unit_rows(lines: list[str], name: str) -> list[str]:
    """The heat-map rows of block ``name`` (Δc or Δh): the lines after its ruler."""
    start = next(k for k, line in enumerate(lines) if line.startswith(f" {name} "))
    rows = []
    for line in lines[start + 1 :]:
        if not line.lstrip().startswith("u"):
            break
        rows.append(line)
    return rows


async def test_the_timeline_of_b_minus_a_has_a_row_per_unit_where_the_cells_part() -> None:
    # B: the forget gate clamped to 1. Unit 0's f is 1 already: B = A, all dots.
    # Unit 1's f is 0.9 in A: B keeps more of each count, so it parts from A.
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    async with app.run_test(size=LARGE) as pilot:
        screen = await compare_at(app, pilot)
        lines = panel_lines(app, "delta-timeline")
        assert lines[0].startswith(" B − A, unit by unit · units 0–1 of 2")
        assert f"steps 0–{STEP}" in lines[0]
        for block in ("Δc", "Δh"):
            u0, u1 = unit_rows(lines, block)
            assert u0.startswith("  u0▶ ") and u1.startswith("  u1  ")
            # The current step is the right edge: the last column is step STEP.
            assert set(u0[6:].strip()) == {ZERO_GLYPH}
            assert len(set(u1[6:].strip()) - {ZERO_GLYPH}) > 0
        # Moving the unit moves the mark; stepping moves the window's end.
        await pilot.press("down", "right")
        await pilot.pause()
        lines = panel_lines(app, "delta-timeline")
        assert f"steps 0–{STEP + 1}" in lines[0]
        assert unit_rows(lines, "Δc")[1].startswith("  u1▶ ")
        assert screen.view.unit == 1


async def test_the_b_minus_a_timeline_needs_room_and_is_not_shown_at_24_rows() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    async with app.run_test(size=SMALL) as pilot:
        await compare_at(app, pilot)
        timeline = app.screen.query_one("#delta-timeline")
        assert not timeline.display
        # The selected unit's B − A over the steps is still there, under what reaches it.
        assert "Δc B−A" in panel_text(app, "reach")


async def test_each_cell_has_its_diagram_where_there_is_room() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    async with app.run_test(size=LARGE) as pilot:
        screen = await compare_at(app, pilot, unit=1)
        a, b = panel_text(app, "a-diagram"), panel_text(app, "b-diagram")
        traj_a = app.session.trajectory
        traj_b = screen.comparison.trajectory_b()
        # c_t of unit 1 as each cell has it: 0.36 in A (f = 0.9), 2.00 in B (f = 1).
        assert f"c_t {number(float(traj_a.c[STEP, 1]), True)}" in a
        assert f"c_t {number(float(traj_b.c[STEP, 1]), True)}" in b
        assert traj_a.c[STEP, 1] != traj_b.c[STEP, 1]
        # B's forget gate is clamped: a box of double lines saying =1, only in B.
        assert "=1" in b and "=1" not in a
        assert "unit 1" in a and "unit 1" in b


async def written_out(kind: str) -> tuple[HiddenTrajectory, str]:
    """B of ``kind`` at the counter's step :data:`STEP`: its trajectory, and what its
    diagram's place paints."""
    app = LstmApp(default_app().session, compare=Variant.build(kind))
    async with app.run_test(size=LARGE) as pilot:
        screen = await compare_at(app, pilot)
        traj = screen.comparison.trajectory_b()
        assert isinstance(traj, HiddenTrajectory)
        return traj, panel_text(app, "b-diagram")


async def test_an_rnn_b_writes_its_step_out_instead_of_a_figure() -> None:
    traj, b = await written_out("rnn")
    assert "plain RNN · unit 0 · no gates, no c" in b
    z, h = float(traj.vector("z")[STEP, 0]), float(traj.h[STEP, 0])
    assert np.isclose(h, np.tanh(z))
    assert f"h_t = tanh(z) = tanh({number(z, True)}) = {number(h, True)}" in b


async def test_a_gru_b_writes_out_pytorchs_equations_with_this_steps_numbers() -> None:
    traj, b = await written_out("gru")
    r, z = float(traj.vector("r")[STEP, 0]), float(traj.vector("z")[STEP, 0])
    assert f"r = σ(W_r x + U_r h_{{t-1}} + b_r) = {number(r)}" in b
    assert f"z = σ(W_z x + U_z h_{{t-1}} + b_z) = {number(z)}" in b
    # The last line written: h_t as the mix of n and h_{t-1}, with its value.
    last = [line for line in b.splitlines() if line.strip()][-1]
    assert last.endswith(f" = {number(float(traj.h[STEP, 0]), True)}")


async def test_no_diagram_at_80x24_until_c_and_then_the_one_of_the_cell_edited() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    async with app.run_test(size=SMALL) as pilot:
        await compare_at(app, pilot, unit=1)
        row = app.screen.query_one("#compare-diagrams")
        assert not row.display
        await pilot.press("c")
        await pilot.pause()
        # Two figures do not fit 80 columns: A's, as wide as the screen, named.
        assert row.display
        a = panel_text(app, "a-diagram")
        assert "cell A" in a and "c_t +0.36" in a
        assert not app.screen.query_one("#b-diagram").display
        # In place of B − A and what reaches the unit, which no longer fit.
        for name in ("delta", "reach"):
            assert not app.screen.query_one(f"#{name}").display
        await pilot.press("tab")  # edits go to B: its figure is the one shown
        await pilot.pause()
        b = panel_text(app, "b-diagram")
        assert "cell B" in b and "c_t +2.00" in b and "=1" in b
        assert not app.screen.query_one("#a-diagram").display
        await pilot.press("c")
        await pilot.pause()
        assert not row.display and app.screen.query_one("#reach").display


async def test_c_hides_the_diagrams_where_they_are_shown_unasked() -> None:
    app = LstmApp(default_app().session, compare=Variant.build("rnn"))
    async with app.run_test(size=LARGE) as pilot:
        await compare_at(app, pilot)
        row = app.screen.query_one("#compare-diagrams")
        assert row.display and "cell A" not in panel_text(app, "a-diagram")
        await pilot.press("c")
        await pilot.pause()
        assert not row.display


async def test_with_few_rows_to_spare_the_b_minus_a_timeline_keeps_the_selected_unit() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    # 100x30: the panels above leave the timeline six rows, a block of three each.
    async with app.run_test(size=(100, 30)) as pilot:
        await compare_at(app, pilot, unit=1)
        lines = [line for line in panel_lines(app, "delta-timeline") if line]
        assert "unit 1 of 2" in lines[0]
        assert [line.split()[0] for line in lines[1:]] == ["Δc", "u1▶", "Δh", "u1▶"]


async def test_under_a_lesson_caption_the_timeline_drops_dh_then_everything() -> None:
    from tests.ui.test_lessons_compare_ui import first_with_b

    chapter = first_with_b(builtin_lesson()) + 2  # forget free or 1, unit 1
    shown = {}
    for height in (30, 32):
        app = default_app()
        async with app.run_test(size=(100, height)) as pilot:
            await pilot.press("L", *["n"] * (chapter - 1))
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen)
            shown[height] = [line for line in panel_lines(app, "delta-timeline") if line]
    # Two rows: not even a unit's row under a ruler, so no lone title either.
    assert shown[30] == []
    # Four rows: the cell state's block only, the selected unit in it.
    assert [line.split()[0] for line in shown[32][1:]] == ["Δc", "u0", "u1▶"]


async def test_bs_cell_state_is_drawn_on_as_ranges_one_per_unit_when_a_has_them() -> None:
    app = LstmApp(default_app().session, compare=Variant.build(clamps={"forget": 1.0}))
    async with app.run_test(size=LARGE) as pilot:
        screen = await compare_at(app, pilot)
        view = screen.view
        view.cell_scale_per_unit = True
        screen.redraw(layout=True)
        await pilot.pause()
        a_scale = view.row("c").scale
        b_scale = next(row.scale for row in screen.comparison.b.rows if row.key == "c")
        assert a_scale.units is not None and b_scale.units == a_scale.units
