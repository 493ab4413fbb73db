r"""The bridge between dlref's plain formulas and torch autograd, and the one place where half precision is upcast.

Every public activation reads

    x = check_tensor("sigmoid", "input", input)
    if needs_bridge(x):
        return bridge(sigmoid, x, derivative=sigmoid_derivative, fast=_sigmoid_fast)
    # σ(x) = 1 / (1 + e^{-x})
    return 1 / (1 + torch.exp(-x))

`bridge` calls the function again with a float32 `x` inside a `torch.autograd.Function`
whose backward is the function's analytic derivative. In there autograd records
nothing and `x` is float32, so the second call runs the formula. As a result
`torch.autograd.gradcheck` tests the hand-written derivative, not torch's autograd
of the formula; and because the derivative is itself plain tensor code that
autograd records under `create_graph=True`, second derivatives work too.

A large tensor takes the function's fast path instead, if `bridge` is given one: it
returns f(x) and f'(x) together, and the backward pass multiplies by the saved f'(x)
(or, under `create_graph=True`, calls the plain derivative, which autograd records).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from dlref.activations._fast import is_large

__all__: list[str] = []  # private to dlref.activations

# A vector-Jacobian product: vjp(x, y, dL/dy, *params) -> dL/dx, where y = f(x, *params).
VJP = Callable[..., Tensor]
# A fast path: fast(x, *params) -> (f(x, *params), f'(x, *params)), for large tensors.
FastPath = Callable[..., tuple[Tensor, Tensor]]

_HALF = (torch.float16, torch.bfloat16)


def is_half(x: Tensor) -> bool:
    """True for float16 and bfloat16 tensors, which dlref computes in float32."""
    return x.dtype in _HALF


def records_graph(*tensors: Tensor) -> bool:
    """True if autograd records operations on any of `tensors`."""
    return torch.is_grad_enabled() and any(t.requires_grad for t in tensors)


def needs_bridge(x: Tensor) -> bool:
    """True if a public activation must hand `x` to `bridge`: half precision, or autograd recording."""
    return is_half(x) or records_graph(x)


def in_float32(f: Callable[..., Tensor], x: Tensor, *params: Any) -> Tensor:
    """f(x, *params), computed in float32 when `x` is float16/bfloat16 and rounded back once.

    torch's CPU kernels do the same; in float16, $e^x$ alone overflows from $x = 11.1$.
    Tensor parameters in half precision (PReLU's weight) are upcast with `x`.
    """
    if not is_half(x):
        return f(x, *params)
    params = tuple(p.float() if isinstance(p, Tensor) and is_half(p) else p for p in params)
    return f(x.float(), *params).to(x.dtype)


def times_derivative(derivative: Callable[..., Tensor]) -> VJP:
    """The vector-Jacobian product of an elementwise function.

    Its Jacobian is $\\operatorname{diag}(f'(x))$, so $g^\\top J = g \\odot f'(x)$: the chain rule, elementwise.
    """

    def vjp(x: Tensor, y: Tensor, grad_output: Tensor, *params: Any) -> Tensor:
        return grad_output * derivative(x, *params)

    return vjp


class _Bridge(torch.autograd.Function):
    """y = f(x, *params) forward; dL/dx = vjp(x, y, dL/dy, *params) backward.

    Given a fast path (for a large tensor), the forward pass takes f(x) and f'(x) from it
    in one go, and the backward pass is dL/dy · f'(x) unless autograd records it.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, f: Callable[..., Tensor], vjp: VJP, fast: FastPath | None, *params: Any) -> Tensor:
        ctx.vjp, ctx.params = vjp, params
        if fast is None:
            y = f(x, *params)  # autograd records nothing in here, so f runs its plain formula
            ctx.save_for_backward(x, y)
        else:
            y, slope = fast(x, *params)
            ctx.save_for_backward(x, y, slope)
        return y

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        x, y, *slope = ctx.saved_tensors
        if slope and not torch.is_grad_enabled():
            grad_input = grad_output * slope[0]
        else:
            # under create_graph=True autograd records the vjp too, which gives second derivatives
            grad_input = ctx.vjp(x, y, grad_output, *ctx.params)
        return (grad_input, None, None, None, *(None for _ in ctx.params))


def bridge(
    f: Callable[..., Tensor],
    x: Tensor,
    *params: Any,
    derivative: Callable[..., Tensor] | None = None,
    vjp: VJP | None = None,
    fast: FastPath | None = None,
) -> Tensor:
    """f(x, *params) in float32 for half-precision `x`, with dlref's own backward.

    Give `derivative(x, *params)` for an elementwise `f`, or a general `vjp` (softmax);
    and optionally `fast(x, *params) -> (f(x), f'(x))` for large tensors.
    """
    if vjp is None:
        if derivative is None:
            raise TypeError("bridge: derivative and vjp are both missing (got None); expected one of them")
        vjp = times_derivative(derivative)
    backward = vjp

    def recorded(x: Tensor, *params: Any) -> Tensor:
        fast_path = fast if is_large(x) else None
        y: Tensor = _Bridge.apply(x, f, backward, fast_path, *params)  # type: ignore[no-untyped-call]
        return y

    return in_float32(recorded, x, *params)
