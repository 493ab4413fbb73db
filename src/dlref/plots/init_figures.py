"""Figures of the initialization chapter: what each initializer draws, and the signal through a deep MLP.

The histograms draw [initializer_samples][dlref.experiments.initializer_samples]; the
signal figure draws [init_signal_experiment][dlref.experiments.init_signal_experiment].
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from dlref.experiments.init_signal import SIGNAL_INITS, init_signal_experiment, initializer_samples, symmetry_experiment
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["init_histograms", "init_signal", "init_symmetry"]

_XLIM = 0.2  # every histogram shares the x range [-0.2, 0.2]


def _titles(lang: str, nonzero: float) -> dict[str, str]:
    """Panel titles: the initializer in words (function names would need a raw underscore)."""
    return {
        "uniform_": text("uniform", "均匀分布", lang),
        "normal_": text("normal", "正态分布", lang),
        "trunc_normal_": text("truncated normal", "截断正态分布", lang),
        "xavier_uniform_": text("Xavier uniform", "Xavier 均匀", lang),
        "xavier_normal_": text("Xavier normal", "Xavier 正态", lang),
        "kaiming_uniform_": text("Kaiming uniform (ReLU)", "Kaiming 均匀（ReLU）", lang),
        "kaiming_normal_": text("Kaiming normal (ReLU)", "Kaiming 正态（ReLU）", lang),
        "orthogonal_": text("orthogonal", "正交", lang),
        "sparse_": text(f"sparse: the {nonzero:.1%} non-zeros", f"稀疏：{nonzero:.1%} 的非零值", lang),
        "default_init_": text("nn.Linear default", "nn.Linear 默认", lang),
    }


def _law(sample: dict[str, object]) -> str:
    """The law of a sample in mathtext, with its numbers."""
    bound, sigma, std = sample["bound"], sample["sigma"], sample["std"]
    law = sample["law"]
    if law == "uniform":
        return rf"$\mathcal{{U}}(\pm {bound:.3f})$"
    if law == "normal":
        return rf"$\mathcal{{N}}(0, {sigma:.3g}^2)$"
    if law == "trunc_normal":
        return rf"$\mathcal{{N}}(0, {sigma:g}^2)$, $|w| \leq {bound:g}$"
    if law == "sparse":
        return rf"$\mathcal{{N}}(0, {sigma:g}^2)$"
    return rf"$\mathrm{{std}} = 1/\sqrt{{512}} = {std:.4f}$"


def _density(ax: Axes, sample: dict[str, object]) -> None:
    """Overlay the law's density (dashed, theme ink) on a histogram of density 1."""
    import torch

    x = torch.linspace(-_XLIM, _XLIM, 801, dtype=torch.float64)
    law = sample["law"]
    bound = float(sample["bound"] or 0.0)  # type: ignore[arg-type]
    if law == "uniform":
        # p(w) = 1 / (2 bound) on [-bound, bound]
        xs = [-_XLIM, -bound, -bound, bound, bound, _XLIM]
        ys = [0.0, 0.0, 1 / (2 * bound), 1 / (2 * bound), 0.0, 0.0]
        ax.plot(xs, ys, color="black", linewidth=1.0, linestyle="--")
        return
    std = float(sample["std"] if law == "orthogonal" else sample["sigma"])  # type: ignore[arg-type]
    # p(w) = exp(-w² / 2σ²) / (σ √(2π))
    pdf = torch.exp(-(x**2) / (2 * std**2)) / (std * math.sqrt(2 * math.pi))
    if law == "trunc_normal":
        # renormalized on [-bound, bound], 0 outside
        pdf = torch.where(x.abs() <= bound, pdf / math.erf(bound / (std * math.sqrt(2))), 0.0)
    ax.plot(x.numpy(), pdf.numpy(), color="black", linewidth=1.0, linestyle="--")


@per_language
def init_histograms(*, lang: str = "en") -> str:
    r"""Histograms of the values each random initializer draws for one ``nn.Linear(512, 256)`` weight.

    Ten small panels on one shared $x$ range, $[-0.2, 0.2]$, from
    [initializer_samples][dlref.experiments.initializer_samples]: ``uniform_``, ``normal_``,
    ``trunc_normal_``, ``xavier_uniform_``, ``xavier_normal_``, ``kaiming_uniform_``,
    ``kaiming_normal_``, ``orthogonal_``, ``sparse_`` (its non-zero values only; the title gives
    their share) and the ``nn.Linear`` default. Each bar chart is a density; the
    dashed line is the law's density from its formula (for ``orthogonal_``, the normal
    density of the same variance, which the entries of a large random orthogonal matrix
    approach). Uniform laws are blue, normal ones orange.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import init_figures
        >>> "<svg" in init_figures.init_histograms(lang="en")
        True
    """
    from matplotlib.figure import Figure

    samples = initializer_samples()
    titles = _titles(lang, 1 - samples["sparse_"]["zeros"])
    fig = Figure(figsize=(4.9, 8.4), layout="constrained")
    axes = fig.subplots(5, 2, sharex=True).ravel()
    for ax, (name, sample) in zip(axes, samples.items(), strict=True):
        values = sample["values"].flatten()
        if sample["law"] == "sparse":
            values = values[values != 0]
        color = BLUE if sample["law"] == "uniform" else ORANGE
        ax.hist(values.numpy(), bins=80, range=(-_XLIM, _XLIM), density=True, color=color, alpha=0.75,
                linewidth=0)
        _density(ax, sample)
        ax.set_title(f"{titles[name]}\n{_law(sample)}", fontsize=9, linespacing=1.3)
        ax.set_yticks([])
        ax.set_xlim(-_XLIM, _XLIM)
        ax.set_xticks([-0.2, -0.1, 0.0, 0.1, 0.2], ["−0.2", "−0.1", "0", "0.1", "0.2"], fontsize=9)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
    label = text("Histograms of the values drawn by ten initializers for a 256 × 512 weight",
                 "十种初始化方法为 256 × 512 权重抽取的数值直方图", lang)
    return to_svg(fig, f"init-histograms-{lang}", label)


