"""The docs' execution cache (hooks/exec_cache.py): keys, replay, languages, and whole builds.

The unit tests drive the hook's `Runner` on small synthetic pages; the build tests compare
a cold-cache and a warm-cache build of the real site with the uncached one, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import ROOT, Build, build_site, load_hook

hook = load_hook("exec_cache")

# A page with two sessions. `counter` proves that state carries across blocks even when the
# cache skipped the blocks that built it.
PAGE = {
    "a": ["counter = [0]\nprint('a1')", "counter[0] += 1\nprint('a2', counter[0])", "print('a3', counter[0] * 10)"],
    "b": ["y = 5  # a comment\nprint('b1', y)", "print('b2', y + 1)"],
}


class Language:
    """A stand-in for dlref.plots' language: blocks call `lang()`, the runner sets it and counts the reads."""

    def __init__(self) -> None:
        self.value, self.count = "en", 0

    def __call__(self) -> str:
        self.count += 1
        return self.value

    @contextmanager
    def running(self, language: str) -> Iterator[None]:
        self.value = language
        yield

    def reads(self) -> int:
        return self.count


def run_page(runner: object, page: dict[str, list[str]], name: str = "page.md", language: str = "en") -> list[str]:
    runner.start_page(name, language)  # type: ignore[attr-defined]
    return [runner.run_block(code, session) for session, blocks in page.items() for code in blocks]  # type: ignore[attr-defined]


def new_runner(tmp_path: Path | None, salt: str = "salt", lang: Language | None = None) -> object:
    lang = lang or Language()
    store = hook.Store(tmp_path) if tmp_path is not None else None
    return hook.Runner(store, salt, lang)


def ran(runner: object) -> list[tuple[str, int]]:
    return [(e["session"], e["block"]) for e in runner.log if e["ran"]]  # type: ignore[attr-defined]


def test_normalized_code_ignores_comments_and_blank_lines() -> None:
    assert hook.normalized("x = 1  # English\n\n# 注释\ny = '#'\n") == "x = 1\ny = '#'"


def test_warm_run_executes_nothing_and_gives_the_same_outputs(tmp_path: Path) -> None:
    cold = new_runner(tmp_path)
    first = run_page(cold, PAGE)
    assert first == ["a1\n", "a2 1\n", "a3 10\n", "b1 5\n", "b2 6\n"]
    warm = new_runner(tmp_path)
    assert run_page(warm, PAGE) == first
    assert ran(warm) == []


def test_editing_one_block_reruns_its_session_from_there_and_nothing_else(tmp_path: Path) -> None:
    run_page(new_runner(tmp_path), PAGE)
    edited = {**PAGE, "a": [PAGE["a"][0], "counter[0] += 2\nprint('a2', counter[0])", PAGE["a"][2]]}
    runner = new_runner(tmp_path)
    outputs = run_page(runner, edited)
    # a1 is served from the cache and replayed silently before a2 runs: a3 sees counter == 2.
    assert outputs == ["a1\n", "a2 2\n", "a3 20\n", "b1 5\n", "b2 6\n"]
    assert ran(runner) == [("a", 2), ("a", 3)]
    assert [e.get("replayed") for e in runner.log if e["ran"]] == [1, 0]


def test_a_comment_edit_reruns_nothing(tmp_path: Path) -> None:
    run_page(new_runner(tmp_path), PAGE)
    runner = new_runner(tmp_path)
    run_page(runner, {**PAGE, "b": ["y = 5  # 注释\nprint('b1', y)", PAGE["b"][1]]})
    assert ran(runner) == []


def test_editing_the_library_reruns_every_block(tmp_path: Path) -> None:
    library = tmp_path / "dlref"
    shutil.copytree(ROOT / "src" / "dlref", library, ignore=shutil.ignore_patterns("__pycache__"))
    before = hook.environment_salt(library)
    assert hook.environment_salt(library) == before
    run_page(new_runner(tmp_path / "cache", salt=before), PAGE)
    module = library / "conv" / "arithmetic.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after = hook.environment_salt(library)
    assert after != before
    runner = new_runner(tmp_path / "cache", salt=after)
    run_page(runner, PAGE)
    assert len(ran(runner)) == sum(map(len, PAGE.values()))


def test_uncached_runner_runs_everything() -> None:
    runner = new_runner(None)
    run_page(runner, PAGE)
    run_page(runner, PAGE, name="page.zh.md", language="zh")
    assert len(ran(runner)) == 2 * sum(map(len, PAGE.values()))


