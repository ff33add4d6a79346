"""Lessons: chapters that each land on the settings where one claim about the cell is visible.

A lesson is a TOML file a teacher can write::

    title = "Why sigmoid and tanh?"

    [[chapter]]
    title = "The cell state counts"
    claim = "( adds one to c, ) takes one away, the forget gate keeps it"
    caption = [
        "Look at unit 0's c in the cell panel and its sum in the unit panel.",
        "Try: → a few times, and watch c move only at a bracket.",
    ]
    sample = "brackets"        # or: sequence = "my-text.txt" (beside the lesson file)
    preset = "counter"         # or: weights = "my.npz"; neither: the sample's own preset
    step = 114
    unit = 0
    vector = "c"               # the timeline's vector
    activations = { candidate = "sigmoid" }
    clamps = { forget = 1.0 }

:func:`read_lesson` checks everything a file can get wrong without running the
cell (TOML syntax, names, types, caption lengths); :meth:`Lesson.check` opens
every chapter's session once, so a step past the end of its sequence or a
unit past its cell's size is found before the lesson starts. Each problem is
one :class:`InputError` naming the file, the chapter (number and title) and
the field.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lstm_tui.engine.activations import check_gate, check_slot, get_activation
from lstm_tui.engine.config import check_clamp_value
from lstm_tui.engine.presets import PRESETS
from lstm_tui.engine.weights_io import load_weights
from lstm_tui.errors import InputError
from lstm_tui.safe_text import safe_text
from lstm_tui.sequences.samples import find_sample
from lstm_tui.session import Session, open_session

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with tomli, a dependency there
    import tomli as tomllib

BUILTIN_LESSON = Path(__file__).with_name("why_sigmoid_and_tanh.toml")

TOKEN_MODES: tuple[str, ...] = ("char", "word")

MIN_CAPTION_LINES = 2
MAX_CAPTION_LINES = 4
# Every line of a lesson fits an 80-column terminal whole, beside the panel's margins.
MAX_LINE = 76
# A chapter title leaves room at 80 columns for the keys beside it on the caption.
MAX_TITLE = 34
MAX_CHAPTERS = 99
MAX_LESSON_BYTES = 1024 * 1024

LESSON_FIELDS = frozenset({"title", "chapter"})
CHAPTER_FIELDS = frozenset(
    {
        "title",
        "claim",
        "caption",
        "sample",
        "sequence",
        "tokens",
        "preset",
        "weights",
        "activations",
        "clamps",
        "step",
        "unit",
        "vector",
    }
)


@dataclass(frozen=True)
class Chapter:
    """One claim and the settings that show it; paths are already resolved."""

    number: int
    title: str
    claim: str
    caption: tuple[str, ...]
    sample: str | None = None
    sequence: Path | None = None
    tokens: str | None = None
    preset: str | None = None
    weights: Path | None = None
    activations: Mapping[str, str] = field(default_factory=dict)
    clamps: Mapping[str, float] = field(default_factory=dict)
    step: int = 0
    unit: int | None = None  # None: the preset's unit, as the app opens the sample
    vector: str | None = None  # None: the preset's timeline vector

    @property
    def name(self) -> str:
        """``chapter 3 (The cell state counts)``, as problems are reported."""
        return f"chapter {self.number} ({self.title})"

    def open(self) -> Session:
        """A session with this chapter's sequence, model, activations and clamps."""
        source = str(self.sequence) if self.sequence is not None else self.sample
        return open_session(
            source,
            tokens=self.tokens,
            preset=self.preset,
            weights=self.weights,
            activations=self.activations,
            clamps=self.clamps,
        )


