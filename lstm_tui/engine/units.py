"""Finding the units that mean something: rank a layer's units over the steps so far.

Three rankings, each over the rows of one vector (c or h, (T, H)):

- by the correlation (Pearson's r) of each unit with a token class: 1 at the
  steps whose token is in the class, 0 elsewhere; a unit that tracks
  "inside a capitalised word" has r near +1 or -1;
- by variance: units that move at all, against units stuck at one value;
- by saturation share: the share of steps at which ``|tanh(value)|`` is
  within 0.05 of 1, the unit used as a switch.

A token class is written as a regular expression a whole token must match
(``[A-Z]``, `` `` for the space, ``\\d+``); text that is no valid expression,
or that matches no token of the vocabulary, is the set of tokens it lists:
its characters for character tokens (``()`` is the two brackets), its
space-separated words for word tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence as SequenceOf

import numpy as np

from lstm_tui.errors import InputError

SATURATED = 0.95
"""``|tanh(value)|`` at or above this counts as saturated (0.05 of a range end)."""


def class_tokens(text: str, vocab: SequenceOf[str]) -> frozenset[str]:
    """The tokens of ``vocab`` in the class ``text`` names (see the module docstring)."""
    if not text:
        raise InputError("name a token class: a regular expression or the tokens themselves")
    try:
        pattern = re.compile(text)
    except re.error:
        pattern = None
    if pattern is not None:
        matched = frozenset(tok for tok in vocab if pattern.fullmatch(tok))
        if matched:
            return matched
    words = any(len(tok) > 1 for tok in vocab)
    listed = set(text.split()) if words else set(text)
    found = frozenset(tok for tok in vocab if tok in listed)
    if not found:
        raise InputError(f"no token of the vocabulary is in the class {text!r}")
    return found


def correlations(values: np.ndarray, member: np.ndarray) -> np.ndarray:
    """(H,) Pearson's r of each column of ``values`` (T, H) with ``member`` (T,) of 0 and 1.

    NaN for a unit that never moves, and for every unit when the class is
    at every step or at none (nothing to correlate with).
    """
    x = np.asarray(values, dtype=np.float64)
    y = np.asarray(member, dtype=np.float64)
    _, squares = _deviations(x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        yc = y - y.mean()
        # The centred class sums to zero, so it needs no centred copy of the values.
        spread = np.sqrt(squares * (yc @ yc))
        r = (yc @ x) / spread
    return np.where(spread > 0, np.clip(r, -1.0, 1.0), np.nan)


def variances(values: np.ndarray) -> np.ndarray:
    """(H,) the variance of each unit over the steps."""
    x = np.asarray(values, dtype=np.float64)
    return _deviations(x)[1] / max(1, x.shape[0])


def saturation_shares(values: np.ndarray) -> np.ndarray:
    """(H,) the share of steps at which ``|tanh(value)|`` >= :data:`SATURATED`.

    Compared as ``|value| >= atanh(SATURATED)``: the same test, tanh being
    increasing, without a tanh of every value.
    """
    with np.errstate(invalid="ignore"):
        return np.mean(np.abs(np.asarray(values, dtype=np.float64)) >= _SATURATED_AT, axis=0)


_SATURATED_AT = float(np.arctanh(SATURATED))


def _deviations(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H,) means and sums of squared deviations, without a centred copy of ``x`` (T, H).

    A unit whose deviations are lost in rounding (it never moves, as far as
    float64 can tell) gets 0, which the callers read as "no spread".
    """
    with np.errstate(invalid="ignore", over="ignore"):
        mean = x.mean(axis=0)
        raw = np.einsum("ij,ij->j", x, x)
        squares = raw - x.shape[0] * mean * mean
        return mean, np.where(squares > raw * 1e-12, squares, 0.0)


def ranked(scores: np.ndarray, *, by_magnitude: bool = False) -> np.ndarray:
    """Unit numbers, highest score first (by ``|score|`` when asked); NaN scores last."""
    key = np.abs(scores) if by_magnitude else np.asarray(scores, dtype=np.float64)
    key = np.where(np.isnan(key), -np.inf, key)
    return np.argsort(-key, kind="stable")
