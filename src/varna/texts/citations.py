"""Articles and statutes as a reader of each language writes them.

``article("6(1)(b)", t)`` is ``Article 6(1)(b)`` in English and ``artikel 6.1 b`` in Swedish:
both the word and the numbering style are catalog entries, so a translator sets them for a new
language. Statutes come from :data:`varna.law.citations.STATUTES`, which names each in Swedish and
English; a language other than those two cites the Swedish statute by its English name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from varna.law.citations import STATUTES
from varna.texts.catalog import Texts

NBSP = "\u00a0"
"""A no-break space: keeps ``artikel 6.1 a`` and ``7 kap. 2 §`` on one line."""

_SFS = re.compile(
    r"^(?P<title>\w*lag) \((?P<sfs>\d{4}:\d+)\)(?P<rest>.*?),? ?(?P<place>(?:\d+ kap\. )?\d+ §)?$",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\s*\((?![0-9]{4}:)[^()]*\)$")


@lru_cache(maxsize=1024)
def article(ref: str, t: Texts) -> str:
    """A GDPR article written as ``6(1)(b)``: ``Article 6(1)(b)`` / ``artikel 6.1 b``."""
    # Translators: how this language numbers paragraphs and points of an article: "parentheses"
    # for 6(1)(b), "dots" for 6.1 b. Write one of the two words, untranslated.
    style = t.pgettext("article numbering", "parentheses")
    if style == "dots":
        head, *parts = re.split(r"[()]+", ref.strip(")"))
        numbers = [p for p in parts if p.isdigit()]
        letters = [p for p in parts if p and not p.isdigit()]
        ref = ".".join([head, *numbers]) + "".join(NBSP + x for x in letters)
    return t.gettext("Article {ref}", ref=ref).replace(" ", NBSP, 1)


@lru_cache(maxsize=1024)
def statute(ref: str, t: Texts) -> str:
    """A statute named in a register: ``7 kap. 2 § bokföringslagen (1999:1078)`` / ``the Swedish
    Accounting Act (1999:1078), chapter 7 section 2``; text that is no known key stays as written.
    """
    citation = STATUTES.get(ref)
    if citation is None:
        return ref
    if t.lang != "sv":
        return "the " + _TOPIC.sub("", citation.full_en) if t.lang == "en" else citation.full_en
    text = _TOPIC.sub("", citation.full_sv)
    match = _SFS.match(text)
    if match is None:
        keep = len(text) > 1 and (text[1].isupper() or text[1].isdigit())
        return text if keep else text[:1].lower() + text[1:]
    name = f"{match['title'].lower()}en ({match['sfs']}){match['rest']}"
    return f"{match['place'].replace(' ', NBSP)}{NBSP}{name}" if match["place"] else name
