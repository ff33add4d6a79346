"""The one place tests build sessions and apps, so every test sees the same screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.color import Color
from textual.filter import LineFilter

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.session import Session, open_session
from lstm_tui.ui.app import LstmApp

TEXT = "((a)(b c))\n\t(d)"


def hand_built_session(tokens: list[str], name: str, params: LSTMParams, label: str) -> Session:
    """``params`` (the standard LSTM) on ``tokens``, one-hot over their vocabulary: no file."""
    sequence = from_tokens(tokens, name=name)
    return Session(
        sequence=sequence,
        params=params,
        config=CellConfig(),
        vocab=sequence.vocab,
        model_label=label,
        preset=None,
    )


def random_session(text: str = TEXT, hidden: int = 8, seed: int = 0) -> Session:
    """A random cell on ``text``, built without any file."""
    params = LSTMParams.random(hidden, len(set(text)), seed)
    return hand_built_session(list(text), "brackets-text", params, f"random H={hidden} seed={seed}")


def random_app(
    text: str = TEXT, hidden: int = 8, seed: int = 0, screenshot_dir: Path | None = None
) -> LstmApp:
    return LstmApp(random_session(text, hidden, seed), screenshot_dir=screenshot_dir)


def default_app() -> LstmApp:
    """What ``lstm-tui`` with no arguments opens: the counter preset on brackets."""
    return LstmApp(open_session())


def sample_app(name: str, preset: str | None = None) -> LstmApp:
    return LstmApp(open_session(name, preset=preset))


def activations_app(**activations: str) -> LstmApp:
    """The default preset with activations swapped, as ``--act slot=name`` does."""
    return LstmApp(open_session(activations=activations))


class SixteenColours(LineFilter):
    """What a 16-colour terminal (``TERM=xterm``) shows: each colour as its nearest ANSI colour.

    Textual sends the nearest of the 16 colours to such a terminal; this filter
    draws that choice in the screenshot, with the ANSI colours of a common
    terminal theme, so a snapshot shows what a student on one would see.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, _sixteen(style), control) if style is not None else segment
            for segment in segments
            for text, style, control in (segment,)
        ]


def _nearest_ansi(colour: RichColor | None) -> RichColor | None:
    if colour is None or colour.triplet is None:
        return colour
    standard = colour.downgrade(ColorSystem.STANDARD)
    return RichColor.from_triplet(standard.get_truecolor(DEFAULT_TERMINAL_THEME))


def _sixteen(style: Style) -> Style:
    return style + Style(color=_nearest_ansi(style.color), bgcolor=_nearest_ansi(style.bgcolor))


class SixteenColourApp(LstmApp):
    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), SixteenColours()]


def sixteen_colour_app(session: Session | None = None) -> LstmApp:
    """The app as a 16-colour terminal shows it (the default preset unless ``session``)."""
    return SixteenColourApp(session if session is not None else open_session())


def kiosk_app() -> LstmApp:
    """``lstm-tui --kiosk``: the default preset with file actions turned off."""
    return LstmApp(open_session(), kiosk=True)


def record_notes(app: LstmApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message ``app`` is asked to show, in order, even those replaced since."""
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        said.append(message)
        shown(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    return said
