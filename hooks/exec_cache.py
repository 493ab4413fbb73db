"""MkDocs hook: run the docs' Python blocks through a persistent, content-addressed output cache.

markdown-exec runs every ``exec="on"`` block on every build and has no cache. This hook
keeps markdown-exec's public pieces (its fence ``validator``, ``base_format`` for the
rendering, ``ExecutionError`` for failures) and gives the fences a formatter of its own,
whose *run* step goes through a cache:

* **Key.** A block's output is stored under a hash of: the code of that block and of every
  earlier block of the same session on that page (comments removed: the two languages
  differ only in comments), the hash of the ``src/dlref`` tree, the versions of Python,
  torch, matplotlib, numpy and markdown-exec, and this file. A block whose session has read
  the page language (``dlref.plots.get_language``) so far is stored per language.
* **Hit.** The stored output is used and nothing runs. The block is remembered as
  *pending* for its session.
* **Miss.** The session's pending blocks run first, silently, so the session's state is
  exactly what it would be without the cache; then the block runs and its output is stored.
  An output therefore never depends on what happened to be cached.
* **Languages.** Sessions belong to one page, so ``x.md`` and ``x.zh.md`` never share state.
  The Chinese page's language-free blocks hit the English page's entries; a figure both
  languages show is computed once per build (``dlref.plots`` also memoizes in process).

``DLREF_EXEC_CACHE=off`` runs every block of every page in both languages and stores
nothing; the strict-build test runs that way, so a stale cache can never hide a failure.
``DLREF_EXEC_CACHE_DIR`` moves the cache (default ``.cache/exec`` beside ``mkdocs.yml``).
After each build, ``last-build.json`` in that folder lists what ran and how long it took.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import linecache
import logging
import os
import sys
import time
import tokenize
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

from markdown_exec import ExecutionError, base_format, code_block
from markupsafe import Markup
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.exec_cache")

MODE_ENV = "DLREF_EXEC_CACHE"
DIR_ENV = "DLREF_EXEC_CACHE_DIR"
WORKERS_ENV = "DLREF_EXEC_WORKERS"  # "0": no second process
SUFFIXES = {".md": "en", ".zh.md": "zh"}  # mkdocs-static-i18n's suffix layout, default language first
FENCES = ("python", "py", "pycon")
_VERSIONED = ("torch", "matplotlib", "numpy", "markdown-exec")


# --------------------------------------------------------------------------- keys


@functools.cache
def normalized(code: str) -> str:
    """The code without comments and blank lines: what the key covers."""
    try:
        comments = {tok.start[0]: tok.start[1] for tok in tokenize.generate_tokens(io.StringIO(code).readline)
                    if tok.type == tokenize.COMMENT}
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code  # let the run report the syntax error
    lines = (line[: comments[n]] if n in comments else line for n, line in enumerate(code.splitlines(), 1))
    return "\n".join(line.rstrip() for line in lines if line.strip())


def tree_hash(root: Path) -> str:
    """Hash of every file below `root` (paths and bytes), caches excluded."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_salt(library: Path) -> str:
    """Everything besides the page code that can change an output."""
    parts = [sys.version, tree_hash(library), hashlib.sha256(Path(__file__).read_bytes()).hexdigest()]
    parts += [f"{name}=={metadata.version(name)}" for name in _VERSIONED]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --------------------------------------------------------------------------- store


