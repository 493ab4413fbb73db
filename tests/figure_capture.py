"""Draw a chapter's figures afresh and keep the matplotlib Figure of each, for tests of what a figure draws."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from dlref import plots
from dlref.plots import _render


def draw_capturing(module: ModuleType, figures: dict[str, Callable[..., str]],
                   memoized: dict[str, Callable[..., str]] | None = None) -> list[tuple[str, str, str, object]]:
    """Every figure of `figures` drawn in both languages: (name, language, aria label, Figure).

    `module`'s `to_svg` is patched to keep each Figure; `memoized` names the cached function behind a
    call that is not one itself (a lambda with fixed arguments), so that its cache can be cleared.
    """
    memoized = {**figures, **(memoized or {})}
    captured: list[tuple[str, object]] = []

    def capture(fig, key: str, label: str) -> str:
        svg = _render.to_svg(fig, key, label)  # draws the figure, so tick labels exist
        captured.append((label, fig))
        return svg

    out = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "to_svg", capture)
        for lang in plots.LANGUAGES:
            for name, figure in figures.items():
                memoized[name].cache_clear()  # type: ignore[attr-defined]
                figure(lang=lang)
                label, fig = captured[-1]
                out.append((name, lang, label, fig))
    for figure in memoized.values():
        figure.cache_clear()  # type: ignore[attr-defined]  # later callers get figures drawn without the patch
    return out
