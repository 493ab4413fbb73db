r"""The backprop chapter's experiments: the gradient of each layer of a deep MLP, and what the remedies change.

[gradient_flow][dlref.experiments.gradient_flow] sends a batch through a deep stack of
square ``Linear`` layers, back-propagates a fixed random gradient with `torch.autograd`,
and returns the norm of each layer's weight gradient $\lVert \partial \mathcal{L} /
\partial W_l \rVert$, the quantity an optimizer scales into a step. Its switches add the
remedies for vanishing and exploding gradients one at a time: another activation or
initialization, batch normalization, residual connections, gradient clipping.
[vanishing_gradient_experiment][dlref.experiments.vanishing_gradient_experiment] and
[gradient_remedies_experiment][dlref.experiments.gradient_remedies_experiment] run the
chapter's cases. The weights use the initialization chapter's four schemes
([SIGNAL_INITS][dlref.experiments.SIGNAL_INITS]), drawn with [dlref.init][dlref.init] from a
seeded generator; everything is float64, so gradients of $10^{-50}$ or $10^{25}$ stay finite.
"""

from __future__ import annotations

import functools
from typing import Any

import torch

from dlref._checks import check_bool, check_choice, check_int, check_real
from dlref.activations import relu, sigmoid, tanh
from dlref.autograd import clip_grad_norm_
from dlref.experiments.init_signal import SIGNAL_INITS, _draw
from dlref.norm import batch_norm

__all__ = ["gradient_flow", "gradient_remedies_experiment", "vanishing_gradient_experiment"]

_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu}


def gradient_flow(
    activation: str,
    init_name: str,
    depth: int = 30,
    width: int = 64,
    batch: int = 64,
    normalization: bool = False,
    residual: bool = False,
    max_norm: float | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    r"""The norm of each layer's weight gradient in a deep MLP, with or without the usual remedies.

    The network is $h_0 = x$ and, for $l = 1, \dots, L$,

    $$
    z_l = h_{l-1} W_l^\top \ (\text{then } z_l \leftarrow \mathrm{BN}(z_l) \text{ if normalization}), \qquad
    h_l = f(z_l) \ \text{ or, residual, } \ h_l = h_{l-1} + f(z_l),
    $$

    with square bias-free layers and $f$ = sigmoid, tanh or ReLU. The input rows are
    $\mathcal{N}(0, I)$. The loss is $\mathcal{L} = \sum h_L \odot G$ for a fixed random
    $G$ with $\mathcal{N}(0, 1)$ entries, so $\partial \mathcal{L} / \partial h_L = G$ is
    the same whatever the network. Batch normalization (dlref's
    [batch_norm][dlref.norm.batch_norm], training mode, no affine parameters) standardizes
    each unit over the batch. With `max_norm`, [clip_grad_norm_][dlref.autograd.clip_grad_norm_]
    rescales all the weight gradients together after the backward pass.

    Args:
        activation: ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
        init_name: One of [SIGNAL_INITS][dlref.experiments.SIGNAL_INITS]: ``"normal_0.01"``,
            ``"normal_1"``, ``"xavier"`` (Xavier normal, gain 1) or ``"kaiming"`` (Kaiming
            normal, ReLU gain, fan-in).
        depth: Number of layers $L$. Defaults to 30.
        width: Units per layer (and input features). Defaults to 64.
        batch: Rows of the input. Defaults to 64.
        normalization: Batch-normalize every pre-activation. Defaults to False.
        residual: Add each layer's input to its output. Defaults to False.
        max_norm: Clip the total gradient norm to this value. Defaults to None, no clipping.
        seed: Seed of the generator that draws the input, the weights (layer 1 first) and
            $G$. Defaults to 0.

    Returns:
        ``{"gradient_norm": (‖∂L/∂W_1‖, ..., ‖∂L/∂W_L‖), "total_norm": float}``: the Frobenius
        norm of each layer's weight gradient (after clipping, if any), and the total norm of
        all of them before clipping.

    Raises:
        TypeError: If a size is not an int or a switch not a bool.
        ValueError: If `activation` or `init_name` is unknown, a size is below 1, or
            `max_norm` is negative.

    References:
        - Glorot & Bengio, [Understanding the difficulty of training deep feedforward neural
          networks](https://proceedings.mlr.press/v9/glorot10a.html), AISTATS 2010.
        - Pascanu, Mikolov & Bengio, [On the difficulty of training recurrent neural
          networks](https://proceedings.mlr.press/v28/pascanu13.html), ICML 2013.

    Examples:
        >>> from dlref.experiments import gradient_flow
        >>> run = gradient_flow("sigmoid", "xavier", depth=10)
        >>> [f"{n:.1e}" for n in run["gradient_norm"][:2]], f"{run['gradient_norm'][-1]:.1f}"
        (['2.4e-04', '9.1e-04'], '57.2')
    """
    fn = "gradient_flow"
    activation = check_choice(fn, "activation", activation, tuple(_ACTIVATIONS))
    init_name = check_choice(fn, "init_name", init_name, SIGNAL_INITS)
    depth = check_int(fn, "depth", depth, low=1)
    width = check_int(fn, "width", width, low=1)
    batch = check_int(fn, "batch", batch, low=1)
    check_bool(fn, "normalization", normalization)
    check_bool(fn, "residual", residual)
    if max_norm is not None:
        check_real(fn, "max_norm", max_norm, low=0)
    f = _ACTIVATIONS[activation]
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=g, dtype=torch.float64)  # (N, width)
    weights = [_draw(torch.empty(width, width, dtype=torch.float64), init_name, g).requires_grad_()
               for _ in range(depth)]
    upstream = torch.randn(batch, width, generator=g, dtype=torch.float64)  # G = ∂L/∂h_L, (N, width)

    h = x
    for w in weights:
        # z_l = h_{l-1} W_lᵀ   (N, width)
        z = h @ w.T
        if normalization:
            # z ← (z - mean over the batch) / sqrt(var over the batch + eps), per unit
            z = batch_norm(z, None, None, training=True)
        # h_l = f(z_l), or h_{l-1} + f(z_l) with a residual connection
        h = h + f(z) if residual else f(z)
    # L = Σ h_L ⊙ G, so that ∂L/∂h_L = G
    grads = torch.autograd.grad((h * upstream).sum(), weights)
    # the total norm: the 2-norm of every weight-gradient entry together
    total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(gr) for gr in grads])).item()
    if max_norm is not None:
        for w, gr in zip(weights, grads, strict=True):
            w.grad = gr
        # every gradient times min(1, max_norm / total), in place
        clip_grad_norm_(weights, max_norm)
    return {"gradient_norm": tuple(torch.linalg.vector_norm(gr).item() for gr in grads), "total_norm": total}


