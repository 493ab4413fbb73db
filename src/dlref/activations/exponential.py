r"""Exponential linear units: ELU and SELU, with their derivatives."""

from __future__ import annotations

import math

from torch import Tensor

from dlref.activations._core import _ELU, _SELU_ALPHA, _SELU_SCALE, _apply, _check_input, _check_param, _derivative

__all__ = ["elu", "elu_derivative", "selu", "selu_derivative"]


# --------------------------------------------------------------------------- exponential units


def _check_alpha(fn: str, alpha: object) -> float:
    return _check_param(fn, "alpha", alpha, "a finite number >= 0", lambda a: 0 <= a < math.inf)


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
        - Clevert, Unterthiner & Hochreiter, [Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)](https://arxiv.org/abs/1511.07289), ICLR 2016.
        - [torch.nn.ELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ELU.html)

    Examples:
        >>> from dlref.activations import elu
        >>> elu(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.8647,  0.0000,  2.0000])
    """
    _check_input("elu", input)
    return _apply(_ELU, input, _check_alpha("elu", alpha), 1.0)


def elu_derivative(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Derivative of [elu][dlref.activations.elu] with respect to its input.

    $$
    \mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} = \mathrm{ELU}(x) + \alpha & x \le 0 \end{cases}
    $$

    At 0 the left branch applies: $\mathrm{ELU}'(0) = \alpha$, torch's autograd
    convention (continuous only for $\alpha = 1$). The $x \le 0$ branch is computed
    as $\mathrm{ELU}(x) + \alpha$ from the forward output.

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
    _check_input("elu_derivative", input)
    return _derivative(_ELU, input, _check_alpha("elu_derivative", alpha), 1.0)


def selu(input: Tensor) -> Tensor:
    r"""Scaled ELU with the constants that make activations self-normalizing.

    $$
    \mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    $$

    with $\alpha = 1.6732632423543772848170429916717$ and
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
    _check_input("selu", input)
    return _apply(_ELU, input, _SELU_ALPHA, _SELU_SCALE)


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
    _check_input("selu_derivative", input)
    return _derivative(_ELU, input, _SELU_ALPHA, _SELU_SCALE)
