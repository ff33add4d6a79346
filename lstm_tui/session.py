"""What is loaded: a sequence, the weights that run on it, and the cell's configuration.

The command line and the app both open a :class:`Session` through
:func:`open_session`, which resolves a path or a shipped sample's name, a
weights file, a preset or a random initialisation, checks that they fit
together, and builds the :class:`~lstm_tui.engine.trajectory.Trajectory`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import GATE_ORDER, LSTMParams, gate_rows
from lstm_tui.engine.presets import get_preset
from lstm_tui.engine.stack import Stack
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.engine.weights_io import LoadedModel, ModelChoice, load_model, save_model
from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.sequences.samples import find_sample, list_samples
from lstm_tui.sequences.sequence import Sequence, from_tokens, sorted_vocab
from lstm_tui.torch_files import torch_reader

if TYPE_CHECKING:
    # Only the compare screen builds cells B; the session keeps the one it is given.
    from lstm_tui.engine.variant import Variant

DEFAULT_SAMPLE = "brackets"
DEFAULT_HIDDEN = 8
# Larger cells make weight files past the 20 MB read limit, and the screen
# stays readable up to 256 units.
MAX_HIDDEN = 512
MAX_WEIGHT = 1000.0
"""Largest magnitude a weight may be given by hand: beyond it every gate is a hard switch."""
HISTORY_BYTES = 64 * 1024 * 1024
"""Memory the undo history may hold in weights; the oldest steps are dropped beyond it.

Every weight edit keeps a full copy of the parameters, so at H=512 this is
a few undo steps, at H=64 thousands.
"""


class MissingTokens(InputError):
    """The sequence holds tokens the model has no input column for; ``tokens`` names them."""

    def __init__(self, tokens: SequenceOf[str]) -> None:
        self.tokens = tuple(tokens)
        shown = ", ".join(repr(tok) for tok in self.tokens[:10])
        more = f" and {len(self.tokens) - 10} more" if len(self.tokens) > 10 else ""
        super().__init__(f"the model's vocabulary has no token(s) {shown}{more}")


@dataclass
class _Origin:
    """What one model was loaded or last saved with; shared by all its history entries.

    Mutable on purpose: saving moves the baseline of every entry of the model
    at once, so undoing past a save shows the model as modified again.
    """

    model: Model
    config: CellConfig


@dataclass(frozen=True)
class _Entry:
    """One state of the undo history: the model, its configuration and what it reads.

    ``params`` is the shown layer (``layer``) as it is now; ``frame`` holds
    every layer, the embedding and the head, its shown layer possibly older
    than ``params`` (:func:`_model_of` puts the two together).
    """

    params: LSTMParams
    config: CellConfig
    sequence: Sequence
    sequence_path: Path | None
    vocab: tuple[str, ...] | None
    model_label: str
    preset: str | None
    loaded: Model
    origin: _Origin
    frame: Model
    layer: int
    # The cell compared with this one (the compare screen's cell B), if any.
    variant: Variant | None = None


def _model_of(entry: _Entry) -> Model:
    """The whole model of a history entry, its shown layer included."""
    if entry.frame.layers[entry.layer] is entry.params:
        return entry.frame
    return entry.frame.with_layer(entry.layer, entry.params)


class Change(enum.Flag):
    """What one change to a :class:`Session` touched; listeners redraw from it.

    ``MODEL``: other weights of possibly other shapes, or another origin (a
    preset, a file, a seed), so ranges stated for the old model no longer
    hold. ``WEIGHTS``: some weights of the same model. ``CONFIG``:
    activations or clamps. ``SEQUENCE``: other inputs. ``SAVED``: only the
    saved baseline moved (the ``*`` for unsaved edits). ``COMPARE``: another
    cell B to compare with, or none.
    """

    NONE = 0
    MODEL = enum.auto()
    WEIGHTS = enum.auto()
    CONFIG = enum.auto()
    SEQUENCE = enum.auto()
    SAVED = enum.auto()
    COMPARE = enum.auto()

    @property
    def restates_ranges(self) -> bool:
        """True when what the screen states about the model's ranges must be worked out again."""
        return bool(self & (Change.MODEL | Change.SEQUENCE))


