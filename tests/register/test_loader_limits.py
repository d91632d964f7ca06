"""The loader's limits on hostile YAML: alias bombs, recursive aliases, huge files and huge
integers fail fast with a file:line error, before anything is expanded or validated."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from varna.errors import RegisterLoadError
from varna.register import load_register, parse_register
from varna.register.loader import MAX_ALIASES

from .registers import MINIMAL, SOURCE

VALID = MINIMAL.read_text(encoding="utf-8")


def _laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: each level lists the previous one ``width`` times (the 9 x 9
    version is under 350 bytes and expands to 9**9 strings)."""
    lines = ['a: &a ["lol"' + ',"lol"' * (width - 1) + "]"]
    for n in range(1, levels):
        prev, this = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{this}: &{this} [" + ",".join([f"*{prev}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _aliases(uses: int) -> str:
    """The minimal register with one security measure anchored and reused ``uses`` times."""
    items = "    - &m {sv: Behörighetsstyrning}\n" + "    - *m\n" * uses
    return VALID.replace("    - {sv: Behörighetsstyrning}\n", items)


BOMB = _laughs()

HOSTILE = [
    pytest.param(
        BOMB,
        5,
        f"more than {MAX_ALIASES} alias uses",
        "yaml-alias-limit",
        id="alias-bomb-351-bytes",
    ),
    pytest.param(
        "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", None, None, None, id="few-aliases-ok-yaml"
    ),
    pytest.param(
        "a: &a [1, *a]\n", 1, "recursive alias", "yaml-recursive-alias", id="recursive-list"
    ),
    pytest.param(
        "a: &a\n  b: *a\n", 2, "recursive alias", "yaml-recursive-alias", id="recursive-mapping"
    ),
    pytest.param(
        VALID + "x: " + "9" * 5001 + "\n",
        38,
        "beyond 64 bits",
        "yaml-integer-too-large",
        id="integer-5001-digits",
    ),
    pytest.param(
        VALID + f"x: {2**64}\n", 38, "beyond 64 bits", "yaml-integer-too-large", id="integer-2-64"
    ),
    pytest.param(
        VALID + f"x: {-(2**63) - 1}\n",
        38,
        "beyond 64 bits",
        "yaml-integer-too-large",
        id="integer-below-int64",
    ),
    pytest.param(
        VALID + "x: 0x1_0000_0000_0000_0000\n",
        38,
        "beyond 64 bits",
        "yaml-integer-too-large",
        id="integer-hex-65-bits",
    ),
    pytest.param(
        f"a: &a [x]\nb: *a\nc: {2**64}\n",
        3,
        "beyond 64 bits",
        "yaml-integer-too-large",
        id="integer-in-a-file-with-aliases",
    ),
    pytest.param(
        f"a:\n  <<: {{b: 1}}\n  c: {2**64}\n",
        3,
        "beyond 64 bits",
        "yaml-integer-too-large",
        id="integer-in-a-merge",
    ),
    pytest.param(
        _aliases(MAX_ALIASES + 1),
        21,
        f"more than {MAX_ALIASES} alias uses",
        "yaml-alias-limit",
        id="register-with-101-aliases",
    ),
]


@pytest.mark.parametrize(("text", "line", "message", "code"), HOSTILE)
def test_hostile_documents_fail_fast_at_their_line(
    text: str, line: int | None, message: str | None, code: str | None
) -> None:
    started = time.process_time()
    with pytest.raises(RegisterLoadError) as caught:
        parse_register(text, source=SOURCE)
    assert time.process_time() - started < 5  # a runaway expansion would take minutes
    problem = caught.value.problems[0]
    if code is None:  # within the limits: only the schema complains
        assert problem.code != "yaml-alias-limit"
        assert "alias" not in problem.message
        return
    assert (problem.file, problem.line, problem.code) == (SOURCE, line, code)
    assert message is not None
    assert message in problem.message
    assert f"\n{SOURCE}:{line}: " in str(caught.value)


def test_the_bomb_is_a_few_hundred_bytes() -> None:
    assert len(BOMB.encode()) < 400


def _outcome(text: str) -> tuple[str, object]:
    try:
        register = parse_register(text, source=SOURCE)
    except RegisterLoadError as exc:
        return "refused", sorted({(p.code, p.path) for p in exc.problems})
    return "loaded", len(register.security.measures)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        pytest.param(_aliases(MAX_ALIASES), ("loaded", MAX_ALIASES + 1), id="100-aliases"),
        pytest.param(VALID.replace("varna: 1", "varna: 0b1"), ("loaded", 1), id="binary-one"),
        pytest.param(  # fits in 64 bits: the schema, not the limit, refuses the version
            VALID.replace("varna: 1", f"varna: {2**63 - 1}"),
            ("refused", [("invalid-register", "varna")]),
            id="int64-max",
        ),
    ],
)
def test_documents_within_the_limits_reach_the_schema(
    text: str, outcome: tuple[str, object]
) -> None:
    assert _outcome(text) == outcome


@pytest.mark.parametrize(
    ("size", "limit", "refused"),
    [
        pytest.param(2048, 1024, True, id="over"),
        pytest.param(1024, 1024, False, id="at"),
    ],
)
def test_size_limit_is_checked_before_reading(
    tmp_path: Path, size: int, limit: int, refused: bool
) -> None:
    file = tmp_path / "varna.yaml"
    file.write_text(("#" * (size - 1)) + "\n", encoding="utf-8")
    with pytest.raises(RegisterLoadError) as caught:
        load_register(file, max_bytes=limit)
    problem = caught.value.problems[0]
    assert (problem.code == "register-too-large") is refused
    if refused:
        assert f"{size:,} bytes, over the limit of {limit:,}" in problem.message
        assert "VARNA_REGISTER_MAX_BYTES" in str(problem.hint)


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    from varna.core import Varna
    from varna.settings import Settings

    file = tmp_path / "varna.yaml"
    file.write_text(VALID, encoding="utf-8")
    small = Varna(settings=Settings(home=tmp_path, register_max_bytes=1024), register_path=file)
    with pytest.raises(RegisterLoadError, match="over the limit of 1,024"):
        _ = small.register
    big = Varna(settings=Settings(home=tmp_path), register_path=file)
    assert big.register.controller.name == "Exempel AB"
