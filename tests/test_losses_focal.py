"""dlref.losses.focal against torchvision's formula and a reference softmax focal loss: values, gradients, errors."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses.cross_entropy_family import binary_cross_entropy_with_logits
from dlref.losses.focal import sigmoid_focal_loss, softmax_focal_loss

from .torch_reference import CLASS_SHAPES, DT, REDUCTIONS, class_weight, gen, grads, indices, logits, same


def tv_sigmoid_focal(inputs, targets, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"):
    """torchvision.ops.sigmoid_focal_loss, written out (torchvision is not installable here)."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]


def ref_softmax_focal(input, target, alpha=None, gamma=2.0, ignore_index=-100, reduction="mean"):
    """−α_t (1 − p_t)^γ log p_t with torch's own log_softmax; mean over non-ignored targets."""
    cd = 0 if input.dim() == 1 else 1
    valid = target != ignore_index
    safe = torch.where(valid, target, 0)
    logpt = F.log_softmax(input, cd).gather(cd, safe.unsqueeze(cd)).squeeze(cd)
    loss = -((1 - logpt.exp()) ** gamma) * logpt
    if alpha is not None:
        loss = loss * alpha[safe]
    loss = torch.where(valid, loss, 0.0)
    return {"none": loss, "mean": loss.sum() / valid.sum(), "sum": loss.sum()}[reduction]


# --------------------------------------------------------------------------- focal losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("alpha", "gamma"), [(0.25, 2.0), (-1.0, 2.0), (0.5, 0.0), (0.9, 1.5), (0.25, 0.5)])
@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 4)], ids=str)
def test_sigmoid_focal_matches_torchvision_formula(shape, alpha: float, gamma: float, reduction: str) -> None:
    x = logits(shape, 80)
    hard = (torch.rand(shape, generator=gen(81)) < 0.4).to(DT)
    soft = torch.rand(shape, dtype=DT, generator=gen(82))
    for y in (hard, soft):
        same(sigmoid_focal_loss, tv_sigmoid_focal, [x, y], [True, True], alpha=alpha, gamma=gamma,
             reduction=reduction)


@pytest.mark.parametrize("scale", [100.0, 1e4])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_sigmoid_focal_extreme_logits(scale: float, gamma: float) -> None:
    x = torch.tensor([-1.0, 1.0, -1.0, 1.0, 0.0], dtype=DT) * scale
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0], dtype=DT)
    ours = grads(sigmoid_focal_loss, [x, y], [True, False], gamma=gamma)
    assert all(torch.isfinite(t).all() for t in ours)  # finite for every gamma >= 0
    theirs = grads(tv_sigmoid_focal, [x, y], [True, False], gamma=gamma)
    assert_close(ours[0], theirs[0])
    finite = torch.isfinite(theirs[1])  # the reference's gradient is NaN at saturated logits when gamma < 1
    assert_close(ours[1][finite], theirs[1][finite])
    assert finite.all() or gamma < 1


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), seed=st.integers(0, 2**31 - 1), scale=st.sampled_from([1.0, 10.0, 1e3]),
       alpha=st.sampled_from([-1.0, -0.25]), reduction=st.sampled_from(REDUCTIONS))
