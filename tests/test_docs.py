"""The docs are tested like code: every executed block runs, both languages match, the build is strict."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

import dlref
from dlref import plots

from .conftest import Build, load_hook
from .docs_blocks import DOCS, LANGS, executed_blocks, page_path, page_stems, where

STEMS = page_stems()
exec_cache = load_hook("exec_cache")
SUBMODULES = ("dlref.activations", "dlref.autograd", "dlref.boxes", "dlref.conv", "dlref.data", "dlref.experiments",
              "dlref.init", "dlref.layers", "dlref.losses", "dlref.lr_scheduler", "dlref.metrics", "dlref.models",
              "dlref.norm", "dlref.optim", "dlref.plots", "dlref.quant", "dlref.summary", "dlref.train")


@pytest.mark.parametrize("stem", STEMS)
def test_every_page_exists_in_both_languages(stem: str) -> None:
    missing = [page_path(stem, lang).name for lang in LANGS if not page_path(stem, lang).exists()]
    assert not missing, f"docs/{stem}: missing translation(s) {missing}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stem", STEMS)
def test_executed_blocks_run(stem: str, lang: str) -> None:
    """Run a page's exec blocks in order through the build's own runner (no cache), one page at a time."""
    from markdown_exec import ExecutionError

    path = page_path(stem, lang)
    runner = exec_cache.Runner(None, "", exec_cache.BlockContext())
    runner.start_page(path.relative_to(DOCS).as_posix(), lang)
    for block in executed_blocks(path):
        try:
            output = runner.run_block(block.python, block.session, block.line)
        except ExecutionError as error:
            pytest.fail(f"{where(path, block)}: block raised\n{error}")
        if block.options.get("html") in {"on", "1", "true", "yes"}:
            assert output.strip(), f"{where(path, block)}: an html block that prints nothing shows nothing"
    plots.set_language("en")


@pytest.mark.parametrize("stem", STEMS)
def test_parity_of_executed_code(stem: str) -> None:
    """English and Chinese run the same code, in the same order; only comments and prose differ."""
    pages = {lang: page_path(stem, lang) for lang in LANGS}
    if not all(p.exists() for p in pages.values()):
        pytest.skip("the missing twin is reported by test_every_page_exists_in_both_languages")

    def signature(path: Path) -> list[tuple[str, str, str]]:
        return [(b.lang, json.dumps(b.options, sort_keys=True), exec_cache.normalized(b.python))
                for b in executed_blocks(path)]

    en, zh = signature(pages["en"]), signature(pages["zh"])
    assert len(en) == len(zh), f"docs/{stem}: {len(en)} exec blocks in English, {len(zh)} in Chinese"
    for n, (a, b) in enumerate(zip(en, zh, strict=True), start=1):
        assert a == b, f"docs/{stem}: exec block #{n} differs between languages:\n--- en\n{a[2]}\n--- zh\n{b[2]}"


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_strict_build_has_no_traceback(built_site: Build) -> None:
    bad = [p.relative_to(built_site.site).as_posix() for p in _html_pages(built_site.site)
           if "Traceback (most recent call last)" in p.read_text(encoding="utf-8")]
    assert not bad, f"pages show a Python traceback: {bad}"


def test_both_languages_are_built(built_site: Build) -> None:
    for stem in STEMS:
        url = "" if stem == "index" else stem.removesuffix("/index") + "/"
        for prefix in ("", "zh/"):
            assert (built_site.site / prefix / url / "index.html").exists(), f"/{prefix}{url} was not built"


def _public_names() -> list[str]:
    """Fully qualified name of every public object: dlref.__all__ and each submodule's __all__."""
    names = set()
    for name in dlref.__all__:
        obj = getattr(dlref, name)
        if hasattr(obj, "__all__") and getattr(obj, "__name__", "").startswith("dlref."):
            module = obj
            names.update(f"{module.__name__}.{member}" for member in module.__all__)
        else:
            # A re-export is documented where it is defined: its module, or the submodule whose __all__ has it.
            home = [m for m in SUBMODULES if name in importlib.import_module(m).__all__]
            module_name = home[0] if home else (getattr(obj, "__module__", None) if callable(obj) else None)
            names.add(f"{module_name or 'dlref'}.{name}")
    for module_name in SUBMODULES:
        module = importlib.import_module(module_name)
        names.update(f"{module_name}.{member}" for member in module.__all__)
    return sorted(names)


