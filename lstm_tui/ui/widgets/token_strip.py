"""The sequence around the cursor, the current token highlighted."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len

from lstm_tui.ui.text import visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells
from lstm_tui.ui.widgets.prediction_panel import surprisal_style
from lstm_tui.ui.widgets.timeline import LABEL_WIDTH

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
    Characters one cell each follow the timeline's window instead, so each
    stands over its step's column there. A token that does not fit whole at
    the end of the line is left out, never cut.
    """

    # A step restyles two tokens somewhere along the line.
    RUN_WIDTH = 16

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self._first = 0
        # The cells of each token met so far (its text, then the gap after
        # it), for the sequence they were made for: every step walks the page.
        self._made: dict[int, tuple[list[str], list[str]]] = {}
        self._made_for: object = None
        self._one_cell = False
        self._one_cell_for: object = None

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

    def _glyphs(self, t: int, gap: str) -> tuple[list[str], list[str]]:
        """The characters of token ``t``'s cells, and of the gap's after it."""
        sequence = self.view.session.sequence
        if self._made_for is not sequence:
            self._made, self._made_for = {}, sequence
        made = self._made.get(t)
        if made is None:
            token = self._token(t)
            made = (
                [ch for ch, _ in token_cells(token)],
                [ch for ch, _ in token_cells(token + gap)][len(token_cells(token)) :],
            )
            self._made[t] = made
        return made

    def _width(self, t: int, gap: str) -> int:
        token, after = self._glyphs(t, gap)
        return len(token) + len(after)

    def _cells_of(self, t: int, token: list[str], after: list[str], bits: float | None) -> Row:
        """Token ``t``'s cells (characters ``token``, then the gap's ``after``), by the cursor."""
        cursor = self.view.t
        if t == cursor:
            return [(ch, "canvas--cursor") for ch in token] + [(ch, "") for ch in after]
        style = "" if t < cursor else "canvas--dim"
        if bits is not None and t < cursor:
            style = surprisal_style(bits)
        return [(ch, style) for part in (token, after) for ch in part]

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
        return sum(self._width(t, gap) for t in range(first, self.view.t))

    def _page_start(self, room: int, gap: str) -> int:
        """The first token shown: kept while the cursor stays in its page."""
        t = self.view.t
        if self._first <= t and self._offset_of_cursor(self._first, gap) <= room * 3 // 4:
            return self._first
        # A new page: walk back from the cursor to a quarter of the room.
        first, used = t, 0
        while first > 0:
            width = self._width(first - 1, gap)
            if used + width > room // 4:
                break
            used += width
            first -= 1
        return first

    def _one_cell_tokens(self) -> bool:
        """Every token is one cell with nothing between: step k can have a column of its own."""
        sequence = self.view.session.sequence
        if self._one_cell_for is not sequence:
            vocab = sequence.vocab or ()
            self._one_cell = (
                sequence.is_tokens
                and self._gap() == ""
                and all(cell_len(visible_token(token)) == 1 for token in vocab)
            )
            self._one_cell_for = sequence
        return self._one_cell

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        words = self.view.session.sequence.reads_words
        label = text_cells(WORDS_LABEL if words else LABEL, "canvas--label")
        gap = self._gap()
        if self._one_cell_tokens() and len(label) == LABEL_WIDTH:
            # The timeline's window: each token stands over its step's column there.
            self._first = view.steps_window(width - LABEL_WIDTH).start
        else:
            self._first = self._page_start(max(1, width - len(label) - 1), gap)
        row: Row = list(label)
        t = self._first
        bits = self._surprisals(t, width)
        # The last cell stays blank; a token that does not fit whole is left out.
        length, room = view.length, width - 1
        while t < length:
            token, after = self._glyphs(t, gap)
            if len(row) + len(token) > room:
                break
            shown = t - self._first
            surprise = float(bits[shown]) if bits is not None and shown < len(bits) else None
            row += self._cells_of(t, token, after, surprise)
            t += 1
        return [[*row[: width - 1], (" ", "")]]
