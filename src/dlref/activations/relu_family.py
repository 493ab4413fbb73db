r"""The ReLU family: ReLU, ReLU6, Leaky ReLU, PReLU and RReLU, with their derivatives."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from dlref.activations._core import (
    _LEAKY,
    _RELU,
    _RELU6,
    _apply,
    _check_input,
    _check_param,
    _derivative,
    _in_float32,
    _leaky_value,
)

__all__ = [
    "leaky_relu",
    "leaky_relu_derivative",
    "prelu",
    "prelu_derivative",
    "relu",
    "relu6",
    "relu6_derivative",
    "relu_derivative",
    "rrelu",
    "rrelu_derivative",
]


# --------------------------------------------------------------------------- ReLU family


def relu(input: Tensor) -> Tensor:
    r"""Rectified linear unit: keep positive inputs, zero the rest.

    $$
    \mathrm{ReLU}(x) = \max(0, x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor (torch also accepts integers).

    Torch counterpart: `torch.nn.functional.relu`.

    References:
        - Nair & Hinton, [Rectified Linear Units Improve Restricted Boltzmann Machines](https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf), ICML 2010.
        - [torch.nn.ReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU.html)

    Examples:
        >>> from dlref.activations import relu
        >>> relu(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """
    _check_input("relu", input)
    return _apply(_RELU, input)


def relu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [relu][dlref.activations.relu] with respect to its input.

    $$
    \mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}
    $$

    ReLU has no derivative at 0; $\mathrm{ReLU}'(0) = 0$ is torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import relu_derivative
        >>> relu_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 1.])
    """
    _check_input("relu_derivative", input)
    return _derivative(_RELU, input)


def relu6(input: Tensor) -> Tensor:
    r"""ReLU capped at 6, as used by MobileNet for low-precision friendliness.

    $$
    \mathrm{ReLU6}(x) = \min(\max(0, x), 6)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ReLU6 applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor (torch also accepts integers).

    Torch counterpart: `torch.nn.functional.relu6`.

    References:
        - Krizhevsky, [Convolutional Deep Belief Networks on CIFAR-10](https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf), 2010.
        - [torch.nn.ReLU6](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU6.html)

    Examples:
        >>> from dlref.activations import relu6
        >>> relu6(torch.tensor([-1.0, 0.0, 3.0, 6.0, 8.0]))
        tensor([0., 0., 3., 6., 6.])
    """
    _check_input("relu6", input)
    return _apply(_RELU6, input)


def relu6_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [relu6][dlref.activations.relu6] with respect to its input.

    $$
    \mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}
    $$

    At both kinks the value is 0: $\mathrm{ReLU6}'(0) = \mathrm{ReLU6}'(6) = 0$,
    torch's autograd convention (it differentiates `hardtanh(x, 0, 6)`).

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `0 < input < 6`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import relu6_derivative
        >>> relu6_derivative(torch.tensor([-1.0, 0.0, 3.0, 6.0, 8.0]))
        tensor([0., 0., 1., 0., 0.])
    """
    _check_input("relu6_derivative", input)
    return _derivative(_RELU6, input)


def _check_slope(fn: str, negative_slope: object) -> float:
    return _check_param(fn, "negative_slope", negative_slope, "a finite number", math.isfinite)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    r"""Leaky ReLU: a small slope instead of zero for negative inputs, so no unit "dies".

    $$
    \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
    \qquad a = \texttt{negative\_slope}
    $$

    Args:
        input: Floating-point tensor.
        negative_slope: Slope $a$ for $x \le 0$. Defaults to 0.01.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Leaky ReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `negative_slope` is not finite.

    Torch counterpart: `torch.nn.functional.leaky_relu`.

    References:
        - Maas, Hannun & Ng, [Rectifier Nonlinearities Improve Neural Network Acoustic Models](https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf), ICML 2013.
        - [torch.nn.LeakyReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html)

    Examples:
        >>> from dlref.activations import leaky_relu
        >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([-0.2000,  0.0000,  3.0000])
    """
    _check_input("leaky_relu", input)
    return _apply(_LEAKY, input, _check_slope("leaky_relu", negative_slope))


def leaky_relu_derivative(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    r"""Derivative of [leaky_relu][dlref.activations.leaky_relu] with respect to its input.

    $$
    \mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}
    $$

    At the kink, $\mathrm{LeakyReLU}'(0) = a$ (`negative_slope`), torch's autograd convention.

    Args:
        input: Floating-point tensor.
        negative_slope: Slope $a$ for $x \le 0$. Defaults to 0.01.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else `negative_slope`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `negative_slope` is not finite.

    Examples:
        >>> from dlref.activations import leaky_relu_derivative
        >>> leaky_relu_derivative(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([0.1000, 0.1000, 1.0000])
    """
    _check_input("leaky_relu_derivative", input)
    return _derivative(_LEAKY, input, _check_slope("leaky_relu_derivative", negative_slope))


def _check_prelu_weight(fn: str, input: Tensor, weight: object) -> Tensor:
    """Return `weight` if it is a valid F.prelu weight for `input`: 1 element or one per channel (dim 1)."""
    if not isinstance(weight, Tensor):
        raise TypeError(f"{fn}: weight must be a torch.Tensor, got {type(weight).__name__}")
    if weight.dtype != input.dtype:
        raise TypeError(f"{fn}: weight dtype {weight.dtype} does not match input dtype {input.dtype}")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.dim() > 1 or weight.numel() not in (1, channels):
        raise ValueError(
            f"{fn}: weight of shape {tuple(weight.shape)} does not fit input of shape {tuple(input.shape)}; "
            f"allowed: a 0-dim or 1-D weight with 1 or {channels} (the channels, dim 1) elements"
        )
    return weight


def _channel_slopes(weight: Tensor, input: Tensor) -> Tensor:
    """`weight` shaped to broadcast over `input`: (C, 1, ..., 1) against (N, C, ...), or a scalar."""
    if weight.numel() == 1:
        return weight.reshape(())
    return weight.reshape(-1, *([1] * (input.dim() - 2)))


class _PReLU(torch.autograd.Function):
    """Leaky ReLU with a learnable slope per channel; backward also returns dL/dweight."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, weight: Tensor) -> Tensor:
        ctx.save_for_backward(input, weight)
        return _leaky_value(input, _channel_slopes(weight, input))[0]

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        input, weight = ctx.saved_tensors
        a = _channel_slopes(weight, input)
        grad_input = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output * _derivative(_LEAKY, input, a)
        if ctx.needs_input_grad[1]:
            # ∂y/∂a = min(x, 0), summed over every element that shares the slope
            grad_a = grad_output * torch.clamp_max(input, 0)
            dims = [d for d in range(input.dim()) if a.dim() == 0 or d != 1]
            grad_weight = grad_a.sum(dims).reshape(weight.shape)
        return grad_input, grad_weight


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    r"""Parametric ReLU: leaky ReLU whose negative slope is learned, one per channel.

    $$
    \mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a_c\,x & x \le 0 \end{cases}
    $$

    where $a_c$ is `weight[c]` for elements of channel $c$ (dim 1 of `input`), or the
    single `weight` shared by all elements. `torch.nn.PReLU` initialises it to 0.25.
    Gradients flow to both `input` and `weight`.

    Args:
        input: Floating-point tensor.
        weight: Slopes, a tensor of the input's dtype with 1 element or one per channel.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions; dim 1 is the channel dim.
        - Weight: $(1)$ or $(C)$.
        - Output: $(*)$, same shape as the input.

    Returns:
        PReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor, or `weight` is not a tensor
            of the same dtype.
        ValueError: If `weight` has neither 1 element nor one per channel.

    Torch counterpart: `torch.nn.functional.prelu`.

    References:
        - He et al., [Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852), ICCV 2015.
        - [torch.nn.PReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.PReLU.html)

    Examples:
        >>> from dlref.activations import prelu
        >>> x = torch.tensor([[-1.0, -1.0], [2.0, -4.0]])   # (N=2, C=2)
        >>> prelu(x, torch.tensor([0.25, 0.5]))
        tensor([[-0.2500, -0.5000],
                [ 2.0000, -2.0000]])
    """
    _check_input("prelu", input)
    _check_prelu_weight("prelu", input, weight)
    return _in_float32(lambda x: _PReLU.apply(x, weight.to(x.dtype)), input)


def prelu_derivative(input: Tensor, weight: Tensor) -> Tensor:
    r"""Derivative of [prelu][dlref.activations.prelu] with respect to its input.

    $$
    \mathrm{PReLU}'(x) = \begin{cases} 1 & x > 0 \\ a_c & x \le 0 \end{cases}
    $$

    At the kink, $\mathrm{PReLU}'(0) = a_c$, torch's autograd convention.

    Args:
        input: Floating-point tensor.
        weight: Slopes, a tensor of the input's dtype with 1 element or one per channel.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else the channel's slope.

    Raises:
        TypeError: If `input` or `weight` is not a floating-point tensor of one dtype.
        ValueError: If `weight` has neither 1 element nor one per channel.

    Examples:
        >>> from dlref.activations import prelu_derivative
        >>> prelu_derivative(torch.tensor([[-1.0, 0.0], [2.0, -4.0]]), torch.tensor([0.25, 0.5]))
        tensor([[0.2500, 0.5000],
                [1.0000, 0.5000]])
    """
    _check_input("prelu_derivative", input)
    return _derivative(_LEAKY, input, _channel_slopes(_check_prelu_weight("prelu_derivative", input, weight), input))


def _rrelu_slope(
    fn: str, input: Tensor, lower: object, upper: object, training: bool, generator: torch.Generator | None
) -> float | Tensor:
    """The negative slope: (lower + upper) / 2 in eval, one U(lower, upper) draw per element in training."""
    upper = _check_param(fn, "upper", upper, "a finite number >= 0", lambda u: 0 <= u < math.inf)
    lower = _check_param(fn, "lower", lower, f"0 <= lower <= upper (upper={upper!r})", lambda lo: 0 <= lo <= upper)
    if not training:
        return (lower + upper) / 2
    return torch.empty_like(input).uniform_(lower, upper, generator=generator)


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Randomized leaky ReLU: a random negative slope in training, its mean in evaluation.

    $$
    \mathrm{RReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
    \qquad a \sim \mathcal U(\text{lower}, \text{upper}) \text{ (training)},\quad
    a = \tfrac{\text{lower} + \text{upper}}{2} \text{ (evaluation)}
    $$

    In training, one slope per element is drawn with `torch.Tensor.uniform_` from
    `generator` (the global generator if `None`), in memory order; positive
    elements ignore theirs. torch draws only for non-positive elements, so the
    random values differ from `torch.nn.functional.rrelu` for the same seed; the
    distribution is the same.

    Args:
        input: Floating-point tensor.
        lower: Lower bound of the slope distribution. Defaults to 1/8.
        upper: Upper bound of the slope distribution. Defaults to 1/3.
        training: Draw random slopes if `True`, use the mean slope if `False`. Defaults to `False`.
        generator: Random source for training mode. Defaults to `None` (global generator).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        RReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: Unless `0 <= lower <= upper < inf` (torch also allows `lower < 0`).

    Torch counterpart: `torch.nn.functional.rrelu` (which has no `generator` argument).

    References:
        - Xu et al., [Empirical Evaluation of Rectified Activations in Convolutional Network](https://arxiv.org/abs/1505.00853), 2015.
        - [torch.nn.RReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.RReLU.html)

    Examples:
        >>> from dlref.activations import rrelu
        >>> x = torch.tensor([-1.0, -1.0, 2.0])
        >>> rrelu(x, lower=0.1, upper=0.3)
        tensor([-0.2000, -0.2000,  2.0000])
        >>> rrelu(x, lower=0.1, upper=0.3, training=True, generator=torch.Generator().manual_seed(0))
        tensor([-0.1993, -0.2536,  2.0000])
    """
    _check_input("rrelu", input)
    return _apply(_LEAKY, input, _rrelu_slope("rrelu", input, lower, upper, training, generator))


def rrelu_derivative(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Derivative of [rrelu][dlref.activations.rrelu] with respect to its input.

    $$
    \mathrm{RReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}
    $$

    In evaluation $a = (\text{lower} + \text{upper}) / 2$, also at the kink:
    $\mathrm{RReLU}'(0) = a$, torch's autograd convention. In training the slopes are
    drawn exactly as [rrelu][dlref.activations.rrelu] draws them, so a generator
    seeded like the forward call's gives the derivative of that forward pass
    (same input shape and dtype). Without a generator, fresh slopes are drawn.

    Args:
        input: Floating-point tensor.
        lower: Lower bound of the slope distribution. Defaults to 1/8.
        upper: Upper bound of the slope distribution. Defaults to 1/3.
        training: Random slopes if `True`, the mean slope if `False`. Defaults to `False`.
        generator: Random source for training mode. Defaults to `None` (global generator).

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else the slope.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: Unless `0 <= lower <= upper < inf`.

    Examples:
        >>> from dlref.activations import rrelu_derivative
        >>> rrelu_derivative(torch.tensor([-1.0, 0.0, 2.0]), lower=0.1, upper=0.3)
        tensor([0.2000, 0.2000, 1.0000])
    """
    _check_input("rrelu_derivative", input)
    return _derivative(_LEAKY, input, _rrelu_slope("rrelu_derivative", input, lower, upper, training, generator))
