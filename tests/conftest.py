"""Shared fixtures: one strict build of the whole bilingual site per test session."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Build:
    site: Path
    returncode: int
    output: str


def load_hook(name: str) -> ModuleType:
    """Import `hooks/<name>.py` (MkDocs loads hooks by path; they are not a package)."""
    module_name = f"dlref_hooks_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, ROOT / "hooks" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def build_site(dest: Path, cache_dir: Path | None = None) -> Build:
    """`mkdocs build --strict` into `dest`, in a subprocess so it starts from a clean interpreter.

    Without `cache_dir` every block runs (`DLREF_EXEC_CACHE=off`), so a stale cache can never
    hide a failure; with it, the build reads and fills the execution cache there.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DLREF_EXEC_CACHE": "off"}
    if cache_dir is not None:
        env.update(DLREF_EXEC_CACHE="on", DLREF_EXEC_CACHE_DIR=str(cache_dir))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    return Build(dest, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = build_site(tmp_path_factory.mktemp("site"))
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {build.returncode}):\n{build.output[-6000:]}")
    return build
