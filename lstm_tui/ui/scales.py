"""Colour scales: which level (and so which colour and glyph) a value falls into.

Two kinds: *sequential* for values from 0 up (the gates, 0..1) and *diverging*
for values around 0 (candidate, cell state, tanh(c), h). Each slot's scale
follows the range of the activation in it, so swapping an activation changes
the scale with it. Levels are few on purpose: neighbouring cells on the same
level share one terminal style, which keeps the bytes sent per step small.
"""

from __future__ import annotations

import math
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass

import numpy as np

from lstm_tui.engine.activations import Activation
from lstm_tui.ui.glyphs import ABOVE_GLYPH, BELOW_GLYPH, BLOCKS, INF_GLYPH, NAN_GLYPH, ZERO_GLYPH
from lstm_tui.ui.text import bar, level_glyph

# Within this distance of a bound of an activation's range a unit counts as
# saturated: its derivative is nearly 0 and it acts as a switch.
SATURATION_MARGIN = 0.05

# Range stated for unbounded values (relu, identity) on screen.
UNBOUNDED_RANGE = 3.0

SEQUENTIAL_LEVELS = 5  # 0 .. 4
DIVERGING_LEVELS = 3  # -3 .. 3, 0 meaning small

# A diverging value under this share of its range is drawn as · or the lowest
# eighth block, and in the neutral colour whatever its sign (the sign glyph
# still says it). Small values of either sign then share one terminal style,
# which roughly halves the bytes a step of an untrained cell sends, and the
# colours stand out where a unit commits to a sign.
NEUTRAL_SHARE = 3 / 16

# The style of NaN and ±inf: grey, apart from every level of both scales, so
# an overflowed cell never passes for a gate wide open or a large state.
NONFINITE_STYLE = "scale--nonfinite"

# Style names by level, for drawing many values at once.
_SEQUENTIAL_NAMES = np.array([f"scale--seq{k}" for k in range(SEQUENTIAL_LEVELS)], dtype=object)
_POSITIVE_NAMES = np.array(["scale--zero", *(f"scale--pos{k}" for k in range(1, 4))], dtype=object)
_NEGATIVE_NAMES = np.array(["scale--zero", *(f"scale--neg{k}" for k in range(1, 4))], dtype=object)
_BLOCK_GLYPHS = np.array(list(BLOCKS), dtype=object)


def _under(values: np.ndarray, thresholds: tuple[float, ...]) -> np.ndarray:
    """How many of ``thresholds`` each value is under (an integer array)."""
    count = np.zeros(np.shape(values), dtype=np.intp)
    for threshold in thresholds:
        count += values < threshold
    return count