Listener = Callable[[Change], None]


class Session:
    """One loaded model on one sequence, with an undoable history of every change.

    ``model_label`` says where the weights came from (``preset counter``,
    ``weights run.npz``, ``random H=8 seed=0``); ``vocab`` is the vocabulary the
    weights expect (``None`` for numeric input, or weights without one).

    Every change — a weight, an activation, a clamp, other weights, another
    sequence — is one entry of the history, so :meth:`undo` and :meth:`redo`
    bring back the whole state bit for bit, trajectory included. The current
    state is read through properties only: the history is the one place it
    lives. After every change each listener (see :meth:`subscribe`) is told
    what changed.
    """

    def __init__(
        self,
        sequence: Sequence,
        params: LSTMParams,
        config: CellConfig,
        vocab: tuple[str, ...] | None,
        model_label: str,
        preset: str | None = None,
        sequence_path: Path | None = None,
        *,
        model: Model | None = None,
        layer: int | None = None,
        token_mode: str | None = None,
    ) -> None:
        model = model or Model.single(params)
        layer = model.depth - 1 if layer is None else _check_layer(model, layer)
        params = model.layers[layer]
        entry = _Entry(
            params,
            config,
            sequence,
            sequence_path,
            vocab,
            model_label,
            preset,
            model,
            _Origin(model, config),
            model,
            layer,
        )
        self._stack = Stack(model, sequence.inputs, config)
        self._stack.layer(layer)
        self._token_ids: tuple[Sequence, np.ndarray] | None = None
        self.token_mode = token_mode
        """The token mode the sequence was read with (``None``: not text), saved with weights."""
        self._history: list[_Entry] = [entry]
        self._position = 0
        self._modified = False
        self._listeners: list[Listener] = []

    # ------------------------------------------------------------ reading
    @property
    def _entry(self) -> _Entry:
        return self._history[self._position]

    @property
    def sequence(self) -> Sequence:
        return self._entry.sequence

    @property
    def sequence_path(self) -> Path | None:
        return self._entry.sequence_path

    @property
    def params(self) -> LSTMParams:
        return self._entry.params

    @property
    def config(self) -> CellConfig:
        return self._entry.config

    @property
    def vocab(self) -> tuple[str, ...] | None:
        return self._entry.vocab

    @property
    def model_label(self) -> str:
        return self._entry.model_label

    @property
    def preset(self) -> str | None:
        return self._entry.preset

    @property
    def trajectory(self) -> Trajectory:
        """The shown layer run over the current sequence, built and kept by the session."""
        return self._stack.layer(self._entry.layer)

    @property
    def stack(self) -> Stack:
        """Every layer of the model over the current sequence (and the head's prediction)."""
        return self._stack

    @property
    def model(self) -> Model:
        """The whole model: every layer (the shown one as edited), the embedding and the head."""
        return _model_of(self._entry)

    @property
    def layer(self) -> int:
        """Which layer of the stack the screen shows (0 is the one reading the tokens)."""
        return self._entry.layer

    @property
    def output_vocab(self) -> tuple[str, ...] | None:
        """The token of each of the head's outputs, or ``None`` (no head, or no names for them).

        A head's outputs are the model's vocabulary (tokens added later for a
        new sequence come after the ones it was trained on)."""
        size = self.model.output_size
        vocab = self.input_vocab
        if size is None or vocab is None or size > len(vocab):
            return None
        return vocab[:size]

    def token_ids(self) -> np.ndarray | None:
        """(T,) each token's index in the vocabulary, or ``None`` for numeric input."""
        sequence = self.sequence
        if not sequence.is_tokens:
            return None
        cached = self._token_ids
        if cached is None or cached[0] is not sequence:
            cached = (sequence, np.asarray(sequence.inputs.argmax(axis=1)))
            self._token_ids = cached
        return cached[1]

    @property
    def column_vocab(self) -> tuple[str, ...] | None:
        """The token of each column of the shown layer's W_ih, or ``None`` when its inputs
        are no tokens (an embedding's dimensions, or the h of the layer below)."""
        if self._entry.layer > 0 or self._entry.frame.embedding is not None:
            return None
        return self.input_vocab

    @property
    def sequence_label(self) -> str:
        return self.sequence.name

    @property
    def loaded_params(self) -> LSTMParams:
        """The shown layer's weights as the model was loaded (what a restore goes back to)."""
        return self._entry.loaded.layers[self._entry.layer]

    @property
    def input_vocab(self) -> tuple[str, ...] | None:
        """The token of each input column: the model's vocabulary, else the sequence's."""
        return self.vocab if self.vocab is not None else self.sequence.vocab

    # ---------------------------------------------------------- listeners
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every change; returns what unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # ------------------------------------------------------------ editing
    @property
    def modified(self) -> bool:
        """True when the weights or configuration differ from the loaded or last saved ones."""
        return self._modified

    @property
    def can_undo(self) -> bool:
        return self._position > 0

    @property
    def can_redo(self) -> bool:
        return self._position < len(self._history) - 1

    def apply(self, params: LSTMParams | None = None, config: CellConfig | None = None) -> None:
        """Change the weights and/or configuration as one undoable edit.

        The new weights must have the current shapes; another model goes
        through :meth:`replace_model`.
        """
        new_params = params if params is not None else self.params
        new_config = config if config is not None else self.config
        if new_params is self.params and new_config == self.config:
            return
        if (new_params.weight_ih.shape, new_params.weight_hh.shape) != (
            self.params.weight_ih.shape,
            self.params.weight_hh.shape,
        ):
            raise InputError("an edit must keep the shapes of the weights")
        self._push(replace(self._entry, params=new_params, config=new_config))

    def replace_model(
        self,
        params: LSTMParams | Model,
        vocab: tuple[str, ...] | None,
        label: str,
        preset: str | None = None,
        *,
        extend: bool = False,
        config: CellConfig | None = None,
        layer: int | None = None,
        unsaved: bool = False,
    ) -> tuple[str, ...]:
        """Other weights on the current sequence, as one undoable change.

        The sequence is re-encoded over ``vocab`` (weights without one read
        the sequence's own). Tokens the weights have no column for raise
        :class:`MissingTokens`, unless ``extend`` adds them as zero columns;
        returns the tokens added. The current configuration is kept, unless
        ``config`` (what a weights file was saved with) replaces it. A stack
        shows ``layer``, by default its last. ``unsaved`` keeps the saved
        baseline (weights trained here are an unsaved edit, not a file loaded).
        """
        model = params if isinstance(params, Model) else Model.single(params)
        shown = model.depth - 1 if layer is None else _check_layer(model, layer)
        sequence, model, vocab, loaded, added = self._fit_model(model, vocab, extend)
        self._push(
            _Entry(
                model.layers[shown],
                config or self.config,
                sequence,
                self.sequence_path,
                vocab,
                label,
                preset,
                loaded,
                # The activations and clamps stay, and so does what they were
                # loaded as: an unsaved edit to them is still one.
                self._entry.origin
                if unsaved
                else _Origin(model, config or self._entry.origin.config),
                model,
                shown,
                self._entry.variant,
            )
        )
        return added

    def check_model(self, params: LSTMParams | Model, vocab: tuple[str, ...] | None) -> None:
        """Raise what :meth:`replace_model` would raise for these weights, changing nothing.

        :class:`MissingTokens` says the vocabulary could be extended; any other
        :class:`InputError` that the weights cannot run on this sequence at all.
        """
        model = params if isinstance(params, Model) else Model.single(params)
        self._fit_model(model, vocab, extend=False)

    def _fit_model(
        self, model: Model, vocab: tuple[str, ...] | None, extend: bool
    ) -> tuple[Sequence, Model, tuple[str, ...] | None, Model, tuple[str, ...]]:
        fallback = self.sequence.vocab if self.sequence.is_tokens else None
        if vocab is None and fallback is not None and len(fallback) != model.input_size:
            # Weights without a vocabulary read the sequence's sorted tokens.
            fallback = sorted_vocab(self.sequence.tokens or ())
        return _fit(self.sequence, model, vocab, fallback, model, extend)

    def show_layer(self, layer: int) -> None:
        """Show another layer of the stack, as one undoable change (the model is unchanged)."""
        entry = self._entry
        model = _model_of(entry)
        layer = _check_layer(model, layer)
        if layer == entry.layer:
            return
        self._push(replace(entry, params=model.layers[layer], frame=model, layer=layer))

    def replace_sequence(
        self, sequence: Sequence, path: Path | None = None, *, extend: bool = False
    ) -> tuple[str, ...]:
        """Another sequence for the current model, as one undoable change.

        Tokens are encoded over the model's vocabulary; unknown ones raise
        :class:`MissingTokens` unless ``extend`` adds them as zero columns of
        ``W_ih`` (which changes nothing the model computes on other tokens).
        Returns the tokens added.
        """
        entry = self._entry
        sequence, model, vocab, loaded, added = _fit(
            sequence, _model_of(entry), self.vocab, self.input_vocab, entry.loaded, extend
        )
        origin = entry.origin
        if added:
            # The saved baseline grows the same zero columns, so an extension
            # alone is not an unsaved edit.
            origin = _Origin(_with_zero_columns(origin.model, len(added)), origin.config)
        self._push(
            replace(
                entry,
                params=model.layers[entry.layer],
                sequence=sequence,
                sequence_path=path,
                vocab=vocab,
                loaded=loaded,
                origin=origin,
                frame=model,
            )
        )
        return added

    @property
    def variant(self) -> Variant | None:
        """The cell B compared with this one, made from it on demand; None when none is."""
        return self._entry.variant

    def set_variant(self, variant: Variant | None) -> None:
        """Compare with another cell B (or none), as one undoable change."""
        if variant is not self.variant:
            self._push(replace(self._entry, variant=variant))

    def switch_to(self, other: Session) -> None:
        """Show ``other``'s model and sequence (a sample with its preset), undoably."""
        self._push(other._entry)

    def randomise(self, seed: int) -> None:
        """PyTorch-style random weights of the current shapes, undoably.

        Every layer of a stack is new (layer k from seed + k); an embedding
        and a head stay as they are.
        """
        model = self.model
        layers = tuple(
            LSTMParams.random(p.hidden_size, p.input_size, seed + k)
            for k, p in enumerate(model.layers)
        )
        hidden = self.params.hidden_size
        self.replace_model(
            replace(model, layers=layers),
            self.vocab,
            f"random H={hidden} seed={seed}",
            layer=self.layer,
        )

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self._move_to(self._position - 1)
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        self._move_to(self._position + 1)
        return True

    def mark_saved(self) -> None:
        """The weights, activations and clamps are saved: nothing is modified any more."""
        origin = self._entry.origin
        origin.model = self.model
        origin.config = self.config
        self._modified = False
        self._emit(Change.SAVED)

    @property
    def unsaved_config(self) -> bool:
        """True when the activations or clamps differ from the loaded or last saved ones."""
        return self.config != self._entry.origin.config

    def save(self, path: str | Path) -> None:
        """Write the model, vocabulary, activations, clamps and token mode to ``path``
        (``.npz``, atomic); then not modified."""
        save_model(path, self.model, self.input_vocab, self.config, self.token_mode)
        self.mark_saved()

    # ------------------------------------------------------------ history
    def _push(self, entry: _Entry) -> None:
        # Shown first: if the trajectory cannot be built, the history is untouched.
        before = self._entry
        self._show(entry)
        del self._history[self._position + 1 :]
        self._history.append(entry)
        self._position += 1
        self._trim()
        self._emit(_difference(before, entry))

    def _move_to(self, position: int) -> None:
        before, entry = self._entry, self._history[position]
        self._show(entry)
        self._position = position
        self._emit(_difference(before, entry))

    def _trim(self) -> None:
        """Forget the oldest entries while the distinct weights held pass :data:`HISTORY_BYTES`."""
        sizes: dict[int, int] = {}
        for item in self._history:
            for params in _held_params(item):
                sizes[id(params)] = sum(a.nbytes for a in params.arrays())
        total = sum(sizes.values())
        while len(self._history) > 2 and total > HISTORY_BYTES:
            dropped = self._history.pop(0)
            self._position -= 1
            held = {id(p) for item in self._history for p in _held_params(item)}
            for params in _held_params(dropped):
                if id(params) not in held and id(params) in sizes:
                    total -= sizes.pop(id(params))

    def _show(self, entry: _Entry) -> None:
        """Make ``entry``'s model run on its sequence: the same trajectories when only
        weights or configuration changed (they recompute lazily), else new ones."""
        model, config = _model_of(entry), entry.config
        current = self._stack.model
        if entry.sequence is not self._entry.sequence or not _same_shapes(model, current):
            stack = Stack(model, entry.sequence.inputs, config)
            stack.layer(entry.layer)
            self._stack = stack
        else:
            for k, (new, old) in enumerate(zip(model.layers, current.layers, strict=True)):
                if new is not old:
                    self._stack.set_params(k, new)
            if config != self._stack.config:
                self._stack.set_config(config)
            self._stack.layer(entry.layer)
        origin = entry.origin
        self._modified = not (config == origin.config and _same_weights(model, origin.model))


