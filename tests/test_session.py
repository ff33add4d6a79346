"""Opening a session (sequence + model) and the undoable edit history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import run
from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.session import DEFAULT_HIDDEN, Change, open_session


@pytest.fixture
def text(tmp_path: Path) -> Path:
    path = tmp_path / "t.txt"
    path.write_text("hello there", encoding="utf-8")
    return path


def test_default_is_counter_on_brackets() -> None:
    session = open_session()
    assert session.preset == "counter"
    assert session.sequence.name == "brackets"
    assert session.model_label == "preset counter"


def test_file_without_model_gets_a_random_cell(text: Path) -> None:
    session = open_session(str(text), seed=4)
    assert session.params.hidden_size == DEFAULT_HIDDEN
    assert session.params.equals(LSTMParams.random(DEFAULT_HIDDEN, session.sequence.input_size, 4))
    assert session.model_label == f"random H={DEFAULT_HIDDEN} seed=4"


def test_sample_name_opens_with_its_preset() -> None:
    session = open_session("brackets")
    assert session.preset == "counter"
    random_session = open_session("brackets", hidden=3)
    assert random_session.preset is None
    assert random_session.params.hidden_size == 3


def test_unknown_source_lists_samples() -> None:
    with pytest.raises(InputError, match="brackets"):
        open_session("no-such-thing")


def test_two_models_at_once_are_refused(text: Path) -> None:
    with pytest.raises(InputError, match="--preset"):
        open_session(str(text), preset="counter", hidden=3)


def test_edits_undo_and_redo_bit_for_bit(text: Path) -> None:
    session = open_session(str(text), hidden=3)
    before = session.trajectory.run().h.copy()
    assert not session.modified and not session.can_undo

    session.apply(session.params.with_value("weight_hh", (1, 2), 0.75))
    session.apply(config=session.config.with_activation("cell", "softsign"))
    edited = session.trajectory.run().h.copy()
    expected = run(session.params, session.sequence.inputs, session.config).h
    np.testing.assert_array_equal(edited, expected)
    assert session.modified

    assert session.undo() and session.undo()
    assert not session.undo()
    np.testing.assert_array_equal(session.trajectory.run().h, before)
    assert not session.modified

    assert session.redo() and session.redo()
    assert not session.redo()
    np.testing.assert_array_equal(session.trajectory.run().h, edited)


def test_saving_clears_modified_and_a_new_edit_drops_redo(text: Path) -> None:
    session = open_session(str(text), hidden=2)
    session.apply(params=session.params.with_value("bias_hh_l0", (0,), 0.5))
    session.mark_saved()
    assert not session.modified
    session.undo()
    assert session.modified
    session.apply(config=CellConfig().with_clamp("output", 0.0))
    assert not session.can_redo
    assert session.modified


def test_saving_weights_saves_the_activations_and_clamps_too(text: Path, tmp_path: Path) -> None:
    """A weights file holds the activations and clamps: after a save nothing is unsaved."""
    session = open_session(str(text), hidden=2)
    config = CellConfig().with_clamp("forget", 1.0).with_activation("input", "hard_sigmoid_keras")
    session.apply(config=config)
    assert session.modified and session.unsaved_config
    session.save(tmp_path / "w.npz")
    assert not session.modified and not session.unsaved_config
    reopened = open_session(str(text), weights=tmp_path / "w.npz")
    assert reopened.config == config and reopened.token_mode == "char"
    session.apply(config=CellConfig())
    assert session.modified


def test_the_current_state_cannot_be_assigned_around_the_history(text: Path) -> None:
    session = open_session(str(text), hidden=3)
    for name in ("params", "config", "sequence", "vocab", "model_label", "preset", "trajectory"):
        with pytest.raises(AttributeError):
            setattr(session, name, getattr(session, name))


def test_every_change_tells_the_listeners_what_changed(text: Path) -> None:
    session = open_session(str(text), hidden=3)
    heard: list[Change] = []
    unsubscribe = session.subscribe(heard.append)
    session.apply(params=session.params.with_value("bias_ih_l0", (0,), 0.5))
    session.apply(config=session.config.with_clamp("forget", 1.0))
    session.undo()
    session.randomise(7)
    session.undo()
    session.mark_saved()
    assert heard == [
        Change.WEIGHTS,
        Change.CONFIG,
        Change.CONFIG,
        # New weights re-encode the sequence over their vocabulary.
        Change.MODEL | Change.WEIGHTS | Change.SEQUENCE,
        Change.MODEL | Change.WEIGHTS | Change.SEQUENCE,
        Change.SAVED,
    ]
    assert not heard[0].restates_ranges and heard[3].restates_ranges
    unsubscribe()
    session.redo()
    assert len(heard) == 6


def test_another_sequence_is_a_sequence_change(text: Path, tmp_path: Path) -> None:
    session = open_session(str(text), hidden=3)
    heard: list[Change] = []
    session.subscribe(heard.append)
    other = tmp_path / "o.txt"
    other.write_text("the", encoding="utf-8")
    session.replace_sequence(load_sequence(other, "char"), other)
    assert heard == [Change.SEQUENCE] and heard[0].restates_ranges
    assert session.trajectory.inputs.shape[0] == 3
