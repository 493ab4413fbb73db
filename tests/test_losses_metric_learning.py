"""dlref.losses.metric_learning against the paper's formula: values, hand-computed cases, gradients, errors."""

from __future__ import annotations

import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses.metric_learning import contrastive_loss

from .torch_reference import DT, SETTINGS, gen, grad_of


def ref_contrastive(d: torch.Tensor, label: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    """Hadsell et al. (2006) eq. (4) in the paper's own labels: Y = 0 similar, Y = 1 dissimilar."""
    Y = 1 - label.to(d.dtype)
    return (1 - Y) * 0.5 * d**2 + Y * 0.5 * torch.clamp(margin - d, min=0) ** 2


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


# --------------------------------------------------------------------------- errors

V = torch.tensor([0.5, 0.5], dtype=DT)


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: contrastive_loss(V, torch.tensor([1, 2])),
            ValueError,
            "contrastive_loss: label has an invalid label (got 2 at index (1,)); "
            "expected 1 (similar pair) or 0 (dissimilar pair)",
        ),
        (
            lambda: contrastive_loss(V, torch.tensor([0.5, 1.0])),
            ValueError,
            "contrastive_loss: label has an invalid label (got 0.5 at index (0,)); "
            "expected 1 (similar pair) or 0 (dissimilar pair)",
        ),
        (
            lambda: contrastive_loss(-V, torch.tensor([1, 0])),
            ValueError,
            "contrastive_loss: distance has a value out of range (got -0.5 at index (0,)); expected distances >= 0",
        ),
        (
            lambda: contrastive_loss(V, torch.tensor([1, 0]), margin=-1.0),
            ValueError,
            "contrastive_loss: margin is out of range (got -1.0); expected a finite number >= 0",
        ),
        (
            lambda: contrastive_loss(V, torch.tensor([1, 0, 1])),
            ValueError,
            "contrastive_loss: label has a different shape from distance (got (3,)); expected (2,), the shape of "
            "distance",
        ),
        (
            lambda: contrastive_loss(torch.tensor([1, 0]), torch.tensor([1, 0])),
            TypeError,
            "contrastive_loss: distance has the wrong dtype (got torch.int64); expected a floating-point tensor",
        ),
    ],
)
def test_bad_input_raises(call, error: type, message: str) -> None:
    with raises(error, message):
        call()
