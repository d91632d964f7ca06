"""Detector kinds: a stable label-like key -> the detector class.

Built-in detectors register through the same door as plugins: a plugin is a callable taking the
:class:`DetectorRegistry`, published under the entry-point group ``varna.detectors``::

    [project.entry-points."varna.detectors"]
    norway = "varna_no:register"      # def register(registry): registry.add(FodselsnummerDetector)

Varna's own ``pyproject.toml`` publishes :func:`register_builtins` under that group, so
:func:`default_registry` finds the built-ins and every installed plugin the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from varna.discovery.detectors import BUILTIN_DETECTORS
from varna.discovery.models import Detector
from varna.errors import DiscoveryError

ENTRY_POINT_GROUP = "varna.detectors"


class DetectorRegistry:
    """Detector classes by name; ``add`` refuses a second class of the same name."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Detector]] = {}

    def add(self, detector: type[Detector], *, replace: bool = False) -> None:
        name = detector.__name__
        if name in self._classes and not replace:
            raise DiscoveryError(f"detector '{name}' is already registered")
        self._classes[name] = detector

    def names(self) -> list[str]:
        return sorted(self._classes)

    def labels(self) -> list[str]:
        return sorted({d.label for d in self._classes.values()})

    def build(self, *, labels: frozenset[str] | None = None) -> list[Detector]:
        """One instance of each registered detector (of ``labels`` only, when given)."""
        chosen = [d() for d in self._classes.values() if labels is None or d.label in labels]
        if labels is not None:
            unknown = labels - {d.label for d in chosen}
            if unknown:
                raise DiscoveryError(
                    f"no detector for label(s) {', '.join(sorted(unknown))} "
                    f"(known: {', '.join(self.labels())})"
                )
        return chosen


def register_builtins(registry: DetectorRegistry) -> None:
    """The entry point of Varna's own detectors."""
    for detector in BUILTIN_DETECTORS:
        registry.add(detector)


def default_registry() -> DetectorRegistry:
    """Every detector published under ``varna.detectors`` (the built-ins included).

    When Varna itself is not installed as a distribution (a source checkout on ``sys.path``),
    the built-ins are registered directly so the door never comes up empty.
    """
    registry = DetectorRegistry()
    plugins: list[Callable[[DetectorRegistry], None]] = [
        ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)
    ]
    if register_builtins not in plugins:
        plugins.insert(0, register_builtins)
    for plugin in plugins:
        plugin(registry)
    return registry
