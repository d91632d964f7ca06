"""Under CI a skipped test fails the run; locally it stays a skip. The shared data skips with
its reason when absent."""

from __future__ import annotations

import pytest

import shared_data

SKIPPING = """
import pytest

def test_runs():
    assert True

def test_needs_something_absent():
    pytest.skip("the thing is absent")
"""
PASSING = """
def test_runs():
    assert 1 + 1 == 2
"""


@pytest.mark.parametrize(
    ("ci", "source", "code"),
    [
        pytest.param("true", SKIPPING, pytest.ExitCode.TESTS_FAILED, id="ci-skip-fails"),
        pytest.param("true", PASSING, pytest.ExitCode.OK, id="ci-no-skip-passes"),
        pytest.param(None, SKIPPING, pytest.ExitCode.OK, id="local-skip-passes"),
    ],
)
def test_ci_fails_on_any_skip(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    ci: str | None,
    source: str,
    code: pytest.ExitCode,
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(test_inner=source)
    result = pytester.runpytest("-p", "ci_guard", "-ra", "-p", "no:cacheprovider")
    assert result.ret == code
    said = "under CI nothing may be skipped" in result.stdout.str()
    assert said is (code == pytest.ExitCode.TESTS_FAILED)


@pytest.mark.parametrize(
    ("parts", "present"),
    [
        pytest.param(("no-such-data-set",), False, id="absent"),
        pytest.param((), True, id="present"),
    ],
)
def test_shared_data_skips_with_its_reason(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    parts: tuple[str, ...],
    present: bool,
) -> None:
    monkeypatch.setattr(shared_data, "SHARED_DATA", tmp_path_factory.mktemp("data"))
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(
        test_inner=f"""
from shared_data import shared_data

def test_reads():
    assert shared_data(*{parts!r}).is_dir()
"""
    )
    result = pytester.runpytest_inprocess("-ra", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes == ({"passed": 1} if present else {"skipped": 1})
    if not present:
        result.stdout.fnmatch_lines(["*data *no-such-data-set, absent in a plain clone*"])
