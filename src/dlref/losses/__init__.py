"""Loss functions, written from scratch with the names, signatures and reductions of `torch.nn.functional`.

One module per family, every loss re-exported here (``dlref.losses.cross_entropy``):

- `dlref.losses.regression`: [mse_loss][dlref.losses.mse_loss], [l1_loss][dlref.losses.l1_loss],
  [smooth_l1_loss][dlref.losses.smooth_l1_loss], [huber_loss][dlref.losses.huber_loss];
- `dlref.losses.cross_entropy_family`: [binary_cross_entropy][dlref.losses.binary_cross_entropy],
  [binary_cross_entropy_with_logits][dlref.losses.binary_cross_entropy_with_logits],
  [nll_loss][dlref.losses.nll_loss], [cross_entropy][dlref.losses.cross_entropy], [kl_div][dlref.losses.kl_div];
- `dlref.losses.focal`: [sigmoid_focal_loss][dlref.losses.sigmoid_focal_loss],
  [softmax_focal_loss][dlref.losses.softmax_focal_loss];
- `dlref.losses.hinge`: [hinge_embedding_loss][dlref.losses.hinge_embedding_loss],
  [hinge_loss][dlref.losses.hinge_loss];
- `dlref.losses.segmentation`: [dice_loss][dlref.losses.dice_loss];
- `dlref.losses.metric_learning`: [contrastive_loss][dlref.losses.contrastive_loss];
- `dlref.losses.dense_detection`: [generalized_box_iou_loss][dlref.losses.generalized_box_iou_loss],
  [quality_focal_loss][dlref.losses.quality_focal_loss], [varifocal_loss][dlref.losses.varifocal_loss],
  [distribution_focal_loss][dlref.losses.distribution_focal_loss];
- `dlref.losses.ctc`: [ctc_loss][dlref.losses.ctc_loss].

Every loss validates its arguments at the boundary, never broadcasts input against
target silently, and accepts ``reduction="none" | "mean" | "sum"`` with torch's
semantics. The site's "Loss functions" chapter teaches them.

The box overlap measures `box_iou` and `generalized_box_iou` are not losses: they
live in [dlref.boxes][dlref.boxes] and stay importable from here. So do the import
paths of earlier versions, `dlref.losses.classification` and `dlref.losses.detection`.
"""

from __future__ import annotations

# Not losses: kept importable from dlref.losses for compatibility (the "x as x" form re-exports them).
from dlref.boxes import box_iou as box_iou
from dlref.boxes import generalized_box_iou as generalized_box_iou

# The modules that only re-export the names of earlier versions.
from dlref.losses import classification as classification
from dlref.losses import detection as detection
from dlref.losses.cross_entropy_family import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    kl_div,
    nll_loss,
)
from dlref.losses.ctc import ctc_loss
from dlref.losses.dense_detection import (
    distribution_focal_loss,
    generalized_box_iou_loss,
    quality_focal_loss,
    varifocal_loss,
)
from dlref.losses.focal import sigmoid_focal_loss, softmax_focal_loss
from dlref.losses.hinge import hinge_embedding_loss, hinge_loss
from dlref.losses.metric_learning import contrastive_loss
from dlref.losses.regression import huber_loss, l1_loss, mse_loss, smooth_l1_loss
from dlref.losses.segmentation import dice_loss

# In learning order, family by family: the API reference lists them in this order.
__all__ = [  # noqa: RUF022
    "mse_loss",
    "l1_loss",
    "smooth_l1_loss",
    "huber_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "nll_loss",
    "cross_entropy",
    "kl_div",
    "sigmoid_focal_loss",
    "softmax_focal_loss",
    "hinge_embedding_loss",
    "hinge_loss",
    "dice_loss",
    "contrastive_loss",
    "generalized_box_iou_loss",
    "quality_focal_loss",
    "varifocal_loss",
    "distribution_focal_loss",
    "ctc_loss",
]
