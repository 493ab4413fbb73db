"""Figures of the optimizers chapter: step size, batch noise, the saddle, the EMA, six optimizers' paths, schedules.

Each figure draws an experiment of `dlref.experiments.optimizer_runs`:
[quadratic_descent][dlref.experiments.quadratic_descent],
[minibatch_paths][dlref.experiments.minibatch_paths], [saddle_paths][dlref.experiments.saddle_paths],
[ema_temperatures][dlref.experiments.ema_temperatures], [optimizer_paths][dlref.experiments.optimizer_paths]
and [lr_schedules][dlref.experiments.lr_schedules].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlref.experiments.optimizer_runs import (
    OPTIMIZER_NAMES,
    descent_function,
    ema_temperatures,
    lr_schedules,
    minibatch_paths,
    optimizer_paths,
    quadratic_descent,
    saddle_paths,
)
from dlref.plots._render import BLUE, GREEN, GREY, ORANGE, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["batch_noise", "ema_bias_correction", "learning_rate_tradeoff", "lr_schedule_curves",
           "optimizer_trajectories", "saddle_point"]

PURPLE = "#a855f7"
RED = "#ef4444"
_STYLE = {  # optimizer: (colour, line style)
    "sgd": (GREY, "-"),
    "momentum": (BLUE, "-"),
    "nesterov": (GREEN, "--"),
    "adagrad": (ORANGE, "-"),
    "rmsprop": (PURPLE, "--"),
    "adam": (RED, "-"),
}


def _tidy(ax: Axes) -> None:
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def _sci(value: float) -> str:
    """A positive number as mathtext, 2 significant digits: 7.7 × 10⁻²."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _names(lang: str) -> dict[str, str]:
    return {
        "sgd": "SGD",
        "momentum": text("momentum", "动量", lang),
        "nesterov": "Nesterov",
        "adagrad": "Adagrad",
        "rmsprop": "RMSprop",
        "adam": "Adam",
    }


@per_language
def learning_rate_tradeoff(*, lang: str = "en") -> str:
    r"""Gradient descent on $f(w) = 2w^2$ ($L = 4$) for four learning rates: too small, good, oscillating, divergent.

    Draws [quadratic_descent][dlref.experiments.quadratic_descent]: $w_t$ against the step
    $t$ for $\eta = 0.05, 0.2, 0.45, 0.55$; the divergence threshold is $2/L = 0.5$. The
    divergent curve leaves the plotted range $[-2, 2]$.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.learning_rate_tradeoff(lang="en")
        True
    """
    from matplotlib.figure import Figure

    runs = quadratic_descent()
    words = {0.05: text("too small", "过小", lang), 0.2: text("good", "合适", lang),
             0.45: text("oscillates", "振荡", lang), 0.55: text("diverges", "发散", lang)}
    colors = {0.05: GREY, 0.2: GREEN, 0.45: BLUE, 0.55: RED}
    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    ax = fig.subplots()
    for lr, ws in runs.items():
        ax.plot(range(len(ws)), ws.numpy(), marker="o", markersize=3, linewidth=1.5, color=colors[lr],
                label=rf"$\eta = {lr:g}$: {words[lr]}")
    ax.axhline(0.0, color="black", linewidth=0.6, alpha=0.5)
    ax.set_ylim(-2, 2)
    ax.set_xlim(0, 20)
    ax.set_xticks([0, 5, 10, 15, 20])
    ax.set_xlabel(text("step $t$", "步数 $t$", lang))
    ax.set_ylabel("$w_t$")
    _tidy(ax)
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=9)
    label = text("Gradient descent on a one-dimensional quadratic with four learning rates",
                 "一维二次函数上四种学习率的梯度下降", lang)
    return to_svg(fig, f"learning-rate-tradeoff-{lang}", label)


