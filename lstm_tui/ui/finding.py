"""The unit finder (``u``): rank the shown layer's units, pick one, and the screen goes to it.

Asked for a token class (``[A-Z]``, a space, ``()``), the units are ranked
by how strongly their c tracks it (|r|, h's r beside it); asked for nothing,
by the variance of c; each row also gives ``sat``, the share of steps at which
tanh(c) is saturated (|tanh c| >= 0.95). Asked for a
number, the screen goes to that unit. The ranking is over the steps so far
(0 to the furthest step visited), what the timeline shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from lstm_tui.engine.units import (
    class_tokens,
    correlations,
    ranked,
    saturation_shares,
    variances,
)
from lstm_tui.errors import InputError
from lstm_tui.ui.text import safe_text
from lstm_tui.ui.view import View

if TYPE_CHECKING:
    from textual.app import App

    from lstm_tui.ui.dialogs.choice_list import Choice

FINDER_PROMPT = (
    "Rank the units by how their c tracks a token class (a regular expression over "
    "tokens, or the tokens themselves); nothing: by variance; a number: go to that unit."
)
FINDER_HINT = "[A-Z]: capitals · a space · (): brackets · \\d: digits · 41: unit 41"


def unit_choices(view: View, text: str) -> tuple[str, list[Choice]]:
    """The finder's title and its rows for what was typed; an :class:`InputError` if no ranking."""
    from lstm_tui.ui.dialogs.choice_list import Choice

    session = view.session
    traj = session.trajectory
    steps = view.reached + 1
    if steps < 2:
        raise InputError("step on first: a ranking needs at least two steps")
    c, h = traj.c[:steps], traj.h[:steps]
    spread, saturated = variances(c), saturation_shares(c)
    where = f"steps 0–{steps - 1}, layer {session.layer}"
    width = len(str(c.shape[1] - 1))
    if not text:
        order = ranked(spread)
        title = f"units by the variance of c ({where})"
        rows = [
            Choice(f"unit {u:<{width}} ", f"var(c) {spread[u]:<9.3g} sat {saturated[u]:>4.0%}")
            for u in order
        ]
        return title, rows
    ids = session.token_ids()
    vocab = session.sequence.vocab
    if ids is None or vocab is None:
        raise InputError("a token class needs a sequence of tokens; this one holds numbers")
    members = class_tokens(text, vocab)
    wanted = np.array([k for k, tok in enumerate(vocab) if tok in members])
    member = np.isin(ids[:steps], wanted)
    r_c, r_h = correlations(c, member), correlations(h, member)
    order = ranked(r_c, by_magnitude=True)
    count = int(member.sum())
    title = f"|r| of c with {safe_text(text)!r}: {count} of {steps} steps, layer {session.layer}"
    rows = [
        Choice(
            f"unit {u:<{width}} ",
            f"r(c) {_r(r_c[u])}  r(h) {_r(r_h[u])}  var(c) {spread[u]:<9.3g} "
            f"sat {saturated[u]:>4.0%}",
        )
        for u in order
    ]
    return title, rows


def _r(value: float) -> str:
    return "  —  " if np.isnan(value) else f"{value:+.2f}"


class FindingMixin:
    """The finder's action; the screen using it provides ``view``, ``app``, ``notify()``
    and ``action_unit(delta)`` (which selects a unit and scrolls the panels to it)."""

    view: View
    app: App[int]
    notify: Callable[..., None]
    action_unit: Callable[[int], None]

    def action_find_units(self) -> None:
        from lstm_tui.ui.dialogs.choice_list import ChoiceList
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        def answered(text: str | None) -> None:
            if text is None:
                return
            # Blank but not empty is the space token; anything else is read trimmed.
            typed = text.strip() or text[:1]
            hidden = self.view.hidden
            if typed.isdigit():
                unit = int(typed)
                if unit >= hidden:
                    self.notify(f"there is no unit {unit}: units are 0 to {hidden - 1}")
                    return
                self._go_to_unit(unit)
                return
            try:
                title, choices = unit_choices(self.view, typed)
            except InputError as err:
                self.notify(str(err), severity="error", title="no ranking")
                return
            self.app.push_screen(ChoiceList(title, choices), picked)

        def picked(name: str | None) -> None:
            if name is not None:
                self._go_to_unit(int(name.removeprefix("unit ").strip()))

        self.app.push_screen(
            TextPrompt("find units", FINDER_PROMPT, hint=FINDER_HINT, placeholder="[A-Z]"),
            answered,
        )

    def _go_to_unit(self, unit: int) -> None:
        self.action_unit(unit - self.view.unit)
        self.notify(f"unit {unit} selected", timeout=2)
