"""The command line: parse, load, hand over. Every problem is one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence as Argv

from lstm_tui import __version__
from lstm_tui.errors import InputError
from lstm_tui.safe_text import safe_text

# One sequence means matrix-vector products far too small to gain from BLAS
# threads; on a small machine the threads only add stalls. Set before NumPy loads.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

PROG = "lstm-tui"
COMMANDS = ("trace", "train", "samples", "presets", "serve", "lesson")
EXIT_USAGE = 2

# --color as Textual reads it, from the environment when it is first imported:
# TEXTUAL_COLOR_SYSTEM picks the colour depth, NO_COLOR turns hues into greys.
# The option wins over both variables; without it they apply as given.
COLOR_ENVIRONMENT: dict[str, dict[str, str | None]] = {
    "truecolor": {"TEXTUAL_COLOR_SYSTEM": "truecolor", "NO_COLOR": None},
    "256": {"TEXTUAL_COLOR_SYSTEM": "256", "NO_COLOR": None},
    "16": {"TEXTUAL_COLOR_SYSTEM": "standard", "NO_COLOR": None},
    "none": {"NO_COLOR": "1"},
}

_EPILOG = """\
commands:
  lstm-tui trace SEQUENCE [-o OUT]   run headless and write every step's vectors
  lstm-tui train SEQUENCE -o OUT     train a cell and a head on SEQUENCE, write the model
  lstm-tui samples                   list the shipped sample sequences
  lstm-tui presets                   list the teaching presets
  lstm-tui serve [SEQUENCE]          the app in a web browser, in kiosk mode
  lstm-tui lesson [FILE]             a guided lesson (the built-in one without FILE)
  lstm-tui --lesson FILE             the same, as an option (for a ForceCommand)

SEQUENCE is a file (.txt, .csv, .tsv, .json) or the name of a shipped sample.
With no SEQUENCE the 'counter' preset opens on the 'brackets' sample.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem, then the hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse quotes unknown arguments as typed, control characters included.
        sys.stderr.write(f"{self.prog}: {safe_text(message)} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _key_value(kind: str):
    def parse(text: str) -> tuple[str, str]:
        key, sep, value = text.partition("=")
        if not sep or not key or not value:
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}")
        return key.strip(), value.strip()

    return parse


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    model = parser.add_argument_group("model (choose at most one of --preset, --weights, --hidden)")
    model.add_argument(
        "--preset", metavar="NAME", help="hand-built teaching weights (see 'presets')"
    )
    model.add_argument(
        "--weights",
        metavar="FILE",
        help="weights .npz in PyTorch's layout: one LSTM or a whole model's state_dict "
        "(.pt/.pth with the [torch] extra)",
    )
    model.add_argument(
        "--hidden", metavar="N", type=int, help="random PyTorch-style initialisation with N units"
    )
    model.add_argument(
        "--seed", metavar="S", type=int, help="seed for --hidden, a whole number 0 or more"
    )
    whole = parser.add_argument_group("whole models (with --weights)")
    whole.add_argument(
        "--lstm", metavar="PREFIX", help="the LSTM's key prefix where the file holds several"
    )
    whole.add_argument(
        "--embedding", metavar="KEY", help="the embedding's weight where several arrays fit"
    )
    whole.add_argument("--head", metavar="KEY", help="the head's weight where several arrays fit")
    whole.add_argument(
        "--layer", metavar="N", type=int, help="the layer of a stack to show (default: the last)"
    )
    parser.add_argument(
        "--tokens",
        choices=("char", "word"),
        help="split text into characters or words (default: characters for a file; a shipped "
        "sample as 'samples' lists it, so dialogue reads words)",
    )
    _add_pairs(
        parser,
        "--act",
        "SLOT=NAME",
        "activation for a slot: input, forget, candidate, output, cell "
        "(e.g. --act forget=hard_sigmoid); repeatable",
    )
    _add_pairs(
        parser,
        "--clamp",
        "GATE=VALUE",
        "fix a gate (input, forget, output) to a value in [0, 1] "
        "(e.g. --clamp forget=1); repeatable",
    )


def _add_screen_options(parser: argparse.ArgumentParser) -> None:
    """How the app is shown: the same for ``lstm-tui`` and ``lstm-tui lesson``."""
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="classroom mode: no opening, saving or exporting files chosen at run time",
    )
    terminal = parser.add_argument_group("terminal (for SSH and slow links)")
    terminal.add_argument(
        "--color",
        choices=tuple(COLOR_ENVIRONMENT),
        help="colours to draw with, whatever the terminal says it can show: 24-bit, "
        "256, the 16 ANSI colours, or none (shades of grey); over SSH COLORTERM "
        "usually does not arrive, so the app cannot tell truecolor by itself",
    )
    terminal.add_argument(
        "--no-mouse",
        action="store_true",
        help="do not ask the terminal to report the mouse: no bytes for every mouse move",
    )
    parser.add_argument(
        "--projector",
        action="store_true",
        help="big-screen layout (about 100x30, large font): few large units, the cell "
        "diagram, high contrast, no timeline",
    )


