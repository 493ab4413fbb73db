"""Compatibility module: the names ``dlref.losses.detection`` exported before the losses were split by family.

Nothing is defined here. The functions live in one module per family now:

- `dlref.boxes`: `box_iou`, `generalized_box_iou` (overlap measures, not losses;
  torchvision keeps them in `torchvision.ops.boxes`);
- `dlref.losses.metric_learning`: `contrastive_loss`;
- `dlref.losses.segmentation`: `dice_loss`;
- `dlref.losses.dense_detection`: `generalized_box_iou_loss`, `quality_focal_loss`,
  `varifocal_loss`, `distribution_focal_loss`.

Every loss is importable from `dlref.losses` directly (``from dlref.losses import dice_loss``),
and the box functions from `dlref.boxes` (``from dlref.boxes import box_iou``).
"""

from __future__ import annotations

from dlref.boxes import box_iou, generalized_box_iou
from dlref.losses.dense_detection import (
    distribution_focal_loss,
    generalized_box_iou_loss,
    quality_focal_loss,
    varifocal_loss,
)
from dlref.losses.metric_learning import contrastive_loss
from dlref.losses.segmentation import dice_loss

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
