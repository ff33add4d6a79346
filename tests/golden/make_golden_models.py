"""Make the whole-model golden cases: torch models saved with ``np.savez(**state_dict)``.

Run by hand when the cases change (torch needed here, never by the tests)::

    python tests/golden/make_golden_models.py

Each case is two files under ``tests/golden/data/models/``:

- ``NAME.model.npz``: exactly what a user saves,
  ``np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})``;
- ``NAME.expected.npz``: the ``text`` the model reads (its ``vocab`` is the
  sorted distinct characters), the token ``ids`` (T,), and what torch
  computed in float64: ``h_l0``, ``c_l0``, ``h_l1``, ``c_l1`` (T, H), row t
  the state after token t, and the head's ``probs`` (T, V) after each token
  (a head on the last layer's h, or on every layer's h side by side).

``tests/engine/test_golden_models.py`` reads them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DATA = Path(__file__).resolve().parent / "data" / "models"
TEXT = "the cell state is a counter; the forget gate resets it."


class CharModel(torch.nn.Module):
    """An embedding (or one-hot input), a stacked LSTM and a linear head: a character model."""

    def __init__(
        self,
        vocab: int,
        embed: int | None,
        hidden: int,
        layers: int,
        bias: bool,
        every_layer: bool = False,
    ):
        super().__init__()
        self.vocab = vocab
        self.embedding = torch.nn.Embedding(vocab, embed) if embed else None
        inputs = embed or vocab
        self.lstm = torch.nn.LSTM(inputs, hidden, num_layers=layers, bias=bias)
        # A head on every layer's h side by side (layer 0 first), as a head on
        # a stack's final states h_n is: Linear(H * layers, V).
        self.head = torch.nn.Linear(hidden * (layers if every_layer else 1), vocab, bias=bias)

    def inputs(self, ids: torch.Tensor) -> torch.Tensor:
        if self.embedding is not None:
            return self.embedding(ids)
        return torch.nn.functional.one_hot(ids, self.vocab).double()


# (name, embedding size or None for one-hot input, hidden, layers, bias, weight scale,
#  head on every layer's h)
CASES = (
    ("embedding_lstm2_head", 5, 6, 2, True, 1.5, False),
    ("onehot_lstm2_head_nobias", None, 4, 2, False, 2.0, False),
    ("embedding_lstm2_head_every_layer", 5, 6, 2, True, 1.5, True),
)


def make_case(
    index: int,
    embed: int | None,
    hidden: int,
    layers: int,
    bias: bool,
    scale: float,
    every_layer: bool,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    torch.manual_seed(2000 + index)
    vocab = sorted(set(TEXT))
    ids = torch.tensor([vocab.index(ch) for ch in TEXT])
    model = CharModel(len(vocab), embed, hidden, layers, bias, every_layer).double()
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(scale)
        x = model.inputs(ids)
        whole, _ = model.lstm(x)
        # nn.LSTM returns every step's h of the last layer only: step through
        # to keep every layer's h and c at every step.
        state = (
            torch.zeros(layers, hidden, dtype=torch.float64),
            torch.zeros(layers, hidden, dtype=torch.float64),
        )
        hs, cs = [], []
        for t in range(len(TEXT)):
            _, state = model.lstm(x[t : t + 1], state)
            hs.append(state[0].numpy().copy())
            cs.append(state[1].numpy().copy())
        h_every = torch.tensor(np.array(hs)).reshape(len(TEXT), layers * hidden)
        read = h_every if every_layer else whole
        probs = torch.softmax(model.head(read), dim=-1).numpy()
    h, c = np.array(hs), np.array(cs)  # (T, layers, H)
    assert np.allclose(h[:, -1], whole.numpy(), rtol=0, atol=1e-14)
    saved = {k: v.numpy() for k, v in model.state_dict().items()}
    expected: dict[str, np.ndarray] = {"text": np.array(TEXT), "ids": ids.numpy(), "probs": probs}
    for k in range(layers):
        expected[f"h_l{k}"] = h[:, k]
        expected[f"c_l{k}"] = c[:, k]
    return saved, expected


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for index, (name, *spec) in enumerate(CASES):
        saved, expected = make_case(index, *spec)
        model_path = DATA / f"{name}.model.npz"
        np.savez(model_path, **saved)
        np.savez_compressed(DATA / f"{name}.expected.npz", **expected)
        print(f"{name}: {', '.join(sorted(saved))}")
    print(f"{len(CASES)} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
