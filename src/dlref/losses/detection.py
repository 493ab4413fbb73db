r"""Losses for metric learning, segmentation and object detection.

Scope: the contrastive loss of siamese networks, the soft Dice loss of segmentation,
box IoU / GIoU and the GIoU loss of box regression, and the three losses of the
Generalized Focal Loss family used by one-stage detectors: Quality Focal Loss (QFL),
Distribution Focal Loss (DFL) and VarifocalNet's Varifocal Loss (VFL). The docs page
`losses` (`/losses/`) teaches them; the API reference renders these docstrings.

Sources: the paper linked from each function; for the box functions, `torchvision.ops`,
whose names, arguments, defaults and edge cases are mirrored; for QFL, DFL and VFL,
the authors' mmdetection implementations, which these match elementwise.

Conventions:

- Boxes are $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$ and $y_1 \le y_2$, as in torchvision.
- Every loss takes `reduction` in `'none' | 'mean' | 'sum'`; `'none'` keeps the
  elementwise (or per-sample) shape.
- Losses on logits never form $\log\sigma(x)$ from $\sigma(x)$: $\log\sigma(x)$ and
  $\log(1 - \sigma(x)) = \log\sigma(-x)$ come from a two-class log-softmax over
  $(0, x)$, so logits of $\pm 10^4$ give finite values and gradients.
- No function calls a torch or torchvision counterpart; tests compare with
  independent formulas written from the papers and torchvision's published algorithm.

Deliberate differences:

- Boxes must be floating point and well formed: a box with $x_2 < x_1$ or $y_2 < y_1$
  raises `ValueError` naming it (torchvision returns meaningless numbers). float16 and
  bfloat16 boxes are computed in float32 and the result stays float32, as in torchvision.
- `quality_focal_loss` and `varifocal_loss` take a dense `target_score` shaped like
  `pred`; mmdetection takes `(labels, scores)` and builds the same tensor. mmdetection
  writes VFL's negative weight as $\alpha|p - q|^\gamma$, so only the gradient with
  respect to a zero target differs.
- `distribution_focal_loss` accepts $y = n$ (see its docstring); mmdetection clamps
  regression targets to $n - 0.01$ before calling it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from dlref.activations import log_softmax, sigmoid
from dlref.losses._common import check_nonnegative, check_reduction, check_same_shape, check_tensor, reduce

__all__ = [
    "box_iou",
    "contrastive_loss",
    "dice_loss",
    "distribution_focal_loss",
    "generalized_box_iou",
    "generalized_box_iou_loss",
    "quality_focal_loss",
    "varifocal_loss",
]

# --------------------------------------------------------------------------- helpers


def _check_range(fn: str, name: str, value: Tensor, low: float, high: float) -> None:
    """Raise ValueError naming the first element of `value` outside [low, high]."""
    bad = (value < low) | (value > high)
    if bad.any():
        index = tuple(int(i) for i in bad.nonzero()[0])
        allowed = f"be >= {low:g}" if high == float("inf") else f"lie in [{low:g}, {high:g}]"
        raise ValueError(f"{fn}: {name} must {allowed}, got {value[index].item():g} at index {index}")


def _log_sigmoids(x: Tensor) -> tuple[Tensor, Tensor]:
    """(log σ(x), log σ(−x)) = (log p, log(1 − p)), stable for any finite logit."""
    # σ(x) = e^x / (e^0 + e^x): a softmax over the logits (0, x), whose log-sum-exp never overflows
    log_probs = log_softmax(torch.stack([torch.zeros_like(x), x], dim=-1), dim=-1)
    return log_probs[..., 1], log_probs[..., 0]


def _bce_with_logits(x: Tensor, y: Tensor) -> Tensor:
    """Elementwise −(y log σ(x) + (1 − y) log(1 − σ(x))), with the analytic gradient σ(x) − y."""
    log_p, log_not_p = _log_sigmoids(x)
    return -(y * log_p + (1 - y) * log_not_p)


# --------------------------------------------------------------------------- contrastive, Dice


def contrastive_loss(distance: Tensor, label: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Contrastive loss: pull similar pairs together, push dissimilar pairs beyond a margin.

    $$
    \ell_i = \tfrac{1}{2}\, y_i\, d_i^2 + \tfrac{1}{2}\,(1 - y_i)\,\max(0,\ m - d_i)^2
    $$

    where $d_i \ge 0$ is the distance between the two embeddings of pair $i$ and
    **$y_i = 1$ marks a similar pair, $y_i = 0$ a dissimilar one**. Hadsell et al.
    write the same loss with the opposite label, $Y = 1 - y$ ($Y = 0$ similar);
    the factor $\tfrac{1}{2}$ of the paper is kept. A similar pair at distance 0 and
    a dissimilar pair at distance $\ge m$ cost nothing.
    With `reduction='mean'` the result is $\frac{1}{N}\sum_i \ell_i$, with `'sum'` it
    is $\sum_i \ell_i$, and `'none'` returns $\ell$.

    Args:
        distance: Non-negative distances $d$, for example `torch.pairwise_distance(a, b)`.
        label: 1 for similar pairs, 0 for dissimilar ones (any dtype, values 0 or 1).
        margin: Margin $m \ge 0$. Defaults to 1.0.
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'mean'`.

    Shape:
        - distance: $(*)$. label: $(*)$, same shape.
        - Output: scalar, or $(*)$ if `reduction='none'`.

    Returns:
        The loss.

    Raises:
        TypeError: If `distance` is not a floating-point tensor or `label` is not a tensor.
        ValueError: If shapes differ, a distance is negative, a label is not 0 or 1,
            `margin` is negative, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests
    (`torch.nn.functional.hinge_embedding_loss` is related but uses $d$, not $d^2$,
    and labels $\pm 1$).

    References:
        - Hadsell, Chopra & LeCun, [Dimensionality Reduction by Learning an Invariant Mapping](https://doi.org/10.1109/CVPR.2006.100), CVPR 2006, eq. (4).

    Examples:
        >>> from dlref.losses.detection import contrastive_loss
        >>> distance = torch.tensor([0.0, 0.5, 0.5, 2.0])
        >>> label = torch.tensor([1, 1, 0, 0])
        >>> contrastive_loss(distance, label, reduction="none")
        tensor([0.0000, 0.1250, 0.1250, 0.0000])
    """
    fn = "contrastive_loss"
    check_tensor(fn, "distance", distance)
    check_tensor(fn, "label", label, floating=False)
    check_same_shape(fn, distance, label)
    margin = check_nonnegative(fn, "margin", margin)
    check_reduction(fn, reduction)
    _check_range(fn, "distance", distance, 0.0, float("inf"))
    not_binary = (label != 0) & (label != 1)
    if not_binary.any():
        index = tuple(int(i) for i in not_binary.nonzero()[0])
        raise ValueError(
            f"{fn}: label must be 1 (similar pair) or 0 (dissimilar pair), got {label[index].item()} at index {index}"
        )
    y = label.to(distance.dtype)
    # ½ y d² + ½ (1 − y) max(0, m − d)²
    loss = 0.5 * (y * distance.pow(2) + (1 - y) * (margin - distance).clamp(min=0).pow(2))
    return reduce(loss, reduction)


