r"""The optimizers chapter's experiments: descent paths on 2-D test functions, the saddle, an EMA, schedules.

Everything runs dlref's own optimizers and schedulers ([dlref.optim][dlref.optim],
[dlref.lr_scheduler][dlref.lr_scheduler]) in float64 from fixed starts, so the numbers
are the same on every machine; the figures of `dlref.plots.optimizer_figures` draw them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from dlref._checks import check_choice, check_int
from dlref.optim import SGD, Adagrad, Adam, RMSprop, ema

__all__ = [
    "LR_GRID", "OPTIMIZER_NAMES", "descent_function", "ema_temperatures", "lr_schedules", "minibatch_paths",
    "optimizer_paths", "quadratic_descent", "saddle_paths", "tune_learning_rate",
]

OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The six optimizers of the chapter's signature figure, in the order the chapter introduces them."""

# The grid each optimizer's learning rate is tuned on: 1, 2, 5 per decade, 1e-4 ... 50.
LR_GRID = tuple(round(m * 10.0**e, 10) for e in range(-4, 2) for m in (1, 2, 5))
"""The rates tried by [tune_learning_rate][dlref.experiments.tune_learning_rate]: 1, 2, 5 per decade, 1e-4 to 50."""

# Start and number of steps of each test function.
_SETUP: dict[str, tuple[tuple[float, float], int]] = {
    "quadratic": ((-4.0, 1.0), 100),
    "rosenbrock": ((-1.5, 2.0), 300),
}

# The rate tune_learning_rate picks for each optimizer on LR_GRID (the tests check that it still does):
# stored so that a page draws the paths without re-running the 15-rate grid.
_TUNED: dict[str, dict[str, float]] = {
    "quadratic": {"sgd": 0.02, "momentum": 0.005, "nesterov": 0.01, "adagrad": 5.0, "rmsprop": 0.5, "adam": 2.0},
    "rosenbrock": {"sgd": 0.002, "momentum": 0.002, "nesterov": 0.001, "adagrad": 2.0, "rmsprop": 0.2, "adam": 1.0},
}


def descent_function(name: str) -> Callable[[Tensor], Tensor]:
    r"""One of the chapter's two 2-D test functions, as a function of a point $p = (x, y)$.

    $$
    f_{\text{quadratic}}(x, y) = \tfrac12 \left(u^2 + 80\, v^2\right),\quad
    \begin{pmatrix} u \\ v \end{pmatrix} = \begin{pmatrix} \cos 30^\circ & \sin 30^\circ \\
    -\sin 30^\circ & \cos 30^\circ \end{pmatrix} \begin{pmatrix} x \\ y \end{pmatrix}, \qquad
    f_{\text{rosenbrock}}(x, y) = (1 - x)^2 + 100\, (y - x^2)^2
    $$

    The quadratic's Hessian has eigenvalues 1 and 80 (condition number 80): a narrow
    valley along the direction at 30° to the $x$ axis. Rotating it keeps the valley off
    the coordinate axes, which would flatter the per-coordinate methods (Adagrad,
    RMSprop, Adam). Rosenbrock's minimum is at $(1, 1)$, at the end of a curved, flat
    valley. Both minima have $f = 0$.

    Args:
        name: ``"quadratic"`` or ``"rosenbrock"``.

    Returns:
        A function of a tensor of shape $(2, *)$ returning $f$ of shape $(*)$.

    Raises:
        ValueError: If `name` is not one of the two.

    Examples:
        >>> import torch
        >>> from dlref.experiments import descent_function
        >>> descent_function("quadratic")(torch.tensor([0.0, 1.0], dtype=torch.float64))
        tensor(30.1250, dtype=torch.float64)
        >>> descent_function("rosenbrock")(torch.tensor([1.0, 1.0]))
        tensor(0.)
    """
    name = check_choice("descent_function", "name", name, tuple(_SETUP))
    if name == "quadratic":
        c, s = math.cos(math.pi / 6), math.sin(math.pi / 6)

        def quadratic(p: Tensor) -> Tensor:
            # (u, v) = R(30°) (x, y): the valley's own axes
            u = c * p[0] + s * p[1]
            v = -s * p[0] + c * p[1]
            # f = (u² + 80 v²) / 2
            return 0.5 * (u**2 + 80.0 * v**2)

        return quadratic
    # f = (1 - x)² + 100 (y - x²)²
    return lambda p: (1.0 - p[0]) ** 2 + 100.0 * (p[1] - p[0] ** 2) ** 2


