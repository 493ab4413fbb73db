"""dlref.losses.detection against independent formulas: values, hand-computed cases, gradients, properties, errors.

No counterpart (torchvision, mmdetection) is installed, so each loss is compared with a
plain re-statement of the paper's formula or of torchvision's published algorithm,
built from torch.nn.functional pieces (binary_cross_entropy_with_logits, cross_entropy)
and scalar loops, never from dlref.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

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

DT = torch.float64
SETTINGS = settings(max_examples=60, deadline=None)


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def random_boxes(n: int, seed: int, scale: float = 10.0) -> torch.Tensor:
    """n boxes (x1, y1, x2, y2) in general position: positive widths and heights, no shared edges."""
    g = gen(seed)
    xy = torch.rand(n, 2, generator=g, dtype=DT) * scale
    wh = torch.rand(n, 2, generator=g, dtype=DT) * scale / 2 + 0.1
    return torch.cat([xy, xy + wh], dim=1)


def grad_of(fn, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Gradients of fn(*inputs).sum() with respect to every input."""
    leaves = [x.detach().clone().requires_grad_() for x in inputs]
    return torch.autograd.grad(fn(*leaves).sum(), leaves)


# --------------------------------------------------------------------------- independent references


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


def ref_giou_loss(boxes1: torch.Tensor, boxes2: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """torchvision.ops.generalized_box_iou_loss (reduction='none'), written out."""
    x1, y1, x2, y2 = boxes1.unbind(-1)
    x1g, y1g, x2g, y2g = boxes2.unbind(-1)
    xkis1, ykis1 = torch.max(x1, x1g), torch.max(y1, y1g)
    xkis2, ykis2 = torch.min(x2, x2g), torch.min(y2, y2g)
    intsctk = torch.zeros_like(x1)
    mask = (ykis2 > ykis1) & (xkis2 > xkis1)
    intsctk[mask] = (xkis2[mask] - xkis1[mask]) * (ykis2[mask] - ykis1[mask])
    unionk = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - intsctk
    iouk = intsctk / (unionk + eps)
    area_c = (torch.max(x2, x2g) - torch.min(x1, x1g)) * (torch.max(y2, y2g) - torch.min(y1, y1g))
    return 1 - (iouk - (area_c - unionk) / (area_c + eps))


def ref_contrastive(d: torch.Tensor, label: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    """Hadsell et al. (2006) eq. (4) in the paper's own labels: Y = 0 similar, Y = 1 dissimilar."""
    Y = 1 - label.to(d.dtype)
    return (1 - Y) * 0.5 * d**2 + Y * 0.5 * torch.clamp(margin - d, min=0) ** 2


def ref_dice(p: torch.Tensor, t: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    """Per-sample soft Dice loss, one flattened sample at a time."""
    out = []
    for pn, tn in zip(p.reshape(len(p), -1), t.reshape(len(t), -1), strict=True):
        out.append(1 - (2 * (pn * tn).sum() + smooth) / (pn.sum() + tn.sum() + smooth))
    return torch.stack(out)


def ref_qfl(x: torch.Tensor, y: torch.Tensor, beta: float = 2.0) -> torch.Tensor:
    """GFL eq. (5), as in the authors' mmdetection quality_focal_loss."""
    return F.binary_cross_entropy_with_logits(x, y, reduction="none") * (y - torch.sigmoid(x)).abs().pow(beta)


def ref_sigmoid_focal(x: torch.Tensor, t: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    """torchvision.ops.sigmoid_focal_loss (reduction='none'), written out."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return loss


def ref_vfl(x: torch.Tensor, q: torch.Tensor, alpha: float = 0.75, gamma: float = 2.0) -> torch.Tensor:
    """VarifocalNet eq. (2), as in the authors' mmdetection varifocal_loss (iou_weighted=True)."""
    p = torch.sigmoid(x)
    weight = q * (q > 0).to(x.dtype) + alpha * (p - q).abs().pow(gamma) * (q <= 0).to(x.dtype)
    return F.binary_cross_entropy_with_logits(x, q, reduction="none") * weight


def ref_dfl(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """GFL eq. (6), as in the authors' mmdetection distribution_focal_loss (needs y < n)."""
    left = y.detach().long()
    right = left + 1
    return F.cross_entropy(pred, left, reduction="none") * (right.to(y.dtype) - y) + F.cross_entropy(
        pred, right, reduction="none"
    ) * (y - left.to(y.dtype))


# --------------------------------------------------------------------------- boxes: values

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


def test_giou_loss_hand_computed() -> None:
    boxes1 = torch.tensor([UNIT] * len(HAND), dtype=DT)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=DT)
    expected = torch.tensor([1 - g for _, _, g in HAND], dtype=DT)
    assert_close(generalized_box_iou_loss(boxes1, boxes2, eps=0.0), expected)
    assert_close(generalized_box_iou_loss(boxes1, boxes2), expected, atol=1e-6, rtol=0)


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


@pytest.mark.parametrize("eps", [1e-7, 0.0, 0.5])
@pytest.mark.parametrize("seed", range(3))
def test_giou_loss_matches_torchvision_algorithm(seed: int, eps: float) -> None:
    boxes1, boxes2 = random_boxes(9, seed), random_boxes(9, seed + 50)
    expected = ref_giou_loss(boxes1, boxes2, eps)
    assert_close(generalized_box_iou_loss(boxes1, boxes2, eps=eps), expected)
    assert_close(generalized_box_iou_loss(boxes1, boxes2, "mean", eps), expected.mean())
    assert_close(generalized_box_iou_loss(boxes1, boxes2, "sum", eps), expected.sum())
    # any leading shape, including a single box of shape (4,)
    assert_close(generalized_box_iou_loss(boxes1.view(3, 3, 4), boxes2.view(3, 3, 4), eps=eps), expected.view(3, 3))
    assert_close(generalized_box_iou_loss(boxes1[0], boxes2[0], eps=eps), expected[0])


def test_degenerate_and_empty_boxes_follow_torchvision() -> None:
    point = torch.tensor([[1.0, 1.0, 1.0, 1.0]], dtype=DT)
    square = torch.tensor([[0.0, 0.0, 2.0, 2.0]], dtype=DT)
    # two zero-area boxes: union 0 -> 0/0 = NaN, as torchvision; eps keeps the loss finite
    assert box_iou(point, point).isnan().all() and generalized_box_iou(point, point).isnan().all()
    assert_close(generalized_box_iou_loss(point, point), torch.tensor([1.0], dtype=DT))
    # a zero-area box inside a real one: IoU 0, GIoU 0
    assert_close(generalized_box_iou(point, square), ref_matrix(point, square, 1))
    assert_close(generalized_box_iou(point, square), torch.zeros(1, 1, dtype=DT))
    empty = torch.zeros(0, 4, dtype=DT)
    assert generalized_box_iou(empty, square).shape == (0, 1) and box_iou(square, empty).shape == (1, 0)
    assert generalized_box_iou_loss(empty, empty).shape == (0,)
    assert_close(generalized_box_iou_loss(empty, empty, "mean"), torch.tensor(0.0, dtype=DT))  # not NaN
    assert_close(generalized_box_iou_loss(empty, empty, "sum"), torch.tensor(0.0, dtype=DT))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_boxes_are_computed_in_float32(dtype: torch.dtype) -> None:
    boxes1 = torch.tensor([UNIT], dtype=dtype)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=dtype)
    for result in (box_iou(boxes1, boxes2), generalized_box_iou(boxes1, boxes2)):
        assert result.dtype == torch.float32
    expected = generalized_box_iou(boxes1.to(DT), boxes2.to(DT)).float()
    assert_close(generalized_box_iou(boxes1, boxes2), expected)
    assert generalized_box_iou_loss(boxes1.expand(len(HAND), 4), boxes2).dtype == torch.float32


# --------------------------------------------------------------------------- boxes: gradients


def test_box_gradients_match_reference() -> None:
    boxes1, boxes2 = random_boxes(4, 7), random_boxes(5, 8)
    for fn, which in ((box_iou, 0), (generalized_box_iou, 1)):
        got = grad_of(fn, boxes1, boxes2)
        want = grad_of(lambda a, b, w=which: ref_matrix(a, b, w), boxes1, boxes2)
        for g, w in zip(got, want, strict=True):
            assert_close(g, w)
    a, b = random_boxes(6, 9), random_boxes(6, 10)
    for g, w in zip(grad_of(generalized_box_iou_loss, a, b), grad_of(ref_giou_loss, a, b), strict=True):
        assert_close(g, w)


def test_giou_loss_gradient_is_nonzero_for_disjoint_boxes() -> None:
    (g, _) = grad_of(generalized_box_iou_loss, torch.tensor([UNIT], dtype=DT), torch.tensor([[2.0, 0, 3, 1]], dtype=DT))
    assert g.abs().sum() > 0
    assert g[0, 2] < 0  # moving x2 right, towards the target, lowers the loss


def test_box_gradcheck() -> None:
    boxes1, boxes2 = random_boxes(3, 11), random_boxes(4, 12)
    for fn in (box_iou, generalized_box_iou):
        assert torch.autograd.gradcheck(fn, (boxes1.requires_grad_(), boxes2.requires_grad_()))
    a, b = random_boxes(4, 13).requires_grad_(), random_boxes(4, 14).requires_grad_()
    assert torch.autograd.gradcheck(lambda u, v: generalized_box_iou_loss(u, v, "mean"), (a, b))


# --------------------------------------------------------------------------- boxes: properties

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


@SETTINGS
@given(st.lists(st.tuples(box, box), min_size=1, max_size=6))
def test_giou_loss_is_one_minus_giou(pairs: list) -> None:
    boxes1 = torch.tensor([a for a, _ in pairs], dtype=DT)
    boxes2 = torch.tensor([b for _, b in pairs], dtype=DT)
    giou = generalized_box_iou(boxes1, boxes2).diagonal()
    assert_close(generalized_box_iou_loss(boxes1, boxes2, eps=0.0), 1 - giou)


# --------------------------------------------------------------------------- contrastive loss


def test_contrastive_label_convention_and_hand_values() -> None:
    d = torch.tensor([0.0, 0.5, 2.0, 0.0, 0.5, 1.0, 2.0], dtype=DT)
    label = torch.tensor([1, 1, 1, 0, 0, 0, 0])  # 1 = similar pair
    # similar: d²/2; dissimilar: max(0, 1 − d)²/2
    expected = torch.tensor([0.0, 0.125, 2.0, 0.5, 0.125, 0.0, 0.0], dtype=DT)
    assert_close(contrastive_loss(d, label, reduction="none"), expected)
    assert_close(contrastive_loss(d, label), expected.mean())
    by_hand = torch.tensor(0.125 + 2 + 4.5 + 3.125 + 2 + 0.5, dtype=DT)  # margin 3
    assert_close(contrastive_loss(d, label, margin=3.0, reduction="sum"), by_hand)
    # the paper's labels are the opposite ones: Y = 1 − label
    assert_close(contrastive_loss(d, label, reduction="none"), ref_contrastive(d, label))


@pytest.mark.parametrize("label_dtype", [torch.int64, torch.bool, torch.float32, DT])
def test_contrastive_matches_reference_for_any_label_dtype(label_dtype: torch.dtype) -> None:
    g = gen(3)
    d = torch.rand(4, 5, generator=g, dtype=DT) * 2
    label = torch.randint(0, 2, (4, 5), generator=g)
    got = contrastive_loss(d, label.to(label_dtype), margin=1.2, reduction="none")
    assert_close(got, ref_contrastive(d, label, 1.2))


def test_contrastive_gradients() -> None:
    g = gen(4)
    d = torch.rand(12, generator=g, dtype=DT) * 2 + 0.01
    d = torch.where((d - 1).abs() < 1e-2, d + 0.05, d)  # away from the kink d = m
    label = torch.randint(0, 2, (12,), generator=g)
    (got,) = grad_of(lambda x: contrastive_loss(x, label, reduction="none"), d)
    (want,) = grad_of(lambda x: ref_contrastive(x, label), d)
    assert_close(got, want)
    assert torch.autograd.gradcheck(lambda x: contrastive_loss(x, label), (d.requires_grad_(),))


@SETTINGS
@given(st.lists(st.tuples(st.floats(0, 1e3), st.integers(0, 1)), min_size=1, max_size=20), st.floats(0, 10))
def test_contrastive_nonnegative(pairs: list, margin: float) -> None:
    d = torch.tensor([p for p, _ in pairs], dtype=DT)
    label = torch.tensor([y for _, y in pairs])
    loss = contrastive_loss(d, label, margin, reduction="none")
    assert (loss >= 0).all()
    assert (loss[(label == 0) & (d >= margin)] == 0).all()  # dissimilar beyond the margin: free


# --------------------------------------------------------------------------- Dice loss


def test_dice_hand_values() -> None:
    p = torch.tensor([[1.0, 0.0], [0.5, 0.5], [0.0, 0.0]], dtype=DT)
    t = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], dtype=DT)
    # (2·1 + 1)/(1 + 1 + 1) = 1; (2·0.5 + 1)/(1 + 1 + 1) = 2/3; empty vs empty: (0 + 1)/(0 + 1) = 1
    assert_close(dice_loss(p, t, reduction="none"), torch.tensor([0.0, 1 / 3, 0.0], dtype=DT))
    # smooth=0: 2·0.5 / 2 = 1/2
    assert_close(dice_loss(p[1:2], t[1:2], smooth=0.0), torch.tensor(0.5, dtype=DT))
    assert dice_loss(p[2:], t[2:], smooth=0.0).isnan()  # 0/0, as documented


@pytest.mark.parametrize("smooth", [0.0, 1e-5, 1.0])
def test_dice_matches_reference(smooth: float) -> None:
    g = gen(5)
    p = torch.rand(3, 2, 4, 5, generator=g, dtype=DT)
    t = (torch.rand(3, 2, 4, 5, generator=g, dtype=DT) > 0.5).to(DT)
    expected = ref_dice(p, t, smooth)
    assert_close(dice_loss(p, t, smooth, reduction="none"), expected)
    assert_close(dice_loss(p, t, smooth), expected.mean())
    assert_close(dice_loss(p, t, smooth, "sum"), expected.sum())
    # dims=(-2, 3), i.e. (2, 3): one loss per sample and channel
    per_channel = dice_loss(p, t, smooth, "none", dims=(-2, 3))
    assert per_channel.shape == (3, 2)
    assert_close(per_channel, ref_dice(p.flatten(0, 1), t.flatten(0, 1), smooth).view(3, 2))
    # an int dims and 1-D input
    assert_close(dice_loss(p[0, 0, 0], t[0, 0, 0], smooth, dims=0), ref_dice(p[0, 0, :1], t[0, 0, :1], smooth)[0])


def test_dice_gradients() -> None:
    g = gen(6)
    p = torch.rand(2, 7, generator=g, dtype=DT) * 0.9 + 0.05
    t = torch.rand(2, 7, generator=g, dtype=DT)
    (got,) = grad_of(lambda x: dice_loss(x, t, reduction="none"), p)
    (want,) = grad_of(lambda x: ref_dice(x, t), p)
    assert_close(got, want)
    assert torch.autograd.gradcheck(lambda x, y: dice_loss(x, y), (p.requires_grad_(), t.requires_grad_()))


def vectors(k: int) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(0, 1), min_size=k, max_size=k)