def _dice_dims(fn: str, input: Tensor, dims: int | Sequence[int] | None) -> tuple[int, ...]:
    """The dimensions Dice sums over: all but the batch dim by default, else `dims`, validated."""
    if dims is None:
        if input.dim() < 2:
            raise ValueError(
                f"{fn}: input must have shape (N, *) with at least 2 dims to sum over the non-batch dims, "
                f"got {tuple(input.shape)}; pass dims= to choose them"
            )
        return tuple(range(1, input.dim()))
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if not dims or any(isinstance(d, bool) or not isinstance(d, int) for d in dims):
        raise TypeError(f"{fn}: dims must be an int or a non-empty sequence of ints, got {dims!r}")
    n = input.dim()
    if any(not -n <= d < n for d in dims):
        raise ValueError(f"{fn}: dims={dims} is out of range for input with {n} dims")
    normalized = tuple(sorted(d % n for d in dims))
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"{fn}: dims={dims} names a dimension twice")
    return normalized


def dice_loss(
    input: Tensor,
    target: Tensor,
    smooth: float = 1.0,
    reduction: str = "mean",
    dims: int | Sequence[int] | None = None,
) -> Tensor:
    r"""Soft Dice loss: one minus the smoothed Dice overlap of predicted and true masks.

    $$
    \ell_n = 1 - \frac{2 \sum_k p_{n,k}\, t_{n,k} + s}{\sum_k p_{n,k} + \sum_k t_{n,k} + s}
    $$

    where $k$ runs over `dims` (by default every dimension but the batch dimension 0),
    $p$ are predicted probabilities, $t$ the target mask and $s$ the smoothing term,
    which makes an empty prediction of an empty mask cost 0 and keeps the ratio
    defined. With both in $[0, 1]$, $\ell_n \in [0, 1]$.
    With `reduction='mean'` the result is the mean of $\ell$ over the remaining
    dimensions, with `'sum'` their sum, and `'none'` returns $\ell$.

    Args:
        input: Predicted probabilities $p \in [0, 1]$ (apply a sigmoid or softmax first).
        target: Target mask $t \in [0, 1]$ (binary or soft).
        smooth: Smoothing $s \ge 0$. Defaults to 1.0. With `smooth=0`, an empty
            prediction of an empty mask gives NaN (0/0).
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'mean'`.
        dims: Dimension(s) to sum over. Defaults to all but dimension 0.

    Shape:
        - input: $(N, *)$ (any shape when `dims` is given). target: same shape.
        - Output: scalar, or the input shape without `dims` ($(N)$ by default) if `reduction='none'`.

    Returns:
        The loss.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor, or `dims` is not ints.
        ValueError: If shapes differ, a value lies outside $[0, 1]$, `smooth` is negative,
            `dims` is invalid, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Milletari, Navab & Ahmadi, [V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation](https://arxiv.org/abs/1606.04797), 3DV 2016.
        - Dice, [Measures of the Amount of Ecologic Association Between Species](https://doi.org/10.2307/1932409), Ecology 1945.

    Examples:
        >>> from dlref.losses.detection import dice_loss
        >>> input = torch.tensor([[1.0, 0.0], [0.5, 0.5]])
        >>> target = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
        >>> dice_loss(input, target, reduction="none")
        tensor([0.0000, 0.3333])
    """
    fn = "dice_loss"
    check_tensor(fn, "input", input)
    check_tensor(fn, "target", target)
    check_same_shape(fn, input, target)
    smooth = check_nonnegative(fn, "smooth", smooth)
    check_reduction(fn, reduction)
    dims = _dice_dims(fn, input, dims)
    _check_range(fn, "input", input, 0.0, 1.0)
    _check_range(fn, "target", target, 0.0, 1.0)
    intersection = (input * target).sum(dims)
    cardinality = input.sum(dims) + target.sum(dims)
    # 1 − (2 Σ p t + s) / (Σ p + Σ t + s)
    loss = 1 - (2 * intersection + smooth) / (cardinality + smooth)
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- boxes


