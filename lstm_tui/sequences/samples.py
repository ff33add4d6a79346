"""The sample sequences shipped with lstm-tui, found by name.

The samples live in ``sample_sequences/`` with an ``index.json`` describing
each one. An installed wheel carries them inside the package
(``lstm_tui/sample_sequences/``); a source or editable checkout keeps them at
the repository root, next to the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import split_tokens

INDEX_NAME = "index.json"

TOKEN_MODES: tuple[str | None, ...] = ("char", "word", None)
"""How a sample is read: characters, words, or numeric vectors (``None``)."""

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Installed wheel first, then the checkout's root: a wheel's copy is the one
# that matches the installed code.
_CANDIDATES = (
    _PACKAGE_DIR / "sample_sequences",
    _PACKAGE_DIR.parent / "sample_sequences",
)


@dataclass(frozen=True)
class Sample:
    """One shipped sample sequence and what it is for.

    ``tokens`` is ``"char"``, ``"word"`` or ``None`` (numeric); ``preset`` the
    preset it opens with. ``steps`` counts its tokens (as the reader splits
    them) or data rows; ``size_bytes`` is the file's size.
    """

    name: str
    path: Path
    tokens: str | None
    preset: str | None
    watch: str
    description: str
    steps: int
    size_bytes: int

    @property
    def size_text(self) -> str:
        """The size for a table: ``"673 chars"``, ``"80 words"`` or ``"250 rows"``."""
        unit = {"char": "chars", "word": "words", None: "rows"}[self.tokens]
        return f"{self.steps:,} {unit}"


def samples_dir() -> Path:
    """The directory holding the samples and their ``index.json``."""
    for candidate in _CANDIDATES:
        if (candidate / INDEX_NAME).is_file():
            return candidate
    looked = " and ".join(str(c) for c in _CANDIDATES)
    raise InputError(f"the sample sequences are missing (looked in {looked})")


def list_samples() -> list[Sample]:
    """Every shipped sample, in the order of ``index.json``."""
    directory = samples_dir()
    index = directory / INDEX_NAME
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))["samples"]
        return [_sample(directory, entry) for entry in entries]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"broken sample index: {err}", path=index) from None


def find_sample(name: str) -> Sample:
    """The sample called ``name``; an :class:`InputError` listing the valid names otherwise."""
    samples = list_samples()
    for sample in samples:
        if sample.name == name:
            return sample
    names = ", ".join(s.name for s in samples)
    raise InputError(f"unknown sample {name!r}; choose one of: {names}")


def _sample(directory: Path, entry: dict[str, object]) -> Sample:
    path = directory / str(entry["file"])
    tokens = entry["tokens"]
    if tokens not in TOKEN_MODES:
        raise ValueError(f"sample {entry['name']!r} has tokens mode {tokens!r}")
    preset = entry.get("preset")
    data = path.read_bytes()
    return Sample(
        name=str(entry["name"]),
        path=path,
        tokens=tokens,
        preset=None if preset is None else str(preset),
        watch=str(entry["watch"]),
        description=str(entry["description"]),
        steps=_count_steps(data.decode("utf-8"), tokens),
        size_bytes=len(data),
    )


def _count_steps(text: str, tokens: str | None) -> int:
    if tokens is not None:
        return len(split_tokens(text, tokens))
    # Numeric: one vector per non-blank row, less a header row if the first
    # row is not all numbers.
    rows = [line for line in text.splitlines() if line.strip()]
    if rows and not _is_numeric_row(rows[0]):
        rows = rows[1:]
    return len(rows)


def _is_numeric_row(line: str) -> bool:
    try:
        [float(cell) for cell in line.replace("\t", ",").split(",")]
    except ValueError:
        return False
    return True
