"""Figures of the loss-function chapter, each computed with `dlref.losses`.

The outlier figure draws [outlier_experiment][dlref.experiments.outlier_experiment]; the CTC lattice counts its
paths with [ctc_loss][dlref.losses.ctc_loss].
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from dlref._checks import check_real
from dlref.experiments.outlier import outlier_experiment
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, new_figure, per_language, style, text, to_svg

__all__ = ["ctc_lattice", "focal_loss_curves", "giou_boxes", "outlier_fit", "regression_losses"]

_PURPLE = "#a855f7"
_REGRESSION: tuple[tuple[str, str, dict[str, float], str], ...] = (  # (label, loss name, keyword arguments, colour)
    ("MSE", "mse_loss", {}, BLUE),
    ("MAE (L1)", "l1_loss", {}, ORANGE),
    ("Huber, δ = 1", "huber_loss", {"delta": 1.0}, GREEN),
    ("SmoothL1, β = 0.5", "smooth_l1_loss", {"beta": 0.5}, _PURPLE),
)


def _loss(name: str) -> Callable[..., Tensor]:
    from dlref import losses

    loss: Callable[..., Tensor] = getattr(losses, name)
    return loss


@per_language
def regression_losses(*, lang: str = "en") -> str:
    """Plot MSE, MAE, Huber and SmoothL1 (left) and their gradients (right) against the error.

    Each loss is evaluated elementwise (``reduction="none"``) at prediction
    $\\hat y = e$ and target 0, and the gradient $\\partial L / \\partial \\hat y$ comes
    from autograd through dlref's implementation.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.regression_losses(lang="en")
        True
    """
    e = torch.linspace(-3.0, 3.0, 601, dtype=torch.float64, requires_grad=True)
    fig, (ax_loss, ax_grad) = new_figure(4.9, 5.6, nrows=2)  # stacked, to fit a 390 px phone
    for label, name, kwargs, color in _REGRESSION:
        loss = _loss(name)(e, torch.zeros_like(e), reduction="none", **kwargs)
        (grad,) = torch.autograd.grad(loss.sum(), e)
        ax_loss.plot(e.detach(), loss.detach(), color=color, linewidth=1.8, label=label)
        ax_grad.plot(e.detach(), grad, color=color, linewidth=1.8, label=label)
    error = text("error  e = ŷ − y", "误差  e = ŷ − y", lang)
    style(ax_loss, error, text("loss L(e)", "损失 L(e)", lang))
    style(ax_grad, error, text("gradient ∂L/∂ŷ", "梯度 ∂L/∂ŷ", lang))
    ax_loss.set_ylim(-0.2, 4.5)
    # between the arms of the MSE parabola, on the panel a narrow screen shows first
    ax_loss.legend(frameon=False, fontsize=9, loc="upper center", handlelength=1.4)
    label = text("Regression losses and their gradients", "回归损失及其梯度", lang)
    return to_svg(fig, f"regression-losses-{lang}", label)


@per_language
def outlier_fit(*, lang: str = "en") -> str:
    """Plot the data of [`outlier_experiment`][dlref.experiments.outlier_experiment] and the three fitted lines.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.outlier_fit(lang="zh")
        True
    """
    run = outlier_experiment()
    x, y = run["x"], run["y"]
    fig, (ax,) = new_figure(4.9, 3.2)
    ax.scatter(x[:-4], y[:-4], s=14, color=GREY, label=text("data", "数据", lang), zorder=3)
    ax.scatter(x[-4:], y[-4:], s=30, marker="x", color="black", label=text("outliers", "离群点", lang), zorder=3)
    ax.plot(x, 2.0 * x + 1.0, color=GREY, linestyle=":", linewidth=1.2, label=text("true line", "真实直线", lang))
    for (label, (a, b)), color in zip(run["fits"].items(), (BLUE, ORANGE, GREEN), strict=True):
        line = f"{label}: y = {a:.2f}x {'+' if b >= 0 else '−'} {abs(b):.2f}"
        ax.plot(x, a * x + b, color=color, linewidth=1.8, label=line)
    style(ax, "x", "y")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    label = text("Fitting a line with outliers under three losses", "有离群点时用三种损失拟合直线", lang)
    return to_svg(fig, f"outlier-fit-{lang}", label)


@per_language
def focal_loss_curves(gammas: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 5.0), *, lang: str = "en") -> str:
    """Plot the focal loss $-(1-p_t)^\\gamma \\log p_t$ against $p_t$ for several $\\gamma$.

    Computed with [`sigmoid_focal_loss`][dlref.losses.sigmoid_focal_loss] on the
    logit of $p_t$ with target 1 and ``alpha=-1`` (no class weighting); $\\gamma = 0$
    is plain cross-entropy.

    Args:
        gammas: The focusing parameters to draw. Defaults to (0, 0.5, 1, 2, 5).
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If a focusing parameter is not a real number.
        ValueError: If a focusing parameter is negative or ``lang`` is unknown.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.focal_loss_curves(lang="en")
        True
    """
    from dlref.losses import sigmoid_focal_loss

    for n, gamma in enumerate(gammas):
        check_real("focal_loss_curves", f"gammas[{n}]", gamma, low=0.0)

    p = torch.linspace(0.01, 1.0, 500, dtype=torch.float64)
    logits = torch.log(p) - torch.log1p(-p.clamp(max=1 - 1e-12))
    fig, (ax,) = new_figure(4.9, 3.2)
    colors = (BLUE, ORANGE, GREEN, _PURPLE, "#ef4444")
    for gamma, color in zip(gammas, colors * (len(gammas) // len(colors) + 1), strict=False):
        loss = sigmoid_focal_loss(logits, torch.ones_like(p), alpha=-1.0, gamma=gamma, reduction="none")
        ax.plot(p, loss, color=color, linewidth=1.8, label=f"$\\gamma = {gamma:g}$")
    style(ax, text("probability of the true class  $p_t$", "真实类别的概率  $p_t$", lang), text("loss", "损失", lang))
    ax.set_ylim(0.0, 5.0)
    ax.legend(frameon=False)
    label = text("Focal loss against the probability of the true class",
                 "焦点损失随真实类别概率的变化", lang)
    return to_svg(fig, f"focal-{'-'.join(f'{g:g}' for g in gammas)}-{lang}", label)


@per_language
def giou_boxes(*, lang: str = "en") -> str:
    """Draw two boxes, their intersection and smallest enclosing box, with IoU and GIoU from dlref.

    The boxes are $A = (0, 0, 3, 2)$ and $B = (2, 1, 4, 4)$ in $(x_1, y_1, x_2, y_2)$ form.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.giou_boxes(lang="en")
        True
    """
    from matplotlib.patches import Rectangle

    from dlref.boxes import box_iou, generalized_box_iou

    a = torch.tensor([[0.0, 0.0, 3.0, 2.0]], dtype=torch.float64)
    b = torch.tensor([[2.0, 1.0, 4.0, 4.0]], dtype=torch.float64)
    iou, giou = box_iou(a, b).item(), generalized_box_iou(a, b).item()
    fig, (ax,) = new_figure(4.9, 3.6)
    c = (*torch.minimum(a[0, :2], b[0, :2]).tolist(), *torch.maximum(a[0, 2:], b[0, 2:]).tolist())  # the enclosing box
    ax.add_patch(Rectangle((c[0], c[1]), c[2] - c[0], c[3] - c[1], fill=False, edgecolor=GREY, linestyle="--",
                           linewidth=1.5, label=text("enclosing box C", "最小外接框 C", lang)))
    for box, color, name in ((a, BLUE, "A"), (b, ORANGE, "B")):
        x1, y1, x2, y2 = box[0].tolist()
        ax.add_patch(Rectangle((x1, y1), x2 - x1, y2 - y1, facecolor=color, alpha=0.3, edgecolor=color, linewidth=2,
                               label=name))
    ax.add_patch(Rectangle((2.0, 1.0), 1.0, 1.0, facecolor=GREEN, alpha=0.6, edgecolor=GREEN,
                           label=text("intersection A ∩ B", "交集 A ∩ B", lang)))
    ax.set_xlim(-0.5, 4.5)
    ax.set_ylim(-0.5, 4.5)
    ax.set_aspect("equal")
    ax.set_title(f"IoU = {iou:.4f},  GIoU = {giou:.4f}", fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    label = text("Two boxes, their intersection and enclosing box", "两个框、它们的交集与最小外接框", lang)
    return to_svg(fig, f"giou-{lang}", label)


@per_language
def ctc_lattice(*, lang: str = "en") -> str:
    r"""Draw the CTC alignment lattice of the target $l = (1, 2, 2)$ over $T = 6$ frames, with one valid path.

    Rows are the positions $s$ of the extended sequence $l' = (b, 1, b, 2, b, 2, b)$
    (blank $b$ = class 0), columns the frames $t$. Grey lines are the allowed
    transitions $s \to s$, $s \to s + 1$ and, between two different labels,
    $s \to s + 2$, drawn only between states that lie on some complete path (start
    in $s \le 1$ at $t = 0$, end in $s \ge 2S - 1$ at $t = T - 1$). Hollow circles are
    states no path uses. The orange path $1, 1, b, 2, b, 2$ collapses to $l$. The
    number of paths in the title is computed with
    [`ctc_loss`][dlref.losses.ctc_loss]: with uniform probabilities $1/C$,
    $p(l \mid x) = (\text{number of paths}) / C^T$.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref import plots
        >>> "<svg" in plots.ctc_lattice(lang="en")
        True
    """
    from dlref.losses import ctc_loss

    labels, frames, classes, blank = (1, 2, 2), 6, 3, 0
    ext = [blank]
    for k in labels:
        ext += [k, blank]
    n_states = len(ext)  # 2S + 1

    def moves(s: int) -> list[int]:
        """The states reachable from s in one frame: stay, advance, or skip a blank between different labels."""
        nxt = [s, s + 1]
        if s + 2 < n_states and ext[s + 2] != blank and ext[s + 2] != ext[s]:
            nxt.append(s + 2)
        return [n for n in nxt if n < n_states]

    # states on some complete path: reachable from the start and able to reach the end
    forward = [{0, 1}]
    for _ in range(frames - 1):
        forward.append({n for s in forward[-1] for n in moves(s)})
    backward = [{n_states - 1, n_states - 2}]
    for _ in range(frames - 1):
        backward.insert(0, {s for s in range(n_states) if set(moves(s)) & backward[0]})
    used = [forward[t] & backward[t] for t in range(frames)]

    # with y = 1/C everywhere, p(l | x) = (number of paths) / C^T
    uniform = torch.full((frames, 1, classes), 1.0 / classes, dtype=torch.float64).log()
    nll = ctc_loss(uniform, torch.tensor([labels]), (frames,), (len(labels),), reduction="sum")
    n_paths = round(torch.exp(-nll).item() * classes**frames)

    path = [1, 1, 2, 3, 4, 5]  # the states of the path 1, 1, b, 2, b, 2
    fig, (ax,) = new_figure(4.9, 4.4)
    for t in range(frames - 1):
        for s in sorted(used[t]):
            for n in moves(s):
                if n in used[t + 1]:
                    ax.plot([t, t + 1], [s, n], color=GREY, linewidth=1.0, zorder=1, label="_transition")
    ax.plot([], [], color=GREY, linewidth=1.0, label=text("allowed transition", "允许的转移", lang))
    ax.plot(range(frames), path, color=ORANGE, linewidth=2.6, marker="o", markersize=7, zorder=3,
            label=text("a path: 1, 1, $b$, 2, $b$, 2", "一条路径：1, 1, $b$, 2, $b$, 2", lang))
    for t in range(frames):
        on = sorted(used[t])
        off = [s for s in range(n_states) if s not in used[t]]
        ax.scatter([t] * len(on), on, s=28, color=BLUE, zorder=2)
        ax.scatter([t] * len(off), off, s=28, facecolors="none", edgecolors=GREY, zorder=2)
    ax.scatter([], [], s=28, color=BLUE, label=text("state on some path", "有路径经过的状态", lang))
    ax.scatter([], [], s=28, facecolors="none", edgecolors=GREY, label=text("no path passes", "无路径经过", lang))
    ax.set_yticks(range(n_states), ["$b$" if k == blank else str(k) for k in ext])
    ax.set_xticks(range(frames))
    ax.set_xlim(-0.4, frames - 0.6)
    ax.set_ylim(n_states - 0.5, -0.5)  # s = 0 at the top, as in Graves et al.
    ax.set_xlabel(text("frame  $t$", "帧  $t$", lang))
    ax.set_ylabel(text("extended sequence  $l'_s$", "扩展序列  $l'_s$", lang))
    ax.set_title(text(f"$l$ = (1, 2, 2), $T$ = {frames}: {n_paths} paths",
                      f"$l$ = (1, 2, 2)，$T$ = {frames}：共 {n_paths} 条路径", lang), fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    label = text("CTC alignment lattice with one valid path", "CTC 对齐网格与一条有效路径", lang)
    return to_svg(fig, f"ctc-lattice-{lang}", label)
