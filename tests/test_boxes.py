"""dlref.boxes against torchvision's published algorithm: values, hand-computed cases, gradients, properties, errors.

torchvision is not installed, so box_iou and generalized_box_iou are compared with a
plain re-statement of torchvision's algorithm for one pair of boxes, in scalar loops.
"""

from __future__ import annotations

import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.boxes import box_iou, generalized_box_iou

from .torch_reference import DT, SETTINGS, grad_of, random_boxes

# --------------------------------------------------------------------------- independent reference


def ref_pair(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(IoU, GIoU) of two boxes, torchvision's generalized_box_iou algorithm for one pair."""
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    iw = (torch.minimum(a[2], b[2]) - torch.maximum(a[0], b[0])).clamp(min=0)
    ih = (torch.minimum(a[3], b[3]) - torch.maximum(a[1], b[1])).clamp(min=0)
    inter = iw * ih
    union = area_a + area_b - inter
    cw = (torch.maximum(a[2], b[2]) - torch.minimum(a[0], b[0])).clamp(min=0)
    ch = (torch.maximum(a[3], b[3]) - torch.minimum(a[1], b[1])).clamp(min=0)
    enclosing = cw * ch
    iou = inter / union
    return iou, iou - (enclosing - union) / enclosing


def ref_matrix(boxes1: torch.Tensor, boxes2: torch.Tensor, which: int) -> torch.Tensor:
    """(N, M) matrix of ref_pair(...)[which] built with explicit loops."""
    rows = [torch.stack([ref_pair(a, b)[which] for b in boxes2]) for a in boxes1]
    return torch.stack(rows) if rows else boxes1.new_zeros(0, len(boxes2))


# --------------------------------------------------------------------------- values

UNIT = [0.0, 0.0, 1.0, 1.0]
# (box, IoU with UNIT, GIoU with UNIT), each computed by hand
HAND = [
    ([0.5, 0.0, 1.5, 1.0], 1 / 3, 1 / 3),  # inter 1/2, union 3/2, C = union
    ([0.5, 0.5, 1.5, 1.5], 1 / 7, 1 / 7 - 0.5 / 2.25),  # inter 1/4, union 7/4, C = 9/4: -5/63
    ([2.0, 0.0, 3.0, 1.0], 0.0, -1 / 3),  # disjoint: union 2, C = 3
    ([0.0, 0.0, 1.0, 1.0], 1.0, 1.0),  # identical
    ([0.25, 0.25, 0.75, 0.75], 0.25, 0.25),  # contained: C = union, GIoU = IoU
    ([1.0, 0.0, 2.0, 1.0], 0.0, 0.0),  # touching edge: C = union = 2
]


def test_hand_computed_iou_and_giou() -> None:
    boxes1 = torch.tensor([UNIT], dtype=DT)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=DT)
    assert_close(box_iou(boxes1, boxes2), torch.tensor([[iou for _, iou, _ in HAND]], dtype=DT))
    assert_close(generalized_box_iou(boxes1, boxes2), torch.tensor([[g for _, _, g in HAND]], dtype=DT))
    assert_close(generalized_box_iou(boxes1, boxes2)[0, 1], torch.tensor(-5 / 63, dtype=DT))


@pytest.mark.parametrize("seed", range(4))
def test_box_matrices_match_reference(seed: int) -> None:
    boxes1, boxes2 = random_boxes(5, seed), random_boxes(7, seed + 100)
    boxes2[0] = boxes1[0]  # identical pair
    boxes2[1] = torch.tensor([boxes1[1, 0], boxes1[1, 1], boxes1[1, 0] + 0.5, boxes1[1, 3]])  # shared edges
    assert_close(box_iou(boxes1, boxes2), ref_matrix(boxes1, boxes2, 0))
    assert_close(generalized_box_iou(boxes1, boxes2), ref_matrix(boxes1, boxes2, 1))


def test_batched_box_matrices_broadcast_like_torchvision() -> None:
    boxes1 = random_boxes(2 * 3 * 4, 60).view(2, 3, 4, 4)  # (B1, B2, N, 4)
    boxes2 = random_boxes(3 * 5, 61).view(3, 5, 4)  # (B2, M, 4)
    for fn, which in ((box_iou, 0), (generalized_box_iou, 1)):
        got = fn(boxes1, boxes2)
        assert got.shape == (2, 3, 4, 5)
        for a in range(2):
            for b in range(3):
                assert_close(got[a, b], ref_matrix(boxes1[a, b], boxes2[b], which))


def test_degenerate_and_empty_boxes_follow_torchvision() -> None:
    point = torch.tensor([[1.0, 1.0, 1.0, 1.0]], dtype=DT)
    square = torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=DT)
    # two zero-area boxes: union 0 -> 0/0 = NaN, as torchvision
    assert box_iou(point, point).isnan().all() and generalized_box_iou(point, point).isnan().all()
    # a zero-area box inside a real one: IoU 0, GIoU 0
    assert_close(generalized_box_iou(point, square), ref_matrix(point, square, 1))
    assert_close(generalized_box_iou(point, square), torch.zeros(1, 1, dtype=DT))
    empty = torch.zeros(0, 4, dtype=DT)
    assert generalized_box_iou(empty, square).shape == (0, 1) and box_iou(square, empty).shape == (1, 0)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_boxes_are_computed_in_float32(dtype: torch.dtype) -> None:
    boxes1 = torch.tensor([UNIT], dtype=dtype)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=dtype)
    for result in (box_iou(boxes1, boxes2), generalized_box_iou(boxes1, boxes2)):
        assert result.dtype == torch.float32
    expected = generalized_box_iou(boxes1.to(DT), boxes2.to(DT)).float()
    assert_close(generalized_box_iou(boxes1, boxes2), expected)


