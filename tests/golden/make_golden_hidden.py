"""Make the golden arrays the RNN and GRU are checked against, with torch.nn.RNN / nn.GRU.

Run by hand when the cases change (torch needed here, never by the tests)::

    python tests/golden/make_golden_hidden.py

Each case is one ``.npz`` under ``tests/golden/hidden/`` named after its kind
(``rnn_...``, ``gru_...``), holding the four PyTorch parameter arrays, the
inputs ``x`` (T, I), the initial state ``h0`` (H,) and what torch computed
in float64: ``h`` (T, H), row t the state after input t. For the GRU it also
holds the gates ``r``, ``z`` and the candidate ``n`` (T, H), worked out from
torch's own step (see :func:`gru_parts`). ``tests/engine/test_hidden_golden.py``
reads them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from make_golden import one_hot  # beside this script

DATA = Path(__file__).resolve().parent / "hidden"

# (kind, name, hidden, input kind, source, weight scale, random initial state);
# as in make_golden.py, a scale above 1 saturates the gates and tanh.
CASES: tuple[tuple[str, str, int, str, object, float, bool], ...] = (
    ("rnn", "h1_i1_numeric", 1, "numeric", (30, 1), 1.0, False),
    ("rnn", "h4_char_state", 4, "char", "abba cab acca baba", 2.0, True),
    ("rnn", "h16_i3_numeric_saturated", 16, "numeric", (50, 3), 6.0, True),
    ("gru", "h1_i1_numeric", 1, "numeric", (30, 1), 1.0, False),
    ("gru", "h4_char_state", 4, "char", "hello, world. the cell state is a counter.", 2.0, True),
    ("gru", "h16_i3_numeric_saturated", 16, "numeric", (50, 3), 6.0, True),
)


def gru_parts(gru: torch.nn.GRU, x: torch.Tensor, h: torch.Tensor) -> list[np.ndarray]:
    """r, z and n of one step, from torch's own weights and torch's own functions.

    ``torch.nn.GRU`` returns only h; its documented equations give the rest,
    and the h they give is checked against the h it returned.
    """
    w_ih, w_hh = gru.weight_ih_l0, gru.weight_hh_l0
    b_ih, b_hh = gru.bias_ih_l0, gru.bias_hh_l0
    gi = torch.nn.functional.linear(x, w_ih, b_ih)
    gh = torch.nn.functional.linear(h, w_hh, b_hh)
    i_r, i_z, i_n = gi.chunk(3)
    h_r, h_z, h_n = gh.chunk(3)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return [r.numpy(), z.numpy(), n.numpy(), ((1 - z) * n + z * h).numpy()]


def make_case(
    index: int, kind: str, hidden: int, source_kind: str, source: object, scale: float, state: bool
) -> dict[str, np.ndarray]:
    torch.manual_seed(2000 + index)
    if source_kind == "char":
        x, vocab = one_hot(str(source))
    else:
        steps, size = source  # type: ignore[misc]
        x = torch.randn(steps, size, dtype=torch.float64).numpy() * 1.5
    module = (torch.nn.RNN if kind == "rnn" else torch.nn.GRU)(x.shape[1], hidden).double()
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(scale)
    h0 = torch.zeros(1, hidden, dtype=torch.float64)
    if state:
        h0 = torch.rand(1, hidden, dtype=torch.float64) * 2 - 1
    inputs = torch.from_numpy(x)
    with torch.no_grad():
        whole, last = module(inputs, h0)
        hs, parts = [], []
        h = h0
        for t in range(len(x)):
            _, h = module(inputs[t : t + 1], h)
            hs.append(h[0].numpy())
        if kind == "gru":
            previous = torch.cat([h0, whole[:-1]])
            parts = [gru_parts(module, inputs[t], previous[t]) for t in range(len(x))]
    h_steps = np.array(hs)
    # Step by step must be the whole run, or the stepping is wrong. (Torch's
    # whole run is one fused kernel: in the saturated cases, rounding that
    # differs in the last bit grows to about 1e-12 over 50 steps.)
    assert np.allclose(h_steps, whole.numpy(), rtol=0, atol=1e-11)
    assert np.array_equal(last[0].numpy(), whole[-1].numpy())
    case = {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}
    case.update(x=x, h0=h0[0].numpy(), h=h_steps)
    if parts:
        r, z, n, h_again = (np.array(column) for column in zip(*parts, strict=True))
        assert np.allclose(h_again, h_steps, rtol=0, atol=1e-14)
        case.update(r=r, z=z, n=n)
    if source_kind == "char":
        case.update(text=np.array(str(source)), vocab=np.array(vocab))
    return case


def main() -> None:
    DATA.mkdir(exist_ok=True)
    total = 0
    for index, (kind, name, *spec) in enumerate(CASES):
        path = DATA / f"{kind}_{name}.npz"
        np.savez_compressed(path, **make_case(index, kind, *spec))
        total += path.stat().st_size
        print(f"{path.relative_to(DATA.parent.parent.parent)}  {path.stat().st_size:>7} bytes")
    print(f"{len(CASES)} cases, {total} bytes, torch {torch.__version__}")


if __name__ == "__main__":
    main()
