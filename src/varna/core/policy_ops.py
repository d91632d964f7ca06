"""Operations of the service: the published privacy policy, its versions and what changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.base import VarnaBase
from varna.errors import PublishError

if TYPE_CHECKING:
    from datetime import date

    from varna.render import PolicyFormat, PolicyVersion, RecordFormat, RegisterDiff, Rendered
    from varna.render.document import Document
    from varna.render.versions import JsonlVersionStore


@dataclass(frozen=True, slots=True)
class PublishedPolicy:
    """One published version of the policy, rendered in one language."""

    number: int
    """1 for the first version ever published, counting up."""
    version: PolicyVersion
    document: Document
    """The policy as a document (the writers make HTML, Markdown or PDF of it)."""
    lang: str
    latest: int
    """How many versions are published (``number == latest``: the version in force)."""


class PolicyOps(VarnaBase):
    """Operations: the published policy and its history (what the privacy centre shows)."""

    def policy_store(self) -> JsonlVersionStore:
        """Where the published versions are kept (beside the register)."""
        from varna.render.versions import JsonlVersionStore

        return JsonlVersionStore.beside(Path(self.register_path))

    def policy_versions(self) -> list[PolicyVersion]:
        """Every published version, oldest first."""
        return self.policy_store().versions()

    def published_policy(self, *, lang: str, number: int | None = None) -> PublishedPolicy:
        """Published version ``number`` (default: the newest) composed in ``lang`` from the
        register as it was published, never from today's register."""
        from varna.render.policy import compose_policy
        from varna.render.wording import as_lang

        versions = self.policy_versions()
        if not versions:
            raise PublishError("no version of the privacy policy is published yet")
        index = len(versions) if number is None else number
        if not 1 <= index <= len(versions):
            raise PublishError(
                f"there is no published version {index}: versions 1 to {len(versions)} exist"
            )
        version = versions[index - 1]
        register = version.previous_register()
        if lang not in register.controller.policy.languages:
            raise PublishError(f"the policy is not published in language '{lang}'")
        composition = compose_policy(register, as_lang(lang), on=version.effective_date)
        return PublishedPolicy(index, version, composition.document, lang, len(versions))

    def render_policy(self, *, lang: str, fmt: PolicyFormat, on: date | None = None) -> Rendered:
        """The privacy policy of the register as it is now (GDPR Art. 13 and 14), in ``lang``
        and ``fmt`` (html, md, pdf, typ), with what the person rendering it should know."""
        from varna.render import render_policy
        from varna.render.wording import as_lang

        return render_policy(self.register, lang=as_lang(lang), fmt=fmt, on=on)

    def render_record(
        self, *, on: date, lang: str, fmt: RecordFormat, delimiter: str | None = None
    ) -> Rendered:
        """The Art. 30 record of processing as of ``on`` (xlsx, csv, html, pdf)."""
        from varna.render import render_record
        from varna.render.wording import as_lang

        return render_record(self.register, on=on, lang=as_lang(lang), fmt=fmt, delimiter=delimiter)

    @staticmethod
    def diff_registers(old: Path, new: Path) -> RegisterDiff:
        """The semantic difference between two register files, what is material marked."""
        from varna.register import load_register
        from varna.render import diff_registers

        return diff_registers(load_register(old), load_register(new))
