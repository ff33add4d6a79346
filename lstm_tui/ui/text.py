"""How values and tokens are spelled on screen: glyphs, numbers, visible whitespace."""

from __future__ import annotations

import math

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


def number(value: float, signed: bool = False) -> str:
    """Two decimals, as the equations on screen show them; shorter for big values."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("+inf" if value > 0 else "-inf")
    sign = "+" if signed else ""
    if abs(value) >= 1e4:
        return f"{value:{sign}.1e}"
    if abs(value) >= 100:
        return f"{value:{sign}.0f}"
    # A value that rounds to zero is zero on screen: "-0.00" reads as a sign
    # that means something (the bar and glyph still show a tiny value's sign).
    return f"{round(value, 2) + 0.0:{sign}.2f}"


def fixed_number(value: float, width: int, signed: bool) -> str:
    """A number that fits in ``width`` cells, losing decimals before digits."""
    for text in (
        number(value, signed),
        f"{value:{'+' if signed else ''}.1f}",
        f"{value:{'+' if signed else ''}.0f}",
        f"{value:.0e}",
    ):
        if len(text) <= width:
            return text.rjust(width)
    return ("+" if value > 0 else "-") + "∞".rjust(width - 1)


def operand(value: float) -> str:
    """A number inside a product: negative ones in parentheses, ``0.98·(-1.20)``."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text
