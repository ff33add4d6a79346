"""Cell B is part of the session's history: choosing it, changing it and undoing both."""

from __future__ import annotations

from lstm_tui.engine.variant import Variant
from lstm_tui.session import Change
from tests.ui.factory import random_session


def test_choosing_b_is_one_undoable_change_that_says_so() -> None:
    session = random_session()
    changes: list[Change] = []
    session.subscribe(changes.append)
    rnn, gru = Variant.build("rnn"), Variant.build("gru")
    session.set_variant(rnn)
    session.set_variant(rnn)  # the same B again: no change
    session.set_variant(gru)
    assert changes == [Change.COMPARE, Change.COMPARE]
    assert session.undo() and session.variant is rnn
    assert session.undo() and session.variant is None
    assert session.redo() and session.variant is rnn


def test_b_stays_through_an_edit_to_a_and_new_weights() -> None:
    session = random_session()
    variant = Variant.build(clamps={"forget": 1.0})
    session.set_variant(variant)
    session.apply(config=session.config.with_activation("cell", "identity"))
    session.randomise(3)
    assert session.variant is variant
    # B is made from A as A is now: A's new cell activation, B's own clamp.
    b_config = variant.config(session.config)
    assert b_config.activation_name("cell") == "identity" and b_config.clamp("forget") == 1.0
