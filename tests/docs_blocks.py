"""Read the executed code blocks of the docs pages, the way markdown-exec sees them.

Shared by tests/test_docs.py (which runs them) and by the parity check.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGS = ("en", "zh")

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]+)?(?P<rest>.*)$")
_OPTION = re.compile(r'(?P<key>[\w-]+)=(?:"(?P<q>[^"]*)"|(?P<v>\S+))')
_FALSY = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # 1-based line of the opening fence
    lang: str
    options: dict = field(hash=False)
    code: str

    @property
    def executed(self) -> bool:
        value = self.options.get("exec")
        return value is not None and value.lower() not in _FALSY

    @property
    def session(self) -> str | None:
        return self.options.get("session")

    def where(self) -> str:
        return f"{self.page}:{self.line}"


def page_path(stem: str, lang: str) -> Path:
    """`activations`, `zh` -> docs/activations.zh.md (English has no suffix)."""
    return DOCS / (f"{stem}.md" if lang == "en" else f"{stem}.{lang}.md")


def page_stems() -> list[str]:
    """Every page, as its path below docs/ without the language suffix and `.md`."""
    stems = set()
    for path in DOCS.rglob("*.md"):
        stem = path.relative_to(DOCS).as_posix().removesuffix(".md")
        for lang in LANGS[1:]:
            stem = stem.removesuffix(f".{lang}")
        stems.add(stem)
    return sorted(stems)


def blocks(path: Path) -> list[Block]:
    """All fenced code blocks of a page, indented ones (tabs, admonitions) included."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m or m.group("lang") is None:
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        options = {o.group("key"): o.group("q") if o.group("q") is not None else o.group("v")
                   for o in _OPTION.finditer(m.group("rest"))}
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence) and lines[j].strip().strip(fence[0]) == ""):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        found.append(Block(path.relative_to(ROOT).as_posix(), i + 1, m.group("lang"), options, "\n".join(body) + "\n"))
        i = j + 1
    return found


def executed_blocks(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.executed]


def python_source(block: Block) -> str:
    """The Python that markdown-exec runs: pycon blocks keep only their `>>>`/`...` lines."""
    if block.lang != "pycon":
        return block.code
    kept = [line[4:] for line in block.code.splitlines() if line.startswith((">>> ", "... ")) or line in (">>>", "...")]
    return "\n".join(kept) + "\n"


def without_comments(source: str) -> str:
    """Source with comments and blank lines removed: what parity compares."""
    out = []
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    comment_at = {}
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            comment_at[tok.start[0]] = tok.start[1]
    for n, line in enumerate(source.splitlines(), start=1):
        if n in comment_at:
            line = line[: comment_at[n]]
        if line.strip():
            out.append(line.rstrip())
    return "\n".join(out)


__all__ = ["DOCS", "LANGS", "ROOT", "Block", "blocks", "executed_blocks", "page_path", "page_stems",
           "python_source", "without_comments"]
