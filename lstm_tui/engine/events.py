"""Steps where something happens to one unit: its cell state moves, or a gate switches."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.trajectory import Trajectory

SMALL_CHANGE = 0.1
"""A change of c larger than this is an event (the counter's ±1, a reset, a stored bit)."""
GATE_LETTERS: tuple[str, ...] = ("i", "f", "o")


def event_steps(traj: Trajectory, unit: int, start: int, stop: int) -> np.ndarray:
    """The steps ``s`` in ``[start, stop)`` where, from step ``s - 1`` to ``s``, ``unit``'s c
    changes by more than :data:`SMALL_CHANGE` or one of its gates crosses 0.5.

    Step 0 is compared with the initial cell state (its gates have nothing
    before them). Computes the steps up to ``stop - 1``. Returns a sorted
    int array.
    """
    start, stop = max(0, start), min(len(traj), stop)
    if stop <= start:
        return np.zeros(0, dtype=int)
    traj.ensure(stop - 1)
    steps = np.arange(start, stop)
    first = steps == 0
    # Step 0's "before" is the initial state; the -1 index it reads is masked out.
    c = traj.c[:stop, unit]
    c_before = np.where(first, traj.c0[unit], c[steps - 1])
    happens = np.abs(c[steps] - c_before) > SMALL_CHANGE
    for letter in GATE_LETTERS:
        above = traj.vector(letter)[:stop, unit] > 0.5
        happens |= (above[steps] != above[steps - 1]) & ~first
    return steps[happens]
