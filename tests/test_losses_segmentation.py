"""dlref.losses.segmentation against an independent formula: values, hand-computed cases, gradients, errors."""

from __future__ import annotations

import re

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses.segmentation import dice_loss

from .torch_reference import DT, SETTINGS, gen, grad_of


def ref_dice(p: torch.Tensor, t: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    """Per-sample soft Dice loss, one flattened sample at a time."""
    out = []
    for pn, tn in zip(p.reshape(len(p), -1), t.reshape(len(t), -1), strict=True):
        out.append(1 - (2 * (pn * tn).sum() + smooth) / (pn.sum() + tn.sum() + smooth))
    return torch.stack(out)


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


# --------------------------------------------------------------------------- errors

V = torch.tensor([0.5, 0.5], dtype=DT)


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: dice_loss(V.view(1, 2) * 3, V.view(1, 2)),
            ValueError,
            "dice_loss: input has a value out of range (got 1.5 at index (0, 0)); expected probabilities in [0, 1]",
        ),
        (
            lambda: dice_loss(V.view(1, 2), -V.view(1, 2)),
            ValueError,
            "dice_loss: target has a value out of range (got -0.5 at index (0, 0)); expected values in [0, 1]",
        ),
        (
            lambda: dice_loss(V, V),
            ValueError,
            "dice_loss: input has too few dimensions to sum over the non-batch dims (got (2,)); "
            "expected shape (N, *) with at least 2 dims, or pass dims= to choose them",
        ),
        (
            lambda: dice_loss(V, V, dims=1),
            ValueError,
            "dice_loss: dims is out of range (got (1,)); expected dims in -1..0 for an input with 1 dims",
        ),
        (
            lambda: dice_loss(V.view(1, 2), V.view(1, 2), dims=(1, -1)),
            ValueError,
            "dice_loss: dims names a dimension twice (got (1, -1)); expected distinct dimensions",
        ),
        (
            lambda: dice_loss(V, V, dims=()),
            TypeError,
            "dice_loss: dims has the wrong type (got ()); expected an int or a non-empty sequence of ints",
        ),
        (
            lambda: dice_loss(V.view(1, 2), V.view(2, 1)),
            ValueError,
            "dice_loss: target has a different shape from input (got (2, 1)); expected (1, 2), the shape of input",
        ),
        (
            lambda: dice_loss(V.view(1, 2), V.view(1, 2), smooth=-1.0),
            ValueError,
            "dice_loss: smooth is out of range (got -1.0); expected a finite number >= 0",
        ),
    ],
)
def test_bad_input_raises(call, error: type, message: str) -> None:
    with raises(error, message):
        call()
