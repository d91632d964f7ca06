"""The register: the root model and lookups over it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from varna.register.activities import Activity, LegalHold
from varna.register.parties import Controller, Recipient, Subject, Transfer
from varna.register.systems import FieldSpec, System, Table
from varna.register.taxonomy import (
    BUILTIN_ANCHORS,
    BUILTIN_CATEGORIES,
    BUILTIN_IDENTITY_KINDS,
    BUILTIN_IDENTITY_STRENGTH,
    SpecialKind,
)
from varna.register.types import (
    CategoryKey,
    CountryCode,
    IdentityStrength,
    Key,
    NonEmpty,
    PeriodText,
    StrictModel,
    Text,
)

TODO_DESCRIPTION = (
    "What a person must still decide about this entry, written by a tool that drafted it "
    "(import-fides, scaffold); register check warns while it is set: decide, then remove it."
)


class CategoryDef(StrictModel):
    """A data category the organisation adds to the built-in taxonomy."""

    label: Text = Field(description="Name of the category.")
    fideslang: NonEmpty = Field(description="The fideslang data category it maps to.")
    special: SpecialKind | None = Field(None, description="Art. 9(1) or Art. 10 kind, if any.")
    description: Text | None = Field(None, description="What the category covers.")
    todo: NonEmpty | None = Field(None, description=TODO_DESCRIPTION)


class LabelDef(StrictModel):
    """A named term the organisation adds (an identity kind or a retention anchor)."""

    label: Text = Field(description="Name shown to people.")


_STRENGTH_HINT = (
    "add 'strength: unique' (one person: a personnummer, a customer number), "
    "'strength: shareable' (usually one person, sometimes a family: an e-mail, a phone) "
    "or 'strength: weak' (many people: an IP address, a device or cookie id)"
)


class IdentityKindDef(StrictModel):
    """An identity kind the organisation adds (or a built-in one whose strength it changes)."""

    label: Text = Field(description="Name shown to people.")
    strength: IdentityStrength = Field(
        description="How surely a value points at one person: 'unique' (one person), "
        "'shareable' (usually one person, sometimes a family) or 'weak' (many people; finds "
        "only the rows keyed by it, never leads on, never erases alone)."
    )
    todo: NonEmpty | None = Field(None, description=TODO_DESCRIPTION)

    @model_validator(mode="before")
    @classmethod
    def _strength_required(cls, data: Any) -> Any:
        if isinstance(data, dict) and "strength" not in data:
            raise ValueError(f"an identity kind needs a strength: {_STRENGTH_HINT}")
        return data


class Taxonomy(StrictModel):
    """The organisation's additions to the built-in vocabulary."""

    categories: dict[CategoryKey, CategoryDef] = Field(
        default_factory=dict, description="Additional data categories."
    )
    identity_kinds: dict[Key, IdentityKindDef] = Field(
        default_factory=dict,
        description="Additional kinds of identity, each with its strength (a built-in kind "
        "declared here takes the strength given).",
    )
    anchors: dict[Key, LabelDef] = Field(
        default_factory=dict, description="Additional retention anchor events."
    )


class CookieCategory(StrEnum):
    necessary = "necessary"
    preferences = "preferences"
    statistics = "statistics"
    marketing = "marketing"


class Cookie(StrictModel):
    """One cookie or similar storage (Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §)."""

    name: NonEmpty = Field(description="Cookie name.")
    lifetime: PeriodText | Literal["session"] = Field(description="How long it is stored.")
    purpose: Text | None = Field(None, description="What it is for.")


class CookieService(StrictModel):
    """A service on the website that stores or reads information in the visitor's device."""

    provider: NonEmpty = Field(description="Who provides the service.")
    category: CookieCategory = Field(description="Consent category.")
    purpose: Text = Field(description="What the service does.")
    country: CountryCode | None = Field(None, description="Where the provider processes data.")
    recipient: Key | None = Field(None, description="The provider as a register recipient.")
    cookies: list[Cookie] = Field(default_factory=list, description="Cookies it sets.")
    third_party: bool | None = Field(
        None, description="Set by another domain than the site's own; unset when not assessed."
    )
    transfer: Transfer | None = Field(
        None, description="The transfer mechanism when the provider is outside the EU/EEA."
    )


class ConsentPractice(StrEnum):
    """How the website asks for consent to cookies that are not strictly necessary."""

    asked_before = "asked_before"
    """A consent banner or tool asks before other cookies than necessary ones are set."""
    browser_settings = "browser_settings"
    """Visitors are only told to block or delete cookies in their browser."""
    not_asked = "not_asked"
    """Cookies are set without asking."""


class CookieConsent(StrictModel):
    """How consent to cookies is or is not collected (LEK 9 kap. 28 §); the policy describes only
    what is recorded here."""

    practice: ConsentPractice = Field(description="How consent is asked for, if at all.")
    tool: NonEmpty | None = Field(None, description="The consent tool, by name.")
    note: Text | None = Field(None, description="The practice in the organisation's own words.")


class CommitmentKind(StrEnum):
    never = "never"
    """Something the organisation never does ("vi säljer aldrig dina uppgifter")."""
    conditional = "conditional"
    """Something it does if a condition is met ("om ... kommer vi att ...")."""
    always = "always"
    """Something it always does."""


class Topic(StrEnum):
    """Where in the policy a commitment belongs."""

    sharing = "sharing"
    transfers = "transfers"
    retention = "retention"
    security = "security"
    rights = "rights"
    cookies = "cookies"
    changes = "changes"
    general = "general"


