"""Finding your way through a sequence: a step by number, a token, the next event, a lesson.

:class:`NavigationMixin` holds the actions; the watch screen inherits it (its
keys are declared in :mod:`lstm_tui.ui.commands`). Moving the cursor never
changes the session; opening a lesson's chapter does, as one undoable step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lstm_tui.engine.events import SMALL_CHANGE, event_steps
from lstm_tui.errors import InputError
from lstm_tui.session import Session
from lstm_tui.ui.text import number, safe_text, visible_token
from lstm_tui.ui.view import TIMELINE_VECTORS, Find, View, opening_focus

if TYPE_CHECKING:
    from textual.app import App

    from lstm_tui.lessons import Lesson

# Looking ahead for the next event computes at most this many steps × units
# at once (some 0.1 s), so a key on a long sequence never stalls the screen.
EVENT_SCAN_WORK = 2_000_000

# How a typed token is read: the token strip's pictures of whitespace, and
# backslash escapes, stand for the characters they show.
_TYPED_WHITESPACE = {"␣": " ", "↵": "\n", "⇥": "\t", "\\n": "\n", "\\t": "\t", "\\s": " "}


def typed_token(text: str) -> str:
    """What a person typed to find a token: ``␣`` or ``\\s`` is a space, ``↵`` or ``\\n``
    a newline, ``⇥`` or ``\\t`` a tab; anything else as typed (a lone space too)."""
    if text.strip() == "":
        return text[:1]
    stripped = text.strip()
    return _TYPED_WHITESPACE.get(stripped, stripped)


def _step_number(text: str) -> int:
    """A typed step number, ``1,000`` and ``1_000`` too; a :class:`ValueError` otherwise."""
    return int(text.strip().replace(",", "").replace("_", ""))


class NavigationMixin:
    """Actions that move the cursor or follow a lesson; the class using it provides
    ``view``, ``app``, ``notify()``, ``request_redraw()``, ``_go()``, ``_pause()`` and
    ``open_compare()`` (for a chapter with a cell B)."""

    view: View
    app: App[int]
    notify: Callable[..., None]
    request_redraw: Callable[..., None]
    _go: Callable[[int], None]
    _pause: Callable[[], None]
    open_compare: Callable[[], None]

    # ------------------------------------------------------------ go to a step
    def action_go_to_step(self) -> None:
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        last = self.view.length - 1

        def check(text: str) -> str | None:
            try:
                step = _step_number(text)
            except ValueError:
                return f"not a step number: {text.strip()!r}; type a whole number 0–{last:,}"
            if not 0 <= step <= last:
                return f"{step:,} is not a step of this sequence: type 0–{last:,}"
            return None

        def answered(text: str | None) -> None:
            if text is not None:
                self._go(_step_number(text))

        self.app.push_screen(
            TextPrompt(
                "go to step",
                f"Step to go to, 0–{last:,} (the header's t).",
                hint="home: the first step · end: the last",
                check=check,
            ),
            answered,
        )

    # ------------------------------------------------------------ find a token
    def action_find(self) -> None:
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        sequence = self.view.session.sequence
        if sequence.tokens is None:
            self.notify(
                "this sequence is numbers, not tokens: g goes to a step", severity="warning"
            )
            return
        tokens = sequence.tokens

        def check(text: str) -> str | None:
            token = typed_token(text)
            if not token:
                return "type a token to find, e.g. ) or ␣ for a space"
            if token not in tokens:
                return f"{visible_token(token)} does not occur in this sequence"
            return None

        def answered(text: str | None) -> None:
            if text is None:
                return
            token = typed_token(text)
            steps = tuple(t for t, tok in enumerate(tokens) if tok == token)
            self.view.searching = Find(token, sequence, steps)
            self._next_match(1, started=True)

        self.app.push_screen(
            TextPrompt(
                "find a token",
                "Token to find; then n / N go to the next / previous one, esc ends the find.",
                hint="␣ or \\s is a space, ↵ or \\n a newline, ⇥ or \\t a tab",
                check=check,
            ),
            answered,
        )

    def _next_match(self, direction: int, started: bool = False) -> None:
        found = self.view.find
        if found is None:
            return
        t = self.view.t
        ahead = [s for s in found.steps if (s > t if direction > 0 else s < t)]
        wrapped = not ahead
        if direction > 0:
            step = ahead[0] if ahead else found.steps[0]
        else:
            step = ahead[-1] if ahead else found.steps[-1]
        self._go(step)
        self.request_redraw()
        shown = visible_token(found.token)
        where = f"{found.steps.index(step) + 1} of {len(found.steps)}"
        again = " (from the other end)" if wrapped and len(found.steps) > 1 else ""
        keys = "; n / N: next / previous, esc: end the find" if started else ""
        self.notify(f"{shown} at t = {step:,}: {where}{again}{keys}", timeout=3)

    def action_end(self) -> None:
        """esc: end the find; with none active, close the lesson's caption."""
        if self.view.find is not None:
            self.view.searching = None
            self.notify("find ended", timeout=2)
        elif self.view.lesson is not None:
            self.view.lesson = None
            self.notify("lesson closed; L opens it again", timeout=3)
            self.request_redraw(layout=True)
            return
        self.request_redraw()

    # ------------------------------------------------------ n / N: next or previous
    def action_next(self, direction: int) -> None:
        """A find's next match while one is active, else a lesson's next chapter."""
        if self.view.find is not None:
            self._next_match(direction)
        elif self.view.lesson is not None:
            self._turn_chapter(direction)
        else:
            self.notify(
                "n / N: the next / previous match of a find (/), or chapter of a lesson (L)",
                timeout=3,
            )

    # ------------------------------------------------------------ events
    def action_event(self, direction: int) -> None:
        """The next (or previous) step where the selected unit's c moves or a gate switches."""
        view = self.view
        traj = view.session.trajectory
        unit, t = view.unit, view.t
        if direction > 0:
            stop = min(len(traj), max(traj.computed, t + 1) + EVENT_SCAN_WORK // view.hidden)
            steps = event_steps(traj, unit, t + 1, stop)
            if not len(steps):
                if stop < len(traj):
                    self.notify(
                        f"nothing happens to unit {unit} in steps {t + 1:,}–{stop - 1:,}; "
                        "] again looks further",
                        timeout=3,
                    )
                    self._go(stop - 1)
                else:
                    self._say_nothing(unit, "after")
                return
            step = int(steps[0])
        else:
            steps = event_steps(traj, unit, 0, t)
            if not len(steps):
                self._say_nothing(unit, "before")
                return
            step = int(steps[-1])
        self._go(step)
        self.notify(self._event_text(step), timeout=3)

    def _say_nothing(self, unit: int, where: str) -> None:
        self.notify(
            f"nothing happens to unit {unit} {where} t = {self.view.t:,}: c moves by less "
            f"than {SMALL_CHANGE:g} and no gate crosses 0.5",
            timeout=3,
        )

    def _event_text(self, step: int) -> str:
        traj, unit = self.view.session.trajectory, self.view.unit
        _, c_before = traj.previous(step)
        parts = [f"c {number(c_before[unit], True)} → {number(traj.c[step, unit], True)}"]
        if step > 0:
            for letter in ("i", "f", "o"):
                before, after = traj.vector(letter)[step - 1 : step + 1, unit]
                if (before > 0.5) != (after > 0.5):
                    parts.append(f"{letter} {number(before)} → {number(after)}")
        token = visible_token(self.view.session.sequence.label(step))
        return f"t = {step:,} · read {token} · unit {unit}: {', '.join(parts)}"

    # ------------------------------------------------------------ lessons
    def action_open_lesson(self) -> None:
        """L: the built-in lesson from its first chapter; in a lesson, the list of its chapters."""
        current = self.view.lesson
        if current is not None:
            self._pick_chapter(current)
            return
        from lstm_tui.lessons import builtin_lesson

        try:
            lesson = builtin_lesson(TIMELINE_VECTORS)
        except InputError as err:
            self.notify(str(err), severity="error", title="no lesson")
            return
        self.show_chapter(lesson, 0)

    def _pick_chapter(self, lesson: Lesson) -> None:
        from lstm_tui.ui.dialogs.choice_list import Choice, ChoiceList

        choices = [Choice(str(ch.number), ch.title, ch.claim) for ch in lesson.chapters]

        def chosen(name: str | None) -> None:
            if name is not None:
                self.show_chapter(lesson, int(name) - 1)

        chapters = ChoiceList(
            # The keys first: a long lesson title is what the border cuts.
            f"chapters · a number opens one · {safe_text(lesson.title)}",
            choices,
            str(self.view.chapter + 1),
        )
        self.app.push_screen(chapters, chosen)

    def action_chapter(self, direction: int) -> None:
        """The lesson's next (or previous) chapter, whether or not a find is active."""
        if self.view.lesson is None:
            self.notify("no lesson is open: L opens the built-in one", timeout=3)
            return
        self._turn_chapter(direction)

    def _turn_chapter(self, direction: int) -> None:
        lesson = self.view.lesson
        if lesson is None:
            return
        index = self.view.chapter + direction
        if not 0 <= index < len(lesson):
            last = "last" if direction > 0 else "first"
            self.notify(f"this is the {last} chapter ({self.view.chapter + 1}/{len(lesson)})")
            return
        self.show_chapter(lesson, index)

    def land(self, lesson: Lesson, index: int, session: Session) -> None:
        """Look where chapter ``index`` says: its step, unit and timeline vector."""
        chapter = lesson.chapters[index]
        view = self.view
        view.lesson, view.chapter = lesson, index
        view.searching = None
        unit, vector = opening_focus(session)
        view.unit = unit if chapter.unit is None else chapter.unit
        view.vector = vector if chapter.vector is None else chapter.vector
        view.t = chapter.step

    def show_chapter(self, lesson: Lesson, index: int) -> None:
        """Land on chapter ``index``: its model, sequence, activations and clamps as one
        undoable change, then its step, unit and timeline vector."""
        try:
            session = lesson.open_chapter(index)
        except InputError as err:
            self.notify(str(err), severity="error", title="nothing changed")
            return
        self.view.session.switch_to(session)
        if self.view.playing:
            self._pause()
        # Within a lesson the caption says which chapter this is: no toast over the panels.
        entering = self.view.lesson is None
        self.land(lesson, index, session)
        # The view follows the new session now, before any layout measures a panel.
        self.view.update()
        self.request_redraw(layout=True)
        if session.variant is not None:
            # A chapter that compares: A and B side by side, its caption above them.
            self.open_compare()
        if entering:
            self.notify("a lesson: ctrl+z brings back what was there before", timeout=3)
