"""Figures of the convolution chapter: grid frames of convolutions and transposed convolutions, receptive fields.

The grid figures follow the static frames of Dumoulin & Visin, *A guide to
convolution arithmetic for deep learning* (2016, <https://arxiv.org/abs/1603.07285>),
and every size they show is computed with `dlref.conv.arithmetic`, so a figure
cannot disagree with the formulas on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from dlref._checks import check_int, fail
from dlref.conv.arithmetic import conv_output_size, conv_transpose_output_size, receptive_field, transposed_equivalent
from dlref.experiments.residual import residual_experiment as residual_experiment  # moved; still importable here
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, new_figure, per_language, text, to_svg
from dlref.plots.architecture_figures import cnn_pipeline as cnn_pipeline  # moved; still importable here
from dlref.plots.architecture_figures import residual_gradients as residual_gradients  # moved; still importable here

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["conv_grid", "receptive_field_growth", "transposed_grid"]

_TAP = "#1d4ed8"  # a darker blue than BLUE: the kernel taps over the light-blue input
_CELL = 1.0  # side of one grid cell, in data units
_GAP = 2.5  # horizontal gap between the input grid and the output grid
_MAX_SIDE = 24  # largest (padded) grid side that is still readable

# --------------------------------------------------------------------------- grid frames


def _cell(ax: Axes, col: float, row: float, gid: str | None = None, **kwargs: Any) -> None:
    """Draw one cell with its top-left corner at grid position (row, col); rows grow downwards."""
    from matplotlib.patches import Rectangle

    patch = Rectangle((col, -row - _CELL), _CELL, _CELL, **kwargs)
    if gid is not None:
        patch.set_gid(gid)
    ax.add_patch(patch)


def _draw_input(ax: Axes, kinds: list[list[str]]) -> None:
    """Draw a square input grid; ``kinds[r][c]`` is ``"x"`` (pixel), ``"pad"`` or ``"zero"``.

    Fills sit below the kernel taps and edges above them, so a tap still shows
    whether it lies on a pixel (solid blue edge), on padding (dashed) or on an inserted zero.
    """
    for r, row in enumerate(kinds):
        for c, kind in enumerate(row):
            if kind == "x":
                _cell(ax, c, r, facecolor=BLUE, alpha=0.28, edgecolor="none", zorder=1)
                _cell(ax, c, r, facecolor="none", edgecolor=BLUE, linewidth=0.8, zorder=3)
            elif kind == "pad":
                _cell(ax, c, r, facecolor="none", edgecolor=GREY, linewidth=0.8, linestyle=(0, (2.5, 2)), zorder=3)
            else:  # an inserted zero of a transposed convolution
                _cell(ax, c, r, facecolor="none", edgecolor=GREY, linewidth=0.8, zorder=3)


def _draw_taps(ax: Axes, k: int, d: int) -> None:
    """Shade the k×k kernel taps of the first output position (spaced d apart) and outline their span."""
    from matplotlib.patches import Rectangle

    for a in range(k):
        for b in range(k):
            _cell(ax, b * d, a * d, gid=f"tap-{a}-{b}", facecolor=_TAP, alpha=0.8, edgecolor="none", zorder=2)
    span = d * (k - 1) + 1
    ax.add_patch(Rectangle((0.0, -span), span, span, facecolor="none", edgecolor="black", linewidth=1.6, zorder=4))


def _draw_output(ax: Axes, o: int, left: float, top: float) -> None:
    """Draw the o×o output grid with its first cell highlighted."""
    for r in range(o):
        for c in range(o):
            first = r == 0 and c == 0
            _cell(ax, left + c, top + r, gid=f"out-cell-{r}-{c}", facecolor=GREEN, alpha=0.85 if first else 0.25,
                  edgecolor="none", zorder=1)
            _cell(ax, left + c, top + r, facecolor="none", edgecolor=GREEN, linewidth=0.8, zorder=3)
    _cell(ax, left, top, facecolor="none", edgecolor="black", linewidth=1.6, zorder=4)


def _grid_figure(kinds: list[list[str]], k: int, d: int, o: int, title: str, captions: tuple[str, str],
                 legend: list[tuple[str, dict[str, Any]]], key: str, label: str) -> str:
    """Lay out input grid, kernel taps, output grid, captions and legend in one figure."""
    from matplotlib.patches import Patch

    n = len(kinds)
    left = n + _GAP
    top = (n - o) / 2  # the output is centred vertically on the input
    width_units = left + o
    scale = min(0.3, 4.5 / width_units)  # inches per cell: about 4.9 in wide at most, for a 390 px phone
    width = max(4.9, width_units * scale + 0.4, *(_text_width(line, 10) + 0.3 for line in title.split("\n")))
    fig, (ax,) = new_figure(width, max(n, o) * scale + 1.1 + 0.2 * title.count("\n"))
    _draw_input(ax, kinds)
    _draw_taps(ax, k, d)
    _draw_output(ax, o, left, top)
    # The shaded taps compute the first output cell.
    span = d * (k - 1) + 1
    ax.annotate("", xy=(left - 0.15, -top - 0.5), xytext=(span + 0.15, -span / 2),
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.0, "shrinkA": 0, "shrinkB": 0,
                            "connectionstyle": "arc3,rad=-0.2"}, zorder=5)
    ax.text(n / 2, -n - 0.3, captions[0], ha="center", va="top", fontsize=9)
    ax.text(left + o / 2, -top - o - 0.3, captions[1], ha="center", va="top", fontsize=9)
    ax.set_title(title, fontsize=10)
    handles = [Patch(label=name, **props) for name, props in legend]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles), frameon=False,
              fontsize=9, handlelength=1.2, columnspacing=1.2, borderaxespad=0.2)
    ax.set_xlim(-0.1, width_units + 0.1)
    ax.set_ylim(-max(n, top + o) - 1.1, 0.1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return to_svg(fig, key, label)


def _text_width(line: str, size: float) -> float:
    """A generous estimate of a one-line label's width in inches (CJK glyphs are square, Latin ones ~0.62 em)."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.62 for ch in line) * size / 72


