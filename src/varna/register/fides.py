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
- nested fields (document databases) are flattened: one field per leaf, named by its path
  (``a.b.c``); a field without categories takes its enclosing field's, collection's or dataset's;
- ``user.*`` data categories map to Varna categories through the taxonomy (the register's own
  categories first, then the built-in ones and their aliases; a category without its own mapping
  takes its nearest parent's); one with no Varna category up its hierarchy becomes an *imported
  category* (``fides.sensor``) declared under ``taxonomy.categories`` with a ``todo``;
  ``system.*`` fields are not personal data and are left out;
- an identity Varna has no kind for becomes a custom kind under ``taxonomy.identity_kinds``, weak
  (it never leads on nor erases alone) with a ``todo`` until a person decides its strength;
- descriptions and data types become YAML comments; ``data_uses`` and ``data_subjects`` are
  warnings (the register says them with activities and subjects);
- ``masking_strategy_override`` sets the field's erasure (``null_rewrite`` -> null,
  ``string_rewrite`` -> a fixed value with its format-preservation suffix, cut to ``length``,
  ``hash``/``hmac`` -> hash, ``random_string_rewrite`` -> mask); without one a field is nulled,
  as Fides' default erasure policy does. Rows are anonymised, never deleted (Fides updates rows).

Problems are reported all at once as ``file:line key.path: what (how to fix)``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from fideslang.models import Dataset, DatasetCollection, DatasetField
from pydantic import ValidationError

from varna.errors import Problem, RegisterLoadError
from varna.register.loader import (
    MAX_BYTES,
    PathT,
    _build,
    _Loader,
    _too_large,
    check_limits,
    parse_register,
)
from varna.register.model import Register
from varna.register.taxonomy import (
    BUILTIN_CATEGORIES,
    BUILTIN_IDENTITY_KINDS,
    FIDESLANG_ALIASES,
)

IDENTITY_ALIASES = {"phone_number": "phone"}
"""Fides identity names whose Varna identity kind is spelled differently."""

IMPORTED_PREFIX = "fides"
"""Imported categories are keyed ``fides.<the fideslang key without 'user.'>``."""

_HASHING = frozenset({"hash", "hmac"})

#: Dataset, collection and field declarations the register says otherwise (activities, subjects).
_NOT_IMPORTED = ("data_uses", "data_purposes", "data_subjects")


@dataclass(slots=True)
class FileSummary:
    """What the import made of one dataset file (for the import table in the docs)."""

    file: str
    datasets: int = 0
    collections: int = 0
    fields: int = 0
    """Personal fields declared, nested ones counted by their flattened path."""
    nested: int = 0
    """Of those, fields inside another field (``a.b.c``)."""
    categories: list[str] = field(default_factory=list)
    """Categories imported from fideslang because no Varna category covers them."""
    identity_kinds: list[str] = field(default_factory=list)
    """Custom identity kinds declared (weak until a person decides)."""

    @property
    def todos(self) -> int:
        return len(self.categories) + len(self.identity_kinds)


@dataclass(slots=True)
class FidesImport:
    """Register systems made from Fides datasets, the taxonomy they need, and what could not be
    carried over."""

    systems: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Imported categories (``taxonomy.categories``), each with a ``todo``."""
    identity_kinds: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Custom identity kinds (``taxonomy.identity_kinds``), weak, each with a ``todo``."""
    activities: list[str] = field(default_factory=list)
    """Activities the imported tables serve: a merge adds the tables' categories to them."""
    comments: dict[PathT, str] = field(default_factory=dict)
    """Descriptions and data types the register has no place for, written as YAML comments
    above their key (path from ``systems``)."""
    notes: list[Problem] = field(default_factory=list)
    """Warnings: parts of the datasets Varna does not import, each at its file and line."""
    files: list[FileSummary] = field(default_factory=list)

    def taxonomy(self) -> dict[str, Any]:
        """The ``taxonomy:`` additions the systems need (empty when none)."""
        out: dict[str, Any] = {}
        if self.categories:
            out["categories"] = self.categories
        if self.identity_kinds:
            out["identity_kinds"] = self.identity_kinds
        return out

    def used_categories(self) -> list[str]:
        """Every category of an imported field, in file order, each once."""
        seen: dict[str, None] = {}
        for system in self.systems.values():
            for table in system["tables"].values():
                for spec in table.get("fields", {}).values():
                    seen[spec if isinstance(spec, str) else spec["category"]] = None
        return list(seen)

    def as_yaml(self) -> str:
        """The systems as a ``systems:`` fragment of a register, after the ``taxonomy:`` they
        need (when they need one)."""
        head = ""
        if self.taxonomy():
            head = _dump({"taxonomy": self.taxonomy()})
        return head + _systems_yaml(self)


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


