"""The built-in detectors, one small class each, grouped in modules by kind of data."""

from __future__ import annotations

from varna.discovery.detectors.contact import (
    EmailDetector,
    PhoneDetector,
    PostalCodeDetector,
    StreetAddressDetector,
)
from varna.discovery.detectors.finance import (
    BankgiroDetector,
    CardDetector,
    IbanDetector,
    PlusgiroDetector,
)
from varna.discovery.detectors.identity import (
    OrganisationsnummerDetector,
    PersonnummerDetector,
    SamordningsnummerDetector,
)
from varna.discovery.detectors.names import PersonNameDetector
from varna.discovery.detectors.network import Ipv4Detector, Ipv6Detector, MacAddressDetector
from varna.discovery.detectors.personal import DateOfBirthDetector, VehicleRegistrationDetector
from varna.discovery.detectors.special import (
    EthnicOriginDetector,
    HealthDetector,
    ReligionDetector,
    TradeUnionDetector,
)
from varna.discovery.models import Detector

BUILTIN_DETECTORS: tuple[type[Detector], ...] = (
    PersonnummerDetector,
    SamordningsnummerDetector,
    OrganisationsnummerDetector,
    BankgiroDetector,
    PlusgiroDetector,
    IbanDetector,
    CardDetector,
    PhoneDetector,
    EmailDetector,
    Ipv4Detector,
    Ipv6Detector,
    MacAddressDetector,
    PostalCodeDetector,
    StreetAddressDetector,
    PersonNameDetector,
    VehicleRegistrationDetector,
    DateOfBirthDetector,
    HealthDetector,
    TradeUnionDetector,
    ReligionDetector,
    EthnicOriginDetector,
)

__all__ = ["BUILTIN_DETECTORS", *(d.__name__ for d in BUILTIN_DETECTORS)]
