"""The build's other MkDocs hooks: figures kept out of the search indexer, and the cache's worker."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Build, load_hook

search_index = load_hook("search_index")
workers = load_hook("exec_workers")

PAGE = """# Title

```python exec="on" session="s" result="text"
x = 1  # one
print(x)
```

=== "Tab"

    ```pycon exec="on" session="s"
    >>> x + 1
    2
    ```

```python
print("not executed")
```

```python exec="off"
print("off")
```
"""


def test_stash_and_restore_give_back_the_same_html() -> None:
    html = ('<p>a</p><div class="dlref-figure"><svg role="img" width="10"><path d="M 0 0"/></svg></div>'
            '<p>b</p><svg><g/></svg><details class="mkdocstrings-source"><pre>$k$</pre></details><p>c</p>')
    stashed, kept = search_index.stash(html)
    assert "<path" not in stashed and "$k$" not in stashed and len(kept) == 3
    assert stashed.count("data-dlref-stash") == 3 and "<p>c</p>" in stashed
    assert search_index.restore(stashed, kept) == html


def test_the_search_index_holds_no_figure_or_source_listing(built_site: Build) -> None:
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert docs
    assert not [d["location"] for d in docs if "<svg" in d["text"] or "data-dlref-stash" in d["text"]]
    assert not [d["location"] for d in docs if 'r"""' in d["text"]], "docstring source in the index"
    page = (built_site.site / "activations" / "index.html").read_text(encoding="utf-8")
    assert "data-dlref-stash" not in page and page.count("<svg") > 10
    api = (built_site.site / "api" / "conv" / "index.html").read_text(encoding="utf-8")
    assert api.count('<details class="mkdocstrings-source">') > 5


def test_page_blocks_reads_fences_as_markdown_exec_does() -> None:
    blocks = workers.page_blocks(PAGE)
    assert [(b.line, b.lang, b.executed, b.session) for b in blocks] == [
        (3, "python", True, "s"), (10, "pycon", True, "s"), (15, "python", False, None), (19, "python", False, None)]
    assert blocks[0].python == "x = 1  # one\nprint(x)"
    assert blocks[1].python == "x + 1"  # the pycon prompt is dropped; the expected output is not code


def test_plan_lists_pages_with_code_last_first_per_language(tmp_path: Path) -> None:
    for name in ("a.md", "a.zh.md", "b.md", "b.zh.md", "c.md"):
        (tmp_path / name).write_text(PAGE if name != "c.md" else "# no code\n", encoding="utf-8")
    calls = []

    def cached(page: str, language: str, blocks: list) -> bool:
        calls.append((page, language, len(blocks)))
        return page == "b.zh.md"  # as if the cache had it already

    languages = workers.plan(tmp_path, [{"A": "a.md"}, {"B": "b.md"}, {"C": "c.md"}], {".md": "en", ".zh.md": "zh"},
                             cached)
    assert [[p["page"] for p in pages] for pages in languages] == [["b.md", "a.md"], ["a.zh.md"]]
    assert languages[0][0]["blocks"] == [("x = 1  # one\nprint(x)", "s", 3), ("x + 1", "s", 10)]
    assert ("a.zh.md", "zh", 2) in calls


def test_a_page_is_claimed_once(tmp_path: Path) -> None:
    assert workers.claim(tmp_path, "api/x.md")
    assert not workers.claim(tmp_path, "api/x.md")
    assert workers.claim(tmp_path, "api/x.zh.md")