@per_language
def init_signal(*, lang: str = "en") -> str:
    r"""Activation std and back-propagated gradient norm, layer by layer, for 4 initializations × tanh and ReLU.

    Draws [init_signal_experiment][dlref.experiments.init_signal_experiment]: a 2 × 2 grid,
    tanh on the left and ReLU on the right; the top row is the standard deviation of each
    layer's output $h_l$, the bottom row the norm of the gradient at each layer's
    pre-activation, $\lVert \partial \mathcal{L} / \partial z_l \rVert$, both on a log scale
    against the layer $l = 1, \dots, 50$. One legend above the grid names the four
    initializations: $\mathcal{N}(0, 0.01^2)$, $\mathcal{N}(0, 1)$, Xavier and Kaiming.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import init_figures
        >>> "<svg" in init_figures.init_signal(lang="zh")
        True
    """
    from matplotlib.figure import Figure

    run = init_signal_experiment()
    style = {
        "normal_0.01": (r"$\mathcal{N}(0, 0.01^2)$", GREY, ":"),
        "normal_1": (r"$\mathcal{N}(0, 1)$", ORANGE, "-"),
        "xavier": (text("Xavier", "Xavier", lang), BLUE, "--"),
        "kaiming": (text("Kaiming", "Kaiming", lang), GREEN, "-"),
    }
    fig = Figure(figsize=(4.9, 5.2), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True, sharey="row")
    for col, act in enumerate(("tanh", "relu")):
        for row, key in enumerate(("activation_std", "gradient_norm")):
            ax = axes[row][col]
            for name in SIGNAL_INITS:
                label, color, linestyle = style[name]
                values = run[name, act][key]
                ax.semilogy(range(1, len(values) + 1), values, color=color, linestyle=linestyle, linewidth=1.8,
                            label=label if (row, col) == (0, 0) else "_")
            ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
            ax.set_yticks([1e-40, 1e-20, 1.0, 1e20, 1e40])
            ax.set_ylim(1e-50, 1e56)
            ax.set_xlim(0, 51)
            ax.set_xticks([1, 10, 20, 30, 40, 50])
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
        axes[0][col].set_title("tanh" if act == "tanh" else "ReLU", fontsize=10)
        axes[1][col].set_xlabel(text("layer $l$", "第 $l$ 层", lang))
    axes[0][0].set_ylabel(text("std of $h_l$", "$h_l$ 的标准差", lang))
    norm = r"$\|\partial L / \partial z_l\|$"
    axes[1][0].set_ylabel(text(f"gradient norm {norm}", f"梯度范数 {norm}", lang))
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=9)
    label = text("Activation standard deviation and gradient norm through 50 layers, for four initializations",
                 "四种初始化下 50 层网络逐层的激活标准差与梯度范数", lang)
    return to_svg(fig, f"init-signal-{lang}", label)


@per_language
def init_symmetry(*, lang: str = "en") -> str:
    r"""The hidden weights $W_{1,ij}$ during training, from constant and from random weights.

    Draws [symmetry_experiment][dlref.experiments.symmetry_experiment] (4 tanh units, 3 inputs,
    500 steps): one curve per weight, coloured by the input $j$ it comes from. From the
    constant 0.5, the four units' curves lie on top of each other, so only 3 distinct curves
    show (one per input: the entries of a row differ); from random weights all 12 differ.
    Each panel's title counts the distinct curves.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import init_figures
        >>> "<svg" in init_figures.init_symmetry(lang="en")
        True
    """
    import torch
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    colors = (BLUE, ORANGE, GREEN)
    starts = (("constant", text("constant 0.5", "常数 0.5", lang)), ("random", text("random", "随机", lang)))
    for ax, (start, name) in zip(axes, starts, strict=True):
        history = symmetry_experiment(start)["W1_history"]  # (steps + 1, hidden, inputs)
        steps, hidden, inputs = history.shape
        for i in range(hidden):
            for j in range(inputs):
                ax.plot(range(steps), history[:, i, j].numpy(), color=colors[j], linewidth=1.4,
                        label=f"$j = {j + 1}$" if i == 0 and ax is axes[0] else "_")
        # one row per weight's trajectory; equal trajectories collapse into one
        distinct = torch.unique(history.reshape(steps, -1).T, dim=0).shape[0]
        ax.set_title(text(f"{name}: {distinct} distinct curves", f"{name}：{distinct} 条不同的曲线", lang), fontsize=9)
        ax.set_xlabel(text("step", "步数", lang))
        ax.set_xticks([0, 250, 500])
        ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    axes[0].set_ylabel(text("weight $W_{1,ij}$", "权重 $W_{1,ij}$", lang))
    fig.legend(loc="outside upper center", ncols=3, frameon=False, fontsize=9,
               title=text("input", "输入", lang), title_fontsize=9)
    label = text("Hidden-layer weights during training: 4 units from constant weights stay identical, "
                 "from random weights they differ",
                 "训练中的隐藏层权重：从常数出发的 4 个单元始终相同，从随机权重出发则各不相同", lang)
    return to_svg(fig, f"init-symmetry-{lang}", label)
