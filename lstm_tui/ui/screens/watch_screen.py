"""The main screen: the cell stepping through the sequence, moved by keyboard."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from lstm_tui.session import Session
from lstm_tui.ui.editing import EDITING_BINDINGS, EditingMixin
from lstm_tui.ui.scales import nice_range
from lstm_tui.ui.view import TIMELINE_VECTORS, View
from lstm_tui.ui.widgets.cell_panel import CellPanel
from lstm_tui.ui.widgets.header_bar import HeaderBar
from lstm_tui.ui.widgets.legend import Legend
from lstm_tui.ui.widgets.line_canvas import LineCanvas
from lstm_tui.ui.widgets.timeline import Timeline
from lstm_tui.ui.widgets.token_strip import TokenStrip
from lstm_tui.ui.widgets.unit_panel import UnitPanel

SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 20, 30, 60, 120)
DEFAULT_SPEED = 10.0
# Playback ticks at most this often; faster speeds advance several steps per
# tick, since a terminal frame cannot usefully show more than about 60 a second.
MAX_TICKS_PER_SECOND = 60.0

# Steps looked at ahead to state the cell state's range: enough to cover a
# sample, cheap (a few ms), and fixed once chosen so colours stay comparable.
RANGE_PROBE_STEPS = 2048


def cell_range_for(session: Session) -> float:
    traj = session.trajectory
    if len(traj):
        traj.ensure(min(len(traj), RANGE_PROBE_STEPS) - 1)
    return nice_range(traj.c)


class WatchScreen(EditingMixin, Screen[None]):
    """Header, token strip, cell and unit panels, timeline, legend and footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "step(1)", "step", key_display="→"),
        Binding("left,h", "step(-1)", "back", key_display="←"),
        Binding("home", "jump(0)", "start", show=False),
        Binding("end", "jump(-1)", "end", show=False),
        Binding("space", "toggle_play", "play"),
        Binding("plus,equals_sign", "speed(1)", "faster", key_display="+", show=False),
        Binding("minus", "speed(-1)", "slower", key_display="-", show=False),
        Binding("up", "unit(-1)", "unit ↑", show=False),
        Binding("down", "unit(1)", "unit", key_display="↑↓"),
        Binding("pageup", "unit_page(-1)", "units page up", show=False),
        Binding("pagedown", "unit_page(1)", "units page down", show=False),
        Binding("v", "cycle_vector", "vector"),
        Binding("d", "toggle_detail", "detail"),
        Binding("s", "screenshot", "svg", show=False),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
        *EDITING_BINDINGS,
    ]

    DEFAULT_CSS = """
    WatchScreen { layout: vertical; }
    WatchScreen #panels { height: auto; margin-top: 1; }
    WatchScreen CellPanel { width: 1fr; }
    WatchScreen UnitPanel { width: 36; border-left: vkey $surface-lighten-2; }
    WatchScreen Legend { margin-top: 1; }
    WatchScreen.-wide UnitPanel { width: 58; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        preset = None
        if session.preset is not None:
            from lstm_tui.engine.presets import get_preset

            preset = get_preset(session.preset)
        hidden = session.params.hidden_size
        self.view = View(
            session,
            unit=min(preset.focus_unit, hidden - 1) if preset else 0,
            vector=preset.timeline if preset and preset.timeline in TIMELINE_VECTORS else "c",
            speed=DEFAULT_SPEED,
            cell_range=cell_range_for(session),
        )
        self._timer: Timer | None = None
        # Playback follows this clock (replaceable in tests), not the count of
        # ticks: Textual skips ticks while a frame renders, and counting them lags.
        self.clock: Callable[[], float] = time.monotonic
        self._play_from = (0, 0.0)  # (step, clock time) playback is measured from

    def compose(self) -> ComposeResult:
        view = self.view
        yield HeaderBar(view, id="header")
        yield TokenStrip(view, id="tokens")
        with Horizontal(id="panels"):
            yield CellPanel(view, id="cells")
            yield UnitPanel(view, id="unit")
        yield Legend(view, id="legend")
        yield Timeline(view, id="timeline")
        # Compact: at 80 columns every key and the palette fit on the one line.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # Few units: start with bars and numbers, which then fit on one page.
        cells = self.query_one(CellPanel)
        self.view.detailed = cells.fits_detailed(self.app.size.width - 36)
        self.redraw(layout=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 120, "-wide")

    # ------------------------------------------------------------- drawing
    def redraw(self, layout: bool = False) -> None:
        """Recompute the view from the session and repaint what changed."""
        self.view.update()
        for canvas in self.query(LineCanvas):
            if layout:
                canvas.refresh(layout=True)
            canvas.redraw()

    def refresh_session(self) -> None:
        """The session changed (weights, activations, clamps): redraw everything."""
        self.view.t = min(self.view.t, self.view.length - 1)
        self.view.unit = min(self.view.unit, self.view.hidden - 1)
        self.redraw(layout=True)

    # ------------------------------------------------------------- actions
    def action_step(self, delta: int) -> None:
        self._go(self.view.t + delta)
        self._restart_clock()

    def action_jump(self, where: int) -> None:
        self._go(where if where >= 0 else self.view.length - 1)
        self._restart_clock()

    def _go(self, t: int) -> None:
        t = max(0, min(self.view.length - 1, t))
        if t == self.view.t:
            if self.view.playing:
                self._pause()
            return
        self.view.t = t
        self.redraw()

    def action_toggle_play(self) -> None:
        if self.view.playing:
            self._pause()
        else:
            if self.view.t >= self.view.length - 1:
                self.view.t = 0
            self.view.playing = True
            self._start_timer()
            self.redraw()

    def _start_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._restart_clock()
        interval = 1 / min(self.view.speed, MAX_TICKS_PER_SECOND)
        self._timer = self.set_interval(interval, self._tick)

    def _restart_clock(self) -> None:
        """Measure playback from the current step, now (on play, speed change or a manual step)."""
        self._play_from = (self.view.t, self.clock())

    def _tick(self) -> None:
        if self.view.t >= self.view.length - 1:
            self._pause()
            return
        start, since = self._play_from
        # The epsilon keeps a step due exactly now from rounding down to the one before.
        due = start + int((self.clock() - since) * self.view.speed + 1e-9)
        if due > self.view.t:
            self._go(due)

    def _pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.view.playing = False
        self.redraw()

    def action_speed(self, direction: int) -> None:
        speeds = list(SPEEDS)
        current = min(range(len(speeds)), key=lambda k: abs(speeds[k] - self.view.speed))
        index = max(0, min(len(speeds) - 1, current + direction))
        self.view.speed = speeds[index]
        if self.view.playing:
            self._start_timer()
        self.redraw()
        self.notify(f"{self.view.speed:g} steps per second", timeout=1.5)

    def action_unit(self, delta: int) -> None:
        unit = max(0, min(self.view.hidden - 1, self.view.unit + delta))
        if unit != self.view.unit:
            self.view.unit = unit
            self.redraw(layout=True)

    def action_unit_page(self, direction: int) -> None:
        cells = self.query_one(CellPanel)
        # A whole page, not the current window, which is short on the last page.
        _, per_page = cells.page_size(cells.size.width)
        self.action_unit(direction * per_page)

    def action_cycle_vector(self) -> None:
        index = TIMELINE_VECTORS.index(self.view.vector)
        self.view.vector = TIMELINE_VECTORS[(index + 1) % len(TIMELINE_VECTORS)]
        self.redraw()

    def action_toggle_detail(self) -> None:
        self.view.detailed = not self.view.detailed
        self.redraw(layout=True)

    def action_screenshot(self) -> None:
        self.app.action_screenshot()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from lstm_tui.ui.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.request_quit()  # type: ignore[attr-defined]
