"""dlref.losses.dense_detection against independent formulas: values, hand cases, gradients, properties, errors.

No counterpart (torchvision, mmdetection) is installed, so each loss is compared with a
plain re-statement of the paper's formula or of torchvision's published algorithm,
built from torch.nn.functional pieces (binary_cross_entropy_with_logits, cross_entropy)
and scalar loops, never from dlref. The GIoU loss is also checked against
`dlref.boxes.generalized_box_iou`, which tests/test_boxes.py checks independently.
"""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.boxes import generalized_box_iou
from dlref.losses.dense_detection import (
    distribution_focal_loss,
    generalized_box_iou_loss,
    quality_focal_loss,
    varifocal_loss,
)

from .torch_reference import DT, SETTINGS, gen, grad_of, random_boxes

# --------------------------------------------------------------------------- independent references


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


# --------------------------------------------------------------------------- GIoU loss

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


def test_giou_loss_hand_computed() -> None:
    boxes1 = torch.tensor([UNIT] * len(HAND), dtype=DT)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=DT)
    expected = torch.tensor([1 - g for _, _, g in HAND], dtype=DT)
    assert_close(generalized_box_iou_loss(boxes1, boxes2, eps=0.0), expected)
    assert_close(generalized_box_iou_loss(boxes1, boxes2), expected, atol=1e-6, rtol=0)


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


def test_giou_loss_degenerate_and_empty_boxes_follow_torchvision() -> None:
    point = torch.tensor([[1.0, 1.0, 1.0, 1.0]], dtype=DT)
    # two zero-area boxes: GIoU is 0/0, eps keeps the loss finite
    assert_close(generalized_box_iou_loss(point, point), torch.tensor([1.0], dtype=DT))
    empty = torch.zeros(0, 4, dtype=DT)
    assert generalized_box_iou_loss(empty, empty).shape == (0,)
    assert_close(generalized_box_iou_loss(empty, empty, "mean"), torch.tensor(0.0, dtype=DT))  # not NaN
    assert_close(generalized_box_iou_loss(empty, empty, "sum"), torch.tensor(0.0, dtype=DT))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_giou_loss_of_half_precision_boxes_is_float32(dtype: torch.dtype) -> None:
    boxes1 = torch.tensor([UNIT], dtype=dtype)
    boxes2 = torch.tensor([b for b, _, _ in HAND], dtype=dtype)
    assert generalized_box_iou_loss(boxes1.expand(len(HAND), 4), boxes2).dtype == torch.float32


def test_giou_loss_gradients_match_reference() -> None:
    a, b = random_boxes(6, 9), random_boxes(6, 10)
    for g, w in zip(grad_of(generalized_box_iou_loss, a, b), grad_of(ref_giou_loss, a, b), strict=True):
        assert_close(g, w)


def test_giou_loss_gradient_is_nonzero_for_disjoint_boxes() -> None:
    (g, _) = grad_of(generalized_box_iou_loss, torch.tensor([UNIT], dtype=DT), torch.tensor([[2.0, 0, 3, 1]], dtype=DT))
    assert g.abs().sum() > 0
    assert g[0, 2] < 0  # moving x2 right, towards the target, lowers the loss


def test_giou_loss_gradcheck() -> None:
    a, b = random_boxes(4, 13).requires_grad_(), random_boxes(4, 14).requires_grad_()
    assert torch.autograd.gradcheck(lambda u, v: generalized_box_iou_loss(u, v, "mean"), (a, b))


coord = st.floats(-50, 50, allow_nan=False)
side = st.floats(1e-2, 50, allow_nan=False)
box = st.tuples(coord, coord, side, side).map(lambda b: [b[0], b[1], b[0] + b[2], b[1] + b[3]])


