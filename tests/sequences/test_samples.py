"""The shipped samples: found by name, described in the index, shaped as promised."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.presets import CHAR_VOCAB, PRESETS
from lstm_tui.errors import InputError
from lstm_tui.sequences import samples as samples_module
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.sequences.samples import Sample, find_sample, list_samples, samples_dir

INDEX_KEYS = {"name", "file", "tokens", "preset", "watch", "description"}


def _text(name: str) -> str:
    return find_sample(name).path.read_text(encoding="utf-8")


def test_samples_dir_holds_the_index_and_every_listed_file() -> None:
    directory = samples_dir()
    assert (directory / "index.json").is_file()
    listed = {s.path.name for s in list_samples()}
    shipped = {p.name for p in directory.iterdir()} - {"index.json", "README.md"}
    assert listed == shipped


def test_index_entries_are_complete() -> None:
    entries = json.loads((samples_dir() / "index.json").read_text(encoding="utf-8"))["samples"]
    for entry in entries:
        assert set(entry) == INDEX_KEYS
        assert Path(entry["file"]).stem == entry["name"]


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_each_sample_describes_itself_for_a_table(sample: Sample) -> None:
    assert sample.path.is_file()
    assert sample.tokens in ("char", "word", None)
    assert sample.preset in PRESETS
    assert sample.watch and "\n" not in sample.watch and len(sample.watch) <= 72
    assert sample.description and "\n" not in sample.description
    assert sample.size_bytes == sample.path.stat().st_size


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_size_counts_the_steps_the_reader_makes(sample: Sample) -> None:
    sequence = load_sequence(sample.path, sample.tokens or "char")
    assert sample.steps == len(sequence)
    unit = {"char": "chars", "word": "words", None: "rows"}[sample.tokens]
    assert sample.size_text == f"{len(sequence):,} {unit}"


@pytest.mark.parametrize(
    "sample",
    [s for s in list_samples() if PRESETS[s.preset].kind == "chars"],
    ids=lambda s: s.name,
)
def test_samples_for_hand_built_presets_use_only_their_characters(sample: Sample) -> None:
    assert sample.tokens == "char"
    assert set(sample.path.read_text(encoding="utf-8")) <= set(CHAR_VOCAB)


def test_readme_mentions_every_sample() -> None:
    readme = (samples_dir() / "README.md").read_text(encoding="utf-8")
    for sample in list_samples():
        assert f"`{sample.path.name}`" in readme


def test_every_preset_has_its_sample() -> None:
    names = {s.name for s in list_samples()}
    assert {p.sample for p in PRESETS.values()} <= names


def test_find_sample_by_name() -> None:
    sample = find_sample("brackets")
    assert sample.path.name == "brackets.txt" and sample.preset == "counter"


def test_unknown_sample_lists_the_valid_names() -> None:
    with pytest.raises(InputError) as err:
        find_sample("bracket")
    message = str(err.value)
    assert "'bracket'" in message
    for sample in list_samples():
        assert sample.name in message


# -------------------------------------------------------- the samples' shapes


def test_brackets_nest_to_depth_ten_over_five_hundred_tokens() -> None:
    text = _text("brackets")
    depth = np.cumsum([(ch == "(") - (ch == ")") for ch in text])
    assert len(text) >= 500
    assert depth.max() == 10 and depth.min() == 0 and depth[-1] == 0
    others = set(text) - {"(", ")"}
    assert len(others) > 10


def test_latch_has_markers_distractors_and_queries() -> None:
    text = _text("latch")
    marker_at = [t for t, ch in enumerate(text) if ch in "+-"]
    query_at = [t for t, ch in enumerate(text) if ch == "?"]
    assert {text[t] for t in marker_at} == {"+", "-"}
    for q in query_at:
        last_marker = max(t for t in marker_at if t < q)
        assert q - last_marker - 1 >= 200


def test_anbn_has_accepted_and_rejected_strings_up_to_fifty() -> None:
    lines = _text("anbn").split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    accepted = [s for s in lines if s == "a" * (len(s) // 2) + "b" * (len(s) // 2)]
    assert len(accepted) >= 5 and len(lines) - len(accepted) >= 5
    assert "a" * 50 + "b" * 50 in accepted


def test_sentences_end_with_full_stops() -> None:
    text = _text("sentences")
    assert text.count(".") >= 5
    assert text.rstrip().endswith(".")


def test_sine_is_one_numeric_column_crossing_zero() -> None:
    sequence = load_sequence(find_sample("sine").path)
    x = sequence.inputs[:, 0]
    assert sequence.input_size == 1 and sequence.tokens is None
    assert np.sum(np.diff(np.sign(x[x != 0])) != 0) >= 4


def test_dialogue_has_quotes_and_brackets_as_word_tokens() -> None:
    sample = find_sample("dialogue")
    assert sample.tokens == "word"
    words = load_sequence(sample.path, "word")
    chars = load_sequence(sample.path, "char")
    assert {'"', "(", ")", "[", "]"} <= set(words.vocab)
    assert len(words) < len(chars) and len(words.vocab) > len(chars.vocab) / 2


def test_english_is_plain_text() -> None:
    text = _text("english")
    assert len(text.split()) >= 40


# --------------------------------------------------------------- locations


def _fake_samples(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "tiny.txt").write_text("(a)", encoding="utf-8")
    index = {
        "samples": [
            {
                "name": "tiny",
                "file": "tiny.txt",
                "tokens": "char",
                "preset": "counter",
                "watch": "w",
                "description": "d",
            }
        ]
    }
    (directory / "index.json").write_text(json.dumps(index), encoding="utf-8")
    return directory


def test_installed_location_comes_before_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = _fake_samples(tmp_path / "pkg" / "sample_sequences")
    checkout = _fake_samples(tmp_path / "repo" / "sample_sequences")
    monkeypatch.setattr(samples_module, "_CANDIDATES", (installed, checkout))
    assert samples_dir() == installed
    monkeypatch.setattr(samples_module, "_CANDIDATES", (tmp_path / "missing", checkout))
    assert samples_dir() == checkout
    assert [s.name for s in list_samples()] == ["tiny"]


def test_missing_samples_say_where_they_were_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(samples_module, "_CANDIDATES", (tmp_path / "a", tmp_path / "b"))
    with pytest.raises(InputError, match="sample sequences are missing"):
        samples_dir()


@pytest.mark.parametrize(
    "index",
    [
        "{",
        "[]",
        '{"samples": [{"name": "x"}]}',
        '{"samples": [{"name": "x", "file": "x.txt", "tokens": "byte"}]}',
        '{"samples": [{"name": "x", "file": "nope.txt", "tokens": "char", '
        '"watch": "w", "description": "d"}]}',
    ],
    ids=["not-json", "not-an-object", "missing-keys", "bad-tokens-mode", "missing-file"],
)
def test_broken_index_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: str
) -> None:
    directory = _fake_samples(tmp_path / "s")
    (directory / "index.json").write_text(index, encoding="utf-8")
    monkeypatch.setattr(samples_module, "_CANDIDATES", (directory,))
    with pytest.raises(InputError, match="broken sample index"):
        list_samples()
