r"""The regularization chapter's experiments: overfitting, penalty paths, training with and without batch norm.

Each one is small, seeded and in float64, runs on one thread (the matrices are tiny)
and leaves the caller's global random state alone. They use dlref's own
[dropout][dlref.norm.dropout], [l2_penalty][dlref.norm.l2_penalty],
[BatchNorm1d][dlref.norm.BatchNorm1d], [mse_loss][dlref.losses.mse_loss] and
[cross_entropy][dlref.losses.cross_entropy]; the results are memoized.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch
from torch import Tensor, nn

from dlref.losses import cross_entropy, mse_loss
from dlref.norm import BatchNorm1d, MinMaxScaler, StandardScaler, dropout, l2_penalty, normalize

__all__ = ["batchnorm_experiment", "overfitting_experiment", "penalty_paths_experiment", "scaling_experiment"]

OVERFIT_VARIANTS = ("none", "l2", "dropout")
BATCHNORM_LRS = (0.03, 0.1, 0.3, 1.0, 3.0)


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run on one thread: the matrices are tiny, and one thread is much faster on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Seed torch's global generator (nn.Linear's constructor draws from it), leaving the caller's state alone."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _regression_data(n: int, g: torch.Generator) -> tuple[Tensor, Tensor]:
    """n points x ~ U(-1, 1) with y = x² + N(0, 0.3²) noise, each (n, 1)."""
    x = torch.rand(n, 1, generator=g, dtype=torch.float64) * 2 - 1
    # y = x² + ε, ε ~ N(0, 0.3²)
    y = x**2 + 0.3 * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return x, y


def _overfit_run(variant: str, steps: int, lam: float, p: float) -> dict[str, list[float]]:
    g = torch.Generator().manual_seed(0)
    x, y = _regression_data(16, g)  # the training set: 16 points
    x_val, y_val = _regression_data(500, g)  # the validation set, from the same distribution
    with _seeded(0):
        layers = [nn.Linear(1, 64, dtype=torch.float64), nn.Linear(64, 64, dtype=torch.float64),
                  nn.Linear(64, 1, dtype=torch.float64)]
    params = [p_ for layer in layers for p_ in layer.parameters()]
    weights = [layer.weight for layer in layers]
    optimizer = torch.optim.Adam(params, lr=1e-2)
    mask_rng = torch.Generator().manual_seed(1)

    def forward(inputs: Tensor, training: bool) -> Tensor:
        h = inputs
        for layer in layers[:-1]:
            h = torch.relu(layer(h))
            if variant == "dropout":
                h = dropout(h, p, training=training, generator=mask_rng)
        out: Tensor = layers[-1](h)
        return out

    train, val = [], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = mse_loss(forward(x, True), y)
        if variant == "l2":
            # L_total = L + λ · ½ Σ w², on the weights (not the biases)
            loss = loss + lam * l2_penalty(weights)
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        with torch.no_grad():  # both losses without dropout and without the penalty: the error itself
            train.append(mse_loss(forward(x, False), y).item())
            val.append(mse_loss(forward(x_val, False), y_val).item())
    return {"train": train, "val": val}


@functools.cache
def overfitting_experiment(steps: int = 600, lam: float = 0.01, p: float = 0.3) -> dict[str, Any]:
    r"""Train one small MLP on 16 noisy points three times: plain, with an L2 penalty, with dropout.

    Setup: $x \sim \mathcal{U}(-1, 1)$, $y = x^2 + \varepsilon$ with
    $\varepsilon \sim \mathcal{N}(0, 0.3^2)$; 16 training points and 500 validation
    points (seed 0). The network is ``Linear(1, 64)``, ReLU, ``Linear(64, 64)``, ReLU,
    ``Linear(64, 1)`` (4,353 parameters, the same initial weights in every run), trained
    full-batch with Adam (learning rate 0.01) on the mean squared error. ``"l2"`` adds
    $\lambda \cdot \frac12 \sum w^2$ over the three weight matrices; ``"dropout"`` applies
    inverted dropout with probability `p` after each hidden ReLU. After every step both
    errors are measured without dropout and without the penalty. The noise's variance,
    0.09, is the smallest validation error any model can reach on average.

    Args:
        steps: Training steps. Defaults to 600.
        lam: $\lambda$ of the L2 variant. Defaults to 0.01.
        p: The dropout variant's drop probability. Defaults to 0.3.

    Returns:
        ``{"none": run, "l2": run, "dropout": run, "noise_variance": 0.09}``, each ``run`` a dict
        ``{"train": [...], "val": [...]}`` of per-step mean squared errors (floats).

    Examples:
        >>> from dlref.experiments import overfitting_experiment
        >>> run = overfitting_experiment()["none"]
        >>> run["train"][-1] < 0.02 and run["val"][-1] > 2 * min(run["val"])
        True
    """
    with _one_thread():
        runs: dict[str, Any] = {variant: _overfit_run(variant, steps, lam, p) for variant in OVERFIT_VARIANTS}
    runs["noise_variance"] = 0.3**2
    return runs


def _lasso_ista(X: Tensor, y: Tensor, lam: float, w: Tensor, iterations: int) -> Tensor:
    """Minimise (1/2n)‖Xw − y‖² + λ‖w‖₁ by proximal gradient descent (ISTA), from w."""
    n = X.shape[0]
    # step 1/L, L = largest eigenvalue of XᵀX/n, the gradient's Lipschitz constant
    step = 1.0 / torch.linalg.eigvalsh(X.T @ X / n).max()
    for _ in range(iterations):
        grad = X.T @ (X @ w - y) / n
        v = w - step * grad
        # prox of step·λ‖·‖₁: soft thresholding, w = sign(v) max(|v| − step·λ, 0)
        w = torch.sign(v) * torch.clamp(v.abs() - step * lam, min=0.0)
    return w


@functools.cache
def penalty_paths_experiment() -> dict[str, Tensor]:
    r"""Linear-regression weights as the penalty grows: the L2 (ridge) path and the L1 (lasso) path.

    Setup: 100 samples of 8 standard-normal features (seed 0), the true weights
    $w^* = (3, -2, 0, 0, 1.5, 0, 0, 0)$ and $y = Xw^* + \mathcal{N}(0, 1)$. For 40 values of
    $\lambda$ from $10^{-3}$ to $10^{1}$ (log-spaced) it minimises
    $\frac{1}{2n}\lVert Xw - y\rVert^2 + \lambda R(w)$ with $R = \frac12\lVert w\rVert_2^2$,
    in closed form $w = (X^\top X/n + \lambda I)^{-1} X^\top y / n$, and with
    $R = \lVert w\rVert_1$ by proximal gradient descent (soft thresholding, 500 steps per
    $\lambda$, warm-started from the previous $\lambda$). The L2 weights shrink smoothly and
    stay non-zero; the L1 weights become exactly 0 one after the other.

    Returns:
        ``{"lambdas": (40,), "l2": (40, 8), "l1": (40, 8), "true": (8,)}``, float64 tensors.

    Examples:
        >>> from dlref.experiments import penalty_paths_experiment
        >>> paths = penalty_paths_experiment()
        >>> bool((paths["l2"] != 0).all()), int((paths["l1"][-1] == 0).sum())
        (True, 8)
    """
    with _one_thread():
        return _penalty_paths()


def _penalty_paths() -> dict[str, Tensor]:
    g = torch.Generator().manual_seed(0)
    true = torch.tensor([3.0, -2.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0], dtype=torch.float64)
    X = torch.randn(100, 8, generator=g, dtype=torch.float64)  # (n, features)
    y = X @ true + torch.randn(100, generator=g, dtype=torch.float64)
    n = X.shape[0]
    lambdas = torch.logspace(-3, 1, 40, dtype=torch.float64)
    l2_rows, l1_rows = [], []
    w = torch.zeros(8, dtype=torch.float64)
    for lam in lambdas.tolist():
        # ridge: w = (XᵀX/n + λI)⁻¹ Xᵀy/n
        l2_rows.append(torch.linalg.solve(X.T @ X / n + lam * torch.eye(8, dtype=torch.float64), X.T @ y / n))
        w = _lasso_ista(X, y, lam, w, 500)
        l1_rows.append(w)
    return {"lambdas": lambdas, "l2": torch.stack(l2_rows), "l1": torch.stack(l1_rows), "true": true}


def _circles(n: int, g: torch.Generator) -> tuple[Tensor, Tensor]:
    """Two noisy concentric rings (radius 1 and 2) in the plane: (n, 2) points and (n,) labels."""
    y = torch.randint(0, 2, (n,), generator=g)
    radius = 1.0 + y.double() + 0.25 * torch.randn(n, generator=g, dtype=torch.float64)
    angle = torch.rand(n, generator=g, dtype=torch.float64) * 2 * math.pi
    return torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1), y


def _mlp(batch_norm: bool) -> nn.Sequential:
    """Six Linear(·, 32) + ReLU layers (each Linear followed by BatchNorm1d(32) if asked) and a Linear(32, 2) head."""
    layers: list[nn.Module] = []
    width_in = 2
    for _ in range(6):
        layers.append(nn.Linear(width_in, 32, dtype=torch.float64))
        if batch_norm:
            layers.append(BatchNorm1d(32, dtype=torch.float64))
        layers.append(nn.ReLU())
        width_in = 32
    layers.append(nn.Linear(32, 2, dtype=torch.float64))
    return nn.Sequential(*layers)


def _loss_variation(net: nn.Module, loss_fn: Callable[[], Tensor], lr: float) -> float:
    """max − min of the loss at w − k·lr·∇L for k in (0.5, 1, 2, 4): how far the gradient stays a good guide.

    Santurkar et al. (2018) measure the same spread along the gradient. The parameters
    and running statistics are restored afterwards.
    """
    state = {k: v.clone() for k, v in net.state_dict().items()}
    params = dict(net.named_parameters())
    grads = {name: p.grad.clone() for name, p in params.items() if p.grad is not None}
    losses = []
    for k in (0.5, 1.0, 2.0, 4.0):
        with torch.no_grad():
            for name, grad in grads.items():
                params[name].copy_(state[name] - k * lr * grad)  # w − k η ∇L
            losses.append(loss_fn().item())
    net.load_state_dict(state)
    return max(losses) - min(losses)


def _batchnorm_run(batch_norm: bool, lr: float, steps: int, measure_variation: bool) -> dict[str, Any]:
    g = torch.Generator().manual_seed(0)
    x, y = _circles(512, g)
    with _seeded(0):
        net = _mlp(batch_norm)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    batches = torch.Generator().manual_seed(1)
    losses, variation = [], []
    for step in range(steps):
        idx = torch.randint(0, 512, (32,), generator=batches)  # a mini-batch of 32
        optimizer.zero_grad()
        loss = cross_entropy(net(x[idx]), y[idx])
        loss.backward()  # type: ignore[no-untyped-call]
        if measure_variation and step % 10 == 0:
            x_batch, y_batch = x[idx], y[idx]
            variation.append(_loss_variation(net, lambda: cross_entropy(net(x_batch), y_batch), lr))  # noqa: B023
        optimizer.step()
        losses.append(loss.item())
    net.eval()  # evaluate with the running statistics
    with torch.no_grad():
        logits = net(x)
        final = cross_entropy(logits, y).item()
        accuracy = (logits.argmax(dim=1) == y).double().mean().item()
    return {"loss": losses, "final_loss": final, "accuracy": accuracy, "variation": variation}


@functools.cache
def batchnorm_experiment(steps: int = 150) -> dict[str, Any]:
    r"""Train the same deep MLP with and without batch norm at five learning rates.

    Setup: 512 points of two noisy concentric rings in the plane (radius 1 and 2, noise
    0.25, seed 0); an MLP of six ``Linear(·, 32)`` + ReLU layers and a ``Linear(32, 2)``
    head (PyTorch's default initialization, the same weights for every run), with or
    without a [BatchNorm1d][dlref.norm.BatchNorm1d] after each hidden ``Linear``; plain
    SGD on cross-entropy, mini-batches of 32 drawn with one seed, `steps` steps, learning
    rates 0.03, 0.1, 0.3, 1 and 3. After training the network is put in evaluation
    mode and scored on all 512 points. At learning rate 0.3, where both versions train,
    every 10th step also measures the *loss variation* along the gradient: the spread
    (max − min) of the mini-batch loss at $w - k\,\eta\,\nabla L$ for
    $k \in \{0.5, 1, 2, 4\}$, as Santurkar et al. (2018) do.

    Args:
        steps: SGD steps per run. Defaults to 150.

    Returns:
        ``{"lrs": (0.03, ...), "runs": {(batch_norm, lr): run}, "majority": float}`` (the accuracy of
        always predicting the more frequent class) with ``run`` =
        ``{"loss": [...] (per-step mini-batch loss), "final_loss": float, "accuracy": float,
        "variation": [...] (only at lr 0.3, else empty)}``.

    References:
        S. Santurkar, D. Tsipras, A. Ilyas, A. Madry, "How Does Batch Normalization Help
        Optimization?", NeurIPS 2018 (<https://arxiv.org/abs/1805.11604>).

    Examples:
        >>> from dlref.experiments import batchnorm_experiment
        >>> runs = batchnorm_experiment()["runs"]
        >>> runs[True, 1.0]["accuracy"] > 0.9 > 0.6 > runs[False, 1.0]["accuracy"]
        True
    """
    with _one_thread():
        runs = {(bn, lr): _batchnorm_run(bn, lr, steps, measure_variation=lr == 0.3)
                for bn in (False, True) for lr in BATCHNORM_LRS}
    _, labels = _circles(512, torch.Generator().manual_seed(0))
    # the accuracy of always predicting the more frequent class
    majority = max(labels.double().mean().item(), 1 - labels.double().mean().item())
    return {"lrs": BATCHNORM_LRS, "runs": runs, "majority": majority}


def _skewness(x: Tensor) -> float:
    r"""The sample skewness $\frac1n \sum (x - \bar x)^3 / \sigma^3$ of a 1-D tensor (0 for a symmetric sample)."""
    centered = x - x.mean()
    # g₁ = mean((x − x̄)³) / mean((x − x̄)²)^{3/2}
    return float((centered**3).mean() / (centered**2).mean() ** 1.5)


@functools.cache
def scaling_experiment() -> dict[str, Any]:
    r"""A skewed feature before and after min-max and z-score scaling, and 2-D points before and after L2 normalization.

    Setup (seed 0): 2,000 values of a log-normal feature, $x = e^{z}$ with
    $z \sim \mathcal{N}(10, 0.5^2)$ (an income-like, right-skewed feature), scaled by
    [MinMaxScaler][dlref.norm.MinMaxScaler] and [StandardScaler][dlref.norm.StandardScaler]
    fitted on it; and 200 points of a 2-D normal with mean $(3, 1)$ and standard deviations
    $(1.5, 0.5)$, each divided by its $L_2$ norm with [normalize][dlref.norm.normalize].
    Both scalers are affine maps $x \mapsto a x + b$ with $a > 0$, so they move and stretch
    the histogram without changing its shape: the skewness is the same before and after.

    Returns:
        ``{"raw": (2000,), "minmax": (2000,), "zscore": (2000,), "skewness": {name: float},
        "points": (200, 2), "unit": (200, 2)}``.

    Examples:
        >>> from dlref.experiments import scaling_experiment
        >>> s = scaling_experiment()["skewness"]
        >>> round(s["raw"], 6) == round(s["minmax"], 6) == round(s["zscore"], 6)
        True
    """
    g = torch.Generator().manual_seed(0)
    # x = exp(z), z ~ N(10, 0.5²): log-normal, right-skewed
    raw = torch.exp(10 + 0.5 * torch.randn(2000, generator=g, dtype=torch.float64))
    minmax = MinMaxScaler().fit_transform(raw[:, None])[:, 0]
    zscore = StandardScaler().fit_transform(raw[:, None])[:, 0]
    mean = torch.tensor([3.0, 1.0], dtype=torch.float64)
    std = torch.tensor([1.5, 0.5], dtype=torch.float64)
    points = mean + std * torch.randn(200, 2, generator=g, dtype=torch.float64)  # (N, 2)
    values = {"raw": raw, "minmax": minmax, "zscore": zscore}
    return {**values, "skewness": {name: _skewness(v) for name, v in values.items()},
            "points": points, "unit": normalize(points, p=2.0, dim=1)}
