"""Edit one unit's weights for one gate: its rows of W_ih and W_hh and its two biases.

The weights are laid out as a grid of numbers, each coloured by value on the
diverging scale the panels use; arrows move, ``+``/``-`` nudge by a step that
``[``/``]`` change, typing sets a number exactly, ``0`` zeroes and ``r``
restores the loaded value. Every change goes into the session at once (one
undoable edit each), so the screen behind and the live line here follow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Protocol

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from lstm_tui.engine.params import GATE_ORDER, LSTMParams, gate_rows
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError
from lstm_tui.sequences.sequence import Sequence
from lstm_tui.session import MAX_WEIGHT, check_weight
from lstm_tui.ui.commands import EDITOR_COMMANDS, bindings
from lstm_tui.ui.messages import SessionChanged
from lstm_tui.ui.text import number, visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.safe_input import SafeInput
from lstm_tui.ui.widgets.text_line import TextLine
from lstm_tui.ui.widgets.weight_grid import GridCell, GridSection, WeightGrid

GATE_NAMES = {"i": "input gate", "f": "forget gate", "g": "candidate", "o": "output gate"}
STEPS: tuple[float, ...] = (0.001, 0.01, 0.1, 0.5, 1.0, 5.0, 10.0)
DEFAULT_STEP = STEPS.index(0.1)
KEYS_LINE = "←→↑↓ +/- nudge  [ ] step  0 zero  r restore  1-9 . type  ifgo tab gate ^z ^y"
SECTION_TITLES = (
    "W_ih  weight_ih_l0[{row}, :]  one weight per {inputs}",
    "W_hh  weight_hh_l0[{row}, :]  one weight per unit of h at the previous step",
    "biases  bias_ih_l0[{row}], bias_hh_l0[{row}]  (only their sum matters)",
)


class EditedWeights(Protocol):
    """What the editor edits: the session's weights, or cell B's
    (:class:`~lstm_tui.ui.cell_b_weights.CellBWeights`)."""

    @property
    def params(self) -> LSTMParams: ...
    @property
    def loaded_params(self) -> LSTMParams: ...
    @property
    def column_vocab(self) -> tuple[str, ...] | None: ...
    @property
    def sequence(self) -> Sequence: ...
    @property
    def trajectory(self) -> Trajectory: ...
    def apply(self, params: LSTMParams) -> None: ...
    def undo(self) -> bool: ...
    def redo(self) -> bool: ...


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


def _slot_value(state: Mapping[str, np.ndarray], slot: Slot, row: int) -> float:
    """The number ``slot`` names in row ``row`` of a state dict's arrays."""
    return float(state[slot.key][slot_index(slot, row)])


