r"""Layer normalization and RMS normalization: statistics over each sample's trailing dimensions.

Where batch normalization standardizes a channel across the batch,
[layer_norm][dlref.norm.layer_norm] standardizes each sample (each token, in a
transformer) over its own last dimensions, given by `normalized_shape`:

$$
\mu = \frac1d \sum_{i} x_i, \qquad \sigma^2 = \frac1d \sum_{i} (x_i - \mu)^2, \qquad
y_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}\, \gamma_i + \beta_i ,
$$

with $d$ the number of elements of `normalized_shape`. The result does not depend on
the batch, so training and evaluation compute the same thing and a batch of one is
fine. [rms_norm][dlref.norm.rms_norm] (Zhang & Sennrich, 2019) drops the centring and
the shift: $y_i = x_i / \sqrt{\tfrac1d \sum_j x_j^2 + \epsilon} \cdot \gamma_i$.

Deliberate differences from torch (each one is tested):

- **Types and shapes.** `weight` and `bias` must have exactly the shape `normalized_shape`
  and the input's dtype; errors are `TypeError`/`ValueError` in dlref's one message
  style (torch raises `RuntimeError` for a `normalized_shape` that does not match).
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_ints, check_real, check_tensor, fail
from dlref.norm._common import check_eps, check_param
from dlref.norm._fast import FAST_PATH_NUMEL, standardize_affine

__all__ = ["layer_norm", "rms_norm"]


def _check_normalized_shape(fn: str, input: object, normalized_shape: object) -> tuple[Tensor, tuple[int, ...]]:
    """The input and `normalized_shape` as a tuple equal to the input's trailing dimensions."""
    x = check_tensor(fn, "input", input)
    shape = check_ints(fn, "normalized_shape", normalized_shape, low=1)
    if x.dim() < len(shape) or tuple(x.shape[x.dim() - len(shape):]) != shape:
        fail(fn, "normalized_shape", "does not match the input's trailing dimensions", shape,
             f"expected the last {len(shape)} dimension(s) of input of shape {tuple(x.shape)}")
    return x, shape


def layer_norm(input: Tensor, normalized_shape: int | list[int] | tuple[int, ...], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    r"""Layer normalization: standardize each sample over its last dimensions, then scale and shift element-wise.

    $$
    y = \frac{x - \operatorname{E}[x]}{\sqrt{\operatorname{Var}[x] + \epsilon}} \odot \gamma + \beta
    $$

    The mean and the (biased) variance are taken over the last
    ``len(normalized_shape)`` dimensions, separately for every leading index.

    Fast path: inputs of at least 65,536 elements run the same computation as one
    autograd node with the closed-form backward (`dlref.norm._fast`), tested equal to the
    plain code on values and gradients; it is differentiable once only.

    Args:
        input: Floating-point tensor $x$.
        normalized_shape: The trailing shape to normalize over (an int for the last dimension only).
        weight: $\gamma$, of shape `normalized_shape`. Defaults to None ($\gamma = 1$).
        bias: $\beta$, of shape `normalized_shape`. Defaults to None ($\beta = 0$).
        eps: $\epsilon \ge 0$, added to the variance. Defaults to 1e-5.

    Shape:
        - Input: $(*, \text{normalized\_shape})$.
        - weight, bias: normalized_shape.
        - Output: the shape of the input.

    Returns:
        $y$.

    Raises:
        TypeError: If `input`, `weight` or `bias` is not a floating-point tensor of one dtype,
            or `normalized_shape`/`eps` has the wrong type.
        ValueError: If `normalized_shape` does not match the input's trailing dimensions,
            `weight`/`bias` does not have that shape, or `eps` is negative or not finite.

    Torch counterpart: `torch.nn.functional.layer_norm` (and `torch.nn.LayerNorm`).

    References:
        - Ba, Kiros & Hinton, [Layer Normalization](https://arxiv.org/abs/1607.06450), 2016.

    Examples:
        >>> import torch
        >>> from dlref.norm import layer_norm
        >>> layer_norm(torch.tensor([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]), 3)
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]])
    """
    fn = "layer_norm"
    x, shape = _check_normalized_shape(fn, input, normalized_shape)
    w = check_param(fn, "weight", weight, shape, x, "normalized_shape")
    b = check_param(fn, "bias", bias, shape, x, "normalized_shape")
    eps = check_eps(fn, eps)
    dims = tuple(range(x.dim() - len(shape), x.dim()))  # the trailing dims
    if x.numel() >= FAST_PATH_NUMEL:
        # large inputs: the same values and gradients in one autograd node (dlref.norm._fast, tested equal)
        return standardize_affine(x, w, b, dims, eps)[0]
    # μ = E[x] over the normalized dims of each sample
    mean = x.mean(dim=dims, keepdim=True)
    centered = x - mean
    # σ² = E[(x − μ)²], the biased variance
    var = (centered * centered).mean(dim=dims, keepdim=True)
    # x̂ = (x − μ) / √(σ² + ε)
    x_hat = centered / torch.sqrt(var + eps)
    # y = x̂ ⊙ γ + β
    y = x_hat if w is None else x_hat * w
    return y if b is None else y + b


def rms_norm(input: Tensor, normalized_shape: int | list[int] | tuple[int, ...], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    r"""RMS normalization: divide each sample by the root mean square of its last dimensions, then scale.

    $$
    y = \frac{x}{\sqrt{\tfrac1d \sum_{i=1}^{d} x_i^2 + \epsilon}} \odot \gamma
    $$

    No mean is subtracted and there is no shift: cheaper than layer normalization, and
    used by LLaMA-style transformers.

    Args:
        input: Floating-point tensor $x$.
        normalized_shape: The trailing shape to normalize over (an int for the last dimension only).
        weight: $\gamma$, of shape `normalized_shape`. Defaults to None ($\gamma = 1$).
        eps: $\epsilon \ge 0$. Defaults to None, the machine epsilon of the input's dtype
            (``torch.finfo(input.dtype).eps``), as torch.

    Shape:
        - Input: $(*, \text{normalized\_shape})$.
        - weight: normalized_shape.
        - Output: the shape of the input.

    Returns:
        $y$.

    Raises:
        TypeError: As [layer_norm][dlref.norm.layer_norm].
        ValueError: As [layer_norm][dlref.norm.layer_norm].

    Torch counterpart: `torch.nn.functional.rms_norm` (and `torch.nn.RMSNorm`).

    References:
        - Zhang & Sennrich, [Root Mean Square Layer Normalization](https://arxiv.org/abs/1910.07467),
          NeurIPS 2019.

    Examples:
        >>> import torch
        >>> from dlref.norm import rms_norm
        >>> rms_norm(torch.tensor([[3.0, 4.0], [1.0, -1.0]]), 2)  # RMS of (3, 4) is √12.5
        tensor([[ 0.8485,  1.1314],
                [ 1.0000, -1.0000]])
    """
    fn = "rms_norm"
    x, shape = _check_normalized_shape(fn, input, normalized_shape)
    w = check_param(fn, "weight", weight, shape, x, "normalized_shape")
    eps = torch.finfo(x.dtype).eps if eps is None else check_real(fn, "eps", eps, low=0)
    dims = tuple(range(x.dim() - len(shape), x.dim()))  # the trailing dims
    # RMS(x) = √((1/d) Σ x² + ε)
    rms = torch.sqrt((x * x).mean(dim=dims, keepdim=True) + eps)
    # y = x / RMS(x) ⊙ γ
    y = x / rms
    return y if w is None else y * w