def _legend(lang: str, *, padding: bool, zeros: bool) -> list[tuple[str, dict[str, Any]]]:
    entries = [(text("input", "输入", lang), {"facecolor": BLUE, "alpha": 0.28, "edgecolor": BLUE})]
    if padding:
        entries.append((text("zero padding", "零填充", lang),
                        {"facecolor": "none", "edgecolor": GREY, "linestyle": (0, (2.5, 2))}))
    if zeros:
        entries.append((text("inserted zeros", "插入的零", lang), {"facecolor": "none", "edgecolor": GREY}))
    entries += [
        (text("kernel taps", "卷积核位置", lang), {"facecolor": _TAP, "alpha": 0.8, "edgecolor": "none"}),
        (text("output", "输出", lang), {"facecolor": GREEN, "alpha": 0.25, "edgecolor": GREEN}),
    ]
    return entries


@per_language
def conv_grid(i: int, k: int, s: int = 1, p: int = 0, d: int = 1, *, lang: str = "en") -> str:
    """Draw one frame of a 2-D convolution: padded input, kernel footprint and output grid.

    In the style of Dumoulin & Visin's convolution-arithmetic animations, for square
    sizes: the $i \\times i$ input (light blue), $p$ rings of zero padding (dashed),
    the $k \\times k$ kernel taps of the *first* output position (dark, spaced $d$
    apart for dilation $d$, with the span they cover outlined), and the
    $o \\times o$ output (green) with its first cell, the one those taps compute,
    highlighted. The output size is
    [`conv_output_size`][dlref.conv.arithmetic.conv_output_size]:

    $$ o = \\left\\lfloor \\frac{i + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1. $$

    Every output cell is an SVG element with an id ending in ``out-cell-<row>-<col>``
    and every tap one ending in ``tap-<row>-<col>``, so tests can count them.

    Args:
        i: Input size (height = width), at least 1.
        k: Kernel size, at least 1.
        s: Stride, at least 1. Defaults to 1.
        p: Zero padding on every side, at least 0. Defaults to 0.
        d: Dilation, at least 1. Defaults to 1.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If a size is not an int (the figure draws square sizes only).
        ValueError: If a size is out of range, if
            [`conv_output_size`][dlref.conv.arithmetic.conv_output_size] rejects the
            arguments (a dilated kernel $d(k-1)+1$ larger than the padded input $i+2p$),
            or if the padded input is larger than 24 cells (too small to read).

    Examples:
        >>> from dlref.plots import conv_figures
        >>> svg = conv_figures.conv_grid(5, 3, s=2, p=1, lang="en")
        >>> "<svg" in svg, svg.count("out-cell"), svg.count("-tap-")
        (True, 9, 9)
    """
    fn = "conv_grid"
    for name, value, low in (("i", i, 1), ("k", k, 1), ("s", s, 1), ("p", p, 0), ("d", d, 1)):
        check_int(fn, name, value, low=low)
    o = cast(int, conv_output_size(i, k, s, p, d))  # ints give an int; raises if the kernel does not fit
    n = i + 2 * p
    if n > _MAX_SIDE:
        fail(fn, "i", "is too large to draw", f"a padded input i + 2p = {n}", f"expected at most {_MAX_SIDE} cells")
    kinds = [["x" if p <= r < p + i and p <= c < p + i else "pad" for c in range(n)] for r in range(n)]
    params = f"i={i}, k={k}, s={s}, p={p}" + (f", d={d}" if d != 1 else "")
    captions = (
        text(f"input {i}×{i}", f"输入 {i}×{i}", lang) + (text(f", padding {p}", f"，填充 {p}", lang) if p else ""),
        text(f"output {o}×{o}", f"输出 {o}×{o}", lang),
    )
    label = text(f"Convolution {params}: input, kernel taps and output {o}×{o}",
                 f"卷积 {params}：输入、卷积核位置与 {o}×{o} 输出", lang)
    return _grid_figure(kinds, k, d, o, f"{params}  →  o={o}", captions, _legend(lang, padding=p > 0, zeros=False),
                        f"conv-grid-{i}-{k}-{s}-{p}-{d}-{lang}", label)


