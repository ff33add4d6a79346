"""What the screen looks like, named after what each snapshot shows.

Update with ``python -m pytest tests/ui/test_snapshots.py --snapshot-update``
after looking at the differences in the report.
"""

from __future__ import annotations

import numpy as np
import pytest
from textual.pilot import Pilot

from lstm_tui.ui.view import GRADIENT
from tests.ui.factory import (
    activations_app,
    default_app,
    kiosk_app,
    random_app,
    random_session,
    sample_app,
    sixteen_colour_app,
)

SMALL = (80, 24)
LARGE = (160, 50)


async def _light(pilot: Pilot) -> None:
    pilot.app.theme = "textual-light"
    await pilot.pause()


class TestCounterPreset:
    """The default screen: the bracket counter, a few steps into the code."""

    STEPS = ("end", "home", *["right"] * 3)

    def test_counter_at_80x24_dark(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=SMALL)

    def test_counter_at_80x24_light(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=SMALL, run_before=_light)

    def test_counter_at_160x50_dark(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=LARGE)

    def test_counter_at_160x50_light(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=LARGE, run_before=_light)

    def test_counter_without_colour(self, snap_compare, monkeypatch) -> None:
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(default_app(), press=self.STEPS, terminal_size=SMALL)


class TestRandomCell:
    """An untrained cell of 64 units: compact glyphs, pages of units, a busy timeline."""

    STEPS = (*["right"] * 30, "down", "down")

    def test_64_units_compact_at_80x24(self, snap_compare) -> None:
        assert snap_compare(random_app(hidden=64), press=self.STEPS, terminal_size=SMALL)

    def test_64_units_compact_at_160x50(self, snap_compare) -> None:
        assert snap_compare(random_app(hidden=64), press=self.STEPS, terminal_size=LARGE)

    def test_64_units_detailed_bars_at_160x50(self, snap_compare) -> None:
        assert snap_compare(random_app(hidden=64), press=(*self.STEPS, "d"), terminal_size=LARGE)

    def test_64_units_without_colour_at_160x50(self, snap_compare, monkeypatch) -> None:
        monkeypatch.setenv("NO_COLOR", "1")
        assert snap_compare(random_app(hidden=64), press=self.STEPS, terminal_size=LARGE)


class TestTimeline:
    def test_timeline_of_the_forget_gate(self, snap_compare) -> None:
        press = ("end", "v", "v", "v")
        assert snap_compare(random_app(), press=press, terminal_size=SMALL)


async def _counter_gradient_of_unit_1(pilot: Pilot) -> None:
    """Step 200 of the counter, its leaky unit (f = 0.9) selected, the timeline on ∂c."""
    screen = pilot.app.watch_screen
    screen.view.t = 200
    screen.view.unit = 1
    screen.view.vector = GRADIENT
    screen.redraw(layout=True)
    await pilot.pause()


class TestGradient:
    """∂c: a forget gate at 1 carries a change back whole, one at 0.9 fades it geometrically."""

    def test_gradient_fades_on_the_leaky_unit_at_80x24(self, snap_compare) -> None:
        app = default_app()
        assert snap_compare(app, run_before=_counter_gradient_of_unit_1, terminal_size=SMALL)

    def test_gradient_fades_on_the_leaky_unit_at_160x50(self, snap_compare) -> None:
        app = default_app()
        assert snap_compare(app, run_before=_counter_gradient_of_unit_1, terminal_size=LARGE)


class TestHelp:
    def test_help_screen_lists_the_keys(self, snap_compare) -> None:
        assert snap_compare(random_app(), press=("question_mark",), terminal_size=SMALL)


@pytest.mark.parametrize("preset", ["latch", "anbn"])
def test_preset_at_its_watch_point(snap_compare, preset: str) -> None:
    assert snap_compare(sample_app(preset), press=("end",), terminal_size=SMALL)


class TestDialogs:
    """The dialogs as a student meets them, over the counter preset."""

    def test_weight_editor_at_80x24(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=("right", "w", "right"), terminal_size=SMALL)

    def test_weight_editor_at_160x50(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=("right", "w", "f", "plus"), terminal_size=LARGE)

    def test_activation_picker(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=("p", "down", "right"), terminal_size=SMALL)

    def test_confirm_before_quitting_with_unsaved_edits(self, snap_compare) -> None:
        assert snap_compare(default_app(), press=("2", "q"), terminal_size=SMALL)


