r"""Focal losses: cross-entropy down-weighted on the examples a model already gets right.

Scope: `sigmoid_focal_loss` (RetinaNet's binary form, torchvision's semantics) and
`softmax_focal_loss` (the multi-class form). Each multiplies a cross-entropy from
`dlref.losses` by $(1 - p_t)^\gamma$: the sigmoid form builds on
[binary_cross_entropy_with_logits][dlref.losses.binary_cross_entropy_with_logits],
the softmax form on [cross_entropy][dlref.losses.cross_entropy]. The detection
losses QFL and VFL (`dlref.losses.dense_detection`) extend the same idea to soft
targets. The docs page `losses` (`/losses/`) teaches them.

Sources: Lin et al. (2017), the course notes (focal loss), and torchvision's
`sigmoid_focal_loss`, whose arguments, defaults and reduction are mirrored.

Deliberate difference (tested): both losses floor $1 - p_t$ at the smallest normal
float, so their gradients stay finite for $0 < \gamma < 1$ at saturated logits,
where the reference formula gives NaN; values are unaffected (the floor only acts
where the loss underflows).
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_int, check_real
from dlref.losses._common import (
    check_class_index,
    check_class_input,
    check_class_weight,
    check_pair,
    check_reduction,
    reduce,
)
from dlref.losses.cross_entropy_family import binary_cross_entropy_with_logits, cross_entropy

__all__ = ["sigmoid_focal_loss", "softmax_focal_loss"]


def _floor_tiny(one_minus_p_t: Tensor) -> Tensor:
    """max(1 - p_t, smallest normal float): (1 - p_t)^γ then has a finite gradient for every γ >= 0."""
    return torch.clamp(one_minus_p_t, min=torch.finfo(one_minus_p_t.dtype).tiny)


def sigmoid_focal_loss(
    inputs: Tensor, targets: Tensor, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"
) -> Tensor:
    r"""Sigmoid focal loss of RetinaNet: binary cross-entropy down-weighted on easy examples.

    $$
    \ell_n = \alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_n, y_n), \qquad
    p_t = p\,y + (1 - p)(1 - y), \quad p = \sigma(x_n), \quad
    \alpha_t = \alpha\,y + (1 - \alpha)(1 - y)
    $$

    with $\alpha_t = 1$ when $\alpha < 0$, and $\mathrm{BCE}$ the unreduced
    [binary_cross_entropy_with_logits][dlref.losses.binary_cross_entropy_with_logits].
    $1 - p_t$ is computed as $p(1 - y) + \sigma(-x)\,y$, exact for saturated logits, and
    floored at the smallest normal float (see the module notes).
    Then `"none"` (default, as torchvision) returns $\ell$, `"mean"` averages, `"sum"`
    adds. With $\gamma = 0$ and $\alpha < 0$ it is exactly BCE with logits.

    Args:
        inputs: Logits $x$ (any real numbers).
        targets: Binary targets $y$ (0 or 1; soft values allowed), same shape as `inputs`.
        alpha: Weight of the positive class in (0, 1), or negative for no weighting. Defaults to 0.25.
        gamma: Focusing exponent $\gamma \ge 0$. Defaults to 2.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"none"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: $(*)$ by default; scalar if `reduction` is `"mean"` or `"sum"`.

    Returns:
        The (reduced) focal loss.

    Raises:
        TypeError: If `inputs` or `targets` is not a floating-point tensor, or `alpha` or `gamma` not a real number.
        ValueError: If the shapes differ, `gamma` is negative, or `reduction` is unknown.

    Torch counterpart: none in torch; `torchvision.ops.sigmoid_focal_loss` (same arguments and semantics).

    References:
        - Lin et al., [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002), ICCV 2017.
        - [torchvision.ops.sigmoid_focal_loss](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.sigmoid_focal_loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import sigmoid_focal_loss
        >>> sigmoid_focal_loss(torch.tensor([3.0, -1.0, 0.0]), torch.tensor([1.0, 0.0, 1.0]))
        tensor([2.7321e-05, 1.6994e-02, 4.3322e-02])
    """
    fn = "sigmoid_focal_loss"
    x, y = check_pair(fn, inputs, targets, names=("inputs", "targets"))
    alpha = check_real(fn, "alpha", alpha)
    gamma = check_real(fn, "gamma", gamma, low=0)
    reduction = check_reduction(fn, reduction)
    # BCE(x, y), elementwise, in its stable logits form
    ce = binary_cross_entropy_with_logits(x, y, reduction="none")
    # 1 - p_t = p(1 - y) + (1 - p)·y, with 1 - p = σ(-x)
    one_minus_p_t = torch.sigmoid(x) * (1 - y) + torch.sigmoid(-x) * y
    # ℓ = (1 - p_t)^γ · BCE(x, y)
    loss = _floor_tiny(one_minus_p_t) ** gamma * ce
    if alpha >= 0:
        # ℓ = α_t · ℓ, with α_t = α·y + (1 - α)·(1 - y)
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return reduce(loss, reduction)


def softmax_focal_loss(
    input: Tensor,
    target: Tensor,
    alpha: Tensor | None = None,
    gamma: float = 2.0,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Multi-class focal loss: cross-entropy down-weighted on well-classified examples.

    $$
    \ell_n = -\alpha_{y_n}\,(1 - p_{n, y_n})^{\gamma}\,\log p_{n, y_n},
    \qquad \log p = \operatorname{log\_softmax}(x)
    $$

    ($\ell_n = 0$ where $y_n$ is `ignore_index`; $\alpha_{y_n} = 1$ without `alpha`).
    $1 - p_{n, y_n}$ is computed as $-\operatorname{expm1}(\log p_{n, y_n})$, exact near 1,
    and floored at the smallest normal float (see the module notes).
    Then `"mean"` divides $\sum_n \ell_n$ by the number of non-ignored targets (not by
    $\sum \alpha_{y_n}$: $\alpha$ is a balancing factor, as in RetinaNet), `"sum"` adds,
    `"none"` returns $\ell$. With $\gamma = 0$ and no `alpha` it is
    [cross_entropy][dlref.losses.cross_entropy]; with $\gamma = 0$ and `alpha`
    its `"sum"` equals `cross_entropy(..., weight=alpha, reduction="sum")`.

    Args:
        input: Unnormalized logits $x$, class dimension second (first for a single sample).
        target: Class indices $y_n \in [0, C)$ (integer dtype) or `ignore_index`.
        alpha: Per-class weight $\alpha$ of shape $(C,)$. Defaults to None (1).
        gamma: Focusing exponent $\gamma \ge 0$. Defaults to 2.0.
        ignore_index: Target value that contributes nothing. Defaults to -100.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(C)$, $(N, C)$ or $(N, C, d_1, d_2, ..., d_K)$ with $K \geq 1$.
        - Target: $()$, $(N)$ or $(N, d_1, ..., d_K)$; each value in $[0, C)$.
        - Output: scalar; the target's shape if `reduction` is `"none"`.

    Returns:
        The (reduced) focal loss.

    Raises:
        TypeError: If `input` or `alpha` is not floating-point, `target` not an integer tensor,
            or `gamma` not a real number.
        ValueError: If a class index is out of range, a shape is wrong, `gamma` is negative,
            or `reduction` is unknown.

    Torch counterpart: none (torch and torchvision only have the sigmoid form).

    References:
        - Lin et al., [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002), ICCV 2017.

    Examples:
        >>> import torch
        >>> from dlref.losses import softmax_focal_loss
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> softmax_focal_loss(logits, torch.tensor([0, 1]), reduction="none")
        tensor([0.0485, 0.0086])
    """
    fn = "softmax_focal_loss"
    x = check_class_input(fn, input)
    ignore_index = check_int(fn, "ignore_index", ignore_index)
    t = check_class_index(fn, x, target, ignore_index)
    a = check_class_weight(fn, "alpha", alpha, x)
    gamma = check_real(fn, "gamma", gamma, low=0)
    reduction = check_reduction(fn, reduction)
    valid = t != ignore_index
    # -log p_t = cross-entropy of the target class (0 for an ignored target)
    ce = cross_entropy(x, t, ignore_index=ignore_index, reduction="none")
    # 1 - p_t = 1 - e^{log p_t} = -expm1(log p_t)
    one_minus_p_t = -torch.expm1(-ce)
    # ℓ_n = -α_{y_n} (1 - p_t)^γ log p_t
    loss = _floor_tiny(one_minus_p_t) ** gamma * ce
    if a is not None:
        loss = a[torch.where(valid, t, 0)] * loss
    # "mean" divides by the number of targets that are not ignored (not by Σ α)
    return reduce(torch.where(valid, loss, 0.0), reduction, valid.sum())
