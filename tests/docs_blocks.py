"""The docs pages and their executed code blocks, read by the build's own parser (hooks/exec_workers.py)."""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT, load_hook

DOCS = ROOT / "docs"
LANGS = ("en", "zh")

_workers = load_hook("exec_workers")
Block = _workers.Block


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


def executed_blocks(path: Path) -> list[Block]:
    return [b for b in _workers.page_blocks(path.read_text(encoding="utf-8")) if b.executed]


def where(path: Path, block: Block) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{block.line}"


__all__ = ["DOCS", "LANGS", "ROOT", "Block", "executed_blocks", "page_path", "page_stems", "where"]