@per_language
def batch_noise(*, lang: str = "en") -> str:
    r"""A line fitted with full-batch, mini-batch and single-sample gradient descent: paths and loss.

    Draws [minibatch_paths][dlref.experiments.minibatch_paths] (200 points, 60 updates at
    rate 0.1). Left: the paths of $(w, b)$ over the contours of the full-data MSE, with the
    least-squares optimum as a cross. Right: the full-data MSE after each update (log scale).

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.batch_noise(lang="zh")
        True
    """
    import torch
    from matplotlib.figure import Figure

    run = minibatch_paths()
    x, y = run["x"], run["y"]
    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    left, right = fig.subplots(1, 2)
    ws = torch.linspace(-1.5, 3.0, 121, dtype=torch.float64)
    bs = torch.linspace(-2.0, 2.5, 121, dtype=torch.float64)
    gw, gb = torch.meshgrid(ws, bs, indexing="xy")  # (121, 121)
    # full-data MSE on the grid: mean over points of (w x + b - y)²
    mse = ((gw[..., None] * x + gb[..., None] - y) ** 2).mean(-1)
    left.contour(gw.numpy(), gb.numpy(), mse.numpy(), levels=[0.5, 1, 2, 4, 8, 16], colors=GREY, linewidths=0.6)
    names = {200: text("full batch (200)", "全批量（200）", lang), 20: text("mini-batch (20)", "小批量（20）", lang),
             1: text("one sample (1)", "单样本（1）", lang)}
    colors = {200: BLUE, 20: GREEN, 1: ORANGE}
    for batch, path in run["paths"].items():
        left.plot(path[:, 0].numpy(), path[:, 1].numpy(), color=colors[batch], linewidth=1.3, label=names[batch])
        right.semilogy(range(len(run["loss"][batch])), run["loss"][batch], color=colors[batch], linewidth=1.3)
    left.plot(*run["optimum"], marker="x", color="black", markersize=7, linestyle="none")
    left.set_xlabel("$w$")
    left.set_ylabel("$b$")
    left.set_xticks([-1, 0, 1, 2, 3])
    right.set_xlabel(text("update", "更新次数", lang))
    right.set_ylabel(text("MSE on all data", "全部数据上的 MSE", lang))
    right.set_xticks([0, 20, 40, 60])
    for ax in (left, right):
        _tidy(ax)
    fig.legend(loc="outside upper center", ncols=3, frameon=False, fontsize=9)
    label = text("Paths and loss of full-batch, mini-batch and single-sample gradient descent on a line fit",
                 "直线拟合中全批量、小批量与单样本梯度下降的路径和损失", lang)
    return to_svg(fig, f"batch-noise-{lang}", label)


@per_language
def saddle_point(*, lang: str = "en") -> str:
    r"""Gradient descent and momentum at the saddle of $f(x, y) = x^2 - y^2$.

    Draws [saddle_paths][dlref.experiments.saddle_paths] (rate 0.1, 40 steps). Left: the
    contours of $f$ and the three paths: from $(1, 0)$ plain gradient descent walks into
    the saddle point; from $(1, 10^{-3})$ it escapes along $y$ late, momentum earlier.
    Right: $|y_t|$ against the step on a log scale.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.saddle_point(lang="en")
        True
    """
    import torch
    from matplotlib.figure import Figure

    runs = saddle_paths()
    fig = Figure(figsize=(4.9, 2.9), layout="constrained")
    left, right = fig.subplots(1, 2)
    grid = torch.linspace(-1.2, 1.2, 121, dtype=torch.float64)
    gx, gy = torch.meshgrid(grid, grid, indexing="xy")
    # f = x² - y²
    left.contour(gx.numpy(), gy.numpy(), (gx**2 - gy**2).numpy(), levels=[-1, -0.5, -0.1, 0.1, 0.5, 1],
                 colors=GREY, linewidths=0.6)
    style = {
        "gd_on_axis": (text("GD from (1, 0)", "GD，起点 (1, 0)", lang), GREY, ":"),
        "gd": (text(r"GD from $(1, 10^{-3})$", r"GD，起点 $(1, 10^{-3})$", lang), BLUE, "-"),
        "momentum": (text("momentum 0.9", "动量 0.9", lang), ORANGE, "--"),
    }
    for key, path in runs.items():
        name, color, linestyle = style[key]
        left.plot(path[:, 0].numpy(), path[:, 1].numpy(), color=color, linestyle=linestyle, linewidth=1.6,
                  marker="o", markersize=2)
        right.semilogy(range(len(path)), path[:, 1].abs().clamp_min(1e-12).numpy(), color=color,
                       linestyle=linestyle, linewidth=1.6, label=name)
    left.plot(0, 0, marker="x", color="black", markersize=7, linestyle="none")
    left.set_xlim(-1.2, 1.2)
    left.set_ylim(-1.2, 1.2)
    left.set_aspect("equal")
    left.set_xticks([-1, 0, 1])
    left.set_yticks([-1, 0, 1])
    left.set_xlabel("$x$")
    left.set_ylabel("$y$")
    right.set_ylim(1e-4, 1e3)
    right.set_yticks([1e-3, 1e-1, 1e1])
    right.set_xticks([0, 20, 40])
    right.set_xlabel(text("step", "步数", lang))
    right.set_ylabel("$|y_t|$")
    for ax in (left, right):
        _tidy(ax)
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=9)
    label = text("Gradient descent and momentum near the saddle point of x squared minus y squared",
                 "x² − y² 鞍点附近的梯度下降与动量法", lang)
    return to_svg(fig, f"saddle-point-{lang}", label)


