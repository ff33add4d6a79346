"""The command line: parse, load, hand over. Every problem is one line on stderr, exit 2."""

from __future__ import annotations

import argparse
import contextlib
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
COMMANDS = ("trace", "samples", "presets")
EXIT_USAGE = 2

_EPILOG = """\
commands:
  lstm-tui trace SEQUENCE [-o OUT]   run headless and write every step's vectors
  lstm-tui samples                   list the shipped sample sequences
  lstm-tui presets                   list the teaching presets

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
    model.add_argument("--weights", metavar="FILE", help="weights .npz in PyTorch's layout")
    model.add_argument(
        "--hidden", metavar="N", type=int, help="random PyTorch-style initialisation with N units"
    )
    model.add_argument(
        "--seed", metavar="S", type=int, help="seed for --hidden, a whole number 0 or more"
    )
    parser.add_argument(
        "--tokens",
        choices=("char", "word"),
        help="split text into characters (default) or words",
    )
    parser.add_argument(
        "--act",
        metavar="SLOT=NAME",
        action="append",
        default=[],
        type=_key_value("SLOT=NAME"),
        help="activation for a slot: input, forget, candidate, output, cell "
        "(e.g. --act forget=hard_sigmoid); repeatable",
    )
    parser.add_argument(
        "--clamp",
        metavar="GATE=VALUE",
        action="append",
        default=[],
        type=_key_value("GATE=VALUE"),
        help="fix a gate (input, forget, output) to a value in [0, 1] "
        "(e.g. --clamp forget=1); repeatable",
    )


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
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="classroom mode: no opening, saving or exporting files chosen at run time",
    )
    parser.add_argument(
        "--projector",
        action="store_true",
        help="big-screen layout (about 100x30, large font): few large units, "
        "high contrast, no timeline",
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
    return parser


def _open(args: argparse.Namespace):
    from lstm_tui.engine.config import check_clamp_value
    from lstm_tui.session import open_session

    if args.seed is not None and args.hidden is None:
        # Without --hidden the weights come from a preset (a sample opens with
        # its own) or a file, and a seed would change nothing.
        raise InputError("--seed only applies to --hidden N (random weights); add --hidden")
    activations = _once_per_key("--act", args.act)
    clamps = {
        gate: check_clamp_value(gate, value)
        for gate, value in _once_per_key("--clamp", args.clamp).items()
    }
    return open_session(
        args.sequence,
        tokens=args.tokens,
        preset=args.preset,
        weights=args.weights,
        hidden=args.hidden,
        seed=0 if args.seed is None else args.seed,
        activations=activations,
        clamps=clamps,
    )


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
    from lstm_tui.engine.trace_io import check_trace_path, table_lines, write_trace

    args = build_trace_parser().parse_args(argv)
    if args.output:
        check_trace_path(args.output)
    session = _open(args)
    if args.output:
        path = write_trace(args.output, session.trajectory, _labels(session))
        steps, units = len(session.sequence), session.params.hidden_size
        print(f"wrote {steps} steps x {units} units to {safe_text(str(path))}", file=sys.stderr)
    else:
        from lstm_tui.sequences.sequence import visible_token

        labels = [visible_token(label) for label in _labels(session)]
        for line in table_lines(session.trajectory, labels):
            sys.stdout.write(line + "\n")
    return 0


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


def cmd_app(argv: Argv[str]) -> int:
    args = build_parser().parse_args(argv)
    session = _open(args)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the app has no keys to read and nowhere to draw
        # (it would wait forever): say so, and what works without one.
        sys.stderr.write(
            f"{PROG}: the app needs a terminal on standard input and output; "
            f"'{PROG} trace SEQUENCE' writes every step without one\n"
        )
        return EXIT_USAGE
    from lstm_tui.ui.app import run_app

    return run_app(session, kiosk=args.kiosk, projector=args.projector)


def main(argv: Argv[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"trace": cmd_trace, "samples": cmd_samples, "presets": cmd_presets}
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
