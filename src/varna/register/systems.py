"""Where: the systems that hold the data, down to table and column."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from varna.register.types import CategoryKey, CountryCode, EnvVar, Key, NonEmpty, StrictModel, Text

BUILTIN_SYSTEM_KINDS = frozenset(
    {"sqlite", "postgresql", "mysql", "mariadb", "csv", "jsonl", "folder", "mailbox", "memory"}
)


class FieldErasure(StrEnum):
    """What erasure does to one field (Art. 17) when its row is kept."""

    null = "null"
    mask = "mask"
    hash = "hash"
    fixed = "fixed"
    generalise = "generalise"
    keep = "keep"


class TableErasure(StrEnum):
    """What erasure does to a row: delete it, or keep it and erase its fields."""

    delete_row = "delete_row"
    anonymise = "anonymise"


class FieldSpec(StrictModel):
    """A field (column) holding personal data."""

    category: CategoryKey = Field(description="Data category of the values.")
    erasure: FieldErasure = Field(
        FieldErasure.null, description="What erasure does to the field when the row is kept."
    )
    value: str | None = Field(None, description="Replacement for the ``fixed`` strategy.")
    provided_by_subject: bool = Field(
        True, description="Provided by the person (in scope of portability, Art. 20)."
    )
    description: Text | None = Field(None, description="What the column holds.")
    label: Text | None = Field(
        None,
        description="Name shown to the person in a register extract (Art. 15(3)); without it, "
        "the category's label.",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"category": data} if isinstance(data, str) else data

    @field_validator("erasure", mode="before")
    @classmethod
    def _yaml_null(cls, value: Any) -> Any:
        """``erasure: null`` unquoted is YAML's null: it means the ``null`` strategy."""
        return FieldErasure.null if value is None else value

    @model_validator(mode="after")
    def _fixed_needs_value(self) -> FieldSpec:
        if self.erasure is FieldErasure.fixed and self.value is None:
            raise ValueError("erasure 'fixed' needs a replacement 'value'")
        return self


class ReferenceErasure(StrEnum):
    """What erasure does across a reference (Art. 17), besides the rows' own fates."""

    keep = "keep"
    detach = "detach"
    delete_if_unshared = "delete_if_unshared"


_TARGET = re.compile(r"^(?:(?P<system>[a-z][a-z0-9_]*):)?(?P<table>[^:]+)\.(?P<column>[^.:]+)$")


class Reference(StrictModel):
    """A link from a column to a column of another table (followed even without a foreign key)."""

    system: Key | None = Field(None, description="Target system; the same system when unset.")
    table: NonEmpty = Field(description="Target table.")
    column: NonEmpty = Field(description="Target column.")
    follow: bool = Field(
        True,
        description="Follow the link in data-subject requests; false where it points at another "
        "person (a support rep, a manager), whose data is not the requester's (Art. 15(4)).",
    )
    direction: Literal["to", "from"] | None = Field(
        None,
        description="Follow the link one way only: 'to' from this row to the row it refers to, "
        "'from' from that row to the rows referring to it (Fides' reference direction); both "
        "ways when unset.",
    )
    same_person: bool = Field(
        False,
        description="Both rows are about the same person (an invoice and the customer it is "
        "addressed to): a request that reaches one row learns the identities of the other. "
        "Leave false where they may be different people (a ticket a relative wrote about a "
        "customer): the request then shows the row but learns nothing from it, and a row that "
        "names another person's unique identity is a conflict for a human to decide.",
    )

    erasure: ReferenceErasure = Field(
        ReferenceErasure.keep,
        description="'detach': when erasure deletes the row referred to (the person's), rows "
        "that stay and refer to it get 'placeholder' (or NULL) in this column instead, so the "
        "person's row can go while the referring row (a store whose manager leaves) stays. "
        "'delete_if_unshared': when erasure deletes the person's row, the row it refers to "
        "(an address) is deleted too if no other row refers to it after the run; otherwise "
        "it is kept and the plan says how many rows share it. 'keep': neither.",
    )
    placeholder: str | int | None = Field(
        None,
        description="For 'erasure: detach': the key of a placeholder row (such as 'removed "
        "person') the column is repointed to; NULL when unset.",
    )
    not_null: bool = Field(
        False,
        description="The column is NOT NULL in the database: 'erasure: detach' then needs a "
        "placeholder.",
    )

    @model_validator(mode="after")
    def _detach_has_a_target(self) -> Reference:
        if self.placeholder is not None and self.erasure is not ReferenceErasure.detach:
            raise ValueError("'placeholder' is used only with 'erasure: detach'; drop it")
        if self.erasure is ReferenceErasure.delete_if_unshared and (
            not self.follow or self.direction == "from"
        ):
            raise ValueError(
                "'erasure: delete_if_unshared' needs the reference followed to the row it "
                "refers to: drop 'follow: false' / 'direction: from', or use 'erasure: keep'"
            )
        if self.erasure is ReferenceErasure.detach and self.not_null and self.placeholder is None:
            raise ValueError(
                "'erasure: detach' on a NOT NULL column needs a 'placeholder': the key of a row "
                f"in '{self.table}' to repoint to (declare one, e.g. placeholder: 0), or use "
                "'erasure: keep'"
            )
        return self

    @model_validator(mode="after")
    def _same_person_is_followed(self) -> Reference:
        if self.same_person and not self.follow:
            raise ValueError(
                "'same_person: true' with 'follow: false' contradicts itself: a link about the "
                "same person is followed; drop one of them"
            )
        return self

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            match = _TARGET.match(data)
            if not match:
                raise ValueError("write a reference as 'table.column' or 'system:table.column'")
            return match.groupdict()
        return data

    def label(self) -> str:
        return f"{self.system + ':' if self.system else ''}{self.table}.{self.column}"


