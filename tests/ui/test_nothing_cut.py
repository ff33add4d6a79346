"""Nothing that carries a number is cut off: what does not fit moves or wraps.

Each test reads the painted screen at the sizes a classroom uses.
"""

from __future__ import annotations

import pytest

from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.text import number, visible_token
from tests.ui.screen_text import panel_lines

SIZES = [(80, 24), (100, 30)]


def long_names_app() -> LstmApp:
    """The counter with the longest activation names and a clamp."""
    activations = {"input": "hard_sigmoid_keras", "forget": "hard_sigmoid", "candidate": "softsign"}
    return LstmApp(open_session(activations=activations, clamps={"output": 0.75}))


@pytest.mark.parametrize("size", SIZES)
async def test_each_gate_shows_its_whole_pre_activation_and_value(size) -> None:
    app = long_names_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*["right"] * 30)
        await pilot.pause()
        view = app.watch_screen.view
        lines = panel_lines(app, "unit")
        text = " ".join(" ".join(lines).split())
        z = view.session.trajectory.z[view.t]
        for k, letter in enumerate("ifgo"):
            value = float(view.row(letter).values[view.unit])
            shown = number(value, view.row(letter).scale.diverging)
            assert f"{letter} " in text
            if letter == "o":
                assert f"o clamped (z unused) = {shown}" in text, lines
                continue
            pre = number(float(z[k * view.hidden + view.unit]), True)
            name = view.session.config.activation_name(
                ("input", "forget", "candidate", "output")[k]
            )
            assert f"{letter} = {name}({pre}) = {shown}" in text, lines


async def test_a_long_word_is_read_whole_in_the_unit_panels_title() -> None:
    app = LstmApp(open_session("dialogue"))
    async with app.run_test(size=(80, 24)) as pilot:
        sequence = app.session.sequence
        longest = max(range(len(sequence)), key=lambda t: len(sequence.label(t)))
        app.watch_screen.action_jump(longest)
        await pilot.pause()
        token = visible_token(sequence.label(longest))
        lines = panel_lines(app, "unit")
        assert f"t = {longest}" in lines[0]
        assert any(line.strip() == f"read {token}" for line in lines[:2]), lines