class Store:
    """Outputs on disk, one small JSON file per key, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value: dict[str, Any] = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


# --------------------------------------------------------------------------- runner


@dataclass
class Session:
    """One markdown-exec session of one page: its namespace and what it has not run yet."""

    name: str
    namespace: dict[str, Any]
    digest: str = ""
    blocks: int = 0
    pending: list[tuple[str, str]] = field(default_factory=list)  # (filename, code) served from the cache
    language_bound: bool = False


@dataclass
class Runner:
    """Runs blocks for the pages of a build, through `store` when there is one."""

    store: Store | None
    salt: str
    context: Any  # `.running(language)` around every execution, `.reads()` of the language (BlockContext)
    page: str = ""
    language: str = "en"
    sessions: dict[tuple[str, str], Session] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)

    def start_page(self, page: str, language: str) -> None:
        self.page, self.language = page, language

    def _session(self, name: str | None) -> Session:
        if not name:  # no session: a namespace of its own
            return self._new_session(f"block{len(self.log)}")
        key = (self.page, name)
        if key not in self.sessions:
            self.sessions[key] = self._new_session(name)
        return self.sessions[key]

    def _new_session(self, name: str) -> Session:
        module = "_dlref_docs_" + "".join(c if c.isalnum() else "_" for c in f"{self.page}_{name}")
        sys.modules[module] = ModuleType(module)  # dataclasses and pickle look the module up
        return Session(name, {"__name__": module})

    def run_block(self, code: str, session_name: str | None, line: int = 0) -> str:
        session = self._session(session_name)
        session.blocks += 1
        session.digest = _chain(session.digest, code)
        key = self._key(session.digest)
        filename = f"<{self.page}:{line} session {session.name}>"
        cached = self._lookup(key, session)
        record = {"page": self.page, "line": line, "session": session.name, "block": session.blocks}
        if cached is not None:
            session.pending.append((filename, code))
            self.log.append({**record, "ran": False, "seconds": 0.0})
            return cached
        start = time.perf_counter()
        with self.context.running(self.language):
            for old_filename, old_code in session.pending:  # rebuild the state the cache skipped
                self._execute(session, old_filename, old_code)
            replayed = len(session.pending)
            session.pending.clear()
            reads, bindings = self.context.reads(), _bindings(session.namespace)
            output = self._execute(session, filename, code)
        # A block that read the language and (re)bound a name may have left language-dependent
        # state behind: from here on, this session's outputs are stored per language.
        read_language = self.context.reads() != reads
        session.language_bound |= read_language and _bindings(session.namespace) != bindings
        self.log.append({**record, "ran": True, "replayed": replayed, "seconds": time.perf_counter() - start})
        if self.store is not None:
            if session.language_bound or read_language:
                self.store.put(key, {"language": True, "bound": session.language_bound})
                self.store.put(f"{key}.{self.language}", {"output": output})
            else:
                self.store.put(key, {"output": output})
        return output

    def _key(self, digest: str) -> str:
        return hashlib.sha256(f"{self.salt}:{digest}".encode()).hexdigest()

    def _lookup(self, key: str, session: Session | None) -> str | None:
        if self.store is None:
            return None
        entry = self.store.get(key)
        if entry is not None and entry.get("language"):
            if session is not None:
                session.language_bound = bool(entry["bound"])  # as it was after this block ran
            entry = self.store.get(f"{key}.{self.language}")
        return None if entry is None else str(entry["output"])

    def cached(self, page: str, language: str, blocks: list[tuple[str, str | None]]) -> bool:
        """Whether every block of a page would come from the cache (nothing runs)."""
        self.start_page(page, language)
        digests: dict[str | None, str] = {}
        for n, (code, session) in enumerate(blocks):
            name = session or f"block{n}"
            digests[name] = _chain(digests.get(name, ""), code)
            if self._lookup(self._key(digests[name]), None) is None:
                return False
        return True

    @staticmethod
    def _execute(session: Session, filename: str, code: str) -> str:
        """Run `code` in the session's namespace; what it prints is its output (as in markdown-exec)."""
        buffer = io.StringIO()
        session.namespace["print"] = partial(_buffer_print, buffer)
        lines = code.splitlines(keepends=True)
        linecache.cache[filename] = (len(code), None, lines, filename)  # tracebacks show the page's lines
        try:
            exec(compile(code, filename, "exec"), session.namespace)
        except Exception as error:
            trace = traceback.TracebackException.from_exception(error)
            trace.stack = traceback.StackSummary.from_list([f for f in trace.stack if f.filename != __file__])
            trace = "".join(trace.format())
            raise ExecutionError(code_block("python", trace)) from error
        return buffer.getvalue()


