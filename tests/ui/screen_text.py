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
    return _svg_cells(app.export_screenshot(), *app.size)


def svg_lines(svg: str, width: int, height: int) -> list[str]:
    """The lines of text of an SVG screenshot (one the app saved, say)."""
    return ["".join(row) for row in _svg_cells(svg, width, height)]


def _svg_cells(svg: str, width: int, height: int) -> list[list[str]]:
    grid = [[" "] * width for _ in range(height)]
    for x, length, line, raw in _TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not text:
            continue
        # Rich gives each character of a text one cell's width in textLength
        # (a wide one too, and a combining mark), but places the text at its
        # column in cells: the width of a cell comes from the length.
        column = round(float(x) / (float(length) / len(text)))
        row = grid[int(line)]
        for ch in text:
            width_of = cell_len(ch)
            if width_of == 0 and column > 0:
                # A mark of no width is drawn on the character before it.
                back = column - 1 if row[column - 1] != "" or column < 2 else column - 2
                if back < width:
                    row[back] += ch
                continue
            if column < width:
                row[column] = ch
            column += 1
            if width_of == 2 and column < width:
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
    """Each cell of a panel as it paints it: ``(character, style)``, row by row.

    Read from the strips the compositor takes from the panel
    (``render_lines``), its border and padding cut off.
    """
    canvas = app.screen.query_one(f"#{widget_id}")
    width, height = canvas.size
    gutter = canvas.styles.gutter
    rows: list[list[tuple[str, Style]]] = [[(" ", Style())] * width for _ in range(height)]
    strips = canvas.render_lines(Region(0, 0, *canvas.outer_size))
    for y, strip in enumerate(strips[gutter.top : gutter.top + height]):
        x = -gutter.left
        for segment in strip:
            for ch in segment.text:
                if 0 <= x < width:
                    rows[y][x] = (ch, segment.style or Style())
                x += cell_len(ch)
    return rows


# What Textual itself sends for a frame: colours and attributes (SGR) and
# cursor moves. Anything else that acts on a terminal came from the content.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H|\x1b\[\d*[ABCDGK]")
# ESC, the C1 controls (CSI is U+009B), the other C0 controls but a newline
# ending a line of the frame, and the bidi controls that reorder what follows.
_ACTING = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def frame_bytes(app: App) -> str:
    """The whole screen as Textual would write it to the terminal, as one frame.

    A headless test app writes nothing to its driver, so the frame is taken
    where the driver's bytes come from: the compositor's full update.
    """
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    return update.render_segments(app.console)


def frame_lines(app: App) -> list[str]:
    """The text of each line of the frame, without Textual's colours and cursor moves.

    A full frame sends every line from a cursor move to its first column.
    """
    parts = re.split(r"\x1b\[\d+;1H", frame_bytes(app))[1:]
    return [_OWN_SEQUENCES.sub("", part).rstrip("\n") for part in parts]


def foreign_controls(app: App) -> list[str]:
    """Characters of the frame that act on a terminal and that Textual did not put there."""
    return _ACTING.findall(_OWN_SEQUENCES.sub("", frame_bytes(app)))
