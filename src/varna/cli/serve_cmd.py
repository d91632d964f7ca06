"""``varna serve``: the privacy centre and the API over HTTP."""

from __future__ import annotations

import contextlib
import os
import socket
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import RegisterOption, build


class Surface(StrEnum):
    """What a server answers for (the web layer's ``SURFACES``)."""

    public = "public"
    internal = "internal"


#: the application factory uvicorn imports in each worker (the CLI never imports the web layer)
APP_FACTORY = "varna.web.app:app_from_settings"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    register: RegisterOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (with a PostgreSQL state; SQLite serves one process).",
        ),
    ] = 1,
    surface: Annotated[
        list[Surface] | None,
        typer.Option(
            "--surface",
            help="What to serve: public (the privacy centre) and/or internal (the API); "
            "repeatable; default both. Run the public centre and the internal API on separate "
            "addresses so only the centre faces the internet.",
        ),
    ] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Serve the demo company: publish its policy if none is, make an API key, and "
            "deliver e-mail into the folder outbox/ unless VARNA_SMTP_URL is set.",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Addresses of the reverse proxies whose X-Forwarded-* headers are trusted "
            "(comma-separated); no other client can claim HTTPS or another address."
        ),
    ] = "127.0.0.1",
) -> None:
    """Serve the privacy centre at / and the REST API at /api/v1 (docs at /api/docs)."""
    import uvicorn

    with cli_errors():
        varna = build(register)
        readiness = varna.readiness()
        if readiness.register is not None:
            raise typer.BadParameter(readiness.register, param_hint="--register")
        if readiness.state is not None:
            raise typer.BadParameter(readiness.state, param_hint="VARNA_DATABASE_URL")
        if workers > 1 and varna.state.dialect == "sqlite":
            raise typer.BadParameter(
                "SQLite serves one process: set VARNA_DATABASE_URL to PostgreSQL for several",
                param_hint="--workers",
            )
        site = varna.prepare_demo_site(now=datetime.now(UTC)) if demo else None
    os.environ["VARNA_REGISTER"] = str(varna.register_path)
    if surface:
        os.environ["VARNA_SERVE_SURFACES"] = ",".join(s.value for s in surface)
    if demo:
        os.environ["VARNA_SERVE_DEMO_SITE"] = "1"
    if demo and "VARNA_SMTP_URL" not in os.environ:
        os.environ["VARNA_SMTP_URL"] = f"maildir:{Path('outbox').resolve()}"
    chosen = [s.value for s in surface] if surface else ["public", "internal"]
    if "public" in chosen:
        typer.echo(f"Privacy centre: http://{host}:{port}/")
    if "internal" in chosen:
        typer.echo(f"API docs:       http://{host}:{port}/api/docs")
        typer.echo(f"Console:        http://{host}:{port}/console")
    if site is not None:
        typer.echo(f"Policy:         version {site.policy_version} published")
        typer.echo(f"API key:        {site.api_key}  (Authorize in the API docs)")
        if site.login is not None and "internal" in chosen:
            login = site.login
            typer.echo(f"Console login:  {login.name} / {login.password}  (new each start)")
            typer.echo(
                f"TOTP secret:    {login.totp_secret}  (demo only: add it to an authenticator "
                f"app, or: python -c \"import pyotp; print(pyotp.TOTP('{login.totp_secret}')"
                '.now())")'
            )
        if "public" in chosen:
            typer.echo(f"Demo website:   http://{host}:{port}/demo-site/  (cookie banner)")
        if os.environ["VARNA_SMTP_URL"].startswith("maildir:"):
            outbox = os.environ["VARNA_SMTP_URL"].removeprefix("maildir:")
            typer.echo(f"E-mail:         codes and answers arrive as files in {outbox}/new/")
    typer.echo("Stop with Ctrl-C.")
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "server_header": False,
        # Python's own event loop: under many keep-alive clients uvloop with the httptools
        # parser left a few connections waiting for hundreds of milliseconds (p99 of the
        # centre's pages 180-300 ms against 26 ms; benchmarks/api.py)
        "loop": "asyncio",
        "log_level": "info",
        "access_log": False,  # an access log holds client addresses: personal data
    }
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP_FACTORY, **options)
        return
    from uvicorn.supervisors import Multiprocess

    listener = SharedPort.reserve(host, port)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the workers stop, then this
        Multiprocess(uvicorn.Config(APP_FACTORY, **options), sockets=[listener]).run()


class SharedPort(socket.socket):
    """One address served by several worker processes, each listening on its own socket
    (``SO_REUSEPORT``), so that the kernel spreads new connections over the workers evenly.

    With one listening socket shared by every worker, the first worker to wake accepts every
    connection waiting (the event loop accepts in batches): a burst of keep-alive clients, or a
    reverse proxy's pooled connections, all land on one process while the others idle. This
    socket is bound in the supervising process (so a taken port fails at once) but never
    listens there; each worker that receives it opens and listens on its own socket at the same
    address (:meth:`__reduce__`), and so does a worker started again after one died.
    """

    @classmethod
    def reserve(cls, host: str, port: int) -> SharedPort:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = cls(family, socket.SOCK_STREAM)
        _share(sock)
        try:
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            raise typer.BadParameter(
                f"cannot listen on {host}:{port} ({exc.strerror}): another server has it; "
                "stop it or choose another --port",
                param_hint="--port",
            ) from None
        return sock

    def __reduce__(self) -> tuple[Any, ...]:
        return _listening, (self.family, self.getsockname())


def _share(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)


def _listening(family: int, address: tuple[Any, ...]) -> socket.socket:
    """A worker's own listening socket at ``address`` (see :class:`SharedPort`)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    _share(sock)
    sock.bind(address)
    sock.listen(_BACKLOG)
    sock.set_inheritable(True)
    return sock


_BACKLOG = 2048  # uvicorn's default
