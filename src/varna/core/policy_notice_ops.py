"""Operations of the service: telling people of a policy version with material changes.

When the newest published version changes something material (:mod:`varna.render.diff`: a new
purpose, new recipients or third countries, longer retention, new categories, a changed legal
basis, direct marketing or automated decisions), the register's promise to tell people (seeds 000
and 001: ``controller.policy.notify_changes_by`` includes ``email``) is kept for the subject
categories marked ``notify_policy_changes: true`` that the changes concern (all marked ones when
a change concerns no category in particular, such as a new third country).

The addresses are read through the connectors from the e-mail identity columns of the tables
holding only those people (a table that also holds people nobody promised to tell, such as
support tickets from relatives, cannot tell its rows apart and is left out), in batches. Each is
normalised, and the same address in several systems is one person. People on the suppression
list (they objected, Art. 21) or under a restriction (Art. 18) are skipped, and so is a value
that is no longer an address (an erased row's mask). Each message goes in the person's language
where the table has a ``language_column``, else in the policy's first language. After every
batch the people told are recorded by a keyed pseudonym of the address per version, so a run
that stops is resumed by running it again and nobody is told twice. The audit log gets the
counts, never an address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from varna.core.notice_ops import NoticeOps
from varna.errors import ConnectorError, PublishError, VarnaError
from varna.texts import N_

if TYPE_CHECKING:
    from varna.dsr.identity import Identity
    from varna.render.versions import PolicyVersion

BATCH = 500
#: What a material change means for the person, by change kind (varna.render.diff).
CHANGE_TEXTS: dict[str, str] = {
    "activity_added": N_("we process your data for a new purpose"),
    "purpose_changed": N_("a purpose of the processing has changed"),
    "role_changed": N_("our role in a processing has changed"),
    "basis_changed": N_("the legal basis of a processing has changed"),
    "category_added": N_("we process new kinds of data about you"),
    "recipient_added": N_("we disclose data to new recipients"),
    "subject_added": N_("a processing now concerns more people"),
    "retention_longer": N_("we keep data for longer"),
    "retention_changed": N_("how long we keep data has changed"),
    "marketing_added": N_("we send direct marketing"),
    "automated_added": N_("we make automated decisions"),
    "recipient_country_changed": N_("data is transferred to a country outside the EU/EEA"),
    "third_country_added": N_("data is transferred to a country outside the EU/EEA"),
}


@dataclass(frozen=True, slots=True)
class PolicyNoticeRun:
    """What a policy notice run found and did (counts only: no address)."""

    version: str | None
    material: bool
    subjects: tuple[str, ...]
    tables: tuple[str, ...]
    people: int = 0
    told_before: int = 0
    skipped: int = 0
    sent: int = 0
    failed: int = 0
    executed: bool = False
    queued: bool = False
    """Handed to a worker (PostgreSQL): the counts are the plan's."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "material": self.material,
            "subjects": list(self.subjects),
            "tables": list(self.tables),
            "people": self.people,
            "told_before": self.told_before,
            "skipped": self.skipped,
            "sent": self.sent,
            "failed": self.failed,
            "executed": self.executed,
            "queued": self.queued,
        }


def concerned_subjects(version: PolicyVersion, marked: set[str]) -> tuple[str, ...]:
    """The marked subject categories a version's material changes concern (pure)."""
    material = [c for c in version.changes if c.material]
    if not material or "email" not in version.notify_channels:
        return ()
    if any(not c.subjects for c in material):
        return tuple(sorted(marked))
    return tuple(sorted(marked & {s for c in material for s in c.subjects}))


