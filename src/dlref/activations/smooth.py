r"""Smooth gates: GELU, Swish/SiLU and softplus, with their derivatives."""

from __future__ import annotations

import math

import torch
from torch import Tensor

from dlref._checks import check_choice, check_real, check_tensor
from dlref.activations import _fast
from dlref.activations._bridge import bridge, in_float32, is_half, needs_bridge
from dlref.activations._fast import use_fast_path
from dlref.activations.sigmoid_tanh import sigmoid, tanh

__all__ = [
    "gelu",
    "gelu_derivative",
    "silu",
    "silu_derivative",
    "softplus",
    "softplus_derivative",
    "swish",
    "swish_derivative",
]


# GELU's tanh approximation: k = √(2/π) and the cubic coefficient c (Hendrycks & Gimpel, 2016).
_K = math.sqrt(2 / math.pi)
_C = 0.044715


# --------------------------------------------------------------------------- smooth gates


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit: the input weighted by the probability that a standard normal is below it.

    $$
    \mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)
    $$

    With `approximate="tanh"`:
    $\frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)$.

    Args:
        input: Floating-point tensor.
        approximate: `"none"` for the exact erf form, `"tanh"` for the tanh approximation.
            Defaults to `"none"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        GELU applied elementwise; its minimum is about $-0.16997$ at $x \approx -0.75179$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `approximate` is not `"none"` or `"tanh"`.

    Torch counterpart: `torch.nn.functional.gelu`.

    References:
        - Hendrycks & Gimpel, [Gaussian Error Linear Units (GELUs)](https://arxiv.org/abs/1606.08415), 2016.
        - [torch.nn.GELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.GELU.html)

    Examples:
        >>> from dlref.activations import gelu
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh")
        tensor([-0.1588,  0.0000,  0.8412])
    """
    x = check_tensor("gelu", "input", input)
    approximate = check_choice("gelu", "approximate", approximate, ("none", "tanh"))
    if needs_bridge(x):
        return bridge(gelu, x, approximate, derivative=gelu_derivative, fast=_gelu_fast)
    if approximate == "tanh":
        # GELU(x) ≈ ½x(1 + tanh(k(x + c·x³))), k = √(2/π), c = 0.044715
        return 0.5 * x * (1 + tanh(_K * (x + _C * x**3)))
    # GELU(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) the standard normal CDF
    return x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def gelu_derivative(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Derivative of [gelu][dlref.activations.gelu] with respect to its input.

    $$
    \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}
    $$

    With `approximate="tanh"`, writing $z = 2\sqrt{2/\pi}\,(x + 0.044715\,x^3)$:
    $\sigma(z) + x\,\sigma(z)\,(1 - \sigma(z))\cdot 2\sqrt{2/\pi}\,(1 + 3\cdot 0.044715\,x^2)$.

    Args:
        input: Floating-point tensor.
        approximate: `"none"` or `"tanh"`. Defaults to `"none"`.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{GELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `approximate` is not `"none"` or `"tanh"`.

    Examples:
        >>> from dlref.activations import gelu_derivative
        >>> gelu_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.0833,  0.5000,  1.0833])
    """
    x = check_tensor("gelu_derivative", "input", input)
    approximate = check_choice("gelu_derivative", "approximate", approximate, ("none", "tanh"))
    if is_half(x):
        return in_float32(gelu_derivative, x, approximate)
    if use_fast_path(x):
        return _gelu_fast(x, approximate)[1]
    if approximate == "tanh":
        t = tanh(_K * (x + _C * x**3))
        # d/dx ½x(1 + t) = ½(1 + t) + ½x(1 - t²)·k(1 + 3c·x²), t = tanh(k(x + c·x³))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _K * (1 + 3 * _C * x**2)
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    # φ(x) = e^{-x²/2} / √(2π), the standard normal density
    pdf = torch.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
    # GELU'(x) = Φ(x) + x·φ(x)
    return cdf + x * pdf


def swish(input: Tensor, beta: float = 1.0) -> Tensor:
    r"""Swish: the input gated by a sigmoid of itself; `beta=1` is SiLU.

    $$
    \mathrm{swish}_\beta(x) = x\,\sigma(\beta x)
    $$

    As $\beta \to 0$ it tends to $x/2$, as $\beta \to \infty$ to ReLU.

    Args:
        input: Floating-point tensor.
        beta: Gate sharpness $\beta$. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Swish applied elementwise; its minimum is $-W(1/e)/\beta \approx -0.27846/\beta$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` is not a finite number > 0 (the paper also allows a learned
            $\beta$ of any sign; dlref keeps the family between $x/2$ and ReLU).

    Torch counterpart: none; `x * torch.sigmoid(beta * x)`, and `torch.nn.functional.silu` for `beta=1`.

    References:
        - Ramachandran, Zoph & Le, [Searching for Activation Functions](https://arxiv.org/abs/1710.05941), 2017.

    Examples:
        >>> from dlref.activations import swish
        >>> swish(torch.tensor([-1.0, 0.0, 1.0]), beta=2.0)
        tensor([-0.1192,  0.0000,  0.8808])
    """
    x = check_tensor("swish", "input", input)
    beta = check_real("swish", "beta", beta, low=0, low_open=True)
    if needs_bridge(x):
        return bridge(swish, x, beta, derivative=swish_derivative, fast=_swish_fast)
    # swish_β(x) = x·σ(βx)
    return x * sigmoid(beta * x)


def swish_derivative(input: Tensor, beta: float = 1.0) -> Tensor:
    r"""Derivative of [swish][dlref.activations.swish] with respect to its input.

    $$
    \mathrm{swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,\bigl(1 - \sigma(\beta x)\bigr)
    $$

    Args:
        input: Floating-point tensor.
        beta: Gate sharpness $\beta$. Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{swish}_\beta'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` is not a finite number > 0.

    Examples:
        >>> from dlref.activations import swish_derivative
        >>> swish_derivative(torch.tensor([-1.0, 0.0, 1.0]), beta=2.0)
        tensor([-0.0908,  0.5000,  1.0908])
    """
    x = check_tensor("swish_derivative", "input", input)
    beta = check_real("swish_derivative", "beta", beta, low=0, low_open=True)
    if is_half(x):
        return in_float32(swish_derivative, x, beta)
    if use_fast_path(x):
        return _swish_fast(x, beta)[1]
    s = sigmoid(beta * x)
    # swish_β'(x) = σ(βx) + βx·σ(βx)(1 - σ(βx))
    return s + beta * x * s * (1 - s)


def silu(input: Tensor) -> Tensor:
    r"""Sigmoid linear unit: the input gated by its own sigmoid (swish with $\beta = 1$).

    $$
    \mathrm{SiLU}(x) = x\,\sigma(x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        SiLU applied elementwise; its minimum is $-W(1/e) \approx -0.27846$ at $x = -1 - W(1/e)$
        ($W$ is the Lambert W function).

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.silu`.

    References:
        - Elfwing, Uchibe & Doya, 2017: [Sigmoid-Weighted Linear Units for Neural Network Function
          Approximation in Reinforcement Learning](https://arxiv.org/abs/1702.03118)
        - [torch.nn.SiLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.SiLU.html)

    Examples:
        >>> from dlref.activations import silu
        >>> silu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.2689,  0.0000,  0.7311])
    """
    x = check_tensor("silu", "input", input)
    if needs_bridge(x):
        return bridge(silu, x, derivative=silu_derivative, fast=_silu_fast)
    # SiLU(x) = x·σ(x)
    return x * sigmoid(x)


def silu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [silu][dlref.activations.silu] with respect to its input.

    $$
    \mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{SiLU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import silu_derivative
        >>> silu_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([0.0723, 0.5000, 0.9277])
    """
    x = check_tensor("silu_derivative", "input", input)
    if is_half(x):
        return in_float32(silu_derivative, x)
    if use_fast_path(x):
        return _silu_fast(x)[1]
    s = sigmoid(x)
    # SiLU'(x) = σ(x) + x·σ(x)(1 - σ(x))
    return s + x * s * (1 - s)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Softplus: a smooth ReLU, the integral of the sigmoid.

    $$
    \mathrm{softplus}(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)
    $$

    Like torch, it switches to the identity above the threshold, where the two
    differ by less than $e^{-\text{threshold}}/\beta$ ($\approx 2\cdot 10^{-9}$ by default)
    and $e^{\beta x}$ would soon overflow:

    $$
    \mathrm{softplus}(x) = \begin{cases}
    \frac{1}{\beta}\log\left(1 + e^{\beta x}\right) & \beta x \le \text{threshold} \\
    x & \beta x > \text{threshold}
    \end{cases}
    $$

    Args:
        input: Floating-point tensor.
        beta: Sharpness $\beta$. Defaults to 1.0.
        threshold: Value of $\beta x$ above which the identity is used. Defaults to 20.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Softplus applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` or `threshold` is not a finite number > 0
            (torch accepts both; a negative `beta` flips the function).

    Torch counterpart: `torch.nn.functional.softplus`.

    References:
        - Dugas et al., NeurIPS 2000: [Incorporating Second-Order Functional Knowledge for Better Option Pricing](https://papers.nips.cc/paper/1920-incorporating-second-order-functional-knowledge-for-better-option-pricing)
        - [torch.nn.Softplus](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softplus.html)

    Examples:
        >>> from dlref.activations import softplus
        >>> softplus(torch.tensor([-1.0, 0.0, 1.0, 30.0]))
        tensor([ 0.3133,  0.6931,  1.3133, 30.0000])
    """
    x = check_tensor("softplus", "input", input)
    beta = check_real("softplus", "beta", beta, low=0, low_open=True)
    threshold = check_real("softplus", "threshold", threshold, low=0, low_open=True)
    if needs_bridge(x):
        fast = _softplus_fast if _exp_is_finite(threshold, x) else None
        return bridge(softplus, x, beta, threshold, derivative=softplus_derivative, fast=fast)
    z = beta * x
    # softplus(x) = log(1 + e^{βx}) / β, and x itself where βx > threshold;
    # min(βx, threshold) keeps e^{βx} from overflowing in the branch that is not taken
    return torch.where(z > threshold, x, torch.log1p(torch.exp(torch.clamp_max(z, threshold))) / beta)


def softplus_derivative(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Derivative of [softplus][dlref.activations.softplus] with respect to its input.

    $$
    \mathrm{softplus}'(x) = \sigma(\beta x)
    $$

    Above the threshold, where softplus is the identity, the derivative is 1:

    $$
    \mathrm{softplus}'(x) = \begin{cases}
    \sigma(\beta x) & \beta x \le \text{threshold} \\
    1 & \beta x > \text{threshold}
    \end{cases}
    $$

    At exactly $\beta x = \text{threshold}$ the smooth branch applies
    ($\sigma(20) \approx 1 - 2\cdot 10^{-9}$ by default), as in torch's autograd.

    Args:
        input: Floating-point tensor.
        beta: Sharpness $\beta$. Defaults to 1.0.
        threshold: Value of $\beta x$ above which the identity is used. Defaults to 20.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{softplus}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` or `threshold` is not a finite number > 0.

    Examples:
        >>> from dlref.activations import softplus_derivative
        >>> softplus_derivative(torch.tensor([-1.0, 0.0, 1.0, 30.0]))
        tensor([0.2689, 0.5000, 0.7311, 1.0000])
    """
    x = check_tensor("softplus_derivative", "input", input)
    beta = check_real("softplus_derivative", "beta", beta, low=0, low_open=True)
    threshold = check_real("softplus_derivative", "threshold", threshold, low=0, low_open=True)
    if is_half(x):
        return in_float32(softplus_derivative, x, beta, threshold)
    if use_fast_path(x) and _exp_is_finite(threshold, x):
        return _softplus_fast(x, beta, threshold)[1]
    z = beta * x
    # softplus'(x) = σ(βx), and 1 where βx > threshold
    return torch.where(z > threshold, 1.0, sigmoid(z))


# --------------------------------------------------------------------------- fast paths (large tensors)


def _gelu_fast(x: Tensor, approximate: str) -> tuple[Tensor, Tensor]:
    """(gelu(x), gelu_derivative(x)), sharing Φ(x) or σ(z); tested equal to the plain formulas."""
    if approximate == "tanh":
        # ½x(1 + tanh(u)) = x·σ(z) with z = 2u, since 1 + tanh(u) = 2σ(2u)
        s = _fast.sigmoid(torch.mul(x, x).mul_(_C).add_(1).mul_(x), scale=2 * _K)
        # σ(z) + x·σ(z)(1 - σ(z))·z', z' = 2k(1 + 3c·x²)
        dz = torch.mul(x, x).mul_(6 * _K * _C).add_(2 * _K)
        return s * x, torch.addcmul(s, s, s, value=-1).mul_(x).mul_(dz).add_(s)
    cdf = torch.mul(x, math.sqrt(0.5)).erf_().add_(1).mul_(0.5)
    # x·Φ(x), and Φ(x) + x·φ(x) with φ(x) = e^{-x²/2} / √(2π)
    return cdf * x, cdf.addcmul_(_fast.exp_(x * x, -0.5), x, value=1 / math.sqrt(2 * math.pi))


def _swish_fast(x: Tensor, beta: float) -> tuple[Tensor, Tensor]:
    """(swish(x, beta), swish_derivative(x, beta)), sharing σ(βx); tested equal to the plain formulas."""
    s = _fast.sigmoid(x, scale=beta)
    # x·σ(βx), and σ·(1 + βx·(1 - σ))
    return s * x, torch.rsub(s, 1).mul_(x).mul_(beta).add_(1).mul_(s)


def _silu_fast(x: Tensor) -> tuple[Tensor, Tensor]:
    """(silu(x), silu_derivative(x)): swish with β = 1; tested equal to the plain formulas."""
    return _swish_fast(x, 1.0)


def _exp_is_finite(threshold: float, x: Tensor) -> bool:
    """True if e^{threshold} is finite in x's dtype, as `_softplus_fast` needs."""
    return threshold < math.log(torch.finfo(x.dtype).max)


def _softplus_fast(x: Tensor, beta: float, threshold: float) -> tuple[Tensor, Tensor]:
    """(softplus(x), softplus_derivative(x)) without torch.where, sharing e^{βx}; tested equal to the plain formulas."""
    z = x * beta
    linear = (z - threshold).sign_().clamp_min_(0)  # 1.0 where βx > threshold, else 0.0
    e = _fast.exp_(z.clamp_max_(threshold))  # e^{min(βx, threshold)}, finite
    smooth = torch.log1p(e).div_(beta)
    # smooth - smooth·linear + max(x, 0)·linear: exactly x where βx > threshold (and never inf·0)
    y = smooth.addcmul_(smooth, linear, value=-1).addcmul_(torch.clamp_min(x, 0), linear)
    # σ(min(βx, threshold)) = 1 / (1 + 1/e) < 1, lifted to 1 where βx > threshold
    return y, e.reciprocal_().add_(1).reciprocal_().clamp_min_(linear)
