"""An integrating developer's view of the API: a client generated from the served OpenAPI by a
well-known generator (openapi-python-client, installed by ``make install`` in a venv of its own)
carries an access request to the downloaded extract and an erasure through four eyes, over real
HTTP on loopback. Nothing here is written by hand against the routes: a route, a model or an
operation id that changes in a way the generator cannot follow fails this test."""

from __future__ import annotations

import importlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

from .banner_site import served
from .conftest import Inbox

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / ".venv" / "tools" / "openapi-client" / "bin" / "openapi-python-client"
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PACKAGE = "varna_api_client"


class Generated:
    """The generated package, its operations by operation id, and a live server to call."""

    def __init__(self, package: ModuleType, base: str, varna: Varna, demo: Path, inbox: Inbox):
        self.package, self.base, self.varna, self.demo, self.inbox = (
            package,
            base,
            varna,
            demo,
            inbox,
        )

    def operation(self, tag: str, operation_id: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{PACKAGE}.models"), name)

    def client(self, token: str) -> Any:
        return self.package.AuthenticatedClient(base_url=self.base, token=token)

    def key(self, name: str) -> str:
        made = self.varna.create_api_key(
            name=name, scopes=["requests", "read"], created_by="test", now=NOW
        )
        return made.token


def generate(spec: dict[str, Any], into: Path) -> ModuleType:
    """Write ``spec``, run the generator on it and import the package it writes."""
    assert GENERATOR.exists(), "the API client generator is missing: run make install"
    (into / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    (into / "generator.yaml").write_text(
        f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\npost_hooks: []\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(into / "openapi.json"),
            "--config",
            str(into / "generator.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(into / PACKAGE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every operation and model was generated
    sys.path.insert(0, str(into))
    return importlib.import_module(PACKAGE)


@pytest.fixture
def generated(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str], tmp_path: Path
) -> Iterator[Generated]:
    demo = demo_company(40)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    package = generate(create_app(varna).openapi(), tmp_path)
    try:
        with served(varna, demo_site=False) as base:
            yield Generated(package, base, varna, demo, inbox)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        varna.close()


def a_customer(demo: Path) -> tuple[str, int]:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        email, cid = conn.execute(
            "SELECT email, id FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email), int(cid)


def submitted(api: Generated, client: Any, kind: str, email: str) -> Any:
    body = api.model("RequestIn")(
        kind=api.model("Kind")(kind),
        identities=[f"email={email}"],
        email=email,
        lang=api.model("RequestInLang")("sv"),
    )
    made = api.operation("requests", "requests_submit").sync(client=client, body=body)
    assert made.state == "received", made
    verify = api.model("VerifyIn")(
        method="signed letter", assurance=api.model("VerifyInAssurance")("staff_document")
    )
    checked = api.operation("requests", "requests_verify").sync(made.id, client=client, body=verify)
    assert checked.state == "verified", checked
    return made


def test_the_generated_client_takes_an_access_request_to_the_extract(
    generated: Generated,
) -> None:
    api = generated
    with api.client(api.key("ticket-system")) as client:
        access_to_the_extract(api, client)


def access_to_the_extract(api: Generated, client: Any) -> None:
    email, _ = a_customer(api.demo)
    made = submitted(api, client, "access", email)
    done = api.operation("requests", "requests_execute").sync(made.id, client=client)
    assert done.state == "answered"
    [answer] = api.operation("requests", "requests_answers").sync(made.id, client=client)
    assert answer.media_type == "application/pdf"
    got = api.operation("requests", "requests_download").sync_detailed(
        made.id, answer.id, client=client
    )
    assert got.status_code == 200
    assert got.content.startswith(b"%PDF")
    assert got.headers["cache-control"] == "no-store"
    downloads = [
        e
        for e in api.varna.audit.iter_events(prefix="request.answer.downloaded")
        if e.target == made.id
    ]
    assert [e.actor for e in downloads] == ["case_handler:api:ticket-system"]
    assert email not in repr([e.details for e in downloads])


def test_the_generated_client_needs_two_keys_for_an_erasure(generated: Generated) -> None:
    api = generated
    with api.client(api.key("handler-anna")) as anna, api.client(api.key("handler-bo")) as bo:
        erasure_with_four_eyes(api, anna, bo)


def erasure_with_four_eyes(api: Generated, anna: Any, bo: Any) -> None:
    email, customer = a_customer(api.demo)
    made = submitted(api, anna, "erasure", email)
    execute = api.operation("requests", "requests_execute")
    approve = api.operation("requests", "requests_approve")
    assert execute.sync(made.id, client=anna).state == "awaiting_approval"
    own = approve.sync_detailed(made.id, client=anna)
    assert own.status_code == 422
    assert "four eyes" in json.loads(own.content)["detail"]
    assert approve.sync(made.id, client=bo).state == "approved"
    assert execute.sync(made.id, client=bo).state == "answered"
    with sqlite3.connect(api.demo / "data" / "crm.db") as conn:
        row = conn.execute("SELECT email FROM customers WHERE id = ?", (customer,)).fetchone()
    assert row is None or row[0] is None
    [receipt] = api.operation("requests", "requests_answers").sync(made.id, client=bo)
    assert receipt.filename == "raderingskvitto.pdf"


def test_operation_ids_are_short_and_unique(varna: Varna) -> None:
    spec = create_app(varna).openapi()
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if "api_v1" in i or i.endswith(("_get", "_post", "_delete"))]
