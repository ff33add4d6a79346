"""The unit finder (u): rank the shown layer's units, pick one, and the screen goes to it."""

from __future__ import annotations

import numpy as np

from lstm_tui.ui.dialogs.choice_list import ChoiceList
from tests.ui.factory import TEXT, random_app
from tests.ui.screen_text import notes, panel_text


async def ask(pilot, text: str) -> None:
    await pilot.press("u")
    await pilot.pause()
    pilot.app.screen.query_one("Input").value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_a_token_class_ranks_units_by_how_c_tracks_it_and_picking_one_selects_it() -> None:
    app = random_app(hidden=16)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        await ask(pilot, "()")
        finder = app.screen
        assert isinstance(finder, ChoiceList)
        member = np.isin(np.array(list(TEXT)), ["(", ")"])
        c = app.session.trajectory.c
        r = np.array([np.corrcoef(c[:, u], member)[0, 1] for u in range(16)])
        best = int(np.argmax(np.abs(r)))
        assert finder.choices[0].name.split() == ["unit", str(best)]
        assert f"r(c) {r[best]:+.2f}" in finder.choices[0].note
        assert f"{member.sum()} of {len(TEXT)} steps, layer 0" in finder.title_text
        await pilot.press("down", "enter")
        await pilot.pause()
        second = int(finder.choices[1].name.split()[1])
        assert app.screen.view.unit == second
        assert f"unit {second} of 16" in panel_text(app, "unit")


async def test_nothing_ranks_by_variance_and_a_number_goes_to_that_unit() -> None:
    app = random_app(hidden=16)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("end")
        await ask(pilot, "")
        spread = np.var(app.session.trajectory.c, axis=0)
        assert app.screen.choices[0].name.split() == ["unit", str(int(np.argmax(spread)))]
        await pilot.press("escape")
        await ask(pilot, "12")
        assert app.screen.view.unit == 12
        await ask(pilot, "16")
        assert any("there is no unit 16: units are 0 to 15" in n for n in await notes(pilot))
        await ask(pilot, "xyz")
        assert any(
            "no token of the vocabulary is in the class 'xyz'" in n for n in await notes(pilot)
        )
        assert app.screen.view.unit == 12


async def test_a_ranking_needs_two_steps() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ask(pilot, "[a-z]")
        assert any("at least two steps" in n for n in await notes(pilot))
