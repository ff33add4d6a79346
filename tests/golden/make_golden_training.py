"""Make the training golden cases: torch trains a one-layer LSTM and a linear head, float64.

Run by hand when the cases change (torch needed here, never by the tests)::

    python tests/golden/make_golden_training.py

Each case is two files under ``tests/golden/data/training/``:

- ``NAME.init.npz``: the initial model, ``np.savez(**model.state_dict())`` of
  a module with submodules ``lstm`` (``nn.LSTM``) and ``head`` (``nn.Linear``),
  with its ``vocab`` for text;
- ``NAME.expected.npz``: the sequence (``text``, or ``vectors`` (T, I)), the
  settings (``optimizer``, ``lr``, ``bptt``, ``clip``, ``steps``), each step's
  ``losses`` before its update, and every parameter after the last step
  under its state-dict key.

Training is chunked as the ``train`` command does it: step n reads inputs
p … p+K−1 with targets p+1 … p+K, then p += K; h and c carry over detached;
when the next chunk would run past the end, p = 0 and h = c = 0.
``tests/engine/test_golden_training.py`` reads the files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DATA = Path(__file__).resolve().parent / "data" / "training"
TEXT = "the cat (sat) on the (mat (here))."

# (name, sequence kind, hidden, optimizer, lr, bptt, clip, steps)
CASES = (
    ("char_sgd", "char", 6, "sgd", 0.5, 7, 0.0, 1),
    ("char_adam", "char", 6, "adam", 0.02, 7, 0.0, 5),
    ("char_adam_clip", "char", 6, "adam", 0.02, 7, 0.05, 5),
    ("numeric_sgd", "numeric", 5, "sgd", 0.5, 4, 0.0, 1),
    ("numeric_adam", "numeric", 5, "adam", 0.02, 4, 0.0, 5),
)


class Model(torch.nn.Module):
    def __init__(self, inputs: int, hidden: int, outputs: int) -> None:
        super().__init__()
        self.lstm = torch.nn.LSTM(inputs, hidden)
        self.head = torch.nn.Linear(hidden, outputs)


def vectors() -> np.ndarray:
    """(14, 3): a slow sine, its cosine and a square wave, one row per step."""
    t = np.arange(14)
    return np.stack([np.sin(0.5 * t), np.cos(0.5 * t), np.sign(np.sin(0.9 * t) + 0.1)], axis=1)


def make_case(
    index: int,
    kind: str,
    hidden: int,
    optimizer: str,
    lr: float,
    bptt: int,
    clip: float,
    steps: int,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    torch.manual_seed(3000 + index)
    expected: dict[str, np.ndarray] = {}
    if kind == "char":
        vocab = sorted(set(TEXT))
        ids = torch.tensor([vocab.index(ch) for ch in TEXT])
        x = torch.nn.functional.one_hot(ids, len(vocab)).double()
        targets = ids
        outputs = len(vocab)
        expected["text"] = np.array(TEXT)
    else:
        x = torch.tensor(vectors())
        targets = x
        outputs = x.shape[1]
        expected["vectors"] = x.numpy()
    model = Model(x.shape[1], hidden, outputs).double()
    init = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    if kind == "char":
        init["vocab"] = np.array(vocab)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=lr) if optimizer == "adam" else torch.optim.SGD(params, lr=lr)
    length = x.shape[0]
    h = torch.zeros(1, hidden, dtype=torch.float64)
    c = torch.zeros(1, hidden, dtype=torch.float64)
    p = 0
    losses = []
    for _ in range(steps):
        if p + bptt >= length:
            p = 0
            h = torch.zeros_like(h)
            c = torch.zeros_like(c)
        out, (h, c) = model.lstm(x[p : p + bptt], (h, c))
        guess = model.head(out)
        if kind == "char":
            loss = torch.nn.functional.cross_entropy(guess, targets[p + 1 : p + bptt + 1])
        else:
            loss = torch.nn.functional.mse_loss(guess, targets[p + 1 : p + bptt + 1])
        opt.zero_grad()
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        h, c = h.detach(), c.detach()
        losses.append(loss.item())
        p += bptt
    expected.update(
        optimizer=np.array(optimizer),
        lr=np.array(lr),
        bptt=np.array(bptt),
        clip=np.array(clip),
        steps=np.array(steps),
        losses=np.array(losses),
    )
    expected.update({k: v.detach().numpy().copy() for k, v in model.state_dict().items()})
    return init, expected


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for index, (name, *spec) in enumerate(CASES):
        init, expected = make_case(index, *spec)
        np.savez(DATA / f"{name}.init.npz", **init)
        np.savez_compressed(DATA / f"{name}.expected.npz", **expected)
        print(f"{name}: losses {', '.join(f'{v:.4f}' for v in expected['losses'])}")
    print(f"{len(CASES)} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
