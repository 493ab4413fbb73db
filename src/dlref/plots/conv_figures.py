"""Figures of the convolution chapter: grid frames, receptive fields, residual gradients, the CNN pipeline.

The grid figures follow the static frames of Dumoulin & Visin, *A guide to
convolution arithmetic for deep learning* (2016, <https://arxiv.org/abs/1603.07285>),
and every size they show is computed with `dlref.conv.arithmetic`, so a figure
cannot disagree with the formulas on the page.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, new_figure, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "cnn_pipeline",
    "conv_grid",
    "receptive_field_growth",
    "residual_experiment",
    "residual_gradients",
    "transposed_grid",
]

_PURPLE = "#a855f7"
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
    scale = min(0.3, 6.4 / width_units)  # inches per cell: at most ~7 in wide
    width = max(5.0, width_units * scale + 0.4, *(_text_width(line, 10) + 0.3 for line in title.split("\n")))
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
              fontsize=8, handlelength=1.2, columnspacing=1.2, borderaxespad=0.2)
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


def _check_square(fn: str, **args: Any) -> None:
    """The grid figures draw square sizes: one int per argument (ranges are checked by `dlref.conv.arithmetic`)."""
    for name, value in args.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{fn}: {name} must be an int (the figure draws square sizes), got {value!r}")


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
        s: Stride, at least 1.
        p: Zero padding on every side, at least 0.
        d: Dilation, at least 1.
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If a size is not an int.
        ValueError: If [`conv_output_size`][dlref.conv.arithmetic.conv_output_size]
            rejects the arguments (for example a dilated kernel $d(k-1)+1$ larger
            than the padded input $i+2p$), or the padded input is larger than 24
            cells (too small to read).

    Examples:
        >>> from dlref.plots import conv_figures
        >>> svg = conv_figures.conv_grid(5, 3, s=2, p=1, lang="en")
        >>> "<svg" in svg, svg.count("out-cell"), svg.count("-tap-")
        (True, 9, 9)
    """
    from dlref.conv.arithmetic import conv_output_size

    _check_square("conv_grid", i=i, k=k, s=s, p=p, d=d)
    o = conv_output_size(i, k, s, p, d)  # checks the ranges
    n = i + 2 * p
    if n > _MAX_SIDE:
        raise ValueError(f"conv_grid: the padded input i+2p = {n} is larger than {_MAX_SIDE} cells, too large to draw")
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
        s: Stride, at least 1.
        p: Padding of the transposed convolution, ``0 <= p <= k - 1`` (a larger
            ``p`` crops the output and has no padded-input picture).
        output_padding: Extra output rows/columns on the bottom/right, ``0 <= output_padding < s``.
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If a size is not an int.
        ValueError: If [`conv_transpose_output_size`][dlref.conv.arithmetic.conv_transpose_output_size]
            or [`transposed_equivalent`][dlref.conv.arithmetic.transposed_equivalent]
            rejects the arguments (for example ``p > k - 1``), or the stretched and
            padded input is larger than 24 cells.

    Examples:
        >>> from dlref.plots import conv_figures
        >>> svg = conv_figures.transposed_grid(3, 3, s=2, p=1, lang="en")
        >>> "<svg" in svg, svg.count("out-cell")
        (True, 25)
    """
    from dlref.conv.arithmetic import conv_transpose_output_size, transposed_equivalent

    _check_square("transposed_grid", i=i, k=k, s=s, p=p, output_padding=output_padding)
    eq = transposed_equivalent(k, s, p)  # checks the ranges; raises if p > k - 1
    o = conv_transpose_output_size(i, k, s, p, output_padding)  # checks output_padding
    z, q = eq.zeros_between, eq.padding
    stretched = (i - 1) * (z + 1) + 1
    n = stretched + 2 * q + output_padding
    if n > _MAX_SIDE:
        raise ValueError(f"transposed_grid: the stretched and padded input has {n} cells per side, more than "
                         f"{_MAX_SIDE}; too large to draw")
    if n - eq.dilation * (eq.kernel - 1) != o:  # pragma: no cover - the picture must agree with the formula
        raise AssertionError(f"transposed_grid: drawn output {n - eq.dilation * (eq.kernel - 1)} != {o}")

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
    return _grid_figure(kinds, eq.kernel, eq.dilation, o, title, captions, legend,
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
    from dlref.conv.arithmetic import receptive_field

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
    return {name: [1] + [row.size for row in stack] for name, stack in rows.items()}


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
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

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
    fig, (ax,) = new_figure(6.0, 3.5)
    lines = (
        ("dilated", text("3×3 conv, dilation 1, 2, 4, 8, …", "3×3 卷积，膨胀率 1, 2, 4, 8, …", lang), GREEN, "^"),
        ("pooled", text("3×3 conv + 2×2/2 max pool after every 2 convs", "3×3 卷积，每 2 层后接 2×2/2 最大池化", lang),
         ORANGE, "s"),
        ("plain", text("3×3 conv, stride 1", "3×3 卷积，步幅 1", lang), BLUE, "o"),
    )
    for name, label, color, marker in lines:
        ax.plot(x, stacks[name], color=color, marker=marker, markersize=4, linewidth=1.8, label=label)
        ax.annotate(f"{stacks[name][-1]}", (x[-1], stacks[name][-1]), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=8, color=color)
    _log2_axis(ax, text("number of 3×3 conv layers L", "3×3 卷积层数 L", lang),
               text("receptive field (pixels per side)", "感受野（每边像素数）", lang))
    ax.set_xticks(x)
    ax.set_xlim(-0.3, convs + 0.8)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    label = text("Receptive field growth of three stacks of 3×3 convolutions", "三种 3×3 卷积堆叠的感受野增长", lang)
    return to_svg(fig, f"rf-growth-{lang}", label)


# --------------------------------------------------------------------------- residual gradients

_DEPTHS = (8, 16, 24, 32, 40, 48, 56)
_WIDTH, _BATCH, _CLASSES = 64, 128, 10


def _first_layer_grad(depth: int, mode: str) -> float:
    """Gradient norm at the first Linear's weight of a stack of ``depth`` Linear layers at initialisation.

    ``mode``: ``"plain"`` (h <- F(h)), ``"residual"`` (h <- h + F(h)), both with PyTorch's
    default initialisation and identical weights, or ``"plain_he"`` (h <- F(h), Kaiming-normal
    weights and zero biases).
    """
    import torch
    from torch import nn

    with torch.random.fork_rng(devices=[]):  # seeded, and the caller's global RNG is left alone
        torch.manual_seed(0)
        x = torch.randn(_BATCH, _WIDTH, dtype=torch.float64)
        y = torch.randint(0, _CLASSES, (_BATCH,))
        layers = [nn.Linear(_WIDTH, _WIDTH, dtype=torch.float64) for _ in range(depth)]
        head = nn.Linear(_WIDTH, _CLASSES, dtype=torch.float64)
        if mode == "plain_he":
            for n, layer in enumerate(layers):
                # He et al. 2015: Var(w) = 2/fan_in before a ReLU, 1/fan_in for the block's linear output
                nn.init.normal_(layer.weight, 0.0, math.sqrt((2.0 if n % 2 == 0 else 1.0) / _WIDTH))
                nn.init.zeros_(layer.bias)
    h = x
    for n in range(0, depth, 2):
        f = layers[n + 1](torch.relu(layers[n](h)))  # F(h) = W2 ReLU(W1 h + b1) + b2
        h = h + f if mode == "residual" else f
    loss = nn.functional.cross_entropy(head(h), y)
    (grad,) = torch.autograd.grad(loss, layers[0].weight)
    return grad.norm().item()


@functools.cache
def residual_experiment() -> dict[str, Any]:
    """Measure the gradient at the first layer of plain and residual stacks at initialisation.

    Setup (float64, CPU, well under a second): a fixed batch of 128 standard-normal
    inputs of width 64 with random labels of 10 classes (seed 0). A stack of depth
    $L$ is $L/2$ blocks $F(h) = W_2\\,\\mathrm{ReLU}(W_1 h + b_1) + b_2$ of
    ``Linear(64, 64)`` layers followed by a ``Linear(64, 10)`` head and
    cross-entropy. The *plain* stack computes $h \\leftarrow F(h)$, the *residual*
    stack $h \\leftarrow h + F(h)$, with the same PyTorch default-initialised
    weights (the seed is reset for every stack). A third, *plain with He init*,
    stack uses Kaiming-normal weights and zero biases. Each number is
    $\\lVert \\partial \\text{loss} / \\partial W_1 \\rVert$ for the very first layer.

    What it shows: at initialisation, the gradient that reaches the first layer of
    a plain stack is a product of one Jacobian per layer, and with PyTorch's default
    ``Linear`` initialisation ($\\operatorname{Var} w = 1/(3\\,\\text{fan\\_in})$)
    each ``Linear`` multiplies the backward signal's variance by about $1/3$ and
    each ReLU by about $1/2$, so the norm shrinks by about $\\sqrt{18} \\approx 4.2$
    per block (measured here: about 4.3) and vanishes geometrically with depth. In
    the residual stack each block's Jacobian is $I + \\partial F / \\partial h$: the
    identity path carries the gradient to the first layer whatever the depth. With He initialisation the plain stack's
    gradient does not vanish at initialisation either.

    What it does not show: the *degradation problem* of He et al. (2016) is that a
    deeper plain network reaches a *higher training* error than a shallower one
    after training: an optimisation difficulty, not overfitting. Their plain
    networks used BatchNorm and He initialisation and had healthy gradient norms,
    so vanishing gradients at initialisation do not explain it. This experiment
    measures gradients at initialisation only; it trains nothing.

    Returns:
        ``{"depths": (8, 16, ..., 56), "plain": (...), "residual": (...),
        "plain_he": (...)}``: depths are numbers of ``Linear`` layers, and the
        other tuples hold one gradient norm (float) per depth.

    References:
        K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image
        Recognition", CVPR 2016, §4.1 (<https://arxiv.org/abs/1512.03385>).

    Examples:
        >>> from dlref.plots import conv_figures
        >>> run = conv_figures.residual_experiment()
        >>> run["plain"][-1] < 1e-12 < 1e-2 < run["residual"][-1]
        True
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: one thread is faster, and much faster on a busy machine
    try:
        return {"depths": _DEPTHS, **{mode: tuple(_first_layer_grad(depth, mode) for depth in _DEPTHS)
                                      for mode in ("plain", "residual", "plain_he")}}
    finally:
        torch.set_num_threads(threads)