class Table(StrictModel):
    """A table (or file set) in a system, with the personal data it holds."""

    description: Text | None = Field(None, description="What the table holds.")
    primary_key: list[NonEmpty] = Field(min_length=1, description="Primary-key columns.")
    subjects: list[Key] = Field(default_factory=list, description="Whose data the rows are.")
    activities: list[Key] = Field(default_factory=list, description="Activities the table serves.")
    identities: dict[Key, NonEmpty | list[NonEmpty]] = Field(
        default_factory=dict,
        description="Identity kind -> column (or columns: `email: [email, alt_email]`), to find "
        "a person's rows.",
    )
    references: dict[NonEmpty, Reference] = Field(
        default_factory=dict, description="Column -> the column it refers to."
    )
    anchors: dict[Key, NonEmpty] = Field(
        default_factory=dict, description="Retention anchor event -> timestamp column."
    )
    legal_holds: list[Key] = Field(default_factory=list, description="Holds that keep the rows.")
    erasure: TableErasure = Field(TableErasure.delete_row, description="Delete or anonymise rows.")
    restriction_column: NonEmpty | None = Field(
        None, description="Column that marks a person restricted (Art. 18) in this system."
    )
    language_column: NonEmpty | None = Field(
        None,
        description="Column holding the person's language (sv, en, ...): e-mail to them, such "
        "as a notice of a policy change, is written in it (else the policy's first language).",
    )
    fields: dict[NonEmpty, FieldSpec] = Field(
        default_factory=dict, description="Columns holding personal data, with their category."
    )
    labels: dict[NonEmpty, Text] = Field(
        default_factory=dict,
        description="Names shown to the person for the table's other columns (dates, numbers) "
        "in a register extract (Art. 15(3)); a column without one is shown as other data in "
        "the same record.",
    )

    def identity_columns(self) -> list[tuple[str, str]]:
        """Every (identity kind, column) pair, in register order."""
        out: list[tuple[str, str]] = []
        for kind, columns in self.identities.items():
            out += [(kind, c) for c in ([columns] if isinstance(columns, str) else columns)]
        return out


class Connection(StrictModel):
    """How to reach a system: an environment variable holds the URL, never the register."""

    env: EnvVar = Field(description="Environment variable holding the URL or path.")
    default: NonEmpty | None = Field(
        None, description="URL used when the variable is unset; must not hold a secret."
    )

    @field_validator("default")
    @classmethod
    def _no_secret(cls, value: str | None) -> str | None:
        if value and re.search(r"://[^/@\s]*:[^/@\s]+@", value):
            raise ValueError("the default URL holds a password: put it in the environment variable")
        return value


class System(StrictModel):
    """A system where personal data really lives."""

    name: Text = Field(description="Name people know the system by.")
    kind: Key = Field(
        description="Connector kind: sqlite, postgresql, mysql, csv, jsonl, mailbox, ..."
    )
    connection: Connection | None = Field(None, description="How to connect.")
    country: CountryCode = Field(description="Where the data is stored.")
    hosted_by: Key | None = Field(None, description="Processor hosting the system (a recipient).")
    description: Text | None = Field(None, description="What the system is used for.")
    tables: dict[NonEmpty, Table] = Field(default_factory=dict, description="Tables.")
