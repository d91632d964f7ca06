"""Fides datasets (fideslang) imported as register systems.

A fideslang dataset describes one database: collections (tables) of fields (columns), each with
fideslang data categories and ``fides_meta`` (identity, primary key, references with a direction,
data type and length, a masking strategy). :func:`load_fides_datasets` reads dataset files,
validates them with fideslang's own pydantic ``Dataset`` model and returns one register system
per dataset, as plain data ready to be written as YAML:

- a collection becomes a table; ``primary_key`` fields its primary key (a collection without one
  is keyed by all its fields and erasure keeps its rows, as Fides skips it);
- ``identity`` becomes ``identities`` (several columns of one kind become a list);
- ``references`` become ``references`` ("this column refers to that column") with their
  ``direction``: ``to`` is followed only from this row to the row it refers to, ``from`` only
  from that row to the rows referring to it. A row reached because a row of the person refers
  to it (an address) is part of the answer but leads nowhere and is not erased: other people's
  rows may refer to it too (Art. 15(4));
- ``user.*`` data categories map to Varna categories through the taxonomy (the register's own
  categories first, then the built-in ones; a category without its own mapping takes its nearest
  parent's); ``system.*`` fields are not personal data and are left out;
- ``masking_strategy_override`` sets the field's erasure (``null_rewrite`` -> null,
  ``string_rewrite`` -> a fixed value with its format-preservation suffix, cut to ``length``,
  ``hash``/``hmac`` -> hash, ``random_string_rewrite`` -> mask); without one a field is nulled,
  as Fides' default erasure policy does. Rows are anonymised, never deleted (Fides updates rows).

Problems are reported all at once as ``file:line key.path: what (how to fix)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from fideslang.models import Dataset, DatasetCollection, DatasetField
from pydantic import ValidationError

from varna.errors import Problem, RegisterLoadError
from varna.register.loader import PathT, _build, _Loader, parse_register
from varna.register.model import Register
from varna.register.taxonomy import BUILTIN_CATEGORIES, BUILTIN_IDENTITY_KINDS

IDENTITY_ALIASES = {"phone_number": "phone"}
"""Fides identity names whose Varna identity kind is spelled differently."""

_HASHING = frozenset({"hash", "hmac"})


@dataclass(slots=True)
class FidesImport:
    """Register systems made from Fides datasets, and what could not be carried over."""

    systems: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    """Warnings: parts of the datasets Varna does not import, each at its file and line."""

    def as_yaml(self) -> str:
        """The systems as a ``systems:`` fragment of a register."""
        return yaml.safe_dump({"systems": self.systems}, sort_keys=False, allow_unicode=True)


@dataclass(slots=True)
class _Source:
    file: str
    lines: dict[PathT, int]
    problems: list[Problem]
    notes: list[Problem]

    def at(self, path: PathT, message: str, hint: str | None = None) -> Problem:
        line = None
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                line = self.lines[path[:end]]
                break
        return Problem(self.file, line, ".".join(map(str, path)), message, hint, "fides-import")

    def error(self, path: PathT, message: str, hint: str | None = None) -> None:
        self.problems.append(self.at(path, message, hint))

    def note(self, path: PathT, message: str, hint: str | None = None) -> None:
        self.notes.append(self.at(path, message, hint))


def load_fides_datasets(
    paths: Sequence[str | Path],
    *,
    register: Register | None = None,
    kind: str = "postgresql",
    country: str = "SE",
    subjects: Sequence[str] = (),
    activities: Sequence[str] = (),
) -> FidesImport:
    """Read fideslang dataset files into register systems; raise :class:`RegisterLoadError`
    with every problem found. ``register`` supplies extra categories and identity kinds;
    ``subjects`` and ``activities`` are set on every imported table (Art. 30(1)(b), (c))."""
    out = FidesImport()
    problems: list[Problem] = []
    categories = category_index(register)
    kinds = set(register.identity_kinds()) if register else set(BUILTIN_IDENTITY_KINDS)
    for path in paths:
        src = _Source(str(path), {}, problems, out.notes)
        for index, dataset, raw in _read(Path(path), src):
            base: PathT = ("dataset", index)
            key = system_key(dataset.fides_key)
            if key in out.systems or (register is not None and key in register.systems):
                src.error(
                    (*base, "fides_key"),
                    f"system '{key}' is already defined",
                    "give the dataset another fides_key, or remove the system from the register",
                )
                continue
            system: dict[str, Any] = {
                # a proper name reads the same in both languages; descriptions are English
                # free text, which a register in Swedish cannot carry untranslated
                "name": {"sv": dataset.name or dataset.fides_key, "en": dataset.name or key},
                "kind": kind,
                "connection": {"env": f"VARNA_{key.upper()}_URL"},
                "country": country,
            }
            # fideslang sorts collections and fields by name: report and write in file order
            where = _positions(raw.get("collections"))
            system["tables"] = {
                c.name: _table(
                    c, dataset, (*base, "collections", where[c.name]), src, categories, kinds, raw
                )
                for c in sorted(dataset.collections, key=lambda c: where[c.name])
            }
            for table in system["tables"].values():
                if subjects:
                    table["subjects"] = list(subjects)
                if activities:
                    table["activities"] = list(activities)
            out.systems[key] = system
    if problems:
        raise RegisterLoadError(problems, what="fideslang dataset")
    return out


def system_key(fides_key: str) -> str:
    """A register system key from a fides_key (lower case, underscores for other characters)."""
    key = re.sub(r"[^a-z0-9_]", "_", fides_key.lower())
    return key if key[:1].isalpha() else f"ds_{key}"


def category_index(register: Register | None) -> dict[str, str]:
    """fideslang category -> Varna category: the register's own first, then the built-in ones
    (the first built-in category that maps to a fideslang key wins)."""
    index: dict[str, str] = {}
    if register is not None:
        for key, definition in register.taxonomy.categories.items():
            index.setdefault(definition.fideslang, key)
    for key, builtin in BUILTIN_CATEGORIES.items():
        index.setdefault(builtin.fideslang, key)
    return index


def map_category(fideslang: str, index: dict[str, str]) -> str | None:
    """The Varna category for a fideslang key, or its nearest parent's; None when none maps."""
    parts = fideslang.split(".")
    for end in range(len(parts), 1, -1):
        found = index.get(".".join(parts[:end]))
        if found is not None:
            return found
    return index.get(fideslang)


