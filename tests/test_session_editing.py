"""Whole-model changes, other sequences and saving, each undoable bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.params import LSTMParams, gate_rows
from lstm_tui.engine.presets import get_preset
from lstm_tui.engine.trajectory import run
from lstm_tui.engine.weights_io import load_weights
from lstm_tui.errors import InputError
from lstm_tui.sequences.sequence import from_tokens, from_vectors
from lstm_tui.sequences.typed import typed_sequence, unescape
from lstm_tui.session import (
    MissingTokens,
    Session,
    check_weight,
    open_session,
    scaled_gate,
)
from tests.ui.factory import random_session


def matches_engine(session: Session) -> None:
    expected = run(session.params, session.sequence.inputs, session.config)
    np.testing.assert_array_equal(session.trajectory.run().h, expected.h)


def test_unknown_tokens_are_named_and_nothing_changes() -> None:
    session = random_session("abcab")
    before = session.params
    with pytest.raises(MissingTokens) as caught:
        session.replace_sequence(from_tokens(list("abxyz")))
    assert caught.value.tokens == ("x", "y", "z")
    assert "'x', 'y', 'z'" in str(caught.value)
    assert session.params is before and session.sequence.name == "brackets-text"
    assert not session.can_undo


def test_extending_the_vocabulary_adds_zero_columns_and_undoes() -> None:
    session = random_session("abcab")
    old_h = session.trajectory.run().h.copy()
    added = session.replace_sequence(from_tokens(list("zab")), extend=True)
    assert added == ("z",)
    assert session.vocab == ("a", "b", "c", "z")
    assert session.params.input_size == 4
    np.testing.assert_array_equal(session.params.weight_ih[:, 3], 0.0)
    np.testing.assert_array_equal(session.loaded_params.weight_ih[:, 3], 0.0)
    assert not session.modified  # zero columns change nothing the model computes
    matches_engine(session)
    session.undo()
    assert session.params.input_size == 3
    np.testing.assert_array_equal(session.trajectory.run().h, old_h)


def test_another_sequence_keeps_the_weights_and_edits() -> None:
    session = random_session("abcab")
    session.apply(session.params.with_value("weight_hh", (0, 1), 0.5))
    session.replace_sequence(from_tokens(list("cba")), Path("x.txt"))
    assert session.params.weight_hh[0, 1] == 0.5
    assert session.sequence.tokens == tuple("cba")
    assert session.sequence_path == Path("x.txt")
    assert session.modified
    matches_engine(session)


def test_numeric_sequence_must_have_the_input_size() -> None:
    session = open_session("sine")
    with pytest.raises(InputError, match="input size 2"):
        session.replace_sequence(from_vectors([[1.0, 2.0]]))
    session.replace_sequence(typed_sequence("0.5 -1 2", None, 1))
    assert len(session.sequence) == 3
    matches_engine(session)


def test_tokens_on_a_numeric_model_are_refused() -> None:
    session = open_session("sine")
    with pytest.raises(InputError, match="numbers per step"):
        session.replace_sequence(from_tokens(list("ab")))


def test_replace_model_then_undo_restores_shapes_and_values() -> None:
    session = open_session("brackets")
    counter = session.params
    session.randomise(5)
    assert session.model_label.endswith("seed=5")
    assert session.params.equals(LSTMParams.random(counter.hidden_size, counter.input_size, 5))
    preset = get_preset("anbn")
    params, vocab = preset.build(session.sequence.vocab, session.params.input_size)
    session.replace_model(params, vocab, "preset anbn", "anbn")
    assert session.params.hidden_size == preset.hidden_size
    matches_engine(session)
    session.undo()
    session.undo()
    assert session.params is counter and session.model_label == "preset counter"
    matches_engine(session)


def test_weights_without_vocab_read_the_sequences_tokens() -> None:
    session = random_session("abcab", hidden=2)
    other = LSTMParams.random(3, 3, 9)
    session.replace_model(other, None, "weights w.npz")
    assert session.input_vocab == ("a", "b", "c")
    with pytest.raises(InputError, match="expect 5"):
        session.replace_model(LSTMParams.random(3, 5, 9), None, "weights w.npz")


def test_switching_to_a_sample_is_undoable() -> None:
    session = random_session()
    session.switch_to(open_session("latch"))
    assert session.sequence.name == "latch" and session.preset == "latch"
    matches_engine(session)
    session.undo()
    assert session.sequence.name == "brackets-text"


def test_saving_writes_vocab_and_clears_modified(tmp_path: Path) -> None:
    session = random_session("abcab")
    session.apply(session.params.with_value("bias_ih", (2,), 3.0))
    assert session.modified
    path = tmp_path / "w.npz"
    session.save(path)
    assert not session.modified
    params, vocab = load_weights(path)
    assert params.equals(session.params) and vocab == ("a", "b", "c")
    session.undo()
    assert session.modified


def test_a_failed_save_leaves_the_file_and_modified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = random_session("abcab")
    path = tmp_path / "w.npz"
    session.save(path)
    before = path.read_bytes()
    session.apply(session.params.with_value("bias_ih", (2,), 3.0))

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    with pytest.raises(InputError, match="No space left"):
        session.save(path)
    assert path.read_bytes() == before
    assert session.modified
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]


def test_scaled_gate_scales_only_that_gate() -> None:
    params = LSTMParams.random(3, 2, 1)
    scaled = scaled_gate(params, "f", 2.0)
    rows = gate_rows("f", 3)
    np.testing.assert_array_equal(scaled.weight_ih[rows], params.weight_ih[rows] * 2)
    np.testing.assert_array_equal(scaled.bias_hh[rows], params.bias_hh[rows] * 2)
    np.testing.assert_array_equal(scaled.weight_hh[:3], params.weight_hh[:3])
    with pytest.raises(InputError, match="beyond"):
        scaled_gate(params.with_value("bias_ih", (3,), 5.0), "f", 300.0)
    with pytest.raises(InputError, match="factor"):
        scaled_gate(params, "f", float("nan"))
    with pytest.raises(InputError, match="unknown gate"):
        scaled_gate(params, "c", 2.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "not a number"), ("nan", "finite"), ("inf", "finite"), ("1000.5", "±1,000")],
)
def test_check_weight_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_weight(text)


def test_check_weight_accepts() -> None:
    assert check_weight(" -1e3 ") == -1000.0
    assert check_weight("0.25") == 0.25


def test_typed_sequences() -> None:
    assert unescape(r"a\nb\tc\\n\q") == "a\nb\tc\\n\\q"
    assert typed_sequence(r"(a)\n", "char").tokens == ("(", "a", ")", "\n")
    assert typed_sequence("don't stop.", "word").tokens == ("don't", "stop", ".")
    two = typed_sequence("1 0; 0 1;", None, 2)
    np.testing.assert_array_equal(two.inputs, [[1, 0], [0, 1]])
    with pytest.raises(InputError, match="each step needs 2"):
        typed_sequence("1 0; 1", None, 2)
    with pytest.raises(InputError, match="not a number"):
        typed_sequence("1 x", None, 1)
    with pytest.raises(InputError, match="empty"):
        typed_sequence("", "char")


def test_history_forgets_the_oldest_edits_past_its_memory_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import lstm_tui.session as session_module

    session = random_session("abcab", hidden=2)
    one = sum(a.nbytes for a in session.params.arrays())
    monkeypatch.setattr(session_module, "HISTORY_BYTES", 4 * one)
    for k in range(10):
        session.apply(session.params.with_value("bias_ih", (0,), float(k)))
    undone = 0
    while session.undo():
        undone += 1
    # The loaded weights (kept for restoring) and the last three edits fill the budget.
    assert undone == 2
    assert session.params.bias_ih[0] == 7.0
    assert session.modified  # the loaded state itself was dropped, not reached
    session.apply(config=session.config.with_clamp("forget", 1.0))
    assert session.can_undo
