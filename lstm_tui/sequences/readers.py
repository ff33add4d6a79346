"""Reading sequence files: text, CSV/TSV and JSON, into a :class:`Sequence`.

The file's suffix picks the reader (``.csv``, ``.tsv``, ``.json``; anything
else is text). Every problem with a file is one :class:`InputError` whose
message starts with the file's path.

Text (``.txt`` and any other suffix) is UTF-8 (a leading byte-order mark is
dropped). Its tokens are, by ``tokens``:

- ``"char"``: every character, whitespace and newlines included, so the
  tokens joined give back the text exactly.
- ``"word"``: a word is a run of letters, digits and underscores, which may
  hold an apostrophe between two of them (``don't``, ``l'eau``); every other
  character that is not whitespace (punctuation, symbols) is a token of its
  own; whitespace only separates and is dropped. Case is kept.

CSV/TSV: one numeric vector per row, all rows the same length (the input
size); a first row with no number in it is a header and skipped; blank lines
are skipped. Cells are separated by ``,``, ``;`` or a tab: whichever splits
the first non-blank line into the most cells (a tie goes to ``,`` for
``.csv``, tab for ``.tsv``). Decimals are written with a point; a decimal
comma (``1,5;2,5``) is refused, saying so.

JSON: an object with ``"tokens"`` (a list of strings, used as given),
``"ids"`` (a list of token ids, each an index into the vocabulary) or
``"vectors"`` (a list of equal-length lists of numbers), optional
``"vocab"`` (a list of strings) and ``"description"`` (a string). Ids need
a vocabulary: the weights file's, else the JSON's ``"vocab"``.

The vocabulary of a token sequence is the ``vocab`` argument (the weights
file's) when given, else the JSON file's ``"vocab"``, else the sorted
distinct tokens. Numeric sequences have none, and ignore ``tokens`` and
``vocab``.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import math
import re
from collections.abc import Sequence as SequenceOf
from pathlib import Path

from lstm_tui.errors import InputError
from lstm_tui.files import StrPath, read_limited
from lstm_tui.sequences.sequence import MAX_STEPS, Sequence, from_tokens, from_vectors

TOKEN_MODES: tuple[str, ...] = ("char", "word")

# \w and \s follow str.isalnum/str.isspace, so every non-whitespace character
# lands in exactly one token.
_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")

# A line with a character that is not whitespace in it.
_FIRST_LINE = re.compile(r"^.*\S.*$", re.MULTILINE)

# The delimiters a table may use, and how a message names each.
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}

# The longest piece of a bad cell or value quoted back in a message.
_QUOTE_LIMIT = 40


def load_sequence(
    path: StrPath,
    tokens: str = "char",
    vocab: SequenceOf[str] | None = None,
) -> Sequence:
    """Read the sequence file at ``path``; ``inputs`` of the result is (T, I) float64.

    ``tokens`` is ``"char"`` or ``"word"`` (for text files); ``vocab``, when
    given, is the vocabulary to one-hot encode over (it must hold every token).
    The sequence's ``name`` is the file name without its suffix.
    Raises :class:`InputError` naming the file and the problem.
    """
    _check_mode(tokens)
    data = read_limited(path)
    name = Path(path).stem
    suffix = Path(path).suffix.lower()
    try:
        text = _decode(data)
        if suffix in (".csv", ".tsv"):
            rows = _parse_table(text, _pick_delimiter(text, "\t" if suffix == ".tsv" else ","))
            return from_vectors(rows, name=name)
        if suffix == ".json":
            return _from_json(text, vocab, name)
        return from_tokens(split_tokens(text, tokens), vocab, name=name)
    except InputError as err:
        if err.path is not None:
            raise
        # Errors from the encoders know nothing of the file; name it here.
        raise InputError(str(err), path=path) from None


def split_tokens(text: str, tokens: str = "char") -> list[str]:
    """``text`` cut into tokens by ``tokens`` mode (see the module docstring for the rule)."""
    if tokens == "char":
        if len(text) > MAX_STEPS:
            # Checked before building a list of up to 20 million one-character strings.
            raise InputError(f"the sequence has {len(text):,} steps; the limit is {MAX_STEPS:,}")
        return list(text)
    _check_mode(tokens)
    # One match past the limit is enough to refuse: a 20 MB file can hold
    # millions of words, and listing them all first costs seconds and
    # hundreds of MB before the answer is no.
    words = [match.group() for match in itertools.islice(_WORD.finditer(text), MAX_STEPS + 1)]
    if len(words) > MAX_STEPS:
        raise InputError(
            f"the sequence has more than {MAX_STEPS:,} steps; the limit is {MAX_STEPS:,}"
        )
    return words


def _check_mode(tokens: str) -> None:
    if tokens not in TOKEN_MODES:
        raise InputError(f"unknown token mode {tokens!r}; choose one of: {', '.join(TOKEN_MODES)}")


def _decode(data: bytes) -> str:
    # Offsets in messages count bytes of the file, byte-order mark included.
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {bom + err.start}); "
            "is it a binary file?"
        ) from None
    if "\x00" in text:
        # Valid UTF-8 can still hold NUL bytes, which text never does.
        raise InputError(f"not text: NUL byte at offset {data.index(0)}; is it a binary file?")
    if not text:
        raise InputError("the file is empty (it holds only a byte-order mark)")
    return text


def _quote(value: str) -> str:
    shown = value if len(value) <= _QUOTE_LIMIT else value[:_QUOTE_LIMIT] + "…"
    return repr(shown)


def _parse_number(cell: str) -> float | None:
    """The number in ``cell``, or ``None`` when it is not one (NaN and inf are numbers here)."""
    try:
        return float(cell)
    except ValueError:
        return None


def _pick_delimiter(text: str, default: str = ",") -> str:
    """The delimiter of a table: the one of ``,`` ``;`` and tab that splits the
    first non-blank line into the most cells (quotes respected); a tie goes
    to ``default`` (``,`` for ``.csv``, tab for ``.tsv``), then in that order.

    The first line decides because it is the header or the first row and
    holds a delimiter between every pair of cells. Without this, a
    ``;``-separated file read by commas has one non-numeric cell per row, and
    its first line passed for a header.
    """
    # The first line with something in it, found without splitting the whole text.
    found = _FIRST_LINE.search(text)
    first = found.group().rstrip("\r") if found else ""
    order = [default, *(d for d in _DELIMITERS if d != default)]

    def split(delimiter: str) -> list[str]:
        try:
            return next(csv.reader([first], delimiter=delimiter, skipinitialspace=True), [])
        except csv.Error:
            return []  # the reading proper reports it

    by_semicolon = split(";")
    if len(by_semicolon) > 1 and all(_is_decimal_comma(cell) for cell in by_semicolon):
        # 1,5;2,5: values separated by ';' because ',' is their decimal mark.
        # Counting would pick ',' and quote '5;2' back; reading by ';' points
        # at the decimal comma itself.
        return ";"
    # max() keeps the first of equals, so ties go by ``order``.
    return max(order, key=lambda delimiter: len(split(delimiter)))


def _is_decimal_comma(cell: str) -> bool:
    """Whether ``cell`` is a number written with a decimal comma (``-1,5``)."""
    return "," in cell and _parse_number(cell.replace(",", ".")) is not None


def _parse_table(text: str, delimiter: str) -> list[list[float]]:
    """(T, I) rows of finite numbers from CSV/TSV text, header row and blank lines skipped."""
    kind = _DELIMITERS[delimiter]
    # skipinitialspace: so `1, "2.5"` reads the quoted cell as 2.5, not '"2.5"'.
    reader = csv.reader(text.splitlines(), delimiter=delimiter, skipinitialspace=True)
    rows: list[list[float]] = []
    width: int | None = None
    width_line = 0
    header_checked = False
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if not header_checked:
                header_checked = True
                # A header has no number in it; 1,5 is a number in the wrong spelling.
                if not any(_parse_number(c) is not None or _is_decimal_comma(c) for c in cells):
                    width, width_line = len(cells), line
                    continue
            if width is None:
                width, width_line = len(cells), line
            elif len(cells) != width:
                raise InputError(
                    f"line {line} has {len(cells)} {kind}-separated value(s) but line "
                    f"{width_line} has {width}; every row must have the same number of columns"
                )
            if len(rows) == MAX_STEPS:
                raise InputError(
                    f"the sequence has more than {MAX_STEPS:,} steps; the limit is {MAX_STEPS:,}"
                )
            rows.append([_cell_value(cell, line, col) for col, cell in enumerate(cells, 1)])
    except csv.Error as err:
        raise InputError(
            f"line {reader.line_num}: malformed {kind}-separated text ({err})"
        ) from None
    if not rows:
        found = "only a header row" if header_checked else "only blank lines"
        raise InputError(f"no rows of numbers, {found}")
    return rows


def _cell_value(cell: str, line: int, column: int) -> float:
    value = _parse_number(cell)
    where = f"line {line}, column {column}"
    if value is None:
        if not cell.strip():
            raise InputError(f"{where} is empty; every cell must be a number")
        hint = "; write decimals with a point (1.5, not 1,5)" if _is_decimal_comma(cell) else ""
        raise InputError(f"{where}: {_quote(cell.strip())} is not a number{hint}")
    if not math.isfinite(value):
        raise InputError(
            f"{where}: {_quote(cell.strip())} is not a finite number; NaN and inf are refused"
        )
    return value


def _from_json(text: str, vocab: SequenceOf[str] | None, name: str) -> Sequence:
    try:
        doc = json.loads(text, parse_constant=_refuse_constant, parse_int=_json_int)
    except json.JSONDecodeError as err:
        raise InputError(
            f"not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise InputError(
            f'the JSON must be an object with "tokens" or "vectors", got {_json_type(doc)}'
        )
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise InputError(f'"description" must be a string, got {_json_type(description)}')
    given = [key for key in ("tokens", "ids", "vectors") if key in doc]
    if len(given) != 1:
        which = " and ".join(f'"{key}"' for key in given) if given else "none of them"
        raise InputError(
            f'the JSON object has {which}; give exactly one of "tokens", "ids" and "vectors"'
        )
    if given == ["vectors"]:
        return from_vectors(_json_vectors(doc["vectors"]), name=name, description=description)
    if vocab is None and "vocab" in doc:
        vocab = _json_strings(doc["vocab"], "vocab")
    if given == ["ids"]:
        tokens = _json_ids(doc["ids"], vocab)
    else:
        tokens = _json_strings(doc["tokens"], "tokens")
    return from_tokens(tokens, vocab, name=name, description=description)


def _json_ids(value: object, vocab: SequenceOf[str] | None) -> list[str]:
    """The tokens ``"ids"`` name: ``vocab[id]`` for each, checked to be in range."""
    if vocab is None:
        raise InputError(
            '"ids" need a vocabulary: give "vocab" in the file, or weights that have one'
        )
    if not isinstance(value, list):
        raise InputError(f'"ids" must be a list of whole numbers, got {_json_type(value)}')
    if len(value) > MAX_STEPS:
        raise InputError(f"the sequence has {len(value):,} steps; the limit is {MAX_STEPS:,}")
    tokens = []
    for k, item in enumerate(value):
        # Integers arrive as floats (see _json_int); 3.0 is 3, 3.5 is no id.
        number = isinstance(item, (int, float)) and not isinstance(item, bool)
        if not number or not math.isfinite(item) or item != int(item):
            raise InputError(f'"ids"[{k}] must be a whole number, got {_json_type(item)} {item!r}')
        if not 0 <= item < len(vocab):
            raise InputError(
                f'"ids"[{k}] is {int(item)}, outside the vocabulary (0 to {len(vocab) - 1})'
            )
        tokens.append(vocab[int(item)])
    return tokens


def _json_int(digits: str) -> float:
    """A JSON integer as the float every input value becomes.

    ``int()`` refuses more than 4,300 digits with a bare ValueError; ``float()``
    has no such limit and turns a number too big for float64 into inf, which
    the checks then refuse as not finite, naming where it is.
    """
    return float(digits)


def _refuse_constant(constant: str) -> float:
    raise InputError(f"{constant} is not a finite number; NaN and infinities are refused")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _json_strings(value: object, key: str) -> list[str]:
    if not isinstance(value, list):
        raise InputError(f'"{key}" must be a list of strings, got {_json_type(value)}')
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise InputError(f'"{key}"[{k}] must be a string, got {_json_type(item)}')
    return value


def _json_vectors(value: object) -> list[list[float]]:
    """(T, I) finite floats from a JSON ``"vectors"`` value, with a message naming any bad entry."""
    if not isinstance(value, list):
        raise InputError(f'"vectors" must be a list of lists of numbers, got {_json_type(value)}')
    if len(value) > MAX_STEPS:
        raise InputError(f"the sequence has {len(value):,} steps; the limit is {MAX_STEPS:,}")
    rows: list[list[float]] = []
    width: int | None = None
    for t, row in enumerate(value):
        if not isinstance(row, list):
            raise InputError(f'"vectors"[{t}] must be a list of numbers, got {_json_type(row)}')
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InputError(
                f'"vectors"[{t}] has {len(row)} number(s) but "vectors"[0] has {width}; '
                "every row must have the same length"
            )
        rows.append([_json_number(item, f'"vectors"[{t}][{k}]') for k, item in enumerate(row)])
    return rows


def _json_number(item: object, where: str) -> float:
    # bool is an int in Python, but true/false is no input value.
    if isinstance(item, bool) or not isinstance(item, (int, float)):
        raise InputError(f"{where} must be a number, got {_json_type(item)}")
    value = float(item)
    if not math.isfinite(value):
        raise InputError(f"{where} is not a finite number (too large for float64: beyond ±1.8e308)")
    return value
