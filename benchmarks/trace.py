"""Wall-clock time of ``lstm-tui trace`` on a 100,000-token text at H=64.

Runs the installed command in a subprocess, as a user would, once per output
format, and prints a table. Not a test: run by hand with
``python benchmarks/trace.py``.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = 100_000
HIDDEN = 64


def make_text(path: Path) -> None:
    rng = random.Random(0)
    words = ["the", "cell", "state", "is", "a", "counter", "that", "forget", "gate", "resets"]
    words += ["(", ")", "."]
    parts: list[str] = []
    size = 0
    while size < STEPS:
        word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    path.write_text(" ".join(parts)[:STEPS], encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lstm_tui", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = folder / "text.txt"
        make_text(text)
        print(f"lstm-tui trace, {STEPS:,} characters, H={HIDDEN}, best of 3")
        print(f"{'output':<14} {'seconds':>8} {'file MB':>8}")
        for output in ("out.npz", "out.csv", "out.json", None):
            args = ["trace", str(text), "--hidden", str(HIDDEN)]
            if output:
                args += ["-o", str(folder / output)]
            best = min(timed(args) for _ in range(3))
            size = (folder / output).stat().st_size / 1e6 if output else float("nan")
            label = Path(output).suffix if output else "table (stdout)"
            print(f"{label:<14} {best:>8.2f} {size:>8.1f}")


if __name__ == "__main__":
    main()
