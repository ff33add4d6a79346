"""Training: the time of one step next to torch's, and how soon a counter appears.

Run by hand: ``python benchmarks/train.py`` (``--only step`` or ``--only counter``).

1. **Step**: one training step (forward, backward and an Adam update with a
   gradient clip of 5) on a chunk of 100 tokens at H=64, vocabulary 64, as
   :class:`~lstm_tui.engine.training.Trainer` does it, against torch doing
   the same job (``nn.LSTM`` and ``nn.Linear``, cross-entropy,
   ``clip_grad_norm_``, ``torch.optim.Adam``) on the CPU in float64 with one
   thread, from the same weights, in the same run. Milliseconds per step,
   the median and the best of the timed steps after a warm-up, and the ratio
   of the medians (below 1: faster than torch). The first step's loss is
   checked to agree with torch's, so both time the same work.
2. **Counter**: from ``--hidden 8 --seed 0`` (the weights ``lstm-tui train
   --hidden 8 --seed 0`` starts from), with the command's default settings,
   train on a generated corpus of nested brackets with letters between them
   and, every few steps, run the cell over held-out text of the same kind:
   the time until one unit's c has a correlation of at least 0.9 in
   magnitude with the bracket depth. The clock runs over training and the
   checks alike.

BLAS runs single-threaded, as the ``lstm-tui`` command sets it up.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.training import Trainer, TrainingSettings, with_head
from lstm_tui.engine.trajectory import run
from lstm_tui.sequences.sequence import from_tokens

HIDDEN, VOCAB, CHUNK = 64, 64, 100
CORPUS = 20_000
LETTERS = "abcdefgh"
MAX_DEPTH = 8


# --- 1. one step against torch --------------------------------------------------------


def corpus_ids(length: int, vocab: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, vocab, length)


def our_steps(model: Model, ids: np.ndarray, settings: TrainingSettings, count: int):
    inputs = np.eye(VOCAB)[ids]
    trainer = Trainer(model, inputs, ids, CellConfig(), settings)
    times, losses = [], []
    for _ in range(count):
        start = time.perf_counter()
        losses.append(trainer.step())
        times.append(time.perf_counter() - start)
    return times, losses


def torch_steps(model: Model, ids: np.ndarray, settings: TrainingSettings, count: int):
    import torch

    torch.set_num_threads(1)

    class CharModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = torch.nn.LSTM(VOCAB, HIDDEN)
            self.head = torch.nn.Linear(HIDDEN, VOCAB)

    net = CharModel().double()
    layer = model.layers[0]
    assert model.head_weight is not None and model.head_bias is not None
    arrays = {f"lstm.{k}": v for k, v in layer.state_dict().items()}
    arrays |= {"head.weight": model.head_weight, "head.bias": model.head_bias}
    net.load_state_dict({k: torch.tensor(np.array(v)) for k, v in arrays.items()})
    params = list(net.parameters())
    opt = torch.optim.Adam(params, lr=settings.lr)
    x = torch.nn.functional.one_hot(torch.from_numpy(ids), VOCAB).double()
    targets = torch.from_numpy(ids)
    h = torch.zeros(1, HIDDEN, dtype=torch.float64)
    c = torch.zeros(1, HIDDEN, dtype=torch.float64)
    p, times, losses = 0, [], []
    for _ in range(count):
        start = time.perf_counter()
        if p + CHUNK >= len(ids):
            p = 0
            h, c = torch.zeros_like(h), torch.zeros_like(c)
        out, (h, c) = net.lstm(x[p : p + CHUNK], (h, c))
        loss = torch.nn.functional.cross_entropy(net.head(out), targets[p + 1 : p + CHUNK + 1])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, settings.clip)
        opt.step()
        h, c = h.detach(), c.detach()
        p += CHUNK
        times.append(time.perf_counter() - start)
        losses.append(loss.item())
    return times, losses


def bench_step(count: int, warmup: int) -> None:
    ids = corpus_ids(CORPUS, VOCAB, 1)
    model = with_head(Model.single(LSTMParams.random(HIDDEN, VOCAB, 0)), VOCAB, 0)
    settings = TrainingSettings("adam", 0.01, CHUNK, 5.0)
    rows = {"lstm-tui (NumPy)": our_steps(model, ids, settings, warmup + count)}
    try:
        rows["torch, 1 thread"] = torch_steps(model, ids, settings, warmup + count)
    except ImportError:
        print("torch not importable: no comparison")
    print(f"one training step: chunk {CHUNK}, H={HIDDEN}, vocabulary {VOCAB}, Adam, clip 5")
    print(f"milliseconds per step over {count} steps after {warmup} of warm-up")
    header = f"{'':<18} {'median':>8} {'best':>8} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    medians = {name: statistics.median(t[warmup:]) * 1e3 for name, (t, _) in rows.items()}
    reference = medians.get("torch, 1 thread")
    for name, (times, _) in rows.items():
        ratio = f"{medians[name] / reference:>6.2f}x" if reference else f"{'-':>7}"
        print(f"{name:<18} {medians[name]:>8.3f} {min(times[warmup:]) * 1e3:>8.3f} {ratio}")
    if reference:
        ours, theirs = rows["lstm-tui (NumPy)"][1], rows["torch, 1 thread"][1]
        agree = max(abs(a - b) for a, b in zip(ours, theirs, strict=True))
        print(f"largest difference of the {len(ours)} losses from torch's: {agree:.1e}")


# --- 2. the counter -------------------------------------------------------------------


def brackets(length: int, seed: int) -> tuple[str, np.ndarray]:
    """Nested brackets with letters between them, and the depth after each character.

    Half the characters are letters; a bracket opens with probability
    1 - depth/8 and closes otherwise, so how likely a ``)`` is grows with the
    depth: a cell that counts the depth predicts the brackets best.
    """
    rng = np.random.default_rng(seed)
    chars, depths, depth = [], [], 0
    for _ in range(length):
        if rng.random() < 0.5:
            chars.append(LETTERS[rng.integers(len(LETTERS))])
        elif rng.random() < 1.0 - depth / MAX_DEPTH:
            chars.append("(")
            depth += 1
        else:
            chars.append(")")
            depth -= 1
        depths.append(depth)
    return "".join(chars), np.array(depths, dtype=np.float64)


def best_counter(params: LSTMParams, config: CellConfig, inputs, depth) -> tuple[int, float]:
    """The unit whose c follows the depth best on held-out text, and its correlation."""
    c = run(params, inputs, config).c
    spread = c.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = ((c - c.mean(axis=0)) * (depth - depth.mean())[:, None]).mean(axis=0) / (
            spread * depth.std()
        )
    corr = np.where(spread > 0, corr, 0.0)
    unit = int(np.argmax(np.abs(corr)))
    return unit, float(corr[unit])


def bench_counter(limit: float, every: int) -> None:
    text, _ = brackets(CORPUS, 10)
    held_out, depth = brackets(3000, 11)
    vocab = tuple(sorted(set(text)))
    train = from_tokens(tuple(text), vocab)
    test = from_tokens(tuple(held_out), vocab)
    settings = TrainingSettings()
    model = with_head(Model.single(LSTMParams.random(8, len(vocab), 0)), len(vocab), 0)
    trainer = Trainer(model, train.inputs, train.inputs.argmax(axis=1), CellConfig(), settings)
    print(
        f"counter: H=8 --seed 0, {settings.optimizer} lr {settings.lr:g}, chunk "
        f"{settings.bptt}, clip {settings.clip:g}; {CORPUS:,} characters of brackets and "
        f"letters, checked every {every} steps on {len(held_out):,} held-out ones"
    )
    print(f"{'seconds':>8} {'steps':>7} {'loss':>7} {'unit':>5} {'corr(c, depth)':>15}")
    unit, corr = best_counter(trainer.model().layers[0], CellConfig(), test.inputs, depth)
    print(f"{0.0:>8.2f} {0:>7} {'-':>7} {unit:>5} {corr:>15.3f}")
    start = time.perf_counter()
    losses: list[float] = []
    shown = 0.0
    while True:
        for _ in range(every):
            losses.append(trainer.step())
        unit, corr = best_counter(trainer.model().layers[0], CellConfig(), test.inputs, depth)
        elapsed = time.perf_counter() - start
        found = abs(corr) >= 0.9
        if found or elapsed - shown >= 5.0 or elapsed > limit:
            shown = elapsed
            loss = statistics.mean(losses[-every:])
            print(f"{elapsed:>8.2f} {trainer.steps:>7} {loss:>7.4f} {unit:>5} {corr:>15.3f}")
        if found:
            print(f"|corr| >= 0.9 after {elapsed:.2f} s ({trainer.steps} steps): goal < 60 s")
            # Whether it stays: the best unit's |corr| over the next 40 checks.
            later = []
            for _ in range(40):
                for _ in range(every):
                    trainer.step()
                layer = trainer.model().layers[0]
                later.append(abs(best_counter(layer, CellConfig(), test.inputs, depth)[1]))
            print(
                f"over the next {40 * every} steps: |corr| from {min(later):.3f} to "
                f"{max(later):.3f}, at or above 0.9 in {sum(v >= 0.9 for v in later)} of 40 checks"
            )
            return
        if elapsed > limit:
            print(f"no unit reached |corr| >= 0.9 within {limit:.0f} s: goal < 60 s missed")
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("step", "counter"), help="one of the two figures")
    parser.add_argument("--steps", type=int, default=100, help="timed steps (default 100)")
    parser.add_argument("--limit", type=float, default=300.0, help="counter: give up after (s)")
    parser.add_argument("--every", type=int, default=50, help="counter: steps between checks")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPU(s)")
    if args.only in (None, "step"):
        bench_step(args.steps, 10)
    if args.only is None:
        print()
    if args.only in (None, "counter"):
        bench_counter(args.limit, args.every)


if __name__ == "__main__":
    main()
