"""Time the site build, the way an author meets it, and show what each chapter costs.

Every build is `mkdocs build --strict` in a fresh interpreter (the torch import included),
in this checkout, into a temporary site folder, with its own temporary execution cache:

* clean: empty cache (a worker process shares the code blocks, as in any first build);
* warm: the same cache again, nothing changed (nothing runs);
* no exec: markdown-exec switched off, blocks shown as code (the floor);
* English only: a clean build without the Chinese pages;
* prose edit: `mkdocs serve --dirty` on a copy of the docs, then one sentence of the
  glossary changes; the time from the edit to the reload.

The variants run interleaved, `--repeat` times each; medians are printed side by side.
Then, from the last clean build's record: the five slowest blocks and each chapter's
execution cost, with a projection to ten chapters. Nothing is asserted: the targets
(clean <= 20 s, Chinese adds <= 30 %, warm <= 1.2 x no exec, prose edit <= 2 s) are read
by people.

    python benchmarks/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def no_exec_config(folder: Path) -> Path:
    """A copy of mkdocs.yml without the markdown-exec plugin: blocks render as plain code."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text, n = re.subn(r"\n  - markdown-exec:\n(?:      .*\n)+", "\n", text)
    if n != 1:
        raise SystemExit("bench_build: could not find the markdown-exec plugin block in mkdocs.yml")
    folder.mkdir()
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    for name in ("docs", "hooks", "src"):
        (folder / name).symlink_to(ROOT / name)
    return path


def build(config: Path, env: dict[str, str], strict: bool = True) -> float:
    with tempfile.TemporaryDirectory() as site:
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", site]
        if strict:
            cmd.append("--strict")
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=config.parent, env={**BASE_ENV, **env}, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench_build: {' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return elapsed


def prose_edit(cache: Path) -> float:
    """Seconds from saving a one-word edit of the glossary to the reload, under `mkdocs serve --dirty`."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        shutil.copytree(ROOT / "docs", copy / "docs")
        shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
        for name in ("hooks", "src"):
            (copy / name).symlink_to(ROOT / name)
        env = {**BASE_ENV, "DLREF_EXEC_CACHE_DIR": str(cache)}
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-a", "127.0.0.1:0"]
        proc = subprocess.Popen(cmd, cwd=copy, env=env, stderr=subprocess.PIPE, text=True)
        if proc.stderr is None:
            raise SystemExit("bench_build: no output from mkdocs serve")
        try:
            for line in proc.stderr:
                if "Serving on" in line:
                    break
            else:
                raise SystemExit("bench_build: mkdocs serve stopped before serving")
            time.sleep(1.0)  # let the watcher settle
            page = copy / "docs" / "glossary.md"
            start = time.perf_counter()
            page.write_text(page.read_text(encoding="utf-8").replace("# Glossary", "# Glossary of terms", 1),
                            encoding="utf-8")
            for line in proc.stderr:
                if "Reloading browsers" in line:
                    return time.perf_counter() - start
            raise SystemExit("bench_build: mkdocs serve stopped before reloading")
        finally:
            proc.terminate()
            proc.wait()


def report_blocks(record: Path) -> None:
    blocks = json.loads(record.read_text(encoding="utf-8"))["blocks"]
    ran = [b for b in blocks if b["ran"]]
    print("\nslowest blocks of the clean build (seconds, page:line, session block #):")
    for b in sorted(ran, key=lambda b: -b["seconds"])[:5]:
        print(f"  {b['seconds']:6.2f}  docs/{b['page']}:{b['line']}  {b['session']} #{b['block']}")
    cost: dict[str, float] = collections.defaultdict(float)
    for b in ran:
        cost[b["page"].removesuffix(".md").removesuffix(".zh")] += b["seconds"]
    print("\nexecution cost per page, both languages (CPU seconds, whichever process ran it):")
    for page, seconds in sorted(cost.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:6.2f}  {page}")
    chapters = [cost[c] for c in ("activations", "losses", "convolution", "architectures") if c in cost]
    if chapters:
        mean = statistics.mean(chapters)
        total = 10 * mean + sum(cost.values()) - sum(chapters)
        print(f"  mean chapter: {mean:.2f} s; ten such chapters would execute about {total:.1f} s of code"
              " (split over two processes in a clean build)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        floor_cfg = no_exec_config(tmp_path / "no-exec")
        config = ROOT / "mkdocs.yml"
        for n in range(args.repeat):
            cache, cache_en = tmp_path / f"cache-{n}", tmp_path / f"cache-en-{n}"
            times["clean"].append(build(config, {"DLREF_EXEC_CACHE_DIR": str(cache)}))
            shutil.copy(cache / "last-build.json", tmp_path / "clean-record.json")
            times["warm"].append(build(config, {"DLREF_EXEC_CACHE_DIR": str(cache)}))
            times["no exec (floor)"].append(build(floor_cfg, {"DLREF_EXEC_CACHE": "off"}, strict=False))
            times["English only, clean"].append(
                build(config, {"DLREF_EXEC_CACHE_DIR": str(cache_en), "DLREF_BUILD_ZH": "false"}))
            times["prose edit (serve --dirty)"].append(prose_edit(cache))
        med = {name: statistics.median(ts) for name, ts in times.items()}
        print(f"{'build':<30}{'median s':>10}   runs")
        for name, ts in times.items():
            print(f"{name:<30}{med[name]:>10.2f}   " + " ".join(f"{t:.2f}" for t in ts))
        print(f"\nclean bilingual {med['clean']:.2f} s (target <= 20 s); "
              f"Chinese adds {med['clean'] / med['English only, clean'] - 1:+.0%} (target <= +30%)")
        print(f"warm / no exec = {med['warm'] / med['no exec (floor)']:.2f} (target <= 1.2); "
              f"prose edit {med['prose edit (serve --dirty)']:.2f} s (target <= 2 s)")
        report_blocks(tmp_path / "clean-record.json")


if __name__ == "__main__":
    main()
