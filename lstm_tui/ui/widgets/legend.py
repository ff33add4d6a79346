"""The colour scales with their ranges, and the share of saturated units now."""

from __future__ import annotations

from lstm_tui.ui.glyphs import ABOVE_GLYPH, BELOW_GLYPH, SHADES
from lstm_tui.ui.scales import SATURATION_MARGIN, Scale
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells


def _samples(scale: Scale) -> Row:
    """A few glyphs across the scale, each in its own colour."""
    row: Row = []
    points = (-1.0, -0.7, -0.3, 0.0, 0.3, 0.7, 1.0) if scale.diverging else (0, 0.2, 0.5, 0.8, 1)
    for p in points:
        value = p * scale.high
        row += [
            (scale.sign(value), scale.style_name(value)),
            (scale.glyph(value), scale.style_name(value)),
        ]
    return row


class Legend(LineCanvas):
    """Two lines: the scales with their ranges (c's stated), then the saturated shares."""

    def __init__(self, view: View, *, id: str | None = None, timeline: bool = True) -> None:
        super().__init__(id=id)
        self.view = view
        # Whether the timeline's shades are keyed (not on a screen without it).
        self.timeline = timeline

    def wanted_height(self, width: int) -> int:
        return 2

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        gate = view.row("i").scale
        cand = view.row("g").scale
        cell = view.row("c").scale
        lo = lambda s: f"{-s.high if s.diverging else 0.0:g}"  # noqa: E731
        line: Row = text_cells(" i f o ", "canvas--label") + text_cells(f"{lo(gate)}")
        line += _samples(gate) + text_cells(f" {gate.high:g}   ")
        line += text_cells("g ", "canvas--label") + text_cells(f"{lo(cand)}")
        line += _samples(cand) + text_cells(f" {cand.high:+g}   ")
        line += text_cells("c ", "canvas--label")
        line += text_cells(f"±{cell.high:g} ") + text_cells(
            ABOVE_GLYPH + BELOW_GLYPH, "scale--pos3"
        )
        line += text_cells(" beyond  ")
        if self.timeline:
            line += text_cells("timeline −", "canvas--label")
            line += [(SHADES[k], f"scale--neg{k + 1}") for k in range(3)]
        sat: Row = text_cells(
            f" saturated (±{SATURATION_MARGIN:g} of a range end)",
            "canvas--label",
        )
        for key in ("i", "f", "g", "o", "a"):
            row = view.row(key)
            share = row.saturation()
            text = "clamped" if share is None else f"{share * 100:.0f}%"
            sat += text_cells(f" {row.label.split()[0] if key != 'a' else row.label} ")
            sat += text_cells(text, "canvas--title")
        return [line, sat]
