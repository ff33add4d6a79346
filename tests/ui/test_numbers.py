"""The numbers on screen after a known number of steps are the engine's."""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.style import Style

from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.ui.scales import NONFINITE_STYLE
from lstm_tui.ui.widgets.line_canvas import LineCanvas
from tests.ui.factory import activations_app, random_app, random_session
from tests.ui.screen_text import painted_cells, panel_lines, panel_text


def fmt(value: float, signed: bool = False) -> str:
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def par(value: float) -> str:
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


@pytest.mark.parametrize(("steps", "unit"), [(0, 0), (5, 3), (12, 7)])
async def test_unit_panel_shows_the_engines_arithmetic(steps: int, unit: int) -> None:
    session = random_session()
    reference = Trajectory(session.params, session.sequence.inputs).run()
    app = random_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*(["right"] * steps), *(["down"] * unit))
        await pilot.pause()
        # Equations may wrap at the "=": compare with whitespace collapsed.
        text = " ".join(panel_text(app, "unit").split())
    hidden = session.params.hidden_size
    z = reference.z[steps]
    values = {k: float(reference.vector(k)[steps, unit]) for k in "ifgoch"}
    for k, letter in enumerate("ifgo"):
        act = "tanh" if letter == "g" else "sigmoid"
        pre = fmt(float(z[k * hidden + unit]), signed=True)
        shown = fmt(values[letter], signed=letter == "g")
        assert f"{letter} = {act}({pre})" in text
        assert f"= {shown}" in text
    c_prev = float(reference.c[steps - 1, unit]) if steps else 0.0
    # The engine's numbers, with as many digits as it takes for the sum to add up.
    c_line = re.search(r"c = f·c_prev \+ i·g = (.*?)·(.*?) \+ (.*?)·(.*?) = (\S+)", text)
    assert c_line is not None, text
    written = [float(x.strip("()")) for x in c_line.groups()]
    expected = [values["f"], c_prev, values["i"], values["g"], values["c"]]
    np.testing.assert_allclose(written, expected, atol=0.005)
    assert c_line.group(5) == fmt(values["c"])
    tanh_c = float(np.tanh(values["c"]))
    assert f"h = o·tanh(c) = {par(values['o'])}·{par(tanh_c)} = {fmt(values['h'])}" in text


async def test_detailed_cells_show_the_engines_values() -> None:
    session = random_session(hidden=4)
    reference = Trajectory(session.params, session.sequence.inputs).run()
    app = random_app(hidden=4)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert app.watch_screen.view.detailed
        lines = panel_lines(app, "cells")
    rows = {line.split()[0]: line for line in lines[1:]}
    for letter in "ifgoch":
        for unit in range(4):
            value = float(reference.vector(letter)[3, unit])
            assert fmt(value, signed=letter in "gch") in rows[letter]


async def test_saturation_share_is_counted_from_the_values() -> None:
    app = random_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        view = app.watch_screen.view
        share = float(np.mean((view.row("f").values <= 0.05) | (view.row("f").values >= 0.95)))
        assert f"f {share * 100:.0f}%" in panel_text(app, "legend")


@pytest.mark.parametrize("hidden", [1, 256])
async def test_any_hidden_size_from_1_to_256_is_shown(hidden: int) -> None:
    app = random_app(hidden=hidden)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "up", "down")
        await pilot.pause()
        cells = panel_text(app, "cells")
        timeline = panel_text(app, "timeline")
        if hidden == 256:
            assert "of 256" in cells
            assert "of 256" in timeline
            await pilot.press("pagedown")
            assert app.watch_screen.view.unit > 1
        assert f"unit {app.watch_screen.view.unit} of {hidden}" in panel_text(app, "unit")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_unit_panel_keeps_its_height_and_every_line_while_stepping(size) -> None:
    app = random_app(hidden=8)
    async with app.run_test(size=size) as pilot:
        screen = app.watch_screen
        panel = app.screen.query_one("#unit")
        heights = set()
        for t in range(screen.view.length):
            screen.view.t = t
            screen.redraw()
            await pilot.pause()
            heights.add(panel.size.height)
            text = " ".join(panel_text(app, "unit").split())
            assert text.count(" = ") >= 6 and "h = o·tanh(c) = " in text, t
        assert len(heights) == 1


