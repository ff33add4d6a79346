"""Weight files: ``.npz`` archives in PyTorch's names, or a Keras LSTM layer's arrays.

PyTorch layout: ``weight_ih_l0`` (4H, I), ``weight_hh_l0`` (4H, H),
``bias_ih_l0`` (4H,), ``bias_hh_l0`` (4H,), as saved by
``np.savez(path, **{k: v.numpy() for k, v in lstm.state_dict().items()})``
for a one-layer ``torch.nn.LSTM``. An optional ``vocab`` string array (I,)
names the token of each input column.

Keras layout: ``kernel`` (I, 4H), ``recurrent_kernel`` (H, 4H), ``bias``
(4H,). Keras orders the gate blocks i, f, c, o — the same as PyTorch's
i, f, g, o — so converting is a transpose, with Keras's single bias as
``bias_ih_l0`` and zeros as ``bias_hh_l0``.

Whole models: an ``.npz`` of a model's ``state_dict()`` — the LSTM under any
prefix (``lstm.``, ``encoder.lstm.``, ``module.rnn.``; any number of layers),
an ``nn.Embedding`` whose weight (V, I) feeds layer 0 and an ``nn.Linear``
head (V_out, H) on the last layer's h, or (V_out, H·layers) on every layer's h
side by side — loads as is. The embedding and the
head are found by shape; where more than one array fits, the file is
ambiguous and the message lists the candidates (``ModelChoice`` picks).
Everything else in the file is ignored. Missing biases (``bias=False``,
Keras ``use_bias=False``) are zeros.

Files written here also carry ``activations`` (``slot=name`` strings),
``clamps`` (``gate=value`` strings) and ``token_mode``, all plain unicode
arrays, and loading restores them.

Archives are read with ``allow_pickle=False``: an object array is refused
where it is needed and ignored elsewhere, never unpickled.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from lstm_tui.engine.activations import SLOTS
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model, ModelNames, head_columns
from lstm_tui.engine.params import PARAM_KEYS, LSTMParams, layer_keys
from lstm_tui.errors import InputError
from lstm_tui.files import StrPath, atomic_write, read_limited

KERAS_KEYS: tuple[str, ...] = ("kernel", "recurrent_kernel", "bias")
VOCAB_KEY = "vocab"
ACTIVATIONS_KEY = "activations"
CLAMPS_KEY = "clamps"
TOKEN_MODE_KEY = "token_mode"
TOKEN_MODES = ("char", "word")
_TEXT_KEYS = (VOCAB_KEY, ACTIVATIONS_KEY, CLAMPS_KEY, TOKEN_MODE_KEY)

# Every key PyTorch writes for an LSTM: any prefix, any layer, either
# direction, with or without a projection (weight_hr).
_LSTM_KEY = re.compile(
    r"(?P<prefix>.*?)(?P<kind>weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)"
    r"_l(?P<layer>\d+)(?P<reverse>_reverse)?"
)
# A torch.save file is a zip with a pickle inside, or (before PyTorch 1.6) a bare pickle.
_TORCH_SUFFIXES = (".pt", ".pth")
_PICKLE_MAGIC = b"\x80"

# Local file header, or the end record of an empty archive.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NPY_MAGIC = b"\x93NUMPY"


@dataclass(frozen=True)
class ModelChoice:
    """Which arrays to take where a file is ambiguous: ``--lstm``, ``--embedding``, ``--head``."""

    lstm: str | None = None
    embedding: str | None = None
    head: str | None = None


@dataclass(frozen=True, eq=False)
class LoadedModel:
    """What a weights file holds: the model, its vocabulary, and the settings it was saved with.

    ``config`` and ``token_mode`` are ``None`` when the file does not say
    (then the standard LSTM and the command line's token mode apply).
    """

    model: Model
    vocab: tuple[str, ...] | None = None
    config: CellConfig | None = None
    token_mode: str | None = None


TorchReader = Callable[[bytes], Mapping[str, np.ndarray]]
"""Reads a ``torch.save`` file's bytes into named arrays (the optional ``[torch]`` extra)."""

TORCH_RECIPE = "np.savez('model.npz', **{k: v.numpy() for k, v in model.state_dict().items()})"


def load_model(
    path: StrPath, choice: ModelChoice | None = None, torch_reader: TorchReader | None = None
) -> LoadedModel:
    """The model in the weights file at ``path``: an ``.npz`` or, with ``torch_reader``, a
    ``.pt``/``.pth``.

    Raises :class:`InputError` naming the file and the problem: not a weights
    file, missing keys (named), wrong shapes, non-finite values, object
    arrays where an array is needed, an ambiguous file (the candidates
    listed), a model kind that is not supported, a bad vocabulary or settings.
    """
    data = read_limited(path)
    try:
        if _is_torch_file(path, data):
            if torch_reader is None:
                raise InputError(
                    "is a PyTorch torch.save file; pip install 'lstm-tui[torch]' to read it, "
                    f"or save it as an .npz: {TORCH_RECIPE}"
                )
            return model_from_arrays(_Arrays.of(dict(torch_reader(data))), choice)
        with _open_npz(data) as archive:
            return model_from_arrays(_Arrays.of_archive(archive), choice)
    except InputError as err:
        if err.path is not None:
            raise
        raise InputError(str(err), path=path) from None


def load_weights(path: StrPath) -> tuple[LSTMParams, tuple[str, ...] | None]:
    """The one LSTM layer in the file at ``path`` and its vocabulary, if it has one.

    A file with a stack, an embedding or a head is an :class:`InputError`:
    read those with :func:`load_model`.
    """
    loaded = load_model(path)
    if not loaded.model.is_bare:
        raise InputError("holds a whole model, not one LSTM layer", path=path)
    return loaded.model.layers[0], loaded.vocab


def save_weights(path: StrPath, params: LSTMParams, vocab: SequenceOf[str] | None = None) -> None:
    """Write one LSTM layer (and ``vocab``, I strings) to ``path``: :func:`save_model`."""
    save_model(path, Model.single(params), vocab)


def save_model(
    path: StrPath,
    model: Model,
    vocab: SequenceOf[str] | None = None,
    config: CellConfig | None = None,
    token_mode: str | None = None,
) -> None:
    """Write ``model`` to ``path`` as an ``.npz``, atomically, so :func:`load_model` and
    PyTorch both read it back.

    One bare layer is written under PyTorch's own four keys (what
    ``torch.nn.LSTM.state_dict()`` has); a whole model under ``lstm.``,
    ``embedding.weight`` and ``head.weight``/``head.bias``. ``vocab`` (one
    string per input column), the activations, the clamps and the token mode
    are unicode arrays, which load without pickle. A bad vocabulary is an
    :class:`InputError` and nothing is written.
    """
    arrays: dict[str, np.ndarray] = {}
    prefix = "" if model.is_bare else "lstm."
    for k, layer in enumerate(model.layers):
        arrays.update(zip(layer_keys(k, prefix), layer.arrays(), strict=True))
    if model.embedding is not None:
        arrays["embedding.weight"] = model.embedding
    if model.head_weight is not None and model.head_bias is not None:
        arrays["head.weight"] = model.head_weight
        arrays["head.bias"] = model.head_bias
    if vocab is not None:
        vocab = tuple(vocab)
        try:
            check_vocab(vocab, model.input_size)
        except InputError as err:
            raise InputError(str(err), path=path) from None
        # dtype=str gives a fixed-width unicode array, which loads without pickle.
        arrays[VOCAB_KEY] = np.array(vocab, dtype=str)
    config = config or CellConfig()
    arrays[ACTIVATIONS_KEY] = np.array([f"{s}={n}" for s, n in config.activations], dtype=str)
    arrays[CLAMPS_KEY] = np.array([f"{g}={v!r}" for g, v in config.clamps], dtype=str)
    if token_mode is not None:
        arrays[TOKEN_MODE_KEY] = np.array(token_mode, dtype=str)

    def write(handle: BinaryIO) -> None:
        np.savez(handle, **arrays)  # type: ignore[arg-type]

    atomic_write(path, write)


def check_vocab(vocab: SequenceOf[str], input_size: int) -> None:
    """An :class:`InputError` unless ``vocab`` has ``input_size`` distinct entries."""
    if len(vocab) != input_size:
        raise InputError(
            f"vocab has {len(vocab)} entries but the input size I is {input_size}; "
            "it needs one token per input column"
        )
    seen: set[str] = set()
    for token in vocab:
        if token in seen:
            raise InputError(f"vocab lists the token {token!r} more than once")
        seen.add(token)


def _open_npz(data: bytes) -> np.lib.npyio.NpzFile:
    if data.startswith(_NPY_MAGIC):
        raise InputError("is a single .npy array, not an .npz archive of named arrays")
    if not data.startswith(_ZIP_MAGIC):
        raise InputError("is not an .npz file (not a zip archive)")
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:
        raise InputError(f"is not a readable .npz file: {_one_line(err)}") from None


def _read_arrays(archive: np.lib.npyio.NpzFile, keys: SequenceOf[str]) -> dict[str, np.ndarray]:
    """The arrays under ``keys``; an :class:`InputError` naming any missing or unreadable one."""
    missing = [k for k in keys if k not in archive.files]
    if missing:
        raise InputError(f"missing key(s): {', '.join(missing)} (need {', '.join(keys)})")
    arrays = {}
    for key in keys:
        try:
            arrays[key] = archive[key]
        except ValueError as err:
            # NumPy raises ValueError both for an object array it will not
            # unpickle and for a damaged header; tell the two apart.
            if "allow_pickle" in str(err) or "Object arrays" in str(err):
                raise InputError(
                    f"{key} is an object array (a Python pickle); pickles are refused, "
                    "save plain numeric arrays"
                ) from None
            raise InputError(f"cannot read the array {key}: {_one_line(err)}") from None
        except (OSError, EOFError, zipfile.BadZipFile) as err:
            raise InputError(f"cannot read the array {key}: {_one_line(err)}") from None
    return arrays


class _Arrays:
    """A file's arrays by key, read once; unreadable ones kept as the reason they are not."""

    def __init__(self, arrays: dict[str, np.ndarray], problems: dict[str, str]) -> None:
        self.arrays = arrays
        self.problems = problems

    @classmethod
    def of(cls, arrays: dict[str, np.ndarray]) -> _Arrays:
        return cls({k: np.asarray(v) for k, v in arrays.items()}, {})

    @classmethod
    def of_archive(cls, archive: np.lib.npyio.NpzFile) -> _Arrays:
        arrays, problems = {}, {}
        for key in archive.files:
            try:
                arrays[key] = _read_arrays(archive, (key,))[key]
            except InputError as err:
                problems[key] = str(err)
        return cls(arrays, problems)

    @property
    def keys(self) -> list[str]:
        return sorted({*self.arrays, *self.problems})

    def __contains__(self, key: str) -> bool:
        return key in self.arrays or key in self.problems

    def get(self, key: str) -> np.ndarray:
        """The array under ``key``; the reason it cannot be read, as an :class:`InputError`."""
        if key in self.problems:
            raise InputError(self.problems[key])
        return self.arrays[key]

    def require(self, keys: SequenceOf[str]) -> dict[str, np.ndarray]:
        missing = [k for k in keys if k not in self]
        if missing:
            raise InputError(f"missing key(s): {', '.join(missing)} (need {', '.join(keys)})")
        return {k: self.get(k) for k in keys}


def model_from_arrays(arrays: _Arrays, choice: ModelChoice | None = None) -> LoadedModel:
    """The model, vocabulary and settings in a file's arrays (see the module docstring)."""
    choice = choice or ModelChoice()
    groups = _lstm_groups(arrays.keys)
    if groups or choice.lstm is not None:
        prefix = _choose_prefix(groups, choice.lstm)
        layers = _torch_layers(arrays, prefix, groups[prefix])
    elif "kernel" in arrays or "recurrent_kernel" in arrays:
        prefix = "keras"
        layers = (_from_keras(arrays),)
    else:
        found = ", ".join(arrays.keys) or "nothing"
        raise InputError(
            f"has neither PyTorch keys ({', '.join(PARAM_KEYS)}) nor Keras keys "
            f"({', '.join(KERAS_KEYS)}); it holds {found}"
        )
    taken = {k for k in arrays.keys if _LSTM_KEY.fullmatch(k) or k in _TEXT_KEYS}
    if prefix == "keras":
        taken |= set(KERAS_KEYS)
    vocab = None
    if VOCAB_KEY in arrays:
        vocab = _vocab_from_array(arrays.get(VOCAB_KEY))
    embedding_key = _find_part(
        arrays, taken, "embedding", choice.embedding, (layers[0].input_size,), vocab, "emb"
    )
    if embedding_key is not None:
        taken.add(embedding_key)
    head_key = _find_part(arrays, taken, "head", choice.head, head_columns(tuple(layers)), None, "")
    head_bias = None
    if head_key is not None:
        bias_key = _bias_key(head_key)
        if bias_key is not None and bias_key in arrays:
            head_bias = arrays.get(bias_key)
    model = Model.build(
        layers,
        None if embedding_key is None else arrays.get(embedding_key),
        None if head_key is None else arrays.get(head_key),
        head_bias,
        ModelNames(prefix, embedding_key, head_key),
    )
    if vocab is not None:
        check_vocab(vocab, model.input_size)
    return LoadedModel(model, vocab, _config(arrays), _token_mode(arrays))


def _lstm_groups(keys: SequenceOf[str]) -> dict[str, list[re.Match[str]]]:
    """The LSTM keys of a file by prefix."""
    groups: dict[str, list[re.Match[str]]] = {}
    for key in keys:
        match = _LSTM_KEY.fullmatch(key)
        if match:
            groups.setdefault(match["prefix"], []).append(match)
    return groups


def _shown_prefix(prefix: str) -> str:
    return repr(prefix) if prefix else "'' (no prefix)"


def _choose_prefix(groups: dict[str, list[re.Match[str]]], wanted: str | None) -> str:
    shown = ", ".join(_shown_prefix(p) for p in sorted(groups)) or "none"
    if wanted is not None:
        for prefix in (wanted, f"{wanted}."):
            if prefix in groups:
                return prefix
        raise InputError(f"has no LSTM under the prefix {wanted!r}; the LSTMs in it: {shown}")
    if len(groups) > 1:
        raise InputError(f"holds {len(groups)} LSTMs, under {shown}; choose one with --lstm PREFIX")
    return next(iter(groups))


def _torch_layers(
    arrays: _Arrays, prefix: str, matches: list[re.Match[str]]
) -> tuple[LSTMParams, ...]:
    for match in sorted(matches, key=lambda m: m.string):
        if match["reverse"]:
            raise InputError(
                f"holds {match.string}: a bidirectional LSTM is not supported, only one direction"
            )
        if match["kind"] == "weight_hr":
            raise InputError(
                f"holds {match.string}: an LSTM with proj_size is not supported, "
                "only one without projection"
            )
    present = sorted({int(m["layer"]) for m in matches})
    for k, layer in enumerate(present):
        if layer != k:
            raise InputError(
                f"holds layer {layer} of the LSTM {_shown_prefix(prefix)} but not layer {k}"
            )
    layers = []
    for k in present:
        keys = layer_keys(k, prefix)
        has_bias = any(key in arrays for key in keys[2:])
        found = arrays.require(keys if has_bias else keys[:2])
        if has_bias:
            values = [found[key] for key in keys]
        else:
            # bias=False: PyTorch writes no biases, and none is the same as zeros.
            rows = np.shape(found[keys[1]])[0] if np.ndim(found[keys[1]]) else 0
            values = [found[keys[0]], found[keys[1]], np.zeros(rows), np.zeros(rows)]
        layers.append(LSTMParams.from_arrays(*values, layer=k, prefix=prefix))
    return tuple(layers)


def _bias_key(weight_key: str) -> str | None:
    return weight_key[: -len("weight")] + "bias" if weight_key.endswith("weight") else None


def _find_part(
    arrays: _Arrays,
    taken: set[str],
    part: str,
    wanted: str | None,
    widths: tuple[int, ...],
    vocab: tuple[str, ...] | None,
    hint: str,
) -> str | None:
    """The key of the embedding (V, I) or head (V_out, H): ``widths`` are the columns it
    may have (a head: the last layer's H, or every layer's); ``None`` if none fits.

    An embedding has no bias, so a ``*.weight`` with a ``*.bias`` beside it
    is a linear layer and no embedding; an embedding's V is the vocabulary's
    length when the file has one. Where several arrays still fit, a single
    key with ``hint`` in its name wins; else the file is ambiguous.
    """
    option = f"--{part} KEY"
    columns = " or ".join(str(n) for n in widths)
    if wanted is not None:
        if wanted not in arrays:
            raise InputError(f"has no array {wanted!r} (given with --{part})")
        shape = np.shape(arrays.get(wanted))
        if len(shape) != 2 or shape[1] not in widths:
            raise InputError(
                f"{wanted} (given with --{part}) has shape {shape}; the {part} must be "
                f"(V, {columns})"
            )
        return wanted
    candidates = []
    for key, array in arrays.arrays.items():
        if key in taken or array.dtype.kind not in "iuf" or array.ndim != 2:
            continue
        if array.shape[1] not in widths or array.shape[0] < 1:
            continue
        if part == "embedding":
            bias = _bias_key(key)
            if bias in arrays.arrays and arrays.arrays[bias].shape == (array.shape[0],):
                continue
            if vocab is not None and array.shape[0] != len(vocab):
                continue
        candidates.append(key)
    if len(candidates) > 1 and hint:
        hinted = [key for key in candidates if hint in key.lower()]
        if len(hinted) == 1:
            candidates = hinted
    if len(candidates) > 1:
        shown = ", ".join(f"{k} {np.shape(arrays.arrays[k])}" for k in sorted(candidates))
        raise InputError(
            f"has {len(candidates)} arrays that fit as the {part} (?, {columns}): {shown}; "
            f"choose one with {option}"
        )
    return candidates[0] if candidates else None


def _from_keras(arrays: _Arrays) -> LSTMParams:
    needed = KERAS_KEYS if "bias" in arrays else KERAS_KEYS[:2]
    found = arrays.require(needed)
    kernel, recurrent = found["kernel"], found["recurrent_kernel"]
    # Shapes are checked in Keras's terms first, so the message names the arrays the user has.
    if (
        recurrent.ndim != 2
        or recurrent.shape[0] < 1
        or recurrent.shape[1] != 4 * recurrent.shape[0]
    ):
        raise InputError(
            f"recurrent_kernel must have shape (H, 4H) with H >= 1, got {recurrent.shape}"
        )
    rows = recurrent.shape[1]
    if kernel.ndim != 2 or kernel.shape[1] != rows or kernel.shape[0] < 1:
        raise InputError(f"kernel must have shape (I, 4H) = (I, {rows}), got {kernel.shape}")
    # use_bias=False: Keras writes no bias, which is a zero bias.
    bias = found.get("bias", np.zeros(rows))
    if bias.shape != (rows,):
        raise InputError(f"bias must have shape (4H,) = ({rows},), got {bias.shape}")
    for key, array in found.items():
        if array.dtype == object or array.dtype.kind not in "iuf":
            raise InputError(f"{key} must be numeric, got dtype {array.dtype}")
        if not np.all(np.isfinite(array)):
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            raise InputError(f"{key} has {bad} non-finite value(s) (NaN or inf)")
    return LSTMParams.from_arrays(kernel.T, recurrent.T, bias, np.zeros(rows))


def _strings(arrays: _Arrays, key: str) -> list[str] | None:
    """The strings of the text array ``key``, or ``None`` when the file has none."""
    if key not in arrays:
        return None
    array = arrays.get(key)
    if array.dtype.kind not in "US" or array.ndim > 1:
        raise InputError(f"{key} must be a string or a 1-D array of strings, got {array.dtype}")
    items = [array.item()] if array.ndim == 0 else array.tolist()
    try:
        return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in items]
    except UnicodeDecodeError:
        raise InputError(f"{key} holds bytes that are not UTF-8 text") from None