def test_languages_share_language_free_outputs_only(tmp_path: Path) -> None:
    lang = Language()
    runner = new_runner(tmp_path, lang=lang)
    ns_lang = {"lang": lang}
    page = {"s": [
        "n = 3\nprint(n)",  # language-free: shared
        "print(lang(), n)",  # reads the language, binds nothing: its output is per language
        "print(n + 1)",  # still language-free
        "label = lang()\nprint(label)",  # binds a language-dependent name ...
        "print(label.upper(), n)",  # ... so everything after is per language
    ]}
    runner.start_page("p.md", "en")
    runner._session("s").namespace.update(ns_lang)
    en = run_page(runner, page, "p.md", "en")
    runner.start_page("p.zh.md", "zh")
    runner._session("s").namespace.update(ns_lang)
    zh = run_page(runner, page, "p.zh.md", "zh")
    assert en == ["3\n", "en 3\n", "4\n", "en\n", "EN 3\n"]
    assert zh == ["3\n", "zh 3\n", "4\n", "zh\n", "ZH 3\n"]
    zh_ran = [e["block"] for e in runner.log if e["ran"] and e["page"] == "p.zh.md"]
    assert zh_ran == [2, 4, 5]


def test_a_failing_block_raises_markdown_exec_error_naming_the_page() -> None:
    from markdown_exec import ExecutionError

    runner = new_runner(None)
    runner.start_page("broken.md", "en")
    with pytest.raises(ExecutionError, match=r"(?s)broken\.md:7 session s.*print\(1 / 0\).*ZeroDivisionError"):
        runner.run_block("x = 1\nprint(1 / 0)", "s", line=7)


def test_the_hook_uses_markdown_exec_public_api_only() -> None:
    """The hook imports nothing private from markdown-exec; if these names move, this fails clearly."""
    import markdown_exec

    for name in ("base_format", "ExecutionError", "code_block", "validator", "formatter"):
        assert name in markdown_exec.__all__, f"markdown-exec no longer exports {name}: update hooks/exec_cache.py"
    source = (ROOT / "hooks" / "exec_cache.py").read_text(encoding="utf-8")
    assert "markdown_exec._" not in source


# --------------------------------------------------------------------------- whole builds


def _html(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.suffix in {".html", ".json"}}


@pytest.fixture(scope="module")
def cached_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict, Build, dict]:
    cache = tmp_path_factory.mktemp("exec-cache")
    builds = []
    for name in ("cold", "warm"):
        build = build_site(tmp_path_factory.mktemp(name), cache_dir=cache)
        assert build.returncode == 0, build.output[-4000:]
        builds += [build, json.loads((cache / "last-build.json").read_text(encoding="utf-8"))]
    return tuple(builds)  # type: ignore[return-value]


def test_cached_builds_are_byte_identical_to_the_uncached_build(built_site: Build, cached_builds: tuple) -> None:
    """Cold cache (Chinese pages reuse English outputs) and warm cache (nothing runs) = every block run."""
    reference = _html(built_site.site)
    assert Path("activations/index.html") in reference and Path("zh/activations/index.html") in reference
    for build in cached_builds[0::2]:
        site = _html(build.site)
        assert site.keys() == reference.keys()
        differ = sorted(str(k) for k in reference if reference[k] != site[k])
        assert not differ, f"pages differ from the uncached build: {differ}"


def test_cold_build_shares_outputs_between_languages(cached_builds: tuple) -> None:
    blocks = cached_builds[1]["blocks"]

    def ident(b: dict) -> tuple:
        return b["page"], b["session"], b["block"]

    def twin(i: tuple) -> tuple:  # the same block on the page of the other language
        page = i[0].removesuffix(".zh.md") + ".md" if i[0].endswith(".zh.md") else i[0].removesuffix(".md") + ".zh.md"
        return page, i[1], i[2]

    ran = {ident(b) for b in blocks if b["ran"]}  # by the build or by its worker
    seen = {ident(b) for b in blocks}
    assert seen and all(i in ran or twin(i) in ran for i in seen), "a cold build runs every block in one language"
    # The build goes forward from the start of the site and its worker back from the end, so either language
    # may run first; the other one then reuses the outputs of the blocks that do not depend on the language.
    paired = {i for i in seen if twin(i) in seen}
    reused = {i for i in paired if i not in ran}
    assert len(reused) > len(paired) / 8, f"only {len(reused)} of {len(paired)} blocks reused their twin's output"


def test_cold_build_shares_the_work_with_a_worker_process(cached_builds: tuple) -> None:
    blocks = cached_builds[1]["blocks"]
    by_worker = {b["page"] for b in blocks if b.get("worker")}
    by_build = {b["page"] for b in blocks if b["ran"] and not b.get("worker")}
    assert by_worker, "the worker ran no page"
    assert by_build, "the build ran no page itself"
    assert not by_worker & by_build, f"pages run twice: {sorted(by_worker & by_build)}"


def test_warm_build_runs_no_block(cached_builds: tuple) -> None:
    blocks = cached_builds[3]["blocks"]
    assert blocks, "the hook saw no code block: is it still wired into markdown-exec's fences?"
    assert [b for b in blocks if b["ran"]] == []
