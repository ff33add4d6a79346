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
    vs = { activations = { cell = "identity" } }   # a cell B beside it: the compare view

A chapter's ``vs`` table is cell B, as the command line's ``--vs-...``
options give it: ``cell`` (``lstm``, ``rnn`` or ``gru``), ``activations``,
``clamps`` (a number in [0, 1], or ``"free"`` for a gate the chapter clamps)
and ``weights`` (a file beside the lesson). Such a chapter opens the compare
view, A and B stepping together.

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
from lstm_tui.engine.cell_weights_io import load_cell_weights
from lstm_tui.engine.config import check_clamp_value
from lstm_tui.engine.hidden_params import check_kind
from lstm_tui.engine.presets import PRESETS
from lstm_tui.engine.variant import FREE, Variant, check_same_vocab
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
        "vs",
    }
)
VS_FIELDS = frozenset({"cell", "activations", "clamps", "weights"})


@dataclass(frozen=True)
class CellB:
    """A chapter's ``vs`` table: cell B as the command line's ``--vs-...`` give it."""

    kind: str | None = None  # None: an LSTM, or whichever kind the weights file holds
    activations: Mapping[str, str] = field(default_factory=dict)
    clamps: Mapping[str, float | None] = field(default_factory=dict)  # None: the gate freed
    weights: Path | None = None


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
    vs: CellB | None = None

    @property
    def name(self) -> str:
        """``chapter 3 (The cell state counts)``, as problems are reported."""
        return f"chapter {self.number} ({self.title})"

    def open(self) -> Session:
        """A session with this chapter's sequence, model, activations and clamps, and
        its cell B when it has one."""
        session = self.open_a()
        variant = self.variant(session)
        if variant is not None:
            session.set_variant(variant)
        return session

    def open_a(self) -> Session:
        """A session with this chapter's sequence, model, activations and clamps (cell A)."""
        source = str(self.sequence) if self.sequence is not None else self.sample
        return open_session(
            source,
            tokens=self.tokens,
            preset=self.preset,
            weights=self.weights,
            activations=self.activations,
            clamps=self.clamps,
        )

    def variant(self, session: Session) -> Variant | None:
        """Cell B with its weights loaded, checked against ``session``'s cell A."""
        vs = self.vs
        if vs is None:
            return None
        params, label = None, None
        if vs.weights is not None:
            params, vocab = load_cell_weights(vs.weights, vs.kind)
            check_same_vocab(vocab, session.input_vocab, vs.weights)
            label = vs.weights.name
        variant = Variant.build(vs.kind, vs.activations, vs.clamps, params, label)
        variant.trajectory(session.params, session.config, session.sequence.inputs)
        return variant


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
            session = chapter.open_a()
        with where.field("vs.weights" if chapter.vs and chapter.vs.weights else "vs"):
            variant = chapter.variant(session)
        if variant is not None:
            session.set_variant(variant)
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
        self,
        path: Path,
        chapter: Chapter | None = None,
        number: int = 0,
        title: str = "",
        prefix: str = "",
    ) -> None:
        self.path = path
        if chapter is not None:
            number, title = chapter.number, chapter.title
        self.number, self.title = number, title
        # A table inside the chapter's: its fields are named ``vs.cell``.
        self.prefix = prefix
        self.chapter = f"chapter {number} ({title})" if number else ""

    def inside(self, table: str) -> _Where:
        """The same place, for the fields of the chapter's table ``table``."""
        return _Where(self.path, number=self.number, title=self.title, prefix=f"{table}.")

    def error(self, name: str, message: str) -> InputError:
        where = f"{self.chapter}: " if self.chapter else ""
        return InputError(f"{where}field '{self.prefix}{name}': {message}", path=self.path)

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
    vs = _vs(where, table, base)
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
        vs=vs,
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


def _vs(where: _Where, table: Mapping[str, object], base: Path) -> CellB | None:
    """The chapter's cell B, checked as far as it can be without its weights file."""
    if "vs" not in table:
        return None
    given = _table(where, table, "vs")
    if not given:
        raise where.error("vs", "is empty: give cell, activations, clamps or weights")
    where = where.inside("vs")
    _no_unknown(where, given, VS_FIELDS, "vs has only")
    kind = _optional_text(where, given, "cell")
    if kind is not None:
        with where.field("cell"):
            check_kind(kind)
    weights = _optional_text(where, given, "weights")
    activations = _activations(where, given)
    clamps: dict[str, float | None] = {}
    with where.field("clamps"):
        for gate, value in _table(where, given, "clamps").items():
            check_gate(gate)
            if isinstance(value, str) and value.strip().lower() == FREE:
                clamps[gate] = None
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(
                    f"{gate} must be a number in [0, 1] or {FREE!r}, not {_type_name(value)}"
                )
            else:
                clamps[gate] = check_clamp_value(gate, value)
    # Activations or clamps for an RNN or a GRU, which have none.
    with where.field("activations" if activations else "clamps"):
        Variant.build(kind, activations, clamps)
    return CellB(kind, activations, clamps, None if weights is None else base / weights)


def builtin_lesson(vectors: Collection[str]) -> Lesson:
    """The lesson shipped with lstm-tui."""
    return read_lesson(BUILTIN_LESSON, vectors)