@dataclass(frozen=True)
class Lesson:
    title: str
    path: Path
    chapters: tuple[Chapter, ...]

    def __len__(self) -> int:
        return len(self.chapters)

    def open_chapter(self, index: int) -> Session:
        """Chapter ``index`` (0-based) opened and checked; an :class:`InputError` naming
        the file, the chapter and the field otherwise."""
        chapter = self.chapters[index]
        where = _Where(self.path, chapter)
        if chapter.weights is not None:
            with where.field("weights"):
                load_weights(chapter.weights)
        with where.field("sequence" if chapter.sequence is not None else "sample"):
            session = chapter.open()
        length, hidden = len(session.sequence), session.params.hidden_size
        if not 0 <= chapter.step < length:
            raise where.error(
                "step", f"{chapter.step} is not a step of the sequence (0–{length - 1})"
            )
        if chapter.unit is not None and not 0 <= chapter.unit < hidden:
            raise where.error("unit", f"{chapter.unit} is not a unit of the cell (0–{hidden - 1})")
        return session

    def check(self) -> None:
        """Open every chapter once: a step or unit out of range is found before the lesson."""
        for index in range(len(self.chapters)):
            self.open_chapter(index)


class _Where:
    """Where in a lesson file a problem is: the file, maybe a chapter, and the field."""

    def __init__(
        self, path: Path, chapter: Chapter | None = None, number: int = 0, title: str = ""
    ) -> None:
        self.path = path
        if chapter is not None:
            number, title = chapter.number, chapter.title
        self.chapter = f"chapter {number} ({title})" if number else ""

    def error(self, name: str, message: str) -> InputError:
        where = f"{self.chapter}: " if self.chapter else ""
        return InputError(f"{where}field '{name}': {message}", path=self.path)

    def field(self, name: str) -> _Field:
        return _Field(self, name)


class _Field:
    """A context in which an :class:`InputError` gets the file, chapter and field prefixed."""

    def __init__(self, where: _Where, name: str) -> None:
        self.where, self.name = where, name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if isinstance(error, InputError):
            raise self.where.error(self.name, str(error)) from None


