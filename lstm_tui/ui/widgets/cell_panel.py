"""Rows i f g o c act(c) h at the current step: one glyph per unit, or bars with numbers."""

from __future__ import annotations

from lstm_tui.ui.glyphs import ABOVE_GLYPH, BELOW_GLYPH, CURSOR_MARK
from lstm_tui.ui.text import NUMBER_CELLS, fixed_number
from lstm_tui.ui.view import Row as VectorRow
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import Cell, LineCanvas, Row, text_cells

LABEL_WIDTH = 9
SHARE_WIDTH = 5
DETAIL_WIDTH = 5 + NUMBER_CELLS  # bar 3, space, number, gap 1
MAX_DETAIL_WIDTH = 40  # on a wide screen, few units get long bars: finer steps of length


def cell_width(hidden: int, room: int, detailed: bool, max_units: int | None = None) -> int:
    """Cells per unit: bars need ten (more if there is room); glyphs three, else two.

    ``max_units`` caps the units on a page (the projector's few, large units):
    the room is shared among at most that many.
    """
    if detailed:
        shown = hidden if max_units is None else min(hidden, max_units)
        return max(DETAIL_WIDTH, min(MAX_DETAIL_WIDTH, room // shown))
    return 3 if hidden * 3 <= room else 2


def unit_window(unit: int, hidden: int, per_page: int) -> range:
    """The page of units that holds ``unit``."""
    per_page = max(1, per_page)
    start = (unit // per_page) * per_page
    return range(start, min(hidden, start + per_page))


def ranged_label(vector: VectorRow) -> str:
    """A row's label, with its range where that is not the usual 0..1 or ±1 and fits.

    A bar is as long as the value is in its row's range: with identity on the
    cell output h's range is ±3, and +2.00 draws shorter than tanh's +0.96
    does in ±1 unless the label says so. (c's range is in the legend.)
    """
    label = vector.label
    scale = vector.scale
    if vector.key == "c" or scale.high == 1.0:
        return label[: LABEL_WIDTH - 1]
    shown = f"{label} ±{scale.high:g}" if scale.diverging else f"{label} ≤{scale.high:g}"
    return shown if len(shown) <= LABEL_WIDTH - 1 else label[: LABEL_WIDTH - 1]


class CellPanel(LineCanvas):
    """The cell's vectors at step t, one column per unit; the selected unit marked ▼."""

    # Most units change a little on every step: runs of at most eight units
    # (of the compact grid) measured fewest bytes, between restarting colour
    # codes and resending unchanged units.
    RUN_WIDTH = 16

    def __init__(self, view: View, *, id: str | None = None, max_units: int | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # At most this many units a page (None: as many as fit).
        self.max_units = max_units

    def layout_for(self, width: int) -> tuple[int, range]:
        cw, per_page = self.page_size(width)
        return cw, unit_window(self.view.unit, self.view.hidden, per_page)

    def page_size(self, width: int) -> tuple[int, int]:
        """Cells per unit and units per page at ``width``.

        Pages, page numbers and pgup/pgdn all count in this fixed size: the
        last page may hold fewer units, and measuring by it would misnumber.
        """
        room = max(1, width - LABEL_WIDTH - SHARE_WIDTH)
        cw = cell_width(self.view.hidden, room, self.view.detailed, self.max_units)
        per_page = max(1, room // cw)
        if self.max_units is not None:
            per_page = min(per_page, self.max_units)
        return cw, per_page

    def run_edges(self, width: int) -> list[int]:
        # The labels never change; with two cells a unit, runs of sixteen
        # hold whole units of the compact grid.
        return [0, *range(LABEL_WIDTH, width, self.RUN_WIDTH)]

    def fits_detailed(self, width: int) -> bool:
        """Whether every unit fits on one page as a bar with its number."""
        return self.view.hidden * DETAIL_WIDTH <= width - LABEL_WIDTH - SHARE_WIDTH

    def wanted_height(self, width: int) -> int:
        _, units = self.layout_for(width)
        paged = len(units) < self.view.hidden
        return 1 + len(self.view.rows) + (1 if paged else 0)

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        cw, per_page = self.page_size(width)
        units = unit_window(view.unit, view.hidden, per_page)
        rows = [self._ruler(cw, units)]
        for vector in view.rows:
            rows.append(self._vector_row(vector, cw, units))
        if len(units) < view.hidden:
            pages = -(-view.hidden // per_page)
            page = units.start // per_page + 1
            rows.append(
                text_cells(
                    f" units {units.start}–{units.stop - 1} of {view.hidden}"
                    f" (page {page}/{pages}, pgup/pgdn)",
                    "canvas--label",
                )
            )
        return rows

    def _ruler(self, cw: int, units: range) -> Row:
        row: Row = text_cells(" unit".ljust(LABEL_WIDTH), "canvas--label")
        cells: Row = [(" ", "")] * (cw * len(units))
        # Unit numbers where they fit without touching; the selected one always.
        step = 1 if cw >= DETAIL_WIDTH else max(1, 5 if cw == 2 else 2)
        for k, unit in enumerate(units):
            label = str(unit)
            if unit == self.view.unit:
                label = f"{CURSOR_MARK}{unit}" if cw >= DETAIL_WIDTH else CURSOR_MARK
            elif unit % step or len(label) > cw * step - 1:
                continue
            start = k * cw + (cw - 1 if cw < DETAIL_WIDTH else 0)
            style = "canvas--title" if unit == self.view.unit else "canvas--label"
            for j, ch in enumerate(label):
                if start + j < len(cells):
                    cells[start + j] = (ch, style)
        row += cells
        return row + text_cells("  sat", "canvas--label")

    def _vector_row(self, vector: VectorRow, cw: int, units: range) -> Row:
        row: Row = text_cells(f" {ranged_label(vector)}".ljust(LABEL_WIDTH), "canvas--label")
        selected = self.view.unit
        for unit in units:
            value = float(vector.values[unit])
            scale = vector.scale.at(unit)
            name = scale.style_name(value)
            if unit == selected:
                name += " canvas--selected"
            cells: list[Cell]
            if cw >= DETAIL_WIDTH:
                bar_cells = cw - 2 - NUMBER_CELLS
                text = (
                    scale.bar(value, bar_cells)
                    + " "
                    + fixed_number(value, NUMBER_CELLS, scale.diverging)
                )
                cells = [(ch, name) for ch in text] + [(" ", "")]
            else:
                sign, glyph = scale.sign_and_glyph(value)
                cells = [(sign, name), (glyph, name)]
                if cw == 3:
                    cells.append((" ", "canvas--selected" if unit == selected else ""))
            row += cells
        share = vector.saturation()
        if vector.key == "c":
            over = sum(
                1 for u, v in enumerate(vector.values) if vector.scale.at(u).beyond(float(v))
            )
            tail = f" {ABOVE_GLYPH}{BELOW_GLYPH}{over}" if over else ""
        elif share is None:
            tail = " =" if vector.clamp is not None else ""
        else:
            tail = f"{share * 100:4.0f}%"
        return row + text_cells(tail.rjust(SHARE_WIDTH), "canvas--label")
