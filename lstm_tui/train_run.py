"""``lstm-tui train``: the training loop on the terminal, with a progress bar, and the file.

The bar (Rich, on stderr) shows the step, the mean loss over the last pass
through the sequence and the steps per second. Ctrl+C does not stop a step
halfway: it is noted, the step in progress finishes, and the model as
trained so far is written (atomically) like a finished one, saying so. A
step whose loss overflowed stops the run with the weights from before it.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lstm_tui.engine.model import Model
from lstm_tui.engine.training import Diverged, Trainer
from lstm_tui.safe_text import safe_text

EXIT_DIVERGED = 1
EXIT_INTERRUPTED = 130
# The loss shown is the mean over one pass through the sequence, at most this many chunks.
_WINDOW = 100


@dataclass
class _Stop:
    """Set by ctrl+c; the loop reads it between steps."""

    requested: bool = False


@contextlib.contextmanager
def _ctrl_c_requests_stop(stop: _Stop) -> Iterator[None]:
    """While inside, SIGINT sets ``stop.requested`` instead of raising KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def request(signum: int, frame: object) -> None:
        stop.requested = True

    previous = signal.signal(signal.SIGINT, request)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_training(
    trainer: Trainer,
    steps: int,
    save: Callable[[Model], str],
    description: str,
) -> int:
    """Train for ``steps`` steps (fewer on ctrl+c or an overflow), then ``save`` the model.

    ``save`` writes the model and returns the name to report it under;
    ``description`` is the first line printed. Returns the exit status: 0,
    :data:`EXIT_INTERRUPTED` after ctrl+c, :data:`EXIT_DIVERGED` after an overflow.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    stop = _Stop()
    window: deque[float] = deque(maxlen=max(1, min(_WINDOW, len(trainer) // trainer.settings.bptt)))
    first_mean: float | None = None
    problem: str | None = None
    with _ctrl_c_requests_stop(stop):
        sys.stderr.write(description + "\n")
        sys.stderr.flush()
        progress = Progress(
            TextColumn("step {task.completed}/{task.total}", markup=False),
            BarColumn(),
            TextColumn("loss {task.fields[loss]}", markup=False),
            TextColumn("{task.fields[rate]} steps/s", markup=False),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        start = time.perf_counter()
        with progress:
            task = progress.add_task("train", total=steps, loss="-", rate="-")
            while trainer.steps < steps and not stop.requested:
                try:
                    window.append(trainer.step())
                except Diverged as err:
                    problem = str(err)
                    break
                if first_mean is None and len(window) == window.maxlen:
                    first_mean = _mean(window)
                elapsed = time.perf_counter() - start
                progress.update(
                    task,
                    completed=trainer.steps,
                    loss=f"{_mean(window):.4f}",
                    rate=f"{trainer.steps / elapsed:.1f}" if elapsed > 0 else "-",
                )
        elapsed = time.perf_counter() - start
        name = save(trainer.model())
    done = f"{trainer.steps} of {steps} steps" if trainer.steps < steps else f"{steps} steps"
    losses = ""
    if len(window) == 1:
        losses = f", loss {window[0]:.4f}"
    elif window:
        before = first_mean if first_mean is not None else window[0]
        losses = f", loss {before:.4f} → {_mean(window):.4f}"
    where = safe_text(name)
    if problem is not None:
        sys.stderr.write(
            f"stopped: {safe_text(problem)}; wrote the model from before it "
            f"({done}{losses}) to {where}\n"
        )
        return EXIT_DIVERGED
    if stop.requested and trainer.steps < steps:
        sys.stderr.write(
            f"stopped by ctrl+c after {done} ({elapsed:.1f} s{losses}); "
            f"wrote the model trained so far to {where}\n"
        )
        return EXIT_INTERRUPTED
    sys.stderr.write(f"trained {done} in {elapsed:.1f} s{losses}; wrote {where}\n")
    return 0


def _mean(values: deque[float]) -> float:
    return sum(values) / len(values)
