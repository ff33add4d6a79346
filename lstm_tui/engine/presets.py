"""Teaching presets: hand-set weights whose units do something a class can name.

Each preset pairs weights built in code with a shipped sample sequence. Most
weights are "switches": a gate's pre-activation is pushed to ±SWITCH, where
the sigmoid is 0 or 1 to within 2e-9, so the gate is simply open or shut and
the cell state becomes an exact register — a counter, a timer, a one-bit
memory. Every weight not set here is zero, so each unit listens only to the
tokens (or units) named in its builder.

The hand-built token presets read one fixed vocabulary, :data:`CHAR_VOCAB`
(printable ASCII and newline), so their weight columns mean the same token
whatever the sequence; ``random`` adapts to the sequence it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from lstm_tui.engine.params import LSTMParams, gate_rows
from lstm_tui.errors import InputError

CHAR_VOCAB: tuple[str, ...] = ("\n", *(chr(code) for code in range(32, 127)))
"""Newline and the printable ASCII characters, sorted: the hand-built presets' inputs."""

CHAR_VOCAB_TEXT = "printable ASCII and newline"

SWITCH = 20.0
"""Pre-activation that saturates a gate: sigmoid(±20) is 1 - 2.1e-9 or 2.1e-9.

Large enough that a forget gate held at +SWITCH loses only 1e-5 of a count
of 10 over 500 steps; small enough that the numbers on screen stay readable.
"""

UNIT_STEP = 10.0
"""Candidate pre-activation for a write of ±1: tanh(10) is 1 - 4e-9."""

KINDS: tuple[str, ...] = ("chars", "numbers", "any")
"""What a preset reads: characters of CHAR_VOCAB, numeric vectors, or anything."""


class _Weights:
    """Zeroed parameter arrays filled in by gate, unit and input.

    All biases go into ``bias_ih``; ``bias_hh`` stays zero (only their sum
    matters, and one array is easier to read in the app).
    """

    def __init__(self, hidden: int, input_size: int, vocab: tuple[str, ...] | None) -> None:
        self.hidden = hidden
        self.vocab = vocab
        self.index = {tok: k for k, tok in enumerate(vocab)} if vocab is not None else {}
        self.weight_ih = np.zeros((4 * hidden, input_size))
        self.weight_hh = np.zeros((4 * hidden, hidden))
        self.bias = np.zeros(4 * hidden)

    def _row(self, gate: str, unit: int) -> int:
        return gate_rows(gate, self.hidden).start + unit

    def set_bias(self, gate: str, unit: int, value: float) -> None:
        self.bias[self._row(gate, unit)] = value

    def on_token(self, gate: str, unit: int, tokens: Iterable[str], value: float) -> None:
        """Add ``value`` to the gate's pre-activation whenever the input is one of ``tokens``."""
        for tok in tokens:
            self.weight_ih[self._row(gate, unit), self.index[tok]] = value

    def on_other_tokens(self, gate: str, unit: int, skip: Iterable[str], value: float) -> None:
        """Like :meth:`on_token` for every token of the vocabulary except ``skip``."""
        skipped = set(skip)
        assert self.vocab is not None
        self.on_token(gate, unit, [t for t in self.vocab if t not in skipped], value)

    def on_input(self, gate: str, unit: int, column: int, value: float) -> None:
        """Weight on one column of a numeric input vector."""
        self.weight_ih[self._row(gate, unit), column] = value

    def on_unit(self, gate: str, unit: int, source: int, value: float) -> None:
        """Weight on the previous step's h of unit ``source``."""
        self.weight_hh[self._row(gate, unit), source] = value

    def params(self) -> LSTMParams:
        return LSTMParams.from_arrays(
            self.weight_ih, self.weight_hh, self.bias, np.zeros(4 * self.hidden)
        )


def _char_weights(hidden: int) -> _Weights:
    return _Weights(hidden, len(CHAR_VOCAB), CHAR_VOCAB)


def _keep_and_show(w: _Weights, unit: int) -> None:
    """The resting switch positions: keep the cell (f = 1) and show it (o = 1)."""
    w.set_bias("f", unit, SWITCH)
    w.set_bias("o", unit, SWITCH)