def _difference(before: _Entry, after: _Entry) -> Change:
    """What moving from one history entry to another changes."""
    change = Change.NONE
    if after.sequence is not before.sequence:
        change |= Change.SEQUENCE
    if (
        after.origin is not before.origin
        or after.model_label != before.model_label
        or after.layer != before.layer
        or after.params.weight_ih.shape != before.params.weight_ih.shape
        or after.params.hidden_size != before.params.hidden_size
    ):
        change |= Change.MODEL
    if after.params is not before.params:
        change |= Change.WEIGHTS
    if after.config != before.config:
        change |= Change.CONFIG
    if after.variant is not before.variant:
        change |= Change.COMPARE
    return change


def _same_shapes(a: Model, b: Model) -> bool:
    """Whether ``a`` can replace ``b`` in the same trajectories: same layers' shapes, and
    the same embedding and head (they change what the layers read)."""
    return (
        a.depth == b.depth
        and all(
            (p.input_size, p.hidden_size) == (q.input_size, q.hidden_size)
            for p, q in zip(a.layers, b.layers, strict=True)
        )
        and a.embedding is b.embedding
        and a.head_weight is b.head_weight
    )


def _same_weights(a: Model, b: Model) -> bool:
    """Whether two models compute the same: every layer, the embedding and the head equal."""
    if a.depth != b.depth:
        return False
    for x, y in ((a.embedding, b.embedding), (a.head_weight, b.head_weight)):
        if x is not y and (x is None or y is None or not np.array_equal(x, y)):
            return False
    return all(p is q or p.equals(q) for p, q in zip(a.layers, b.layers, strict=True))


