"""Figures and generated tables of the activation-function chapter."""

from __future__ import annotations

import functools
import math
from typing import Any

import torch

from dlref.activations import ACTIVATIONS
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

__all__ = [
    "activation",
    "activation_card",
    "activation_table",
    "gradient_bound",
    "measure",
    "xor",
    "xor_network",
]


def _curves(name: str, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Evaluate f and f' of a registered activation at ``x`` (softmax family: along [x, 0])."""
    act = ACTIVATIONS[name]
    params = dict(act.params)
    if act.jacobian is not None:
        # A two-logit softmax as a function of the first logit: softmax([x, 0])[0] = sigmoid(x).
        z = torch.stack([x, torch.zeros_like(x)], dim=-1)  # (n, 2)
        return act.forward(z, **params)[:, 0], act.jacobian(z, **params)[:, 0, 0]
    return act.forward(x, **params), act.derivative(x, **params)  # type: ignore[misc]


@functools.cache
def activation(name: str, lo: float = -6.0, hi: float = 6.0) -> str:
    """Plot a registered activation $f$ (solid) and its derivative $f'$ (dashed).

    The labels are mathematical only, so the figure is drawn once and shared by
    both languages. For ``softmax`` and ``log_softmax`` the curve is the first
    output of a two-logit input $[x, 0]$, and the dashed line is the Jacobian's
    diagonal entry $\\partial f_1 / \\partial x_1$.

    Args:
        name: A key of [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].
        lo: Left end of the $x$ range.
        hi: Right end of the $x$ range.

    Returns:
        An inline SVG string wrapped in ``<div class="dlref-figure">``.

    Raises:
        ValueError: If ``name`` is not registered or ``lo >= hi``.

    Examples:
        >>> from dlref import plots
        >>> svg = plots.activation("relu")
        >>> svg.startswith('<div class="dlref-figure"><svg'), svg == plots.activation("relu")
        (True, True)
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"name: got {name!r}; allowed values are the keys of ACTIVATIONS: {', '.join(ACTIVATIONS)}")
    if not lo < hi:
        raise ValueError(f"lo, hi: need lo < hi, got lo={lo}, hi={hi}")
    act = ACTIVATIONS[name]
    x = torch.linspace(lo, hi, 1201, dtype=torch.float64)
    y, dy = _curves(name, x)
    with rc("en"):
        return _draw_activation(act.title, name, x, y, dy)


def _draw_activation(title: str, name: str, x: torch.Tensor, y: torch.Tensor, dy: torch.Tensor) -> str:
    fig, (ax,) = new_figure(6.0, 3.2)
    ax.plot(x, y, color=BLUE, linewidth=2.0, label=r"$f(x)$")
    ax.plot(x, dy, color=ORANGE, linewidth=1.8, linestyle="--", label=r"$f'(x)$")
    style(ax, r"$x$", "")
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left")
    return to_svg(fig, f"act-{name}", f"{title}: f(x) and f'(x)")


@per_language
def gradient_bound(depth: int = 20, *, lang: str = "en") -> str:
    """Plot $\\max_x |f'(x)|^L$ against the number of layers $L$ (log scale).

    Backpropagation multiplies one activation derivative per layer, so
    $\\max|f'|^L$ bounds how much of the gradient survives $L$ layers (weights aside).
    With sigmoid's maximum of 0.25 the bound falls by a factor 4 per layer; with
    tanh's and ReLU's maximum of 1 it does not fall. The maxima are measured on a
    dense grid with dlref's derivatives.

    Args:
        depth: Largest number of layers shown (at least 2).
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        ValueError: If ``depth < 2`` or ``lang`` is unknown.

    Examples:
        >>> from dlref import plots
        >>> plots.gradient_bound(10, lang="zh") == plots.gradient_bound(10, lang="en")
        False
    """
    if not isinstance(depth, int) or depth < 2:
        raise ValueError(f"depth: got {depth!r}; allowed is an int >= 2")
    grid = torch.linspace(-10.0, 10.0, 200001, dtype=torch.float64)
    layers = torch.arange(1, depth + 1, dtype=torch.float64)
    fig, (ax,) = new_figure(6.0, 3.2)
    for name, color in (("sigmoid", BLUE), ("tanh", ORANGE), ("relu", GREEN)):
        act = ACTIVATIONS[name]
        peak = act.derivative(grid).abs().max()  # type: ignore[misc]
        ax.semilogy(layers, peak**layers, marker="o", markersize=3, color=color,
                    label=f"{act.title}: max|f'| = {peak.item():.2f}")
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6, which="both")
    ax.set_xlabel(text("layers L", "层数 L", lang))
    ax.set_ylabel(text("bound  max|f'|^L", "上界  max|f'|^L", lang))
    ax.legend(frameon=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    label = text("Gradient bound against depth", "梯度上界随层数的变化", lang)
    return to_svg(fig, f"gradbound-{depth}-{lang}", label)


def xor_network(x: torch.Tensor) -> torch.Tensor:
    """The two-unit ReLU network that solves XOR (Goodfellow et al., 2016, §6.1).

    $$ h = \\operatorname{ReLU}(W^\\top x + c),\\quad \\hat y = w^\\top h,\\qquad
       W = \\begin{bmatrix}1 & 1\\\\ 1 & 1\\end{bmatrix},\\ c = \\begin{bmatrix}0\\\\-1\\end{bmatrix},\\
       w = \\begin{bmatrix}1\\\\-2\\end{bmatrix} $$

    Args:
        x: Points of shape ``(N, 2)``.

    Returns:
        Network outputs of shape ``(N,)``.

    Raises:
        TypeError: If ``x`` is not a tensor.
        ValueError: If ``x`` is not of shape ``(N, 2)``.

    References:
        Goodfellow, Bengio, Courville, *Deep Learning*, §6.1
        (<https://www.deeplearningbook.org/contents/mlp.html>).

    Examples:
        >>> import torch
        >>> from dlref.plots import xor_network
        >>> xor_network(torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]))
        tensor([0., 1., 1., 0.])
    """
    from dlref.activations import relu

    if not isinstance(x, torch.Tensor):
        raise TypeError(f"xor_network: x must be a torch.Tensor, got {type(x).__name__}")
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(f"xor_network: x must have shape (N, 2), got {tuple(x.shape)}")
    W = torch.ones(2, 2, dtype=x.dtype)
    c = torch.tensor([0.0, -1.0], dtype=x.dtype)
    w = torch.tensor([1.0, -2.0], dtype=x.dtype)
    h = relu(x @ W + c)  # (N, 2)
    return h @ w  # (N,)


@per_language
def xor(*, lang: str = "en") -> str:
    """Plot XOR: the best linear fit (left) and the two-unit ReLU network (right).

    The left panel shows the least-squares linear model, which predicts 0.5 for
    every point; the right panel shades where [`xor_network`][dlref.plots.xor_network]
    outputs more than 0.5.

    Args:
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

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
    fig, axes = new_figure(7.0, 3.3, ncols=2)
    titles = (
        text("linear model: ŷ = 0.5 everywhere", "线性模型：处处 ŷ = 0.5", lang),
        text("ReLU network: ŷ > 0.5 shaded", "ReLU 网络：阴影处 ŷ > 0.5", lang),
    )
    for ax, z, title in zip(axes, (linear, relu_net), titles, strict=True):
        # Rounding first: points exactly on the boundary must not flip with last-bit noise.
        ax.contourf(gx, gy, (z.round(decimals=9) > 0.5).double(), levels=[0.5, 1.5], colors=[GREEN], alpha=0.25)
        for label, marker, color in ((0.0, "o", BLUE), (1.0, "s", ORANGE)):
            pts = X[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=70, marker=marker, color=color, label=f"y = {int(label)}", zorder=3)
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
# comes from the registry's functions evaluated on a dense float64 grid.

