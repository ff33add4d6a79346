"""A private OpenSSH server built from docs/classroom.md, for the test and the benchmark.

The server runs as the current user (or root) on 127.0.0.1 at a free port,
with its own host key, user key, ``sshd_config``, pid file and log in one
directory. Its ``Match`` block is the one in the document, read from it, with
two substitutions: the group ``students`` becomes the current user's group,
and ``/opt/lstm-tui/bin/lstm-tui`` the ``lstm-tui`` of this environment. The
lines before the block are what a private server needs and a real one has.

Used by ``tests/classroom/test_ssh.py`` and ``benchmarks/sessions.py``; it
needs nothing from pytest.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.waiting import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "classroom.md"
BLOCK_FIRST_LINE = "# lstm-tui classroom: every account in the group students lands in the app"
DOC_PROGRAM = "/opt/lstm-tui/bin/lstm-tui"
DOC_GROUP = "students"
DOC_DESTINATION = "student@host"
SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd")
# The directory sshd's privilege separation needs when it runs as root; the
# system's service makes it at start, a test server has to.
PRIVSEP_DIR = Path("/run/sshd")
START_LIMIT = 20.0  # seconds for sshd to listen, on a busy machine


def _fenced_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def recipe_block(doc: Path = DOC) -> list[str]:
    """The ``sshd_config`` lines of the recipe, as the document gives them."""
    for block in _fenced_blocks(doc.read_text(encoding="utf-8")):
        if block and block[0] == BLOCK_FIRST_LINE:
            return block
    raise LookupError(f"{doc}: no block starting with {BLOCK_FIRST_LINE!r}")


def _one_line_force_commands(doc: Path) -> list[str]:
    """The document's blocks that are one ``ForceCommand`` line, to put in the recipe's place."""
    found = []
    for block in _fenced_blocks(doc.read_text(encoding="utf-8")):
        lines = [line for line in block if line.strip()]
        if len(lines) == 1 and lines[0].strip().startswith("ForceCommand "):
            found.append(lines[0])
    return found


def slow_link_force_command(doc: Path = DOC) -> str:
    """The one-line block of the document that replaces the ForceCommand for slow links."""
    for line in _one_line_force_commands(doc):
        if "--no-mouse" in line:
            return line
    raise LookupError(f"{doc}: no block with the slow link's ForceCommand")


def lesson_force_commands(doc: Path = DOC) -> list[str]:
    """The one-line blocks of the document whose ForceCommand starts everyone on a lesson."""
    found = [line for line in _one_line_force_commands(doc) if "lesson" in line]
    if not found:
        raise LookupError(f"{doc}: no block with a lesson's ForceCommand")
    return found


def find_sshd() -> str | None:
    for candidate in SSHD_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable() -> str | None:
    """Why a private sshd cannot run here, or None when it can."""
    if find_sshd() is None:
        return (
            "OpenSSH's server is not installed (no /usr/sbin/sshd): "
            "apt-get install openssh-server (.ci/run does this as root)"
        )
    for tool in ("ssh", "ssh-keygen"):
        if shutil.which(tool) is None:
            return f"the OpenSSH client's {tool} is not installed"
    if os.geteuid() == 0 and not PRIVSEP_DIR.is_dir():
        try:
            PRIVSEP_DIR.mkdir(mode=0o755)
        except OSError as err:
            return f"sshd as root needs {PRIVSEP_DIR}, which cannot be made: {err}"
    return None


def app_program() -> Path:
    """The ``lstm-tui`` command of the interpreter running this."""
    return Path(sys.executable).with_name("lstm-tui")


@dataclass
class Sshd:
    """A running private sshd; :meth:`client` builds the command line of an ``ssh`` to it."""

    directory: Path
    port: int
    user: str
    config: Path
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def key(self) -> Path:
        return self.directory / "user_key"

    def client_options(self) -> list[str]:
        """What makes a bare ``ssh`` talk to this server with its key and nothing else."""
        return [
            "-F",
            "none",
            "-p",
            str(self.port),
            "-i",
            str(self.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            f"UserKnownHostsFile={self.directory / 'known_hosts'}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
        ]

    def typed(self, line: str) -> list[str]:
        """``line``, as a student types it (``ssh -t student@host``), pointed at this server.

        The program (``ssh``, ``sftp``) gets the options that point it here;
        ``student@host`` becomes this server's user at 127.0.0.1.
        """
        program, *args = shlex.split(line)
        options = self.client_options()
        if program in ("sftp", "scp"):  # they spell the port -P
            options[options.index("-p")] = "-P"
        here = f"{self.user}@127.0.0.1"
        pointed = [
            here + arg[len(DOC_DESTINATION) :]
            if arg == DOC_DESTINATION or arg.startswith(f"{DOC_DESTINATION}:")
            else arg
            for arg in args
        ]
        if pointed == args:
            raise ValueError(f"{line!r} does not name {DOC_DESTINATION}")
        return [program, *options, *pointed]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def build_config(directory: Path, port: int, force_command: str | None = None) -> str:
    """The test server's ``sshd_config``: private server lines, then the document's block."""
    group = grp.getgrgid(os.getgid()).gr_name
    block = []
    for line in recipe_block():
        if force_command is not None and line.strip().startswith("ForceCommand "):
            line = force_command
        line = line.replace(DOC_PROGRAM, str(app_program()))
        if line.strip() == f"Match Group {DOC_GROUP}":
            line = line.replace(DOC_GROUP, group)
        block.append(line)
    private = [
        f"Port {port}",
        "ListenAddress 127.0.0.1",
        f"HostKey {directory / 'host_key'}",
        f"PidFile {directory / 'sshd.pid'}",
        f"AuthorizedKeysFile {directory / 'authorized_keys'}",
        # One user, the one running the server: no PAM, and the test's files
        # in a temporary directory need not pass sshd's ownership checks.
        "UsePAM no",
        "StrictModes no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        # As Debian's own sshd_config has it: sftp is offered, and must not get past the app.
        "Subsystem sftp internal-sftp",
        # "Close session" and refused forwards are logged at VERBOSE.
        "LogLevel VERBOSE",
    ]
    return "\n".join([*private, *block]) + "\n"


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def start_sshd(directory: Path, *, force_command: str | None = None) -> Sshd:
    """Keys, config and a listening sshd in ``directory`` (which must exist)."""
    sshd = find_sshd()
    if sshd is None:
        raise FileNotFoundError("sshd is not installed")
    _keygen(directory / "host_key")
    _keygen(directory / "user_key")
    shutil.copyfile(directory / "user_key.pub", directory / "authorized_keys")
    port = free_port()
    host_key = (directory / "host_key.pub").read_text().split()
    (directory / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    config = directory / "sshd_config"
    config.write_text(build_config(directory, port, force_command))
    log = directory / "sshd.log"
    log.touch()
    # -D: stay in the foreground (the test owns the process); -E: log to the file.
    process = subprocess.Popen(
        [sshd, "-D", "-f", str(config), "-E", str(log)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Sshd(directory, port, _user_name(), config, log, process)
    try:
        wait_for(
            lambda: (
                process.poll() is not None
                or f"Server listening on 127.0.0.1 port {port}" in server.log_text()
            ),
            START_LIMIT,
            "sshd listening",
        )
    except TimeoutError:
        server.stop()
        raise
    if process.poll() is not None:
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"sshd exited: {stderr.strip()} {server.log_text().strip()}")
    return server


def _user_name() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


def effective_settings(server: Sshd) -> dict[str, list[str]]:
    """``sshd -T`` for the test user from 127.0.0.1: every setting as sshd resolved it."""
    sshd = find_sshd()
    assert sshd is not None
    out = subprocess.run(
        [
            sshd,
            "-T",
            "-f",
            str(server.config),
            "-C",
            f"user={server.user},host=localhost,addr=127.0.0.1",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings: dict[str, list[str]] = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        settings.setdefault(key, []).append(value)
    return settings
