"""Nothing that carries a number is cut off: what does not fit moves or wraps.

Each test reads the painted screen at the sizes a classroom uses.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lstm_tui.engine.activations import ACTIVATIONS
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.session import Session, open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.text import number, short_activation, visible_token
from lstm_tui.ui.view import GRADIENT, VECTOR_NAMES
from lstm_tui.ui.widgets.timeline import LABEL_WIDTH, RULER_LABELS
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


def huge_cell_app() -> LstmApp:
    """One unit that keeps 99.95% of c and adds -5000 a step (identity candidate)."""
    sequence = from_tokens(["a"] * 60, name="huge")
    bias = np.array([20.0, math.log(0.9995 / 0.0005), -5000.0, 0.0])
    params = LSTMParams(np.zeros((4, 1)), np.zeros((4, 1)), bias, np.zeros(4))
    config = CellConfig().with_activation("candidate", "identity")
    session = Session(
        sequence=sequence,
        params=params,
        config=config,
        vocab=sequence.vocab,
        model_label="huge",
        preset=None,
    )
    return LstmApp(session)


async def test_a_sum_of_long_numbers_puts_its_terms_one_under_the_other() -> None:
    app = huge_cell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.watch_screen.action_jump(40)
        await pilot.pause()
        lines = panel_lines(app, "unit")
        c_prev = float(app.session.trajectory.c[39, 0])
    assert -2.0e5 < c_prev < -1.9e5
    # Each product whole on a line of its own, the result beside the formula.
    assert any(line.endswith("c = f·c_prev + i·g = -2.0e+05") for line in lines), lines
    assert any(re.fullmatch(r" +(=) 1\.00·\(-1\.9\d*e\+05\)", line) for line in lines), lines
    assert any(re.fullmatch(r" +\+ 1\.00·\(-5000\)", line) for line in lines), lines


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


async def show_vector(app: LstmApp, pilot, vector: str, step: int) -> list[str]:
    """The timeline's painted lines with ``vector`` shown at ``step``."""
    screen = app.watch_screen
    while screen.view.vector != vector:
        await pilot.press("v")
    screen.action_jump(step)
    await pilot.pause()
    return panel_lines(app, "timeline")


async def test_the_hundred_back_figure_goes_on_a_second_line_at_80_columns() -> None:
    vector = GRADIENT
    app = LstmApp(open_session(clamps={"forget": 0.9}))
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await show_vector(app, pilot, vector, 120)
    # The title, on one line or two, then the ruler.
    label = f" {RULER_LABELS[vector]}".ljust(LABEL_WIDTH)
    ruler = next(y for y, line in enumerate(lines) if line.startswith(label))
    assert ruler in (1, 2)
    title = " ".join(lines[:ruler])
    for figure in ("1 back ×0.90", "10 back ×0.35", "100 back ×0.00"):
        assert figure in title, lines[:ruler]
    assert VECTOR_NAMES[vector] in lines[0]


@pytest.mark.parametrize("size", SIZES)
async def test_the_token_strip_shows_whole_words_only(size) -> None:
    app = LstmApp(open_session("dialogue"))
    async with app.run_test(size=size) as pilot:
        sequence = app.session.sequence
        tokens = [visible_token(sequence.label(t)) for t in range(len(sequence))]
        for step in (0, 7, 40, 41, 42, 90):
            app.watch_screen.action_jump(step)
            await pilot.pause()
            (line,) = panel_lines(app, "tokens")
            assert line.startswith(" read words ")
            shown = line[len(" read words ") :].split(" ")
            first = next(t for t in range(len(tokens)) if tokens[t : t + len(shown)] == shown)
            assert tokens[first : first + len(shown)] == shown, line
            assert first <= step < first + len(shown)