_GRID_STEPS = 300_000  # the grid is k / 1e4 for |k| <= 300000: [-30, 30] with x = 0 exactly


@functools.cache
def measure(name: str) -> dict[str, Any]:
    """Measure the shape of a registered activation on a dense float64 grid over [-30, 30].

    For ``softmax`` and ``log_softmax`` the function measured is the first output
    of the two-logit input $[x, 0]$ and its Jacobian diagonal.

    Args:
        name: A key of [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].

    Returns:
        A dict with ``f0`` ($f(0)$), ``d0`` ($f'(0)$), ``dmax`` ($\\max f'$) and
        ``argmax`` (the smallest $x$ where it is reached), ``ymin``/``ymax`` (the
        extremes on $|x| \\le 10$), ``normal_mean`` ($E[f(Z)]$ for
        $Z \\sim \\mathcal N(0, 1)$: 0 for a zero-centred output), ``monotonic``,
        ``smooth`` (no jump in $f$ or $f'$ larger than 0.01
        between neighbouring grid points) and ``saturates`` (``"both"``,
        ``"left"``, ``"right"`` or ``"none"``: where $|f'| < 10^{-6}$ at $\\pm 30$).

    Raises:
        ValueError: If ``name`` is not registered.

    Examples:
        >>> from dlref.plots import measure
        >>> m = measure("sigmoid")
        >>> m["d0"], m["dmax"], m["monotonic"], round(m["normal_mean"], 4), m["saturates"]
        (0.25, 0.25, True, 0.5, 'both')
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"name: got {name!r}; allowed values are the keys of ACTIVATIONS: {', '.join(ACTIVATIONS)}")
    x = torch.arange(-_GRID_STEPS, _GRID_STEPS + 1, dtype=torch.float64) / 1e4  # step 1e-4, exact 0
    y, dy = _curves(name, x)
    zero = _GRID_STEPS  # index of x = 0
    i_max = int(torch.argmax(dy))
    # Range: on |x| <= 10 only, where float64 has not yet rounded sigmoid or tanh to their asymptotes.
    inner = x.abs() <= 10.0
    # E[f(Z)] for Z ~ N(0, 1), by the trapezoidal rule (the tails beyond |x| = 30 are negligible).
    density = torch.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    left_flat, right_flat = dy[0].abs() < 1e-6, dy[-1].abs() < 1e-6
    return {
        "f0": y[zero].item(),
        "d0": dy[zero].item(),
        "dmax": dy[i_max].item(),
        "argmax": x[i_max].item(),
        "ymin": y[inner].min().item(),
        "ymax": y[inner].max().item(),
        # A bound is reached inside the grid, or only approached towards its ends (an asymptote).
        "min_inside": bool(y[inner].min() < y[inner][[0, -1]].min()),
        "max_inside": bool(y[inner].max() > y[inner][[0, -1]].max()),
        "normal_mean": torch.trapezoid(y * density, x).item(),
        "monotonic": bool((dy >= 0).all()),
        "smooth": bool(y.diff().abs().max() < 1e-2 and dy.diff().abs().max() < 1e-2),
        "saturates": {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
            (bool(left_flat), bool(right_flat)), "none"),
    }


def _num(v: float) -> str:
    if math.isinf(v):
        return "\\infty" if v > 0 else "-\\infty"
    return f"{v:.4g}".replace("-0", "0") if abs(v) < 5e-5 else f"{v:.4g}"


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


def _paramstext(name: str) -> str:
    params = dict(ACTIVATIONS[name].params)
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def activation_card(name: str, *, lang: str | None = None) -> str:
    """Markdown summary of one activation: definition, derivative, range and measured facts.

    Printed by a markdown-exec block (Markdown output), so the math is typeset
    like the rest of the page.

    Args:
        name: A key of [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        A Markdown string.

    Examples:
        >>> from dlref.plots import activation_card
        >>> print(activation_card("relu", lang="en").splitlines()[-1])
        *Range* $[0, \\infty)$ · $f(0) = 0$ · $f'(0) = 0$ · $\\max f' = 1$ · *torch* `torch.nn.functional.relu`
    """
    lang = resolve_language(lang)
    act, m = ACTIVATIONS[name], measure(name)
    params = _paramstext(name)
    label = text("defaults", "默认参数", lang)
    lines = [f"$$ \\begin{{gathered}} {act.formula} \\\\[4pt] {act.derivative_formula} \\end{{gathered}} $$", ""]
    if params:
        lines += [f"*{label}* `{params}`", ""]
    lines.append(
        f"*{text('Range', '值域', lang)}* ${_interval(name)}$ · $f(0) = {_num(m['f0'])}$ · "
        f"$f'(0) = {_num(m['d0'])}$ · $\\max f' = {_num(m['dmax'])}$ · *torch* `{act.reference_name}`"
    )
    return "\n".join(lines)


def activation_table(*, lang: str | None = None) -> str:
    """Markdown comparison table of every registered activation, measured by [`measure`][dlref.plots.measure].

    Args:
        lang: Label language; defaults to [`get_language`][dlref.plots.get_language]().

    Returns:
        A Markdown table with one row per entry of
        [`ACTIVATIONS`][dlref.activations.ACTIVATIONS].

    Examples:
        >>> from dlref.plots import activation_table
        >>> activation_table(lang="en").splitlines()[2].startswith("| Sigmoid |")
        True
    """
    lang = resolve_language(lang)
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