def _make(name: str, params: list[Tensor], lr: float) -> torch.optim.Optimizer:
    """The optimizer called `name`, with every option at torch's default except lr (momentum 0.9)."""
    if name == "sgd":
        return SGD(params, lr=lr)
    if name == "momentum":
        return SGD(params, lr=lr, momentum=0.9)
    if name == "nesterov":
        return SGD(params, lr=lr, momentum=0.9, nesterov=True)
    if name == "adagrad":
        return Adagrad(params, lr=lr)
    if name == "rmsprop":
        return RMSprop(params, lr=lr)
    return Adam(params, lr=lr)


def _run(name: str, function: str, lr: float, steps: int) -> Tensor:
    """The path of `steps` updates from the function's start: shape (steps + 1, 2)."""
    f = descent_function(function)
    start, _ = _SETUP[function]
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = _make(name, [p], lr)
    path = [p.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(p).backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        path.append(p.detach().clone())
    return torch.stack(path)  # (steps + 1, 2)


def tune_learning_rate(name: str, function: str = "quadratic") -> dict[float, float]:
    r"""Score every learning rate of [LR_GRID][dlref.experiments.LR_GRID] for one optimizer on one test function.

    Each rate runs the function's fixed number of steps from its fixed start (see
    [optimizer_paths][dlref.experiments.optimizer_paths]); its score is the mean of
    $\log_{10} f$ over the path, start included, which rewards fast descent and punishes a
    first jump that lands far up the wall. A run whose $f$ overflows scores $+\infty$. The
    tuned rate is the one with the lowest score.

    Args:
        name: One of [OPTIMIZER_NAMES][dlref.experiments.OPTIMIZER_NAMES].
        function: ``"quadratic"`` or ``"rosenbrock"``. Defaults to ``"quadratic"``.

    Returns:
        The score of each rate, keyed by rate.

    Raises:
        ValueError: If `name` or `function` is not one of the allowed values.

    Examples:
        >>> from dlref.experiments import tune_learning_rate
        >>> scores = tune_learning_rate("sgd")
        >>> min(scores, key=scores.get)
        0.02
    """
    name = check_choice("tune_learning_rate", "name", name, OPTIMIZER_NAMES)
    function = check_choice("tune_learning_rate", "function", function, tuple(_SETUP))
    f = descent_function(function)
    scores: dict[float, float] = {}
    for lr in LR_GRID:
        path = _run(name, function, lr, _SETUP[function][1])  # (steps + 1, 2)
        losses = f(path.T)  # (steps + 1,)
        # mean over the path of log10 max(f, 1e-12): below 1e-12 counts as solved
        score = float(losses.clamp_min(1e-12).log10().mean())
        scores[lr] = score if math.isfinite(score) else math.inf
    return scores


@functools.cache
def optimizer_paths(function: str = "quadratic") -> dict[str, dict[str, Any]]:
    r"""Each optimizer's path on a 2-D test function, at its tuned learning rate.

    For each of [OPTIMIZER_NAMES][dlref.experiments.OPTIMIZER_NAMES] (SGD; heavy-ball and
    Nesterov momentum 0.9; Adagrad, RMSprop and Adam at torch's defaults) the path runs a
    fixed number of steps (100 on the quadratic, 300 on Rosenbrock) from a fixed start
    ($(-4, 1)$ and $(-1.5, 2)$), at the learning rate that
    [tune_learning_rate][dlref.experiments.tune_learning_rate] picks on its grid (stored;
    the tests check the grid still picks it). See
    [descent_function][dlref.experiments.descent_function].

    Args:
        function: ``"quadratic"`` or ``"rosenbrock"``. Defaults to ``"quadratic"``.

    Returns:
        A dict keyed by optimizer name; each value has ``"lr"`` (the tuned rate), ``"path"``
        (float64 tensor of shape (steps + 1, 2), start included) and ``"loss"`` ($f$ along
        the path, a list of length steps + 1).

    Raises:
        ValueError: If `function` is not one of the two.

    Examples:
        >>> from dlref.experiments import optimizer_paths
        >>> run = optimizer_paths("quadratic")
        >>> run["sgd"]["lr"], run["sgd"]["path"].shape
        (0.02, torch.Size([101, 2]))
    """
    function = check_choice("optimizer_paths", "function", function, tuple(_SETUP))
    f = descent_function(function)
    _, steps = _SETUP[function]
    out: dict[str, dict[str, Any]] = {}
    for name in OPTIMIZER_NAMES:
        lr = _TUNED[function][name]
        path = _run(name, function, lr, steps)
        out[name] = {"lr": lr, "path": path, "loss": [float(f(p)) for p in path]}
    return out


@functools.cache
def saddle_paths(steps: int = 40, lr: float = 0.1) -> dict[str, Tensor]:
    r"""Gradient descent and momentum on the saddle $f(x, y) = x^2 - y^2$.

    Three runs of [SGD][dlref.optim.SGD] with learning rate `lr`: plain gradient descent from
    $(1, 0)$, exactly on the saddle's attracting axis; plain gradient descent from
    $(1, 10^{-3})$; and momentum 0.9 from $(1, 10^{-3})$. The gradient is $(2x, -2y)$, so
    one plain step maps $x \mapsto (1 - 2\eta) x$ and $y \mapsto (1 + 2\eta) y$: from the
    axis the run converges to the saddle point, off it $|y|$ grows geometrically and the
    run escapes, slowly.

    Args:
        steps: Number of updates, $\ge 1$. Defaults to 40.
        lr: Learning rate. Defaults to 0.1.

    Returns:
        ``{"gd_on_axis", "gd", "momentum"}``, each a float64 tensor of shape (steps + 1, 2).

    Examples:
        >>> from dlref.experiments import saddle_paths
        >>> runs = saddle_paths()
        >>> runs["gd_on_axis"][-1].tolist()[1], round(runs["gd"][10, 1].item(), 6)
        (0.0, 0.006192)
    """
    steps = check_int("saddle_paths", "steps", steps, low=1)
    out: dict[str, Tensor] = {}
    for key, start, momentum in (("gd_on_axis", (1.0, 0.0), 0.0), ("gd", (1.0, 1e-3), 0.0),
                                 ("momentum", (1.0, 1e-3), 0.9)):
        p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        optimizer = SGD([p], lr=lr, momentum=momentum)
        path = [p.detach().clone()]
        for _ in range(steps):
            optimizer.zero_grad()
            # f = x² - y²
            (p[0] ** 2 - p[1] ** 2).backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            path.append(p.detach().clone())
        out[key] = torch.stack(path)  # (steps + 1, 2)
    return out


@functools.cache
def ema_temperatures(beta: float = 0.9, days: int = 30, seed: int = 0) -> dict[str, Tensor]:
    r"""A month of random daily temperatures and three exponentially weighted averages of them.

    The temperatures are integers drawn uniformly from $\{0, \dots, 39\}$ by a generator
    seeded with `seed` (as ``torch.randint(0, 40, (days,))``). The averages are
    [ema][dlref.optim.ema] started at 0 (``"zero_start"``), the same with bias correction
    (``"corrected"``), and the recursion started at the first day's value,
    $v_1 = x_1$ (``"first_value"``).

    Args:
        beta: Decay rate $\beta \in [0, 1)$. Defaults to 0.9.
        days: Number of days. Defaults to 30.
        seed: Seed of the generator. Defaults to 0.

    Returns:
        Float64 tensors of shape (days,): ``"temperature"``, ``"zero_start"``,
        ``"corrected"``, ``"first_value"``.

    Examples:
        >>> from dlref.experiments import ema_temperatures
        >>> run = ema_temperatures()
        >>> run["temperature"][:3].tolist(), round(run["zero_start"][0].item(), 2)
        ([4.0, 39.0, 13.0], 0.4)
    """
    days = check_int("ema_temperatures", "days", days, low=1)
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 40, (days,), generator=g).to(torch.float64)  # (days,)
    # the notes' recursion: v_1 = x_1, then v_t = β v_{t-1} + (1 - β) x_t
    first_value = x.clone()
    for t in range(1, days):
        first_value[t] = beta * first_value[t - 1] + (1 - beta) * x[t]
    return {"temperature": x, "zero_start": ema(x, beta), "corrected": ema(x, beta, bias_correction=True),
            "first_value": first_value}


