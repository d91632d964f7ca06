"""Charts of the console's overview: bar charts drawn on the server as SVG (pygal), inline in
the page, readable without JavaScript and by screen readers.

Each chart carries a ``<title>`` and a ``<desc>`` that name it and say what it shows, and is
marked ``role="img"`` labelled by them; the page shows the same figures in a table next to it
(WCAG 1.1.1: a text alternative). pygal's own ``<style>`` and script are dropped, because the
Content-Security-Policy allows styles only from the application's stylesheet: the colours of
the bars and axes are in ``static/console.css`` (``svg.chart``).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

_DEFS = re.compile(r"<defs>.*?</defs>", re.S)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_ROOT = re.compile(
    r'<svg xmlns="http://www.w3.org/2000/svg"([^>]*?) id="[^"]*" class="pygal-chart"'
)
"""The chart's root element as pygal writes it: with lxml installed (python-docx brings it)
pygal also declares the xlink namespace before the id."""


def _pygal() -> Any:
    """pygal, without the import hook it adds for its map plug-ins: the hook lacks
    ``find_spec`` and makes every later unresolved import warn (ImportWarning); the console draws
    no maps."""
    import pygal  # type: ignore[import-untyped]

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


def bar_chart(
    slug: str,
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
) -> Markup:
    """An accessible inline SVG bar chart; ``slug`` makes its element ids unique on the page.
    Drawing one takes pygal tens of milliseconds, so the last charts drawn are kept: the
    figures change only when a request comes in or is closed."""
    return Markup(_drawn(slug, title, description, tuple(labels), tuple(values)))


@functools.lru_cache(maxsize=64)
def _drawn(
    slug: str, title: str, description: str, labels: tuple[str, ...], values: tuple[float, ...]
) -> str:
    chart = _pygal().Bar(
        js=[],
        css=[],
        disable_xml_declaration=True,
        no_prefix=True,
        show_legend=False,
        explicit_size=False,
        width=640,
        height=260,
        x_label_rotation=30 if len(labels) > 6 else 0,
        print_values=False,
        min_scale=1,
        max_scale=6,
    )
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    svg = chart.render(is_unicode=True)
    svg = _COMMENTS.sub("", _DEFS.sub("", svg))
    svg = _ROOT.sub(
        f'<svg xmlns="http://www.w3.org/2000/svg"\\1 id="chart-{slug}" class="pygal-chart chart" '
        f'role="img" aria-labelledby="chart-{slug}-title chart-{slug}-desc"',
        svg,
        count=1,
    )
    named = (
        f'<title id="chart-{slug}-title">{escape(title)}</title>'
        f'<desc id="chart-{slug}-desc">{escape(description)}</desc>'
    )
    return svg.replace("<title>Pygal</title>", named, 1)
