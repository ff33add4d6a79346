"""What colours a terminal's byte stream asks for, read from its SGR sequences."""

from __future__ import annotations

import re

SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def _is_ansi_colour(code: int) -> bool:
    return 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107


def colours(output: bytes) -> tuple[set[str], set[tuple[int, int, int]]]:
    """The kinds of colour (``truecolor``, ``256``, ``16``) used, and every 24-bit colour."""
    kinds: set[str] = set()
    rgb: set[tuple[int, int, int]] = set()
    for found in SGR.finditer(output):
        params = [int(p) if p else 0 for p in found.group(1).split(b";")]
        k = 0
        while k < len(params):
            code = params[k]
            if code in (38, 48) and params[k + 1 : k + 2] == [2]:
                kinds.add("truecolor")
                red, green, blue = params[k + 2 : k + 5]
                rgb.add((red, green, blue))
                k += 5
            elif code in (38, 48) and params[k + 1 : k + 2] == [5]:
                kinds.add("256")
                k += 3
            else:
                if _is_ansi_colour(code):
                    kinds.add("16")
                k += 1
    return kinds, rgb


def greys_only(rgb: set[tuple[int, int, int]]) -> bool:
    """True when there are 24-bit colours and every one is a grey."""
    return bool(rgb) and all(r == g == b for r, g, b in rgb)
