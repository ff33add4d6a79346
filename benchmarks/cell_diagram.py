"""What the cell diagram costs a step: bytes and frame time with it shown and hidden.

Run by hand: ``python benchmarks/cell_diagram.py [--presses N]``. The real app
runs in a pseudo-terminal (see ``ui_terminal.py``) on the benchmark's random
model; at each size the same number of ``right`` presses is measured with the
diagram as the size shows it (shown from 120x40) and with ``c`` pressed first
(hidden), in the same run, and the two are printed side by side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ui import APP_ARGS, SAMPLE, SETTLE, press_right, start

SIZES = ((120, 40), (160, 50))


def measure(size: tuple[int, int], presses: int, hide: bool, rng: random.Random) -> list[int]:
    """Bytes written for each of ``presses`` steps; ``hide``: with `c` pressed first."""
    app = start(size, "truecolor", [SAMPLE, *APP_ARGS])
    try:
        if hide:
            app.write(b"c")
            app.read_until_quiet(SETTLE, limit=30.0)
            if "c_{t-1}" in app.screen.text():
                raise RuntimeError("c did not hide the cell diagram")
        elif "c_{t-1}" not in app.screen.text():
            raise RuntimeError(f"the cell diagram is not shown at {size}")
        return press_right(app, presses, rng).bytes
    finally:
        app.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(0)
    print(f"right x{args.presses}, {SAMPLE} {' '.join(APP_ARGS)}, truecolor")
    print(f"{'size':>8}  {'diagram shown':>22}  {'hidden (c)':>22}  {'ratio':>6}")
    for size in SIZES:
        shown = measure(size, args.presses, False, rng)
        hidden = measure(size, args.presses, True, rng)
        a, b = statistics.median(shown), statistics.median(hidden)
        print(
            f"{size[0]}x{size[1]:<4}  {a:>12.0f} B/step med  {b:>12.0f} B/step med  {a / b:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
