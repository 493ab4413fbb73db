r"""The fast path of `batch_norm` (training) and `layer_norm`: one autograd node with the closed-form backward.

The plain functions leave the backward pass to autograd, which records every
elementwise step (subtract, square, mean, divide, scale, shift) and replays each one
backwards: about three times the memory traffic of torch's fused kernels on large
tensors. This module computes the same standardization as one `torch.autograd.Function`
whose backward is the textbook closed form. With $\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}$
over $n$ values, $y = \gamma \hat x + \beta$ and $g = \gamma \odot \partial L / \partial y$:

$$
\frac{\partial L}{\partial x} = \frac{1}{\sqrt{\sigma^2 + \epsilon}}
\Big(g - \operatorname{mean}(g) - \hat x \operatorname{mean}(g \hat x)\Big), \qquad
\frac{\partial L}{\partial \gamma} = \sum \frac{\partial L}{\partial y} \hat x, \qquad
\frac{\partial L}{\partial \beta} = \sum \frac{\partial L}{\partial y},
$$

the means taken over the normalized dimensions and the sums over the dimensions that
$\gamma$ and $\beta$ are broadcast along. The tests check it equal to the plain
functions on values and gradients. It is used only for inputs of at least
`FAST_PATH_NUMEL` elements, and it is differentiable once: a second derivative through
it (``create_graph=True``) raises, where the plain path would give one.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor
from torch.autograd.function import FunctionCtx, once_differentiable

__all__: list[str] = []  # private to dlref.norm

FAST_PATH_NUMEL = 1 << 16  # below this, the plain path is fast enough and stays the one that runs


class StandardizeAffine(torch.autograd.Function):
    """y = γ (x − μ) / √(σ² + ε) + β over `dims`, with the statistics of x itself and the closed-form backward."""

    @staticmethod
    def forward(ctx: FunctionCtx, x: Tensor, weight: Tensor | None, bias: Tensor | None, dims: tuple[int, ...],
                eps: float) -> tuple[Tensor, Tensor, Tensor]:
        mean = x.mean(dim=dims, keepdim=True)
        n = x.numel() // mean.numel()  # values per normalized group
        x_hat = x - mean  # the one buffer of x̂, filled in place below
        # σ² = ‖x − μ‖² / n: a reduction with no temporary tensor
        var = torch.linalg.vector_norm(x_hat, dim=dims, keepdim=True).square_().div_(n)
        invstd = torch.rsqrt(var + eps)
        x_hat.mul_(invstd)
        if weight is None:
            y = x_hat.clone() if bias is None else x_hat + bias
        else:
            # y = β + γ x̂, in one pass
            y = x_hat * weight if bias is None else torch.addcmul(bias, x_hat, weight)
        ctx.save_for_backward(x_hat, invstd, weight)  # type: ignore[arg-type]  # None is allowed
        ctx.dims = dims  # type: ignore[attr-defined]
        ctx.bias_shape = None if bias is None else bias.shape  # type: ignore[attr-defined]
        ctx.mark_non_differentiable(mean, var)
        return y, mean, var

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, dy: Tensor, *_: Any) -> tuple[Tensor | None, ...]:
        x_hat, invstd, weight = ctx.saved_tensors
        dims = ctx.dims
        buffer = dy * x_hat  # the one new buffer: ∂L/∂y · x̂, then g x̂, then g, then ∂L/∂x
        dweight = None
        if weight is not None and ctx.needs_input_grad[1]:
            # ∂L/∂γ = Σ ∂L/∂y · x̂ over the dims γ is broadcast along
            dweight = buffer.sum_to_size(weight.shape)
            if dweight.shape == buffer.shape:  # nothing summed: a view of the buffer, which is reused below
                dweight = dweight.clone()
        # ∂L/∂β = Σ ∂L/∂y
        dbias = dy.sum_to_size(ctx.bias_shape) if ctx.bias_shape is not None and ctx.needs_input_grad[2] else None
        if not ctx.needs_input_grad[0]:
            return None, dweight, dbias, None, None
        if weight is not None:
            buffer.mul_(weight)  # g x̂ with g = γ ∂L/∂y
        mean_gx = buffer.mean(dim=dims, keepdim=True)
        g = torch.mul(dy, weight, out=buffer) if weight is not None else buffer.copy_(dy)
        mean_g = g.mean(dim=dims, keepdim=True)
        # ∂L/∂x = invstd · g − invstd · mean(g) − x̂ · invstd · mean(g x̂)
        dx = g.mul_(invstd).sub_(invstd * mean_g).addcmul_(x_hat, invstd * mean_gx, value=-1)
        return dx, dweight, dbias, None, None


def standardize_affine(x: Tensor, weight: Tensor | None, bias: Tensor | None, dims: tuple[int, ...], eps: float
                       ) -> tuple[Tensor, Tensor, Tensor]:
    """(y, μ, σ²) with y = γ (x − μ)/√(σ² + ε) + β over `dims`; μ and σ² (biased, keepdim) carry no gradient."""
    y, mean, var = StandardizeAffine.apply(x, weight, bias, dims, eps)  # type: ignore[no-untyped-call]
    return y, mean, var
