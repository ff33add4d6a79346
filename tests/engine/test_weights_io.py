"""Weight files: PyTorch state dicts and Keras arrays in, PyTorch layout out, bad files refused."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lstm_tui.engine.params import PARAM_KEYS, LSTMParams
from lstm_tui.engine.weights_io import load_weights, save_weights
from lstm_tui.errors import InputError
from tests.checks import assert_one_line

DATA = Path(__file__).parent / "data"
TORCH_FIXTURE = DATA / "torch_lstm_state_dict.npz"  # made by make_torch_lstm_state_dict.py


def state(hidden: int = 2, inputs: int = 3, seed: int = 0) -> dict[str, np.ndarray]:
    return dict(LSTMParams.random(hidden, inputs, seed).state_dict())


def keras_arrays(hidden: int = 2, inputs: int = 3, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "kernel": rng.normal(size=(inputs, 4 * hidden)).astype(np.float32),
        "recurrent_kernel": rng.normal(size=(hidden, 4 * hidden)).astype(np.float32),
        "bias": rng.normal(size=4 * hidden).astype(np.float32),
    }


def load_error(path: Path) -> pytest.ExceptionInfo[InputError]:
    with pytest.raises(InputError) as err:
        load_weights(path)
    return err


# --- PyTorch files --------------------------------------------------------------


def test_committed_torch_state_dict_loads_unchanged() -> None:
    params, vocab = load_weights(TORCH_FIXTURE)
    raw = np.load(TORCH_FIXTURE)
    assert vocab is None
    assert (params.hidden_size, params.input_size) == (3, 4)
    for key, array in params.state_dict().items():
        assert array.dtype == np.float64
        assert np.array_equal(array, raw[key].astype(np.float64))


@pytest.mark.parametrize(("inputs", "hidden"), [(4, 3), (1, 1), (7, 16)])
def test_live_torch_state_dict_loads_unchanged(tmp_path: Path, inputs: int, hidden: int) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(inputs * 100 + hidden)
    lstm = torch.nn.LSTM(inputs, hidden)
    path = tmp_path / "lstm.npz"
    np.savez(path, **{k: v.numpy() for k, v in lstm.state_dict().items()})
    params, vocab = load_weights(path)
    assert vocab is None
    for key, tensor in lstm.state_dict().items():
        assert np.array_equal(params.state_dict()[key], tensor.double().numpy())


def test_saved_weights_load_into_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    params = LSTMParams.random(3, 2, seed=5)
    path = tmp_path / "out.npz"
    save_weights(path, params, vocab=["a", "b"])
    lstm = torch.nn.LSTM(2, 3).double()
    with np.load(path, allow_pickle=False) as archive:
        lstm.load_state_dict({k: torch.from_numpy(archive[k]) for k in PARAM_KEYS})
    for key, tensor in lstm.state_dict().items():
        assert np.array_equal(tensor.numpy(), params.state_dict()[key])


def test_integer_arrays_become_float64(tmp_path: Path) -> None:
    path = tmp_path / "int.npz"
    np.savez(path, **{k: np.ones_like(v, dtype=np.int32) for k, v in state().items()})
    params, _ = load_weights(path)
    assert params.weight_ih.dtype == np.float64
    assert np.all(params.weight_ih == 1.0)


def test_save_writes_the_four_keys_a_unicode_vocab_and_the_settings(tmp_path: Path) -> None:
    params = LSTMParams.random(2, 3, seed=3)
    path = tmp_path / "w.npz"
    save_weights(path, params, vocab=("\n", "é", "word"))
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted([*PARAM_KEYS, "vocab", "activations", "clamps"])
        for key in ("vocab", "activations", "clamps"):
            assert archive[key].dtype.kind == "U"
    loaded, vocab = load_weights(path)
    assert loaded.equals(params)
    assert vocab == ("\n", "é", "word")
    assert os.listdir(tmp_path) == ["w.npz"]


def test_save_without_vocab(tmp_path: Path) -> None:
    params = LSTMParams.random(1, 1)
    save_weights(tmp_path / "w.npz", params)
    loaded, vocab = load_weights(tmp_path / "w.npz")
    assert loaded.equals(params) and vocab is None


def test_bytes_vocab_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, **state(inputs=2), vocab=np.array([b"a", "é".encode()]))
    assert load_weights(path)[1] == ("a", "é")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), st.integers(1, 4), st.integers(1, 4))
def test_save_then_load_round_trips(
    tmp_path: Path, data: st.DataObject, hidden: int, inputs: int
) -> None:
    finite = st.floats(-1e6, 1e6, allow_nan=False)
    arrays = [
        data.draw(hnp.arrays(np.float64, shape, elements=finite))
        for shape in [(4 * hidden, inputs), (4 * hidden, hidden), (4 * hidden,), (4 * hidden,)]
    ]
    params = LSTMParams.from_arrays(*arrays)
    # NumPy's fixed-width strings drop trailing NULs, so tokens leave NUL out.
    token = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=5)
    vocab = data.draw(st.lists(token, min_size=inputs, max_size=inputs, unique=True))
    save_weights(tmp_path / "w.npz", params, vocab)
    loaded, loaded_vocab = load_weights(tmp_path / "w.npz")
    assert loaded.equals(params)
    assert loaded_vocab == tuple(vocab)


# --- Keras files ----------------------------------------------------------------


def test_keras_arrays_are_converted(tmp_path: Path) -> None:
    keras = keras_arrays(hidden=2, inputs=3)
    path = tmp_path / "keras.npz"
    np.savez(path, **keras, vocab=np.array(["a", "b", "c"]))
    params, vocab = load_weights(path)
    assert vocab == ("a", "b", "c")
    assert np.array_equal(params.weight_ih, keras["kernel"].T.astype(np.float64))
    assert np.array_equal(params.weight_hh, keras["recurrent_kernel"].T.astype(np.float64))
    assert np.array_equal(params.bias_ih, keras["bias"].astype(np.float64))
    assert np.array_equal(params.bias_hh, np.zeros(8))
    # Keras computes z = x·kernel + h·recurrent_kernel + bias, gate blocks i, f, c, o.
    x, h = np.array([0.5, -1.0, 2.0]), np.array([0.3, -0.7])
    z_keras = x @ keras["kernel"] + h @ keras["recurrent_kernel"] + keras["bias"]
    z_ours = params.weight_ih @ x + params.bias_ih + params.weight_hh @ h + params.bias_hh
    assert np.allclose(z_ours, z_keras, rtol=1e-6)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"kernel": np.zeros((3, 7))}, "kernel must have shape (I, 4H) = (I, 8), got (3, 7)"),
        (
            {"recurrent_kernel": np.zeros((2, 6))},
            "recurrent_kernel must have shape (H, 4H) with H >= 1, got (2, 6)",
        ),
        ({"bias": np.zeros(4)}, "bias must have shape (4H,) = (8,), got (4,)"),
        ({"bias": np.full(8, np.inf)}, "bias has 8 non-finite value(s)"),
        ({"kernel": np.full((3, 8), "x")}, "kernel must be numeric, got dtype <U1"),
    ],
)
def test_bad_keras_arrays(tmp_path: Path, change: dict[str, np.ndarray], expected: str) -> None:
    path = tmp_path / "keras.npz"
    np.savez(path, **{**keras_arrays(), **change})
    assert_one_line(load_error(path), path, expected)


def test_keras_missing_key(tmp_path: Path) -> None:
    path = tmp_path / "keras.npz"
    arrays = keras_arrays()
    del arrays["recurrent_kernel"]
    np.savez(path, **arrays)
    assert str(load_error(path).value) == (
        f"{path}: missing key(s): recurrent_kernel (need kernel, recurrent_kernel, bias)"
    )


def test_keras_without_bias_has_zero_biases(tmp_path: Path) -> None:
    path = tmp_path / "keras.npz"
    arrays = keras_arrays()
    del arrays["bias"]
    np.savez(path, **arrays)
    params, _ = load_weights(path)
    assert np.array_equal(params.weight_ih, arrays["kernel"].T.astype(np.float64))
    assert not params.bias_ih.any() and not params.bias_hh.any()


# --- bad files ------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert str(load_error(tmp_path / "no.npz").value) == f"{tmp_path / 'no.npz'}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert_one_line(load_error(tmp_path), tmp_path, "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    path.write_bytes(b"")
    assert str(load_error(path).value) == f"{path}: the file is empty"


def test_file_over_20_mb(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    with path.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    assert str(load_error(path).value) == f"{path}: file is 30 MB; the limit is 20 MB"


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    path.write_text("weight_ih_l0 = [1, 2]\n")
    assert str(load_error(path).value) == f"{path}: is not an .npz file (not a zip archive)"


def test_single_npy_array(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    with path.open("wb") as handle:
        np.save(handle, np.zeros(3))
    assert_one_line(load_error(path), path, "single .npy array, not an .npz archive")


def test_damaged_archive(tmp_path: Path) -> None:
    good = tmp_path / "good.npz"
    np.savez(good, **state())
    path = tmp_path / "w.npz"
    path.write_bytes(good.read_bytes()[:200])
    assert_one_line(load_error(path), path, "not a readable .npz file")


def test_damaged_member(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for key in PARAM_KEYS:
            archive.writestr(f"{key}.npy", b"\x93NUMPY garbage")
    assert_one_line(load_error(path), path, "cannot read the array weight_ih_l0")


def test_missing_keys_are_named(tmp_path: Path) -> None:
    arrays = state()
    del arrays["weight_hh_l0"], arrays["bias_hh_l0"]
    path = tmp_path / "w.npz"
    np.savez(path, **arrays)
    assert str(load_error(path).value) == (
        f"{path}: missing key(s): weight_hh_l0, bias_hh_l0 "
        "(need weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0)"
    )


def test_no_known_keys(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, a=np.zeros(2), weights=np.zeros(3))
    assert_one_line(
        load_error(path),
        path,
        "neither PyTorch keys (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0)",
        "nor Keras keys (kernel, recurrent_kernel, bias)",
        "it holds a, weights",
    )


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("weight_hh_l0_reverse", "holds weight_hh_l0_reverse: a bidirectional LSTM"),
        ("weight_hr_l0", "holds weight_hr_l0: an LSTM with proj_size is not supported"),
        ("weight_ih_l2", "holds layer 2 of the LSTM '' (no prefix) but not layer 1"),
        ("weight_ih_l1", "missing key(s): weight_hh_l1 (need weight_ih_l1, weight_hh_l1)"),
    ],
)
def test_unsupported_and_incomplete_lstms_are_refused(
    tmp_path: Path, extra: str, named: str
) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, **state(), **{extra: np.zeros((8, 2))})
    assert_one_line(load_error(path), path, named)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("weight_hh_l0", np.zeros((8, 3)), "weight_hh_l0 must have shape (4H, H) with H >= 1"),
        ("weight_ih_l0", np.zeros((4, 3)), "weight_ih_l0 must have shape (4H, I) = (8, I)"),
        ("weight_ih_l0", np.zeros(8), "weight_ih_l0 must have shape (4H, I) = (8, I)"),
        ("bias_ih_l0", np.zeros((8, 1)), "bias_ih_l0 must have shape (4H,) = (8,), got (8, 1)"),
        ("bias_hh_l0", np.zeros(4), "bias_hh_l0 must have shape (4H,) = (8,), got (4,)"),
    ],
)
def test_wrong_shapes(tmp_path: Path, key: str, value: np.ndarray, expected: str) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, **{**state(), key: value})
    assert_one_line(load_error(path), path, expected)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values(tmp_path: Path, bad: float) -> None:
    arrays = state()
    arrays["weight_hh_l0"] = arrays["weight_hh_l0"].copy()
    arrays["weight_hh_l0"][1, 1] = bad
    path = tmp_path / "w.npz"
    np.savez(path, **arrays)
    assert_one_line(load_error(path), path, "weight_hh_l0 has 1 non-finite value(s)")


def test_string_weights(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, **{**state(), "bias_ih_l0": np.array(["x"] * 8)})
    assert_one_line(load_error(path), path, "bias_ih_l0 must be numeric")


UNPICKLED: list[str] = []


def _record_unpickling(tag: str) -> str:
    UNPICKLED.append(tag)
    return tag


class _Trap:
    """Unpickling this calls _record_unpickling, so a load that unpickles shows up."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_record_unpickling, ("unpickled",))


