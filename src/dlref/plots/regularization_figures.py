"""Figures of the regularization chapter: overfitting, penalty paths, normalization axes, data scaling, batch norm.

The curves draw the experiments of `dlref.experiments.regularization`:
[overfitting_experiment][dlref.experiments.overfitting_experiment],
[penalty_paths_experiment][dlref.experiments.penalty_paths_experiment],
[scaling_experiment][dlref.experiments.scaling_experiment] and
[batchnorm_experiment][dlref.experiments.batchnorm_experiment]. The normalization-axes
figure is a drawing (after Wu & He, 2018, Figure 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlref.experiments.regularization import (
    OVERFIT_VARIANTS,
    batchnorm_experiment,
    overfitting_experiment,
    penalty_paths_experiment,
    scaling_experiment,
)
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["batchnorm_training", "normalization_axes", "overfitting_curves", "penalty_paths", "scaling_distributions"]


def _clean(ax: Axes) -> None:
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


@per_language
def overfitting_curves(*, lang: str = "en") -> str:
    r"""Training and validation error of a small MLP on 16 points, plain and regularized.

    Draws [overfitting_experiment][dlref.experiments.overfitting_experiment]. Left: the
    plain network's training error falls towards 0 while its validation error reaches its
    minimum early (marked: where early stopping would stop) and then rises. Right: the
    validation error of the plain, L2-penalised and dropout networks, with the noise
    variance 0.09 (the best any model can do) dashed and labelled. Log-scaled error axes.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import regularization_figures
        >>> "<svg" in regularization_figures.overfitting_curves(lang="en")
        True
    """
    from matplotlib.figure import Figure

    run = overfitting_experiment()
    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    plain = run["none"]
    steps = range(1, len(plain["train"]) + 1)
    left.semilogy(steps, plain["train"], color=BLUE, linewidth=1.6, label=text("training", "训练集", lang))
    left.semilogy(steps, plain["val"], color=ORANGE, linewidth=1.6, label=text("validation", "验证集", lang))
    best = min(range(len(plain["val"])), key=plain["val"].__getitem__)
    left.plot([best + 1], [plain["val"][best]], "o", color="black", markersize=4)
    left.annotate(text("early stop", "早停", lang), (best + 1, plain["val"][best]), xytext=(40, 0.035),
                  fontsize=9, arrowprops={"arrowstyle": "->", "color": "black", "linewidth": 0.8})
    left.set_title(text("no regularization", "无正则化", lang), fontsize=9)
    left.legend(fontsize=9, frameon=False, loc="upper right")
    left.set_ylabel(text("mean squared error", "均方误差", lang))
    names = {"none": text("none", "无", lang), "l2": text("L2 penalty", "L2 惩罚", lang),
             "dropout": text("dropout", "随机失活", lang)}
    colors = {"none": ORANGE, "l2": GREEN, "dropout": BLUE}
    for variant in OVERFIT_VARIANTS:
        right.semilogy(steps, run[variant]["val"], color=colors[variant], linewidth=1.6, label=names[variant])
    right.axhline(run["noise_variance"], color="black", linewidth=0.8, linestyle="--")
    right.text(590, 0.08, text("noise variance 0.09", "噪声方差 0.09", lang), fontsize=9, ha="right", va="top")
    right.set_title(text("validation error", "验证误差", lang), fontsize=9)
    right.legend(fontsize=9, frameon=False, loc="upper right")
    for ax in (left, right):
        _clean(ax)
        ax.set_xlabel(text("step", "步数", lang))
        ax.set_xticks([0, 200, 400, 600])
        ax.set_ylim(0.005, 3.0)  # room above the curves for the legends
    label = text("Training and validation error of a small network on 16 points: the training error keeps falling, "
                 "the validation error rises after an early minimum; an L2 penalty and dropout keep it lower",
                 "小网络在 16 个点上的训练误差与验证误差：训练误差一直下降，验证误差在早期达到最小后回升；"
                 "L2 惩罚与随机失活使它保持较低", lang)
    return to_svg(fig, f"overfitting-curves-{lang}", label)


@per_language
def penalty_paths(*, lang: str = "en") -> str:
    r"""Regularization paths of a linear regression: each weight against $\lambda$, under an L2 and an L1 penalty.

    Draws [penalty_paths_experiment][dlref.experiments.penalty_paths_experiment]: 8 weights,
    the 3 with a non-zero true value in colour, the 5 others grey. Under L2 (left) every
    weight shrinks smoothly and none reaches 0; under L1 (right) the weights hit exactly 0
    one after the other. Log-scaled $\lambda$ axis.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import regularization_figures
        >>> "<svg" in regularization_figures.penalty_paths(lang="zh")
        True
    """
    from matplotlib.figure import Figure

    paths = penalty_paths_experiment()
    lambdas = paths["lambdas"].numpy()
    fig = Figure(figsize=(4.9, 2.8), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    titles = (text("L2 penalty (ridge)", "L2 惩罚（岭回归）", lang),
              text("L1 penalty (lasso)", "L1 惩罚（lasso）", lang))
    colors = {0: BLUE, 1: ORANGE, 4: GREEN}
    for ax, key, title in zip(axes, ("l2", "l1"), titles, strict=True):
        for j in range(paths[key].shape[1]):
            ax.semilogx(lambdas, paths[key][:, j].numpy(), color=colors.get(j, GREY),
                        linewidth=1.5 if j in colors else 1.0,
                        label=f"$w_{j + 1}^* = {paths['true'][j].item():g}$" if j in colors and ax is axes[0] else "_")
        ax.axhline(0.0, color="black", linewidth=0.6, alpha=0.5)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(r"$\lambda$")
        _clean(ax)
    axes[0].set_ylabel(text("weight", "权重", lang))
    fig.legend(loc="outside upper center", ncols=3, frameon=False, fontsize=9)
    label = text("Weights of a linear regression as the penalty grows: L2 shrinks all of them smoothly, "
                 "L1 sets them to exactly zero one by one",
                 "惩罚系数增大时线性回归的权重：L2 使全部权重平滑缩小，L1 使它们逐个精确变为零", lang)
    return to_svg(fig, f"penalty-paths-{lang}", label)


# The cube of the normalization-axes figure: N samples along x, C channels in depth, H·W up.
_N, _C, _HW = 6, 6, 4.0
_DEPTH = (0.42, 0.30)  # how one channel step moves the drawing: (right, up)


def _project(n: float, c: float, h: float) -> tuple[float, float]:
    """Oblique projection of a point (sample, channel, spatial) onto the page."""
    return n + _DEPTH[0] * c, h + _DEPTH[1] * c


def _box(ax: Axes, n: tuple[float, float], c: tuple[float, float], face: str, alpha: float, edge: str,
         linewidth: float) -> None:
    """The visible faces of a box spanning all of H·W: front (c = c0), top, and right (n = n1) when nothing hides it."""
    from matplotlib.patches import Polygon

    (n0, n1), (c0, c1) = n, c
    faces = [
        [(n0, c0, 0), (n1, c0, 0), (n1, c0, _HW), (n0, c0, _HW)],  # front
        [(n0, c0, _HW), (n1, c0, _HW), (n1, c1, _HW), (n0, c1, _HW)],  # top
    ]
    if n1 == _N:  # a right face inside the cube is hidden by the samples in front of it
        faces.append([(n1, c0, 0), (n1, c1, 0), (n1, c1, _HW), (n1, c0, _HW)])
    for corners in faces:
        ax.add_patch(Polygon([_project(*p) for p in corners], closed=True, facecolor=face, alpha=alpha,
                             edgecolor=edge, linewidth=linewidth))


def _cube_grid(ax: Axes) -> None:
    """The whole tensor as a wire cube, with one line per sample (front, top) and per channel (top, right)."""
    _box(ax, (0, _N), (0, _C), "none", 1.0, "black", 0.9)
    for n in range(1, _N):
        ax.plot(*zip(_project(n, 0, 0), _project(n, 0, _HW), _project(n, _C, _HW), strict=True),
                color="black", linewidth=0.4, alpha=0.6)
    for c in range(1, _C):
        ax.plot(*zip(_project(0, c, _HW), _project(_N, c, _HW), _project(_N, c, 0), strict=True),
                color="black", linewidth=0.4, alpha=0.6)


@per_language
def normalization_axes(*, lang: str = "en") -> str:
    r"""Which values each normalization layer averages over, for a tensor $(N, C, H, W)$.

    Four cubes (after Wu & He, 2018, Figure 2): samples $N$ along the width, channels $C$
    in depth, the spatial positions $H, W$ flattened upwards. The shaded block is one set
    of values that share a mean and variance: batch norm, one channel across all samples;
    layer norm, one sample across all channels; instance norm, one sample and one
    channel; group norm, one sample and one group of channels (here 2 of 6).

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import regularization_figures
        >>> "<svg" in regularization_figures.normalization_axes(lang="en")
        True
    """
    from matplotlib.figure import Figure

    blocks = (
        (text("batch norm", "批量规范化", lang), (0, _N), (0, 1)),
        (text("layer norm", "层规范化", lang), (0, 1), (0, _C)),
        (text("instance norm", "实例规范化", lang), (0, 1), (0, 1)),
        (text("group norm", "组规范化", lang), (0, 1), (0, 2)),
    )
    fig = Figure(figsize=(4.9, 3.9), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    for ax, (title, n, c) in zip(axes, blocks, strict=True):
        _box(ax, n, c, BLUE, 0.75, BLUE, 0.8)
        _cube_grid(ax)
        # axis names beside the edges they run along
        ax.text(_N / 2, -0.45, "$N$", ha="center", va="top", fontsize=10)
        ax.text(-0.3, _HW / 2, "$H, W$", ha="right", va="center", fontsize=10)
        x, y = _project(_N, _C / 2, 0)
        ax.text(x + 0.25, y - 0.15, "$C$", ha="left", va="center", fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(-1.9, _N + _DEPTH[0] * _C + 0.9)
        ax.set_ylim(-1.2, _HW + _DEPTH[1] * _C + 0.3)
        ax.set_aspect("equal")
        ax.axis("off")
    label = text("The values that batch, layer, instance and group normalization average over in an N × C × H × W "
                 "tensor", "批量、层、实例与组规范化在 N × C × H × W 张量中各自求平均的数值范围", lang)
    return to_svg(fig, f"normalization-axes-{lang}", label)


@per_language
def scaling_distributions(*, lang: str = "en") -> str:
    r"""A skewed feature raw, min-max scaled and z-scored (one shape), and 2-D points before and after L2 normalization.

    Draws [scaling_experiment][dlref.experiments.scaling_experiment]: three histograms of the
    same 2,000 log-normal values, each on its own $x$ axis, whose bars are identical
    because both scalers are affine; each title gives the sample skewness. The fourth
    panel shows 200 points before (grey) and after (blue) division by their $L_2$ norm:
    they land on the unit circle, keeping only their direction.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import regularization_figures
        >>> "<svg" in regularization_figures.scaling_distributions(lang="zh")
        True
    """
    import math

    from matplotlib.figure import Figure

    data = scaling_experiment()
    fig = Figure(figsize=(4.9, 4.3), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    panels = (
        ("raw", text("raw", "原始", lang), GREY),
        ("minmax", text("min-max", "最小-最大缩放", lang), BLUE),
        ("zscore", "z-score", ORANGE),
    )
    skew = text("skewness", "偏度", lang)
    colon = text(": ", "：", lang)
    for ax, (key, name, color) in zip(axes, panels, strict=False):
        values = data[key].numpy()
        ax.hist(values, bins=40, color=color, alpha=0.8, linewidth=0)
        ax.set_title(f"{name}{colon}{skew} {data['skewness'][key]:.3f}", fontsize=9)
        ax.set_yticks([])
        ax.tick_params(labelsize=9)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
    axes[0].ticklabel_format(axis="x", style="sci", scilimits=(0, 0))
    ax = axes[3]
    points, unit = data["points"].numpy(), data["unit"].numpy()
    ax.scatter(points[:, 0], points[:, 1], s=4, color=GREY, label=text("raw", "原始", lang))
    ax.scatter(unit[:, 0], unit[:, 1], s=4, color=BLUE, label=text("L2-normalized", "L2 归一化后", lang))
    t = [2 * math.pi * k / 200 for k in range(201)]
    ax.plot([math.cos(a) for a in t], [math.sin(a) for a in t], color="black", linewidth=0.6, alpha=0.6)
    ax.set_aspect("equal")
    ax.set_title(text("L2 normalization of each sample", "每个样本做 L2 归一化", lang), fontsize=9)
    ax.set_ylim(-2.6, 2.8)
    ax.legend(fontsize=9, frameon=False, loc="lower right", handletextpad=0.1, borderaxespad=0.0, markerscale=2)
    ax.tick_params(labelsize=9)
    _clean(ax)
    label = text("Min-max and z-score scaling move and stretch a skewed histogram without changing its shape; "
                 "L2 normalization puts every sample on the unit circle",
                 "最小-最大缩放和 z-score 标准化只平移、伸缩偏斜的直方图，不改变其形状；"
                 "L2 归一化把每个样本放到单位圆上",
                 lang)
    return to_svg(fig, f"scaling-distributions-{lang}", label)


@per_language
def batchnorm_training(*, lang: str = "en") -> str:
    r"""The same deep MLP trained with and without batch norm: accuracy per learning rate, and the loss at rate 0.3.

    Draws [batchnorm_experiment][dlref.experiments.batchnorm_experiment]. Left: the final
    accuracy on all 512 points against the SGD learning rate (log scale), with and without
    batch norm; 0.5 is chance. Right: the mini-batch loss step by step at learning rate 0.3,
    where both train: without batch norm the loss sits near $\ln 2$ for about 90 steps and
    then spikes.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import regularization_figures
        >>> "<svg" in regularization_figures.batchnorm_training(lang="en")
        True
    """
    from matplotlib.figure import Figure

    result = batchnorm_experiment()
    lrs, runs = result["lrs"], result["runs"]
    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    left, right = fig.subplots(1, 2)
    styles = {False: (text("without BN", "无 BN", lang), ORANGE, "s"),
              True: (text("with BN", "有 BN", lang), BLUE, "o")}
    for bn, (name, color, marker) in styles.items():
        left.semilogx(lrs, [runs[bn, lr]["accuracy"] for lr in lrs], color=color, marker=marker, markersize=4,
                      linewidth=1.5, label=name)
        loss = runs[bn, 0.3]["loss"]
        right.plot(range(1, len(loss) + 1), loss, color=color, linewidth=1.1)
    left.axhline(0.5, color="black", linewidth=0.8, linestyle="--")
    left.set_ylim(0.4, 1.02)
    left.set_xlabel(text("learning rate", "学习率", lang))
    left.set_ylabel(text("accuracy after 150 steps", "150 步后的准确率", lang))
    right.set_xlabel(text("step (learning rate 0.3)", "步数（学习率 0.3）", lang))
    right.set_ylabel(text("mini-batch loss", "小批量损失", lang))
    for ax in (left, right):
        _clean(ax)
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=9)
    label = text("With batch norm the network trains at every learning rate from 0.03 to 3, without it only at 0.3; "
                 "its loss at rate 0.3 falls at once, without batch norm it stalls, then spikes",
                 "有批量规范化时网络在 0.03 到 3 的各个学习率下都能训练，没有时只有 0.3 可以；"
                 "学习率 0.3 时有它的损失立即下降，没有它的损失先停滞，后出现尖峰", lang)
    return to_svg(fig, f"batchnorm-training-{lang}", label)
