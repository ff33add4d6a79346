"""What the glyphs and colours mean, in words; then the share of saturated units now.

Each entry of the legend is whole: entries are laid out in lines as wide as
the panel, and one that does not fit moves to the next line.
"""

from __future__ import annotations

from lstm_tui.ui.glyphs import (
    ABOVE_GLYPH,
    BELOW_GLYPH,
    BLOCKS,
    INF_GLYPH,
    NAN_GLYPH,
    SHADES,
    ZERO_GLYPH,
)
from lstm_tui.ui.scales import NONFINITE_STYLE, SATURATION_MARGIN, Scale
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells

GAP = "   "

# The three kinds of too much, each with its one spelling.
MARKS: tuple[tuple[str, str, str], ...] = (
    (ABOVE_GLYPH + BELOW_GLYPH, "scale--pos3", "beyond the range"),
    (INF_GLYPH, NONFINITE_STYLE, "inf: overflowed"),
    (NAN_GLYPH, NONFINITE_STYLE, "nan: undefined"),
)

# The timeline has no room for a sign: shades below 0, blocks above, each
# darker or taller the further from 0.
TIMELINE_BELOW = tuple(reversed(range(len(SHADES))))
TIMELINE_ABOVE = (1, 3, 5, 7)


def _samples(scale: Scale) -> Row:
    """A few cells across the scale, each in its own colour, a space between them.

    Diverging scales show the sign glyph and the block, as the cell panel
    draws them (``-█ -▄ · +▄ +█``).
    """
    row: Row = []
    points = (-1.0, -0.6, 0.0, 0.6, 1.0) if scale.diverging else (0, 0.25, 0.5, 0.75, 1)
    for p in points:
        value = p * scale.high
        style = scale.style_name(value)
        sign = scale.sign(value).strip() if scale.diverging else ""
        row += [(" ", ""), *text_cells(sign + scale.glyph(value), style)]
    return row


def _bar_samples(scale: Scale) -> Row:
    """Bars as the cell panel draws them: as long as the size, coloured by the sign.

    A bar has no sign glyph (the number beside it has): below 0 it takes
    the blue side's colour, above 0 the orange side's (``██ ▌ · ▌ ██``).
    """
    row: Row = []
    points = (-1.0, -0.5, 0.0, 0.5, 1.0) if scale.diverging else (0.25, 0.5, 1.0)
    for p in points:
        value = p * scale.high
        shown = ZERO_GLYPH if p == 0 else scale.bar(value, 2).rstrip()
        row += [(" ", ""), *text_cells(shown, scale.style_name(value))]
    return row


def _flow(entries: list[Row], width: int) -> list[Row]:
    """``entries`` in lines of at most ``width`` cells, an entry never split."""
    lines: list[Row] = []
    line: Row = []
    for entry in entries:
        if line and len(line) + len(GAP) + len(entry) > width:
            lines.append(line)
            line = []
        line = [*line, *text_cells(GAP), *entry] if line else [(" ", ""), *entry]
    if line:
        lines.append(line)
    return lines


class Legend(LineCanvas):
    """The scales with their ranges (c's stated), the marks, then the saturated shares."""

    def __init__(self, view: View, *, id: str | None = None, timeline: bool = True) -> None:
        super().__init__(id=id)
        self.view = view
        # Whether the timeline's shades are keyed (not on a screen without it).
        self.timeline = timeline
        self._entries: list[Row] = []
        self._entries_key: tuple[object, ...] | None = None

    def wanted_height(self, width: int) -> int:
        return len(self.build(width, 0))

    def _scale_entries(self) -> list[Row]:
        """The entries for the scales and marks: the same on every step, until a scale
        (or ``d``, or the selected unit under a per-unit scale) changes."""
        view = self.view
        gate = view.row("i").scale
        cand = view.row("g").scale
        cell = view.row("c").scale
        key = (gate, cand, cell, view.detailed, view.unit if cell.units else None, self.timeline)
        if self._entries_key != key:
            self._entries = self._scale_entries_for(gate, cand, cell)
            self._entries_key = key
        return self._entries

    def _scale_entries_for(self, gate: Scale, cand: Scale, cell: Scale) -> list[Row]:
        view = self.view

        def low(s: Scale) -> str:
            return f"{-s.high:g}" if s.diverging else "0"

        def high(s: Scale) -> str:
            return f"{s.high:+g}" if s.diverging else f"{s.high:g}"

        # Bars (d) say the size by length and the sign by colour; glyphs by a sign.
        samples = _bar_samples if view.detailed else _samples
        gates = text_cells("i f o ", "canvas--label") + text_cells(low(gate))
        gates += samples(gate) + text_cells(f" {high(gate)}")
        candidate = text_cells("g ", "canvas--label") + text_cells(low(cand))
        candidate += samples(cand) + text_cells(f" {high(cand)}")
        # Each unit its own range (C): the selected unit's, and that it is its own.
        where = (
            f"in ±{cell.high:g}"
            if cell.units is None
            else f"per unit: u{view.unit} in ±{cell.at(view.unit).high:g}"
        )
        state = text_cells("c ", "canvas--label") + text_cells(where)
        marks = [
            text_cells(glyph, style) + text_cells(f" {meaning}") for glyph, style, meaning in MARKS
        ]
        timeline = text_cells("timeline ", "canvas--label") + text_cells("below 0 ")
        timeline += [(SHADES[k], f"scale--neg{k + 1}") for k in TIMELINE_BELOW]
        timeline += text_cells(f" {ZERO_GLYPH} ", "scale--zero")
        timeline += [(BLOCKS[k], f"scale--pos{min(3, k // 2 + 1)}") for k in TIMELINE_ABOVE]
        timeline += text_cells(" above 0")
        if not self.timeline:
            return [gates, candidate, state, *marks]
        return [gates, candidate, state, marks[0], timeline, *marks[1:]]

    def _saturation_entries(self) -> list[Row]:
        view = self.view
        entries: list[Row] = [
            text_cells(f"saturated (±{SATURATION_MARGIN:g} of a range end)", "canvas--label")
        ]
        for key in ("i", "f", "g", "o", "a"):
            row = view.row(key)
            share = row.saturation()
            if share is not None:
                text = f"{share * 100:.0f}%"
            else:
                text = "clamped" if row.clamp is not None else "–"  # no end to reach
            name = row.label.split()[0] if key != "a" else row.label
            entries.append(text_cells(f"{name} ") + text_cells(text, "canvas--title"))
        return entries

    def build(self, width: int, height: int) -> list[Row]:
        sat = self._saturation_entries()
        # The shares stand close together, one space apart: one line at 80 columns.
        close = [(" ", ""), *(cell for entry in sat for cell in [(" ", ""), *entry])][1:]
        shares = [close] if len(close) < width else _flow(sat, width)
        return [*_flow(self._scale_entries(), width), *shares]
