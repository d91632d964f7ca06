"""Jinja2 for the web pages: templates of the web layer and the document blocks of the renderer,
words from the text catalogs (:mod:`varna.texts`), autoescaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from varna.texts import texts_for

LANGUAGES = ("sv", "en")
"""The languages of the privacy centre, the first the default."""


@cache
def environment() -> Environment:
    """The one Jinja2 environment of the web layer."""
    return Environment(
        loader=ChoiceLoader(
            [PackageLoader("varna.web", "templates"), PackageLoader("varna.render", "templates")]
        ),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship in the package: compiled once, never re-checked
    )


def render_page(name: str, *, lang: str, **context: Any) -> str:
    """Template ``name`` in ``lang``: ``_()`` and ``ngettext()`` in it speak that language."""
    texts = texts_for(lang)
    template = environment().get_template(name)
    return template.render(
        lang=lang,
        _=texts.gettext,
        gettext=texts.gettext,
        ngettext=texts.ngettext,
        languages=LANGUAGES,
        **context,
    )


def pick_language(accept_language: str | None) -> str:
    """The centre's language for an ``Accept-Language`` header: the first of ours it names."""
    if accept_language:
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().lower()
            primary = tag.split("-")[0]
            if primary in LANGUAGES:
                return primary
    return LANGUAGES[0]