@per_language
def residual_gradients(*, lang: str = "en") -> str:
    """Plot the first-layer gradient norms of [`residual_experiment`][dlref.plots.residual_experiment] against depth.

    Log $y$ axis. Plain (default init) falls geometrically with depth; residual
    (same weights) stays of order 0.1–1; plain with He init stays flat too. The
    figure is about gradients at initialisation, not about training error (see
    the experiment's docstring).

    Args:
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import conv_figures
        >>> "<svg" in conv_figures.residual_gradients(lang="zh")
        True
    """
    run = residual_experiment()
    fig, (ax,) = new_figure(6.0, 3.5)
    curves = (
        ("residual", text("residual  h ← h + F(h)", "残差  h ← h + F(h)", lang), GREEN, "o", "-"),
        ("plain", text("plain  h ← F(h)", "普通  h ← F(h)", lang), ORANGE, "s", "-"),
        ("plain_he", text("plain, He initialisation", "普通，He 初始化", lang), GREY, "^", "--"),
    )
    for name, label, color, marker, linestyle in curves:
        ax.semilogy(run["depths"], run[name], color=color, marker=marker, markersize=4, linewidth=1.8,
                    linestyle=linestyle, label=label)
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    ax.set_xticks(run["depths"])
    ax.set_xlabel(text("depth (Linear layers)", "深度（Linear 层数）", lang))
    ax.set_ylabel(text("‖∂loss/∂W₁‖ at initialisation", "初始化时 ‖∂loss/∂W₁‖", lang))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_ylim(top=10.0)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    label = text("First-layer gradient norm at initialisation: plain and residual stacks",
                 "初始化时第一层的梯度范数：普通堆叠与残差堆叠", lang)
    return to_svg(fig, f"residual-gradients-{lang}", label)


