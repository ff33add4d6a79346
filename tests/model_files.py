"""The golden whole model (embedding, 2-layer LSTM, head) and a text it reads, for tests."""

from __future__ import annotations

from pathlib import Path

MODELS = Path(__file__).resolve().parent / "golden" / "data" / "models"
MODEL = MODELS / "embedding_lstm2_head.model.npz"
TEXT = "the cell state is a counter; the forget gate resets it."


def write_text(folder: Path) -> Path:
    """:data:`TEXT` as a ``.txt`` file in ``folder``."""
    path = folder / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path
