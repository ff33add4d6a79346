"""What the first frame costs, and what an edit repaints: only what the screen needs.

Timings are the benchmark's (``benchmarks/ui.py``); these tests pin the
behaviour the figures rest on: modules loaded on demand, the collector off
until the first frame, the styles worked out once per change of size, and an
edit under the weight editor repainting only the cells that show a change.
"""

from __future__ import annotations

import gc
import subprocess
import sys

from textual.dom import DOMNode

import lstm_tui.cli
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import default_app
from tests.ui.screen_text import panel_text, screen_lines
from tests.ui.test_repaint import record_frames

# Loaded when first used, never for the first frame of the watch screen.
ON_DEMAND = (
    "lstm_tui.lessons",
    "lstm_tui.ui.screens.compare_screen",
    "lstm_tui.ui.compare_view",
    "lstm_tui.ui.screens.help_screen",
    "lstm_tui.engine.variant",
    "lstm_tui.engine.trace_io",
    "lstm_tui.sequences.typed",
    "tomllib",
)


def test_the_first_frame_loads_no_module_it_does_not_show() -> None:
    # A fresh interpreter, the app run up to its first frame (the default preset).
    code = (
        "import asyncio, sys\n"
        "from lstm_tui.session import open_session\n"
        "from lstm_tui.ui.app import LstmApp\n"
        "async def main():\n"
        "    app = LstmApp(open_session())\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        print(sorted(sys.modules))\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = set(eval(result.stdout.strip().splitlines()[-1]))
    assert "lstm_tui.ui.screens.watch_screen" in loaded  # the probe saw the app
    dialogs = sorted(m for m in loaded if m.startswith("lstm_tui.ui.dialogs."))
    assert not dialogs
    assert not [m for m in ON_DEMAND if m in loaded]


def test_the_command_line_runs_the_app_with_the_collector_off(monkeypatch) -> None:
    seen: list[bool] = []

    def run(session, args, lesson=None, variant=None) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(lstm_tui.cli, "_run", run)
    assert gc.isenabled()
    assert lstm_tui.cli.main([]) == 0
    assert seen == [False]
    # On again once the app is over, whatever happened in it.
    assert gc.isenabled()


async def test_the_app_turns_the_collector_on_with_its_first_frame() -> None:
    gc.disable()
    try:
        app = default_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
        # As the app found it: the command line turns it on when it is done.
        assert not gc.isenabled()
    finally:
        gc.enable()


def count_restyles(app) -> list[DOMNode]:
    """Every node whose styles (and its children's) are worked out again from now on."""
    restyled: list[DOMNode] = []
    original = app.update_styles

    def update_styles(node: DOMNode, animate: bool = True) -> None:
        restyled.append(node)
        original(node, animate=animate)

    app.update_styles = update_styles
    return restyled


async def test_the_first_frame_and_a_resize_restyle_the_screen_once() -> None:
    app = default_app()
    restyled = count_restyles(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WatchScreen)
        # Textual's own, when the screen is shown: the size's classes were set before.
        assert restyled.count(screen) == 1
        assert screen.has_class("-short")
        restyled.clear()
        # Wide, tall enough for the diagram, not short: three classes change.
        await pilot.resize_terminal(130, 41)
        await pilot.pause()
        assert screen.has_class("-wide", "-diagram") and not screen.has_class("-short")
        assert restyled.count(screen) == 1


async def test_an_edit_under_the_weight_editor_repaints_only_the_lines_it_changes() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", "end", "plus")
        await pilot.pause()
        before, frames = screen_lines(app), record_frames(app)
        await pilot.press("plus")
        await pilot.pause()
        pairs = zip(before, screen_lines(app), strict=True)
        changed = {y for y, (a, b) in enumerate(pairs) if a != b}
        repainted = {y for f in frames if f is not None for y, _, _ in f.spans}
        # The grid's line with the value, the edits count, the detail and live lines.
        assert changed and repainted <= changed


async def test_the_panels_hidden_by_the_weight_editor_are_current_when_it_closes() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        before = panel_text(app, "cells")
        await pilot.press("w", "end", "left", "0")  # b_ih of the input gate: 0, not -20
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        shown = panel_text(app, "cells")
        assert shown != before
        app.screen.redraw()
        await pilot.pause()
        assert panel_text(app, "cells") == shown
