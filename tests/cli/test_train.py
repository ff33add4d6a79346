"""``lstm-tui train``: the model it writes, what it trains with, ctrl+c, and bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.loss_gradients import Weights, chunk_loss
from lstm_tui.engine.model import Model
from lstm_tui.engine.params import LSTMParams
from lstm_tui.engine.training import Trainer, TrainingSettings, with_head
from lstm_tui.engine.weights_io import load_model, save_model
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.sequences.samples import find_sample
from lstm_tui.session import open_session
from tests.cli.test_hostile_input import assert_refused
from tests.model_files import MODEL, write_text

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS = {
    "lstm.weight_ih_l0",
    "lstm.weight_hh_l0",
    "lstm.bias_ih_l0",
    "lstm.bias_hh_l0",
    "head.weight",
    "head.bias",
}


def arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


def brackets() -> tuple[np.ndarray, np.ndarray]:
    """The brackets sample's one-hot inputs (T, V) and token ids (T,)."""
    sequence = load_sequence(find_sample("brackets").path)
    return sequence.inputs, sequence.inputs.argmax(axis=1)


def test_the_model_written_loads_back_with_its_head_vocab_and_settings(
    run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "out.npz"
    result = run_cli("train", "brackets", "-o", str(out), "--steps", "30", "--hidden", "6")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0].startswith("training H=6 on brackets")
    assert "trained 30 steps in" in result.err and str(out) in result.err
    assert set(arrays(out)) >= KEYS
    loaded = load_model(out)
    inputs, _ = brackets()
    assert loaded.model.output_size == inputs.shape[1] == len(loaded.vocab or ())
    assert loaded.token_mode == "char" and loaded.config == CellConfig()
    # And the app opens it with the head's guesses.
    session = open_session("brackets", weights=out)
    assert session.stack.has_head and session.output_vocab == loaded.vocab
    probs = session.stack.probabilities(3)
    assert probs.shape == (inputs.shape[1],) and abs(probs.sum() - 1.0) < 1e-12