# A forget gate deliberately left short of 1, to show geometric forgetting next
# to an exact register: sigmoid(ln 9) = 0.9 and sigmoid(ln 99) = 0.99 exactly.
F_090 = math.log(9.0)
F_099 = math.log(99.0)


def _counter(_input_size: int) -> LSTMParams:
    w = _char_weights(2)
    for unit in (0, 1):
        # Input gate: shut (-20) unless the token is a bracket (-20 + 40 = +20),
        # so only brackets write to the cell.
        w.set_bias("i", unit, -SWITCH)
        w.on_token("i", unit, "()", 2 * SWITCH)
        # Candidate: +1 for "(" and -1 for ")" (tanh(±10)); every other token
        # has pre-activation 0, so even a leaking input gate writes nothing.
        w.on_token("g", unit, "(", UNIT_STEP)
        w.on_token("g", unit, ")", -UNIT_STEP)
        # Output gate open: h = tanh(c) shows the count, squashed.
        w.set_bias("o", unit, SWITCH)
    # Unit 0 never forgets (f = 1), so c adds up the writes: the depth.
    w.set_bias("f", 0, SWITCH)
    # Unit 1 is the same counter with f = 0.9: each step keeps 90% of c, so
    # its count fades away between brackets.
    w.set_bias("f", 1, F_090)
    return w.params()


def _reset(_input_size: int) -> LSTMParams:
    w = _char_weights(2)
    # Unit 0 counts characters since the last full stop: every token writes +1
    # (input gate open, candidate tanh(10)) into a cell that keeps its value
    # (f = 1), except "." which shuts the forget gate (20 - 40 = -20, f = 0)
    # and the input gate, leaving c = 0 after the stop.
    _keep_and_show(w, 0)
    w.on_token("f", 0, ".", -2 * SWITCH)
    w.set_bias("i", 0, SWITCH)
    w.on_token("i", 0, ".", -2 * SWITCH)
    w.set_bias("g", 0, UNIT_STEP)
    # Unit 1 counts the full stops themselves: it never forgets and writes +1
    # only on ".", so it is the number of sentences finished so far.
    _keep_and_show(w, 1)
    w.set_bias("i", 1, -SWITCH)
    w.on_token("i", 1, ".", 2 * SWITCH)
    w.set_bias("g", 1, UNIT_STEP)
    return w.params()


LATCH_MARKERS = {"+": 1.0, "-": -1.0}
LATCH_QUERY = "?"


def _latch(_input_size: int) -> LSTMParams:
    w = _char_weights(2)
    markers = "".join(LATCH_MARKERS)
    for unit in (0, 1):
        # A marker opens the input gate and shuts the forget gate, so the old
        # bit is replaced by the candidate: +1 for "+", -1 for "-".
        w.set_bias("i", unit, -SWITCH)
        w.on_token("i", unit, markers, 2 * SWITCH)
        for marker, sign in LATCH_MARKERS.items():
            w.on_token("g", unit, marker, sign * UNIT_STEP)
        # The output gate is shut except on the query, so h is 0 while the
        # cell holds the bit, and tanh(±1) = ±0.76 when asked.
        w.set_bias("o", unit, -SWITCH)
        w.on_token("o", unit, LATCH_QUERY, 2 * SWITCH)
    # Unit 0 holds the bit with f = 1 (any distractor leaves c alone, since
    # the input gate is shut); unit 1 holds it with f = 0.99 and has lost most
    # of it 200 tokens later (0.99^200 = 0.13).
    w.set_bias("f", 0, SWITCH)
    w.set_bias("f", 1, F_099)
    for unit in (0, 1):
        w.on_token("f", unit, markers, -2 * SWITCH)
    return w.params()


ANBN_END = "\n"