@per_language
def ema_bias_correction(*, lang: str = "en") -> str:
    r"""A month of random temperatures and their exponentially weighted averages ($\beta = 0.9$).

    Draws [ema_temperatures][dlref.experiments.ema_temperatures]: the daily values as dots,
    the average started at 0 (biased low for the first days), the bias-corrected average,
    and the notes' recursion started at the first day's value.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.ema_bias_correction(lang="zh")
        True
    """
    from matplotlib.figure import Figure

    run = ema_temperatures()
    days = range(1, len(run["temperature"]) + 1)
    fig = Figure(figsize=(4.9, 3.1), layout="constrained")
    ax = fig.subplots()
    ax.plot(days, run["temperature"].numpy(), marker="o", markersize=3.5, linestyle="none", color=GREY,
            label=text("temperature", "气温", lang))
    ax.plot(days, run["zero_start"].numpy(), color=ORANGE, linewidth=1.8, label=text(r"$v_0 = 0$", r"$v_0 = 0$", lang))
    ax.plot(days, run["corrected"].numpy(), color=BLUE, linewidth=1.8,
            label=text(r"bias-corrected $v_t / (1 - \beta^t)$", r"偏差修正 $v_t / (1 - \beta^t)$", lang))
    ax.plot(days, run["first_value"].numpy(), color=GREEN, linewidth=1.4, linestyle="--",
            label=text(r"started at $x_1$ (the notes)", r"从 $x_1$ 开始（笔记）", lang))
    ax.set_xlabel(text("day $t$", "第 $t$ 天", lang))
    ax.set_ylabel(text("temperature", "气温", lang))
    ax.set_xlim(0, 31)
    ax.set_xticks([1, 10, 20, 30])
    ax.set_ylim(0, 40)
    _tidy(ax)
    fig.legend(loc="outside upper center", ncols=2, frameon=False, fontsize=9)
    label = text("Random daily temperatures and their exponentially weighted averages with and without bias "
                 "correction", "随机日气温及其指数加权平均（有无偏差修正）", lang)
    return to_svg(fig, f"ema-bias-correction-{lang}", label)


