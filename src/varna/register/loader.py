"""Reading a register file: YAML with a line for every key, schema validation, references.

Every problem is reported at once, each as ``file:line key.path: what (how to fix)``.

A register may come from anyone who can open a pull request, so the loader has limits: a file
over ``max_bytes`` (setting ``VARNA_REGISTER_MAX_BYTES``), more than :data:`MAX_ALIASES` alias
uses or :data:`MAX_NODES` values once aliases are expanded (a few hundred bytes of nested aliases
would otherwise grow to gigabytes), an alias inside its own anchor, and integers outside 64 bits
are refused at their line before anything is built.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from varna.errors import Problem, RegisterLoadError
from varna.register.model import Register
from varna.register.references import find_unresolved
from varna.register.types import CATEGORY_PATTERN, ENV_PATTERN, KEY_PATTERN, PERIOD_PATTERN

PathT = tuple[str | int, ...]

#: Default size limit of a register file (bytes); a real register is a few hundred kilobytes.
MAX_BYTES = 4 * 1024 * 1024
#: Alias uses (``*name``) allowed in one file, counting uses inside expanded aliases (PyYAML
#: writes an alias for every repeated list, so a generated register may hold a few hundred).
MAX_ALIASES = 1_000
#: Values allowed in one file once its aliases are expanded.
MAX_NODES = 1_000_000
#: Integers must fit in 64 bits (signed), as every database Varna talks to stores them.
INT_RANGE = (-(2**63), 2**64 - 1)

_PATTERN_HINTS = {
    KEY_PATTERN: "use lower-case letters, digits and underscores, starting with a letter",
    CATEGORY_PATTERN: "write a data category dotted, like 'contact.email'",
    PERIOD_PATTERN: "write a period as a number and a unit, like '24 months' or '7 years'",
    ENV_PATTERN: "name an environment variable in upper case, like 'VARNA_CRM_URL'",
    r"^[A-Z]{2}$": "use an ISO 3166-1 alpha-2 country code in upper case, like 'SE'",
}


def load_register(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Register:
    """Read and validate the register at ``path``; raise :class:`RegisterLoadError` with all
    problems found. A file over ``max_bytes`` is refused unread."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise RegisterLoadError([_too_large(str(file), size, max_bytes)])
        raw = file.read_bytes()
    except FileNotFoundError:
        raise RegisterLoadError(
            [
                Problem(
                    str(file),
                    None,
                    "",
                    "file not found",
                    "pass the register path, or set VARNA_REGISTER",
                )
            ]
        ) from None
    except OSError as exc:
        raise RegisterLoadError(
            [Problem(str(file), None, "", f"cannot be read: {exc.strerror}", "pass a file")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegisterLoadError(
            [Problem(str(file), line, "", "not UTF-8 text", "save the file as UTF-8")]
        ) from None
    return parse_register(text, source=str(file), max_bytes=max_bytes)


def _too_large(source: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        source,
        None,
        "",
        f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
        "split it, or raise VARNA_REGISTER_MAX_BYTES if it really is this large",
        code="register-too-large",
    )


def parse_register(
    text: str, *, source: str = "<register>", max_bytes: int = MAX_BYTES
) -> Register:
    """Validate register YAML ``text``; ``source`` names it in messages."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise RegisterLoadError([_too_large(source, size, max_bytes)])
    lines: dict[PathT, int] = {}
    duplicates: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None and "&" in text:  # no anchor, no alias: _build checks integers
                check_limits(node, source)
            data = _build(loader, node, (), lines, duplicates, source) if node else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RegisterLoadError(
            [
                Problem(
                    source,
                    line,
                    "",
                    f"not valid YAML: {exc.problem or exc.context}",
                    "check indentation, colons and quotes on that line",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (no mark)
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RegisterLoadError(
            [
                Problem(
                    source,
                    line,
                    "",
                    f"not valid YAML: character {char:#06x} is not allowed",
                    "remove control characters; save the file as UTF-8 text",
                )
            ]
        ) from None
    if not isinstance(data, dict) or node is None:
        raise RegisterLoadError(
            [
                Problem(
                    source,
                    1,
                    "",
                    "the register must be a YAML mapping",
                    "start with 'controller:', 'subjects:' and 'activities:'",
                )
            ]
        )
    if duplicates:
        raise RegisterLoadError(duplicates)
    try:
        register = Register.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(err, data, lines, source) for err in exc.errors()]
        problems.sort(key=lambda p: p.line or 0)
        raise RegisterLoadError(_dedupe(problems)) from None
    register._source = source
    register._lines = lines
    problems = [
        Problem(
            source,
            register.line_of(u.path),
            ".".join(map(str, u.path)),
            u.message,
            u.hint,
            code="unresolved-reference",
        )
        for u in find_unresolved(register)
    ]
    problems.sort(key=lambda p: p.line or 0)
    if problems:
        raise RegisterLoadError(problems)
    return register


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader with YAML 1.2 booleans: ``NO`` (Norway) and ``on`` stay strings.

    Dates stay strings too: the models parse them, so ``2026-02-30`` is a problem at its line
    rather than a ``ValueError`` from the YAML constructor.
    """


_IMPLICIT_TAGS_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _IMPLICIT_TAGS_DROPPED]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def check_limits(root: yaml.Node, source: str) -> None:
    """Refuse a node tree whose aliases are recursive, used more than :data:`MAX_ALIASES`
    times or expand to more than :data:`MAX_NODES` values, and integers beyond 64 bits.

    Alias uses are counted as if expanded (an alias of a value that itself holds aliases uses
    them all again). The composed graph is walked once, each node's expanded size and alias
    count computed once, so a bomb is measured without being expanded.
    """
    sizes: dict[int, tuple[int, int]] = {}  # node -> (values, alias uses) once expanded
    open_nodes: set[int] = set()

    def refuse(at: yaml.Node, message: str, hint: str, code: str) -> typing.NoReturn:
        line = at.start_mark.line + 1
        raise RegisterLoadError([Problem(source, line, "", message, hint, code=code)])

    def edges(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
        """(child, the node whose line names it: a mapping's key, a list's item)."""
        if isinstance(node, yaml.MappingNode):
            return [(n, k) for k, v in node.value for n in (k, v)]
        return [(n, n) for n in node.value]

    # Iterative post-order walk over collections (deep nesting must not hit Python's recursion
    # limit); scalars are settled as they are met. Entry: node, where it is named, its edges
    # and which of them are alias uses (None until the children are pushed).
    Entry = tuple[yaml.Node, yaml.Node, list[tuple[yaml.Node, yaml.Node]], list[bool] | None]
    stack: list[Entry] = []
    if isinstance(root, yaml.ScalarNode):
        if root.tag == _INT:
            _check_int(root, source)
    else:
        stack.append((root, root, edges(root), None))
    while stack:
        node, named, links, aliased = stack.pop()
        key = id(node)
        if aliased is not None:
            open_nodes.discard(key)
            values, uses = 1, 0
            for (child, _), alias in zip(links, aliased, strict=True):
                child_values, child_uses = sizes[id(child)]
                values += child_values
                uses += child_uses + alias
            if uses > MAX_ALIASES:
                refuse(
                    named,
                    f"more than {MAX_ALIASES} alias uses (*name), counting the aliases inside "
                    "aliased values",
                    "write the values out; a register needs few aliases",
                    "yaml-alias-limit",
                )
            if values > MAX_NODES:
                refuse(
                    named,
                    f"aliases expand to more than {MAX_NODES:,} values",
                    "write the values out, or use fewer nested aliases",
                    "yaml-alias-limit",
                )
            sizes[key] = (values, uses)
            continue
        open_nodes.add(key)
        flags: list[bool] = []
        pending: list[Entry] = []
        pending_ids: set[int] = set()
        for child, child_named in links:
            ckey = id(child)
            if ckey in sizes or ckey in pending_ids:  # met before: an alias use
                flags.append(True)
                continue
            if ckey in open_nodes:
                refuse(
                    child_named,
                    "an alias refers to its own anchor (a recursive alias)",
                    "remove the alias, or point it at a value defined before it",
                    "yaml-recursive-alias",
                )
            flags.append(False)
            if isinstance(child, yaml.ScalarNode):
                if child.tag == _INT:
                    _check_int(child, source)
                sizes[ckey] = (1, 0)
            else:
                pending_ids.add(ckey)  # an alias to it later in this collection is a use
                pending.append((child, child_named, edges(child), None))
        stack.append((node, named, links, flags))
        stack.extend(reversed(pending))


_INTEGERS = yaml.constructor.SafeConstructor()


def _check_int(node: yaml.ScalarNode, source: str) -> None:
    """An integer scalar must fit in 64 bits; its digits are counted before converting, so a
    5,000-digit number costs nothing."""
    number: int | None = None
    if len(node.value) <= 80:  # 2**64 has 20 digits (64 as 0b...); room for signs and _
        with contextlib.suppress(ValueError):
            number = _INTEGERS.construct_yaml_int(node)
    if number is None or not INT_RANGE[0] <= number <= INT_RANGE[1]:
        raise RegisterLoadError(
            [
                Problem(
                    source,
                    node.start_mark.line + 1,
                    "",
                    "an integer beyond 64 bits",
                    "use a smaller number, or quote it to make it text",
                    code="yaml-integer-too-large",
                )
            ]
        )


_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_NULL, _BOOL = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"


def _build(
    loader: _Loader,
    node: yaml.Node,
    path: PathT,
    lines: dict[PathT, int],
    dups: list[Problem],
    source: str,
) -> Any:
    """Plain data from the node tree in one walk, recording the line of every key and item and
    reporting keys given twice. Plain scalars are read by their resolved tag; anything else
    (explicit tags, merge keys) goes through the safe constructor."""
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value.lower() == "true"
        if tag == _INT:
            _check_int(node, source)
            return loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return loader.construct_yaml_float(node)
        return loader.construct_object(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            check_limits(node, source)  # integers in the merged values
            return loader.construct_object(node, deep=True)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            line = key_node.start_mark.line + 1
            if key in out:
                dups.append(
                    Problem(
                        source,
                        line,
                        ".".join(map(str, child)),
                        f"key '{key}' is given twice",
                        "remove one of them",
                    )
                )
            lines[child] = line
            out[key] = _build(loader, value_node, child, lines, dups, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            items.append(_build(loader, item, child, lines, dups, source))
        return items
    return loader.construct_object(node, deep=True)


def _data_path(loc: Sequence[str | int], data: Any) -> tuple[PathT, bool]:
    """Map a pydantic error location onto the data, dropping union tags; the flag says the
    location ends at a mapping key itself (an invalid key)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if part == "[key]":
            return tuple(path), True
        in_map = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_map or in_list:
            node = node[part]
            path.append(part)
    return tuple(path), False


def _model_at(path: PathT, data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path`` (for suggesting keys)."""
    annotation: Any = Register
    node = data
    for part in path:
        annotation = _unwrap(annotation, node)
        if annotation is None:
            return None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
        if isinstance(node, dict):
            node = node.get(str(part))
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    annotation = _unwrap(annotation, node)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _unwrap(annotation: Any, node: Any) -> Any:
    """Choose the model member of an Optional or discriminated union for ``node``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], node)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if isinstance(node, dict) and "rule" in node:
            for m in models:
                tag = m.model_fields.get("rule")
                if tag is not None and node["rule"] in typing.get_args(tag.annotation):
                    return m
        if len(models) == 1:
            return models[0]
        return _unwrap(members[0], node) if len(members) == 1 else None
    return annotation


def _problem(err: ErrorDetails, data: Any, lines: dict[PathT, int], source: str) -> Problem:
    loc = err["loc"]
    path, at_key = _data_path(loc, data)
    kind = err["type"]
    hint: str | None = None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = path[:-1] if path and path[-1] == key else path
        model = _model_at(parent, data)
        allowed = sorted(model.model_fields) if model else []
        path = (*parent, key)
        message = f"unknown key '{key}'"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif allowed:
            hint = "allowed keys: " + ", ".join(allowed)
    elif kind == "missing":
        path = (*path, str(loc[-1])) if loc and loc[-1] not in path else path
        message = f"required key '{loc[-1]}' is missing"
        hint = "add it"
    elif at_key:
        message = f"invalid key: {err['msg'][0].lower()}{err['msg'][1:]}"
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
    pattern = (err.get("ctx") or {}).get("pattern")
    if pattern in _PATTERN_HINTS:
        message = message.split(" '^")[0].replace("string should match pattern", "wrong format")
        hint = _PATTERN_HINTS[pattern]
    line = _line(path, lines)
    return Problem(source, line, ".".join(map(str, path)), message, hint)


def _line(path: PathT, lines: dict[PathT, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if tuple(path[:end]) in lines:
            return lines[tuple(path[:end])]
    return None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out
