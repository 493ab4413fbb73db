r"""Dense-detection losses: GIoU for box regression, and the Generalized Focal Loss family.

Scope: the GIoU loss of box regression, and the three losses that one-stage
detectors (GFL, VarifocalNet) use for IoU-aware classification and for box sides
as distributions: Quality Focal Loss (QFL), Varifocal Loss (VFL) and Distribution
Focal Loss (DFL). The overlap measures themselves, `box_iou` and
`generalized_box_iou`, are in `dlref.boxes`. The docs page `losses` (`/losses/`)
teaches them.

Sources: the paper linked from each function; for the GIoU loss, torchvision's
`generalized_box_iou_loss`, whose arguments, defaults and edge cases are mirrored;
for QFL, DFL and VFL, the authors' mmdetection implementations, which these match
elementwise.

Conventions:

- Boxes are $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$ and $y_1 \le y_2$, checked as in `dlref.boxes`.
- QFL and VFL take logits and use
  [binary_cross_entropy_with_logits][dlref.losses.binary_cross_entropy_with_logits],
  so logits of $\pm 10^4$ give finite values and gradients.
- Every loss takes `reduction` in `"none"`, `"mean"` or `"sum"`; `"none"` keeps the
  elementwise (or per-box) shape.

Deliberate differences (each one is tested):

- `quality_focal_loss` and `varifocal_loss` take a dense `target_score` shaped like
  `pred`; mmdetection takes `(labels, scores)` and builds the same tensor. mmdetection
  writes VFL's negative weight as $\alpha|p - q|^\gamma$, so only the gradient with
  respect to a zero target differs.
- `distribution_focal_loss` accepts $y = n$ (see its docstring); mmdetection clamps
  regression targets to $n - 0.01$ before calling it.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_real, check_same_shape, check_tensor, check_values, fail
from dlref.activations import log_softmax
from dlref.boxes import _check_boxes
from dlref.losses._common import check_pair, check_reduction, reduce
from dlref.losses.cross_entropy_family import binary_cross_entropy_with_logits

__all__ = ["distribution_focal_loss", "generalized_box_iou_loss", "quality_focal_loss", "varifocal_loss"]


def generalized_box_iou_loss(boxes1: Tensor, boxes2: Tensor, reduction: str = "none", eps: float = 1e-7) -> Tensor:
    r"""GIoU loss between matching boxes: one minus their generalized IoU.

    $$
    \ell_i = 1 - \left(\frac{|A_i \cap B_i|}{|A_i \cup B_i| + \epsilon}
        - \frac{|C_i| - |A_i \cup B_i|}{|C_i| + \epsilon}\right)
    $$

    for the pair $A_i$ = `boxes1[i]`, $B_i$ = `boxes2[i]`, with $C_i$ their smallest
    enclosing box. $\epsilon$ keeps zero-area boxes finite; with $\epsilon = 0$ this is
    $1 - \mathrm{GIoU}$, so $\ell_i \in [0, 2]$. The gradient does not vanish for
    disjoint boxes, which is why it replaced IoU-based losses for box regression.
    With `reduction="none"` (the default, as in torchvision) $\ell$ is returned,
    with `"mean"` its mean (0 for empty input, as in torchvision) and with `"sum"` its sum.

    Args:
        boxes1: Predicted boxes $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$, $y_1 \le y_2$.
        boxes2: Target boxes in the same format, matched one to one with `boxes1`.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"none"`.
        eps: $\epsilon \ge 0$ added to denominators. Defaults to 1e-7.

    Shape:
        - boxes1: $(*, 4)$, usually $(N, 4)$. boxes2: same shape.
        - Output: $(*)$ if `reduction` is `"none"`, else scalar.

    Returns:
        The loss (float32 for half-precision boxes).

    Raises:
        TypeError: If a box tensor is not floating point.
        ValueError: If shapes differ, the last dimension is not 4, a box has
            $x_2 < x_1$ or $y_2 < y_1$, `eps` is negative, or `reduction` is invalid.

    Torch counterpart: `torchvision.ops.generalized_box_iou_loss`.

    References:
        - Rezatofighi et al., [Generalized Intersection over Union](https://arxiv.org/abs/1902.09630),
          CVPR 2019, Algorithm 2.
        - [torchvision.ops.generalized_box_iou_loss](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.generalized_box_iou_loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import generalized_box_iou_loss
        >>> boxes1 = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
        >>> boxes2 = torch.tensor([[0.5, 0.0, 1.5, 1.0], [2.0, 0.0, 3.0, 1.0]])
        >>> generalized_box_iou_loss(boxes1, boxes2)
        tensor([0.6667, 1.3333])
    """
    fn = "generalized_box_iou_loss"
    boxes1 = _check_boxes(fn, "boxes1", boxes1, pairwise=False)
    boxes2 = _check_boxes(fn, "boxes2", boxes2, pairwise=False)
    check_same_shape(fn, boxes1, boxes2, names=("boxes1", "boxes2"))
    eps = check_real(fn, "eps", eps, low=0)
    reduction = check_reduction(fn, reduction)
    x1, y1, x2, y2 = boxes1.unbind(-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(-1)
    w = torch.minimum(x2, x2g) - torch.maximum(x1, x1g)
    h = torch.minimum(y2, y2g) - torch.maximum(y1, y1g)
    # |A ∩ B|, exactly 0 (gradient included) unless the boxes overlap with positive area
    inter = torch.where((w > 0) & (h > 0), w * h, 0.0)
    # |A ∪ B| = |A| + |B| - |A ∩ B|
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    # |C|, the smallest box enclosing both
    enclosing = (torch.maximum(x2, x2g) - torch.minimum(x1, x1g)) * (torch.maximum(y2, y2g) - torch.minimum(y1, y1g))
    # ℓ = 1 - (IoU - (|C| - |A ∪ B|) / |C|), with ε in both denominators
    loss = 1 - (inter / (union + eps) - (enclosing - union) / (enclosing + eps))
    if reduction == "mean" and loss.numel() == 0:
        return 0.0 * loss.sum()  # torchvision returns 0, not NaN, for the mean of no boxes
    return reduce(loss, reduction)


def quality_focal_loss(pred: Tensor, target_score: Tensor, beta: float = 2.0, reduction: str = "mean") -> Tensor:
    r"""Quality Focal Loss: binary cross-entropy against a soft IoU target, focused by $|y - \sigma|^\beta$.

    $$
    \ell = -\,|y - \sigma(x)|^{\beta}\,\bigl((1 - y)\log(1 - \sigma(x)) + y \log \sigma(x)\bigr)
    $$

    where $x$ is the logit and $y \in [0, 1]$ the quality target: the IoU of the
    predicted box with its ground truth for a positive, 0 for a negative. With
    $y \in \{0, 1\}$ it is the sigmoid focal loss without $\alpha$ weighting and
    $\gamma = \beta$. The cross-entropy is evaluated in its logits form.
    With `reduction="mean"` the result is the mean of $\ell$ over all elements,
    with `"sum"` their sum, and `"none"` returns $\ell$.

    Args:
        pred: Logits $x$ (one per anchor and class).
        target_score: Soft targets $y \in [0, 1]$, 0 for negatives.
        beta: Focusing exponent $\beta \ge 0$. Defaults to 2.0 (the paper's choice).
            With $0 < \beta < 1$ the derivative is unbounded where $\sigma(x) = y$,
            and autograd returns NaN there.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - pred: $(*)$, usually $(N, C)$. target_score: same shape.
        - Output: scalar, or $(*)$ if `reduction` is `"none"`.

    Returns:
        The loss.

    Raises:
        TypeError: If `pred` or `target_score` is not a floating-point tensor.
        ValueError: If shapes differ, a target lies outside $[0, 1]$, `beta` is
            negative, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Li et al., [Generalized Focal Loss](https://arxiv.org/abs/2006.04388), NeurIPS 2020.

    Examples:
        >>> import torch
        >>> from dlref.losses import quality_focal_loss
        >>> pred = torch.tensor([1.0, 0.0, -1.0])
        >>> target_score = torch.tensor([0.8, 0.5, 0.0])
        >>> quality_focal_loss(pred, target_score, reduction="none")
        tensor([0.0024, 0.0000, 0.0227])
    """
    fn = "quality_focal_loss"
    x, y = check_pair(fn, pred, target_score, names=("pred", "target_score"))
    beta = check_real(fn, "beta", beta, low=0)
    reduction = check_reduction(fn, reduction)
    check_values(fn, "target_score", y, (y >= 0) & (y <= 1), "expected values in [0, 1]")
    # ℓ = |y - σ(x)|^β · BCE(x, y)
    loss = torch.abs(y - torch.sigmoid(x)) ** beta * binary_cross_entropy_with_logits(x, y, reduction="none")
    return reduce(loss, reduction)


def varifocal_loss(
    pred: Tensor, target_score: Tensor, alpha: float = 0.75, gamma: float = 2.0, reduction: str = "mean"
) -> Tensor:
    r"""Varifocal Loss: IoU-weighted cross-entropy on positives, focal down-weighting on negatives only.

    $$
    \ell = \begin{cases}
        -\,q\,\bigl(q \log p + (1 - q)\log(1 - p)\bigr) & q > 0 \\
        -\,\alpha\, p^{\gamma} \log(1 - p) & q = 0
    \end{cases}
    \qquad p = \sigma(x)
    $$

    where $x$ is the logit and $q \in [0, 1]$ the IoU-aware classification target
    (the IoU with the ground truth for a positive, 0 for a negative). Positives are
    weighted by their own $q$, so high-quality examples dominate; only negatives are
    down-weighted. $p^\gamma$ is computed as $e^{\gamma \log p}$, whose slope stays finite
    at saturated logits for every $\gamma \ge 0$, and the cross-entropy in its logits form.
    With `reduction="mean"` the result is the mean of $\ell$ over all elements,
    with `"sum"` their sum, and `"none"` returns $\ell$.

    Args:
        pred: Logits $x$ (one per anchor and class).
        target_score: IoU-aware targets $q \in [0, 1]$, 0 for negatives.
        alpha: Weight $\alpha \ge 0$ of the negatives. Defaults to 0.75.
        gamma: Focusing exponent $\gamma \ge 0$ of the negatives. Defaults to 2.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - pred: $(*)$, usually $(N, C)$. target_score: same shape.
        - Output: scalar, or $(*)$ if `reduction` is `"none"`.

    Returns:
        The loss.

    Raises:
        TypeError: If `pred` or `target_score` is not a floating-point tensor.
        ValueError: If shapes differ, a target lies outside $[0, 1]$, `alpha` or
            `gamma` is negative, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Zhang et al., [VarifocalNet: An IoU-aware Dense Object Detector](https://arxiv.org/abs/2008.13367),
          CVPR 2021, eq. (2).

    Examples:
        >>> import torch
        >>> from dlref.losses import varifocal_loss
        >>> pred = torch.tensor([1.0, 0.0, -1.0])
        >>> target_score = torch.tensor([0.8, 0.5, 0.0])
        >>> varifocal_loss(pred, target_score, reduction="none")
        tensor([0.4106, 0.3466, 0.0170])
    """
    fn = "varifocal_loss"
    x, q = check_pair(fn, pred, target_score, names=("pred", "target_score"))
    alpha = check_real(fn, "alpha", alpha, low=0)
    gamma = check_real(fn, "gamma", gamma, low=0)
    reduction = check_reduction(fn, reduction)
    check_values(fn, "target_score", q, (q >= 0) & (q <= 1), "expected values in [0, 1]")
    # log p = log σ(x) = -log(1 + e^{-x}), stable for any logit
    log_p = -torch.logaddexp(x.new_zeros(()), -x)
    # weight q on positives, α p^γ = α e^{γ log p} on negatives
    weight = torch.where(q > 0, q, alpha * torch.exp(gamma * log_p))
    # ℓ = weight · BCE(x, q); for q = 0, BCE is -log(1 - p)
    return reduce(weight * binary_cross_entropy_with_logits(x, q, reduction="none"), reduction)


def distribution_focal_loss(pred: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Distribution Focal Loss: cross-entropy that puts the mass of a continuous target on its two nearest bins.

    $$
    \ell = -\bigl((y_{i+1} - y)\log S_i + (y - y_i)\log S_{i+1}\bigr),
    \qquad y_i = i = \min(\lfloor y \rfloor,\ n - 1),\quad S = \mathrm{softmax}(x)
    $$

    where $x$ holds the logits of the discretised values $0, 1, \dots, n$ and
    $y \in [0, n]$ is the continuous regression target (for example a box-side
    distance in stride units). It is the cross-entropy with the soft target that
    puts $y_{i+1} - y$ on bin $i$ and $y - y_i$ on bin $i + 1$, so it is smallest
    when $S$ equals that target, whose expectation $\sum_j j S_j$ is exactly $y$.
    **Edge rule:** $y = n$ uses bins $n - 1$ and $n$ with weights 0 and 1 (the
    limit $y \to n$), so no clamping is needed; mmdetection instead clamps targets
    to $n - 0.01$. $\log S$ comes from a stable [log_softmax][dlref.activations.log_softmax].
    With `reduction="mean"` the result is the mean of $\ell$, with `"sum"` its sum,
    and `"none"` returns $\ell$.

    Args:
        pred: Logits over the $n + 1$ bins, along the last dimension ($n \ge 1$).
        target: Continuous targets $y \in [0, n]$.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - pred: $(*, n + 1)$, usually $(N, n + 1)$. target: $(*)$.
        - Output: scalar, or $(*)$ if `reduction` is `"none"`.

    Returns:
        The loss.

    Raises:
        TypeError: If `pred` or `target` is not a floating-point tensor.
        ValueError: If shapes do not match, there are fewer than 2 bins, a target
            lies outside $[0, n]$, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Li et al., [Generalized Focal Loss](https://arxiv.org/abs/2006.04388), NeurIPS 2020.

    Examples:
        >>> import torch
        >>> from dlref.losses import distribution_focal_loss
        >>> pred = torch.tensor([[0.0, 2.0, 2.0, 0.0], [0.0, 0.0, 0.0, 5.0]])
        >>> target = torch.tensor([1.5, 3.0])
        >>> distribution_focal_loss(pred, target, reduction="none")
        tensor([0.8201, 0.0200])
    """
    fn = "distribution_focal_loss"
    x = check_tensor(fn, "pred", pred)
    y = check_tensor(fn, "target", target)
    reduction = check_reduction(fn, reduction)
    if x.dim() == 0 or x.shape[-1] < 2:
        fail(fn, "pred", "has fewer than 2 bins along its last dim", tuple(x.shape),
             "expected shape (*, n + 1) with n + 1 >= 2 bins")
    if x.shape[:-1] != y.shape:
        fail(fn, "target", "does not match pred", tuple(y.shape),
             f"expected {tuple(x.shape[:-1])}, the shape of pred {tuple(x.shape)} without its last (bin) dim")
    n = x.shape[-1] - 1
    check_values(fn, "target", y, (y >= 0) & (y <= n), f"expected values in [0, {n}]")
    # y_i = ⌊y⌋, clamped to n - 1 so that y = n uses bins (n - 1, n) with weights (0, 1)
    left = torch.clamp(torch.floor(y.detach()), max=n - 1).long()
    log_s = log_softmax(x, dim=-1)
    log_s_left = log_s.gather(-1, left.unsqueeze(-1)).squeeze(-1)  # log S_i
    log_s_right = log_s.gather(-1, (left + 1).unsqueeze(-1)).squeeze(-1)  # log S_{i+1}
    # ℓ = -((y_{i+1} - y)·log S_i + (y - y_i)·log S_{i+1})
    loss = -((left + 1 - y) * log_s_left + (y - left) * log_s_right)
    return reduce(loss, reduction)
