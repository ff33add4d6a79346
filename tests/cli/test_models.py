"""Whole models on the command line: choices, the shown layer, and one line (exit 2) for
every ambiguity and every kind of model that is not supported."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_tui import session as session_module
from tests.cli.test_hostile_input import assert_refused
from tests.model_files import MODEL, TEXT, write_text


@pytest.fixture
def text(tmp_path: Path) -> Path:
    return write_text(tmp_path)


def variant(tmp_path: Path, name: str = "m.npz", drop: tuple[str, ...] = (), **extra) -> Path:
    with np.load(MODEL) as archive:
        arrays = {k: archive[k] for k in archive.files if k not in drop}
    path = tmp_path / name
    np.savez(path, **arrays, **extra)
    return path


def test_the_trace_shows_the_last_layer_unless_told(run_cli, text: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.npz"
    assert run_cli("trace", str(text), "--weights", str(MODEL), "-o", str(out)).code == 0
    with np.load(out) as trace:
        assert np.array_equal(trace["h"], trace["h_l1"])
        assert trace["probs"].shape == (len(TEXT), len(set(TEXT)))


def test_choices_settle_an_ambiguous_file(run_cli, text: Path, tmp_path: Path) -> None:
    with np.load(MODEL) as archive:
        other = archive["embedding.weight"] * 2
    path = variant(tmp_path, **{"pos_embedding.weight": other})
    refused = run_cli("trace", str(text), "--weights", str(path))
    assert_refused(refused, "2 arrays that fit as the embedding", "--embedding KEY")
    out = tmp_path / "t.npz"
    chosen = run_cli(
        "trace",
        str(text),
        "--weights",
        str(path),
        "--embedding",
        "embedding.weight",
        "-o",
        str(out),
    )
    assert chosen.code == 0, chosen.err


def test_ids_in_json_read_through_the_model_s_vocabulary(
    run_cli, text: Path, tmp_path: Path
) -> None:
    vocab = sorted(set(TEXT))
    path = variant(tmp_path, vocab=np.array(vocab))
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({"ids": [vocab.index(ch) for ch in TEXT]}))
    by_ids, by_text = tmp_path / "a.npz", tmp_path / "b.npz"
    assert run_cli("trace", str(ids), "--weights", str(path), "-o", str(by_ids)).code == 0
    assert run_cli("trace", str(text), "--weights", str(path), "-o", str(by_text)).code == 0
    with np.load(by_ids) as a, np.load(by_text) as b:
        assert np.array_equal(a["probs"], b["probs"])


@pytest.mark.parametrize(
    ("extra", "drop", "options", "needles"),
    [
        (
            {"decoder.weight_ih_l0": np.ones((24, 6)), "decoder.weight_hh_l0": np.ones((24, 6))},
            (),
            (),
            ["holds 2 LSTMs", "--lstm PREFIX"],
        ),
        ({"out.weight": np.ones((3, 6))}, (), (), ["fit as the head", "--head KEY"]),
        (
            {"lstm.weight_ih_l0_reverse": np.ones((24, 5))},
            (),
            (),
            ["bidirectional LSTM is not supported"],
        ),
        ({"lstm.weight_hr_l0": np.ones((3, 6))}, (), (), ["proj_size is not supported"]),
        ({}, (), ("--layer", "2"), ["there is no layer 2: the model has 2 (0 to 1)"]),
        ({}, (), ("--lstm", "gru"), ["no LSTM under the prefix 'gru'"]),
        ({}, (), ("--head", "nothing"), ["no array 'nothing' (given with --head)"]),
        ({}, ("lstm.bias_hh_l0",), (), ["missing key(s): lstm.bias_hh_l0"]),
    ],
    ids=[
        "two-lstms",
        "two-heads",
        "bidirectional",
        "projection",
        "layer",
        "prefix",
        "head",
        "bias",
    ],
)
def test_each_problem_is_one_line(
    run_cli, text: Path, tmp_path: Path, extra: dict, drop: tuple, options: tuple, needles: list
) -> None:
    path = variant(tmp_path, drop=drop, **extra)
    result = run_cli("trace", str(text), "--weights", str(path), *options)
    line = assert_refused(result, *needles)
    assert str(path) in line


def test_model_options_need_weights(run_cli, text: Path) -> None:
    assert_refused(run_cli("trace", str(text), "--layer", "0"), "apply to --weights FILE")


def test_a_pt_file_without_torch_is_one_line_with_the_recipe(
    run_cli, text: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "torch_reader", lambda: None)
    path = tmp_path / "model.pt"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    line = assert_refused(
        run_cli("trace", str(text), "--weights", str(path)),
        "is a PyTorch torch.save file",
        "pip",
        "np.savez('model.npz'",
    )
    assert len(line) < 300
