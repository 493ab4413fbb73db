r"""Gradient checking: a central-difference gradient, and its relative error against an analytic one.

Backpropagation code can be wrong and still make the loss go down. A gradient check
compares it with a gradient that cannot share its bugs: the slope of $f$ measured by
evaluating $f$ twice per coordinate,

$$
\frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon},
$$

whose error is $O(\varepsilon^2)$ for a smooth $f$ (the one-sided difference's is $O(\varepsilon)$).
[gradient_check][dlref.autograd.gradient_check] reports the relative error of the two.

Three things decide whether the check can be trusted:

- **Precision.** Rounding $f$ to the machine precision $u$ adds an error of about
  $u\,|f| / \varepsilon$, so the total error is smallest near $\varepsilon \approx u^{1/3}$.
  In float64 ($u \approx 1.1 \times 10^{-16}$) $\varepsilon = 10^{-6}$ gives relative
  errors near $10^{-10}$; in float32 ($u \approx 6 \times 10^{-8}$) the same $\varepsilon$
  gives errors near $10^{-2}$, which hides real bugs and flags correct code alike. Check
  in float64.
- **Kinks.** Where $f$ is not differentiable (ReLU at 0, a max with a tie, an absolute
  value at 0) within $\varepsilon$ of $x$, the difference straddles the kink and
  measures an average slope, not the derivative autograd returns: a large error there
  says nothing about the code. Move $x$ away from kinks, or check fewer, random points.
- **Determinism.** $f$ must be the same function at every call: turn dropout and other
  randomness off (`model.eval()` or a fixed mask) before checking.

Torch counterpart: `torch.autograd.gradcheck`, which compares every entry of the Jacobian
with absolute and relative tolerances instead of one norm-based relative error.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from dlref._checks import check_real, check_tensor, fail, fail_type

__all__ = ["gradient_check", "numerical_gradient"]


def _scalar_output(fn: str, value: object) -> Tensor:
    """`f`'s result as a detached one-element tensor, else a clear error (f must be a scalar function)."""
    if not isinstance(value, Tensor):
        fail_type(fn, "f's output", value, "expected a torch.Tensor with one element, such as a loss")
    if value.numel() != 1:
        fail(fn, "f's output", "is not a scalar", f"shape {tuple(value.shape)}",
             "expected a tensor with one element, such as a loss (reduce it, for example with .sum())")
    return value.detach().reshape(())


def numerical_gradient(f: Callable[[Tensor], Tensor], x: Tensor, eps: float = 1e-6) -> Tensor:
    r"""The gradient of a scalar function $f$ at $x$ by central differences, one coordinate at a time.

    $$
    \hat g_i = \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon}
    $$

    $f$ is called $2n$ times for an $x$ of $n$ elements, under `torch.no_grad()`, each
    time with a new tensor; `x` itself is not modified. Everything runs in the dtype of
    `x` and of $f$'s output: use float64 (see the module notes).

    Args:
        f: A function of one tensor of `x`'s shape, returning a tensor with one element (a loss).
        x: The point, a floating-point tensor.
        eps: The step $\varepsilon > 0$. Defaults to 1e-6, a good choice in float64.

    Shape:
        - X: $(*)$, any shape. Output: $(*)$, the shape of `x`.

    Returns:
        $\hat g$, of `x`'s shape and $f$'s output dtype.

    Raises:
        TypeError: If `f` is not callable, `x` not a floating-point tensor, `eps` not a
            real number, or `f` returns something other than a tensor.
        ValueError: If `eps` $\le 0$ or `f`'s output has more than one element.

    Torch counterpart: `torch.autograd.gradcheck` computes the same differences internally
    (``torch.autograd.gradcheck.get_numerical_jacobian`` in older releases).

    References:
        - Nocedal & Wright, *Numerical Optimization*, 2nd ed., Springer, 2006, §8.1 (finite differences).
        - [CS231n: Gradient checks](https://cs231n.github.io/neural-networks-3/#gradcheck).

    Examples:
        >>> import torch
        >>> from dlref.autograd import numerical_gradient
        >>> x = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
        >>> g = numerical_gradient(lambda v: (v**2).sum(), x)
        >>> g.round(decimals=6)  # 2x, up to rounding
        tensor([ 2., -4.,  6.], dtype=torch.float64)
        >>> bool((g - 2 * x).abs().max() < 1e-8)
        True
    """
    fn = "numerical_gradient"
    if not callable(f):
        fail_type(fn, "f", f, "expected a function of one tensor returning a scalar tensor")
    x = check_tensor(fn, "x", x)
    step = check_real(fn, "eps", eps, low=0, low_open=True)
    x = x.detach()
    grad: Tensor | None = None
    with torch.no_grad():
        for i in range(x.numel()):
            # ε e_i: ε in coordinate i, 0 elsewhere
            e_i = torch.zeros(x.numel(), dtype=x.dtype, device=x.device)
            e_i[i] = step
            e_i = e_i.reshape(x.shape)
            f_plus = _scalar_output(fn, f(x + e_i))
            f_minus = _scalar_output(fn, f(x - e_i))
            if grad is None:
                grad = torch.empty(x.numel(), dtype=f_plus.dtype, device=x.device)
            # ĝ_i = (f(x + ε e_i) - f(x - ε e_i)) / 2ε
            grad[i] = (f_plus - f_minus) / (2 * step)
    if grad is None:  # x has no elements: nothing to differentiate
        return torch.zeros_like(x)
    return grad.reshape(x.shape)


