"""MkDocs hook: the search index holds the pages' prose, not their figures or source listings.

Material's search plugin parses each page's HTML, element by element, to cut it into
sections, and indexes all the text it finds. Two kinds of content do not belong there:

* the figures, inline SVG whose text is drawn as glyph paths: thousands of elements with
  no searchable word, and most of the indexing time of a chapter;
* the source listings of the API pages (mkdocstrings' "Source code" boxes): their
  docstrings would show up in search previews as raw TeX (``$k, s, p, d$``), and every
  function is already found by its rendered documentation.

Before the search plugin reads a page, each such element is swapped for an empty
placeholder; once the page is rendered, the placeholders get their content back. The
page a reader receives is byte for byte what it would be without this hook.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

_HIDDEN = re.compile(r'<svg\b.*?</svg>|<details class="mkdocstrings-source">.*?</details>', re.S)
_PLACEHOLDER = re.compile(r'<svg data-dlref-stash="(\d+)"></svg>')
_kept: dict[str, list[str]] = {}


def stash(html: str) -> tuple[str, list[str]]:
    """Replace every figure and source listing by a numbered placeholder; return the html and them."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f'<svg data-dlref-stash="{len(kept) - 1}"></svg>'

    return _HIDDEN.sub(keep, html), kept


def restore(html: str, kept: list[str]) -> str:
    """Put back what `stash` took, where it left its placeholders."""
    return _PLACEHOLDER.sub(lambda match: kept[int(match.group(1))], html)


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context: dict[str, Any], page: Any, **_: Any) -> dict[str, Any]:
    page.content, _kept[page.file.src_uri] = stash(page.content)
    return context


def on_post_page(output: str, page: Any, **_: Any) -> str:
    return restore(output, _kept.pop(page.file.src_uri, []))
