r"""Boxes: pairwise IoU and generalized IoU of axis-aligned boxes, and the checks every box function uses.

Scope: `box_iou` and `generalized_box_iou`, the overlap measures that object detection
matches and scores boxes with. They are not losses; the loss built on GIoU,
[generalized_box_iou_loss][dlref.losses.generalized_box_iou_loss], lives in
`dlref.losses` and validates its boxes with the same rules. torchvision keeps these
functions in `torchvision.ops.boxes`. The docs page `losses` (`/losses/`) teaches them
next to the detection losses.

Sources: Rezatofighi et al. (2019) for GIoU, and `torchvision.ops`, whose names,
arguments, shapes and edge cases are mirrored here.

Conventions:

- A box is $(x_1, y_1, x_2, y_2)$ with $x_1 \le x_2$ and $y_1 \le y_2$, as in torchvision.
- The pairwise functions take $(*, N, 4)$ and $(*, M, 4)$ and return $(*, N, M)$;
  the batch dims $*$ broadcast, as in torchvision.
- No function calls a torchvision counterpart; the tests compare with a plain
  re-statement of torchvision's published algorithm.

Deliberate differences from torchvision (each one is tested):

- Boxes must be floating point and well formed: a box with $x_2 < x_1$ or $y_2 < y_1$
  raises `ValueError` naming it (torchvision returns meaningless numbers).
- float16 and bfloat16 boxes are computed in float32 and the result stays float32,
  as in torchvision.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_tensor, fail

__all__ = ["box_iou", "generalized_box_iou"]


def _check_boxes(fn: str, name: str, boxes: object, *, pairwise: bool) -> Tensor:
    """Return `boxes` (in float32 if half precision) after checking dtype, shape and x1 <= x2, y1 <= y2.

    `pairwise` asks for a set of boxes, (*, N, 4); otherwise any (*, 4) will do.
    """
    boxes = check_tensor(fn, name, boxes)
    if boxes.dim() < (2 if pairwise else 1) or boxes.shape[-1] != 4:
        wanted = "(*, N, 4)" if pairwise else "(*, 4)"
        fail(fn, name, "has the wrong shape", tuple(boxes.shape), f"expected {wanted}: (x1, y1, x2, y2) boxes")
    x1, y1, x2, y2 = boxes.unbind(-1)
    bad = (x2 < x1) | (y2 < y1)
    if bad.any():
        index = tuple(int(i) for i in bad.nonzero()[0])
        box = boxes[index]
        problem = " and ".join(p for p, b in (("x2 < x1", box[2] < box[0]), ("y2 < y1", box[3] < box[1])) if b)
        where = "[" + ", ".join(map(str, index)) + "]" if index else ""
        values = ", ".join(f"{v:g}" for v in box.tolist())
        fail(fn, name, f"has a box with {problem}", f"{name}{where} = ({values})",
             "expected (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2")
    # like torchvision's _upcast: half-precision products of coordinates overflow easily
    return boxes.float() if boxes.dtype in (torch.float16, torch.bfloat16) else boxes


def _pairwise_boxes(fn: str, boxes1: object, boxes2: object) -> tuple[Tensor, Tensor]:
    """Validated (*, N, 4) and (*, M, 4) boxes whose batch dims * broadcast, as torchvision allows."""
    boxes1 = _check_boxes(fn, "boxes1", boxes1, pairwise=True)
    boxes2 = _check_boxes(fn, "boxes2", boxes2, pairwise=True)
    batch1, batch2 = boxes1.shape[:-2], boxes2.shape[:-2]
    # aligned from the right, two batch dims broadcast if they are equal or one of them is 1
    if not all(a == b or 1 in (a, b) for a, b in zip(reversed(batch1), reversed(batch2), strict=False)):
        fail(fn, "boxes2", "has batch dims that do not broadcast with those of boxes1", tuple(boxes2.shape),
             f"expected batch dims that broadcast with {tuple(boxes1.shape[:-2])}, those of boxes1 "
             f"{tuple(boxes1.shape)}")
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
        >>> import torch
        >>> from dlref.boxes import box_iou
        >>> boxes1 = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
        >>> boxes2 = torch.tensor([[0.5, 0.0, 1.5, 1.0], [0.5, 0.5, 1.5, 1.5], [2.0, 0.0, 3.0, 1.0]])
        >>> box_iou(boxes1, boxes2)
        tensor([[0.3333, 0.1429, 0.0000]])
    """
    boxes1, boxes2 = _pairwise_boxes("box_iou", boxes1, boxes2)
    inter, union = _inter_union(boxes1, boxes2)
    # IoU = |A ∩ B| / |A ∪ B|
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
        - Rezatofighi et al., [Generalized Intersection over Union](https://arxiv.org/abs/1902.09630),
          CVPR 2019, Algorithm 1.
        - [torchvision.ops.generalized_box_iou](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.generalized_box_iou.html)

    Examples:
        >>> import torch
        >>> from dlref.boxes import generalized_box_iou
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
