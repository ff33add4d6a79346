"""Two cells side by side on the same sequence: the session's (A) and a variant (B).

Opened with ``z`` ("compare with…", choosing what B changes) from the watch
screen or the palette. Both cells step together: this screen moves the
watch screen's own view, so leaving it keeps the step and unit. Below the
two cell panels, B − A for c and h per unit, and what a change k steps back
still does to the selected unit in each cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from lstm_tui.engine.activations import ACTIVATIONS, DEFAULT_ACTIVATIONS
from lstm_tui.engine.variant import Variant
from lstm_tui.errors import InputError
from lstm_tui.session import Change
from lstm_tui.ui.commands import COMPARE_COMMANDS, bindings
from lstm_tui.ui.compare_view import Comparison
from lstm_tui.ui.editing import CLAMP_CYCLE, clamp_text
from lstm_tui.ui.messages import SessionChanged
from lstm_tui.ui.text import safe_text
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.cell_panel import CellPanel
from lstm_tui.ui.widgets.line_canvas import LineCanvas
from lstm_tui.ui.widgets.reach_panel import ReachPanel
from lstm_tui.ui.widgets.text_line import TextLine
from lstm_tui.ui.widgets.token_strip import TokenStrip

if TYPE_CHECKING:
    from lstm_tui.ui.dialogs.choice_list import Choice


def variant_choices(view: View) -> list[tuple[Choice, Variant]]:
    """What B can be, with a line each on what it shows; changes of A's current cell."""
    from lstm_tui.ui.dialogs.choice_list import Choice

    config = view.session.config
    cell = config.activation_name("cell")
    candidate = config.activation_name("candidate")
    forget = config.clamp("forget")
    options = [
        (
            Choice("plain RNN", "h = tanh(W x + U h + b), from A's candidate rows: no gates, no c"),
            Variant.build("rnn"),
        ),
        (
            Choice("GRU", "PyTorch's GRU, r from A's o rows, z from f, n from g"),
            Variant.build("gru"),
        ),
        (
            Choice(
                f"cell {'tanh' if cell != 'tanh' else 'identity'}",
                "the cell output h = o·act(c) without the squashing tanh"
                if cell == "tanh"
                else "the textbook tanh on the cell output",
            ),
            Variant.build(activations={"cell": "tanh" if cell != "tanh" else "identity"}),
        ),
        (
            Choice(
                "forget free" if forget is not None else "forget = 1",
                "the forget gate computed again"
                if forget is not None
                else "the forget gate clamped to 1: never forget",
            ),
            Variant.build(clamps={"forget": None if forget is not None else 1.0}),
        ),
        (
            Choice(
                f"candidate {'sigmoid' if candidate != 'sigmoid' else 'tanh'}",
                "a candidate in 0..1 can only add to c, never take away"
                if candidate != "sigmoid"
                else "the textbook tanh candidate, -1..1",
            ),
            Variant.build(
                activations={"candidate": "sigmoid" if candidate != "sigmoid" else "tanh"}
            ),
        ),
    ]
    return options


def choose_variant(app: App, view: View, chosen: Callable[[Variant], None]) -> None:
    """Ask what cell B is to be; ``chosen`` is called with it (not on escape)."""
    from lstm_tui.ui.dialogs.choice_list import ChoiceList

    options = variant_choices(view)
    by_name = {choice.name: variant for choice, variant in options}

    def answered(name: str | None) -> None:
        if name is not None:
            chosen(by_name[name])

    app.push_screen(ChoiceList("compare with…", [c for c, _ in options]), answered)


def describe_a(view: View) -> str:
    """Cell A in the words B is described in: ``LSTM, preset counter, with forget=1``."""
    session = view.session
    config = session.config
    changes = [
        f"{slot}={name}" for slot, name in config.activations if name != DEFAULT_ACTIVATIONS[slot]
    ]
    changes += [f"{gate}={value:g}" for gate, value in config.clamps]
    with_ = f" with {', '.join(changes)}" if changes else ""
    return f"LSTM, {session.model_label}{with_}"


def open_compare(app: App, view: View) -> None:
    """The watch screen's ``z``: choose cell B, then open the compare screen."""

    def open_screen(variant: Variant) -> None:
        view.session.set_variant(variant)
        app.push_screen(CompareScreen(view))

    choose_variant(app, view, open_screen)


