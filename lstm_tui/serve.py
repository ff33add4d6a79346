"""Serving the app to web browsers: textual-serve runs one lstm-tui per browser connection.

textual-serve (the optional ``web`` extra) is imported only when serving
starts, so the command line and the app load without it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import shlex
import socket
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from lstm_tui.errors import InputError

INSTALL_HINT = "serving to a browser needs the web extra: pip install 'lstm-tui[web]'"
TITLE = "lstm-tui"

# textual-serve names this driver in TEXTUAL_DRIVER for every app it starts:
# the app then draws through pipes to the browser, with no terminal of its own.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

# What a Host header may hold: a name, an IPv4 address or a bracketed IPv6
# one, and a port. The page textual-serve renders quotes it unescaped.
_HOST_HEADER = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
# One label of a host name (RFC 1123).
_HOST_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def in_browser() -> bool:
    """Whether this process is an app textual-serve started for a browser."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def app_command(app_argv: Sequence[str], *, kiosk: bool) -> str:
    """The shell command textual-serve runs for each browser connection.

    This same Python's lstm-tui with the options the server was given, each
    quoted, so a path with spaces or shell characters stays one argument.
    ``--kiosk`` goes first: after a ``--`` in ``app_argv`` it would be a file name.
    """
    argv = [sys.executable, "-m", "lstm_tui", *(["--kiosk"] if kiosk else []), *app_argv]
    return shlex.join(argv)


def _listen_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to for listening; an InputError if none."""
    if not _host_syntax(host):
        raise InputError(f"--host expects a host name or an IP address, got {host!r}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        reason = err.strerror if isinstance(err, socket.gaierror) else err
        raise InputError(f"--host {host!r} cannot be looked up: {reason}") from None
    return sorted({str(info[4][0]) for info in infos})


def _host_syntax(host: str) -> bool:
    """An IP address, or a name a resolver could know (RFC 1123), checked
    before any lookup: a typo is an answer at once, not a wait on DNS."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return False
    # All digits is an IPv4 address typed wrong (300.1.1.1), never a name.
    return not labels[-1].isdigit()


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.partition("%")[0]).is_loopback
    except ValueError:
        return False


def _check_free(addresses: list[str], port: int) -> None:
    """An InputError now, in one line, if the server could not listen there."""
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As the server will: a port left in TIME_WAIT by the last run is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((address, port))
            except OSError as err:
                reason = (err.strerror or str(err)).lower()
                raise InputError(f"cannot listen on {address} port {port}: {reason}") from None


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def check_web_extra() -> None:
    """An InputError saying how to install textual-serve, if it is missing."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise InputError(INSTALL_HINT) from None


def serve(app_argv: Sequence[str], *, host: str, port: int, kiosk: bool) -> int:
    """Serve the app with ``app_argv`` on ``host``:``port`` until Ctrl+C."""
    check_web_extra()
    from aiohttp import web
    from textual_serve.server import Server

    addresses = _listen_addresses(host, port)
    loopback = all(_is_loopback(address) for address in addresses)
    _check_free(addresses, port)
    if not loopback:
        sys.stderr.write(
            f"lstm-tui: warning: {host} is not a loopback address: "
            f"anyone who can reach port {port} gets the app\n"
        )
    connections: set[asyncio.Task[object]] = set()
    mode = "kiosk, no file actions" if kiosk else "NOT kiosk: visitors can open and save files"

    class AppServer(Server):
        async def on_startup(self, app: web.Application) -> None:
            print(f"lstm-tui: serving on {_url(host, port)} ({mode}); Ctrl+C stops", flush=True)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            _check_host(request, loopback)
            # textual-serve writes into the page the address its websocket
            # connects to, built from the host it listens on: 0.0.0.0 is
            # nowhere to a browser elsewhere. The address this browser used
            # reached the server. Nothing awaits between this and the render.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            _check_host(request, loopback)
            _check_origin(request)
            task = asyncio.current_task()
            assert task is not None
            connections.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                connections.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            # On Ctrl+C aiohttp waits up to a minute for open websockets to
            # end by themselves. Cancelled, each one's handler closes its
            # websocket and tells its app to quit, as when a browser leaves.
            for task in list(connections):
                task.cancel()

    server = AppServer(app_command(app_argv, kiosk=kiosk), host=host, port=port, title=TITLE)
    server.serve()
    return 0


def _check_host(request, loopback: bool) -> None:
    """Refuse a Host header the page cannot quote, or a foreign name on loopback.

    Bound to loopback, only loopback names reach the server honestly; any
    other name is a web page that pointed its own domain at 127.0.0.1
    (DNS rebinding) to drive the app from the visitor's browser.
    """
    from aiohttp import web

    host = request.host
    if not _HOST_HEADER.fullmatch(host):
        raise web.HTTPBadRequest(text="bad Host header\n")
    name = urlsplit(f"//{host}").hostname or ""
    if loopback and name != "localhost" and not _is_loopback(name):
        raise web.HTTPForbidden(text="this server answers only on loopback addresses\n")


def _check_origin(request) -> None:
    """Refuse a websocket a page from another site opens (browsers always send Origin)."""
    from aiohttp import web

    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        raise web.HTTPForbidden(text="the app is served only to its own page\n")
