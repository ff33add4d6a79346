"""The lesson's caption: which chapter, its claim, what to look at and one thing to try."""

from __future__ import annotations

import textwrap

from rich.cells import cell_len

from lstm_tui.ui.text import safe_text
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import (
    LESSON_BAR_STYLE,
    LineCanvas,
    Row,
    text_cells,
    token_cells,
)

# The keys of a lesson, the longest form that fits beside the chapter's title.
KEYS_HINTS = (
    "n next · N back · L chapters · esc close",
    "n next · N back · L chapters",
    "n · N · L chapters",
)
# While a find is active n and N go through its matches instead.
FIND_HINT = "n N: matches · esc: end find"
# A bar down the left edge marks the lesson's lines apart from the panels below.
BAR: Row = [("▌", LESSON_BAR_STYLE)]


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells (a lesson's lines fit 80 columns whole)."""
    if cell_len(text) <= width:
        return [text]
    return textwrap.wrap(text, width=max(8, width)) or [""]


class LessonCaption(LineCanvas):
    """``lesson 3/13 · The cell state counts``, the claim, then the caption's lines.

    Empty (no height) when no lesson is open. Every line of a lesson file is
    the teacher's text: shown through :func:`safe_text`, drawn cell by cell,
    never read as markup.
    """

    def __init__(
        self, view: View, *, id: str | None = None, keys: tuple[str, ...] = KEYS_HINTS
    ) -> None:
        super().__init__(id=id)
        self.view = view
        # The keys beside the title, longest first (esc means another thing on the
        # compare screen).
        self.keys = keys

    def wanted_height(self, width: int) -> int:
        return len(self._lines(width))

    def build(self, width: int, height: int) -> list[Row]:
        return self._lines(width)

    def _lines(self, width: int) -> list[Row]:
        lesson = self.view.lesson
        if lesson is None:
            return []
        chapter = lesson.chapters[self.view.chapter]
        room = width - 3
        head = f" lesson {chapter.number}/{len(lesson)} · "
        title = token_cells(safe_text(chapter.title), "canvas--title")
        first: Row = BAR + text_cells(head, "canvas--label") + title
        hints = (FIND_HINT,) if self.view.find is not None else self.keys
        for hint in hints:
            gap = width - len(first) - len(hint) - 1
            if gap >= 2:
                first += text_cells(" " * gap) + text_cells(hint, "canvas--dim")
                break
        rows = [first]
        rows += [
            BAR + text_cells(" ") + token_cells(line, "canvas--title")
            for line in _wrapped(safe_text(chapter.claim), room)
        ]
        for caption in chapter.caption:
            rows += [
                BAR + text_cells(" ") + token_cells(line)
                for line in _wrapped(safe_text(caption), room)
            ]
        return rows
