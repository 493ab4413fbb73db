"""Gradient checking: central differences against torch.autograd; right and wrong gradients; float32; kinks; errors."""

from __future__ import annotations

import re

import pytest
import torch
from torch.testing import assert_close

from dlref.autograd import gradient_check, numerical_gradient

from .torch_reference import DT, gen

SMOOTH = {
    "quadratic": lambda v: (v**2).sum(),
    "sin_product": lambda v: (v * torch.sin(v)).sum(),
    "log_sum_exp": lambda v: torch.logsumexp(v.flatten(), 0),
    "sigmoid_net": lambda v: torch.sigmoid(v @ v.T if v.dim() == 2 else v * 2).sum() + v.tanh().prod(),
}
SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 2)]


def autograd_gradient(f, x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_()
    (grad,) = torch.autograd.grad(f(leaf), leaf)
    return grad


@pytest.mark.parametrize("name", SMOOTH)
@pytest.mark.parametrize("shape", SHAPES)
def test_central_differences_match_autograd_in_float64(name: str, shape: tuple[int, ...]) -> None:
    f, x = SMOOTH[name], torch.randn(shape, dtype=DT, generator=gen(len(shape)))
    assert_close(numerical_gradient(f, x), autograd_gradient(f, x), rtol=1e-7, atol=1e-8)
    assert gradient_check(f, x, autograd_gradient(f, x)) < 1e-7


def test_central_differences_are_second_order() -> None:
    # for a cubic, the central difference's error is exactly ε² (f''' / 6 = 1 for x³): halving ε quarters it
    x = torch.tensor([0.7], dtype=DT)
    errors = [(numerical_gradient(lambda v: (v**3).sum(), x, eps) - 3 * x**2).item() for eps in (1e-2, 5e-3)]
    assert_close(errors, [1e-4, 2.5e-5], rtol=1e-5, atol=0)


class WrongSigmoid(torch.autograd.Function):
    """σ with a backward that forgets the factor (1 - σ): a deliberately wrong gradient."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        s = torch.sigmoid(x)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        (s,) = ctx.saved_tensors
        return grad * s


@pytest.mark.parametrize("seed", range(4))
def test_a_wrong_gradient_fails_where_torch_gradcheck_fails(seed: int) -> None:
    x = torch.randn(6, dtype=DT, generator=gen(seed))

    def f(v: torch.Tensor) -> torch.Tensor:
        return (WrongSigmoid.apply(v) * torch.arange(1.0, 7.0, dtype=DT)).sum()

    wrong = autograd_gradient(f, x)
    right = autograd_gradient(lambda v: (torch.sigmoid(v) * torch.arange(1.0, 7.0, dtype=DT)).sum(), x)
    leaf = x.clone().requires_grad_()
    assert not torch.autograd.gradcheck(WrongSigmoid.apply, (leaf,), raise_exception=False)
    assert gradient_check(f, x, wrong) > 1e-3
    assert gradient_check(f, x, right) < 1e-7


def test_a_transposed_weight_gradient_fails() -> None:
    # dL/dW for L = sum(tanh(W x)) is (1 - tanh²) xᵀ; the classic bug writes its transpose (a square W hides it)
    W, x = torch.randn(3, 3, dtype=DT, generator=gen(1)), torch.randn(3, dtype=DT, generator=gen(2))
    f = lambda w: torch.tanh(w @ x).sum()  # noqa: E731
    right = torch.outer(1 - torch.tanh(W @ x) ** 2, x)
    assert gradient_check(f, W, right) < 1e-7
    assert gradient_check(f, W, right.T) > 1e-3


def test_float32_swamps_the_check_that_float64_passes() -> None:
    f = SMOOTH["sin_product"]
    x64 = torch.randn(20, dtype=DT, generator=gen(3))
    x32 = x64.float()
    assert gradient_check(f, x64, autograd_gradient(f, x64), eps=1e-6) < 1e-9
    assert gradient_check(f, x32, autograd_gradient(f, x32), eps=1e-6) > 1e-3  # a right gradient looks wrong
    assert gradient_check(f, x32, autograd_gradient(f, x32), eps=1e-2) < 1e-3  # a larger step helps, not enough
    assert gradient_check(f, x32, autograd_gradient(f, x32), eps=1e-2) > 1e-7
    assert numerical_gradient(f, x32).dtype == torch.float32


def test_error_against_eps_in_float64_has_a_sweet_spot() -> None:
    # truncation error ~ ε² for large ε, rounding error ~ u/ε for tiny ε
    f, x = SMOOTH["sin_product"], torch.randn(10, dtype=DT, generator=gen(4))
    a = autograd_gradient(f, x)
    errors = {eps: gradient_check(f, x, a, eps) for eps in (1e-1, 1e-5, 1e-12)}
    assert errors[1e-5] < 1e-9
    assert errors[1e-1] > 1e-4
    assert errors[1e-12] > 1e-6


def test_a_kink_within_eps_breaks_the_check_of_a_right_gradient() -> None:
    f = lambda v: torch.relu(v).sum()  # noqa: E731
    near = torch.tensor([1e-7, 1.0, -1.0], dtype=DT)  # the first element is 1e-7 from ReLU's kink
    far = torch.tensor([0.5, 1.0, -1.0], dtype=DT)
    assert_close(numerical_gradient(f, near), torch.tensor([0.55, 1.0, 0.0], dtype=DT))  # an average slope
    assert gradient_check(f, near, autograd_gradient(f, near)) > 1e-3
    assert gradient_check(f, far, autograd_gradient(f, far)) < 1e-10
    at = torch.tensor([0.0], dtype=DT)  # exactly at the kink: autograd says 0, the difference 1/2
    assert numerical_gradient(f, at).item() == 0.5
    assert autograd_gradient(f, at).item() == 0.0


def test_relative_error_edge_values() -> None:
    x = torch.tensor([1.0, 2.0], dtype=DT)
    assert gradient_check(lambda v: v.sum() * 0, x, torch.zeros(2, dtype=DT)) == 0.0
    assert gradient_check(lambda v: v.sum() * 0, x, torch.ones(2, dtype=DT)) == 1.0
    assert_close(gradient_check(lambda v: v.sum(), x, -torch.ones(2, dtype=DT)), 1.0)


def test_x_is_not_modified_and_may_require_grad() -> None:
    x = torch.randn(4, dtype=DT, generator=gen(5)).requires_grad_()
    before = x.detach().clone()
    g = numerical_gradient(SMOOTH["quadratic"], x)
    assert torch.equal(x.detach(), before)
    assert not g.requires_grad
    assert x.grad is None


def test_empty_x_has_an_empty_gradient() -> None:
    x = torch.empty(0, 3, dtype=DT)
    assert numerical_gradient(lambda v: v.sum(), x).shape == (0, 3)
    assert gradient_check(lambda v: v.sum(), x, torch.empty(0, 3, dtype=DT)) == 0.0


X = torch.ones(3, dtype=DT)
GOOD = SMOOTH["quadratic"]


@pytest.mark.parametrize(("fn", "args", "error", "msg"), [
    ("numerical_gradient", (GOOD, X, 0.0), ValueError,
     "numerical_gradient: eps is out of range (got 0.0); expected a finite number > 0"),
    ("numerical_gradient", (GOOD, X, -1e-6), ValueError,
     "numerical_gradient: eps is out of range (got -1e-06); expected a finite number > 0"),
    ("numerical_gradient", (GOOD, X, float("nan")), ValueError,
     "numerical_gradient: eps is out of range (got nan); expected a finite number > 0"),
    ("numerical_gradient", (GOOD, X, "1e-6"), TypeError,
     "numerical_gradient: eps has the wrong type (got str); expected a real number (int or float)"),
    ("numerical_gradient", ("f", X), TypeError,
     "numerical_gradient: f has the wrong type (got str); expected a function of one tensor returning a scalar "
     "tensor"),
    ("numerical_gradient", (GOOD, torch.ones(3, dtype=torch.long)), TypeError,
     "numerical_gradient: x has the wrong dtype (got torch.int64); expected a floating-point tensor"),
    ("numerical_gradient", (GOOD, [1.0]), TypeError,
     "numerical_gradient: x has the wrong type (got list); expected a torch.Tensor"),
    ("numerical_gradient", (lambda v: v**2, X), ValueError,
     "numerical_gradient: f's output is not a scalar (got shape (3,)); expected a tensor with one element, such as "
     "a loss (reduce it, for example with .sum())"),
    ("numerical_gradient", (lambda v: float(v.sum()), X), TypeError,
     "numerical_gradient: f's output has the wrong type (got float); expected a torch.Tensor with one element, "
     "such as a loss"),
    ("gradient_check", (lambda v: v * 2, X, X), ValueError,
     "gradient_check: f's output is not a scalar (got shape (3,)); expected a tensor with one element, such as "
     "a loss (reduce it, for example with .sum())"),
    ("gradient_check", (GOOD, X, X, 0), ValueError,
     "gradient_check: eps is out of range (got 0); expected a finite number > 0"),
    ("gradient_check", (GOOD, X, torch.ones(2, dtype=DT)), ValueError,
     "gradient_check: analytic has a different shape from x (got (2,)); expected (3,), the shape of x"),
    ("gradient_check", (GOOD, X, torch.ones(3, dtype=torch.long)), TypeError,
     "gradient_check: analytic has the wrong dtype (got torch.int64); expected a floating-point tensor"),
    ("gradient_check", (None, X, X), TypeError,
     "gradient_check: f has the wrong type (got NoneType); expected a function of one tensor returning a scalar "
     "tensor"),
])
def test_errors(fn: str, args: tuple[object, ...], error: type[Exception], msg: str) -> None:
    call = {"numerical_gradient": numerical_gradient, "gradient_check": gradient_check}[fn]
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        call(*args)  # type: ignore[operator]
