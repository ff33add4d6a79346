"""Sequences from a file, the samples list or typed in; weights and traces to and from files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.weights_io import load_weights, save_weights
from lstm_tui.session import load_weights_file
from lstm_tui.ui.dialogs.choice_list import ChoiceList
from lstm_tui.ui.dialogs.confirm import ConfirmScreen
from lstm_tui.ui.dialogs.open_file import OpenFile
from lstm_tui.ui.dialogs.text_prompt import TextPrompt
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import TEXT, default_app, random_app, record_notes
from tests.ui.screen_text import assert_matches_engine, notes, panel_text


async def answer(pilot, text: str, key: str = "ctrl+o") -> None:
    """Open a dialog with ``key``, put ``text`` in its box and press enter."""
    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one("Input").value = text
    await pilot.press("enter")
    await pilot.pause()


def state(app) -> tuple[object, ...]:
    s = app.session
    return (s.params, s.config, s.sequence, s.trajectory, s.can_undo, s.model_label)


# ------------------------------------------------------------------ sequences
async def test_open_a_good_file_keeps_the_model_and_the_cursor(tmp_path: Path) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("(a)(b)((c))", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        params = app.session.params
        await pilot.press("right", "right", "right")
        await answer(pilot, str(path))
        assert isinstance(app.screen, WatchScreen)
        assert app.session.sequence.name == "mine"
        assert app.session.params is params
        assert app.watch_screen.view.t == 3
        assert "mine" in panel_text(app, "header")
        assert_matches_engine(app)
        assert any(str(path) in m for m in (await notes(pilot)))


async def test_open_a_file_picked_in_the_tree(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("abc", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenFile)
        await pilot.press("tab", "tab")  # past the path box and the words checkbox
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session.sequence.name == "only"


async def test_words_checkbox_reads_words(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_text("one two one", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#words").value = True
        app.screen.query_one("Input").value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        # Words outside the characters of the model: asked, then extended.
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.session.sequence.tokens == ("one", "two", "one")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("bad.csv", b"1,2\n3\n", "bad.csv"),
        ("bin.txt", b"\xff\xfe\x00bad", "bin.txt"),
        # More digits than Python turns into an int: one line, not a traceback.
        ("huge.json", b'{"vectors": [[1' + b"0" * 5000 + b"]]}", "huge.json"),
    ],
)
async def test_open_a_bad_file_notifies_and_changes_nothing(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("right")
        before = state(app)
        await answer(pilot, str(path))
        assert isinstance(app.screen, WatchScreen)
        assert state(app) == before
        assert any(message in m for m in (await notes(pilot)))
        assert app.watch_screen.view.t == 1


async def test_samples_list_shows_descriptions_and_opens_one() -> None:
    app = random_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceList)
        prompts = [str(o.prompt) for o in app.screen.query_one("OptionList").options]
        assert any("Markers (+ or -)" in p for p in prompts)  # latch's description
        names = [c.name for c in app.screen.choices]
        await pilot.press(*["down"] * names.index("latch"), "enter")
        await pilot.pause()
        assert app.session.sequence.name == "latch"
        assert app.session.preset == "latch"
        assert_matches_engine(app)
        await pilot.press("ctrl+z")
        assert app.session.sequence.name == "brackets-text"


async def test_typed_sequence_runs_at_once() -> None:
    app = default_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"((()", "enter")
        await pilot.pause()
        session = app.session
        assert session.sequence.tokens == tuple("((()")
        assert session.preset == "counter"
        assert app.watch_screen.view.t == 2
        assert_matches_engine(app)
        # The counter's depth after "(((": three.
        assert float(session.trajectory.c[2, 0]) == pytest.approx(3.0, abs=1e-6)


async def test_typed_tokens_outside_the_vocabulary_extend_on_yes() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24)) as pilot:
        size = app.session.params.input_size
        await answer(pilot, "a+z", key="t")
        assert isinstance(app.screen, ConfirmScreen)
        assert "+ z" in str(app.screen.question)
        await pilot.press("y")
        await pilot.pause()
        session = app.session
        assert session.params.input_size == size + 2
        np.testing.assert_array_equal(session.params.weight_ih[:, size:], 0.0)
        assert session.vocab[-2:] == ("+", "z")
        assert_matches_engine(app)
        await pilot.press("ctrl+z")
        assert session.params.input_size == size


async def test_typed_tokens_outside_the_vocabulary_refused_on_no() -> None:
    app = random_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = state(app)
        await answer(pilot, "a+z", key="t")
        await pilot.press("n")
        await pilot.pause()
        assert state(app) == before
        assert any("refused" in m and "+ z" in m for m in (await notes(pilot)))


async def test_typed_numbers_for_a_numeric_model() -> None:
    from lstm_tui.session import open_session
    from lstm_tui.ui.app import LstmApp

    app = LstmApp(open_session("sine"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await answer(pilot, "0.5 -1 2 x", key="t")
        assert any("not a number: 'x'" in m for m in (await notes(pilot)))
        await answer(pilot, "0.5 -1 2", key="t")
        np.testing.assert_array_equal(app.session.sequence.inputs[:, 0], [0.5, -1, 2])
        assert_matches_engine(app)


# -------------------------------------------------------------------- weights
async def test_load_weights(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    vocab = tuple(sorted(set(TEXT)))
    save_weights(path, LSTMParams.random(3, len(vocab), 7), vocab)
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "down", "down")
        await answer(pilot, str(path), key="ctrl+l")
        session = app.session
        assert session.params.hidden_size == 3
        assert session.model_label == "weights w.npz"
        assert app.watch_screen.view.unit == 2  # kept in range
        assert_matches_engine(app)
        await pilot.press("ctrl+z")
        assert session.params.hidden_size == 8


async def test_loading_over_unsaved_edits_asks_first(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    save_weights(path, LSTMParams.random(3, len(set(TEXT)), 7), tuple(sorted(set(TEXT))))
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")  # another forget activation: an unsaved edit
        edited = state(app)
        await answer(pilot, str(path), key="ctrl+l")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert state(app) == edited
        await answer(pilot, str(path), key="ctrl+l")
        await pilot.press("y")
        await pilot.pause()
        assert app.session.model_label == "weights w.npz"


async def test_weights_that_do_not_fit_are_refused_before_asking_to_replace(
    tmp_path: Path,
) -> None:
    """Numeric weights (no vocabulary, 3 inputs) on a text: refused at once, no question."""
    path = tmp_path / "w.npz"
    save_weights(path, LSTMParams.random(3, 3, 7), None)
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("2")  # an unsaved edit, which would make the app ask first
        before = state(app)
        await answer(pilot, str(path), key="ctrl+l")
        assert isinstance(app.screen, WatchScreen)
        assert state(app) == before
        assert any("not loaded" in m for m in (await notes(pilot)))


async def test_load_bad_weights_notifies_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    np.savez(path, weight_ih_l0=np.zeros((4, 2)))
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        before = state(app)
        await answer(pilot, str(path), key="ctrl+l")
        assert state(app) == before
        assert any("missing key" in m for m in (await notes(pilot)))


async def test_save_weights_with_vocab(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("w", "0", "escape")
        assert app.session.modified
        await answer(pilot, "saved", key="ctrl+s")
        path = tmp_path / "saved.npz"
        params, vocab = load_weights(path)
        assert params.equals(app.session.params)
        assert vocab == tuple(sorted(set(TEXT)))
        assert not app.session.modified
        assert "*" not in panel_text(app, "header")
        assert any(str(path) in m for m in (await notes(pilot)))


async def test_saving_weights_saves_the_clamps_and_quit_no_longer_asks(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("w", "0", "escape", "f")
        assert app.session.modified
        await answer(pilot, "saved", key="ctrl+s")
        assert load_weights_file(tmp_path / "saved.npz").config == app.session.config
        assert app.session.config.clamps
        assert not app.session.modified
        assert "*" not in panel_text(app, "header")
        assert any("clamps" in m and "saved" in m for m in (await notes(pilot)))
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


async def test_a_failed_save_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.npz"
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await answer(pilot, str(path), key="ctrl+s")
        before = path.read_bytes()
        await pilot.press("n")

        def full_disk(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(np, "savez", full_disk)
        await answer(pilot, str(path), key="ctrl+s")
        assert isinstance(pilot.app.screen, ConfirmScreen)  # the file exists: replace it?
        await pilot.press("y")
        await pilot.pause()
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["w.npz"]
        assert any("No space left" in m for m in (await notes(pilot)))


async def test_saving_over_a_file_asks_first_and_a_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.npz"
    path.write_bytes(b"not weights")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await answer(pilot, str(path), key="ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert path.read_bytes() == b"not weights"
        await answer(pilot, str(path), key="ctrl+s")
        await pilot.press("y")
        await pilot.pause()
        assert load_weights(path)[0].equals(app.session.params)
        (tmp_path / "folder").mkdir()
        await answer(pilot, str(tmp_path / "folder") + "/", key="ctrl+s")
        assert not (tmp_path / "folder.npz").exists()
        assert any("is a directory" in m for m in (await notes(pilot)))


# --------------------------------------------------------------------- export
async def test_export_writes_the_trace_and_a_screenshot(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path / "elsewhere")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("right", "right")
        await answer(pilot, str(tmp_path), key="e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        names = sorted(p.name for p in tmp_path.iterdir())
        assert names == [
            "lstm-tui-brackets-text-t2.svg",
            "lstm-tui-brackets-text-trace.csv",
            "lstm-tui-brackets-text-trace.json",
            "lstm-tui-brackets-text-trace.npz",
        ]
        with np.load(tmp_path / "lstm-tui-brackets-text-trace.npz") as data:
            np.testing.assert_array_equal(data["h"], app.session.trajectory.run().h)
        payload = json.loads((tmp_path / "lstm-tui-brackets-text-trace.json").read_text())
        assert len(payload["tokens"]) == len(TEXT)
        svg = (tmp_path / "lstm-tui-brackets-text-t2.svg").read_text()
        assert svg.startswith("<svg") and "Directory for the trace" not in svg
        assert any(str(tmp_path) in m for m in (await notes(pilot)))
        await answer(pilot, str(tmp_path), key="e")  # a second export never overwrites
        await app.workers.wait_for_complete()
        assert len(list(tmp_path.iterdir())) == 8


async def test_the_first_export_after_a_screenshot_of_the_step_is_not_numbered(
    tmp_path: Path,
) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("right", "s")
        while not list(tmp_path.iterdir()):
            await pilot.pause()
        assert [p.name for p in tmp_path.iterdir()] == ["lstm-tui-brackets-text-t1.svg"]
        await answer(pilot, str(tmp_path), key="e")
        await app.workers.wait_for_complete()
        await pilot.pause()
    names = sorted(p.name for p in tmp_path.iterdir())
    # No trace was there: the trace is the first, only the picture is the second.
    assert names == [
        "lstm-tui-brackets-text-t1-2.svg",
        "lstm-tui-brackets-text-t1.svg",
        "lstm-tui-brackets-text-trace.csv",
        "lstm-tui-brackets-text-trace.json",
        "lstm-tui-brackets-text-trace.npz",
    ]


async def test_a_long_export_says_how_far_it_is_until_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lstm_tui.engine import trace_io
    from lstm_tui.ui import editing

    monkeypatch.setattr(editing, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(trace_io, "_BLOCK_VALUES", 8)
    app = random_app(screenshot_dir=tmp_path)
    said = record_notes(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, str(tmp_path), key="e")
        await app.workers.wait_for_complete()
        await pilot.pause()
    progress = [m for m in said if m.startswith(f"writing {len(TEXT)} steps: ")]
    assert any(".csv" in m for m in progress) and any(".json" in m for m in progress)
    assert said[-1].startswith("wrote ")


async def test_export_to_a_missing_directory_is_refused(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await answer(pilot, str(tmp_path / "nope"), key="e")
        assert any("nope: does not exist" in m for m in (await notes(pilot)))
        assert not any("is not a directory" in m for m in (await notes(pilot)))
        assert list(tmp_path.iterdir()) == []


async def test_export_to_a_file_says_it_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await answer(pilot, str(tmp_path / "a-file"), key="e")
        assert any("a-file: is not a directory" in m for m in (await notes(pilot)))
        assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
