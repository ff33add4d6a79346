"""``lstm-tui samples``, ``lstm-tui presets`` and sample names in place of paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lstm_tui.engine.presets import PRESETS
from lstm_tui.sequences.samples import list_samples


def test_samples_lists_every_sample_with_its_preset(run_cli) -> None:
    result = run_cli("samples")
    assert result.code == 0
    lines = result.out.splitlines()
    for sample in list_samples():
        row = next(line for line in lines if line.startswith(sample.name + " "))
        assert sample.size_text in row
        assert (sample.preset or "-") in row
        assert sample.watch in row


def test_presets_lists_every_preset_with_its_explanation(run_cli) -> None:
    result = run_cli("presets")
    assert result.code == 0
    flat = " ".join(result.out.split())
    for preset in PRESETS.values():
        assert f"{preset.name} {preset.title}" in flat
        assert " ".join(preset.explanation.split()) in flat


def test_trace_accepts_a_sample_name_and_its_default_preset(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "b.npz"
    result = run_cli("trace", "brackets", "-o", str(out))
    assert result.code == 0, result.err
    with np.load(out) as data:
        tokens = list(data["tokens"])
        depth = np.cumsum([(t == "(") - (t == ")") for t in tokens])
        # The counter preset: unit 0's cell state is the bracket depth.
        np.testing.assert_allclose(data["c"][:, 0], depth, atol=0.02)


def test_unknown_sample_lists_the_samples(run_cli) -> None:
    result = run_cli("trace", "bracket")
    assert result.code == 2
    assert result.err.count("\n") == 1
    for sample in list_samples():
        assert sample.name in result.err


def test_unknown_preset_lists_the_presets(run_cli) -> None:
    result = run_cli("trace", "brackets", "--preset", "counterr")
    assert result.code == 2
    for name in PRESETS:
        assert name in result.err


def test_preset_names_the_tokens_it_does_not_know(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "accent.txt"
    path.write_text("(é)(ü)", encoding="utf-8")
    result = run_cli("trace", str(path), "--preset", "counter")
    assert result.code == 2
    assert "'é'" in result.err and "'ü'" in result.err and "counter" in result.err


def test_numeric_preset_refuses_text(run_cli) -> None:
    result = run_cli("trace", "brackets", "--preset", "sine")
    assert result.code == 2
    assert "sine" in result.err and "numeric" in result.err


def test_the_app_without_a_terminal_says_so_and_exits(run_cli) -> None:
    """Standard input not a terminal (a pipe, a CI job): one line, status 2, never a hang."""
    result = run_cli("latch")  # pytest's captured stdin and stdout are not terminals
    assert result.code == 2
    assert result.err.count("\n") == 1 and "needs a terminal" in result.err
    assert "trace" in result.err