@dataclass(frozen=True, slots=True)
class _Foreign:
    src: _Source
    path: PathT
    dataset: str


@dataclass(slots=True)
class _Vocabulary:
    """Categories and identity kinds known so far: the register's, the built-in ones and those
    this import declared."""

    index: dict[str, str]
    kinds: set[str]
    out: FidesImport
    imported: dict[str, str] = field(default_factory=dict)
    """fideslang key -> imported category key."""
    foreign: dict[tuple[str, str, str], _Foreign] = field(default_factory=dict)
    """References into other datasets: (system, table, column) -> where they were read."""

    def category(self, fideslang: str, summary: FileSummary) -> str:
        found = map_category(fideslang, self.index)
        if found is not None:
            return found
        if fideslang in self.imported:
            return self.imported[fideslang]
        key = imported_category_key(fideslang)
        while key in self.out.categories or key in self.index.values():
            key += "_"
        name = fideslang_label(fideslang)
        self.imported[fideslang] = key
        self.out.categories[key] = {
            "label": {"sv": name, "en": name},
            "fideslang": fideslang,
            "todo": f"imported from fideslang {fideslang}, which no Varna category covers: "
            "give it a Swedish label, or move its fields to a Varna category and remove it",
        }
        summary.categories.append(key)
        return key

    def identity_kind(self, name: str, summary: FileSummary) -> str:
        kind = IDENTITY_ALIASES.get(name, name)
        if kind in self.kinds:
            return kind
        kind = re.sub(r"[^a-z0-9_]", "_", kind.lower())
        kind = kind if kind[:1].isalpha() else f"id_{kind}"
        if kind not in self.kinds:
            self.kinds.add(kind)
            label = kind.replace("_", " ").capitalize()
            # weak until a person decides: a kind of unknown strength never leads to other
            # rows and never erases alone, so it cannot reach another person's data
            self.out.identity_kinds[kind] = {
                "label": {"sv": label, "en": label},
                "strength": "weak",
                "todo": f"custom identity kind {name} from fideslang, weak until decided: "
                "set its strength (unique, shareable or weak) and a Swedish label",
            }
            summary.identity_kinds.append(kind)
        return kind


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
    out = FidesImport(activities=list(activities))
    problems: list[Problem] = []
    kinds = set(register.identity_kinds()) if register else set(BUILTIN_IDENTITY_KINDS)
    vocabulary = _Vocabulary(category_index(register), kinds, out)
    for path in paths:
        src = _Source(str(path), {}, problems, out.notes)
        summary = FileSummary(str(path))
        out.files.append(summary)
        for index, dataset, raw in _read(Path(path), src):
            summary.datasets += 1
            base: PathT = ("dataset", index)
            key = system_key(dataset.fides_key)
            if key in out.systems or (register is not None and key in register.systems):
                src.error(
                    (*base, "fides_key"),
                    f"system '{key}' is already defined",
                    "give the dataset another fides_key, or remove the system from the register",
                )
                continue
            _not_imported(dataset, base, src)
            system: dict[str, Any] = {
                # a proper name reads the same in both languages; descriptions are English
                # free text, which a register in Swedish cannot carry untranslated: they
                # become comments
                "name": {"sv": dataset.name or dataset.fides_key, "en": dataset.name or key},
                "kind": kind,
                "connection": {"env": f"VARNA_{key.upper()}_URL"},
                "country": country,
            }
            _comment(out, ("systems", key), dataset.description)
            # fideslang sorts collections and fields by name: report and write in file order
            where = _positions(raw.get("collections"))
            tables: dict[str, Any] = {}
            for c in sorted(dataset.collections, key=lambda c: where[c.name]):
                at: PathT = (*base, "collections", where[c.name])
                _not_imported(c, at, src)
                _comment(out, ("systems", key, "tables", c.name), c.description)
                context = _Context(dataset, src, vocabulary, summary, out, ("systems", key), c.name)
                tables[c.name] = _table(c, at, context, raw)
                summary.collections += 1
            system["tables"] = tables
            for table in tables.values():
                if subjects:
                    table["subjects"] = list(subjects)
                if activities:
                    table["activities"] = list(activities)
            out.systems[key] = system
    # a fragment (no register) is pasted where the other systems may be; a merge is checked now
    known = set(out.systems) | set(register.systems) if register is not None else set()
    for (sname, tname, cname), origin in vocabulary.foreign.items() if register else ():
        refs = out.systems[sname]["tables"][tname]["references"]
        if refs[cname]["system"] not in known:
            del refs[cname]
            if not refs:
                del out.systems[sname]["tables"][tname]["references"]
            origin.src.note(
                origin.path,
                f"refers to dataset '{origin.dataset}', which is neither imported nor in the "
                "register: the reference is left out",
                "import that dataset in the same run, or add its system to the register first",
            )
    if problems:
        raise RegisterLoadError(problems, what="fideslang dataset")
    return out


