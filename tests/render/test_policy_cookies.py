"""The policy's cookie section and the cookie banner are rendered from the same register
declarations (LEK 9 kap. 28 §; GDPR Art. 13(1)(c)): every declared cookie, its provider and
lifetime appear in the Swedish and English policy, as HTML and as PDF, as the banner shows them;
a cookie added to the register appears in both, one removed leaves both."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import varna.demo
from varna.core.cookie_ops import plan_banner_config
from varna.register import Register, load_register
from varna.render import PolicyFormat, render_policy

DEMO = Path(varna.demo.__file__).parent / "register.yaml"


def as_text(content: bytes, fmt: PolicyFormat, tmp: Path) -> str:
    if fmt is PolicyFormat.pdf:
        pdf = tmp / "policy.pdf"
        pdf.write_bytes(content)
        tool = shutil.which("pdftotext")
        assert tool, "pdftotext (poppler-utils): run scripts/install-system-deps"
        out = subprocess.run([tool, str(pdf), "-"], check=True, capture_output=True)
        text = re.sub("\u00ad\\s*", "", out.stdout.decode())  # words hyphenated at a line end
    else:
        text = html.unescape(re.sub(r"<[^>]+>", " ", content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def with_cookie(register: Register) -> Register:
    """The register with one more statistics cookie, and the advertising service removed."""
    data = register.model_dump(mode="json", exclude_none=True)
    data["cookies"]["statistics"]["cookies"].append(
        {"name": "_bs_ref", "lifetime": "30 days", "purpose": {"sv": "Varifrån.", "en": "From."}}
    )
    del data["cookies"]["advertising"]
    return Register.model_validate(data)


@pytest.fixture(scope="module")
def registers() -> dict[str, Register]:
    demo = load_register(DEMO)
    return {"demo": demo, "changed": with_cookie(demo)}


def shown(register: Register, lang: str) -> list[tuple[str, str, str]]:
    """(cookie, provider, lifetime) as the banner shows them in ``lang``."""
    config: dict[str, Any] = plan_banner_config(
        register, policy_version=None, policy_url=None, gpc=False
    )
    return [
        (c["name"], s["provider"], c["lifetime"][lang])
        for s in config["services"]
        for c in s["cookies"]
    ]


CASES = [
    pytest.param(reg, lang, fmt, id=f"{reg}-{lang}-{fmt.value}")
    for reg in ("demo", "changed")
    for lang in ("sv", "en")
    for fmt in (PolicyFormat.html, PolicyFormat.pdf)
]


@pytest.mark.parametrize(("which", "lang", "fmt"), CASES)
def test_the_policy_lists_what_the_banner_lists(
    registers: dict[str, Register], which: str, lang: str, fmt: PolicyFormat, tmp_path: Path
) -> None:
    register = registers[which]
    text = as_text(render_policy(register, lang=lang, fmt=fmt).content, fmt, tmp_path)
    cookies = shown(register, lang)
    names = {name for name, _, _ in cookies}
    assert names == {c.name for s in register.cookies.values() for c in s.cookies}
    for name, provider, lifetime in cookies:
        assert provider in text
        assert re.search(re.escape(name) + r"\s*:\s*" + re.escape(lifetime), text, re.I), (
            f"{name}: {lifetime} not in the {lang} {fmt.value} policy"
        )
    if which == "changed":
        assert "_bs_ref" in names
        assert "_an_uid" not in text
        assert "Annonsnätverket" not in text
    else:
        assert "_an_uid" in text
