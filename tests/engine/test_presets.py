"""Each teaching preset does exactly what its explanation claims.

The claims are the lesson: if a weight changes and a unit stops counting,
holding or recognising, a test here fails.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lstm_tui.engine.config import CellConfig
from lstm_tui.engine.params import LSTMParams, gate_rows
from lstm_tui.engine.presets import (
    CHAR_VOCAB,
    PRESETS,
    UNIT_STEP,
    Preset,
    check_tokens,
    get_preset,
)
from lstm_tui.engine.trajectory import Trajectory, run
from lstm_tui.errors import InputError
from lstm_tui.sequences.readers import load_sequence
from lstm_tui.sequences.samples import Sample, find_sample, list_samples
from lstm_tui.sequences.sequence import Sequence, from_tokens, from_vectors

TANH_1 = math.tanh(1.0)


def _char_run(preset: str, text: str, config: CellConfig | None = None) -> Trajectory:
    sequence = from_tokens(list(text), CHAR_VOCAB)
    params, _ = get_preset(preset).build(sequence.vocab, sequence.input_size)
    return Trajectory(params, sequence.inputs, config)


def _sample_text(name: str) -> str:
    return find_sample(name).path.read_text(encoding="utf-8")


def _depth(text: str) -> np.ndarray:
    return np.cumsum([(ch == "(") - (ch == ")") for ch in text]).astype(float)


def _nested_brackets(length: int, max_depth: int, seed: int) -> str:
    """Random text of brackets and letters whose depth stays in 0..max_depth."""
    rng = np.random.default_rng(seed)
    out, depth = [], 0
    while len(out) < length:
        roll = rng.random()
        if roll < 0.25 and depth < max_depth:
            out.append("(")
            depth += 1
        elif roll < 0.5 and depth > 0:
            out.append(")")
            depth -= 1
        else:
            out.append(str(rng.choice(list("abc xyz,.;\n"))))
    return "".join(out)


# ------------------------------------------------------------------ the set


def test_the_six_presets_exist_in_teaching_order() -> None:
    assert list(PRESETS) == ["counter", "reset", "latch", "anbn", "random", "sine"]


@pytest.mark.parametrize("preset", PRESETS.values(), ids=list(PRESETS))
def test_texts_fit_one_line_tables_and_point_at_real_things(preset: Preset) -> None:
    for text in (preset.title, preset.watch, preset.explanation):
        assert text and "\n" not in text
    assert len(preset.title) <= 60 and len(preset.watch) <= 72
    assert 0 <= preset.focus_unit < preset.hidden_size
    assert preset.timeline in ("z", "i", "f", "g", "o", "c", "h")
    sample = find_sample(preset.sample)
    assert sample.preset == preset.name


@pytest.mark.parametrize("preset", PRESETS.values(), ids=list(PRESETS))
def test_small_enough_to_read_every_unit(preset: Preset) -> None:
    sample = find_sample(preset.sample)
    sequence = load_sequence(sample.path, sample.tokens or "char")
    params, _ = preset.build(sequence.vocab, sequence.input_size)
    assert params.hidden_size == preset.hidden_size
    assert 2 <= params.hidden_size <= 8


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_every_sample_runs_with_its_preset(sample: Sample) -> None:
    # The way the app opens a sample: read, build the weights for its tokens,
    # re-encode over the weights' vocabulary, run.
    probe = load_sequence(sample.path, sample.tokens or "char")
    params, vocab = get_preset(sample.preset).build(probe.vocab, probe.input_size)
    sequence = load_sequence(sample.path, sample.tokens or "char", vocab) if vocab else probe
    trajectory = run(params, sequence.inputs)
    assert np.all(np.isfinite(trajectory.c)) and np.all(np.isfinite(trajectory.h))


def test_hand_built_presets_use_pytorch_layout_with_zero_hidden_bias() -> None:
    params, vocab = get_preset("counter").build(("(", ")"), 2)
    assert vocab == CHAR_VOCAB
    assert params.weight_ih.shape == (8, len(CHAR_VOCAB))
    assert params.weight_hh.shape == (8, 2)
    assert not np.any(params.bias_hh)
    # Unit 0's input gate row listens to the brackets and nothing else.
    row = params.weight_ih[gate_rows("i", 2)][0]
    listened = {CHAR_VOCAB[k] for k in np.flatnonzero(row)}
    assert listened == {"(", ")"}


def test_char_vocab_is_sorted_printable_ascii_and_newline() -> None:
    assert tuple(sorted(CHAR_VOCAB)) == CHAR_VOCAB
    assert len(CHAR_VOCAB) == 96 and "\n" in CHAR_VOCAB and "~" in CHAR_VOCAB


# --------------------------------------------------------------- bad input


def test_unknown_preset_lists_the_valid_names() -> None:
    with pytest.raises(InputError) as err:
        get_preset("counting")
    message = str(err.value)
    assert "'counting'" in message
    for name in PRESETS:
        assert name in message


def test_unknown_tokens_are_named() -> None:
    preset = get_preset("counter")
    with pytest.raises(InputError, match=r"'é'.*'\\t'|'\\t'.*'é'") as err:
        preset.build(("(", "é", "\t"), 3)
    assert "counter" in str(err.value) and "printable ASCII" in str(err.value)
    with pytest.raises(InputError, match="'ü'"):
        check_tokens(preset, "grün")
    check_tokens(preset, "plain (ASCII) text\n")


def test_word_tokens_are_named_for_a_character_preset() -> None:
    words = from_tokens(["the", "cell", "("])
    with pytest.raises(InputError, match=r"'cell'.*'the'"):
        get_preset("latch").build(words.vocab, words.input_size)


def test_many_unknown_tokens_are_summarised() -> None:
    tokens = [f"w{k}" for k in range(15)]
    with pytest.raises(InputError, match="and 5 more"):
        check_tokens(get_preset("reset"), tokens)


def test_character_preset_refuses_numeric_input() -> None:
    with pytest.raises(InputError, match="reads characters, not numeric"):
        get_preset("counter").build(None, 1)


def test_sine_refuses_tokens_and_extra_columns() -> None:
    with pytest.raises(InputError, match="numeric vectors"):
        get_preset("sine").build(("a", "b"), 2)
    with pytest.raises(InputError, match="3 columns"):
        get_preset("sine").build(None, 3)


def test_random_and_numeric_presets_accept_any_tokens_in_check() -> None:
    check_tokens(get_preset("random"), ["é", "word"])
    check_tokens(get_preset("sine"), ["anything"])


# ------------------------------------------------------------------ counter


def test_counter_cell_state_is_the_bracket_depth_on_the_sample() -> None:
    text = _sample_text("brackets")
    depth = _depth(text)
    assert len(text) >= 500 and depth.max() == 10 and depth.min() == 0
    c = _char_run("counter", text).run().c[:, 0]
    assert np.max(np.abs(c - depth)) < 0.02


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counter_counts_any_nesting_up_to_depth_ten(seed: int) -> None:
    text = _nested_brackets(2000, 10, seed)
    depth = _depth(text)
    assert depth.max() == 10
    c = _char_run("counter", text).run().c[:, 0]
    assert np.max(np.abs(c - depth)) < 0.02


def test_counter_gates_forget_nothing_and_open_only_on_brackets() -> None:
    text = _sample_text("brackets")
    trajectory = _char_run("counter", text).run()
    tokens = np.array(list(text))
    bracket = np.isin(tokens, ["(", ")"])
    i, f, g, c = (trajectory.vector(v)[:, 0] for v in "ifgc")
    assert np.all(f > 0.99)
    assert np.all(i[bracket] > 0.99) and np.all(i[~bracket] < 0.01)
    assert np.all(g[tokens == "("] > 0.99) and np.all(g[tokens == ")"] < -0.99)
    previous = np.concatenate([[0.0], c[:-1]])
    assert np.max(np.abs(c - previous)[~bracket]) < 1e-6
    assert np.allclose((c - previous)[bracket], np.where(tokens == "(", 1.0, -1.0)[bracket])


def test_counter_unit_one_forgets_geometrically() -> None:
    text = _sample_text("brackets")
    c = _char_run("counter", text).run().c[:, 1]
    tokens = np.array(list(text))
    other = ~np.isin(tokens, ["(", ")"])
    previous = np.concatenate([[0.0], c[:-1]])
    assert np.allclose(c[other], 0.9 * previous[other], rtol=1e-6, atol=1e-12)


# ------------------------------------- the counter when activations change


def test_identity_candidate_moves_c_by_exactly_its_pre_activation() -> None:
    text = _sample_text("brackets")
    config = CellConfig.build({"candidate": "identity"})
    trajectory = _char_run("counter", text, config).run()
    hidden = trajectory.params.hidden_size
    z_g = trajectory.z[:, gate_rows("g", hidden)][:, 0]
    c = trajectory.c[:, 0]
    step = c - np.concatenate([[0.0], c[:-1]])
    bracket = np.isin(np.array(list(text)), ["(", ")"])
    assert np.allclose(step[bracket], z_g[bracket], rtol=1e-6, atol=0)
    # No saturation error: c is UNIT_STEP times the depth, not tanh(UNIT_STEP)
    # times. The only drift is the forget gate's 2e-9 leak per step, which
    # stays below a hundred-thousandth of one bracket's step over the sample.
    depth = _depth(text)
    assert np.max(np.abs(c - UNIT_STEP * depth)) < 1e-5 * UNIT_STEP
    # With tanh the same weights move c by tanh(z_g), not by z_g.
    tanh_c = _char_run("counter", text).run().c[:, 0]
    assert np.allclose(tanh_c, np.tanh(UNIT_STEP) * depth, atol=1e-5)


def test_relu_forget_gate_makes_the_count_explode() -> None:
    text = _sample_text("brackets")
    config = CellConfig.build({"forget": "relu"})
    trajectory = _char_run("counter", text, config)
    # Only the first steps: past ~240 more, c overflows float64.
    first = text.index("(")
    stop = first + 100
    trajectory.ensure(stop)
    c = np.abs(trajectory.c[first : stop + 1, 0])
    # f = relu(20) = 20, so |c| grows twentyfold a step (±1 from the brackets).
    growth = c[1:] / c[:-1]
    assert np.all((growth > 19.0) & (growth < 21.0))
    assert c[-1] > 1e100


def test_forget_clamped_to_zero_never_counts_past_one() -> None:
    text = _sample_text("brackets")
    config = CellConfig.build(clamps={"forget": 0.0})
    trajectory = _char_run("counter", text, config).run()
    i, g, c = (trajectory.vector(v)[:, 0] for v in "igc")
    # Only the last step's write is left ...
    assert np.array_equal(c, i * g)
    # ... so at depth 10 the cell still says at most one.
    assert np.max(np.abs(c)) <= 1.0
    depth = _depth(text)
    assert np.all(np.abs(c[depth >= 2]) <= 1.0)


# -------------------------------------------------------------------- reset


def _since_last_stop(text: str) -> tuple[np.ndarray, np.ndarray]:
    since, stops, count, seen = [], [], 0, 0
    for ch in text:
        if ch == ".":
            count, seen = 0, seen + 1
        else:
            count += 1
        since.append(count)
        stops.append(seen)
    return np.array(since, float), np.array(stops, float)


def test_reset_counts_characters_since_the_last_full_stop() -> None:
    text = _sample_text("sentences")
    assert text.count(".") >= 5
    trajectory = _char_run("reset", text).run()
    since, stops = _since_last_stop(text)
    assert np.allclose(trajectory.c[:, 0], since, atol=1e-3)
    assert np.allclose(trajectory.c[:, 1], stops, atol=1e-6)


def test_reset_forget_gate_drops_to_zero_only_on_full_stops() -> None:
    text = _sample_text("sentences")
    f = _char_run("reset", text).run().f[:, 0]
    stop = np.array(list(text)) == "."
    assert np.all(f[stop] < 1e-6)
    assert np.all(f[~stop] > 0.999)


# -------------------------------------------------------------------- latch


def _latch_expectations(text: str) -> list[tuple[int, float, int]]:
    """``(query step, stored sign, distractors since the marker)`` for every query."""
    out, sign, since = [], 0.0, 0
    for t, ch in enumerate(text):
        if ch in "+-":
            sign, since = (1.0 if ch == "+" else -1.0), 0
        elif ch == "?":
            out.append((t, sign, since))
        else:
            since += 1
    return out


def test_latch_holds_the_bit_over_the_sample_and_reads_it_on_query() -> None:
    text = _sample_text("latch")
    queries = _latch_expectations(text)
    assert len(queries) >= 3 and {s for _, s, _ in queries} == {-1.0, 1.0}
    assert all(since >= 200 for _, _, since in queries)
    trajectory = _char_run("latch", text).run()
    h = trajectory.h[:, 0]
    asked = np.zeros(len(text), bool)
    for t, sign, _ in queries:
        asked[t] = True
        assert np.sign(h[t]) == sign and abs(h[t]) > TANH_1 - 1e-4
    # The output gate masks the cell everywhere else.
    assert np.all(np.abs(h[~asked]) < 1e-8)


def test_latch_input_gate_stays_shut_over_a_thousand_distractors() -> None:
    rng = np.random.default_rng(7)
    pool = [tok for tok in CHAR_VOCAB if tok not in "+-?"]
    for marker, sign in (("+", 1.0), ("-", -1.0)):
        distractors = "".join(rng.choice(pool, 1000))
        text = "x" + marker + distractors + "?"
        trajectory = _char_run("latch", text).run()
        held = trajectory.c[1:-1, 0]
        assert np.all(np.abs(held - sign) < 1e-5)
        assert np.all(trajectory.i[2:-1, 0] < 1e-8)
        assert np.sign(trajectory.h[-1, 0]) == sign
        assert abs(trajectory.h[-1, 0]) > TANH_1 - 1e-4


def test_latch_unit_one_leaks_its_bit() -> None:
    text = "+" + "a" * 200 + "?"
    c = _char_run("latch", text).run().c[:, 1]
    assert c[-1] == pytest.approx(0.99**201, rel=1e-6)


# --------------------------------------------------------------------- anbn


def _verdicts(lines: list[str]) -> np.ndarray:
    """Unit 3's h at the end token of each line."""
    text = "".join(line + "\n" for line in lines)
    trajectory = _char_run("anbn", text).run()
    ends = [t for t, ch in enumerate(text) if ch == "\n"]
    h = trajectory.h[:, 3]
    between = np.ones(len(text), bool)
    between[ends] = False
    # The verdict unit shows nothing except at line ends.
    assert np.all(np.abs(h[between]) < 1e-8)
    return h[ends]