def system_key(fides_key: str) -> str:
    """A register system key from a fides_key (lower case, underscores for other characters)."""
    key = re.sub(r"[^a-z0-9_]", "_", fides_key.lower())
    return key if key[:1].isalpha() else f"ds_{key}"


def imported_category_key(fideslang: str) -> str:
    """The register key of a category imported from fideslang: ``user.sensor`` ->
    ``fides.sensor``, ``user`` -> ``fides.user``."""
    parts = fideslang.lower().split(".")
    rest = parts[1:] if parts[0] == "user" and len(parts) > 1 else parts
    clean = [re.sub(r"[^a-z0-9_]", "_", p) or "_" for p in rest]
    return ".".join([IMPORTED_PREFIX, *clean])


def fideslang_label(fideslang: str) -> str:
    """The name fideslang's default taxonomy gives a category (``Sensor Data``), or the key."""
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    for category in DEFAULT_TAXONOMY.data_category:
        if category.fides_key == fideslang and category.name:
            return str(category.name)
    return fideslang


def category_index(register: Register | None) -> dict[str, str]:
    """fideslang category -> Varna category: the register's own first, then the built-in ones
    (the first built-in category that maps to a fideslang key wins), then the aliases for
    fideslang categories filed under another parent (:data:`FIDESLANG_ALIASES`)."""
    index: dict[str, str] = {}
    if register is not None:
        for key, definition in register.taxonomy.categories.items():
            index.setdefault(definition.fideslang, key)
    for key, builtin in BUILTIN_CATEGORIES.items():
        index.setdefault(builtin.fideslang, key)
    for fideslang, key in FIDESLANG_ALIASES.items():
        index.setdefault(fideslang, key)
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


def _comment(out: FidesImport, path: PathT, *parts: str | None) -> None:
    text = " ".join(" ".join(p.split()) for p in parts if p and p.strip())
    if text:
        out.comments[path] = text


def _not_imported(
    item: Dataset | DatasetCollection | DatasetField, at: PathT, src: _Source
) -> None:
    for name in _NOT_IMPORTED:
        if name == "data_purposes" and item.data_purposes == item.data_uses:
            continue  # fideslang copies data_uses into data_purposes
        if getattr(item, name, None):
            src.note(
                (*at, name),
                f"{name} is not imported: the register states purposes and whose data it is "
                "with activities and subjects",
                "name them with --activity and --subject",
            )