@SETTINGS
@given(
    st.integers(1, 8).flatmap(lambda k: st.lists(st.tuples(vectors(k), vectors(k)), min_size=1, max_size=4)),
    st.floats(1e-6, 10),
)
def test_dice_in_unit_interval(samples: list, smooth: float) -> None:
    p = torch.tensor([a for a, _ in samples], dtype=DT)
    t = torch.tensor([b for _, b in samples], dtype=DT)
    loss = dice_loss(p, t, smooth, reduction="none")
    assert ((loss >= -1e-12) & (loss <= 1 + 1e-12)).all()
    mask = (t > 0.5).to(DT)
    assert_close(dice_loss(mask, mask, smooth, reduction="none"), torch.zeros_like(loss))  # a perfect mask costs 0


# --------------------------------------------------------------------------- QFL, VFL


def logits_and_scores(seed: int, shape=(6, 5)) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits in [-6, 6] and IoU-like targets: about half exactly 0 (negatives), the rest in (0, 1]."""
    g = gen(seed)
    x = torch.rand(shape, generator=g, dtype=DT) * 12 - 6
    q = torch.rand(shape, generator=g, dtype=DT)
    q = torch.where(torch.rand(shape, generator=g, dtype=DT) < 0.5, torch.zeros_like(q), q)
    q.view(-1)[0] = 1.0
    return x, q


@pytest.mark.parametrize("beta", [0.0, 1.0, 2.0, 3.5])
def test_qfl_matches_paper_formula(beta: float) -> None:
    x, y = logits_and_scores(int(beta * 10))
    expected = ref_qfl(x, y, beta)
    assert_close(quality_focal_loss(x, y, beta, "none"), expected)
    assert_close(quality_focal_loss(x, y, beta), expected.mean())
    assert_close(quality_focal_loss(x, y, beta, "sum"), expected.sum())
    if beta == 0.0:
        assert_close(quality_focal_loss(x, y, beta, "none"), F.binary_cross_entropy_with_logits(x, y, reduction="none"))


@SETTINGS
@given(st.lists(st.tuples(st.floats(-30, 30), st.integers(0, 1)), min_size=1, max_size=20), st.floats(0, 5))
def test_qfl_with_hard_targets_is_sigmoid_focal_loss(pairs: list, beta: float) -> None:
    x = torch.tensor([v for v, _ in pairs], dtype=DT)
    y = torch.tensor([t for _, t in pairs], dtype=DT)
    # torchvision's sigmoid_focal_loss with alpha < 0 (no class weighting) and gamma = beta
    assert_close(quality_focal_loss(x, y, beta, "none"), ref_sigmoid_focal(x, y, alpha=-1, gamma=beta))


@pytest.mark.parametrize(("alpha", "gamma"), [(0.75, 2.0), (0.25, 0.0), (1.0, 0.5)])
def test_vfl_matches_paper_formula(alpha: float, gamma: float) -> None:
    x, q = logits_and_scores(int(gamma * 10))
    expected = ref_vfl(x, q, alpha, gamma)
    assert_close(varifocal_loss(x, q, alpha, gamma, "none"), expected)
    assert_close(varifocal_loss(x, q, alpha, gamma), expected.mean())
    assert_close(varifocal_loss(x, q, alpha, gamma, "sum"), expected.sum())
    # the two cases of eq. (2): q·BCE on positives, α p^γ · (−log(1 − p)) on negatives
    p, pos = torch.sigmoid(x), q > 0
    got = varifocal_loss(x, q, alpha, gamma, "none")
    assert_close(got[pos], (-q * (q * p.log() + (1 - q) * (1 - p).log()))[pos])
    assert_close(got[~pos], (-alpha * p**gamma * (1 - p).log())[~pos])


@pytest.mark.parametrize(("fn", "ref"), [(quality_focal_loss, ref_qfl), (varifocal_loss, ref_vfl)])
def test_qfl_vfl_gradients(fn, ref) -> None:
    x, q = logits_and_scores(21)
    got = grad_of(lambda a, b: fn(a, b, reduction="none"), x, q)
    want = grad_of(ref, x, q)
    assert_close(got[0], want[0])
    if fn is quality_focal_loss:
        assert_close(got[1], want[1])
    else:  # mmdetection's α|p − q|^γ also depends on q at q = 0; the paper's α p^γ does not
        positive = q > 0
        assert_close(got[1][positive], want[1][positive])
    xs, qs = x[:2, :3].clone(), q[:2, :3].clone()
    assert torch.autograd.gradcheck(lambda a: fn(a, qs), (xs.requires_grad_(),))


# --------------------------------------------------------------------------- DFL


def test_dfl_hand_values_and_edge_rule() -> None:
    pred = torch.tensor([[0.0, 2.0, 2.0, 0.0], [0.0, 0.0, 0.0, 5.0], [1.0, 0.0, 0.0, 0.0]], dtype=DT)
    log_s = torch.log_softmax(pred, dim=-1)
    # y = 1.5: half the mass on bin 1, half on bin 2; y = n = 3: all on bin 3; y = 0: all on bin 0
    expected = -torch.stack([0.5 * log_s[0, 1] + 0.5 * log_s[0, 2], log_s[1, 3], log_s[2, 0]])
    target = torch.tensor([1.5, 3.0, 0.0], dtype=DT)
    assert_close(distribution_focal_loss(pred, target, "none"), expected)
    # y = n is the limit y -> n
    near = distribution_focal_loss(pred[1:2], torch.tensor([3.0 - 1e-9], dtype=DT), "none")
    assert_close(near, expected[1:2], atol=1e-7, rtol=0)


def test_dfl_matches_paper_formula() -> None:
    g = gen(31)
    n = 7
    pred = torch.randn(10, n + 1, generator=g, dtype=DT) * 3
    y = torch.rand(10, generator=g, dtype=DT) * n
    y[0], y[1] = 0.0, 4.0  # integer targets put all the mass on one bin
    expected = ref_dfl(pred, y)
    assert_close(distribution_focal_loss(pred, y, "none"), expected)
    assert_close(distribution_focal_loss(pred, y), expected.mean())
    assert_close(distribution_focal_loss(pred, y, "sum"), expected.sum())
    # leading dims: (N, 4 sides, n + 1)
    assert_close(distribution_focal_loss(pred[:8].view(2, 4, n + 1), y[:8].view(2, 4), "none"), expected[:8].view(2, 4))
    got = grad_of(lambda a, b: distribution_focal_loss(a, b, "none"), pred, y)
    for gg, ww in zip(got, grad_of(ref_dfl, pred, y), strict=True):
        assert_close(gg, ww)
    assert torch.autograd.gradcheck(lambda a: distribution_focal_loss(a, y[:3]), (pred[:3].clone().requires_grad_(),))


@SETTINGS
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(st.just(n), st.floats(0, n), st.lists(st.floats(-20, 20), min_size=n + 1, max_size=n + 1))
    )
)
def test_dfl_is_minimal_at_the_two_bin_distribution(case: tuple) -> None:
    n, y, logits = case
    i = min(math.floor(y), n - 1)
    q = torch.zeros(n + 1, dtype=DT)
    q[i], q[i + 1] = (i + 1) - y, y - i  # the target distribution; its mean is y
    assert_close((q * torch.arange(n + 1, dtype=DT)).sum(), torch.tensor(y, dtype=DT))
    entropy = -(q[q > 0] * q[q > 0].log()).sum()
    target = torch.tensor([y], dtype=DT)
    at_q = distribution_focal_loss(q.clamp_min(1e-300).log().unsqueeze(0), target)
    assert_close(at_q, entropy, atol=1e-9, rtol=0)
    assert distribution_focal_loss(torch.tensor([logits], dtype=DT), target) >= entropy - 1e-9  # Gibbs' inequality


# --------------------------------------------------------------------------- stability

LOGIT_LOSSES = {
    "quality_focal_loss": (quality_focal_loss, ref_qfl),
    "varifocal_loss": (varifocal_loss, ref_vfl),
}


@pytest.mark.parametrize("name", LOGIT_LOSSES)
@pytest.mark.parametrize("scale", [100.0, 1e4])
def test_extreme_logits_are_finite(name: str, scale: float) -> None:
    fn, ref = LOGIT_LOSSES[name]
    x = torch.tensor([-scale, scale, -scale, scale, -scale, scale], dtype=DT)
    q = torch.tensor([0.0, 0.0, 1.0, 1.0, 0.3, 0.3], dtype=DT)
    x_leaf = x.clone().requires_grad_()
    loss = fn(x_leaf, q, reduction="none")
    (grad,) = torch.autograd.grad(loss.sum(), x_leaf)
    assert loss.isfinite().all() and grad.isfinite().all()
    assert_close(loss, ref(x, q))
    assert_close(grad, grad_of(ref, x, q)[0])


@pytest.mark.parametrize("scale", [100.0, 1e4])
def test_dfl_extreme_logits_are_finite(scale: float) -> None:
    pred = torch.tensor([[scale, -scale, 0.0, scale], [-scale, -scale, scale, -scale]], dtype=DT)
    y = torch.tensor([0.5, 1.0], dtype=DT)
    pred_leaf = pred.clone().requires_grad_()
    loss = distribution_focal_loss(pred_leaf, y, "none")
    (grad,) = torch.autograd.grad(loss.sum(), pred_leaf)
    assert loss.isfinite().all() and grad.isfinite().all()
    assert_close(loss, ref_dfl(pred, y))
    assert_close(grad, grad_of(ref_dfl, pred, y)[0])


# --------------------------------------------------------------------------- errors

B = torch.tensor([UNIT], dtype=DT)
V = torch.tensor([0.5, 0.5], dtype=DT)
ALL_LOSSES = {
    "contrastive_loss": lambda r: contrastive_loss(V, torch.tensor([1, 0]), reduction=r),
    "dice_loss": lambda r: dice_loss(V.view(1, 2), V.view(1, 2), reduction=r),
    "generalized_box_iou_loss": lambda r: generalized_box_iou_loss(B, B, reduction=r),
    "quality_focal_loss": lambda r: quality_focal_loss(V, V, reduction=r),
    "varifocal_loss": lambda r: varifocal_loss(V, V, reduction=r),
    "distribution_focal_loss": lambda r: distribution_focal_loss(V.view(1, 2), V[:1], reduction=r),
}


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_invalid_reduction(name: str) -> None:
    with pytest.raises(ValueError, match=rf"{name}: reduction='avg' is not valid"):
        ALL_LOSSES[name]("avg")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: generalized_box_iou(B, torch.tensor([UNIT, [2.0, 0, 1, 1]])),
            ValueError,
            r"generalized_box_iou: boxes2\[1\] = \(2, 0, 1, 1\) has x2 < x1",
        ),
        (
            lambda: box_iou(torch.tensor([[0.0, 3, 1, 1], UNIT]), B),
            ValueError,
            r"box_iou: boxes1\[0\] = \(0, 3, 1, 1\) has y2 < y1",
        ),
        (
            lambda: generalized_box_iou_loss(torch.tensor([[[1.0, 1, 0, 0]]]), torch.zeros(1, 1, 4)),
            ValueError,
            r"boxes1\[0, 0\] = \(1, 1, 0, 0\) has x2 < x1 and y2 < y1",
        ),
        (
            lambda: generalized_box_iou_loss(torch.tensor([1.0, 0, 0, 1]), torch.tensor(UNIT)),
            ValueError,
            r"boxes1 = \(1, 0, 0, 1\) has x2 < x1",
        ),
        (
            lambda: box_iou(torch.zeros(2, 5), B),
            ValueError,
            r"box_iou: boxes1 must have shape \(\*, N, 4\).*got \(2, 5\)",
        ),
        (lambda: generalized_box_iou(B, torch.zeros(4)), ValueError, r"boxes2 must have shape \(\*, N, 4\)"),
        (
            lambda: generalized_box_iou(torch.zeros(2, 1, 4), torch.zeros(3, 1, 4)),
            ValueError,
            r"batch dims of boxes1 \(2, 1, 4\) and boxes2 \(3, 1, 4\) do not broadcast",
        ),
        (
            lambda: generalized_box_iou_loss(torch.zeros(2, 3), torch.zeros(2, 3)),
            ValueError,
            r"shape \(\*, 4\).*got \(2, 3\)",
        ),
        (lambda: generalized_box_iou_loss(torch.zeros(2, 4), torch.zeros(3, 4)), ValueError, r"same shape"),
        (lambda: generalized_box_iou_loss(B, B, eps=-1.0), ValueError, r"eps=-1.0 is not allowed"),
        (
            lambda: box_iou(torch.zeros(1, 4, dtype=torch.int64), B),
            TypeError,
            r"box_iou: boxes1 must have a floating-point dtype",
        ),
        (lambda: box_iou([UNIT], B), TypeError, r"boxes1 must be a torch.Tensor, got list"),
        (
            lambda: contrastive_loss(V, torch.tensor([1, 2])),
            ValueError,
            r"contrastive_loss: label must be 1 \(similar pair\) or 0 \(dissimilar pair\), got 2 at index \(1,\)",
        ),
        (lambda: contrastive_loss(V, torch.tensor([0.5, 1.0])), ValueError, r"label must be 1 .* got 0.5"),
        (
            lambda: contrastive_loss(-V, torch.tensor([1, 0])),
            ValueError,
            r"contrastive_loss: distance must be >= 0, got -0.5 at index \(0,\)",
        ),
        (lambda: contrastive_loss(V, torch.tensor([1, 0]), margin=-1.0), ValueError, r"margin=-1.0 is not allowed"),
        (lambda: contrastive_loss(V, torch.tensor([1, 0, 1])), ValueError, r"same shape"),
        (
            lambda: contrastive_loss(torch.tensor([1, 0]), torch.tensor([1, 0])),
            TypeError,
            r"distance must have a floating-point dtype",
        ),
        (
            lambda: dice_loss(V.view(1, 2) * 3, V.view(1, 2)),
            ValueError,
            r"dice_loss: input must lie in \[0, 1\], got 1.5 at index \(0, 0\)",
        ),
        (lambda: dice_loss(V.view(1, 2), -V.view(1, 2)), ValueError, r"target must lie in \[0, 1\]"),
        (lambda: dice_loss(V, V), ValueError, r"at least 2 dims.*pass dims="),
        (lambda: dice_loss(V, V, dims=1), ValueError, r"dims=\(1,\) is out of range"),
        (lambda: dice_loss(V.view(1, 2), V.view(1, 2), dims=(1, -1)), ValueError, r"names a dimension twice"),
        (lambda: dice_loss(V, V, dims=()), TypeError, r"non-empty sequence of ints"),
        (lambda: dice_loss(V.view(1, 2), V.view(2, 1)), ValueError, r"same shape"),
        (lambda: dice_loss(V.view(1, 2), V.view(1, 2), smooth=-1.0), ValueError, r"smooth=-1.0 is not allowed"),
        (
            lambda: quality_focal_loss(V, V + 1),
            ValueError,
            r"quality_focal_loss: target_score must lie in \[0, 1\], got 1.5",
        ),
        (lambda: quality_focal_loss(V, V, beta=-2.0), ValueError, r"beta=-2.0 is not allowed"),
        (lambda: varifocal_loss(V, -V), ValueError, r"varifocal_loss: target_score must lie in \[0, 1\]"),
        (lambda: varifocal_loss(V, V, alpha=-0.5), ValueError, r"alpha=-0.5 is not allowed"),
        (lambda: varifocal_loss(V, V, gamma=float("inf")), ValueError, r"gamma=inf is not allowed"),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.tensor([1.0, 3.5])),
            ValueError,
            r"distribution_focal_loss: target must lie in \[0, 3\], got 3.5 at index \(1,\)",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.tensor([-0.1, 1.0])),
            ValueError,
            r"target must lie in \[0, 3\], got -0.1",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.zeros(3)),
            ValueError,
            r"pred must have shape \(\*, n \+ 1\).*got pred \(2, 4\) and target \(3,\)",
        ),
        (lambda: distribution_focal_loss(torch.zeros(2, 1), torch.zeros(2)), ValueError, r"n \+ 1 >= 2 bins"),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.zeros(2, dtype=torch.int64)),
            TypeError,
            r"target must have a floating-point dtype",
        ),
    ],
)
def test_bad_input_raises(call, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
