"""Every key of the app, declared once.

The watch screen's and the weight editor's bindings, the footer, the command
palette and the help screen are all made from these tables, and a test checks
the README's key table against them: a key added here shows up everywhere, and
a key cannot exist without help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from lstm_tui.engine.activations import GATE_SLOT_LETTER, GATES
from lstm_tui.engine.events import SMALL_CHANGE
from lstm_tui.engine.params import GATE_ORDER
from lstm_tui.ui.view import CELL_PATH, DERIVATIVES, GRADIENT, TIMELINE_VECTORS, VECTOR_NAMES

# How a key is spelled for people (help, footer, README), by Textual's key name.
KEY_NAMES: dict[str, str] = {
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "full_stop": ".",
    "escape": "esc",
    "slash": "/",
}

SLOT_KEYS: tuple[tuple[str, str], ...] = (
    ("1", "input"),
    ("2", "forget"),
    ("3", "candidate"),
    ("4", "output"),
    ("5", "cell"),
)

# What a clamped gate means, in the words a class uses for it.
CLAMP_MEANINGS: dict[tuple[str, float], str] = {
    ("input", 0.0): "never write",
    ("input", 1.0): "always write",
    ("forget", 0.0): "always forget",
    ("forget", 1.0): "never forget",
    ("output", 0.0): "never show",
    ("output", 1.0): "always show",
}


def key_name(key: str) -> str:
    """``right`` → ``→``, ``ctrl+z`` stays ``ctrl+z``."""
    return KEY_NAMES.get(key, key)


@dataclass(frozen=True)
class Command:
    """One action and the keys that run it.

    ``keys`` are Textual key names, comma-separated; ``title`` names the action
    in the command palette (``None``: not offered there, as for keys that only
    make sense held down); ``help`` says what it does, in the palette and the
    help screen; ``footer`` is its short label in the footer (``None``: not in
    the footer); ``section`` groups the help screen.
    """

    keys: str
    action: str
    help: str
    title: str | None = None
    footer: str | None = None
    section: str = "watch"
    bound: bool = True  # False: a key the app or a widget already binds (listed only)
    listed: bool = True  # False: covered by another line of the help screen
    display: str | None = None  # how the help screen spells the keys, if not key by key
    footer_key: str | None = None  # how the footer spells the key, if not as the first key

    @property
    def key_list(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.keys.split(","))

    @property
    def shown_keys(self) -> str:
        """The keys as the help screen spells them: ``→ l``."""
        if self.display is not None:
            return self.display
        return " ".join(key_name(k) for k in self.key_list)

    def binding(self, priority: bool = False) -> Binding:
        first = self.footer_key or key_name(self.key_list[0])
        return Binding(
            self.keys,
            self.action,
            self.footer or self.title or self.help,
            show=self.footer is not None,
            key_display=first,
            priority=priority,
        )


def _clamp_help(gate: str) -> str:
    letter = GATE_SLOT_LETTER[gate]
    return (
        f"clamp the {gate} gate: {letter}=1 ({CLAMP_MEANINGS[(gate, 1.0)]}), "
        f"{letter}=0 ({CLAMP_MEANINGS[(gate, 0.0)]}), free again"
    )


WATCH_COMMANDS: tuple[Command, ...] = (
    Command("right,l", "step(1)", "step forward: read the next token", "Step forward", "step"),
    Command("left,h", "step(-1)", "step back (free: every step is kept)", "Step back", "back"),
    Command("home", "jump(0)", "the first step", "Jump to start"),
    Command("end", "jump(-1)", "the last step", "Jump to end"),
    Command("space", "toggle_play", "play / pause", "Play / pause", "play"),
    Command("plus,equals_sign", "speed(1)", "play faster", "Play faster"),
    Command("minus", "speed(-1)", "play slower", "Play slower"),
    Command("up", "unit(-1)", "select the unit above", "Select previous unit"),
    Command(
        "down", "unit(1)", "select the unit below", "Select next unit", "unit", footer_key="↑↓"
    ),
    Command("pageup", "unit_page(-1)", "select a unit one page up", "Units page up"),
    Command("pagedown", "unit_page(1)", "select a unit one page down", "Units page down"),
    Command(
        "v",
        "cycle_vector",
        "timeline vector, in turn (a sample starts at c or h): "
        f"{' '.join(v for v in TIMELINE_VECTORS if v not in DERIVATIVES)}, then "
        f"{VECTOR_NAMES[CELL_PATH]} (the product of f back to each step) and "
        f"{VECTOR_NAMES[GRADIENT]} (the whole gradient, through h and W_hh too)",
        "Next timeline vector",
        "vector",
    ),
    # One key, two actions: the footer names the one d will do now
    # (the screen's check_action hides the other).
    Command(
        "d",
        "detail(True)",
        "cells as bars with their numbers, or back to one glyph per unit",
        "Cells as bars with numbers",
        "bars",
    ),
    Command(
        "d",
        "detail(False)",
        "cells as one glyph per unit",
        "Cells as glyphs",
        "glyphs",
        listed=False,
    ),
    Command(
        "c",
        "toggle_diagram",
        "cell diagram of the selected unit (the classic figure, live; its gates numbered 1 "
        "forget, 2 input, 3 output, as that figure numbers them): shown under the unit "
        "panel from 120x40; on a smaller screen c shows it in place of the unit panel",
        "Show / hide the cell diagram",
    ),
    Command(
        "C",
        "toggle_cell_scale",
        "cell state drawn in a range per unit (one unit with a large c no longer "
        "flattens the others), or back to one range for every unit",
        "Cell-state scale per unit / shared",
    ),
    Command(
        "j",
        "next_layer",
        "show the next layer of a stacked LSTM (the header says which)",
        "Next layer",
    ),
    Command(
        "k",
        "toggle_surprisal",
        "tokens read coloured by surprisal (-log2 p of the head's guess)",
        "Colour tokens by surprisal",
    ),
    Command(
        "u",
        "find_units",
        "find units: rank them by a token class, variance or saturation; go to unit N",
        "Find units",
    ),
    Command("s", "screenshot", "save an SVG screenshot", "Save SVG screenshot"),
    Command("question_mark", "help", "this help: every key", "Show keys", "help"),
    Command("ctrl+p", "command_palette", "command palette: every action by name", bound=False),
    Command("q", "quit", "quit (asks first about unsaved edits)", footer="quit"),
    # Finding your way: a step, a token, an event, a lesson chapter.
    Command("g", "go_to_step", "go to step N (type the number)", "Go to step", section="find"),
    Command(
        "slash",
        "find",
        "find a token: jump to its next occurrence; then n / N go through the matches",
        "Find a token",
        section="find",
    ),
    Command(
        "right_square_bracket",
        "event(1)",
        f"next step where the selected unit's c changes by more than {SMALL_CHANGE:g} "
        "or one of its gates crosses 0.5",
        "Next event of the unit",
        section="find",
    ),
    Command(
        "left_square_bracket",
        "event(-1)",
        "previous such step",
        "Previous event of the unit",
        section="find",
    ),
    Command(
        "L",
        "open_lesson",
        "open the built-in lesson: why sigmoid on the gates, tanh on the candidate and cell "
        "(its last chapters put the standard cell beside an alternative, as z does); "
        "in a lesson, its chapters (typing its number picks one; the current one is set up again)",
        "Open the lesson",
        section="find",
    ),
    Command(
        "n",
        "next(1)",
        "next match while a find is active, else the lesson's next chapter; a chapter is "
        "one undoable change (ctrl+z brings back what was there before)",
        "Next match / chapter",
        section="find",
    ),
    Command(
        "N",
        "next(-1)",
        "previous match, else the lesson's previous chapter",
        "Previous match / chapter",
        section="find",
    ),
    Command(
        "escape",
        "end",
        "end the find; with none active, close the lesson's caption",
        "End find / close lesson",
        section="find",
    ),
    # Changing the model.
    Command(
        "w",
        "edit_weights",
        "weight editor for the selected unit",
        "Edit weights",
        section="model",
    ),
    Command(
        "ctrl+z",
        "undo",
        "undo any change: weights, activations, clamps, models, sequences",
        "Undo",
        section="model",
    ),
    Command("ctrl+y", "redo", "redo what was undone", "Redo", section="model"),
    *(
        Command(
            key,
            f"cycle_activation('{slot}')",
            f"next activation of the {slot} slot",
            f"Next {slot} activation",
            section="model",
        )
        for key, slot in SLOT_KEYS
    ),
    Command(
        "p",
        "pick_activations",
        "pick every slot's activation from a grid",
        "Pick activations",
        section="model",
    ),
    *(
        Command(
            GATE_SLOT_LETTER[gate],
            f"cycle_clamp('{gate}')",
            _clamp_help(gate),
            f"Clamp {gate} gate",
            section="model",
        )
        for gate in GATES
    ),
    Command(
        "a",
        "standard",
        "standard LSTM: default activations, no clamps",
        "Standard LSTM",
        section="model",
    ),
    Command(
        "r",
        "randomise",
        "new random weights (the next seed)",
        "New random weights",
        section="model",
    ),
    Command(
        "m",
        "pick_preset",
        "another preset: hand-set teaching weights",
        "Switch preset",
        section="model",
    ),
    Command(
        "x", "scale_gate", "scale one gate's weights and biases", "Scale a gate", section="model"
    ),
    Command(
        "T",
        "train",
        "train the cell (and a head) on this sequence: the loss and each gate's saturation "
        "over training, the cell as it learns; stop keeps the model, ctrl+z takes it back",
        "Train on this sequence",
        section="model",
    ),
    Command(
        "z",
        "compare",
        "compare with…: a second cell B (a plain RNN, a GRU, another activation or clamp) "
        "stepping beside this one, B − A, and what reaches the unit in each",
        "Compare with…",
        section="model",
    ),
    Command(
        "ctrl+l", "load_weights", "load weights (.npz .pt .pth)", "Load weights", section="files"
    ),
    Command(
        "ctrl+s",
        "save_weights",
        "save weights, vocabulary, activations and clamps (.npz)",
        "Save weights",
        section="files",
    ),
    Command(
        "ctrl+o", "open_sequence", "open a sequence file", "Open sequence file", section="files"
    ),
    Command(
        "b", "pick_sample", "pick a shipped sample (with its preset)", "Samples", section="files"
    ),
    Command("t", "type_sequence", "type a sequence and run it", "Type a sequence", section="files"),
    Command(
        "e",
        "export",
        "export the trace (.npz .csv .json) and an SVG",
        "Export trace",
        section="files",
    ),
)

COMPARE_COMMANDS: tuple[Command, ...] = (
    Command("right,l", "step(1)", "step both cells forward", footer="step", section="compare"),
    Command("left,h", "step(-1)", "step both cells back", footer="back", section="compare"),
    Command("home", "jump(0)", "the first step", section="compare"),
    Command("end", "jump(-1)", "the last step", section="compare"),
    Command("up", "unit(-1)", "select the unit above", section="compare"),
    Command(
        "down",
        "unit(1)",
        "select the unit below",
        footer="unit",
        footer_key="↑↓",
        section="compare",
    ),
    Command(
        "d", "toggle_detail", "detailed cells: a bar and the number per unit", section="compare"
    ),
    Command(
        "c",
        "toggle_diagram",
        "each cell's diagram under it (shown from 120x40); on a smaller screen in place of "
        "B − A and what reaches the unit",
        section="compare",
    ),
    Command("z", "compare", "compare with another cell B", footer="other B", section="compare"),
    Command("tab", "select_cell", "edits go to A or to B", footer="edit A/B", section="compare"),
    *(
        Command(
            key,
            f"cycle_activation('{slot}')",
            "next activation of a slot, 1-5: input forget candidate output cell (of A, or of B)"
            if key == "1"
            else f"next activation of the {slot} slot (of A, or of B)",
            section="compare",
            listed=key == "1",
            display="1-5" if key == "1" else None,
        )
        for key, slot in SLOT_KEYS
    ),
    *(
        Command(
            GATE_SLOT_LETTER[gate],
            f"cycle_clamp('{gate}')",
            f"clamp the {gate} gate (of A, or of B): 1, 0, free",
            section="compare",
        )
        for gate in GATES
    ),
    Command(
        "w",
        "edit_weights",
        "edit the weights of A, or of B (B then keeps weights of its own)",
        section="compare",
    ),
    Command("ctrl+z", "undo", "undo any change, to A or to B", section="compare"),
    Command("ctrl+y", "redo", "redo", section="compare"),
    Command("n", "chapter(1)", "in a lesson: its next chapter", section="compare"),
    Command("N", "chapter(-1)", "in a lesson: its previous chapter", section="compare"),
    Command("L", "lesson_chapters", "in a lesson: its chapters", section="compare"),
    Command("escape,q", "close", "back to the one cell", footer="back to A", section="compare"),
)

TRAIN_COMMANDS: tuple[Command, ...] = (
    Command("space", "toggle_run", "pause / go on training", footer="pause", section="train"),
    Command(
        "plus,equals_sign",
        "lr(1)",
        "a larger learning rate (1, 2, 5, 10, …), from the next step",
        footer="lr+",
        section="train",
    ),
    Command("minus", "lr(-1)", "a smaller learning rate", footer="lr-", section="train"),
    Command(
        "left_square_bracket",
        "scrub(-1)",
        "an earlier weight snapshot: the whole screen shows the cell as it was then "
        "(training pauses; space goes on from the latest weights)",
        footer="earlier",
        section="train",
    ),
    Command(
        "right_square_bracket",
        "scrub(1)",
        "a later snapshot; past the last, the weights as they are now",
        footer="later",
        section="train",
    ),
    Command("right,l", "step(1)", "the next step of the sequence", section="train"),
    Command("left,h", "step(-1)", "the step before", section="train"),
    Command("up", "unit(-1)", "select the unit above", section="train"),
    Command(
        "down", "unit(1)", "select the unit below", footer="unit", footer_key="↑↓", section="train"
    ),
    Command(
        "escape,q",
        "stop",
        "stop: the model shown (the trained one, or the snapshot looked at) becomes the "
        "session's, as one change ctrl+z takes back",
        footer="stop & keep",
        section="train",
    ),
)

EDITOR_COMMANDS: tuple[Command, ...] = (
    Command("left", "move(-1)", "previous weight", section="editor"),
    Command("right", "move(1)", "next weight", section="editor"),
    Command("up", "move_lines(-1)", "weight above", section="editor"),
    Command("down", "move_lines(1)", "weight below", section="editor"),
    Command("pageup", "move_lines(-5)", "five lines up", section="editor"),
    Command("pagedown", "move_lines(5)", "five lines down", section="editor"),
    Command("home", "move_to(0)", "first weight", section="editor"),
    Command("end", "move_to(-1)", "last weight (the biases)", section="editor"),
    Command("plus,equals_sign", "nudge(1)", "nudge up by the step", section="editor"),
    Command("minus", "nudge(-1)", "nudge down by the step", section="editor"),
    Command("left_square_bracket", "step_size(-1)", "smaller step", section="editor"),
    Command("right_square_bracket", "step_size(1)", "larger step", section="editor"),
    Command("0", "zero", "set to zero", section="editor"),
    Command("r", "restore", "restore the loaded value", section="editor"),
    Command("enter", "type_value('')", "type a value (edit the current one)", section="editor"),
    Command(
        "1",
        "type_value('1')",
        "type a value, starting with that key",
        section="editor",
        display="1-9 .",
    ),
    *(
        Command(key, f"type_value('{char}')", "type a value", section="editor", listed=False)
        for key, char in [*((str(d), str(d)) for d in range(2, 10)), ("full_stop", ".")]
    ),
    *(Command(g, f"gate('{g}')", f"the {g} gate's row", section="editor") for g in GATE_ORDER),
    Command("tab", "next_gate", "the next gate's row", section="editor"),
    Command("ctrl+z", "undo", "undo the last change", section="editor"),
    Command("ctrl+y", "redo", "redo", section="editor"),
    Command("escape,w,q", "close", "close the editor", section="editor"),
)

SECTION_TITLES: dict[str, str] = {
    "watch": "watching",
    "find": "finding your way, and lessons",
    "model": "changing the model",
    "files": "sequences and files",
    "compare": "comparing two cells (z)",
    "train": "training (T)",
    "editor": "in the weight editor (w)",
}


def bindings(commands: Iterable[Command], *, priority: bool = False) -> list[BindingType]:
    """The Textual bindings of ``commands``.

    ``priority``: each key's action runs as the app reads the key, before it
    reads the next one. Over a slow link keys arrive in bunches (``g 1 2 0
    enter`` in one read). A plain binding runs only once its key has gone
    down to the screen and back up to the app, and by then the app has
    handed the keys after it to the screen behind the dialog ``g`` opens: the
    digits would be lost (or change an activation). Run as read, ``g`` has
    pushed its prompt before ``1`` is read; Textual mounts a screen pushed
    while the app handles a message before it takes the next one, and gives
    the screen's first focusable widget focus as it composes it, so ``1``
    goes to the prompt's box and ``enter`` submits it.

    For every key of such a screen, so that a key before ``g`` in the burst
    still acts first; and only for a screen with no widget that takes typed
    keys, since a priority binding comes before the focused widget (the
    weight editor's number box needs its digits).
    """
    return [command.binding(priority) for command in commands if command.bound]


def palette_commands() -> list[Command]:
    """The watch screen's commands offered by name in the command palette."""
    return [c for c in WATCH_COMMANDS if c.title is not None]


def help_rows(commands: Iterable[Command]) -> list[tuple[str, str, str]]:
    """``(section, keys, help)``, one per line of the help screen."""
    return [(c.section, c.shown_keys, c.help) for c in commands if c.listed]
