"""Weight files for any kind of cell: an LSTM's, a plain RNN's or a GRU's.

All three are ``.npz`` archives of a one-layer PyTorch state dict, under the
same four keys; the kind shows in the shapes alone: ``weight_hh_l0`` is
(4H, H) for ``torch.nn.LSTM``, (3H, H) for ``torch.nn.GRU`` and (H, H) for
``torch.nn.RNN``. An LSTM's file goes through
:func:`~lstm_tui.engine.weights_io.load_weights` (which also reads Keras
files); the same rules hold for the others: ``allow_pickle=False``, an
optional ``vocab``, one line naming the file and what is wrong.
"""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.hidden_params import CELL_KINDS, PARAMS_OF_KIND, HiddenParams, check_kind
from lstm_tui.engine.params import PARAM_KEYS, LSTMParams
from lstm_tui.engine.weights_io import (
    VOCAB_KEY,
    _open_npz,
    _read_arrays,
    _vocab_from_array,
    check_vocab,
    load_weights,
)
from lstm_tui.errors import InputError
from lstm_tui.files import StrPath, read_limited

_ROWS_PER_UNIT = {4: "lstm", 3: "gru", 1: "rnn"}


def load_cell_weights(
    path: StrPath, kind: str | None = None
) -> tuple[LSTMParams | HiddenParams, tuple[str, ...] | None]:
    """The weights in ``path`` and its vocabulary if it has one, for a cell of ``kind``.

    ``kind`` is ``lstm``, ``rnn`` or ``gru``, or ``None`` to take whichever
    kind the shapes say. Weights of another kind than asked for, or of no
    kind, are an :class:`InputError` naming the file, the shapes and the kind.
    """
    if kind is not None:
        check_kind(kind)
    try:
        with _open_npz(read_limited(path)) as archive:
            found = _kind_in(archive)
            if kind is not None and found != kind:
                raise InputError(
                    f"holds {_article(found)} {found.upper()}'s weights, not {_article(kind)} "
                    f"{kind.upper()}'s (weight_hh_l0 is {_shape_text(found)})"
                )
            if found != "lstm":
                arrays = _read_arrays(archive, PARAM_KEYS)
                params = PARAMS_OF_KIND[found].from_state_dict(arrays)
                vocab = None
                if VOCAB_KEY in archive.files:
                    vocab = _vocab_from_array(_read_arrays(archive, (VOCAB_KEY,))[VOCAB_KEY])
                    check_vocab(vocab, params.input_size)
                return params, vocab
    except InputError as err:
        if err.path is not None:
            raise
        raise InputError(str(err), path=path) from None
    return load_weights(path)


def _kind_in(archive: np.lib.npyio.NpzFile) -> str:
    """The kind of cell whose ``weight_hh_l0`` the archive holds (``lstm`` when it has
    none: then it is a Keras file, or wrong in a way :func:`load_weights` explains)."""
    if "weight_hh_l0" not in archive.files:
        return "lstm"
    shape = _read_arrays(archive, ("weight_hh_l0",))["weight_hh_l0"].shape
    if len(shape) == 2 and shape[1] >= 1 and shape[0] % shape[1] == 0:
        found = _ROWS_PER_UNIT.get(shape[0] // shape[1])
        if found is not None:
            return found
    kinds = ", ".join(f"{_shape_text(k)} for {k.upper()}" for k in CELL_KINDS)
    raise InputError(f"weight_hh_l0 has shape {shape}, which is no kind of cell ({kinds})")


def _shape_text(kind: str) -> str:
    blocks = {"lstm": "4H", "gru": "3H", "rnn": "H"}[kind]
    return f"({blocks}, H)"


def _article(kind: str) -> str:
    return "an" if kind in ("lstm", "rnn") else "a"
