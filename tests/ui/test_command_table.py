"""One command table: the bindings, the footer, the palette, the help and the README agree."""

from __future__ import annotations

import re
from pathlib import Path

from lstm_tui.ui.commands import EDITOR_COMMANDS, WATCH_COMMANDS, key_name, palette_commands
from lstm_tui.ui.dialogs.weight_editor import WeightEditor
from lstm_tui.ui.screens.watch_screen import WatchScreen

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_keys() -> set[str]:
    """Every key the README's key table names in its first column (``1``–``5`` is five keys)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| key | action |") :]
    table = table[: table.index("\n\n")]
    keys: set[str] = set()
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        names = re.findall(r"`([^`]+)`", first)
        keys.update(names)
        for low, high in re.findall(r"`(\d)`–`(\d)`", first):
            keys.update(str(k) for k in range(int(low), int(high) + 1))
    return keys


def test_every_key_of_the_screen_is_in_the_readme_and_every_readme_key_exists() -> None:
    documented = readme_keys()
    declared = {key_name(k) for c in WATCH_COMMANDS for k in c.key_list}
    for command in WATCH_COMMANDS:
        assert key_name(command.key_list[0]) in documented, command
    assert documented <= declared, documented - declared


def test_the_screens_bind_exactly_the_declared_keys() -> None:
    for screen, table in ((WatchScreen, WATCH_COMMANDS), (WeightEditor, EDITOR_COMMANDS)):
        bound = {(b.key, b.action) for b in screen.BINDINGS}  # type: ignore[union-attr]
        declared = {(c.keys, c.action) for c in table if c.bound}
        assert bound == declared


def test_the_palette_offers_every_titled_command_with_its_keys() -> None:
    titled = [c for c in WATCH_COMMANDS if c.title is not None]
    assert palette_commands() == titled
    assert {c.action for c in titled} >= {"edit_weights", "export", "undo", "step(1)"}
