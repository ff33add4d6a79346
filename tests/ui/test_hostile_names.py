"""Names, paths and tokens from files reach the terminal spelled safe, never raw.

A file name can hold any character but "/": ``ESC[?1049l`` in one, drawn raw,
takes the terminal out of the alternate screen (the classroom sees the shell
behind the app), ``ESC[31m`` turns what follows red, U+202E turns it around.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual import events

from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.weights_io import save_weights
from lstm_tui.sequences.sequence import from_tokens
from lstm_tui.ui.app import LstmApp
from lstm_tui.ui.dialogs.choice_list import Choice, ChoiceList
from lstm_tui.ui.widgets.line_canvas import token_cells
from tests.ui.factory import random_app, random_session
from tests.ui.screen_text import (
    foreign_controls,
    frame_lines,
    notes,
    panel_text,
    widget_lines,
)

HOSTILE = ("\x1b[?1049lalt.txt", "\x1b[31mout.npz", "\u202ertl.txt", "\x9b2Jcsi.txt")


def hostile_files(folder: Path) -> None:
    for name in HOSTILE:
        (folder / name).write_text("abc", encoding="utf-8")


async def test_the_file_tree_spells_hostile_names(tmp_path: Path) -> None:
    hostile_files(tmp_path)
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        tree = app.screen.query_one("DirectoryTree")
        await pilot.pause()
        shown = "\n".join(widget_lines(app, tree))
        assert "⟨U+001B⟩[?1049lalt.txt" in shown
        assert "⟨U+001B⟩[31mout.npz" in shown
        assert "⟨U+202E⟩rtl.txt" in shown
        assert "⟨U+009B⟩2Jcsi.txt" in shown
        assert foreign_controls(app) == []


async def test_a_hostile_path_in_a_notification_is_spelled(tmp_path: Path) -> None:
    (tmp_path / HOSTILE[0]).write_text("abc", encoding="utf-8")
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("tab", "tab")  # past the path box and the words checkbox
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session.sequence.tokens == tuple("abc")
        messages = await notes(pilot)
        assert any("opened" in m and "⟨U+001B⟩[?1049lalt.txt" in m for m in messages)
        assert not any("\x1b" in m for m in messages)
        assert foreign_controls(app) == []


async def test_the_header_spells_the_sequence_and_weights_names(tmp_path: Path) -> None:
    session = random_session()
    sequence = from_tokens(list("abc"), name="\x1b[31mred\u202e")
    session.replace_sequence(sequence, None, extend=True)
    path = tmp_path / "\x1b[2Jw.npz"
    save_weights(path, LSTMParams.random(4, 3, 0), ("a", "b", "c"))
    app = LstmApp(session, screenshot_dir=tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        assert "⟨U+001B⟩[31mred⟨U+202E⟩" in panel_text(app, "header")
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("tab")  # the tree, where the one .npz is
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session.model_label == f"weights {path.name}"
        assert "weights ⟨U+001B⟩[2Jw.npz" in panel_text(app, "header")
        assert foreign_controls(app) == []


async def test_a_choice_list_spells_names_and_notes() -> None:
    app = random_app()
    async with app.run_test(size=(100, 30)) as pilot:
        choices = [Choice("\x1b[31mx", "note \u202eback", "detail \x1b]52;c;aGk=\x07")]
        app.push_screen(ChoiceList("samples", choices))
        await pilot.pause()
        shown = "\n".join(widget_lines(app, app.screen.query_one("OptionList")))
        assert "⟨U+001B⟩[31mx" in shown
        assert "note ⟨U+202E⟩back" in shown
        assert "detail ⟨U+001B⟩]52;c;aGk=⟨U+0007⟩" in shown
        assert foreign_controls(app) == []


async def test_a_pasted_control_is_spelled_in_the_box(tmp_path: Path) -> None:
    app = random_app(screenshot_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        box = app.screen.query_one("Input")
        box.post_message(events.Paste("ab\x1b[?1049lcd\u202e"))
        await pilot.pause()
        assert box.value == "ab⟨U+001B⟩[?1049lcd⟨U+202E⟩"
        assert foreign_controls(app) == []


def test_a_mark_of_no_width_shares_the_cell_of_its_letter() -> None:
    # Every cell of a row is one terminal column: a combining accent or a
    # variation selector on its own cell would shift the rest of the line.
    for text in ("cafe\u0301 x", "字\u0301x", "❤\ufe0f x", "😀b"):
        cells = token_cells(text)
        assert "".join(ch for ch, _ in cells) == text
        assert all(cell_len(ch) in (1, 2) for ch, _ in cells if ch)
        assert len(cells) == cell_len(text)


async def test_tokens_with_marks_emoji_and_wide_letters() -> None:
    # Characters: a lone combining accent is its own token and is spelled.
    app = random_app(text="a\u0301字😀b", hidden=4)
    async with app.run_test(size=(140, 30)) as pilot:
        assert "a⟨U+0301⟩字😀b" in panel_text(app, "tokens")
        await pilot.press("right")
        await pilot.pause()
        assert "read ⟨U+0301⟩" in panel_text(app, "unit")
        await pilot.press("right", "right")
        await pilot.pause()
        title = panel_text(app, "unit").splitlines()[0]
        assert title.endswith("t = 3 · read 😀")
        assert_every_line_is_whole(app)
        assert foreign_controls(app) == []


def assert_every_line_is_whole(app: LstmApp) -> None:
    # A row counted wider or narrower than it is drawn leaves a line short: its
    # last columns keep whatever the terminal showed there before.
    lines = frame_lines(app)
    assert len(lines) == app.size.height
    assert [cell_len(line) for line in lines] == [app.size.width] * app.size.height


async def test_a_word_with_an_accent_keeps_the_columns_after_it() -> None:
    words = ["cafe\u0301", "字字", "x"]
    session = random_session()
    session.replace_sequence(from_tokens(words, name="words"), None, extend=True)
    app = LstmApp(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        strip = app.screen.query_one("#tokens")
        # The accent sits on its e: the next word starts one column after "cafe".
        assert widget_lines(app, strip)[0] == " read words cafe\u0301 字字 x"
        await pilot.press("right")
        await pilot.pause()
        title = panel_text(app, "unit").splitlines()[0]
        assert title.endswith("t = 1 · read 字字")
        assert_every_line_is_whole(app)
        assert foreign_controls(app) == []
