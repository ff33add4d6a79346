"""The lesson's caption on screen, at 80x24 and 160x50.

Update with ``python -m pytest tests/ui/test_lesson_snapshots.py --snapshot-update``
after looking at the differences in the report.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.factory import default_app

SMALL = (80, 24)
LARGE = (160, 50)


def _at_chapter(number: int):
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("L", *["n"] * (number - 1))
        await pilot.pause()
        # The toast naming the chapter says what the caption says: not part of the picture.
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


class TestLessonCaption:
    """Chapter 3 (the counter at the first ')'), and chapter 8, the longest caption."""

    def test_chapter_3_caption_at_80x24(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(3), terminal_size=SMALL)

    def test_chapter_8_caption_at_80x24(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(8), terminal_size=SMALL)

    def test_chapter_3_caption_at_160x50(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(3), terminal_size=LARGE)

    def test_chapter_8_caption_at_160x50(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(8), terminal_size=LARGE)


class TestCompareChapter:
    """Chapter 10: the forget gate free in A, clamped to 1 in B, under the caption."""

    def test_chapter_10_side_by_side_at_80x24(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(10), terminal_size=SMALL)

    def test_chapter_10_side_by_side_at_160x50(self, snap_compare) -> None:
        assert snap_compare(default_app(), run_before=_at_chapter(10), terminal_size=LARGE)
