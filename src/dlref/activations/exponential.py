r"""Exponential linear units: ELU and SELU, with their derivatives."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_real, check_tensor
from dlref.activations import _fast
from dlref.activations._bridge import bridge, in_float32, is_half, needs_bridge
from dlref.activations._fast import use_fast_path

__all__ = ["elu", "elu_derivative", "selu", "selu_derivative"]

# SELU's constants α and λ, exactly as torch.nn.SELU documents them (Klambauer et al., 2017).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# --------------------------------------------------------------------------- exponential units


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Exponential linear unit: identity for positives, a smooth saturation to $-\alpha$ for negatives.

    $$
    \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    $$

    Args:
        input: Floating-point tensor.
        alpha: Saturation value $\alpha$ for $x \to -\infty$. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ELU applied elementwise; the range is $(-\alpha, \infty)$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `alpha` is negative or not finite (torch accepts negative `alpha`).

    Torch counterpart: `torch.nn.functional.elu`.

    References:
        - Clevert, Unterthiner & Hochreiter, ICLR 2016: [Fast and Accurate Deep Network Learning
          by Exponential Linear Units (ELUs)](https://arxiv.org/abs/1511.07289)
        - [torch.nn.ELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ELU.html)

    Examples:
        >>> from dlref.activations import elu
        >>> elu(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.8647,  0.0000,  2.0000])
    """
    x = check_tensor("elu", "input", input)
    alpha = check_real("elu", "alpha", alpha, low=0)
    if needs_bridge(x):
        return bridge(elu, x, alpha, derivative=elu_derivative, fast=_elu_fast)
    # ELU(x) = x if x > 0 else α(e^x - 1); expm1 is exact near 0, and min(x, 0) keeps e^x finite
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp_max(x, 0)))


def elu_derivative(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Derivative of [elu][dlref.activations.elu] with respect to its input.

    $$
    \mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} = \mathrm{ELU}(x) + \alpha & x \le 0 \end{cases}
    $$

    At 0 the left branch applies: $\mathrm{ELU}'(0) = \alpha$, torch's autograd
    convention (continuous only for $\alpha = 1$).

    Args:
        input: Floating-point tensor.
        alpha: Saturation value $\alpha$. Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{ELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `alpha` is negative or not finite.

    Examples:
        >>> from dlref.activations import elu_derivative
        >>> elu_derivative(torch.tensor([-2.0, 0.0, 2.0]), alpha=0.5)
        tensor([0.0677, 0.5000, 1.0000])
    """
    x = check_tensor("elu_derivative", "input", input)
    alpha = check_real("elu_derivative", "alpha", alpha, low=0)
    if is_half(x):
        return in_float32(elu_derivative, x, alpha)
    if use_fast_path(x):
        return _elu_fast(x, alpha)[1]
    # ELU'(x) = 1 if x > 0 else αe^x (α at the kink, as torch)
    return torch.where(x > 0, 1.0, alpha * torch.exp(torch.clamp_max(x, 0)))


def selu(input: Tensor) -> Tensor:
    r"""Scaled ELU with the constants that make activations self-normalizing.

    $$
    \mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    \qquad \lambda \approx 1.0507,\ \alpha \approx 1.6733
    $$

    Exactly, $\alpha = 1.6732632423543772848170429916717$ and
    $\lambda = 1.0507009873554804934193349852946$, torch's constants.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        SELU applied elementwise; the range is $(-\lambda\alpha, \infty) \approx (-1.7581, \infty)$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.selu`.

    References:
        - Klambauer et al., [Self-Normalizing Neural Networks](https://arxiv.org/abs/1706.02515), NeurIPS 2017.
        - [torch.nn.SELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.SELU.html)

    Examples:
        >>> from dlref.activations import selu
        >>> selu(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.5202,  0.0000,  2.1014])
    """
    x = check_tensor("selu", "input", input)
    if needs_bridge(x):
        return bridge(selu, x, derivative=selu_derivative, fast=_selu_fast)
    # SELU(x) = λx if x > 0 else λα(e^x - 1)
    return SELU_SCALE * torch.where(x > 0, x, SELU_ALPHA * torch.expm1(torch.clamp_max(x, 0)))


def selu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [selu][dlref.activations.selu] with respect to its input.

    $$
    \mathrm{SELU}'(x) = \begin{cases} \lambda & x > 0 \\ \lambda\alpha\,e^{x} & x \le 0 \end{cases}
    $$

    At 0 the left branch applies: $\mathrm{SELU}'(0) = \lambda\alpha \approx 1.7581$
    (not $\lambda \approx 1.0507$), torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{SELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import selu_derivative
        >>> selu_derivative(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.2379, 1.7581, 1.0507])
    """
    x = check_tensor("selu_derivative", "input", input)
    if is_half(x):
        return in_float32(selu_derivative, x)
    if use_fast_path(x):
        return _selu_fast(x)[1]
    # SELU'(x) = λ if x > 0 else λαe^x (λα at the kink, as torch)
    return SELU_SCALE * torch.where(x > 0, 1.0, SELU_ALPHA * torch.exp(torch.clamp_max(x, 0)))


# --------------------------------------------------------------------------- fast paths (large tensors)


def _elu_fast(x: Tensor, alpha: float) -> tuple[Tensor, Tensor]:
    """(elu(x, alpha), elu_derivative(x, alpha)) without torch.where; tested equal to the plain formulas."""
    m = torch.clamp_max(x, 0)
    # max(0, x) + α(e^{min(x, 0)} - 1)
    y = torch.clamp_min(x, 0).add_(torch.expm1(m), alpha=alpha)
    # α·e^{min(x, 0)} + (1 - α)·[x > 0]: αe^x for x <= 0 (α at 0), α + 1 - α = 1 for x > 0
    return y, _fast.exp_(m).mul_(alpha).add_(_fast.positive(x), alpha=1 - alpha)


def _selu_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(selu(x), selu_derivative(x)) as λ times ELU with α; tested equal to the plain formulas."""
    y, slope = _elu_fast(x, SELU_ALPHA)
    return y.mul_(SELU_SCALE), slope.mul_(SELU_SCALE)
