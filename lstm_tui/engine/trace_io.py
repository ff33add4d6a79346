"""Writing a computed trajectory out: ``.npz``, ``.csv``, ``.json``, or a table.

Row t of every array is the state after consuming input t. The arrays are
``z`` (T, 4H), ``i f g o c h`` (T, H), ``x`` (T, I) and ``tokens`` (T,) — the
token for token sequences, the input vector in short for numeric ones — all
of the shown layer. A model with a head adds ``logits`` and ``probs``
(T, V_out), the guess at token t+1 after input t; a stack adds ``h_l0``,
``c_l0``, ``h_l1``, ... (T, H_k) for every layer.
``.npz`` and ``.json`` keep the tokens exactly (JSON escapes what is not
plain ASCII); the ``.csv`` token column is shown safe, like the table.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from lstm_tui.engine.model import softmax
from lstm_tui.engine.stack import Stack
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError
from lstm_tui.files import atomic_write, check_writable_target
from lstm_tui.safe_text import safe_text

TRACE_FORMATS: tuple[str, ...] = (".npz", ".csv", ".json")
VECTORS: tuple[str, ...] = ("z", "i", "f", "g", "o", "c", "h")
_UNIT_COLUMNS: tuple[str, ...] = ("i", "f", "g", "o", "c", "h")
# Files are written this many values at a time, so a long run is never held
# as text (or Python floats) all at once.
_BLOCK_VALUES = 65536


def trace_arrays(
    traj: Trajectory, labels: list[str], stack: Stack | None = None
) -> dict[str, np.ndarray]:
    """Every vector of the fully computed ``traj`` as arrays, plus ``x`` and ``tokens``;
    with the ``stack`` it is a layer of, every layer's h and c and the head's output."""
    traj.run()
    arrays = {name: np.ascontiguousarray(traj.vector(name)) for name in VECTORS}
    arrays["x"] = np.array(traj.inputs)
    arrays["tokens"] = np.array(labels, dtype=str)
    if stack is not None:
        arrays.update(stack_arrays(stack))
    return arrays


def stack_arrays(stack: Stack) -> dict[str, np.ndarray]:
    """``h_l0``, ``c_l0``, ... for a stack of more than one layer; ``logits`` and ``probs``
    with a head. Every layer is computed to the end."""
    arrays: dict[str, np.ndarray] = {}
    if stack.depth > 1:
        for k in range(stack.depth):
            layer = stack.layer(k).run()
            arrays[f"h_l{k}"] = np.array(layer.h)
            arrays[f"c_l{k}"] = np.array(layer.c)
    if stack.has_head:
        logits = stack.logits()
        arrays["logits"] = logits
        arrays["probs"] = softmax(logits)
    return arrays


def check_trace_path(path: str | Path) -> Path:
    """``path`` if its suffix names a trace format; an :class:`InputError` otherwise."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory; name a file in it, e.g. trace.npz", path=path)
    if path.suffix.lower() not in TRACE_FORMATS:
        raise InputError(
            f"unknown output format {path.suffix or '(no suffix)'!r}; "
            f"use one of: {', '.join(TRACE_FORMATS)}",
            path=path,
        )
    return check_writable_target(path)


def write_trace(
    path: str | Path, traj: Trajectory, labels: list[str], stack: Stack | None = None
) -> Path:
    """Write the whole trajectory to ``path``; the suffix picks the format. Atomic."""
    path = check_trace_path(path)
    return write_trace_arrays(path, trace_arrays(traj, labels, stack))


Progress = Callable[[float], None]
"""Told the share of a file written so far, 0 to 1, as the writing goes on."""


def _no_progress(done: float) -> None:
    return None


def write_trace_arrays(
    path: str | Path, arrays: dict[str, np.ndarray], progress: Progress | None = None
) -> Path:
    """Write arrays made by :func:`trace_arrays`; the suffix of ``path`` picks the format.

    Needs no trajectory, so a copy taken once can be written from another
    thread; ``progress`` is called after each block of rows (text formats).
    """
    path = check_trace_path(path)
    suffix = path.suffix.lower()
    report = progress or _no_progress
    if suffix == ".npz":
        atomic_write(path, lambda f: np.savez(f, **arrays))  # type: ignore[arg-type]
    elif suffix == ".csv":
        atomic_write(path, lambda f: _write_csv(f, arrays, report))
    else:
        atomic_write(path, lambda f: _write_json(f, arrays, report))
    report(1.0)
    return path