@per_language
def transposed_grid(i: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0, *, lang: str = "en") -> str:
    """Draw a transposed convolution as its equivalent direct convolution (Dumoulin & Visin, §4).

    A transposed convolution with kernel $k$, stride $s$ and padding $p$ on an
    $i \\times i$ input gives the same output (with the kernel flipped in space and
    its channel axes swapped) as a stride-1 convolution of a stretched input: $s-1$
    zeros inserted between neighbouring pixels (plain cells), $k-1-p$ rings of zero
    padding (dashed), and ``output_padding`` extra zero rows and columns on the
    bottom and right. The figure shades the $k \\times k$ taps of the first output
    position; the output has
    [`conv_transpose_output_size`][dlref.conv.arithmetic.conv_transpose_output_size]
    cells per side:

    $$ o = (i-1)s - 2p + k + \\text{output\\_padding}. $$

    The layout comes from [`transposed_equivalent`][dlref.conv.arithmetic.transposed_equivalent].
    Output cells and taps carry ids like those of [`conv_grid`][dlref.plots.conv_grid].

    Args:
        i: Input size (height = width), at least 1.
        k: Kernel size, at least 1.
        s: Stride, at least 1. Defaults to 1.
        p: Padding of the transposed convolution, ``0 <= p <= k - 1`` (a larger
            ``p`` crops the output and has no padded-input picture). Defaults to 0.
        output_padding: Extra output rows/columns on the bottom/right, ``0 <= output_padding < s``.
            Defaults to 0.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If a size is not an int (the figure draws square sizes only).
        ValueError: If a size is out of range, if
            [`transposed_equivalent`][dlref.conv.arithmetic.transposed_equivalent] or
            [`conv_transpose_output_size`][dlref.conv.arithmetic.conv_transpose_output_size]
            rejects the arguments (for example ``p > k - 1``), or if the stretched and
            padded input is larger than 24 cells.

    Examples:
        >>> from dlref.plots import conv_figures
        >>> svg = conv_figures.transposed_grid(3, 3, s=2, p=1, lang="en")
        >>> "<svg" in svg, svg.count("out-cell")
        (True, 25)
    """
    fn = "transposed_grid"
    for name, value, low in (("i", i, 1), ("k", k, 1), ("s", s, 1), ("p", p, 0), ("output_padding", output_padding, 0)):
        check_int(fn, name, value, low=low)
    eq = transposed_equivalent(k, s, p)  # raises if p > k - 1
    o = cast(int, conv_transpose_output_size(i, k, s, p, output_padding))  # raises for a bad output_padding
    z, q = cast(int, eq.zeros_between), cast(int, eq.padding)  # ints give ints
    stretched = (i - 1) * (z + 1) + 1
    n = stretched + 2 * q + output_padding
    if n > _MAX_SIDE:
        fail(fn, "i", "is too large to draw", f"a stretched and padded input of {n} cells per side",
             f"expected at most {_MAX_SIDE} cells")
    if n - (k - 1) != o:  # pragma: no cover - the picture must agree with the formula
        raise AssertionError(f"transposed_grid: drawn output {n - (k - 1)} != {o}")

    def kind(t: int) -> str:
        u = t - q
        if not 0 <= u < stretched:
            return "pad"
        return "x" if u % (z + 1) == 0 else "zero"

    kinds = [["x" if kind(r) == kind(c) == "x" else ("pad" if "pad" in (kind(r), kind(c)) else "zero")
              for c in range(n)] for r in range(n)]
    params = f"i={i}, k={k}, s={s}, p={p}" + (f", output_padding={output_padding}" if output_padding else "")
    steps = [text(f"{z} zero{'s' if z > 1 else ''} between pixels", f"像素间插入 {z} 个零", lang)] if z else []
    steps.append(text(f"padding {q}", f"填充 {q}", lang))
    if output_padding:
        steps.append(text(f"+{output_padding} bottom/right", f"右/下再加 {output_padding}", lang))
    steps.append(text("stride 1", "步幅 1", lang))
    title = (text(f"transposed convolution {params}  →  o={o}", f"转置卷积 {params}  →  o={o}", lang) + "\n"
             + text("as a direct convolution: ", "等价的直接卷积：", lang) + text(", ", "，", lang).join(steps))
    captions = (
        text(f"input {i}×{i}, stretched and padded", f"输入 {i}×{i}（插零并填充后）", lang),
        text(f"output {o}×{o}", f"输出 {o}×{o}", lang),
    )
    label = text(f"Transposed convolution {params} as a direct convolution; output {o}×{o}",
                 f"转置卷积 {params} 的等价直接卷积；输出 {o}×{o}", lang)
    legend = _legend(lang, padding=q > 0 or output_padding > 0, zeros=z > 0)
    return _grid_figure(kinds, k, 1, o, title, captions, legend,  # the same kernel, undilated
                        f"transposed-grid-{i}-{k}-{s}-{p}-{output_padding}-{lang}", label)


