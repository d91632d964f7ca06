"""A web app around a real Varna on a copy of a seed register, with its state on SQLite."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

SEED = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "004_65b7c35b520ab143.yaml"


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    target = tmp_path / "varna.yaml"
    shutil.copy(SEED, target)
    return target


@pytest.fixture
def varna(register_file: Path, tmp_path: Path) -> Iterator[Varna]:
    settings = Settings(home=tmp_path / "home", audit_key="test-audit-key-0123456789abcdef")
    service = Varna(settings, register_path=register_file)
    yield service
    service.close()


@pytest.fixture
def client(varna: Varna) -> Iterator[TestClient]:
    with TestClient(create_app(varna)) as test_client:
        yield test_client
