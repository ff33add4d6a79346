"""The wheel carries the sample sequences, and the installed package finds them there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_sequences"

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build straight from the checkout with the project's own backend, the
    # way `pip install .` does, but without network or an isolated env.
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("*.whl")
    return built


def run_unpacked(directory: Path, script: str) -> str:
    """What ``script`` prints, run in a fresh interpreter that sees only ``directory``'s package."""
    env = {**os.environ, "PYTHONPATH": str(directory)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_wheel_contains_every_sample_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = sorted(p.name for p in SAMPLES.iterdir() if p.is_file())
    assert "index.json" in shipped and "README.md" in shipped
    missing = [n for n in shipped if f"lstm_tui/sample_sequences/{n}" not in names]
    assert not missing


def test_wheel_samples_are_byte_for_byte_the_checkout_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for path in SAMPLES.iterdir():
            if path.is_file():
                packed = archive.read(f"lstm_tui/sample_sequences/{path.name}")
                assert packed == path.read_bytes(), path.name


def test_unpacked_wheel_finds_its_own_samples(wheel: Path, tmp_path: Path) -> None:
    # Unpacking a wheel into a directory on sys.path is what installing it
    # does; run in a fresh interpreter so this checkout's package is not used.
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    script = (
        "from lstm_tui.sequences.samples import list_samples, samples_dir\n"
        "print(samples_dir())\n"
        "print(len(list_samples()))\n"
    )
    where, count = run_unpacked(tmp_path, script).split()
    assert Path(where) == tmp_path / "lstm_tui" / "sample_sequences"
    index = json.loads((SAMPLES / "index.json").read_text(encoding="utf-8"))
    assert int(count) == len(index["samples"])


def test_wheel_carries_the_builtin_lesson_and_the_installed_package_reads_it(
    wheel: Path, tmp_path: Path
) -> None:
    from lstm_tui.lessons import BUILTIN_LESSON, builtin_lesson
    from lstm_tui.ui.view import TIMELINE_VECTORS

    with zipfile.ZipFile(wheel) as archive:
        packed = archive.read(f"lstm_tui/lessons/{BUILTIN_LESSON.name}")
        archive.extractall(tmp_path)
    assert packed == BUILTIN_LESSON.read_bytes()
    script = (
        "from lstm_tui.lessons import builtin_lesson\n"
        "from lstm_tui.ui.view import TIMELINE_VECTORS\n"
        "lesson = builtin_lesson(TIMELINE_VECTORS)\n"
        "lesson.check()\n"
        "print(lesson.path)\n"
        "print(len(lesson))\n"
    )
    where, count = run_unpacked(tmp_path, script).split()
    assert Path(where) == tmp_path / "lstm_tui" / "lessons" / BUILTIN_LESSON.name
    assert int(count) == len(builtin_lesson(TIMELINE_VECTORS)) == 13
