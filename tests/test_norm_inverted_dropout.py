"""dlref.norm.dropout against F.dropout and F.dropout2d: the same mask from the same generator state; statistics."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from dlref.norm import dropout, dropout2d

from .torch_reference import DT, gen

N = 1_000_000  # elements for the statistical tests
Z = 5.0  # tolerance in standard errors: a correct sampler fails a check with probability below 1e-6


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def exact(ours: torch.Tensor, theirs: torch.Tensor) -> None:
    assert_close(ours, theirs, rtol=0, atol=0, equal_nan=True)


def rand(shape: tuple[int, ...], seed: int, dtype: torch.dtype = DT) -> torch.Tensor:
    return torch.randn(shape, dtype=dtype, generator=gen(seed))


# --------------------------------------------------------------------------- the same mask as torch


@pytest.mark.parametrize("shape", [(7,), (5, 9), (3, 4, 5, 6), (2, 3, 2, 2, 2)])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.75])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_dropout_draws_torchs_mask_from_the_same_generator_state(shape: tuple[int, ...], p: float,
                                                                 dtype: torch.dtype) -> None:
    x = rand(shape, 1, dtype)
    torch.manual_seed(3)
    theirs = F.dropout(x, p)
    torch.manual_seed(3)
    exact(dropout(x, p), theirs)  # the global generator, as torch
    exact(dropout(x, p, generator=gen(3)), theirs)  # a generator in the same state


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_dropout2d_draws_torchs_mask_from_the_same_generator_state(p: float, dtype: torch.dtype) -> None:
    x = rand((4, 6, 3, 5), 2, dtype)
    torch.manual_seed(8)
    theirs = F.dropout2d(x, p)
    torch.manual_seed(8)
    exact(dropout2d(x, p), theirs)
    exact(dropout2d(x, p, generator=gen(8)), theirs)


@pytest.mark.parametrize("fn", [dropout, dropout2d])
def test_inplace_writes_the_same_values_into_the_input(fn) -> None:
    x = rand((3, 4, 2, 2), 4)
    expected = fn(x, 0.4, generator=gen(5))
    y = x.clone()
    out = fn(y, 0.4, inplace=True, generator=gen(5))
    assert out.data_ptr() == y.data_ptr()
    exact(y, expected)


def test_gradient_matches_torch_from_the_same_generator_state() -> None:
    x = rand((6, 5), 6)
    cot = rand((6, 5), 7)
    grads = []
    for fn in (dropout, F.dropout):
        leaf = x.clone().requires_grad_()
        torch.manual_seed(11)
        (grad,) = torch.autograd.grad(fn(leaf, 0.3), leaf, cot)
        grads.append(grad)
    exact(*grads)


# --------------------------------------------------------------------------- what dropout means


@pytest.mark.parametrize("p", [0.2, 0.5, 0.75])
def test_expected_output_is_the_input(p: float) -> None:
    x = torch.full((N,), 3.0, dtype=DT)
    y = dropout(x, p, generator=gen(0))
    # y_i = 3 m_i / (1 - p): mean 3, standard deviation 3 √(p / (1 - p)) per element
    se = 3.0 * math.sqrt(p / (1 - p)) / math.sqrt(N)
    assert abs(float(y.mean()) - 3.0) < Z * se
    # the kept fraction is 1 - p, with standard error √(p (1 - p) / N)
    kept = float((y != 0).to(DT).mean())
    assert abs(kept - (1 - p)) < Z * math.sqrt(p * (1 - p) / N)
    assert set(torch.unique(y).tolist()) == {0.0, 3.0 / (1 - p)}


def test_dropout2d_keeps_or_drops_whole_maps_with_probability_one_minus_p() -> None:
    p, n, c = 0.3, 1000, 200  # 200,000 maps
    y = dropout2d(torch.ones(n, c, 2, 3, dtype=DT), p, generator=gen(1))
    exact(y, y[:, :, :1, :1].expand_as(y))  # one value per map
    kept = float((y[:, :, 0, 0] != 0).to(DT).mean())
    assert abs(kept - (1 - p)) < Z * math.sqrt(p * (1 - p) / (n * c))
    assert abs(float(y.mean()) - 1.0) < Z * math.sqrt(p / (1 - p)) / math.sqrt(n * c)


@pytest.mark.parametrize("fn", [dropout, dropout2d])
def test_evaluation_and_p_zero_return_the_input_itself(fn) -> None:
    x = rand((2, 3, 4, 4), 2)
    assert fn(x, 0.5, training=False) is x
    assert fn(x, 0.0) is x
    assert F.dropout(x, 0.5, training=False) is x  # as torch


@pytest.mark.parametrize("fn", [dropout, dropout2d])
def test_p_one_zeroes_everything_without_drawing(fn) -> None:
    x = rand((2, 3, 4, 4), 3)
    x[0, 0, 0, 0] = math.inf
    x[0, 0, 0, 1] = math.nan
    g = gen(4)
    state = g.get_state()
    y = fn(x, 1.0, generator=g)
    exact(y, F.dropout(x, 1.0))  # 0 · x: zeros, NaN where x is inf or NaN
    assert int((y == 0).sum()) == x.numel() - 2
    assert torch.equal(g.get_state(), state)  # nothing drawn
    leaf = x.clone().requires_grad_()
    (grad,) = torch.autograd.grad(fn(leaf, 1.0).sum(), leaf)
    exact(grad, torch.zeros_like(x))


@pytest.mark.parametrize("p", [0.25, 0.5, 0.8])
def test_gradient_flows_only_through_kept_units_scaled_by_one_over_one_minus_p(p: float) -> None:
    x = (torch.rand(50, 40, dtype=DT, generator=gen(5)) + 0.5).requires_grad_()  # no zeros
    cot = rand((50, 40), 6)
    y = dropout(x, p, generator=gen(7))
    (grad,) = torch.autograd.grad(y, x, cot)
    kept = y != 0
    assert 0 < int(kept.sum()) < x.numel()
    exact(grad, torch.where(kept, cot * (1 / (1 - p)), torch.zeros_like(cot)))  # ∂y/∂x = m / (1 - p)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("fn", [dropout, dropout2d])
def test_bad_arguments_raise(fn) -> None:
    name = fn.__name__
    x = torch.ones(2, 3, 4, 4)
    for p in (-0.1, 1.5, math.nan):
        with raises(ValueError, f"{name}: p is out of range (got {p!r}); expected a finite number >= 0 and <= 1"):
            fn(x, p)
    with raises(TypeError, f"{name}: p has the wrong type (got str); expected a real number (int or float)"):
        fn(x, "0.5")
    with raises(TypeError, f"{name}: input has the wrong type (got list); expected a torch.Tensor"):
        fn([1.0, 2.0])
    with raises(TypeError, f"{name}: input has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        fn(torch.ones(2, 3, 4, 4, dtype=torch.long))
    with raises(TypeError, f"{name}: training has the wrong type (got int); expected True or False"):
        fn(x, 0.5, 1)
    with raises(TypeError, f"{name}: inplace has the wrong type (got NoneType); expected True or False"):
        fn(x, 0.5, True, None)
    with raises(TypeError, f"{name}: generator has the wrong type (got int); expected a torch.Generator or None"):
        fn(x, 0.5, generator=0)


def test_dropout2d_refuses_the_ambiguous_3d_input() -> None:
    """Deliberate difference: torch reads (C, H, W) as (N, C, L) with a warning; dlref raises."""
    with raises(ValueError, "dropout2d: input has the wrong number of dimensions (got 3-D of shape (3, 4, 4)); "
                            "expected 4-D (N, C, H, W)"):
        dropout2d(torch.ones(3, 4, 4))
    with pytest.warns(UserWarning, match="Received a 3D input"):
        F.dropout2d(torch.ones(3, 4, 4))
