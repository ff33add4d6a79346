"""Choose a file to read: a path typed in a box, or picked from a directory tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text, TextType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DirectoryTree, Input, Static

from lstm_tui.ui.text import safe_text
from lstm_tui.ui.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class FileChoice:
    """A file to read and, for text, whether its tokens are words (else characters)."""

    path: Path
    words: bool = False


class _FileTree(DirectoryTree):
    """Hides dot files and keeps only the suffixes the caller reads."""

    def __init__(self, path: Path, suffixes: tuple[str, ...] | None) -> None:
        super().__init__(path)
        self.suffixes = suffixes

    def process_label(self, label: TextType) -> Text:
        # Every node's label is a file name (the root's, the start path), and
        # a name can hold anything but "/": an ESC sequence in one would
        # switch the terminal's screen or colours as the tree is drawn. The
        # name is spelled safe and kept plain (never markup), on one line.
        plain = label if isinstance(label, str) else label.plain
        return Text(safe_text(plain))

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            if self.suffixes is None or path.is_dir() or path.suffix.lower() in self.suffixes:
                yield path


class OpenFile(ModalScreen[FileChoice | None]):
    """Returns the chosen file on enter in the box or a file picked in the tree; escape: ``None``.

    Only the choice is made here: the caller reads the file, so a bad file is
    reported where the state it would change is known.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self,
        title: str,
        start: Path,
        suffixes: tuple[str, ...] | None = None,
        ask_words: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.start = start
        self.suffixes = suffixes
        self.ask_words = ask_words

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            # A title given as a str is read as markup; Content is shown as it is.
            box.border_title = Content(self.title_text)
            box.border_subtitle = "enter: open · tab: the tree · escape: cancel"
            yield SafeInput(
                str(self.start) + "/",
                placeholder="a path, absolute or from the directory below",
                select_on_focus=False,
                id="path",
            )
            if self.ask_words:
                yield Checkbox("tokens are words (else characters)", id="words")
            yield Static(f"files in {safe_text(str(self.start))}:", classes="hint", markup=False)
            yield _FileTree(self.start, self.suffixes)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _choice(self, path: Path) -> FileChoice:
        words = self.ask_words and self.query_one("#words", Checkbox).value
        return FileChoice(path if path.is_absolute() else self.start / path, words)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if text:
            self.dismiss(self._choice(Path(text).expanduser()))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(self._choice(event.path))

    def action_cancel(self) -> None:
        self.dismiss(None)
