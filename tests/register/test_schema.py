"""The register's JSON schema: well formed, every property described (house style 5), printed by
``varna register schema``. No JSON-schema validator is a dependency: the checks are structural."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

import varna.register
from varna.cli.app import app
from varna.register.schema import SCHEMA_ID, register_json_schema

SCHEMA = register_json_schema()
JSON_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


def _objects(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The root and every model in ``$defs``."""
    yield "Register", schema
    yield from schema.get("$defs", {}).items()


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _register_models() -> list[type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for info in pkgutil.walk_packages(varna.register.__path__, "varna.register."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                models[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [models[k] for k in sorted(models)]


MODELS = _register_models()


def test_schema_header():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == SCHEMA_ID
    assert SCHEMA["title"].startswith("Varna register")
    assert SCHEMA["type"] == "object"
    assert {"controller", "subjects", "activities"} <= set(SCHEMA["required"])


def test_schema_is_plain_json():
    assert json.loads(json.dumps(SCHEMA)) == SCHEMA


def test_every_ref_resolves():
    defs = SCHEMA["$defs"]
    refs = [n["$ref"] for n in _walk(SCHEMA) if "$ref" in n]
    assert refs
    assert all(r.startswith("#/$defs/") and r.removeprefix("#/$defs/") in defs for r in refs)


def test_every_type_is_a_json_type():
    types = [n["type"] for n in _walk(SCHEMA) if isinstance(n.get("type"), str)]
    assert set(types) <= JSON_TYPES


def test_every_model_forbids_unknown_keys_and_lists_its_required_keys():
    for name, node in _objects(SCHEMA):
        if node.get("type") != "object" or "properties" not in node:
            continue
        assert node.get("additionalProperties") is False, name
        assert set(node.get("required", [])) <= set(node["properties"]), name


def test_every_property_has_a_description():
    missing = [
        f"{name}.{prop}"
        for name, node in _objects(SCHEMA)
        for prop, spec in node.get("properties", {}).items()
        if not (spec.get("description") or "").strip()
    ]
    assert missing == [], "properties without a description: " + ", ".join(missing)


def test_every_model_has_a_docstring_in_the_schema():
    missing = [
        name
        for name, node in _objects(SCHEMA)
        if "properties" in node and not node.get("description")
    ]
    assert missing == []


def test_the_register_models_are_found():
    names = {m.__name__ for m in MODELS}
    assert {"Register", "Activity", "System", "Table", "FieldSpec", "Recipient"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_field_has_a_description(model):
    missing = [n for n, f in model.model_fields.items() if not (f.description or "").strip()]
    assert missing == [], f"{model.__name__} fields without a description: {missing}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_forbids_unknown_keys(model):
    assert model.model_config.get("extra") == "forbid"


def test_cli_prints_the_schema():
    result = CliRunner().invoke(app, ["register", "schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == SCHEMA