def gradient_check(f: Callable[[Tensor], Tensor], x: Tensor, analytic: Tensor, eps: float = 1e-6) -> float:
    r"""The relative error between an analytic gradient and the central-difference one.

    $$
    \text{error} = \frac{\lVert a - \hat g \rVert_2}{\lVert a \rVert_2 + \lVert \hat g \rVert_2}
    \quad (0 \text{ when both are } 0),
    $$

    with $a$ the analytic gradient and $\hat g$ =
    [numerical_gradient][dlref.autograd.numerical_gradient]`(f, x, eps)`. The error is
    scale-free and lies in $[0, 1]$; it is 1 when one of the two is zero and the other
    is not, and 1 also when $a = -\hat g$.

    How to read it, for float64 and a step near the default, away from kinks:

    | error | verdict |
    |---|---|
    | $< 10^{-7}$ | the gradient is right |
    | $10^{-7}$ to $10^{-5}$ | probably right; look closer if $f$ has kinks or huge values |
    | $10^{-5}$ to $10^{-3}$ | suspicious, unless $x$ is within $\varepsilon$ of a kink |
    | $> 10^{-3}$ | the gradient is wrong |

    In float32 the rounding error alone is near $10^{-2}$ at $\varepsilon = 10^{-6}$ (and
    $10^{-5}$ to $10^{-4}$ at its best steps, $\varepsilon \approx 10^{-3}$ to $10^{-2}$), so
    these thresholds do not apply: check in float64.

    Args:
        f: A function of one tensor of `x`'s shape, returning a tensor with one element.
        x: The point, a floating-point tensor.
        analytic: The gradient to check, $\partial f / \partial x$ at `x`, for example from backprop.
        eps: The step $\varepsilon > 0$. Defaults to 1e-6.

    Shape:
        - X: $(*)$. Analytic: $(*)$, the shape of `x`.

    Returns:
        The relative error, a float in $[0, 1]$ (computed in float64).

    Raises:
        TypeError: If `f` is not callable, `x` or `analytic` not a floating-point tensor,
            `eps` not a real number, or `f` returns something other than a tensor.
        ValueError: If `eps` $\le 0$, `analytic` does not have `x`'s shape, or `f`'s output
            has more than one element.

    Torch counterpart: `torch.autograd.gradcheck` (a pass/fail verdict with elementwise tolerances).

    References:
        - [CS231n: Gradient checks](https://cs231n.github.io/neural-networks-3/#gradcheck).

    Examples:
        >>> import torch
        >>> from dlref.autograd import gradient_check
        >>> f = lambda v: (v * torch.sin(v)).sum()
        >>> x = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
        >>> right = torch.sin(x) + x * torch.cos(x)
        >>> gradient_check(f, x, right) < 1e-7
        True
        >>> wrong = torch.sin(x) + torch.cos(x)  # forgot the factor x
        >>> round(gradient_check(f, x, wrong), 3)
        0.165
        >>> gradient_check(f, x.float(), right.float()) > 1e-3  # float32: rounding swamps the check
        True
    """
    fn = "gradient_check"
    if not callable(f):
        fail_type(fn, "f", f, "expected a function of one tensor returning a scalar tensor")
    x = check_tensor(fn, "x", x)
    check_real(fn, "eps", eps, low=0, low_open=True)
    a = check_tensor(fn, "analytic", analytic)
    if a.shape != x.shape:
        fail(fn, "analytic", "has a different shape from x", tuple(a.shape),
             f"expected {tuple(x.shape)}, the shape of x")
    with torch.no_grad():
        _scalar_output(fn, f(x.detach()))  # f must be a scalar function; say so under this function's name
    numeric = numerical_gradient(f, x, eps)
    a64, n64 = a.detach().to(torch.float64), numeric.to(torch.float64)
    denominator = torch.linalg.vector_norm(a64) + torch.linalg.vector_norm(n64)
    if denominator == 0:
        return 0.0
    # ‖a − ĝ‖ / (‖a‖ + ‖ĝ‖)
    return float(torch.linalg.vector_norm(a64 - n64) / denominator)
