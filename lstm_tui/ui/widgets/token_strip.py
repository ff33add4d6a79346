"""The sequence around the cursor, the current token highlighted and centred."""

from __future__ import annotations

from lstm_tui.ui.text import visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells


class TokenStrip(LineCanvas):
    """Tokens read so far in normal text, the current one reversed, the rest dimmed."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def _token(self, t: int) -> str:
        sequence = self.view.session.sequence
        if sequence.is_tokens:
            return visible_token(sequence.label(t))
        return sequence.label(t)

    def _gap(self) -> str:
        sequence = self.view.session.sequence
        if not sequence.is_tokens:
            return " │ "
        tokens = sequence.tokens or ()
        # Characters read as text when they touch; words and vectors need a gap.
        return "" if all(len(tok) == 1 for tok in tokens[:256]) else " "

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        label = text_cells(" read ", "canvas--label")
        room = width - len(label) - 1
        gap = self._gap()
        current = token_cells(self._token(view.t), "canvas--cursor")
        # Fill to the left up to a third of the room, then to the right.
        left: list[Row] = []
        used = len(current)
        t = view.t - 1
        while t >= 0 and used < room // 3:
            cells = token_cells(self._token(t) + gap)
            left.insert(0, cells)
            used += len(cells)
            t -= 1
        right: list[Row] = []
        t = view.t + 1
        while t < view.length and used < room:
            cells = token_cells(gap + self._token(t), "canvas--dim")
            right.append(cells)
            used += len(cells)
            t += 1
        row = label + [cell for cells in left for cell in cells]
        row += ([(" ", "")] if gap == " " and not left else []) + current
        row += [cell for cells in right for cell in cells]
        return [[*row[: width - 1], (" ", "")]]
