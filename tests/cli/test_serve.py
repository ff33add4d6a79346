"""`lstm-tui serve`: its options, the command it runs per browser, and never serving by mistake.

Everything here runs in-process with textual-serve's ``Server.serve`` replaced,
so a check that failed to stop the command cannot leave a server running.
The real server, over HTTP and in a browser, is in ``test_serve_browser.py``.
"""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_tui.serve import INSTALL_HINT, app_command

server_module = pytest.importorskip("textual_serve.server")


class Served(Exception):
    """Raised where the server would have started listening."""


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The commands the server would have run per browser, instead of serving them."""
    commands: list[str] = []

    def serve(self, debug: bool = False) -> None:
        commands.append(self.command)
        raise Served

    monkeypatch.setattr(server_module.Server, "serve", serve)
    return commands


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return err


def test_without_the_web_extra_serve_says_how_to_install_it(
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes an import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    result = run_cli("serve")
    assert result.code == 2
    assert INSTALL_HINT in one_line(result.err)
    assert "pip install 'lstm-tui[web]'" in result.err


def test_serve_runs_this_python_lstm_tui_with_the_options_in_kiosk(
    run_cli, served, free_port: int
) -> None:
    with pytest.raises(Served):
        run_cli("serve", "latch", "--act", "forget=hard_sigmoid", "--port", str(free_port))
    assert shlex.split(served[0]) == [
        sys.executable,
        *("-m", "lstm_tui", "--kiosk", "latch", "--act", "forget=hard_sigmoid"),
    ]


def test_no_kiosk_is_asked_for_by_name(run_cli, served, free_port: int) -> None:
    with pytest.raises(Served):
        run_cli("serve", "--no-kiosk", "brackets", "--port", str(free_port))
    assert shlex.split(served[0])[3:] == ["brackets"]


def test_a_wrong_app_option_is_one_line_before_anything_is_served(run_cli, served) -> None:
    for wrong in (["no-such-sample"], ["--act", "forget=cosine"], ["--frobnicate"]):
        result = run_cli("serve", *wrong)
        assert result.code == 2, wrong
        one_line(result.err)
    assert served == []


def test_a_path_with_spaces_and_shell_characters_reaches_the_app_whole(tmp_path: Path) -> None:
    """The command goes through a shell (textual-serve runs it with one): nothing in it runs."""
    folder = tmp_path / 'it\'s a "class"; touch INJECTED $(touch INJECTED2) `touch INJECTED3`'
    folder.mkdir()
    sequence = folder / "brackets & more|x*.txt"
    sequence.write_text("(()())", encoding="utf-8")
    command = app_command([str(sequence), "--preset", "counter"], kiosk=True)
    assert shlex.split(command)[-3:] == [str(sequence), "--preset", "counter"]
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The file was found and loaded: the app then stops only for want of a terminal.
    assert done.returncode == 2 and "needs a terminal" in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


@pytest.mark.parametrize("port", ["abc", "0", "65536", "-1", "", "80.5", "0x1f90"])
def test_a_bad_port_is_one_line(run_cli, served, port: str) -> None:
    result = run_cli("serve", "--port", port)
    assert result.code == 2
    assert "--port" in one_line(result.err) and "65535" in result.err
    assert served == []


def test_a_port_in_use_is_one_line(run_cli, served) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.code == 2
    assert f"port {port}" in one_line(result.err) and "in use" in result.err
    assert served == []


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("", "expects a host name"),
        ("bad host", "expects a host name"),
        ("bad_host!", "expects a host name"),
        ("300.1.1.1", "expects a host name"),
        ("-dash.example", "expects a host name"),
        ("a\x1b[2Jb", "expects a host name"),
        # TEST-NET-1: a valid address that is no interface of this machine.
        ("192.0.2.1", "cannot listen on 192.0.2.1"),
    ],
)
def test_a_bad_host_is_one_line(run_cli, served, host: str, says: str) -> None:
    result = run_cli("serve", f"--host={host}")
    assert result.code == 2
    assert says in one_line(result.err)
    assert "\x1b" not in result.err
    assert served == []


def test_a_name_no_resolver_knows_is_one_line(
    run_cli, served, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for DNS, which the suite must not depend on.
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    result = run_cli("serve", "--host", "nosuch.invalid")
    assert result.code == 2
    assert "'nosuch.invalid' cannot be looked up" in one_line(result.err)
    assert served == []


def test_loopback_serves_without_a_warning(run_cli, served, capsys, free_port: int) -> None:
    for host in ("127.0.0.1", "localhost"):
        with pytest.raises(Served):
            run_cli("serve", "--host", host, "--port", str(free_port))
    assert len(served) == 2
    assert capsys.readouterr().err == ""


def test_listening_beyond_loopback_warns_in_one_line(
    run_cli, served, capsys, free_port: int
) -> None:
    with pytest.raises(Served):
        run_cli("serve", "--host", "0.0.0.0", "--port", str(free_port))
    err = one_line(capsys.readouterr().err)
    assert "0.0.0.0 is not a loopback address" in err
    assert f"anyone who can reach port {free_port} gets the app" in err