def test_anbn_accepts_every_an_bn_up_to_fifty() -> None:
    accepted = ["a" * n + "b" * n for n in range(51)]
    assert np.all(_verdicts(accepted) > TANH_1 - 1e-4)


def _rejected(n: int) -> list[str]:
    a, b = "a" * n, "b" * n
    kinds = [
        a + b[1:],  # one b short
        a[1:] + b,  # one a short
        a + "a" + b,  # one a too many
        a + b + "b",  # one b too many
        b + a,  # wrong order
        a + b + "a",  # an a after the b's
        a + "x" + b,  # a foreign letter
        a + " " + b,  # a space is a token too
        a,  # only a's
        b,  # only b's
    ]
    if n >= 2:
        kinds.append("ab" * n)  # interleaved
        kinds.append(a[1:] + "ba" + b[1:])  # one b early
    return kinds


def test_anbn_rejects_near_misses_up_to_fifty() -> None:
    rejected = [s for n in range(1, 51) for s in _rejected(n)]
    assert not any(_is_anbn(s) for s in rejected)
    verdicts = _verdicts(rejected)
    bad = [s for s, v in zip(rejected, verdicts, strict=True) if v >= 0.01]
    assert not bad


def test_anbn_strings_do_not_leak_into_the_next_line() -> None:
    # A rejected string just before must not change the next verdict.
    lines = ["aab", "ab", "bba", "aabb", "aaxbb", "", "abab", "ab"]
    verdicts = _verdicts(lines)
    assert [bool(v > 0.5) for v in verdicts] == [_is_anbn(s) for s in lines]