def _positions(items: Any) -> dict[str, int]:
    """name -> index of the item in the file's list."""
    if not isinstance(items, list):
        return {}
    return {str(item.get("name")): i for i, item in enumerate(items) if isinstance(item, dict)}


def _read(path: Path, src: _Source) -> Iterable[tuple[int, Dataset, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        src.error((), f"cannot be read: {type(exc).__name__}", "pass a UTF-8 fideslang YAML file")
        return
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            dups: list[Problem] = []
            data = _build(loader, node, (), src.lines, dups, src.file) if node else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        src.problems.append(
            Problem(src.file, line, "", "not valid YAML", "check indentation and quotes")
        )
        return
    src.problems.extend(dups)
    datasets = data.get("dataset") if isinstance(data, dict) else None
    if not isinstance(datasets, list):
        src.error((), "not a fideslang dataset file", "start the file with 'dataset:' and a list")
        return
    for index, raw in enumerate(datasets):
        try:
            yield index, Dataset.model_validate(raw), raw
        except ValidationError as exc:
            for err in exc.errors():
                src.error(("dataset", index, *err["loc"]), err["msg"], "see the fideslang docs")


def _table(
    collection: DatasetCollection,
    dataset: Dataset,
    base: PathT,
    src: _Source,
    categories: dict[str, str],
    kinds: set[str],
    raw: dict[str, Any],
) -> dict[str, Any]:
    raw_collection = raw["collections"][base[-1]]
    where = _positions(raw_collection.get("fields"))
    ordered = sorted(collection.fields, key=lambda f: where[f.name])
    meta = [(where[f.name], f, f.fides_meta) for f in ordered]
    keys = [f.name for _, f, m in meta if m is not None and m.primary_key]
    keyless = not keys
    if keyless:
        keys = [f.name for f in ordered]
        src.note(
            base,
            "no primary key: keyed by all its fields; erasure keeps its rows, as Fides does",
            "mark the key fields with fides_meta: {primary_key: true}",
        )
    table: dict[str, Any] = {"primary_key": keys}
    identities: dict[str, list[str]] = {}
    references: dict[str, dict[str, Any]] = {}
    fields: dict[str, Any] = {}
    for i, f, m in meta:
        path: PathT = (*base, "fields", i)
        if f.fields:
            src.note(path, "nested fields are not imported", "describe the column as a whole")
        if m is not None and m.identity:
            _identity(m.identity, f.name, identities, (*path, "fides_meta", "identity"), src, kinds)
        if m is not None and m.references:
            _reference(f, dataset, references, (*path, "fides_meta", "references"), src)
        spec = _field(f, collection, dataset, path, src, categories)
        if spec is None:
            continue
        if keyless or f.name in keys:
            spec["erasure"] = "keep"  # Fides never masks a primary key, nor a keyless row
        fields[f.name] = spec
    if identities:
        table["identities"] = {k: v[0] if len(v) == 1 else v for k, v in identities.items()}
    if references:
        table["references"] = references
    table["erasure"] = "anonymise"
    if fields:
        table["fields"] = {k: _compact(v) for k, v in fields.items()}
    return table


def _identity(
    name: str,
    column: str,
    identities: dict[str, list[str]],
    path: PathT,
    src: _Source,
    kinds: set[str],
) -> None:
    kind = IDENTITY_ALIASES.get(name, name)
    if kind not in kinds:
        src.error(path, f"unknown identity kind '{name}'", "add it under taxonomy.identity_kinds")
        return
    identities.setdefault(kind, []).append(column)


def _reference(
    f: DatasetField,
    dataset: Dataset,
    references: dict[str, dict[str, Any]],
    path: PathT,
    src: _Source,
) -> None:
    assert f.fides_meta is not None
    assert f.fides_meta.references
    for n, ref in enumerate(f.fides_meta.references):
        table, _, column = ref.field.partition(".")
        if not column or "." in column:
            src.note((*path, n, "field"), "a reference into a nested field is not imported")
            continue
        if f.name in references:
            src.note((*path, n), "only the first reference of a field is imported")
            continue
        target: dict[str, Any] = {"table": table, "column": column}
        if ref.dataset != dataset.fides_key:
            target = {"system": system_key(ref.dataset), **target}
        if ref.direction is not None:
            target["direction"] = str(getattr(ref.direction, "value", ref.direction))
        references[f.name] = target


def _field(
    f: DatasetField,
    collection: DatasetCollection,
    dataset: Dataset,
    path: PathT,
    src: _Source,
    categories: dict[str, str],
) -> dict[str, Any] | None:
    own = f.data_categories or collection.data_categories or dataset.data_categories or []
    personal = [c for c in own if c == "user" or c.startswith("user.")]
    if not personal:
        return None
    fideslang = personal[0]
    category = map_category(fideslang, categories)
    if category is None:
        src.error(
            (*path, "data_categories", own.index(fideslang)),
            f"fideslang category '{fideslang}' has no Varna category",
            f"add a category with fideslang: '{fideslang}' under taxonomy.categories of the "
            "register given with --register",
        )
        return None
    spec: dict[str, Any] = {"category": category, "erasure": "null"}
    meta = f.fides_meta
    override = meta.masking_strategy_override if meta is not None else None
    if override is None:
        return spec
    strategy = str(
        override.strategy.value if hasattr(override.strategy, "value") else override.strategy
    )
    config: dict[str, Any] = dict(getattr(override, "configuration", None) or {})
    if strategy == "string_rewrite":
        suffix = (config.get("format_preservation") or {}).get("suffix") or ""
        value = f"{config.get('rewrite_value', '')}{suffix}"
        if meta is not None and meta.length:
            value = value[: meta.length]
        spec.update(erasure="fixed", value=value)
    elif strategy in _HASHING:
        spec["erasure"] = "hash"
    elif strategy == "random_string_rewrite":
        spec["erasure"] = "mask"
    elif strategy != "null_rewrite":
        src.note(
            (*path, "fides_meta", "masking_strategy_override", "strategy"),
            f"masking strategy '{strategy}' has no Varna counterpart: the field is nulled",
        )
    return spec


def _compact(spec: dict[str, Any]) -> Any:
    return spec["category"] if spec == {"category": spec["category"], "erasure": "null"} else spec


def merge_systems(register_text: str, imported: FidesImport, *, source: str) -> str:
    """``register_text`` with the imported systems added under ``systems:``, comments kept;
    the result is validated as a register (raises :class:`RegisterLoadError`)."""
    block = yaml.safe_dump(imported.systems, sort_keys=False, allow_unicode=True)
    entries = [f"  {line}" if line else line for line in block.splitlines()]
    lines = register_text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^systems:\s*(#.*)?$", line)), None
    )
    if start is None:
        if any(re.match(r"^systems:", line) for line in lines):
            raise RegisterLoadError(
                [
                    Problem(
                        source,
                        None,
                        "systems",
                        "systems are written inline",
                        "write 'systems:' as a block mapping, one system per indented key",
                    )
                ]
            )
        merged = [*lines, "systems:", *entries]
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if re.match(r"^[^\s#]", lines[i])), len(lines)
        )
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        merged = [*lines[:end], *entries, *lines[end:]]
    text = "\n".join(merged) + "\n"
    parse_register(text, source=source)
    return text