class PolicyNoticeOps(NoticeOps):
    """Operations: e-mail the people the register says must hear of a material policy change."""

    policy_dispatcher: Callable[[datetime], None] | None = None
    """Set by a door on PostgreSQL (``varna.jobs.queue.policy_dispatcher``): sending is then a
    job for the workers instead of work in this process."""

    def send_policy_notices(self, *, now: datetime) -> PolicyNoticeRun:
        """Send the e-mails about the newest version: queued for the workers when there is a
        ``policy_dispatcher`` (the run returned is the plan, ``queued``), else sent here."""
        if self.policy_dispatcher is None:
            return self.notify_policy_change(now=now, execute=True)
        planned = self.notify_policy_change(now=now)
        if planned.tables:
            self.policy_dispatcher(now)
        return replace(planned, queued=bool(planned.tables))

    def _latest_version(self) -> PolicyVersion:
        from varna.render.versions import JsonlVersionStore

        versions = JsonlVersionStore.beside(Path(self.register_path)).versions()
        if not versions:
            raise PublishError("no policy is published yet: run varna policy publish first")
        return versions[-1]

    def notify_policy_change(self, *, now: datetime, execute: bool = False) -> PolicyNoticeRun:
        """Plan (and with ``execute`` send) the e-mails about the newest published version."""
        version = self._latest_version()
        register = self.register
        marked = {k for k, s in register.subjects.items() if s.notify_policy_changes}
        subjects = concerned_subjects(version, marked)
        places = [
            (system_key, table_key, column)
            for system_key, system in register.systems.items()
            for table_key, table in system.tables.items()
            if table.subjects and set(table.subjects) <= set(subjects)
            for kind, column in table.identity_columns()
            if kind == "email"
        ]
        names = tuple(f"{s}.{t}.{c}" for s, t, c in places)
        label = version.version or version.register_hash[:12]
        base = PolicyNoticeRun(label, version.material, subjects, names)
        if not places:
            return base
        people = self._addresses(places, now=now)
        store = self._notices()
        pseudonyms = {v: self.ledger.pseudonyms([who])[0] for v, (who, _) in people.items()}
        told = store.told(version.register_hash, list(pseudonyms.values()))
        blocked = self.ledger.suppressions.suppressed(list(pseudonyms.values()))
        blocked |= self.ledger.restrictions.restricted(list(pseudonyms.values()))
        todo = [
            (v, people[v][1]) for v, p in pseudonyms.items() if p not in told and p not in blocked
        ]
        run = PolicyNoticeRun(
            label,
            version.material,
            subjects,
            names,
            people=len(people),
            told_before=len([p for p in pseudonyms.values() if p in told]),
            skipped=len([p for p in pseudonyms.values() if p in blocked and p not in told]),
            executed=execute,
        )
        if not execute:
            return run
        sent, failed = self._send_policy_notices(version, todo, pseudonyms, now=now)
        done = replace(run, sent=sent, failed=failed)
        self.audit.append(
            at=now,
            actor="system",
            action="policy.change.notified",
            target=label,
            details={k: v for k, v in done.as_dict().items() if k not in ("tables",)},
        )
        return done

    def _addresses(
        self, places: list[tuple[str, str, str]], *, now: datetime
    ) -> dict[str, tuple[Identity, str]]:
        """Normalised address -> its identity and the person's language, read from every place
        in batches; values that are not addresses (masked by an erasure) are left out. The
        language is the table's ``language_column`` where it names one we write in, else the
        policy's first language; the first place that names an address decides it."""
        from varna.connectors.base import batched, sweeping
        from varna.connectors.predicates import IsSet
        from varna.dsr.identity import normalise_identity
        from varna.texts import languages

        today = now.date()

        default = self.register.controller.policy.languages[0].value
        known = set(languages())
        found: dict[str, tuple[Identity, str]] = {}
        with self.connectors() as conns:
            for system_key, table_key, column in places:
                table = self.register.table(system_key, table_key)
                lang_column = table.language_column
                columns = [column] + ([lang_column] if lang_column else [])
                conn = conns[system_key]
                keys = sweeping(conn).keys(
                    table_key, IsSet(column), primary_key=table.primary_key, limit=10**9
                )
                for part in batched(keys, BATCH):
                    rows = conn.read(
                        table_key,
                        [dict(zip(table.primary_key, k, strict=True)) for k in part],
                        columns=columns,
                    )
                    for value, said in _values(rows, column, lang_column):
                        try:
                            who = normalise_identity("email", value, today=today)
                        except VarnaError:
                            continue
                        lang = said[:2].lower() if said else default
                        found.setdefault(who.value, (who, lang if lang in known else default))
        return found

    def _send_policy_notices(
        self,
        version: PolicyVersion,
        todo: list[tuple[str, str]],
        pseudonyms: dict[str, str],
        *,
        now: datetime,
    ) -> tuple[int, int]:
        """Send to each (address, language) of ``todo``; record those told after each batch."""
        from varna.mail.messages import policy_change_message
        from varna.texts import texts_for

        kinds = dict.fromkeys(c.kind for c in version.changes if c.material)
        label = version.version or version.effective_date.isoformat()
        mailer = self.mailer()
        sent = failed = 0
        for part in _parts(todo, BATCH):
            messages = []
            for address, lang in part:
                t = texts_for(lang)
                changes = [t.gettext(CHANGE_TEXTS[k]) for k in kinds if k in CHANGE_TEXTS]
                messages.append(
                    policy_change_message(
                        to=address,
                        sender=self._sender(),
                        controller=self._controller_name(lang),
                        version=label,
                        effective=version.effective_date.isoformat(),
                        changes=list(dict.fromkeys(changes)),
                        link=f"{self._public_url()}/{lang}/policy/versions",
                        lang=lang,
                    )
                )
            try:
                taken = mailer.send_many(messages)  # one connection per batch
            except ConnectorError:
                taken = [False] * len(messages)
            told = [pseudonyms[a] for (a, _), ok in zip(part, taken, strict=True) if ok]
            failed += len(part) - len(told)
            sent += len(told)
            self._notices().record_told(version.register_hash, told, now=now)
        return sent, failed


def _values(
    rows: list[dict[str, Any]], column: str, lang_column: str | None
) -> Iterator[tuple[str, str | None]]:
    for row in rows:
        value = row.get(column)
        if isinstance(value, str) and value.strip():
            said = row.get(lang_column) if lang_column else None
            yield value, str(said) if said else None


def _parts(items: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
