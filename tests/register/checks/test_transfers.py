"""Recipient rules: third-country transfers need a valid mechanism, processors a biträdesavtal.

Transfer rows carry the date the check is made for: Privacy Shield was valid until 16 July 2020
(CJEU C-311/18), so the same register passes in 2019 and fails on 22 November 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
A = "activities.customer_contract"
ON = date(2026, 11, 22)


def recipient(country: str | None = None, mechanism: str | None = None, **extra: object) -> dict:
    """Overrides adding the recipient ``cloud`` (a processor with a signed DPA) to the activity."""
    rec: dict[str, object] = {
        "name": {"sv": "Molnleverantören"},
        "kind": "processor",
        "purpose": {"sv": "Drift av tjänsten"},
        "dpa": {"signed": date(2025, 3, 1)},
    }
    if country is not None:
        rec["country"] = country
    if mechanism is not None:
        rec["transfer"] = {"mechanism": mechanism}
    rec.update(extra)
    return {"recipients": {"cloud": rec}, f"{A}.recipients": ["cloud"]}


def stored_in(country: str, host: dict | None = None) -> dict:
    """Overrides moving the CRM to ``country``, hosted by the recipient in ``host`` if given."""
    out: dict[str, object] = {"systems.crm.country": country}
    if host is not None:
        out |= host | {"systems.crm.hosted_by": "cloud"}
    return out


def processor(**fields: object) -> dict:
    """Overrides adding the processor ``mailer`` with exactly ``fields`` besides its name."""
    rec = {"name": {"sv": "Utskicksföretaget"}, "kind": "processor"}
    rec["purpose"] = {"sv": "Utskick av nyhetsbrev"}
    return {"recipients": {"mailer": rec | fields}}


SIGNED = {"signed": "2025-03-01"}
TRANSFER = "third-country-transfer"
DPA = "processor-agreement"
WHERE = "recipient-location"
NAMED = "invalid-mechanism-named"

POSITIVE = [
    pytest.param(
        recipient("US", "privacy_shield"),
        ON,
        (TRANSFER, E, "C-311/18", "recipients.cloud.transfer"),
        id="transfer:privacy-shield-after-schrems-ii",
    ),
    pytest.param(
        recipient("US", "safe_harbor"),
        ON,
        (TRANSFER, E, "C-362/14", "recipients.cloud.transfer"),
        id="transfer:safe-harbor",
    ),
    pytest.param(
        recipient("US"),
        ON,
        (TRANSFER, E, "GDPR Art. 44", "recipients.cloud.country"),
        id="transfer:us-without-mechanism",
    ),
    pytest.param(
        recipient("US", "adequacy"),
        ON,
        (TRANSFER, E, "GDPR Art. 45", "recipients.cloud.transfer"),
        id="transfer:us-adequacy-is-only-dpf",
    ),
    pytest.param(
        recipient("IN"),
        ON,
        (TRANSFER, E, "GDPR Art. 44 and 46(1)", "recipients.cloud.country"),
        id="transfer:india-without-safeguard",
    ),
    pytest.param(
        recipient("GB", "dpf"),
        ON,
        (TRANSFER, E, "2023/1795", "recipients.cloud.transfer"),
        id="transfer:dpf-outside-the-us",
    ),
    pytest.param(
        recipient("US", "dpf"),
        date(2023, 7, 9),
        (TRANSFER, E, "2023/1795", "recipients.cloud.transfer"),
        id="transfer:dpf-before-its-decision",
    ),
    pytest.param(
        stored_in("US"),
        ON,
        (TRANSFER, E, "GDPR Art. 44, Art. 46", "systems.crm.country"),
        id="transfer:system-in-us-not-hosted",
    ),
    pytest.param(
        stored_in("US", recipient("US")),
        ON,
        (TRANSFER, E, "Art. 46", "systems.crm.country"),
        id="transfer:system-host-without-mechanism",
    ),
    pytest.param(
        processor(country="SE"),
        ON,
        (DPA, E, "GDPR Art. 28(3)", "recipients.mailer"),
        id="processor-agreement:no-dpa",
    ),
    pytest.param(
        {
            **processor(
                country="SE",
                dpa={**SIGNED, "sub_processors_authorised": False},
                sub_processors=["hosting"],
            ),
            "recipients.hosting": {
                "name": {"sv": "Driftbolaget"},
                "kind": "processor",
                "purpose": {"sv": "Hosting"},
                "country": "SE",
                "dpa": SIGNED,
            },
        },
        ON,
        (DPA, W, "Art. 28(2)", "recipients.mailer.sub_processors"),
        id="processor-agreement:sub-processors-not-authorised",
    ),
    pytest.param(
        processor(country="SE", dpa={"reference": "Pärm 3"}),
        ON,
        (DPA, W, "Art. 28(9)", "recipients.mailer.dpa"),
        id="processor-agreement:dpa-without-date",
    ),
    pytest.param(
        processor(dpa=SIGNED),
        ON,
        (WHERE, W, "Art. 13(1)(f)", "recipients.mailer"),
        id="recipient-location:no-country-is-not-established",
    ),
    pytest.param(
        processor(dpa=SIGNED, location="unknown"),
        ON,
        (WHERE, W, "Art. 30(1)(e)", "recipients.mailer"),
        id="recipient-location:unknown",
    ),
    pytest.param(
        recipient(location="may_transfer"),
        ON,
        (TRANSFER, E, "Art. 46(1)", "recipients.cloud.location"),
        id="transfer:may-transfer-without-safeguard",
    ),
    pytest.param(
        recipient(
            location="may_transfer",
            safeguard_promised={"sv": "Vi ser till att skyddet är jämförbart med det inom EU/EES."},
        ),
        ON,
        (TRANSFER, E, "Art. 13(1)(f)", "recipients.cloud.location"),
        id="transfer:may-transfer-with-only-a-promise",
    ),
    pytest.param(
        recipient(location="may_transfer", transfer={"mechanism": "privacy_shield"}),
        ON,
        (TRANSFER, E, "C-311/18", "recipients.cloud.transfer"),
        id="transfer:may-transfer-under-privacy-shield",
    ),
    pytest.param(
        recipient(
            "US", "scc", transfer={"mechanism": "scc", "reference": "Privacy Shield-certifierad"}
        ),
        ON,
        (NAMED, E, "C-311/18", "recipients.cloud.transfer.reference.sv"),
        id="invalid-mechanism-named:privacy-shield-in-the-reference",
    ),
    pytest.param(
        {f"{A}.purpose": {"sv": "Vi använder bara leverantörer anslutna till privacy shield."}},
        ON,
        (NAMED, E, "Art. 13(1)(f)", f"{A}.purpose.sv"),
        id="invalid-mechanism-named:privacy-shield-in-a-purpose",
    ),
    pytest.param(
        recipient("US", "dpf", purpose={"sv": "Drift, enligt Safe Harbour-principerna"}),
        ON,
        (NAMED, E, "C-362/14", "recipients.cloud.purpose.sv"),
        id="invalid-mechanism-named:safe-harbour",
    ),
]

NEGATIVE = [
    pytest.param(recipient("US", "dpf"), ON, TRANSFER, id="transfer:dpf"),
    pytest.param(
        recipient(
            "US",
            "privacy_shield",
            transfer={"mechanism": "privacy_shield", "reference": "Privacy Shield"},
        ),
        ON,
        NAMED,
        id="invalid-mechanism-named:already-reported-as-the-mechanism",
    ),
    pytest.param(
        recipient(
            "US", "dpf", transfer={"mechanism": "dpf", "reference": "Data Privacy Framework"}
        ),
        ON,
        NAMED,
        id="invalid-mechanism-named:the-data-privacy-framework",
    ),
    pytest.param(
        recipient("US", "privacy_shield"),
        date(2019, 6, 1),
        TRANSFER,
        id="transfer:privacy-shield-before-schrems-ii",
    ),
    pytest.param(recipient("IN", "scc"), ON, TRANSFER, id="transfer:scc-non-adequate-country"),
    pytest.param(recipient("CN", "bcr"), ON, TRANSFER, id="transfer:bcr"),
    pytest.param(recipient("SE"), ON, TRANSFER, id="transfer:sweden"),
    pytest.param(recipient("IE"), ON, TRANSFER, id="transfer:eu-needs-none"),
    pytest.param(recipient("NO"), ON, TRANSFER, id="transfer:eea-norway-needs-none"),
    pytest.param(recipient("JP"), ON, TRANSFER, id="transfer:adequacy-japan"),
    pytest.param(recipient("GB", "adequacy"), ON, TRANSFER, id="transfer:adequacy-declared"),
    pytest.param(recipient(), ON, TRANSFER, id="transfer:no-country-is-not-assessed"),
    pytest.param(
        recipient(location="may_transfer", transfer={"mechanism": "scc"}),
        ON,
        TRANSFER,
        id="transfer:may-transfer-under-scc",
    ),
    pytest.param(recipient("SE"), ON, WHERE, id="recipient-location:country"),
    pytest.param(recipient(location="within_eea"), ON, WHERE, id="recipient-location:within-eea"),
    pytest.param(
        recipient(location="may_transfer", transfer={"mechanism": "scc"}),
        ON,
        WHERE,
        id="recipient-location:may-transfer-is-stated",
    ),
    pytest.param(
        {**processor(), "recipients.mailer.kind": "authority"},
        ON,
        WHERE,
        id="recipient-location:authorities-on-request",
    ),
    pytest.param(stored_in("US", recipient("US", "dpf")), ON, TRANSFER, id="transfer:host-dpf"),
    pytest.param(stored_in("CH"), ON, TRANSFER, id="transfer:system-in-adequate-country"),
    pytest.param(stored_in("DE"), ON, TRANSFER, id="transfer:system-in-eu"),
    pytest.param(processor(country="SE", dpa=SIGNED), ON, DPA, id="processor-agreement:signed"),
    pytest.param(
        {**processor(country="SE"), "recipients.mailer.kind": "third_party"},
        ON,
        DPA,
        id="processor-agreement:third-party-needs-none",
    ),
    pytest.param(
        processor(dpa=SIGNED, categorical=True),
        ON,
        DPA,
        id="processor-agreement:categorical-without-country",
    ),
    pytest.param(
        {
            **processor(country="SE", dpa=SIGNED, sub_processors=["hosting"]),
            "recipients.hosting": {
                "name": {"sv": "Driftbolaget"},
                "kind": "processor",
                "purpose": {"sv": "Hosting"},
                "country": "SE",
                "dpa": SIGNED,
            },
        },
        ON,
        DPA,
        id="processor-agreement:sub-processors-authorised",
    ),
]


@pytest.mark.parametrize(("overrides", "on", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, on, expected):
    assert_fires(overrides, *expected, on=on)


@pytest.mark.parametrize(("overrides", "on", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, on, rule):
    assert_quiet(overrides, rule, on=on)


def test_privacy_shield_message_says_since_when(findings):
    (found,) = [f for f in findings(recipient("US", "privacy_shield")) if f.rule == TRANSFER]
    assert "16 July 2020" in found.message
    assert "Schrems II" in (found.citation or "")


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".transfers")}
    assert {p.values[2][0] for p in POSITIVE} == here
    assert {p.values[2] for p in NEGATIVE} == here
