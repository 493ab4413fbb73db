"""Figures of the basics chapter: the perceptron's decision boundary and mistakes, and a layered network.

The perceptron figures draw [perceptron_gates][dlref.experiments.perceptron_gates].
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import TYPE_CHECKING

from dlref._checks import check_choice
from dlref.experiments.perceptron import GATES, perceptron_gates
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["network_diagram", "perceptron_boundaries", "perceptron_mistakes"]

_CORNERS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
_LIMITS = (-0.45, 1.45)


def _half_plane(weights: tuple[float, float, float], polygon: tuple[tuple[float, float], ...]
                ) -> list[tuple[float, float]]:
    """The part of a convex polygon where $w_1 x_1 + w_2 x_2 + b \\ge 0$ (one Sutherland-Hodgman clip)."""
    w1, w2, b = weights

    def side(p: tuple[float, float]) -> float:
        return w1 * p[0] + w2 * p[1] + b

    kept: list[tuple[float, float]] = []
    for p, q in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if side(p) >= 0:
            kept.append(p)
        if (side(p) >= 0) != (side(q) >= 0):  # the edge crosses the line: add the crossing point
            t = side(p) / (side(p) - side(q))
            kept.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return kept


def _boundary_panel(ax: Axes, weights: tuple[float, float, float], labels: tuple[int, ...]) -> None:
    """One epoch: the half-plane predicted 1 (shaded), its boundary line, the four corners by class."""
    from matplotlib.patches import Polygon

    w1, w2, b = weights
    lo, hi = _LIMITS
    # ŷ = H(w1 x1 + w2 x2 + b), with H(0) = 1: shade the part of the view where the perceptron says 1
    region = _half_plane((w1, w2, b), ((lo, lo), (hi, lo), (hi, hi), (lo, hi)))
    if len(region) >= 3:
        ax.add_patch(Polygon(region, closed=True, facecolor=BLUE, alpha=0.18, edgecolor="none"))
    if w2 != 0:  # the line w1 x1 + w2 x2 + b = 0
        ax.plot([lo, hi], [-(w1 * lo + b) / w2, -(w1 * hi + b) / w2], color=BLUE, linewidth=1.6)
    elif w1 != 0:
        ax.axvline(-b / w1, color=BLUE, linewidth=1.6)
    for (x1, x2), y in zip(_CORNERS, labels, strict=True):
        if y == 1:
            ax.plot(x1, x2, marker="o", markersize=7, color=ORANGE, linestyle="none")
        else:
            ax.plot(x1, x2, marker="s", markersize=6, markerfacecolor="none", markeredgecolor="black",
                    markeredgewidth=1.3, linestyle="none")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.tick_params(labelsize=9, length=2)
    for spine in ax.spines.values():
        spine.set_color(GREY)


@per_language
def perceptron_boundaries(gate: str = "AND", *, lang: str = "en") -> str:
    r"""Draw the perceptron's decision boundary after each epoch of training on a logic gate.

    One small panel per epoch of [perceptron_gates][dlref.experiments.perceptron_gates]:
    the region where the perceptron predicts 1 ($w_1 x_1 + w_2 x_2 + b \ge 0$) shaded,
    its boundary line, and the four inputs (filled circles: label 1; hollow squares:
    label 0). The panel title gives the epoch and its number of mistakes. A point on
    the line is predicted 1, since $H(0) = 1$.

    Args:
        gate: ``"AND"``, ``"OR"`` or ``"NAND"`` (the gates it learns). Defaults to ``"AND"``.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        ValueError: If `gate` is not one of the three.

    Examples:
        >>> from dlref.plots import basics_figures
        >>> "<svg" in basics_figures.perceptron_boundaries("OR", lang="zh")
        True
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    name = check_choice("perceptron_boundaries", "gate", gate, ("AND", "OR", "NAND"))
    run = perceptron_gates(name)
    t = functools.partial(text, lang=lang)
    n = len(run.history)
    ncols = 3
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(4.9, 2.05 * nrows + 0.55), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for k, ax in enumerate(axes):
        if k >= n:
            ax.set_axis_off()
            continue
        _boundary_panel(ax, run.weights[k], GATES[name])
        mistakes = run.history[k]
        ax.set_title(t(f"epoch {k + 1}: {mistakes} mistake{'' if mistakes == 1 else 's'}",
                       f"第 {k + 1} 轮：错 {mistakes} 个"), fontsize=9)
    handles = [
        Line2D([], [], marker="o", color=ORANGE, linestyle="none", markersize=7, label=t("label 1", "标签 1")),
        Line2D([], [], marker="s", markerfacecolor="none", markeredgecolor="black", linestyle="none", markersize=6,
               label=t("label 0", "标签 0")),
        Line2D([], [], color=BLUE, linewidth=1.6, label=t("boundary; shaded: predicted 1", "边界；阴影：预测为 1")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=9, handletextpad=0.4,
               columnspacing=1.0)
    label = t(f"Perceptron decision boundary after each epoch, {name} gate",
              f"感知机在 {name} 门上每轮之后的决策边界")
    return to_svg(fig, f"perceptron-boundaries-{name}-{lang}", label)


@per_language
def perceptron_mistakes(*, lang: str = "en") -> str:
    """Plot the perceptron's mistakes per epoch on AND, OR and XOR.

    From [perceptron_gates][dlref.experiments.perceptron_gates] with 20 epochs at
    most: AND and OR reach 0 and training stops; XOR stays at 4 mistakes per epoch
    from epoch 3 on, to the last epoch.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import basics_figures
        >>> "<svg" in basics_figures.perceptron_mistakes(lang="en")
        True
    """
    from matplotlib.figure import Figure

    t = functools.partial(text, lang=lang)
    fig = Figure(figsize=(4.9, 3.0), layout="constrained")
    ax = fig.subplots()
    styles = (("XOR", ORANGE, "s", "-"), ("AND", BLUE, "o", "-"), ("OR", GREEN, "^", "--"))
    for gate, color, marker, linestyle in styles:
        history = perceptron_gates(gate).history
        epochs = range(1, len(history) + 1)
        if perceptron_gates(gate).converged:
            converged = t(" (converged)", "（收敛）")
        else:
            converged = t(" (never 0)", "（始终不为 0）")
        ax.plot(epochs, history, color=color, marker=marker, markersize=5, linestyle=linestyle, linewidth=1.6,
                label=gate + converged)
    ax.set_xlim(0.5, 20.5)
    ax.set_ylim(-0.3, 4.6)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.set_yticks(range(5))
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    ax.set_xlabel(t("epoch", "轮次"))
    ax.set_ylabel(t("mistakes in the epoch", "本轮错误数"))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.legend(frameon=False, fontsize=9, loc="center right")
    label = t("Perceptron mistakes per epoch on AND, OR and XOR", "感知机在 AND、OR 和 XOR 上每轮的错误数")
    return to_svg(fig, f"perceptron-mistakes-{lang}", label)


@per_language
def network_diagram(*, lang: str = "en") -> str:
    r"""Draw a network with 3 inputs, 4 hidden units and 1 output, with the $a^{[l]}$, $W^{[l]}$, $b^{[l]}$ notation.

    Each layer's column of units is labelled with its activations and their shape,
    and each set of connections with its weight matrix in torch's layout
    (out_features, in_features): $W^{[1]}$ is $4 \times 3$, $W^{[2]}$ is $1 \times 4$.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import basics_figures
        >>> basics_figures.network_diagram(lang="en") == basics_figures.network_diagram(lang="zh")
        False
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    t = functools.partial(text, lang=lang)
    fig = Figure(figsize=(4.9, 3.7), layout="constrained")
    ax = fig.subplots()
    xs = (0.6, 2.7, 4.8)
    sizes = (3, 4, 1)
    colors = (BLUE, ORANGE, GREEN)
    centres = [[(x, 1.75 + 0.62 * ((n - 1) / 2 - i)) for i in range(n)] for x, n in zip(xs, sizes, strict=True)]
    for left, right in itertools.pairwise(centres):
        for x0, y0 in left:
            for x1, y1 in right:
                ax.plot([x0 + 0.2, x1 - 0.2], [y0, y1], color=GREY, linewidth=0.8, zorder=1)
    for layer, (units, color) in enumerate(zip(centres, colors, strict=True)):
        for i, (x, y) in enumerate(units):
            ax.add_patch(Circle((x, y), 0.2, facecolor=color, alpha=0.25, edgecolor=color, zorder=2))
            sub = "" if layer == 0 else f"^{{[{layer}]}}"
            name = f"$x_{i + 1}$" if layer == 0 else f"$a{sub}_{i + 1}$"
            ax.text(x, y, name, ha="center", va="center", fontsize=9, zorder=3)
    titles = (t("input layer", "输入层"), t("hidden layer", "隐藏层"), t("output layer", "输出层"))
    shapes = (r"$a^{[0]} = x$: (3,)", r"$a^{[1]}$: (4,)", r"$a^{[2]} = \hat{y}$: (1,)")
    for x, title, shape in zip(xs, titles, shapes, strict=True):
        ax.text(x, 3.3, title, ha="center", va="center", fontsize=10)
        ax.text(x, 0.25, shape, ha="center", va="center", fontsize=9)
    params = (r"$W^{[1]}$: (4, 3)" + "\n" + r"$b^{[1]}$: (4,)", r"$W^{[2]}$: (1, 4)" + "\n" + r"$b^{[2]}$: (1,)")
    for (x0, x1), label in zip(((xs[0], xs[1]), (xs[1], xs[2])), params, strict=True):
        ax.text((x0 + x1) / 2, 2.95, label, ha="center", va="center", fontsize=9, color=GREY, linespacing=1.4)
    ax.text(2.7, -0.3, t("layer 0 is not counted: this is a two-layer network",
                         "第 0 层不计入层数：这是一个两层网络"), ha="center", va="center", fontsize=9)
    ax.set_xlim(-0.3, 5.7)
    ax.set_ylim(-0.55, 3.55)
    ax.set_aspect("equal")
    ax.set_axis_off()
    label = t("A two-layer network: 3 inputs, 4 hidden units, 1 output, with the shapes of a, W and b",
              "两层网络：3 个输入、4 个隐藏单元、1 个输出，以及 a、W、b 的形状")
    return to_svg(fig, f"network-diagram-{lang}", label)
