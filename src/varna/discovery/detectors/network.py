"""Network identifiers: IPv4 and IPv6 addresses, MAC addresses (RFC 791, RFC 4291/5952, IEEE 802).

An IP address is personal data when it can be linked to a person (CJEU C-582/14 Breyer).
"""

from __future__ import annotations

import ipaddress

from varna.discovery.models import Detector, Pattern


def _dotted_continues(text: str, start: int, end: int) -> bool:
    """A dotted number that goes on (``1.2.3.4.5``) or comes after ``v``/``version``."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "." and after[1].isdigit()) or (
        len(before) == 2 and before[1] == "." and before[0].isdigit()
    )


class Ipv4Detector(Detector):
    """IPv4 addresses in dotted-quad form, each octet 0-255 without leading zeros.

    Accuracy limits: a four-part version string (``10.2.0.1``) is indistinguishable and is
    reported unless ``version``/``v`` comes just before; longer dotted numbers are not.
    """

    label = "ipv4"
    patterns = (Pattern("dotted quad", r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", 0.8),)
    context = ("ip", "ip-adress", "ip address", "client", "src", "from", "host", "remote")
    negative_context = ("version", "ver", "v.", "build", "release", "firmware")
    context_boost = 0.15

    def validate(self, value: str) -> float | None:
        parts = value.split(".")
        if any((len(p) > 1 and p.startswith("0")) or int(p) > 255 for p in parts):
            return None
        return -1.0

    def glued(self, text: str, start: int, end: int) -> bool:
        return super().glued(text, start, end) or _dotted_continues(text, start, end)


class Ipv6Detector(Detector):
    """IPv6 addresses, full or ``::``-compressed, optionally with an embedded IPv4 tail.

    Accuracy limits: zone identifiers (``%eth0``) are not part of the span; a hex timestamp
    such as ``12:34:56`` is not an address (``ipaddress`` must accept it, with at least two
    colons and a hex letter or ``::``).
    """

    label = "ipv6"
    patterns = (
        Pattern("full", r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}", 0.9),
        Pattern(
            "compressed",
            r"(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?",
            0.85,
        ),
    )
    context = ("ip", "ipv6", "address", "adress", "client", "src", "from")

    def validate(self, value: str) -> float | None:
        if value.count(":") < 2 or len(value) < 6:
            return None
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            return None
        return -1.0


class MacAddressDetector(Detector):
    """MAC addresses (EUI-48) as six hex pairs separated by ``:`` or ``-``, or Cisco's dotted form.

    Accuracy limits: an all-zero or broadcast address is not reported (it names no device).
    """

    label = "mac_address"
    patterns = (
        Pattern("colon or dash", r"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}", 0.85),
        Pattern("dotted", r"[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}", 0.6),
    )
    context = ("mac", "mac-adress", "mac address", "hwaddr", "ether")

    def validate(self, value: str) -> float | None:
        hexdigits = "".join(c for c in value if c not in ":-.").lower()
        if hexdigits in ("000000000000", "ffffffffffff"):
            return None
        return -1.0
