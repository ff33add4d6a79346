"""Routine toasts replace each other; warnings and errors stay until they time out."""

from __future__ import annotations

from pathlib import Path

from tests.ui.factory import random_app
from tests.ui.screen_text import toasts


async def test_routine_feedback_replaces_the_previous_toast() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for key in ("2", "2", "plus", "minus", "ctrl+z", "ctrl+z", "ctrl+y"):
            await pilot.press(key)
            await pilot.pause()
        assert (await toasts(pilot)) == [("information", "redone")]


async def test_errors_and_warnings_stay_under_routine_feedback(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("Input").value = str(tmp_path / "nope")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("i", "2", "plus")
        await pilot.pause()
        kinds = [severity for severity, _ in (await toasts(pilot))]
        assert kinds == ["error", "information"]
        assert "steps per second" in (await toasts(pilot))[-1][1]


async def test_the_same_warning_five_times_is_one_toast() -> None:
    """Five + presses at the ±1,000 limit of a weight: one error, not a stack of five."""
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.session.apply(params=app.session.params.with_value("weight_ih_l0", (0, 0), 1000.0))
        await pilot.press("w")
        await pilot.pause()
        await pilot.press(*["plus"] * 5)
        shown = await toasts(pilot)
        errors = [text for severity, text in shown if severity == "error"]
        assert len(errors) == 1 and "1,000" in errors[0]
