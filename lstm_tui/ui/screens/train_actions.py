"""The watch screen's ``T``: the training view, loaded when it is first opened.

Kept apart from :mod:`lstm_tui.ui.screens.train_screen` so that the watch
screen's first frame does not wait for the training view and the trainer to
be imported.
"""

from __future__ import annotations

from textual.app import App

from lstm_tui.errors import InputError
from lstm_tui.ui.view import View


class TrainActions:
    """The watch screen's ``T``: check the model can be trained, then open the training view."""

    view: View
    app: App

    def action_train(self) -> None:
        app = self.app
        if app.screen is not self:
            app.notify(
                "the training view opens from the one-cell screen: esc goes back to it, then T",
                severity="warning",
                title="not trained",
            )
            return
        # Imported when asked for (see the module's docstring).
        from lstm_tui.ui.screens.train_screen import TrainScreen, trainer_for

        try:
            trainer = trainer_for(self.view.session)
        except InputError as err:
            app.notify(f"cannot train this model: {err}", severity="warning", title="not trained")
            return
        app.push_screen(TrainScreen(self.view, trainer))
