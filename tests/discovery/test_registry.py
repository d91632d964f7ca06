"""The detector door: built-ins arrive through the ``varna.detectors`` entry point."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from varna.discovery.detectors import BUILTIN_DETECTORS
from varna.discovery.models import Detector, Pattern
from varna.discovery.registry import ENTRY_POINT_GROUP, DetectorRegistry, default_registry
from varna.errors import DiscoveryError

TEXT_LABELS = [
    "personnummer",
    "organisationsnummer",
    "email",
    "phone",
    "iban",
    "bankgiro",
    "plusgiro",
    "card",
    "ipv4",
    "ipv6",
    "postal_code",
    "person_name",
]


def test_builtins_are_published_under_the_entry_point_group() -> None:
    names = {ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert "varna.discovery.registry:register_builtins" in names


def test_default_registry_has_every_builtin_and_the_twelve_labels() -> None:
    registry = default_registry()
    assert registry.names() == sorted(d.__name__ for d in BUILTIN_DETECTORS)
    assert set(TEXT_LABELS) <= set(registry.labels())


@pytest.mark.parametrize("detector", BUILTIN_DETECTORS, ids=lambda d: d.__name__)
def test_every_builtin_documents_its_accuracy_limits(detector: type[Detector]) -> None:
    assert "Accuracy limits" in (detector.__doc__ or "")
    assert detector.patterns


class _Custom(Detector):
    """A plugin's detector. Accuracy limits: none, it is a test."""

    label = "customer_number"
    patterns = (Pattern("kundnr", r"K-[0-9]{6}", 0.9),)


@pytest.mark.parametrize(
    ("labels", "error"),
    [
        (frozenset({"customer_number"}), None),
        (frozenset({"email"}), None),
        (frozenset({"no_such_label"}), "no detector for label"),
    ],
    ids=["plugin-label", "builtin-label", "unknown-label"],
)
def test_build_by_label(labels: frozenset[str], error: str | None) -> None:
    registry = default_registry()
    registry.add(_Custom)
    if error:
        with pytest.raises(DiscoveryError, match=error):
            registry.build(labels=labels)
    else:
        assert {d.label for d in registry.build(labels=labels)} == labels


def test_a_name_registers_once() -> None:
    registry = DetectorRegistry()
    registry.add(_Custom)
    with pytest.raises(DiscoveryError, match="already registered"):
        registry.add(_Custom)
    registry.add(_Custom, replace=True)
