"""Reading what a panel shows, as plain text, the way the student sees it."""

from __future__ import annotations

import numpy as np
from textual.app import App

from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.ui.widgets.line_canvas import LineCanvas


def panel_lines(app: App, widget_id: str) -> list[str]:
    """The rendered rows of one panel, characters only."""
    canvas = app.screen.query_one(f"#{widget_id}", LineCanvas)
    return ["".join(ch for ch, _ in row).rstrip() for row in canvas._rows]


def panel_text(app: App, widget_id: str) -> str:
    return "\n".join(panel_lines(app, widget_id))


def notes(app: App) -> list[str]:
    """The messages of the notifications on screen now."""
    return [n.message for n in app._notifications]


def assert_matches_engine(app: App) -> None:
    """The app's trajectory equals a fresh engine run on the same model, bit for bit."""
    session = app.session
    expected = Trajectory(session.params, session.sequence.inputs, session.config).run()
    np.testing.assert_array_equal(session.trajectory.run().h, expected.h)
