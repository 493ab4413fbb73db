"""Figures of the backprop chapter: a computational graph with values and gradients, gradients per layer, remedies.

The graph is built with [Value][dlref.autograd.Value] and laid out from
[trace][dlref.autograd.trace]; the gradient curves draw
[vanishing_gradient_experiment][dlref.experiments.vanishing_gradient_experiment] and
[gradient_remedies_experiment][dlref.experiments.gradient_remedies_experiment].
"""

from __future__ import annotations

import functools

from dlref.autograd import Value, trace
from dlref.experiments.deep_gradients import gradient_remedies_experiment, vanishing_gradient_experiment
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, per_language, text, to_svg

__all__ = ["computational_graph", "gradient_remedies", "vanishing_gradients"]

PURPLE = "#a855f7"
RED = "#ef4444"
TEAL = "#14b8a6"

# how each operation is shown in a node's title
_OP_SYMBOLS = {"*": "×", "+": "+", "-": "−", "sigmoid": "σ", "**2": "( )²"}


def _neuron_loss(x: float, w: float, b: float, t: float) -> Value:
    r"""Build $L = (\sigma(w x + b) - t)^2$ from [Value][dlref.autograd.Value]s, run `backward()`, return $L$."""
    xv, wv, bv, tv = Value(x, label="x"), Value(w, label="w"), Value(b, label="b"), Value(t, label="t")
    wx = wv * xv
    wx.label = "wx"
    z = wx + bv
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    d = a - tv
    d.label = "a−t"
    loss = d**2
    loss.label = "L"
    loss.backward()
    return loss


def _layers(nodes: list[Value]) -> dict[int, int]:
    """A rank per node (by id): an operation one past its deepest input, a leaf just before its first user."""
    rank: dict[int, int] = {}
    for node in nodes:  # topological order: parents first; a leaf counts as rank 0 here
        rank[id(node)] = 1 + max((rank[id(p)] for p in node.parents), default=-1)
    for node in nodes:
        if not node.parents:
            rank[id(node)] = 10**9
    for node in nodes:
        if node.parents:
            for p in node.parents:
                if not p.parents:
                    rank[id(p)] = min(rank.get(id(p), 10**9), rank[id(node)] - 1)
    return rank