def _check_boxes(fn: str, name: str, boxes: object, *, pairwise: bool) -> Tensor:
    """Return `boxes` (in float32 if half precision) after checking dtype, shape and x1 <= x2, y1 <= y2."""
    boxes = check_tensor(fn, name, boxes)
    if boxes.dim() < (2 if pairwise else 1) or boxes.shape[-1] != 4:
        wanted = "(*, N, 4)" if pairwise else "(*, 4)"
        raise ValueError(f"{fn}: {name} must have shape {wanted} of (x1, y1, x2, y2) boxes, got {tuple(boxes.shape)}")
    x1, y1, x2, y2 = boxes.unbind(-1)
    bad = (x2 < x1) | (y2 < y1)
    if bad.any():
        index = tuple(int(i) for i in bad.nonzero()[0])
        box = boxes[index]
        problem = " and ".join(p for p, b in (("x2 < x1", box[2] < box[0]), ("y2 < y1", box[3] < box[1])) if b)
        where = "[" + ", ".join(map(str, index)) + "]" if index else ""
        values = ", ".join(f"{v:g}" for v in box.tolist())
        raise ValueError(
            f"{fn}: {name}{where} = ({values}) has {problem}; boxes must be (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2"
        )
    # like torchvision's _upcast: half-precision products of coordinates overflow easily
    return boxes.float() if boxes.dtype in (torch.float16, torch.bfloat16) else boxes


