"""Chinese pages say each glossary term in its glossary Chinese: no English term is left untranslated in their prose.

The glossary (docs/data/glossary.tsv) is the single source. For every English term, each of its forms ("rectified
linear unit (ReLU)" has three: the whole, "rectified linear unit" and "ReLU") is looked for, case-insensitively, on
word boundaries and with an optional plural ending, in the prose of every Chinese page and in the glossary's
definition_zh column. A form is exempt when the glossary's Chinese term itself contains it: the zh column keeps
function names such as sigmoid, softmax, GELU and ReLU in Latin letters, so those may appear in Chinese prose.

Prose is the Markdown text outside fenced code blocks, mkdocstrings directives, front matter, inline code, math
($…$, $$…$$, \\(…\\), \\[…\\]), link targets, heading ids and HTML tags. Four kinds of text are legitimately
English and are left out as well:

- the reference list (the section under a heading with the id `references`): cited works keep their own titles;
- a work's title in italics with no Chinese in it (*A guide to convolution arithmetic for deep learning*);
- a quotation of the source notes in corner brackets (「Smooth L1损失，也常被称为**Huber Loss**」 on the errata
  page): it must be quoted verbatim, English and all, to show what the note says;
- a dotted name such as dlref.activations (a module, in a page title): a name in code, not a word.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import pytest

from .docs_blocks import DOCS, page_path, page_stems

GLOSSARY = DOCS / "data" / "glossary.tsv"
_PARENTHESES = re.compile(r"\s*[（(]([^）)]+)[）)]")


@dataclass(frozen=True)
class Form:
    """One English form of a glossary term that Chinese prose must not use, and the Chinese to use instead."""

    en: str
    zh: str
    pattern: re.Pattern[str]


def _glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def english_forms(en: str) -> list[str]:
    """The forms of a term: "rectified linear unit (ReLU)", "rectified linear unit" and "ReLU"."""
    forms = [en, _PARENTHESES.sub("", en).strip(), *(m.strip() for m in _PARENTHESES.findall(en))]
    return list(dict.fromkeys(f for f in forms if f))


def forbidden_forms() -> list[Form]:
    """Every English form whose glossary Chinese term does not itself contain it."""
    found = []
    for term in _glossary():
        for form in english_forms(term["en"]):
            if form.lower() in term["zh"].lower():
                continue  # e.g. sigmoid -> "sigmoid 函数", ReLU -> "修正线性单元（ReLU）": Latin letters are the term
            words = r"\s+".join(re.escape(w) for w in form.split())
            # Word boundaries that also hold next to CJK characters ("用focal loss" is still an English term).
            # A dot joined to a name on either side makes a dotted name (dlref.activations), which is code.
            pattern = re.compile(rf"(?<![A-Za-z0-9_.-]){words}(?:e?s)?(?![A-Za-z0-9_])(?!\.[A-Za-z0-9_])",
                                 re.IGNORECASE)
            found.append(Form(form, term["zh"], pattern))
    return found


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})\s")
_HEADING_ID = re.compile(r"\s*\{#[^}\s]+\}\s*$")
# Inline code and math in one pattern, so that whichever starts first wins: a backtick inside math
# ("$f^{`}(x)$") is not code, and a dollar sign inside code is not math.
_CODE_OR_MATH = re.compile(
    r"(?P<ticks>`+)(?!`)[^\n]*?(?<!`)(?P=ticks)(?!`)"  # `code`, ``co`de``
    r"|\$\$.*?\$\$|\\\(.*?\\\)|\\\[.*?\\\]"  # $$display$$, \(inline\), \[display\]
    r"|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$",  # $inline$
    re.DOTALL,
)
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"  # CJK punctuation, ideographs and full-width forms
_LATIN_TITLE = re.compile(rf"(?<![*A-Za-z0-9_])\*(?![\s*])[^*\n{_CJK}]+?(?<![\s*])\*(?![*A-Za-z0-9_])")
_NOTE_QUOTE = re.compile(r"「[^」]*」")
_LINK_TARGET = re.compile(r"(?<=\])(\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\])")
_HTML_TAG = re.compile(r"<[^>\n]+>")


def _blank(match: re.Match[str]) -> str:
    """Replace a match by a space, keeping its line breaks so that line numbers stay the file's."""
    return " " + "\n" * match.group(0).count("\n")


