"""Cell B's weights as the weight editor edits them: an LSTM B, one undoable change each.

The editor edits whatever has the session's few weight members; this gives
it cell B's. An edit gives B weights of its own (from then on an edit to
A's weights no longer reaches B) and is one entry of the session's undo
history, like every change to B, so ctrl+z takes it back. What the editor
calls the loaded weights are A's here: a weight marked as changed is one
where B differs from A, and ``r`` sets it back to A's.
"""

from __future__ import annotations

from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.engine.variant import Variant
from lstm_tui.sequences.sequence import Sequence
from lstm_tui.session import Session
from lstm_tui.ui.compare_view import Comparison

EDITED = "edited weights"


class CellBWeights:
    """The weight members of a session, for cell B (which must be an LSTM)."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison

    @property
    def _session(self) -> Session:
        return self.comparison.session

    @property
    def params(self) -> LSTMParams:
        params = self.comparison.variant.weights(self._session.params)
        assert isinstance(params, LSTMParams)
        return params

    @property
    def loaded_params(self) -> LSTMParams:
        return self._session.params

    @property
    def column_vocab(self) -> tuple[str, ...] | None:
        return self._session.column_vocab

    @property
    def sequence(self) -> Sequence:
        return self._session.sequence

    @property
    def trajectory(self) -> Trajectory:
        traj = self.comparison.trajectory_b()
        assert isinstance(traj, Trajectory)
        return traj

    def apply(self, params: LSTMParams) -> None:
        """B with ``params`` as its own weights, as one undoable change."""
        variant = self.comparison.variant
        label = variant.weights_label
        if label is None:
            label = EDITED
        elif not label.endswith(EDITED):
            label = f"{label}, {EDITED}"
        acts, clamps = dict(variant.activations), dict(variant.clamps)
        self._session.set_variant(Variant.build(variant.kind, acts, clamps, params, label))

    def undo(self) -> bool:
        return self._session.undo()

    def redo(self) -> bool:
        return self._session.redo()
