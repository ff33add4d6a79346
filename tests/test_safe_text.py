"""``safe_text``: any string made safe to show, and ordinary text left alone."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lstm_tui.errors import InputError
from lstm_tui.safe_text import safe_text
from lstm_tui.sequences.sequence import visible_token

UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def lone_marks(text: str) -> list[int]:
    """Positions of combining marks with no visible character under them."""
    found = []
    has_base = False
    for k, ch in enumerate(text):
        if unicodedata.category(ch)[0] == "M":
            if not has_base:
                found.append(k)
        else:
            has_base = not ch.isspace()
    return found


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "⟨U+001B⟩[31mred"),  # ESC: a colour change
        ("\x1b]52;c;aGk=\x07", "⟨U+001B⟩]52;c;aGk=⟨U+0007⟩"),  # OSC 52: sets the clipboard
        ("\x9b2J", "⟨U+009B⟩2J"),  # the 8-bit CSI: clears the screen on some terminals
        ("\x85", "⟨U+0085⟩"),  # C1 next line
        ("\x7f", "⟨U+007F⟩"),
        ("a\nb\rc\td", "a⟨U+000A⟩b⟨U+000D⟩c⟨U+0009⟩d"),
        ("\x00", "⟨U+0000⟩"),
        ("abc\u202edcba", "abc⟨U+202E⟩dcba"),  # right-to-left override
        ("\u202a\u202b\u202c\u202d", "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩"),
        ("\u2066\u2067\u2068\u2069", "⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩"),  # isolates
        ("\u200e\u200f\u061c", "⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"),  # direction marks
        ("a\u200bb\u200cc\u200dd", "a⟨U+200B⟩b⟨U+200C⟩c⟨U+200D⟩d"),  # zero-width
        ("\u2060\ufeff", "⟨U+2060⟩⟨U+FEFF⟩"),
        ("\U000e0041", "⟨U+E0041⟩"),  # a tag character: invisible
        ("\ud800", "⟨U+D800⟩"),  # a lone surrogate: cannot be written as UTF-8
        ("\ue000", "⟨U+E000⟩"),  # private use
        ("\U000effff", "⟨U+EFFFF⟩"),  # unassigned
        ("one\u2028two\u2029", "one⟨U+2028⟩two⟨U+2029⟩"),  # break a line for splitlines
        ("\u3164", "⟨U+3164⟩"),  # Hangul filler: a letter drawn as nothing
        ("\u0301abc", "⟨U+0301⟩abc"),  # a mark at the start has nothing to sit on
        ("a \u0301", "a ⟨U+0301⟩"),  # nor after a space
        ("\x1b\u0301", "⟨U+001B⟩⟨U+0301⟩"),  # nor after a replaced character
        ("\u200b\u20dd", "⟨U+200B⟩⟨U+20DD⟩"),  # an enclosing mark (Me)
        ("\u0301\u0302", "⟨U+0301⟩⟨U+0302⟩"),  # a stack of lone marks stays lone
    ],
)
def test_unsafe_characters_are_spelled_as_code_points(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII, with (punctuation) & digits 0-9 ~",
        "café naïve Ærøskøbing",
        "cafe\u0301 o\u0308\u0301",  # decomposed accents on their letters, stacked too
        "Привет мир",
        "שלום عربي",  # right-to-left scripts themselves are letters, not controls
        "हिन्दी",  # Devanagari: spacing (Mc) and non-spacing (Mn) marks on letters
        "中文字符 日本語 한국어",  # wide characters
        "😀 🎉 👍🏽 🇫🇷",  # emoji, a skin-tone modifier and a flag
        "❤️ 1️⃣",  # variation selector and keycap on their bases
        "non\u00a0breaking and\u3000ideographic spaces",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert safe_text(text) == text


def test_an_emoji_joined_by_zero_width_joiners_shows_its_joiners() -> None:
    # A joined emoji is several code points drawn as one; its width differs
    # from one terminal to the next, and the joiner itself is invisible.
    assert safe_text("👨\u200d👩\u200d👧") == "👨⟨U+200D⟩👩⟨U+200D⟩👧"


@given(st.text(alphabet=string.printable.strip() + " "))
def test_printable_ascii_passes_unchanged(text: str) -> None:
    assert safe_text(text) == text


@given(st.text())
@example("\u0301")
@example(" \u0301\x1b\u0308")
@example("\ud800\udc00")
def test_the_result_holds_nothing_unsafe(text: str) -> None:
    shown = safe_text(text)
    assert not [ch for ch in shown if unicodedata.category(ch) in UNSAFE_CATEGORIES]
    assert lone_marks(shown) == []
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # no lone surrogate left to refuse


@given(st.text())
def test_safe_text_of_safe_text_is_itself(text: str) -> None:
    once = safe_text(text)
    assert safe_text(once) == once


@given(st.text(st.characters(exclude_characters="⟨")))
def test_nothing_is_lost(text: str) -> None:
    # Reading each code back gives the text as it was: every character is
    # either kept or spelled, never dropped or changed.
    shown = safe_text(text)
    back = re.sub(r"⟨U\+([0-9A-F]{4,6})⟩", lambda m: chr(int(m[1], 16)), shown)
    assert back == text


def test_spell_gives_a_character_another_spelling_and_counts_it_replaced() -> None:
    assert safe_text("a b", spell={" ": "␣"}) == "a␣b"
    # The mark would sit on the ␣ picture, which is not what the text held.
    assert safe_text(" \u0301", spell={" ": "␣"}) == "␣⟨U+0301⟩"


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        (" ", "␣"),
        ("\n", "↵"),
        ("\t", "⇥"),
        ("\r", "␍"),
        ("\x7f", "␡"),
        ("\x1b", "␛"),
        ("", "∅"),
        ("\u202e", "⟨U+202E⟩"),
        ("\x9b", "⟨U+009B⟩"),
        ("\u200b", "⟨U+200B⟩"),
        ("\u0301", "⟨U+0301⟩"),
        (" \u0301", "␣⟨U+0301⟩"),
        ("é", "é"),
        ("中", "中"),
        ("😀", "😀"),
    ],
)
def test_visible_token_keeps_its_pictures_and_adds_the_rest(token: str, shown: str) -> None:
    assert visible_token(token) == shown


@given(st.text())
def test_visible_token_holds_nothing_unsafe(token: str) -> None:
    shown = visible_token(token)
    assert not [ch for ch in shown if unicodedata.category(ch) in UNSAFE_CATEGORIES]
    assert lone_marks(shown) == []
    assert " " not in shown


def test_an_input_error_message_is_safe_and_keeps_the_raw_path() -> None:
    path = "evil\x1b[2J.txt"
    err = InputError("holds \u202ereversed", path=path)
    assert str(err) == "evil⟨U+001B⟩[2J.txt: holds ⟨U+202E⟩reversed"
    assert err.path == path
