r"""The ReLU family: ReLU, ReLU6, Leaky ReLU, PReLU and RReLU, with their derivatives."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from dlref._checks import check_real, check_tensor, fail, message
from dlref.activations import _fast
from dlref.activations._bridge import bridge, in_float32, is_half, needs_bridge, records_graph
from dlref.activations._fast import use_fast_path

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
        - Nair & Hinton, ICML 2010: [Rectified Linear Units Improve Restricted Boltzmann Machines](https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf)
        - [torch.nn.ReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU.html)

    Examples:
        >>> from dlref.activations import relu
        >>> relu(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """
    x = check_tensor("relu", "input", input)
    if needs_bridge(x):
        return bridge(relu, x, derivative=relu_derivative, fast=_relu_fast)
    # ReLU(x) = max(0, x)
    return torch.clamp_min(x, 0)


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
    x = check_tensor("relu_derivative", "input", input)
    if use_fast_path(x):
        return _relu_fast(x)[1]
    # ReLU'(x) = 1 if x > 0 else 0 (0 at the kink, as torch)
    return (x > 0).to(x.dtype)


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
        - Krizhevsky, 2010: [Convolutional Deep Belief Networks on CIFAR-10](https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf)
        - [torch.nn.ReLU6](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU6.html)

    Examples:
        >>> from dlref.activations import relu6
        >>> relu6(torch.tensor([-1.0, 0.0, 3.0, 6.0, 8.0]))
        tensor([0., 0., 3., 6., 6.])
    """
    x = check_tensor("relu6", "input", input)
    if needs_bridge(x):
        return bridge(relu6, x, derivative=relu6_derivative, fast=_relu6_fast)
    # ReLU6(x) = min(max(0, x), 6)
    return torch.clamp(x, 0, 6)


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
    x = check_tensor("relu6_derivative", "input", input)
    if use_fast_path(x):
        return _relu6_fast(x)[1]
    # ReLU6'(x) = 1 if 0 < x < 6 else 0 (0 at both kinks, as torch)
    return ((x > 0) & (x < 6)).to(x.dtype)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    r"""Leaky ReLU: a small slope instead of zero for negative inputs, so no unit "dies".

    $$
    \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
    \quad a = \texttt{negative\_slope}
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
        - Maas, Hannun & Ng, ICML 2013: [Rectifier Nonlinearities Improve Neural Network Acoustic Models](https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf)
        - [torch.nn.LeakyReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html)

    Examples:
        >>> from dlref.activations import leaky_relu
        >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([-0.2000,  0.0000,  3.0000])
    """
    x = check_tensor("leaky_relu", "input", input)
    a = check_real("leaky_relu", "negative_slope", negative_slope)
    if needs_bridge(x):
        return bridge(leaky_relu, x, a, derivative=leaky_relu_derivative, fast=_leaky_relu_fast)
    # LeakyReLU(x) = x if x > 0 else a·x
    return torch.where(x > 0, x, a * x)


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
    x = check_tensor("leaky_relu_derivative", "input", input)
    a = check_real("leaky_relu_derivative", "negative_slope", negative_slope)
    if use_fast_path(x):
        return _leaky_relu_fast(x, a)[1]
    # LeakyReLU'(x) = 1 if x > 0 else a (a at the kink, as torch)
    return torch.where(x > 0, 1.0, torch.full_like(x, a))


def _check_prelu_weight(fn: str, x: Tensor, weight: object) -> Tensor:
    """Return `weight` if it is a valid PReLU weight for `x`: its dtype, and 1 element or one per channel (dim 1)."""
    weight = check_tensor(fn, "weight", weight)
    if weight.dtype != x.dtype:
        allowed = f"expected {x.dtype}, the dtype of input"
        raise TypeError(message(fn, "weight", "has the wrong dtype", weight.dtype, allowed))
    channels = x.shape[1] if x.dim() >= 2 else 1
    if weight.dim() > 1 or weight.numel() not in (1, channels):
        fail(fn, "weight", "has the wrong shape", tuple(weight.shape),
             f"expected 1 or {channels} elements (one per channel, dim 1 of input of shape {tuple(x.shape)}) "
             "in a 0-dim or 1-D tensor")
    return weight


def _channel_slopes(weight: Tensor, x: Tensor) -> Tensor:
    """`weight` shaped to broadcast over `x`: (C, 1, ..., 1) against (N, C, ...), or a 0-dim tensor."""
    if weight.numel() == 1:
        return weight.reshape(())
    return weight.reshape(-1, *([1] * (x.dim() - 2)))


class _PReLU(torch.autograd.Function):
    """prelu(x, weight), whose backward is PReLU's analytic derivative for the input and for the slopes."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor) -> Tensor:
        ctx.save_for_backward(x, weight)
        return prelu(x, weight)  # autograd records nothing in here, so prelu runs its formula

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        x, weight = ctx.saved_tensors
        grad_input = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output * prelu_derivative(x, weight)
        if ctx.needs_input_grad[1]:
            a = _channel_slopes(weight, x)
            # ∂PReLU(x)/∂a_c = min(x, 0), summed over every element that shares the slope a_c
            grad_a = (grad_output * torch.clamp_max(x, 0)).sum_to_size(a.shape)
            grad_weight = grad_a.reshape(weight.shape)
        return grad_input, grad_weight


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    r"""Parametric ReLU: leaky ReLU whose negative slope is learned, one per channel.

    $$
    \mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a_c\,x & x \le 0 \end{cases}
    \qquad a_c = \texttt{weight}[c]
    $$

    for elements of channel $c$ (dim 1 of `input`); a one-element `weight` is shared
    by all elements. `torch.nn.PReLU` initializes it to 0.25.
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
    x = check_tensor("prelu", "input", input)
    weight = _check_prelu_weight("prelu", x, weight)
    if is_half(x):
        return in_float32(prelu, x, weight)
    if records_graph(x, weight):
        y: Tensor = _PReLU.apply(x, weight)  # type: ignore[no-untyped-call]
        return y
    # a_c: the slope of each element's channel (dim 1 of x)
    a = _channel_slopes(weight, x)
    # PReLU(x) = x if x > 0 else a_c·x
    return torch.where(x > 0, x, a * x)


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
    x = check_tensor("prelu_derivative", "input", input)
    a = _channel_slopes(_check_prelu_weight("prelu_derivative", x, weight), x)
    # PReLU'(x) = 1 if x > 0 else a_c (a_c at the kink, as torch)
    return torch.where(x > 0, 1.0, a)


def _check_bounds(fn: str, lower: object, upper: object) -> tuple[float, float]:
    """Return (lower, upper) as floats if 0 <= lower <= upper < inf."""
    upper = check_real(fn, "upper", upper, low=0)
    lower = check_real(fn, "lower", lower, low=0, high=upper)
    return lower, upper


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
    \quad \begin{aligned} & a \sim \mathcal U(\text{lower}, \text{upper}) && \text{training} \\
    & a = (\text{lower} + \text{upper}) / 2 && \text{evaluation} \end{aligned}
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
        - Xu et al., 2015: [Empirical Evaluation of Rectified Activations in Convolutional Network](https://arxiv.org/abs/1505.00853)
        - [torch.nn.RReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.RReLU.html)

    Examples:
        >>> from dlref.activations import rrelu
        >>> x = torch.tensor([-1.0, -1.0, 2.0])
        >>> rrelu(x, lower=0.1, upper=0.3)
        tensor([-0.2000, -0.2000,  2.0000])
        >>> rrelu(x, lower=0.1, upper=0.3, training=True, generator=torch.Generator().manual_seed(0))
        tensor([-0.1993, -0.2536,  2.0000])
    """
    x = check_tensor("rrelu", "input", input)
    lower, upper = _check_bounds("rrelu", lower, upper)
    if not training:
        # in evaluation RReLU is leaky ReLU with the mean slope a = (lower + upper) / 2
        return leaky_relu(x, (lower + upper) / 2)
    # in training a ~ U(lower, upper), one slope per element, drawn once for the forward and backward pass
    a = torch.empty_like(x).uniform_(lower, upper, generator=generator)

    def rrelu_given_a(x: Tensor) -> Tensor:
        # RReLU(x) = x if x > 0 else a·x
        return torch.where(x > 0, x, a * x)

    def derivative_given_a(x: Tensor) -> Tensor:
        # RReLU'(x) = 1 if x > 0 else a
        return torch.where(x > 0, 1.0, a)

    if needs_bridge(x):
        return bridge(rrelu_given_a, x, derivative=derivative_given_a)
    return rrelu_given_a(x)


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
    x = check_tensor("rrelu_derivative", "input", input)
    lower, upper = _check_bounds("rrelu_derivative", lower, upper)
    if not training:
        return leaky_relu_derivative(x, (lower + upper) / 2)
    # the slopes rrelu draws from a generator in the same state
    a = torch.empty_like(x).uniform_(lower, upper, generator=generator)
    # RReLU'(x) = 1 if x > 0 else a (a at the kink, as torch)
    return torch.where(x > 0, 1.0, a)


