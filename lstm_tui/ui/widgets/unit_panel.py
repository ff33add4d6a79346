"""The selected unit's arithmetic at this step, with the real numbers."""

from __future__ import annotations

from lstm_tui.ui.text import number, operand, visible_token
from lstm_tui.ui.view import GATE_ROWS, View
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Row, text_cells, token_cells

# The longest `` = products = result`` usually gets: negative numbers in
# parentheses, a cell state of two digits.
WIDEST_C = len(" = (-0.00)·(-10.00) + (-0.00)·(-1.00) = -10.00")
WIDEST_H = len(" = (-0.00)·(-0.00) = -0.00")


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
        traj = view.session.trajectory
        config = view.session.config
        t, u, hidden = min(view.t, len(traj) - 1), view.unit, view.hidden
        # Asked its height between a change and the screen's redraw: compute the step.
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
        c_style = view.row("c").scale.style_name(c)
        h_style = view.row("h").scale.style_name(h)
        formula = " c = f·c_prev + i·g"
        products = f"{operand(f)}·{operand(c_prev)} + {operand(i)}·{operand(g)}"
        out += self._equation(formula, products, number(c), c_style, width, WIDEST_C)
        formula = f" h = o·{cell_name}(c)"
        products = f"{operand(o)}·{operand(act_c)}"
        out += self._equation(formula, products, number(h), h_style, width, WIDEST_H)
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
        return len(self.lines(width))

    def build(self, width: int, height: int) -> list[Row]:
        return self.lines(width)