@dataclass(frozen=True)
class Scale:
    """How one row of values is drawn: ``diverging`` around 0 or sequential from 0.

    ``high`` is the stated top of the range (and ``-high`` the bottom when
    diverging); values beyond it are drawn with a mark.
    """

    diverging: bool
    high: float
    # One stated range per unit (the cell state's, as an option), or None for
    # one range shared by every unit. ``high`` is then the largest of them.
    units: tuple[float, ...] | None = None

    def at(self, unit: int) -> Scale:
        """The scale unit ``unit``'s values are drawn in (this one when shared)."""
        if self.units is None:
            return self
        return Scale(self.diverging, self.units[unit])

    def columns(self, units: SequenceOf[int]) -> Scale:
        """The scale of the columns ``units`` of a (T, H) array, in that order."""
        if self.units is None:
            return self
        return Scale(self.diverging, self.high, tuple(self.units[u] for u in units))

    @property
    def highs(self) -> float | np.ndarray:
        """What values (..., H) are divided by: one range, or a range per last-axis column."""
        return self.high if self.units is None else np.asarray(self.units, dtype=np.float64)

    def level(self, value: float) -> int:
        """Colour level: 0..4 for sequential scales, -3..3 (0: small) for diverging ones."""
        if not math.isfinite(value):
            return (3 if value > 0 else -3) if self.diverging else 4
        x = value / self.high
        if self.diverging:
            a = abs(x)
            step = 0 if a <= NEUTRAL_SHARE else 1 if a < 0.5 else 2 if a < 0.95 else 3
            return step if x >= 0 else -step
        if x < 0.05:
            return 0
        if x < 0.35:
            return 1
        if x < 0.65:
            return 2
        return 3 if x < 0.95 else 4

    def beyond(self, value: float) -> int:
        """+1 above the stated range, -1 below it, 0 inside."""
        low = -self.high if self.diverging else 0.0
        if value > self.high * (1 + 1e-9):
            return 1
        if value < low - 1e-9 * self.high:
            return -1
        return 0

    def beyond_all(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`beyond` of every value at once: where it is above the range, and where below."""
        high = self.highs
        low = -high if self.diverging else 0.0
        with np.errstate(invalid="ignore"):
            return values > high * (1 + 1e-9), values < low - 1e-9 * high

    def glyph(self, value: float) -> str:
        """One cell: an eighth block as tall as the magnitude, or a mark beyond the range."""
        if math.isnan(value):
            return NAN_GLYPH
        if math.isinf(value):
            return INF_GLYPH
        out = self.beyond(value)
        if out:
            return ABOVE_GLYPH if out > 0 else BELOW_GLYPH
        return level_glyph(abs(value) / self.high)

    def sign(self, value: float) -> str:
        """The sign glyph that goes before a diverging cell (blank for sequential)."""
        return self.sign_and_glyph(value)[0]

    def sign_and_glyph(self, value: float) -> tuple[str, str]:
        """:meth:`sign` and :meth:`glyph` of ``value``, the glyph worked out once."""
        glyph = self.glyph(value)
        if not self.diverging or glyph in (ZERO_GLYPH, NAN_GLYPH):
            return " ", glyph
        return ("+" if value > 0 else "-"), glyph

    def style_name(self, value: float) -> str:
        """The component class that colours ``value``."""
        if not math.isfinite(value):
            return NONFINITE_STYLE
        level = self.level(value)
        if self.diverging:
            return (
                f"scale--pos{level}"
                if level > 0
                else f"scale--neg{-level}"
                if level
                else "scale--zero"
            )
        return f"scale--seq{level}"

    def style_names(self, values: np.ndarray) -> np.ndarray:
        """:meth:`style_name` of every value at once (an object array of the same shape)."""
        v = np.asarray(values, dtype=np.float64)
        finite = np.isfinite(v)
        with np.errstate(invalid="ignore"):
            x = np.where(finite, v, 0.0) / self.highs
        # A level counts the thresholds a value is not under (NaN is under none: the
        # top level, as :meth:`level` gives), in comparisons cheap on a short row.
        if self.diverging:
            a = np.abs(x)
            step = 3 - _under(a, (0.95, 0.5)) - (a <= NEUTRAL_SHARE)
            names = np.where(x >= 0, _POSITIVE_NAMES[step], _NEGATIVE_NAMES[step])
        else:
            names = _SEQUENTIAL_NAMES[4 - _under(x, (0.95, 0.65, 0.35, 0.05))]
        return np.where(finite, names, NONFINITE_STYLE)

    def glyphs(self, values: np.ndarray) -> np.ndarray:
        """:meth:`glyph` of every value at once (an object array of the same shape)."""
        v = np.asarray(values, dtype=np.float64)
        high = self.highs
        above, below = self.beyond_all(v)
        with np.errstate(invalid="ignore"):
            fraction = np.abs(v) / high
            # fmax/fmin pass over NaN: a NaN's index is 0 (its glyph is ? anyway).
            index = np.fmin(np.fmax(np.ceil(fraction * 8 - 0.5) - 1, 0), 7).astype(np.intp)
            shown = np.where(fraction > 1 / 16, _BLOCK_GLYPHS[index], ZERO_GLYPH)
        shown = np.where(above, ABOVE_GLYPH, np.where(below, BELOW_GLYPH, shown))
        shown = np.where(np.isinf(v), INF_GLYPH, shown)
        return np.where(np.isnan(v), NAN_GLYPH, shown)

    def fraction(self, value: float) -> float:
        """Bar length in [0, 1] for ``value``; none for NaN and ±inf, which have only a mark."""
        if not math.isfinite(value):
            return 0.0
        return min(1.0, abs(value) / self.high)

    def bar(self, value: float, width: int) -> str:
        """A bar ``width`` cells wide, ending in ▲ or ▼ beyond the range.

        NaN and ±inf get no bar, only their mark (? or ∞) in the first cell.
        """
        if not math.isfinite(value):
            return self.glyph(value).ljust(width)
        fill = bar(self.fraction(value), width)
        if self.beyond(value):
            fill = fill[:-1] + self.glyph(value)
        return fill


def scale_for(activation: Activation) -> Scale:
    """The scale that suits an activation's output range."""
    return scale_for_range(activation.low, activation.high)


def scale_for_range(low: float, high: float) -> Scale:
    if low < 0:
        top = max(abs(low), abs(high))
        return Scale(True, top if math.isfinite(top) else UNBOUNDED_RANGE)
    return Scale(False, high if math.isfinite(high) else UNBOUNDED_RANGE)


def output_scale(gate: Activation, cell: Activation) -> Scale:
    """The scale of h = o·act_cell(c): the products of the two ranges' ends."""
    ends = [a * b for a in (gate.low, gate.high) for b in (cell.low, cell.high)]
    ends = [0.0 if math.isnan(e) else e for e in ends]
    return scale_for_range(min(ends), max(ends))


def nice_range(values: np.ndarray) -> float:
    """The smallest of 1, 2, 3, 5, 10, 20, 30, 50, ... that covers every value's magnitude."""
    top = float(np.max(np.abs(values))) if values.size else 0.0
    if not math.isfinite(top):
        return UNBOUNDED_RANGE
    decade = 1.0
    while True:
        for nice in (1.0, 2.0, 3.0, 5.0):
            if nice * decade >= top:
                return nice * decade
        decade *= 10.0


def nice_ranges(values: np.ndarray) -> tuple[float, ...]:
    """:func:`nice_range` of each column of ``values`` (T, H); 1 for a unit that stays at 0."""
    tops = np.max(np.abs(values), axis=0) if values.shape[0] else np.zeros(values.shape[1])
    return tuple(nice_range(np.array([top])) if top != 0 else 1.0 for top in tops.tolist())


def saturated_share(values: np.ndarray, activation: Activation) -> float:
    """Share of ``values`` within :data:`SATURATION_MARGIN` of a finite bound of the range."""
    if values.size == 0:
        return 0.0
    near = np.zeros(values.shape, dtype=bool)
    if math.isfinite(activation.low):
        near |= values <= activation.low + SATURATION_MARGIN
    if math.isfinite(activation.high):
        near |= values >= activation.high - SATURATION_MARGIN
    return float(np.count_nonzero(near)) / values.size
