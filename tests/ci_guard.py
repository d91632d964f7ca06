"""Under CI nothing may be skipped: a pytest plugin (loaded by ``conftest.py``).

When the ``CI`` variable is set (``.ci/run`` sets it), a run in which any test was skipped fails,
after the usual summary (``-ra``) has said which tests and why. Locally a skip stays a skip, for
example the tests of the shared data in a plain clone (``shared_data.py``).
"""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not os.environ.get("CI") or hasattr(session.config, "workerinput"):
        return  # not under CI, or an xdist worker (the controller sees every report)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_sep(
                "!",
                f"CI: {skipped} test(s) skipped, and under CI nothing may be skipped "
                "(the reasons are in the short test summary)",
                red=True,
            )
