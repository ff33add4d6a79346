"""A sequence ready for the cell: its tokens (if any), vocabulary and input vectors."""

from __future__ import annotations

import functools
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass

import numpy as np

from lstm_tui.errors import InputError
from lstm_tui.safe_text import safe_text

MAX_STEPS = 100_000
"""Longest sequence accepted, in steps."""

MAX_INPUT_VALUES = 20_000_000
"""Most steps × input size a sequence holds (its (T, I) float64 inputs: 160 MB).

Tokens are one-hot rows as wide as the vocabulary, so it is the number of
distinct tokens that counts: 300 KB of text in 20,000 distinct CJK
characters is 100,000 × 20,000 values, 16 GB. The limit keeps the longest
sequence (100,000 steps) with up to 200 distinct tokens; tables and JSON
vectors stay far below it, their file size limit comes first.
"""


@dataclass(frozen=True, eq=False)
class Sequence:
    """What the cell consumes.

    ``inputs`` is (T, I) float64. For token sequences ``tokens`` has T entries
    and ``vocab`` I entries, and row t is the one-hot vector of ``tokens[t]``;
    for numeric sequences both are ``None`` and ``labels`` name the steps.
    """

    name: str
    inputs: np.ndarray
    tokens: tuple[str, ...] | None = None
    vocab: tuple[str, ...] | None = None
    description: str = ""

    def __len__(self) -> int:
        return self.inputs.shape[0]

    @property
    def input_size(self) -> int:
        return self.inputs.shape[1]

    @property
    def is_tokens(self) -> bool:
        return self.tokens is not None

    @property
    def reads_words(self) -> bool:
        """Whether the tokens are words (some longer than a character), not characters."""
        return any(len(token) > 1 for token in self.vocab or ())

    def label(self, t: int) -> str:
        """What to print for step ``t``: the token, or the vector's values in short."""
        if self.tokens is not None:
            return self.tokens[t]
        return " ".join(f"{v:.3g}" for v in self.inputs[t])


# Whitespace and C0 controls get one-cell pictures, so a token strip stays
# narrow; every other unsafe character is spelled by safe_text.
_VISIBLE = {chr(n): chr(0x2400 + n) for n in range(32)} | {
    " ": "␣",
    "\n": "↵",
    "\t": "⇥",
    "\r": "␍",
    "\x7f": "␡",
}


@functools.lru_cache(maxsize=8192)
def visible_token(token: str) -> str:
    """``token`` safe to show, with whitespace and control characters as visible symbols.

    A space must not look like nothing on a screen or in a table that shows what
    the cell read, so ``' '`` becomes ``␣``, a newline ``↵`` and a tab ``⇥``;
    other C0 controls become their control pictures (ESC is ``␛``). Everything
    else :func:`~lstm_tui.safe_text.safe_text` would spell out (C1 controls,
    bidi and zero-width characters, a combining mark with no base) is spelled
    the same way here. The empty token is ``∅``.
    """
    return safe_text(token, spell=_VISIBLE) or "∅"


def sorted_vocab(tokens: SequenceOf[str]) -> tuple[str, ...]:
    """The default vocabulary: the distinct tokens, sorted."""
    return tuple(sorted(set(tokens)))


def check_input_values(steps: int, inputs: int, *, tokens: bool = False) -> None:
    """An :class:`InputError` when ``steps`` × ``inputs`` is more than :data:`MAX_INPUT_VALUES`."""
    values = steps * inputs
    if values > MAX_INPUT_VALUES:
        what = "distinct tokens" if tokens else "inputs"
        raise InputError(
            f"{steps:,} steps × {inputs:,} {what} = {values:,} values is more than the "
            f"{MAX_INPUT_VALUES:,} this program holds; use a shorter sequence or fewer {what}"
        )


def one_hot(tokens: SequenceOf[str], vocab: SequenceOf[str]) -> np.ndarray:
    """(T, V) float64 one-hot rows; an :class:`InputError` naming unknown tokens.

    Also an :class:`InputError` when T × V is more than :data:`MAX_INPUT_VALUES`.
    """
    index = {tok: k for k, tok in enumerate(vocab)}
    missing = sorted({tok for tok in tokens if tok not in index})
    if missing:
        shown = ", ".join(repr(tok) for tok in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise InputError(f"the vocabulary has no token(s) {shown}{more}")
    check_input_values(len(tokens), len(vocab), tokens=True)
    out = np.zeros((len(tokens), len(vocab)))
    if len(tokens):
        out[np.arange(len(tokens)), [index[tok] for tok in tokens]] = 1.0
    return out


def from_tokens(
    tokens: SequenceOf[str],
    vocab: SequenceOf[str] | None = None,
    *,
    name: str = "sequence",
    description: str = "",
) -> Sequence:
    """A token sequence one-hot encoded over ``vocab`` (default: sorted distinct tokens)."""
    tokens = tuple(tokens)
    if not tokens:
        raise InputError("the sequence is empty")
    if len(tokens) > MAX_STEPS:
        raise InputError(f"the sequence has {len(tokens):,} steps; the limit is {MAX_STEPS:,}")
    vocab = tuple(vocab) if vocab is not None else sorted_vocab(tokens)
    if len(set(vocab)) != len(vocab):
        raise InputError("the vocabulary lists a token more than once")
    inputs = one_hot(tokens, vocab)
    inputs.setflags(write=False)
    return Sequence(name, inputs, tokens, vocab, description)


def from_vectors(vectors: object, *, name: str = "sequence", description: str = "") -> Sequence:
    """A numeric sequence from (T, I) finite numbers."""
    try:
        inputs = np.array(vectors, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("vectors must be rows of numbers of equal length") from None
    if inputs.ndim != 2 or inputs.shape[0] == 0 or inputs.shape[1] == 0:
        raise InputError(f"vectors must be a non-empty table (T, I), got shape {inputs.shape}")
    if inputs.shape[0] > MAX_STEPS:
        raise InputError(f"the sequence has {inputs.shape[0]:,} steps; the limit is {MAX_STEPS:,}")
    check_input_values(*inputs.shape)
    if not np.all(np.isfinite(inputs)):
        raise InputError("vectors contain NaN or inf")
    inputs.setflags(write=False)
    return Sequence(name, inputs, None, None, description)