def _pairs(arrays: _Arrays, key: str) -> dict[str, str] | None:
    items = _strings(arrays, key)
    if items is None:
        return None
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise InputError(f"{key} entries must read NAME=VALUE, got {item!r}")
        pairs[name] = value
    return pairs


def _config(arrays: _Arrays) -> CellConfig | None:
    activations, clamps = _pairs(arrays, ACTIVATIONS_KEY), _pairs(arrays, CLAMPS_KEY)
    if activations is None and clamps is None:
        return None
    values: dict[str, float] = {}
    for gate, value in (clamps or {}).items():
        try:
            values[gate] = float(value)
        except ValueError:
            raise InputError(f"{CLAMPS_KEY} entries must read gate=number, got {value!r}") from None
    try:
        return CellConfig.build(activations, values)
    except InputError as err:
        raise InputError(
            f"its saved settings are wrong: {err} (slots: {', '.join(SLOTS)})"
        ) from None


def _token_mode(arrays: _Arrays) -> str | None:
    items = _strings(arrays, TOKEN_MODE_KEY)
    if items is None:
        return None
    if len(items) != 1 or items[0] not in TOKEN_MODES:
        raise InputError(f"{TOKEN_MODE_KEY} must be one of {', '.join(TOKEN_MODES)}, got {items}")
    return items[0]


def _is_torch_file(path: StrPath, data: bytes) -> bool:
    """A ``.pt``/``.pth`` name, a bare pickle, or a zip with torch's ``data.pkl`` inside."""
    if Path(path).suffix.lower() in _TORCH_SUFFIXES or data.startswith(_PICKLE_MAGIC):
        return True
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.endswith("/data.pkl") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _vocab_from_array(array: np.ndarray) -> tuple[str, ...]:
    if array.dtype.kind not in "US":
        raise InputError(f"vocab must be an array of strings, got dtype {array.dtype}")
    if array.ndim != 1:
        raise InputError(f"vocab must be a 1-D array of strings (I,), got shape {array.shape}")
    if array.dtype.kind == "S":
        try:
            return tuple(item.decode("utf-8") for item in array.tolist())
        except UnicodeDecodeError:
            raise InputError("vocab holds bytes that are not UTF-8 text") from None
    return tuple(array.tolist())


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