class WeightEditor(ModalScreen[int]):
    """Returns how many edits were made while it was open.

    Every edit goes into the session, which tells every screen (this one and
    the one behind) through :class:`SessionChanged`; the live line reads the
    step the viewer is at from ``view``.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(EDITOR_COMMANDS)

    # Nothing takes focus on opening: the keys belong to the grid, and the
    # number box only appears (and takes focus) when a value is typed.
    AUTO_FOCUS = ""

    def __init__(
        self,
        session: EditedWeights,
        view: View,
        gate: str = "i",
        cell: str = "",
    ) -> None:
        super().__init__()
        self.session = session
        # Which cell's weights, in the title, when there are two (the compare screen's B).
        self.cell = cell
        self.view = view
        self.unit = view.unit
        self.gate = gate
        self.cursor = 0
        self.step = DEFAULT_STEP
        self.edits = 0
        # Edits made here that ctrl+z may take back, and undone ones ctrl+y may redo.
        self._undoable = 0
        self._redoable = 0
        self.slots = slots_for(session.params, session.column_vocab)

    # ------------------------------------------------------------- values
    @property
    def row(self) -> int:
        """The row of every (4H, ...) array that holds this unit's gate."""
        return gate_rows(self.gate, self.session.params.hidden_size).start + self.unit

    def value(self, slot: Slot) -> float:
        return _slot_value(self.session.params.state_dict(), slot, self.row)

    def loaded_value(self, slot: Slot) -> float:
        return _slot_value(self.session.loaded_params.state_dict(), slot, self.row)

    def _row_values(self, params: LSTMParams) -> list[float]:
        """Every slot's value in ``params``, read in one pass over its arrays."""
        state, row = params.state_dict(), self.row
        return [_slot_value(state, slot, row) for slot in self.slots]

    @property
    def current(self) -> Slot:
        return self.slots[self.cursor]

    # ------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_subtitle = "esc / w: close"
            yield TextLine(id="gates")
            yield WeightGrid()
            yield TextLine(id="detail")
            yield TextLine(id="live")
            yield SafeInput(
                select_on_focus=False,
                placeholder=f"a number within ±{MAX_WEIGHT:,.0f}; enter sets it, esc cancels",
            )
            yield Static(KEYS_LINE, id="keys", markup=False)

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
        self.slots = slots_for(params, session.column_vocab)
        self.cursor = max(0, min(self.cursor, len(self.slots) - 1))
        box = self.query_one(Vertical)
        title = f"weights of unit {self.unit} of {params.hidden_size} · {GATE_NAMES[self.gate]}"
        if self.cell:
            title = f"cell {self.cell}'s {title}"
        if box.border_title != title:
            # Setting a title repaints the whole box, which fills the screen.
            box.border_title = title
        gates = Text(" gate ")
        for g in GATE_ORDER:
            label = f" {g} {GATE_NAMES[g].split()[0]} "
            gates.append(label, style="reverse bold" if g == self.gate else "")
            gates.append(" ")
        gates.append(f"  step {STEPS[self.step]:g} [ ]  edits {self._undoable}")
        self.query_one("#gates", TextLine).show(gates)
        self.query_one(WeightGrid).show(self._sections(), self.cursor)
        self._update_lines()

    def _sections(self) -> list[GridSection]:
        """The row's numbers for the grid, section by section."""
        inputs = "token of the vocabulary" if self.session.column_vocab else "input dimension"
        sections = []
        values = self._row_values(self.session.params)
        loaded = self._row_values(self.session.loaded_params)
        for number_, template in enumerate(SECTION_TITLES):
            cells = tuple(
                GridCell(slot.label, value, value != was)
                for slot, value, was in zip(self.slots, values, loaded, strict=True)
                if slot.section == number_
            )
            sections.append(GridSection(template.format(row=self.row, inputs=inputs), cells))
        return sections

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
        # Cell B's weights are told apart from A's, which r sets them back to.
        source = "A's" if self.cell else "loaded"
        note = "" if value == loaded else f" ({source} {loaded!r})"
        self.query_one("#detail", TextLine).show(
            f"{slot.key}[{index}]  {self.gate}{self.unit} {reads} = {value!r}{note}"
        )
        self.query_one("#live", TextLine).show(self._live())

    def _live(self) -> str:
        """The unit's numbers at the viewer's step, computed from the edited weights."""
        traj = self.session.trajectory
        t = min(self.view.t, len(traj) - 1)
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
        self._undoable += 1
        self._redoable = 0

    def action_nudge(self, direction: int) -> None:
        current = self.value(self.current)
        # Added as the decimals on screen, then made a float: three nudges of
        # 0.1 make 0.3, not 0.30000000000000004.
        value = float(Decimal(repr(current)) + direction * Decimal(repr(STEPS[self.step])))
        if abs(current) > MAX_WEIGHT and abs(value) < abs(current):
            # A file may hold weights past the limit typed by hand: a nudge
            # back towards it is always allowed.
            self._set(value)
            return
        try:
            self._set(check_weight(value))
        except InputError as err:
            self.notify(str(err), severity="error")

    def action_zero(self) -> None:
        self._set(0.0)

    def action_restore(self) -> None:
        self._set(self.loaded_value(self.current))

    def on_session_changed(self, message: SessionChanged) -> None:
        self.refresh_all()

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
        self.cursor = self.query_one(WeightGrid).moved_lines(self.cursor, lines)
        self.refresh_all()

    def action_gate(self, gate: str) -> None:
        self.gate = gate
        self.refresh_all()

    def action_next_gate(self) -> None:
        self.action_gate(GATE_ORDER[(GATE_ORDER.index(self.gate) + 1) % len(GATE_ORDER)])

    def action_undo(self) -> None:
        # Only this editor's edits: an earlier change (another sample, a
        # preset) is undone from the main screen, where it can be seen.
        if self._undoable == 0 or not self.session.undo():
            self.notify("no weight edit to undo here (ctrl+z on the main screen undoes more)")
            return
        self._undoable -= 1
        self._redoable += 1

    def action_redo(self) -> None:
        if self._redoable == 0 or not self.session.redo():
            self.notify("nothing to redo", timeout=2)
            return
        self._redoable -= 1
        self._undoable += 1

    def action_close(self) -> None:
        if self.typing:
            self._stop_typing()
            return
        # The edits still in effect: those undone here are not counted.
        self.dismiss(self._undoable)
