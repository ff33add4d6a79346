"""The classic LSTM cell figure, drawn for the selected unit at this step with its values.

The figure every explainer uses: ``c_{t-1}`` runs along the top through the
forget gate's × and the + where input gate × candidate is added, leaves as
``c_t`` and goes down through the cell activation to the output gate's ×,
which sends ``h_t`` out; ``h_{t-1}`` and ``x_t`` come in along the bottom
and feed the four boxes, forget, input, candidate, output, left to right
(numbered 1, 2, -, 3 on their bottom edges, as the classic figure numbers
the gates).
Each box names the activation now in its slot (or the value a clamp pins
the gate to, in a box of double lines that no longer draws its input), and
every value is printed, coloured by the same scale as in the cell panel::

     c_{t-1} +1.00                  c_t +1.00
    ───×── +1.00 ──+────────────────┬─▶
       │ f·c_{t-1} │ i·g +0.00     tanh +0.76
       │       ┌───×───┐       ┌────×─▶ h_t
    ╔f═╧══╗ ┌i─┴──┐ ┌g─┴──┐ ┌o─┴──┐     +0.76
    ║  =1 ║ │  σ  │ │ tanh│ │  σ  │
    ║ 1.00║ │ 0.00│ │+0.00│ │ 1.00│
    ╚1════╝ └2─┬──┘ └──┬──┘ └3─┬──┘
    ───────────┴───────┴───────┘
     h_{t-1} +0.76  x_t i              unit 0

(the forget gate clamped to 1 there). The figure's width is fixed, so a
panel of that width shows all of it.
"""

from __future__ import annotations

from lstm_tui.ui.glyphs import (
    ARROW_RIGHT,
    CLAMPED_BOX,
    CLAMPED_TEE_UP,
    CORNERS,
    PLUS,
    TEE_DOWN,
    TEE_UP,
    TIMES,
    WIRE,
    WIRE_DOWN,
)
from lstm_tui.ui.scales import Scale
from lstm_tui.ui.text import fixed_number, short_activation, visible_token
from lstm_tui.ui.view import GATE_ROWS, View
from lstm_tui.ui.widgets.line_canvas import (
    BOX_STYLE,
    CLAMPED_STYLE,
    NODE_STYLE,
    WIRE_STYLE,
    LineCanvas,
    Row,
    token_cells,
)

VALUE_WIDTH = 5  # every number in the figure: fixed_number's width
BOX_WIDTH = 7  # a border, a value, a border
BOX_STRIDE = BOX_WIDTH + 1
STEM = BOX_WIDTH // 2  # where a box's wires meet it, from its left border
FIRST_BOX = 0
OUT = FIRST_BOX + 4 * BOX_STRIDE  # the column of tanh(c) and the output gate's ×
RIGHT_VALUES = OUT + 4  # where c_t, tanh(c_t) and h_t print their values
DIAGRAM_WIDTH = RIGHT_VALUES + VALUE_WIDTH + 1
DIAGRAM_HEIGHT = 10

# The rows of the figure, top to bottom.
TOP_LABELS, CELL_WIRE, RISERS, NODES, BOX_TOP, BOX_NAME, BOX_VALUE, BOX_BOTTOM, BUS, FOOT = range(
    DIAGRAM_HEIGHT
)

LABEL_STYLE = "canvas--label"
NAME_STYLE = "canvas--title"


def _stem(box: int) -> int:
    """The column where box ``box`` (0 forget .. 3 output) meets its wires."""
    return FIRST_BOX + box * BOX_STRIDE + STEM


# The boxes left to right as in the classic figure (the cell panel's rows
# are in PyTorch's order i f g o): index into GATE_ROWS.
FIGURE_ORDER = (1, 0, 2, 3)
# The gates' numbers in the classic figure (1 forget, 2 input, 3 output; the
# candidate has none), on each box's bottom edge, so "gate 2" is findable.
FIGURE_NUMBERS = {"f": "1", "i": "2", "o": "3"}
FORGET, INPUT, CANDIDATE, OUTPUT = (_stem(k) for k in range(4))
WRITE = (INPUT + CANDIDATE) // 2  # input gate × candidate, below the +


