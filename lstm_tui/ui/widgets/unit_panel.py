"""The selected unit's arithmetic at this step, with the real numbers."""

from __future__ import annotations

import math

from rich.cells import cell_len

from lstm_tui.ui.text import number, operand, shortened, visible_token, written_sum
from lstm_tui.ui.view import GATE_ROWS, View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells

# The longest `` = products = result`` usually gets: negative numbers in
# parentheses, a cell state of two digits.
WIDEST_C = len(" = (-0.00)·(-10.00) + (-0.00)·(-1.00) = -10.00")
WIDEST_H = len(" = (-0.00)·(-0.00) = -0.00")
C_FORMULA = " c = f·c_prev + i·g"
# The most cells :func:`number` writes for any value (``+1.8e+197``, ``-2.0e+04``).
WIDEST_NUMBER = len("+1.8e+197")
# A line that goes on from the one above: under the formula's ``=``.
GOES_ON = "   "
# What a vector's value takes at most in the title (``-1.23e+05`` and a space).
WIDEST_VALUE = len("-1.23e+05 ")


def h_formula(cell_name: str) -> str:
    return f" h = o·{cell_name}(c)"


def gate_left(letter: str, activation: str | None, pre: str) -> str:
    """``i = sigmoid(+2.31)``, or the clamp said when the gate computes nothing."""
    if activation is None:
        return f" {letter} clamped (z unused)"
    return f" {letter} = {activation}({pre})"


def fitted_values(label: str, room: int) -> str:
    """A vector's values, as many whole ones as fit in ``room``, then an ellipsis."""
    if len(label) <= room:
        return label
    kept: list[str] = []
    for value in label.split(" "):
        if len(" ".join([*kept, value])) + 2 > room:
            break
        kept.append(value)
    return " ".join([*kept, "…"])