def _add_pairs(parser: argparse._ActionsContainer, flag: str, metavar: str, help: str) -> None:
    """A repeatable ``KEY=VALUE`` option, collected as a list of pairs."""
    parser.add_argument(
        flag, metavar=metavar, action="append", default=[], type=_key_value(metavar), help=help
    )


def _add_compare_options(parser: argparse.ArgumentParser) -> None:
    compare = parser.add_argument_group(
        "cell B, run beside the cell (A) on the same sequence: what it changes of A"
    )
    _add_pairs(
        compare,
        "--vs-act",
        "SLOT=NAME",
        "B's activation for a slot (e.g. --vs-act cell=identity); repeatable",
    )
    _add_pairs(
        compare,
        "--vs-clamp",
        "GATE=VALUE",
        "fix one of B's gates to a value in [0, 1], or free it: GATE=free; repeatable",
    )
    compare.add_argument(
        "--vs-weights",
        metavar="FILE",
        help="B's own weights .npz: an LSTM's, an RNN's or a GRU's (the kind is in the shapes)",
    )
    compare.add_argument(
        "--vs-cell",
        choices=("rnn", "gru"),
        help="B is a plain tanh RNN or a GRU (weights from --vs-weights, else made from A's)",
    )


def _wants_variant(args: argparse.Namespace) -> bool:
    return bool(args.vs_act or args.vs_clamp or args.vs_weights or args.vs_cell)


def _variant(args: argparse.Namespace, session):
    """Cell B as the ``--vs-...`` options give it, checked against A; None without them."""
    from lstm_tui.engine.variant import check_same_vocab, load_variant

    if not _wants_variant(args):
        return None
    variant, vocab = load_variant(
        args.vs_cell,
        _once_per_key("--vs-act", args.vs_act),
        _once_per_key("--vs-clamp", args.vs_clamp),
        args.vs_weights,
    )
    check_same_vocab(vocab, session.input_vocab, args.vs_weights)
    try:
        variant.trajectory(session.params, session.config, session.trajectory.inputs)
    except InputError as err:
        raise InputError(str(err), path=args.vs_weights) from None
    return variant


def build_parser() -> argparse.ArgumentParser:
    """The parser for running the app: ``lstm-tui [SEQUENCE] [options]``."""
    parser = _Parser(
        prog=PROG,
        description="Watch an LSTM cell think, one token at a time.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("sequence", nargs="?", metavar="SEQUENCE", help="file or sample name")
    _add_model_options(parser)
    _add_screen_options(parser)
    _add_compare_options(parser)
    parser.add_argument(
        "--lesson",
        metavar="FILE",
        help="open on the first chapter of a lesson .toml (each chapter sets its own "
        "sequence and cell, so no SEQUENCE or model options); the built-in lesson is "
        "'lstm-tui lesson'",
    )
    return parser


def build_trace_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} trace",
        description="Run SEQUENCE through the cell without the screen and write every step.",
    )
    parser.add_argument("sequence", metavar="SEQUENCE", help="file or sample name")
    _add_model_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write .npz, .csv or .json (by suffix) instead of a table on stdout",
    )
    _add_compare_options(parser)
    return parser