def _schedulers(optimizer: torch.optim.Optimizer, module: Any) -> dict[str, Any]:
    """The chapter's five schedules, built from `module` (dlref.lr_scheduler or torch.optim.lr_scheduler)."""
    return {
        "step": lambda: module.StepLR(optimizer, step_size=50, gamma=0.5),
        "multistep": lambda: module.MultiStepLR(optimizer, milestones=[50, 125, 160], gamma=0.8),
        "exponential": lambda: module.ExponentialLR(optimizer, gamma=0.8),
        "cosine": lambda: module.CosineAnnealingLR(optimizer, T_max=200),
        "warmup_cosine": lambda: module.SequentialLR(
            optimizer, [module.LinearLR(optimizer, start_factor=0.1, total_iters=10),
                        module.CosineAnnealingLR(optimizer, T_max=190)], milestones=[10]),
    }


@functools.cache
def lr_schedules(epochs: int = 200, lr: float = 0.1) -> dict[str, list[float]]:
    r"""The learning rate of every epoch under five schedules, each driven by dlref's scheduler.

    With base rate `lr` and one ``scheduler.step()`` after each epoch's
    ``optimizer.step()``:

    - ``"step"``: [StepLR][dlref.lr_scheduler.StepLR], step_size 50, $\gamma = 0.5$;
    - ``"multistep"``: [MultiStepLR][dlref.lr_scheduler.MultiStepLR], milestones
      [50, 125, 160], $\gamma = 0.8$;
    - ``"exponential"``: [ExponentialLR][dlref.lr_scheduler.ExponentialLR], $\gamma = 0.8$;
    - ``"cosine"``: [CosineAnnealingLR][dlref.lr_scheduler.CosineAnnealingLR], $T_{max} = 200$;
    - ``"warmup_cosine"``: [SequentialLR][dlref.lr_scheduler.SequentialLR] of a 10-epoch
      [LinearLR][dlref.lr_scheduler.LinearLR] warm-up from $0.1\,\eta_0$ and a cosine over the
      remaining 190 epochs.

    Args:
        epochs: Number of epochs, $\ge 1$. Defaults to 200.
        lr: Base learning rate $\eta_0$. Defaults to 0.1.

    Returns:
        A dict keyed by schedule name; each value lists the rate used in epochs
        $0, \dots, \text{epochs} - 1$.

    Examples:
        >>> from dlref.experiments import lr_schedules
        >>> rates = lr_schedules()
        >>> rates["step"][49], rates["step"][50], rates["warmup_cosine"][0]
        (0.1, 0.05, 0.010000000000000002)
    """
    from dlref import lr_scheduler

    epochs = check_int("lr_schedules", "epochs", epochs, low=1)
    out: dict[str, list[float]] = {}
    for name in ("step", "multistep", "exponential", "cosine", "warmup_cosine"):
        optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=lr)
        scheduler = _schedulers(optimizer, lr_scheduler)[name]()
        rates = []
        for _ in range(epochs):
            rates.append(float(optimizer.param_groups[0]["lr"]))
            optimizer.step()  # an epoch of training (no gradient here: nothing moves)
            scheduler.step()
        out[name] = rates
    return out


