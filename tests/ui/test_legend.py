"""The legend says in words what each glyph means, whole at every size."""

from __future__ import annotations

import pytest

from tests.ui.factory import default_app
from tests.ui.screen_text import panel_lines


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)])
async def test_the_legend_reads_without_the_code(size) -> None:
    app = default_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = panel_lines(app, "legend")
    text = "\n".join(lines)
    # Gates: from 0 to 1 by height; the candidate's sign before its height, spaced.
    assert "i f o 0 · ▂ ▄ ▆ █ 1" in text
    assert "g -1 -█ -▅ · +▅ +█ +1" in text
    # The timeline has no sign glyph: shades below 0, blocks above, in words.
    assert "timeline below 0 ▓▒░ · ▂▄▆█ above 0" in text
    for mark in ("▲▼ beyond the range", "∞ inf: overflowed", "? nan: undefined"):
        assert mark in text
    assert "saturated (±0.05 of a range end) i 100%" in text
    # Nothing is cut at the panel's edge: entries that do not fit move down.
    assert all(len(line) < size[0] for line in lines)
