"""Connector kinds: the register's ``kind`` key -> the class that speaks to such a system.

Built-in kinds register through the same door as plugins: a plugin is a callable taking the
:class:`ConnectorRegistry`, published under the entry-point group ``varna.connectors``::

    [project.entry-points."varna.connectors"]
    mongodb = "varna_mongodb:register"      # def register(registry): registry.add("mongodb", ...)

Varna's own ``pyproject.toml`` publishes :func:`register_builtins` the same way (entry point
``builtin``). :func:`default_registry` runs every entry point of the group, the built-in one
first. Only when Varna runs from a source tree without its installed metadata (no ``builtin``
entry point at all) does it call :func:`register_builtins` directly.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from varna.connectors.base import Connector
from varna.connectors.files import FilesConnector
from varna.connectors.mailbox import build as _mailbox
from varna.connectors.memory import MemoryConnector
from varna.connectors.sql import SQLConnector
from varna.connectors.urls import resolve_url
from varna.errors import ConnectorError
from varna.register.model import Register

ENTRY_POINT_GROUP = "varna.connectors"


class ConnectorFactory(Protocol):
    """Builds a connector from a resolved URL, the system's key and the register's folder."""

    def __call__(self, url: str, *, name: str, base_dir: Path) -> Connector: ...


class ConnectorRegistry:
    """Kind -> factory. ``add`` refuses to replace a kind unless asked to."""

    def __init__(self) -> None:
        self._factories: dict[str, ConnectorFactory] = {}

    def add(self, kind: str, factory: ConnectorFactory, *, replace: bool = False) -> None:
        if kind in self._factories and not replace:
            raise ConnectorError(f"connector kind '{kind}' is already registered")
        self._factories[kind] = factory

    def kinds(self) -> list[str]:
        return sorted(self._factories)

    def factory(self, kind: str) -> ConnectorFactory:
        try:
            return self._factories[kind]
        except KeyError:
            close = difflib.get_close_matches(kind, self._factories, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "install a connector plugin"
            raise ConnectorError(
                f"no connector for kind '{kind}' (known: {', '.join(self.kinds())}; {hint})"
            ) from None


def _sql(url: str, *, name: str, base_dir: Path) -> Connector:
    return SQLConnector(url, name=name)


def _folder(url: str, base_dir: Path) -> Path:
    """``csv:///abs/dir`` is absolute; ``csv://rel/dir`` or ``rel/dir`` is under ``base_dir``."""
    _, sep, rest = url.partition("://")
    path = Path(rest if sep else url)
    return path if path.is_absolute() else (base_dir / path).resolve()


def folder_of(url: str, base_dir: Path) -> Path:
    """The folder a ``csv``, ``jsonl`` or ``folder`` system's URL names."""
    return _folder(url, base_dir)


def _files(fmt: str) -> ConnectorFactory:
    def build(url: str, *, name: str, base_dir: Path) -> Connector:
        folder = _folder(url, base_dir)
        return FilesConnector(folder, fmt="csv" if fmt == "csv" else "jsonl", name=name)

    return build


def _memory(url: str, *, name: str, base_dir: Path) -> Connector:
    return MemoryConnector(name=name)


def register_builtins(registry: ConnectorRegistry) -> None:
    """The built-in kinds: SQL databases, CSV and JSON-lines folders, mailboxes (Maildir, mbox,
    IMAP), the in-memory fake."""
    for kind in ("sqlite", "postgresql", "mysql", "mariadb"):
        registry.add(kind, _sql)
    registry.add("csv", _files("csv"))
    registry.add("jsonl", _files("jsonl"))
    # a shared folder of documents and spreadsheets: discovery reads every file; as a
    # connector it has the folder's CSV files as tables
    registry.add("folder", _files("csv"))
    registry.add("mailbox", _mailbox)
    registry.add("memory", _memory)


def build_registry(
    plugins: Iterable[Callable[[ConnectorRegistry], None]], *, builtins: bool = True
) -> ConnectorRegistry:
    """A registry with the built-ins (unless ``builtins`` is false) and each plugin added."""
    registry = ConnectorRegistry()
    for plugin in (register_builtins, *plugins) if builtins else plugins:
        plugin(registry)
    return registry


@cache
def default_registry() -> ConnectorRegistry:
    """Every connector kind installed under ``varna.connectors``, the built-ins included."""
    found = sorted(
        entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.name != "builtin", ep.name)
    )
    has_builtins = any(ep.value == f"{__name__}:register_builtins" for ep in found)
    return build_registry((ep.load() for ep in found), builtins=not has_builtins)


def open_connectors(
    register: Register,
    *,
    base_dir: Path,
    environ: Mapping[str, str],
    systems: Iterable[str] | None = None,
    registry: ConnectorRegistry | None = None,
) -> dict[str, Connector]:
    """A connector per system of the register (or per key in ``systems``), by system key."""
    registry = registry or default_registry()
    out: dict[str, Connector] = {}
    try:
        for key in systems if systems is not None else register.systems:
            system = register.systems[key]
            url = resolve_url(key, system, base_dir=base_dir, environ=environ)
            out[key] = registry.factory(system.kind)(url, name=key, base_dir=base_dir)
    except BaseException:
        for connector in out.values():
            connector.close()
        raise
    return out


class ConnectorPool(Mapping[str, Connector]):
    """The register's connectors, each opened on first use and kept until :meth:`close`.

    Safe to share between threads (opening is locked; connectors keep no transaction on a
    shared object). A system whose URL is missing fails only when it is used.
    """

    def __init__(
        self,
        register: Register,
        *,
        base_dir: Path,
        environ: Mapping[str, str],
        registry: ConnectorRegistry | None = None,
    ) -> None:
        self._register = register
        self._base_dir = base_dir
        self._environ = environ
        self._registry = registry
        self._open: dict[str, Connector] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ConnectorPool(open={sorted(self._open)!r})"

    def __getitem__(self, system: str) -> Connector:
        if system not in self._register.systems:
            raise KeyError(system)
        with self._lock:
            if system not in self._open:
                self._open.update(
                    open_connectors(
                        self._register,
                        base_dir=self._base_dir,
                        environ=self._environ,
                        systems=[system],
                        registry=self._registry,
                    )
                )
            return self._open[system]

    def __iter__(self) -> Iterator[str]:
        return iter(self._register.systems)

    def __len__(self) -> int:
        return len(self._register.systems)

    def close(self) -> None:
        with self._lock:
            for connector in self._open.values():
                connector.close()
            self._open.clear()


@contextmanager
def connected(
    register: Register, *, base_dir: Path, environ: Mapping[str, str]
) -> Iterator[dict[str, Connector]]:
    """``open_connectors`` for every system, closed when the block ends."""
    connectors = open_connectors(register, base_dir=base_dir, environ=environ)
    try:
        yield connectors
    finally:
        for connector in connectors.values():
            connector.close()
