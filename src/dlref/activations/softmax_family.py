r"""Softmax and log-softmax, numerically stable, with their Jacobians."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from dlref.activations._core import _check_dim, _check_input, _exp, _exp_, _in_float32

__all__ = ["log_softmax", "log_softmax_jacobian", "softmax", "softmax_jacobian"]


# --------------------------------------------------------------------------- softmax, log_softmax


class _Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: Tensor, dim: int) -> Tensor:
        # softmax(x) = softmax(x - m), m = max x: after the shift every exponent is <= 0, so nothing overflows
        e = _exp_(input - input.amax(dim, keepdim=True))
        output = e.div_(e.sum(dim, keepdim=True))
        ctx.dim = dim
        ctx.save_for_backward(output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        (p,) = ctx.saved_tensors
        # gᵀJ with J = diag(p) - p pᵀ:  p ⊙ g - p · Σ_j p_j g_j
        pg = p * grad_output
        return pg.addcmul_(p, pg.sum(ctx.dim, keepdim=True), value=-1), None


class _LogSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: Tensor, dim: int) -> Tensor:
        z = input - input.amax(dim, keepdim=True)
        e = _exp(z)
        total = e.sum(dim, keepdim=True)
        # log softmax(x) = (x - m) - log Σ_j e^{x_j - m}, the log-sum-exp trick
        output = z.sub_(torch.log(total))
        ctx.dim, ctx.exp, ctx.total = dim, e, total
        ctx.save_for_backward(output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        (output,) = ctx.saved_tensors
        g_sum = grad_output.sum(ctx.dim, keepdim=True)
        if torch.is_grad_enabled():
            # create_graph=True: p = e^y from the saved output, so the graph reaches the input
            return grad_output - torch.exp(output) * g_sum, None
        # gᵀJ with J = I - 1 pᵀ:  g - p · Σ_j g_j,  p = e^{x - m} / Σ_j e^{x_j - m}
        return torch.addcmul(grad_output, ctx.exp, g_sum / ctx.total, value=-1), None


def softmax(input: Tensor, dim: int) -> Tensor:
    r"""Softmax: turn scores along `dim` into probabilities that sum to 1.

    $$
    \mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},
    \qquad m = \max_j x_j
    $$

    Subtracting the maximum changes nothing mathematically but keeps every
    exponent $\le 0$, so `[1000, 0, -1000]` gives `[1, 0, 0]` instead of NaN.

    Args:
        input: Floating-point tensor.
        dim: Dimension along which the probabilities sum to 1 (required; torch's
            implicit choice when `dim=None` is deprecated).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Probabilities in $[0, 1]$ along `dim`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `dim` is out of range for `input`.

    Torch counterpart: `torch.nn.functional.softmax` (dlref has no `dtype` argument).

    References:
        - Bridle, [Probabilistic Interpretation of Feedforward Classification Network Outputs](https://doi.org/10.1007/978-3-642-76153-9_28), 1990.
        - [torch.nn.Softmax](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softmax.html)

    Examples:
        >>> from dlref.activations import softmax
        >>> softmax(torch.tensor([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]), dim=-1)
        tensor([[0.0900, 0.2447, 0.6652],
                [1.0000, 0.0000, 0.0000]])
    """
    _check_input("softmax", input)
    return _in_float32(_Softmax.apply, input, _check_dim("softmax", input, dim))


def log_softmax(input: Tensor, dim: int) -> Tensor:
    r"""Log-softmax: the logarithm of softmax, computed without forming softmax.

    $$
    \log\mathrm{softmax}(x)_i = x_i - \log\sum_j e^{x_j} = (x_i - m) - \log\sum_j e^{x_j - m},
    \qquad m = \max_j x_j
    $$

    The log-sum-exp form stays finite where `log(softmax(x))` would give `-inf`
    (for example `[1000, 0, -1000]`); cross-entropy is built on it.

    Args:
        input: Floating-point tensor.
        dim: Dimension along which softmax is taken (required).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Log-probabilities in $(-\infty, 0]$ along `dim`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `dim` is out of range for `input`.

    Torch counterpart: `torch.nn.functional.log_softmax` (dlref has no `dtype` argument).

    References:
        - [torch.nn.LogSoftmax](https://docs.pytorch.org/docs/stable/generated/torch.nn.LogSoftmax.html)

    Examples:
        >>> from dlref.activations import log_softmax
        >>> log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([-2.4076, -1.4076, -0.4076])
        >>> log_softmax(torch.tensor([1000.0, 0.0, -1000.0]), dim=0)
        tensor([    0., -1000., -2000.])
    """
    _check_input("log_softmax", input)
    return _in_float32(_LogSoftmax.apply, input, _check_dim("log_softmax", input, dim))


def _probabilities_last(fn: str, input: Tensor, dim: int) -> Tensor:
    """softmax(input, dim) with `dim` moved last, for the Jacobians."""
    _check_input(fn, input)
    if input.dim() == 0:
        raise ValueError(f"{fn}: input must have at least 1 dim, got a 0-dim tensor")
    return softmax(input, _check_dim(fn, input, dim)).movedim(dim, -1)


def softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [softmax][dlref.activations.softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j),
    \qquad J = \operatorname{diag}(p) - p\,p^\top
    $$

    Each $J$ is symmetric, and its rows and columns sum to 0 (softmax ignores a
    constant shift of $x$).

    Args:
        input: Floating-point tensor with at least 1 dim.
        dim: Dimension along which softmax is taken. Defaults to -1.

    Shape:
        - Input: $(*, n, *')$ with $n$ at position `dim`.
        - Output: $(*, *', n, n)$: the other dims in order, then the $n \times n$ Jacobian
          (for `dim=-1` the batch dims are the leading dims).

    Returns:
        `J[..., i, j]` $= \partial p_i / \partial x_j$.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `input` is 0-dim or `dim` is out of range.

    Examples:
        >>> from dlref.activations import softmax_jacobian
        >>> softmax_jacobian(torch.tensor([0.0, 0.0]))
        tensor([[ 0.2500, -0.2500],
                [-0.2500,  0.2500]])
    """
    p = _probabilities_last("softmax_jacobian", input, dim)
    return torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)


def log_softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [log_softmax][dlref.activations.log_softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial \log p_i}{\partial x_j} = \delta_{ij} - p_j,
    \qquad J = I - \mathbf{1}\,p^\top
    $$

    Args:
        input: Floating-point tensor with at least 1 dim.
        dim: Dimension along which softmax is taken. Defaults to -1.

    Shape:
        - Input: $(*, n, *')$ with $n$ at position `dim`.
        - Output: $(*, *', n, n)$: the other dims in order, then the $n \times n$ Jacobian.

    Returns:
        `J[..., i, j]` $= \partial \log p_i / \partial x_j$.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `input` is 0-dim or `dim` is out of range.

    Examples:
        >>> from dlref.activations import log_softmax_jacobian
        >>> log_softmax_jacobian(torch.tensor([0.0, 0.0]))
        tensor([[ 0.5000, -0.5000],
                [-0.5000,  0.5000]])
    """
    p = _probabilities_last("log_softmax_jacobian", input, dim)
    eye = torch.eye(p.shape[-1], dtype=p.dtype, device=p.device)
    return eye - p.unsqueeze(-2)
