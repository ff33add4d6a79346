"""RNN and GRU parameters and weight files: PyTorch's layout, and every way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.cell_weights_io import load_cell_weights
from lstm_tui.engine.hidden_params import GRUParams, RNNParams
from lstm_tui.engine.params import LSTMParams, gate_rows
from lstm_tui.errors import InputError
from tests.checks import assert_one_line

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "hidden"


def state_dict(kind: str, hidden: int = 3, size: int = 2) -> dict[str, np.ndarray]:
    cls = RNNParams if kind == "rnn" else GRUParams
    return dict(cls.random(hidden, size, seed=4).state_dict())


def save(path: Path, **arrays: object) -> Path:
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path


def test_random_weights_have_pytorchs_shapes_and_range() -> None:
    for cls, blocks in ((RNNParams, 1), (GRUParams, 3)):
        params = cls.random(5, 2, seed=1)
        assert params.weight_ih.shape == (blocks * 5, 2)
        assert params.weight_hh.shape == (blocks * 5, 5)
        assert params.bias_ih.shape == params.bias_hh.shape == (blocks * 5,)
        assert all(np.max(np.abs(a)) <= 1 / np.sqrt(5) for a in params.arrays())
        assert not params.weight_hh.flags.writeable


def test_from_lstm_takes_the_blocks_that_play_the_same_part() -> None:
    lstm = LSTMParams.random(4, 3, seed=2)
    rnn = RNNParams.from_lstm(lstm)
    for got, whole in zip(rnn.arrays(), lstm.arrays(), strict=True):
        np.testing.assert_array_equal(got, whole[gate_rows("g", 4)])
    gru = GRUParams.from_lstm(lstm)
    for block, gate in (("r", "o"), ("z", "f"), ("n", "g")):
        for got, whole in zip(gru.arrays(), lstm.arrays(), strict=True):
            np.testing.assert_array_equal(got[gru.block(block)], whole[gate_rows(gate, 4)])


@pytest.mark.parametrize(
    ("kind", "key", "shape", "message"),
    [
        (
            "rnn",
            "weight_hh_l0",
            (3, 2),
            "RNN weight_hh_l0 must have shape (H, H) with H >= 1, got (3, 2)",
        ),
        ("gru", "weight_hh_l0", (6, 3), "GRU weight_hh_l0 must have shape (3H, H)"),
        ("rnn", "weight_ih_l0", (2, 2), "RNN weight_ih_l0 must have shape (H, I) = (3, I)"),
        ("gru", "weight_ih_l0", (9,), "GRU weight_ih_l0 must have shape (3H, I) = (9, I)"),
        ("gru", "bias_hh_l0", (3,), "GRU bias_hh_l0 must have shape (3H,) = (9,), got (3,)"),
        ("rnn", "bias_ih_l0", (3, 1), "RNN bias_ih_l0 must have shape (H,) = (3,)"),
    ],
)
def test_wrong_shapes_are_one_line(kind: str, key: str, shape: tuple, message: str) -> None:
    arrays = state_dict(kind)
    arrays[key] = np.zeros(shape)
    cls = RNNParams if kind == "rnn" else GRUParams
    with pytest.raises(InputError) as err:
        cls.from_state_dict(arrays)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_non_finite_non_numeric_and_missing_arrays_are_named() -> None:
    arrays = state_dict("gru")
    arrays["bias_ih_l0"] = np.full(9, np.nan)
    with pytest.raises(InputError, match="GRU bias_ih_l0 has 9 non-finite"):
        GRUParams.from_state_dict(arrays)
    arrays = state_dict("rnn")
    arrays["weight_ih_l0"] = np.array([["a", "b"]] * 3)
    with pytest.raises(InputError, match="weight_ih_l0 must be numeric"):
        RNNParams.from_state_dict(arrays)
    del arrays["bias_hh_l0"]
    with pytest.raises(InputError, match="missing key"):
        RNNParams.from_state_dict(arrays)


def test_a_torch_state_dict_loads_as_is_with_its_kind_from_the_shapes() -> None:
    for path in sorted(GOLDEN.glob("*.npz")):
        params, vocab = load_cell_weights(path)
        assert params.kind == path.stem.split("_")[0]  # type: ignore[union-attr]
        with np.load(path) as data:
            np.testing.assert_array_equal(params.weight_hh, data["weight_hh_l0"])
            # A golden character case keeps its vocabulary as a plain string array.
            assert vocab == (tuple(data["vocab"]) if "vocab" in data.files else None)


def test_an_lstm_file_loads_as_an_lstm(tmp_path: Path) -> None:
    lstm = LSTMParams.random(2, 3)
    path = save(tmp_path / "lstm.npz", **lstm.state_dict())
    params, _ = load_cell_weights(path, "lstm")
    assert isinstance(params, LSTMParams) and params.equals(lstm)


def test_weights_of_another_kind_than_asked_for_are_one_line(tmp_path: Path) -> None:
    path = save(tmp_path / "gru.npz", **state_dict("gru"))
    with pytest.raises(InputError) as err:
        load_cell_weights(path, "rnn")
    assert_one_line(err, path, "holds a GRU's weights, not an RNN's", "(3H, H)")
    lstm = save(tmp_path / "lstm.npz", **LSTMParams.random(2, 3).state_dict())
    with pytest.raises(InputError) as err:
        load_cell_weights(lstm, "gru")
    assert_one_line(err, lstm, "holds an LSTM's weights, not a GRU's")


def test_shapes_of_no_kind_of_cell_are_one_line(tmp_path: Path) -> None:
    arrays = state_dict("rnn")
    arrays["weight_hh_l0"] = np.zeros((6, 3))
    path = save(tmp_path / "two.npz", **arrays)
    with pytest.raises(InputError) as err:
        load_cell_weights(path)
    assert_one_line(err, path, "weight_hh_l0 has shape (6, 3), which is no kind of cell")


def test_a_wrong_array_in_a_gru_file_names_the_file(tmp_path: Path) -> None:
    arrays = state_dict("gru")
    arrays["bias_ih_l0"] = np.zeros(4)
    path = save(tmp_path / "bad.npz", **arrays)
    with pytest.raises(InputError) as err:
        load_cell_weights(path, "gru")
    assert_one_line(err, path, "GRU bias_ih_l0 must have shape (3H,) = (9,), got (4,)")


def test_a_vocabulary_of_the_wrong_length_and_a_non_archive_are_one_line(tmp_path: Path) -> None:
    path = save(tmp_path / "vocab.npz", **state_dict("rnn"), vocab=np.array(["a"]))
    with pytest.raises(InputError) as err:
        load_cell_weights(path)
    assert_one_line(err, path, "vocab has 1 entries but the input size I is 2")
    text = tmp_path / "text.npz"
    text.write_text("not an archive")
    with pytest.raises(InputError) as err:
        load_cell_weights(text, "gru")
    assert_one_line(err, text, "is not an .npz file")


def test_an_unknown_kind_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown cell kind 'lru'; choose one of: lstm, rnn, gru"):
        load_cell_weights(tmp_path / "x.npz", "lru")
