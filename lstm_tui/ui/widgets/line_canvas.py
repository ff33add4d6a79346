"""A Line API widget that sends the terminal only the cells that changed.

Every panel of the screen is a grid of glyphs. Each panel describes its whole
content as rows of single-cell ``(character, style name)`` pairs; this base
class turns them into :class:`Strip` objects and, on each update, asks
Textual to repaint only the cells that differ: on each changed row, from its
first changed cell to its last. The screen's compositor
(:mod:`lstm_tui.ui.compositor`) sends exactly those cells, which is what
keeps a step at a few kilobytes over SSH.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.css.styles import RenderStyles
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

# The classes of one panel each: the cell diagram's parts, the lesson
# caption's bar and the header's separators. Named here, beside the palette
# that holds them, so a panel cannot draw with a class the palette lacks.
WIRE_STYLE = "diagram--wire"
NODE_STYLE = "diagram--node"
BOX_STYLE = "diagram--box"
CLAMPED_STYLE = "diagram--clamped"
LESSON_BAR_STYLE = "lesson--bar"
SEPARATOR_STYLE = "header--separator"
PANEL_CLASSES = {
    WIRE_STYLE,
    NODE_STYLE,
    BOX_STYLE,
    CLAMPED_STYLE,
    LESSON_BAR_STYLE,
    SEPARATOR_STYLE,
}
CANVAS_CLASSES = SCALE_CLASSES | PANEL_CLASSES


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
    if text.isascii() and text.isprintable():
        # Every printable ASCII character is one cell: nothing to measure.
        return [(ch, style) for ch in text]
    return list(_measured_cells(text, style))


@lru_cache(maxsize=4096)
def _measured_cells(text: str, style: str) -> tuple[Cell, ...]:
    """:func:`token_cells` of text that needs measuring (names and tokens recur)."""
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
    return tuple(row)


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


class Palette(Widget):
    """The colours every canvas of its screen draws with; never shown.

    Textual works a widget's component classes out, rule by rule, for every
    widget that declares them, when it is mounted and again whenever styles
    are updated: for a dozen panels of twenty-odd classes each, that was the
    largest part of start-up. The classes are declared here, once per
    screen, and each canvas lays them over its own colours
    (:func:`layered_style`), which gives what declaring them on the canvas
    gave. So a rule for a class names ``Palette`` in ``lstm_tui.tcss``, and
    a screen composes its palette first, so that a style update reaches it
    before the canvases that read it.
    """

    DEFAULT_CSS = """
    Palette { display: none; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = CANVAS_CLASSES


def layered_style(node: Widget, top: RenderStyles) -> Style:
    """The Rich style of ``top`` (a component's styles) as if it styled a child of ``node``.

    Down from the app to ``node`` and then ``top``: each background is laid
    over the ones above it (scaled by the opacity so far), the nearest colour
    rule wins and is drawn over the background it ends on, and text styles
    add up.
    """
    background = Color(0, 0, 0, 0)
    color = Color(255, 255, 255, 0)
    text = Style()
    opacity = 1.0
    for styles in [*(n.styles for n in reversed(node.ancestors_with_self)), top]:
        opacity *= styles.opacity
        under = background
        if styles.has_rule("background"):
            layer = styles.background.tint(styles.background_tint)
            under = background + layer
            background += layer.multiply_alpha(opacity)
        if styles.has_rule("color"):
            color = styles.color
        if styles.has_rule("auto_color") and styles.auto_color:
            color = under.get_contrast_text(color.a)
        text += styles.text_style
    return text + Style.from_color(
        (background + color).rich_color if background.a or color.a else None,
        background.rich_color if background.a else None,
    )


class LineCanvas(Widget):
    """Base class: subclasses implement :meth:`build` and call :meth:`redraw`."""

    # The colours of every class live in the app's stylesheet (lstm_tui.tcss).
    DEFAULT_CSS = """
    LineCanvas { height: auto; }
    """

    # Cells per run of one style at most (see :meth:`run_edges`), or None
    # for runs as long as the canvas is wide.
    RUN_WIDTH: ClassVar[int | None] = None

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._strips: list[Strip] = []
        # The segments of each row, run by run (see run_edges).
        self._pieces: list[list[list[Segment]]] = []
        self._styles: dict[str, Style] = {}
        self._palette: Palette | None = None
        # Every style in use names its colours as RGB and none is dim: then
        # Textual's ANSI-to-RGB filter has nothing to change in these strips.
        self._truecolor = True
        self._blank_looks: dict[str, tuple[object, ...]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
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
        """Rebuild the rows and repaint the cells that changed."""
        self._draw(repaint=True)

    def _draw(self, repaint: bool) -> None:
        """Rebuild the rows into strips; ask for a repaint of what changed.

        Without ``repaint`` (while Textual is painting a frame) nothing is
        asked of Textual: the frame being painted takes the new strips.
        """
        if not self.is_mounted:
            return
        size = self.size
        width, height = size
        if width <= 0 or height <= 0:
            return
        built = self.build(width, height)
        height_rule = self.styles.height
        if repaint and len(built) != height and height_rule is not None and height_rule.is_auto:
            # The panel needs another height (a new layout of its content):
            # lay out again rather than cut a row off; the resize redraws it.
            # The screen hears of it now (Widget._check_refresh, which Textual
            # runs when the panel next goes idle; Textual is pinned), so the
            # new layout is in the frame that shows the change: told later,
            # it came a frame after, and Textual's frame timer holds a second
            # frame 17 to 33 ms.
            self.refresh(layout=True)
            self._check_refresh()
        rows = [fit(row, width) for row in built[:height]]
        rows += [[(" ", "")] * width for _ in range(height - len(rows))]
        old = self._rows
        full = self._full or self._drawn_size != size or len(old) != len(rows)
        self._full, self._drawn_size = False, size
        self._rows = rows
        spans = self._run_spans(width)
        if full:
            self._pieces = [[self._segments(row[a:b]) for a, b in spans] for row in rows]
            self._strips = [self._strip(pieces, width) for pieces in self._pieces]
            if repaint:
                self.refresh()
            return
        changed: list[Region] = []
        for y, row in enumerate(rows):
            before = old[y]
            if row == before:
                continue
            first = next(x for x in range(width) if row[x] != before[x])
            last = next(x for x in range(width - 1, first - 1, -1) if row[x] != before[x])
            # Only the runs holding a change are segmented again.
            pieces = self._pieces[y]
            for k, (a, b) in enumerate(spans):
                if a <= last and b > first and row[a:b] != before[a:b]:
                    pieces[k] = self._segments(row[a:b])
            self._strips[y] = self._strip(pieces, width)
            # A wide character is repainted whole: the span starts on its first cell.
            while first and row[first][0] == "":
                first -= 1
            changed.append(Region(first, y, last + 1 - first, 1))
        if repaint and changed:
            self._repaint(changed)

    def _repaint(self, regions: list[Region]) -> None:
        """Have ``regions`` repainted in the next frame.

        ``Widget.refresh`` reaches the screen by messages: the widget is
        prompted, goes idle and posts an update to its screen, which then goes
        idle in turn. With every panel changing on a step that is some twenty
        messages between the change and the frame, over a millisecond. On the
        screen on top, the regions are marked and the screen told at once, as
        its own handler of that update does (``Screen._dirty_widgets``;
        Textual is pinned): the size and the styles are unchanged, so nothing
        cached about them needs dropping. Elsewhere (under a dialog), refresh.
        """
        screen = self.screen
        if screen is not self.app.screen or not self.display:
            self.refresh(*regions)
            return
        self._set_dirty(*regions)
        screen._dirty_widgets.add(self)
        screen.check_idle()

    def render_line(self, y: int) -> Strip:
        self._draw_at_size()
        return self._strip_at(y)

    def _draw_at_size(self) -> None:
        # The first frame after a layout is painted before the canvas hears
        # of its new size; drawing here puts the content in that frame,
        # instead of a blank one followed by a second full frame.
        if self._drawn_size != self.size:
            self._draw(repaint=False)

    def _strip_at(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The strips already carry every colour and the background, so
        # Textual's styling pass is skipped: with every line of the screen
        # changing on a step, it was a large part of a frame. A border or
        # padding is left blank in the panel's background, as it always was
        # drawn. The line filters (NO_COLOR, ANSI colours) still apply to the
        # content; a strip keeps what a filter made of it.
        filters = self.get_line_filters()
        # Worked out through every ancestor's styles: only when a filter needs it.
        background = self.background_colors[1] if filters else Color(0, 0, 0)
        gutter = self.styles.gutter
        width, height = self.outer_size
        x1, x2 = crop.column_span
        whole = x1 == 0 and x2 == width
        strips: list[Strip] = []
        self._draw_at_size()  # once for the lines asked for, not once a line
        for y in crop.line_range:
            content_y = y - gutter.top
            if 0 <= content_y < height - gutter.height:
                strip = self._strip_at(content_y)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                if gutter:
                    strip = Strip.join([self._blank(gutter.left), strip, self._blank(gutter.right)])
            else:
                strip = self._blank(width)
            strips.append(strip if whole else strip.crop(x1, x2))
        return strips

    def _blank(self, width: int) -> Strip:
        return Strip.blank(width, self.visual_style.rich_style)

    def style_for(self, name: str) -> Style:
        """The Rich style of a style name: a component class plus marks' backgrounds."""
        style = self._styles.get(name)
        if style is None:
            first, *marks = name.split() if name else ("",)
            style = self.rich_style if not first else self.component_style(first)
            # A mark (selected unit, a bar hanging down) adds its background
            # or reverse video and keeps the value's own colour, which carries
            # the meaning.
            for mark in marks:
                extra = self.component_style(mark)
                style += Style(bgcolor=extra.bgcolor, reverse=True if extra.reverse else None)
            self._styles[name] = style
            self._truecolor = self._truecolor and _is_truecolor(style)
        return style

    def component_style(self, name: str) -> Style:
        """The Rich style of component class ``name`` (see :class:`Palette`) on this canvas."""
        if self._palette is None:
            self._palette = self.screen.query_one(Palette)
        return layered_style(self, self._palette.get_component_styles(name))

    def get_line_filters(self) -> Sequence[LineFilter]:
        """The app's line filters that can change these strips."""
        filters = self.app.get_line_filters()
        if self._truecolor:
            return [f for f in filters if not isinstance(f, ANSIToTruecolor)]
        return filters

    def _blank_look(self, name: str) -> tuple[object, ...]:
        """What a blank cell in this style looks like: two equal looks draw the same space."""
        look = self._blank_looks.get(name)
        if look is None:
            style = self.style_for(name)
            look = (style.bgcolor, style.reverse, style.underline, style.strike, style.overline)
            self._blank_looks[name] = look
        return look

    def run_edges(self, width: int) -> list[int]:
        """Where a run of one style is cut even if it goes on: every :attr:`RUN_WIDTH` cells.

        A run cut at a fixed place sends the same colour codes for a change
        wherever it starts, and keeps the strips (and so the screenshots)
        as they were when each stretch of this width was a widget of its
        own. Edges depend only on the width, never on what is shown.
        """
        return list(range(0, width, self.RUN_WIDTH or width or 1))

    def _run_spans(self, width: int) -> list[tuple[int, int]]:
        spans = self._spans.get(width)
        if spans is None:
            edges = sorted({x for x in self.run_edges(width) if 0 < x < width} | {0})
            spans = list(zip(edges, [*edges[1:], width], strict=True))
            self._spans = {width: spans}
        return spans

    def strip_for(self, row: Row) -> Strip:
        """One strip for ``row``: a segment, so one colour code, per run of one style."""
        return self._strip(
            [self._segments(row[a:b]) for a, b in self._run_spans(len(row))], len(row)
        )

    @staticmethod
    def _strip(pieces: list[list[Segment]], width: int) -> Strip:
        return Strip([segment for piece in pieces for segment in piece], width)

    def _segments(self, row: Row) -> list[Segment]:
        """The segments of ``row``, one per run of one style.

        A blank looks the same in any style with the same background, so it
        joins the run around it instead of starting a new one: every colour
        code saved is about 20 to 40 bytes on the wire. Cells are taken a
        stretch of one style at a time.
        """
        segments: list[Segment] = []
        run: list[str] = []
        current = row[0][1] if row else ""
        only_blanks = True
        look = self._blank_look
        for name, cells in groupby(row, key=itemgetter(1)):
            text = "".join(map(itemgetter(0), cells))
            if name == current:
                run.append(text)
                only_blanks = only_blanks and not text.strip(" ")
                continue
            if look(name) == look(current):
                # Blanks join the run as it is; the first character drawn
                # either takes the run over (all blanks so far) or starts one.
                shown = text.lstrip(" ")
                run.append(text[: len(text) - len(shown)])
                if not shown:
                    continue
                if not only_blanks:
                    segments.append(Segment("".join(run), self.style_for(current)))
                    run = []
                run.append(shown)
                current, only_blanks = name, False
                continue
            segments.append(Segment("".join(run), self.style_for(current)))
            run, current, only_blanks = [text], name, not text.strip(" ")
        if run:
            segments.append(Segment("".join(run), self.style_for(current)))
        return segments

    # ----------------------------------------------------------------- events
    def on_resize(self) -> None:
        # Nothing to send if a frame already drew this size (see render_line).
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
