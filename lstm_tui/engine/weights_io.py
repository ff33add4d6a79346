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

Archives are read with ``allow_pickle=False``: an object array is refused,
never unpickled.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence as SequenceOf
from typing import BinaryIO

import numpy as np

from lstm_tui.engine.params import PARAM_KEYS, LSTMParams
from lstm_tui.errors import InputError
from lstm_tui.files import StrPath, atomic_write, read_limited

KERAS_KEYS: tuple[str, ...] = ("kernel", "recurrent_kernel", "bias")
VOCAB_KEY = "vocab"

# Keys PyTorch writes for a second layer, the reverse direction or a projection:
# their presence means a model this one-layer cell cannot reproduce.
_OTHER_LSTM_KEY = re.compile(r"(weight|bias)_(ih|hh|hr)_l\d+(_reverse)?")

# Local file header, or the end record of an empty archive.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NPY_MAGIC = b"\x93NUMPY"


def load_weights(path: StrPath) -> tuple[LSTMParams, tuple[str, ...] | None]:
    """The parameters in the ``.npz`` file at ``path``, and its vocabulary if it has one.

    Raises :class:`InputError` naming the file and the problem: not an
    ``.npz``, missing keys (named), wrong shapes, non-finite values, object
    arrays, a vocabulary whose length is not the input size I or that lists
    a token twice.
    """
    data = read_limited(path)
    try:
        with _open_npz(data) as archive:
            keys = set(archive.files)
            extra = sorted(k for k in keys if _OTHER_LSTM_KEY.fullmatch(k) and k not in PARAM_KEYS)
            if extra:
                raise InputError(
                    f"holds {', '.join(extra)}: only a one-layer, one-direction LSTM "
                    "without projection is supported"
                )
            if keys & set(PARAM_KEYS):
                params = LSTMParams.from_state_dict(_read_arrays(archive, PARAM_KEYS))
            elif keys & set(KERAS_KEYS):
                params = _from_keras(_read_arrays(archive, KERAS_KEYS))
            else:
                found = ", ".join(sorted(keys)) or "nothing"
                raise InputError(
                    f"has neither PyTorch keys ({', '.join(PARAM_KEYS)}) nor Keras keys "
                    f"({', '.join(KERAS_KEYS)}); it holds {found}"
                )
            vocab = None
            if VOCAB_KEY in keys:
                vocab = _vocab_from_array(_read_arrays(archive, (VOCAB_KEY,))[VOCAB_KEY])
                check_vocab(vocab, params.input_size)
    except InputError as err:
        if err.path is not None:
            raise
        raise InputError(str(err), path=path) from None
    return params, vocab


def save_weights(path: StrPath, params: LSTMParams, vocab: SequenceOf[str] | None = None) -> None:
    """Write ``params`` (and ``vocab``, I strings) to ``path`` as an ``.npz``, atomically.

    The archive holds the four PyTorch keys and, with a vocabulary, ``vocab``
    as a unicode array, so :func:`load_weights` and PyTorch both read it back.
    A bad vocabulary is an :class:`InputError` and nothing is written.
    """
    arrays = dict(params.state_dict())
    if vocab is not None:
        vocab = tuple(vocab)
        try:
            check_vocab(vocab, params.input_size)
        except InputError as err:
            raise InputError(str(err), path=path) from None
        # dtype=str gives a fixed-width unicode array, which loads without pickle.
        arrays[VOCAB_KEY] = np.array(vocab, dtype=str)

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


def _from_keras(arrays: dict[str, np.ndarray]) -> LSTMParams:
    kernel, recurrent, bias = (arrays[k] for k in KERAS_KEYS)
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
    if bias.shape != (rows,):
        raise InputError(f"bias must have shape (4H,) = ({rows},), got {bias.shape}")
    for key, array in arrays.items():
        if array.dtype == object or array.dtype.kind not in "iuf":
            raise InputError(f"{key} must be numeric, got dtype {array.dtype}")
        if not np.all(np.isfinite(array)):
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            raise InputError(f"{key} has {bad} non-finite value(s) (NaN or inf)")
    return LSTMParams.from_arrays(kernel.T, recurrent.T, bias, np.zeros(rows))


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