def _is_anbn(s: str) -> bool:
    n = len(s) // 2
    return s == "a" * n + "b" * n


def test_anbn_sample_verdicts_match_the_language() -> None:
    lines = _sample_text("anbn").split("\n")[:-1]
    expected = [_is_anbn(s) for s in lines]
    assert any(expected) and not all(expected)
    assert max(len(s) for s in lines) >= 100
    verdicts = _verdicts(lines)
    assert [bool(v > 0.5) for v in verdicts] == expected
    assert np.all((verdicts > TANH_1 - 1e-4) | (verdicts < 0.01))


# ------------------------------------------------------------------- random


def test_random_is_pytorch_default_init_over_the_given_vocab() -> None:
    sequence = from_tokens(list("hello world"))
    params, vocab = get_preset("random").build(sequence.vocab, sequence.input_size)
    assert vocab == sequence.vocab
    assert params.equals(LSTMParams.random(8, len(sequence.vocab), 0))
    bound = 1 / math.sqrt(8)
    for array in params.arrays():
        assert np.all(np.abs(array) <= bound)
    again, _ = get_preset("random").build(sequence.vocab, sequence.input_size)
    assert again.equals(params)


def test_random_adapts_to_numeric_input() -> None:
    params, vocab = get_preset("random").build(None, 3)
    assert vocab is None and params.input_size == 3


