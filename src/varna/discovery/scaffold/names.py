"""Names that tell what a table or column is: register keys from table names, tables of staff
and shared lookups, and the table a key column is named for (``billing_address_id`` ->
``address``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from varna.connectors.catalog import Column, TableInfo
from varna.discovery.columns import column_words

STAFF_WORDS = frozenset(
    {"employee", "employees", "staff", "personnel", "anstalld", "anstallda", "agent", "agents"}
    | {"salesperson", "handlaggare", "rep", "reps"}
)
SHARED_WORDS = frozenset(
    {"store", "stores", "shop", "shops", "warehouse", "warehouses", "country", "countries"}
    | {"region", "regions", "territory", "territories", "state", "states", "city", "cities"}
    | {"shipper", "shippers", "carrier", "carriers", "supplier", "suppliers", "vendor"}
    | {"vendors", "category", "categories", "product", "products", "currency", "language"}
    | {"status", "type", "types", "privilege", "privileges", "branch", "office", "offices"}
)
_NUMERIC = frozenset({"integer", "number"})
IRREGULAR = {"people": "person", "children": "child", "staff": "staff_member"}


def subject_key(table: str) -> str:
    """A register key for the people of ``table``: ``Customers`` -> ``customer``."""
    words = column_words(_ascii(table)) or ["table"]
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    key = re.sub(r"[^a-z0-9_]", "", "_".join([*words[:-1], last]))[:48]
    return key if key[:1].isalpha() else f"t_{key}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def lookup_by_name(name: str) -> str | None:
    """Why a table's name makes it a lookup not to follow (staff, a shared catalogue), or None."""
    words = set(column_words(name))
    if words & STAFF_WORDS:
        return "staff: the rows are other people (Art. 15(4)), not the person's own data"
    if words & SHARED_WORDS:
        return "a lookup shared by many rows (a store, shipper, country, product...)"
    return None


def stems(names: list[str]) -> dict[str, str]:
    """Each table by the words a key column may use for it: ``Customers``, ``customer``."""
    out: dict[str, str] = {}
    for name in sorted(names):
        singular = subject_key(name)
        for stem in ("_".join(column_words(name)), singular, IRREGULAR.get(singular, singular)):
            out.setdefault(stem, name)
    return out


def named_target(
    column: Column,
    by_stem: Mapping[str, str],
    keys: Mapping[str, tuple[TableInfo, tuple[str, ...]]],
    *,
    own: str,
) -> tuple[str, str] | None:
    """The (table, key column) that ``column`` is named for, when its type fits, or None."""
    words = column_words(column.name)
    if len(words) < 2 or words[-1] != "id":
        return None
    stem = words[:-1]
    for start in range(len(stem)):
        name = by_stem.get("_".join(stem[start:]))
        if name is None or name == own:
            continue
        info, key = keys[name]
        target = info.column(key[0]) if len(key) == 1 else None
        if target is not None and compatible(column.family, target.family):
            return name, target.name
    return None


def compatible(a: str, b: str) -> bool:
    """Whether columns of type families ``a`` and ``b`` can be joined."""
    return a == b or {a, b} <= _NUMERIC
