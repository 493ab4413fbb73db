r"""The initialization chapter's experiments: the signal through a deep MLP, and symmetry that training never breaks.

[signal_propagation][dlref.experiments.signal_propagation] sends a batch forward
through a deep stack of ``Linear`` layers and a fixed random gradient back, and
measures, layer by layer, the standard deviation of the activations and the norm of
the back-propagated gradient. [init_signal_experiment][dlref.experiments.init_signal_experiment]
runs it for the chapter's eight cases: four initializations times tanh and ReLU.
[symmetry_experiment][dlref.experiments.symmetry_experiment] trains a one-hidden-layer
network from zero, constant and random weights and keeps its hidden weights. Every
weight is drawn with [dlref.init][dlref.init] from a seeded generator, in float64
(so that $\mathcal{N}(0, 1)$ weights with ReLU grow by $10^{50}$ without overflowing).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch
from torch import Tensor

from dlref import init
from dlref._checks import check_choice, check_int, check_real
from dlref.activations import relu, relu_derivative, tanh, tanh_derivative

__all__ = ["SIGNAL_INITS", "init_signal_experiment", "initializer_samples", "signal_propagation", "symmetry_experiment"]

SIGNAL_INITS: tuple[str, ...] = ("normal_0.01", "normal_1", "xavier", "kaiming")
"""The four initializations of the signature experiment: $\\mathcal{N}(0, 0.01^2)$, $\\mathcal{N}(0, 1)$,
Xavier normal (gain 1) and Kaiming normal (ReLU gain $\\sqrt 2$, fan-in)."""

_ACTIVATIONS = ("tanh", "relu")


@functools.cache
def initializer_samples() -> dict[str, dict[str, Any]]:
    r"""The values each random initializer of [dlref.init][dlref.init] draws for one ``nn.Linear(512, 256)`` weight.

    Every sample is a float64 weight of shape $(256, 512)$, so $\text{fan\_in} = 512$ and
    $\text{fan\_out} = 256$, filled from ``torch.Generator().manual_seed(0)``. Beside the
    values, each entry gives the law they follow and its parameters, computed from the
    formulas (not from the sample):

    - ``"law"``: ``"uniform"`` ($\mathcal{U}(-\text{bound}, \text{bound})$), ``"normal"``
      ($\mathcal{N}(0, \text{std}^2)$), ``"trunc_normal"`` ($\mathcal{N}(0, \sigma^2)$ cut at
      $\pm\text{bound}$), ``"orthogonal"`` (rows orthonormal, entries of variance $1/512$)
      or ``"sparse"`` ($\lceil 0.9 \cdot 256 \rceil = 231$ zeros per column, the rest $\mathcal{N}(0, \sigma^2)$);
    - ``"bound"``: the bound of a uniform or truncated law (``None`` otherwise);
    - ``"sigma"``: the $\sigma$ of a normal, truncated normal or sparse law (``None`` otherwise);
    - ``"std"``: the standard deviation of the values the law gives.

    Returns:
        ``{name: {"values": Tensor, "call": str, "law": str, "bound": float | None,
        "sigma": float | None, "std": float, "zeros": float}}`` (``"zeros"``: the fraction of exact
        zeros the law gives, 231/256 for ``sparse_``, 0 otherwise) for ``uniform_``,
        ``normal_``, ``trunc_normal_``, ``xavier_uniform_``, ``xavier_normal_``,
        ``kaiming_uniform_``, ``kaiming_normal_``, ``orthogonal_``, ``sparse_`` and
        ``default_init_`` (torch's ``nn.Linear`` default), in that order. Computed once per process.

    Examples:
        >>> from dlref.experiments import initializer_samples
        >>> s = initializer_samples()["kaiming_normal_"]
        >>> s["call"], s["std"], round(s["values"].std().item(), 4)
        ("kaiming_normal_(w, nonlinearity='relu')", 0.0625, 0.0624)
    """
    fan_in, fan_out = 512, 256
    g = torch.Generator().manual_seed(0)

    def w() -> Tensor:
        return torch.empty(fan_out, fan_in, dtype=torch.float64)

    def trunc_std(sigma: float, k: float) -> float:
        # Var = σ² (1 - 2k φ(k) / (2Φ(k) - 1)) for a normal cut at ±kσ
        pdf = math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
        mass = math.erf(k / math.sqrt(2))
        return sigma * math.sqrt(1 - 2 * k * pdf / mass)

    sigma_sparse, sparsity = 0.01, 0.9
    zeros = math.ceil(sparsity * fan_out) / fan_out  # the fraction of zeros sparse_ makes in each column
    # (name, call as written, values, law, bound, sigma, std)
    rows: list[tuple[str, str, Tensor, str, float | None, float | None, float]] = [
        ("uniform_", "uniform_(w, -0.1, 0.1)", init.uniform_(w(), -0.1, 0.1, generator=g),
         "uniform", 0.1, None, 0.1 / math.sqrt(3)),
        ("normal_", "normal_(w, 0, 0.05)", init.normal_(w(), 0.0, 0.05, generator=g), "normal", None, 0.05, 0.05),
        ("trunc_normal_", "trunc_normal_(w, std=0.05, a=-0.1, b=0.1)",
         init.trunc_normal_(w(), std=0.05, a=-0.1, b=0.1, generator=g),
         "trunc_normal", 0.1, 0.05, trunc_std(0.05, 2.0)),
        # bound = √(6 / (fan_in + fan_out))
        ("xavier_uniform_", "xavier_uniform_(w)", init.xavier_uniform_(w(), generator=g),
         "uniform", math.sqrt(6 / (fan_in + fan_out)), None, math.sqrt(2 / (fan_in + fan_out))),
        # std = √(2 / (fan_in + fan_out))
        ("xavier_normal_", "xavier_normal_(w)", init.xavier_normal_(w(), generator=g),
         "normal", None, math.sqrt(2 / (fan_in + fan_out)), math.sqrt(2 / (fan_in + fan_out))),
        # bound = √(6 / fan_in)
        ("kaiming_uniform_", "kaiming_uniform_(w, nonlinearity='relu')",
         init.kaiming_uniform_(w(), nonlinearity="relu", generator=g),
         "uniform", math.sqrt(6 / fan_in), None, math.sqrt(2 / fan_in)),
        # std = √(2 / fan_in)
        ("kaiming_normal_", "kaiming_normal_(w, nonlinearity='relu')",
         init.kaiming_normal_(w(), nonlinearity="relu", generator=g),
         "normal", None, math.sqrt(2 / fan_in), math.sqrt(2 / fan_in)),
        # a wide (256, 512) matrix with orthonormal rows: every row has norm 1, so E[w²] = 1/512
        ("orthogonal_", "orthogonal_(w)", init.orthogonal_(w(), generator=g),
         "orthogonal", None, None, math.sqrt(1 / fan_in)),
        # ⌈0.9 · 256⌉ = 231 zeros in each column, the rest N(0, 0.01²): Var = (1 - 231/256) · 0.01²
        ("sparse_", "sparse_(w, sparsity=0.9)", init.sparse_(w(), sparsity, generator=g),
         "sparse", None, sigma_sparse, sigma_sparse * math.sqrt(1 - zeros)),
        # bound = 1/√fan_in, variance 1/(3 fan_in)
        ("default_init_", "nn.Linear(512, 256) default", init.default_init_(w(), generator=g),
         "uniform", 1 / math.sqrt(fan_in), None, 1 / math.sqrt(3 * fan_in)),
    ]
    return {name: {"values": values, "call": call, "law": law, "bound": bound, "sigma": sigma, "std": std,
                   "zeros": zeros if law == "sparse" else 0.0}
            for name, call, values, law, bound, sigma, std in rows}


def _draw(weight: Tensor, scheme: str, generator: torch.Generator) -> Tensor:
    """Fill one (out, in) weight by the named scheme, with dlref.init."""
    if scheme == "normal_0.01":
        return init.normal_(weight, 0.0, 0.01, generator=generator)
    if scheme == "normal_1":
        return init.normal_(weight, 0.0, 1.0, generator=generator)
    if scheme == "xavier":
        # Var(w) = 2 / (fan_in + fan_out)  (Glorot & Bengio 2010, gain 1)
        return init.xavier_normal_(weight, generator=generator)
    # Var(w) = 2 / fan_in  (He et al. 2015)
    return init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)


def signal_propagation(
    init_name: str,
    activation: str,
    depth: int = 50,
    width: int = 256,
    batch: int = 256,
    seed: int = 0,
) -> dict[str, tuple[float, ...]]:
    r"""Activation standard deviation and back-propagated gradient norm, layer by layer, through a deep MLP.

    The network is $h_0 = x$, $z_l = h_{l-1} W_l^\top$, $h_l = f(z_l)$ for
    $l = 1, \dots, L$: square ``Linear`` layers without bias, each followed by
    $f$ = tanh or ReLU. The input rows are $\mathcal{N}(0, I)$. The backward pass
    starts from a fixed random gradient $g = \partial \mathcal{L} / \partial h_L$ with
    $\mathcal{N}(0, 1)$ entries, the same for every initialization, so only the
    network changes what reaches the early layers. It is written out by hand:

    $$
    \delta_l = \frac{\partial \mathcal{L}}{\partial z_l} = \frac{\partial \mathcal{L}}{\partial h_l} \odot f'(z_l),
    \qquad
    \frac{\partial \mathcal{L}}{\partial h_{l-1}} = \delta_l W_l .
    $$

    Args:
        init_name: One of [SIGNAL_INITS][dlref.experiments.SIGNAL_INITS]: ``"normal_0.01"``, ``"normal_1"``,
            ``"xavier"`` (Xavier normal, gain 1) or ``"kaiming"`` (Kaiming normal, ReLU gain, fan-in).
        activation: ``"tanh"`` or ``"relu"``.
        depth: Number of layers $L$. Defaults to 50.
        width: Units per layer (and input features). Defaults to 256.
        batch: Rows of the input. Defaults to 256.
        seed: Seed of the generator that draws the input, the weights (layer 1 first) and $g$. Defaults to 0.

    Returns:
        ``{"activation_std": (std(h_1), ..., std(h_L)), "gradient_norm": (‖δ_1‖, ..., ‖δ_L‖)}``: the
        standard deviation over all entries of each layer's output, and the Frobenius norm of
        each layer's gradient at its pre-activation (all floats, float64 arithmetic).

    Raises:
        ValueError: If `init_name` or `activation` is unknown, or a size is below 1.

    References:
        - Glorot & Bengio, [Understanding the difficulty of training deep feedforward neural
          networks](https://proceedings.mlr.press/v9/glorot10a.html), AISTATS 2010 (their Figures 3–7).
        - He et al., [Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852), ICCV 2015, §2.2.

    Examples:
        >>> from dlref.experiments import signal_propagation
        >>> run = signal_propagation("kaiming", "relu", depth=10, width=64, batch=64)
        >>> [round(s, 2) for s in run["activation_std"][:3]]
        [0.84, 0.86, 0.8]
    """
    fn = "signal_propagation"
    init_name = check_choice(fn, "init_name", init_name, SIGNAL_INITS)
    activation = check_choice(fn, "activation", activation, _ACTIVATIONS)
    depth = check_int(fn, "depth", depth, low=1)
    width = check_int(fn, "width", width, low=1)
    batch = check_int(fn, "batch", batch, low=1)
    f, f_prime = (tanh, tanh_derivative) if activation == "tanh" else (relu, relu_derivative)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=g, dtype=torch.float64)  # (N, width)
    weights = [_draw(torch.empty(width, width, dtype=torch.float64), init_name, g) for _ in range(depth)]
    upstream = torch.randn(batch, width, generator=g, dtype=torch.float64)  # ∂L/∂h_L, (N, width)

    # forward: z_l = h_{l-1} W_l^T, h_l = f(z_l)
    h, zs, stds = x, [], []
    for w in weights:
        z = h @ w.T
        h = f(z)
        zs.append(z)
        stds.append(h.std().item())

    # backward: δ_l = ∂L/∂h_l ⊙ f'(z_l), ∂L/∂h_{l-1} = δ_l W_l
    grad_h, norms = upstream, [0.0] * depth
    for layer in reversed(range(depth)):
        delta = grad_h * f_prime(zs[layer])
        norms[layer] = delta.norm().item()
        grad_h = delta @ weights[layer]
    return {"activation_std": tuple(stds), "gradient_norm": tuple(norms)}


@functools.cache
def init_signal_experiment() -> dict[tuple[str, str], dict[str, tuple[float, ...]]]:
    r"""The signature experiment: [signal_propagation][dlref.experiments.signal_propagation], 4 inits × 2 activations.

    Every case uses the defaults (50 layers of width 256, a batch of 256, seed 0), so the
    input and the upstream gradient are the same across the eight runs. Computed once per
    process.

    Returns:
        ``{(init_name, activation): {"activation_std": (...), "gradient_norm": (...)}}`` for
        ``init_name`` in [SIGNAL_INITS][dlref.experiments.SIGNAL_INITS] and ``activation`` in ``("tanh", "relu")``.

    Examples:
        >>> from dlref.experiments import init_signal_experiment
        >>> run = init_signal_experiment()
        >>> run["normal_0.01", "relu"]["activation_std"][-1] < 1e-40
        True
    """
    return {(name, act): signal_propagation(name, act) for name in SIGNAL_INITS for act in _ACTIVATIONS}


def symmetry_experiment(
    weights: str,
    steps: int = 500,
    lr: float = 0.1,
    hidden: int = 4,
    seed: int = 0,
) -> dict[str, Any]:
    r"""Train a one-hidden-layer tanh network from zero, constant or random weights; keep its hidden weights.

    The network is $\hat y = \tanh(X W_1^\top + b_1) W_2^\top + b_2$ with 3 inputs, `hidden`
    tanh units and 1 output, trained by full-batch gradient descent on the mean squared
    error, on 64 fixed points with target $y = \sin(2 x_1) + x_2 x_3$ (seeded). The
    biases start at 0; the weights $W_1, W_2$ start

    - ``"zeros"``: all 0;
    - ``"constant"``: all 0.5;
    - ``"random"``: Xavier normal (gain 5/3, the tanh gain), from the generator.

    Starting from equal weights, every hidden unit computes the same function and
    receives the same gradient, so the rows of $W_1$ (one per hidden unit) stay equal
    forever, although each row's entries differ from one another once training moves them.

    Args:
        weights: ``"zeros"``, ``"constant"`` or ``"random"``.
        steps: Gradient-descent steps. Defaults to 500.
        lr: Learning rate. Defaults to 0.1.
        hidden: Hidden units. Defaults to 4.
        seed: Seed for the data and the random weights. Defaults to 0.

    Returns:
        ``{"W1": (hidden, 3) tensor after training, "W2": (1, hidden) tensor, "loss": (first, last)
        training loss, "unit_spread": max over units i of max |W1[i] - W1[0]|, "W1_history":
        (steps + 1, hidden, 3) tensor of W1 before each step and after the last}`` (float64).

    Raises:
        ValueError: If `weights` is unknown, `steps` or `hidden` is below 1, or `lr` is not positive.

    Examples:
        >>> from dlref.experiments import symmetry_experiment
        >>> symmetry_experiment("constant", steps=20)["unit_spread"]
        0.0
    """
    fn = "symmetry_experiment"
    weights = check_choice(fn, "weights", weights, ("zeros", "constant", "random"))
    steps = check_int(fn, "steps", steps, low=1)
    lr = check_real(fn, "lr", lr, low=0, low_open=True)
    hidden = check_int(fn, "hidden", hidden, low=1)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 3, generator=g, dtype=torch.float64)  # (N, 3)
    # y = sin(2 x_1) + x_2 x_3
    y = torch.sin(2 * x[:, :1]) + x[:, 1:2] * x[:, 2:3]  # (N, 1)
    w1 = torch.empty(hidden, 3, dtype=torch.float64)
    w2 = torch.empty(1, hidden, dtype=torch.float64)
    for w in (w1, w2):
        if weights == "zeros":
            init.zeros_(w)
        elif weights == "constant":
            init.constant_(w, 0.5)
        else:
            init.xavier_normal_(w, gain=init.calculate_gain("tanh"), generator=g)
    b1 = torch.zeros(hidden, dtype=torch.float64)
    b2 = torch.zeros(1, dtype=torch.float64)
    params = [p.requires_grad_() for p in (w1, b1, w2, b2)]
    losses, history = [], []
    for _ in range(steps + 1):
        history.append(w1.detach().clone())
        # ŷ = tanh(X W1^T + b1) W2^T + b2, loss = mean (ŷ - y)²
        loss = ((tanh(x @ w1.T + b1) @ w2.T + b2 - y) ** 2).mean()
        losses.append(loss.item())
        if len(losses) > steps:
            break
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, grad in zip(params, grads, strict=True):
                # θ ← θ - lr · ∂L/∂θ
                p -= lr * grad
    w1, w2 = w1.detach(), w2.detach()
    spread = (w1 - w1[0]).abs().max().item()
    return {"W1": w1, "W2": w2, "loss": (losses[0], losses[-1]), "unit_spread": spread,
            "W1_history": torch.stack(history)}
