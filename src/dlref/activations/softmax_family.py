r"""Softmax and log-softmax, numerically stable, with their Jacobians."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_dim, check_tensor, fail
from dlref.activations._bridge import bridge, needs_bridge

__all__ = ["log_softmax", "log_softmax_jacobian", "softmax", "softmax_jacobian"]


# --------------------------------------------------------------------------- softmax, log_softmax


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
        - Bridle, 1990: [Probabilistic Interpretation of Feedforward Classification Network Outputs](https://doi.org/10.1007/978-3-642-76153-9_28)
        - [torch.nn.Softmax](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softmax.html)

    Examples:
        >>> from dlref.activations import softmax
        >>> softmax(torch.tensor([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]), dim=-1)
        tensor([[0.0900, 0.2447, 0.6652],
                [1.0000, 0.0000, 0.0000]])
    """
    x = check_tensor("softmax", "input", input)
    dim = check_dim("softmax", x, dim)
    if needs_bridge(x):
        return bridge(softmax, x, dim, vjp=_softmax_vjp)
    # softmax(x) = softmax(x - m) with m = max_j x_j: every exponent is then <= 0, and none overflows
    e = torch.exp(x - x.amax(dim, keepdim=True))
    # p_i = e^{x_i - m} / Σ_j e^{x_j - m}
    return e / e.sum(dim, keepdim=True)


def _softmax_vjp(x: Tensor, p: Tensor, g: Tensor, dim: int) -> Tensor:
    """Softmax's backward pass: gᵀJ for J = diag(p) - p pᵀ (see softmax_jacobian), without forming J."""
    # (gᵀJ)_j = p_j g_j - p_j Σ_i g_i p_i = p_j (g_j - Σ_i g_i p_i)
    return p * (g - (g * p).sum(dim, keepdim=True))


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
    x = check_tensor("log_softmax", "input", input)
    dim = check_dim("log_softmax", x, dim)
    if needs_bridge(x):
        return bridge(log_softmax, x, dim, vjp=_log_softmax_vjp)
    z = x - x.amax(dim, keepdim=True)
    # log softmax(x)_i = (x_i - m) - log Σ_j e^{x_j - m}, the log-sum-exp trick
    return z - torch.log(torch.exp(z).sum(dim, keepdim=True))


def _log_softmax_vjp(x: Tensor, log_p: Tensor, g: Tensor, dim: int) -> Tensor:
    """Log-softmax's backward pass: gᵀJ for J = I - 1 pᵀ (see log_softmax_jacobian), without forming J."""
    # (gᵀJ)_j = g_j - p_j Σ_i g_i, with p = e^{log p}
    return g - torch.exp(log_p) * g.sum(dim, keepdim=True)


def _probabilities_last(fn: str, input: object, dim: object) -> Tensor:
    """softmax(input, dim) with `dim` moved last, for the Jacobians."""
    x = check_tensor(fn, "input", input)
    if x.dim() == 0:
        fail(fn, "input", "has no dimensions", "a 0-dim tensor", "expected a tensor with at least 1 dim")
    dim = check_dim(fn, x, dim)
    return softmax(x, dim).movedim(dim, -1)


def softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [softmax][dlref.activations.softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j),
    \quad J = \operatorname{diag}(p) - p\,p^\top,
    \quad p = \mathrm{softmax}(x)
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
    p = _probabilities_last("softmax_jacobian", input, dim)  # (..., n)
    # J = diag(p) - p pᵀ, one (n, n) matrix per slice
    return torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)


def log_softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [log_softmax][dlref.activations.log_softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial \log p_i}{\partial x_j} = \delta_{ij} - p_j,
    \quad J = I - \mathbf{1}\,p^\top,
    \quad p = \mathrm{softmax}(x)
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
    p = _probabilities_last("log_softmax_jacobian", input, dim)  # (..., n)
    eye = torch.eye(p.shape[-1], dtype=p.dtype, device=p.device)
    # J = I - 1 pᵀ: row i is e_i - p
    return eye - p.unsqueeze(-2)