def _csv_token(token: str) -> str:
    if any(ch in token for ch in ',"'):
        return '"' + token.replace('"', '""') + '"'
    return token


def _write_csv(
    out: BinaryIO, arrays: dict[str, np.ndarray], progress: Progress = _no_progress
) -> None:
    steps, hidden = arrays["h"].shape
    # A second cell's arrays (``vs_h``, ...) follow, those with one value per unit.
    names = [*_UNIT_COLUMNS]
    names += [k for k, a in arrays.items() if k.startswith("vs_") and a.shape == (steps, hidden)]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    text.write("t,token,unit," + ",".join(names) + "\n")
    # The token column is text a person reads (cat, a spreadsheet): shown
    # safe, which also keeps one row per line. The .npz and .json keep them raw.
    tokens = [_csv_token(safe_text(str(tok))) for tok in arrays["tokens"]]
    units = [str(u) for u in range(hidden)]
    # repr() is the shortest string that reads back as the same float; mapping it
    # over a block's .tolist() is the fastest way to get it in pure Python.
    block = max(1, _BLOCK_VALUES // hidden)
    for start in range(0, steps, block):
        stop = min(steps, start + block)
        columns = [map(repr, arrays[name][start:stop].ravel().tolist()) for name in names]
        keys = (f"{t},{tokens[t]},{units[u]}" for t in range(start, stop) for u in range(hidden))
        text.write("\n".join(map(",".join, zip(keys, *columns, strict=True))))
        text.write("\n")
        progress(stop / steps)
    text.flush()
    text.detach()


def _write_json(
    out: BinaryIO, arrays: dict[str, np.ndarray], progress: Progress = _no_progress
) -> None:
    """The arrays as one JSON object of lists, written a block of rows at a time.

    The same bytes as ``json.dumps`` of the whole object, without ever holding
    it: at the size limit that would be billions of Python floats. Tokens are
    kept as they are; ``json.dumps`` escapes every control and non-ASCII
    character (``\\u001b``), so the file is plain ASCII and safe to print.
    """
    total = sum(len(a) for a in arrays.values() if a.ndim == 2) or 1
    written = 0
    out.write(b"{")
    for k, (name, array) in enumerate(arrays.items()):
        out.write(b", " if k else b"")
        out.write(json.dumps(name).encode("ascii") + b": ")
        if name == "tokens":
            out.write(json.dumps([str(t) for t in array]).encode("ascii"))
        elif array.ndim != 2 or len(array) == 0:
            out.write(json.dumps(array.tolist()).encode("ascii"))
        else:
            out.write(b"[")
            block = max(1, _BLOCK_VALUES // max(1, array.shape[1]))
            for start in range(0, len(array), block):
                rows = json.dumps(array[start : start + block].tolist())
                # Drop the block's own brackets: its rows continue the one list.
                out.write((", " if start else "").encode("ascii") + rows[1:-1].encode("ascii"))
                written += min(block, len(array) - start)
                progress(written / total)
            out.write(b"]")
    out.write(b"}")


def _table_number(value: float) -> str:
    """Nine characters: fixed point while it fits, else scientific; never ``-0.0000``."""
    if abs(value) < 1e4 or not math.isfinite(value):
        return f"{round(value, 4) + 0.0:>9.4f}"
    return f"{value:>9.2e}"


def table_lines(traj: Trajectory, labels: list[str]) -> Iterator[str]:
    """A readable table, one line per step and unit, for printing to a terminal.

    ``labels`` are printed as given, cut to 8 characters: pass them through
    :func:`~lstm_tui.sequences.sequence.visible_token` first, or a space token
    prints as nothing and a control character acts on the terminal. Lines
    come one at a time, so a long run is never one string in memory.
    """
    traj.run()
    header = f"{'t':>6} {'token':<8} {'unit':>4} " + " ".join(
        f"{name:>9}" for name in _UNIT_COLUMNS
    )
    yield header
    yield "-" * len(header)
    vectors = [traj.vector(name) for name in _UNIT_COLUMNS]
    for t in range(len(traj)):
        token = labels[t]
        for u in range(traj.params.hidden_size):
            values = " ".join(_table_number(v[t, u]) for v in vectors)
            yield f"{t:>6} {token:<8.8} {u:>4} {values}"


def format_table(traj: Trajectory, labels: list[str]) -> str:
    """:func:`table_lines` as one string (no final newline)."""
    return "\n".join(table_lines(traj, labels))
