"""An unexpected error ends the app with status 1 and one line naming a report file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lstm_tui.ui import app as app_module
from lstm_tui.ui.crash import report_dirs, write_report
from lstm_tui.ui.screens.watch_screen import WatchScreen
from tests.ui.factory import random_app, random_session

SECRET = "a local the student must not see"


def fail(self: WatchScreen, *args: object) -> None:
    # A local variable Textual's own handler would print, and brackets that
    # would break the markup of a message built from the error.
    private = SECRET  # noqa: F841
    raise RuntimeError("boom [/b]")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(WatchScreen, "action_detail", fail)
    return tmp_path / "cache" / "lstm-tui"


def the_report(cache: Path) -> str:
    reports = list(cache.glob("crash-*.txt"))
    assert len(reports) == 1
    return reports[0].read_text(encoding="utf-8")


async def test_an_error_in_an_action_ends_the_app_with_status_1(cache: Path) -> None:
    app = random_app()
    # Textual hands the first error on to the test that ran the app.
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("d")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash_report is not None and app.crash_report.parent == cache
    report = the_report(cache)
    assert "Traceback" in report and "RuntimeError: boom [/b]" in report
    assert "in fail" in report
    assert SECRET not in report  # no locals, in the file either
    # Textual prints nothing on exit; run_app prints this one line.
    assert app._exit_renderables == []
    assert app.crash_line == (
        f"lstm-tui: unexpected error (RuntimeError); the full report is in {app.crash_report}"
    )


def test_run_app_returns_1_and_prints_one_line(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The real run, headless (no terminal in a test), with the failing
    # action run once the app is up: run_app's status and what it prints.
    run = app_module.LstmApp.run

    def headless_run(self: app_module.LstmApp, **kwargs: object) -> object:
        return run(self, headless=True, size=(80, 24))

    def on_mount(self: app_module.LstmApp) -> None:
        self.call_after_refresh(self.watch_screen.run_action, "detail(True)")

    monkeypatch.setattr(app_module.LstmApp, "run", headless_run)
    monkeypatch.setattr(app_module.LstmApp, "on_mount", on_mount, raising=False)
    status = app_module.run_app(random_session())
    captured = capsys.readouterr()
    assert status == 1
    the_report(cache)
    assert "Traceback" not in captured.out + captured.err
    assert SECRET not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("lstm-tui: unexpected error (RuntimeError); the full report is in ")
    assert lines[0].endswith(".txt")


def test_the_report_falls_back_to_the_temp_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("HOME", str(blocked))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert report_dirs()[-1] == tmp_path / "tmp" / "lstm-tui"
    try:
        raise ValueError("x")
    except ValueError as error:
        path = write_report(error)
    assert path is not None and path.parent == tmp_path / "tmp" / "lstm-tui"
    assert "ValueError: x" in path.read_text(encoding="utf-8")
