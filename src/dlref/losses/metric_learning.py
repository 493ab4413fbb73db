r"""Metric-learning losses: distances between embeddings, pulled together or pushed apart.

Scope: `contrastive_loss`, the loss of siamese networks on the distance between the
two embeddings of a pair: similar pairs are pulled together, dissimilar pairs pushed
beyond a margin. torch's `hinge_embedding_loss` (in `dlref.losses.hinge`) is its
linear cousin. The docs page `losses` (`/losses/`) teaches it.

Sources: Hadsell, Chopra and LeCun (2006), eq. (4). torch has no counterpart; the
tests compare with the paper's formula in the paper's own labels.

Deliberate difference from the paper: label 1 marks a **similar** pair (the paper
writes $Y = 0$ for similar pairs); see the function's docstring.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_real, check_same_shape, check_tensor, check_values
from dlref.losses._common import check_reduction, reduce

__all__ = ["contrastive_loss"]


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
    With `reduction="mean"` the result is $\frac{1}{N}\sum_i \ell_i$, with `"sum"` it
    is $\sum_i \ell_i$, and `"none"` returns $\ell$.

    Args:
        distance: Non-negative distances $d$, for example `torch.pairwise_distance(a, b)`.
        label: 1 for similar pairs, 0 for dissimilar ones (any dtype, values 0 or 1).
        margin: Margin $m \ge 0$. Defaults to 1.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - distance: $(*)$. label: $(*)$, same shape.
        - Output: scalar, or $(*)$ if `reduction` is `"none"`.

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
        - Hadsell, Chopra & LeCun,
          [Dimensionality Reduction by Learning an Invariant Mapping](https://doi.org/10.1109/CVPR.2006.100),
          CVPR 2006, eq. (4).

    Examples:
        >>> import torch
        >>> from dlref.losses import contrastive_loss
        >>> distance = torch.tensor([0.0, 0.5, 0.5, 2.0])
        >>> label = torch.tensor([1, 1, 0, 0])
        >>> contrastive_loss(distance, label, reduction="none")
        tensor([0.0000, 0.1250, 0.1250, 0.0000])
    """
    fn = "contrastive_loss"
    d = check_tensor(fn, "distance", distance)
    label = check_tensor(fn, "label", label, floating=False)
    check_same_shape(fn, d, label, ("distance", "label"))
    margin = check_real(fn, "margin", margin, low=0)
    reduction = check_reduction(fn, reduction)
    check_values(fn, "distance", d, d >= 0, "expected distances >= 0")
    check_values(fn, "label", label, (label == 0) | (label == 1),
                 "expected 1 (similar pair) or 0 (dissimilar pair)", wrong="has an invalid label")
    y = label.to(d.dtype)
    # ℓ = ½ y d² + ½ (1 - y) max(0, m - d)²
    loss = 0.5 * y * d**2 + 0.5 * (1 - y) * torch.clamp(margin - d, min=0) ** 2
    return reduce(loss, reduction)