def _whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number from ``low`` (to ``high``), said so when it is not."""

    def parse(text: str) -> int:
        try:
            number = int(text, 10)
        except ValueError:
            number = low - 1
        if number < low or (high is not None and number > high):
            span = f"{low} or more" if high is None else f"from {low} to {high}"
            raise argparse.ArgumentTypeError(f"expected a whole number {span}, got {text!r}")
        return number

    return parse


_port = _whole_number(1, 65535)


def build_train_parser() -> argparse.ArgumentParser:
    from lstm_tui.engine.training import TrainingSettings

    parser = _Parser(
        prog=f"{PROG} train",
        description="Train the cell and a linear head on SEQUENCE, a chunk per step as "
        "char-rnn does (text: guess the next token, cross-entropy; numbers: the next "
        "vector, squared error), and write the whole model to OUT. Ctrl+C stops and "
        f"writes what was trained so far. Open OUT with '{PROG} SEQUENCE --weights OUT'.",
    )
    parser.add_argument("sequence", metavar="SEQUENCE", help="file or sample name")
    parser.add_argument(
        "-o", "--output", metavar="OUT", required=True, help="the model to write (.npz)"
    )
    model = parser.add_argument_group("the model to start from (default: --hidden 8 --seed 0)")
    model.add_argument(
        "--weights",
        metavar="INIT",
        help="weights .npz: one LSTM layer, or a whole model with its head (as OUT is)",
    )
    model.add_argument(
        "--hidden", metavar="N", type=int, help="random PyTorch-style initialisation with N units"
    )
    model.add_argument(
        "--seed",
        metavar="S",
        type=int,
        help="seed for the random weights, a whole number 0 or more",
    )
    defaults = TrainingSettings()
    training = parser.add_argument_group("training")
    training.add_argument(
        "--optimizer",
        choices=("adam", "sgd"),
        default=defaults.optimizer,
        help="adam (torch.optim.Adam's defaults) or plain sgd (default: %(default)s)",
    )
    numbers = (
        ("--lr", "X", float, defaults.lr, "learning rate"),
        ("--steps", "N", _whole_number(1), 1000, "updates to make, one per chunk"),
        (
            "--bptt",
            "K",
            _whole_number(1),
            defaults.bptt,
            "chunk length: steps backpropagated through",
        ),
        ("--clip", "X", float, defaults.clip, "clip the gradient's norm to X, 0 = off"),
    )
    for flag, metavar, kind, default, text in numbers:
        training.add_argument(
            flag, metavar=metavar, type=kind, default=default, help=f"{text} (default: %(default)s)"
        )
    parser.add_argument(
        "--tokens",
        choices=("char", "word"),
        help="split text into characters or words (default: as for the app)",
    )
    _add_pairs(parser, "--act", "SLOT=NAME", "activation for a slot, as for the app; repeatable")
    _add_pairs(
        parser,
        "--clamp",
        "GATE=VALUE",
        "fix a gate to a value in [0, 1]; it stays fixed while training; repeatable",
    )
    return parser


def build_lesson_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} lesson",
        description="A guided lesson: chapters, each landing where one claim about the cell "
        "shows; n / N next / previous chapter, every other key as usual.",
    )
    parser.add_argument(
        "file", nargs="?", metavar="FILE", help="a lesson .toml (without it: the built-in lesson)"
    )
    _add_screen_options(parser)
    return parser


def build_serve_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} serve",
        description="Serve the app to web browsers: each browser that opens the page\n"
        "gets its own app. SEQUENCE and the model options are those of\n"
        f"'{PROG}' itself (see '{PROG} --help').",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage=f"{PROG} serve [--host HOST] [--port N] [--kiosk | --no-kiosk] [SEQUENCE] [options]",
        # Only whole option names are the server's own: the rest go to the app.
        allow_abbrev=False,
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port", metavar="N", type=_port, default=8000, help="port to listen on (default 8000)"
    )
    parser.add_argument(
        "--kiosk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="refuse opening, saving and exporting files (default: on; a visitor "
        "with --no-kiosk reads and writes files as the user running the server)",
    )
    return parser


def _open(args: argparse.Namespace):
    from lstm_tui.engine.weights_io import ModelChoice
    from lstm_tui.session import open_session

    if args.seed is not None and args.hidden is None:
        # Without --hidden the weights come from a preset (a sample opens with
        # its own) or a file, and a seed would change nothing.
        raise InputError("--seed only applies to --hidden N (random weights); add --hidden")
    activations, clamps = _cell_settings(args)
    return open_session(
        args.sequence,
        tokens=args.tokens,
        preset=args.preset,
        weights=args.weights,
        hidden=args.hidden,
        seed=0 if args.seed is None else args.seed,
        activations=activations,
        clamps=clamps,
        choice=(
            ModelChoice(args.lstm, args.embedding, args.head)
            if (args.lstm, args.embedding, args.head) != (None, None, None)
            else None
        ),
        layer=args.layer,
    )


def _cell_settings(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, float]]:
    """``--act`` and ``--clamp`` as given, each slot or gate once, each clamp checked."""
    from lstm_tui.engine.config import check_clamp_value

    activations = _once_per_key("--act", args.act)
    clamps = {
        gate: check_clamp_value(gate, value)
        for gate, value in _once_per_key("--clamp", args.clamp).items()
    }
    return activations, clamps


def _once_per_key(option: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """``pairs`` as a dict; an :class:`InputError` when a key is given twice.

    ``--act forget=relu --act forget=tanh`` is a mistake either way, and
    silently keeping the last would run a cell the user did not ask for.
    """
    chosen: dict[str, str] = {}
    for key, value in pairs:
        if key in chosen:
            raise InputError(
                f"{option} {key} is given twice ({key}={chosen[key]}, then {key}={value}); "
                "give each once"
            )
        chosen[key] = value
    return chosen


def _labels(session) -> list[str]:
    sequence = session.sequence
    return [sequence.label(t) for t in range(len(sequence))]


def cmd_trace(argv: Argv[str]) -> int:
    from lstm_tui.engine.trace_io import (
        check_trace_path,
        table_lines,
        trace_arrays,
        write_trace_arrays,
    )
    from lstm_tui.engine.variant import variant_arrays

    args = build_trace_parser().parse_args(argv)
    if args.output:
        check_trace_path(args.output)
    elif _wants_variant(args):
        raise InputError(
            "cell B (--vs-...) is written beside A's arrays: add -o OUT (.npz, .csv or .json)"
        )
    session = _open(args)
    variant = _variant(args, session)
    if args.output:
        arrays = trace_arrays(session.trajectory, _labels(session), session.stack)
        also = ""
        if variant is not None:
            inputs = session.trajectory.inputs
            arrays |= variant_arrays(variant.trajectory(session.params, session.config, inputs))
            also = f" and cell B ({variant.describe()}) beside them"
        path = write_trace_arrays(args.output, arrays)
        steps, units = len(session.sequence), session.params.hidden_size
        print(
            f"wrote {steps} steps x {units} units{safe_text(also)} to {safe_text(str(path))}",
            file=sys.stderr,
        )
    else:
        from lstm_tui.sequences.sequence import visible_token

        labels = [visible_token(label) for label in _labels(session)]
        for line in table_lines(session.trajectory, labels):
            sys.stdout.write(line + "\n")
    return 0


def cmd_train(argv: Argv[str]) -> int:
    from lstm_tui.engine.training import Trainer, TrainingSettings, with_head
    from lstm_tui.engine.weights_io import save_model
    from lstm_tui.files import check_writable_target
    from lstm_tui.session import DEFAULT_HIDDEN, open_session
    from lstm_tui.train_run import run_training

    args = build_train_parser().parse_args(argv)
    if not args.output.lower().endswith(".npz"):
        raise InputError("the model is written as .npz; name the file OUT.npz", path=args.output)
    check_writable_target(args.output)
    settings = TrainingSettings(args.optimizer, args.lr, args.bptt, args.clip).check()
    if args.weights is not None and args.seed is not None:
        raise InputError("--seed applies to random weights (--hidden), not to --weights")
    seed = 0 if args.seed is None else args.seed
    activations, clamps = _cell_settings(args)
    session = open_session(
        args.sequence,
        tokens=args.tokens,
        weights=args.weights,
        hidden=DEFAULT_HIDDEN if args.hidden is None and args.weights is None else args.hidden,
        seed=seed,
        activations=activations,
        clamps=clamps,
    )
    sequence = session.sequence
    model = with_head(session.model, sequence.input_size, seed)
    try:
        trainer = Trainer(model, sequence.inputs, session.token_ids(), session.config, settings)
    except InputError as err:
        raise InputError(str(err), path=args.weights or args.sequence) from None
    vocab = session.input_vocab if sequence.is_tokens else None

    def save(trained) -> str:
        save_model(args.output, trained, vocab, session.config, session.token_mode)
        return args.output

    hidden = model.layers[0].hidden_size
    what = (
        f"vocabulary {sequence.input_size}"
        if sequence.is_tokens
        else f"input size {sequence.input_size}"
    )
    description = (
        f"training H={hidden} on {safe_text(sequence.name)} ({len(sequence)} steps, {what}): "
        f"{args.steps} steps of {settings.bptt}, {settings.optimizer} lr {settings.lr:g}"
        + (f", clip {settings.clip:g}" if settings.clip > 0 else "")
    )
    return run_training(trainer, args.steps, save, description)


def cmd_samples(argv: Argv[str]) -> int:
    from lstm_tui.sequences.samples import list_samples

    _Parser(prog=f"{PROG} samples", description="List the shipped samples.").parse_args(argv)
    # The index is a file on disk like any other: what it says is shown safe.
    rows = [
        (safe_text(s.name), s.size_text, safe_text(s.preset or "-"), safe_text(s.watch))
        for s in list_samples()
    ]
    width = max(len(name) for name, *_ in rows)
    print(f"{'name':<{width}}  {'size':>10}  {'preset':<8}  what to watch")
    for name, size, preset, watch in rows:
        print(f"{name:<{width}}  {size:>10}  {preset:<8}  {watch}")
    return 0


def cmd_presets(argv: Argv[str]) -> int:
    from lstm_tui.engine.presets import PRESETS

    _Parser(prog=f"{PROG} presets", description="List the teaching presets.").parse_args(argv)
    width = max(len(name) for name in PRESETS)
    for preset in PRESETS.values():
        print(f"{preset.name:<{width}}  {preset.title}  (sample: {preset.sample})")
        print(f"{'':<{width}}  watch: {preset.watch}")
        for line in _wrap(preset.explanation, 76 - width):
            print(f"{'':<{width}}  {line}")
        print()
    return 0


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width=max(width, 30))


def cmd_lesson(argv: Argv[str]) -> int:
    args = build_lesson_parser().parse_args(argv)
    return _run_lesson(args.file, args)


def _run_lesson(path: str | None, args: argparse.Namespace) -> int:
    from lstm_tui.lessons import builtin_lesson, read_lesson
    from lstm_tui.ui.view import TIMELINE_VECTORS

    with _collector_off_while_loading():
        if path is None:
            lesson = builtin_lesson(TIMELINE_VECTORS)
        else:
            lesson = read_lesson(path, TIMELINE_VECTORS)
        # Every chapter opened once now: a step or unit out of range is said before the lesson.
        lesson.check()
        return _run(lesson.open_chapter(0), args, lesson=lesson)


# Options of the plain app that a lesson leaves to its chapters' settings.
_SCREEN_DESTS = frozenset({"kiosk", "color", "no_mouse", "projector", "lesson"})


def cmd_app(argv: Argv[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lesson is not None:
        defaults = vars(parser.parse_args([]))
        given = [
            dest
            for dest, value in defaults.items()
            if dest not in _SCREEN_DESTS and getattr(args, dest) != value
        ]
        if given:
            name = "SEQUENCE" if given[0] == "sequence" else "--" + given[0].replace("_", "-")
            raise InputError(f"--lesson sets each chapter's sequence and cell; leave out {name}")
        return _run_lesson(args.lesson, args)
    with _collector_off_while_loading():
        session = _open(args)
        return _run(session, args, variant=_variant(args, session))


@contextlib.contextmanager
def _collector_off_while_loading():
    """The garbage collector off from here to the app's first frame (LstmApp.on_ready).

    What is made until then (modules, the session, Textual's widgets and
    styles) lives as long as the app: passes over it would find nothing to
    free, and took a tenth of the start-up.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(session, args: argparse.Namespace, lesson=None, variant=None) -> int:
    from lstm_tui.serve import in_browser

    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not in_browser():
        # Without a terminal the app has no keys to read and nowhere to draw
        # (it would wait forever): say so, and what works without one.
        sys.stderr.write(
            f"{PROG}: the app needs a terminal on standard input and output; "
            f"'{PROG} trace SEQUENCE' writes every step without one\n"
        )
        return EXIT_USAGE
    if args.color is not None:
        _use_colors(args.color)
    from lstm_tui.ui.app import run_app

    return run_app(
        session,
        kiosk=args.kiosk,
        mouse=not args.no_mouse,
        projector=args.projector,
        lesson=lesson,
        compare=variant,
    )


