"""Make the golden arrays the engine is checked against, with torch.nn.LSTM.

Run by hand when the cases change (torch needed here, never by the tests)::

    python tests/golden/make_golden.py

Each case is one ``.npz`` under ``tests/golden/data/`` holding the four
PyTorch parameter arrays, the inputs ``x`` (T, I), the initial state ``h0``
and ``c0`` (H,), and what ``torch.nn.LSTM`` computed in float64: ``h`` and
``c`` (T, H), row t the state after input t. Character cases also keep their
``text`` and ``vocab``. ``tests/engine/test_golden.py`` reads them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DATA = Path(__file__).resolve().parent / "data"

# (name, hidden, input kind, source, weight scale, random initial state)
# Character cases take their input size from the text's vocabulary; numeric
# cases give it. A scale above 1 multiplies PyTorch's default initialisation
# so that gates saturate.
CASES: tuple[tuple[str, int, str, object, float, bool], ...] = (
    ("h1_i1_numeric", 1, "numeric", (30, 1), 1.0, False),
    ("h1_char", 1, "char", "abba cab acca baba", 3.0, True),
    ("h4_i1_numeric_state", 4, "numeric", (40, 1), 3.0, True),
    ("h8_char", 8, "char", "hello, world. the cell state is a counter.", 1.0, False),
    ("h16_i3_numeric", 16, "numeric", (50, 3), 2.0, True),
    ("h24_char_saturated", 24, "char", "forget gates reset; input gates write.", 10.0, True),
)


def one_hot(text: str) -> tuple[np.ndarray, list[str]]:
    vocab = sorted(set(text))
    x = np.zeros((len(text), len(vocab)))
    x[np.arange(len(text)), [vocab.index(ch) for ch in text]] = 1.0
    return x, vocab


def make_case(
    index: int, hidden: int, kind: str, source: object, scale: float, with_state: bool
) -> dict[str, np.ndarray]:
    torch.manual_seed(1000 + index)
    if kind == "char":
        x, vocab = one_hot(str(source))
    else:
        steps, size = source  # type: ignore[misc]
        x = torch.randn(steps, size, dtype=torch.float64).numpy() * 1.5
    lstm = torch.nn.LSTM(x.shape[1], hidden).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.mul_(scale)
    h0 = torch.zeros(1, hidden, dtype=torch.float64)
    c0 = torch.zeros(1, hidden, dtype=torch.float64)
    if with_state:
        h0 = torch.rand(1, hidden, dtype=torch.float64) * 2 - 1
        c0 = torch.randn(1, hidden, dtype=torch.float64) * 2
    inputs = torch.from_numpy(x)
    with torch.no_grad():
        whole, _ = lstm(inputs, (h0, c0))
        # nn.LSTM returns only the last c: step through to keep every one.
        hs, cs = [], []
        h, c = h0, c0
        for t in range(len(x)):
            _, (h, c) = lstm(inputs[t : t + 1], (h, c))
            hs.append(h[0].numpy())
            cs.append(c[0].numpy())
    h_steps, c_steps = np.array(hs), np.array(cs)
    # The step-by-step h must be the whole-sequence h, or the stepping is wrong.
    assert np.allclose(h_steps, whole.numpy(), rtol=0, atol=1e-14)
    case = {k: v.detach().numpy().copy() for k, v in lstm.state_dict().items()}
    case.update(x=x, h0=h0[0].numpy(), c0=c0[0].numpy(), h=h_steps, c=c_steps)
    if kind == "char":
        case.update(text=np.array(str(source)), vocab=np.array(vocab))
    return case


def main() -> None:
    DATA.mkdir(exist_ok=True)
    total = 0
    for index, (name, *spec) in enumerate(CASES):
        path = DATA / f"{name}.npz"
        np.savez_compressed(path, **make_case(index, *spec))
        total += path.stat().st_size
        print(f"{path.relative_to(DATA.parent.parent.parent)}  {path.stat().st_size:>7} bytes")
    print(f"{len(CASES)} cases, {total} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
