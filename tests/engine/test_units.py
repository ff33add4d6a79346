"""Ranking units: correlation with a token class, variance, saturation; token classes."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_tui.engine.units import (
    class_tokens,
    correlations,
    ranked,
    saturation_shares,
    variances,
)
from lstm_tui.errors import InputError

CHARS = tuple(" ()ABCabc1")
WORDS = ("the", "The", "(", ")", "cell")


@pytest.mark.parametrize(
    ("text", "vocab", "expected"),
    [
        ("[A-Z]", CHARS, {"A", "B", "C"}),
        (" ", CHARS, {" "}),
        ("()", CHARS, {"(", ")"}),  # a valid expression matching no token: the tokens listed
        ("[(", CHARS, {"[", "("} & set(CHARS)),  # no valid expression: the tokens listed
        (r"\d", CHARS, {"1"}),
        ("[Tt]he", WORDS, {"the", "The"}),
        ("( )", WORDS, {"(", ")"}),
    ],
)
def test_token_classes(text: str, vocab: tuple[str, ...], expected: set[str]) -> None:
    assert class_tokens(text, vocab) == expected


@pytest.mark.parametrize("text", ["", "xyz", "[Q-Z]"])
def test_a_class_with_no_token_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        class_tokens(text, CHARS)


def test_correlations_match_numpy_and_are_nan_where_undefined() -> None:
    rng = np.random.default_rng(1)
    member = rng.random(200) < 0.3
    values = rng.normal(size=(200, 6))
    values[:, 2] = member * 2.0 - 1.0  # tracks the class exactly
    values[:, 3] = -values[:, 2] + 0.01 * rng.normal(size=200)
    values[:, 4] = 0.5  # never moves
    r = correlations(values, member)
    for u in (0, 1, 2, 3, 5):
        assert r[u] == pytest.approx(np.corrcoef(values[:, u], member)[0, 1], abs=1e-12)
    assert r[2] == pytest.approx(1.0) and r[3] < -0.99 and np.isnan(r[4])
    assert np.isnan(correlations(values, np.ones(200, dtype=bool))).all()
    order = ranked(r, by_magnitude=True)
    assert list(order[:2]) == [2, 3] and order[-1] == 4


def test_variance_and_saturation() -> None:
    values = np.array([[0.0, 5.0, -3.0], [0.0, -5.0, 0.1], [0.0, 5.0, 0.0], [0.0, -5.0, 0.0]])
    np.testing.assert_allclose(variances(values), np.var(values, axis=0))
    np.testing.assert_allclose(saturation_shares(values), [0.0, 1.0, 0.25])
    assert list(ranked(variances(values))) == [1, 2, 0]
