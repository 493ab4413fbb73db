r"""Piecewise-linear gates: hardsigmoid and hardswish, with their derivatives."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_tensor
from dlref.activations._bridge import bridge, in_float32, is_half, needs_bridge
from dlref.activations._fast import use_fast_path

__all__ = ["hardsigmoid", "hardsigmoid_derivative", "hardswish", "hardswish_derivative"]


# --------------------------------------------------------------------------- hard (piecewise-linear) gates


def hardsigmoid(input: Tensor) -> Tensor:
    r"""Hard sigmoid: a piecewise-linear sigmoid, cheap on mobile hardware.

    $$
    \mathrm{hardsigmoid}(x) = \frac{\min(\max(0, x + 3), 6)}{6}
    = \begin{cases} 0 & x \le -3 \\ x/6 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Hard sigmoid applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.hardsigmoid`.

    References:
        - Howard et al., [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244), ICCV 2019.
        - [torch.nn.Hardsigmoid](https://docs.pytorch.org/docs/stable/generated/torch.nn.Hardsigmoid.html)

    Examples:
        >>> from dlref.activations import hardsigmoid
        >>> hardsigmoid(torch.tensor([-4.0, 0.0, 1.5, 4.0]))
        tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    x = check_tensor("hardsigmoid", "input", input)
    if needs_bridge(x):
        return bridge(hardsigmoid, x, derivative=hardsigmoid_derivative, fast=_hardsigmoid_fast)
    # hardsigmoid(x) = min(max(0, x + 3), 6) / 6
    return torch.clamp(x + 3, 0, 6) / 6


def hardsigmoid_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [hardsigmoid][dlref.activations.hardsigmoid] with respect to its input.

    $$
    \mathrm{hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}
    $$

    At both kinks the value is 0: $\mathrm{hardsigmoid}'(\pm 3) = 0$, torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1/6 where `-3 < input < 3`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import hardsigmoid_derivative
        >>> hardsigmoid_derivative(torch.tensor([-3.0, 0.0, 3.0]))
        tensor([0.0000, 0.1667, 0.0000])
    """
    x = check_tensor("hardsigmoid_derivative", "input", input)
    if use_fast_path(x):
        return _hardsigmoid_fast(x)[1]
    # hardsigmoid'(x) = 1/6 if -3 < x < 3 else 0 (0 at both kinks, as torch)
    return ((x > -3) & (x < 3)).to(x.dtype) / 6


def hardswish(input: Tensor) -> Tensor:
    r"""Hard swish: the input gated by a hard sigmoid of itself, MobileNetV3's cheap swish.

    $$
    \mathrm{hardswish}(x) = x\,\frac{\min(\max(0, x + 3), 6)}{6}
    = \begin{cases} 0 & x \le -3 \\ x\,(x + 3)/6 & -3 < x < 3 \\ x & x \ge 3 \end{cases}
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Hard swish applied elementwise; its minimum is $-3/8$ at $x = -3/2$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.hardswish`.

    References:
        - Howard et al., [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244), ICCV 2019.
        - [torch.nn.Hardswish](https://docs.pytorch.org/docs/stable/generated/torch.nn.Hardswish.html)

    Examples:
        >>> from dlref.activations import hardswish
        >>> hardswish(torch.tensor([-4.0, -1.5, 0.0, 1.5, 4.0]))
        tensor([-0.0000, -0.3750,  0.0000,  1.1250,  4.0000])
    """
    x = check_tensor("hardswish", "input", input)
    if needs_bridge(x):
        return bridge(hardswish, x, derivative=hardswish_derivative, fast=_hardswish_fast)
    # hardswish(x) = x·min(max(0, x + 3), 6) / 6
    return x * torch.clamp(x + 3, 0, 6) / 6


def hardswish_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [hardswish][dlref.activations.hardswish] with respect to its input.

    $$
    \mathrm{hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}
    $$

    At the kinks $\mathrm{hardswish}'(-3) = 0$ and $\mathrm{hardswish}'(3) = 1$, torch's
    autograd convention (the formula $x/3 + 1/2$ would give $-1/2$ and $3/2$ there).

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{hardswish}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import hardswish_derivative
        >>> hardswish_derivative(torch.tensor([-3.0, 0.0, 1.5, 3.0]))
        tensor([0.0000, 0.5000, 1.0000, 1.0000])
    """
    x = check_tensor("hardswish_derivative", "input", input)
    if is_half(x):
        return in_float32(hardswish_derivative, x)
    if use_fast_path(x):
        return _hardswish_fast(x)[1]
    # hardswish'(x) = 0 if x <= -3, x/3 + 1/2 if -3 < x < 3, 1 if x >= 3 (torch's values at the kinks)
    return torch.where(x <= -3, 0.0, torch.where(x < 3, x / 3 + 0.5, 1.0))


# --------------------------------------------------------------------------- fast paths (large tensors)


def _inside(x: Tensor) -> Tensor:
    """sign(3 - |x|): 1.0 on -3 < x < 3, 0.0 at ±3, -1.0 beyond; a mask without comparisons."""
    return torch.abs(x).neg_().add_(3).sign_()


def _hardsigmoid_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(hardsigmoid(x), hardsigmoid_derivative(x)) without boolean masks; tested equal to the plain formulas."""
    c = torch.clamp(x, -3, 3)  # c + 3 = min(max(0, x + 3), 6)
    slope = _inside(c).div_(6)
    return c.add_(3).div_(6), slope


def _hardswish_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(hardswish(x), hardswish_derivative(x)) without torch.where; tested equal to the plain formulas."""
    c = torch.clamp(x, -3, 3)  # c + 3 = min(max(0, x + 3), 6)
    slope = _inside(c).mul_(c).div_(6)  # x·hardsigmoid'(x) = c·[|c| < 3]/6, never ±inf·0
    s = c.add_(3).div_(6)  # hardsigmoid(x)
    # s + x·s': 0 for x <= -3, x/3 + 1/2 on -3 < x < 3, 1 for x >= 3; then hardswish(x) = x·s
    slope.add_(s)
    return s.mul_(x), slope
