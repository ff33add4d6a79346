"""The tree is clean: lint, format, the import layers and the types are part of the suite."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(tool: str, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    cmd = [exe] if exe else [sys.executable, "-m", module]
    return subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", ".")])
def test_ruff_is_clean(args: tuple[str, ...]) -> None:
    result = _run("ruff", "ruff", *args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_layers_of_the_design_hold() -> None:
    """cli > ui > session > engine | sequences > files > errors, as pyproject.toml states."""
    result = _run("lint-imports", "importlinter.cli")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_package_type_checks() -> None:
    result = _run("mypy", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
