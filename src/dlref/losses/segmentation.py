r"""Segmentation losses: the soft Dice loss of predicted and true masks.

Scope: `dice_loss`, one minus the smoothed Dice overlap, summed over the pixels (or
voxels) of each sample. It scores overlap rather than per-pixel agreement, so a
small object in a large, mostly empty image still counts. The docs page `losses`
(`/losses/`) teaches it.

Sources: Milletari et al. (2016) and Dice (1945), linked from the function. torch
has no counterpart; the tests compare with an independent formula.
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import Tensor

from dlref._checks import check_real, check_values, fail, message
from dlref.losses._common import check_pair, check_reduction, reduce

__all__ = ["dice_loss"]


def _dice_dims(fn: str, input: Tensor, dims: int | Sequence[int] | None) -> tuple[int, ...]:
    """The dimensions Dice sums over: all but the batch dim by default, else `dims`, validated."""
    if dims is None:
        if input.dim() < 2:
            fail(fn, "input", "has too few dimensions to sum over the non-batch dims", tuple(input.shape),
                 "expected shape (N, *) with at least 2 dims, or pass dims= to choose them")
        return tuple(range(1, input.dim()))
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if not dims or any(isinstance(d, bool) or not isinstance(d, int) for d in dims):
        raise TypeError(message(fn, "dims", "has the wrong type", repr(dims),
                                "expected an int or a non-empty sequence of ints"))
    n = input.dim()
    if any(not -n <= d < n for d in dims):
        fail(fn, "dims", "is out of range", dims, f"expected dims in {-n}..{n - 1} for an input with {n} dims")
    normalized = tuple(sorted(d % n for d in dims))
    if len(set(normalized)) != len(normalized):
        fail(fn, "dims", "names a dimension twice", dims, "expected distinct dimensions")
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
    With `reduction="mean"` the result is the mean of $\ell$ over the remaining
    dimensions, with `"sum"` their sum, and `"none"` returns $\ell$.

    Args:
        input: Predicted probabilities $p \in [0, 1]$ (apply a sigmoid or softmax first).
        target: Target mask $t \in [0, 1]$ (binary or soft).
        smooth: Smoothing $s \ge 0$. Defaults to 1.0. With `smooth=0`, an empty
            prediction of an empty mask gives NaN (0/0).
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        dims: Dimension(s) to sum over. Defaults to all but dimension 0.

    Shape:
        - input: $(N, *)$ (any shape when `dims` is given). target: same shape.
        - Output: scalar, or the input shape without `dims` ($(N)$ by default) if `reduction` is `"none"`.

    Returns:
        The loss.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor, or `dims` is not ints.
        ValueError: If shapes differ, a value lies outside $[0, 1]$, `smooth` is negative,
            `dims` is invalid, or `reduction` is invalid.

    Torch counterpart: none — checked against an independent formula in tests.

    References:
        - Milletari, Navab & Ahmadi, [V-Net: Fully Convolutional Neural Networks for Volumetric Medical
          Image Segmentation](https://arxiv.org/abs/1606.04797), 3DV 2016.
        - Dice, [Measures of the Amount of Ecologic Association Between
          Species](https://doi.org/10.2307/1932409), Ecology 1945.

    Examples:
        >>> import torch
        >>> from dlref.losses import dice_loss
        >>> input = torch.tensor([[1.0, 0.0], [0.5, 0.5]])
        >>> target = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
        >>> dice_loss(input, target, reduction="none")
        tensor([0.0000, 0.3333])
    """
    fn = "dice_loss"
    p, t = check_pair(fn, input, target)
    smooth = check_real(fn, "smooth", smooth, low=0)
    reduction = check_reduction(fn, reduction)
    dims = _dice_dims(fn, p, dims)
    check_values(fn, "input", p, (p >= 0) & (p <= 1), "expected probabilities in [0, 1]")
    check_values(fn, "target", t, (t >= 0) & (t <= 1), "expected values in [0, 1]")
    intersection = (p * t).sum(dims)  # Σ p t
    cardinality = p.sum(dims) + t.sum(dims)  # Σ p + Σ t
    # ℓ = 1 - (2 Σ p t + s) / (Σ p + Σ t + s)
    loss = 1 - (2 * intersection + smooth) / (cardinality + smooth)
    return reduce(loss, reduction)
