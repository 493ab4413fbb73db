"""MkDocs hook: what the two languages look like to a reader's browser.

mkdocs-static-i18n builds English at ``/`` and Chinese at ``/zh/``. Three things about its
output are fixed here, after the pages are rendered:

* **Alternate links.** It writes ``<link rel="alternate" hreflang>`` tags pointing at the
  same page in each language. Material's JavaScript reads every such tag as the root of a
  language and fetches ``sitemap.xml`` next to it: two 404s on every page. The tags go; the
  sitemap keeps the ``hreflang`` alternates, and the language menu keeps its links.
* **The home page's language links** are absolute (``/``, ``/zh/``) while every other
  page's are relative; they become relative, so the site works below any path.
* **One search index per language.** The plugin merges both languages into one index, so a
  reader of ``/zh/`` gets English pages first. Each language gets its own index (the
  Chinese one at ``/zh/search/``), and a Chinese page's search looks there.

``docs/assets/javascripts/links.js`` then carries the ``#fragment`` across the
switch: headings have the same ids in both languages, so the reader keeps their place.

The public address comes from ``DLREF_SITE_URL`` at deploy time (``site_url`` in mkdocs.yml);
a local build has none, so it has no canonical links and its sitemap holds root paths.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

ROOTS = {"zh": "zh/"}  # language -> folder below the site root; the default language is the root
_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
_MENU_LINK = re.compile(r'<a href="(/[^"]*)" hreflang="([^"]*)" class="md-select__link">')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _root_of(url: str) -> str:
    """The language folder of a page URL (``zh/`` or the empty string)."""
    return next((root for root in ROOTS.values() if url.startswith(root)), "")


def rewrite_page(html: str, url: str) -> str:
    """The page at `url` (relative to the site root, e.g. ``zh/losses/``) with the three fixes."""
    html = _ALTERNATE.sub("", html)

    def relative(match: re.Match[str]) -> str:
        href = posixpath.relpath(match.group(1).lstrip("/") or ".", url or ".") + "/"  # every URL is a folder
        return f'<a href="{href}" hreflang="{match.group(2)}" class="md-select__link">'

    html = _MENU_LINK.sub(relative, html)
    root = _root_of(url)
    if not root:
        return html

    def search_base(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        # `base` is where Material looks for search/search_index.json (and nothing else this site uses).
        config["base"] = posixpath.relpath(root, url or ".")
        return match.group(1) + json.dumps(config) + match.group(3)

    return _CONFIG.sub(search_base, html, count=1)


def relative_sitemap(site: Path) -> None:
    """Without a deployment address (``DLREF_SITE_URL``), the sitemap holds paths from the site root.

    The sitemap template prefixes every location with ``site_url``, which is unset in a local build.
    """
    path = site / "sitemap.xml"
    if path.exists():
        text = re.sub(r'(<loc>|href=")None(?:\./)?', r"\1/", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def split_index(site: Path) -> None:
    """Write one search index per language, each with its own pages only."""
    path = site / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    by_root: dict[str, list[dict[str, Any]]] = {"": [], **{root: [] for root in ROOTS.values()}}
    for doc in index["docs"]:
        root = _root_of(doc["location"])
        by_root[root].append({**doc, "location": doc["location"].removeprefix(root)})
    for root, docs in by_root.items():
        target = site / root / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
        if root:  # Material also reads the sitemap next to its base
            shutil.copy(site / "sitemap.xml", site / root / "sitemap.xml")


_state = {"depth": 0}


def on_pre_build(**_: Any) -> None:
    _state["depth"] += 1


def on_build_error(**_: Any) -> None:
    _state["depth"] = 0


def on_post_page(output: str, page: Any, **_: Any) -> str:
    return rewrite_page(output, page.url)


@event_priority(-200)  # after mkdocs-static-i18n has built every language and merged the index
def on_post_build(config: Any, **_: Any) -> None:
    _state["depth"] -= 1
    if _state["depth"] == 0:
        if not config["site_url"]:
            relative_sitemap(Path(config["site_dir"]))
        split_index(Path(config["site_dir"]))