@functools.cache
def quadratic_descent(lrs: tuple[float, ...] = (0.05, 0.2, 0.45, 0.55), curvature: float = 4.0,
                      steps: int = 20) -> dict[float, Tensor]:
    r"""Gradient descent on $f(w) = \tfrac12 L w^2$ from $w_0 = 1$, for several learning rates.

    The gradient is $L w$, so one step is $w \leftarrow (1 - \eta L) w$ and
    $w_t = (1 - \eta L)^t$: it shrinks monotonically for $\eta < 1/L$, in one step for
    $\eta = 1/L$, oscillating for $1/L < \eta < 2/L$, and grows for $\eta > 2/L$. Each run
    uses [SGD][dlref.optim.SGD] in float64.

    Args:
        lrs: Learning rates $\eta$. Defaults to (0.05, 0.2, 0.45, 0.55): with $L = 4$, too
            small, good, oscillating and divergent ($2/L = 0.5$).
        curvature: $L > 0$. Defaults to 4.
        steps: Number of steps, $\ge 1$. Defaults to 20.

    Returns:
        For each rate, the float64 tensor $(w_0, \dots, w_{\text{steps}})$.

    Examples:
        >>> from dlref.experiments import quadratic_descent
        >>> runs = quadratic_descent()
        >>> [round(runs[lr][1].item(), 4) for lr in (0.05, 0.2, 0.45, 0.55)]
        [0.8, 0.2, -0.8, -1.2]
    """
    steps = check_int("quadratic_descent", "steps", steps, low=1)
    out: dict[float, Tensor] = {}
    for lr in lrs:
        w = torch.ones(1, dtype=torch.float64, requires_grad=True)
        optimizer = SGD([w], lr=lr)
        ws = [w.item()]
        for _ in range(steps):
            optimizer.zero_grad()
            # f = L w² / 2
            (0.5 * curvature * w**2).sum().backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            ws.append(w.item())
        out[lr] = torch.tensor(ws, dtype=torch.float64)
    return out


