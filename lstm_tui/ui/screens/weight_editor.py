"""Edit one unit's weights for one gate: its rows of W_ih and W_hh and its two biases.

The weights are laid out as a grid of numbers, each coloured by value on the
diverging scale the panels use; arrows move, ``+``/``-`` nudge by a step that
``[``/``]`` change, typing sets a number exactly, ``0`` zeroes and ``r``
restores the loaded value. Every change goes into the session at once (one
undoable edit each), so the screen behind and the live line here follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from lstm_tui.engine.params import GATE_ORDER, LSTMParams, gate_rows
from lstm_tui.errors import InputError
from lstm_tui.session import MAX_WEIGHT, Session, check_weight
from lstm_tui.ui.scales import Scale, nice_range
from lstm_tui.ui.text import fixed_number, number, visible_token

GATE_NAMES = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate"}
STEPS: tuple[float, ...] = (0.001, 0.01, 0.1, 0.5, 1.0, 5.0, 10.0)
DEFAULT_STEP = STEPS.index(0.1)
CELL = 8  # a signed number in six cells, a mark for "changed", a gap
MARGIN = 2
SECTION_TITLES = (
    "W_ih  weight_ih_l0[{row}, :]  one weight per {inputs}",
    "W_hh  weight_hh_l0[{row}, :]  one weight per unit of h at the previous step",
    "biases  bias_ih_l0[{row}], bias_hh_l0[{row}]  (only their sum matters)",
)


@dataclass(frozen=True)
class Slot:
    """One editable number of the row: which array, which column, what the column reads."""

    key: str  # a PyTorch name, weight_ih_l0 ...
    column: int | None  # None for a bias
    label: str
    section: int  # 0 W_ih, 1 W_hh, 2 biases


def slots_for(params: LSTMParams, vocab: tuple[str, ...] | None) -> list[Slot]:
    """Every number of one unit's gate row, in the order the grid shows them."""
    slots = []
    for j in range(params.input_size):
        label = visible_token(vocab[j]) if vocab is not None else f"x{j}"
        slots.append(Slot("weight_ih_l0", j, label, 0))
    slots += [Slot("weight_hh_l0", j, f"h{j}", 1) for j in range(params.hidden_size)]
    slots += [Slot("bias_ih_l0", None, "b_ih", 2), Slot("bias_hh_l0", None, "b_hh", 2)]
    return slots


def slot_index(slot: Slot, row: int) -> tuple[int, ...]:
    return (row,) if slot.column is None else (row, slot.column)


