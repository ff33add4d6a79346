"""The footer of the watch screen, drawn with the first frame."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def shown_bindings(screen: Screen) -> tuple[object, ...]:
    """What the footer shows of ``screen``'s bindings: key, text and state of each."""
    return tuple(
        (binding.key, binding.description, binding.action, enabled, tooltip)
        for _, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """Textual's footer, with its keys in the first frame and composed again only on a change.

    Textual's footer composes nothing until the screen announces its
    bindings after the first refresh, and composes again on every
    announcement (after each dialog closes too), each time with a layout
    and a frame of its own. The keys are read when the footer is first
    composed, so the first frame already has them, and composed again only
    when what they show has changed.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self.set_reactive(Footer._bindings_ready, True)
        self._composed: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        self._composed = shown_bindings(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and shown_bindings(screen) == self._composed:
            return
        super().bindings_changed(screen)