class Commitment(StrictModel):
    """A negative or conditional commitment the policy makes, in the organisation's own words."""

    kind: CommitmentKind = Field(description="Never, conditional or always.")
    topic: Topic = Field(description="The part of the policy it belongs to.")
    text: Text = Field(description="What is (not) done, as a sentence or after the condition.")
    condition: Text | None = Field(
        None, description="For a conditional commitment: when it applies (``Om ...``)."
    )

    @model_validator(mode="after")
    def _condition(self) -> Commitment:
        if (self.kind is CommitmentKind.conditional) != (self.condition is not None):
            raise ValueError("a conditional commitment has a condition, and only it")
        return self


class Security(StrictModel):
    """Security measures (Art. 30(1)(g), Art. 32)."""

    measures: list[Text] = Field(default_factory=list, description="Technical and organisational.")
    restricted_categories: list[CategoryKey] = Field(
        default_factory=list, description="Categories only staff with a special permission see."
    )
    session_timeout_minutes: int | None = Field(
        None, ge=1, description="Logout after inactivity (seed 003)."
    )


@dataclass(frozen=True, slots=True)
class ResolvedCategory:
    """A data category from the built-in taxonomy or the organisation's additions."""

    key: str
    label: Text
    fideslang: str
    special: SpecialKind | None
    builtin: bool


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field in a table of a system, as found by walking the register."""

    system: str
    table: str
    field: str
    spec: FieldSpec

    @property
    def path(self) -> tuple[str, ...]:
        return ("systems", self.system, "tables", self.table, "fields", self.field)


class Register(StrictModel):
    """The persondataregister (GDPR Art. 30): one declarative file describing the processing."""

    varna: Literal[1] = Field(1, description="Register format version.")
    controller: Controller = Field(description="The organisation responsible.")
    subjects: dict[Key, Subject] = Field(description="Categories of data subjects.")
    taxonomy: Taxonomy = Field(default_factory=Taxonomy, description="Vocabulary additions.")
    activities: dict[Key, Activity] = Field(description="Processing activities.")
    recipients: dict[Key, Recipient] = Field(default_factory=dict, description="Recipients.")
    legal_holds: dict[Key, LegalHold] = Field(default_factory=dict, description="Legal holds.")
    systems: dict[Key, System] = Field(default_factory=dict, description="Where data lives.")
    security: Security = Field(default_factory=Security, description="Security measures.")
    cookies: dict[Key, CookieService] = Field(
        default_factory=dict, description="Website services that use cookies."
    )
    commitments: list[Commitment] = Field(
        default_factory=list, description="Negative and conditional commitments the policy makes."
    )
    cookie_consent: CookieConsent | None = Field(
        None, description="How consent to cookies is collected; unset when not described."
    )

    _source: str = PrivateAttr("<register>")
    _lines: dict[tuple[str | int, ...], int] = PrivateAttr(default_factory=dict)

    # -- vocabulary -------------------------------------------------------------------------
    def category(self, key: str) -> ResolvedCategory:
        """The category ``key``; raises KeyError when it is neither built in nor added."""
        if key in self.taxonomy.categories:
            c = self.taxonomy.categories[key]
            return ResolvedCategory(key, c.label, c.fideslang, c.special, builtin=False)
        b = BUILTIN_CATEGORIES[key]
        return ResolvedCategory(key, Text(sv=b.sv, en=b.en), b.fideslang, b.special, builtin=True)

    def category_keys(self) -> set[str]:
        return set(BUILTIN_CATEGORIES) | set(self.taxonomy.categories)

    def identity_kinds(self) -> set[str]:
        return set(BUILTIN_IDENTITY_KINDS) | set(self.taxonomy.identity_kinds)

    def identity_strength(self, kind: str) -> IdentityStrength:
        """How surely ``kind`` points at one person; KeyError for a kind nobody declared."""
        if kind in self.taxonomy.identity_kinds:
            return self.taxonomy.identity_kinds[kind].strength
        return BUILTIN_IDENTITY_STRENGTH[kind]

    def anchor_label(self, key: str) -> Text:
        if key in self.taxonomy.anchors:
            return self.taxonomy.anchors[key].label
        b = BUILTIN_ANCHORS[key]
        return Text(sv=b.sv, en=b.en)

    def anchor_keys(self) -> set[str]:
        return set(BUILTIN_ANCHORS) | set(self.taxonomy.anchors)

    # -- walking ----------------------------------------------------------------------------
    def tables(self) -> Iterator[tuple[str, str, Table]]:
        """Every (system key, table name, table)."""
        for skey, system in self.systems.items():
            for tname, table in system.tables.items():
                yield skey, tname, table

    def fields(self) -> Iterator[FieldRef]:
        """Every declared field in every table."""
        for skey, tname, table in self.tables():
            for fname, spec in table.fields.items():
                yield FieldRef(skey, tname, fname, spec)

    def table(self, system: str, table: str) -> Table:
        return self.systems[system].tables[table]

    # -- locations --------------------------------------------------------------------------
    @property
    def source(self) -> str:
        """The file the register was loaded from."""
        return self._source

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        """Line of ``path`` in the source file, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def locate(self, path: tuple[str | int, ...]) -> str:
        """``file:line path.to.key`` for messages."""
        line = self.line_of(path)
        where = f"{self._source}:{line}" if line is not None else self._source
        dotted = ".".join(str(p) for p in path)
        return f"{where} {dotted}" if dotted else where
