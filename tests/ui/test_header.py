"""The header at 80 columns: the clamp field is never the part that is cut off."""

from __future__ import annotations

import pytest

from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.ui.app import LstmApp
from tests.ui.factory import TEXT, default_app, random_app
from tests.ui.screen_text import panel_lines, panel_text


@pytest.mark.parametrize("make", [default_app, random_app], ids=["counter", "random"])
@pytest.mark.parametrize("presses", [1, 2, 3, 4, 5, 6])
async def test_long_activations_leave_the_clamp_field_whole(make, presses: int) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", *["2"] * presses)  # clamp f, then cycle the forget activation
        await pilot.pause()
        (line,) = panel_lines(app, "header")
        assert line.endswith("│ clamp f=1")
        assert len(line) <= 80


async def test_three_clamps_and_mixed_activations_still_fit() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", "f", "o", "1", "2", "2", "2", "2", "3", "3", "3")
        await pilot.pause()
        (line,) = panel_lines(app, "header")
        assert line.endswith("│ clamp i=1, f=1, o=1")
        assert "random H=8 seed=0 *" in line


async def test_a_long_sequence_name_is_shortened_never_the_clamps_or_the_star() -> None:
    from tests.ui.factory import random_session

    session = random_session()
    session.replace_sequence(
        from_tokens(list(TEXT), name="a-sequence-with-a-very-long-file-name-indeed"), None
    )
    app = LstmApp(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "2")  # a clamp and an unsaved activation edit
        await pilot.pause()
        header = panel_text(app, "header")
        assert "clamp f=1" in header and " * " in header
        assert "a-sequence-with" in header and "…" in header
