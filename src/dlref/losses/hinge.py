r"""Hinge losses: zero past a margin, linear before it.

Scope: `hinge_loss`, the binary SVM loss on a raw score and a label $\pm 1$, and
`hinge_embedding_loss`, torch's loss on a distance and a label $\pm 1$ (similar or
dissimilar pair). They share the shape $\max(0, \Delta - \cdot)$ and nothing else:
the first scores a classifier, the second an embedding. The docs page `losses`
(`/losses/`) teaches them.

Sources: the course notes (hinge loss), Cortes and Vapnik (1995), and the PyTorch
documentation of `hinge_embedding_loss`, whose arguments, defaults and reduction
are mirrored.

Deliberate difference from torch (tested): a label other than 1 or -1 raises
`ValueError`; torch computes $x_n + \max(0, \Delta - x_n)$ for it without a word.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_real, check_same_shape, check_tensor, check_values
from dlref.losses._common import check_reduction, reduce

__all__ = ["hinge_embedding_loss", "hinge_loss"]


def _check_signs(
    fn: str, input: object, target: object, margin: object, reduction: object
) -> tuple[Tensor, Tensor, float, str]:
    """Floating-point scores, labels ±1 of any real dtype and the same shape, a finite margin, a reduction."""
    x = check_tensor(fn, "input", input)
    y = check_tensor(fn, "target", target, floating=False)
    check_same_shape(fn, x, y)
    labels = (y == 1) | (y == -1)
    check_values(fn, "target", y, labels, "expected only the labels -1 and 1", wrong="has an invalid label")
    return x, y, check_real(fn, "margin", margin), check_reduction(fn, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Hinge embedding loss: pull similar pairs' distances down, push dissimilar ones past a margin.

    $$
    \ell_n = \begin{cases} x_n & y_n = 1 \\ \max(0, \Delta - x_n) & y_n = -1 \end{cases}
    $$

    where $x_n$ is usually a distance (for example an L1 distance between two
    embeddings) and $\Delta$ is `margin`. Then `"mean"` averages $\ell$ over all
    elements, `"sum"` adds them, `"none"` returns $\ell$.

    Args:
        input: Values $x$, usually nonnegative distances.
        target: Labels $y \in \{1, -1\}$ (any real dtype), same shape as `input`.
        margin: $\Delta$. Defaults to 1.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) hinge embedding loss.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `target` not a tensor, or `margin` not a real number.
        ValueError: If a label is not 1 or -1 (torch computes $x_n + \max(0, \Delta - x_n)$
            for those), the shapes differ, or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.hinge_embedding_loss`.

    References:
        - [torch.nn.HingeEmbeddingLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.HingeEmbeddingLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import hinge_embedding_loss
        >>> hinge_embedding_loss(torch.tensor([0.3, 0.3, 1.5]), torch.tensor([1, -1, -1]), reduction="none")
        tensor([0.3000, 0.7000, 0.0000])
    """
    x, y, margin, reduction = _check_signs("hinge_embedding_loss", input, target, margin, reduction)
    # ℓ = x where y = 1,  max(0, Δ - x) where y = -1
    return reduce(torch.where(y == 1, x, torch.clamp(margin - x, min=0)), reduction)


def hinge_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Binary hinge loss of a linear classifier (the SVM loss) for labels $\pm 1$.

    $$
    \ell_n = \max(0,\ \Delta - y_n x_n)
    $$

    where $x_n$ is the raw score, $y_n \in \{-1, 1\}$ the label and $\Delta$ the
    `margin`: correct predictions with $y_n x_n \ge \Delta$ cost nothing, the rest cost
    linearly. Then `"mean"` averages, `"sum"` adds, `"none"` returns $\ell$. At the kink
    $y_n x_n = \Delta$ the gradient is the subgradient $-y_n$ (that of torch's `clamp_min`).

    Args:
        input: Scores $x$ (any real numbers).
        target: Labels $y \in \{-1, 1\}$ (any real dtype), same shape as `input`.
        margin: $\Delta$. Defaults to 1.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) hinge loss.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `target` not a tensor, or `margin` not a real number.
        ValueError: If a label is not -1 or 1 (0/1 labels must be mapped with `2 * y - 1`),
            the shapes differ, or `reduction` is unknown.

    Torch counterpart: none (`torch.nn.MultiMarginLoss` is the multi-class variant).

    References:
        - Cortes and Vapnik, [Support-Vector Networks](https://doi.org/10.1007/BF00994018), 1995.

    Examples:
        >>> import torch
        >>> from dlref.losses import hinge_loss
        >>> hinge_loss(torch.tensor([2.0, 0.5, -0.5]), torch.tensor([1, 1, 1]), reduction="none")
        tensor([0.0000, 0.5000, 1.5000])
    """
    x, y, margin, reduction = _check_signs("hinge_loss", input, target, margin, reduction)
    # ℓ = max(0, Δ - y·x)
    return reduce(torch.clamp(margin - y * x, min=0), reduction)
