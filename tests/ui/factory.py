"""The one place tests build sessions and apps, so every test sees the same screen."""

from __future__ import annotations

from pathlib import Path

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.session import Session, open_session
from lstm_tui.ui.app import LstmApp

TEXT = "((a)(b c))\n\t(d)"


def random_session(text: str = TEXT, hidden: int = 8, seed: int = 0) -> Session:
    """A random cell on ``text``, built without any file."""
    sequence = from_tokens(list(text), name="brackets-text")
    params = LSTMParams.random(hidden, sequence.input_size, seed)
    config = CellConfig()
    return Session(
        sequence=sequence,
        params=params,
        config=config,
        vocab=sequence.vocab,
        model_label=f"random H={hidden} seed={seed}",
        preset=None,
    )


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
