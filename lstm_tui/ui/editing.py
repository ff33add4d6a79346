"""Turning the knobs from the watch screen: weights, activations, clamps, sequences, files.

:class:`EditingMixin` holds the actions; the watch screen inherits it (its keys
are declared in :mod:`lstm_tui.ui.commands`). Every change goes through the
session's undoable history; the session tells the screens what changed
(:class:`~lstm_tui.ui.messages.SessionChanged`), and they redraw from it with
the cursor where it was.

In kiosk mode every action that reads or writes a file chosen at run time
(open, load, save, export) is refused with a message; samples, presets,
typed sequences and all edits stay available.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from lstm_tui.engine.activations import ACTIVATIONS, GATE_SLOT_LETTER
from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import GATE_ORDER, LSTMParams
from lstm_tui.engine.presets import PRESETS, get_preset
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError
from lstm_tui.files import atomic_write
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.sequences.samples import list_samples
from lstm_tui.sequences.sequence import sorted_vocab
from lstm_tui.session import (
    MissingTokens,
    Session,
    load_weights_file,
    open_session,
    scaled_gate,
    weights_label,
)
from lstm_tui.ui.commands import CLAMP_MEANINGS
from lstm_tui.ui.text import safe_text, visible_token
from lstm_tui.ui.view import View, opening_focus

if TYPE_CHECKING:
    from textual.app import App

    from lstm_tui.ui.dialogs.open_file import FileChoice

# Each dialog's module is imported when the dialog is first opened, not at
# start-up: the first frame needs none of them, and together with the
# Textual widgets they use (Input, Button, OptionList, DirectoryTree) they
# were a large share of the imports before it.

# How often a long export says how far it is.
PROGRESS_SECONDS = 0.5
# Long enough for the toasts on screen to be gone before a screenshot.
TOASTS_GONE_SECONDS = 0.15

# A clamp key steps through: free, 1, 0, free.
CLAMP_CYCLE: tuple[float | None, ...] = (None, 1.0, 0.0)


def clamp_text(gate: str, value: float | None) -> str:
    if value is None:
        return f"{GATE_SLOT_LETTER[gate]} gate computed again (not clamped)"
    meaning = CLAMP_MEANINGS.get((gate, value), "held constant")
    return f"{GATE_SLOT_LETTER[gate]} clamped to {value:g}: {meaning}"


class EditingMixin:
    """Actions that change the session; the class using it provides ``view``,
    ``app`` and ``notify()`` (a :class:`Screen` with a :class:`View`).
    """

    view: View
    app: App[int]
    notify: Callable[..., None]

    @property
    def session(self) -> Session:
        return self.view.session

    @property
    def work_dir(self) -> Path:
        """Where file pickers start and exports go: the app's directory for files."""
        return Path(getattr(self.app, "screenshot_dir", Path.cwd()))

    # ------------------------------------------------------------ helpers
    def _done(self, message: str) -> None:
        """Say what a change did (the session has already told the screens to redraw)."""
        if message:
            self.notify(message, timeout=3)

    def _kiosk_refuses(self, what: str) -> bool:
        if getattr(self.app, "kiosk", False):
            self.notify(
                f"kiosk mode: {what} is turned off (samples and typed sequences still work)",
                severity="warning",
                title="kiosk",
            )
            return True
        return False

    def _attempt(self, change: Callable[[bool], object], message: str) -> None:
        """Run ``change(extend)``; tokens outside the vocabulary ask whether to extend it."""
        try:
            change(False)
        except MissingTokens as missing:
            self._offer_extension(change, message, missing.tokens)
            return
        except InputError as err:
            self.notify(str(err), severity="error", title="nothing changed")
            return
        self._done(message)

    def _unless_unsaved(self, what: str, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` (which replaces the whole model), asking first when edits are unsaved.

        After the replacement the new model counts as unmodified, so quitting
        would no longer ask: this question is the last chance to keep the edits.
        """
        from lstm_tui.ui.dialogs.confirm import ConfirmScreen

        if not self.session.modified:
            proceed()
            return

        def answered(replace: bool | None) -> None:
            if replace:
                proceed()

        self.app.push_screen(
            ConfirmScreen(
                "unsaved edits",
                f"The model ({safe_text(self.session.model_label)}) has edits to its weights, "
                f"activations or clamps that are not saved. Replace it with {what}?\n\n"
                "(ctrl+z afterwards brings the edited model back; ctrl+s saves the weights.)",
                "replace",
                "keep working",
            ),
            answered,
        )

    def _offer_extension(
        self, change: Callable[[bool], object], message: str, tokens: tuple[str, ...]
    ) -> None:
        from lstm_tui.ui.dialogs.confirm import ConfirmScreen

        shown = " ".join(visible_token(tok) for tok in tokens[:20])
        more = f" and {len(tokens) - 20} more" if len(tokens) > 20 else ""
        question = (
            f"The model has no input for {len(tokens)} token(s): {shown}{more}\n\n"
            f"Extend the vocabulary with {len(tokens)} new zero column(s) of W_ih? "
            "These tokens add nothing to any gate until their weights are edited, "
            "though the cell still takes a step on each (its biases and h act). "
            "Or refuse and keep everything as it is."
        )

        def answered(extend: bool | None) -> None:
            if not extend:
                self.notify(
                    f"refused: the vocabulary has no {shown}{more}",
                    severity="warning",
                    title="nothing changed",
                )
                return
            try:
                change(True)
            except InputError as err:
                self.notify(str(err), severity="error", title="nothing changed")
                return
            self._done(f"{message}; vocabulary extended by {shown}{more}")

        self.app.push_screen(
            ConfirmScreen("tokens outside the vocabulary", question, "extend", "refuse"), answered
        )

    # ------------------------------------------------------------ weights
    def action_edit_weights(self) -> None:
        from lstm_tui.ui.dialogs.weight_editor import WeightEditor

        def closed(edits: int | None) -> None:
            if edits:
                self.notify(f"{edits} weight edit(s); ctrl+z undoes them one by one", timeout=3)

        self.app.push_screen(
            WeightEditor(self.session, self.view),
            closed,
        )

    def action_undo(self) -> None:
        self._done("undone" if self.session.undo() else "nothing to undo")

    def action_redo(self) -> None:
        self._done("redone" if self.session.redo() else "nothing to redo")

    def action_randomise(self) -> None:
        found = re.search(r"seed=(\d+)", self.session.model_label)
        seed = int(found.group(1)) + 1 if found else 1

        def randomise() -> None:
            self.session.randomise(seed)
            self._done(f"random weights, seed {seed} (ctrl+z: back)")

        self._unless_unsaved(f"random weights with seed {seed}", randomise)

    def action_pick_preset(self) -> None:
        from lstm_tui.ui.dialogs.choice_list import Choice, ChoiceList

        choices = [Choice(p.name, p.title, f"watch: {p.watch}") for p in PRESETS.values()]

        def chosen(name: str | None) -> None:
            if name is not None:
                self._unless_unsaved(f"preset {name}", partial(self._switch_preset, name))

        self.app.push_screen(
            ChoiceList("presets: hand-set weights", choices, self.session.preset), chosen
        )

    def _switch_preset(self, name: str | None) -> None:
        if name is None:
            return
        preset = get_preset(name)
        sequence = self.session.sequence
        tokens = sorted_vocab(sequence.tokens) if sequence.tokens is not None else None
        try:
            params, vocab = preset.build(tokens, sequence.input_size)
        except InputError as err:
            self.notify(str(err), severity="error", title="nothing changed")
            return

        def change(extend: bool) -> None:
            self.session.replace_model(params, vocab, f"preset {name}", name, extend=extend)
            self.view.unit = min(preset.focus_unit, params.hidden_size - 1)

        self._attempt(change, f"preset {name}: watch {preset.watch}")

    def _scaled(self, text: str) -> tuple[str, float, LSTMParams]:
        """The gate, the factor and the scaled weights ``text`` asks for; InputError if wrong."""
        parts = text.split()
        if len(parts) != 2 or parts[0] not in GATE_ORDER:
            raise InputError("type a gate (i f g o) and a factor, e.g. f 2")
        try:
            factor = float(parts[1])
        except ValueError:
            raise InputError(f"not a number: {parts[1]!r}") from None
        return parts[0], factor, scaled_gate(self.session.params, parts[0], factor)

    def action_scale_gate(self) -> None:
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        def wrong(text: str) -> str | None:
            try:
                self._scaled(text)
            except InputError as err:
                return f"nothing changed: {err}"
            return None

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                gate, factor, params = self._scaled(text)
            except InputError as err:  # checked already; the weights cannot change meanwhile
                self.notify(str(err), severity="error", title="nothing changed")
                return
            self.session.apply(params=params)
            self._done(f"gate {gate}: weights and biases ×{factor:g}")

        self.app.push_screen(
            TextPrompt(
                "scale a gate",
                "Gate (i f g o) and factor: every weight and bias of that gate is multiplied.",
                hint="f 2: a sharper forget gate · i 0.5: a softer input gate · g -1: flip writes",
                placeholder="f 2",
                check=wrong,
            ),
            answered,
        )

    # ---------------------------------------------------- activations and clamps
    def action_cycle_activation(self, slot: str) -> None:
        names = list(ACTIVATIONS)
        config = self.session.config
        name = names[(names.index(config.activation_name(slot)) + 1) % len(names)]
        self.session.apply(config=config.with_activation(slot, name))
        act = ACTIVATIONS[name]
        self._done(f"{slot}: {name} = {act.formula}")

    def action_pick_activations(self) -> None:
        from lstm_tui.ui.dialogs.activation_picker import ActivationPicker

        def picked(config: CellConfig | None) -> None:
            if config is not None and config != self.session.config:
                self.session.apply(config=config)
                self._done("activations changed")

        self.app.push_screen(ActivationPicker(self.session.config), picked)

    def action_cycle_clamp(self, gate: str) -> None:
        config = self.session.config
        value = config.clamp(gate)
        if value in CLAMP_CYCLE:
            following = CLAMP_CYCLE[(CLAMP_CYCLE.index(value) + 1) % len(CLAMP_CYCLE)]
        else:
            following = None  # a clamp from the command line, e.g. 0.9: release it
        changed = (
            config.without_clamp(gate) if following is None else config.with_clamp(gate, following)
        )
        self.session.apply(config=changed)
        self._done(clamp_text(gate, following))

    def action_standard(self) -> None:
        if self.session.config.is_standard:
            self.notify("already the standard LSTM", timeout=2)
            return
        self.session.apply(config=CellConfig())
        self._done("standard LSTM: sigmoid i f o, tanh g and cell, no clamps")

    # ---------------------------------------------------------- sequences
    def action_pick_sample(self) -> None:
        from lstm_tui.ui.dialogs.choice_list import Choice, ChoiceList

        try:
            samples = list_samples()
        except InputError as err:
            self.notify(str(err), severity="error")
            return
        choices = [
            Choice(
                s.name,
                f"{s.size_text} · preset {s.preset or 'random'} · {s.watch}",
                s.description,
            )
            for s in samples
        ]
        current = self.session.sequence.name

        def chosen(name: str | None) -> None:
            if name is not None:
                self._unless_unsaved(f"sample {name}", partial(self._open_sample, name))

        self.app.push_screen(ChoiceList("samples", choices, current), chosen)

    def _open_sample(self, name: str | None) -> None:
        if name is None:
            return
        try:
            other = open_session(name)
        except InputError as err:
            self.notify(str(err), severity="error", title="nothing changed")
            return
        self.session.switch_to(other)
        # Another sample is read from its start, as on the command line: the
        # step reached in the last one means nothing in this one.
        self.view.t = self.view.reached = 0
        if other.preset is not None:
            self.view.unit, self.view.vector = opening_focus(other)
        words = ", read as words" if other.sequence.reads_words else ""
        self._done(f"sample {name}{words} with {safe_text(other.model_label)} (ctrl+z: back)")

    def action_type_sequence(self) -> None:
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        session = self.session
        sequence = session.sequence
        if sequence.is_tokens:
            words = any(len(tok) > 1 for tok in session.input_vocab or ())
            tokens: str | None = "word" if words else "char"
            prompt = f"Text to run, read as {'words' if words else 'characters'}."
            hint = r"\n is a newline, \t a tab · the cursor stays at its step"
        else:
            tokens = None
            size = sequence.input_size
            prompt = f"Numbers to run, {size} per step."
            hint = "e.g. 0.5 -1 2" if size == 1 else "steps separated by ';', e.g. 1 0; 0 1"

        def typed(text: str | None) -> None:
            from lstm_tui.sequences.typed import typed_sequence

            if text is None:
                return
            try:
                new = typed_sequence(text, tokens, sequence.input_size)
            except InputError as err:
                self.notify(str(err), severity="error", title="nothing changed")
                return
            self._attempt(
                lambda extend: session.replace_sequence(new, None, extend=extend),
                f"running {len(new)} typed step(s)",
            )

        self.app.push_screen(TextPrompt("type a sequence", prompt, hint=hint), typed)

    def action_open_sequence(self) -> None:
        from lstm_tui.ui.dialogs.open_file import OpenFile

        if self._kiosk_refuses("opening files"):
            return

        def chosen(choice: FileChoice | None) -> None:
            if choice is None:
                return
            try:
                sequence = load_sequence(choice.path, "word" if choice.words else "char")
            except InputError as err:
                self.notify(str(err), severity="error", title="not opened")
                return
            self._attempt(
                lambda extend: self.session.replace_sequence(sequence, choice.path, extend=extend),
                f"opened {shown(choice.path)}",
            )

        self.app.push_screen(
            OpenFile("open a sequence (.txt .csv .tsv .json)", self.work_dir, ask_words=True),
            chosen,
        )

    # -------------------------------------------------------------- files
    def action_next_layer(self) -> None:
        session = self.session
        depth = session.stack.depth
        if depth == 1:
            self.notify("the model has one layer", timeout=2)
            return
        try:
            session.show_layer((session.layer + 1) % depth)
        except InputError as err:
            self.notify(str(err), severity="error", title="layer not shown")
            return
        self.notify(f"showing layer {session.layer} of 0–{depth - 1} (ctrl+z: back)", timeout=2)

    def action_load_weights(self) -> None:
        from lstm_tui.ui.dialogs.open_file import OpenFile

        if self._kiosk_refuses("loading weights"):
            return

        def chosen(choice: FileChoice | None) -> None:
            if choice is None:
                return
            path = choice.path
            try:
                loaded = load_weights_file(path)
                # Weights that cannot run on this sequence are refused before
                # any question about replacing the model.
                self.session.check_model(loaded.model, loaded.vocab)
            except MissingTokens:
                pass  # asked about once the model may be replaced
            except InputError as err:
                self.notify(str(err), severity="error", title="not loaded")
                return
            self._unless_unsaved(
                f"the weights in {safe_text(path.name)}",
                lambda: self._attempt(
                    lambda extend: self.session.replace_model(
                        loaded.model,
                        loaded.vocab,
                        weights_label(path.name, loaded.model),
                        None,
                        extend=extend,
                        config=loaded.config,
                    ),
                    f"loaded {shown(path)} (ctrl+z: back)",
                ),
            )

        self.app.push_screen(
            OpenFile(
                "load weights (.npz .pt .pth)", self.work_dir, suffixes=(".npz", ".pt", ".pth")
            ),
            chosen,
        )

    def action_save_weights(self) -> None:
        from lstm_tui.ui.dialogs.confirm import ConfirmScreen
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        if self._kiosk_refuses("saving weights"):
            return
        # The name offered is shown in the box: spelled safe, as a file name too.
        default = self.work_dir / f"{safe_text(self.session.sequence.name)}-weights.npz"

        def chosen(text: str | None) -> None:
            if not text or not text.strip():
                return
            typed = text.strip()
            path = Path(typed).expanduser()
            if not path.is_absolute():
                path = self.work_dir / path
            if typed.endswith(("/", os.sep)) or path.is_dir():
                self.notify(
                    f"{shown(path)}: is a directory; name a file in it, e.g. weights.npz",
                    severity="error",
                    title="not saved",
                )
                return
            if path.suffix.lower() != ".npz":
                path = path.with_name(path.name + ".npz")
            if path.exists():
                self.app.push_screen(
                    ConfirmScreen(
                        "replace a file",
                        f"{shown(path)} exists. Replace it with these weights?",
                        "replace",
                        "keep it",
                    ),
                    lambda replace: write(path) if replace else None,
                )
                return
            write(path)

        def write(path: Path) -> None:
            try:
                self.session.save(path)
            except InputError as err:
                # The write is atomic: a file already there is left as it was.
                self.notify(str(err), severity="error", title="not saved")
                return
            self._done(f"saved weights, vocabulary, activations and clamps to {shown(path)}")

        self.app.push_screen(
            TextPrompt(
                "save weights",
                "File to write (.npz: PyTorch's arrays, the vocabulary, activations and clamps).",
                str(default),
                hint="an existing file is replaced only once the new one is written in full",
            ),
            chosen,
        )

    def action_export(self) -> None:
        from lstm_tui.ui.dialogs.text_prompt import TextPrompt

        if self._kiosk_refuses("exporting"):
            return

        def chosen(text: str | None) -> None:
            if not text or not text.strip():
                return
            directory = Path(text.strip()).expanduser()
            if not directory.is_absolute():
                directory = self.work_dir / directory
            self._export(directory)

        self.app.push_screen(
            TextPrompt(
                "export",
                "Directory for the trace (.npz .csv .json) and an SVG screenshot.",
                str(self.work_dir),
            ),
            chosen,
        )

    def _export(self, directory: Path) -> None:
        """Write the trace in the three formats and a screenshot, in a worker thread.

        The arrays and the SVG are taken here, so the files show the state at the
        moment of the request even if the user goes on editing while they are written.
        """
        from lstm_tui.engine.trace_io import TRACE_FORMATS

        if not directory.exists():
            # Not created here: a typo would otherwise leave a stray directory behind.
            self.notify(
                f"{shown(directory)}: does not exist", severity="error", title="not exported"
            )
            return
        if not directory.is_dir():
            self.notify(
                f"{shown(directory)}: is not a directory", severity="error", title="not exported"
            )
            return
        session = self.session
        # The files' names are listed in the message: made of safe characters.
        base = f"lstm-tui-{safe_text(session.sequence.name)}"
        # The traces are numbered by the traces there, the picture by the
        # pictures: a screenshot of this step does not make the first trace "-2".
        names = free_names(directory, f"{base}-trace", TRACE_FORMATS)
        names += free_names(directory, f"{base}-t{self.view.t}", (".svg",))
        sequence = session.sequence
        labels = [sequence.label(t) for t in range(len(sequence))]
        # The steps are computed in the worker, on a replica of the trajectory
        # taken now: a long sequence must not freeze the screen meanwhile.
        private = session.trajectory.replica()
        svg = self.app.export_screenshot()
        self.notify(
            f"computing and writing {len(sequence):,} steps to {shown(directory)} …",
            title="exporting",
            timeout=3,
        )
        self.app.run_worker(
            partial(self._write_export, directory, names, private, labels, svg),
            thread=True,
            exclusive=True,
            group="export",
            name="export",
        )

    def _write_export(
        self, directory: Path, names: list[str], traj: Trajectory, labels: list[str], svg: str
    ) -> None:
        from lstm_tui.engine.trace_io import trace_arrays, write_trace_arrays

        arrays = trace_arrays(traj, labels)
        steps = len(arrays["h"])
        last = [0.0]  # when progress was last shown (monotonic seconds)

        def progress(name: str, done: float) -> None:
            # The text formats of a long trace take many seconds: say how far
            # it is, a few times a second, until the last file is written.
            now = time.monotonic()
            if now - last[0] >= PROGRESS_SECONDS and done < 1.0:
                last[0] = now
                self.app.call_from_thread(
                    self.notify,
                    f"writing {steps:,} steps: {name} {done:.0%}",
                    title="exporting",
                    timeout=PROGRESS_SECONDS * 4,
                )

        try:
            for name in names[:-1]:
                write_trace_arrays(directory / name, arrays, partial(progress, name))
            atomic_write(directory / names[-1], partial(_write_text, svg))
        except InputError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error", title="not exported")
            return
        self.app.call_from_thread(
            self.notify,
            f"wrote {', '.join(names)} to {shown(directory)}",
            title="exported",
            timeout=6,
        )

    # ---------------------------------------------------------- screenshots
    def action_screenshot(self) -> None:
        """Save the screen as SVG and say where, in a notification."""
        if self._kiosk_refuses("saving screenshots"):
            return
        # The picture is of the cell, not of the last message: toasts go
        # first, and the picture is taken once the screen without them is drawn.
        self.app.clear_notifications()
        self.app.set_timer(TOASTS_GONE_SECONDS, self._save_screenshot)

    def _save_screenshot(self) -> None:
        folder = self.work_dir
        name = f"lstm-tui-{safe_text(self.session.sequence_label)}-t{self.view.t}"
        path = folder / free_names(folder, name, (".svg",))[0]
        try:
            saved = self.app.save_screenshot(filename=path.name, path=str(folder))
        except OSError as error:
            self.notify(f"could not save the screenshot: {error}", severity="error")
            return
        self.notify(f"screenshot saved to {shown(saved)}", title="SVG")


def free_names(directory: Path, stem: str, suffixes: tuple[str, ...]) -> list[str]:
    """``stem`` with each suffix, or ``stem-2``, ``stem-3``, … : the first with none taken."""
    count = 1
    while True:
        numbered = stem if count == 1 else f"{stem}-{count}"
        names = [f"{numbered}{suffix}" for suffix in suffixes]
        if not any((directory / name).exists() for name in names):
            return names
        count += 1


def shown(path: str | Path) -> str:
    """A path to quote in a message: safe, and a newline in it spelled, not a line break."""
    return safe_text(str(path))


def _write_text(text: str, handle: BinaryIO) -> None:
    handle.write(text.encode("utf-8"))
