"""Rendering core of `dlref.plots`: label language, matplotlib settings, SVG post-processing, memoization.

Every figure module draws through these helpers, so all figures share one look and
the same determinism guarantees (see the package docstring).
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dlref._checks import check_choice

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["LANGUAGES", "get_language", "set_language", "use_language"]

LANGUAGES: tuple[str, ...] = ("en", "zh")
"""Languages that word labels exist in."""

_state = {"lang": "en"}
# How many times the language was read: the site's build hook uses it to tell
# language-independent code blocks (whose output both languages can share) from the others.
_reads = {"count": 0}

# Readable on Material's white and slate backgrounds alike.
BLUE = "#3b82f6"
ORANGE = "#f97316"
GREEN = "#22c55e"
GREY = "#9ca3af"

_CJK_FONT = "Noto Sans CJK SC"


def _check_lang(fn: str, lang: object) -> str:
    return check_choice(fn, "lang", lang, LANGUAGES)


def set_language(lang: str) -> None:
    """Set the language of word labels in figures drawn from now on.

    Args:
        lang: ``"en"`` or ``"zh"``.

    Raises:
        ValueError: If ``lang`` is not one of [`LANGUAGES`][dlref.plots.LANGUAGES].

    Examples:
        >>> from dlref import plots
        >>> plots.set_language("zh"); plots.get_language()
        'zh'
        >>> plots.set_language("en")
    """
    _state["lang"] = _check_lang("set_language", lang)


def get_language() -> str:
    """Return the current label language (``"en"`` unless [`set_language`][dlref.plots.set_language] changed it).

    Examples:
        >>> from dlref import plots
        >>> plots.get_language()
        'en'
    """
    _reads["count"] += 1
    return _state["lang"]


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Context manager that sets the label language and restores the previous one.

    Examples:
        >>> from dlref import plots
        >>> with plots.use_language("zh"):
        ...     plots.get_language()
        'zh'
        >>> plots.get_language()
        'en'
    """
    previous = _state["lang"]
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def text(en: str, zh: str, lang: str) -> str:
    return zh if lang == "zh" else en


@functools.cache
def _cjk_font_registered() -> bool:
    """Register Noto Sans CJK SC (from ``mplfonts``) with matplotlib, once per process.

    It is registered before the first figure of either language, because matplotlib
    memoizes font look-ups: a font added later would not be found consistently.
    """
    from importlib.resources import files

    from matplotlib import font_manager

    try:
        path = files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    except ModuleNotFoundError:  # pragma: no cover - depends on the install
        return False
    font_manager.fontManager.addfont(str(path))
    return True


def new_figure(width: float, height: float, ncols: int = 1, nrows: int = 1) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


_ID = re.compile(r'id="([^"]+)"')


@contextmanager
def rc(lang: str) -> Iterator[None]:
    """matplotlib settings for one figure: fixed hash salt, glyphs as paths, the language's font.

    Text objects take their font when they are created, so the whole drawing runs inside this.
    """
    import matplotlib

    if not _cjk_font_registered() and lang == "zh":  # pragma: no cover - depends on the install
        raise RuntimeError(
            "dlref.plots: Chinese labels need the 'mplfonts' package; install it with `pip install 'dlref[docs]'`"
        )
    rc: dict[Any, Any] = {  # matplotlib types the keys as a Literal of every rc name
        "svg.hashsalt": "dlref",
        "svg.fonttype": "path",  # glyphs as paths: identical on every machine, no web font
        "font.family": [_CJK_FONT, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"],
    }
    with matplotlib.rc_context(rc):
        yield


def to_svg(fig: Figure, key: str, label: str) -> str:
    """Serialise a figure as theme-aware inline SVG wrapped in a ``div.dlref-figure``."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=True)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # inline SVG: drop the XML prolog and DOCTYPE
    # Several figures share a page: make every id unique to this figure.
    prefix = "dlref-" + re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"#([^\s\"')]+)", lambda m: f"#{prefix}-{m.group(1)}" if m.group(1) in ids else m.group(0), svg)
    # Black ink follows the theme's text colour.
    svg = re.sub(r"#000000\b|\bblack\b", "currentColor", svg)
    # Text glyphs carry no fill of their own: make the default ink the theme's text colour too.
    # The figure shrinks with the page, but never so far that its smallest text drops below
    # MIN_TEXT_PX: on a narrow screen it scrolls sideways inside its box instead.
    smallest = _smallest_font_pt(fig)
    min_width = math.ceil(MIN_TEXT_PX * fig.get_figwidth() * 72 / smallest)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" fill="currentColor" '
                      f'data-min-font-pt="{smallest:g}" style="min-width: {min_width}px" ', 1)
    return f'<div class="dlref-figure">{svg.strip()}</div>'


MIN_TEXT_PX = 9.0
"""The smallest text size, in CSS pixels, that a figure keeps on any screen."""


def _smallest_font_pt(fig: Figure) -> float:
    """The size of the smallest visible text in a drawn figure, in points."""
    from matplotlib.text import Text

    sizes = [float(t.get_fontsize()) for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes, default=10.0)


def style(ax: Axes, xlabel: str, ylabel: str) -> None:
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    ax.axhline(0.0, color="black", linewidth=0.6, alpha=0.5)
    ax.axvline(0.0, color="black", linewidth=0.6, alpha=0.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def resolve_language(lang: str | None, fn: str) -> str:
    """`lang`, checked, or the current label language when it is None; `fn` names the caller in errors."""
    return get_language() if lang is None else _check_lang(fn, lang)


def per_language(draw: Callable[..., str]) -> Callable[..., str]:
    """Memoize a figure per argument *and* resolved language."""
    cached = functools.cache(draw)

    @functools.wraps(draw)
    def wrapper(*args: Any, lang: str | None = None, **kwargs: Any) -> str:
        lang = resolve_language(lang, draw.__name__)
        with rc(lang):
            return cached(*args, lang=lang, **kwargs)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
