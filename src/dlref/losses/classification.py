"""Compatibility module: the names ``dlref.losses.classification`` exported before the losses were split by family.

Nothing is defined here. The losses live in one module per family now, and every one
of them is importable from `dlref.losses` directly (``from dlref.losses import cross_entropy``):

- `dlref.losses.cross_entropy_family`: `binary_cross_entropy`, `binary_cross_entropy_with_logits`,
  `nll_loss`, `cross_entropy`, `kl_div`;
- `dlref.losses.hinge`: `hinge_embedding_loss`, `hinge_loss`;
- `dlref.losses.focal`: `sigmoid_focal_loss`, `softmax_focal_loss`.
"""

from __future__ import annotations

from dlref.losses.cross_entropy_family import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    kl_div,
    nll_loss,
)
from dlref.losses.focal import sigmoid_focal_loss, softmax_focal_loss
from dlref.losses.hinge import hinge_embedding_loss, hinge_loss

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "hinge_loss",
    "kl_div",
    "nll_loss",
    "sigmoid_focal_loss",
    "softmax_focal_loss",
]
