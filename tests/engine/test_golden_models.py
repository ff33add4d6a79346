"""Whole models against golden arrays computed by torch (no torch needed here).

Each model file is what ``np.savez(**model.state_dict())`` writes for an
embedding (or one-hot input), a 2-layer ``nn.LSTM`` and an ``nn.Linear``
head; the arrays and the script that made them are in ``tests/golden/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.cli import main
from lstm_tui.engine.stack import Stack
from lstm_tui.engine.weights_io import load_model
from lstm_tui.sequences.sequence import from_tokens

DATA = Path(__file__).resolve().parent.parent / "golden" / "data" / "models"
CASES = sorted(DATA.glob("*.model.npz"))
TOLERANCE = 1e-10


def expected(model_path: Path) -> dict[str, np.ndarray]:
    path = model_path.with_name(model_path.name.replace(".model.", ".expected."))
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def test_the_cases_cover_an_embedding_no_biases_and_a_head_on_every_layer() -> None:
    assert len(CASES) == 3
    keys = [set(np.load(path).files) for path in CASES]
    assert any("embedding.weight" in k for k in keys)
    assert any(not any("bias" in key for key in k) for k in keys)
    assert all("lstm.weight_ih_l1" in k for k in keys)
    widths = {np.load(path)["head.weight"].shape[1] for path in CASES}
    assert widths == {4, 6, 12}  # H for two of them, H x 2 layers for one


def test_a_head_on_every_layer_reads_them_side_by_side() -> None:
    (path,) = [p for p in CASES if "every_layer" in p.name]
    model = load_model(path).model
    assert model.head_reads_every_layer
    assert not load_model(CASES[0]).model.head_reads_every_layer


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_every_layer_and_the_probabilities_match_torch(path: Path) -> None:
    case = expected(path)
    loaded = load_model(path)
    model = loaded.model
    text = str(case["text"])
    sequence = from_tokens(list(text))
    np.testing.assert_array_equal(sequence.inputs.argmax(axis=1), case["ids"])
    assert model.depth == 2 and model.names.lstm == "lstm." and model.names.head == "head.weight"
    stack = Stack(model, sequence.inputs)
    for k in range(2):
        layer = stack.layer(k).run()
        np.testing.assert_allclose(layer.h, case[f"h_l{k}"], rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(layer.c, case[f"c_l{k}"], rtol=0, atol=TOLERANCE)
    for t in (0, len(text) // 2, len(text) - 1):
        np.testing.assert_allclose(stack.probabilities(t), case["probs"][t], rtol=0, atol=1e-12)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_trace_writes_every_layer_and_the_probabilities(path: Path, tmp_path: Path) -> None:
    case = expected(path)
    text = tmp_path / "text.txt"
    text.write_text(str(case["text"]), encoding="utf-8")
    out = tmp_path / "trace.npz"
    assert main(["trace", str(text), "--weights", str(path), "--layer", "0", "-o", str(out)]) == 0
    with np.load(out, allow_pickle=False) as trace:
        for k in range(2):
            np.testing.assert_allclose(trace[f"h_l{k}"], case[f"h_l{k}"], rtol=0, atol=TOLERANCE)
            np.testing.assert_allclose(trace[f"c_l{k}"], case[f"c_l{k}"], rtol=0, atol=TOLERANCE)
        # The usual arrays are the shown layer's: layer 0 here.
        np.testing.assert_array_equal(trace["h"], trace["h_l0"])
        np.testing.assert_allclose(trace["probs"], case["probs"], rtol=0, atol=TOLERANCE)
        assert trace["logits"].shape == case["probs"].shape
        np.testing.assert_allclose(trace["probs"].sum(axis=1), 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("chunk_steps", [1, 4, 7])
def test_stepping_a_stack_pulls_the_layer_below_chunk_by_chunk(
    monkeypatch: pytest.MonkeyPatch, chunk_steps: int
) -> None:
    from lstm_tui.engine import trajectory

    path = CASES[0]
    case = expected(path)
    model = load_model(path).model
    hidden = model.layers[0].hidden_size
    # Small projection chunks, so a step often lands in a chunk not yet pulled.
    monkeypatch.setattr(trajectory, "_PROJECTION_VALUES", chunk_steps * 4 * hidden)
    stack = Stack(model, from_tokens(list(str(case["text"]))).inputs)
    top = stack.layer(1)
    for t in range(len(top)):
        top.ensure(t)
        # Layer 0 is computed to the end of t's chunk, no further.
        assert stack.layer(0).computed == min(len(top), (t // chunk_steps + 1) * chunk_steps)
        np.testing.assert_allclose(top.h[t], case["h_l1"][t], rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(top.c[t], case["c_l1"][t], rtol=0, atol=TOLERANCE)
    assert stack.layer(0).computed == len(top)
    replica = top.replica(10).run()
    np.testing.assert_array_equal(replica.h, top.h[:10])
