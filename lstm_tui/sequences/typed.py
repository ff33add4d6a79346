"""Sequences typed by hand into one line: text, or numbers for a numeric model."""

from __future__ import annotations

import math
import re

from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import split_tokens
from lstm_tui.sequences.sequence import Sequence, from_tokens, from_vectors

TYPED_NAME = "typed"

# One line cannot hold a newline or a tab, and presets react to both.
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


def unescape(text: str) -> str:
    """``\\n``, ``\\t`` and ``\\\\`` as newline, tab and backslash; other backslashes kept."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def typed_sequence(text: str, tokens: str | None, input_size: int = 1) -> Sequence:
    """The sequence in ``text``: tokens by ``tokens`` mode, or numbers when it is ``None``.

    Numbers: with one input per step, any run of numbers separated by spaces,
    commas or semicolons; with more, one step per ``;``-separated group of
    ``input_size`` numbers (``1 0; 0 1``). Raises :class:`InputError` saying
    what is wrong.
    """
    if tokens is not None:
        return from_tokens(split_tokens(unescape(text), tokens), name=TYPED_NAME)
    groups = [text] if input_size == 1 else text.split(";")
    rows: list[list[float]] = []
    for number, group in enumerate(groups, 1):
        cells = [cell for cell in re.split(r"[\s,;]+", group.strip()) if cell]
        if not cells and input_size > 1:
            continue
        values = [_number(cell) for cell in cells]
        if input_size == 1:
            rows.extend([v] for v in values)
        elif len(values) != input_size:
            raise InputError(
                f"step {number} has {len(values)} number(s); each step needs {input_size}, "
                "steps separated by ';'"
            )
        else:
            rows.append(values)
    if not rows:
        raise InputError("type at least one step")
    return from_vectors(rows, name=TYPED_NAME)


def _number(cell: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise InputError(f"not a number: {cell!r}") from None
    if not math.isfinite(value):
        raise InputError(f"numbers must be finite, got {cell!r}")
    return value
