"""`lstm-tui serve` for real: a server process, its page over HTTP, and the app in Chromium.

One server serves the module. It is started with a sequence file whose path
holds spaces and shell characters, so every page that shows the app also
shows that the command textual-serve runs per browser kept the path whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.waiting import free_port, wait_for

pytest.importorskip("textual_serve", reason="needs the web extra: pip install -e '.[test]'")

START_SECONDS = 30
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def apps(self) -> set[int]:
        """The processes the server runs now: a shell and its lstm-tui per browser."""
        table = processes()
        found: set[int] = set()
        parents = {self.process.pid}
        while parents:
            parents = {pid for pid, ppid in table.items() if ppid in parents} - found
            found |= parents
        return found


def argv(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return [""]


def processes() -> dict[int, int]:
    """Every live process of this machine and its parent, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (name) state ppid ...": the name may hold spaces, never ") ".
            state, ppid = stat.read_text().rpartition(") ")[2].split()[:2]
        except OSError:  # ended while being read
            continue
        if state not in "ZX":  # a zombie has ended; only its parent has not looked
            found[int(stat.parent.name)] = int(ppid)
    return found


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def running_server(folder: Path, *app_argv: str) -> Iterator[Server]:
    """``lstm-tui serve`` on a free port with ``app_argv``, stopped by Ctrl+C at the end."""
    port = free_port()
    log = folder / "server.log"
    argv = [sys.executable, "-m", "lstm_tui", "serve", "--port", str(port), *app_argv]
    with log.open("wb") as out:
        # The log file, not a pipe: nobody reads a pipe while tests run, and a full one blocks.
        process = subprocess.Popen(argv, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    served = Server(port, process, log, folder)
    try:
        wait_for(
            lambda: listening(port) or process.poll() is not None,
            START_SECONDS,
            "the server listens",
        )
        assert process.poll() is None, served.output()
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    odd = folder / 'it\'s a "class"; touch INJECTED $(touch INJECTED2)'
    odd.mkdir()
    sequence = odd / "brackets & more.txt"
    sequence.write_text("(()())((()))", encoding="utf-8")
    with running_server(
        folder, str(sequence), "--preset", "counter", "--act", "forget=hard_sigmoid"
    ) as served:
        yield served


def get(server: Server, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def test_the_page_is_textual_serves_terminal_for_lstm_tui(server: Server) -> None:
    status, page = get(server, "/")
    assert status == 200
    assert 'class="textual-terminal"' in page and "js/textual.js" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in page
    assert "<div>lstm-tui</div>" in page  # the title, not the command with its paths
    status, script = get(server, "/static/js/textual.js")
    assert status == 200 and "WebSocket" in script
    assert f"serving on http://127.0.0.1:{server.port} (kiosk" in server.output()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_it_listens_on_127_0_0_1_only(server: Server) -> None:
    def listeners(table: str) -> set[str]:
        found = set()
        for line in Path(table).read_text().splitlines()[1:]:
            local, _remote, state = line.split()[1:4]
            address, port = local.split(":")
            if state == "0A" and int(port, 16) == server.port:  # 0A: LISTEN
                found.add(address)
        return found

    assert listeners("/proc/net/tcp") == {"0100007F"}  # 127.0.0.1, and no other address
    if Path("/proc/net/tcp6").exists():
        assert listeners("/proc/net/tcp6") == set()
    with socket.socket() as probe:  # another loopback address reaches nothing
        assert probe.connect_ex(("127.0.0.2", server.port)) != 0


def test_the_page_sends_its_websocket_where_the_browser_reached_the_server(
    server: Server,
) -> None:
    """Not to the address listened on: 0.0.0.0 is nowhere to a browser on another machine."""
    status, page = get(server, "/", {"Host": f"localhost:{server.port}"})
    assert status == 200
    assert f'data-session-websocket-url="ws://localhost:{server.port}/ws"' in page


def test_a_foreign_host_name_gets_no_page(server: Server) -> None:
    """A page that points its own name at 127.0.0.1 (DNS rebinding) does not reach the app."""
    status, _ = get(server, "/", {"Host": f"attacker.example:{server.port}"})
    assert status == 403
    status, _ = get(server, "/", {"Host": 'x"><script>alert(1)</script>'})
    assert status == 400


def test_a_page_from_another_site_cannot_open_the_apps_websocket(server: Server) -> None:
    before = server.apps()
    status, _ = get(
        server,
        "/ws",
        {
            "Origin": "http://attacker.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert status == 403
    assert server.apps() == before


# --- in a browser ----------------------------------------------------------

# textual.js keeps its xterm.js Terminal to itself, as `this.terminal` of an
# object it makes. Before the page's scripts run, a setter on Object.prototype
# catches that one assignment and keeps the terminal where the test can read it.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
    if (value && value.buffer && value.buffer.active) window.__terminal = value;
  },
});
"""
# The terminal's screen as text, through xterm.js's public buffer API.
SCREEN_TEXT = """() => {
  const term = window.__terminal;
  if (!term) return null;
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
STEP = re.compile(r"t = (\d+) / (\d+)")


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium on PATH (.ci/run installs the chromium package when it can)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs pip install -e '.[test]'")
    with sync_api.sync_playwright() as playwright:
        # The system's Chromium: Playwright's own download is never used. Each
        # launch gets a fresh profile of Playwright's making (its --user-data-dir).
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def screen_text(page) -> str:
    return page.evaluate(SCREEN_TEXT) or ""


def wait_for_screen(page, pattern: str, what: str) -> str:
    """The screen text once it matches ``pattern``, waiting at most START_SECONDS."""
    found = re.compile(pattern)
    return wait_for(
        lambda: found.search(screen_text(page)) and screen_text(page), START_SECONDS, what
    )


def test_the_app_runs_in_chromium_steps_and_refuses_files(
    server: Server, browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(CATCH_TERMINAL)
    try:
        # Not "load": the page also asks Google for a font, which may never answer here.
        page.goto(server.url, wait_until="domcontentloaded")
        wait_for(
            lambda: page.evaluate("() => Boolean(window.__terminal)"),
            START_SECONDS,
            "textual.js makes its xterm.js terminal and CATCH_TERMINAL catches it",
        )
        screen = wait_for_screen(
            page, STEP.pattern, f"the app's header shows its step\n{server.output()}"
        )
        step, steps = map(int, STEP.search(screen).groups())
        assert steps == 12  # the sequence file with the odd path was read, whole
        header = screen.splitlines()[0]
        assert "kiosk" in header and "f hard_sigmoid" in header
        # Keys go to the terminal once it has the focus, as after a visitor's click.
        page.click(".xterm-screen")
        page.keyboard.press("ArrowRight")
        wait_for_screen(page, rf"t = {step + 1} / {steps}", "→ moves one step on")
        page.keyboard.press("Control+o")
        wait_for_screen(page, r"kiosk mode: opening files is turned off", "ctrl+o is refused")
        assert not list(server.folder.glob("INJECTED*"))
        shot = Path(os.environ.get("LSTM_TUI_BROWSER_SHOT", tmp_path / "browser.png"))
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 0
        running = server.apps()
        assert [argv(pid)[0] for pid in running].count(sys.executable) == 1  # this browser's app
    finally:
        page.close()
    wait_for(lambda: not (running & server.apps()), 20, "the app ends when its page closes")


def test_ctrl_c_stops_the_server_and_every_app_at_once(tmp_path: Path) -> None:
    """aiohttp alone would wait up to a minute for connected browsers to leave."""
    aiohttp = pytest.importorskip("aiohttp")

    async def connect_then_stop(server: Server) -> tuple[set[int], float]:
        url = f"ws://127.0.0.1:{server.port}/ws?width=80&height=24"
        async with aiohttp.ClientSession() as client, client.ws_connect(url) as websocket:
            while (await asyncio.wait_for(websocket.receive(), START_SECONDS)).type != (
                aiohttp.WSMsgType.BINARY
            ):
                pass  # the first bytes of the screen: the app is running
            apps = server.apps()
            started = time.monotonic()
            server.process.send_signal(signal.SIGINT)
            # Read on, so the websocket's closing handshake is answered.
            await asyncio.wait_for(_drain(websocket), 15)
            await asyncio.to_thread(server.process.wait, 15)
            return apps, time.monotonic() - started

    # A thread of its own: Playwright's sync API may hold this thread's event loop.
    with running_server(tmp_path, "brackets") as server, ThreadPoolExecutor(1) as thread:
        apps, seconds = thread.submit(asyncio.run, connect_then_stop(server)).result()
    assert apps, "an app ran for the websocket"
    assert seconds < 15
    wait_for(lambda: not (apps & processes().keys()), 10, "every app ends with the server")


async def _drain(websocket) -> None:
    async for _ in websocket:
        pass