def read_lesson(path: str | Path, vectors: Collection[str]) -> Lesson:
    """The lesson in ``path``, every field checked; an :class:`InputError` saying what is wrong.

    ``vectors`` are the names a chapter's timeline ``vector`` may take (the
    app's timeline says which it can show).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(err.strerror or str(err), path=path) from None
    if len(data) > MAX_LESSON_BYTES:
        raise InputError(f"a lesson file is at most {MAX_LESSON_BYTES:,} bytes", path=path)
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (byte {err.start})", path=path) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not TOML: {err}", path=path) from None
    where = _Where(path)
    _no_unknown(where, document, LESSON_FIELDS, "a lesson has only")
    title = _text(where, document, "title", MAX_LINE)
    chapters = document.get("chapter")
    if chapters is None:
        raise where.error("chapter", "no chapters: add at least one [[chapter]] table")
    if not isinstance(chapters, list) or not all(isinstance(c, dict) for c in chapters):
        raise where.error("chapter", "must be [[chapter]] tables")
    if not chapters:
        raise where.error("chapter", "no chapters: add at least one [[chapter]] table")
    if len(chapters) > MAX_CHAPTERS:
        raise where.error("chapter", f"at most {MAX_CHAPTERS} chapters, got {len(chapters)}")
    return Lesson(
        title,
        path,
        tuple(
            _chapter(path, number, table, tuple(vectors))
            for number, table in enumerate(chapters, 1)
        ),
    )


def _chapter(
    path: Path, number: int, table: dict[str, object], vectors: tuple[str, ...]
) -> Chapter:
    raw_title = table.get("title")
    where = _Where(
        path, number=number, title=safe_text(raw_title) if isinstance(raw_title, str) else ""
    )
    title = _text(where, table, "title", MAX_TITLE)
    where = _Where(path, number=number, title=title)
    _no_unknown(where, table, CHAPTER_FIELDS, "a chapter has only")
    claim = _text(where, table, "claim", MAX_LINE)
    caption = _caption(where, table)
    base = path.parent
    sample = _optional_text(where, table, "sample")
    sequence = _optional_text(where, table, "sequence")
    if (sample is None) == (sequence is None):
        raise where.error(
            "sample", "give either sample (a shipped sample's name) or sequence (a file)"
        )
    if sample is not None:
        with where.field("sample"):
            find_sample(sample)
    preset = _optional_text(where, table, "preset")
    weights = _optional_text(where, table, "weights")
    if preset is not None and weights is not None:
        raise where.error("preset", "give preset or weights, not both")
    if preset is not None and preset not in PRESETS:
        raise where.error(
            "preset", f"unknown preset {preset!r}; choose one of: {', '.join(PRESETS)}"
        )
    tokens = _optional_text(where, table, "tokens")
    if tokens is not None and tokens not in TOKEN_MODES:
        raise where.error("tokens", f"must be one of: {', '.join(TOKEN_MODES)}, got {tokens!r}")
    vector = _optional_text(where, table, "vector")
    if vector is not None and vector not in vectors:
        raise where.error(
            "vector", f"unknown vector {vector!r}; choose one of: {' '.join(vectors)}"
        )
    step = _count(where, table, "step")
    unit = _count(where, table, "unit")
    return Chapter(
        number,
        title,
        claim,
        caption,
        sample=sample,
        sequence=None if sequence is None else base / sequence,
        tokens=tokens,
        preset=preset,
        weights=None if weights is None else base / weights,
        activations=_activations(where, table),
        clamps=_clamps(where, table),
        step=0 if step is None else step,
        unit=unit,
        vector=vector,
    )


def _no_unknown(
    where: _Where, table: Mapping[str, object], known: frozenset[str], what: str
) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise where.error(unknown[0], f"unknown field; {what}: {', '.join(sorted(known))}")


def _type_name(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _optional_text(where: _Where, table: Mapping[str, object], name: str) -> str | None:
    value = table.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(name, f"must be text, not {_type_name(value)}")
    if not value.strip():
        raise where.error(name, "is empty")
    return value


def _text(where: _Where, table: Mapping[str, object], name: str, longest: int) -> str:
    value = _optional_text(where, table, name)
    if value is None:
        raise where.error(name, "is missing")
    return _line(where, name, value, longest)


def _line(where: _Where, name: str, value: str, longest: int) -> str:
    if "\n" in value:
        raise where.error(name, "must be one line")
    if len(value) > longest:
        raise where.error(name, f"is {len(value)} characters long; at most {longest} fit")
    return value.strip()


def _caption(where: _Where, table: Mapping[str, object]) -> tuple[str, ...]:
    value = table.get("caption")
    if value is None:
        raise where.error(
            "caption", f"is missing: {MIN_CAPTION_LINES} to {MAX_CAPTION_LINES} lines"
        )
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise where.error("caption", f"must be a list of lines of text, not {_type_name(value)}")
    if not MIN_CAPTION_LINES <= len(value) <= MAX_CAPTION_LINES:
        raise where.error(
            "caption", f"has {len(value)} line(s); give {MIN_CAPTION_LINES} to {MAX_CAPTION_LINES}"
        )
    lines = tuple(_line(where, "caption", line, MAX_LINE) for line in value)
    if not all(lines):
        raise where.error("caption", "has an empty line")
    return lines


def _count(where: _Where, table: Mapping[str, object], name: str) -> int | None:
    value = table.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(name, f"must be a whole number, not {_type_name(value)}")
    if value < 0:
        raise where.error(name, f"must be 0 or more, got {value}")
    return value


def _table(where: _Where, table: Mapping[str, object], name: str) -> dict[str, object]:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise where.error(name, f"must be a table like {{ forget = ... }}, not {_type_name(value)}")
    return value


def _activations(where: _Where, table: Mapping[str, object]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    given = _table(where, table, "activations")
    with where.field("activations"):
        for slot, name in given.items():
            check_slot(slot)
            if not isinstance(name, str):
                raise InputError(f"{slot} must be an activation's name, not {_type_name(name)}")
            get_activation(name)
            chosen[slot] = name
    return chosen


def _clamps(where: _Where, table: Mapping[str, object]) -> dict[str, float]:
    chosen: dict[str, float] = {}
    given = _table(where, table, "clamps")
    with where.field("clamps"):
        for gate, value in given.items():
            check_gate(gate)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(f"{gate} must be a number in [0, 1], not {_type_name(value)}")
            chosen[gate] = check_clamp_value(gate, value)
    return chosen


def builtin_lesson(vectors: Collection[str]) -> Lesson:
    """The lesson shipped with lstm-tui."""
    return read_lesson(BUILTIN_LESSON, vectors)
