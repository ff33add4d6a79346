"""A training run as the app sees it: the trainer stepping in a worker thread, and its history.

:class:`TrainingRun` owns a :class:`~lstm_tui.engine.training.Trainer`.
Its :meth:`~TrainingRun.work` loop runs in a worker thread and is the only
code that touches the trainer's weights; the screen reads what the loop
publishes (under a lock): the latest model, the loss curve, each gate's
saturated share over training and the weight snapshots. Everything it
keeps is bounded: the curves merge old points in pairs and the snapshots
drop every other one when full, so a run of a million steps holds as much
as a run of a thousand.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.training import Diverged, Trainer
from lstm_tui.engine.trajectory import run
from lstm_tui.ui.scales import saturated_share
from lstm_tui.ui.view import GATE_ROWS

T = TypeVar("T")

CURVE_POINTS = 512
"""Points a curve keeps at most (more than any screen is wide)."""
SATURATION_POINTS = 128
SNAPSHOT_BYTES = 32 * 1024 * 1024
"""Memory the weight snapshots may take; fewer are kept of a large model."""
MAX_SNAPSHOTS = 64
MIN_SNAPSHOTS = 8
SATURATION_STEPS = 200
"""The saturated share is measured over the sequence's first this many steps."""
PUBLISH_SECONDS = 0.1
"""How often the loop hands the screen a copy of the weights while it runs."""
RATE_SECONDS = 1.0
"""Steps per second are measured over about this long."""


