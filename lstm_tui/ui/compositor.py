"""A compositor that sends the terminal only the cells a repaint asked for.

Textual's partial update sends each changed line of a widget from the
widget's left edge to the end of the change: a step that adds one column far
right on every row of the timeline would resend each of those rows almost
whole. The panels ask for exactly the cells that changed
(:class:`~lstm_tui.ui.widgets.line_canvas.LineCanvas`), and this update
sends exactly those, cropped on both sides: a step costs a few kilobytes
however wide the panels are, and every panel stays one widget (one to
place, one to paint) instead of a row of narrow strips.

Textual has no public hook for the bytes of a partial update; the screen
that uses this replaces its compositor (``Screen._compositor``), and the
update keeps :class:`ChopsUpdate`'s data and differs only in where each
piece of a line starts. Textual is pinned in ``pyproject.toml``; the tests
of the repaint check the bytes a step sends against the painted screen.
"""

from __future__ import annotations

from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate, Compositor


class SpanUpdate(ChopsUpdate):
    """A partial update whose pieces start where the repainted span starts."""

    def render_segments(self, console: Console) -> str:
        sequences: list[str] = []
        append = sequences.append
        move_to = Control.move_to
        chops = self.chops
        chop_ends = self.chop_ends
        last_y = self.spans[-1][0]
        for y, x1, x2 in self.spans:
            line = chops[y]
            for end, (x, strip) in zip(chop_ends[y], line.items(), strict=False):
                if strip is None or x >= x2 or end <= x1:
                    continue
                start, stop = max(x, x1), min(end, x2)
                if start != x or stop != end:
                    strip = strip.crop(start - x, stop - x)
                append(move_to(start, y).segment.text)
                append(strip.render(console))
            if y != last_y:
                append("\n")
        return "".join(sequences)


class SpanCompositor(Compositor):
    """Textual's compositor, with partial updates as :class:`SpanUpdate`."""

    def render_partial_update(self) -> ChopsUpdate | None:
        update = super().render_partial_update()
        if update is None:
            return None
        return SpanUpdate(update.chops, update.spans, update.chop_ends)
