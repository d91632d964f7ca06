"""Who: the controller, its supervisory authority, data subjects and recipients."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from varna.law.identity import parse_organisationsnummer
from varna.law.transfers import TransferMechanism
from varna.register.types import CountryCode, Key, Language, NonEmpty, StrictModel, Text, Words


def _valid_org_number(value: str) -> str:
    """Validate an organisationsnummer (or a sole trader's personnummer) by its Luhn digit."""
    parse_organisationsnummer(value)
    return value


OrgNumber = Annotated[str, AfterValidator(_valid_org_number)]


class Address(StrictModel):
    """A postal address."""

    street: NonEmpty = Field(description="Street address or box (``Box 1``).")
    postal_code: NonEmpty = Field(description="Postal code (``131 30``).")
    city: NonEmpty = Field(description="Postal town.")
    country: CountryCode = Field("SE", description="ISO 3166-1 alpha-2 country code.")


class Contact(StrictModel):
    """Ways to reach a party; at least one must be given."""

    name: Words | None = Field(
        None, description="Name of the person or function: a string or {sv: ..., en: ...}."
    )
    email: NonEmpty | None = Field(None, description="E-mail address.")
    phone: NonEmpty | None = Field(None, description="Telephone number.")
    website: NonEmpty | None = Field(None, description="Web address.")
    address: Address | None = Field(None, description="Postal address, where it differs.")

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.email or self.phone or self.website or self.address):
            raise ValueError("give at least one of email, phone, website or address")
        return self


class SupervisoryAuthority(StrictModel):
    """The supervisory authority people may complain to (GDPR Art. 77)."""

    name: Text = Field(description="Name of the authority.")
    website: NonEmpty = Field(description="Web address.")
    email: NonEmpty | None = Field(None, description="E-mail address.")
    address: Address | None = Field(None, description="Postal address.")


IMY = SupervisoryAuthority(
    name=Text(
        sv="Integritetsskyddsmyndigheten (IMY)", en="Swedish Authority for Privacy Protection (IMY)"
    ),
    website="https://www.imy.se",
    email="imy@imy.se",
    address=Address(street="Box 8114", postal_code="104 20", city="Stockholm"),
)


class FiscalYearStart(StrictModel):
    """First day of the organisation's fiscal year (Bokföringslagen 3 kap.)."""

    month: int = Field(1, ge=1, le=12, description="Month the fiscal year starts.")
    day: int = Field(
        1, ge=1, le=1, description="Always 1: a fiscal year is twelve calendar months (3 kap. 1 §)."
    )


class Channel(StrEnum):
    email = "email"
    sms = "sms"
    phone = "phone"
    post = "post"
    website = "website"
    customer_portal = "customer_portal"
    social_media = "social_media"


class PolicyInfo(StrictModel):
    """How the privacy policy is published."""

    languages: list[Language] = Field(
        default_factory=lambda: [Language.sv, Language.en], description="Languages published."
    )
    version: NonEmpty | None = Field(None, description="Version label of the policy in force.")
    effective_date: date | None = Field(None, description="Date the policy took effect.")
    url: NonEmpty | None = Field(None, description="Where the policy is published.")
    privacy_centre: NonEmpty | None = Field(
        None,
        description="Web address where people manage consents and make requests, when the "
        "deployment has one; the policy names a privacy centre only when this is set.",
    )
    notify_changes_by: list[Channel] = Field(
        default_factory=list,
        description="Channels used to tell customers of material changes (seeds 000, 001).",
    )


class Formality(StrEnum):
    """What a request through a channel must be (seed 000: objection in writing, extract on a
    signed request)."""

    written = "written"
    signed = "signed"
    e_id = "e_id"


class RightKey(StrEnum):
    """The data subject's rights, Art. 15-22 and 7(3)."""

    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    portability = "portability"
    objection = "objection"
    withdraw_consent = "withdraw_consent"


class RequestChannel(StrictModel):
    """How people exercise some of their rights, where it differs from the general contact (seed
    002: rectification through support or by calling the switchboard)."""

    rights: list[RightKey] = Field(description="The rights this channel is for.")
    via: Text = Field(
        description="The channel, completing 'by ...' (``via vår support eller genom att ringa "
        "vår växel``)."
    )
    formality: Formality | None = Field(None, description="What the request must be.")
    contact: Contact | None = Field(None, description="Where the channel is reached.")


