"""Figures and generated tables of the activation-function chapter.

The numbers come from `dlref.experiments`: [measure][dlref.experiments.measure] for the
cards and the table, [xor_network][dlref.experiments.xor_network] for the XOR figure.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from fractions import Fraction

import torch

from dlref._checks import check_choice, check_int, check_real, fail
from dlref.activations import ACTIVATIONS
from dlref.experiments.activation_measures import curves, measure
from dlref.experiments.xor import xor_network
from dlref.plots._render import (
    BLUE,
    GREEN,
    GREY,
    ORANGE,
    new_figure,
    per_language,
    rc,
    resolve_language,
    style,
    text,
    to_svg,
)

__all__ = ["activation", "activation_card", "activation_table", "gradient_bound", "xor"]


@functools.cache
def activation(name: str, lo: float = -6.0, hi: float = 6.0, **params: object) -> str:
    """Plot a registered activation $f$ (solid) and its derivative $f'$ (dashed).

    The labels are mathematical only, so the figure is drawn once and shared by
    both languages. For ``softmax`` and ``log_softmax`` the curve is the first
    output of a two-logit input $[x, 0]$, and the dashed line is the Jacobian's
    diagonal entry $\\partial f_1 / \\partial x_1$. The legend sits above the plot,
    beside the title, so it hides no curve.

    Args:
        name: A key of [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].
        lo: Left end of the $x$ range. Defaults to -6.
        hi: Right end of the $x$ range. Defaults to 6.
        **params: Parameters that replace the registry's defaults; the title names them,
            for example "Leaky ReLU (negative_slope=0.1)". Defaults to none.

    Returns:
        An inline SVG string wrapped in ``<div class="dlref-figure">``.

    Raises:
        TypeError: If ``lo`` or ``hi`` is not a real number.
        ValueError: If ``name`` is not registered, ``lo >= hi`` or a key of ``params`` is
            not one of its parameters.

    Examples:
        >>> from dlref import plots
        >>> svg = plots.activation("relu")
        >>> svg.startswith('<div class="dlref-figure"><svg'), svg == plots.activation("relu")
        (True, True)
        >>> 'aria-label="Leaky ReLU (negative_slope=0.1)' in plots.activation("leaky_relu", negative_slope=0.1)
        True
    """
    fn = "activation"
    act = ACTIVATIONS[check_choice(fn, "name", name, list(ACTIVATIONS))]
    if check_real(fn, "hi", hi) <= check_real(fn, "lo", lo):
        fail(fn, "hi", "is not above lo", hi, f"expected hi > lo = {lo}")
    x = torch.linspace(lo, hi, 1201, dtype=torch.float64)
    y, dy = curves(name, x, **params)
    title = act.title + (f" ({_params_text(params)})" if params else "")
    key = "-".join([f"act-{name}", *(f"{k}-{v}" for k, v in params.items())])
    with rc("en"):
        return _draw_activation(title, key, x, y, dy)


def _draw_activation(title: str, key: str, x: torch.Tensor, y: torch.Tensor, dy: torch.Tensor) -> str:
    fig, (ax,) = new_figure(4.9, 3.0)
    ax.plot(x, y, color=BLUE, linewidth=2.0, label=r"$f(x)$")
    ax.plot(x, dy, color=ORANGE, linewidth=1.8, linestyle="--", label=r"$f'(x)$")
    style(ax, r"$x$", "")
    ax.set_title(title, loc="left")
    # Above the plot, right of the title: inside, some curve would pass under it.
    ax.legend(frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, borderaxespad=0.1)
    return to_svg(fig, key, f"{title}: f(x) and f'(x)")


@per_language
def gradient_bound(depth: int = 20, *, lang: str = "en") -> str:
    """Plot $(\\max_x |f'(x)|)^L$ against the number of layers $L$ (log scale).

    Backpropagation multiplies one activation derivative per layer, so
    $(\\max|f'|)^L$ bounds how much of the gradient survives $L$ layers (weights aside).
    With sigmoid's maximum of 0.25 the bound falls by a factor 4 per layer; with
    tanh's and ReLU's maximum of 1 it does not fall. The maxima are measured on a
    dense grid with dlref's derivatives.

    Args:
        depth: Largest number of layers shown, at least 2. Defaults to 20.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If ``depth`` is not an int.
        ValueError: If ``depth < 2`` or ``lang`` is unknown.

    Examples:
        >>> from dlref import plots
        >>> plots.gradient_bound(10, lang="zh") == plots.gradient_bound(10, lang="en")
        False
    """
    from matplotlib.ticker import MaxNLocator

    check_int("gradient_bound", "depth", depth, low=2)
    grid = torch.linspace(-10.0, 10.0, 200001, dtype=torch.float64)
    layers = torch.arange(1, depth + 1, dtype=torch.float64)
    fig, (ax,) = new_figure(4.9, 3.0)
    # Tanh and ReLU have the same bound, 1 at every depth: ReLU is drawn first as a wide pale
    # band with large markers, tanh dashed with small squares on top of it, so both stay visible.
    lines = (
        ("sigmoid", {"color": BLUE, "marker": "o", "markersize": 3, "linewidth": 1.8}),
        ("relu", {"color": GREEN, "marker": "o", "markersize": 7, "linewidth": 5.0, "alpha": 0.45}),
        ("tanh", {"color": ORANGE, "marker": "s", "markersize": 3.5, "linewidth": 1.8, "linestyle": "--"}),
    )
    handles = {}
    for name, line_style in lines:
        peak = curves(name, grid)[1].abs().max()
        (handles[name],) = ax.semilogy(layers, peak**layers, **line_style,
                                       label=f"{ACTIVATIONS[name].title}: $\\max|f'| = {peak.item():.2f}$")
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6, which="both")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set_ylim(top=10.0)  # room above the band at 1
    ax.set_xlabel(text("layers $L$", "层数 $L$", lang))
    ax.set_ylabel(text("bound  $(\\max|f'|)^L$", "上界  $(\\max|f'|)^L$", lang))
    ax.legend(handles=[handles[name] for name in ("sigmoid", "tanh", "relu")], frameon=False, loc="lower left")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    label = text("Gradient bound against depth", "梯度上界随层数的变化", lang)
    return to_svg(fig, f"gradbound-{depth}-{lang}", label)


@per_language
def xor(*, lang: str = "en") -> str:
    """Plot XOR: the best linear fit (left) and the two-unit ReLU network (right).

    The left panel shows the least-squares linear model, which predicts 0.5 for
    every point; the right panel shades where [`xor_network`][dlref.experiments.xor_network]
    outputs more than 0.5.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.xor(lang="en")
        True
    """
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
    A = torch.cat([X, torch.ones(4, 1, dtype=torch.float64)], dim=1)  # (4, 3): [x1, x2, 1]
    theta = torch.linalg.lstsq(A, y.unsqueeze(1)).solution.squeeze(1)  # (3,)
    g = torch.linspace(-0.5, 1.5, 201, dtype=torch.float64)
    gx, gy = torch.meshgrid(g, g, indexing="xy")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)  # (201*201, 2)
    linear = (torch.cat([grid, torch.ones(len(grid), 1, dtype=torch.float64)], 1) @ theta).reshape(gx.shape)
    relu_net = xor_network(grid).reshape(gx.shape)
    fig, axes = new_figure(3.6, 5.9, nrows=2)  # stacked: side by side would not fit a 390 px phone
    titles = (
        text("linear model: ŷ = 0.5 everywhere", "线性模型：处处 ŷ = 0.5", lang),
        text("ReLU network: ŷ > 0.5 shaded", "ReLU 网络：阴影处 ŷ > 0.5", lang),
    )
    for ax, z, title in zip(axes, (linear, relu_net), titles, strict=True):
        # Rounding first: points exactly on the boundary must not flip with last-bit noise.
        ax.contourf(gx, gy, (z.round(decimals=9) > 0.5).double(), levels=[0.5, 1.5], colors=[GREEN], alpha=0.25)
        for target, marker, color in ((0.0, "o", BLUE), (1.0, "s", ORANGE)):
            pts = X[y == target]
            ax.scatter(pts[:, 0], pts[:, 1], s=70, marker=marker, color=color, label=f"y = {int(target)}", zorder=3)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(r"$x_1$")
        ax.set_ylabel(r"$x_2$")
        ax.set_aspect("equal")
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
    axes[0].legend(frameon=False, loc="center")
    label = text("XOR: a linear model cannot separate it, a ReLU network can",
                  "XOR：线性模型无法分开，ReLU 网络可以", lang)
    return to_svg(fig, f"xor-{lang}", label)


# --------------------------------------------------------------------------- generated tables
# Measured, not typed: every number in the activation chapter's cards and table
# comes from dlref.experiments.measure.

def _num(v: float) -> str:
    if math.isinf(v):
        return "\\infty" if v > 0 else "-\\infty"
    # The measurements come from a float64 grid and a quadrature: below 1e-9 they are rounding
    # noise (E[SELU(Z)] is exactly 0 by design, yet sums to ~1e-10), so they print as 0.
    return "0" if abs(v) < 1e-9 else f"{v:.4g}"


def _interval(name: str) -> str:
    """The output range as an interval, closed where the grid reaches the bound."""
    lo, hi = ACTIVATIONS[name].output_range
    m = measure(name)
    if name == "step":
        return "\\{0, 1\\}"
    # Closed where the bound is hit exactly (ReLU's 0) or at an interior extremum (GELU's minimum).
    left = "[" if math.isfinite(lo) and (m["ymin"] == lo or m["min_inside"]) else "("
    right = "]" if math.isfinite(hi) and (m["ymax"] == hi or m["max_inside"]) else ")"
    return f"{left}{_num(lo)}, {_num(hi)}{right}"


_YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}
_SATURATES = {
    "en": {"both": "both sides", "left": "left only", "right": "right only", "none": "no"},
    "zh": {"both": "两侧", "left": "仅左侧", "right": "仅右侧", "none": "否"},
}


def _params_text(params: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={_value_text(v)}" for k, v in params.items())


def _value_text(value: object) -> str:
    """``repr(value)``, except a long float that is exactly a small fraction: RReLU's ``upper=1/3``."""
    if isinstance(value, float) and len(repr(value)) > 8:
        fraction = Fraction(value).limit_denominator(1000)
        if float(fraction) == value:
            return f"{fraction.numerator}/{fraction.denominator}"
    return repr(value)


def activation_card(name: str, *, lang: str | None = None) -> str:
    """Markdown summary of one activation: definition, derivative, range and measured facts.

    Printed by a markdown-exec block (Markdown output), so the math is typeset
    like the rest of the page.

    Args:
        name: A key of [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        A Markdown string.

    Raises:
        ValueError: If ``name`` is not registered or ``lang`` is unknown.

    Examples:
        >>> from dlref.plots import activation_card
        >>> print(activation_card("relu", lang="en").splitlines()[-1])
        *Range* $[0, \\infty)$ · $f(0) = 0$ · $f'(0) = 0$ · $\\max f' = 1$ · PyTorch: `torch.nn.functional.relu`
        >>> print(activation_card("relu", lang="zh").splitlines()[-1])
        *值域* $[0, \\infty)$ · $f(0) = 0$ · $f'(0) = 0$ · $\\max f' = 1$ · PyTorch 对应函数：`torch.nn.functional.relu`
    """
    act = ACTIVATIONS[check_choice("activation_card", "name", name, list(ACTIVATIONS))]
    lang, m = resolve_language(lang, "activation_card"), measure(name)
    params = _params_text(ACTIVATIONS[name].params)
    label = text("defaults", "默认参数", lang)
    # Two display blocks, not one: each is centred and, on a narrow screen, scrolls on its own.
    lines = [f"$$ {act.formula} $$", "", f"$$ {act.derivative_formula} $$", ""]
    if params:
        lines += [f"*{label}* `{params}`", ""]
    lines.append(
        f"*{text('Range', '值域', lang)}* ${_interval(name)}$ · $f(0) = {_num(m['f0'])}$ · "
        f"$f'(0) = {_num(m['d0'])}$ · $\\max f' = {_num(m['dmax'])}$ · {_torch_label(act.reference_name, lang)}"
    )
    return "\n".join(lines)


def _torch_label(reference: str, lang: str) -> str:
    """'PyTorch: `torch.sigmoid`'; in Chinese, a function and an expression (swish's) are named differently."""
    if lang == "en":
        return f"PyTorch: `{reference}`"
    kind = "对应函数" if reference.replace(".", "").replace("_", "").isalnum() else "对应写法"
    return f"PyTorch {kind}：`{reference}`"


def activation_table(*, lang: str | None = None) -> str:
    """Markdown comparison table of every registered activation, measured by [`measure`][dlref.experiments.measure].

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        A Markdown table with one row per entry of
        [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].

    Examples:
        >>> from dlref.plots import activation_table
        >>> activation_table(lang="en").splitlines()[2].startswith("| Sigmoid |")
        True
    """
    lang = resolve_language(lang, "activation_table")
    yes, no = _YES_NO[lang]
    head = (["function", "range", "f(0)", "f'(0)", "max f'", "E[f(Z)], Z~N(0,1)", "monotonic", "smooth", "saturates"]
            if lang == "en" else
            ["函数", "值域", "f(0)", "f'(0)", "max f'", "E[f(Z)]，Z~N(0,1)", "单调", "光滑", "饱和"])
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, act in ACTIVATIONS.items():
        m = measure(name)
        cells = [act.title, f"${_interval(name)}$", _num(m["f0"]), _num(m["d0"]), _num(m["dmax"]),
                 _num(m["normal_mean"]), yes if m["monotonic"] else no,
                 yes if m["smooth"] else no, _SATURATES[lang][m["saturates"]]]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