class UnitPanel(LineCanvas):
    """``i = sigmoid(+2.31) = 0.91`` for each gate, then ``c = …`` and ``h = …``.

    The pre-activations of the four gates stand side by side in one column, so
    the student sees that each gate computes its own, and which activation
    squashes it. What does not fit on a line goes on the next one: no number
    is ever cut.
    """

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # Rows the panel took when last built at a width: only numbers longer
        # than usual (a sum that needs more digits) make it differ from the estimate.
        self._built: tuple[int, int] | None = None
        self._longest: tuple[object, int] = (None, 0)
        # The gates' activations for a configuration (configurations are immutable).
        self._activations_of: tuple[object, list[tuple[str, str | None, int]]] = (None, [])

    def _activations(self) -> list[tuple[str, str | None, int]]:
        """Each gate's letter, its activation's name (None when the gate is clamped)
        and the most cells its value can take."""
        config = self.view.session.config
        if self._activations_of[0] == config:
            return self._activations_of[1]
        shown: list[tuple[str, str | None, int]] = []
        for letter, slot in GATE_ROWS:
            if slot != "candidate" and config.clamp(slot) is not None:
                shown.append((letter, None, len("0.00")))
                continue
            act = config.activation(slot)
            # A bounded activation's value takes four cells (1.00), a sign more below 0.
            cells = WIDEST_NUMBER
            if math.isfinite(act.low) and math.isfinite(act.high):
                cells = len("1.00") + (act.low < 0)
            shown.append((letter, act.name, cells))
        self._activations_of = (config, shown)
        return shown

    def _gate_fits(self, width: int) -> list[bool]:
        """Whether each gate's line holds its pre-activation and value at any magnitude.

        Decided from the activations and the width alone, never from this
        step's numbers: the panel keeps its height while stepping.
        """
        widest = "+" + "9" * (WIDEST_NUMBER - 1)
        return [
            len(gate_left(letter, act, widest)) + len(" = ") + value <= width
            for letter, act, value in self._activations()
        ]

    def _title_lines(self, width: int) -> int:
        """One line for the title when the longest token read fits on it, else two."""
        view = self.view
        longest = self._longest_token()
        head = f" unit {view.hidden - 1} of {view.hidden} · t = {view.length - 1} · read "
        return 1 if len(head) + longest <= width else 2

    def _longest_token(self) -> int:
        """Cells the longest token of the sequence takes (measured once per sequence)."""
        sequence = self.view.session.sequence
        if self._longest[0] is not sequence:
            if sequence.is_tokens:
                vocab = sequence.vocab or ()
                cells = max((cell_len(visible_token(v)) for v in vocab), default=1)
            else:
                cells = WIDEST_VALUE * sequence.input_size
            self._longest = (sequence, cells)
        return self._longest[1]

    def _title(self, width: int, u: int, hidden: int, t: int) -> list[Row]:
        sequence = self.view.session.sequence
        head = f" unit {u} of {hidden} · t = {t}"
        one_line = self._title_lines(width) == 1
        if one_line:
            prefix, room = f"{head} · read ", width
        else:
            prefix, room = " read ", width - 1
        label = sequence.label(t)
        if sequence.is_tokens:
            token = shortened(visible_token(label), room - len(prefix))
        else:
            token = fitted_values(label, room - len(prefix))
        # The token may be a wide character (CJK, an emoji): token_cells.
        if one_line:
            return [token_cells(prefix + token, "canvas--title")]
        return [text_cells(head, "canvas--title"), token_cells(prefix + token, "canvas--title")]

    def lines(self, width: int) -> list[Row]:
        view = self.view
        view.catch_up()
        traj = view.session.trajectory
        config = view.session.config
        t, u, hidden = view.t, view.unit, view.hidden
        # A change to the session (a chapter, a clamp) can reach a layout before
        # the view's update: the step is then computed here, on the new cell.
        t, u = min(t, len(traj) - 1), min(u, hidden - 1)
        traj.ensure(t)
        z = traj.z[t]
        out: list[Row] = self._title(width, u, hidden, t)

        fits = self._gate_fits(width)
        gate_lines: list[tuple[str, float, str, bool]] = []
        for k, (letter, act, _) in enumerate(self._activations()):
            value = float(view.row(letter).values[u])
            pre = float(z[k * hidden + u])
            gate_lines.append((gate_left(letter, act, number(pre, True)), value, letter, fits[k]))
        # The values of the gates on one line each stand in one column.
        align = max((len(left) for left, _, _, one in gate_lines if one), default=0)
        for left, value, letter, one in gate_lines:
            scale = view.row(letter).scale
            shown = number(value, scale.diverging)
            # The number in plain text, the bar in the scale's colour: one
            # coloured segment per line keeps each step's update small.
            if one:
                row = text_cells(left.ljust(align) + " = " + shown, "")
            else:
                # A long activation name: the value goes on under it.
                out.append(text_cells(left))
                row = text_cells(f"{GOES_ON}= {shown}", "")
            room = width - len(row) - 2
            if room >= 4:
                row += [
                    (" ", ""),
                    *text_cells(scale.bar(value, min(room, 10)), scale.style_name(value)),
                ]
            out.append(row)

        _, c_prev_all = traj.previous(t)
        c_prev = float(c_prev_all[u])
        i, f, g, o = (float(view.row(k).values[u]) for k in "ifgo")
        c = float(view.row("c").values[u])
        act_c = float(view.row("a").values[u])
        h = float(view.row("h").values[u])
        cell_name = config.activation_name("cell")
        c_style = view.row("c").scale.at(u).style_name(c)
        h_style = view.row("h").scale.style_name(h)
        (fc, ig), shown_c = written_sum([(f, c_prev), (i, g)], c)
        products = [f"{operand(a)}·{operand(b)}" for a, b in (fc, ig)]
        out += self._equation(C_FORMULA, products, shown_c, c_style, width, WIDEST_C)
        (oa,), shown_h = written_sum([(o, act_c)], h)
        products = [f"{operand(oa[0])}·{operand(oa[1])}"]
        out += self._equation(h_formula(cell_name), products, shown_h, h_style, width, WIDEST_H)
        self._built = (width, len(out))
        return out

    @staticmethod
    def _equation(
        formula: str, products: list[str], result: str, style: str, width: int, widest: int
    ) -> list[Row]:
        """``formula = products = result`` on one line, or more when it does not fit.

        How many lines depends on the width and on ``widest``, the longest
        the products and result usually get, not on this step's numbers:
        the panel keeps its height while stepping, so the screen does not
        jump. Only numbers longer than usual take a line more, the terms one
        under the other, so nothing is cut off.
        """
        result_cells = text_cells(result, style)
        terms = " + ".join(products)
        if len(formula) + widest <= width:
            if len(f"{formula} = {terms} = {result}") <= width:
                return [text_cells(f"{formula} = {terms} = ") + result_cells]
        elif len(f"{GOES_ON}= {terms} = {result}") <= width:
            return [text_cells(formula), text_cells(f"{GOES_ON}= {terms} = ") + result_cells]
        # Narrow, or long numbers: the result next to the formula, the products under it.
        head = [text_cells(f"{formula} = ") + result_cells]
        if len(f"{GOES_ON}= {terms}") <= width:
            return [*head, text_cells(f"{GOES_ON}= {terms}")]
        signs = ["=", *["+"] * (len(products) - 1)]
        pairs = zip(signs, products, strict=True)
        return head + [text_cells(f"{GOES_ON}{sign} {term}") for sign, term in pairs]

    def wanted_height(self, width: int) -> int:
        # Known from the width and the settings (see _equation and _gate_fits):
        # a layout may come between a change of model and the step being
        # computed. Numbers longer than usual, met when last built, add to it.
        cell_name = self.view.session.config.activation_name("cell")
        equations = ((C_FORMULA, WIDEST_C), (h_formula(cell_name), WIDEST_H))
        estimate = (
            self._title_lines(width)
            + sum(1 if one else 2 for one in self._gate_fits(width))
            + sum(1 if len(f) + w <= width else 2 for f, w in equations)
        )
        if self._built is not None and self._built[0] == width:
            return max(estimate, self._built[1])
        return estimate

    def build(self, width: int, height: int) -> list[Row]:
        return self.lines(width)