@pytest.mark.parametrize("key", ["weight_ih_l0", "vocab"])
def test_object_arrays_are_refused_not_unpickled(tmp_path: Path, key: str) -> None:
    UNPICKLED.clear()
    trap = np.empty(3, dtype=object)
    trap[:] = [_Trap(), _Trap(), _Trap()]
    path = tmp_path / "w.npz"
    np.savez(path, **{**state(), key: trap})
    assert_one_line(load_error(path), path, f"{key} is an object array", "pickles are refused")
    assert UNPICKLED == []


@pytest.mark.parametrize(
    ("vocab", "expected"),
    [
        (np.array(["a", "b"]), "vocab has 2 entries but the input size I is 3"),
        (np.array(["a", "b", "a"]), "vocab lists the token 'a' more than once"),
        (np.array([1, 2, 3]), "vocab must be an array of strings, got dtype int64"),
        (
            np.array([["a", "b", "c"]]),
            "vocab must be a 1-D array of strings (I,), got shape (1, 3)",
        ),
        (np.array([b"a", b"\xff", b"c"]), "vocab holds bytes that are not UTF-8 text"),
    ],
)
def test_bad_vocab(tmp_path: Path, vocab: np.ndarray, expected: str) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, **state(inputs=3), vocab=vocab)
    assert_one_line(load_error(path), path, expected)


# --- bad writes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("vocab", "expected"),
    [
        (["a", "b"], "vocab has 2 entries but the input size I is 3"),
        (["a", "b", "b"], "vocab lists the token 'b' more than once"),
    ],
)
def test_save_refuses_a_bad_vocab_and_writes_nothing(
    tmp_path: Path, vocab: list[str], expected: str
) -> None:
    path = tmp_path / "w.npz"
    with pytest.raises(InputError) as err:
        save_weights(path, LSTMParams.random(2, 3), vocab)
    assert_one_line(err, path, expected)
    assert os.listdir(tmp_path) == []


def test_save_into_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "w.npz"
    with pytest.raises(InputError) as err:
        save_weights(path, LSTMParams.random(2, 3))
    assert_one_line(err, path, "directory", "does not exist", str(tmp_path / "missing"))
    assert os.listdir(tmp_path) == []


def test_save_over_an_existing_file_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    path.write_bytes(b"old")
    params = LSTMParams.random(2, 3, seed=9)
    save_weights(path, params)
    assert load_weights(path)[0].equals(params)
    assert os.listdir(tmp_path) == ["w.npz"]
