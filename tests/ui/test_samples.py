"""Every shipped sample opens, steps to its end and back, and draws every panel."""

from __future__ import annotations

import pytest

from lstm_tui.cli import main
from lstm_tui.sequences.samples import list_samples
from tests.ui.factory import record_notes, sample_app
from tests.ui.screen_text import panel_lines, panel_text, screen_lines

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


async def pick_sample(pilot, name: str) -> None:
    """Open another sample with ``b``, choosing it by name."""
    await pilot.press("b")
    await pilot.pause()
    names = [c.name for c in pilot.app.screen.choices]
    pilot.app.screen.query_one("OptionList").highlighted = names.index(name)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_sample_read_as_words_says_so_on_opening(monkeypatch) -> None:
    app = sample_app("dialogue")
    said = record_notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert panel_lines(app, "tokens")[0].startswith(" read words ")
        await pick_sample(pilot, "brackets")
        assert panel_lines(app, "tokens")[0].startswith(" read ;")
        await pick_sample(pilot, "dialogue")
    assert any(m.startswith("sample dialogue, read as words") for m in said)
    assert any(m.startswith("sample brackets with") for m in said)


def test_help_says_a_sample_may_read_words(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "default: characters for a file" in text and "dialogue reads words" in text


async def test_another_sample_starts_at_its_first_step() -> None:
    app = sample_app("brackets")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["right"] * 30)
        await pilot.pause()
        assert app.watch_screen.view.t == 30
        await pick_sample(pilot, "anbn")
        view = app.watch_screen.view
        assert app.session.sequence.name == "anbn"
        # As it opens on the command line: its first step, its preset's unit and vector.
        assert (view.t, view.reached, view.unit, view.vector) == (0, 0, 3, "h")
        assert screen_lines(app)[0].startswith(" t = 0 / ")
        # The timeline shows the new sample's steps so far: only the first.
        assert "steps 0–0" in panel_lines(app, "timeline")[0]
