"""A whole model in the app: the header names its parts and the layer shown, j switches
layers, the prediction line shows the head's guess, k colours the tokens by surprisal."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.session import open_session
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.widgets.prediction_panel import surprisal_style
from lstm_tui.ui.widgets.token_strip import LABEL, TokenStrip
from tests.model_files import MODEL, TEXT, write_text
from tests.ui.factory import random_app
from tests.ui.screen_text import notes, painted_cells, panel_lines, panel_text


@pytest.fixture
def model_app(tmp_path: Path) -> LstmApp:
    text = write_text(tmp_path)
    # A short file name, as people give them: the header has room to name the parts.
    weights = tmp_path / "m.npz"
    weights.write_bytes(MODEL.read_bytes())
    return LstmApp(open_session(str(text), weights=weights), screenshot_dir=tmp_path)


async def test_the_header_names_the_parts_and_j_switches_the_layer(model_app: LstmApp) -> None:
    async with model_app.run_test(size=(160, 40), notifications=True) as pilot:
        header = panel_text(model_app, "header")
        assert "lstm. ×2 + embedding.weight + head.weight" in header
        assert "layer 1 of 0–1" in header
        await pilot.press("j")
        await pilot.pause()
        assert model_app.session.layer == 0
        assert "layer 0 of 0–1" in panel_text(model_app, "header")
        assert any("showing layer 0" in note for note in await notes(pilot))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert model_app.session.layer == 1
        assert "layer 1 of 0–1" in panel_text(model_app, "header")


async def test_the_prediction_line_is_the_head_s_guess(model_app: LstmApp) -> None:
    async with model_app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*["right"] * 5)
        await pilot.pause()
        (line,) = panel_lines(model_app, "prediction")
        probs = model_app.session.stack.probabilities(5)
        vocab = model_app.session.output_vocab
        best = int(np.argmax(probs))
        shown_best = vocab[best].replace(" ", "␣")
        assert line.startswith(f" guess {shown_best} {probs[best] * 100:.0f}%")
        actual = vocab.index(TEXT[6])
        bits = -math.log2(probs[actual])
        assert f"│ next {TEXT[6]} {probs[actual] * 100:.0f}% {bits:.1f} bits" in line
        await pilot.press("end")
        await pilot.pause()
        assert "next (end of the sequence)" in panel_text(model_app, "prediction")


async def test_k_colours_the_tokens_read_by_surprisal(model_app: LstmApp) -> None:
    async with model_app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*["right"] * 20)
        await pilot.pause()
        plain = painted_cells(model_app, "tokens")[0]
        await pilot.press("k")
        await pilot.pause()
        coloured = painted_cells(model_app, "tokens")[0]
        assert "strip <1 1–3 3–6 6+ bits" in panel_text(model_app, "prediction")
        session = model_app.session
        bits = session.stack.surprisal_bits(session.token_ids(), 0, 20)
        strip = model_app.screen.query_one(TokenStrip)
        for t in range(20):
            ch, style = coloured[len(LABEL) + t]
            assert ch == TEXT[t].replace(" ", "␣")
            wanted = strip.style_for(surprisal_style(float(bits[t])))
            assert style.color == wanted.color, (t, bits[t])
        assert plain != coloured
        await pilot.press("k")
        await pilot.pause()
        assert painted_cells(model_app, "tokens")[0] == plain


async def test_a_model_without_a_head_has_no_prediction_line() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert model_lines(app) == []
        await pilot.press("k")
        assert any("needs a model with a head" in note for note in await notes(pilot))
        assert not app.screen.view.surprisal_strip
        await pilot.press("j")
        assert any("the model has one layer" in note for note in await notes(pilot))
        assert "layer" not in panel_text(app, "header")


def model_lines(app: LstmApp) -> list[str]:
    panel = app.screen.query_one("#prediction")
    return panel_lines(app, "prediction") if panel.display else []


def test_surprisal_bands() -> None:
    assert surprisal_style(0.5) == ""
    assert surprisal_style(1.0) == surprisal_style(2.9) == "scale--pos1"
    assert surprisal_style(5.0) == "scale--pos2"
    assert surprisal_style(40.0) == surprisal_style(math.inf) == "scale--pos3"
    assert surprisal_style(math.nan) == "canvas--dim"


class TestModelScreens:
    """A 2-layer model with an embedding and a head, tokens coloured by surprisal."""

    PRESSES = (*["right"] * 24, "k")

    def test_model_at_80x24(self, snap_compare, model_app: LstmApp) -> None:
        assert snap_compare(model_app, press=self.PRESSES, terminal_size=(80, 24))

    def test_model_at_160x50(self, snap_compare, model_app: LstmApp) -> None:
        assert snap_compare(model_app, press=self.PRESSES, terminal_size=(160, 50))


async def test_the_prediction_line_follows_the_model(model_app: LstmApp) -> None:
    from lstm_tui.engine.params import LSTMParams

    async with model_app.run_test(size=(80, 24)) as pilot:
        assert model_lines(model_app)
        session = model_app.session
        session.replace_model(LSTMParams.random(4, session.model.input_size), None, "random")
        await pilot.pause()
        assert model_lines(model_app) == [] and "layer" not in panel_text(model_app, "header")
        session.undo()
        await pilot.pause()
        assert model_lines(model_app)[0].startswith(" guess ")


async def test_a_model_of_numbers_guesses_the_next_vector_not_a_softmax(tmp_path: Path) -> None:
    from lstm_tui.cli import main

    out = tmp_path / "sine.npz"
    assert main(["train", "sine", "-o", str(out), "--steps", "3", "--hidden", "4"]) == 0
    session = open_session("sine", weights=str(out))
    app = LstmApp(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")
        await pilot.pause()
        line = panel_text(app, "prediction")
    guess = session.stack.head_output(1)
    actual = session.sequence.inputs[2]
    assert line.startswith(" guess " + " ".join(f"{v:+.2f}" for v in guess)), line
    assert "│ next " + " ".join(f"{v:+.2f}" for v in actual) in line, line
    assert "%" not in line and "bits" not in line  # no probabilities of tokens
