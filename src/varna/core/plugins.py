"""Extension points, read from installed distributions' entry points (``importlib.metadata``).

Built-in connectors, check rules and renderers come through the same three groups as a
third-party plugin's, declared in Varna's own ``pyproject.toml``:

=====================  ==================================================================
``varna.connectors``   ``register(registry)``: adds connector kinds to a ``ConnectorRegistry``
``varna.checks``       ``rules()``: returns {rule name: check function} for ``register check``
``varna.renderers``    ``writers()``: returns {format: function Document -> bytes}
=====================  ==================================================================

A plugin declares, in its own ``pyproject.toml``::

    [project.entry-points."varna.checks"]
    acme = "acme_varna.checks:rules"

Entry points load in name order; a later one may not silently replace an earlier one's rule or
format (the connector registry refuses a kind twice; here a repeated name is an error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from varna.errors import PluginError

CHECKS = "varna.checks"
RENDERERS = "varna.renderers"
Writer = Callable[[Any], bytes]


def group(name: str) -> list[EntryPoint]:
    """The entry points of ``name``, sorted by name (built-ins are called ``builtin``)."""
    return sorted(entry_points(group=name), key=lambda ep: (ep.name != "builtin", ep.name))


def _load(ep: EntryPoint, what: str) -> Mapping[str, Any]:
    try:
        found = ep.load()()
    except Exception as exc:
        raise PluginError(
            f"entry point '{ep.name}' of group '{ep.group}' ({ep.value}) failed to load "
            f"({type(exc).__name__}); uninstall or fix the plugin"
        ) from exc
    if not isinstance(found, Mapping):
        raise PluginError(
            f"entry point '{ep.name}' of group '{ep.group}' must return a mapping of {what}"
        )
    return found


def _merged(name: str, what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ep in group(name):
        for key, value in _load(ep, what).items():
            if key in out and out[key] is not value:
                raise PluginError(
                    f"entry point '{ep.name}' of group '{name}' repeats the {what[:-1]} '{key}'"
                )
            out[key] = value
    return out


def check_rules() -> dict[str, Any]:
    """Every check rule: rule name -> function(Context) -> findings."""
    return _merged(CHECKS, "rules")


def writers() -> dict[str, Writer]:
    """Every document format: format key -> function(Document) -> bytes."""
    return _merged(RENDERERS, "formats")


def builtin_writers() -> dict[str, Writer]:
    """The built-in document formats (the ``builtin`` entry point of ``varna.renderers``)."""
    from varna.render.writers import to_html, to_markdown, to_pdf, to_typst

    def text(write: Callable[[Any], str]) -> Writer:
        return lambda doc: write(doc).encode("utf-8")

    return {"html": text(to_html), "md": text(to_markdown), "typ": text(to_typst), "pdf": to_pdf}