def _read(path: Path, src: _Source) -> Iterable[tuple[int, Dataset, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        src.error((), f"cannot be read: {type(exc).__name__}", "pass a UTF-8 fideslang YAML file")
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:  # the same limits as a register file (a dataset is as untrusted)
        src.problems.append(_too_large(src.file, size, MAX_BYTES))
        return
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None and "&" in text:
                check_limits(node, src.file)
            dups: list[Problem] = []
            data = _build(loader, node, (), src.lines, dups, src.file) if node else None
        finally:
            loader.dispose()
    except RegisterLoadError as exc:  # an alias bomb or an integer beyond 64 bits
        src.problems.extend(exc.problems)
        return
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


@dataclass(frozen=True, slots=True)
class _Context:
    dataset: Dataset
    src: _Source
    vocabulary: _Vocabulary
    summary: FileSummary
    out: FidesImport
    system: PathT
    table: str


@dataclass(frozen=True, slots=True)
class _Node:
    """A field of a collection, nested ones named by their path (``a.b.c``)."""

    name: str
    field: DatasetField
    path: PathT
    categories: list[str]
    """Its own data categories, or the nearest enclosing field's, collection's or dataset's."""
    depth: int

    @property
    def leaf(self) -> bool:
        return not self.field.fields


def _walk(
    fields: Sequence[DatasetField], raw: Any, base: PathT, prefix: str, inherited: list[str]
) -> Iterator[_Node]:
    """Every field in file order, each field's subfields right after it."""
    where = _positions(raw)
    raw_list = raw if isinstance(raw, list) else []
    for f in sorted(fields, key=lambda f: where.get(f.name, 0)):
        i = where.get(f.name, 0)
        path: PathT = (*base, "fields", i)
        own = list(f.data_categories or inherited)
        node = _Node(f"{prefix}{f.name}", f, path, own, prefix.count("."))
        yield node
        if f.fields:
            sub = raw_list[i].get("fields") if i < len(raw_list) else None
            yield from _walk(f.fields, sub, path, f"{node.name}.", own)


def _table(
    collection: DatasetCollection, base: PathT, ctx: _Context, raw: dict[str, Any]
) -> dict[str, Any]:
    raw_collection = raw["collections"][base[-1]]
    inherited = list(collection.data_categories or ctx.dataset.data_categories or [])
    nodes = list(_walk(collection.fields, raw_collection.get("fields"), base, "", inherited))
    keys = [n.name for n in nodes if n.field.fides_meta and n.field.fides_meta.primary_key]
    keyless = not keys
    if keyless:
        keys = [n.name for n in nodes if n.leaf]
        ctx.src.note(
            base,
            "no primary key: keyed by all its fields; erasure keeps its rows, as Fides does",
            "mark the key fields with fides_meta: {primary_key: true}",
        )
    table: dict[str, Any] = {"primary_key": keys}
    identities: dict[str, list[str]] = {}
    references: dict[str, dict[str, Any]] = {}
    fields: dict[str, Any] = {}
    tpath = (*ctx.system, "tables", collection.name)
    for node in nodes:
        m = node.field.fides_meta
        if node.depth:
            _not_imported(node.field, node.path, ctx.src)
        if m is not None and m.identity:
            kind = ctx.vocabulary.identity_kind(m.identity, ctx.summary)
            identities.setdefault(kind, []).append(node.name)
        if m is not None and m.references:
            _reference(node, ctx.dataset, references, (*node.path, "fides_meta", "references"), ctx)
        if not node.leaf:
            continue
        spec = _field(node, ctx)
        if spec is None:
            continue
        if keyless or node.name in keys:
            spec["erasure"] = "keep"  # Fides never masks a primary key, nor a keyless row
        fields[node.name] = spec
        ctx.summary.fields += 1
        ctx.summary.nested += 1 if node.depth else 0
        data_type = m.data_type if m is not None else None
        typed = f"data_type: {data_type}" if data_type else None
        _comment(ctx.out, (*tpath, "fields", node.name), node.field.description, typed)
    if identities:
        table["identities"] = {k: v[0] if len(v) == 1 else v for k, v in identities.items()}
    if references:
        table["references"] = references
    table["erasure"] = "anonymise"
    if fields:
        table["fields"] = {k: _compact(v) for k, v in fields.items()}
    return table


def _reference(
    node: _Node,
    dataset: Dataset,
    references: dict[str, dict[str, Any]],
    path: PathT,
    ctx: _Context,
) -> None:
    meta = node.field.fides_meta
    assert meta is not None
    assert meta.references
    for n, ref in enumerate(meta.references):
        table, _, column = ref.field.partition(".")
        if not column:
            ctx.src.note((*path, n, "field"), "a reference names no field: not imported")
            continue
        if node.name in references:
            ctx.src.note((*path, n), "only the first reference of a field is imported")
            continue
        target: dict[str, Any] = {"table": table, "column": column}
        if ref.dataset != dataset.fides_key:
            target = {"system": system_key(ref.dataset), **target}
            where = (str(ctx.system[1]), ctx.table, node.name)
            ctx.vocabulary.foreign[where] = _Foreign(ctx.src, (*path, n), ref.dataset)
        if ref.direction is not None:
            target["direction"] = str(getattr(ref.direction, "value", ref.direction))
        references[node.name] = target


def _field(node: _Node, ctx: _Context) -> dict[str, Any] | None:
    personal = [c for c in node.categories if c == "user" or c.startswith("user.")]
    if not personal:
        return None
    category = ctx.vocabulary.category(personal[0], ctx.summary)
    spec: dict[str, Any] = {"category": category, "erasure": "null"}
    meta = node.field.fides_meta
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
        ctx.src.note(
            (*node.path, "fides_meta", "masking_strategy_override", "strategy"),
            f"masking strategy '{strategy}' has no Varna counterpart: the field is nulled",
        )
    return spec


def _compact(spec: dict[str, Any]) -> Any:
    return spec["category"] if spec == {"category": spec["category"], "erasure": "null"} else spec


# -- writing ------------------------------------------------------------------------------------

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[^\s#:-][^#]*?):(?:\s+(?P<rest>.*))?$")


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _systems_yaml(imported: FidesImport) -> str:
    """``systems:`` and the imported systems, each description and data type as a comment
    above its key."""
    lines: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in _dump({"systems": imported.systems}).splitlines():
        match = _KEY_LINE.match(line)
        if match is not None:
            indent = len(match["indent"])
            while stack and stack[-1][0] >= indent:
                stack.pop()
            try:
                key = str(yaml.safe_load(match["key"]))
            except yaml.YAMLError:
                key = match["key"]
            stack.append((indent, key))
            comment = imported.comments.get(tuple(k for _, k in stack))
            if comment:
                width = max(40, 100 - indent - 2)
                lines += [f"{' ' * indent}# {part}" for part in textwrap.wrap(comment, width)]
        lines.append(line)
    return "\n".join(lines) + "\n"


def merge_systems(register_text: str, imported: FidesImport, *, source: str) -> str:
    """``register_text`` with the imported systems added under ``systems:``, the categories
    and identity kinds they need under ``taxonomy:``, and their categories added to the
    activities they serve; comments kept. The result is validated as a register (raises
    :class:`RegisterLoadError`)."""
    lines = register_text.splitlines()
    block = _systems_yaml(imported).splitlines()[1:]
    _insert(lines, ["systems"], [line[2:] for line in block], source)
    for part, entries in imported.taxonomy().items():
        _insert(lines, ["taxonomy", part], _dump(entries).splitlines(), source)
    text = "\n".join(lines) + "\n"
    register = parse_register(text, source=source)
    used = imported.used_categories()
    for activity in imported.activities:
        if activity not in register.activities:
            continue  # the loader has reported it
        have = set(register.activities[activity].categories)
        missing = [c for c in used if c not in have]
        if missing:
            _extend_list(lines, ["activities", activity, "categories"], missing, source)
    text = "\n".join(lines) + "\n"
    parse_register(text, source=source)
    return text


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    """Whether the line holds YAML (not blank, not only a comment)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _find(lines: list[str], key: str, lo: int, hi: int, indent: int) -> tuple[int, int] | None:
    """The line of ``key:`` at ``indent`` in ``lines[lo:hi]`` and the end of its block (blank
    and comment lines at its end left out)."""
    for i in range(lo, hi):
        match = _KEY_LINE.match(lines[i])
        if match is None or len(match["indent"]) != indent:
            continue
        if match["key"].strip("'\"") != key:
            continue
        end = i + 1
        while end < hi and (not _content(lines[end]) or _indent(lines[end]) > indent):
            end += 1
        while end > i + 1 and not _content(lines[end - 1]):
            end -= 1
        return i, end
    return None


def _inline(lines: list[str], at: int) -> str:
    match = _KEY_LINE.match(lines[at])
    rest = (match["rest"] or "") if match is not None else ""
    return "" if rest.startswith("#") else rest.strip()


def _inline_error(source: str, path: list[str]) -> RegisterLoadError:
    dotted = ".".join(path)
    return RegisterLoadError(
        [
            Problem(
                source,
                None,
                dotted,
                f"{dotted} is written inline",
                f"write '{path[-1]}:' as a block, one entry per indented line",
            )
        ]
    )


def _child_indent(lines: list[str], start: int, end: int, parent: int) -> int:
    for line in lines[start + 1 : end]:
        if _content(line):
            return _indent(line)
    return parent + 2


def _insert(lines: list[str], path: list[str], entries: list[str], source: str) -> None:
    """Add ``entries`` (YAML lines, unindented) at the end of the block mapping at ``path``,
    creating the keys that are missing."""
    lo, hi, indent, step = 0, len(lines), 0, 2
    for depth, key in enumerate(path):
        found = _find(lines, key, lo, hi, indent)
        if found is None:
            new = [f"{' ' * (indent + step * n)}{k}:" for n, k in enumerate(path[depth:])]
            child = indent + step * (len(path) - depth)
            while hi > lo and not _content(lines[hi - 1]):
                hi -= 1
            if depth == 0:  # a new top-level key goes before the systems, with the vocabulary
                found = _find(lines, "systems", 0, len(lines), 0)
                hi = found[0] if found is not None else hi
                while found is not None and hi > 0 and lines[hi - 1].startswith("#"):
                    hi -= 1
            lines[hi:hi] = [*new, *(f"{' ' * child}{e}" if e else e for e in entries)]
            return
        start, end = found
        inline = _inline(lines, start)
        if inline == "{}":
            lines[start] = f"{' ' * indent}{key}:"
        elif inline:
            raise _inline_error(source, path[: depth + 1])
        lo, hi, parent = start + 1, end, indent
        indent = _child_indent(lines, start, end, indent)
        step = indent - parent  # new keys below are indented as the file indents this one
    lines[hi:hi] = [f"{' ' * indent}{e}" if e else e for e in entries]


def _extend_list(lines: list[str], path: list[str], items: list[str], source: str) -> None:
    """Add ``items`` to the list at ``path`` (a block list, or a flow list on one or more
    lines, rewritten as a flow list)."""
    lo, hi, indent = 0, len(lines), 0
    found: tuple[int, int] | None = None
    for key in path:
        found = _find(lines, key, lo, hi, indent)
        if found is None:
            raise _inline_error(source, path)
        lo, hi = found[0] + 1, found[1]
        indent = _child_indent(lines, found[0], found[1], indent)
    assert found is not None
    start, end = found
    key_indent = _indent(lines[start])
    inline = _inline(lines, start)
    if not inline:
        item_indent = _child_indent(lines, start, end, key_indent)
        lines[end:end] = [f"{' ' * item_indent}- {item}" for item in items]
        return
    try:
        current = yaml.safe_load("\n".join([inline, *(x.strip() for x in lines[start + 1 : end])]))
    except yaml.YAMLError:
        current = None
    if not isinstance(current, list):
        raise _inline_error(source, path)
    flow = yaml.safe_dump([*current, *items], default_flow_style=True, width=70).splitlines()
    head = f"{' ' * key_indent}{path[-1]}: {flow[0]}"
    lines[start:end] = [head, *(f"{' ' * (key_indent + 2)}{line.strip()}" for line in flow[1:])]
