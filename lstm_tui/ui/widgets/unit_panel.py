"""The selected unit's arithmetic at this step, with the real numbers."""

from __future__ import annotations

from lstm_tui.ui.text import number, operand, visible_token, written_sum
from lstm_tui.ui.view import GATE_ROWS, View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells

# The longest `` = products = result`` usually gets: negative numbers in
# parentheses, a cell state of two digits.
WIDEST_C = len(" = (-0.00)·(-10.00) + (-0.00)·(-1.00) = -10.00")
WIDEST_H = len(" = (-0.00)·(-0.00) = -0.00")
C_FORMULA = " c = f·c_prev + i·g"


def h_formula(cell_name: str) -> str:
    return f" h = o·{cell_name}(c)"


class UnitPanel(LineCanvas):
    """``i = sigmoid(+2.31) = 0.91`` for each gate, then ``c = …`` and ``h = …``.

    The pre-activations of the four gates stand side by side in one column, so
    the student sees that each gate computes its own, and which activation
    squashes it.
    """

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

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
        token = view.session.sequence.label(t)
        if view.session.sequence.is_tokens:
            token = visible_token(token)
        title = f" unit {u} of {hidden} · t = {t} · read {token}"
        # The token may be a wide character (CJK, an emoji): token_cells.
        out: list[Row] = [token_cells(title, "canvas--title")]

        gate_lines: list[tuple[str, float, str]] = []
        for k, (letter, slot) in enumerate(GATE_ROWS):
            value = float(view.row(letter).values[u])
            pre = float(z[k * hidden + u])
            clamp = config.clamp(slot) if slot != "candidate" else None
            if clamp is None:
                left = f" {letter} = {config.activation_name(slot)}({number(pre, True)})"
            else:
                # Short: the line must leave room for the value at 80 columns.
                left = f" {letter} clamped (z unused)"
            gate_lines.append((left, value, letter))
        align = max(len(left) for left, _, _ in gate_lines)
        for left, value, letter in gate_lines:
            scale = view.row(letter).scale
            shown = number(value, scale.diverging)
            # The number in plain text, the bar in the scale's colour: one
            # coloured segment per line keeps each step's update small.
            row = text_cells(left.ljust(align) + " = " + shown, "")
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
        formula = C_FORMULA
        (fc, ig), shown_c = written_sum([(f, c_prev), (i, g)], c)
        products = " + ".join(f"{operand(a)}·{operand(b)}" for a, b in (fc, ig))
        out += self._equation(formula, products, shown_c, c_style, width, WIDEST_C)
        formula = h_formula(cell_name)
        (oa,), shown_h = written_sum([(o, act_c)], h)
        products = f"{operand(oa[0])}·{operand(oa[1])}"
        out += self._equation(formula, products, shown_h, h_style, width, WIDEST_H)
        return out

    @staticmethod
    def _equation(
        formula: str, products: str, result: str, style: str, width: int, widest: int
    ) -> list[Row]:
        """``formula = products = result`` on one line or two.

        How many lines depends only on the width and on ``widest``, the
        longest the products and result usually get, never on this step's
        numbers: the panel keeps its height while stepping, so the screen
        does not jump and nothing is cut off.
        """
        result_cells = text_cells(result, style)
        if len(formula) + widest <= width:
            return [text_cells(f"{formula} = {products} = ") + result_cells]
        if len(f"   = {products} = {result}") <= width:
            return [text_cells(formula), text_cells(f"   = {products} = ") + result_cells]
        # Narrow: the result next to the formula, the products under it.
        return [text_cells(f"{formula} = ") + result_cells, text_cells(f"   = {products}")]

    def wanted_height(self, width: int) -> int:
        # Known from the width alone (see _equation): a layout may come
        # between a change of model and the step being computed.
        cell_name = self.view.session.config.activation_name("cell")
        equations = ((C_FORMULA, WIDEST_C), (h_formula(cell_name), WIDEST_H))
        return 1 + len(GATE_ROWS) + sum(1 if len(f) + w <= width else 2 for f, w in equations)

    def build(self, width: int, height: int) -> list[Row]:
        return self.lines(width)
