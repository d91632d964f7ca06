"""Operations of the service: check the register and the live systems; publish."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from varna.core.base import VarnaBase
from varna.register.checks import Finding, run_checks


class RegisterOps(VarnaBase):
    """Operations: check the register (and the live systems); publish."""

    def check_register(
        self, *, on: date, environ: Mapping[str, str] | None = None
    ) -> list[Finding]:
        """Semantic findings for the register, as of ``on``; with ``environ`` (the variables
        that hold the systems' URLs) also the live systems' missing indexes."""
        findings = run_checks(self.register, on=on)
        if environ is not None:
            findings += self.check_indexes(environ)
        return findings

    def check_indexes(self, environ: Mapping[str, str]) -> list[Finding]:
        """Lookup columns of the live SQL systems that no index serves."""
        from varna.connectors.indexes import index_findings
        from varna.connectors.registry import connected

        base_dir = Path(self.register_path).resolve().parent
        with connected(self.register, base_dir=base_dir, environ=environ) as connectors:
            return index_findings(self.register, connectors)