_VANISHING_CASES: tuple[tuple[str, str], ...] = (
    ("sigmoid", "normal_0.01"), ("sigmoid", "normal_1"), ("sigmoid", "xavier"),
    ("tanh", "normal_0.01"), ("tanh", "normal_1"), ("tanh", "xavier"),
    ("relu", "normal_0.01"), ("relu", "normal_1"), ("relu", "kaiming"),
)


@functools.cache
def vanishing_gradient_experiment() -> dict[tuple[str, str], tuple[float, ...]]:
    r"""The chapter's figure: [gradient_flow][dlref.experiments.gradient_flow] for 3 activations × 3 initializations.

    Each activation runs with weights that are too small ($\mathcal{N}(0, 0.01^2)$), too
    large ($\mathcal{N}(0, 1)$) and scaled by the usual rule (Xavier for sigmoid and tanh,
    Kaiming for ReLU), with the defaults (30 layers of width 64, a batch of 64, seed 0),
    no normalization, no residual connections, no clipping. Computed once per process.

    Returns:
        ``{(activation, init_name): (‖∂L/∂W_1‖, ..., ‖∂L/∂W_30‖)}``, in the order
        sigmoid, tanh, ReLU, each with ``"normal_0.01"``, ``"normal_1"``, then its rule.

    Examples:
        >>> from dlref.experiments import vanishing_gradient_experiment
        >>> run = vanishing_gradient_experiment()
        >>> run["sigmoid", "xavier"][0] / run["sigmoid", "xavier"][-1] < 1e-15
        True
    """
    return {case: gradient_flow(*case)["gradient_norm"] for case in _VANISHING_CASES}


@functools.cache
def gradient_remedies_experiment() -> dict[str, dict[str, Any]]:
    r"""The chapter's remedies: one vanishing baseline, each remedy applied to it alone.

    The baseline is [gradient_flow][dlref.experiments.gradient_flow]`("sigmoid",
    "normal_0.01")`: 30 sigmoid layers with $\mathcal{N}(0, 0.01^2)$ weights. Each other
    case changes one thing (two for ``"relu_kaiming"``, since ReLU needs its own
    initialization): ``"relu"`` (ReLU, same small weights), ``"relu_kaiming"`` (ReLU with
    Kaiming weights), ``"xavier"`` (sigmoid, Xavier weights), ``"batch_norm"``
    (normalization), ``"residual"`` (residual connections) and ``"clip"`` (clipping the
    total norm to 1). Computed once per process.

    Returns:
        ``{case: {"gradient_norm": (...), "total_norm": float}}`` for the cases above,
        baseline first.

    Examples:
        >>> from dlref.experiments import gradient_remedies_experiment
        >>> run = gradient_remedies_experiment()
        >>> list(run)
        ['baseline', 'relu', 'relu_kaiming', 'xavier', 'batch_norm', 'residual', 'clip']
    """
    return {
        "baseline": gradient_flow("sigmoid", "normal_0.01"),
        "relu": gradient_flow("relu", "normal_0.01"),
        "relu_kaiming": gradient_flow("relu", "kaiming"),
        "xavier": gradient_flow("sigmoid", "xavier"),
        "batch_norm": gradient_flow("sigmoid", "normal_0.01", normalization=True),
        "residual": gradient_flow("sigmoid", "normal_0.01", residual=True),
        "clip": gradient_flow("sigmoid", "normal_0.01", max_norm=1.0),
    }
