"""What the model's head guesses comes next, against the token that does come next.

One line, only for a model with a head (an ``nn.Linear`` on the last layer's
h): the most likely next tokens with their probabilities, then the actual
next token with its probability and its surprisal, ``-log2 p`` in bits (1
bit: a coin flip's worth of surprise; 7 bits: about 1 in 128).
"""

from __future__ import annotations

import math

import numpy as np

from lstm_tui.ui.text import visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells

# Surprisal bands, in bits, and the style of each: the warm ramp, so a
# token the model did not expect stands out; below one bit, plain.
SURPRISAL_BANDS: tuple[tuple[float, str], ...] = (
    (1.0, ""),
    (3.0, "scale--pos1"),
    (6.0, "scale--pos2"),
    (math.inf, "scale--pos3"),
)
LABEL = " guess "


def surprisal_style(bits: float) -> str:
    """The style of a token the head gave ``bits`` of surprisal (NaN: no guess, dimmed)."""
    if math.isnan(bits):
        return "canvas--dim"
    for limit, style in SURPRISAL_BANDS:
        if bits < limit:
            return style
    return SURPRISAL_BANDS[-1][1]


def output_name(view: View, index: int) -> str:
    """The head's output ``index`` as a token shown safe, or ``#index`` without names."""
    names = view.session.output_vocab
    return visible_token(names[index]) if names is not None else f"#{index}"


def percent(p: float) -> str:
    return f"{p * 100:.0f}%" if p >= 0.01 else f"{p * 100:.1g}%"


class PredictionPanel(LineCanvas):
    """``guess e 31% ␣ 12% a 9% │ next t 4.1% 4.6 bits``; no line without a head."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def follow_model(self) -> None:
        """Shown only while the model has a head (the screen calls this on another model)."""
        self.display = self.view.session.stack.has_head

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        session = view.session
        if not session.stack.has_head:
            return []
        if not session.sequence.is_tokens:
            return [self._vector_guess(width)]
        probs = session.stack.probabilities(view.t)
        tail = self._actual(probs)
        if view.surprisal_strip:
            tail += self._legend()
        row: Row = text_cells(LABEL, "canvas--label")
        for index in np.argsort(-probs, kind="stable")[:12]:
            cells = token_cells(output_name(view, int(index)), "canvas--title")
            cells += text_cells(f" {percent(float(probs[index]))}  ")
            if len(row) + len(cells) + len(tail) > width:
                break
            row += cells
        return [row + tail]

    def _vector_guess(self, width: int) -> Row:
        """A model of numbers guesses the next vector: ``guess +0.12 -0.40 │ next +0.10 -0.38``.

        Its head is a regression (squared error), so its outputs are values,
        not a softmax over tokens.
        """
        view = self.view
        session = view.session
        guess = session.stack.head_output(view.t)
        inputs = session.sequence.inputs
        row = text_cells(LABEL, "canvas--label")
        if view.t + 1 < len(inputs) and inputs.shape[1] == len(guess):
            actual = inputs[view.t + 1]
            error = float(np.sqrt(np.mean((guess - actual) ** 2)))
            tail = text_cells("│ next ", "canvas--label")
            tail += text_cells(" ".join(f"{v:+.2f}" for v in actual[:4]))
            tail += text_cells(f" · error {error:.3g}", "canvas--dim")
        else:
            tail = text_cells("│ next ", "canvas--label") + text_cells(
                "(end of the sequence)", "canvas--dim"
            )
        for v in guess:
            cells = text_cells(f"{v:+.2f} ", "canvas--title")
            if len(row) + len(cells) + len(tail) + 2 > width:
                row += text_cells("… ")
                break
            row += cells
        return row + tail

    def _actual(self, probs: np.ndarray) -> Row:
        view = self.view
        ids = view.session.token_ids()
        row = text_cells("│ next ", "canvas--label")
        if ids is None or view.t + 1 >= len(ids):
            return row + text_cells("(end of the sequence)", "canvas--dim")
        actual = int(ids[view.t + 1])
        name = visible_token(view.session.sequence.label(view.t + 1))
        if actual >= len(probs):
            return row + token_cells(name, "canvas--title") + text_cells(" not among the outputs")
        p = float(probs[actual])
        bits = -math.log2(p) if p > 0 else math.inf
        row += token_cells(name, "canvas--title") + text_cells(f" {percent(p)} ")
        return row + text_cells(f"{bits:.1f} bits", surprisal_style(bits))

    def _legend(self) -> Row:
        row = text_cells("  │ strip ", "canvas--label")
        low = 0.0
        for limit, style in SURPRISAL_BANDS:
            label = (
                f"<{limit:g}"
                if low == 0
                else (f"{low:g}+" if limit == math.inf else f"{low:g}–{limit:g}")
            )
            row += text_cells(label, style) + text_cells(" ")
            low = limit
        return row + text_cells("bits", "canvas--label")
