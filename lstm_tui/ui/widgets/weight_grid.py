"""A grid of numbers, a few per line under their labels, each coloured by value.

Fed with values (:meth:`WeightGrid.show`), it knows nothing of sessions or
editors: the weight editor hands it one unit's gate row and where its
cursor is. Colours are the cell panel's diverging scale, from the same
component classes of the app's stylesheet, so a weight's colour reads like
a value's in every colour system; the number and its sign carry the meaning
without colour.
"""

from __future__ import annotations

from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lstm_tui.ui.glyphs import CHANGED_MARK
from lstm_tui.ui.scales import Scale, nice_range
from lstm_tui.ui.text import fixed_number
from lstm_tui.ui.widgets.line_canvas import SCALE_CLASSES

CELL = 8  # a signed number in six cells, a mark for "changed", a gap
MARGIN = 2


@dataclass(frozen=True)
class GridCell:
    """One number: what its column reads, its value, and whether it differs from the loaded one."""

    label: str
    value: float
    changed: bool


@dataclass(frozen=True)
class GridSection:
    title: str
    cells: tuple[GridCell, ...]


Runs = list[tuple[str, str]]


class WeightGrid(ScrollView):
    """Sections of numbers; ``cursor`` indexes the cells of all sections in order."""

    COMPONENT_CLASSES: ClassVar[set[str]] = SCALE_CLASSES

    DEFAULT_CSS = """
    WeightGrid { height: auto; overflow-x: hidden; }
    """

    # The editor's keys move the cursor; focused, a scroll view would take the arrows.
    can_focus = False

    def __init__(self) -> None:
        super().__init__()
        self._sections: tuple[GridSection, ...] = ()
        self._cursor = 0
        self._lines: list[Strip] = []  # the lines that scroll
        self._pinned: list[Strip] = []  # the last section's, always in view
        self._rows: list[list[int]] = []  # cell indices on each value line, top to bottom
        self._cursor_y = 0
        self._styles: dict[str, Style] = {}
        # The strips of the lines now shown, by their runs (see _strip).
        self._strips: dict[tuple[tuple[str, str], ...], Strip] = {}

    def show(self, sections: SequenceOf[GridSection], cursor: int) -> None:
        """Draw ``sections`` with the cursor on cell ``cursor``, kept in view."""
        self._sections = tuple(sections)
        self._cursor = cursor
        self.rebuild()

    # ------------------------------------------------------------- layout
    def per_line(self, width: int) -> int:
        return max(1, (width - MARGIN) // CELL)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(width)[0])

    def _layout(self, width: int) -> tuple[list[Runs], list[list[int]], int, int]:
        """Lines of (text, class) runs, the cells on each value line, the cursor's line,
        and the first line of the last section."""
        per_line = self.per_line(width)
        cells = [cell for section in self._sections for cell in section.cells]
        values = np.array([cell.value for cell in cells], dtype=np.float64)
        scale = Scale(True, nice_range(values))
        lines: list[Runs] = []
        value_rows: list[list[int]] = []
        cursor_y = 0
        first = 0
        last_section = 0
        for section in self._sections:
            last_section = len(lines)
            lines.append([(" " + section.title, "canvas--title")])
            members = range(first, first + len(section.cells))
            first += len(section.cells)
            for start in range(members.start, members.stop, per_line):
                chunk = list(range(start, min(start + per_line, members.stop)))
                labels: Runs = [(" " * MARGIN, "")]
                numbers: Runs = [(" " * MARGIN, "")]
                for k in chunk:
                    cell = cells[k]
                    cursor = k == self._cursor
                    label = cell.label[: CELL - 2].center(CELL - 2) + "  "
                    labels.append((label, "canvas--title" if cursor else "canvas--label"))
                    style = "canvas--cursor" if cursor else scale.style_name(cell.value)
                    numbers.append((fixed_number(cell.value, CELL - 2, True), style))
                    numbers.append((CHANGED_MARK if cell.changed else " ", "canvas--changed"))
                    numbers.append((" ", ""))
                    if cursor:
                        cursor_y = len(lines)  # the label line, appended next
                lines.append(labels)
                value_rows.append(chunk)
                lines.append(numbers)
        return lines, value_rows, cursor_y, last_section

    def rebuild(self) -> None:
        """Lay the grid out again and keep the cursor in view."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        runs, self._rows, self._cursor_y, pinned_from = self._layout(width)
        old_lines, old_pinned = self._lines, self._pinned
        kept, self._strips = self._strips, {}
        strips = [self._strip(line, kept) for line in runs]
        # The last section (the biases, a few numbers) stays in view under the
        # lines that scroll: a long row of input weights never hides it.
        self._lines, self._pinned = strips[:pinned_from], strips[pinned_from:]
        self.virtual_size = Size(width, len(strips))
        if len(old_lines) != len(self._lines) or len(old_pinned) != len(self._pinned):
            # A new number of lines needs a layout (the grid's height is auto).
            self.refresh(layout=True)
        else:
            # A changed value repaints its own lines: one nudge is one or two
            # lines of the grid, not all of them.
            for y, (before, after) in enumerate(zip(old_lines, self._lines, strict=True)):
                if before is not after:
                    self.refresh_line(y)
            top = self._pinned_top()
            for k, (before, after) in enumerate(zip(old_pinned, self._pinned, strict=True)):
                if before is not after:
                    self.refresh(Region(0, top + k, self.size.width, 1))
        if self._cursor_y >= pinned_from:
            return
        # The cursor's label line, the value line under it, and the line above
        # (the section's title when the cursor is on its first line).
        top = max(0, self._cursor_y - 1)
        bottom = self._cursor_y + 2
        visible = max(1, self.scrollable_content_region.height - len(self._pinned))
        scroll_y = round(self.scroll_offset.y)
        if top < scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > scroll_y + visible:
            self.scroll_to(y=bottom - visible, animate=False, immediate=True)

    def moved_lines(self, cursor: int, lines: int) -> int:
        """The cell ``lines`` value lines above or below ``cursor``, in the same column."""
        rows = self._rows
        if not rows:
            return cursor
        here = next((n for n, row in enumerate(rows) if cursor in row), 0)
        column = rows[here].index(cursor) if cursor in rows[here] else 0
        target = max(0, min(len(rows) - 1, here + lines))
        return rows[target][min(column, len(rows[target]) - 1)]

    def on_resize(self) -> None:
        self.rebuild()

    # ------------------------------------------------------------ drawing
    def _strip(self, runs: Runs, kept: dict[tuple[tuple[str, str], ...], Strip]) -> Strip:
        # The same runs make the same strip: kept from the lines shown
        # before, so a line that did not change is the very strip on screen
        # and is not repainted.
        key = tuple(runs)
        strip = kept.get(key)
        if strip is None:
            strip = Strip([Segment(text, self._style(name)) for text, name in runs])
        self._strips[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name) if name else self.rich_style
            self._styles[name] = style
        return style

    def _pinned_top(self) -> int:
        """The row of the widget the pinned section starts on: the bottom of the grid,
        or right under the last line that scrolls when the grid is not full."""
        return min(self.size.height - len(self._pinned), len(self._lines) - self.scroll_offset.y)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        pinned_top = self._pinned_top()
        if y >= pinned_top:
            line = len(self._lines) + y - pinned_top
            strips = self._pinned
            index = y - pinned_top
        else:
            line = scroll_y + y
            strips = self._lines
            index = line
        if not 0 <= index < len(strips):
            return Strip.blank(width, self.rich_style)
        strip = strips[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)
        return strip.apply_offsets(scroll_x, line)

    def notify_style_update(self) -> None:
        # A theme change: the cached styles are stale.
        super().notify_style_update()
        self._styles = {}
        self._strips = {}
        self.call_later(self.rebuild)
