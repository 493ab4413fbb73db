r"""The identity and the perceptron's step function, with their derivatives."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_tensor
from dlref.activations._bridge import bridge, needs_bridge

__all__ = ["identity", "identity_derivative", "step", "step_derivative"]


# --------------------------------------------------------------------------- identity, step


def identity(input: Tensor) -> Tensor:
    r"""Identity: the linear "activation" of a regression output layer.

    $$
    f(x) = x
    $$

    Returns `input` itself, like `torch.nn.Identity`: no copy, and autograd passes
    gradients through unchanged.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.Identity`.

    References:
        - [torch.nn.Identity](https://docs.pytorch.org/docs/stable/generated/torch.nn.Identity.html)

    Examples:
        >>> from dlref.activations import identity
        >>> identity(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([-1.,  0.,  2.])
    """
    # f(x) = x
    return check_tensor("identity", "input", input)


def identity_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [identity][dlref.activations.identity]: 1 everywhere.

    $$
    f'(x) = 1
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        A tensor of ones like `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import identity_derivative
        >>> identity_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([1., 1., 1.])
    """
    x = check_tensor("identity_derivative", "input", input)
    # f'(x) = 1
    return torch.ones_like(x)


def step(input: Tensor, values: float | Tensor = 1.0) -> Tensor:
    r"""Heaviside step: the perceptron's activation, 1 for a non-negative weighted sum.

    $$
    H(x) = \begin{cases} 1 & x > 0 \\ \texttt{values} & x = 0 \\ 0 & x < 0 \end{cases}
    $$

    The course notes define the perceptron's output as 1 if $z \ge 0$ else 0, hence the
    default `values=1.0`. NaN maps to 0, as in `torch.heaviside`.

    Args:
        input: Floating-point tensor.
        values: The value at $x = 0$: a number or a tensor broadcastable to `input`.
            Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        The step applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.heaviside(input, values)`, which needs `values` as a
    tensor of the input's dtype.

    References:
        - Rosenblatt, 1958: [The Perceptron: A Probabilistic Model for Information Storage and Organization in the Brain](https://doi.org/10.1037/h0042519)
        - [torch.heaviside](https://docs.pytorch.org/docs/stable/generated/torch.heaviside.html)

    Examples:
        >>> from dlref.activations import step
        >>> step(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 1., 1.])
        >>> step(torch.tensor([-1.0, 0.0, 2.0]), values=0.5)
        tensor([0.0000, 0.5000, 1.0000])
    """
    x = check_tensor("step", "input", input)
    v = torch.as_tensor(values, dtype=x.dtype, device=x.device)
    if needs_bridge(x):
        return bridge(step, x, v, derivative=step_derivative)
    # H(x) = values (here v) if x = 0, else 1 if x > 0, else 0 (also 0 for NaN, as torch.heaviside)
    return torch.where(x == 0, v, (x > 0).to(x.dtype))


def step_derivative(input: Tensor, values: float | Tensor = 1.0) -> Tensor:
    r"""Derivative of [step][dlref.activations.step]: 0 wherever it exists.

    $$
    H'(x) = 0 \quad (x \ne 0)
    $$

    At 0 the step has no derivative; dlref returns 0 there as well, and autograd
    through [step][dlref.activations.step] returns zeros. `torch.heaviside` has no
    autograd formula (its backward raises); either way no gradient signal passes,
    which is why the perceptron learns with its own update rule instead.

    Args:
        input: Floating-point tensor.
        values: The value at $x = 0$ (unused; kept so the signature matches `step`).
            Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        A tensor of zeros like `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import step_derivative
        >>> step_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 0.])
    """
    x = check_tensor("step_derivative", "input", input)
    # H'(x) = 0
    return torch.zeros_like(x)