def test_api_reference_lists_every_public_name(built_site: Build) -> None:
    api_html = "".join(p.read_text(encoding="utf-8") for p in (built_site.site / "api").rglob("*.html"))
    missing = [name for name in _public_names() if f'id="{name}"' not in api_html]
    assert not missing, f"public names missing from the API reference: {missing}"


def test_search_index_has_chinese_entries(built_site: Build) -> None:
    indexes = list(built_site.site.rglob("search_index.json"))
    assert indexes, "no search index was built"
    docs = [d for p in indexes for d in json.loads(p.read_text(encoding="utf-8"))["docs"]]
    chinese = [d for d in docs if re.search(r"[\u4e00-\u9fff]", d["title"] + d["text"])]
    english = [d for d in docs if "activation" in (d["title"] + d["text"]).lower()]
    assert chinese, "the search index has no Chinese entries"
    assert any("激活" in d["text"] for d in chinese), "the Chinese search index does not contain 激活"
    assert english, "the search index has no English entries for 'activation'"


def _glossary() -> list[dict[str, str]]:
    import csv

    with (DOCS / "data" / "glossary.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_glossary_has_one_chinese_term_per_english_term() -> None:
    terms = _glossary()
    assert terms, "the glossary is empty"
    for column in ("en", "zh"):
        values = [t[column].lower() for t in terms]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        assert not duplicates, f"glossary: {column} terms listed twice: {duplicates}"
    for t in terms:
        assert all(t[k].strip() for k in ("en", "zh", "chapter", "definition_en", "definition_zh")), t
        assert page_path(t["chapter"], "en").exists(), f"glossary: {t['en']!r} names a missing chapter {t['chapter']!r}"


def test_chapters_use_their_glossary_terms() -> None:
    """Each term appears in its chapter, in English on the English page and in Chinese on the Chinese one."""
    import re as _re

    missing = []
    for t in _glossary():
        for lang, key in (("en", "en"), ("zh", "zh")):
            text = page_path(t["chapter"], lang).read_text(encoding="utf-8").lower()
            # "rectified linear unit (ReLU)" counts as used when either form appears.
            forms = [t[key].lower()] + [f.strip().lower() for f in _re.findall(r"[（(]([^）)]+)[）)]", t[key])]
            forms += [_re.sub(r"\s*[（(].*[）)]", "", t[key]).strip().lower()]
            if not any(form and form in text for form in forms):
                missing.append(f"{lang}: {t[key]!r} not on {page_path(t['chapter'], lang).name}")
    assert not missing, "glossary terms not used where they are defined:\n" + "\n".join(missing)


def test_generated_content_follows_the_page_language(built_site: Build) -> None:
    """Language-dependent blocks give Chinese output on Chinese pages; language-free ones match."""
    en = (built_site.site / "activations" / "index.html").read_text(encoding="utf-8")
    zh = (built_site.site / "zh" / "activations" / "index.html").read_text(encoding="utf-8")
    assert "<th>range</th>" in en and "<th>值域</th>" in zh
    assert 'aria-label="Gradient bound against depth"' in en and 'aria-label="梯度上界随层数的变化"' in zh
    # a language-free block's output is the same on both pages
    output = re.search(r"no activation: max \|layer2\(layer1\(x\)\) - \(Wx \+ b\)\| = [-+.e0-9]+", en)
    assert output and output.group(0) in zh


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _heading_ids(path: Path) -> list[tuple[int, str | None]]:
    """(level, explicit id or None) of each Markdown heading outside code fences and front matter."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    found, fence = [], None
    for line in text.splitlines():
        m = _FENCE.match(line)
        if m:
            fence = m.group(1) if fence is None else (None if line.strip().strip(fence[0]) == "" else fence)
            continue
        h = _HEADING.match(line) if fence is None else None
        if h:
            # `__` in an id would be read as bold before the id is: ids use single hyphens and underscores only
            explicit = re.search(r"\{#((?:[^}\s_]|_(?!_))+)\}$", h.group(2))
            found.append((len(h.group(1)), explicit.group(1) if explicit else None))
    return found


@pytest.mark.parametrize("stem", STEMS)
def test_headings_carry_ids_shared_by_both_languages(stem: str) -> None:
    """The language switch keeps the reader's place only if each heading has the same id in both languages."""
    en, zh = (_heading_ids(page_path(stem, lang)) for lang in LANGS)
    assert all(hid for _, hid in en), f"docs/{stem}.md: headings without an explicit {{#id}}"
    assert en == zh, f"docs/{stem}: the two languages' headings differ in level or id"


_INLINE_MATH = re.compile(r"(?<![$\\])\$(?!\$)([^$]+?)(?<![$\\])\$(?!\$)")


def test_docstring_inline_math_can_be_read() -> None:
    """Inline $…$ whose content starts or ends with a space is not math to arithmatex: it shows as raw TeX."""
    import ast

    bad = []
    for path in sorted((DOCS.parent / "src" / "dlref").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
                doc = re.sub(r"\$\$.*?\$\$", "", ast.get_docstring(node, clean=False) or "", flags=re.S)
                bad += [f"{path.name}:{getattr(node, 'name', '<module>')}: {m.group(0)!r}"
                        for m in _INLINE_MATH.finditer(doc) if m.group(1) != m.group(1).strip()]
    assert not bad, "inline math with a space inside its dollars:\n" + "\n".join(bad)


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


@pytest.mark.parametrize("stem", STEMS)
def test_pages_have_no_control_characters(stem: str) -> None:
    """A tab or form feed in a page is nearly always mangled TeX: "\\times" in a non-raw string is a tab + "imes"."""
    bad = []
    for lang in LANGS:
        path = page_path(stem, lang)
        if path.exists():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                bad += [f"{path.name}:{number}: {line.strip()[:80]!r}" for _ in _CONTROL.findall(line)[:1]]
    assert not bad, "control characters (tab, form feed, ...) in:\n" + "\n".join(bad)


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("stem", STEMS)
def test_inline_math_has_no_chinese_text(stem: str) -> None:
    """KaTeX warns on CJK characters in math mode (a console warning in the browser): keep them outside the dollars."""
    bad = []
    for lang in LANGS:
        path = page_path(stem, lang)
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        for number, line in enumerate(text.splitlines(), start=1):
            bad += [f"{path.name}:{number}: {m.group(0)[:60]!r}" for m in _INLINE_MATH.finditer(line)
                    if _CJK.search(re.sub(r"\\text\{[^}]*\}", "", m.group(1)))]  # \text{…} is text mode
    assert not bad, "Chinese text inside $…$:\n" + "\n".join(bad)


_LINK = re.compile(r"\]\(([A-Za-z0-9_./-]*\.md)?#([A-Za-z0-9_-]+)\)")


def test_links_to_headings_land_on_a_heading() -> None:
    """A link `page.md#id` needs `{#id}` on that page (MkDocs only logs a missing anchor, --strict does not fail)."""
    import os

    bad = []
    for path in sorted(DOCS.rglob("*.md")):
        for m in _LINK.finditer(path.read_text(encoding="utf-8")):
            target = Path(os.path.normpath(path.parent / m.group(1))) if m.group(1) else path
            if path.name.endswith(".zh.md") and target.with_suffix(".zh.md").exists() and m.group(1):
                target = target.with_suffix(".zh.md")
            ids = set(re.findall(r"\{#([^}]+)\}", target.read_text(encoding="utf-8"))) if target.exists() else set()
            if m.group(2) not in ids:
                bad.append(f"{path.relative_to(DOCS)}: {m.group(0)}")
    assert not bad, "links to missing headings:\n" + "\n".join(bad)
