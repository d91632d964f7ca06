"""``varna``: the command-line interface. Each command calls one library function.

The sub-commands are imported when they run (:mod:`varna.cli.lazy`): ``COMMANDS`` says where each
one lives, ``help_index.py`` (generated) holds their help pages.
"""

from __future__ import annotations

import typer

from varna import __version__
from varna.cli.lazy import MARKUP, LazyGroup, QuickCommand, Target

#: every top-level command but ``version``, in the order of ``varna --help``
COMMANDS: dict[str, Target] = {
    "register": Target("varna.cli.register_cmd:register_app"),
    "audit": Target("varna.cli.audit_cmd:audit_app"),
    "state": Target("varna.cli.state_cmd:state_app"),
    "policy": Target("varna.cli.policy_cmd:policy_app"),
    "ropa": Target("varna.cli.ropa_cmd:ropa_app"),
    "dsr": Target("varna.cli.dsr_cmd:dsr_app", extends=("varna.cli.dsr_rights_cmd",)),
    "retention": Target("varna.cli.retention_cmd:retention_app"),
    "marketing": Target("varna.cli.dsr_rights_cmd:marketing_app"),
    "consent": Target("varna.cli.consent_cmd:consent_app"),
    "discover": Target("varna.cli.discover_cmd:discover_app"),
    "cookies": Target("varna.cli.cookies_cmd:cookies_app"),
    "demo": Target("varna.cli.demo_cmd:demo"),
    "worker": Target("varna.cli.worker_cmd:worker"),
    "serve": Target("varna.cli.serve_cmd:serve"),
    "apikey": Target("varna.cli.apikey_cmd:apikey_app"),
    "webhook": Target("varna.cli.webhook_cmd:webhook_app"),
    "notify": Target("varna.cli.notify_cmd:notify_app"),
    "user": Target("varna.cli.user_cmd:user_app"),
    "staff": Target("varna.cli.staff_cmd:staff_app"),
    "breach": Target("varna.cli.breach_cmd:breach_app"),
}


class VarnaGroup(LazyGroup):
    """The root group: ``COMMANDS`` load on first use."""

    targets = COMMANDS


app = typer.Typer(
    name="varna",
    help="Varna: the privacy policy, executable. The register drives requests, retention and "
    "documents.",
    cls=VarnaGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=MARKUP,
)


@app.callback()
def root() -> None:
    """Nothing to do before a command (it makes ``app`` a group: its commands load lazily)."""


@app.command(cls=QuickCommand)
def version() -> None:
    """Print Varna's version."""
    typer.echo(__version__)


def main() -> None:
    """Console-script entry point."""
    app()