@SETTINGS
@given(st.lists(st.tuples(box, box), min_size=1, max_size=6))
def test_giou_loss_is_one_minus_giou(pairs: list) -> None:
    boxes1 = torch.tensor([a for a, _ in pairs], dtype=DT)
    boxes2 = torch.tensor([b for _, b in pairs], dtype=DT)
    giou = generalized_box_iou(boxes1, boxes2).diagonal()
    assert_close(generalized_box_iou_loss(boxes1, boxes2, eps=0.0), 1 - giou)


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


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: generalized_box_iou_loss(torch.tensor([[[1.0, 1, 0, 0]]]), torch.zeros(1, 1, 4)),
            ValueError,
            "generalized_box_iou_loss: boxes1 has a box with x2 < x1 and y2 < y1 (got boxes1[0, 0] = (1, 1, 0, 0)); "
            "expected (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2",
        ),
        (
            lambda: generalized_box_iou_loss(torch.tensor([1.0, 0, 0, 1]), torch.tensor(UNIT)),
            ValueError,
            "generalized_box_iou_loss: boxes1 has a box with x2 < x1 (got boxes1 = (1, 0, 0, 1)); "
            "expected (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2",
        ),
        (
            lambda: generalized_box_iou_loss(torch.zeros(2, 3), torch.zeros(2, 3)),
            ValueError,
            "generalized_box_iou_loss: boxes1 has the wrong shape (got (2, 3)); expected (*, 4): (x1, y1, x2, y2) "
            "boxes",
        ),
        (
            lambda: generalized_box_iou_loss(torch.zeros(2, 4), torch.zeros(3, 4)),
            ValueError,
            "generalized_box_iou_loss: boxes2 has a different shape from boxes1 (got (3, 4)); expected (2, 4), the "
            "shape of boxes1",
        ),
        (
            lambda: generalized_box_iou_loss(B, B, eps=-1.0),
            ValueError,
            "generalized_box_iou_loss: eps is out of range (got -1.0); expected a finite number >= 0",
        ),
        (
            lambda: quality_focal_loss(V, V + 1),
            ValueError,
            "quality_focal_loss: target_score has a value out of range (got 1.5 at index (0,)); "
            "expected values in [0, 1]",
        ),
        (
            lambda: quality_focal_loss(V, V, beta=-2.0),
            ValueError,
            "quality_focal_loss: beta is out of range (got -2.0); expected a finite number >= 0",
        ),
        (
            lambda: varifocal_loss(V, -V),
            ValueError,
            "varifocal_loss: target_score has a value out of range (got -0.5 at index (0,)); expected values in [0, 1]",
        ),
        (
            lambda: varifocal_loss(V, V, alpha=-0.5),
            ValueError,
            "varifocal_loss: alpha is out of range (got -0.5); expected a finite number >= 0",
        ),
        (
            lambda: varifocal_loss(V, V, gamma=float("inf")),
            ValueError,
            "varifocal_loss: gamma is out of range (got inf); expected a finite number >= 0",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.tensor([1.0, 3.5])),
            ValueError,
            "distribution_focal_loss: target has a value out of range (got 3.5 at index (1,)); "
            "expected values in [0, 3]",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.tensor([-0.1, 1.0])),
            ValueError,
            "distribution_focal_loss: target has a value out of range (got -0.1 at index (0,)); "
            "expected values in [0, 3]",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.zeros(3)),
            ValueError,
            "distribution_focal_loss: target does not match pred (got (3,)); expected (2,), the shape of pred "
            "(2, 4) without its last (bin) dim",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 1), torch.zeros(2)),
            ValueError,
            "distribution_focal_loss: pred has fewer than 2 bins along its last dim (got (2, 1)); "
            "expected shape (*, n + 1) with n + 1 >= 2 bins",
        ),
        (
            lambda: distribution_focal_loss(torch.zeros(2, 4), torch.zeros(2, dtype=torch.int64)),
            TypeError,
            "distribution_focal_loss: target has the wrong dtype (got torch.int64); expected a floating-point tensor",
        ),
    ],
)
def test_bad_input_raises(call, error: type, message: str) -> None:
    with raises(error, message):
        call()
