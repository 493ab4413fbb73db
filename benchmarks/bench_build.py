"""Time the site build: full bilingual, English only, and with execution disabled (the floor).

Each build is `mkdocs build --strict` in a fresh interpreter, so the torch import is
included. The three variants run interleaved, `--repeat` times each, and the medians
are printed side by side with their ratios. Nothing is asserted: targets are read
by people (full bilingual <= 20 s; Chinese adds <= 30 % to English-only).

    python benchmarks/bench_build.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def no_exec_config() -> Path:
    """A copy of mkdocs.yml without the markdown-exec plugin: blocks render as plain code."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text, n = re.subn(r"\n  - markdown-exec:\n(?:      .*\n)+", "\n", text)
    if n != 1:
        raise SystemExit("bench_build: could not find the markdown-exec plugin block in mkdocs.yml")
    path = ROOT / ".bench-no-exec.yml"  # beside mkdocs.yml, so relative paths still resolve
    path.write_text(text, encoding="utf-8")
    return path


def build(config: Path, env_extra: dict[str, str], strict: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env_extra}
    with tempfile.TemporaryDirectory() as site:
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", site]
        if strict:
            cmd.append("--strict")
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench_build: {' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floor_cfg = no_exec_config()
    variants = {
        "bilingual": (ROOT / "mkdocs.yml", {}, True),
        "english-only": (ROOT / "mkdocs.yml", {"DLREF_BUILD_ZH": "false"}, True),
        # Without markdown-exec the `html="on"` blocks show as code, so this one is not strict.
        "bilingual, no exec (floor)": (floor_cfg, {}, False),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    try:
        for _ in range(args.repeat):
            for name, (cfg, env, strict) in variants.items():
                times[name].append(build(cfg, env, strict))
    finally:
        floor_cfg.unlink(missing_ok=True)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"{'build':<28}{'median s':>10}   runs")
    for name, ts in times.items():
        print(f"{name:<28}{med[name]:>10.2f}   " + " ".join(f"{t:.2f}" for t in ts))
    zh_extra = med["bilingual"] / med["english-only"] - 1
    print(f"\nChinese build adds {zh_extra:+.0%} to the English-only time (target <= +30%)")
    print(f"bilingual build {med['bilingual']:.2f} s (target <= 20 s); "
          f"execution costs {med['bilingual'] - med['bilingual, no exec (floor)']:.2f} s of it")


if __name__ == "__main__":
    main()
