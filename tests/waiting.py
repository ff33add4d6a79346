"""Waiting on a condition with a deadline, and a free port: for tests that start servers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any


def free_port() -> int:
    """A port nothing listens on at 127.0.0.1 now (the kernel's pick, so no guess collides)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], Any], limit: float, what: str) -> Any:
    """Poll ``condition`` until it is true and return its value; TimeoutError after ``limit``."""
    deadline = time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {limit} s")
        time.sleep(0.05)