class TestClampedGates:
    """Gates held constant: the header names the clamps, the rows say =1 and =0."""

    def test_forget_never_forgets_and_input_never_writes(self, snap_compare) -> None:
        press = ("f", "i", "i", *["right"] * 5)
        assert snap_compare(default_app(), press=press, terminal_size=SMALL)


async def _first_overflow(pilot: Pilot) -> None:
    """The step where the cell state first overflows: ▲ ▼ and ? marks, never full bars."""
    screen = pilot.app.watch_screen
    traj = pilot.app.session.trajectory.run()
    bad = ~np.isfinite(traj.c).all(axis=1)
    screen.view.t = int(np.argmax(bad)) + 1
    screen.redraw(layout=True)
    await pilot.pause()


class TestNonFinite:
    def test_overflow_and_nan_marks_at_80x24(self, snap_compare) -> None:
        app = activations_app(forget="relu", cell="identity")
        assert snap_compare(app, run_before=_first_overflow, terminal_size=SMALL)


class TestKiosk:
    def test_kiosk_mode_says_so_in_the_header(self, snap_compare) -> None:
        assert snap_compare(kiosk_app(), press=("right",), terminal_size=SMALL)


class TestSixteenColours:
    """TERM=xterm: gates stay magenta, the diverging sides blue and yellow, signs kept."""

    def test_counter_in_16_colours(self, snap_compare) -> None:
        press = TestCounterPreset.STEPS
        assert snap_compare(sixteen_colour_app(), press=press, terminal_size=SMALL)

    def test_64_units_in_16_colours(self, snap_compare) -> None:
        app = sixteen_colour_app(random_session(hidden=64))
        assert snap_compare(app, press=TestRandomCell.STEPS, terminal_size=LARGE)

    def test_weight_editor_in_16_colours(self, snap_compare) -> None:
        app = sixteen_colour_app(random_session(hidden=8))
        assert snap_compare(app, press=("right", "w"), terminal_size=SMALL)


async def _counter_inside_brackets(pilot: Pilot) -> None:
    """Step 120 of the counter: one bracket open, c = 1, so the figure's values are not all 0."""
    screen = pilot.app.watch_screen
    screen.view.t = 120
    screen.redraw(layout=True)
    await pilot.pause()


class TestCellDiagram:
    """The classic cell figure with live values: under the unit panel, or in its place on `c`."""

    def test_diagram_in_place_of_the_unit_panel_at_80x24(self, snap_compare) -> None:
        app = default_app()
        run = _counter_inside_brackets
        assert snap_compare(app, run_before=run, press=("c",), terminal_size=SMALL)

    def test_diagram_under_the_unit_panel_at_160x50(self, snap_compare) -> None:
        app = default_app()
        assert snap_compare(app, run_before=_counter_inside_brackets, terminal_size=LARGE)

    def test_clamped_forget_and_relu_candidate_in_16_colours(self, snap_compare) -> None:
        app = sixteen_colour_app()
        press = ("c", "f", "3", "3")
        assert snap_compare(
            app, run_before=_counter_inside_brackets, press=press, terminal_size=SMALL
        )


async def _counter_at_the_first_close(pilot: Pilot) -> None:
    """The counter at step 114, the first ')': g at -1 and unit 1's c below 0."""
    pilot.app.watch_screen.action_jump(114)
    await pilot.pause()


class TestLegends:
    """The colour keys beside values below 0: shades in the timeline, signed bars in the cells."""

    def test_legends_beside_values_below_zero_at_80x24(self, snap_compare) -> None:
        app = default_app()
        assert snap_compare(app, run_before=_counter_at_the_first_close, terminal_size=SMALL)

    def test_legends_beside_values_below_zero_at_160x50(self, snap_compare) -> None:
        app = default_app()
        assert snap_compare(app, run_before=_counter_at_the_first_close, terminal_size=LARGE)
