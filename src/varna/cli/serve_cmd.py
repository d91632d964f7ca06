"""``varna serve``: the privacy centre and the API over HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import RegisterOption, build


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    register: RegisterOption = None,
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

    from varna.web.app import create_app

    with cli_errors():
        varna = build(register)
        readiness = varna.readiness()
        if readiness.register is not None:
            raise typer.BadParameter(readiness.register, param_hint="--register")
        app = create_app(varna)
    typer.echo(f"Privacy centre: http://{host}:{port}/")
    typer.echo(f"API docs:       http://{host}:{port}/api/docs")
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_level="info",
    )
