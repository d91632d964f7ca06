"""What a verification unlocks (GDPR Art. 12(6), Art. 11(2)): pure rules, no clock, no database.

A proof covers the identity kinds it proved: an e-mail code proves control of one address, an
e-ID proves a personnummer, a staff member who saw a signed letter or an ID document vouches for
every identity the request gives. Reading is safe on a weak proof when it stays with the rows
the proven identity reached. A change that cannot be undone is not: an erasure or rectification
that reaches rows through an identity the proof did not cover (a personnummer learnt from the
customer row an e-mail address found) waits for a stronger proof or a staff member's decision,
because the e-mail address may be shared, reused or wrong in that row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from varna.dsr.requests import Assurance, Kind

NEEDS_PROOF: frozenset[Kind] = frozenset({Kind.erasure, Kind.rectification})
"""Kinds whose rows must each be reached through an identity the verification proved."""

CHANNELS: Mapping[Assurance, frozenset[str]] = {
    Assurance.none: frozenset(),
    Assurance.email_code: frozenset({"email"}),
    Assurance.sms_code: frozenset({"phone"}),
}
"""What a code sent over a channel proves: control of that channel's identity kind only.
Stronger assurances (``eid``, ``staff_document``) establish who the person is (see
:func:`proven_kinds`)."""


def proven_kinds(
    assurance: Assurance | None,
    given: Collection[str],
    *,
    attested: Collection[str] = (),
) -> frozenset[str] | None:
    """The identity kinds a request's verification proves; ``None`` for all of them.

    A staff member who records an e-ID or a document check (``eid``, ``staff_document``) without
    a verifier's attestation has established who the person is: every identity counts. A
    verifier's attested kinds count, and for a strong proof the kinds the request gives too;
    a code over a channel proves only that channel's kind among those given."""
    if assurance is None or assurance is Assurance.none:
        return frozenset()
    if assurance >= Assurance.eid:
        return frozenset(attested) | frozenset(given) if attested else None
    return frozenset(attested) | (frozenset(given) & CHANNELS.get(assurance, frozenset()))


def reached_kind(reached_by: str) -> str | None:
    """The identity kind named by a row's ``reached_by`` (``identity personnummer (crm:...)``,
    ``identity email via ...``), or None if it names none."""
    words = reached_by.split()
    if len(words) >= 2 and words[0] == "identity":
        return words[1]
    return None


@dataclass(frozen=True, slots=True)
class Unproven:
    """Rows a request would change that were reached through identities its proof does not
    cover: the count per identity kind (never a value)."""

    rows: Mapping[str, int]

    def __bool__(self) -> bool:
        return bool(self.rows)

    def describe(self, *, kind: Kind, assurance: Assurance | None) -> str:
        """Why the request waits, for the case handler and the request's moves."""
        places = ", ".join(f"{n} through {k}" for k, n in sorted(self.rows.items()))
        proof = assurance.name if assurance is not None else "nothing"
        return (
            f"{kind.value} reaches row(s) {places}, which the verification ({proof}) does not "
            "prove: verify with e-ID or a document (staff_document), or a staff member decides "
            "(varna dsr decide) before a second one approves"
        )[:500]


def unproven_reach(
    kind: Kind, reached: Iterable[str], *, proven: Collection[str] | None
) -> Unproven:
    """For a kind in :data:`NEEDS_PROOF`, the rows (by their ``reached_by``) reached through an
    identity kind outside ``proven`` (``None``: every kind is proven); nothing for other kinds."""
    if kind not in NEEDS_PROOF or proven is None:
        return Unproven({})
    counts: dict[str, int] = {}
    for how in reached:
        found = reached_kind(how)
        if found is not None and found not in proven:
            counts[found] = counts.get(found, 0) + 1
    return Unproven(counts)