def test_one_sgd_step_is_the_seeded_cell_minus_lr_times_the_first_chunk_s_gradient(
    run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "out.npz"
    options = ("--hidden", "5", "--seed", "3", "--optimizer", "sgd", "--lr", "0.3")
    options += ("--bptt", "7", "--clip", "0", "--steps", "1")
    assert run_cli("train", "brackets", "-o", str(out), *options).code == 0
    inputs, ids = brackets()
    start = with_head(Model.single(LSTMParams.random(5, inputs.shape[1], 3)), inputs.shape[1], 3)
    weights = Weights.of_model(start)
    grads = chunk_loss(weights, CellConfig(), inputs[:7], ids[1:8], np.zeros(5), np.zeros(5)).grads
    written = arrays(out)
    for key, value, grad in zip(weights.named(), weights.arrays(), grads.arrays(), strict=True):
        np.testing.assert_array_equal(written[key], value - 0.3 * grad)


def test_adam_with_a_clip_is_the_trainer_s_and_the_loss_falls(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    options = ("--lr", "0.02", "--bptt", "20", "--clip", "0.5", "--steps", "150")
    result = run_cli("train", "brackets", "-o", str(out), *options)
    assert result.code == 0, result.err
    inputs, ids = brackets()
    start = with_head(Model.single(LSTMParams.random(8, inputs.shape[1], 0)), inputs.shape[1], 0)
    trainer = Trainer(start, inputs, ids, CellConfig(), TrainingSettings("adam", 0.02, 20, 0.5))
    losses = [trainer.step() for _ in range(150)]
    for key, value in trainer.weights.named().items():
        np.testing.assert_array_equal(arrays(out)[key], value)
    passes = len(inputs) // 20
    assert np.mean(losses[-passes:]) < 0.8 * np.mean(losses[:passes])


def test_a_clamped_gate_stays_clamped_and_the_settings_are_saved(run_cli, tmp_path: Path) -> None:
    first, out = tmp_path / "first.npz", tmp_path / "out.npz"
    options = ("--clamp", "forget=1", "--act", "candidate=softsign", "--steps", "20")
    assert run_cli("train", "brackets", "-o", str(first), "--steps", "5").code == 0
    assert run_cli("train", "brackets", "-o", str(out), "--weights", str(first), *options).code == 0
    before, after = arrays(first), arrays(out)
    forget = slice(8, 16)
    for key in ("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0"):
        np.testing.assert_array_equal(after[key][forget], before[key][forget])
        assert not np.array_equal(after[key], before[key])
    loaded = load_model(out)
    assert loaded.config == CellConfig.build({"candidate": "softsign"}, {"forget": 1.0})


def test_a_bare_lstm_gets_a_head_and_a_numeric_sequence_a_regression_head(
    run_cli, tmp_path: Path
) -> None:
    init, out = tmp_path / "init.npz", tmp_path / "out.npz"
    save_model(init, Model.single(LSTMParams.random(4, 1, 7)))
    assert (
        run_cli("train", "sine", "-o", str(out), "--weights", str(init), "--steps", "5").code == 0
    )
    loaded = load_model(out)
    assert loaded.model.head_weight is not None and loaded.model.head_weight.shape == (1, 4)
    assert loaded.vocab is None and loaded.token_mode is None


def test_an_overflow_stops_with_the_weights_from_before_it(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    options = ("--act", "cell=identity", "--act", "candidate=identity", "--act", "output=identity")
    options += ("--optimizer", "sgd", "--lr", "1000", "--clip", "0", "--steps", "50")
    result = run_cli("train", "brackets", "-o", str(out), *options)
    assert result.code == 1
    assert "stopped: step" in result.err and "overflowed" in result.err
    loaded = load_model(out)  # finite, or it would not load
    assert loaded.config is not None and loaded.config.activation_name("cell") == "identity"


def test_ctrl_c_finishes_the_step_and_writes_what_was_trained(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three, stopped = tmp_path / "three.npz", tmp_path / "stopped.npz"
    assert run_cli("train", "brackets", "-o", str(three), "--steps", "3").code == 0
    step = Trainer.step

    def interrupted_in_the_third(self: Trainer) -> float:
        if self.steps == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return step(self)

    monkeypatch.setattr(Trainer, "step", interrupted_in_the_third)
    result = run_cli("train", "brackets", "-o", str(stopped), "--steps", "1000")
    assert result.code == 130
    assert "stopped by ctrl+c after 3 of 1000 steps" in result.err
    assert "wrote the model trained so far" in result.err
    expected, written = arrays(three), arrays(stopped)
    assert set(expected) == set(written)
    for key in expected:
        np.testing.assert_array_equal(written[key], expected[key])
    # The handler is put back: ctrl+c raises KeyboardInterrupt again.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_on_the_command_line_writes_the_model(tmp_path: Path) -> None:
    out = tmp_path / "out.npz"
    command = [sys.executable, "-m", "lstm_tui", "train", "brackets", "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--steps", "100000000"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
        text=True,
    )
    try:
        assert process.stderr is not None
        # The first line is printed once ctrl+c is the trainer's to handle.
        assert process.stderr.readline().startswith("training H=8")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert "stopped by ctrl+c" in err and "Traceback" not in err
    assert set(arrays(out)) >= KEYS
    assert [p.name for p in tmp_path.iterdir()] == ["out.npz"]


def test_the_model_loads_into_a_torch_module_with_lstm_and_head(run_cli, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    out = tmp_path / "out.npz"
    assert run_cli("train", "brackets", "-o", str(out), "--steps", "10", "--hidden", "6").code == 0
    inputs, _ = brackets()

    class CharModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = torch.nn.LSTM(inputs.shape[1], 6)
            self.head = torch.nn.Linear(6, inputs.shape[1])

    net = CharModel().double()
    state = {k: torch.from_numpy(v) for k, v in arrays(out).items() if k in KEYS}
    net.load_state_dict(state, strict=True)
    with torch.no_grad():
        whole, _ = net.lstm(torch.tensor(inputs[:40]))
        probs = torch.softmax(net.head(whole), dim=-1).numpy()
    session = open_session("brackets", weights=out)
    ours = np.array([session.stack.probabilities(t) for t in range(40)])
    np.testing.assert_allclose(ours, probs, rtol=0, atol=1e-10)


# --- bad input: one line, exit 2, nothing written -------------------------------------


def _not_npz(tmp_path: Path) -> str:
    path = tmp_path / "init.npz"
    path.write_text("not a zip")
    return str(path)


def _head_too_small(tmp_path: Path) -> str:
    path = tmp_path / "small_head.npz"
    inputs, _ = brackets()
    vocab = load_sequence(find_sample("brackets").path).vocab
    params = LSTMParams.random(4, inputs.shape[1], 0)
    save_model(path, Model.build((params,), None, np.zeros((3, 4)), np.zeros(3)), vocab)
    return str(path)


def _other_vocab(tmp_path: Path) -> str:
    path = tmp_path / "abc.npz"
    save_model(path, Model.single(LSTMParams.random(4, 3, 0)), ("a", "b", "c"))
    return str(path)


BAD = [
    pytest.param((), ["-o/--output"], id="no-output"),
    pytest.param(("-o", "{tmp}/out.txt"), ["out.txt", ".npz"], id="output-not-npz"),
    pytest.param(("-o", "{tmp}/no/out.npz"), ["does not exist"], id="output-directory-missing"),
    pytest.param(("-o", "{tmp}/dir.npz"), ["is a directory"], id="output-is-a-directory"),
    pytest.param(("--sequence", "nope"), ["no such file", "samples:"], id="unknown-sequence"),
    pytest.param(("--lr", "0"), ["learning rate", "above 0"], id="lr-zero"),
    pytest.param(("--lr", "nan"), ["learning rate"], id="lr-nan"),
    pytest.param(("--lr", "fast"), ["--lr", "invalid float"], id="lr-not-a-number"),
    pytest.param(("--clip", "-1"), ["clip", "0 or more"], id="clip-negative"),
    pytest.param(("--clip", "inf"), ["clip"], id="clip-infinite"),
    pytest.param(("--steps", "0"), ["--steps", "1 or more"], id="steps-zero"),
    pytest.param(("--bptt", "0"), ["--bptt", "1 or more"], id="bptt-zero"),
    pytest.param(("--bptt", "5000"), ["at least 5001 steps", "--bptt"], id="bptt-too-long"),
    pytest.param(("--optimizer", "rmsprop"), ["--optimizer", "invalid choice"], id="optimizer"),
    pytest.param(("--hidden", "0"), ["--hidden", "between 1"], id="hidden-zero"),
    pytest.param(("--seed", "-1"), ["seed", "0 or more"], id="seed-negative"),
    pytest.param(
        ("--weights", "{stack}", "--seed", "2"), ["--seed", "--weights"], id="seed-weights"
    ),
    pytest.param(("--weights", "{stack}", "--hidden", "4"), ["choose one of"], id="weights-hidden"),
    pytest.param(
        (
            "--weights",
            "{not_npz}",
        ),
        ["init.npz", "not an .npz"],
        id="init-not-npz",
    ),
    pytest.param(
        ("--weights", "{stack}", "--sequence", "{text}"),
        ["2 layers and an embedding"],
        id="init-stack",
    ),
    pytest.param(
        (
            "--weights",
            "{small_head}",
        ),
        ["head has 3 outputs"],
        id="init-head-size",
    ),
    pytest.param(
        (
            "--weights",
            "{abc}",
        ),
        ["vocabulary has no token"],
        id="init-other-vocab",
    ),
    pytest.param(("--act", "gate=tanh"), ["unknown activation slot"], id="act-slot"),
    pytest.param(("--act", "forget=nope"), ["unknown activation"], id="act-name"),
    pytest.param(("--clamp", "forget=2"), ["clamp for forget", "[0, 1]"], id="clamp-range"),
    pytest.param(("--clamp", "candidate=1"), ["unknown gate"], id="clamp-gate"),
    pytest.param(("--sequence", "sine", "--tokens", "word"), ["numeric"], id="word-on-numbers"),
    pytest.param(("--sequence", "{short}"), ["at least 26 steps", "has 3"], id="sequence-short"),
]


@pytest.mark.parametrize(("options", "needles"), BAD)
def test_bad_input_is_one_line_and_writes_nothing(
    run_cli, tmp_path: Path, options: tuple[str, ...], needles: list[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "dir.npz").mkdir()
    (work / "short.txt").write_text("abc")
    files = {
        "tmp": str(work),
        "stack": str(MODEL),
        "not_npz": _not_npz(work),
        "small_head": _head_too_small(work),
        "abc": _other_vocab(work),
        "text": str(write_text(work)),
        "short": str(work / "short.txt"),
    }
    before = sorted(p.name for p in work.iterdir())
    args = [option.format(**files) for option in options]
    sequence = "brackets"
    if "--sequence" in args:
        k = args.index("--sequence")
        sequence = args.pop(k + 1)
        args.pop(k)
    if "-o" not in args and options:  # the first case leaves -o out on purpose
        args += ["-o", str(work / "out.npz")]
    result = run_cli("train", sequence, *args)
    assert_refused(result, *needles)
    assert sorted(p.name for p in work.iterdir()) == before


def test_the_command_line_does_not_load_the_trainer_until_asked() -> None:
    code = (
        "import sys, lstm_tui.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('rich.progress') or 'train' in m))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert loaded.stdout.strip() == "[]"
