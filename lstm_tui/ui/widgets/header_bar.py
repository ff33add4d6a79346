"""The top line: what is loaded, where in time we are, and the cell's configuration."""

from __future__ import annotations

from lstm_tui.engine.activations import GATE_SLOT_LETTER, SLOTS
from lstm_tui.ui.glyphs import PAUSED, PLAYING
from lstm_tui.ui.text import safe_text, short_activation, shortened, visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import (
    SEPARATOR_STYLE,
    LineCanvas,
    Row,
    text_cells,
    token_cells,
)

# How many cells the sequence's and the model's names may take, tried in turn
# until the rest of the line (activations, clamps, the * for unsaved edits) fits.
NAME_ROOMS: tuple[tuple[int | None, int | None], ...] = (
    (None, None),
    (24, None),
    (16, None),
    (16, 20),
    (12, 16),
    (10, 12),
)
FALLBACK_ROOM = 16


class HeaderBar(LineCanvas):
    """``t = 17 / 240 ❚❚ 10/s │ brackets │ preset counter │ σ i f o  tanh g c │ no clamps``."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def build(self, width: int, height: int) -> list[Row]:
        """The line; long file names are shortened first, so the state always shows."""
        session = self.view.session
        names = (safe_text(session.sequence_label), safe_text(session.model_label))
        line: Row = []
        for rooms in NAME_ROOMS:
            shown = (shortened(name, room) for name, room in zip(names, rooms, strict=True))
            line, whole = self._line(width, *shown)
            if whole and len(line) <= width:
                return [line]
        # Nothing fits whole: the activation list gives way (the unit panel's
        # equations name the activations too), with a sequence name cut to a
        # readable length and the model named in full; else with the names
        # shortened in turn, so the clamps are never the part cut off.
        tries = [(shortened(names[0], FALLBACK_ROOM), names[1])] + [
            (shortened(names[0], first), shortened(names[1], second))
            for first, second in NAME_ROOMS
        ]
        for sequence_name, model_name in tries:
            line, _ = self._line(width, sequence_name, model_name)
            if len(line) <= width:
                break
        return [line]

    def _line(self, width: int, sequence_name: str, model_name: str) -> tuple[Row, bool]:
        """The line with these names, and whether everything else fits in full."""
        view = self.view
        session = view.session
        config = session.config
        wide = width >= 110
        sep = text_cells(" │ ", SEPARATOR_STYLE)
        # The step comes first: it changes on every key, and a change at the
        # left edge of a line is the cheapest to send to the terminal.
        row: Row = text_cells(f" t = {view.t} / {view.length}", "canvas--title")
        state = f" {PLAYING if view.playing else PAUSED} {view.speed:g}/s"
        row += text_cells(state, "canvas--label")
        if view.computing is not None:
            row += text_cells(f" computing {view.computing:.0%}", "canvas--title")
        found = view.find
        if found is not None:
            # While a find is active n / N go through its matches, not chapters: say so.
            where = f"{found.position(view.t)}/{len(found.steps)}"
            row += text_cells(" find ", "canvas--label")
            row += token_cells(visible_token(found.token), "canvas--title")
            row += text_cells(f" {where}", "canvas--title")
        if getattr(self.app, "kiosk", False):
            # A classroom machine: say why opening or saving files is refused.
            row += text_cells(" kiosk", "canvas--title")
        row += sep
        # The sequence's and the weights' names come from file names: shown
        # safe (an ESC in one would act on the terminal), wide letters in two cells.
        row += token_cells(sequence_name, "canvas--title") + sep
        row += token_cells(model_name)
        depth = session.stack.depth
        if depth > 1:
            # Which layer of the stack the panels show (j: the next one).
            row += text_cells(f" · layer {session.layer} of 0–{depth - 1}", "canvas--title")
        if session.modified:
            # A glyph, not only a colour: unsaved edits to weights, activations or clamps.
            row += text_cells(" *" if not wide else " * modified", "canvas--title")
        row += sep
        clamps = ", ".join(f"{GATE_SLOT_LETTER[g]}={v:g}" for g, v in config.clamps)
        tail: Row = []
        if clamps:
            tail = sep[1:] + text_cells(f"clamp {clamps}", "canvas--title")
        elif wide:
            # Narrow screens leave the default unsaid so the line is not cut.
            tail = sep[1:] + text_cells("no clamps")
        lists: list[Row] = []
        if wide:
            spelled: Row = []
            for slot in SLOTS:
                spelled += text_cells(f"{GATE_SLOT_LETTER[slot]} ", "canvas--label")
                spelled += text_cells(config.activation_name(slot) + " ")
            if not clamps and len(row) + len(spelled) + len(tail) > width:
                tail = []  # "no clamps" says the default: the first thing to give way
            lists.append(spelled[:-1])
        # Slots grouped by activation, "σ i f o  tanh g c", or "σ ifo tanh gc"
        # when that is what it takes to show the clamps.
        groups: dict[str, list[str]] = {}
        for slot in SLOTS:
            groups.setdefault(config.activation_name(slot), []).append(GATE_SLOT_LETTER[slot])
        compact: list[Row] = []
        for spaced in (True, False):
            slots: Row = []
            for k, (name, letters) in enumerate(groups.items()):
                group = text_cells(("  " if spaced else " ") if k else "")
                group += text_cells(short_activation(name) + " ")
                group += text_cells((" " if spaced else "").join(letters), "canvas--label")
                slots += group
                if not spaced:
                    compact.append(group)
            lists.append(slots)
        for slots in lists:
            line = [*row, *slots, (" ", ""), *tail]
            if len(line) <= width:
                return line, True
        # Still too long: the clamps are short and easy to miss (a gate held
        # constant), so the activation list gives way, whole groups and an
        # ellipsis, never half an activation's name.
        # In the text colour: a dim one is lost on the header's background in 16 colours.
        ellipsis = text_cells(" …" if compact else "…")
        for kept in range(len(compact) - 1, -1, -1):
            slots = [cell for group in compact[:kept] for cell in group]
            line = [*row, *slots, *(ellipsis if kept else ellipsis[-1:]), (" ", ""), *tail]
            if len(line) <= width:
                return line, False
        return [*row, *tail[2:]], False  # no list at all, and one separator
