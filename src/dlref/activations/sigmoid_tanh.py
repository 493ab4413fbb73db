r"""The squashing functions: sigmoid and tanh, with their derivatives."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_tensor
from dlref.activations import _fast
from dlref.activations._bridge import bridge, in_float32, is_half, needs_bridge
from dlref.activations._fast import use_fast_path

__all__ = ["sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative"]


# --------------------------------------------------------------------------- sigmoid, tanh


def sigmoid(input: Tensor) -> Tensor:
    r"""Logistic sigmoid: squash any real number into (0, 1).

    $$
    \sigma(x) = \frac{1}{1 + e^{-x}}
    $$

    Computed as `1 / (1 + exp(-x))`: for very negative x, `exp(-x)` overflows to
    `inf` and the result is exactly 0, never NaN.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\sigma$ applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.sigmoid`.

    References:
        - [torch.nn.Sigmoid](https://docs.pytorch.org/docs/stable/generated/torch.nn.Sigmoid.html)

    Examples:
        >>> from dlref.activations import sigmoid
        >>> sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1192, 0.5000, 0.8808])
    """
    x = check_tensor("sigmoid", "input", input)
    if needs_bridge(x):
        return bridge(sigmoid, x, derivative=sigmoid_derivative, fast=_sigmoid_fast)
    # σ(x) = 1 / (1 + e^{-x}); for very negative x, e^{-x} overflows to inf and 1 / inf = 0
    return 1 / (1 + torch.exp(-x))


def sigmoid_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [sigmoid][dlref.activations.sigmoid] with respect to its input.

    $$
    \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
    $$

    Its maximum is $\sigma'(0) = 1/4$, one reason deep sigmoid networks learn slowly.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\sigma'(x)$ elementwise, equal to torch's autograd gradient of `torch.sigmoid`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import sigmoid_derivative
        >>> sigmoid_derivative(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1050, 0.2500, 0.1050])
    """
    x = check_tensor("sigmoid_derivative", "input", input)
    if is_half(x):
        return in_float32(sigmoid_derivative, x)
    if use_fast_path(x):
        return _sigmoid_fast(x)[1]
    s = sigmoid(x)
    # σ'(x) = σ(x)(1 - σ(x))
    return s * (1 - s)


def tanh(input: Tensor) -> Tensor:
    r"""Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).

    $$
    \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1
    $$

    Computed from $u = e^{-2|x|} - 1$ (with `expm1`, accurate near 0) as
    $\tanh(x) = \operatorname{sign}(x)\,\frac{-u}{2 + u}$, which cannot overflow.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\tanh$ applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.tanh`.

    References:
        - [torch.nn.Tanh](https://docs.pytorch.org/docs/stable/generated/torch.nn.Tanh.html)

    Examples:
        >>> from dlref.activations import tanh
        >>> tanh(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.7616,  0.0000,  0.7616])
    """
    x = check_tensor("tanh", "input", input)
    if needs_bridge(x):
        return bridge(tanh, x, derivative=tanh_derivative, fast=_tanh_fast)
    # u = e^{-2|x|} - 1, by expm1 (exact near 0); e^{-2|x|} <= 1 cannot overflow
    u = torch.expm1(-2 * x.abs())
    # tanh|x| = (1 - e^{-2|x|}) / (1 + e^{-2|x|}) = |u / (u + 2)|, and tanh is odd: take the sign of x
    return torch.copysign(u / (u + 2), x)


def tanh_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [tanh][dlref.activations.tanh] with respect to its input.

    $$
    \tanh'(x) = 1 - \tanh^2(x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\tanh'(x)$ elementwise, equal to torch's autograd gradient of `torch.tanh`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import tanh_derivative
        >>> tanh_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([0.4200, 1.0000, 0.4200])
    """
    x = check_tensor("tanh_derivative", "input", input)
    if is_half(x):
        return in_float32(tanh_derivative, x)
    if use_fast_path(x):
        return _tanh_fast(x)[1]
    t = tanh(x)
    # tanh'(x) = 1 - tanh²(x)
    return 1 - t * t


# --------------------------------------------------------------------------- fast paths (large tensors)


def _sigmoid_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(sigmoid(x), sigmoid_derivative(x)), sharing σ(x); tested equal to the plain formulas."""
    s = _fast.sigmoid(x)
    return s, torch.addcmul(s, s, s, value=-1)


def _tanh_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(tanh(x), tanh_derivative(x)), sharing tanh(x); tested equal to the plain formulas."""
    u = torch.abs(x).mul_(-2).expm1_()
    t = u.div_(u + 2).copysign_(x)
    return t, torch.mul(t, t).neg_().add_(1)