@functools.cache
def minibatch_paths(batch_sizes: tuple[int, ...] = (200, 20, 1), lr: float = 0.1, steps: int = 60,
                    seed: int = 0) -> dict[str, Any]:
    r"""Paths of $(w, b)$ for a line fitted by gradient descent with full, mini- and single-sample batches.

    Data: 200 points $x \sim \mathcal{N}(0, 1)$, $y = 2x - 1 + 0.5\,\varepsilon$ with
    $\varepsilon \sim \mathcal{N}(0, 1)$, drawn from a generator seeded with `seed`. The
    model $\hat y = w x + b$ starts at $(w, b) = (-1, 2)$ and minimizes the mean squared
    error of each batch with [SGD][dlref.optim.SGD] at rate `lr`; batches are consecutive
    slices of a fresh seeded permutation every epoch. Every run takes the same number of
    `steps` (parameter updates), so the smaller batches see fewer samples.

    Args:
        batch_sizes: Batch sizes to run. Defaults to (200, 20, 1): full batch, mini-batch,
            one sample.
        lr: Learning rate. Defaults to 0.1.
        steps: Number of updates per run. Defaults to 60.
        seed: Seed of the data and of the shuffling. Defaults to 0.

    Returns:
        ``"paths"`` (batch size to a float64 tensor of shape (steps + 1, 2), rows $(w, b)$),
        ``"loss"`` (batch size to the full-data MSE after each step, a list),
        ``"optimum"`` (the least-squares $(w, b)$, a tuple) and ``"x"``, ``"y"`` (the data).

    Examples:
        >>> from dlref.experiments import minibatch_paths
        >>> run = minibatch_paths()
        >>> run["paths"][200].shape, [round(v, 3) for v in run["optimum"]]
        (torch.Size([61, 2]), [2.012, -1.014])
    """
    steps = check_int("minibatch_paths", "steps", steps, low=1)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(200, generator=g, dtype=torch.float64)  # (N,)
    y = 2.0 * x - 1.0 + 0.5 * torch.randn(200, generator=g, dtype=torch.float64)  # (N,)
    # least squares: [w, b] = argmin ||A [w, b] - y||², A = [x, 1]
    design = torch.stack([x, torch.ones_like(x)], dim=1)  # (N, 2)
    optimum = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.squeeze(1)  # (2,)
    paths: dict[int, Tensor] = {}
    losses: dict[int, list[float]] = {}
    for batch in batch_sizes:
        batch = check_int("minibatch_paths", "batch_sizes", batch, low=1, high=200)
        order = torch.Generator().manual_seed(seed + 1)
        p = torch.tensor([-1.0, 2.0], dtype=torch.float64, requires_grad=True)
        optimizer = SGD([p], lr=lr)
        path = [p.detach().clone()]
        permutation, start = torch.randperm(200, generator=order), 0
        for _ in range(steps):
            if start + batch > 200:  # a new epoch (drop_last: a short final batch is skipped)
                permutation, start = torch.randperm(200, generator=order), 0
            idx = permutation[start:start + batch]
            start += batch
            optimizer.zero_grad()
            # MSE of the batch: mean (w x + b - y)²
            ((p[0] * x[idx] + p[1] - y[idx]) ** 2).mean().backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            path.append(p.detach().clone())
        paths[batch] = torch.stack(path)  # (steps + 1, 2)
        # full-data MSE at every point of the path
        losses[batch] = [float(((w * x + b - y) ** 2).mean()) for w, b in paths[batch]]
    return {"paths": paths, "loss": losses, "optimum": (optimum[0].item(), optimum[1].item()), "x": x, "y": y}

