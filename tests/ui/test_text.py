"""How numbers are spelled on screen."""

import pytest

from lstm_tui.ui.text import number


@pytest.mark.parametrize(
    ("value", "signed", "text"),
    [
        (-0.0, False, "0.00"),
        (-0.0, True, "+0.00"),
        (-0.004, True, "+0.00"),
        (-0.006, True, "-0.01"),
        (0.98, False, "0.98"),
        (-1.2, True, "-1.20"),
        (250.4, True, "+250"),
        (12345.0, False, "1.2e+04"),
    ],
)
def test_number(value: float, signed: bool, text: str) -> None:
    assert number(value, signed) == text
