"""Steps where something happens to a unit: c moves by more than a little, or a gate switches."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.events import SMALL_CHANGE, event_steps
from lstm_tui.session import open_session


def test_the_counter_s_events_are_its_brackets_and_nothing_else() -> None:
    session = open_session()  # counter on brackets
    traj = session.trajectory.run()
    tokens = session.sequence.tokens
    steps = event_steps(traj, 0, 0, len(traj))
    assert len(steps)
    c = traj.c[:, 0]
    for s in steps:
        moved = abs(c[s] - c[s - 1]) > SMALL_CHANGE
        # A bracket writes (c moves, i opens); the step after it i shuts again.
        assert tokens[s] in "()" or tokens[s - 1] in "()", (s, tokens[s], moved)
    brackets = {t for t, tok in enumerate(tokens) if tok in "()"}
    assert brackets <= set(steps.tolist())


def test_a_window_gives_the_same_steps_as_the_whole() -> None:
    traj = open_session("latch").trajectory
    whole = event_steps(traj, 0, 0, len(traj))
    assert np.array_equal(event_steps(traj, 0, 100, 600), whole[(whole >= 100) & (whole < 600)])
    assert np.array_equal(event_steps(traj, 0, 5, 5), [])


def test_step_0_is_compared_with_the_initial_cell_state() -> None:
    traj = open_session("latch").trajectory  # the '+' at step 0 stores +1 at once
    assert event_steps(traj, 0, 0, 1).tolist() == [0]
    traj.set_initial_state(None, np.array([1.0, 0.0]))
    assert event_steps(traj, 0, 0, 1).tolist() == []
