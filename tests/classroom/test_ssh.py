"""docs/classroom.md, end to end: a real sshd built from its lines, a real ssh client.

The client runs inside tmux (its own server, on a socket in the temporary
directory), so the screen a student sees is read with ``capture-pane`` and
keys are typed with ``send-keys``. Every wait is for a condition, with a
deadline for a busy machine.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from lstm_tui.lessons import BUILTIN_LESSON
from tests.classroom import sshd as private
from tests.sgr import colours

LIMIT = 30.0  # seconds for anything to happen, on a machine shared by several people
SIZE = ("80", "24")
NO_TERMINAL = "lstm-tui: the app needs a terminal on standard input and output"

# What a student types, as docs/classroom.md gives it.
PLAIN = "ssh -t student@host"
TRUECOLOR = "ssh -t -o SendEnv=COLORTERM student@host"
SIXTEEN = "ssh -t -o SetEnv=TEXTUAL_COLOR_SYSTEM=standard student@host"


def _skip_reason() -> str | None:
    if (reason := private.unavailable()) is not None:
        return reason
    if shutil.which("tmux") is None:
        return "tmux is not installed"
    if not private.app_program().exists():
        return f"{private.app_program()} is not installed (pip install -e .)"
    return None


pytestmark = pytest.mark.skipif(
    (_why := _skip_reason()) is not None, reason=f"no SSH end-to-end test: {_why}"
)


def _documented(command: str) -> str:
    """``command`` as it appears in the document: the test types nothing the teacher is not told."""
    assert command in private.DOC.read_text(encoding="utf-8"), command
    return command


class Tmux:
    """A private tmux server: a session per login, 80x24, the pane kept when its program ends."""

    def __init__(self, directory: Path) -> None:
        self.socket = directory / "tmux.sock"
        conf = directory / "tmux.conf"
        conf.write_text(
            "set -g status off\nset -g remain-on-exit on\nset -g default-terminal tmux-256color\n"
        )
        self.conf = conf
        self.logins = 0

    def run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", str(self.conf), *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    @property
    def target(self) -> str:
        return f"student{self.logins}"

    def start(self, command: list[str]) -> None:
        """A new session (the earlier ones stay, dead) running ``command``."""
        self.logins += 1
        # tmux 3.3 may mark the pane dead on the terminal's end of file before it
        # has the exit status, and then never show it: the shell writes it instead.
        record = ["sh", "-c", '"$@"; echo $? > "$0"', str(self.status_file), *command]
        self.run("new-session", "-d", "-s", self.target, "-x", SIZE[0], "-y", SIZE[1], *record)

    @property
    def status_file(self) -> Path:
        return self.socket.with_name(f"{self.target}.status")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def coloured_screen(self) -> bytes:
        return self.run("capture-pane", "-p", "-e", "-t", self.target).encode()

    def show(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, fmt).strip()

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.target, *keys)

    def wait_screen(self, pattern: str, what: str) -> re.Match[str]:
        found = private.wait_for(lambda: re.search(pattern, self.screen()), LIMIT, what)
        assert isinstance(found, re.Match)
        return found

    def wait_exit(self) -> int:
        """The exit status of the session's command, once it has ended."""
        written = private.wait_for(
            lambda: self.status_file.exists() and self.status_file.read_text().strip(),
            LIMIT,
            "the pane's ssh ends",
        )
        return int(str(written))

    def end(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("kill-server")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[private.Sshd]:
    running = private.start_sshd(tmp_path_factory.mktemp("sshd"))
    yield running
    running.stop()


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    terminal = Tmux(tmp_path)
    yield terminal
    terminal.end()


def _step(screen: str) -> int:
    found = re.search(r"t = (\d+) / \d+", screen)
    assert found, screen
    return int(found.group(1))


def _sessions_closed(server: private.Sshd) -> int:
    return len(
        re.findall(
            rf"Disconnected from user {re.escape(server.user)} 127\.0\.0\.1 port \d+",
            server.log_text(),
        )
    )


def _log_in(server: private.Sshd, tmux: Tmux, typed: str, env: dict[str, str]) -> str:
    """Log in as ``typed`` in tmux, wait for the app's first screen; that screen."""
    setting = [f"{key}={value}" for key, value in env.items()]
    tmux.start(["env", *setting, *server.typed(_documented(typed))])
    tmux.wait_screen(r"t = 0 / \d+", "the app's header over SSH")
    return tmux.screen()


def _quit(server: private.Sshd, tmux: Tmux, closed_before: int) -> None:
    tmux.keys("q")
    assert tmux.wait_exit() == 0
    private.wait_for(
        lambda: _sessions_closed(server) > closed_before, LIMIT, "sshd logs the session closed"
    )


def test_a_student_lands_in_the_kiosk_steps_is_refused_files_and_quits(
    server: private.Sshd, tmux: Tmux
) -> None:
    settings = private.effective_settings(server)
    assert settings["forcecommand"] == [
        f"{private.app_program()} --kiosk --preset counter brackets"
    ]
    assert settings["permittty"] == ["yes"]
    assert settings["maxstartups"] == ["60:30:120"]
    assert settings["disableforwarding"] == ["yes"]
    assert (settings["permittunnel"], settings["permituserrc"]) == (["no"], ["no"])
    assert settings["acceptenv"] == ["COLORTERM", "TEXTUAL_COLOR_SYSTEM", "NO_COLOR"]
    assert (settings["clientaliveinterval"], settings["clientalivecountmax"]) == (["15"], ["4"])

    closed = _sessions_closed(server)
    first = _log_in(server, tmux, TRUECOLOR, {"COLORTERM": "truecolor"})
    # The ForceCommand's preset and sample, in kiosk mode; the colours the terminal sent.
    header = first.splitlines()[0]
    assert all(word in header.split() for word in ("kiosk", "brackets", "counter")), header
    assert colours(tmux.coloured_screen())[0] == {"truecolor"}
    assert tmux.show("#{mouse_any_flag}") == "1"

    tmux.keys("Right")
    tmux.wait_screen(r"t = 1 / \d+", "a step after →")
    tmux.keys("C-o")
    tmux.wait_screen(r"kiosk mode: opening files", "ctrl+o refused")
    assert _step(tmux.screen()) == 1
    _quit(server, tmux, closed)

    # Without COLORTERM the app draws 256 colours; a student may ask for 16.
    for typed, kind in ((PLAIN, "256"), (SIXTEEN, "16")):
        closed = _sessions_closed(server)
        _log_in(server, tmux, typed, {})
        assert colours(tmux.coloured_screen())[0] == {kind}, typed
        _quit(server, tmux, closed)


def test_the_slow_link_command_sends_no_mouse_reports_and_16_colours(
    tmp_path_factory: pytest.TempPathFactory, tmux: Tmux
) -> None:
    slow = private.start_sshd(
        tmp_path_factory.mktemp("sshd-slow"), force_command=private.slow_link_force_command()
    )
    try:
        closed = _sessions_closed(slow)
        _log_in(slow, tmux, PLAIN, {})
        assert tmux.show("#{mouse_any_flag} #{mouse_standard_flag}") == "0 0"
        assert colours(tmux.coloured_screen())[0] == {"16"}
        _quit(slow, tmux, closed)
    finally:
        slow.stop()


@pytest.mark.parametrize("documented", private.lesson_force_commands(), ids=["builtin", "file"])
def test_a_lesson_force_command_starts_every_student_on_its_first_chapter(
    tmp_path_factory: pytest.TempPathFactory, tmux: Tmux, documented: str
) -> None:
    directory = tmp_path_factory.mktemp("sshd-lesson")
    command = documented
    # The teacher's lesson file, wherever the document puts it: here, a copy of the built-in one.
    for word in documented.split():
        if word.endswith(".toml"):
            copy = directory / "lesson.toml"
            shutil.copyfile(BUILTIN_LESSON, copy)
            command = command.replace(word, str(copy))
    server = private.start_sshd(directory, force_command=command)
    try:
        closed = _sessions_closed(server)
        tmux.start(server.typed(_documented(PLAIN)))
        tmux.wait_screen(r"lesson 1/13", "the lesson's first chapter over SSH")
        assert "kiosk" in tmux.screen().splitlines()[0]
        tmux.keys("n")
        tmux.wait_screen(r"lesson 2/13", "the next chapter after n")
        _quit(server, tmux, closed)
    finally:
        server.stop()


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=LIMIT
    )