def test_sigmoid_focal_gamma0_no_alpha_is_bce_with_logits(n, seed, scale, alpha, reduction) -> None:
    x = logits((n,), seed, scale=scale)
    y = torch.rand(n, dtype=DT, generator=gen(seed + 1)).round()
    focal = sigmoid_focal_loss(x, y, alpha=alpha, gamma=0.0, reduction=reduction)
    assert_close(focal, binary_cross_entropy_with_logits(x, y, reduction=reduction), rtol=0, atol=0)
    assert_close(focal, F.binary_cross_entropy_with_logits(x, y, reduction=reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize(("alpha", "gamma"), [(False, 2.0), (True, 2.0), (True, 0.0), (False, 0.5)])
@pytest.mark.parametrize("ignore", [None, -100])
def test_softmax_focal_matches_reference(shape, alpha: bool, gamma: float, reduction: str, ignore) -> None:
    x, t = logits(shape, 90), indices(shape, 91, ignore=ignore)
    a = class_weight(shape, 92) if alpha else None
    same(softmax_focal_loss, ref_softmax_focal, [x, t], [True, False], alpha=a, gamma=gamma, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
def test_softmax_focal_gamma0_is_cross_entropy(shape, reduction: str) -> None:
    x, t = logits(shape, 93), indices(shape, 94)
    same(lambda a, b, **kw: softmax_focal_loss(a, b, gamma=0.0, **kw), F.cross_entropy, [x, t], [True, False],
         reduction=reduction)
    # with alpha, 'sum' (and 'none') equal cross_entropy with weight=alpha; 'mean' divides by the count instead
    w = class_weight(shape, 95)
    assert_close(softmax_focal_loss(x, t, alpha=w, gamma=0.0, reduction="sum"),
                 F.cross_entropy(x, t, weight=w, reduction="sum"))


@pytest.mark.parametrize("scale", [100.0, 1e4])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_softmax_focal_extreme_logits(scale: float, gamma: float) -> None:
    x = torch.tensor([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.5], [0.0, 0.0, -1.0]], dtype=DT) * scale
    t = torch.tensor([0, 0, 2])
    out = grads(softmax_focal_loss, [x, t], [True, False], gamma=gamma)
    assert all(torch.isfinite(g).all() for g in out)
    assert_close(out[0], ref_softmax_focal(x, t, gamma=gamma))


def test_softmax_focal_all_ignored_mean_is_nan() -> None:
    x, t = logits((3, 4), 50), torch.full((3,), -100)
    assert math.isnan(softmax_focal_loss(x, t).item())


def test_softmax_focal_double_backward() -> None:
    x = logits((3, 4, 2), 54).requires_grad_()
    t = torch.tensor([[0, 3], [1, -100], [2, 2]])
    assert torch.autograd.gradgradcheck(lambda a: softmax_focal_loss(a, t, gamma=1.5), (x,))


# --------------------------------------------------------------------------- errors


X45 = torch.zeros(4, 5, dtype=DT)
T4 = torch.tensor([0, 1, 2, 3])


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def test_class_index_out_of_range() -> None:
    allowed = "expected a class index in 0..4 (input shape (4, 5)) or ignore_index=-100"
    with raises(ValueError, f"softmax_focal_loss: target has a class index out of range (got 7 at index (1,)); "
                f"{allowed}"):
        softmax_focal_loss(X45, torch.tensor([0, 7, 1, -100]))
    with raises(ValueError, f"softmax_focal_loss: target has a class index out of range (got -3 at index (1,)); "
                f"{allowed}"):
        softmax_focal_loss(X45, torch.tensor([0, -3, 1, 2]))
    softmax_focal_loss(X45, torch.tensor([0, 4, 1, -100]))  # ignore_index is excluded from the check
    softmax_focal_loss(X45, torch.tensor([0, 9, 9, 2]), ignore_index=9)


def test_shape_reduction_and_parameter_errors() -> None:
    a, b = torch.zeros(3, dtype=DT), torch.zeros(3, 1, dtype=DT)
    with raises(ValueError, "sigmoid_focal_loss: targets has a different shape from inputs (got (3, 1)); "
                "expected (3,), the shape of inputs"):
        sigmoid_focal_loss(a, b)
    with raises(ValueError, "sigmoid_focal_loss: reduction is not a valid choice (got 'avg'); expected one of "
                "'none', 'mean', 'sum'"):
        sigmoid_focal_loss(a, a, reduction="avg")
    with raises(ValueError, "sigmoid_focal_loss: gamma is out of range (got -1.0); expected a finite number >= 0"):
        sigmoid_focal_loss(a, a, gamma=-1.0)
    with raises(ValueError, "softmax_focal_loss: gamma is out of range (got -2); expected a finite number >= 0"):
        softmax_focal_loss(X45, T4, gamma=-2)
    with raises(TypeError, "sigmoid_focal_loss: alpha has the wrong type (got NoneType); expected a real number "
                "(int or float)"):
        sigmoid_focal_loss(a, a, alpha=None)
    with raises(ValueError, "softmax_focal_loss: alpha has the wrong shape (got ()); expected (5,), one entry per "
                "class"):
        softmax_focal_loss(X45, T4, alpha=torch.tensor(0.25, dtype=DT))
