"""MkDocs hook: tell dlref.plots which language the page being rendered is in.

Both languages run the very same code blocks (the parity rule), so figures learn
their label language from here rather than from an argument in the page. With
mkdocs-static-i18n's suffix layout, ``page.zh.md`` is the Chinese twin.
"""

from __future__ import annotations

from typing import Any

from dlref import plots


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    plots.set_language("zh" if page.file.src_uri.endswith(".zh.md") else "en")
    return markdown