def _held_params(entry: _Entry) -> list[LSTMParams]:
    return [entry.params, *entry.loaded.layers, *entry.frame.layers]


def _check_layer(model: Model, layer: int) -> int:
    if isinstance(layer, bool) or not 0 <= layer < model.depth:
        raise InputError(
            f"there is no layer {layer}: the model has {model.depth} (0 to {model.depth - 1})"
        )
    return layer


def _fit(
    sequence: Sequence,
    model: Model,
    vocab: tuple[str, ...] | None,
    layout: tuple[str, ...] | None,
    loaded: Model,
    extend: bool,
) -> tuple[Sequence, Model, tuple[str, ...] | None, Model, tuple[str, ...]]:
    """``sequence`` encoded for ``model``: ``(sequence, model, vocab, loaded, added)``.

    ``layout`` is the token of each input column when ``vocab`` is ``None``.
    """
    added: tuple[str, ...] = ()
    if sequence.is_tokens and sequence.tokens is not None:
        columns = vocab if vocab is not None else layout
        if columns is None:
            raise InputError(
                f"the model reads {model.input_size} numbers per step, not tokens; "
                "open a .csv or give it a vocabulary"
            )
        known = set(columns)
        missing = tuple(tok for tok in sorted_vocab(sequence.tokens) if tok not in known)
        if missing and not extend:
            raise MissingTokens(missing)
        if missing:
            added = missing
            columns = (*columns, *missing)
            model = _with_zero_columns(model, len(missing))
            loaded = _with_zero_columns(loaded, len(missing))
        vocab = columns
        sequence = from_tokens(
            sequence.tokens, columns, name=sequence.name, description=sequence.description
        )
    if sequence.input_size != model.input_size:
        raise InputError(
            f"the sequence has input size {sequence.input_size} but the weights expect "
            f"{model.input_size}"
        )
    return sequence, model, vocab, loaded, added


