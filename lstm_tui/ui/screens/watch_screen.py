"""The main screen: the cell stepping through the sequence, moved by keyboard."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.screen import Screen
from textual.timer import Timer

from lstm_tui.session import Session
from lstm_tui.ui.commands import WATCH_COMMANDS, bindings
from lstm_tui.ui.compositor import SpanCompositor
from lstm_tui.ui.editing import EditingMixin
from lstm_tui.ui.finding import FindingMixin
from lstm_tui.ui.messages import SessionChanged
from lstm_tui.ui.navigation import NavigationMixin
from lstm_tui.ui.screens.train_actions import TrainActions
from lstm_tui.ui.view import TIMELINE_VECTORS, View, opening_focus
from lstm_tui.ui.widgets.cell_diagram import CellDiagram
from lstm_tui.ui.widgets.cell_panel import CellPanel
from lstm_tui.ui.widgets.footer import KeysFooter
from lstm_tui.ui.widgets.header_bar import HeaderBar
from lstm_tui.ui.widgets.legend import Legend
from lstm_tui.ui.widgets.lesson_caption import LessonCaption
from lstm_tui.ui.widgets.line_canvas import LineCanvas, Palette
from lstm_tui.ui.widgets.prediction_panel import PredictionPanel
from lstm_tui.ui.widgets.timeline import Timeline
from lstm_tui.ui.widgets.token_strip import TokenStrip
from lstm_tui.ui.widgets.unit_panel import UnitPanel

if TYPE_CHECKING:
    from lstm_tui.lessons import Lesson

SPEEDS: tuple[float, ...] = (1, 2, 5, 10, 20, 30, 60, 120)
DEFAULT_SPEED = 10.0
# Playback ticks at most this often; faster speeds advance several steps per
# tick, since a terminal frame cannot usefully show more than about 60 a second.
MAX_TICKS_PER_SECOND = 60.0

# A jump that needs more steps × units computed than this is computed a
# slice at a time, so keys stay answered: a slice is some 50 ms of work.
FAR_WORK = 2_000_000
SLICE_WORK = 200_000
SLICE_GAP_SECONDS = 1 / 30

# From WIDE columns the unit panel is wider and, from DIAGRAM_SIZE up, the
# cell diagram is shown unasked under it: beside the cell panel, which keeps
# its width. On a smaller screen `c` shows the diagram in place of the unit
# panel (the cell panel, which has every unit, stays as it is).
WIDE = 120
DIAGRAM_SIZE = (120, 40)

# The projector's cell panel: at most this many units a page, so each is a
# long bar with its number, legible from the back of a room.
PROJECTOR_UNITS = 6


def covering_boxes(top: Screen) -> list[Region]:
    """The regions of the screen that ``top``'s own widgets cover.

    A widget of the top screen with an opaque background hides whatever is
    under it; the screen behind shows (dimmed) only around such widgets.
    """
    return [
        child.region
        for child in top.children
        if child.display and child.visible and child.styles.background.a == 1
    ]


def hidden(region: Region, boxes: Iterable[Region]) -> bool:
    return any(box.contains_region(region) for box in boxes)


class WatchScreen(TrainActions, EditingMixin, NavigationMixin, FindingMixin, Screen[None]):
    """Header, token strip, a lesson's caption, cell and unit panels, timeline, legend, footer.

    With ``lesson`` the screen opens on its first chapter, whose settings
    ``session`` already has.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings(WATCH_COMMANDS, priority=True)

    def __init__(
        self, session: Session, lesson: Lesson | None = None, *, projector: bool = False
    ) -> None:
        super().__init__(classes="-projector" if projector else None)
        # The big-screen layout: few, large units, no timeline.
        self.projector = projector
        # Sends only the cells each panel repaints (see lstm_tui.ui.compositor).
        self._compositor = SpanCompositor()
        unit, vector = opening_focus(session)
        self.view = View(session, unit=unit, vector=vector, speed=DEFAULT_SPEED)
        self._timer: Timer | None = None
        # Playback follows this clock (replaceable in tests), not the count of
        # ticks: Textual skips ticks while a frame renders, and counting them lags.
        self.clock: Callable[[], float] = time.monotonic
        self._play_from = (0, 0.0)  # (step, clock time) playback is measured from
        # A redraw asked for and not yet done, and whether it needs a new layout.
        self._redraw_due = False
        self._layout_due = False
        self._canvases: list[LineCanvas] = []
        # Panels not drawn since the session changed, hidden under a dialog (see redraw).
        self._stale: set[LineCanvas] = set()
        # A step far ahead being computed slice by slice, and whether that is under way.
        self._far_target: int | None = None
        self._computing = False
        # Whether the cell diagram is shown: None until `c` decides, by the size till then.
        self._diagram_chosen: bool | None = None
        if lesson is not None:
            self.land(lesson, 0, session)
            # The chapter's step counts as read: the timeline shows the steps up to it.
            self.view.update()
            self.set_class(True, "-lesson")

    def compose(self) -> ComposeResult:
        view = self.view
        if self.projector:
            cells = CellPanel(view, id="cells", max_units=PROJECTOR_UNITS)
            view.detailed = True
        else:
            cells = CellPanel(view, id="cells")
            # Few units: start with bars and numbers, which then fit on one page.
            # Decided before the first frame, so that frame is already the right one.
            view.detailed = cells.fits_detailed(self.app.size.width - 36)
        # The panels are mounted with the classes for this size already set,
        # so the first frame is laid out once, and styled once.
        self._place_panels(update=False)
        yield Palette()  # first: restyled before the panels that read it
        yield HeaderBar(view, id="header")
        yield TokenStrip(view, id="tokens")
        yield LessonCaption(view, id="lesson")
        yield PredictionPanel(view, id="prediction")
        with Horizontal(id="panels"):
            yield cells
            with Vertical(id="side"):
                yield UnitPanel(view, id="unit")
                yield CellDiagram(view, id="diagram")
        yield Legend(view, id="legend", timeline=not self.projector)
        if not self.projector:
            yield Timeline(view, id="timeline")
        # Compact: at 80 columns every key and the palette fit on the one line.
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        # The panels never change: found once, not by a query on every key.
        self._canvases = list(self.query(LineCanvas))
        self.query_one(PredictionPanel).follow_model()

    def _compositor_refresh(self) -> None:
        """Under a dialog, have the dialog's screen repaint only the cells that changed here.

        Textual's own version (Screen._compositor_refresh; Textual is pinned)
        asks the screen on top for a repaint of the changed regions in a way
        that drops what the dialog itself changed in the same frame, and
        marks this whole screen for repainting, so the next change behind
        the dialog repaints every cell of the terminal, the dialog's changes
        with it: two full frames per edit in the weight editor. Here the
        changed regions are added to the top screen's own repaint, beside
        the dialog's changes; this screen repaints whole anyway when it is
        shown again (Textual's ScreenResume).

        Only the regions that show are passed on: a change under the
        dialog's box cannot be seen, and the dialog's screen paints the
        dimmed screen behind it whole whenever any region of it is to be
        repainted (all of it, some 24 lines of colours blended with the dim
        colour, for the one line of the header that shows beside the
        weight editor).
        """
        app = self.app
        if app.is_inline or self is app.screen or self not in app._background_screens:
            super()._compositor_refresh()
            return
        dirty = self._compositor._dirty_regions
        if dirty:
            top = app.screen
            boxes = covering_boxes(top)
            shown = [region for region in dirty if not hidden(region, boxes)]
            if shown:
                top._set_dirty(*shown)
                top._dirty_widgets.add(top)
                top.check_idle()
            dirty.clear()
            self._dirty_widgets.clear()
        app._update_mouse_over(self)

    def on_resize(self) -> None:
        self._place_panels()

    @property
    def diagram_shown(self) -> bool:
        """The cell diagram is on screen: as `c` last set it, else where it fits."""
        if self._diagram_chosen is not None:
            return self._diagram_chosen
        if self.projector:
            # The big screen shows the figure beside the arithmetic, whatever its size.
            return True
        width, height = self.app.size
        return width >= DIAGRAM_SIZE[0] and height >= DIAGRAM_SIZE[1]

    def _place_panels(self, update: bool = True) -> None:
        """The stylesheet's classes for the panels beside the cell panel, at this size.

        The styles are worked out again once for all the classes that changed
        (each change on its own would restyle every panel, some 30 ms), and
        not at all with ``update`` False: before the panels are mounted.
        """
        wide = self.app.size.width >= WIDE
        # The projector has room for one of the two: the figure, unless `c` asks otherwise.
        only = self.diagram_shown and (self.projector or not wide)
        classes = {
            "-wide": wide,
            "-diagram": self.diagram_shown,
            "-diagram-only": only,
            "-short": self.app.size.height < 30,
        }
        changed = False
        for name, wanted in classes.items():
            if self.has_class(name) != wanted:
                self.set_class(wanted, name, update=False)
                changed = True
        if changed and update:
            self.update_node_styles()

    # ------------------------------------------------------------- drawing
    def redraw(self, layout: bool = False) -> None:
        """Recompute the view from the session and repaint what changed, now."""
        self._redraw_due = self._layout_due = False
        self.set_class(self.view.lesson is not None, "-lesson")
        self.view.update()
        # Under a dialog (the weight editor follows every edit here), a panel
        # its box hides is drawn only when this screen shows again. With a
        # new layout due, where each panel will be is not known yet.
        boxes = [] if layout or self.app.screen is self else covering_boxes(self.app.screen)
        for canvas in self._canvases:
            if layout:
                canvas.refresh(layout=True)
            if boxes and hidden(canvas.region, boxes):
                self._stale.add(canvas)
            else:
                self._stale.discard(canvas)
                canvas.redraw()

    def on_screen_resume(self) -> None:
        # The panels left as they were under a dialog, drawn before it is gone from the screen.
        for canvas in self._stale:
            canvas.redraw()
        self._stale.clear()

    def request_redraw(self, layout: bool = False) -> None:
        """Redraw once the keys already waiting are handled.

        Keys that arrive together (a slow link delivers them in bunches, a
        held key repeats faster than a frame) each move the cursor, and only
        the state after the last of them is drawn: a burst is one repaint,
        not one per key played out long after the keys stopped.
        """
        self._layout_due = self._layout_due or layout
        if not self._redraw_due:
            self._redraw_due = True
            # Behind the keys already read: their actions run as the app reads
            # them (priority bindings), so the redraw waits in the app's queue.
            # Under a dialog too: the panels behind the weight editor follow each edit.
            self.app.call_later(self._redraw_if_due)

    def _redraw_if_due(self) -> None:
        if self._redraw_due:
            self.redraw(self._layout_due)

    def on_session_changed(self, message: SessionChanged) -> None:
        """The one way a change to the session reaches this screen."""
        # Only another model or sequence can change a panel's height (units, vocabulary).
        other = message.change.restates_ranges
        if other:
            self.view.restate_ranges()
            self.query_one(PredictionPanel).follow_model()
        self.request_redraw(layout=other)

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
        hidden = self.view.hidden
        if (t - self.view.session.trajectory.computed) * hidden > FAR_WORK:
            # Far ahead (end on a long sequence): computed a slice at a time
            # between keys, with a progress line, and then shown.
            self._far_target = t
            if not self._computing:
                self._computing = True
                self.call_later(self._compute_slice)
            return
        self._far_target = None
        self.view.t = t
        self.request_redraw()

    def _compute_slice(self) -> None:
        target = self._far_target
        traj = self.view.session.trajectory
        if target is None or target >= len(traj):
            self._computing = False
            self.view.computing = None
            self.request_redraw()
            return
        done = traj.computed
        steps = max(1, SLICE_WORK // self.view.hidden)
        if target - done > steps:
            if self.view.computing is None:
                self.notify(f"computing steps up to {target:,} …", title="computing", timeout=3)
            traj.ensure(done + steps - 1)
            # The share done, in the header, repainted between slices.
            self.view.computing = traj.computed / (target + 1)
            self.request_redraw()
            # A timer, not a message, and as long as a frame: keys that arrived
            # meanwhile go first, and the progress line is painted.
            self.set_timer(SLICE_GAP_SECONDS, self._compute_slice)
            return
        self._computing = False
        self._far_target = None
        self.view.computing = None
        self.view.t = target
        self.request_redraw()

    def action_toggle_play(self) -> None:
        if self.view.playing:
            self._pause()
        else:
            if self.view.t >= self.view.length - 1:
                self.view.t = 0
            self.view.playing = True
            self._start_timer()
            self.request_redraw()

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
        self.request_redraw()

    def action_speed(self, direction: int) -> None:
        speeds = list(SPEEDS)
        current = min(range(len(speeds)), key=lambda k: abs(speeds[k] - self.view.speed))
        index = max(0, min(len(speeds) - 1, current + direction))
        self.view.speed = speeds[index]
        if self.view.playing:
            self._start_timer()
        self.request_redraw()
        speed = self.view.speed
        self.notify(f"{speed:g} step{'' if speed == 1 else 's'} per second", timeout=1.5)

    def action_unit(self, delta: int) -> None:
        unit = max(0, min(self.view.hidden - 1, self.view.unit + delta))
        if unit != self.view.unit:
            self.view.unit = unit
            self.request_redraw(layout=True)

    def action_unit_page(self, direction: int) -> None:
        cells = self.query_one(CellPanel)
        # A whole page, not the current window, which is short on the last page.
        _, per_page = cells.page_size(cells.size.width)
        self.action_unit(direction * per_page)

    def action_cycle_vector(self) -> None:
        index = TIMELINE_VECTORS.index(self.view.vector)
        self.view.vector = TIMELINE_VECTORS[(index + 1) % len(TIMELINE_VECTORS)]
        self.request_redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # d offers bars when the cells are glyphs and glyphs when they are bars.
        if action == "detail":
            return bool(parameters[0]) != self.view.detailed
        return True

    def action_detail(self, on: bool) -> None:
        self.view.detailed = on
        self.refresh_bindings()
        self.request_redraw(layout=True)

    def action_toggle_diagram(self) -> None:
        self._diagram_chosen = not self.diagram_shown
        self._place_panels()
        self.request_redraw(layout=True)

    def action_toggle_cell_scale(self) -> None:
        view = self.view
        view.cell_scale_per_unit = not view.cell_scale_per_unit
        view.update()
        if view.cell_scale_per_unit:
            high = view.row("c").scale.at(view.unit).high
            said = f"cell state: a range per unit (u{view.unit}: ±{high:g}); C: one for all"
        else:
            said = f"cell state: one range for every unit (±{view.cell_range:g}); C: per unit"
        self.notify(said, timeout=3)
        self.request_redraw(layout=True)

    def action_toggle_surprisal(self) -> None:
        if not self.view.session.stack.has_head:
            self.notify("surprisal needs a model with a head (a Linear layer on h)", timeout=3)
            return
        self.view.surprisal_strip = not self.view.surprisal_strip
        self.request_redraw(layout=True)

    def action_compare(self) -> None:
        # Imported when first asked for: the first frame does not need it.
        from lstm_tui.ui.screens.compare_screen import open_compare

        open_compare(self.app, self.view)

    def open_compare(self) -> None:
        """The compare screen on top, with the session's cell B (a lesson's chapter with one)."""
        from lstm_tui.ui.screens.compare_screen import show_compare

        show_compare(self.app, self.view)

    def action_help(self) -> None:
        # Imported when first asked for: the first frame does not need it.
        from lstm_tui.ui.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        # The app asks first when there are unsaved edits.
        await self.app.action_quit()
