"""A second process that fills the execution cache while MkDocs builds: the clean build uses both cores.

MkDocs renders pages one after the other, in one process. When pages miss the cache,
`hooks/exec_cache.py` starts this file as a worker with a *plan*: every page with code,
in build order. The build goes forward through the pages; the worker goes backward
from the last English page (then from the last Chinese one) and runs each page's blocks through the same `Runner`, which
stores the outputs. When the build reaches a page the worker has done, every block is a
cache hit.

Each page is *claimed* before it runs (an exclusive file create), so the two processes
never run the same page: they meet in the middle, and the build waits at most for the
page the worker is running then. The worker is only an accelerator: a page it did not
finish, or a block that failed in it, is simply run by the build itself (which reports
the failure). Pages are read here the way markdown-exec reads them (`page_blocks`);
if the two ever disagreed, the build would miss the cache and run the block itself.

    python hooks/exec_workers.py RUN_DIR     # what exec_cache.py starts; not for people
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]+)?(?P<rest>.*)$")
_OPTION = re.compile(r'(?P<key>[\w-]+)=(?:"(?P<q>[^"]*)"|(?P<v>\S+))')
_FALSY = {"", "0", "false", "no", "off"}
EXECUTABLE = ("python", "py", "pycon")


@dataclass(frozen=True)
class Block:
    """A fenced code block: where it starts, its language, its options and its body."""

    line: int  # 1-based line of the opening fence
    lang: str
    options: dict[str, str] = field(hash=False)
    code: str

    @property
    def executed(self) -> bool:
        return self.lang in EXECUTABLE and self.options.get("exec", "").lower() not in _FALSY

    @property
    def session(self) -> str | None:
        return self.options.get("session") or None

    @property
    def python(self) -> str:
        """The Python that markdown-exec runs."""
        return pycon_source(self.code)[0] if self.lang == "pycon" else self.code


def pycon_source(code: str) -> tuple[str, str]:
    """A pycon block runs its ``>>>``/``...`` lines without the prompts, and shows them with."""
    lines = [line for line in code.split("\n") if line.startswith((">>> ", "... "))]
    return "\n".join(line[4:] for line in lines), "\n".join(lines)


def page_blocks(text: str) -> list[Block]:
    """All fenced code blocks of a page, indented ones (tabs, admonitions) included."""
    lines = text.splitlines()
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
        found.append(Block(i + 1, m.group("lang"), options, "\n".join(body)))
        i = j + 1
    return found


# --------------------------------------------------------------------------- claims


def _flag(run_dir: Path, page: str, kind: str) -> Path:
    return run_dir / f"{page.replace('/', '__')}.{kind}"


def claim(run_dir: Path, page: str) -> bool:
    """Take `page` for this process; False if the other process took it first."""
    try:
        os.close(os.open(_flag(run_dir, page, "claimed"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def finish(run_dir: Path, page: str) -> None:
    _flag(run_dir, page, "done").touch()


@dataclass
class Worker:
    """The build's handle on a running worker."""

    run_dir: Path
    process: subprocess.Popen[bytes]

    def take(self, page: str) -> None:
        """Before the build renders `page`: claim it, or wait until the worker has finished it."""
        if claim(self.run_dir, page):
            return
        while not _flag(self.run_dir, page, "done").exists() and self.process.poll() is None:
            time.sleep(0.02)

    def close(self) -> list[dict[str, Any]]:
        """Stop the worker (it stops by itself at the first claimed page) and return its log."""
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck worker must not hang the build
            self.process.kill()
            self.process.wait()
        log_file = self.run_dir / "worker-log.json"
        log: list[dict[str, Any]] = json.loads(log_file.read_text(encoding="utf-8")) if log_file.exists() else []
        for path in self.run_dir.iterdir():
            path.unlink()
        self.run_dir.rmdir()
        return [{**entry, "worker": True} for entry in log]


def start(run_dir: Path, plan: dict[str, Any], cwd: Path) -> Worker:
    """Write the plan and start the worker process on it."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    process = subprocess.Popen([sys.executable, __file__, str(run_dir)], cwd=cwd, stdout=subprocess.DEVNULL)
    return Worker(run_dir, process)


def _nav_pages(nav: Any) -> list[str]:
    """The Markdown files of a MkDocs nav, in order."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    items = nav.values() if isinstance(nav, dict) else nav or []
    return [page for item in items for page in _nav_pages(item)]


def plan(docs: Path, nav: Any, suffixes: dict[str, str], cached: Any) -> list[list[dict[str, Any]]]:
    """Per language (suffix -> language), the pages with code to run, last page first.

    `cached(page, language, blocks)` tells a page whose blocks would all come from the cache:
    those are left out.
    """
    order = _nav_pages(nav)
    order += sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                    if p.relative_to(docs).as_posix() not in order and not any(p.name.endswith(s) for s in suffixes))
    languages = []
    for suffix, language in suffixes.items():
        pages = []
        for name in order:
            page = name if suffix == ".md" else name.removesuffix(".md") + suffix
            path = docs / page
            if not path.is_file():
                continue
            blocks = [(b.python, b.session, b.line) for b in page_blocks(path.read_text(encoding="utf-8"))
                      if b.executed]
            if blocks and not cached(page, language, [(code, session) for code, session, _ in blocks]):
                pages.append({"page": page, "language": language, "blocks": blocks})
        languages.append(pages[::-1])
    return languages


def _work(run_dir: Path) -> None:
    """The worker: run the planned pages, last first, until one is already claimed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dlref_exec_cache", Path(__file__).with_name("exec_cache.py"))
    if spec is None or spec.loader is None:  # pragma: no cover
        raise SystemExit("exec_workers: cannot load exec_cache.py")
    cache = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = cache
    spec.loader.exec_module(cache)
    from markdown_exec import ExecutionError

    plan = json.loads((run_dir / "plan.json").read_text(encoding="utf-8"))
    runner = cache.Runner(cache.Store(Path(plan["cache"])), plan["salt"], cache.BlockContext())
    try:
        for pages in plan["languages"]:  # each language's pages, last first
            for page in pages:
                if not claim(run_dir, page["page"]):
                    break  # the build has got this far: go on with the next language
                runner.start_page(page["page"], page["language"])
                try:
                    for code, session, line in page["blocks"]:
                        runner.run_block(code, session, line)
                except ExecutionError:
                    pass  # the build runs this page itself and reports the error
                finally:
                    finish(run_dir, page["page"])
    finally:
        (run_dir / "worker-log.json").write_text(json.dumps(runner.log), encoding="utf-8")


if __name__ == "__main__":
    _work(Path(sys.argv[1]))
