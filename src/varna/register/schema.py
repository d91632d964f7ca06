"""The register's JSON schema, generated from the models (for editors and the reference docs)."""

from __future__ import annotations

from typing import Any

from varna.register.model import Register

SCHEMA_ID = "https://varna.dev/schema/register-1.json"


def register_json_schema() -> dict[str, Any]:
    """JSON schema (draft 2020-12) of a register file."""
    schema = Register.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Varna register (persondataregister, GDPR Art. 30)"
    return schema
