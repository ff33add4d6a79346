"""``lstm-tui trace``: headless runs written as arrays, and every way its input can be wrong."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import run
from lstm_tui.sequences.sequence import from_tokens


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "abc.txt"
    path.write_text("abcab, ca\n", encoding="utf-8")
    return path


def _expected(text: str, hidden: int, seed: int):
    seq = from_tokens(list(text))
    params = LSTMParams.random(hidden, seq.input_size, seed)
    return seq, run(params, seq.inputs)


def test_npz_trace_equals_engine(run_cli, text_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "trace.npz"
    result = run_cli("trace", str(text_file), "--hidden", "3", "--seed", "7", "-o", str(out))
    assert result.code == 0, result.err
    seq, traj = _expected(text_file.read_text(), 3, 7)
    with np.load(out, allow_pickle=False) as data:
        assert set(data.files) == {"z", "i", "f", "g", "o", "c", "h", "x", "tokens"}
        assert data["z"].shape == (10, 12)
        assert data["h"].shape == (10, 3)
        for name in ("z", "i", "f", "g", "o", "c", "h"):
            np.testing.assert_array_equal(data[name], traj.vector(name))
        np.testing.assert_array_equal(data["x"], seq.inputs)
        assert list(data["tokens"]) == list("abcab, ca\n")


def test_csv_trace_has_one_row_per_step_and_unit(run_cli, text_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "trace.csv"
    result = run_cli("trace", str(text_file), "--hidden", "2", "-o", str(out))
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "t,token,unit,i,f,g,o,c,h"
    _, traj = _expected(text_file.read_text(), 2, 0)
    # A comma token is quoted; the newline token is shown as ⟨U+000A⟩, so each row is one line.
    parsed = list(csv.reader(text.splitlines(keepends=True)))[1:]
    assert len(parsed) == 20
    t, token, unit, *values = parsed[11]
    assert (t, token, unit) == ("5", ",", "1")
    expected = [traj.vector(v)[5, 1] for v in "ifgoch"]
    assert [float(v) for v in values] == expected


def test_json_trace_holds_the_same_arrays(run_cli, text_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    result = run_cli("trace", str(text_file), "--hidden", "2", "-o", str(out))
    assert result.code == 0, result.err
    data = json.loads(out.read_text(encoding="utf-8"))
    _, traj = _expected(text_file.read_text(), 2, 0)
    assert data["tokens"] == list("abcab, ca\n")
    assert np.array_equal(np.array(data["c"]), traj.c)


def test_table_on_stdout_without_output(run_cli, text_file: Path) -> None:
    result = run_cli("trace", str(text_file), "--hidden", "2")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["t", "token", "unit", "i", "f", "g", "o", "c", "h"]
    assert len(lines) == 2 + 10 * 2
    _, traj = _expected(text_file.read_text(), 2, 0)
    last = lines[-1].split()
    assert last[:3] == ["9", "↵", "1"]
    assert float(last[-1]) == pytest.approx(traj.h[9, 1], abs=1e-4)


def test_activation_and_clamp_options_reach_the_engine(
    run_cli, text_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "t.npz"
    result = run_cli(
        "trace",
        str(text_file),
        "--hidden",
        "2",
        "--act",
        "forget=hard_sigmoid",
        "--act",
        "cell=softsign",
        "--clamp",
        "output=1",
        "-o",
        str(out),
    )
    assert result.code == 0, result.err
    with np.load(out) as data:
        assert np.all(data["o"] == 1.0)
        np.testing.assert_allclose(data["h"], data["c"] / (1 + np.abs(data["c"])), rtol=0, atol=0)


def test_weights_file_with_vocab(run_cli, tmp_path: Path) -> None:
    seq_path = tmp_path / "s.txt"
    seq_path.write_text("ba", encoding="utf-8")
    params = LSTMParams.random(2, 3, 1)
    weights = tmp_path / "w.npz"
    np.savez(weights, **params.state_dict(), vocab=np.array(["a", "b", "c"]))
    out = tmp_path / "t.npz"
    result = run_cli("trace", str(seq_path), "--weights", str(weights), "-o", str(out))
    assert result.code == 0, result.err
    with np.load(out) as data:
        np.testing.assert_array_equal(data["x"], [[0, 1, 0], [1, 0, 0]])


def test_numeric_csv_sequence(run_cli, tmp_path: Path) -> None:
    seq_path = tmp_path / "v.csv"
    seq_path.write_text("a,b\n0.5,1\n-1,2\n", encoding="utf-8")
    out = tmp_path / "t.npz"
    result = run_cli("trace", str(seq_path), "--hidden", "4", "-o", str(out))
    assert result.code == 0, result.err
    with np.load(out) as data:
        np.testing.assert_array_equal(data["x"], [[0.5, 1], [-1, 2]])
        assert data["h"].shape == (2, 4)


def test_console_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lstm_tui", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("lstm-tui ")


# ------------------------------------------------------------------ bad input


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _assert_refused(result, *needles: str) -> None:
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    assert lines[0].startswith("lstm-tui")
    for needle in needles:
        assert needle.lower() in lines[0].lower(), lines[0]


BAD_SEQUENCES = {
    "empty": ("empty.txt", "", ["empty.txt", "empty"]),
    "binary": ("bin.txt", b"\xff\xfe\x00\x81abc", ["bin.txt", "utf-8"]),
    "ragged csv": ("r.csv", "1,2\n3\n", ["r.csv", "row"]),
    "non-numeric csv": ("n.csv", "1,2\n3,x\n", ["n.csv", "'x'"]),
    "nan csv": ("nan.csv", "1,2\nnan,1\n", ["nan.csv", "nan"]),
    "inf csv": ("inf.csv", "1,2\n1,inf\n", ["inf.csv", "inf"]),
    "json not object": ("a.json", "[1, 2]", ["a.json", "object"]),
    "json without tokens or vectors": ("b.json", '{"x": 1}', ["b.json", "tokens", "vectors"]),
    "too long": ("long.txt", "a" * 100_001, ["long.txt", "100,000"]),
}


@pytest.mark.parametrize("kind", list(BAD_SEQUENCES))
def test_bad_sequence_file_is_refused(run_cli, tmp_path: Path, kind: str) -> None:
    name, content, needles = BAD_SEQUENCES[kind]
    path = _write(tmp_path / name, content)
    out = tmp_path / "out.npz"
    result = run_cli("trace", str(path), "--hidden", "2", "-o", str(out))
    _assert_refused(result, *needles)
    assert not out.exists()


def test_missing_file_is_refused(run_cli, tmp_path: Path) -> None:
    result = run_cli("trace", str(tmp_path / "nope.txt"))
    _assert_refused(result, "nope.txt", "no such file")


def test_directory_is_refused(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    result = run_cli("trace", str(folder))
    _assert_refused(result, "folder.txt", "directory")


def test_file_over_20_mb_is_refused(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)
    result = run_cli("trace", str(path))
    _assert_refused(result, "big.txt", "20 MB")


def _npz(path: Path, **arrays: object) -> Path:
    np.savez(path, **arrays)
    return path


def _good(hidden: int = 2, inputs: int = 3) -> dict[str, np.ndarray]:
    return dict(LSTMParams.random(hidden, inputs, 0).state_dict())


def _bad_weights(kind: str, path: Path) -> tuple[Path, list[str]]:
    arrays = _good()
    if kind == "missing key":
        del arrays["bias_hh_l0"]
        return _npz(path, **arrays), ["bias_hh_l0"]
    if kind == "wrong shape":
        arrays["weight_hh_l0"] = np.zeros((8, 3))
        return _npz(path, **arrays), ["weight_hh_l0", "shape"]
    if kind == "non-finite":
        arrays["bias_ih_l0"] = arrays["bias_ih_l0"].copy()
        arrays["bias_ih_l0"][1] = np.nan
        return _npz(path, **arrays), ["bias_ih_l0", "non-finite"]
    if kind == "object array":
        arrays["vocab"] = np.array([{"a": 1}, "b", "c"], dtype=object)
        np.savez(path, **arrays)
        return path, ["object"]
    if kind == "not an npz":
        return _write(path, "hello"), ["npz"]
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["missing key", "wrong shape", "non-finite", "object array", "not an npz"]
)
def test_bad_weights_file_is_refused(run_cli, tmp_path: Path, kind: str) -> None:
    seq = _write(tmp_path / "s.txt", "abc")
    weights, needles = _bad_weights(kind, tmp_path / "w.npz")
    out = tmp_path / "out.npz"
    result = run_cli("trace", str(seq), "--weights", str(weights), "-o", str(out))
    _assert_refused(result, "w.npz", *needles)
    assert not out.exists()


def test_object_array_is_never_unpickled(run_cli, tmp_path: Path, monkeypatch) -> None:
    import pickle

    calls = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: calls.append(a))
    seq = _write(tmp_path / "s.txt", "abc")
    weights, _ = _bad_weights("object array", tmp_path / "w.npz")
    result = run_cli("trace", str(seq), "--weights", str(weights))
    assert result.code == 2
    assert calls == []


def test_weights_input_size_mismatch(run_cli, tmp_path: Path) -> None:
    seq = _write(tmp_path / "s.txt", "abcd")
    weights = _npz(tmp_path / "w.npz", **_good(2, 3))
    result = run_cli("trace", str(seq), "--weights", str(weights))
    _assert_refused(result, "input size 4", "3")


def test_vocab_lacking_a_token_names_it(run_cli, tmp_path: Path) -> None:
    seq = _write(tmp_path / "s.txt", "abz")
    weights = _npz(tmp_path / "w.npz", **_good(2, 3), vocab=np.array(["a", "b", "c"]))
    result = run_cli("trace", str(seq), "--weights", str(weights))
    _assert_refused(result, "s.txt", "'z'")


@pytest.mark.parametrize(
    ("option", "needles"),
    [
        (["--act", "forget=swish"], ["swish", "sigmoid", "hard_sigmoid", "step"]),
        (["--act", "memory=tanh"], ["memory", "input", "forget", "candidate", "output", "cell"]),
        (["--clamp", "candidate=1"], ["candidate", "input", "forget", "output"]),
        (["--clamp", "forget=1.5"], ["forget", "[0, 1]", "1.5"]),
        (["--clamp", "forget=-0.1"], ["forget", "[0, 1]"]),
        (["--clamp", "forget=abc"], ["forget", "abc"]),
        (["--act", "forget"], ["SLOT=NAME"]),
        (["--preset", "nope"], ["nope", "counter"]),
        (["--hidden", "3", "--preset", "counter"], ["--preset", "--hidden"]),
    ],
)
def test_bad_option_is_refused(run_cli, text_file: Path, option: list[str], needles) -> None:
    result = run_cli("trace", str(text_file), *option)
    _assert_refused(result, *needles)


@pytest.mark.parametrize("name", ["missing/out.npz", "missing/deeper/out.csv"])
def test_output_in_missing_directory(run_cli, text_file: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = run_cli("trace", str(text_file), "--hidden", "2", "-o", str(out))
    _assert_refused(result, "missing", "does not exist")
    assert not out.parent.exists()


def test_unknown_output_suffix(run_cli, text_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = run_cli("trace", str(text_file), "--hidden", "2", "-o", str(out))
    _assert_refused(result, ".xlsx", ".npz", ".csv", ".json")
    assert not out.exists()


def test_failed_write_leaves_previous_file(run_cli, text_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    out.write_bytes(b"previous")
    result = run_cli("trace", str(text_file), "--act", "forget=nope", "-o", str(out))
    assert result.code == 2
    assert out.read_bytes() == b"previous"


def test_output_that_is_a_directory(run_cli, text_file: Path, tmp_path: Path) -> None:
    result = run_cli("trace", str(text_file), "--hidden", "2", "-o", str(tmp_path))
    _assert_refused(result, str(tmp_path), "is a directory")


def test_word_tokens_on_numeric_file_is_refused(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path / "v.csv", "1,2\n3,4\n")
    result = run_cli("trace", str(path), "--tokens", "word")
    _assert_refused(result, "v.csv", "numeric")


def test_table_spells_huge_values_and_never_negative_zero(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path / "s.txt", "()" * 3 + "(" * 300)
    result = run_cli("trace", str(path), "--preset", "counter", "--act", "forget=relu")
    assert result.code == 0, result.err
    assert result.err == ""  # the overflow is shown as inf, not warned about
    rows = [line.split() for line in result.out.splitlines()[2:]]
    assert all(len(row) == 9 for row in rows)
    assert all(len(line) <= 80 for line in result.out.splitlines())
    assert any("e+" in row[7] for row in rows) and any(row[7] == "inf" for row in rows)
    assert not any(value == "-0.0000" for row in rows for value in row[3:])
