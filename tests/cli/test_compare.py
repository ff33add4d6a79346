"""``lstm-tui trace --vs-...``: cell B's arrays beside A's, and every way the options go wrong."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.hidden_params import GRUParams, RNNParams
from lstm_tui.engine.hidden_trajectory import HiddenTrajectory
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import run
from lstm_tui.sequences.sequence import from_tokens
from tests.cli.test_trace import _assert_refused

TEXT = "abcab, ca"
SEED = 7


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "abc.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def trace(run_cli, text_file: Path, tmp_path: Path):
    """Run ``trace`` on the text with a random H=3 cell A and the given options; the arrays."""

    def go(*options: str, suffix: str = ".npz"):
        out = tmp_path / f"trace{suffix}"
        base = ("trace", str(text_file), "--hidden", "3", "--seed", str(SEED))
        result = run_cli(*base, *options, "-o", str(out))
        assert result.code == 0, result.err
        if suffix == ".npz":
            with np.load(out, allow_pickle=False) as data:
                return {key: data[key] for key in data.files}, result
        return out.read_text(encoding="utf-8"), result

    return go


def _weights(tmp_path: Path, name: str, **arrays: object) -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path


def a_params() -> tuple[LSTMParams, np.ndarray]:
    seq = from_tokens(list(TEXT))
    return LSTMParams.random(3, seq.input_size, SEED), seq.inputs


def test_an_rnn_made_from_as_weights_equals_a_separate_run(trace) -> None:
    arrays, result = trace("--vs-cell", "rnn")
    params, inputs = a_params()
    expected = HiddenTrajectory(RNNParams.from_lstm(params), inputs).run()
    assert {k for k in arrays if k.startswith("vs_")} == {"vs_z", "vs_h"}
    np.testing.assert_array_equal(arrays["vs_h"], expected.h)
    np.testing.assert_array_equal(arrays["vs_z"], expected.vector("z"))
    # A's arrays are as without B.
    np.testing.assert_array_equal(arrays["h"], run(params, inputs).h)
    assert "cell B (RNN from A's weights)" in result.err


def test_a_gru_from_a_file_equals_a_separate_run(trace, tmp_path: Path) -> None:
    params, inputs = a_params()
    gru = GRUParams.random(3, params.input_size, seed=2)
    path = _weights(tmp_path, "gru.npz", **gru.state_dict())
    # The kind is read from the shapes: --vs-cell may be given or not.
    for options in (("--vs-weights", str(path)), ("--vs-weights", str(path), "--vs-cell", "gru")):
        arrays, result = trace(*options)
        expected = HiddenTrajectory(gru, inputs).run()
        for name in ("r", "z", "n", "h"):
            np.testing.assert_array_equal(arrays[f"vs_{name}"], expected.vector(name))
        assert "cell B (GRU from gru.npz)" in result.err


def test_activations_and_clamps_of_b_are_as_changed_on_top_of_as(trace) -> None:
    arrays, result = trace(
        "--clamp", "output=1", "--vs-act", "cell=identity", "--vs-clamp", "forget=1",
        "--vs-clamp", "output=free",
    )  # fmt: skip
    params, inputs = a_params()
    config = CellConfig.build({"cell": "identity"}, {"forget": 1.0})
    expected = run(params, inputs, config)
    for name in "zifgoch":
        np.testing.assert_array_equal(arrays[f"vs_{name}"], expected.vector(name))
    assert np.all(arrays["o"] == 1.0) and not np.all(arrays["vs_o"] == 1.0)
    assert "LSTM with cell=identity, forget=1, output free" in result.err


def test_an_lstm_weights_file_for_b(trace, tmp_path: Path) -> None:
    params, inputs = a_params()
    other = LSTMParams.random(3, params.input_size, seed=11)
    path = _weights(tmp_path, "other.npz", **other.state_dict())
    arrays, _ = trace("--vs-weights", str(path))
    np.testing.assert_array_equal(arrays["vs_c"], run(other, inputs).c)


def test_csv_and_json_hold_b_beside_a(trace) -> None:
    text, _ = trace("--vs-cell", "gru", suffix=".csv")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][9:] == ["vs_r", "vs_z", "vs_n", "vs_h"]
    assert ",".join(rows[0][:9]) == "t,token,unit,i,f,g,o,c,h"
    params, inputs = a_params()
    expected = HiddenTrajectory(GRUParams.from_lstm(params), inputs).run()
    assert float(rows[1 + 3 * 4 + 2][-1]) == expected.h[4, 2]
    text, _ = trace("--vs-cell", "rnn", suffix=".json")
    assert np.array_equal(np.array(json.loads(text)["vs_h"]), rnn_h(params, inputs))


def rnn_h(params: LSTMParams, inputs: np.ndarray) -> np.ndarray:
    return HiddenTrajectory(RNNParams.from_lstm(params), inputs).run().h


# ------------------------------------------------------------------ bad input
BAD_OPTIONS = {
    "no equals": (("--vs-act", "cell"), ["expected SLOT=NAME", "'cell'"]),
    "unknown slot": (("--vs-act", "gate=tanh"), ["cell B", "unknown activation slot 'gate'"]),
    "unknown activation": (("--vs-act", "cell=cosh"), ["cell B", "unknown activation 'cosh'"]),
    "slot twice": (
        ("--vs-act", "cell=tanh", "--vs-act", "cell=relu"),
        ["--vs-act cell is given twice"],
    ),
    "unknown gate": (("--vs-clamp", "candidate=1"), ["cell B", "unknown gate 'candidate'"]),
    "unknown gate freed": (("--vs-clamp", "cell=free"), ["cell B", "unknown gate 'cell'"]),
    "clamp out of range": (("--vs-clamp", "forget=1.5"), ["clamp for forget must be in [0, 1]"]),
    "clamp not a number": (("--vs-clamp", "forget=open"), ["clamp for forget must be a number"]),
    "clamp nan": (("--vs-clamp", "input=nan"), ["clamp for input must be in [0, 1]"]),
    "unknown kind": (("--vs-cell", "lstm2"), ["invalid choice: 'lstm2'"]),
    "activation for an rnn": (
        ("--vs-cell", "rnn", "--vs-act", "cell=identity"),
        ["activations belong to an LSTM", "an RNN as cell B has none"],
    ),
    "clamp for a gru": (
        ("--vs-cell", "gru", "--vs-clamp", "forget=1"),
        ["clamps belong to an LSTM", "a GRU as cell B"],
    ),
}


@pytest.mark.parametrize("kind", list(BAD_OPTIONS))
def test_bad_compare_options_are_one_line(run_cli, text_file: Path, tmp_path: Path, kind) -> None:
    options, needles = BAD_OPTIONS[kind]
    out = tmp_path / "out.npz"
    result = run_cli("trace", str(text_file), "--hidden", "3", *options, "-o", str(out))
    _assert_refused(result, *needles)
    assert not out.exists()


def bad_weights(tmp_path: Path, kind: str) -> tuple[Path, tuple[str, ...], list[str]]:
    """A weights file for B that is wrong in the way ``kind`` says, options, what to name."""
    size = from_tokens(list(TEXT)).input_size
    rnn = RNNParams.random(3, size).state_dict()
    if kind == "missing":
        return tmp_path / "nope.npz", (), ["nope.npz"]
    if kind == "other kind":
        path = _weights(tmp_path, "rnn.npz", **rnn)
        return path, ("--vs-cell", "gru"), ["rnn.npz", "holds an RNN's weights, not a GRU's"]
    if kind == "no kind":
        path = _weights(tmp_path, "two.npz", **dict(rnn, weight_hh_l0=np.zeros((6, 3))))
        return path, (), ["two.npz", "weight_hh_l0 has shape (6, 3), which is no kind of cell"]
    if kind == "wrong bias":
        path = _weights(tmp_path, "b.npz", **dict(rnn, bias_ih_l0=np.zeros(4)))
        return path, (), ["b.npz", "RNN bias_ih_l0 must have shape (H,) = (3,), got (4,)"]
    if kind == "input size":
        path = _weights(tmp_path, "i.npz", **RNNParams.random(3, size + 1).state_dict())
        return path, (), ["i.npz", f"expect input size {size + 1} but the sequence has {size}"]
    if kind == "units":
        path = _weights(tmp_path, "u.npz", **GRUParams.random(4, size).state_dict())
        return path, (), ["u.npz", "cell B's weights have 4 units but cell A has 3"]
    if kind == "vocabulary":
        vocab = np.array(list("zyxwv"))[:size]
        path = _weights(tmp_path, "v.npz", **rnn, vocab=vocab)
        return path, (), ["v.npz", "cell B's vocabulary is not cell A's"]
    assert kind == "not npz"
    path = tmp_path / "text.npz"
    path.write_text("hello")
    return path, (), ["text.npz", "is not an .npz file"]


WEIGHT_PROBLEMS = ["missing", "other kind", "no kind", "wrong bias", "input size", "units"]


@pytest.mark.parametrize("kind", [*WEIGHT_PROBLEMS, "vocabulary", "not npz"])
def test_bad_weights_for_b_are_one_line(run_cli, text_file: Path, tmp_path: Path, kind) -> None:
    path, options, needles = bad_weights(tmp_path, kind)
    out = tmp_path / "out.npz"
    result = run_cli(
        "trace",
        str(text_file),
        "--hidden",
        "3",
        "--vs-weights",
        str(path),
        *options,
        "-o",
        str(out),
    )
    _assert_refused(result, *needles)
    assert result.err.count(path.name) == 1, result.err
    assert not out.exists()


def test_weights_for_b_with_as_vocabulary_load(run_cli, text_file: Path, tmp_path: Path) -> None:
    seq = from_tokens(list(TEXT))
    rnn = RNNParams.random(3, seq.input_size)
    path = _weights(tmp_path, "same.npz", **rnn.state_dict(), vocab=np.array(seq.vocab))
    out = tmp_path / "out.npz"
    result = run_cli(
        "trace", str(text_file), "--hidden", "3", "--vs-weights", str(path), "-o", str(out)
    )
    assert result.code == 0, result.err
    with np.load(out) as data:
        np.testing.assert_array_equal(data["vs_h"], HiddenTrajectory(rnn, seq.inputs).run().h)


def test_b_without_an_output_file_is_one_line(run_cli, text_file: Path) -> None:
    result = run_cli("trace", str(text_file), "--hidden", "3", "--vs-cell", "rnn")
    _assert_refused(result, "cell B (--vs-...) is written beside A's arrays: add -o OUT")


def test_the_app_refuses_bad_compare_options_in_one_line_too(run_cli, text_file: Path) -> None:
    result = run_cli(str(text_file), "--hidden", "3", "--vs-act", "cell=cosh")
    _assert_refused(result, "cell B", "unknown activation 'cosh'")
