"""read_limited and atomic_write: every refusal is one line naming the file."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from lstm_tui import files
from lstm_tui.errors import InputError
from lstm_tui.files import MAX_FILE_BYTES, atomic_write, format_size, read_limited
from tests.checks import assert_one_line

# --- read_limited ---------------------------------------------------------------


def test_read_limited_returns_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"\x00\x01abc")
    assert read_limited(path) == b"\x00\x01abc"
    assert read_limited(str(path)) == b"\x00\x01abc"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert str(err.value) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_limited(tmp_path)
    assert str(err.value) == f"{tmp_path}: is a directory, not a file"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    if os.access(path, os.R_OK):
        # Running as root, where permission bits do not stop reading: have open refuse.
        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr(files, "open", refuse, raising=False)
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert str(err.value) == f"{path}: cannot read the file: permission denied"


def test_other_os_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / ("x" * 300)
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert_one_line(err, path, "cannot read the file", "too long")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert str(err.value) == f"{path}: the file is empty"


def test_file_over_20_mb_names_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        # A sparse file: the size is checked before anything is read.
        handle.truncate(int(21.3 * 1024 * 1024))
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert str(err.value) == f"{path}: file is 21.3 MB; the limit is 20 MB"


def test_a_byte_over_the_limit_never_reads_as_equal(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputError) as err:
        read_limited(path)
    assert str(err.value) == f"{path}: file is 20.1 MB; the limit is 20 MB"


def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    path.write_bytes(b"x" * 1024)
    assert len(read_limited(path, limit=1024)) == 1024
    path.write_bytes(b"x" * 1025)
    with pytest.raises(InputError) as err:
        read_limited(path, limit=1024)
    assert str(err.value) == f"{path}: file is 1.1 KB; the limit is 1 KB"


def test_a_small_file_is_read_without_setting_aside_the_limit(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "small.txt"
    path.write_bytes(b"abc")
    tracemalloc.start()
    try:
        assert read_limited(path) == b"abc"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # not the 20 MB the limit allows


def test_a_file_that_grew_since_its_size_was_taken_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    path.write_bytes(b"z" * 5000)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[stat.ST_SIZE] = 10  # as if taken when the file held 10 bytes
        return os.stat_result(info)

    monkeypatch.setattr(files.os, "fstat", stale_fstat)
    assert read_limited(path) == b"z" * 5000
    with pytest.raises(InputError, match="larger than the limit of 1000 bytes"):
        read_limited(path, limit=1000)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_longer_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def feed() -> None:
        # Fits in the pipe's buffer, so the writer never waits on the reader.
        with open(path, "wb") as handle:
            handle.write(b"y" * 200)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(InputError) as err:
            read_limited(path, limit=100)
    finally:
        writer.join()
    assert str(err.value) == f"{path}: file is larger than the limit of 100 bytes"


@pytest.mark.parametrize(
    ("n_bytes", "shown"),
    [(0, "0 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"), (20 << 20, "20 MB")],
)
def test_format_size(n_bytes: int, shown: str) -> None:
    assert format_size(n_bytes) == shown


# --- atomic_write ---------------------------------------------------------------


def test_atomic_write_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    atomic_write(path, lambda f: f.write(b"hello"))
    assert path.read_bytes() == b"hello"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write(str(path), lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.bin"]


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "out.bin", lambda f: f.write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.bin").stat().st_mode) == 0o640


def test_failing_writer_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"precious")

    def half_then_fail(handle: object) -> None:
        handle.write(b"half")  # type: ignore[attr-defined]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        atomic_write(path, half_then_fail)
    assert path.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_failing_writer_creates_nothing(tmp_path: Path) -> None:
    def fail(handle: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "out.bin", fail)
    assert os.listdir(tmp_path) == []


def test_os_error_while_writing_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"precious")

    def disk_full(handle: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError) as err:
        atomic_write(path, disk_full)
    assert str(err.value) == f"{path}: cannot write the file: No space left on device"
    assert path.read_bytes() == b"precious"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_missing_directory_names_it_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "out.npz"
    called = []
    with pytest.raises(InputError) as err:
        atomic_write(path, called.append)
    assert str(err.value) == f"{path}: the directory {str(path.parent)!r} does not exist"
    assert called == []
    assert os.listdir(tmp_path) == []


def test_parent_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    path = tmp_path / "file" / "out.npz"
    with pytest.raises(InputError) as err:
        atomic_write(path, lambda f: f.write(b""))
    assert_one_line(err, path, "is not a directory", str(tmp_path / "file"))


def test_target_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "out.npz").mkdir()
    with pytest.raises(InputError) as err:
        atomic_write(tmp_path / "out.npz", lambda f: f.write(b""))
    assert_one_line(err, tmp_path / "out.npz", "is a directory")
    assert (tmp_path / "out.npz").is_dir()
