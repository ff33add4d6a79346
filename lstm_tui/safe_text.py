"""Making any string safe to put on a terminal: nothing in it can act, hide or reorder.

Names, paths, tokens and ``.npz`` keys come from files and command lines the
program does not control, and lstm-tui is shown over SSH to a classroom. A
string that reached the terminal raw could move the cursor or recolour the
screen (ESC, the 8-bit CSI U+009B), set the clipboard (OSC 52), turn the rest
of a line around (bidi controls), hide text (zero-width characters), break a
one-line message in two, or stack an accent onto the character printed before
it. :func:`safe_text` spells every such character as its code point, so a
person sees that it is there and which one it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["safe_text"]

# Categories never shown raw: controls (C0, DEL, C1), format characters (bidi
# controls, zero-width space and joiners, word joiner, byte-order mark, tags),
# surrogates (a lone one cannot even be encoded as UTF-8), private use (no
# agreed glyph or width) and unassigned code points (no agreed width either).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

# Line and paragraph separators: str.splitlines() and some terminals break a
# line there, and a message must stay one line.
_LINE_BREAKING_CATEGORIES = frozenset({"Zl", "Zp"})

# Letters that are drawn as nothing at all (the Hangul fillers), the usual way
# to make a name look blank; shown as code like the zero-width characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _code(ch: str) -> str:
    # One spelling for everything: ⟨U+001B⟩, ⟨U+202E⟩, ⟨U+E0001⟩. The brackets
    # and the hex digits are ordinary characters, so the result is safe as is
    # and safe_text leaves it unchanged.
    return f"⟨U+{ord(ch):04X}⟩"


def safe_text(text: str, *, spell: Mapping[str, str] | None = None) -> str:
    """``text`` with every character that could act on a terminal, or hide, shown as its code.

    Spelled as ``⟨U+XXXX⟩`` (``"a\\x1b[31m"`` becomes ``"a⟨U+001B⟩[31m"``):

    - controls: C0, DEL and C1 (category Cc), including newline and tab;
    - format characters (Cf): bidi controls, zero-width characters, the BOM;
    - surrogates (Cs), private-use (Co) and unassigned (Cn) code points;
    - the line and paragraph separators U+2028 and U+2029, and the Hangul
      filler letters, which are drawn as nothing;
    - a combining mark (Mn, Mc, Me) with no character to sit on: at the
      start, after whitespace, or after a character that was spelled out.

    Everything else — letters of any script, digits, punctuation, spaces,
    emoji, CJK — is kept as is, so printable ASCII passes unchanged. The
    result holds none of the characters above, so ``safe_text`` of it is
    itself (applying it twice does no harm).

    ``spell`` maps characters to a spelling of the caller's own (a token
    strip shows a space as ``␣``); a character spelled that way counts as
    replaced, so a combining mark after it is shown as its code too.
    """
    if text.isascii() and text.isprintable() and not spell:
        return text  # the common case: nothing to look at
    out: list[str] = []
    # Whether the last character kept can carry a combining mark.
    has_base = False
    for ch in text:
        if spell and ch in spell:
            out.append(spell[ch])
            has_base = False
            continue
        category = unicodedata.category(ch)
        if (
            category in _HIDDEN_CATEGORIES
            or category in _LINE_BREAKING_CATEGORIES
            or ch in _BLANK_LETTERS
        ):
            out.append(_code(ch))
            has_base = False
        elif category[0] == "M":
            # A mark keeps the base it follows (e + two accents is one letter).
            out.append(ch if has_base else _code(ch))
        else:
            out.append(ch)
            has_base = not ch.isspace()
    return "".join(out)