def _with_zero_columns(model: Model, count: int) -> Model:
    """``model`` reading ``count`` more tokens, which change nothing it computes:
    zero columns of layer 0's ``W_ih``, or zero rows of the embedding."""
    if model.embedding is not None:
        return model.with_embedding_rows(count)
    params = model.layers[0]
    rows = params.weight_ih.shape[0]
    wider = params.replace(weight_ih=np.hstack([params.weight_ih, np.zeros((rows, count))]))
    return replace(model, layers=(wider, *model.layers[1:]))


def check_weight(value: float | str) -> float:
    """``value`` as a float a weight may be set to; an :class:`InputError` saying why not."""
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise InputError(f"not a number: {value.strip()!r}") from None
    else:
        number = float(value)
    if not math.isfinite(number):
        raise InputError(f"a weight must be a finite number, not {number}")
    if abs(number) > MAX_WEIGHT:
        raise InputError(f"a weight must be within ±{MAX_WEIGHT:,.0f}, got {number:g}")
    return number


def scaled_gate(params: LSTMParams, gate: str, factor: float) -> LSTMParams:
    """``params`` with one gate's rows of both weight matrices and both biases times ``factor``.

    Scaling all four scales the gate's pre-activation (for a given input and
    h): above 1 the gate becomes a sharper switch, below 1 a softer one.
    """
    if gate not in GATE_ORDER:
        raise InputError(f"unknown gate {gate!r}; choose one of: {', '.join(GATE_ORDER)}")
    if not math.isfinite(factor) or abs(factor) > MAX_WEIGHT:
        raise InputError(f"the factor must be a finite number within ±{MAX_WEIGHT:,.0f}")
    rows = gate_rows(gate, params.hidden_size)
    arrays = {}
    for key, array in params.state_dict().items():
        scaled = np.array(array, copy=True)
        scaled[rows] *= factor
        if np.max(np.abs(scaled[rows]), initial=0.0) > MAX_WEIGHT:
            raise InputError(
                f"scaling gate {gate} by {factor:g} takes a weight beyond ±{MAX_WEIGHT:,.0f}"
            )
        arrays[key] = scaled
    return params.replace(**arrays)


