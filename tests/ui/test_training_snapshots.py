"""The training view, its run paused at a fixed step so the picture is the same every time.

Update with ``python -m pytest tests/ui/test_training_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from textual.pilot import Pilot

from lstm_tui.ui.screens.train_screen import TrainScreen, trainer_for
from tests.ui.factory import random_app
from tests.ui.test_training import TEXT, status, until

STEPS = 150


async def _trained(pilot: Pilot) -> None:
    app = pilot.app
    screen = TrainScreen(app.watch_screen.view, trainer_for(app.session), limit=STEPS)
    await app.push_screen(screen)
    await until(pilot, lambda: "paused: step limit" in status(app), "paused at the limit")
    await pilot.press("right", "right", "right", "right")
    await pilot.pause()


async def _scrubbed(pilot: Pilot) -> None:
    await _trained(pilot)
    await pilot.press(*["left_square_bracket"] * 20)
    await pilot.pause()


class TestTrainingView:
    def test_training_paused_at_80x24(self, snap_compare) -> None:
        assert snap_compare(random_app(TEXT), run_before=_trained, terminal_size=(80, 24))

    def test_training_paused_at_160x50(self, snap_compare) -> None:
        assert snap_compare(random_app(TEXT), run_before=_trained, terminal_size=(160, 50))

    def test_scrubbed_back_to_a_snapshot_at_80x24(self, snap_compare) -> None:
        assert snap_compare(random_app(TEXT), run_before=_scrubbed, terminal_size=(80, 24))