# --------------------------------------------------------------------------- CNN pipeline


def _box(ax: Axes, cx: float, cy: float, w: float, h: float, label: str, color: str, *, dashed: bool = False,
         alpha: float = 0.22) -> None:
    """A rounded box centred at (cx, cy) with a centred label; the edge is theme ink when dashed."""
    from matplotlib.patches import FancyBboxPatch

    style = {"boxstyle": "round,pad=0,rounding_size=0.08", "linewidth": 1.0}
    if dashed:
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, facecolor="none", edgecolor=GREY,
                                    linestyle=(0, (3, 2)), **style))
    else:
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, facecolor=color, alpha=alpha, edgecolor="none",
                                    **style))
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - h / 2), w, h, facecolor="none", edgecolor=color, **style))
    ax.text(cx, cy, label, ha="center", va="center", fontsize=9, linespacing=1.15)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *, dashed: bool = False,
           rad: float = 0.0) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.0, "shrinkA": 0, "shrinkB": 0,
                            "linestyle": (0, (3, 2)) if dashed else "-", "connectionstyle": f"arc3,rad={rad}"})


@per_language
def cnn_pipeline(*, lang: str = "en") -> str:
    """Draw the pipeline of a classification CNN and its training loop as boxes and arrows.

    Forward (top row): input layer → [convolution → activation → pooling] × N →
    fully connected → output layer. Below the convolution block, the optional
    BatchNorm / Dropout layers (BatchNorm usually sits between a convolution and its
    activation; Dropout mostly between the fully connected layers); below the
    output, the softmax (one class) or sigmoid (independent labels) that turns
    scores into probabilities. Training (bottom row, arrows pointing backwards):
    loss function → backpropagation → optimiser step, which updates the weights of
    all layers with weights (dashed arrow, drawn to the convolution block).

    Args:
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import conv_figures
        >>> conv_figures.cnn_pipeline(lang="en") == conv_figures.cnn_pipeline(lang="zh")
        False
    """
    from matplotlib.patches import FancyBboxPatch

    t = functools.partial(text, lang=lang)
    fig, (ax,) = new_figure(7.4, 3.3)
    h, top, mid, bottom = 0.56, 2.65, 1.62, 0.55  # box height and the y of the three rows
    # forward row: (centre x, width, label, colour)
    row = [
        (0.55, 0.95, t("input\nlayer", "输入层"), BLUE),
        (1.95, 1.0, t("convolution", "卷积层"), BLUE),
        (3.2, 0.95, t("activation", "激活"), BLUE),
        (4.35, 0.8, t("pooling", "池化"), BLUE),
        (5.65, 0.95, t("fully\nconnected", "全连接层"), ORANGE),
        (6.75, 0.85, t("output\nlayer", "输出层"), GREEN),
    ]
    for cx, w, label, color in row:
        _box(ax, cx, top, w, h, label, color)
    # the repeated block: convolution -> activation -> pooling, × N
    left, right = row[1][0] - row[1][1] / 2 - 0.12, row[3][0] + row[3][1] / 2 + 0.12
    ax.add_patch(FancyBboxPatch((left, top - h / 2 - 0.12), right - left, h + 0.24, facecolor="none",
                                edgecolor="black", linewidth=1.0, boxstyle="round,pad=0,rounding_size=0.12"))
    ax.text(right - 0.02, top + h / 2 + 0.16, "× N", ha="right", va="bottom", fontsize=10)
    for (x0, w0, *_), (x1, w1, *_) in zip(row, row[1:], strict=False):
        _arrow(ax, (x0 + w0 / 2, top), (x1 - w1 / 2, top))
    # attached layers below the block and the output
    block_x = (left + right) / 2
    _box(ax, block_x, mid, 2.3, 0.42, t("optional: BatchNorm / Dropout", "可选：BatchNorm / Dropout"), GREY,
         dashed=True)
    ax.plot([block_x, block_x], [top - h / 2 - 0.12, mid + 0.21], color=GREY, linewidth=1.0, linestyle=":")
    out_x = row[-1][0]
    _box(ax, out_x, mid, 1.25, 0.42, "softmax / sigmoid", GREEN, alpha=0.12)
    _arrow(ax, (out_x, top - h / 2), (out_x, mid + 0.21))
    # training loop, right to left: loss -> backpropagation -> optimiser step
    loop = [
        (out_x, 1.25, t("loss function", "损失函数")),
        (4.3, 1.45, t("backpropagation", "反向传播")),
        (1.95, 1.45, t("optimiser step", "优化器更新参数")),
    ]
    for cx, w, label in loop:
        _box(ax, cx, bottom, w, 0.46, label, _PURPLE, alpha=0.15)
    _arrow(ax, (out_x, mid - 0.21), (out_x, bottom + 0.23))
    for (x0, w0, _), (x1, w1, _) in zip(loop, loop[1:], strict=False):
        _arrow(ax, (x0 - w0 / 2, bottom), (x1 + w1 / 2, bottom))
    # the optimiser updates the weights of the convolution and fully connected layers
    opt_x, opt_w = loop[-1][0], loop[-1][1]
    _arrow(ax, (opt_x - opt_w / 2 + 0.1, bottom + 0.23), (left + 0.3, top - h / 2 - 0.12), dashed=True, rad=-0.15)
    ax.text(left - 0.22, mid - 0.1, t("update\nweights", "更新\n权重"), ha="right", va="center", fontsize=8, color=GREY)
    ax.set_xlim(0.0, 7.4)
    ax.set_ylim(0.2, 3.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    label = t("CNN pipeline: forward layers and the training loop", "CNN 流程：前向各层与训练循环")
    return to_svg(fig, f"cnn-pipeline-{lang}", label)
