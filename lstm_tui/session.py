"""What is loaded: a sequence, the weights that run on it, and the cell's configuration.

The command line and the app both open a :class:`Session` through
:func:`open_session`, which resolves a path or a shipped sample's name, a
weights file, a preset or a random initialisation, checks that they fit
together, and builds the :class:`~lstm_tui.engine.trajectory.Trajectory`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.trajectory import Trajectory
from lstm_tui.errors import InputError
from lstm_tui.sequences.sequence import Sequence

DEFAULT_SAMPLE = "brackets"
DEFAULT_HIDDEN = 8
# Larger cells make weight files past the 20 MB read limit, and the screen
# stays readable up to 256 units.
MAX_HIDDEN = 512


@dataclass
class Session:
    """One loaded model on one sequence.

    ``model_label`` says where the weights came from (``preset counter``,
    ``weights run.npz``, ``random H=8 seed=0``); ``vocab`` is the vocabulary the
    weights expect (``None`` for numeric input).
    """

    sequence: Sequence
    params: LSTMParams
    config: CellConfig
    vocab: tuple[str, ...] | None
    model_label: str
    preset: str | None
    trajectory: Trajectory
    sequence_path: Path | None = None

    def __post_init__(self) -> None:
        self._history: list[tuple[LSTMParams, CellConfig]] = [(self.params, self.config)]
        self._position = 0
        self._saved_position = 0
        self.loaded_params = self.params

    @property
    def sequence_label(self) -> str:
        return self.sequence.name

    # ------------------------------------------------------------ editing
    @property
    def modified(self) -> bool:
        """True when the weights or configuration differ from the loaded or last saved ones."""
        return self._position != self._saved_position

    @property
    def can_undo(self) -> bool:
        return self._position > 0

    @property
    def can_redo(self) -> bool:
        return self._position < len(self._history) - 1

    def apply(self, params: LSTMParams | None = None, config: CellConfig | None = None) -> None:
        """Change the weights and/or configuration as one undoable edit."""
        new_params = params if params is not None else self.params
        new_config = config if config is not None else self.config
        if new_params is self.params and new_config == self.config:
            return
        if self._saved_position > self._position:
            self._saved_position = -1  # the saved state is on the branch being discarded
        del self._history[self._position + 1 :]
        self._history.append((new_params, new_config))
        self._position += 1
        self._show(new_params, new_config)

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self._position -= 1
        self._show(*self._history[self._position])
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        self._position += 1
        self._show(*self._history[self._position])
        return True

    def mark_saved(self) -> None:
        self._saved_position = self._position

    def _show(self, params: LSTMParams, config: CellConfig) -> None:
        if params is not self.params:
            self.params = params
            self.trajectory.set_params(params)
        if config != self.config:
            self.config = config
            self.trajectory.set_config(config)


def resolve_sequence_path(source: str) -> tuple[Path, str | None, str | None]:
    """``(path, sample's preset, sample's tokens mode)`` for a path or a sample name.

    A path that exists wins; otherwise the name of a shipped sample; otherwise
    an :class:`InputError` that lists the samples.
    """
    from lstm_tui.sequences.samples import find_sample, list_samples

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
) -> Session:
    """Load everything and check that it fits; raises :class:`InputError` otherwise.

    With no ``source`` the default sample opens with its preset. A sample
    opens with its own preset unless ``preset``, ``weights`` or ``hidden``
    says otherwise; a file with none of them gets a random cell of
    :data:`DEFAULT_HIDDEN` units.
    """
    from lstm_tui.engine.presets import get_preset
    from lstm_tui.engine.weights_io import load_weights
    from lstm_tui.sequences.readers import load_sequence

    chosen = [name for name, v in (("--preset", preset), ("--weights", weights)) if v is not None]
    if hidden is not None:
        chosen.append("--hidden")
    if len(chosen) > 1:
        raise InputError(f"choose one of {', '.join(chosen)}, not several")
    config = CellConfig.build(activations, clamps)

    path, sample_preset, sample_tokens = resolve_sequence_path(source or DEFAULT_SAMPLE)
    token_mode = tokens or sample_tokens or "char"
    if not chosen and sample_preset is not None:
        preset = sample_preset

    if weights is not None:
        params, vocab = load_weights(weights)
        sequence = load_sequence(path, token_mode, vocab)
        label = f"weights {Path(weights).name}"
    elif preset is not None:
        chosen_preset = get_preset(preset)
        probe = load_sequence(path, token_mode)
        params, vocab = chosen_preset.build(probe.vocab, probe.input_size)
        sequence = load_sequence(path, token_mode, vocab) if vocab is not None else probe
        label = f"preset {chosen_preset.name}"
    else:
        sequence = load_sequence(path, token_mode)
        size = DEFAULT_HIDDEN if hidden is None else hidden
        if not 1 <= size <= MAX_HIDDEN:
            raise InputError(f"--hidden must be between 1 and {MAX_HIDDEN}, got {size}")
        params = LSTMParams.random(size, sequence.input_size, seed)
        vocab = sequence.vocab
        label = f"random H={size} seed={seed}"

    if sequence.input_size != params.input_size:
        raise InputError(
            f"the sequence has input size {sequence.input_size} but the weights expect "
            f"{params.input_size}",
            path=path,
        )
    trajectory = Trajectory(params, sequence.inputs, config)
    return Session(sequence, params, config, vocab, label, preset, trajectory, path)
