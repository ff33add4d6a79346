"""Two cells side by side on the same sequence: the session's (A) and a variant (B).

Opened with ``z`` ("compare with…", choosing what B changes) from the watch
screen or the palette, by ``--vs-...`` on the command line, and by a lesson's
chapter with a cell B (its caption then above the cells). Both cells step
together: this screen moves the watch screen's own view, so leaving it
keeps the step and unit. Below the two cell panels (and, from 120x40, each
cell's diagram), B − A for c and h per unit, what a change k steps back
still does to the selected unit in each cell, and, with 30 rows or more,
B − A for every unit over the steps.
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
from lstm_tui.ui.text import safe_text, visible_token
from lstm_tui.ui.view import View
from lstm_tui.ui.widgets.cell_b_diagram import CellBDiagram, NamedDiagram
from lstm_tui.ui.widgets.cell_diagram import DIAGRAM_WIDTH
from lstm_tui.ui.widgets.cell_panel import CellPanel
from lstm_tui.ui.widgets.delta_timeline import DeltaTimeline
from lstm_tui.ui.widgets.lesson_caption import LessonCaption
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Palette
from lstm_tui.ui.widgets.reach_panel import ReachPanel
from lstm_tui.ui.widgets.text_line import TextLine
from lstm_tui.ui.widgets.token_strip import TokenStrip

if TYPE_CHECKING:
    from lstm_tui.ui.dialogs.choice_list import Choice

# Below this many rows a lesson's caption takes the blank lines between the panels,
# and there is no room for the timeline of B − A.
SHORT = 30
# A lesson's keys here: esc leaves the two cells for one, the caption stays.
LESSON_KEYS = (
    "n next · N back · L chapters · esc 1 cell",
    "n next · N back · L chapters",
    "n · N · L chapters",
)
# From this size the cell diagrams are shown, A's under A and B's under B (the
# size from which the watch screen shows its diagram unasked).
DIAGRAM_SIZE = (120, 40)
# Two figures side by side, each with its margin and B's with its border.
TWO_DIAGRAMS = 2 * (DIAGRAM_WIDTH + 2)


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
        show_compare(app, view)

    choose_variant(app, view, open_screen)


def show_compare(app: App, view: View) -> None:
    """The compare screen on top, with the session's cell B (unless it is there already)."""
    if not isinstance(app.screen, CompareScreen):
        app.push_screen(CompareScreen(view))


