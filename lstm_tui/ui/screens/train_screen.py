"""Training the cell on the loaded sequence, watched while it learns.

Opened with ``T`` (or the palette) from the watch screen. A worker thread
steps a :class:`~lstm_tui.engine.training.Trainer` (the head it needs is
added if the model has none) while this screen shows the loss and each
gate's saturated share over training, the steps per second and the learning
rate, and, a few times a second, the cell panel, unit panel and diagram at
the current step with the weights as they are now. ``[`` and ``]`` scrub
through the weight snapshots kept along the way; stopping makes the model
shown (the trained one, or the snapshot looked at) the session's, as one
undoable change. Nothing is written to a file, so kiosk mode allows it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker

from lstm_tui.engine.model import Model
from lstm_tui.engine.training import Trainer, TrainingSettings, with_head
from lstm_tui.errors import InputError
from lstm_tui.session import Session
from lstm_tui.ui.commands import TRAIN_COMMANDS, bindings
from lstm_tui.ui.messages import SessionChanged
from lstm_tui.ui.text import safe_text
from lstm_tui.ui.training_run import SATURATION_STEPS, TrainingRun
from lstm_tui.ui.view import View, cell_range_for
from lstm_tui.ui.widgets.cell_diagram import CellDiagram
from lstm_tui.ui.widgets.cell_panel import CellPanel
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Palette
from lstm_tui.ui.widgets.text_line import TextLine
from lstm_tui.ui.widgets.token_strip import TokenStrip
from lstm_tui.ui.widgets.training_chart import ChartData, TrainingChart
from lstm_tui.ui.widgets.unit_panel import UnitPanel

_TRAINED = re.compile(r"trained ([\d,]+) steps from (.+)")
REFRESH_SECONDS = 0.25
"""How often the panels show the weights as they are: a few times a second, not every step."""
LEARNING_RATES: tuple[float, ...] = (
    *(m * 10.0**e for e in range(-5, 0) for m in (1.0, 2.0, 5.0)),
    1.0,
)
DEFAULT_BPTT = TrainingSettings().bptt
# Multiply-adds a refresh may spend on the steps the cell state's range is stated over.
RANGE_WORK = 2**22
RANGE_MIN_STEPS = 64
WIDE = 120
DIAGRAM_SIZE = (120, 40)


def trainer_for(session: Session, settings: TrainingSettings | None = None) -> Trainer:
    """A trainer for the session's model on its sequence; an :class:`InputError` saying why
    it cannot be trained (a stack of layers, an embedding, a head of the wrong size)."""
    sequence = session.sequence
    if len(sequence) < 2:
        raise InputError("training needs a sequence of at least 2 steps: a step and the next")
    settings = settings or TrainingSettings(bptt=min(DEFAULT_BPTT, len(sequence) - 1))
    model = session.model
    if model.depth == 1 and model.embedding is None:
        model = with_head(model, sequence.input_size, 0)
    return Trainer(model, sequence.inputs, session.token_ids(), session.config, settings)


class TrainScreen(Screen[None]):
    """The loss and saturation charts, the cell at the current step, and the run's controls.

    ``lead`` is the watch screen's view: its step and unit are where this
    screen starts, and where it leaves them. ``limit`` pauses the run after
    that many steps.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(TRAIN_COMMANDS, priority=True)

    class Paused(Message):
        """The run paused by itself (its step limit, or a step that overflowed)."""

    def __init__(self, lead: View, trainer: Trainer, *, limit: int | None = None) -> None:
        super().__init__()
        self.lead = lead
        self.session = lead.session
        self.run = TrainingRun(trainer, self.session.sequence.inputs, limit=limit)
        self.run.told = self._told
        self._shown: Model | None = None
        self.view = View(
            self._preview(self.run.latest.model),
            t=lead.t,
            unit=lead.unit,
            vector=lead.vector,
            cell_range=lead.cell_range,
        )
        self._shown = self.run.latest.model
        self.view.detailed = lead.detailed
        self._state_range()
        # The snapshot looked at (an index into the run's list), or None: the weights now.
        self.scrub: int | None = None
        self._scrub_step = 0
        self._canvases: list[LineCanvas] = []
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._stopping = False

    def compose(self) -> ComposeResult:
        view = self.view
        yield Palette()  # first: restyled before the panels that read it
        yield TextLine(id="train-status")
        yield TokenStrip(view, id="train-tokens")
        with Horizontal(id="train-top"):
            yield TrainingChart(id="train-chart")
            with Vertical(id="train-side"):
                yield UnitPanel(view, id="train-unit")
                yield CellDiagram(view, id="train-diagram")
        yield CellPanel(view, id="train-cells")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._canvases = [c for c in self.query(LineCanvas) if not isinstance(c, TrainingChart)]
        self._place_panels()
        self._worker = self._train()
        self.run.resume()
        self._timer = self.set_interval(REFRESH_SECONDS, self.refresh_now)
        self.refresh_now()

    def on_unmount(self) -> None:
        self.run.stop()

    def on_resize(self) -> None:
        self._place_panels()

    def _place_panels(self) -> None:
        width, height = self.app.size
        self.set_class(width >= WIDE, "-wide")
        self.set_class(width >= DIAGRAM_SIZE[0] and height >= DIAGRAM_SIZE[1], "-diagram")

    @work(thread=True, exclusive=True, group="training", name="training")
    def _train(self) -> None:
        self.run.work()

    def _told(self) -> None:
        # From the worker thread: post_message is the one thread-safe way in.
        self.post_message(self.Paused())

    def on_train_screen_paused(self, message: Paused) -> None:
        self.refresh_now()
        if self.run.problem is not None:
            self.notify(
                f"paused: {self.run.problem}; the weights are those from before it "
                "(- lowers the learning rate, space goes on)",
                severity="warning",
                title="training",
            )

    # ------------------------------------------------------------- drawing
    def _preview(self, model: Model) -> Session:
        """A session of its own for the cell as ``model`` has it, on the same sequence."""
        base = self.session
        return Session(
            base.sequence,
            model.layers[0],
            base.config,
            base.vocab,
            base.model_label,
            sequence_path=base.sequence_path,
            model=model,
            layer=0,
            token_mode=base.token_mode,
        )

    def shown_model(self) -> tuple[int, Model]:
        """The step and weights on screen: the snapshot looked at, or the latest."""
        if self.scrub is not None:
            snapshots = self.run.snapshot_list()
            return snapshots[min(self.scrub, len(snapshots) - 1)]
        latest = self.run.latest
        return latest.step, latest.model

    def refresh_now(self) -> None:
        """Show the run as it is now: the charts, the status line, and the cell's panels
        with the weights shown (only when they are other weights than last time)."""
        if not self.is_mounted:
            return
        published, losses, span, saturation = self.run.read()
        step, model = self.shown_model()
        if model is not self._shown:
            self._shown = model
            self.view.session = self._preview(model)
            self._state_range()
            self._redraw_cell()
        self.query_one(TrainingChart).show(
            ChartData(
                losses,
                span,
                published.step,
                saturation,
                step if self.scrub is not None else None,
                min(SATURATION_STEPS, len(self.session.sequence)),
            )
        )
        self.query_one("#train-status", TextLine).show(self._status(published.step, step))

    def _state_range(self) -> None:
        """The cell state's range over the first steps, as many as :data:`RANGE_WORK`
        allows: the watch screen's look ahead (2048 steps) would cost a large model
        most of a second, a few times a second."""
        view = self.view
        view.cell_range = cell_range_for(view.session, RANGE_WORK, RANGE_MIN_STEPS)
        view.update()

    def _redraw_cell(self) -> None:
        self.view.update()
        for canvas in self._canvases:
            canvas.redraw()

    def _status(self, steps: int, shown: int) -> str:
        run = self.run
        settings = run.trainer.settings
        hidden = self.view.hidden
        name = safe_text(self.session.sequence_label)
        parts = [f" train H={hidden}", f"step {steps:,}"]
        if self.scrub is not None:
            state = f"looking at step {shown:,} (] later)"
        elif run.running:
            rate = run.rate()
            state = "training" + (f", {rate:,.0f} steps/s" if rate is not None else "")
        elif run.problem is not None:
            state = "paused: a step overflowed"
        elif run.limit is not None and steps >= run.limit:
            state = "paused: step limit"
        else:
            state = "paused (space: go on)"
        parts += [state, f"{settings.optimizer} lr {run.lr:g}", name]
        return " · ".join(parts)

    # ------------------------------------------------------------- actions
    def action_toggle_run(self) -> None:
        if self.run.running:
            self.run.pause()
        else:
            if self.scrub is not None:
                self.scrub = None
            self.run.resume()
        self.refresh_now()

    def action_lr(self, direction: int) -> None:
        rates = LEARNING_RATES
        now = min(range(len(rates)), key=lambda k: abs(rates[k] - self.run.lr))
        lr = rates[max(0, min(len(rates) - 1, now + direction))]
        self.run.set_lr(lr)
        self.notify(f"learning rate {lr:g} from the next step", timeout=2)
        self.refresh_now()

    def action_scrub(self, direction: int) -> None:
        snapshots = self.run.snapshot_list()
        if self.scrub is None:
            if direction > 0:
                return
            # Looking back pauses: the history stays as it is while it is looked at.
            self.run.pause()
            latest = self.run.latest.step
            earlier = [k for k, (s, _) in enumerate(snapshots) if s < latest]
            self.scrub = earlier[-1] if earlier else 0
        else:
            index = self.scrub + direction
            self.scrub = None if index >= len(snapshots) else max(0, index)
        self.refresh_now()

    def action_step(self, delta: int) -> None:
        self.view.t = max(0, min(self.view.length - 1, self.view.t + delta))
        self._redraw_cell()

    def action_unit(self, delta: int) -> None:
        self.view.unit = max(0, min(self.view.hidden - 1, self.view.unit + delta))
        for canvas in self._canvases:
            canvas.refresh(layout=True)
        self._redraw_cell()

    async def action_stop(self) -> None:
        """Stop; the model shown becomes the session's, as one undoable change."""
        if self._stopping:
            return
        self._stopping = True
        scrubbed = self.scrub is not None
        self.run.stop()
        if self._worker is not None:
            await self._worker.wait()
        if self._timer is not None:
            self._timer.stop()
        step, model = self.shown_model()
        trained = self.run.latest.step
        self.lead.t, self.lead.unit = self.view.t, self.view.unit
        self.dismiss()
        if step == 0:
            self.app.notify(
                "nothing kept: the model is as it was (no step trained)"
                if not scrubbed
                else "nothing kept: step 0 is the model as it was",
                timeout=3,
            )
            return
        settings = self.run.trainer.settings
        label = _trained_label(self.session.model_label, step)
        self.session.replace_model(model, self.session.vocab, label, layer=0, unsaved=True)
        kept = f"the snapshot of step {step:,} of {trained:,}" if scrubbed else f"{step:,} steps"
        self.app.notify(
            f"trained ({settings.optimizer}): kept {kept}; ctrl+z brings back the model before",
            timeout=4,
        )

    def on_session_changed(self, message: SessionChanged) -> None:
        """Another model or sequence from the palette while training: what was trained is
        of the cell before it, so the training ends and nothing is kept."""
        if self._stopping:
            return
        self._stopping = True
        self.run.stop()
        if self._timer is not None:
            self._timer.stop()
        self.dismiss()
        self.app.notify(
            "the model or sequence changed: training stopped, nothing of it kept",
            severity="warning",
            title="training",
        )


def _trained_label(label: str, steps: int) -> str:
    """``trained 300 steps from random H=8 seed=0``; training again adds to the count."""
    earlier = _TRAINED.fullmatch(label)
    if earlier is not None:
        steps += int(earlier.group(1).replace(",", ""))
        label = earlier.group(2)
    return f"trained {steps:,} steps from {label}"
