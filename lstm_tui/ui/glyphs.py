"""Every glyph that carries meaning on screen, in one place.

Meaning never rides on colour alone: these shapes say it too, so a
terminal without colour still shows the value, the sign and the marks.
"""

from __future__ import annotations

# Eighth blocks: the height of a glyph carries a magnitude.
BLOCKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " " + BLOCKS  # EIGHTHS[k]: k eighths of a cell filled from the bottom
FULL_BLOCK = "█"
# Hanging from the top of a cell, for bars below 0: an eighth, a half, and
# the full block. Plain text (no reverse video) shows them as drawn, so a
# short bar down never reads as a full one.
UPPER_EIGHTH = "▔"
UPPER_HALF = "▀"
# Left-aligned eighths for horizontal bars: PARTIAL_BAR[k - 1] fills k eighths.
PARTIAL_BAR = "▏▎▍▌▋▊▉"
# Shades for negative values where a cell has no room for a sign (the timeline).
SHADES = "░▒▓"

ZERO_GLYPH = "·"  # (about) nothing
ABOVE_GLYPH = "▲"  # beyond the top of the stated range
BELOW_GLYPH = "▼"  # beyond the bottom of the stated range
# Three kinds of too much, each spelled one way everywhere (and named in the legend):
# finite but beyond the stated range (▲ ▼, the number in full or as 2e197),
# infinite (∞, "inf": the float overflowed), and undefined (?, "nan").
INF_GLYPH = "∞"  # overflowed to infinity: drawn, but never as a bar
NAN_GLYPH = "?"  # undefined (nan, as from 0·inf): drawn, but never as a bar

CURSOR_MARK = "▼"  # the current step on the timeline's ruler, the selected unit's column
SELECTED_MARK = "▶"  # the selected unit in the timeline's label column
PLAYING = "▶"
PAUSED = "❚❚"
CHANGED_MARK = "•"  # a weight that differs from the loaded one
CHOSEN_MARK = "●"  # the chosen activation in the picker
UNCHOSEN_MARK = "·"

# The cell diagram's wires and boxes (light lines; a clamped gate's box in
# double lines, so a pinned gate reads as different without its colour).
WIRE = "─"
WIRE_DOWN = "│"
CORNERS = "┌┐└┘"  # top left, top right, bottom left, bottom right
TEE_DOWN = "┬"  # a wire leaving a horizontal one downwards
TEE_UP = "┴"  # a wire leaving a horizontal one upwards
CLAMPED_BOX = "═║╔╗╚╝"  # across, down, then the corners in the order of CORNERS
CLAMPED_TEE_UP = "╧"  # a single wire leaving a double line upwards
ARROW_RIGHT = "▶"  # a value leaving the cell
TIMES = "×"  # a product node
PLUS = "+"  # the sum node
