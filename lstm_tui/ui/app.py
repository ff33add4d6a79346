"""The Textual application: one session, watched step by step."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from lstm_tui.session import Change, Session
from lstm_tui.ui.commands import palette_commands
from lstm_tui.ui.crash import write_report
from lstm_tui.ui.messages import SessionChanged
from lstm_tui.ui.screens.watch_screen import WatchScreen
from lstm_tui.ui.text import safe_lines, safe_text

if TYPE_CHECKING:
    from lstm_tui.engine.variant import Variant
    from lstm_tui.lessons import Lesson

# Textual's own commands kept in the palette: "Quit" runs action_quit (which
# asks about unsaved edits) and "Theme" switches dark and light themes.
KEPT_SYSTEM_COMMANDS: frozenset[str] = frozenset({"Quit", "Theme"})

# A projector washes out dim greys and tinted backgrounds: black, white text at
# full strength, and panels only just lifted off the background.
PROJECTOR_THEME = Theme(
    name="lstm-projector",
    primary="#4da3ff",
    secondary="#9ec9ff",
    accent="#ffb000",
    warning="#ffb000",
    error="#ff5c7a",
    success="#5fd38d",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    text_alpha=1.0,
)

# New objects between the garbage collector's young passes, once the app runs.
GC_THRESHOLD = 10_000


class LstmApp(App[int]):
    """Shows a :class:`Session`; ``kiosk`` turns off file actions chosen at run time.

    With ``lesson`` the app opens on its first chapter (``session`` is that
    chapter's, as :meth:`Lesson.open_chapter` made it).

    ``screenshot_dir`` is where screenshots go, file pickers start and exports
    are offered to go (the current directory by default).
    """

    TITLE = "lstm-tui"
    ENABLE_COMMAND_PALETTE = True
    # Absolute, so a subclass defined elsewhere finds it too.
    CSS_PATH = Path(__file__).with_name("lstm_tui.tcss")

    def __init__(
        self,
        session: Session,
        *,
        kiosk: bool = False,
        projector: bool = False,
        screenshot_dir: str | Path | None = None,
        lesson: Lesson | None = None,
        compare: Variant | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.lesson = lesson
        self.kiosk = kiosk
        # A cell B to open the compare screen with (lstm-tui --vs-...).
        self.compare = compare
        self.projector = projector
        if projector:
            self.register_theme(PROJECTOR_THEME)
            self.theme = PROJECTOR_THEME.name
        self.screenshot_dir = Path(screenshot_dir) if screenshot_dir is not None else Path.cwd()
        self._unsubscribe = session.subscribe(self._session_changed)
        # The report of the first unexpected error (later ones are added to
        # it) and the one line that tells where it is.
        self.crash_report: Path | None = None
        self.crash_line = ""
        # The garbage collector's thresholds before the app tuned them.
        self._gc_threshold: tuple[int, int, int] | None = None
        self._gc_was_off = False

    def get_default_screen(self) -> Screen:
        # The watch screen is the bottom of the stack: nothing is drawn behind it.
        return WatchScreen(self.session, self.lesson, projector=self.projector)

    def on_mount(self) -> None:
        if self.compare is not None:
            self.session.set_variant(self.compare)
        if self.session.variant is not None:
            # --vs-..., or a lesson whose first chapter has a cell B. Imported
            # when asked for: the first frame of the watch screen does not need it.
            from lstm_tui.ui.screens.compare_screen import CompareScreen

            self.push_screen(CompareScreen(self.watch_screen.view))

    def on_ready(self) -> None:
        # Everything made so far (Textual's widgets, styles, the session)
        # lives as long as the app: the garbage collector need not walk it
        # again. A step makes some thousands of short-lived cells, nearly
        # none in a reference cycle: collected every 700 new objects (the
        # default), a step paid for two or three passes over the cells still
        # in use; every ten thousand, most are freed before a pass sees them.
        self._gc_threshold = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, *self._gc_threshold[1:])
        # The command line turns the collector off while the app loads: on from the first frame.
        self._gc_was_off = not gc.isenabled()
        gc.enable()

    def on_unmount(self) -> None:
        self._unsubscribe()
        if self._gc_threshold is not None:
            # As it was (many apps run in one process under the tests).
            gc.set_threshold(*self._gc_threshold)
            gc.unfreeze()
            if self._gc_was_off:
                gc.disable()

    def _session_changed(self, change: Change) -> None:
        """Tell every open screen what changed; each redraws what it shows of the session."""
        for screen in self.screen_stack:
            screen.post_message(SessionChanged(change))

    @property
    def watch_screen(self) -> WatchScreen:
        for screen in self.screen_stack:
            if isinstance(screen, WatchScreen):
                return screen
        raise LookupError("the watch screen is not open")

    async def action_quit(self) -> None:
        self.request_quit()

    def request_quit(self) -> None:
        """Quit, asking first when the weights or configuration have unsaved edits."""
        if not self.session.modified:
            self.exit(0)
            return
        # Imported when first asked for: the first frame does not need it.
        from lstm_tui.ui.dialogs.confirm import ConfirmScreen

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit(0)

        # Kiosk mode refuses saving, so it does not offer it.
        hint = (
            ""
            if self.kiosk
            else "\n\n(ctrl+s saves the weights; activations and clamps are not part of a "
            "weights file.)"
        )
        self.push_screen(
            ConfirmScreen(
                "unsaved edits",
                f"The model ({safe_text(self.session.model_label)}) has edits to its weights, "
                f"activations or clamps that are not saved. Quit and lose them?{hint}",
                "quit",
                "keep working",
            ),
            answered,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a toast, always as plain text; routine feedback replaces the previous one.

        Messages carry paths, tokens, typed values and ``.npz`` keys, and any
        of them can hold square brackets: read as markup, ``[/b]`` would crash
        the app, ``[red]`` recolour the message and ``[@click=app.quit]`` make
        a link that quits. No message of the app uses markup, so ``markup`` is
        ignored (Textual's widgets and screens pass it through to here).

        Every key (undo, an activation, the speed) reports what it did, and
        stacked toasts would cover the unit panel's formulas, so an information
        toast removes the earlier information toasts. Warnings and errors stay
        until they time out: they say something went wrong.

        An information toast is shown once the frame that shows what the key
        did is out: swapping toasts lays the whole screen out again, twice
        (the old toast removed, the new one mounted), and would hold that
        frame back.
        """
        # The last guard before the terminal: whatever a message quotes (a
        # path, a token, an error from a reader) cannot act on the screen.
        message, title = safe_lines(message), safe_text(title)
        if severity == "information":
            # Twice: the first call can come before the panels have asked for
            # their repaint (the screen looks idle then); by the second they have.
            self.call_after_refresh(
                self.call_after_refresh, self._replace_routine_toast, message, title, timeout
            )
            return
        if any(
            (n.severity, n.message, n.title) == (severity, message, title)
            for n in self._notifications
        ):
            # The same warning again (five nudges past a limit): one toast says it.
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _replace_routine_toast(self, message: str, title: str, timeout: float | None) -> None:
        for notification in [n for n in self._notifications if n.severity == "information"]:
            self._unnotify(notification, refresh=False)
        # Textual's notify shows the toasts as they now are: the old one goes, this one comes.
        super().notify(message, title=title, severity="information", timeout=timeout, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: write the report to a file and end with one line naming it.

        Textual has no public hook for an unhandled error; this method is the
        one every path calls (handlers, actions, workers, timers, painting).
        Textual's handling is kept: the return code 1, the error kept for
        ``run_test`` to raise in tests, the app closed. What it would print
        on exit, a traceback with every frame's local variables (file
        contents, paths and tokens, raw, on a classroom's screen), is
        dropped; :func:`run_app` prints :attr:`crash_line` instead, as it is
        (Rich would fold a long path over several lines). The report in the
        file has no locals either.
        """
        first = not self.crash_line
        self.crash_report = write_report(error, self.crash_report)
        super()._handle_exception(error)
        self._exit_renderables.clear()
        if not first:
            return
        if self.crash_report is not None:
            where = f"the full report is in {safe_text(str(self.crash_report))}"
        else:
            where = "no report could be written (no cache or temporary directory took it)"
        self.crash_line = f"lstm-tui: unexpected error ({type(error).__name__}); {where}"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" writes elsewhere than `s` does and fails in kiosk
        # mode, and its "Keys" side panel squeezes the cell panel and has no way
        # back by escape: offer only the built-ins that fit this app.
        for command in super().get_system_commands(screen):
            if command.title in KEPT_SYSTEM_COMMANDS:
                yield command
        watch = self.watch_screen
        for entry in palette_commands():
            yield SystemCommand(
                entry.title or entry.help,
                f"{entry.help} ({entry.shown_keys})",
                lambda action=entry.action: watch.run_action(action),
            )


def run_app(
    session: Session,
    *,
    kiosk: bool = False,
    mouse: bool = True,
    projector: bool = False,
    lesson: Lesson | None = None,
    compare: Variant | None = None,
) -> int:
    """Run the app until the user quits; the exit status for the command line.

    ``mouse=False`` leaves the terminal's mouse reporting off: a terminal that
    reports every move of the mouse sends bytes up a slow link, and the app
    repaints what the pointer passes over. An unexpected error ends the app
    with no result and return code 1: that code, not 0, is the status.
    """
    app = LstmApp(session, kiosk=kiosk, projector=projector, lesson=lesson, compare=compare)
    result = app.run(mouse=mouse)
    if app.crash_line:
        # After run(): the terminal is back to the shell's screen.
        sys.stderr.write(app.crash_line + "\n")
    if app.return_code:
        return app.return_code
    return 0 if result is None else int(result)
