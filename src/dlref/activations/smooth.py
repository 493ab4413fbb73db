r"""Smooth gates: GELU, Swish/SiLU and softplus, with their derivatives."""

from __future__ import annotations

import math

from torch import Tensor

from dlref.activations._core import _GELU, _SOFTPLUS, _SWISH, _apply, _check_input, _check_param, _derivative

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


# --------------------------------------------------------------------------- smooth gates


def _check_approximate(fn: str, approximate: object) -> str:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{fn}: approximate={approximate!r} is invalid; allowed: 'none' or 'tanh'")
    return str(approximate)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit: the input weighted by the probability that a standard normal is below it.

    $$
    \mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)
    $$

    With `approximate="tanh"`:
    $\frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)$,
    computed as the equal $x\,\sigma\left(2\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)$.

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
    _check_input("gelu", input)
    return _apply(_GELU, input, _check_approximate("gelu", approximate))


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
    _check_input("gelu_derivative", input)
    return _derivative(_GELU, input, _check_approximate("gelu_derivative", approximate))


def _check_beta(fn: str, beta: object) -> float:
    return _check_param(fn, "beta", beta, "a finite number > 0", lambda b: 0 < b < math.inf)


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
    _check_input("swish", input)
    return _apply(_SWISH, input, _check_beta("swish", beta))


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
    _check_input("swish_derivative", input)
    return _derivative(_SWISH, input, _check_beta("swish_derivative", beta))


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
        - Elfwing, Uchibe & Doya, [Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning](https://arxiv.org/abs/1702.03118), 2017.
        - [torch.nn.SiLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.SiLU.html)

    Examples:
        >>> from dlref.activations import silu
        >>> silu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.2689,  0.0000,  0.7311])
    """
    _check_input("silu", input)
    return _apply(_SWISH, input, 1.0)


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
    _check_input("silu_derivative", input)
    return _derivative(_SWISH, input, 1.0)


def _check_softplus(fn: str, beta: object, threshold: object) -> tuple[float, float]:
    beta = _check_param(fn, "beta", beta, "a finite number > 0 (torch also accepts beta < 0)", lambda b: 0 < b < math.inf)
    threshold = _check_param(fn, "threshold", threshold, "a finite number > 0", lambda t: 0 < t < math.inf)
    return beta, threshold


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Softplus: a smooth ReLU, the integral of the sigmoid.

    $$
    \mathrm{softplus}(x) = \begin{cases} \frac{1}{\beta}\log\left(1 + e^{\beta x}\right) & \beta x \le \text{threshold} \\
    x & \beta x > \text{threshold} \end{cases}
    $$

    Like torch, it switches to the identity above the threshold, where the two
    differ by less than $e^{-\text{threshold}}/\beta$ ($\approx 2\cdot 10^{-9}$ by default)
    and $e^{\beta x}$ would soon overflow.

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
        - Dugas et al., [Incorporating Second-Order Functional Knowledge for Better Option Pricing](https://papers.nips.cc/paper/1920-incorporating-second-order-functional-knowledge-for-better-option-pricing), NeurIPS 2000.
        - [torch.nn.Softplus](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softplus.html)

    Examples:
        >>> from dlref.activations import softplus
        >>> softplus(torch.tensor([-1.0, 0.0, 1.0, 30.0]))
        tensor([ 0.3133,  0.6931,  1.3133, 30.0000])
    """
    _check_input("softplus", input)
    return _apply(_SOFTPLUS, input, *_check_softplus("softplus", beta, threshold))


def softplus_derivative(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Derivative of [softplus][dlref.activations.softplus] with respect to its input.

    $$
    \mathrm{softplus}'(x) = \begin{cases} \sigma(\beta x) & \beta x \le \text{threshold} \\ 1 & \beta x > \text{threshold} \end{cases}
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
    _check_input("softplus_derivative", input)
    return _derivative(_SOFTPLUS, input, *_check_softplus("softplus_derivative", beta, threshold))
