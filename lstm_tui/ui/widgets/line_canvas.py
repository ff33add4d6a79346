"""A Line API widget that sends the terminal only the cells that changed.

Every panel of the screen is a grid of glyphs. Each panel describes its whole
content as rows of single-cell ``(character, style name)`` pairs; this base
class turns them into :class:`Strip` objects and, on each update, asks
Textual to repaint only what differs.

Textual resends a changed line of a widget from the widget's left edge up to
the end of the change, so one wide widget whose line changes near its right
end costs the whole line. The canvas therefore draws through a row of narrow
*bands*, child widgets a few cells wide: a change costs only the cells from
the start of its band, and bands whose slice did not change cost nothing.
That is what keeps a step at a few kilobytes over SSH.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.filter import ANSIToTruecolor, LineFilter
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
    "scale--nonfinite",
    "canvas--label",
    "canvas--dim",
    "canvas--selected",
    "canvas--cursor",
    "canvas--title",
    "canvas--changed",
}


def text_cells(text: str, style: str = "") -> Row:
    """Cells for plain text; every character must be one cell wide."""
    return [(ch, style) for ch in text]


def token_cells(text: str, style: str = "") -> Row:
    """Cells for text that may hold wide characters: a wide one is followed by an empty cell.

    A character of no width (a combining accent, a variation selector) joins
    the cell of the character it sits on: as a cell of its own it would count
    as a column the terminal never draws, and the rest of the line would be
    drawn one column left of where the panel thinks it is. The joined cell
    is measured again, since U+FE0F makes a narrow symbol an emoji two wide.
    """
    clusters: list[str] = []
    for ch in text:
        if clusters and not cell_len(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    row: Row = []
    for cluster in clusters:
        width = cell_len(cluster)
        # Only a mark with nothing before it is drawn as nothing: on a space.
        row.append((cluster if width else " " + cluster, style))
        row.extend(("", style) for _ in range(width - 1))
    return row


def fit(row: Row, width: int) -> Row:
    """``row`` cut or padded with blanks to exactly ``width`` cells."""
    if len(row) >= width:
        return row[:width]
    return row + [(" ", "")] * (width - len(row))


def _is_truecolor(style: Style) -> bool:
    return (
        not style.dim
        and (style.color is None or style.color.triplet is not None)
        and (style.bgcolor is None or style.bgcolor.triplet is not None)
    )


class LineCanvas(Widget):
    """Base class: subclasses implement :meth:`build` and call :meth:`redraw`."""

    # The colours of every class live in the app's stylesheet (lstm_tui.tcss).
    DEFAULT_CSS = """
    LineCanvas { height: auto; layout: horizontal; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = SCALE_CLASSES

    # The bands cover the canvas, which itself draws only its background.
    BLANK = True

    # Cells per band, or None for one band as wide as the canvas. A narrower
    # band sends less for a small change but pays a cursor move and a colour
    # code of its own when everything changes, and every band is one more
    # widget for Textual to place and paint on each frame.
    BAND_WIDTH: ClassVar[int | None] = None

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._styles: dict[str, Style] = {}
        # Every style in use names its colours as RGB and none is dim: then
        # Textual's ANSI-to-RGB filter has nothing to change in these strips.
        self._truecolor = True
        self._blank_looks: dict[str, tuple[object, ...]] = {}
        self._bands: list[Band] = []
        self._rebuilding = False
        # A full repaint is due (new styles); the size the strips were drawn at.
        self._full = True
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
        self._draw(repaint=True)

    def _draw(self, repaint: bool) -> None:
        """Rebuild the rows into the bands' strips; ask for a repaint of what changed.

        Without ``repaint`` (while Textual is painting a frame) nothing is
        asked of Textual: the frame being painted takes the new strips.
        """
        if not self.is_mounted:
            return
        width, height = self.size
        if width <= 0 or height <= 0:
            return
        built = self.build(width, height)
        height_rule = self.styles.height
        if repaint and len(built) != height and height_rule is not None and height_rule.is_auto:
            # The panel needs another height (a new layout of its content):
            # lay out again rather than cut a row off; the resize redraws it.
            self.refresh(layout=True)
        rows = [fit(row, width) for row in built[:height]]
        rows += [[(" ", "")] * width for _ in range(height - len(rows))]
        self._rows = rows
        if not self._bands or self._bands[-1].left + self._bands[-1].span < width:
            # The terminal grew wider than the bands reach: more bands, which
            # draw when mounted.
            if not self._rebuilding:
                self._rebuilding = True
                self.call_later(self._rebuild_bands)
            return
        full = self._full or self._drawn_size != self.size
        self._full, self._drawn_size = False, self.size
        changed: list[Region] = []
        for band in self._bands:
            changed += band.show([row[band.left : band.left + band.span] for row in rows], full)
        if not repaint:
            return
        # One refresh for the whole canvas: the bands' edges still cut each
        # line, and one call costs Textual one message instead of one per band.
        if full:
            self.refresh()
        elif changed:
            self.refresh(*changed)

    def draw_before_painting(self) -> None:
        """Called by a band about to be painted: make sure the strips fit the canvas.

        The first frame after a layout is painted before the canvas hears
        of its new size; drawing here puts the content in that frame,
        instead of a blank one followed by a second full frame.
        """
        if self._drawn_size != self.size:
            self._draw(repaint=False)

    def band_edges(self, width: int) -> list[int]:
        """Where bands start, up to ``width``: every :attr:`BAND_WIDTH` cells by default.

        A panel with a column of labels that never changes starts its first
        band after it. Edges depend only on the width, never on what is
        shown, so bands are made once, as wide as the terminal, before the
        first frame; those past the panel's right edge are simply not seen.
        """
        return list(range(0, width, self.BAND_WIDTH or width or 1))

    def _band_spans(self, width: int) -> list[tuple[int, int]]:
        edges = sorted({x for x in self.band_edges(width) if 0 < x < width} | {0})
        return [(x, end - x) for x, end in zip(edges, [*edges[1:], width], strict=True)]

    def style_for(self, name: str) -> Style:
        """The Rich style of a style name: a component class plus marks' backgrounds."""
        style = self._styles.get(name)
        if style is None:
            first, *marks = name.split() if name else ("",)
            style = self.rich_style if not first else self.get_component_rich_style(first)
            # A mark (selected unit, a bar hanging down) adds its background
            # or reverse video and keeps the value's own colour, which carries
            # the meaning.
            for mark in marks:
                extra = self.get_component_rich_style(mark)
                style += Style(bgcolor=extra.bgcolor, reverse=True if extra.reverse else None)
            self._styles[name] = style
            self._truecolor = self._truecolor and _is_truecolor(style)
        return style

    def line_filters(self) -> tuple[LineFilter, ...]:
        """The app's line filters that can change these strips."""
        filters = tuple(self.app.get_line_filters())
        if self._truecolor:
            filters = tuple(f for f in filters if not isinstance(f, ANSIToTruecolor))
        return filters

    def _blank_look(self, name: str) -> tuple[object, ...]:
        """What a blank cell in this style looks like: two equal looks draw the same space."""
        look = self._blank_looks.get(name)
        if look is None:
            style = self.style_for(name)
            look = (style.bgcolor, style.reverse, style.underline, style.strike, style.overline)
            self._blank_looks[name] = look
        return look

    def strip_for(self, row: Row) -> Strip:
        """One strip for ``row``: a segment, so one colour code, per run of one style.

        A blank looks the same in any style with the same background, so it
        joins the run around it instead of starting a new one: every colour
        code saved is about 20 to 40 bytes on the wire.
        """
        segments: list[Segment] = []
        run: list[str] = []
        current = row[0][1] if row else ""
        only_blanks = True
        for ch, name in row:
            if name != current:
                if ch == " " and self._blank_look(name) == self._blank_look(current):
                    run.append(ch)
                    continue
                if only_blanks and self._blank_look(name) == self._blank_look(current):
                    current = name
                else:
                    segments.append(Segment("".join(run), self.style_for(current)))
                    run, current, only_blanks = [], name, True
            run.append(ch)
            only_blanks = only_blanks and ch == " "
        if run:
            segments.append(Segment("".join(run), self.style_for(current)))
        return Strip(segments, len(row))

    # ----------------------------------------------------------------- events
    def compose(self) -> ComposeResult:
        self._bands = self._make_bands()
        yield from self._bands

    def _make_bands(self) -> list[Band]:
        # Panels are never wider than the terminal: bands that reach its
        # width need making again only when the terminal grows.
        reach = max(self.app.size.width, self.size.width, 1)
        return [Band(self, x, w) for x, w in self._band_spans(reach)]

    async def _rebuild_bands(self) -> None:
        await self.remove_children()
        self._bands = self._make_bands()
        await self.mount_all(self._bands)
        self._rebuilding = False
        self._full = True
        self.redraw()

    def on_resize(self) -> None:
        # Nothing to send if a frame already drew this size (see draw_before_painting).
        self.redraw()

    def notify_style_update(self) -> None:
        # A theme change recolours everything: drop the cached styles and
        # repaint. Textual also calls this when nothing visible changed (on
        # mount, on a class toggled elsewhere); a repaint then would only
        # resend the whole panel, so the styles in use are compared first.
        super().notify_style_update()
        if not self._styles:
            return
        before = dict(self._styles)
        self._styles = {}
        self._truecolor = True
        self._blank_looks = {}
        if any(self.style_for(name) != style for name, style in before.items()):
            self._full = True
            self.call_later(self.redraw)


class Band(Widget):
    """``span`` columns of a canvas from column ``left``, redrawn on their own."""

    DEFAULT_CSS = """
    Band { height: 100%; }
    """

    def __init__(self, canvas: LineCanvas, left: int, span: int) -> None:
        super().__init__()
        self.canvas = canvas
        self.left = left
        self.span = span
        self.styles.width = span
        self._rows: list[Row] = []
        self._strips: list[Strip] = []
        # The strips as drawn, after the app's line filters; None until needed.
        self._filtered: list[Strip | None] = []
        self._filters: tuple[LineFilter, ...] = ()

    def show(self, rows: list[Row], full: bool) -> list[Region]:
        """Take this band's slice of the canvas rows; the canvas regions that changed."""
        old = self._rows
        full = full or len(old) != len(rows)
        strips = self._strips if not full else [Strip.blank(0)] * len(rows)
        if full:
            self._filtered = [None] * len(rows)
        changed: list[Region] = []
        for y, row in enumerate(rows):
            if not full and row == old[y]:
                continue
            strips[y] = self.canvas.strip_for(row)
            self._filtered[y] = None
            if not full:
                # Textual sends a line from the band's left edge to the end
                # of the change, so only the last changed cell matters.
                last = next(x for x in range(len(row) - 1, -1, -1) if row[x] != old[y][x])
                changed.append(Region(self.left, y, last + 1, 1))
        self._rows = rows
        self._strips = strips
        return changed

    def render_lines(self, crop: Region) -> list[Strip]:
        # The strips already carry every colour and the background, and a
        # band has no border, padding or tint, so Textual's styling pass is
        # skipped: with many bands on screen it was most of a frame's time.
        # The app's line filters (NO_COLOR, ANSI colours) still apply, once
        # per new strip.
        self.canvas.draw_before_painting()
        filters = self.canvas.line_filters()
        if filters != self._filters:
            self._filters = filters
            self._filtered = [None] * len(self._strips)
        width = self.size.width
        x1, x2 = crop.column_span
        strips: list[Strip] = []
        background = None
        for y in crop.line_range:
            strip = self._filtered[y] if y < len(self._filtered) else None
            if strip is None:
                strip = self._strips[y] if y < len(self._strips) else self._blank(width)
                if background is None:
                    background = self.canvas.background_colors[1]
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                if y < len(self._filtered):
                    self._filtered[y] = strip
            if x1 or x2 != width:
                strip = strip.crop(x1, x2)
            strips.append(strip)
        return strips

    def _blank(self, width: int) -> Strip:
        return Strip.blank(width, self.canvas.rich_style)
