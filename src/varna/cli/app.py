"""``varna``: the command-line interface. Each command calls one library function."""

from __future__ import annotations

import typer

from varna import __version__
from varna.cli.audit_cmd import audit_app
from varna.cli.demo_cmd import demo
from varna.cli.dsr_cmd import dsr_app
from varna.cli.dsr_rights_cmd import marketing_app
from varna.cli.policy_cmd import policy_app
from varna.cli.register_cmd import register_app
from varna.cli.retention_cmd import retention_app
from varna.cli.ropa_cmd import ropa_app
from varna.cli.serve_cmd import serve
from varna.cli.worker_cmd import worker

app = typer.Typer(
    name="varna",
    help="Varna: the privacy policy, executable. The register drives requests, retention and "
    "documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(register_app, name="register")
app.add_typer(audit_app, name="audit")
app.add_typer(policy_app, name="policy")
app.add_typer(ropa_app, name="ropa")
app.add_typer(dsr_app, name="dsr")
app.add_typer(retention_app, name="retention")
app.add_typer(marketing_app, name="marketing")
app.command()(demo)
app.command()(worker)
app.command()(serve)


@app.command()
def version() -> None:
    """Print Varna's version."""
    typer.echo(__version__)


def main() -> None:
    """Console-script entry point."""
    app()