# --------------------------------------------------------------------------- receptive field


def _log2_axis(ax: Axes, xlabel: str, ylabel: str) -> None:
    """Log-base-2 y axis with plain integer tick labels, grid, no top/right spines."""
    from matplotlib.ticker import FuncFormatter, LogLocator

    ax.set_yscale("log", base=2)
    ax.yaxis.set_major_locator(LogLocator(base=2))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def _rf_stacks(convs: int) -> dict[str, list[int]]:
    """Receptive field after 0, 1, ..., convs 3×3 convolutions of the three stacks, from `receptive_field`."""
    plain = [(3, 1, 1)] * convs
    pooled: list[tuple[int, ...]] = []
    conv_rows = []  # which rows of the pooled stack are convolutions
    for n in range(convs):
        conv_rows.append(len(pooled))
        pooled.append((3, 1, 1))
        if n % 2 == 1:
            pooled.append((2, 2, 0))  # 2×2 max pool, stride 2
    dilated = [(3, 1, 2**n, 2**n) for n in range(convs)]  # padding d keeps the size
    rows = {"plain": receptive_field(plain), "pooled": receptive_field(pooled), "dilated": receptive_field(dilated)}
    rows["pooled"] = [rows["pooled"][n] for n in conv_rows]
    return {name: [1] + [cast(int, row.size) for row in stack] for name, stack in rows.items()}  # ints in, ints out


@per_language
def receptive_field_growth(*, lang: str = "en") -> str:
    """Plot the receptive field of three stacks of 3×3 convolutions against their number of convolutions.

    The three stacks, each computed with
    [`receptive_field`][dlref.conv.arithmetic.receptive_field] (size per side, in
    input pixels; 0 layers means one pixel):

    * stride-1 3×3 convolutions: $r = 2L + 1$, linear growth;
    * the same with a 2×2 max pool of stride 2 after every second convolution
      (VGG-style): each pool doubles the jump, so later convolutions add more;
      the point at $L$ includes the pools before the $L$-th convolution;
    * 3×3 convolutions with dilation $1, 2, 4, 8, \\dots$ (padding = dilation, so the
      size is kept): $r = 2^{L+1} - 1$, exponential growth at full resolution.

    The $y$ axis is logarithmic (base 2).

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import conv_figures
        >>> "<svg" in conv_figures.receptive_field_growth(lang="en")
        True
    """
    convs = 8
    stacks = _rf_stacks(convs)
    x = list(range(convs + 1))
    fig, (ax,) = new_figure(4.9, 3.9)
    lines = (
        ("dilated", text("3×3 conv, dilation 1, 2, 4, 8, …", "3×3 卷积，膨胀率 1, 2, 4, 8, …", lang), GREEN, "^"),
        ("pooled", text("3×3 conv + 2×2/2 max pool after every 2 convs", "3×3 卷积，每 2 层后接 2×2/2 最大池化", lang),
         ORANGE, "s"),
        ("plain", text("3×3 conv, stride 1", "3×3 卷积，步幅 1", lang), BLUE, "o"),
    )
    for name, label, color, marker in lines:
        ax.plot(x, stacks[name], color=color, marker=marker, markersize=4, linewidth=1.8, label=label)
        ax.annotate(f"{stacks[name][-1]}", (x[-1], stacks[name][-1]), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=9, color=color)
    _log2_axis(ax, text("number of 3×3 conv layers L", "3×3 卷积层数 L", lang),
               text("receptive field (pixels per side)", "感受野（每边像素数）", lang))
    ax.set_xticks(x)
    ax.set_xlim(-0.3, convs + 0.8)
    # below the axes: at phone width a legend inside would cover the steepest curve
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(0.0, -0.2))
    label = text("Receptive field growth of three stacks of 3×3 convolutions", "三种 3×3 卷积堆叠的感受野增长", lang)
    return to_svg(fig, f"rf-growth-{lang}", label)