class WeightGrid(ScrollView):
    """The row's numbers, a few per line under their column labels; scrolls when long."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grid--neg3",
        "grid--neg2",
        "grid--neg1",
        "grid--zero",
        "grid--pos1",
        "grid--pos2",
        "grid--pos3",
        "grid--label",
        "grid--heading",
        "grid--cursor",
        "grid--changed",
    }

    # The diverging palette of the cell panel, so a weight's colour reads
    # like a value's; the number and its sign carry the meaning without colour.
    DEFAULT_CSS = """
    WeightGrid {
        height: auto;
        overflow-x: hidden;
        .grid--neg3 { color: #5aa9ff; text-style: bold; }
        .grid--neg2 { color: #4f8fd6; }
        .grid--neg1 { color: #6f8aa8; }
        .grid--zero { color: #7d7d7d; }
        .grid--pos1 { color: #b39377; }
        .grid--pos2 { color: #e8933a; }
        .grid--pos3 { color: #ffad4d; text-style: bold; }
        .grid--label { color: $text-muted; }
        .grid--heading { color: $text; text-style: bold; }
        .grid--cursor { text-style: bold reverse; }
        .grid--changed { color: $warning; text-style: bold; }
    }
    WeightGrid:light {
        .grid--neg3 { color: #003f9e; text-style: bold; }
        .grid--neg2 { color: #1f5fbf; }
        .grid--neg1 { color: #6a88ad; }
        .grid--zero { color: #8a8a8a; }
        .grid--pos1 { color: #b0835a; }
        .grid--pos2 { color: #c7650a; }
        .grid--pos3 { color: #9c4600; text-style: bold; }
    }
    """

    # The editor's keys move the cursor; focused, a scroll view would take the arrows.
    can_focus = False

    def __init__(self, editor: WeightEditor) -> None:
        super().__init__()
        self.editor = editor
        self._lines: list[Strip] = []
        self._rows: list[list[int]] = []  # slot indices on each value line, top to bottom
        self._cursor_y = 0

    # ------------------------------------------------------------- layout
    def per_line(self, width: int) -> int:
        return max(1, (width - MARGIN) // CELL)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._layout(width)[0])

    def _layout(self, width: int) -> tuple[list[list[tuple[str, str]]], list[list[int]], int]:
        """Lines of (text, class) runs, the slots on each value line, and the cursor's line."""
        editor = self.editor
        slots = editor.slots
        per_line = self.per_line(width)
        row = editor.row
        values = [editor.value(slot) for slot in slots]
        loaded = [editor.loaded_value(slot) for slot in slots]
        scale = Scale(True, nice_range(np.array(values, dtype=np.float64)))
        inputs = "token of the vocabulary" if editor.session.input_vocab else "input dimension"
        lines: list[list[tuple[str, str]]] = []
        value_rows: list[list[int]] = []
        cursor_y = 0
        for section in range(3):
            members = [k for k, slot in enumerate(slots) if slot.section == section]
            title = SECTION_TITLES[section].format(row=row, inputs=inputs)
            lines.append([(" " + title, "grid--heading")])
            for start in range(0, len(members), per_line):
                chunk = members[start : start + per_line]
                label_runs: list[tuple[str, str]] = [(" " * MARGIN, "")]
                value_runs: list[tuple[str, str]] = [(" " * MARGIN, "")]
                for k in chunk:
                    cursor = k == editor.cursor
                    label = slots[k].label[: CELL - 2].center(CELL - 2) + "  "
                    label_runs.append((label, "grid--heading" if cursor else "grid--label"))
                    style = "grid--cursor" if cursor else _style_name(scale, values[k])
                    value_runs.append((fixed_number(values[k], CELL - 2, True), style))
                    changed = values[k] != loaded[k]
                    value_runs.append(("•" if changed else " ", "grid--changed"))
                    value_runs.append((" ", ""))
                    if cursor:
                        cursor_y = len(lines)
                lines.append(label_runs)
                value_rows.append(chunk)
                lines.append(value_runs)
        return lines, value_rows, cursor_y

    def rebuild(self) -> None:
        """Lay the grid out again for the current row and cursor, and keep the cursor in view."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        runs, self._rows, self._cursor_y = self._layout(width)
        self._lines = [self._strip(line) for line in runs]
        self.virtual_size = Size(width, len(self._lines))
        self.refresh(layout=True)
        self.scroll_to_region(
            Region(0, max(0, self._cursor_y - 1), 1, 2), animate=False, immediate=True
        )

    def move_lines(self, lines: int) -> None:
        """Move the editor's cursor ``lines`` value lines up or down, keeping its column."""
        rows = self._rows
        editor = self.editor
        here = next((n for n, row in enumerate(rows) if editor.cursor in row), 0)
        column = rows[here].index(editor.cursor) if rows else 0
        target = max(0, min(len(rows) - 1, here + lines))
        if rows:
            editor.cursor = rows[target][min(column, len(rows[target]) - 1)]

    def on_resize(self) -> None:
        self.rebuild()

    # ------------------------------------------------------------ drawing
    def _strip(self, runs: list[tuple[str, str]]) -> Strip:
        segments = [Segment(text, self._rich(name)) for text, name in runs]
        return Strip(segments)

    def _rich(self, name: str) -> Style:
        return self.get_component_rich_style(name) if name else self.rich_style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.size.width
        if line >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._lines[line].crop_extend(scroll_x, scroll_x + width, self.rich_style)
        return strip.apply_offsets(scroll_x, line)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.call_later(self.rebuild)


def _style_name(scale: Scale, value: float) -> str:
    return scale.style_name(value).replace("scale--", "grid--")


class WeightEditor(ModalScreen[int]):
    """Returns how many edits were made while it was open.

    ``changed`` is called after every change to the session so the screen
    behind redraws; ``t`` gives the step the viewer is at, for the live line.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "previous weight", show=False),
        Binding("right", "move(1)", "next weight", show=False),
        Binding("up", "move_lines(-1)", "weight above", show=False),
        Binding("down", "move_lines(1)", "weight below", show=False),
        Binding("pageup", "move_lines(-5)", "page up", show=False),
        Binding("pagedown", "move_lines(5)", "page down", show=False),
        Binding("home", "move_to(0)", "first weight", show=False),
        Binding("end", "move_to(-1)", "last weight", show=False),
        Binding("plus,equals_sign", "nudge(1)", "nudge up", key_display="+", show=False),
        Binding("minus", "nudge(-1)", "nudge down", show=False),
        Binding("left_square_bracket", "step_size(-1)", "smaller step", show=False),
        Binding("right_square_bracket", "step_size(1)", "larger step", show=False),
        Binding("0", "zero", "zero", show=False),
        Binding("r", "restore", "restore loaded value", show=False),
        Binding("enter", "type_value('')", "type a value", show=False),
        *(
            Binding(key, f"type_value('{char}')", "type a value", show=False)
            for key, char in [*((str(d), str(d)) for d in range(1, 10)), ("full_stop", ".")]
        ),
        *(Binding(g, f"gate('{g}')", f"gate {g}", show=False) for g in GATE_ORDER),
        Binding("tab", "next_gate", "next gate", show=False),
        Binding("ctrl+z", "undo", "undo", show=False),
        Binding("ctrl+y", "redo", "redo", show=False),
        Binding("escape,w,q", "close", "close", show=False),
    ]

    # Nothing takes focus on opening: the keys belong to the grid, and the
    # number box only appears (and takes focus) when a value is typed.
    AUTO_FOCUS = ""

    DEFAULT_CSS = """
    WeightEditor { align: center middle; }
    WeightEditor > Vertical {
        width: 100%; max-width: 124; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 0;
    }
    WeightEditor Static { width: 100%; padding: 0 1; }
    WeightEditor #gates { background: $boost; }
    WeightEditor #detail { color: $text; }
    WeightEditor #live { color: $text-muted; }
    WeightEditor #keys { color: $text-muted; }
    WeightEditor Input { display: none; margin: 0 1; }
    WeightEditor Input.-typing { display: block; }
    """

    def __init__(
        self,
        session: Session,
        unit: int,
        t: Callable[[], int],
        changed: Callable[[], None],
        gate: str = "i",
    ) -> None:
        super().__init__()
        self.session = session
        self.unit = unit
        self.gate = gate
        self.cursor = 0
        self.step = DEFAULT_STEP
        self.edits = 0
        self._t = t
        self._changed = changed
        self.slots = slots_for(session.params, session.input_vocab)

    # ------------------------------------------------------------- values
    @property
    def row(self) -> int:
        """The row of every (4H, ...) array that holds this unit's gate."""
        return gate_rows(self.gate, self.session.params.hidden_size).start + self.unit

    def value(self, slot: Slot) -> float:
        return float(self.session.params.state_dict()[slot.key][slot_index(slot, self.row)])

    def loaded_value(self, slot: Slot) -> float:
        return float(self.session.loaded_params.state_dict()[slot.key][slot_index(slot, self.row)])

    @property
    def current(self) -> Slot:
        return self.slots[self.cursor]

    # ------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_subtitle = "esc / w: close"
            yield Static(id="gates")
            yield WeightGrid(self)
            yield Static(id="detail", markup=False)
            yield Static(id="live", markup=False)
            yield Input(
                select_on_focus=False,
                placeholder=f"a number within ±{MAX_WEIGHT:,.0f}; enter sets it, esc cancels",
            )
            yield Static(
                "←→↑↓  +/- nudge  [ ] step  0 zero  r restore  1-9 . type  ifgo gate  ^z ^y",
                id="keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self._fit_height()
        self.refresh_all()

    def on_resize(self) -> None:
        self._fit_height()

    def _fit_height(self) -> None:
        # The grid scrolls; everything else (7 lines with the border) stays in view.
        self.query_one(WeightGrid).styles.max_height = max(3, self.size.height - 8)

    def refresh_all(self) -> None:
        """The session or the cursor changed: redraw the grid and the lines around it."""
        session = self.session
        params = session.params
        # An undo can bring back other weights with other shapes.
        self.unit = min(self.unit, params.hidden_size - 1)
        self.slots = slots_for(params, session.input_vocab)
        self.cursor = max(0, min(self.cursor, len(self.slots) - 1))
        box = self.query_one(Vertical)
        box.border_title = (
            f"weights of unit {self.unit} of {params.hidden_size} · {GATE_NAMES[self.gate]}"
        )
        gates = Text(" gate ")
        for g in GATE_ORDER:
            label = f" {g} {GATE_NAMES[g].split()[0]} "
            gates.append(label, style="reverse bold" if g == self.gate else "")
            gates.append(" ")
        gates.append(f"  step {STEPS[self.step]:g} [ ]  edits {self.edits}")
        self.query_one("#gates", Static).update(gates)
        self.query_one(WeightGrid).rebuild()
        self._update_lines()

    def _update_lines(self) -> None:
        slot = self.current
        value, loaded = self.value(slot), self.loaded_value(slot)
        index = ", ".join(str(i) for i in slot_index(slot, self.row))
        if slot.section == 0:
            reads = f"input {slot.label}"
        elif slot.section == 1:
            reads = f"from h{slot.column}"
        else:
            reads = "bias"
        note = "" if value == loaded else f" (loaded {loaded!r})"
        self.query_one("#detail", Static).update(
            f"{slot.key}[{index}]  {self.gate}{self.unit} {reads} = {value!r}{note}"
        )
        self.query_one("#live", Static).update(self._live())

    def _live(self) -> str:
        """The unit's numbers at the viewer's step, computed from the edited weights."""
        traj = self.session.trajectory
        t = min(self._t(), len(traj) - 1)
        traj.ensure(t)
        hidden, u = self.session.params.hidden_size, self.unit
        k = GATE_ORDER.index(self.gate)
        z = float(traj.z[t][k * hidden + u])
        gate = float(traj.vector(self.gate)[t, u])
        token = self.session.sequence.label(t)
        if self.session.sequence.is_tokens:
            token = visible_token(token)
        return (
            f"at t = {t}, read {token}: z_{self.gate} = {number(z, True)} → "
            f"{self.gate} = {number(gate, self.gate == 'g')} · c = {number(float(traj.c[t, u]))}"
            f" · h = {number(float(traj.h[t, u]))}"
        )

    # ------------------------------------------------------------ editing
    def _set(self, value: float) -> None:
        slot = self.current
        if value == self.value(slot):
            return
        params = self.session.params.with_value(slot.key, slot_index(slot, self.row), value)
        self.session.apply(params=params)
        self.edits += 1
        self._changed()
        self.refresh_all()

    def action_nudge(self, direction: int) -> None:
        value = self.value(self.current) + direction * STEPS[self.step]
        try:
            self._set(check_weight(value))
        except InputError as err:
            self.notify(str(err), severity="error")

    def action_zero(self) -> None:
        self._set(0.0)

    def action_restore(self) -> None:
        self._set(self.loaded_value(self.current))

    def action_step_size(self, direction: int) -> None:
        self.step = max(0, min(len(STEPS) - 1, self.step + direction))
        self.refresh_all()

    def action_type_value(self, start: str) -> None:
        box = self.query_one(Input)
        if self.typing:
            # Keys typed faster than the box took focus land here: keep them.
            if start:
                box.insert_text_at_cursor(start)
            else:
                self._submit(box.value)
            return
        box.value = start if start else repr(self.value(self.current))
        box.add_class("-typing")
        box.focus()
        box.cursor_position = len(box.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, text: str) -> None:
        if not text.strip():
            # An emptied box means "never mind", not a bad number: close it quietly.
            self._stop_typing()
            return
        try:
            value = check_weight(text)
        except InputError as err:
            # The box stays open with the text, so it can be corrected.
            self.notify(f"refused: {err}", severity="error")
            return
        self._stop_typing()
        self._set(value)

    def _stop_typing(self) -> None:
        box = self.query_one(Input)
        box.remove_class("-typing")
        box.value = ""
        self.set_focus(None)

    @property
    def typing(self) -> bool:
        return self.query_one(Input).has_class("-typing")

    # ----------------------------------------------------------- movement
    def action_move(self, delta: int) -> None:
        self._stop_typing()
        self.cursor = max(0, min(len(self.slots) - 1, self.cursor + delta))
        self.refresh_all()

    def action_move_to(self, where: int) -> None:
        self.action_move((where % len(self.slots)) - self.cursor)

    def action_move_lines(self, lines: int) -> None:
        self._stop_typing()
        self.query_one(WeightGrid).move_lines(lines)
        self.refresh_all()

    def action_gate(self, gate: str) -> None:
        self.gate = gate
        self.refresh_all()

    def action_next_gate(self) -> None:
        self.action_gate(GATE_ORDER[(GATE_ORDER.index(self.gate) + 1) % len(GATE_ORDER)])

    def action_undo(self) -> None:
        if self.session.undo():
            self._changed()
            self.refresh_all()
        else:
            self.notify("nothing to undo", timeout=2)

    def action_redo(self) -> None:
        if self.session.redo():
            self._changed()
            self.refresh_all()
        else:
            self.notify("nothing to redo", timeout=2)

    def action_close(self) -> None:
        if self.typing:
            self._stop_typing()
            return
        self.dismiss(self.edits)