# --------------------------------------------------------------------------- fast paths (large tensors)


def _relu_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(relu(x), relu_derivative(x)) without boolean masks; tested equal to the plain formulas."""
    return torch.clamp_min(x, 0), _fast.positive(x)


def _relu6_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(relu6(x), relu6_derivative(x)) without boolean masks; tested equal to the plain formulas."""
    y = torch.clamp(x, 0, 6)
    # (6 - y)·y > 0 exactly on 0 < x < 6 and is 0 elsewhere: its sign is the derivative
    return y, torch.rsub(y, 6).mul_(y).sign_()


def _leaky_relu_fast(x: Tensor, a: float) -> tuple[Tensor, Tensor]:
    """(leaky_relu(x, a), leaky_relu_derivative(x, a)) without torch.where; tested equal to the plain formulas."""
    if 0 <= a <= 1:
        # max(x, a·x) when 0 <= a <= 1; sign(x) is 1 where x > 0, else 0 or -1 <= a: max(sign(x), a)
        return torch.mul(x, a).clamp_min_(x), torch.sign(x).clamp_min_(a)
    # h + a·(1 - h), h = 1.0 where x > 0 else 0.0: exact, because h is 0 or 1; then f(x) = x·f'(x)
    h = _fast.positive(x)
    slope = torch.rsub(h, 1).mul_(a).add_(h)
    return x * slope, slope
