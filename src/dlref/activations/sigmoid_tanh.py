r"""The squashing functions: sigmoid and tanh, with their derivatives."""

from __future__ import annotations

from torch import Tensor

from dlref.activations._core import _SIGMOID, _TANH, _apply, _check_input, _derivative

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
    _check_input("sigmoid", input)
    return _apply(_SIGMOID, input)


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
    _check_input("sigmoid_derivative", input)
    return _derivative(_SIGMOID, input)


def tanh(input: Tensor) -> Tensor:
    r"""Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).

    $$
    \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1
    $$

    Computed from $u = e^{-2|x|} - 1$ (with `expm1`, accurate near 0) as
    $\tanh(x) = \operatorname{sign}(x)\,\frac{-u}{u + 2}$, which cannot overflow.

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
    _check_input("tanh", input)
    return _apply(_TANH, input)


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
    _check_input("tanh_derivative", input)
    return _derivative(_TANH, input)