@per_language
def optimizer_trajectories(function: str = "quadratic", *, lang: str = "en") -> str:
    r"""Six optimizers on one 2-D test function, one small panel each, at each one's tuned learning rate.

    Draws [optimizer_paths][dlref.experiments.optimizer_paths]: SGD, heavy-ball momentum,
    Nesterov, Adagrad, RMSprop and Adam, each panel titled with the optimizer, its tuned
    rate $\eta$ and its final $f$. ``"quadratic"``: 100 steps on the rotated quadratic of
    condition number 80 from $(-4, 1)$, minimum at the origin; ``"rosenbrock"``: 300 steps
    on Rosenbrock's function from $(-1.5, 2)$, minimum at $(1, 1)$. Grey lines are
    contours of $f$; the dot is the start, the star the minimum.

    Args:
        function: ``"quadratic"`` or ``"rosenbrock"``. Defaults to ``"quadratic"``.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        ValueError: If `function` is not one of the two.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.optimizer_trajectories("rosenbrock", lang="en")
        True
    """
    import torch
    from matplotlib.figure import Figure

    runs = optimizer_paths(function)  # checks `function`
    f = descent_function(function)
    if function == "quadratic":
        xs, ys = torch.linspace(-5, 5, 161, dtype=torch.float64), torch.linspace(-4.5, 2.5, 121, dtype=torch.float64)
        levels, minimum = [0.5, 2, 8, 32, 128, 512], (0.0, 0.0)
    else:
        xs, ys = torch.linspace(-2, 2.6, 161, dtype=torch.float64), torch.linspace(-1, 4.2, 161, dtype=torch.float64)
        levels, minimum = [0.3, 1, 3, 10, 30, 100, 300], (1.0, 1.0)
    gx, gy = torch.meshgrid(xs, ys, indexing="xy")
    values = f(torch.stack([gx, gy])).numpy()
    names = _names(lang)
    fig = Figure(figsize=(4.9, 6.6), layout="constrained")
    axes = fig.subplots(3, 2, sharex=True, sharey=True).ravel()
    for ax, name in zip(axes, OPTIMIZER_NAMES, strict=True):
        color, _ = _STYLE[name]
        run = runs[name]
        ax.contour(gx.numpy(), gy.numpy(), values, levels=levels, colors=GREY, linewidths=0.5)
        path = run["path"]
        ax.plot(path[:, 0].numpy(), path[:, 1].numpy(), color=color, linewidth=1.3, marker="o", markersize=1.5)
        ax.plot(*path[0].tolist(), marker="o", color="black", markersize=4, linestyle="none")
        ax.plot(*minimum, marker="*", color="black", markersize=9, linestyle="none")
        final = text("final", "最终", lang)
        ax.set_title(rf"{names[name]}, $\eta = {run['lr']:g}$" + "\n" + rf"{final} $f = {_sci(run['loss'][-1])}$",
                     fontsize=9)
        ax.set_xlim(float(xs[0]), float(xs[-1]))
        ax.set_ylim(float(ys[0]), float(ys[-1]))
        ax.set_aspect("equal")
        ax.tick_params(labelsize=9)
        _tidy(ax)
    for ax in axes[4:]:
        ax.set_xlabel("$x$")
    for ax in axes[::2]:
        ax.set_ylabel("$y$")
    label = text(f"Paths of SGD, momentum, Nesterov, Adagrad, RMSprop and Adam on the {function} test function",
                 "SGD、动量、Nesterov、Adagrad、RMSprop 与 Adam 在" + ("病态二次函数" if function == "quadratic"
                                                                     else " Rosenbrock 函数") + "上的路径", lang)
    return to_svg(fig, f"optimizer-trajectories-{function}-{lang}", label)


@per_language
def lr_schedule_curves(*, lang: str = "en") -> str:
    r"""The learning rate over 200 epochs under five schedules, on a linear and on a log axis.

    Draws [lr_schedules][dlref.experiments.lr_schedules] (base rate 0.1): StepLR (step_size
    50, $\gamma = 0.5$), MultiStepLR (milestones 50, 125, 160, $\gamma = 0.8$),
    ExponentialLR ($\gamma = 0.8$), CosineAnnealingLR ($T_{max} = 200$), and a 10-epoch
    linear warm-up followed by a cosine.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import optimizer_figures
        >>> "<svg" in optimizer_figures.lr_schedule_curves(lang="zh")
        True
    """
    from matplotlib.figure import Figure

    rates = lr_schedules()
    style = {
        "step": ("StepLR", BLUE, "-"),
        "multistep": ("MultiStepLR", GREEN, "-"),
        "exponential": ("ExponentialLR", RED, "-"),
        "cosine": (text("cosine", "余弦", lang), ORANGE, "--"),
        "warmup_cosine": (text("warm-up + cosine", "预热 + 余弦", lang), PURPLE, ":"),
    }
    fig = Figure(figsize=(4.9, 5.2), layout="constrained")
    linear, log = fig.subplots(2, 1, sharex=True)
    for name, values in rates.items():
        label, color, linestyle = style[name]
        linear.plot(range(len(values)), values, color=color, linestyle=linestyle, linewidth=1.7, label=label)
        log.semilogy(range(len(values)), values, color=color, linestyle=linestyle, linewidth=1.7)
    linear.set_ylim(0, 0.105)
    linear.set_yticks([0, 0.025, 0.05, 0.075, 0.1])
    log.set_ylim(1e-6, 0.2)
    log.set_yticks([1e-6, 1e-4, 1e-2])
    log.set_xlabel(text("epoch", "轮次", lang))
    log.set_xticks([0, 50, 100, 150, 200])
    for ax in (linear, log):
        ax.set_ylabel(text("learning rate", "学习率", lang))
        _tidy(ax)
    fig.legend(loc="outside upper center", ncols=3, frameon=False, fontsize=9)
    label = text("Learning rate against epoch under five schedules", "五种学习率调度下学习率随轮次的变化", lang)
    return to_svg(fig, f"lr-schedule-curves-{lang}", label)
