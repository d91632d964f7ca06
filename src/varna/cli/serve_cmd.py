"""``varna serve``: the privacy centre and the API over HTTP."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import RegisterOption, build

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
    os.environ["VARNA_REGISTER"] = str(varna.register_path)
    typer.echo(f"Privacy centre: http://{host}:{port}/")
    typer.echo(f"API docs:       http://{host}:{port}/api/docs")
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_level="info",
        access_log=False,  # an access log holds client addresses: personal data
    )
