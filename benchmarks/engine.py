"""How fast the engine runs a sequence, next to torch.nn.LSTM on the same job.

Run by hand: ``python benchmarks/engine.py``. Prints one row per size
(H, I, T) with microseconds per step, each the best of several repeats:

- ``run 1-hot``: a whole :class:`Trajectory` built and run over T one-hot
  inputs (what a character or word sequence is);
- ``run dense``: the same over dense random inputs (a numeric sequence),
  where the input projection is a matrix product instead of a look-up;
- ``ensure``: one-hot inputs, the trajectory driven one step at a time;
- ``cell.step``: the reference one-step function called T times;
- ``torch``: ``torch.nn.LSTM`` in float64 under ``no_grad`` on the one-hot
  sequence, unbatched, with the same weights (its time does not depend on the
  values), at whichever of 1 thread and its default count is faster; then
  the ratios of the two whole runs to it.

Weights are PyTorch's default initialisation. Every figure includes
allocating the result, as torch's does. BLAS runs single-threaded, as the
``lstm-tui`` command sets it up; set ``OPENBLAS_NUM_THREADS`` to override.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

# As lstm_tui.cli does before NumPy loads: one sequence's products are too
# small to gain from BLAS threads.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

# Run from a checkout without installing: the package sits next to this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_tui.engine.cell import step
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory

SIZES: tuple[tuple[int, int, int], ...] = ((8, 16, 1000), (64, 64, 1000), (256, 128, 1000))


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` calls, in seconds (the least disturbed one)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def one_hot_inputs(steps: int, input_size: int, seed: int) -> np.ndarray:
    """(T, I) one-hot rows, as a character sequence is encoded."""
    rng = np.random.default_rng(seed)
    inputs = np.zeros((steps, input_size))
    inputs[np.arange(steps), rng.integers(0, input_size, steps)] = 1.0
    return inputs


def time_engine(params: LSTMParams, inputs: np.ndarray, repeats: int) -> dict[str, float]:
    steps = inputs.shape[0]
    dense = np.random.default_rng(3).normal(size=inputs.shape)

    def one_at_a_time() -> None:
        trajectory = Trajectory(params, inputs)
        for t in range(steps):
            trajectory.ensure(t)

    def reference() -> None:
        h = np.zeros(params.hidden_size)
        c = np.zeros(params.hidden_size)
        for x in inputs:
            result = step(params, x, h, c)
            h, c = result.h, result.c

    def per_step(fn: Callable[[], object], repeats: int) -> float:
        return best_of(fn, repeats) / steps * 1e6

    return {
        "run": per_step(lambda: Trajectory(params, inputs).run(), repeats),
        "dense": per_step(lambda: Trajectory(params, dense).run(), repeats),
        "ensure": per_step(one_at_a_time, repeats),
        "cell.step": per_step(reference, max(1, repeats // 3)),
    }


def torch_timer(params: LSTMParams, inputs: np.ndarray, check: np.ndarray):
    """A function timing torch.nn.LSTM on ``inputs``, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    lstm = torch.nn.LSTM(params.input_size, params.hidden_size).double()
    with torch.no_grad():
        for name, value in params.state_dict().items():
            getattr(lstm, name).copy_(torch.from_numpy(np.array(value)))
    x = torch.from_numpy(inputs)
    with torch.no_grad():
        out, _ = lstm(x)
    # A timing of different work would be meaningless: insist on the same h.
    assert np.allclose(out.numpy(), check, rtol=0, atol=1e-10)

    def timed(repeats: int, threads: int) -> float:
        previous = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            with torch.no_grad():
                return best_of(lambda: lstm(x), repeats) / inputs.shape[0] * 1e6
        finally:
            torch.set_num_threads(previous)

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="repeats per figure (best kept)")
    args = parser.parse_args()

    try:
        import torch

        default_threads = torch.get_num_threads()
        torch_note = f"torch {torch.__version__}, default {default_threads} thread(s)"
    except ImportError:
        torch = None
        default_threads = 0
        torch_note = "torch not importable: torch columns left empty"
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPU(s); {torch_note}"
    )
    print("microseconds per step, best of", args.repeats, "repeats; float64, one sequence")
    header = (
        f"{'H':>4} {'I':>4} {'T':>5} | {'run 1-hot':>9} {'run dense':>9} {'ensure':>7} "
        f"{'cell.step':>9} | {'torch':>7} {'threads':>7} | {'1-hot/torch':>11} {'dense/torch':>11}"
    )
    print(header)
    print("-" * len(header))
    for hidden, input_size, steps in SIZES:
        params = LSTMParams.random(hidden, input_size, seed=1)
        inputs = one_hot_inputs(steps, input_size, seed=2)
        figures = time_engine(params, inputs, args.repeats)
        row = (
            f"{hidden:>4} {input_size:>4} {steps:>5} | {figures['run']:>9.2f} "
            f"{figures['dense']:>9.2f} {figures['ensure']:>7.2f} {figures['cell.step']:>9.2f} | "
        )
        timed = torch_timer(params, inputs, Trajectory(params, inputs).run().h)
        if timed is None:
            row += f"{'-':>7} {'-':>7} | {'-':>11} {'-':>11}"
        else:
            # torch's fastest thread count is the fair comparison: try 1 and its default.
            candidates = {n: timed(args.repeats, n) for n in sorted({1, default_threads})}
            threads = min(candidates, key=candidates.__getitem__)
            torch_us = candidates[threads]
            row += (
                f"{torch_us:>7.2f} {threads:>7} | {figures['run'] / torch_us:>11.2f} "
                f"{figures['dense'] / torch_us:>11.2f}"
            )
        print(row)


if __name__ == "__main__":
    main()