def test_random_cell_on_english_saturates_nothing() -> None:
    sample = find_sample("english")
    sequence: Sequence = load_sequence(sample.path, "char")
    params, _ = get_preset("random").build(sequence.vocab, sequence.input_size)
    trajectory = run(params, sequence.inputs)
    gates = np.concatenate([trajectory.i, trajectory.f, trajectory.o])
    assert np.all((gates > 0.1) & (gates < 0.9))


# --------------------------------------------------------------------- sine


def _sine_run(values: np.ndarray) -> Trajectory:
    sequence = from_vectors(values.reshape(-1, 1))
    params, vocab = get_preset("sine").build(sequence.vocab, sequence.input_size)
    assert vocab is None
    return run(params, sequence.inputs)


def test_sine_unit_zero_tracks_the_sign_of_the_sample() -> None:
    sample = find_sample("sine")
    sequence = load_sequence(sample.path)
    assert sequence.input_size == 1 and len(sequence) >= 200
    x = sequence.inputs[:, 0]
    assert (x > 0).any() and (x < 0).any()
    h = _sine_run(x).h[:, 0]
    nonzero = x != 0
    assert np.array_equal(np.sign(h[nonzero]), np.sign(x[nonzero]))
    assert np.all(np.abs(h[~nonzero]) < 1e-8)
    assert np.all(np.abs(h[np.abs(x) >= 0.05]) > 0.7)


def test_sine_sign_tracking_needs_no_memory_of_the_past() -> None:
    x = np.random.default_rng(5).normal(size=500)
    h = _sine_run(x).h[:, 0]
    assert np.array_equal(np.sign(h), np.sign(x))


def test_sine_unit_one_is_a_lagging_average() -> None:
    t = np.arange(400)
    x = np.sin(2 * np.pi * t / 50)
    c = _sine_run(x).c[:, 1]
    # Past the start-up, the average lags the wave by about six steps.
    lags = range(0, 15)
    score = [np.dot(c[100 + lag :], x[100 : len(x) - lag]) for lag in lags]
    assert 4 <= int(np.argmax(score)) <= 9
    assert np.max(np.abs(c[100:])) < np.max(np.abs(x))


def test_presets_never_warn_on_their_samples() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for preset in PRESETS.values():
            sample = find_sample(preset.sample)
            probe = load_sequence(sample.path, sample.tokens or "char")
            params, vocab = preset.build(probe.vocab, probe.input_size)
            sequence = load_sequence(sample.path, sample.tokens or "char", vocab)
            run(params, sequence.inputs)