class _Grid:
    """A blank figure that text and wires are put into, cell by cell."""

    def __init__(self, width: int, height: int) -> None:
        self.rows: list[Row] = [[(" ", "")] * width for _ in range(height)]

    def put(self, y: int, x: int, text: str, style: str) -> None:
        self.put_cells(y, x, [(ch, style) for ch in text])

    def put_cells(self, y: int, x: int, cells: Row) -> None:
        row = self.rows[y]
        for k, cell in enumerate(cells):
            if 0 <= x + k < len(row):
                row[x + k] = cell

    def across(self, y: int, start: int, stop: int) -> None:
        """A wire along row ``y`` from ``start`` up to, not including, ``stop``."""
        self.put(y, start, WIRE * (stop - start), WIRE_STYLE)

    def down(self, x: int, start: int, stop: int) -> None:
        """A wire down column ``x`` from row ``start`` up to, not including, ``stop``."""
        for y in range(start, stop):
            self.put(y, x, WIRE_DOWN, WIRE_STYLE)


class CellDiagram(LineCanvas):
    """The selected unit's cell as the classic figure, redrawn with the other panels."""

    def __init__(self, view: View, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def wanted_height(self, width: int) -> int:
        return DIAGRAM_HEIGHT

    def band_edges(self, width: int) -> list[int]:
        # A band starts where the values do (boxes, c_{t-1} and h_{t-1},
        # the right column): a step resends each changed value from its
        # own band's edge, not the whole line from the figure's left.
        return [0, 9, 17, 25, RIGHT_VALUES]

    def _value(self, key: str, value: float) -> Row:
        """``value`` as the cell panel prints and colours it on row ``key``'s scale."""
        scale: Scale = self.view.row(key).scale.at(self.view.unit)
        text = fixed_number(value, VALUE_WIDTH, scale.diverging)
        return [(ch, scale.style_name(value)) for ch in text]

    def build(self, width: int, height: int) -> list[Row]:
        view = self.view
        view.catch_up()
        traj = view.session.trajectory
        config = view.session.config
        t, u = view.t, view.unit
        h_prev_all, c_prev_all = traj.previous(t)
        c_prev, h_prev = float(c_prev_all[u]), float(h_prev_all[u])
        i, f, g, o, c, act_c, h = (float(view.row(k).values[u]) for k in "ifgocah")
        grid = _Grid(max(width, DIAGRAM_WIDTH), DIAGRAM_HEIGHT)

        # The cell state along the top: × forget, + write, out to c_t.
        grid.put(TOP_LABELS, 1, "c_{t-1} ", LABEL_STYLE)
        grid.put_cells(TOP_LABELS, 9, self._value("c", c_prev))
        grid.put(TOP_LABELS, OUT, "c_t", LABEL_STYLE)
        grid.put_cells(TOP_LABELS, RIGHT_VALUES, self._value("c", c))
        grid.across(CELL_WIRE, 0, OUT)
        grid.put(CELL_WIRE, FORGET, TIMES, NODE_STYLE)
        grid.put_cells(CELL_WIRE, FORGET + 3, [(" ", ""), *self._value("c", f * c_prev), (" ", "")])
        grid.put(CELL_WIRE, WRITE, PLUS, NODE_STYLE)
        grid.put(CELL_WIRE, OUT, TEE_DOWN + WIRE + ARROW_RIGHT, WIRE_STYLE)

        # What rises from the boxes: f to its ×, i × g to the +.
        grid.down(FORGET, RISERS, BOX_TOP)
        grid.down(WRITE, RISERS, NODES)
        grid.put(RISERS, FORGET + 2, "f·c_{t-1}", LABEL_STYLE)
        grid.put(RISERS, WRITE + 2, "i·g ", LABEL_STYLE)
        grid.put_cells(RISERS, WRITE + 6, self._value("c", i * g))
        grid.put(NODES, INPUT, CORNERS[0] + WIRE * (WRITE - INPUT - 1), WIRE_STYLE)
        grid.put(NODES, WRITE, TIMES, NODE_STYLE)
        grid.put(NODES, WRITE + 1, WIRE * (CANDIDATE - WRITE - 1) + CORNERS[1], WIRE_STYLE)

        # Out: the cell activation on c_t, masked by the output gate, h_t.
        cell_name = short_activation(config.activation_name("cell"))
        grid.put(RISERS, OUT - (len(cell_name) - 1) // 2, cell_name, NAME_STYLE)
        grid.put_cells(RISERS, RIGHT_VALUES, self._value("a", act_c))
        grid.put(NODES, OUTPUT, CORNERS[0] + WIRE * (OUT - OUTPUT - 1), WIRE_STYLE)
        grid.put(NODES, OUT, TIMES, NODE_STYLE)
        grid.put(NODES, OUT + 1, WIRE + ARROW_RIGHT, WIRE_STYLE)
        grid.put(NODES, OUT + 4, "h_t", LABEL_STYLE)
        grid.put_cells(BOX_TOP, RIGHT_VALUES, self._value("h", h))

        # The four boxes, fed from the bus of h_{t-1} and x_t; a clamped
        # gate is not fed, so the bus ends at the last box it feeds.
        values = {"i": i, "f": f, "g": g, "o": o}
        fed = []
        for box, index in enumerate(FIGURE_ORDER):
            letter, slot = GATE_ROWS[index]
            clamp = config.clamp(slot) if slot != "candidate" else None
            self._box(grid, _stem(box) - STEM, letter, slot, values[letter], clamp)
            if clamp is None:
                fed.append(_stem(box))
        grid.across(BUS, 0, fed[-1])
        for x in fed:
            grid.put(BUS, x, TEE_UP if x < fed[-1] else CORNERS[3], WIRE_STYLE)

        grid.put(FOOT, 1, "h_{t-1} ", LABEL_STYLE)
        grid.put_cells(FOOT, 9, self._value("h", h_prev))
        grid.put(FOOT, 16, "x_t ", LABEL_STYLE)
        unit = f"unit {u}"
        room = DIAGRAM_WIDTH - 20 - len(unit) - 2
        grid.put_cells(FOOT, 20, self._token(t, room))
        grid.put(FOOT, DIAGRAM_WIDTH - len(unit) - 1, unit, NAME_STYLE)
        return grid.rows[:height]

    def _box(
        self, grid: _Grid, left: int, letter: str, slot: str, value: float, clamp: float | None
    ) -> None:
        """One gate's box: its letter, activation (or clamp) and value; its wires' ends."""
        right = left + BOX_WIDTH - 1
        inner = BOX_WIDTH - 2
        if clamp is None:
            across, side, style = WIRE, WIRE_DOWN, BOX_STYLE
            corners, riser, feed = CORNERS, TEE_UP, TEE_DOWN
            name = short_activation(self.view.session.config.activation_name(slot))
        else:
            # Pinned: double lines, the constant instead of an activation,
            # and no wire from the bus, since the gate computes nothing.
            across, side, style = CLAMPED_BOX[0], CLAMPED_BOX[1], CLAMPED_STYLE
            corners, riser, feed = CLAMPED_BOX[2:], CLAMPED_TEE_UP, CLAMPED_BOX[0]
            name = f"={clamp:g}" if len(f"={clamp:g}") <= inner else f"={clamp:.2f}"
        top = corners[0] + across * inner + corners[1]
        grid.put(BOX_TOP, left, top, style)
        grid.put(BOX_TOP, left + 1, letter, NAME_STYLE)
        grid.put(BOX_TOP, left + STEM, riser, style)
        grid.put(BOX_NAME, left, side, style)
        # The name in the text's own colour: the warning colour of a clamped
        # box's lines is too faint for text on the light theme.
        grid.put(BOX_NAME, left + 1, name.center(inner), NAME_STYLE)
        grid.put(BOX_NAME, right, side, style)
        grid.put(BOX_VALUE, left, side, style)
        grid.put_cells(BOX_VALUE, left + 1, self._value(letter, value))
        grid.put(BOX_VALUE, right, side, style)
        grid.put(BOX_BOTTOM, left, corners[2] + across * inner + corners[3], style)
        if letter in FIGURE_NUMBERS:
            grid.put(BOX_BOTTOM, left + 1, FIGURE_NUMBERS[letter], LABEL_STYLE)
        grid.put(BOX_BOTTOM, left + STEM, feed, style)

    def _token(self, t: int, room: int) -> Row:
        """What the cell reads at step ``t``, shown safe, cut to ``room`` cells."""
        sequence = self.view.session.sequence
        token = sequence.label(t)
        if sequence.is_tokens:
            token = visible_token(token)
        cells = token_cells(token, NAME_STYLE)
        if len(cells) > room:
            kept = cells[: room - 1]
            if cells[room - 1][0] == "":
                # A wide character cut in half: its first cell goes too.
                kept[-1] = (" ", NAME_STYLE)
            cells = [*kept, ("…", LABEL_STYLE)]
        return cells