def token_columns(line: str, ruler: str, tokens: list[str]) -> dict[int, str]:
    """Column → the token of the step the timeline's ruler puts in that column."""
    tick = re.search(r"\b(\d+)\b", ruler[LABEL_WIDTH:])
    assert tick is not None, ruler
    first = int(tick.group(1)) - tick.start()
    return {
        x: tokens[first + x - LABEL_WIDTH]
        for x in range(LABEL_WIDTH, len(line))
        if 0 <= first + x - LABEL_WIDTH < len(tokens)
    }


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("step", [3, 57, 130, 400])
async def test_the_token_strip_stands_over_the_timelines_columns(size, step) -> None:
    app = LstmApp(open_session())
    async with app.run_test(size=size) as pilot:
        app.watch_screen.action_jump(step)
        await pilot.pause()
        (strip,) = panel_lines(app, "tokens")
        timeline = panel_lines(app, "timeline")
        sequence = app.session.sequence
        tokens = [visible_token(sequence.label(t)) for t in range(len(sequence))]
    ruler = next(line for line in timeline if line.startswith(" c "))
    columns = token_columns(strip, ruler, tokens)
    assert strip[ruler.index("▼")] == tokens[step]
    assert all(strip[x] == token for x, token in columns.items()), (strip, ruler)


async def tokens_under_the_ruler(
    app: LstmApp, step: int, vector: str
) -> tuple[str, str, list[str]]:
    """At 100x30 on ``step``: the timeline's ruler (of ``vector``), the row under it, and
    every step's token as shown."""
    async with app.run_test(size=(100, 30)) as pilot:
        app.watch_screen.action_jump(step)
        await pilot.pause()
        timeline = panel_lines(app, "timeline")
        sequence = app.session.sequence
        tokens = [visible_token(sequence.label(t)) for t in range(len(sequence))]
    ruler = next(line for line in timeline if line.startswith(f" {vector} "))
    return ruler, timeline[timeline.index(ruler) + 1], tokens


@pytest.mark.parametrize("step", [3, 57, 130])
async def test_the_timeline_labels_each_column_with_its_token(step) -> None:
    ruler, row, tokens = await tokens_under_the_ruler(LstmApp(open_session()), step, "c")
    assert row.startswith(" read ")
    assert row[ruler.index("▼")] == tokens[step]
    columns = token_columns(row, ruler, tokens)
    assert all(row[x] == token for x, token in columns.items()), (row, ruler)


@pytest.mark.parametrize("width", [80, 100, 110, 120, 130])
@pytest.mark.parametrize("long_names", [False, True])
async def test_the_header_keeps_every_clamp_whole_and_the_list_ends_in_an_ellipsis(
    width, long_names
) -> None:
    activations = (
        {"input": "hard_sigmoid_keras", "forget": "hard_sigmoid", "candidate": "softsign"}
        if long_names
        else {}
    )
    clamps = {"input": 0.25, "forget": 0.95, "output": 0.125}
    app = LstmApp(open_session(activations=activations, clamps=clamps))
    async with app.run_test(size=(width, 24)) as pilot:
        app.watch_screen.action_jump(123)
        await pilot.pause()
        (line,) = panel_lines(app, "header")
    assert line.endswith("│ clamp i=0.25, f=0.95, o=0.125"), line
    fields = [field.strip() for field in line.split("│")]
    # Every word of the activation list is a whole name, a gate's letters or the ellipsis.
    names = set(ACTIVATIONS) | {short_activation(name) for name in ACTIVATIONS}
    for word in " ".join(fields[3:-1]).split():
        assert word in names or set(word) <= set("ifgoc") or word == "…", line


async def test_the_timeline_labels_words_whole_and_apart() -> None:
    ruler, row, tokens = await tokens_under_the_ruler(LstmApp(open_session("dialogue")), 40, "h")
    assert row.startswith(" read ")
    # Each word shown starts in its step's column: a token, whole, with a space each side.
    tick = re.search(r"\b(\d+)\b", ruler[LABEL_WIDTH:])
    assert tick is not None
    first = int(tick.group(1)) - tick.start()  # the step in the first column
    cursor = ruler.index("▼")
    assert row[cursor:].split(" ")[0] == tokens[40]
    words = re.finditer(r"\S+", row[LABEL_WIDTH:])
    shown = [(m.start(), m.group()) for m in words]
    assert len(shown) > 5
    for column, word in shown:
        assert tokens[first + column] == word, (row, column, word)
