"""Why: processing activities, their legal bases, retention rules and legal holds."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from varna.register.types import CategoryKey, Key, NonEmpty, PeriodText, StrictModel, Text, Words


class Basis(StrEnum):
    """Legal bases, GDPR Art. 6(1)(a)-(f)."""

    consent = "consent"
    contract = "contract"
    legal_obligation = "legal_obligation"
    vital_interests = "vital_interests"
    public_task = "public_task"
    legitimate_interests = "legitimate_interests"

    @property
    def letter(self) -> str:
        return "abcdef"[list(Basis).index(self)]


class LegalBasis(StrictModel):
    """One legal basis of an activity (Art. 6(1)); an activity may rest on several."""

    basis: Basis = Field(description="The Art. 6(1) basis.")
    statute: NonEmpty | None = Field(
        None,
        description="For a legal obligation: the statute, as a key (``bokforingslagen``) or text.",
    )
    balancing_test: NonEmpty | None = Field(
        None, description="For legitimate interests: reference to the documented balancing test."
    )
    interest: Text | None = Field(None, description="For legitimate interests: the interest.")
    note: Text | None = Field(None, description="Further explanation for the policy.")
    subjects: list[Key] = Field(
        default_factory=list,
        description="The activity's subject groups this basis applies to (customers on the "
        "contract, others on legitimate interest); empty: all of them.",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"basis": data} if isinstance(data, str) else data


class Art9Exception(StrEnum):
    """Exceptions to the ban on special categories, Art. 9(2)(a)-(j)."""

    a = "a"
    b = "b"
    c = "c"
    d = "d"
    e = "e"
    f = "f"
    g = "g"
    h = "h"
    i = "i"
    j = "j"


class SpecialCategoryCondition(StrictModel):
    """The Art. 9(2) exception that allows processing special categories."""

    exception: Art9Exception = Field(description="Letter of Art. 9(2).")
    statute: NonEmpty | None = Field(None, description="Member-state law relied on, if any.")
    note: Text | None = Field(None, description="How the exception applies.")


class PeriodAfter(StrictModel):
    """Kept for a period after an event: ``24 months after relation_ended``."""

    rule: Literal["period_after"] = Field(description="Rule type.")
    period: PeriodText = Field(description="How long after the anchor.")
    anchor: Key = Field(description="The event counted from (a table maps it to a column).")


class WhileActive(StrictModel):
    """Kept while a relation is active, and a period after it ends."""

    rule: Literal["while_active"] = Field(description="Rule type.")
    anchor: Key = Field("relation_ended", description="The event that ends the relation.")
    then: PeriodText | None = Field(None, description="How long after the end.")


class Bookkeeping(StrictModel):
    """Bokföringslagen (1999:1078) 7 kap. 2 §: until the end of the seventh year after the end
    of the calendar year in which the fiscal year ended."""

    rule: Literal["bookkeeping"] = Field(description="Rule type.")
    anchor: Key = Field("transaction_date", description="Date that places a record in a year.")
    years: int = Field(7, ge=7, le=50, description="Years after the end of that calendar year.")


class UntilWithdrawn(StrictModel):
    """Kept until consent is withdrawn (Art. 7(3), 17(1)(b))."""

    rule: Literal["until_withdrawn"] = Field(description="Rule type.")
    grace: PeriodText | None = Field(None, description="Time allowed to carry out the erasure.")


class StatedPeriod(StrictModel):
    """A retention period the organisation states only in words (``en viss period``), with the
    reason or criteria it gives. Allowed where no typed rule can honestly be given; the policy
    repeats the words, retention runs delete nothing on it, and ``register check`` warns, since
    Art. 13(2)(a) asks for the period or the criteria used to determine it."""

    text: Text = Field(
        description="The period as the organisation states it, completing 'sparas ...' "
        "(``så länge du är kund hos oss och under en viss period efter det``)."
    )
    justification: Text | None = Field(
        None, description="Why, or the criteria that decide the period, in its own words."
    )


Retention = Annotated[
    PeriodAfter | WhileActive | Bookkeeping | UntilWithdrawn, Field(discriminator="rule")
]


class CategoryRetention(StrictModel):
    """How long some of an activity's categories are kept, where it differs from the activity's
    rule (the policy's "bank details are kept seven years with the vouchers"). The policy states it;
    retention runs keep such data only where a legal hold covers it."""

    categories: list[CategoryKey] = Field(description="The categories, all of the activity's.")
    retention: Retention | None = Field(None, description="How long they are kept.")
    retention_in_words: StatedPeriod | None = Field(
        None, description="Or the period stated only in words."
    )

    @model_validator(mode="after")
    def _one(self) -> CategoryRetention:
        if (self.retention is None) == (self.retention_in_words is None):
            raise ValueError("give exactly one of retention or retention_in_words")
        return self


class Art17Ground(StrEnum):
    """Exceptions to the right to erasure, Art. 17(3)."""

    freedom_of_expression = "a"
    legal_obligation = "b"
    public_health = "c"
    archiving = "d"
    legal_claims = "e"


class LegalHold(StrictModel):
    """A duty to keep data that overrides erasure (Art. 17(3)), such as Bokföringslagen."""

    name: Text = Field(description="Name of the hold.")
    statute: NonEmpty = Field(description="Statute key (``bokforingslagen``) or citation.")
    ground: Art17Ground = Field(Art17Ground.legal_obligation, description="Art. 17(3) letter.")
    retention: Retention = Field(description="How long the hold lasts.")
    categories: list[CategoryKey] = Field(
        description="Categories the hold requires to keep; other fields of held rows may go."
    )


class SourceKind(StrEnum):
    data_subject = "data_subject"
    employer = "employer"
    customer = "customer"
    public_register = "public_register"
    private_register = "private_register"
    partner = "partner"
    recruitment_agency = "recruitment_agency"
    information_service = "information_service"
    generated = "generated"


class Source(StrictModel):
    """Where data comes from (Art. 14(2)(f), 15(1)(g))."""

    kind: SourceKind = Field(description="Kind of source.")
    name: Text | None = Field(None, description="The source by name (``SPAR``).")
    publicly_accessible: bool = Field(False, description="Whether it is a public source.")
    categories: list[CategoryKey] = Field(
        default_factory=list,
        description="The categories that come from this source (Art. 15(1)(g): the source per "
        "item); empty: every category of the activity.",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"kind": data} if isinstance(data, str) else data


class Requirement(StrEnum):
    statutory = "statutory"
    contractual = "contractual"
    contract_prerequisite = "contract_prerequisite"
    voluntary = "voluntary"


class Provision(StrictModel):
    """Whether providing the data is required, and what follows if not (Art. 13(2)(e))."""

    requirement: Requirement = Field(description="Statutory, contractual, needed for a contract.")
    consequence: Text | None = Field(None, description="What happens if it is not provided.")


class AutomatedDecision(StrictModel):
    """Automated decision-making incl. profiling (Art. 13(2)(f), 15(1)(h), 22)."""

    solely_automated: bool = Field(description="Decisions without human involvement.")
    profiling: bool = Field(description="Whether it includes profiling (Art. 4(4)).")
    legal_effect: bool = Field(
        False, description="Legal or similarly significant effects (Art. 22(1))."
    )
    basis: Literal["contract", "law", "explicit_consent"] | None = Field(
        None, description="Art. 22(2) ground, required with legal effect."
    )
    alternative_bases: list[Literal["contract", "law", "explicit_consent"]] = Field(
        default_factory=list,
        description="Further Art. 22(2) grounds relied on as alternatives to basis (seed 001: "
        "explicit consent, or where it is necessary for the contract).",
    )
    logic: Text = Field(description="Meaningful information about the logic involved.")
    significance: Text = Field(description="Significance and envisaged consequences.")


class MarketingChannel(StrEnum):
    email = "email"
    sms = "sms"
    phone = "phone"
    post = "post"
    social_media = "social_media"


class DirectMarketing(StrictModel):
    """Direct marketing done by the activity (Art. 21(2); Marknadsföringslagen 19 §)."""

    channels: list[MarketingChannel] = Field(description="Channels used.")
    existing_customers_only: bool = Field(
        False, description="Only to existing customers about similar products, with easy opt-out."
    )


class ConsentPurposeKind(StrEnum):
    newsletter = "newsletter"
    survey = "survey"
    panel = "panel"
    analytics = "analytics"
    marketing = "marketing"
    other = "other"


class ConsentMethod(StrEnum):
    """How consent is obtained (Art. 4(11): a clear affirmative act)."""

    banner = "banner"
    form = "form"
    checkbox = "checkbox"
    double_opt_in = "double_opt_in"
    """A confirmation link sent to the address given; consent counts once it is followed."""


class WithdrawalPath(StrEnum):
    """Where consent can be withdrawn (Art. 7(3): as easy as giving it)."""

    link_in_message = "link_in_message"
    privacy_centre = "privacy_centre"
    banner = "banner"
    api = "api"
    email = "email"
    account_settings = "account_settings"


class ConsentPurpose(StrictModel):
    """One purpose a person can consent to separately (Art. 7(2): distinguishable)."""

    kind: ConsentPurposeKind = Field(description="What the purpose is.")
    channel: MarketingChannel | None = Field(None, description="Channel, for a newsletter.")
    label: Text | None = Field(None, description="The purpose as the consent text names it.")


class ActivityConsent(StrictModel):
    """How the activity's consent is asked for and withdrawn; the ledger records it per purpose
    (the purpose keys are the ones the consent API and ``varna consent`` use)."""

    purposes: dict[Key, ConsentPurpose] = Field(
        default_factory=dict,
        description="Purposes consented to separately; none: the activity key is the purpose.",
    )
    obtained: list[ConsentMethod] = Field(
        default_factory=list, description="How consent is obtained."
    )
    checkbox_text: Text | None = Field(None, description="The text next to the checkbox.")
    withdrawal: list[WithdrawalPath] = Field(
        default_factory=list, description="Where consent can be withdrawn (Art. 7(3))."
    )

    @property
    def double_opt_in(self) -> bool:
        return ConsentMethod.double_opt_in in self.obtained


class ControllerParty(StrictModel):
    """A controller on whose behalf the organisation processes (Art. 30(2)(a))."""

    name: Text = Field(description="Name, or the category (``customers using Cirrus``).")
    categorical: bool = Field(False, description="True when this names a category of controllers.")
    contact: Words | None = Field(
        None, description="Contact of the controller: a string or {sv: ..., en: ...}."
    )
    dpo: Words | None = Field(
        None, description="The controller's DPO: a string or {sv: ..., en: ...}."
    )


class Role(StrEnum):
    controller = "controller"
    processor = "processor"


class Activity(StrictModel):
    """A processing activity (Art. 30(1)): one purpose, its bases, data and retention."""

    name: Text = Field(description="Short name.")
    purpose: Text = Field(description="The purpose, as the policy states it.")
    role: Role = Field(Role.controller, description="Controller, or processor for others.")
    on_behalf_of: list[ControllerParty] = Field(
        default_factory=list, description="For the processor role: the controllers (Art. 30(2))."
    )
    legal_bases: list[LegalBasis] = Field(
        default_factory=list, description="Art. 6(1) bases; several may apply."
    )
    special_category_condition: SpecialCategoryCondition | None = Field(
        None, description="Art. 9(2) exception, where special categories occur."
    )
    personnummer_justification: Text | None = Field(
        None, description="Why personnummer is needed (Dataskyddslagen 3 kap. 10 §)."
    )
    subjects: list[Key] = Field(default_factory=list, description="Data-subject categories.")
    categories: list[CategoryKey] = Field(default_factory=list, description="Data categories.")
    sources: list[Source] = Field(default_factory=list, description="Where the data comes from.")
    recipients: list[Key] = Field(default_factory=list, description="Recipients of the data.")
    retention: Retention | None = Field(None, description="How long data is kept.")
    retention_in_words: StatedPeriod | None = Field(
        None,
        description="A period stated only in words, instead of a typed rule (a check warns).",
    )
    category_retention: list[CategoryRetention] = Field(
        default_factory=list,
        description="Retention of some categories where it differs from the activity's rule.",
    )
    legal_holds: list[Key] = Field(default_factory=list, description="Holds that block erasure.")
    review_every: PeriodText | None = Field(
        None, description="Periodic manual review of the data (seed 004's monthly inbox review)."
    )
    provision: Provision | None = Field(None, description="Art. 13(2)(e) requirement.")
    automated_decision: AutomatedDecision | None = Field(
        None, description="Automated decision-making or profiling."
    )
    direct_marketing: DirectMarketing | None = Field(None, description="Direct marketing done.")
    consent: ActivityConsent | None = Field(
        None, description="Consent purposes, how consent is obtained and withdrawn."
    )
    portability_promised: bool = Field(
        False, description="The policy promises data portability for this activity."
    )
    large_scale: bool | None = Field(
        None,
        description="Whether the processing is on a large scale (Art. 35(3)(b), 37(1)(b)-(c)); "
        "unset when not assessed.",
    )

    def consent_purposes(self, key: str) -> list[str]:
        """The purposes consented to for this activity (``key``: its own key) when consent is
        one of its bases; empty otherwise."""
        if Basis.consent not in {lb.basis for lb in self.legal_bases}:
            return []
        if self.consent is not None and self.consent.purposes:
            return list(self.consent.purposes)
        return [key]

    @model_validator(mode="after")
    def _one_retention(self) -> Activity:
        if self.retention is not None and self.retention_in_words is not None:
            raise ValueError("give either retention or retention_in_words, not both")
        for basis in self.legal_bases:
            stray = sorted(set(basis.subjects) - set(self.subjects))
            if stray:
                raise ValueError(f"legal basis for subjects not in the activity: {stray}")
        for kept in self.category_retention:
            stray = sorted(set(kept.categories) - set(self.categories))
            if stray:
                raise ValueError(f"category_retention for categories not in the activity: {stray}")
        return self