def _anbn(_input_size: int) -> LSTMParams:
    w = _char_weights(4)
    end = ANBN_END
    # Units 0-2 keep their cell until the end of a string, where the forget
    # gate shuts (20 - 40 = -20) so the next string starts from zero.
    for unit in (0, 1, 2):
        _keep_and_show(w, unit)
        w.on_token("f", unit, end, -2 * SWITCH)

    # Unit 0: the counter, +1 on "a" and -1 on "b" (as in `counter`), so
    # c = (number of a) - (number of b) and h = tanh(c) is 0 only when they match.
    w.set_bias("i", 0, -SWITCH)
    w.on_token("i", 0, "ab", 2 * SWITCH)
    w.on_token("g", 0, "a", UNIT_STEP)
    w.on_token("g", 0, "b", -UNIT_STEP)

    # Unit 2: a flag "a b has been seen". A "b" shuts the forget gate and
    # opens the input gate, so c is set to exactly 1 (not counted up), and
    # h = tanh(1) = 0.76 from then on.
    w.set_bias("i", 2, -SWITCH)
    w.on_token("i", 2, "b", 2 * SWITCH)
    w.on_token("f", 2, "b", -2 * SWITCH)
    w.set_bias("g", 2, UNIT_STEP)

    # Unit 1: counts mistakes. Its input gate is an AND of "this is an a" and
    # "unit 2 says a b came before" (-60 + 40 + 40 = +20; either alone is
    # -20), or any token other than a, b and the end (-60 + 80 = +20). Each
    # mistake writes +1, so h >= tanh(1) = 0.76 once there is one.
    flag = 2 * SWITCH / math.tanh(1.0)  # unit 2's h of 0.76 contributes +40
    w.set_bias("i", 1, -3 * SWITCH)
    w.on_token("i", 1, "a", 2 * SWITCH)
    w.on_unit("i", 1, 2, flag)
    w.on_other_tokens("i", 1, ("a", "b", end), 4 * SWITCH)
    w.on_token("i", 1, end, -2 * SWITCH)
    w.set_bias("g", 1, UNIT_STEP)

    # Unit 3: the verdict, written only at the end token from the previous
    # step's h (the state after the string's last character):
    #   input gate  = end AND NOT "more a than b": -80 + 100 - 60·h0
    #                 (h0 = 0 gives +20; h0 >= 0.76 gives <= -25.7; without
    #                 the end token even h0 = -1 gives only -20)
    #   candidate   = +1 if no surplus of b and no mistake, else -1:
    #                 20 + 40·h0 - 60·h1 (h0 <= -0.76 or h1 >= 0.76 gives <= -10)
    # so c is +1 for a^n b^n, and 0 or -1 otherwise. The output gate opens
    # only at the end, so h = tanh(c) = +0.76 accepts and anything <= 0 rejects;
    # the forget gate is shut, so the verdict lasts exactly one step.
    w.set_bias("f", 3, -SWITCH)
    w.set_bias("i", 3, -4 * SWITCH)
    w.on_token("i", 3, end, 5 * SWITCH)
    w.on_unit("i", 3, 0, -3 * SWITCH)
    w.set_bias("g", 3, SWITCH)
    w.on_unit("g", 3, 0, 2 * SWITCH)
    w.on_unit("g", 3, 1, -3 * SWITCH)
    w.set_bias("o", 3, -SWITCH)
    w.on_token("o", 3, end, 2 * SWITCH)
    return w.params()


RANDOM_HIDDEN = 8
RANDOM_SEED = 0


def _random(input_size: int) -> LSTMParams:
    return LSTMParams.random(RANDOM_HIDDEN, input_size, RANDOM_SEED)


SINE_GAIN = 50.0
"""Candidate weight of the sign unit: |x| >= 0.05 already gives |g| >= tanh(2.5) = 0.99."""

SINE_AVERAGE = 0.1
"""Candidate weight of the averaging unit: small, so tanh(0.1·x) is 0.1·x to within 0.3%."""


def _sine(_input_size: int) -> LSTMParams:
    w = _Weights(2, 1, None)
    # Unit 0 tracks the sign: the forget gate is shut, so c is this step's
    # candidate alone, tanh(50·x), which is ±1 for all but the smallest |x|.
    w.set_bias("f", 0, -SWITCH)
    w.set_bias("i", 0, SWITCH)
    w.on_input("g", 0, 0, SINE_GAIN)
    w.set_bias("o", 0, SWITCH)
    # Unit 1 is a leaky average, c' = 0.9·c + 0.1·x: a smaller copy of the
    # wave that lags behind it by about six steps (at 50 steps per period).
    w.set_bias("f", 1, F_090)
    w.set_bias("i", 1, SWITCH)
    w.on_input("g", 1, 0, SINE_AVERAGE)
    w.set_bias("o", 1, SWITCH)
    return w.params()


