"""Plan a draft register from what a system says about itself (pure: no IO, no clock).

The heuristics, in the order they run (docs/describe-a-database.md explains them to users):

1. **Personal columns** (:mod:`.columns`): by name, then by sampled values. A city, an employer,
   a title or notes count only in a row about a person (a name, an e-mail, a personnummer or a
   street address beside them, or a table named for people).
2. **References**: every single-column foreign key, and, where the database declares none, a
   column named for another table's key (``customer_id`` -> ``customer.id``, ``billing_address_id``
   -> ``address.id``) whose type fits; those are marked as inferred.
3. **Tables**: a table is declared when it holds personal columns, or when it is at most
   ``CHILD_DEPTH`` references from a table about people (an invoice's lines). Views and partitions
   are not declared (requests read the tables; a partitioned table is declared once).
4. **Lookups** (``follow: false``): a reference into a table of staff (``employee``), a shared
   catalogue (store, shipper, supplier, country, product...), a table referred to by two or more
   tables that holds one personal column at most and no identity, or a row of the same table
   (a manager, a parent): requests do not follow it, the rows there are other people's.
5. **Identities**: e-mail, telephone, personnummer, IP and MAC columns, customer-number columns
   (``customer_no``, ``kundnummer``) and the key of a table named for customers
   (``customer_number``) or users and members (``user_id``). An e-mail or
   telephone column whose values repeat across rows (one switchboard number for every customer)
   is not an identity: it would find other people.
6. **Erasure**: a table is deleted row by row unless rows outside the person's data (tables not
   declared, or reached through a lookup) refer to it by a foreign key; then it is anonymised.
   A field is set to NULL where the column allows it; a NOT NULL column gets a value it accepts:
   ``hash`` for unique text (``mask`` when the column is shorter than a hash), ``fixed`` for other
   text, ``generalise`` for dates and numbers, ``keep`` where there is no neutral value.
7. **Anchors**: date columns (and text columns named like dates that hold ISO dates, as SQLite
   keeps them) named for creation, last activity, an end or a transaction become retention
   anchors; the other date columns are offered in a comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from varna.connectors.catalog import TableInfo, TableKind
from varna.discovery.columns import column_words
from varna.discovery.scaffold.columns import (
    IDENTITY_OF_LABEL,
    ColumnGuess,
    beside_person,
    guess_column,
    is_person_table,
)
from varna.discovery.scaffold.model import (
    Draft,
    DraftIdentity,
    DraftReference,
    DraftSubject,
    DraftTable,
    Observed,
)
from varna.discovery.scaffold.names import (
    lookup_by_name,
    named_target,
    stems,
    subject_key,
)
from varna.discovery.scaffold.strategies import anchors as date_anchors
from varna.discovery.scaffold.strategies import field_erasure, is_date

_PERSON_LABELS = frozenset({"person_name", "email", "personnummer", "street_address"})


@dataclass
class _Table:
    info: TableInfo
    primary_key: tuple[str, ...]
    pk_note: str | None = None
    guesses: dict[str, ColumnGuess] = field(default_factory=dict)
    references: list[DraftReference] = field(default_factory=list)
    identities: list[DraftIdentity] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.info.name


def plan_scaffold(
    observed: Observed, *, system: str, env: str, default_url: str | None = None
) -> Draft:
    """A draft register for the system ``observed`` describes (see the module's steps)."""
    left_out: list[tuple[str, str]] = []
    candidates: dict[str, _Table] = {}
    for name, info in sorted(observed.tables.items()):
        reason = _not_declared(info)
        if reason is not None:
            left_out.append((name, reason))
            continue
        key, note = _primary_key(info)
        if not key:
            left_out.append((name, "no primary key or unique index: declare one, then the table"))
            continue
        candidates[name] = _Table(info, key, note)
    for table in candidates.values():
        table.guesses = _guesses(table, observed)
    _link(candidates)
    declared = _declare(candidates)
    lookups = {n: _lookup(candidates[n], candidates, declared) for n in declared}
    for name in declared:
        table = candidates[name]
        table.references = [
            _with_follow(r, name, lookups[r.table]) for r in table.references if r.table in declared
        ]
        table.identities, table.shared = _identities(table, observed)
    for name in sorted(set(candidates) - set(declared)):
        left_out.append((name, "no personal data found, and not about a person whose data is"))
    subjects = _subjects(candidates, declared)
    tables = tuple(
        _draft_table(candidates[n], candidates, declared, subjects[n], observed)
        for n in sorted(declared)
    )
    return Draft(
        system=system,
        kind=observed.kind,
        env=env,
        default_url=default_url,
        subjects=_subject_groups(tables),
        tables=tables,
        left_out=tuple(sorted(left_out)),
    )


def _not_declared(info: TableInfo) -> str | None:
    if info.kind is TableKind.part:
        return f"partition of '{info.parent}': requests and retention use the partitioned table"
    if info.kind is TableKind.view:
        reads = ", ".join(info.reads) or "no table found"
        return f"view (reads {reads}): requests read the tables themselves"
    if info.kind is TableKind.materialized_view:
        reads = ", ".join(info.reads) or "no table found"
        return (
            f"materialised view (reads {reads}): it keeps copies after an erasure until it is "
            "refreshed; refresh it after erasures and retention runs"
        )
    return None


def _primary_key(info: TableInfo) -> tuple[tuple[str, ...], str | None]:
    if info.primary_key:
        return info.primary_key, None
    for index in info.indexes:
        if index.unique and index.columns:
            return index.columns, "no primary key: the unique index is used instead"
    own = f"{subject_key(info.name)}_id"
    for column in info.columns:
        words = column_words(column.name)
        if words in (["id"], own.split("_")):
            return (column.name,), "the system declares no primary key: guessed from the name"
    return (), None


def _guesses(table: _Table, observed: Observed) -> dict[str, ColumnGuess]:
    info = table.info
    links = {c for fk in info.foreign_keys for c in fk.columns}
    out: dict[str, ColumnGuess] = {}
    for column in info.columns:
        if column.name in links or _is_key_like(column.name):
            continue
        values = observed.samples.get((info.name, column.name), ())
        if _names_customer_number(column.name):
            why = "column name: a customer number people quote"
            out[column.name] = ColumnGuess("identity.customer_number", "customer_number", why)
            continue
        guess = guess_column(info.name, column.name, family=column.family, values=values)
        if guess is not None:
            out[column.name] = guess
    about_person = is_person_table(info.name) or any(
        g.label in _PERSON_LABELS for g in out.values()
    )
    if about_person:
        for column in info.columns:
            if column.name in out or column.name in links or column.name in table.primary_key:
                continue
            if _is_key_like(column.name) or is_date(column):
                continue
            extra = beside_person(column.name)
            if extra is not None:
                out[column.name] = extra
    return out


def _is_key_like(column: str) -> bool:
    words = column_words(column)
    return len(words) > 1 and words[-1] == "id"


def _link(tables: Mapping[str, _Table]) -> None:
    """Foreign keys, and references inferred from column names where none is declared."""
    by_stem = stems(list(tables))
    keys = {n: (t.info, t.primary_key) for n, t in tables.items()}
    for table in tables.values():
        info = table.info
        linked: set[str] = set()
        for fk in info.foreign_keys:
            if len(fk.columns) != 1 or fk.referred_table not in tables:
                continue
            column = fk.columns[0]
            table.references.append(
                DraftReference(column, fk.referred_table, fk.referred_columns[0], why="foreign key")
            )
            linked.add(column)
        for candidate in info.columns:
            if candidate.name in linked or candidate.name in table.guesses:
                continue
            if table.primary_key == (candidate.name,):
                continue
            target = named_target(candidate, by_stem, keys, own=info.name)
            if target is not None:
                table.references.append(
                    DraftReference(
                        candidate.name,
                        target[0],
                        target[1],
                        inferred=True,
                        why="inferred from the name: the database declares no foreign key",
                    )
                )
        table.references.sort(key=lambda r: r.column)


CHILD_DEPTH = 2
"""How many references away from a table about people a table without personal columns of its
own is still declared (an invoice's lines: two; stock movements of an order line: not)."""


def _declare(tables: Mapping[str, _Table]) -> list[str]:
    """Tables with personal columns, and tables near one that is about people."""
    declared = {n for n, t in tables.items() if t.guesses}
    distance = {
        n: 0
        for n in declared
        if is_person_table(n)
        or any(g.label in IDENTITY_OF_LABEL for g in tables[n].guesses.values())
    }
    for _ in range(CHILD_DEPTH):
        reached = dict(distance)
        for name, table in sorted(tables.items()):
            for ref in table.references:
                near = distance.get(ref.table)
                if near is None or ref.table == name or lookup_by_name(ref.table) is not None:
                    continue
                reached[name] = min(reached.get(name, near + 1), near + 1)
        distance = reached
    return sorted(declared | set(distance))


def _lookup(table: _Table, tables: Mapping[str, _Table], declared: Iterable[str]) -> str | None:
    """Why references into ``table`` are not followed, or None when they are."""
    by_name = lookup_by_name(table.name)
    if by_name is not None:
        return by_name
    referrers = {
        t.name for t in tables.values() for r in t.references if r.table == table.name
    } & set(declared)
    referrers.discard(table.name)
    identities = any(g.label in IDENTITY_OF_LABEL for g in table.guesses.values())
    if len(referrers) >= 2 and not identities and len(table.guesses) <= 1:
        return (
            f"referred to by {len(referrers)} tables and holding little personal data: "
            "a lookup shared by many rows"
        )
    return None


def _with_follow(ref: DraftReference, source: str, lookup: str | None) -> DraftReference:
    if ref.table == source:
        why = "a row of the same table is another person (a manager, a parent)"
        return DraftReference(ref.column, ref.table, ref.target, False, ref.inferred, why)
    if lookup is not None:
        return DraftReference(ref.column, ref.table, ref.target, False, ref.inferred, lookup)
    return ref


def _identities(table: _Table, observed: Observed) -> tuple[list[DraftIdentity], list[str]]:
    """The table's identity columns, and notes on the columns left out as shared."""
    out: list[DraftIdentity] = []
    notes: list[str] = []
    if len(table.primary_key) == 1:
        kind = _key_identity(table.name)
        if kind is not None:
            out.append(
                DraftIdentity(
                    kind, table.primary_key[0], f"the key of a table named for people ({kind})"
                )
            )
    for column in table.info.columns:
        guess = table.guesses.get(column.name)
        if guess is None or guess.label not in IDENTITY_OF_LABEL:
            continue
        if any(i.column == column.name for i in out):
            continue
        kind = IDENTITY_OF_LABEL[guess.label]
        if "fax" in column_words(column.name):
            continue  # nobody asks for their data by a fax number
        shared = _shared(observed, table.name, column.name) if kind in ("email", "phone") else None
        if shared is not None:
            notes.append(
                f"{column.name}: not an identity ({kind}): {shared}; a value shared by many "
                "rows would find other people"
            )
            continue
        out.append(DraftIdentity(kind, column.name, guess.why))
    return out, notes


def _names_customer_number(column: str) -> bool:
    """``customer_no``, ``CustomerNumber``, ``kundnummer``, ``kundnr``: a number people quote."""
    words = column_words(column)
    joined = "".join(words)
    if joined in ("kundnummer", "kundnr", "customernumber", "customerno"):
        return True
    return (
        len(words) == 2 and words[0] in ("customer", "kund") and words[1] in ("no", "nr", "number")
    )


def _key_identity(table: str) -> str | None:
    words = set(column_words(table))
    if words & {"customer", "customers", "client", "clients", "kund", "kunder"}:
        return "customer_number"
    if words & {"user", "users", "member", "members", "medlem", "medlemmar"}:
        return "user_id"
    if words & {"account", "accounts", "konto"}:
        return "account_id"
    return None


def _shared(observed: Observed, table: str, column: str) -> str | None:
    """Why a column's values are shared by many rows (not an identity), or None."""
    filled = observed.filled.get((table, column))
    distinct = observed.distinct.get(
        (table, column), len(observed.samples.get((table, column), ()))
    )
    if filled is None or filled < 4 or distinct * 2 > filled:
        return None
    return f"{distinct} distinct value(s) in {filled} rows"


def _subjects(tables: Mapping[str, _Table], declared: list[str]) -> dict[str, str]:
    """Each declared table's subject: its own when it is about people, else the nearest one it
    refers to (invoice -> customer), else the first table that refers to it (an address)."""
    owner: dict[str, str] = {}

    def own(name: str) -> bool:
        t = tables[name]
        return (is_person_table(name) and bool(t.guesses)) or any(
            i.kind in ("email", "personnummer", "customer_number", "user_id") for i in t.identities
        )

    for name in declared:
        seen, frontier = {name}, [name]
        while frontier and name not in owner:
            nxt: list[str] = []
            for current in frontier:
                if own(current):
                    owner[name] = current
                    break
                for ref in tables[current].references:
                    if ref.follow and ref.table not in seen:
                        seen.add(ref.table)
                        nxt.append(ref.table)
            frontier = sorted(nxt)
    for name in declared:
        if name in owner:
            continue
        referrers = sorted(
            t for t in declared for r in tables[t].references if r.table == name and r.follow
        )
        owner[name] = next((owner[r] for r in referrers if r in owner), name)
    return {name: subject_key(owner[name]) for name in declared}


def _draft_table(
    table: _Table,
    tables: Mapping[str, _Table],
    declared: list[str],
    subject: str,
    observed: Observed,
) -> DraftTable:
    info = table.info
    keys = set(table.primary_key) | {r.column for r in table.references}
    keys |= {c for fk in info.foreign_keys for c in fk.columns}
    unique = {i.columns[0] for i in info.indexes if i.unique and len(i.columns) == 1}
    fields = tuple(
        field_erasure(column, table.guesses[column.name], unique=column.name in unique)
        for column in info.columns
        if column.name in table.guesses and column.name not in keys
    )
    erasure, why = _table_erasure(table, tables, declared)
    samples = {c.name: observed.samples.get((info.name, c.name), ()) for c in info.columns}
    anchors, others = date_anchors(
        info.name, info.columns, skip=keys | set(table.guesses), samples=samples
    )
    notes = ([table.pk_note] if table.pk_note else []) + table.shared
    notes += [
        f"{', '.join(key.columns)} refers to {key.referred_table}, which is not declared (no "
        "personal data): `register check` lists the key; nothing to do"
        for key in info.foreign_keys
        if key.referred_table not in declared
    ]
    if info.kind is TableKind.partitioned:
        notes.append(f"partitioned table: partitions {', '.join(info.partitions) or 'none yet'}")
    return DraftTable(
        name=table.name,
        primary_key=table.primary_key,
        subject=subject,
        identities=tuple(table.identities),
        references=tuple(table.references),
        anchors=anchors,
        other_dates=others,
        erasure=erasure,
        erasure_why=why,
        fields=fields,
        notes=tuple(notes),
        partitions=info.partitions,
    )


def _table_erasure(
    table: _Table, tables: Mapping[str, _Table], declared: list[str]
) -> tuple[str, str]:
    """Delete rows, unless rows outside the person's data refer to them by a foreign key."""
    blockers: set[str] = set()
    for other in tables.values():
        for fk in other.info.foreign_keys:
            if fk.referred_table != table.name or other.name == table.name:
                continue
            followed = other.name in declared and any(
                r.column in fk.columns and r.table == table.name and r.follow
                for r in other.references
            )
            if not followed:
                blockers.add(other.name)
    if blockers:
        names = ", ".join(sorted(blockers))
        return "anonymise", (
            f"rows of {names} refer to it by a foreign key and are not the person's: "
            "a row they refer to cannot be deleted"
        )
    return "delete_row", "no row outside the person's data refers to it"


def _subject_groups(tables: tuple[DraftTable, ...]) -> tuple[DraftSubject, ...]:
    groups: dict[str, list[DraftTable]] = {}
    for table in tables:
        groups.setdefault(table.subject, []).append(table)
    out = []
    for key in sorted(groups):
        members = groups[key]
        categories = sorted({f.category for t in members for f in t.fields})
        special = any(c.startswith("special.") for c in categories)
        out.append(DraftSubject(key, tuple(t.name for t in members), tuple(categories), special))
    return tuple(out)
