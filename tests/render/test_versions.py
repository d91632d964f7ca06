"""Publishing versions: hashes, the changelog against the previous version, idempotence."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from varna.register import Register
from varna.render import JsonlVersionStore, PublishError, publish_policy
from varna.render.versions import register_hash

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _edited(register: Register, **policy: Any) -> Register:
    data = register.model_dump(mode="json")
    data["controller"]["policy"].update(policy)
    data["activities"]["newsletter"]["categories"].append("contact.phone")
    return Register.model_validate(data)


def test_first_version_has_hashes_and_no_changes(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    result = publish_policy(complete, store=store, now=NOW)
    assert result.created
    v = result.version
    assert v.effective_date == date(2026, 3, 1)
    assert v.version == "2026-2"
    assert v.register_hash == register_hash(complete)
    assert set(v.content_hashes) == {"sv", "en"}
    assert all(len(h) == 64 for h in v.content_hashes.values())
    assert v.changes == ()
    assert not v.material
    assert store.versions() == [v]


def test_publishing_again_records_nothing(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "v.jsonl")
    publish_policy(complete, store=store, now=NOW)
    again = publish_policy(complete, store=store, now=NOW)
    assert not again.created
    assert len(store.versions()) == 1


def test_next_version_carries_the_changelog(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "v.jsonl")
    publish_policy(complete, store=store, now=NOW)
    newer = _edited(complete, version="2026-3", effective_date="2026-05-01")
    v = publish_policy(newer, store=store, now=NOW).version
    assert v.material
    assert v.notify_channels == ("email", "customer_portal")
    assert [c.kind for c in v.changes] == ["category_added"]
    assert [x.version for x in store.versions()] == ["2026-2", "2026-3"]


def test_changed_register_needs_a_new_label(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "v.jsonl")
    publish_policy(complete, store=store, now=NOW)
    with pytest.raises(PublishError, match=r"give controller\.policy\.version a new label"):
        publish_policy(_edited(complete), store=store, now=NOW)


def test_effective_date_override_is_what_the_text_says(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "v.jsonl")
    v = publish_policy(complete, store=store, now=NOW, effective=date(2026, 4, 1)).version
    assert v.effective_date == date(2026, 4, 1)
    assert v.register["controller"]["policy"]["effective_date"] == "2026-04-01"


def test_no_date_anywhere_is_an_error(complete: Register, tmp_path: Path) -> None:
    data = complete.model_dump(mode="json")
    data["controller"]["policy"]["effective_date"] = None
    with pytest.raises(PublishError, match="--effective"):
        publish_policy(
            Register.model_validate(data), store=JsonlVersionStore(tmp_path / "v"), now=NOW
        )


# -- the gate: no policy is published from a register with errors --------------------------------


def _with(register: Register, **controller: Any) -> Register:
    data = register.model_dump(mode="json")
    data["controller"].update(controller)
    return Register.model_validate(data)


def _without_basis(register: Register) -> Register:
    data = register.model_dump(mode="json")
    data["activities"]["newsletter"]["legal_bases"] = []
    return Register.model_validate(data)


GATED = [
    pytest.param(lambda r: _with(r, name="OKÄND AB"), "placeholder", id="placeholder-name"),
    pytest.param(lambda r: _with(r, name=None), "controller-identity", id="no-controller-name"),
    pytest.param(_without_basis, "no-legal-basis", id="activity-without-basis"),
]


@pytest.mark.parametrize(("edit", "rule"), GATED)
def test_a_register_with_errors_is_refused(
    complete: Register, tmp_path: Path, edit: Any, rule: str
) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    with pytest.raises(PublishError, match=rf"{rule} \(\d+\).*--force"):
        publish_policy(edit(complete), store=store, now=NOW)
    assert store.versions() == []


@pytest.mark.parametrize(("edit", "rule"), GATED)
def test_force_publishes_and_records_who(
    complete: Register, tmp_path: Path, edit: Any, rule: str
) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    v = publish_policy(edit(complete), store=store, now=NOW, force=True, actor="cli:dpo").version
    assert v.check is not None
    assert v.check.forced_by == "cli:dpo"
    assert v.check.errors >= 1
    assert rule in v.check.error_rules
    assert store.versions()[-1].check == v.check


def test_force_without_an_actor_is_refused(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    with pytest.raises(PublishError, match="who forced it"):
        publish_policy(_without_basis(complete), store=store, now=NOW, force=True)


def test_a_clean_register_records_its_check(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    v = publish_policy(complete, store=store, now=NOW, force=True, actor="cli:dpo").version
    assert v.check is not None
    assert (v.check.errors, v.check.forced_by, v.check.on) == (0, None, date(2026, 3, 1))
    assert v.check.warnings == store.versions()[0].check.warnings  # type: ignore[union-attr]


def test_versions_published_before_the_gate_still_load(complete: Register, tmp_path: Path) -> None:
    store = JsonlVersionStore(tmp_path / "policy-versions.jsonl")
    v = publish_policy(complete, store=store, now=NOW).version
    old = json.loads(v.to_json())
    del old["check"]
    store.path.write_text(json.dumps(old) + "\n", encoding="utf-8")
    assert store.versions()[0].check is None