async def test_the_header_names_clamps_and_fits_80_columns() -> None:
    from lstm_tui.session import open_session
    from lstm_tui.ui.app import LstmApp

    for clamps, shown in (({}, None), ({"forget": 1.0}, "clamp f=1")):
        app = LstmApp(open_session(clamps=clamps))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("end")
            header = panel_lines(app, "header")[0]
        assert len(header) <= 80
        if shown:
            assert header.endswith(shown)


async def test_the_wide_header_names_each_slot_once() -> None:
    app = random_app()
    async with app.run_test(size=(160, 50)):
        header = panel_lines(app, "header")[0]
    assert header.count("sigmoid") == 3 and header.count("tanh") == 2
    assert header.endswith("no clamps")


@pytest.mark.parametrize(
    ("size", "pages"),
    [
        ((120, 40), ["units 0–23 of 64 (page 1/3", "24–47", "(page 3/3", "(page 3/3"]),
        ((100, 30), ["units 0–24 of 64 (page 1/3", "25–49", "(page 3/3", "(page 3/3"]),
    ],
)
async def test_unit_pages_are_numbered_by_a_fixed_page_size(size, pages: list[str]) -> None:
    app = random_app(hidden=64)
    async with app.run_test(size=size) as pilot:
        shown = []
        for _ in pages:
            await pilot.pause()
            shown.append(panel_text(app, "cells"))
            await pilot.press("pagedown")
        for text, expected in zip(shown, pages, strict=True):
            assert expected in text, text
        # Back up from the last page by whole pages to the first.
        for _ in pages:
            await pilot.press("pageup")
        await pilot.pause()
        assert "(page 1/3" in panel_text(app, "cells")


def nonfinite_cells(app, widget_id: str) -> list[str]:
    """The characters painted in the colour of NaN and ±inf."""
    grey = app.screen.query_one(f"#{widget_id}", LineCanvas).style_for(NONFINITE_STYLE)
    cells = painted_cells(app, widget_id)
    return [ch for row in cells for ch, style in row if style.color == grey.color and style.italic]


def full_cells(app, widget_id: str) -> list[Style]:
    """The styles of the full blocks painted: a bar that is drawn whole."""
    return [style for row in painted_cells(app, widget_id) for ch, style in row if ch == "█"]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_nan_and_inf_are_drawn_as_grey_marks_never_as_full_bars(size) -> None:
    # A relu forget gate and an identity cell let c grow past +inf, then NaN.
    app = activations_app(forget="relu", cell="identity")
    session = app.session
    async with app.run_test(size=size) as pilot:
        screen = app.watch_screen
        await pilot.press("end")
        await pilot.pause()
        c = session.trajectory.vector("c")
        first_inf = int(np.argmax(np.isposinf(c).any(axis=1)))
        assert np.isposinf(c[first_inf]).any() and np.isnan(c[-1]).all()
        for detailed in (False, True):
            if screen.view.detailed != detailed:
                await pilot.press("d")
                await pilot.pause()
            assert set(nonfinite_cells(app, "cells")) >= {"?"}
            assert ("nan" in panel_text(app, "cells")) == detailed
            assert "?" in nonfinite_cells(app, "timeline")
            assert "?" in nonfinite_cells(app, "unit")
            for panel in ("cells", "unit", "timeline"):
                grey = app.screen.query_one(f"#{panel}", LineCanvas).style_for(NONFINITE_STYLE)
                assert not any(style.color == grey.color for style in full_cells(app, panel))
            screen.view.t = first_inf
            screen.redraw()
            await pilot.pause()
            assert "∞" in nonfinite_cells(app, "cells")
            assert "∞" in nonfinite_cells(app, "timeline")
            screen.view.t = screen.view.length - 1
            screen.redraw()
            await pilot.pause()


async def test_the_unit_panel_can_be_laid_out_and_drawn_before_the_screen_redraws() -> None:
    # A new model's steps are computed when the screen redraws; a layout or a
    # frame can come first (the model replaced from a dialog, say).
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        await pilot.pause()
        unit = app.screen.query_one("#unit", LineCanvas)
        height = unit.wanted_height(unit.size.width)
        app.session.randomise(7)
        assert app.session.trajectory.computed == 0
        assert unit.wanted_height(unit.size.width) == height
        rows = unit.build(*unit.size)
        assert "t = 2" in "".join(ch for ch, _ in rows[0])
