"""Reading what a panel shows, as plain text, the way the student sees it."""

from __future__ import annotations

from textual.app import App

from lstm_tui.ui.widgets.line_canvas import LineCanvas


def panel_lines(app: App, widget_id: str) -> list[str]:
    """The rendered rows of one panel, characters only."""
    canvas = app.screen.query_one(f"#{widget_id}", LineCanvas)
    return ["".join(ch for ch, _ in row).rstrip() for row in canvas._rows]


def panel_text(app: App, widget_id: str) -> str:
    return "\n".join(panel_lines(app, widget_id))