@pytest.mark.parametrize(
    "typed",
    ["ssh student@host sh", "ssh student@host 'echo hi'", "ssh -T student@host"],
)
def test_no_shell_and_no_command_runs_only_the_app(server: private.Sshd, typed: str) -> None:
    closed = _sessions_closed(server)
    result = _run(server.typed(typed))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(NO_TERMINAL)
    assert len(result.stderr.splitlines()) == 1
    private.wait_for(
        lambda: _sessions_closed(server) > closed, LIMIT, "sshd logs the session closed"
    )
    assert "forced-command (config)" in server.log_text()


def _connect(port: int) -> socket.socket | None:
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=LIMIT)
    except ConnectionRefusedError:
        return None


def test_forwarding_sftp_and_scp_get_nowhere(server: private.Sshd, tmp_path: Path) -> None:
    with socket.socket() as target:
        # A port on this machine the forwards aim at: nothing may ever reach it.
        target.bind(("127.0.0.1", 0))
        target.listen()
        target.setblocking(False)
        aim = target.getsockname()[1]

        local = private.free_port()
        forward = subprocess.Popen(
            server.typed(f"ssh -N -L {local}:127.0.0.1:{aim} student@host"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            through = private.wait_for(lambda: _connect(local), LIMIT, "ssh listens for -L")
            assert isinstance(through, socket.socket)
            # The client closes the connection once the server refuses the channel.
            with through, contextlib.suppress(ConnectionResetError):
                assert through.recv(1) == b""
            private.wait_for(
                lambda: "refused local port forward: originator 127.0.0.1" in server.log_text(),
                LIMIT,
                "sshd logs the refused forward",
            )
        finally:
            forward.terminate()
            forward.wait(timeout=LIMIT)

        remote = private.free_port()
        result = _run(
            server.typed(
                f"ssh -N -o ExitOnForwardFailure=yes -R {remote}:127.0.0.1:{aim} student@host"
            )
        )
        assert result.returncode == 255
        assert f"remote port forwarding failed for listen port {remote}" in result.stderr
        assert _connect(remote) is None

        with pytest.raises(BlockingIOError):
            target.accept()

    closed = _sessions_closed(server)
    result = _run(server.typed("sftp -b - student@host"))
    assert result.returncode != 0
    assert result.stdout == ""
    copied = tmp_path / "copied"
    result = _run(server.typed(f"scp student@host:{private.DOC} {copied}"))
    assert result.returncode != 0
    assert not copied.exists()
    private.wait_for(
        lambda: _sessions_closed(server) >= closed + 2,
        LIMIT,
        "sshd logs the sessions of sftp and scp closed",
    )
    assert "subsystem request for sftp" not in server.log_text()