class CompareScreen(Screen[None]):
    """Cell A and cell B side by side, B − A, and what reaches the unit in each.

    B is the session's variant; edits go to A, or to B once ``tab`` selects
    it, and undo takes back either, in the order they were made.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(COMPARE_COMMANDS, priority=True)

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view
        self.comparison = Comparison(view)
        self.editing_b = False
        self._canvases: list[LineCanvas] = []
        # Whether the diagrams are shown: None until `c` decides, by the size till then.
        self._diagram_chosen: bool | None = None

    def compose(self) -> ComposeResult:
        yield Palette()  # first: restyled before the panels that read it
        yield TextLine(id="compare-title")
        yield LessonCaption(self.view, id="compare-lesson", keys=LESSON_KEYS)
        yield TokenStrip(self.view, id="compare-tokens")
        with Horizontal(id="compare-cells"):
            with Vertical(classes="compare-side"):
                yield TextLine(id="a-title")
                yield CellPanel(self.view, id="a-cells")
            with Vertical(classes="compare-side"):
                yield TextLine(id="b-title")
                yield CellPanel(self.comparison.b, id="b-cells")
        # A row of their own, so that where two do not fit side by side the one shown
        # has the whole width.
        with Horizontal(id="compare-diagrams"):
            yield NamedDiagram(self.view, "A", id="a-diagram")
            yield CellBDiagram(self.comparison, id="b-diagram")
        yield CellPanel(self.comparison.delta, id="delta")
        yield ReachPanel(self.comparison, id="reach")
        yield DeltaTimeline(self.comparison, id="delta-timeline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._canvases = list(self.query(LineCanvas))
        self._place()
        self.redraw(layout=True)
        # Once laid out, the titles know their widths (and shorten to fit).
        self.call_after_refresh(self.redraw)

    def on_resize(self) -> None:
        self._place()

    @property
    def diagram_shown(self) -> bool:
        """The cells' diagrams are on screen: as `c` last set it, else where they fit."""
        if self._diagram_chosen is not None:
            return self._diagram_chosen
        width, height = self.app.size
        return width >= DIAGRAM_SIZE[0] and height >= DIAGRAM_SIZE[1]

    def _place(self) -> None:
        """The stylesheet's classes: a lesson's caption, a short screen, the diagrams and
        whether they take the place of the panels under them."""
        width, height = self.app.size
        self.set_class(self.view.lesson is not None, "-lesson")
        self.set_class(height < SHORT, "-short")
        self.set_class(self.diagram_shown, "-diagram")
        self.set_class(self.diagram_shown and height < DIAGRAM_SIZE[1], "-diagram-only")
        # Too narrow for two figures: the one of the cell that edits go to (tab switches).
        self.set_class(width < TWO_DIAGRAMS, "-one-diagram")
        self.set_class(self.editing_b, "-editing-b")
        for diagram in self.query(NamedDiagram):
            diagram.named = width < TWO_DIAGRAMS

    def redraw(self, layout: bool = False) -> None:
        """Both cells at the lead's step, then every panel repaints what changed."""
        view = self.view
        view.update()
        self._place()
        self.comparison.update()
        sequence = view.session.sequence
        token = sequence.label(view.t) if view.length else ""
        # As the unit panel shows what is read: ↵ for a newline, ␣ for a space.
        token = visible_token(token) if sequence.is_tokens else safe_text(token)
        edits = "B" if self.editing_b else "A"
        self.query_one("#compare-title", TextLine).show(
            f" compare · t = {view.t} / {view.length} · read {token} · unit {view.unit}"
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
            # Undone back to before cell B was chosen, or a lesson's chapter of
            # one cell (which says so itself): one cell again.
            if self.view.lesson is None:
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

    def action_toggle_diagram(self) -> None:
        self._diagram_chosen = not self.diagram_shown
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

    async def action_edit_weights(self) -> None:
        if not self.editing_b:
            await self._on_a("edit_weights")
            return
        if self._lstm_b("weights to edit here") is None:
            return
        from lstm_tui.ui.cell_b_weights import CellBWeights
        from lstm_tui.ui.dialogs.weight_editor import WeightEditor

        def closed(edits: int | None) -> None:
            if edits:
                self.notify(
                    f"{edits} edit(s) of B's weights; ctrl+z undoes them one by one", timeout=3
                )

        editor = WeightEditor(CellBWeights(self.comparison), self.view, cell="B")
        self.app.push_screen(editor, closed)

    async def action_chapter(self, direction: int) -> None:
        await self._on_a(f"chapter({direction})")

    async def action_lesson_chapters(self) -> None:
        if self.view.lesson is None:
            self.notify("no lesson is open: L on the one-cell screen opens one", timeout=3)
            return
        await self._on_a("open_lesson")

    async def action_undo(self) -> None:
        await self._on_a("undo")

    async def action_redo(self) -> None:
        await self._on_a("redo")

    async def _on_a(self, action: str) -> None:
        """An edit of A (or undo, redo): the watch screen's own, so it says what it did.

        The watch screen is the bottom of the screen stack (the app's default screen).
        """
        await self.app.screen_stack[0].run_action(action)

    def _lstm_b(self, what: str = "activations or clamps to change") -> Variant | None:
        variant = self.comparison.variant
        if variant.kind != "lstm":
            self.notify(
                f"{variant.kind.upper()} as cell B has no {what}; tab: back to editing A",
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
