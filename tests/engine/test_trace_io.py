"""Trace files are written a block at a time, and come out as if written at once."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from lstm_tui.engine import trace_io
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import run


@pytest.mark.parametrize("block", [1, 4, 7, 1000])
def test_json_written_in_blocks_equals_json_dumps(monkeypatch, block: int) -> None:
    monkeypatch.setattr(trace_io, "_BLOCK_VALUES", block)
    traj = run(LSTMParams.random(3, 2, 1), np.random.default_rng(0).normal(size=(11, 2)))
    tokens = ["a", "\x1b[31m", "\u202e", "é", "", "b", "c", "d", "e", "f", "g"]
    arrays = trace_io.trace_arrays(traj, tokens)
    out = io.BytesIO()
    trace_io._write_json(out, arrays)
    payload = {
        name: [str(t) for t in array] if name == "tokens" else array.tolist()
        for name, array in arrays.items()
    }
    assert out.getvalue() == json.dumps(payload).encode("ascii")
    assert json.loads(out.getvalue())["tokens"] == tokens


@pytest.mark.parametrize("block", [1, 4, 7])
def test_csv_written_in_blocks_equals_csv_written_at_once(monkeypatch, block: int) -> None:
    traj = run(LSTMParams.random(3, 2, 1), np.random.default_rng(0).normal(size=(11, 2)))
    arrays = trace_io.trace_arrays(traj, [f"t{k}" for k in range(11)])
    whole = io.BytesIO()
    trace_io._write_csv(whole, arrays)
    monkeypatch.setattr(trace_io, "_BLOCK_VALUES", block)
    blocks = io.BytesIO()
    trace_io._write_csv(blocks, arrays)
    assert blocks.getvalue() == whole.getvalue()
    assert len(whole.getvalue().splitlines()) == 1 + 11 * 3


@pytest.mark.parametrize("suffix", [".csv", ".json", ".npz"])
def test_writing_a_trace_says_how_far_it_is(tmp_path, monkeypatch, suffix: str) -> None:
    monkeypatch.setattr(trace_io, "_BLOCK_VALUES", 6)
    traj = run(LSTMParams.random(3, 2, 1), np.random.default_rng(0).normal(size=(11, 2)))
    arrays = trace_io.trace_arrays(traj, [f"t{k}" for k in range(11)])
    seen: list[float] = []
    trace_io.write_trace_arrays(tmp_path / f"trace{suffix}", arrays, seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    if suffix != ".npz":
        assert len([s for s in seen if 0 < s < 1]) >= 2  # more than a start and an end
