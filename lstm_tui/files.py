"""Reading and writing the user's files safely.

Every file the program reads goes through :func:`read_limited`, so a missing,
unreadable, empty or oversized file is one :class:`InputError` naming it.
Every file it writes goes through :func:`atomic_write`, so a failed write
never leaves a half-written or clobbered file behind.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from lstm_tui.errors import InputError

StrPath = str | os.PathLike[str]
"""A file name as the user gave it, or a :class:`~pathlib.Path`."""

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest file read, in bytes (20 MB)."""


def format_size(n_bytes: int, *, round_up: bool = False) -> str:
    """``n_bytes`` for a person: ``512 bytes``, ``3.5 KB``, ``21.3 MB`` (1 KB = 1024 bytes).

    ``round_up`` rounds up to the shown decimal, so a size just over a limit
    never reads as equal to it ("20.1 MB", not "20 MB").
    """
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    unit, scale = ("MB", 1024**2) if n_bytes >= 1024**2 else ("KB", 1024)
    tenths = math.ceil(n_bytes * 10 / scale) if round_up else round(n_bytes * 10 / scale)
    # One decimal, but a round limit reads "20 MB", not "20.0 MB".
    return f"{tenths / 10:.1f}".removesuffix(".0") + f" {unit}"


def read_limited(path: StrPath, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole content of the file at ``path``, at most ``limit`` bytes.

    Raises :class:`InputError` (prefixed with ``path``) when the file is
    missing, a directory, unreadable, larger than ``limit`` (the limit is in
    the message) or empty.
    """
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            # Refuse a regular file by its size before reading a byte of it;
            # pipes and devices report no size, so their read stops just past the limit.
            regular = stat.S_ISREG(info.st_mode)
            too_big = regular and info.st_size > limit
            # read(n) sets aside n bytes first: ask for the size the file has
            # (and one more, to see it grow), not for the whole limit.
            wanted = min(info.st_size, limit) + 1 if regular else limit + 1
            data = b"" if too_big else handle.read(wanted)
            if regular and len(data) > info.st_size:
                # It grew since fstat: read on, to the limit, as for a pipe.
                data += handle.read(limit + 1 - len(data))
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=path) from None
    except PermissionError:
        raise InputError("cannot read the file: permission denied", path=path) from None
    except (OSError, ValueError) as err:
        # ValueError: a path with a NUL byte; OSError: anything else the system refuses.
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(f"cannot read the file: {reason}", path=path) from None
    if too_big:
        size = format_size(info.st_size, round_up=True)
        raise InputError(f"file is {size}; the limit is {format_size(limit)}", path=path)
    if len(data) > limit:
        raise InputError(f"file is larger than the limit of {format_size(limit)}", path=path)
    if not data:
        raise InputError("the file is empty", path=path)
    return data


def check_writable_target(path: StrPath) -> Path:
    """``path`` as a :class:`Path` if a file can be created there.

    Raises :class:`InputError` when its directory is missing or ``path`` is a
    directory; callers use it to refuse a bad output path before any work.
    """
    target = Path(path)
    parent = target.parent
    if not parent.is_dir():
        problem = "is not a directory" if parent.exists() else "does not exist"
        raise InputError(f"the directory {str(parent)!r} {problem}", path=path)
    if target.is_dir():
        raise InputError("is a directory, not a file", path=path)
    return target


def atomic_write(path: StrPath, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace the file at ``path`` with what ``write`` writes, all or nothing.

    ``write`` receives a binary file open on a temporary file in the same
    directory (so the final rename stays on one file system); when it returns,
    the data is flushed to disk and the temporary file renamed over ``path``
    with :func:`os.replace`. If anything fails — ``write`` raising included —
    the temporary file is removed and an existing ``path`` is left untouched.
    An existing file keeps its permission bits; a new one gets the umask's.

    Raises :class:`InputError` (prefixed with ``path``) when the directory
    does not exist, ``path`` is a directory, or the system refuses the write
    (an :class:`OSError` such as a full disk, from ``write`` too). Any other
    exception raised by ``write`` propagates unchanged.
    """
    target = check_writable_target(path)
    try:
        existing_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        existing_mode = None

    temp, fd = _create_temp(target, path)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if existing_mode is not None:
            os.chmod(temp, existing_mode)
        os.replace(temp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(err, OSError):
            reason = err.strerror or str(err)
            raise InputError(f"cannot write the file: {reason}", path=path) from None
        raise


def _create_temp(target: Path, path: StrPath) -> tuple[Path, int]:
    """A new hidden file next to ``target``, opened for writing: ``(its path, its fd)``."""
    while True:
        temp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            # Mode 0o666 lets the umask decide, as for any file the user creates.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as err:
            reason = err.strerror or str(err)
            raise InputError(
                f"cannot write in directory {str(target.parent)!r}: {reason}", path=path
            ) from None
        return temp, fd