@dataclass(frozen=True)
class Preset:
    """A named set of weights, its sample sequence and what to look at.

    ``kind`` is what the preset reads (see :data:`KINDS`); ``hidden_size`` its
    number of units.
    """

    name: str
    title: str
    explanation: str
    sample: str
    watch: str
    focus_unit: int
    timeline: str
    kind: str
    hidden_size: int
    _weights: Callable[[int], LSTMParams] = field(repr=False, compare=False)

    @property
    def vocab(self) -> tuple[str, ...] | None:
        """The fixed vocabulary of a hand-built token preset, else ``None``."""
        return CHAR_VOCAB if self.kind == "chars" else None

    def build(
        self, vocab: tuple[str, ...] | None, input_size: int
    ) -> tuple[LSTMParams, tuple[str, ...] | None]:
        """Weights for a sequence with this vocabulary (``None``: numeric) and input size.

        Returns the weights and the vocabulary they expect: the sequence must be
        (re-)encoded over it. Raises :class:`InputError` when the sequence does
        not suit the preset, naming tokens the preset does not know.
        """
        if self.kind == "chars":
            if vocab is None:
                raise InputError(
                    f"preset {self.name!r} reads characters, not numeric vectors; "
                    f"try preset 'sine' or 'random'"
                )
            check_tokens(self, vocab)
            return self._weights(len(CHAR_VOCAB)), CHAR_VOCAB
        if self.kind == "numbers":
            if vocab is not None:
                raise InputError(
                    f"preset {self.name!r} reads numeric vectors (a .csv), not tokens; "
                    f"try preset 'random'"
                )
            if input_size != 1:
                raise InputError(
                    f"preset {self.name!r} reads one number per step, "
                    f"but the sequence has {input_size} columns"
                )
            return self._weights(1), None
        size = len(vocab) if vocab is not None else input_size
        return self._weights(size), vocab