def _use_colors(choice: str) -> None:
    """Set the environment Textual reads ``--color`` from; before Textual is imported."""
    for name, value in COLOR_ENVIRONMENT[choice].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def cmd_serve(argv: Argv[str]) -> int:
    from lstm_tui.serve import check_web_extra, serve

    args, app_argv = build_serve_parser().parse_known_args(argv)
    check_web_extra()
    # Checked once here: a wrong file or option is one line now, not a
    # page that fails in every browser that opens it.
    _open(build_parser().parse_args(app_argv))
    return serve(app_argv, host=args.host, port=args.port, kiosk=args.kiosk)


def main(argv: Argv[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {
        "trace": cmd_trace,
        "train": cmd_train,
        "samples": cmd_samples,
        "presets": cmd_presets,
        "serve": cmd_serve,
        "lesson": cmd_lesson,
    }
    try:
        if argv and argv[0] in commands:
            return commands[argv[0]](argv[1:])
        return cmd_app(argv)
    except InputError as err:
        # The one place errors are printed: whatever built the message, what
        # reaches the terminal is safe (an InputError's message already is).
        sys.stderr.write(f"{PROG}: {safe_text(str(err))}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of stdout is gone (`| head`): stop quietly, and point
        # stdout at /dev/null so the final flush at exit does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        sys.stderr.write(f"{PROG}: {safe_text(f'{where}{err.strerror or err}')}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
