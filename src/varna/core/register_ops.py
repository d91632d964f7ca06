"""Operations of the service: check the register and the live systems; publish."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from varna.core.base import VarnaBase
from varna.core.plugins import check_rules, writers
from varna.errors import PluginError
from varna.register.checks import RULES, Finding, Severity, rule, run_checks
from varna.render.versions import JsonlVersionStore, PublishResult, VersionStore, publish_policy

#: The audit action recorded when a policy is published despite register check errors.
PUBLISH_FORCED = "policy.publish.forced"


class RegisterOps(VarnaBase):
    """Operations: check the register (and the live systems); publish the policy."""

    def check_register(
        self, *, on: date, environ: Mapping[str, str] | None = None
    ) -> list[Finding]:
        """Semantic findings for the register, as of ``on``; with ``environ`` (the variables
        that hold the systems' URLs) also the live-schema and index findings, read while the
        register's own rules run (the systems mostly keep the check waiting)."""
        register = self.register
        with ThreadPoolExecutor(max_workers=1) as background:
            live = background.submit(self.check_indexes, environ) if environ is not None else None
            for name, check in check_rules().items():  # built-ins and plugins: varna.checks
                if RULES.get(name) is not check:
                    rule(name)(check)
            findings = run_checks(register, on=on)
            if live is not None:
                findings += live.result()
        return findings

    def publish_policy(
        self,
        *,
        now: datetime,
        actor: str,
        effective: date | None = None,
        force: bool = False,
        store: VersionStore | None = None,
    ) -> PublishResult:
        """Publish the policy (a version beside the register unless ``store`` is given).

        Refused while ``register check`` finds errors or placeholders; with ``force`` it is
        published anyway, the version records ``actor`` as who forced it, and the override goes
        into the audit log (the version file holds the same record should the log be down)."""
        store = store or JsonlVersionStore.beside(Path(self.register_path))
        result = publish_policy(
            self.register, store=store, now=now, effective=effective, force=force, actor=actor
        )
        check = result.version.check
        if result.created and check is not None and check.forced_by is not None:
            self.audit.append(
                at=now,
                actor=actor,
                action=PUBLISH_FORCED,
                target="policy",
                details={
                    "version": result.version.version,
                    "effective_date": result.version.effective_date.isoformat(),
                    "register_hash": result.version.register_hash,
                    "errors": check.errors,
                    "error_rules": check.error_rules,
                },
            )
        return result

    def check_indexes(self, environ: Mapping[str, str]) -> list[Finding]:
        """The live systems against the register: the live-schema check (every declared
        table, column, key and reference exists with a compatible type; undeclared foreign
        keys, columns, partitions, views over personal data) and the lookup columns no index
        serves. Each system is described once, systems in parallel."""
        from varna.connectors.indexes import index_findings
        from varna.connectors.registry import ConnectorPool
        from varna.connectors.schema_check import SystemSchema, live_findings, read_schemas

        base_dir = Path(self.register_path).resolve().parent
        pool = ConnectorPool(self.register, base_dir=base_dir, environ=environ)
        try:
            schemas = read_schemas(self.register, pool, workers=self.settings.check_workers)
            described = {s: v.described for s, v in schemas.items() if isinstance(v, SystemSchema)}
            found = live_findings(self.register, schemas)
            found += index_findings(self.register, pool, described=described)
        finally:
            pool.close()
        order = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}
        return sorted(found, key=lambda f: (order[f.severity], f.location, f.rule))

    def write_document(self, document: Any, *, fmt: str) -> bytes:
        """``document`` (a composed :class:`varna.render.document.Document`) in ``fmt``, by
        the writer registered under ``varna.renderers`` (built-ins: html, md, typ, pdf)."""
        found = writers()
        if fmt not in found:
            close = difflib.get_close_matches(fmt, found, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "install a renderer plugin"
            raise PluginError(
                f"no renderer for format '{fmt}' (known: {', '.join(sorted(found))}; {hint})"
            )
        return found[fmt](document)
