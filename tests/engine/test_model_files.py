"""Whole-model weight files: found by prefix and shape, ambiguities and unsupported kinds
refused in one line, settings carried, torch.save files recognised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import LSTMParams, layer_keys
from lstm_tui.engine.weights_io import (
    TORCH_RECIPE,
    ModelChoice,
    load_model,
    save_model,
)
from lstm_tui.errors import InputError
from tests.checks import assert_one_line

V, E, H = 7, 3, 4


def lstm(prefix: str = "lstm.", layers: int = 2, inputs: int = E, bias: bool = True):
    arrays = {}
    for k in range(layers):
        params = LSTMParams.random(H, inputs if k == 0 else H, seed=k)
        keys = layer_keys(k, prefix)
        arrays.update(zip(keys if bias else keys[:2], params.arrays(), strict=False))
    return arrays


def whole(**extra: np.ndarray) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    return {
        **lstm(),
        "embedding.weight": rng.normal(size=(V, E)),
        "fc.weight": rng.normal(size=(V, H)),
        "fc.bias": rng.normal(size=V),
        **extra,
    }


def saved(tmp_path: Path, arrays: dict[str, np.ndarray], name: str = "m.npz") -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def refused(path: Path, choice: ModelChoice | None = None) -> pytest.ExceptionInfo[InputError]:
    with pytest.raises(InputError) as err:
        load_model(path, choice)
    return err


# --- found -------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["lstm.", "rnn.", "encoder.lstm.", "module.lstm."])
def test_the_lstm_under_any_prefix_with_embedding_and_head(tmp_path: Path, prefix: str) -> None:
    arrays = whole()
    arrays = {k.replace("lstm.", prefix): v for k, v in arrays.items()}
    model = load_model(saved(tmp_path, arrays)).model
    assert model.depth == 2 and model.names.lstm == prefix
    assert model.names.embedding == "embedding.weight" and model.names.head == "fc.weight"
    assert np.array_equal(model.embedding, arrays["embedding.weight"])
    assert np.array_equal(model.head_bias, arrays["fc.bias"])
    assert model.input_size == V and model.output_size == V


def test_nothing_else_in_the_file_is_needed_or_refused(tmp_path: Path) -> None:
    trap = np.empty(2, dtype=object)
    extra = {"norm.weight": np.ones(H), "step": np.array(3), "notes": trap}
    model = load_model(saved(tmp_path, whole(**extra))).model
    assert model.names.head == "fc.weight"


def test_bias_false_is_zero_biases_in_every_layer_and_the_head(tmp_path: Path) -> None:
    arrays = {**lstm(bias=False), "head.weight": np.ones((V, H))}
    model = load_model(saved(tmp_path, {**arrays, "embedding.weight": np.ones((V, E))})).model
    for layer in model.layers:
        assert not layer.bias_ih.any() and not layer.bias_hh.any()
    assert model.head_bias is not None and not model.head_bias.any()


def test_a_shared_size_is_settled_by_the_linear_bias_and_the_name(tmp_path: Path) -> None:
    # E == H: both (V, 4) arrays fit either role; fc has a bias, so it is the head.
    arrays = {**lstm(inputs=H), "emb.weight": np.ones((V, H)), "fc.weight": np.zeros((V, H))}
    arrays["fc.bias"] = np.zeros(V)
    model = load_model(saved(tmp_path, arrays)).model
    assert (model.names.embedding, model.names.head) == ("emb.weight", "fc.weight")


def test_an_embedding_must_have_the_vocabulary_s_length(tmp_path: Path) -> None:
    arrays = whole(vocab=np.array(list("abcdefg")), **{"pos.weight": np.ones((12, E))})
    assert load_model(saved(tmp_path, arrays)).model.names.embedding == "embedding.weight"


def test_choices_pick_the_lstm_the_embedding_and_the_head(tmp_path: Path) -> None:
    arrays = {**whole(), **lstm("decoder.", layers=1, inputs=H), "out.weight": np.ones((5, H))}
    arrays["other.weight"] = np.ones((V, E))
    choice = ModelChoice(lstm="lstm", embedding="other.weight", head="out.weight")
    model = load_model(saved(tmp_path, arrays), choice).model
    assert model.names == type(model.names)("lstm.", "other.weight", "out.weight")
    assert model.output_size == 5 and not model.head_bias.any()


# --- refused, one line each -----------------------------------------------------------


@pytest.mark.parametrize(
    ("arrays", "choice", "parts"),
    [
        (
            {**whole(), **lstm("decoder.", layers=1, inputs=H)},
            None,
            ["holds 2 LSTMs, under 'decoder.', 'lstm.'", "--lstm PREFIX"],
        ),
        (
            whole(**{"pos_embedding.weight": np.ones((V, E))}),
            None,
            ["2 arrays that fit as the embedding (?, 3)", "embedding.weight (7, 3)", "--embedding"],
        ),
        (
            whole(**{"out.weight": np.ones((9, H))}),
            None,
            ["2 arrays that fit as the head (?, 4 or 8): fc.weight (7, 4), out.weight (9, 4)"],
        ),
        (whole(), ModelChoice(lstm="gru"), ["no LSTM under the prefix 'gru'", "'lstm.'"]),
        (whole(), ModelChoice(embedding="emb"), ["no array 'emb' (given with --embedding)"]),
        (whole(), ModelChoice(head="fc.bias"), ["fc.bias (given with --head) has shape (7,)"]),
        (
            whole(**{"lstm.weight_ih_l0_reverse": np.ones((16, E))}),
            None,
            ["lstm.weight_ih_l0_reverse: a bidirectional LSTM is not supported"],
        ),
        (
            whole(**{"lstm.weight_hr_l0": np.ones((2, H))}),
            None,
            ["lstm.weight_hr_l0: an LSTM with proj_size is not supported"],
        ),
        (
            whole(**{"lstm.weight_ih_l1": np.ones((16, 5))}),
            None,
            ["layer 1 reads 5 inputs, but layer 0 gives 4 (lstm.weight_ih_l1 must be (4H, 4))"],
        ),
        (
            {k: v for k, v in whole().items() if k != "lstm.bias_hh_l1"},
            None,
            ["missing key(s): lstm.bias_hh_l1"],
        ),
        (whole(activations=np.array(["forget=swish"])), None, ["unknown activation 'swish'"]),
        (whole(clamps=np.array(["forget=lots"])), None, ["clamps entries must read gate=number"]),
        (whole(token_mode=np.array("bytes")), None, ["token_mode must be one of char, word"]),
    ],
    ids=[
        "two-lstms",
        "two-embeddings",
        "two-heads",
        "no-such-prefix",
        "no-such-embedding",
        "head-not-a-matrix",
        "bidirectional",
        "projection",
        "layers-do-not-fit",
        "half-the-biases",
        "bad-activation",
        "bad-clamp",
        "bad-token-mode",
    ],
)
def test_ambiguous_and_unsupported_files(
    tmp_path: Path, arrays: dict, choice: ModelChoice | None, parts: list[str]
) -> None:
    path = saved(tmp_path, arrays)
    err = refused(path, choice)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    for part in parts:
        assert part in message, message


# --- settings --------------------------------------------------------------------------


def test_settings_round_trip_as_plain_strings(tmp_path: Path) -> None:
    model = Model.build(
        [LSTMParams.random(H, E, 1), LSTMParams.random(H, H, 2)],
        np.ones((V, E)),
        np.ones((V, H)),
        np.arange(V),
    )
    config = CellConfig.build({"forget": "hard_sigmoid_keras"}, {"output": 0.25})
    path = tmp_path / "m.npz"
    save_model(path, model, list("abcdefg"), config, "word")
    with np.load(path, allow_pickle=False) as archive:
        assert all(archive[k].dtype.kind == "U" for k in ("activations", "clamps", "token_mode"))
        assert "lstm.weight_hh_l1" in archive.files and "head.bias" in archive.files
    loaded = load_model(path)
    assert loaded.config == config and loaded.token_mode == "word"
    assert loaded.vocab == tuple("abcdefg")
    assert all(a.equals(b) for a, b in zip(loaded.model.layers, model.layers, strict=True))
    assert np.array_equal(loaded.model.head_bias, np.arange(V))


def test_a_file_without_settings_has_none(tmp_path: Path) -> None:
    loaded = load_model(saved(tmp_path, whole()))
    assert loaded.config is None and loaded.token_mode is None


# --- torch.save files ------------------------------------------------------------------


def test_a_pt_file_without_torch_says_what_it_is_and_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    path.write_bytes(b"PK\x03\x04 whatever torch wrote")
    err = refused(path)
    assert_one_line(err, path, "is a PyTorch torch.save file", "lstm-tui[torch]", TORCH_RECIPE)
    assert len(str(err.value)) < 300


def test_a_zip_with_a_pickle_inside_is_a_torch_file_whatever_its_name(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "model.bin"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("model/version", b"3")
    assert_one_line(refused(path), path, "is a PyTorch torch.save file")


def test_a_pt_state_dict_is_read_with_weights_only(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from lstm_tui.torch_files import read_torch

    torch.manual_seed(0)
    net = torch.nn.ModuleDict(
        {"emb": torch.nn.Embedding(V, E), "lstm": torch.nn.LSTM(E, H, num_layers=2)}
    )
    path = tmp_path / "model.pt"
    torch.save({"state_dict": net.state_dict(), "vocab": list("abcdefg")}, path)
    loaded = load_model(path, torch_reader=read_torch)
    assert loaded.model.depth == 2 and loaded.vocab == tuple("abcdefg")
    weight = net.state_dict()["lstm.weight_hh_l1"].double().numpy()
    assert np.array_equal(loaded.model.layers[1].weight_hh, weight)


def test_a_pickled_module_is_refused_not_unpickled(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from lstm_tui.torch_files import read_torch

    path = tmp_path / "whole.pt"
    torch.save(torch.nn.LSTM(2, 3), path)
    assert_one_line(refused_with(path, read_torch), path, "weights_only=True", "state_dict()")


def refused_with(path: Path, reader) -> pytest.ExceptionInfo[InputError]:
    with pytest.raises(InputError) as err:
        load_model(path, torch_reader=reader)
    return err


def test_a_keras_2_2_model_runs_exactly_with_hard_sigmoid_keras(tmp_path: Path) -> None:
    """Keras < 2.3 put clip(0.2z + 0.5) on its gates; its own arithmetic, in its own layout."""
    from lstm_tui.engine.trajectory import run

    rng = np.random.default_rng(8)
    inputs, hidden, steps = 3, 5, 30
    kernel = rng.normal(size=(inputs, 4 * hidden)) * 2
    recurrent = rng.normal(size=(hidden, 4 * hidden)) * 2
    bias = rng.normal(size=4 * hidden)
    x = rng.normal(size=(steps, inputs))
    h, c = np.zeros(hidden), np.zeros(hidden)
    expected = []
    for xt in x:
        z = xt @ kernel + h @ recurrent + bias
        zi, zf, zc, zo = np.split(z, 4)
        gate = lambda v: np.clip(0.2 * v + 0.5, 0.0, 1.0)  # noqa: E731
        c = gate(zf) * c + gate(zi) * np.tanh(zc)
        h = gate(zo) * np.tanh(c)
        expected.append(h)
    path = saved(tmp_path, {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}, "k.npz")
    params = load_model(path).model.layers[0]
    keras = CellConfig.build({g: "hard_sigmoid_keras" for g in ("input", "forget", "output")})
    np.testing.assert_allclose(run(params, x, keras).h, expected, rtol=0, atol=1e-12)
    # The torch-style hard sigmoid is another function: the gap the issue measured.
    torch_style = CellConfig.build({g: "hard_sigmoid" for g in ("input", "forget", "output")})
    assert np.abs(run(params, x, torch_style).h - expected).max() > 0.01
