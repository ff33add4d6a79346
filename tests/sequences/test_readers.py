"""Reading sequence files: text (char and word tokens), CSV/TSV and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import load_sequence, split_tokens
from lstm_tui.sequences.sequence import (
    MAX_INPUT_VALUES,
    MAX_STEPS,
    check_input_values,
    from_tokens,
)
from tests.checks import assert_one_line

DATA = Path(__file__).parent / "data"

# A function-scoped tmp_path is fine here: every example overwrites the same file.
tmp_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- text -----------------------------------------------------------------------


def test_text_as_characters() -> None:
    seq = load_sequence(DATA / "hamlet.txt")
    assert seq.name == "hamlet"
    assert "".join(seq.tokens) == "to be, or not to be\n"
    assert seq.vocab == ("\n", " ", ",", "b", "e", "n", "o", "r", "t")
    assert seq.inputs.shape == (20, 9)
    assert seq.inputs.dtype == np.float64
    assert np.array_equal(seq.inputs.argmax(axis=1), [seq.vocab.index(t) for t in seq.tokens])
    assert np.all(seq.inputs.sum(axis=1) == 1.0)
    assert seq.description == ""


def test_text_as_words() -> None:
    seq = load_sequence(DATA / "hamlet.txt", tokens="word")
    assert seq.tokens == ("to", "be", ",", "or", "not", "to", "be")
    assert seq.vocab == (",", "be", "not", "or", "to")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hello, world!", ["Hello", ",", "world", "!"]),
        ("Don't stop.", ["Don't", "stop", "."]),
        ("l’eau 'quoted'", ["l’eau", "'", "quoted", "'"]),
        ("naïve café—ok", ["naïve", "café", "—", "ok"]),
        ("a+b=c_d 42\t3.5", ["a", "+", "b", "=", "c_d", "42", "3", ".", "5"]),
        ("well-known\n\n  Case", ["well", "-", "known", "Case"]),
    ],
)
def test_word_rule(text: str, words: list[str]) -> None:
    assert split_tokens(text, "word") == words


def test_other_suffixes_are_text(tmp_path: Path) -> None:
    assert load_sequence(write(tmp_path, "notes.md", "# hi")).tokens == ("#", " ", "h", "i")
    assert load_sequence(write(tmp_path, "README", "ab")).tokens == ("a", "b")


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", "\ufeffab")
    assert load_sequence(path).tokens == ("a", "b")


def test_exactly_the_step_limit_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "ab" * (MAX_STEPS // 2))
    assert len(load_sequence(path)) == MAX_STEPS


@tmp_settings
@given(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1))
def test_any_text_round_trips_as_characters(tmp_path: Path, text: str) -> None:
    if text.startswith("\ufeff"):
        text = "x" + text
    seq = load_sequence(write(tmp_path, "any.txt", text))
    assert "".join(seq.tokens) == text
    assert seq.vocab == tuple(sorted(set(text)))


@given(st.text(st.characters(codec="utf-8")))
def test_words_cover_every_non_space_character(text: str) -> None:
    words = split_tokens(text, "word")
    assert "".join(words) == "".join(text.split())
    assert all(word and not any(ch.isspace() for ch in word) for word in words)


# --- vocabulary -----------------------------------------------------------------


def test_vocab_argument_orders_the_columns() -> None:
    seq = load_sequence(
        DATA / "hamlet.txt", tokens="word", vocab=["to", "be", "or", "not", ",", "?"]
    )
    assert seq.vocab == ("to", "be", "or", "not", ",", "?")
    assert seq.input_size == 6
    assert seq.inputs[0].tolist() == [1, 0, 0, 0, 0, 0]
    assert seq.inputs[2].tolist() == [0, 0, 0, 0, 1, 0]


def test_vocab_lacking_a_token_names_it() -> None:
    path = DATA / "hamlet.txt"
    with pytest.raises(InputError) as err:
        load_sequence(path, tokens="word", vocab=["to", "be", "or", ","])
    assert_one_line(err, path, "vocabulary", "'not'")


def test_vocab_lacking_a_newline_names_it_on_one_line() -> None:
    path = DATA / "hamlet.txt"
    with pytest.raises(InputError) as err:
        load_sequence(path, vocab=list(" ,benort"))
    assert_one_line(err, path, "vocabulary", "'\\n'")


def test_json_vocab_is_used() -> None:
    seq = load_sequence(DATA / "tokens.json")
    assert seq.vocab == ("(", ")", "x")
    assert seq.tokens == ("(", "(", ")", ")")
    assert seq.description == "a balanced run of brackets"
    assert seq.inputs.tolist() == [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]


def test_vocab_argument_wins_over_the_json_vocab() -> None:
    seq = load_sequence(DATA / "tokens.json", vocab=[")", "("])
    assert seq.vocab == (")", "(")
    assert seq.inputs.tolist() == [[0, 1], [0, 1], [1, 0], [1, 0]]


def test_json_vocab_lacking_a_token(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps({"tokens": ["a", "b"], "vocab": ["a"]}))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "vocabulary", "'b'")


def test_unknown_token_mode_lists_the_modes() -> None:
    with pytest.raises(InputError) as err:
        load_sequence(DATA / "hamlet.txt", tokens="line")
    assert str(err.value) == "unknown token mode 'line'; choose one of: char, word"


# --- CSV / TSV ------------------------------------------------------------------


def test_csv_with_header_and_blank_line() -> None:
    seq = load_sequence(DATA / "vectors.csv")
    assert seq.name == "vectors"
    assert seq.tokens is None and seq.vocab is None
    assert seq.input_size == 3
    assert seq.inputs.tolist() == [[0.5, -1, 0.002], [1, 0, 0], [-0.25, 3.5, 100]]


def test_tsv_without_header() -> None:
    seq = load_sequence(DATA / "vectors.tsv")
    assert seq.inputs.tolist() == [[0.5, -1], [1, 0]]


def test_csv_spaces_quotes_crlf_and_upper_case_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "V.CSV", ' 1 , "2.5"\r\n-3,4\r\n')
    assert load_sequence(path).inputs.tolist() == [[1, 2.5], [-3, 4]]


def test_csv_ignores_the_token_mode_and_vocab() -> None:
    seq = load_sequence(DATA / "vectors.tsv", tokens="word", vocab=["a"])
    assert seq.inputs.tolist() == [[0.5, -1], [1, 0]]


def test_one_column_csv(tmp_path: Path) -> None:
    assert load_sequence(write(tmp_path, "v.csv", "x\n1\n2\n")).inputs.tolist() == [[1], [2]]


@pytest.mark.parametrize(
    ("name", "content", "rows"),
    [
        ("semi.csv", "1;2\n3;4\n", [[1, 2], [3, 4]]),
        ("semi_header.csv", "time;value\n0;0.5\n1;-1\n", [[0, 0.5], [1, -1]]),
        ("tab.csv", "1\t2\n3\t4\n", [[1, 2], [3, 4]]),
        ("comma.tsv", "a,b\n1,2\n", [[1, 2]]),
        ("quoted.csv", '"a;b",c\n1,2\n', [[1, 2]]),  # a ; inside quotes separates nothing
        ("tab_after_comma.csv", "1,\t2\n3,\t4\n", [[1, 2], [3, 4]]),  # a tie: the comma
        ("one_column.csv", "0.5\n1\n", [[0.5], [1]]),
    ],
)
def test_the_delimiter_is_found_from_the_first_line(
    tmp_path: Path, name: str, content: str, rows: list[list[float]]
) -> None:
    assert load_sequence(write(tmp_path, name, content)).inputs.tolist() == rows


def test_a_numeric_first_row_is_never_a_header(tmp_path: Path) -> None:
    # Read by commas, each of these rows is one cell that is not a number,
    # and the first one passed for a header.
    path = write(tmp_path, "semi.csv", "1;2;3\n4;5;6\n")
    assert load_sequence(path).inputs.tolist() == [[1, 2, 3], [4, 5, 6]]


finite = st.floats(allow_nan=False, allow_infinity=False)


@tmp_settings
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.lists(st.lists(finite, min_size=n, max_size=n), min_size=1, max_size=20)
    ),
    st.sampled_from([(".csv", ","), (".csv", ";"), (".csv", "\t"), (".tsv", "\t"), (".tsv", ",")]),
    st.booleans(),
)
def test_any_finite_table_round_trips(
    tmp_path: Path, table: list[list[float]], kind: tuple[str, str], header: bool
) -> None:
    suffix, sep = kind
    lines = [sep.join(f"col{k}" for k in range(len(table[0])))] if header else []
    lines += [sep.join(repr(v) for v in row) for row in table]
    seq = load_sequence(write(tmp_path, "t" + suffix, "\n".join(lines) + "\n"))
    assert seq.inputs.tolist() == table


# --- JSON -----------------------------------------------------------------------


def test_json_vectors() -> None:
    seq = load_sequence(DATA / "vectors.json")
    assert seq.inputs.tolist() == [[1, 0.5], [-2, 0]]
    assert seq.tokens is None
    assert seq.description == "two steps"


def test_json_tokens_are_used_as_given(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps({"tokens": ["the cat", " ", "sat"]}))
    seq = load_sequence(path, tokens="word")
    assert seq.tokens == ("the cat", " ", "sat")
    assert seq.vocab == (" ", "sat", "the cat")


@tmp_settings
@given(st.lists(st.lists(finite, min_size=2, max_size=2), min_size=1, max_size=20))
def test_any_finite_json_vectors_round_trip(tmp_path: Path, table: list[list[float]]) -> None:
    seq = load_sequence(write(tmp_path, "v.json", json.dumps({"vectors": table})))
    assert seq.inputs.tolist() == table


# --- bad input ------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_sequence(tmp_path)
    assert_one_line(err, tmp_path, "is a directory")


@pytest.mark.parametrize("name", ["e.txt", "e.csv", "e.json"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: the file is empty"


def test_only_a_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", "\ufeff")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "empty")


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: not UTF-8 text (byte 0x89 at offset 0); is it a binary file?"


def test_latin1_text_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "old.csv", "caf\xe9,1\n".encode("latin-1"))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "not UTF-8", "0xe9", "offset 3")


def test_offset_counts_the_byte_order_mark(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbfab\xff")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "byte 0xff at offset 5")


def test_split_tokens_refuses_an_unknown_mode() -> None:
    with pytest.raises(InputError, match="choose one of: char, word"):
        split_tokens("ab", "chars")


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "data.txt", "é\x00def")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "NUL byte at offset 2", "binary")


def test_file_over_20_mb(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: file is 25 MB; the limit is 20 MB"


def test_text_longer_than_the_step_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "a" * (MAX_STEPS + 1))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: the sequence has 100,001 steps; the limit is 100,000"


def test_words_longer_than_the_step_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "a " * (MAX_STEPS + 1))
    with pytest.raises(InputError) as err:
        load_sequence(path, tokens="word")
    # Counting stops one word past the limit, so the message cannot give the total.
    assert str(err.value) == (
        f"{path}: the sequence has more than 100,000 steps; the limit is 100,000"
    )


def test_csv_longer_than_the_step_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", "1\n" * (MAX_STEPS + 1))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == (
        f"{path}: the sequence has more than 100,000 steps; the limit is 100,000"
    )


@pytest.mark.parametrize("key", ["tokens", "vectors"])
def test_json_longer_than_the_step_limit(tmp_path: Path, key: str) -> None:
    item = "a" if key == "tokens" else [0]
    path = write(tmp_path, "long.json", json.dumps({key: [item] * (MAX_STEPS + 1)}))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "steps", "limit is 100,000")


def test_only_whitespace_in_word_mode(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.txt", " \n\t\n")
    with pytest.raises(InputError) as err:
        load_sequence(path, tokens="word")
    assert str(err.value) == f"{path}: the sequence is empty"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "ragged.csv",
            "1,2,3\n4,5\n",
            "line 2 has 2 comma-separated value(s) but line 1 has 3; "
            "every row must have the same number of columns",
        ),
        (
            "ragged_header.csv",
            "a,b\n1,2,3\n",
            "line 2 has 3 comma-separated value(s) but line 1 has 2; "
            "every row must have the same number of columns",
        ),
        (
            "ragged.tsv",
            "1\t2\n\n3\t4\t5\n",
            "line 3 has 3 tab-separated value(s) but line 1 has 2; "
            "every row must have the same number of columns",
        ),
        ("word.csv", "1,2\n3,abc\n", "line 2, column 2: 'abc' is not a number"),
        ("partial_header.csv", "t,1\n2,3\n", "line 1, column 1: 't' is not a number"),
        ("hole.csv", "1,2\n3,\n", "line 2, column 2 is empty; every cell must be a number"),
        (
            "nan.csv",
            "x,y\n1,NaN\n",
            "line 2, column 2: 'NaN' is not a finite number; NaN and inf are refused",
        ),
        (
            "inf.tsv",
            "1\t2\n-inf\t3\n",
            "line 2, column 1: '-inf' is not a finite number; NaN and inf are refused",
        ),
        (
            "overflow.csv",
            "1e999\n",
            "line 1, column 1: '1e999' is not a finite number; NaN and inf are refused",
        ),
        (
            "ragged_semi.csv",
            "1;2\n3\n",
            "line 2 has 1 semicolon-separated value(s) but line 1 has 2; "
            "every row must have the same number of columns",
        ),
        ("semi_word.csv", "1;2\n3;x\n", "line 2, column 2: 'x' is not a number"),
        (
            "decimal_comma.csv",
            "1,5;2,5\n3,5;4\n",
            "line 1, column 1: '1,5' is not a number; write decimals with a point (1.5, not 1,5)",
        ),
        ("header_only.csv", "x,y\n", "no rows of numbers, only a header row"),
        ("blank.csv", "\n \n", "no rows of numbers, only blank lines"),
    ],
)
def test_bad_table(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert str(err.value) == f"{path}: {expected}"


def test_long_bad_cell_is_shortened(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", "1\n" + "z" * 500 + "\n")
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "is not a number", "z" * 40 + "…")
    assert len(str(err.value)) < len(str(path)) + 120


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"tokens": ["a"]} x', "not valid JSON: Extra data at line 1, column 19"),
        ("[1, 2]", 'the JSON must be an object with "tokens" or "vectors", got a list'),
        ('"abc"', 'the JSON must be an object with "tokens" or "vectors", got a string'),
        ("3", 'the JSON must be an object with "tokens" or "vectors", got a number'),
        ("null", 'the JSON must be an object with "tokens" or "vectors", got null'),
        (
            '{"vocab": ["a"]}',
            'the JSON object has none of them; give exactly one of "tokens", "ids" and "vectors"',
        ),
        (
            '{"tokens": ["a"], "vectors": [[1]]}',
            'the JSON object has "tokens" and "vectors"; give exactly one of "tokens", "ids"',
        ),
        ('{"tokens": "abc"}', '"tokens" must be a list of strings, got a string'),
        ('{"tokens": ["a", 1]}', '"tokens"[1] must be a string, got a number'),
        ('{"tokens": []}', "the sequence is empty"),
        ('{"tokens": ["a"], "vocab": "a"}', '"vocab" must be a list of strings, got a string'),
        ('{"tokens": ["a"], "vocab": ["a", "a"]}', "the vocabulary lists a token more than once"),
        ('{"tokens": ["a"], "description": 5}', '"description" must be a string, got a number'),
        ('{"vectors": {"a": 1}}', '"vectors" must be a list of lists of numbers, got an object'),
        ('{"vectors": [1, 2]}', '"vectors"[0] must be a list of numbers, got a number'),
        (
            '{"vectors": [[1, 2], [3]]}',
            '"vectors"[1] has 1 number(s) but "vectors"[0] has 2; '
            "every row must have the same length",
        ),
        ('{"vectors": [[1, "2"]]}', '"vectors"[0][1] must be a number, got a string'),
        ('{"vectors": [[true]]}', '"vectors"[0][0] must be a number, got true/false'),
        ('{"vectors": [[1], [NaN]]}', "NaN is not a finite number; NaN and infinities are refused"),
        (
            '{"vectors": [[-Infinity]]}',
            "-Infinity is not a finite number; NaN and infinities are refused",
        ),
        ('{"vectors": [[1e999]]}', '"vectors"[0][0] is not a finite number'),
        ('{"vectors": [[1' + "0" * 400 + "]]}", '"vectors"[0][0] is not a finite number'),
        # int() refuses more than 4,300 digits with a ValueError of its own.
        ('{"vectors": [[1' + "0" * 5000 + "]]}", '"vectors"[0][0] is not a finite number'),
        ('{"tokens": [1' + "0" * 5000 + "]}", '"tokens"[0] must be a string, got a number'),
        ('{"vectors": []}', "vectors must be a non-empty table (T, I), got shape (0,)"),
    ],
)
def test_bad_json(tmp_path: Path, content: str, expected: str) -> None:
    path = write(tmp_path, "bad.json", content)
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, expected)


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, "nested too deeply")


def test_too_many_distinct_tokens_for_the_length_is_refused_before_encoding(
    tmp_path: Path,
) -> None:
    import tracemalloc

    # 5,000 distinct characters: 5,000 one-hot rows of 5,000 columns each.
    text = "".join(chr(0x4E00 + k) for k in range(5_000))
    path = write(tmp_path, "cjk.txt", text)
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as err:
            load_sequence(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(err.value) == (
        f"{path}: 5,000 steps × 5,000 distinct tokens = 25,000,000 values is more than the "
        "20,000,000 this program holds; use a shorter sequence or fewer distinct tokens"
    )
    assert peak < 10_000_000  # the one-hot table would be 200 MB


def test_the_input_limit_is_steps_times_input_size() -> None:
    assert MAX_INPUT_VALUES == 20_000_000
    check_input_values(100_000, 200)
    with pytest.raises(InputError, match="20,000,200 values"):
        check_input_values(100_001, 200)
    # A weights file's vocabulary counts as well as the sequence's own.
    with pytest.raises(InputError, match="distinct tokens"):
        from_tokens(["a"] * 100_000, ["a", *(str(k) for k in range(200))])


def test_json_ids_name_tokens_of_the_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text(json.dumps({"ids": [2, 0, 1, 2], "vocab": ["a", "b", "c"]}))
    sequence = load_sequence(path)
    assert sequence.tokens == ("c", "a", "b", "c") and sequence.vocab == ("a", "b", "c")
    assert load_sequence(path, vocab=("x", "y", "z")).tokens == ("z", "x", "y", "z")


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"ids": [0, 1]}, '"ids" need a vocabulary'),
        ({"ids": "01", "vocab": ["a"]}, '"ids" must be a list of whole numbers, got a string'),
        ({"ids": [0, 1.5], "vocab": ["a", "b"]}, '"ids"[1] must be a whole number'),
        ({"ids": [0, True], "vocab": ["a", "b"]}, '"ids"[1] must be a whole number'),
        ({"ids": [0, "1"], "vocab": ["a", "b"]}, '"ids"[1] must be a whole number'),
        ({"ids": [1e999], "vocab": ["a"]}, '"ids"[0] must be a whole number'),
        ({"ids": [0, 2], "vocab": ["a", "b"]}, '"ids"[1] is 2, outside the vocabulary (0 to 1)'),
        ({"ids": [-1], "vocab": ["a", "b"]}, '"ids"[0] is -1, outside the vocabulary'),
        ({"ids": [0], "tokens": ["a"]}, 'has "tokens" and "ids"'),
    ],
)
def test_bad_json_ids(tmp_path: Path, doc: dict, expected: str) -> None:
    path = tmp_path / "ids.json"
    path.write_text(json.dumps(doc).replace("Infinity", "1" + "0" * 400))
    with pytest.raises(InputError) as err:
        load_sequence(path)
    assert_one_line(err, path, expected)