def resolve_sequence_path(source: str) -> tuple[Path, str | None, str | None]:
    """``(path, sample's preset, sample's tokens mode)`` for a path or a sample name.

    A path that exists wins; otherwise the name of a shipped sample; otherwise
    an :class:`InputError` that lists the samples.
    """
    path = Path(source)
    if path.exists():
        return path, None, None
    try:
        sample = find_sample(source)
    except InputError:
        names = ", ".join(s.name for s in list_samples())
        raise InputError(
            f"no such file, and no shipped sample by that name (samples: {names})",
            path=source,
        ) from None
    return sample.path, sample.preset, sample.tokens


def open_session(
    source: str | None = None,
    *,
    tokens: str | None = None,
    preset: str | None = None,
    weights: str | Path | None = None,
    hidden: int | None = None,
    seed: int = 0,
    activations: Mapping[str, str] | None = None,
    clamps: Mapping[str, float] | None = None,
    choice: ModelChoice | None = None,
    layer: int | None = None,
) -> Session:
    """Load everything and check that it fits; raises :class:`InputError` otherwise.

    With no ``source`` the default sample opens with its preset. A sample
    opens with its own preset unless ``preset``, ``weights`` or ``hidden``
    says otherwise; a file with none of them gets a random cell of
    :data:`DEFAULT_HIDDEN` units. A weights file brings the activations,
    clamps and token mode it was saved with; ``activations``, ``clamps`` and
    ``tokens`` given here win over them. ``choice`` picks the arrays of an
    ambiguous weights file, ``layer`` the layer of a stack shown.
    """
    chosen = [name for name, v in (("--preset", preset), ("--weights", weights)) if v is not None]
    if hidden is not None:
        chosen.append("--hidden")
    if len(chosen) > 1:
        raise InputError(f"choose one of {', '.join(chosen)}, not several")
    if weights is None and (choice is not None or layer is not None):
        raise InputError("--lstm, --embedding, --head and --layer apply to --weights FILE")
    config = CellConfig.build(activations, clamps)

    path, sample_preset, sample_tokens = resolve_sequence_path(source or DEFAULT_SAMPLE)
    loaded = None if weights is None else load_weights_file(weights, choice)
    saved_mode = loaded.token_mode if loaded is not None else None
    token_mode = tokens or saved_mode or sample_tokens or "char"
    if not chosen and sample_preset is not None:
        preset = sample_preset

    model: Model | None = None
    if loaded is not None and weights is not None:
        model, vocab = loaded.model, loaded.vocab
        params = model.layers[-1]
        if loaded.config is not None:
            config = CellConfig.build(
                {**dict(loaded.config.activations), **(activations or {})},
                {**dict(loaded.config.clamps), **(clamps or {})},
            )
        sequence = load_sequence(path, token_mode, vocab)
        label = weights_label(Path(weights).name, model)
    elif preset is not None:
        chosen_preset = get_preset(preset)
        probe = load_sequence(path, token_mode)
        params, vocab = chosen_preset.build(probe.vocab, probe.input_size)
        sequence = probe
        if vocab is not None and probe.tokens is not None:
            # The preset's own vocabulary: encode the tokens already read over it.
            sequence = from_tokens(
                probe.tokens, vocab, name=probe.name, description=probe.description
            )
        label = f"preset {chosen_preset.name}"
    else:
        sequence = load_sequence(path, token_mode)
        size = DEFAULT_HIDDEN if hidden is None else hidden
        if not 1 <= size <= MAX_HIDDEN:
            raise InputError(f"--hidden must be between 1 and {MAX_HIDDEN}, got {size}")
        params = LSTMParams.random(size, sequence.input_size, seed)
        vocab = sequence.vocab
        label = f"random H={size} seed={seed}"

    if tokens == "word" and not sequence.is_tokens:
        raise InputError(
            "--tokens word applies to text; this file holds numeric vectors", path=path
        )
    expected = model.input_size if model is not None else params.input_size
    if sequence.input_size != expected:
        raise InputError(
            f"the sequence has input size {sequence.input_size} but the weights expect {expected}",
            path=path,
        )
    if model is not None and layer is not None:
        try:
            _check_layer(model, layer)
        except InputError as err:
            raise InputError(str(err), path=weights) from None
    mode = token_mode if sequence.is_tokens else None
    try:
        return Session(
            sequence,
            params,
            config,
            vocab,
            label,
            preset,
            path,
            model=model,
            layer=layer,
            token_mode=mode,
        )
    except InputError as err:
        # Too many steps for this many units: say which sequence.
        raise InputError(str(err), path=path) from None


def weights_label(name: str, model: Model) -> str:
    """``weights run.npz``, and for a whole model the parts found in it:
    ``weights m.npz: lstm. ×2 + embedding.weight + head.weight``."""
    if model.is_bare:
        return f"weights {name}"
    names = model.names
    parts = [f"{names.lstm or 'LSTM'}" + (f" ×{model.depth}" if model.depth > 1 else "")]
    parts += [key for key in (names.embedding, names.head) if key is not None]
    return f"weights {name}: {' + '.join(parts)}"


def load_weights_file(path: str | Path, choice: ModelChoice | None = None) -> LoadedModel:
    """The model in a weights file (``.npz``, or ``.pt``/``.pth`` with the torch extra)."""
    return load_model(path, choice, torch_reader())
