"""The sequence around the cursor, the current token highlighted."""

from __future__ import annotations

import numpy as np

from lstm_tui.ui.text import visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells
from lstm_tui.ui.widgets.prediction_panel import surprisal_style

LABEL = " read "
# Words are said: the default for a file is characters, and a sample may read words.
WORDS_LABEL = " read words "


class TokenStrip(LineCanvas):
    """Tokens read so far in normal text, the current one reversed, the rest dimmed.

    The strip moves by pages, not by tokens: while the cursor stays in the
    first three quarters of the line only two tokens change per step (the one
    just read and the one now current), so a step sends a few cells instead
    of the whole line. When the cursor passes the three-quarter mark, or
    steps back before the first token shown, the page starts again with the
    cursor a quarter of the way in, so there is always context on both sides.
    """

    # A step restyles two tokens somewhere along the line.
    RUN_WIDTH = 16

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self._first = 0

    def _token(self, t: int) -> str:
        sequence = self.view.session.sequence
        if sequence.is_tokens:
            return visible_token(sequence.label(t))
        return sequence.label(t)

    def _gap(self) -> str:
        sequence = self.view.session.sequence
        if not sequence.is_tokens:
            return " │ "
        # Characters read as text when they touch; words and vectors need a gap.
        return " " if sequence.reads_words else ""

    def _cells(self, t: int, gap: str, bits: float | None = None) -> Row:
        view = self.view
        if t == view.t:
            return token_cells(self._token(t), "canvas--cursor") + token_cells(gap)
        style = "" if t < view.t else "canvas--dim"
        if bits is not None and t < view.t:
            style = surprisal_style(bits)
        return token_cells(self._token(t) + gap, style)

    def _surprisals(self, first: int, width: int) -> np.ndarray | None:
        """The head's surprisal at the tokens read that may be shown, when ``k`` asks for it."""
        view = self.view
        session = view.session
        ids = session.token_ids()
        if not view.surprisal_strip or ids is None or not session.stack.has_head:
            return None
        # At most one token per cell, so ``width`` tokens cover the line.
        stop = min(view.t, first + width)
        return session.stack.surprisal_bits(ids, first, stop)

    def _offset_of_cursor(self, first: int, gap: str) -> int:
        """Cells from the first token shown to the cursor's token."""
        return sum(len(token_cells(self._token(t) + gap)) for t in range(first, self.view.t))

    def _page_start(self, room: int, gap: str) -> int:
        """The first token shown: kept while the cursor stays in its page."""
        t = self.view.t
        if self._first <= t and self._offset_of_cursor(self._first, gap) <= room * 3 // 4:
            return self._first
        # A new page: walk back from the cursor to a quarter of the room.
        first, used = t, 0
        while first > 0:
            width = len(token_cells(self._token(first - 1) + gap))
            if used + width > room // 4:
                break
            used += width
            first -= 1
        return first

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        words = self.view.session.sequence.reads_words
        label = text_cells(WORDS_LABEL if words else LABEL, "canvas--label")
        room = max(1, width - len(label) - 1)
        gap = self._gap()
        self._first = self._page_start(room, gap)
        row: Row = list(label)
        t = self._first
        bits = self._surprisals(t, width)
        while t < view.length and len(row) < width:
            shown = t - self._first
            surprise = float(bits[shown]) if bits is not None and shown < len(bits) else None
            row += self._cells(t, gap, surprise)
            t += 1
        return [[*row[: width - 1], (" ", "")]]