# --------------------------------------------------------------------------- gradients


def test_box_gradients_match_reference() -> None:
    boxes1, boxes2 = random_boxes(4, 7), random_boxes(5, 8)
    for fn, which in ((box_iou, 0), (generalized_box_iou, 1)):
        got = grad_of(fn, boxes1, boxes2)
        want = grad_of(lambda a, b, w=which: ref_matrix(a, b, w), boxes1, boxes2)
        for g, w in zip(got, want, strict=True):
            assert_close(g, w)


def test_box_gradcheck() -> None:
    boxes1, boxes2 = random_boxes(3, 11), random_boxes(4, 12)
    for fn in (box_iou, generalized_box_iou):
        assert torch.autograd.gradcheck(fn, (boxes1.requires_grad_(), boxes2.requires_grad_()))


# --------------------------------------------------------------------------- properties

coord = st.floats(-50, 50, allow_nan=False)
side = st.floats(1e-2, 50, allow_nan=False)
box = st.tuples(coord, coord, side, side).map(lambda b: [b[0], b[1], b[0] + b[2], b[1] + b[3]])
box_lists = st.lists(box, min_size=1, max_size=6)


@SETTINGS
@given(box_lists, box_lists)
def test_giou_in_range_and_below_iou(b1: list, b2: list) -> None:
    boxes1, boxes2 = torch.tensor(b1, dtype=DT), torch.tensor(b2, dtype=DT)
    iou, giou = box_iou(boxes1, boxes2), generalized_box_iou(boxes1, boxes2)
    tol = 1e-12
    assert ((iou >= -tol) & (iou <= 1 + tol)).all()
    assert ((giou >= -1 - tol) & (giou <= 1 + tol)).all()
    assert (giou <= iou + tol).all()  # the penalty (|C| − |A ∪ B|) / |C| is >= 0
    assert_close(generalized_box_iou(boxes2, boxes1), giou.T)  # symmetric


@SETTINGS
@given(box, st.floats(0, 0.9), st.floats(0, 0.9), st.floats(0.01, 1), st.floats(0.01, 1))
def test_giou_equals_iou_when_one_box_contains_the_other(outer: list, f1: float, f2: float, f3: float, f4: float):
    x1, y1, x2, y2 = outer
    ix1, iy1 = x1 + f1 * (x2 - x1), y1 + f2 * (y2 - y1)
    inner = [ix1, iy1, ix1 + f3 * (x2 - ix1), iy1 + f4 * (y2 - iy1)]
    boxes = torch.tensor([outer, inner], dtype=DT)
    assert_close(generalized_box_iou(boxes, boxes), box_iou(boxes, boxes), atol=1e-9, rtol=1e-9)


# --------------------------------------------------------------------------- errors

B = torch.tensor([UNIT], dtype=DT)


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: generalized_box_iou(B, torch.tensor([UNIT, [2.0, 0, 1, 1]])),
            ValueError,
            "generalized_box_iou: boxes2 has a box with x2 < x1 (got boxes2[1] = (2, 0, 1, 1)); "
            "expected (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2",
        ),
        (
            lambda: box_iou(torch.tensor([[0.0, 3, 1, 1], UNIT]), B),
            ValueError,
            "box_iou: boxes1 has a box with y2 < y1 (got boxes1[0] = (0, 3, 1, 1)); "
            "expected (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2",
        ),
        (
            lambda: box_iou(torch.zeros(2, 5), B),
            ValueError,
            "box_iou: boxes1 has the wrong shape (got (2, 5)); expected (*, N, 4): (x1, y1, x2, y2) boxes",
        ),
        (
            lambda: generalized_box_iou(B, torch.zeros(4)),
            ValueError,
            "generalized_box_iou: boxes2 has the wrong shape (got (4,)); expected (*, N, 4): (x1, y1, x2, y2) boxes",
        ),
        (
            lambda: generalized_box_iou(torch.zeros(2, 1, 4), torch.zeros(3, 1, 4)),
            ValueError,
            "generalized_box_iou: boxes2 has batch dims that do not broadcast with those of boxes1 (got (3, 1, 4)); "
            "expected batch dims that broadcast with (2,), those of boxes1 (2, 1, 4)",
        ),
        (
            lambda: box_iou(torch.zeros(1, 4, dtype=torch.int64), B),
            TypeError,
            "box_iou: boxes1 has the wrong dtype (got torch.int64); expected a floating-point tensor",
        ),
        (
            lambda: box_iou([UNIT], B),
            TypeError,
            "box_iou: boxes1 has the wrong type (got list); expected a torch.Tensor",
        ),
    ],
)
def test_bad_input_raises(call, error: type, message: str) -> None:
    with raises(error, message):
        call()