class Controller(StrictModel):
    """The organisation that is personuppgiftsansvarig (GDPR Art. 4(7), Art. 30(1)(a))."""

    name: NonEmpty | None = Field(
        description="Legal name; null (written out) when the policy names no company, and the "
        "policy then says so instead of inventing one."
    )
    org_number: OrgNumber | None = Field(
        None, description="Organisationsnummer (NNNNNN-NNNC); a check warns when it is missing."
    )
    address: Address | None = Field(
        description="Registered postal address; null (written out) when it is not given."
    )
    contact: Contact | None = Field(
        description="How people reach the controller about their data; null (written out) when "
        "no address, e-mail, telephone or website is given."
    )
    other_contacts: list[Contact] = Field(
        default_factory=list,
        description="Further addresses the policy gives (seed 004: privacy@ and support@).",
    )
    request_channels: list[RequestChannel] = Field(
        default_factory=list, description="Channels for particular rights, with formalities."
    )
    dpo: Contact | None = Field(None, description="Data protection officer (Art. 37-39).")
    representative: Contact | None = Field(None, description="EU representative (Art. 27).")
    supervisory_authority: SupervisoryAuthority = Field(
        IMY, description="Where complaints go; IMY unless stated."
    )
    fiscal_year_start: FiscalYearStart = Field(
        default_factory=FiscalYearStart, description="First day of the fiscal year."
    )
    policy: PolicyInfo = Field(description="The published privacy policy.")


class Subject(StrictModel):
    """A category of data subjects (Art. 30(1)(c))."""

    label: Text = Field(description="Name of the category, as the policy uses it.")
    description: Text | None = Field(None, description="Who belongs to it.")
    notify_policy_changes: bool = Field(
        False,
        description="E-mail these people when a policy version with material changes is "
        "published (seeds 000, 001), at the e-mail identity columns of the tables holding them.",
    )


class RecipientKind(StrEnum):
    processor = "processor"
    third_party = "third_party"
    authority = "authority"
    financing = "financing"
    acquirer = "acquirer"
    joint_controller = "joint_controller"
    group_company = "group_company"


class DPA(StrictModel):
    """A data processing agreement (biträdesavtal, Art. 28(3))."""

    signed: date | None = Field(
        None, description="Date the agreement was signed; unset when only its existence is known."
    )
    reference: NonEmpty | None = Field(None, description="Where the signed agreement is kept.")
    sub_processors_authorised: bool = Field(
        True, description="Whether the agreement authorises the listed sub-processors (28(2))."
    )


class Transfer(StrictModel):
    """The legal mechanism for a transfer to a third country (Art. 44-49)."""

    mechanism: TransferMechanism = Field(description="Adequacy, DPF, SCC, BCR, Art. 49 ...")
    reference: Words | None = Field(
        None, description="Decision, clauses or certification: a string or {sv: ..., en: ...}."
    )
    copy_available_at: NonEmpty | None = Field(
        None, description="Where people may get a copy of the safeguards (Art. 13(1)(f))."
    )


class Location(StrEnum):
    """What the register knows of where a recipient processes data when it names no country."""

    within_eea = "within_eea"
    """Within the EU/EEA, no one country named (seed 000: "inom EU/EES")."""
    may_transfer = "may_transfer"
    """Usually within the EU/EEA, but data may be processed in a country outside it."""
    unknown = "unknown"
    """Not yet established: the policy says so rather than promising anything."""


class Recipient(StrictModel):
    """Someone personal data is disclosed to (Art. 4(9)): a processor, third party, authority."""

    name: Text = Field(description="Name, or the category of recipient (``Myndigheter``).")
    kind: RecipientKind = Field(description="The recipient's role.")
    purpose: Text = Field(description="Why data is disclosed to this recipient.")
    categorical: bool = Field(
        False, description="True when this names a category of recipients, not one organisation."
    )
    country: CountryCode | None = Field(None, description="Where the recipient processes data.")
    dpa: DPA | None = Field(None, description="The biträdesavtal, for processors.")
    notice_email: NonEmpty | None = Field(
        None,
        description="Where notices of erasure, rectification and restriction are e-mailed "
        "(Art. 19); without it they are queued for the DPO to send.",
    )
    sub_processors: list[Key] = Field(
        default_factory=list, description="Keys of recipients engaged by this processor."
    )
    transfer: Transfer | None = Field(
        None, description="Mechanism when the country is outside the EEA."
    )
    location: Location | None = Field(
        None,
        description="Where the recipient processes data when no country is given: within the "
        "EU/EEA, may transfer outside it, or not yet established. Unset with no country is read "
        "as not yet established.",
    )
    safeguard_promised: Text | None = Field(
        None,
        description="For a possible transfer (location may_transfer): the protection the "
        "organisation promises, in its own words, when it names no Art. 46 mechanism.",
    )

    @model_validator(mode="after")
    def _where(self) -> Recipient:
        if self.country is not None and self.location is not None:
            raise ValueError("give either country or location, not both")
        if self.safeguard_promised is not None and self.location is not Location.may_transfer:
            raise ValueError("safeguard_promised belongs to location: may_transfer")
        return self
