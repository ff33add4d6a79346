"""A Line API widget that redraws only the cells that changed.

Every panel of the screen is a grid of glyphs. Each panel describes its whole
content as rows of single-cell ``(character, style name)`` pairs; this base
class turns them into cached :class:`Strip` objects and, on each update,
asks Textual to repaint only the span of each row that differs. Stepping
through time changes a few cells per row, so only those few are sent to the
terminal, which is what keeps a step under a few kilobytes over SSH.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

# One terminal cell: a single-width character and the component class (or
# "" for the widget's own style) that colours it.
Cell = tuple[str, str]
Row = list[Cell]

SCALE_CLASSES = {
    "scale--seq0",
    "scale--seq1",
    "scale--seq2",
    "scale--seq3",
    "scale--seq4",
    "scale--neg3",
    "scale--neg2",
    "scale--neg1",
    "scale--zero",
    "scale--pos1",
    "scale--pos2",
    "scale--pos3",
    "canvas--label",
    "canvas--dim",
    "canvas--selected",
    "canvas--cursor",
    "canvas--title",
}


def text_cells(text: str, style: str = "") -> Row:
    """Cells for plain text; every character must be one cell wide."""
    return [(ch, style) for ch in text]


def token_cells(text: str, style: str = "") -> Row:
    """Cells for text that may hold wide characters: a wide one is followed by an empty cell."""
    row: Row = []
    for ch in text:
        row.append((ch, style))
        if cell_len(ch) == 2:
            row.append(("", style))
    return row


def fit(row: Row, width: int) -> Row:
    """``row`` cut or padded with blanks to exactly ``width`` cells."""
    if len(row) >= width:
        return row[:width]
    return row + [(" ", "")] * (width - len(row))


class LineCanvas(Widget):
    """Base class: subclasses implement :meth:`build` and call :meth:`redraw`."""

    # Colour-blind safe scales: a one-hue purple ramp for 0..1 values and a
    # blue/orange diverging ramp around 0, each in a dark and a light variant
    # so both themes keep contrast. Colour only doubles what glyphs say.
    DEFAULT_CSS = """
    LineCanvas {
        height: auto;
        .scale--seq0 { color: #6d6880; }
        .scale--seq1 { color: #8e7bb8; }
        .scale--seq2 { color: #9a78d6; }
        .scale--seq3 { color: #b07cff; }
        .scale--seq4 { color: #c690ff; text-style: bold; }
        .scale--neg3 { color: #5aa9ff; text-style: bold; }
        .scale--neg2 { color: #4f8fd6; }
        .scale--neg1 { color: #6f8aa8; }
        .scale--zero { color: #7d7d7d; }
        .scale--pos1 { color: #b39377; }
        .scale--pos2 { color: #e8933a; }
        .scale--pos3 { color: #ffad4d; text-style: bold; }
        .canvas--label { color: $text-muted; }
        .canvas--dim { color: $text-disabled; }
        .canvas--selected { background: $boost; }
        .canvas--cursor { color: $text; text-style: bold reverse; }
        .canvas--title { color: $text; text-style: bold; }
    }
    LineCanvas:light {
        .scale--seq0 { color: #a9a3bd; }
        .scale--seq1 { color: #8d76bd; }
        .scale--seq2 { color: #7552b5; }
        .scale--seq3 { color: #5b2fa8; }
        .scale--seq4 { color: #3f1484; text-style: bold; }
        .scale--neg3 { color: #003f9e; text-style: bold; }
        .scale--neg2 { color: #1f5fbf; }
        .scale--neg1 { color: #6a88ad; }
        .scale--zero { color: #8a8a8a; }
        .scale--pos1 { color: #b0835a; }
        .scale--pos2 { color: #c7650a; }
        .scale--pos3 { color: #9c4600; text-style: bold; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = SCALE_CLASSES

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._strips: list[Strip] = []
        self._styles: dict[str, Style] = {}
        self._drawn_size = Size(0, 0)

    # ------------------------------------------------------------- subclasses
    def build(self, width: int, height: int) -> list[Row]:
        """Every row of the panel for the current state, at most ``height`` rows."""
        raise NotImplementedError

    def wanted_height(self, width: int) -> int:
        """Rows the panel needs at ``width``, used when its height is ``auto``."""
        return 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.wanted_height(width)

    # ----------------------------------------------------------------- redraw
    def redraw(self) -> None:
        """Rebuild the rows and repaint the spans that changed."""
        if not self.is_mounted:
            return
        width, height = self.size
        if width <= 0 or height <= 0:
            return
        full = self._drawn_size != self.size
        rows = [fit(row, width) for row in self.build(width, height)[:height]]
        rows += [[(" ", "")] * width for _ in range(height - len(rows))]
        old = self._rows
        strips = self._strips if not full else [Strip.blank(width)] * height
        for y, row in enumerate(rows):
            if not full and row == old[y]:
                continue
            strips[y] = self._strip(row)
            if full:
                continue
            first = next(x for x in range(width) if row[x] != old[y][x])
            last = next(x for x in range(width - 1, -1, -1) if row[x] != old[y][x])
            self.refresh(Region(first, y, last - first + 1, 1))
        self._rows = rows
        self._strips = strips
        if full:
            self._drawn_size = self.size
            self.refresh()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            first, *marks = name.split() if name else ("",)
            style = self.rich_style if not first else self.get_component_rich_style(first)
            # A mark (selected unit, cursor step) adds its background and keeps
            # the value's own colour, which carries the meaning.
            for mark in marks:
                style += Style(bgcolor=self.get_component_rich_style(mark).bgcolor)
            self._styles[name] = style
        return style

    def _strip(self, row: Row) -> Strip:
        # Consecutive cells of one style become one segment: one escape sequence.
        segments: list[Segment] = []
        run: list[str] = []
        current = row[0][1] if row else ""
        for ch, name in row:
            if name != current:
                segments.append(Segment("".join(run), self._style(current)))
                run, current = [], name
            run.append(ch)
        if run:
            segments.append(Segment("".join(run), self._style(current)))
        return Strip(segments, len(row))

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    # ----------------------------------------------------------------- events
    def on_resize(self) -> None:
        self._drawn_size = Size(0, 0)
        self.redraw()

    def notify_style_update(self) -> None:
        # A theme change recolours everything: drop the cached styles and strips.
        super().notify_style_update()
        self._styles = {}
        self._drawn_size = Size(0, 0)
        self.call_later(self.redraw)