def prose(text: str) -> str:
    """The prose of a Markdown page: everything a reader reads as running text (see the module docstring)."""
    lines = text.splitlines()
    front_matter_end = lines.index("---", 1) + 1 if lines[:1] == ["---"] else 0
    kept: list[str] = []
    fence: str | None = None
    directive = False
    references: int | None = None  # the level of the references heading, while inside that section
    for n, line in enumerate(lines):
        kept.append("")  # a dropped line stays as an empty one, so that line numbers are the file's
        m = _FENCE.match(line)
        if n < front_matter_end:
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        # A mkdocstrings directive ("::: dlref.losses") and its indented options are not prose.
        if line.startswith(":::"):
            directive = True
            continue
        if directive and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        directive = False
        heading = _HEADING.match(line)
        if heading and references is not None and len(heading.group(1)) <= references:
            references = None
        if heading and line.rstrip().endswith("{#references}"):
            references = len(heading.group(1))
        if references is not None:
            continue
        kept[-1] = _HEADING_ID.sub("", line) if heading else line
    body = "\n".join(kept)
    for pattern in (_CODE_OR_MATH, _LINK_TARGET, _HTML_TAG, _LATIN_TITLE, _NOTE_QUOTE):
        body = pattern.sub(_blank, body)
    return body


def untranslated(text: str, forms: list[Form]) -> list[str]:
    """Each English glossary form found in `text`, with its line and the Chinese term to use instead."""
    hits = []
    for form in forms:
        for m in form.pattern.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            hits.append(f"line {line}: {m.group(0)!r} -> {form.zh}")
    return hits


CHINESE_PAGES = [stem for stem in page_stems() if page_path(stem, "zh").exists()]


@pytest.mark.parametrize("stem", CHINESE_PAGES)
def test_chinese_prose_has_no_untranslated_glossary_term(stem: str) -> None:
    path = page_path(stem, "zh")
    hits = untranslated(prose(path.read_text(encoding="utf-8")), forbidden_forms())
    assert not hits, f"{path.relative_to(DOCS.parent)}: English glossary terms in Chinese prose:\n" + "\n".join(hits)


def test_chinese_glossary_definitions_have_no_untranslated_glossary_term() -> None:
    forms = forbidden_forms()
    hits = [f"{term['en']!r}: {hit}" for term in _glossary()
            for hit in untranslated(prose(term["definition_zh"]), forms)]
    assert not hits, "glossary.tsv definition_zh uses English glossary terms:\n" + "\n".join(hits)


def test_the_rule_finds_english_terms_in_prose_only() -> None:
    """The rule itself, on a made-up page: what counts as an untranslated term and what is left alone."""
    forms = forbidden_forms()
    page = "\n".join([
        "---", "search: {padding: 1}", "---",
        "# 焦点损失 {#focal-loss}",
        "用focal loss训练，Kernels 很小。",  # two untranslated terms, one next to CJK, one plural
        "sigmoid、softmax 与 ReLU 是术语本身；`F.focal_loss`、`padding=1`、$\\text{stride}$",
        "与 [链接](kernel.md) 不是散文。",
        "```python", "padding = 1  # stride", "```",
        "见 *A guide to convolution arithmetic*；笔记写的是「Focal Loss」；模块 dlref.activations。",
        "## 参考文献 {#references}", "- Lin et al. Focal loss for dense object detection.",
        "## 下一节 {#next}", "padding 又算散文了。",
    ])
    hits = untranslated(prose(page), forms)
    expected = ["line 5: 'focal loss' -> 焦点损失", "line 5: 'Kernels' -> 卷积核", "line 15: 'padding' -> 填充"]
    assert hits == expected, hits
    assert not any(f.en.lower() in {"sigmoid", "softmax", "relu", "logit"} for f in forms)
