"""Loss functions, written from scratch with the names, signatures and reductions of `torch.nn.functional`.

Three modules, one concern each, all re-exported here (``dlref.losses.cross_entropy``):

- `dlref.losses.regression`: MSE, MAE (L1), SmoothL1 and Huber;
- `dlref.losses.classification`: binary and multi-class cross-entropy, NLL, KL
  divergence, hinge losses and the focal losses;
- `dlref.losses.detection`: contrastive, Dice, IoU/GIoU and the GFL/VarifocalNet
  detection losses (QFL, DFL, VFL).

Every loss validates its arguments at the boundary (see `dlref.losses._common`),
never broadcasts input against target silently, and accepts
``reduction="none" | "mean" | "sum"`` with torch's semantics. The site's
"Loss functions" chapter teaches them.
"""

from __future__ import annotations

from dlref.losses.classification import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_embedding_loss,
    hinge_loss,
    kl_div,
    nll_loss,
    sigmoid_focal_loss,
    softmax_focal_loss,
)
from dlref.losses.detection import (
    box_iou,
    contrastive_loss,
    dice_loss,
    distribution_focal_loss,
    generalized_box_iou,
    generalized_box_iou_loss,
    quality_focal_loss,
    varifocal_loss,
)
from dlref.losses.regression import huber_loss, l1_loss, mse_loss, smooth_l1_loss

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "box_iou",
    "contrastive_loss",
    "cross_entropy",
    "dice_loss",
    "distribution_focal_loss",
    "generalized_box_iou",
    "generalized_box_iou_loss",
    "hinge_embedding_loss",
    "hinge_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "mse_loss",
    "nll_loss",
    "quality_focal_loss",
    "sigmoid_focal_loss",
    "smooth_l1_loss",
    "softmax_focal_loss",
    "varifocal_loss",
]