def _chain(digest: str, code: str) -> str:
    """The session's digest after one more block: it covers the code of every block so far."""
    return hashlib.sha256(f"{digest}\n{normalized(code)}".encode()).hexdigest()


def _bindings(namespace: dict[str, Any]) -> dict[str, int]:
    return {name: id(value) for name, value in namespace.items() if name != "print"}


def _buffer_print(buffer: io.StringIO, *texts: object, end: str = "\n", **_: Any) -> None:
    buffer.write(" ".join(str(text) for text in texts) + end)


# --------------------------------------------------------------------------- MkDocs glue

_runner: Runner | None = None
_worker: Any = None  # exec_workers.Worker while a worker process runs
_page_source: dict[str, Any] = {"text": "", "cursor": 0}
_depth = {"builds": 0}
_library: dict[str, str | bool] = {"salt": "", "changed": False}


def page_language(src_uri: str) -> str:
    return next(lang for suffix, lang in reversed(SUFFIXES.items()) if src_uri.endswith(suffix))


def _workers() -> Any:
    """hooks/exec_workers.py (MkDocs loads hooks by path, so siblings are loaded the same way)."""
    name = "dlref_exec_workers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("exec_workers.py"))
        if spec is None or spec.loader is None:  # pragma: no cover
            raise ImportError("exec_cache: cannot load exec_workers.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


class BlockContext:
    """What a block runs with: the page language for figures, and one torch thread.

    One thread, so that no printed digit depends on how many cores the machine has (a
    parallel reduction adds in another order), and the cached, uncached and worker-built
    outputs agree to the last bit. dlref and torch are imported only when a block runs:
    a warm build never imports them.
    """

    @staticmethod
    @contextmanager
    def running(language: str) -> Iterator[None]:
        import torch

        from dlref import plots

        plots.set_language(language)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)

    @staticmethod
    def reads() -> int:
        """How many times figures have asked for the language so far."""
        from dlref.plots import _render

        return _render._reads["count"]


def _line_of(code: str) -> int:
    """Line of the page where this block's code starts (for reports; 0 if not found)."""
    first = next((line.strip() for line in code.splitlines() if line.strip()), "")
    text, cursor = _page_source["text"], _page_source["cursor"]
    at = text.find(first, cursor) if first else -1
    if at < 0:
        return 0
    _page_source["cursor"] = at + len(first)
    return text.count("\n", 0, at) + 1


def _run(code: str, returncode: int | None = None, session: str | None = None, id: str | None = None,
         **extra: Any) -> str:
    if _runner is None:
        raise RuntimeError("exec_cache: a code block ran before on_pre_build")
    return _runner.run_block(code, session, _line_of(code))


def formatter(source: str, language: str, css_class: str, options: dict[str, Any], md: Any,
              **kwargs: Any) -> Any:
    """A superfences formatter: markdown-exec's rendering, this hook's cached run.

    The rendered HTML is cached too, keyed on what it is made of (the block as written, its
    options and its output), so a warm build does not even re-render a block.
    """
    transform = _workers().pycon_source if language == "pycon" else None
    if _runner is None or _runner.store is None or options.get("workdir") or options.get("width"):
        return base_format(language=language, run=_run, code=source, md=md, transform_source=transform, **options)
    code = transform(source)[0] if transform else source
    try:
        output = _run(code, session=options.get("session") or None)
    except ExecutionError as error:
        failure = error  # base_format reports it as markdown-exec does

        def fail(*_: Any, **__: Any) -> str:
            raise failure

        return base_format(language=language, run=fail, code=source, md=md, transform_source=transform, **options)
    made_of = json.dumps([_runner.salt, language, source, options, output], sort_keys=True, default=str)
    key = "html-" + hashlib.sha256(made_of.encode()).hexdigest()
    stored = _runner.store.get(key)
    if stored is not None:
        return Markup(stored["html"])

    def cached_output(*_: Any, **__: Any) -> str:
        return output

    html = base_format(language=language, run=cached_output, code=source, md=md, transform_source=transform, **options)
    if 'id="exec-' not in html:  # ids numbered in page order cannot be reused elsewhere
        _runner.store.put(key, {"html": str(html)})
    return html


