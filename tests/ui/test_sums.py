"""The unit panel's arithmetic adds up as written: the printed terms give the printed result."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_tui.engine.params import LSTMParams
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.text import adds_up, last_place, number, written_sum
from tests.ui.factory import hand_built_session
from tests.ui.screen_text import panel_lines

NUMBER = r"\(?(-?[\d.]+(?:e[+-]\d+)?)\)?"
C_LINE = re.compile(rf"= {NUMBER}·{NUMBER} \+ {NUMBER}·{NUMBER} = {NUMBER}\s*$")
H_LINE = re.compile(rf"= {NUMBER}·{NUMBER} = {NUMBER}\s*$")

gates = st.floats(min_value=0.0, max_value=1.0)
states = st.floats(min_value=-1e6, max_value=1e6)


@settings(max_examples=400, deadline=None)
@given(gates, states, gates, st.floats(min_value=-1.0, max_value=1.0))
def test_the_written_terms_of_c_add_up_to_the_written_c(f, c_prev, i, g) -> None:
    c = f * c_prev + i * g
    (fc, ig), shown = written_sum([(f, c_prev), (i, g)], c)
    assert adds_up([fc, ig], shown)
    # What is written is c and the operands, each rounded to the digits shown.
    for value, text in zip((f, c_prev, i, g, c), (*fc, *ig, shown), strict=True):
        assert abs(float(text) - value) <= 0.5 * last_place(text) * (1 + 1e-9)


def test_two_decimals_where_they_add_up() -> None:
    assert written_sum([(0.5, 0.5), (0.25, 1.0)], 0.5) == (
        [("0.50", "0.50"), ("0.25", "1.00")],
        "0.50",
    )


def test_the_students_sum_gets_the_digits_it_needs() -> None:
    f, c_prev, i, g = 0.9995, 336.0, 1.0, 0.5
    # Written with two decimals it reads 1.00·336 + 1.00·0.50 = 336: it does not add up.
    assert not adds_up(
        [(number(f), number(c_prev)), (number(i), number(g))], number(f * c_prev + i * g)
    )
    (fc, ig), shown = written_sum([(f, c_prev), (i, g)], f * c_prev + i * g)
    assert fc == ("0.9995", "336") and ig == ("1.00", "0.50") and shown == "336"


def creeping_app() -> LstmApp:
    """One unit that forgets 0.05% a step and adds 0.5: c creeps up past 300."""
    steps = 800
    weight_ih = np.zeros((4, 1))
    weight_hh = np.zeros((4, 1))
    bias = np.array([20.0, math.log(0.9995 / 0.0005), math.atanh(0.5), 0.0])
    params = LSTMParams(weight_ih, weight_hh, bias, np.zeros(4))
    return LstmApp(hand_built_session(["a"] * steps, "creep", params, "creep"))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_painted_equations_add_up_at_every_size(size) -> None:
    app = creeping_app()
    async with app.run_test(size=size) as pilot:
        screen = app.watch_screen
        c = screen.view.session.trajectory
        c.ensure(799)
        step = int(np.argmax(c.c[:800, 0] > 336)) + 1
        for t in (step, 799):
            screen.view.t = t
            screen.redraw()
            await pilot.pause()
            lines = panel_lines(app, "unit")
            joined = [a + b for a, b in zip(lines, [*lines[1:], ""], strict=True)]
            c_terms = next(m for line in joined if "c = " in line and (m := C_LINE.search(line)))
            h_terms = next(m for line in lines if (m := H_LINE.search(line)))
            a, b, d, e, r = c_terms.groups()
            assert adds_up([(a, b), (d, e)], r), lines
            a, b, r = h_terms.groups()
            assert adds_up([(a, b)], r), lines