class CompareScreen(Screen[None]):
    """Cell A and cell B side by side, B − A, and what reaches the unit in each.

    B is the session's variant; edits go to A, or to B once ``tab`` selects
    it, and undo takes back either, in the order they were made.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(COMPARE_COMMANDS)

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view
        self.comparison = Comparison(view)
        self.editing_b = False
        self._canvases: list[LineCanvas] = []

    def compose(self) -> ComposeResult:
        yield TextLine(id="compare-title")
        yield TokenStrip(self.view, id="compare-tokens")
        with Horizontal(id="compare-cells"):
            with Vertical(classes="compare-side"):
                yield TextLine(id="a-title")
                yield CellPanel(self.view, id="a-cells")
            with Vertical(classes="compare-side"):
                yield TextLine(id="b-title")
                yield CellPanel(self.comparison.b, id="b-cells")
        yield CellPanel(self.comparison.delta, id="delta")
        yield ReachPanel(self.comparison, id="reach")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._canvases = list(self.query(LineCanvas))
        self.redraw(layout=True)
        # Once laid out, the titles know their widths (and shorten to fit).
        self.call_after_refresh(self.redraw)

    def redraw(self, layout: bool = False) -> None:
        """Both cells at the lead's step, then every panel repaints what changed."""
        view = self.view
        view.update()
        self.comparison.update()
        token = safe_text(view.session.sequence.label(view.t)) if view.length else ""
        edits = "B" if self.editing_b else "A"
        self.query_one("#compare-title", TextLine).show(
            f" compare · t = {view.t} / {view.length} · token {token!r} · unit {view.unit}"
            f" · edits go to {edits} (tab)"
        )
        marks = ("▶", " ") if not self.editing_b else (" ", "▶")
        # Half a narrow screen is short for a long description: it ends in "…".
        for widget_id, text in (
            ("#a-title", f"{marks[0]}A  {describe_a(view)}"),
            ("#b-title", f"{marks[1]}B  {self.comparison.variant.describe()}"),
        ):
            widget = self.query_one(widget_id, TextLine)
            text = safe_text(text)
            width = widget.size.width
            if 0 < width < len(text):
                text = text[: width - 1] + "…"
            widget.show(text)
        for canvas in self._canvases:
            if layout:
                canvas.refresh(layout=True)
            canvas.redraw()

    def on_session_changed(self, message: SessionChanged) -> None:
        if self.view.session.variant is None:
            # Undone back to before cell B was chosen: one cell again.
            self.notify("no cell B any more: back to one cell", timeout=3)
            self.action_close()
            return
        if message.change.restates_ranges:
            self.view.restate_ranges()
        try:
            self.redraw(
                layout=bool(message.change & (Change.COMPARE | Change.MODEL | Change.SEQUENCE))
            )
        except InputError as err:
            # A's new model no longer fits B (other units, other inputs): back to A alone.
            self.notify(f"cell B cannot follow: {err}", severity="warning")
            self.action_close()

    # ------------------------------------------------------------- actions
    def action_step(self, delta: int) -> None:
        self._go(self.view.t + delta)

    def action_jump(self, where: int) -> None:
        self._go(where if where >= 0 else self.view.length - 1)

    def _go(self, t: int) -> None:
        self.view.t = max(0, min(self.view.length - 1, t))
        self.redraw()

    def action_unit(self, delta: int) -> None:
        self.view.unit = max(0, min(self.view.hidden - 1, self.view.unit + delta))
        self.redraw(layout=True)

    def action_toggle_detail(self) -> None:
        self.view.detailed = not self.view.detailed
        self.redraw(layout=True)

    def action_compare(self) -> None:
        choose_variant(self.app, self.view, self.view.session.set_variant)

    def action_select_cell(self) -> None:
        self.editing_b = not self.editing_b
        self.redraw()

    async def action_cycle_activation(self, slot: str) -> None:
        if not self.editing_b:
            await self._on_a(f"cycle_activation('{slot}')")
            return
        variant = self._lstm_b()
        if variant is not None:
            names = list(ACTIVATIONS)
            now = variant.config(self.view.session.config).activation_name(slot)
            name = names[(names.index(now) + 1) % len(names)]
            acts = dict(variant.activations) | {slot: name}
            if name == self.view.session.config.activation_name(slot):
                del acts[slot]  # as A again
            self._set_b(variant, acts, dict(variant.clamps), f"B's {slot}: {name}")

    async def action_cycle_clamp(self, gate: str) -> None:
        if not self.editing_b:
            await self._on_a(f"cycle_clamp('{gate}')")
            return
        variant = self._lstm_b()
        if variant is not None:
            value = variant.config(self.view.session.config).clamp(gate)
            following = None
            if value in CLAMP_CYCLE:
                following = CLAMP_CYCLE[(CLAMP_CYCLE.index(value) + 1) % len(CLAMP_CYCLE)]
            clamps = dict(variant.clamps) | {gate: following}
            if following == self.view.session.config.clamp(gate):
                del clamps[gate]  # as A again
            self._set_b(
                variant, dict(variant.activations), clamps, f"B's {clamp_text(gate, following)}"
            )

    async def action_undo(self) -> None:
        await self._on_a("undo")

    async def action_redo(self) -> None:
        await self._on_a("redo")

    async def _on_a(self, action: str) -> None:
        """An edit of A (or undo, redo): the watch screen's own, so it says what it did.

        The watch screen is the bottom of the screen stack (the app's default screen).
        """
        await self.app.screen_stack[0].run_action(action)

    def _lstm_b(self) -> Variant | None:
        variant = self.comparison.variant
        if variant.kind != "lstm":
            self.notify(
                f"{variant.kind.upper()} as cell B has no activations or clamps to change; "
                "tab: back to editing A",
                timeout=3,
            )
            return None
        return variant

    def _set_b(
        self,
        variant: Variant,
        activations: dict[str, str],
        clamps: dict[str, float | None],
        said: str,
    ) -> None:
        changed = Variant.build(
            variant.kind, activations, clamps, variant.params, variant.weights_label
        )
        self.view.session.set_variant(changed)
        self.notify(f"{said} (ctrl+z: back)", timeout=2)

    def action_close(self) -> None:
        self.dismiss()
        # The watch screen's view moved here: it draws the step it is at now.
        for screen in self.app.screen_stack:
            redraw = getattr(screen, "request_redraw", None)
            if screen is not self and redraw is not None:
                redraw(layout=True)
