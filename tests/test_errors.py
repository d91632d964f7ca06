"""Errors carry what their message says as fields, so doors map them without parsing text."""

from __future__ import annotations

import pytest

from varna.errors import (
    AuditChainBroken,
    ConnectorError,
    ConstraintViolation,
    Problem,
    RegisterLoadError,
    VarnaError,
    VerificationError,
)


@pytest.mark.parametrize(
    ("error", "fields"),
    [
        pytest.param(VarnaError("plain"), {}, id="plain"),
        pytest.param(ConnectorError("down", system="crm"), {"system": "crm"}, id="connector"),
        pytest.param(
            ConstraintViolation(
                "refused",
                system="shop",
                table="invoice",
                constraint="fk_invoice_customer",
                kind="foreign_key",
                hint="declare the reference",
            ),
            {
                "system": "shop",
                "table": "invoice",
                "constraint": "fk_invoice_customer",
                "kind": "foreign_key",
                "hint": "declare the reference",
            },
            id="constraint",
        ),
        pytest.param(
            VerificationError("wrong code", reason="wrong"), {"reason": "wrong"}, id="code"
        ),
        pytest.param(
            VerificationError("slow down", reason="rate_limited", retry_after=3600),
            {"reason": "rate_limited", "retry_after": 3600},
            id="rate-limited",
        ),
        pytest.param(AuditChainBroken(["a", "b"]), {"findings": 2}, id="audit"),
    ],
)
def test_errors_carry_their_fields(error: VarnaError, fields: dict[str, object]) -> None:
    assert error.fields == fields


def test_a_register_error_lists_each_problem_as_fields() -> None:
    problem = Problem("varna.yaml", 42, "systems.crm", "unknown key", "did you mean", "unknown-key")
    error = RegisterLoadError([problem])
    assert error.fields == {
        "problems": [
            {
                "file": "varna.yaml",
                "line": 42,
                "key_path": "systems.crm",
                "code": "unknown-key",
                "message": "unknown key",
                "hint": "did you mean",
            }
        ]
    }
