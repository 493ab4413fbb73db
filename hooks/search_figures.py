"""MkDocs hook: keep the inline SVG figures out of Material's search indexer.

Material's search plugin parses each page's HTML, element by element, to cut it into
sections. The figures are inline SVG whose text is drawn as glyph paths: thousands of
elements that hold no searchable word, and most of the indexing time of a chapter.

Before the search plugin reads the page, each ``<svg>…</svg>`` is swapped for an empty
placeholder; once the page is rendered, the placeholders get their figures back. The
page a reader receives is byte for byte what it would be without this hook.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_PLACEHOLDER = re.compile(r'<svg data-dlref-figure="(\d+)"></svg>')
_figures: dict[str, list[str]] = {}


def stash(html: str) -> tuple[str, list[str]]:
    """Replace every SVG element by a numbered placeholder; return the html and the figures."""
    figures: list[str] = []

    def keep(match: re.Match[str]) -> str:
        figures.append(match.group(0))
        return f'<svg data-dlref-figure="{len(figures) - 1}"></svg>'

    return _SVG.sub(keep, html), figures


def restore(html: str, figures: list[str]) -> str:
    """Put the figures back where `stash` left their placeholders."""
    return _PLACEHOLDER.sub(lambda match: figures[int(match.group(1))], html)


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context: dict[str, Any], page: Any, **_: Any) -> dict[str, Any]:
    page.content, _figures[page.file.src_uri] = stash(page.content)
    return context


def on_post_page(output: str, page: Any, **_: Any) -> str:
    return restore(output, _figures.pop(page.file.src_uri, []))
