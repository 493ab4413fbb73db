"""Figures of the architectures chapter: the CNN pipeline and the residual-gradient experiment.

The residual figure draws [residual_experiment][dlref.experiments.residual_experiment].
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any

from dlref.experiments.residual import residual_experiment
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, new_figure, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["cnn_pipeline", "quant_error", "residual_gradients"]

_PURPLE = "#a855f7"

# --------------------------------------------------------------------------- CNN pipeline


def _box(ax: Axes, cx: float, cy: float, w: float, h: float, label: str, color: str, *, dashed: bool = False,
         alpha: float = 0.22) -> None:
    """A rounded box centred at (cx, cy) with a centred label; the edge is theme ink when dashed."""
    from matplotlib.patches import FancyBboxPatch

    style: dict[str, Any] = {"boxstyle": "round,pad=0,rounding_size=0.08", "linewidth": 1.0}
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
    loss function → backpropagation → optimizer step, which updates the weights of
    all layers with weights (dashed arrow, drawn to the convolution block).

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import architecture_figures
        >>> architecture_figures.cnn_pipeline(lang="en") == architecture_figures.cnn_pipeline(lang="zh")
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
    for (x0, w0, *_), (x1, w1, *_) in itertools.pairwise(row):
        _arrow(ax, (x0 + w0 / 2, top), (x1 - w1 / 2, top))
    # attached layers below the block and the output
    block_x = (left + right) / 2
    _box(ax, block_x, mid, 2.3, 0.42, t("optional: BatchNorm / Dropout", "可选：BatchNorm / Dropout"), GREY,
         dashed=True)
    ax.plot([block_x, block_x], [top - h / 2 - 0.12, mid + 0.21], color=GREY, linewidth=1.0, linestyle=":")
    out_x = row[-1][0]
    _box(ax, out_x, mid, 1.25, 0.42, "softmax / sigmoid", GREEN, alpha=0.12)
    _arrow(ax, (out_x, top - h / 2), (out_x, mid + 0.21))
    # training loop, right to left: loss -> backpropagation -> optimizer step
    loop = [
        (out_x, 1.25, t("loss function", "损失函数")),
        (4.3, 1.45, t("backpropagation", "反向传播")),
        (1.95, 1.45, t("optimizer step", "优化器更新参数")),
    ]
    for cx, w, label in loop:
        _box(ax, cx, bottom, w, 0.46, label, _PURPLE, alpha=0.15)
    _arrow(ax, (out_x, mid - 0.21), (out_x, bottom + 0.23))
    for (x0, w0, _), (x1, w1, _) in itertools.pairwise(loop):
        _arrow(ax, (x0 - w0 / 2, bottom), (x1 + w1 / 2, bottom))
    # the optimizer updates the weights of the convolution and fully connected layers
    opt_x, opt_w = loop[-1][0], loop[-1][1]
    _arrow(ax, (opt_x - opt_w / 2 + 0.1, bottom + 0.23), (left + 0.3, top - h / 2 - 0.12), dashed=True, rad=-0.15)
    ax.text(left - 0.22, mid - 0.1, t("update\nweights", "更新\n权重"), ha="right", va="center", fontsize=9, color=GREY)
    ax.set_xlim(0.0, 7.4)
    ax.set_ylim(0.2, 3.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    label = t("CNN pipeline: forward layers and the training loop", "CNN 流程：前向各层与训练循环")
    return to_svg(fig, f"cnn-pipeline-{lang}", label)


# --------------------------------------------------------------------------- residual gradients


@per_language
def residual_gradients(*, lang: str = "en") -> str:
    """Plot the first-layer gradient norms of [`residual_experiment`][dlref.experiments.residual_experiment] by depth.

    Log $y$ axis. Plain (default init) falls geometrically with depth; residual
    (same weights) stays of order 0.1–1; plain with He init stays flat too. The
    figure is about gradients at initialization, not about training error (see
    the experiment's docstring).

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import architecture_figures
        >>> "<svg" in architecture_figures.residual_gradients(lang="zh")
        True
    """
    run = residual_experiment()
    fig, (ax,) = new_figure(4.9, 3.3)
    curves = (
        ("residual", text("residual  h ← h + F(h)", "残差  h ← h + F(h)", lang), GREEN, "o", "-"),
        ("plain", text("plain  h ← F(h)", "普通  h ← F(h)", lang), ORANGE, "s", "-"),
        ("plain_he", text("plain, He initialization", "普通，He 初始化", lang), GREY, "^", "--"),
    )
    for name, label, color, marker, linestyle in curves:
        ax.semilogy(run["depths"], run[name], color=color, marker=marker, markersize=4, linewidth=1.8,
                    linestyle=linestyle, label=label)
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    ax.set_xticks(run["depths"])
    ax.set_xlabel(text("depth (Linear layers)", "深度（Linear 层数）", lang))
    ax.set_ylabel(text("‖∂loss/∂W₁‖ at initialization", "初始化时 ‖∂loss/∂W₁‖", lang))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.set_ylim(top=10.0)
    ax.legend(frameon=False, fontsize=9, loc="lower left")
    label = text("First-layer gradient norm at initialization: plain and residual stacks",
                 "初始化时第一层的梯度范数：普通堆叠与残差堆叠", lang)
    return to_svg(fig, f"residual-gradients-{lang}", label)


# --------------------------------------------------------------------------- quantization error


@per_language
def quant_error(*, lang: str = "en") -> str:
    r"""Draw what per-tensor int8 fake quantization does to real numbers.

    Left: $\hat{x}$ against $x$ near 0, a staircase with steps of one scale $s$.
    Right: the error $\hat{x} - x$ of 400 standard-normal samples, quantized with the
    scale and zero point that [calculate_qparams][dlref.quant.calculate_qparams] picks
    from their minimum and maximum; every error lies within $\pm s/2$.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import architecture_figures
        >>> "<svg" in architecture_figures.quant_error(lang="en")
        True
    """
    import torch

    from dlref.quant import calculate_qparams, fake_quantize_per_tensor_affine

    x = torch.randn(400, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    scale, zero_point = calculate_qparams(x.amin(), x.amax())
    s = scale.item()

    def fq(t: torch.Tensor) -> torch.Tensor:
        return fake_quantize_per_tensor_affine(t, s, int(zero_point), -128, 127)

    fig, (left, right) = new_figure(6.4, 3.2, ncols=2)
    grid = torch.linspace(-4.5 * s, 4.5 * s, 901, dtype=torch.float64)
    left.plot(grid / s, grid / s, color=GREY, linewidth=1.0, linestyle="--", label="$x$")
    left.plot(grid / s, fq(grid) / s, color=BLUE, linewidth=1.8, label=r"$\hat{x}$")
    left.set_xlabel(text("$x / s$", "$x / s$", lang))
    left.set_ylabel(text("value / $s$", "数值 / $s$", lang))
    left.set_title(text("near 0: steps of $s$", "0 附近：步长为 $s$", lang), fontsize=10)
    left.legend(frameon=False, fontsize=9, loc="upper left")
    err = (fq(x) - x) / s
    right.scatter(x.numpy(), err.numpy(), s=6, color=ORANGE, alpha=0.7, linewidths=0)
    for bound in (-0.5, 0.5):
        right.axhline(bound, color=GREEN, linewidth=1.2, linestyle="--")
    right.set_ylim(-0.8, 0.8)
    right.set_xlabel("$x$")
    right.set_ylabel(text(r"error $(\hat{x} - x) / s$", r"误差 $(\hat{x} - x) / s$", lang))
    right.set_title(text(f"400 samples, $s$ = {s:.4f}", f"400 个样本，$s$ = {s:.4f}", lang), fontsize=10)
    for ax in (left, right):
        ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    label = text("Per-tensor int8 fake quantization: the staircase near 0 and the rounding error within ±s/2",
                 "逐张量 int8 伪量化：0 附近的阶梯与 ±s/2 以内的舍入误差", lang)
    return to_svg(fig, f"quant-error-{lang}", label)
