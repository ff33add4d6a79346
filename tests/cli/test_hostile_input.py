"""The command line with hostile input: nothing raw reaches the terminal, nothing is a traceback."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.params import LSTMParams
from lstm_tui.sequences import samples as samples_module

ESC = "\x1b"
# Sets the terminal's clipboard to "hi" in terminals that allow OSC 52.
OSC52 = "\x1b]52;c;aGk=\x07"


def raw_characters(text: str) -> list[str]:
    """Characters that act on a terminal or hide: none may reach it raw."""
    return [ch for ch in text if ch != "\n" and unicodedata.category(ch) in {"Cc", "Cf", "Cs"}]


def assert_refused(result, *needles: str) -> str:
    """Exit 2, nothing on stdout, one safe line on stderr naming every needle; the line."""
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    assert lines[0].startswith("lstm-tui")
    assert raw_characters(result.err) == [], repr(result.err)
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


# -------------------------------------------------------- safe to show


def test_a_path_with_escape_sequences_is_shown_safe(run_cli, tmp_path: Path) -> None:
    path = tmp_path / f"red{ESC}[31m{ESC}[2J.txt"
    result = run_cli("trace", str(path))
    assert_refused(result, "red⟨U+001B⟩[31m⟨U+001B⟩[2J.txt", "no such file")


def test_a_path_with_a_bidi_override_is_shown_safe(run_cli, tmp_path: Path) -> None:
    path = write(tmp_path / "txt.\u202eexe", "")
    result = run_cli("trace", str(path), "--hidden", "2")
    assert_refused(result, "txt.⟨U+202E⟩exe", "empty")


def test_an_npz_key_that_sets_the_clipboard_is_shown_safe(run_cli, tmp_path: Path) -> None:
    weights = tmp_path / "w.npz"
    np.savez(weights, **{OSC52: np.zeros(2)})
    seq = write(tmp_path / "s.txt", "abc")
    result = run_cli("trace", str(seq), "--weights", str(weights))
    assert_refused(result, "w.npz", "⟨U+001B⟩]52;c;aGk=⟨U+0007⟩")


def test_an_npz_vocab_token_with_controls_is_shown_safe(run_cli, tmp_path: Path) -> None:
    weights = tmp_path / "w.npz"
    vocab = np.array(["a", f"{ESC}[5m", f"{ESC}[5m"])
    np.savez(weights, **LSTMParams.random(2, 3).state_dict(), vocab=vocab)
    seq = write(tmp_path / "s.txt", "abc")
    result = run_cli("trace", str(seq), "--weights", str(weights))
    assert_refused(result, "w.npz", "more than once")


def test_an_unknown_argument_with_controls_is_shown_safe(run_cli) -> None:
    result = run_cli(f"--colour{ESC}[31m")
    assert_refused(result, "unrecognized arguments: --colour⟨U+001B⟩[31m")


def test_the_wrote_line_shows_the_path_safe(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "s.txt", "ab")
    out = tmp_path / f"out{ESC}[8m.npz"
    result = run_cli("trace", str(seq), "--hidden", "1", "-o", str(out))
    assert result.code == 0, result.err
    assert raw_characters(result.err) == []
    assert result.err.strip().endswith("out⟨U+001B⟩[8m.npz")
    assert out.exists()


HOSTILE_TOKENS = [OSC52, "\x9b2J", "\u202e", "\u200b", "\u0301", "\ud800", "ok"]


@pytest.fixture
def hostile_json(tmp_path: Path) -> Path:
    # json.dumps escapes them in the file; json.loads gives them back raw.
    return write(tmp_path / "hostile.json", json.dumps({"tokens": HOSTILE_TOKENS}))


def test_the_trace_table_shows_tokens_safe(run_cli, hostile_json: Path) -> None:
    result = run_cli("trace", str(hostile_json), "--hidden", "1")
    assert result.code == 0, result.err
    assert raw_characters(result.out) == []
    tokens = [line.split()[1] for line in result.out.splitlines()[2:]]
    # Cut to the table's 8 characters, and still safe.
    assert tokens == ["␛]52;c;a", "⟨U+009B⟩", "⟨U+202E⟩", "⟨U+200B⟩", "⟨U+0301⟩", "⟨U+D800⟩", "ok"]


def test_a_csv_trace_shows_tokens_safe(run_cli, hostile_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "trace.csv"
    result = run_cli("trace", str(hostile_json), "--hidden", "1", "-o", str(out))
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert raw_characters(text.replace("\n", "")) == []
    # One row per line: no token can break one.
    assert len(text.splitlines()) == 1 + len(HOSTILE_TOKENS)
    tokens = [row[1] for row in csv.reader(text.splitlines()[1:])]
    assert tokens == [
        "⟨U+001B⟩]52;c;aGk=⟨U+0007⟩",
        "⟨U+009B⟩2J",
        "⟨U+202E⟩",
        "⟨U+200B⟩",
        "⟨U+0301⟩",
        "⟨U+D800⟩",
        "ok",
    ]


def test_a_json_trace_keeps_tokens_exactly_and_escaped(
    run_cli, hostile_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "trace.json"
    result = run_cli("trace", str(hostile_json), "--hidden", "1", "-o", str(out))
    assert result.code == 0, result.err
    data = out.read_bytes()
    assert all(32 <= byte < 127 for byte in data)  # printing the file is safe
    assert json.loads(data)["tokens"] == HOSTILE_TOKENS


def test_an_npz_trace_keeps_tokens_exactly(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "s.json", json.dumps({"tokens": [OSC52, "\u202e", "a"]}))
    out = tmp_path / "trace.npz"
    result = run_cli("trace", str(seq), "--hidden", "1", "-o", str(out))
    assert result.code == 0, result.err
    with np.load(out) as arrays:
        assert list(arrays["tokens"]) == [OSC52, "\u202e", "a"]


def test_the_samples_listing_shows_the_index_safe(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "x.txt", "abc")
    entry = {
        "name": f"x{ESC}[2J",
        "file": "x.txt",
        "tokens": "char",
        "preset": None,
        "watch": "look \u202ehere",
        "description": "",
    }
    write(tmp_path / "index.json", json.dumps({"samples": [entry]}))
    monkeypatch.setattr(samples_module, "_CANDIDATES", (tmp_path,))
    result = run_cli("samples")
    assert result.code == 0, result.err
    assert raw_characters(result.out) == []
    assert "x⟨U+001B⟩[2J" in result.out and "look ⟨U+202E⟩here" in result.out


# -------------------------------------------------- one line, never a traceback


@pytest.mark.parametrize("seed", ["-1", "-12345678901234567890"])
def test_a_negative_seed_is_refused(run_cli, tmp_path: Path, seed: str) -> None:
    seq = write(tmp_path / "s.txt", "abc")
    result = run_cli("trace", str(seq), "--hidden", "2", "--seed", seed)
    assert_refused(result, "seed", "0 or more", seed)


def test_a_seed_with_more_than_4300_digits_is_refused(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "s.txt", "abc")
    result = run_cli("trace", str(seq), "--hidden", "2", "--seed", "9" * 5000)
    assert_refused(result, "--seed", "invalid int value")


@pytest.mark.parametrize(
    "model",
    [[], ["--preset", "counter"], ["--weights", "WEIGHTS"]],
    ids=["sample's preset", "preset", "weights"],
)
@pytest.mark.parametrize("command", ["trace", "app"])
def test_a_seed_without_hidden_is_refused(
    run_cli, tmp_path: Path, model: list[str], command: str
) -> None:
    weights = tmp_path / "w.npz"
    np.savez(weights, **LSTMParams.random(2, 3).state_dict())
    model = [str(weights) if arg == "WEIGHTS" else arg for arg in model]
    args = ["brackets", "--seed", "3", *model]
    result = run_cli(*(["trace", *args] if command == "trace" else args))
    assert_refused(result, "--seed", "--hidden")


def test_a_seed_with_hidden_is_used(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "s.txt", "abc")
    outs = []
    for seed in ("3", "4"):
        out = tmp_path / f"{seed}.npz"
        result = run_cli("trace", str(seq), "--hidden", "2", "--seed", seed, "-o", str(out))
        assert result.code == 0, result.err
        with np.load(out) as arrays:
            outs.append(arrays["h"])
    assert not np.array_equal(*outs)


@pytest.mark.parametrize(
    ("options", "needles"),
    [
        (["--act", "forget=relu", "--act", "forget=tanh"], ["--act forget", "twice", "relu"]),
        (["--act", "cell=relu", "--act", " cell =relu"], ["--act cell", "twice"]),
        (["--clamp", "forget=1", "--clamp", "forget=0"], ["--clamp forget", "twice"]),
    ],
)
@pytest.mark.parametrize("command", ["trace", "app"])
def test_a_slot_given_twice_is_refused(
    run_cli, tmp_path: Path, options: list[str], needles: list[str], command: str
) -> None:
    seq = write(tmp_path / "s.txt", "abc")
    args = [str(seq), "--hidden", "2", *options]
    result = run_cli(*(["trace", *args] if command == "trace" else args))
    assert_refused(result, *needles)


def test_different_slots_may_each_be_given(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "s.txt", "abc")
    options = ["--act", "forget=relu", "--act", "input=relu", "--clamp", "output=1"]
    result = run_cli("trace", str(seq), "--hidden", "2", *options)
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ('{"vectors": [[1, ' + "7" * 5000 + "]]}", ['"vectors"[0][1]', "finite"]),
        ('{"vectors": [[-' + "7" * 5000 + "]]}", ['"vectors"[0][0]', "finite"]),
        ('{"tokens": [' + "7" * 5000 + "]}", ['"tokens"[0]', "string"]),
        ('{"tokens": ["a"], "vocab": ["a", ' + "7" * 5000 + "]}", ['"vocab"[1]', "string"]),
        ('{"tokens": ["a"], "description": ' + "7" * 5000 + "}", ['"description"', "string"]),
    ],
    ids=["vectors", "negative", "tokens", "vocab", "description"],
)
def test_a_json_number_with_more_than_4300_digits_is_one_line(
    run_cli, tmp_path: Path, content: str, needles: list[str]
) -> None:
    seq = write(tmp_path / "long.json", content)
    result = run_cli("trace", str(seq), "--hidden", "2")
    assert_refused(result, "long.json", *needles)


def test_a_sample_index_with_a_huge_number_is_one_line(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "index.json", '{"samples": [], "version": ' + "7" * 5000 + "}")
    monkeypatch.setattr(samples_module, "_CANDIDATES", (tmp_path,))
    for args in (["samples"], ["trace", "brackets"]):
        assert_refused(run_cli(*args), "index.json", "broken sample index")


@pytest.mark.parametrize("command", ["trace", "app"])
def test_too_many_steps_for_the_units_is_refused_at_once(
    run_cli, tmp_path: Path, command: str
) -> None:
    seq = write(tmp_path / "100k.txt", "ab" * 50_000)
    args = [str(seq), "--hidden", "512"]
    result = run_cli(*(["trace", *args] if command == "trace" else args))
    assert_refused(
        result,
        "100k.txt: 100,000 steps × 512 units = 51,200,000 values is more than the 10,000,000",
        "shorter sequence or fewer units",
    )


def test_a_broken_pipe_is_no_error(tmp_path: Path) -> None:
    seq = write(tmp_path / "s.txt", "abc" * 2000)
    command = [sys.executable, "-m", "lstm_tui", "trace", str(seq), "--hidden", "8"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # the reader is gone, as `| head -1` does
        err = proc.stderr.read()
        proc.wait()
    assert err == b""
    assert proc.returncode == 1


def test_a_word_file_far_over_the_step_limit_is_refused_quickly(run_cli, tmp_path: Path) -> None:
    import tracemalloc

    seq = tmp_path / "words.txt"
    seq.write_bytes(b"ab " * 6_000_000)  # 18 MB: six million words, under the size limit
    tracemalloc.start()
    try:
        result = run_cli("trace", str(seq), "--tokens", "word")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_refused(result, "words.txt", "more than 100,000 steps", "limit is 100,000")
    # The file and its text, and no list of six million words (over 350 MB).
    assert peak < 80_000_000


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        ("1;2\n3;4\n", [[1, 2], [3, 4]]),
        ("x;y\n1;2\n3;4\n", [[1, 2], [3, 4]]),
        ("1\t2\n3\t4\n", [[1, 2], [3, 4]]),
        ("1,2\n3,4\n", [[1, 2], [3, 4]]),
    ],
    ids=["semicolons", "semicolons with header", "tabs", "commas"],
)
def test_a_csv_is_read_by_its_own_delimiter(
    run_cli, tmp_path: Path, content: str, rows: list[list[float]]
) -> None:
    seq = write(tmp_path / "v.csv", content)
    out = tmp_path / "t.npz"
    result = run_cli("trace", str(seq), "--hidden", "1", "-o", str(out))
    assert result.code == 0, result.err
    with np.load(out) as arrays:
        np.testing.assert_array_equal(arrays["x"], rows)


def test_a_semicolon_csv_with_decimal_commas_is_refused(run_cli, tmp_path: Path) -> None:
    seq = write(tmp_path / "eu.csv", "1,5;2,5\n3,5;4\n")
    result = run_cli("trace", str(seq), "--hidden", "1")
    assert_refused(result, "eu.csv", "line 1, column 1: '1,5' is not a number", "with a point")


def test_too_many_distinct_tokens_is_refused_at_once(run_cli, tmp_path: Path) -> None:
    # 300 KB of text: 100,000 steps over 20,000 distinct characters would be
    # one-hot rows of 16 GB.
    text = "".join(chr(0x4E00 + k) for k in range(20_000)) * 5
    seq = write(tmp_path / "cjk.txt", text)
    result = run_cli("trace", str(seq), "--hidden", "1")
    assert_refused(
        result,
        "cjk.txt: 100,000 steps × 20,000 distinct tokens = 2,000,000,000 values",
        "more than the 20,000,000",
    )
