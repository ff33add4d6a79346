"""A session on a whole model: the stack runs end to end, one layer is shown, and edits,
layer switches, undo and saving keep every layer in step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.trajectory import run
from lstm_tui.errors import InputError
from lstm_tui.session import Change, MissingTokens, open_session
from tests.model_files import MODEL, TEXT, write_text


@pytest.fixture
def text(tmp_path: Path) -> Path:
    return write_text(tmp_path)


def reference(session, config: CellConfig | None = None) -> list[np.ndarray]:
    """Every layer's h, run layer by layer from the model's arrays."""
    model = session.model
    x = model.embed(session.sequence.inputs)
    hs = []
    for params in model.layers:
        x = run(params, x, config).h.copy()
        hs.append(x)
    return hs


def test_the_last_layer_is_shown_and_reads_the_one_below(text: Path) -> None:
    session = open_session(str(text), weights=MODEL)
    assert session.layer == 1 and session.stack.depth == 2
    assert session.params is session.model.layers[1]
    session.trajectory.run()
    np.testing.assert_array_equal(session.trajectory.h, reference(session)[1])
    assert session.column_vocab is None  # layer 1 reads h, not tokens


def test_an_edit_below_reaches_the_layers_above_and_undo_brings_it_back(text: Path) -> None:
    session = open_session(str(text), weights=MODEL, layer=0)
    before = session.stack.probabilities(10).copy()
    changes: list[Change] = []
    session.subscribe(changes.append)
    session.apply(params=session.params.with_value("weight_hh", (0, 0), 3.0))
    assert session.modified and changes[-1] == Change.WEIGHTS
    after = session.stack.probabilities(10)
    assert not np.allclose(after, before)
    np.testing.assert_array_equal(session.stack.layer(1).run().h, reference(session)[1])
    session.undo()
    np.testing.assert_array_equal(session.stack.probabilities(10), before)
    assert not session.modified


def test_switching_layers_keeps_edits_and_is_undoable(text: Path) -> None:
    session = open_session(str(text), weights=MODEL)
    session.apply(params=session.params.with_value("bias_ih", (1,), 2.0))
    edited = session.params
    changes: list[Change] = []
    session.subscribe(changes.append)
    session.show_layer(0)
    assert session.layer == 0 and changes[-1] & Change.MODEL
    assert session.model.layers[1] is edited and session.modified
    session.undo()
    assert session.layer == 1 and session.params is edited
    with pytest.raises(InputError, match="there is no layer 2"):
        session.show_layer(2)


def test_a_config_change_runs_in_every_layer(text: Path) -> None:
    session = open_session(str(text), weights=MODEL, layer=0)
    config = CellConfig.build({"forget": "hard_sigmoid_keras", "cell": "softsign"})
    session.apply(config=config)
    np.testing.assert_array_equal(session.stack.layer(1).run().h, reference(session, config)[1])


def test_saving_a_whole_model_reopens_the_same(text: Path, tmp_path: Path) -> None:
    session = open_session(str(text), weights=MODEL, clamps={"forget": 1.0})
    session.apply(params=session.params.with_value("weight_ih", (2, 1), -1.5))
    path = tmp_path / "again.npz"
    session.save(path)
    again = open_session(str(text), weights=path)
    assert again.config == session.config and again.model.depth == 2
    np.testing.assert_array_equal(again.stack.probabilities(20), session.stack.probabilities(20))
    assert again.input_vocab == tuple(sorted(set(TEXT)))


def test_random_weights_renew_every_layer_and_keep_the_embedding_and_head(text: Path) -> None:
    session = open_session(str(text), weights=MODEL)
    old = session.model
    session.randomise(4)
    new = session.model
    assert new.embedding is old.embedding and new.head_weight is old.head_weight
    assert not any(a.equals(b) for a, b in zip(new.layers, old.layers, strict=True))


def test_new_tokens_for_an_embedding_get_zero_rows(text: Path) -> None:
    from lstm_tui.sequences.sequence import from_tokens

    session = open_session(str(text), weights=MODEL)
    with pytest.raises(MissingTokens):
        session.replace_sequence(from_tokens(list("xyz the")))
    added = session.replace_sequence(from_tokens(list("xyz the")), extend=True)
    assert added == ("x", "y", "z")
    embedding = session.model.embedding
    assert embedding.shape[0] == len(set(TEXT)) + 3 and not embedding[-3:].any()
    assert not session.modified