def _pairwise_boxes(fn: str, boxes1: object, boxes2: object) -> tuple[Tensor, Tensor]:
    """Validated (*, N, 4) and (*, M, 4) boxes whose leading dims broadcast, as torchvision allows."""
    boxes1 = _check_boxes(fn, "boxes1", boxes1, pairwise=True)
    boxes2 = _check_boxes(fn, "boxes2", boxes2, pairwise=True)
    try:
        torch.broadcast_shapes(boxes1.shape[:-2], boxes2.shape[:-2])
    except RuntimeError:
        raise ValueError(
            f"{fn}: the batch dims of boxes1 {tuple(boxes1.shape)} and boxes2 {tuple(boxes2.shape)} do not broadcast"
        ) from None
    return boxes1, boxes2


def _inter_union(boxes1: Tensor, boxes2: Tensor) -> tuple[Tensor, Tensor]:
    """Pairwise intersection and union areas, (*, N, M) each, as in torchvision's _box_inter_union."""
    area1 = (boxes1[..., 2] - boxes1[..., 0]) * (boxes1[..., 3] - boxes1[..., 1])  # (*, N)
    area2 = (boxes2[..., 2] - boxes2[..., 0]) * (boxes2[..., 3] - boxes2[..., 1])  # (*, M)
    top_left = torch.maximum(boxes1[..., None, :2], boxes2[..., None, :, :2])  # (*, N, M, 2)
    bottom_right = torch.minimum(boxes1[..., None, 2:], boxes2[..., None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)  # 0 where the boxes do not overlap
    inter = wh[..., 0] * wh[..., 1]
    # |A ∪ B| = |A| + |B| − |A ∩ B|
    union = area1[..., None] + area2[..., None, :] - inter
    return inter, union


def box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    r"""Pairwise intersection over union (Jaccard index) of two sets of boxes.

    $$
    \mathrm{IoU}(A, B) = \frac{|A \cap B|}{|A \cup B|} = \frac{|A \cap B|}{|A| + |B| - |A \cap B|}
    $$

    Two zero-area boxes have $|A \cup B| = 0$ and give NaN, as in torchvision.

    Args:
        boxes1: Boxes $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$, $y_1 \le y_2$.
        boxes2: Boxes in the same format.

    Shape:
        - boxes1: $(*, N, 4)$. boxes2: $(*, M, 4)$; the batch dims $*$ broadcast, as in torchvision.
        - Output: $(*, N, M)$, entry $[\dots, i, j]$ for `boxes1[..., i, :]` and `boxes2[..., j, :]`.

    Returns:
        IoU values in $[0, 1]$ (float32 for half-precision boxes).

    Raises:
        TypeError: If a box tensor is not floating point (torchvision also accepts integers).
        ValueError: If a box tensor is not $(*, K, 4)$, the batch dims do not broadcast,
            or a box has $x_2 < x_1$ or $y_2 < y_1$.

    Torch counterpart: `torchvision.ops.box_iou`.

    References:
        - [torchvision.ops.box_iou](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.box_iou.html)

    Examples:
        >>> from dlref.losses.detection import box_iou
        >>> boxes1 = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
        >>> boxes2 = torch.tensor([[0.5, 0.0, 1.5, 1.0], [0.5, 0.5, 1.5, 1.5], [2.0, 0.0, 3.0, 1.0]])
        >>> box_iou(boxes1, boxes2)
        tensor([[0.3333, 0.1429, 0.0000]])
    """
    boxes1, boxes2 = _pairwise_boxes("box_iou", boxes1, boxes2)
    inter, union = _inter_union(boxes1, boxes2)
    return inter / union


def generalized_box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    r"""Pairwise generalized IoU: IoU minus the share of the enclosing box that neither box covers.

    $$
    \mathrm{GIoU}(A, B) = \mathrm{IoU}(A, B) - \frac{|C| - |A \cup B|}{|C|}
    $$

    where $C$ is the smallest axis-aligned box enclosing $A$ and $B$. GIoU lies in
    $[-1, 1]$, equals IoU when one box contains the other, and, unlike IoU, still
    says how far apart two disjoint boxes are. Zero-area boxes can give NaN (0/0),
    as in torchvision.

    Args:
        boxes1: Boxes $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$, $y_1 \le y_2$.
        boxes2: Boxes in the same format.

    Shape:
        - boxes1: $(*, N, 4)$. boxes2: $(*, M, 4)$; the batch dims $*$ broadcast, as in torchvision.
        - Output: $(*, N, M)$, entry $[\dots, i, j]$ for `boxes1[..., i, :]` and `boxes2[..., j, :]`.

    Returns:
        GIoU values in $[-1, 1]$ (float32 for half-precision boxes).

    Raises:
        TypeError: If a box tensor is not floating point (torchvision also accepts integers).
        ValueError: If a box tensor is not $(*, K, 4)$, the batch dims do not broadcast,
            or a box has $x_2 < x_1$ or $y_2 < y_1$.

    Torch counterpart: `torchvision.ops.generalized_box_iou`.

    References:
        - Rezatofighi et al., [Generalized Intersection over Union](https://arxiv.org/abs/1902.09630), CVPR 2019, Algorithm 1.
        - [torchvision.ops.generalized_box_iou](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.generalized_box_iou.html)

    Examples:
        >>> from dlref.losses.detection import generalized_box_iou
        >>> boxes1 = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
        >>> boxes2 = torch.tensor([[0.5, 0.0, 1.5, 1.0], [0.5, 0.5, 1.5, 1.5], [2.0, 0.0, 3.0, 1.0]])
        >>> generalized_box_iou(boxes1, boxes2)
        tensor([[ 0.3333, -0.0794, -0.3333]])
    """
    boxes1, boxes2 = _pairwise_boxes("generalized_box_iou", boxes1, boxes2)
    inter, union = _inter_union(boxes1, boxes2)
    iou = inter / union
    top_left = torch.minimum(boxes1[..., None, :2], boxes2[..., None, :, :2])  # (*, N, M, 2), corners of C
    bottom_right = torch.maximum(boxes1[..., None, 2:], boxes2[..., None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    enclosing = wh[..., 0] * wh[..., 1]  # |C|
    # IoU − (|C| − |A ∪ B|) / |C|
    return iou - (enclosing - union) / enclosing


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
    With `reduction='none'` (the default, as in torchvision) $\ell$ is returned,
    with `'mean'` its mean (0 for empty input, as in torchvision) and with `'sum'` its sum.

    Args:
        boxes1: Predicted boxes $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$, $y_1 \le y_2$.
        boxes2: Target boxes in the same format, matched one to one with `boxes1`.
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'none'`.
        eps: $\epsilon \ge 0$ added to denominators. Defaults to 1e-7.

    Shape:
        - boxes1: $(*, 4)$, usually $(N, 4)$. boxes2: same shape.
        - Output: $(*)$ if `reduction='none'`, else scalar.

    Returns:
        The loss (float32 for half-precision boxes).

    Raises:
        TypeError: If a box tensor is not floating point.
        ValueError: If shapes differ, the last dimension is not 4, a box has
            $x_2 < x_1$ or $y_2 < y_1$, `eps` is negative, or `reduction` is invalid.

    Torch counterpart: `torchvision.ops.generalized_box_iou_loss`.

    References:
        - Rezatofighi et al., [Generalized Intersection over Union](https://arxiv.org/abs/1902.09630), CVPR 2019, Algorithm 2.
        - [torchvision.ops.generalized_box_iou_loss](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.generalized_box_iou_loss.html)

    Examples:
        >>> from dlref.losses.detection import generalized_box_iou_loss
        >>> boxes1 = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
        >>> boxes2 = torch.tensor([[0.5, 0.0, 1.5, 1.0], [2.0, 0.0, 3.0, 1.0]])
        >>> generalized_box_iou_loss(boxes1, boxes2)
        tensor([0.6667, 1.3333])
    """
    fn = "generalized_box_iou_loss"
    boxes1 = _check_boxes(fn, "boxes1", boxes1, pairwise=False)
    boxes2 = _check_boxes(fn, "boxes2", boxes2, pairwise=False)
    check_same_shape(fn, boxes1, boxes2)
    eps = check_nonnegative(fn, "eps", eps)
    check_reduction(fn, reduction)
    x1, y1, x2, y2 = boxes1.unbind(-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(-1)
    w = torch.minimum(x2, x2g) - torch.maximum(x1, x1g)
    h = torch.minimum(y2, y2g) - torch.maximum(y1, y1g)
    # |A ∩ B|, exactly 0 (gradient included) unless the boxes overlap with positive area
    inter = torch.where((w > 0) & (h > 0), w * h, torch.zeros_like(w))
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    # |C|, the smallest box enclosing both
    enclosing = (torch.maximum(x2, x2g) - torch.minimum(x1, x1g)) * (torch.maximum(y2, y2g) - torch.minimum(y1, y1g))
    # IoU − (|C| − |A ∪ B|) / |C|, with ε in both denominators
    giou = inter / (union + eps) - (enclosing - union) / (enclosing + eps)
    loss = 1 - giou
    if reduction == "mean" and loss.numel() == 0:
        return 0.0 * loss.sum()  # torchvision returns 0, not NaN, for the mean of no boxes
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- Generalized Focal Loss family


def quality_focal_loss(pred: Tensor, target_score: Tensor, beta: float = 2.0, reduction: str = "mean") -> Tensor:
    r"""Quality Focal Loss: binary cross-entropy against a soft IoU target, focused by $|y - \sigma|^\beta$.

    $$
    \ell = -\,|y - \sigma(x)|^{\beta}\,\bigl((1 - y)\log(1 - \sigma(x)) + y \log \sigma(x)\bigr)
    $$

    where $x$ is the logit and $y \in [0, 1]$ the quality target: the IoU of the
    predicted box with its ground truth for a positive, 0 for a negative. With
    $y \in \{0, 1\}$ it is the sigmoid focal loss without $\alpha$ weighting and
    $\gamma = \beta$. The cross-entropy is evaluated in its logits form.
    With `reduction='mean'` the result is the mean of $\ell$ over all elements,
    with `'sum'` their sum, and `'none'` returns $\ell$.

    Args:
        pred: Logits $x$ (one per anchor and class).
        target_score: Soft targets $y \in [0, 1]$, 0 for negatives.
        beta: Focusing exponent $\beta \ge 0$. Defaults to 2.0 (the paper's choice).
            With $0 < \beta < 1$ the derivative is unbounded where $\sigma(x) = y$,
            and autograd returns NaN there.
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'mean'`.

    Shape:
        - pred: $(*)$, usually $(N, C)$. target_score: same shape.
        - Output: scalar, or $(*)$ if `reduction='none'`.

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
        >>> from dlref.losses.detection import quality_focal_loss
        >>> pred = torch.tensor([1.0, 0.0, -1.0])
        >>> target_score = torch.tensor([0.8, 0.5, 0.0])
        >>> quality_focal_loss(pred, target_score, reduction="none")
        tensor([0.0024, 0.0000, 0.0227])
    """
    fn = "quality_focal_loss"
    check_tensor(fn, "pred", pred)
    check_tensor(fn, "target_score", target_score)
    check_same_shape(fn, pred, target_score)
    beta = check_nonnegative(fn, "beta", beta)
    check_reduction(fn, reduction)
    _check_range(fn, "target_score", target_score, 0.0, 1.0)
    # |y − σ(x)|^β · BCE(x, y)
    loss = (target_score - sigmoid(pred)).abs().pow(beta) * _bce_with_logits(pred, target_score)
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
    down-weighted. $p^\gamma$ is computed as $e^{\gamma \log p}$ and the cross-entropy
    in its logits form.
    With `reduction='mean'` the result is the mean of $\ell$ over all elements,
    with `'sum'` their sum, and `'none'` returns $\ell$.

    Args:
        pred: Logits $x$ (one per anchor and class).
        target_score: IoU-aware targets $q \in [0, 1]$, 0 for negatives.
        alpha: Weight $\alpha \ge 0$ of the negatives. Defaults to 0.75.
        gamma: Focusing exponent $\gamma \ge 0$ of the negatives. Defaults to 2.0.
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'mean'`.

    Shape:
        - pred: $(*)$, usually $(N, C)$. target_score: same shape.
        - Output: scalar, or $(*)$ if `reduction='none'`.

    Returns:
        The loss.

    Raises:
        TypeError: If `pred` or `target_score` is not a floating-point tensor.
        ValueError: If shapes differ, a target lies outside $[0, 1]$, `alpha` or
            `gamma` is negative, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Zhang et al., [VarifocalNet: An IoU-aware Dense Object Detector](https://arxiv.org/abs/2008.13367), CVPR 2021, eq. (2).

    Examples:
        >>> from dlref.losses.detection import varifocal_loss
        >>> pred = torch.tensor([1.0, 0.0, -1.0])
        >>> target_score = torch.tensor([0.8, 0.5, 0.0])
        >>> varifocal_loss(pred, target_score, reduction="none")
        tensor([0.4106, 0.3466, 0.0170])
    """
    fn = "varifocal_loss"
    check_tensor(fn, "pred", pred)
    check_tensor(fn, "target_score", target_score)
    check_same_shape(fn, pred, target_score)
    alpha = check_nonnegative(fn, "alpha", alpha)
    gamma = check_nonnegative(fn, "gamma", gamma)
    check_reduction(fn, reduction)
    _check_range(fn, "target_score", target_score, 0.0, 1.0)
    log_p, log_not_p = _log_sigmoids(pred)
    q = target_score
    bce = -(q * log_p + (1 - q) * log_not_p)  # q = 0 leaves −log(1 − p)
    # weight q for positives, α p^γ = α e^{γ log p} for negatives
    weight = torch.where(q > 0, q, alpha * torch.exp(gamma * log_p))
    return reduce(weight * bce, reduction)


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
    to $n - 0.01$. $\log S$ comes from a stable log-softmax.
    With `reduction='mean'` the result is the mean of $\ell$, with `'sum'` its sum,
    and `'none'` returns $\ell$.

    Args:
        pred: Logits over the $n + 1$ bins, along the last dimension ($n \ge 1$).
        target: Continuous targets $y \in [0, n]$.
        reduction: `'none' | 'mean' | 'sum'`. Defaults to `'mean'`.

    Shape:
        - pred: $(*, n + 1)$, usually $(N, n + 1)$. target: $(*)$.
        - Output: scalar, or $(*)$ if `reduction='none'`.

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
        >>> from dlref.losses.detection import distribution_focal_loss
        >>> pred = torch.tensor([[0.0, 2.0, 2.0, 0.0], [0.0, 0.0, 0.0, 5.0]])
        >>> target = torch.tensor([1.5, 3.0])
        >>> distribution_focal_loss(pred, target, reduction="none")
        tensor([0.8201, 0.0200])
    """
    fn = "distribution_focal_loss"
    check_tensor(fn, "pred", pred)
    check_tensor(fn, "target", target)
    check_reduction(fn, reduction)
    if pred.dim() == 0 or pred.shape[-1] < 2 or pred.shape[:-1] != target.shape:
        raise ValueError(
            f"{fn}: pred must have shape (*, n + 1) with n + 1 >= 2 bins and target shape (*), "
            f"got pred {tuple(pred.shape)} and target {tuple(target.shape)}"
        )
    n = pred.shape[-1] - 1
    _check_range(fn, "target", target, 0.0, float(n))
    # y_i = ⌊y⌋, clamped to n − 1 so that y = n uses bins (n − 1, n) with weights (0, 1)
    left = target.detach().floor().clamp(max=n - 1).long()
    weight_left = (left + 1) - target  # y_{i+1} − y
    weight_right = target - left  # y − y_i
    log_s = log_softmax(pred, dim=-1)
    log_s_left = log_s.gather(-1, left.unsqueeze(-1)).squeeze(-1)  # log S_i
    log_s_right = log_s.gather(-1, (left + 1).unsqueeze(-1)).squeeze(-1)  # log S_{i+1}
    loss = -(weight_left * log_s_left + weight_right * log_s_right)
    return reduce(loss, reduction)