def cache_directory(config_dir: Path) -> Path | None:
    if os.environ.get(MODE_ENV, "on").lower() in {"off", "0", "false", "no"}:
        return None
    return Path(os.environ.get(DIR_ENV) or config_dir / ".cache" / "exec")


@event_priority(-100)  # after markdown-exec has registered its fences
def on_config(config: Any) -> Any:
    fences = config["mdx_configs"].get("pymdownx.superfences", {}).get("custom_fences", [])
    for fence in fences:
        if fence.get("name") in FENCES:
            fence["format"] = formatter
    return config


def on_pre_build(config: Any) -> None:
    global _runner
    _depth["builds"] += 1
    if _depth["builds"] > 1 and _runner is not None:  # mkdocs-static-i18n's build of another language
        return
    config_dir = Path(config["config_file_path"]).parent
    directory = cache_directory(config_dir)
    spec = importlib.util.find_spec("dlref")  # where it is, without importing it (and torch)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("exec_cache: dlref is not installed")
    salt = environment_salt(Path(spec.submodule_search_locations[0]))
    _library.update(changed=bool(_library["salt"]) and salt != _library["salt"], salt=salt)
    if _library["changed"]:  # `mkdocs serve` after a library edit: the blocks must import the new code
        for name in [m for m in sys.modules if m == "dlref" or m.startswith("dlref.")]:
            del sys.modules[name]
    _runner = Runner(Store(directory) if directory else None, salt, BlockContext())
    _start_worker(config, directory)


def _start_worker(config: Any, directory: Path | None) -> None:
    """With a cache and a second core, let a worker process run pages the cache does not have."""
    global _worker
    wanted = int(os.environ.get(WORKERS_ENV, "1")) > 0 and (os.cpu_count() or 1) > 1
    if directory is None or _runner is None or not wanted:
        return
    workers = _workers()
    languages = workers.plan(Path(config["docs_dir"]), config["nav"], SUFFIXES, _runner.cached)
    if sum(map(len, languages)) < 2:  # nothing worth sharing
        return
    plan = {"cache": str(directory), "salt": _runner.salt, "languages": languages}
    _worker = workers.start(directory / f"run-{os.getpid()}", plan, Path(config["config_file_path"]).parent)


@event_priority(-200)  # after mkdocs-static-i18n has chosen this language's files
def on_files(files: Any, config: Any) -> Any:
    """Under ``mkdocs serve --dirty``, a library edit makes every page stale (code and API pages alike).

    A dirty build re-renders only pages whose source is newer than their output; the library
    is not a page's source, so age the outputs instead.
    """
    if _library["changed"]:
        for file in files.documentation_pages():
            if os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))
    return files


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    src = page.file.src_uri
    language = page_language(src)
    if _worker is not None:
        _worker.take(src)
    if _runner is not None:
        _runner.start_page(src, language)
    _page_source.update(text=markdown, cursor=0)
    return markdown


def on_build_error(error: Exception) -> None:
    global _worker
    _depth["builds"] = 0  # the next (serve) build starts afresh
    if _worker is not None:
        _worker.process.kill()
        _worker.close()
        _worker = None


@event_priority(-200)  # after mkdocs-static-i18n has built the other languages
def on_post_build(config: Any) -> None:
    global _worker
    _depth["builds"] -= 1
    if _depth["builds"] or _runner is None:
        return
    if _worker is not None:
        _runner.log += _worker.close()
        _worker = None
    ran = [entry for entry in _runner.log if entry["ran"]]
    log.info("dlref exec cache: %d blocks, %d from the cache, %d executed", len(_runner.log),
             len(_runner.log) - len(ran), len(ran))
    directory = cache_directory(Path(config["config_file_path"]).parent)
    report = {"cache": directory is not None, "blocks": _runner.log}
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "last-build.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
