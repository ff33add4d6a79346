"""The engine, the sequence readers and lessons never import textual or rich.

Two independent proofs: no import statement in any of their files names
them (nor the UI package, which does), and importing every one of their
modules in a fresh interpreter leaves both out of ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADLESS = ("lstm_tui/engine", "lstm_tui/sequences", "lstm_tui/lessons")
FORBIDDEN = ("textual", "rich", "lstm_tui.ui")


def headless_files() -> list[Path]:
    files = sorted(path for folder in HEADLESS for path in (ROOT / folder).rglob("*.py"))
    assert files, "the headless packages have no modules?"
    return files


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path = ROOT) -> list[str]:
    """Every module an import statement in ``path`` names, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def is_forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)


@pytest.mark.parametrize("path", headless_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_statement_names_the_ui_libraries(path: Path) -> None:
    bad = [name for name in imported_names(path) if is_forbidden(name)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_scanner_sees_every_import_form(tmp_path: Path) -> None:
    # A scanner that misses a form would pass everything: prove it catches each.
    package = tmp_path / "lstm_tui" / "engine"
    package.mkdir(parents=True)
    probe = package / "probe.py"
    probe.write_text(
        "import os, textual.app\n"
        "from rich import print\n"
        "from ..ui import app\n"
        "def late():\n"
        "    import rich.console\n",
        encoding="utf-8",
    )
    found = [name for name in imported_names(probe, tmp_path) if is_forbidden(name)]
    assert "textual.app" in found and "rich" in found and "rich.console" in found
    assert "lstm_tui.ui" in found


def test_importing_every_headless_module_loads_neither_library() -> None:
    modules = [module_name(path) for path in headless_files()]
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = {FORBIDDEN!r}\n"
        "loaded = [m for m in sys.modules if any(m == b or m.startswith(b + '.') for b in bad)]\n"
        "print(json.dumps(sorted(loaded)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
