"""How values and tokens are spelled on screen: glyphs, numbers, visible whitespace."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len

from lstm_tui.safe_text import safe_text
from lstm_tui.sequences.sequence import visible_token
from lstm_tui.ui.glyphs import BLOCKS, FULL_BLOCK, PARTIAL_BAR, ZERO_GLYPH

__all__ = ["safe_lines", "safe_text", "visible_token"]


def safe_lines(text: str) -> str:
    """``text`` with each line made safe by :func:`safe_text`, the line breaks kept.

    For messages and questions laid out in lines by the program; a path or
    a name inside them should already be :func:`safe_text`, so a newline of
    its own is spelled out rather than taken for one of the layout's.
    """
    return "\n".join(safe_text(line) for line in text.split("\n"))


_SHORT_ACTIVATION = {
    "sigmoid": "σ",
    "hard_sigmoid": "hσ",
    "tanh": "tanh",
    "softsign": "ssgn",
    "relu": "relu",
    "identity": "id",
    "step": "step",
    "hard_sigmoid_keras": "kσ",
}


def short_activation(name: str) -> str:
    """A few letters for an activation name, for the narrow labels of the grids."""
    return _SHORT_ACTIVATION.get(name, name[:4])


def level_glyph(fraction: float) -> str:
    """An eighth block for a magnitude in [0, 1]; a dot for (almost) nothing."""
    if not fraction > 1 / 16:
        return ZERO_GLYPH
    return BLOCKS[min(7, max(0, math.ceil(fraction * 8 - 0.5) - 1))]


def bar(fraction: float, width: int) -> str:
    """A left-aligned bar of ``width`` cells filled to ``fraction`` with eighth blocks."""
    fraction = min(1.0, max(0.0, fraction)) if math.isfinite(fraction) else 1.0
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    text = FULL_BLOCK * full + (PARTIAL_BAR[rest - 1] if rest else "")
    return text.ljust(width)[:width]


def number(value: float, signed: bool = False, decimals: int = 2) -> str:
    """Two decimals, as the equations on screen show them; shorter for big values.

    ``decimals`` above 2 gives every magnitude that many more digits (an
    equation that needs them to add up).
    """
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("+inf" if value > 0 else "-inf")
    sign = "+" if signed else ""
    if abs(value) >= 1e4:
        return f"{value:{sign}.{decimals - 1}e}"
    if abs(value) >= 100:
        return f"{value:{sign}.{decimals - 2}f}"
    # A value that rounds to zero is zero on screen: "-0.00" reads as a sign
    # that means something (the bar and glyph still show a tiny value's sign).
    return f"{round(value, decimals) + 0.0:{sign}.{decimals}f}"


def last_place(text: str) -> float:
    """The value of one unit in the last digit of a written number: 0.01 for ``1.25``."""
    mantissa, _, exponent = text.partition("e")
    _, _, fraction = mantissa.partition(".")
    return 10.0 ** (int(exponent or 0) - len(fraction))


def adds_up(products: Sequence[tuple[str, str]], result: str) -> bool:
    """Whether the written products, summed, give the written result to its last digit.

    Strictly within half a unit of the result's last digit: ``1.00·336 +
    1.00·0.50 = 336`` does not add up (336.5 would be written 336 or 337).
    """
    total = math.fsum(float(a) * float(b) for a, b in products)
    return abs(total - float(result)) < 0.5 * last_place(result)


# More digits than these are not shown: a sum of float64 products adds up long before.
MOST_DECIMALS = 6
MOST_EXTRA_DECIMALS = 8


def _trimmed(text: str, least: str) -> str:
    """``text`` without the zeros that end its fraction, keeping as many decimals as ``least``."""
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        return text
    keep = len(least.partition("e")[0].partition(".")[2])
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0").ljust(keep, "0")
    return (f"{whole}.{fraction}" if fraction else whole) + e + exponent


def written_sum(
    products: Sequence[tuple[float, float]], result: float
) -> tuple[list[tuple[str, str]], str]:
    """The operands of ``a·b + c·d + … = result`` and the result, spelled so the sum adds up.

    Two decimals as everywhere, unless the rounded operands would give
    another result than the one written (a forget gate of 0.9995 written
    1.00 times a cell state of 336 is 0.17 short): then the operands get
    more digits, one at a time, until what is written adds up (and, should
    that not be enough, the result too). Zeros that end an operand's
    fraction are left off, down to its usual two decimals.
    """
    spelled = [(number(a), number(b)) for a, b in products]
    shown = number(result)
    values = [v for pair in products for v in pair]
    if not all(math.isfinite(v) for v in (*values, result)):
        return spelled, shown

    def written(value: float, decimals: int) -> str:
        return _trimmed(number(value, decimals=decimals), number(value))

    for result_decimals in range(2, MOST_DECIMALS + 1):
        shown = number(result, decimals=result_decimals)
        for decimals in range(result_decimals, result_decimals + MOST_EXTRA_DECIMALS + 1):
            spelled = [(written(a, decimals), written(b, decimals)) for a, b in products]
            if adds_up(spelled, shown):
                return spelled, shown
    return spelled, shown


def short_exponent(value: float, signed: bool = False) -> str:
    """A finite value as one digit and a power of ten, in as few cells as it takes: ``2e197``."""
    mantissa, exponent = f"{value:{'+' if signed else ''}.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


# Cells a number needs to be written whole at any magnitude: ``-2e197``.
NUMBER_CELLS = 6


@lru_cache(maxsize=8192)
def fixed_number(value: float, width: int, signed: bool) -> str:
    """A number in ``width`` cells, losing decimals before digits, never cut.

    Infinite and undefined values are spelled ``inf`` and ``nan`` as
    everywhere; a finite value too large for the cells is written as a
    power of ten (``2e197``), which fits in :data:`NUMBER_CELLS` cells
    whatever the magnitude: it is never mistaken for an infinite one.
    """
    if not math.isfinite(value):
        return number(value, signed).rjust(width)
    sign = "+" if signed else ""
    for text in (
        number(value, signed),
        f"{value:{sign}.1f}",
        f"{value:{sign}.0f}",
        short_exponent(value, signed),
        short_exponent(value),
    ):
        if len(text) <= width:
            return text.rjust(width)
    return short_exponent(value)


def gain(value: float) -> str:
    """How much of a change a derivative carries: its number, or ``overflowed``.

    A derivative that is not finite (inf, or nan from 0·inf once the forward
    pass overflowed) has no size to read: the float overflowed, and it is
    said so, not written as nan.
    """
    return number(value) if math.isfinite(value) else "overflowed"


def operand(text: str) -> str:
    """A written number inside a product: negative ones in parentheses, ``0.98·(-1.20)``."""
    return f"({text})" if text.startswith("-") else text


def shortened(name: str, room: int | None) -> str:
    """``name`` in at most ``room`` cells: its start, then an ellipsis (``a-long-na…``)."""
    if room is None or cell_len(name) <= room:
        return name
    kept = ""
    for ch in name:
        if cell_len(kept) + cell_len(ch) > room - 1:
            break
        kept += ch
    return kept + "…"
