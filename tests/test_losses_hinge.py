"""dlref.losses.hinge against torch and an independent formula: values, gradients, errors."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses import hinge as H

from .torch_reference import DT, REDUCTIONS, gen, logits, same

# --------------------------------------------------------------------------- hinge losses


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.3, -0.5])
def test_hinge_embedding_loss_matches_torch(reduction: str, margin: float) -> None:
    x = torch.rand(5, 4, dtype=DT, generator=gen(70)) * 2
    x[0, :2] = margin  # the kink
    y = torch.randint(0, 2, (5, 4), generator=gen(71)) * 2 - 1
    for labels in (y, y.to(DT)):
        same(H.hinge_embedding_loss, F.hinge_embedding_loss, [x, labels], [True, False], margin=margin,
             reduction=reduction)


def test_hinge_loss_hand_computed() -> None:
    x = torch.tensor([2.0, 0.5, -0.5, 1.0, -3.0, 0.0], dtype=DT, requires_grad=True)
    y = torch.tensor([1, 1, 1, 1, -1, -1])
    loss = H.hinge_loss(x, y, reduction="none")
    # max(0, 1 - y x): 1 - 2 < 0 -> 0; 0.5; 1.5; kink 0; 1 - 3 < 0 -> 0; 1
    assert loss.tolist() == [0.0, 0.5, 1.5, 0.0, 0.0, 1.0]
    assert H.hinge_loss(x, y).item() == 0.5  # 3 / 6
    assert H.hinge_loss(x, y, margin=2.0, reduction="sum").item() == 0.0 + 1.5 + 2.5 + 1.0 + 0.0 + 2.0
    (g,) = torch.autograd.grad(loss.sum(), x)
    # -y where the margin is violated or exactly met (clamp_min's subgradient), else 0
    assert g.tolist() == [0.0, -1.0, -1.0, -1.0, 0.0, 1.0]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 20), seed=st.integers(0, 2**31 - 1), margin=st.floats(-2, 3),
       reduction=st.sampled_from(REDUCTIONS))
def test_hinge_loss_matches_independent_formula(n, seed, margin, reduction) -> None:
    x = logits((n,), seed, scale=2.0)
    y = torch.randint(0, 2, (n,), generator=gen(seed)) * 2.0 - 1
    pairs = zip(x.tolist(), y.tolist(), strict=True)
    per = torch.tensor([max(0.0, margin - yi * xi) for xi, yi in pairs], dtype=DT)
    expected = {"none": per, "mean": per.mean(), "sum": per.sum()}[reduction]
    assert_close(H.hinge_loss(x, y.to(DT), margin=margin, reduction=reduction), expected)


# --------------------------------------------------------------------------- errors


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def test_shape_and_parameter_errors() -> None:
    a, b = torch.zeros(3, dtype=DT), torch.zeros(3, 1, dtype=DT)
    for fn in (H.hinge_embedding_loss, H.hinge_loss):
        with raises(ValueError, f"{fn.__name__}: target has a different shape from input (got (3, 1)); "
                    "expected (3,), the shape of input"):
            fn(a, b)
    with raises(ValueError, "hinge_loss: margin is out of range (got nan); expected a finite number"):
        H.hinge_loss(a, a + 1, margin=math.nan)


def test_label_errors_for_hinge_losses() -> None:
    x = torch.zeros(2, 2, dtype=DT)
    with raises(ValueError, "hinge_loss: target has an invalid label (got 0 at index (0, 1)); expected only the "
                "labels -1 and 1"):
        H.hinge_loss(x, torch.tensor([[1, 0], [-1, 1]]))
    with raises(ValueError, "hinge_embedding_loss: target has an invalid label (got 0.5 at index (1, 1)); expected "
                "only the labels -1 and 1"):
        H.hinge_embedding_loss(x, torch.tensor([[1.0, -1.0], [-1.0, 0.5]], dtype=DT))
    # torch silently computes x + max(0, margin - x) for such a label
    assert F.hinge_embedding_loss(torch.tensor([0.25]), torch.tensor([0.0]), reduction="none").item() == 1.0