@per_language
def computational_graph(x: float = 2.0, w: float = 0.5, b: float = -0.5, t: float = 1.0, *, lang: str = "en") -> str:
    r"""Draw the graph of $L = (\sigma(w x + b) - t)^2$ with each node's value and gradient, from `Value`.

    The graph is built with [Value][dlref.autograd.Value] and read
    back with [trace][dlref.autograd.trace]. The forward pass runs top to bottom; each
    box gives the node's name (and its operation), its value and
    $\partial L / \partial \text{node}$ after `backward()`. Each edge carries the local
    derivative $\partial\,\text{child} / \partial\,\text{parent}$, the factor that the
    chain rule multiplies the child's gradient by on the way back up.

    Args:
        x: The input. Defaults to 2.0.
        w: The weight. Defaults to 0.5.
        b: The bias. Defaults to -0.5.
        t: The target. Defaults to 1.0.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import backprop_figures
        >>> "<svg" in backprop_figures.computational_graph(lang="zh")
        True
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    t_ = functools.partial(text, lang=lang)
    loss = _neuron_loss(x, w, b, t)
    nodes, edges = trace(loss)
    rank = _layers(nodes)
    depth = max(rank.values()) + 1
    rows: dict[int, list[Value]] = {}
    for node in nodes:
        rows.setdefault(rank[id(node)], []).append(node)
    width_in, row_h = 4.9, 0.78
    fig = Figure(figsize=(width_in, row_h * depth + 0.55), layout="constrained")
    ax = fig.subplots()
    pos: dict[int, tuple[float, float]] = {}
    for r, members in rows.items():
        for k, node in enumerate(members):
            # one node centred; two at thirds of the width
            xpos = 0.5 if len(members) == 1 else 0.22 + 0.56 * k / (len(members) - 1)
            pos[id(node)] = (xpos, depth - 1 - r)
    box_w, box_h = 0.34, 0.58
    for parent, child in edges:
        (x0, y0), (x1, y1) = pos[id(parent)], pos[id(child)]
        ax.annotate("", xy=(x1, y1 + box_h / 2), xytext=(x0, y0 - box_h / 2),
                    arrowprops={"arrowstyle": "-|>", "color": GREY, "linewidth": 1.0, "shrinkA": 0, "shrinkB": 0})
        local = child.local_grads[child.parents.index(parent)]
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        offset = 0.02 if x1 >= x0 else -0.02
        ax.text(xm + offset, ym, f"×{local:.3g}", fontsize=9, color=ORANGE,
                ha="left" if x1 >= x0 else "right", va="center")
    for node in nodes:
        xpos, ypos = pos[id(node)]
        leaf = not node.parents
        colour = BLUE if leaf else GREEN
        ax.add_patch(FancyBboxPatch((xpos - box_w / 2, ypos - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.0,rounding_size=0.04", facecolor=colour, alpha=0.15,
                                    edgecolor=colour, linewidth=1.0))
        title = node.label if leaf else f"{node.label}  ({_OP_SYMBOLS.get(node.op, node.op)})"
        ax.text(xpos, ypos + 0.15, title, ha="center", va="center", fontsize=10)
        ax.text(xpos, ypos - 0.04, t_(f"value {node.data:.4g}", f"值 {node.data:.4g}"),
                ha="center", va="center", fontsize=9)
        ax.text(xpos, ypos - 0.19, t_(f"grad {node.grad:.4g}", f"梯度 {node.grad:.4g}"),
                ha="center", va="center", fontsize=9, color=BLUE)
    ax.text(0.0, -0.72, t_("forward ↓ (values)   backward ↑ (gradients)\n"
                           "edge: local derivative; grad(parent) = Σ grad(child) × local",
                           "前向 ↓（值）　反向 ↑（梯度）\n边上：局部导数；父节点梯度 = Σ 子节点梯度 × 局部导数"),
            ha="left", va="top", fontsize=9, color=GREY, linespacing=1.4)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-1.25, depth - 1 + box_h / 2 + 0.05)
    ax.set_axis_off()
    label = t_("Computational graph of L = (sigmoid(w x + b) - t) squared, with values and gradients",
               "L = (sigmoid(w x + b) - t) 平方的计算图，标出每个节点的值与梯度")
    return to_svg(fig, f"computational-graph-{x:g}-{w:g}-{b:g}-{t:g}-{lang}", label)


def _log_axes(ax: object) -> None:
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)  # type: ignore[attr-defined]
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)  # type: ignore[attr-defined]


@per_language
def vanishing_gradients(*, lang: str = "en") -> str:
    r"""Plot $\lVert \partial L / \partial W_l \rVert$ per layer of a 30-layer MLP: sigmoid, tanh, ReLU × three inits.

    One panel per activation, from
    [vanishing_gradient_experiment][dlref.experiments.vanishing_gradient_experiment]:
    weights $\mathcal{N}(0, 0.01^2)$ (too small), $\mathcal{N}(0, 1)$ (too large) and the
    usual rule (Xavier for sigmoid and tanh, Kaiming for ReLU), on a log scale. Layer 1
    is next to the input; the backward pass runs from layer 30 to layer 1.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import backprop_figures
        >>> backprop_figures.vanishing_gradients(lang="en") == backprop_figures.vanishing_gradients(lang="zh")
        False
    """
    from matplotlib.figure import Figure

    run = vanishing_gradient_experiment()
    fig = Figure(figsize=(4.9, 3.3), layout="constrained")
    axes = fig.subplots(1, 3, sharey=True)
    styles = ((r"$\mathcal{N}(0, 0.01^2)$", GREY, ":"), (r"$\mathcal{N}(0, 1)$", ORANGE, "-"),
              (text("Xavier / Kaiming", "Xavier / Kaiming", lang), BLUE, "--"))
    for ax, act in zip(axes, ("sigmoid", "tanh", "relu"), strict=True):
        cases = [key for key in run if key[0] == act]
        for (label, color, linestyle), key in zip(styles, cases, strict=True):
            values = run[key]
            ax.semilogy(range(1, len(values) + 1), values, color=color, linestyle=linestyle, linewidth=1.8,
                        label=label if act == "sigmoid" else "_")
        ax.set_title({"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}[act], fontsize=10)
        ax.set_xticks([1, 15, 30])
        ax.set_xlim(0, 31)
        ax.set_yticks([1e-40, 1e-20, 1.0, 1e20])
        ax.set_ylim(1e-52, 1e28)
        ax.tick_params(labelsize=9)
        ax.set_xlabel(text("layer $l$", "第 $l$ 层", lang), fontsize=9)
        _log_axes(ax)
    axes[0].set_ylabel(text(r"$\|\partial L / \partial W_l\|$", r"$\|\partial L / \partial W_l\|$", lang))
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=9, handlelength=1.8, columnspacing=1.0)
    label = text("Weight-gradient norm per layer of a 30-layer network: sigmoid, tanh and ReLU, three initializations",
                 "30 层网络逐层的权重梯度范数：sigmoid、tanh 与 ReLU，三种初始化", lang)
    return to_svg(fig, f"vanishing-gradients-{lang}", label)


@per_language
def gradient_remedies(*, lang: str = "en") -> str:
    r"""Plot the per-layer gradient norm of a vanishing baseline and of each remedy applied to it.

    The curves come from [gradient_remedies_experiment][dlref.experiments.gradient_remedies_experiment]:
    30 sigmoid layers with $\mathcal{N}(0, 0.01^2)$ weights, then ReLU alone, ReLU with
    Kaiming weights, Xavier weights, batch normalization, residual connections, and
    clipping the total norm to 1.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import backprop_figures
        >>> "<svg" in backprop_figures.gradient_remedies(lang="en")
        True
    """
    from matplotlib.figure import Figure

    run = gradient_remedies_experiment()
    t_ = functools.partial(text, lang=lang)
    styles = {
        "baseline": (t_("sigmoid, small weights", "sigmoid，小权重"), GREY, "-", 2.6),
        "clip": (t_("+ clipping to 1", "+ 梯度裁剪到 1"), RED, ":", 1.8),
        "relu": (t_("ReLU, small weights", "ReLU，小权重"), ORANGE, ":", 1.8),
        "xavier": (t_("Xavier weights", "Xavier 权重"), PURPLE, "--", 1.8),
        "relu_kaiming": (t_("ReLU + Kaiming", "ReLU + Kaiming"), GREEN, "-", 1.8),
        "batch_norm": (t_("+ batch norm", "+ 批量规范化"), BLUE, "-", 1.8),
        "residual": (t_("+ residual", "+ 残差连接"), TEAL, "--", 1.8),
    }
    fig = Figure(figsize=(4.9, 3.9), layout="constrained")
    ax = fig.subplots()
    for case, (label, color, linestyle, lw) in styles.items():
        values = run[case]["gradient_norm"]
        ax.semilogy(range(1, len(values) + 1), values, color=color, linestyle=linestyle, linewidth=lw, label=label)
    ax.set_xticks([1, 5, 10, 15, 20, 25, 30])
    ax.set_xlim(0, 31)
    ax.set_yticks([1e-50, 1e-40, 1e-30, 1e-20, 1e-10, 1.0])
    ax.set_ylim(1e-53, 1e6)
    ax.tick_params(labelsize=9)
    ax.set_xlabel(t_("layer $l$ (1 = next to the input)", "第 $l$ 层（1 = 紧挨输入）"), fontsize=9)
    ax.set_ylabel(r"$\|\partial L / \partial W_l\|$")
    _log_axes(ax)
    fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=9, handlelength=2.2, columnspacing=1.2)
    label = t_("Gradient norm per layer: a vanishing sigmoid network and each remedy applied to it",
               "逐层梯度范数：梯度消失的 sigmoid 网络，以及各种补救方法分别作用后的结果")
    return to_svg(fig, f"gradient-remedies-{lang}", label)
