"""What a server's start costs: starting the application and answering ``/readyz`` imports
neither the PDF engine (Typst), the spreadsheet writer (openpyxl), Alembic's migration machinery
nor the job queue (on SQLite); the schema's head is read from the scripts' text and agrees with
Alembic's own reading."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from varna.state.database import _alembic_config, _scanned_head, head_revision

STARTUP = """
import sys
from starlette.testclient import TestClient
from varna.web.app import app_from_settings
with TestClient(app_from_settings()) as client:
    assert client.get("/readyz").status_code == 200, client.get("/readyz").text
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in {NAMES})))
"""


@pytest.mark.parametrize("module", ["typst", "openpyxl", "alembic", "procrastinate"])
def test_a_server_starts_without_heavy_modules(
    module: str, demo_company: Callable[[int], Path]
) -> None:
    demo_company(20)  # sets the register, the home and the audit key in the environment
    # the state is migrated once (as `varna serve` does before it starts the server)
    from varna.core import Varna
    from varna.settings import Settings

    Varna(Settings()).readiness()
    script = STARTUP.replace("{NAMES}", repr({module}))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == []


def test_the_scanned_head_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    alembic_head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert _scanned_head() == alembic_head
    assert head_revision() == alembic_head


def test_the_first_requests_build_no_routes(
    demo_company: Callable[[int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every route is built once, when its module defines it: serving the first requests
    models no route's parameters or responses again (FastAPI's included routers would, for
    every route, on the first request: about half a second of each process's start)."""
    import fastapi.routing
    from starlette.testclient import TestClient

    from varna.core import Varna
    from varna.settings import Settings
    from varna.web.app import create_app

    demo_company(20)
    app = create_app(Varna(Settings()))
    built: list[str] = []
    real = fastapi.routing._populate_api_route_state

    def counted(route: object, path: str, *args: object, **kwargs: object) -> None:
        built.append(path)
        real(route, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fastapi.routing, "_populate_api_route_state", counted)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        assert client.get("/sv/").status_code == 200
        assert client.get("/api/v1/requests").status_code == 401  # no key: matched, refused
    assert built == []


SETTLED = """
import gc
from varna.web.app import app_from_settings
before = gc.get_freeze_count()
app_from_settings()
print(before, gc.get_freeze_count(), gc.get_threshold()[0])
"""


def test_a_server_process_leaves_what_it_started_with_out_of_the_collectors_sight(
    demo_company: Callable[[int], Path],
) -> None:
    """Each web process, once its application is built, freezes what start-up made and
    collects its young objects less often (the service allocates many per request)."""
    from varna import heap

    demo_company(20)
    done = subprocess.run(
        [sys.executable, "-c", SETTLED], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, frozen, young = (int(n) for n in done.stdout.split())
    assert before == 0
    assert frozen > 10_000  # FastAPI's, pydantic's and SQLAlchemy's objects among them
    assert young == heap.YOUNG_THRESHOLD