class LossCurve:
    """The mean loss of each stretch of ``span`` steps, at most ``cap`` stretches.

    When full, neighbouring stretches are merged in pairs and ``span``
    doubles: the curve always covers the whole run, at a resolution that
    halves as it grows.
    """

    def __init__(self, cap: int = CURVE_POINTS) -> None:
        self.cap = cap - cap % 2
        self.span = 1
        self.means: list[float] = []
        self._sum = 0.0
        self._count = 0

    def add(self, loss: float) -> None:
        self._sum += loss
        self._count += 1
        if self._count < self.span:
            return
        self.means.append(self._sum / self._count)
        self._sum, self._count = 0.0, 0
        if len(self.means) > self.cap:
            merged = [(a + b) / 2 for a, b in zip(self.means[0::2], self.means[1::2], strict=False)]
            leftover = self.means[-1] if len(self.means) % 2 else None
            self.span *= 2
            self.means = merged
            if leftover is not None:
                # Half a stretch of the new span: it goes on filling.
                self._sum, self._count = leftover * (self.span // 2), self.span // 2

    def values(self) -> list[float]:
        """Each stretch's mean loss, the stretch still filling last."""
        if self._count:
            return [*self.means, self._sum / self._count]
        return list(self.means)

    @property
    def steps(self) -> int:
        return len(self.means) * self.span + self._count


class Thinned(Generic[T]):
    """Items taken every ``interval`` steps; past ``cap``, every other one goes and the
    interval doubles. Step 0 is always kept."""

    def __init__(self, cap: int) -> None:
        self.cap = max(2, cap)
        self.interval = 1
        self.items: list[tuple[int, T]] = []

    def due(self, step: int) -> bool:
        return step % self.interval == 0

    def add(self, step: int, item: T) -> None:
        self.items.append((step, item))
        while len(self.items) > self.cap:
            self.interval *= 2
            self.items = [(s, i) for s, i in self.items if s % self.interval == 0]


Shares = tuple[float | None, ...]
"""The saturated share of i, f, g, o (None for a clamped gate)."""


def gate_saturation(model: Model, inputs: np.ndarray, config: CellConfig) -> Shares:
    """Each gate's share of values near a bound of its activation over ``inputs`` (n, I).

    Near means within :data:`~lstm_tui.ui.scales.SATURATION_MARGIN`: a
    sigmoid gate near 0 or 1, a tanh candidate near -1 or 1. A clamped gate
    is not computed, so it has no share.
    """
    traj = run(model.layers[0], inputs, config)
    shares: list[float | None] = []
    for letter, slot in GATE_ROWS:
        if slot != "candidate" and config.clamp(slot) is not None:
            shares.append(None)
            continue
        shares.append(saturated_share(traj.vector(letter), config.activation(slot)))
    return tuple(shares)


def snapshot_cap(model: Model) -> int:
    """How many snapshots of ``model`` fit :data:`SNAPSHOT_BYTES` (within the bounds)."""
    size = sum(a.nbytes for a in model.layers[0].arrays())
    if model.head_weight is not None and model.head_bias is not None:
        size += model.head_weight.nbytes + model.head_bias.nbytes
    return max(MIN_SNAPSHOTS, min(MAX_SNAPSHOTS, SNAPSHOT_BYTES // max(1, size)))


@dataclass(frozen=True)
class Published:
    """What the loop last handed over: the model after ``step`` updates."""

    step: int
    model: Model


class TrainingRun:
    """A trainer, the thread-side loop that steps it, and what it leaves behind.

    ``limit`` pauses the run once that many steps are made (the tests' and
    the screenshots' fixed end); ``told`` is called, from the worker thread,
    whenever the loop pauses by itself (the limit, or a step that overflowed).
    """

    def __init__(
        self,
        trainer: Trainer,
        inputs: np.ndarray,
        *,
        limit: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.trainer = trainer
        self.limit = limit
        self.clock = clock
        self.told: Callable[[], None] = lambda: None
        self._probe = np.asarray(inputs)[:SATURATION_STEPS]
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._stopped = False
        self._pending_lr: float | None = None
        start = trainer.model()
        self.losses = LossCurve()
        self.saturation: Thinned[Shares] = Thinned(SATURATION_POINTS)
        self.snapshots: Thinned[Model] = Thinned(snapshot_cap(start))
        self.saturation.add(0, gate_saturation(start, self._probe, trainer.config))
        self.snapshots.add(0, start)
        self.latest = Published(0, start)
        self.problem: str | None = None
        self.lr = float(trainer.settings.lr)
        self._rate_marks: list[tuple[float, int]] = []

    # ------------------------------------------------------------ the screen's side
    @property
    def running(self) -> bool:
        return self._running.is_set()

    def resume(self) -> None:
        if self.limit is not None and self.latest.step >= self.limit:
            return
        self.problem = None
        self._rate_marks = []
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def stop(self) -> None:
        """End the loop (it finishes the step under way)."""
        self._stopped = True
        self._running.set()

    def set_lr(self, lr: float) -> None:
        """The learning rate from the next step on."""
        self.lr = lr
        self._pending_lr = lr

    def read(self) -> tuple[Published, list[float], int, list[tuple[int, Shares]]]:
        """The latest model, the loss curve and its span, the saturation points: copies."""
        with self._lock:
            return (
                self.latest,
                self.losses.values(),
                self.losses.span,
                list(self.saturation.items),
            )

    def snapshot_list(self) -> list[tuple[int, Model]]:
        with self._lock:
            return list(self.snapshots.items)

    def rate(self) -> float | None:
        """Steps per second over the last second or so, while running."""
        with self._lock:
            marks = list(self._rate_marks)
        if not self.running or len(marks) < 2:
            return None
        (t0, s0), (t1, s1) = marks[0], marks[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None

    # ------------------------------------------------------------ the worker's side
    def work(self) -> None:
        """Step until stopped; between steps, wait while paused. Runs in a worker thread."""
        trainer = self.trainer
        last_publish = self.clock()
        while not self._stopped:
            if not self._running.wait(0.05):
                # Paused: the screen gets the weights of the last step made.
                self._publish()
                continue
            if self._stopped:
                break
            if self.limit is not None and trainer.steps >= self.limit:
                self._halt()
                continue
            if self._pending_lr is not None:
                trainer.set_learning_rate(self._pending_lr)
                self._pending_lr = None
            try:
                loss = trainer.step()
            except Diverged as err:
                self.problem = str(err)
                self._halt()
                continue
            step = trainer.steps
            now = self.clock()
            model: Model | None = None
            if self.saturation.due(step) or self.snapshots.due(step):
                model = trainer.model()
            shares = (
                gate_saturation(model, self._probe, trainer.config)
                if model is not None and self.saturation.due(step)
                else None
            )
            publish = now - last_publish >= PUBLISH_SECONDS
            if publish and model is None:
                model = trainer.model()
            with self._lock:
                self.losses.add(loss if math.isfinite(loss) else float("nan"))
                if shares is not None:
                    self.saturation.add(step, shares)
                if model is not None and self.snapshots.due(step):
                    self.snapshots.add(step, model)
                if publish and model is not None:
                    self.latest = Published(step, model)
                    last_publish = now
                self._rate_marks.append((now, step))
                while len(self._rate_marks) > 2 and now - self._rate_marks[0][0] > RATE_SECONDS:
                    self._rate_marks.pop(0)
        self._publish()

    def _halt(self) -> None:
        """Pause by itself: publish the weights as they are, and say so."""
        self._running.clear()
        self._publish()
        self.told()

    def _publish(self) -> None:
        step = self.trainer.steps
        if step == self.latest.step:
            return
        model = self.trainer.model()
        with self._lock:
            self.latest = Published(step, model)
