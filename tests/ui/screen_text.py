"""Reading what the screen shows, as plain text, the way the student sees it.

Everything here reads what is painted: the screen as the compositor renders
it (``App.export_screenshot``, the same strips a repaint sends), cut to a
widget's region. A panel that stops repainting shows stale text here, so a
test reading it fails; nothing reads the rows handed to a panel.
"""

from __future__ import annotations

import html
import re

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from lstm_tui.engine.trajectory import Trajectory

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def _screen_cells(app: App) -> list[list[str]]:
    """The screen as painted: a character per cell ("" for the cell a wide one covers)."""
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, length, line, raw in _TEXT.findall(app.export_screenshot()):
        text = html.unescape(raw).replace("\xa0", " ")
        cells = cell_len(text)
        if not cells:
            continue
        column = round(float(x) / (float(length) / cells))
        row = grid[int(line)]
        for ch in text:
            if column < width:
                row[column] = ch
            column += 1
            if cell_len(ch) == 2 and column < width:
                row[column] = ""
                column += 1
    return grid


def screen_lines(app: App) -> list[str]:
    """Every line of the screen as painted."""
    return ["".join(row) for row in _screen_cells(app)]


def widget_lines(app: App, widget: Widget) -> list[str]:
    """The painted lines inside ``widget``'s region, right-trimmed."""
    region = widget.region
    rows = _screen_cells(app)[region.y : region.y + region.height]
    return ["".join(row[region.x : region.right]).rstrip() for row in rows]


def panel_lines(app: App, widget_id: str) -> list[str]:
    """The painted lines of one panel of the current screen."""
    return widget_lines(app, app.screen.query_one(f"#{widget_id}"))


def panel_text(app: App, widget_id: str) -> str:
    return "\n".join(panel_lines(app, widget_id))


async def toasts(pilot: Pilot) -> list[tuple[str, str]]:
    """``(severity, text)`` of each notification painted now, its title first.

    A toast is mounted a moment after it is asked for (and moves to the
    screen behind when a dialog closes), so the app is let settle first.
    """
    await pilot.pause()
    await pilot.pause()
    shown = []
    for toast in pilot.app.screen.query("Toast"):
        severity = next(
            (s for s in ("error", "warning", "information") if toast.has_class(f"-{s}")), ""
        )
        shown.append((severity, toast.render().plain))
    return shown


async def notes(pilot: Pilot) -> list[str]:
    """The text of the notifications on screen now (title, a newline, the message)."""
    return [text for _, text in await toasts(pilot)]


def footer_line(app: App) -> str:
    """The bottom line of the screen, where the footer's keys are."""
    return screen_lines(app)[-1]


def assert_matches_engine(app: App) -> None:
    """The app's trajectory equals a fresh engine run on the same model, bit for bit."""
    session = app.session
    expected = Trajectory(session.params, session.sequence.inputs, session.config).run()
    np.testing.assert_array_equal(session.trajectory.run().h, expected.h)


def painted_cells(app: App, widget_id: str) -> list[list[tuple[str, Style]]]:
    """Each cell of a panel as its bands paint it: ``(character, style)``, row by row."""
    canvas = app.screen.query_one(f"#{widget_id}")
    width, height = canvas.size
    rows: list[list[tuple[str, Style]]] = [[(" ", Style())] * width for _ in range(height)]
    for band in canvas.children:
        x0 = band.region.x - canvas.region.x
        for y, strip in enumerate(band.render_lines(Region(0, 0, *band.size))):
            x = x0
            for segment in strip:
                for ch in segment.text:
                    if 0 <= x < width and y < height:
                        rows[y][x] = (ch, segment.style or Style())
                    x += cell_len(ch)
    return rows
