"""Every shipped sample opens, steps to its end and back, and draws every panel."""

from __future__ import annotations

import pytest

from lstm_tui.sequences.samples import list_samples
from tests.ui.factory import sample_app
from tests.ui.screen_text import panel_text

SAMPLES = [sample.name for sample in list_samples()]


def test_samples_are_shipped() -> None:
    assert "brackets" in SAMPLES


@pytest.mark.parametrize("name", SAMPLES)
async def test_each_sample_opens_and_steps(name: str) -> None:
    app = sample_app(name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "left", "v", "d", "down")
        await pilot.pause()
        view = app.watch_screen.view
        assert view.t == view.length - 2
        for panel in ("header", "tokens", "cells", "unit", "legend", "timeline"):
            assert panel_text(app, panel).strip(), panel
