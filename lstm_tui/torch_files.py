"""Reading ``torch.save`` files, with the optional extra ``pip install 'lstm-tui[torch]'``.

Only ever through ``torch.load(weights_only=True)``: PyTorch's restricted
unpickler, which builds tensors and plain containers and refuses any other
object. An unrestricted unpickle runs whatever code the file names, so it
is never done. The engine stays NumPy only; this module hands it arrays.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Mapping

import numpy as np

from lstm_tui.errors import InputError

# Where a training script commonly keeps the state dict inside a checkpoint.
_NESTED = ("state_dict", "model_state_dict", "model", "net")


def torch_reader() -> Callable[[bytes], Mapping[str, np.ndarray]] | None:
    """:func:`read_torch` when PyTorch is installed, else ``None`` (torch is not imported)."""
    return read_torch if importlib.util.find_spec("torch") is not None else None


def read_torch(data: bytes) -> dict[str, np.ndarray]:
    """The tensors (as float64 arrays) and string lists of a ``torch.save`` state dict."""
    import torch

    try:
        loaded = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises UnpicklingError, RuntimeError, EOFError, ...
        reason = " ".join(str(err).split())[:200] or type(err).__name__
        raise InputError(
            "cannot be read with torch.load(weights_only=True), which refuses Python objects "
            f"(a whole model saved with torch.save(model)?); save model.state_dict(): {reason}"
        ) from None
    if not isinstance(loaded, Mapping):
        raise InputError(f"holds a {type(loaded).__name__}, not a state dict of named tensors")
    items = dict(loaded)
    for key in _NESTED:
        inner = loaded.get(key)
        if isinstance(inner, Mapping) and any(torch.is_tensor(v) for v in inner.values()):
            # A checkpoint: the model's tensors, beside its own entries (a vocab, settings).
            items = {**{k: v for k, v in loaded.items() if k != key}, **inner}
            break
    arrays: dict[str, np.ndarray] = {}
    for key, value in items.items():
        if torch.is_tensor(value):
            arrays[str(key)] = value.detach().cpu().double().numpy()
        elif _is_text(value):
            arrays[str(key)] = np.array(value, dtype=str)
    return arrays


def _is_text(value: object) -> bool:
    """A string or a non-empty list of strings: a vocabulary or a saved setting."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)
