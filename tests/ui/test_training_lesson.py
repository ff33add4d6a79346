"""The lesson's training chapter: its caption names the key, and its claim holds."""

from __future__ import annotations

import numpy as np

from lstm_tui.engine.trajectory import run
from lstm_tui.lessons import builtin_lesson
from lstm_tui.ui.commands import WATCH_COMMANDS
from lstm_tui.ui.screens.train_screen import trainer_for
from lstm_tui.ui.view import TIMELINE_VECTORS

# As the training view trains, up to where the claim is said to hold.
STEPS = 1000


def training_chapter():
    lesson = builtin_lesson(TIMELINE_VECTORS)
    index = next(k for k, ch in enumerate(lesson.chapters) if "depth" in ch.claim)
    return lesson.chapters[index], lesson.open_chapter(index)


def test_the_chapter_names_the_key_that_opens_the_training_view() -> None:
    chapter, _ = training_chapter()
    key = next(c.key_list[0] for c in WATCH_COMMANDS if c.action == "train")
    assert f" {key} trains it" in " ".join(chapter.caption)


def test_trained_as_the_view_trains_the_chapters_unit_counts_the_depth() -> None:
    chapter, session = training_chapter()
    assert session.model_label == "preset random"
    trainer = trainer_for(session)
    for _ in range(STEPS):
        trainer.step()
    text = "".join(session.sequence.tokens or ())
    depth = np.cumsum([(ch == "(") - (ch == ")") for ch in text])[:3000]
    before = run(session.params, session.sequence.inputs[:3000], session.config).c
    after = run(trainer.model().layers[0], session.sequence.inputs[:3000], session.config).c
    unit = chapter.unit
    assert abs(np.corrcoef(before[:, unit], depth)[0, 1]) < 0.5
    assert abs(np.corrcoef(after[:, unit], depth)[0, 1]) > 0.8