def check_tokens(preset: Preset, tokens: Iterable[str]) -> None:
    """An :class:`InputError` naming every token ``preset`` has no input for.

    Presets that adapt to any vocabulary (``random``) and numeric presets
    accept anything here; :meth:`Preset.build` checks the input size.
    """
    vocab = preset.vocab
    if vocab is None:
        return
    known = set(vocab)
    missing = sorted({tok for tok in tokens if tok not in known})
    if missing:
        shown = ", ".join(repr(tok) for tok in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise InputError(
            f"preset {preset.name!r} reads {CHAR_VOCAB_TEXT} only; "
            f"the sequence has token(s) {shown}{more}"
        )


_ALL: tuple[Preset, ...] = (
    Preset(
        name="counter",
        title="a cell that counts bracket depth",
        explanation=(
            "Unit 0's cell state is a counter. Its forget gate is held at 1, so "
            "nothing is ever lost; its input gate opens only on a bracket; its "
            "candidate is +1 for '(' and -1 for ')'. So c = f*c + i*g adds one "
            "at each opening bracket, takes one away at each closing one, and "
            "stays put on every other character: after each token, c is the "
            "bracket depth. Unit 1 is the same counter with its forget gate at "
            "0.9, and its count fades geometrically between brackets. Try the "
            "candidate as identity (c becomes 10 times the depth), the forget "
            "gate as relu (c explodes) or clamped to 0 (it never counts past one)."
        ),
        sample="brackets",
        watch="unit 0's c is the bracket depth; unit 1 (f = 0.9) forgets it",
        focus_unit=0,
        timeline="c",
        kind="chars",
        hidden_size=2,
        _weights=_counter,
    ),
    Preset(
        name="reset",
        title="a forget gate that resets at each full stop",
        explanation=(
            "Unit 0 counts the characters since the last full stop: every "
            "character writes +1 into a cell that keeps its value (forget gate "
            "near 1), except '.', where the forget gate drops to 0 and wipes "
            "the count. This is what the forget gate is for: deciding when the "
            "past stops mattering. Unit 1 never forgets and writes only on '.', "
            "so it counts the sentences finished so far."
        ),
        sample="sentences",
        watch="unit 0's f drops to 0 on '.', and its c restarts from zero",
        focus_unit=0,
        timeline="c",
        kind="chars",
        hidden_size=2,
        _weights=_reset,
    ),
    Preset(
        name="latch",
        title="one bit of memory held across hundreds of tokens",
        explanation=(
            "A '+' or '-' marker opens the input gate and shuts the forget gate, "
            "so the cell stores the candidate's sign: +1 or -1. Then the input "
            "gate stays shut and the forget gate open for every distractor, and "
            "the bit is held unchanged, however long the wait. The output gate "
            "is shut too, so h is 0 until a '?' opens it and reads the bit "
            "back as h = +0.76 or -0.76. Unit 1 does the same with its forget "
            "gate at 0.99: 200 tokens later only 0.99^200 = 13% of its bit is left."
        ),
        sample="latch",
        watch="unit 0's c holds the marker's sign; the output gate opens on '?'",
        focus_unit=0,
        timeline="c",
        kind="chars",
        hidden_size=2,
        _weights=_latch,
    ),
    Preset(
        name="anbn",
        title="recognising a^n b^n, one string per line",
        explanation=(
            "Four units recognise strings of n a's followed by n b's (n up to 50 "
            "and beyond), one string per line. Unit 0 counts a minus b; unit 2 "
            "is a flag set by the first b; unit 1 counts mistakes (an a after a "
            "b, or any other character). At the end of a line, unit 3's gates "
            "combine them: its input gate opens unless there are more a's, its "
            "candidate is +1 unless there are more b's or a mistake. Its output "
            "gate opens only at the end of the line, where h = +0.76 accepts the "
            "string and 0 or below rejects it. Then every cell is reset."
        ),
        sample="anbn",
        watch="unit 3's h at each line end: +0.76 accepts, 0 or less rejects",
        focus_unit=3,
        timeline="h",
        kind="chars",
        hidden_size=4,
        _weights=_anbn,
    ),
    Preset(
        name="random",
        title="an untrained cell: PyTorch's default initialisation",
        explanation=(
            "Every weight and bias drawn from U(-1/sqrt(H), 1/sqrt(H)) with a "
            f"fixed seed ({RANDOM_SEED}), as torch.nn.LSTM starts out, for "
            f"{RANDOM_HIDDEN} units over the sequence's own vocabulary. Nothing "
            "saturates: gates hover around 0.5, so the cell half-forgets and "
            "half-writes at every step and c drifts without meaning. Compare it "
            "with the hand-built presets to see what training has to achieve."
        ),
        sample="english",
        watch="gates hover near 0.5: nothing is saturated, nothing is held",
        focus_unit=0,
        timeline="h",
        kind="any",
        hidden_size=RANDOM_HIDDEN,
        _weights=_random,
    ),
    Preset(
        name="sine",
        title="numeric input: a cell that tracks the sign of a wave",
        explanation=(
            "The input is one number per step (a sine wave read from a .csv), "
            "not a one-hot token: the weights multiply the value itself. Unit "
            "0's forget gate is shut and its candidate is tanh(50*x), so c is "
            "+1 or -1 with the sign of the current input and h follows the sign "
            "of the wave. Unit 1 keeps 90% of its cell and adds 0.1*x: a leaky "
            "average, a smaller copy of the wave that lags a few steps behind."
        ),
        sample="sine",
        watch="unit 0's h has the sign of x; unit 1's c is a lagging average",
        focus_unit=0,
        timeline="h",
        kind="numbers",
        hidden_size=2,
        _weights=_sine,
    ),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _ALL}
"""Every preset by name, in the order they are taught."""


def get_preset(name: str) -> Preset:
    """The preset called ``name``; an :class:`InputError` listing the valid ones otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None
