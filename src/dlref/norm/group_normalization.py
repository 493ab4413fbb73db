r"""Group normalization: standardize each sample over groups of channels, independently of the batch.

The $C$ channels of an input $(N, C, *)$ are split into $G$ consecutive groups of $C/G$
channels; each sample is standardized over each group's $C/G \cdot \prod *$ values, then
every channel gets its own scale and shift:

$$
y_{nc*} = \gamma_c \frac{x_{nc*} - \mu_{ng}}{\sqrt{\sigma_{ng}^2 + \epsilon}} + \beta_c,
\qquad g = \lfloor c / (C/G) \rfloor .
$$

$G = 1$ is layer normalization over $(C, *)$ (with per-channel $\gamma, \beta$); $G = C$
is instance normalization. Like them it does not depend on the batch, so it works with
the small batches of detection and segmentation, where batch statistics are noisy
(Wu & He, 2018).

Deliberate differences from torch (each one is tested):

- **A group of one value.** When a group holds a single value ($C = G$ without spatial
  dimensions) it normalizes to 0, so $y = \beta$, for any batch size. Torch raises
  `ValueError` for that case only when $N = 1$ (its batch-size check is the batch norm
  one); dlref never raises for it.
- **Types and shapes.** `weight` and `bias` must be $(C,)$ tensors of the input's dtype;
  errors are `TypeError`/`ValueError` in dlref's one message style (torch raises
  `RuntimeError` when `num_groups` does not divide $C$).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from dlref._checks import check_int, fail
from dlref.norm._common import check_eps, check_input, check_param

__all__ = ["group_norm"]


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    r"""Group normalization: standardize each sample over groups of $C/G$ channels, then scale and shift per channel.

    $$
    \mu_{ng} = \operatorname{E}[x_{n,g}], \qquad \sigma^2_{ng} = \operatorname{Var}[x_{n,g}], \qquad
    y_{nc*} = \gamma_c \frac{x_{nc*} - \mu_{ng}}{\sqrt{\sigma_{ng}^2 + \epsilon}} + \beta_c
    $$

    where $x_{n,g}$ are the $C/G \cdot \prod *$ values of sample $n$ in the channels of
    group $g$, and the variance is the biased one.

    Args:
        input: Floating-point tensor $x$ with the channels in dimension 1.
        num_groups: $G$, which must divide $C$.
        weight: $\gamma$, one per channel. Defaults to None ($\gamma = 1$).
        bias: $\beta$, one per channel. Defaults to None ($\beta = 0$).
        eps: $\epsilon \ge 0$, added to the variance. Defaults to 1e-5.

    Shape:
        - Input: $(N, C, *)$.
        - weight, bias: $(C)$.
        - Output: the shape of the input.

    Returns:
        $y$.

    Raises:
        TypeError: If a tensor argument is not a floating-point tensor of the input's dtype,
            `num_groups` is not an int or `eps` not a real number.
        ValueError: If `input` has fewer than 2 dimensions, `num_groups` < 1 or does not
            divide $C$, `weight`/`bias` is not $(C)$, or `eps` is negative or not finite.

    Torch counterpart: `torch.nn.functional.group_norm` (and `torch.nn.GroupNorm`).

    References:
        - Wu & He, [Group Normalization](https://arxiv.org/abs/1803.08494), ECCV 2018.

    Examples:
        >>> import torch
        >>> from dlref.norm import group_norm
        >>> x = torch.tensor([[1.0, 3.0, 10.0, 30.0]])  # (N=1, C=4): groups (1, 3) and (10, 30)
        >>> group_norm(x, 2)
        tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])
    """
    fn = "group_norm"
    x = check_input(fn, input, 2, "(N, C, *)")
    n, channels = x.shape[:2]
    groups = check_int(fn, "num_groups", num_groups, low=1)
    if channels % groups != 0:
        fail(fn, "num_groups", "does not divide the number of channels", groups,
             f"expected a divisor of C = {channels} (input of shape {tuple(x.shape)})")
    w = check_param(fn, "weight", weight, (channels,), x, "one scale per channel")
    b = check_param(fn, "bias", bias, (channels,), x, "one shift per channel")
    eps = check_eps(fn, eps)
    per_channel = (1, channels) + (1,) * (x.dim() - 2)  # broadcasts a (C,) tensor over (N, C, *)
    # the values of each group in one row: (N, G, C/G · ∏*)
    grouped = x.reshape(n, groups, channels // groups * math.prod(x.shape[2:]))
    # μ_ng = E[x_ng]
    mean = grouped.mean(dim=2, keepdim=True)  # (N, G, 1)
    centered = grouped - mean
    # σ²_ng = E[(x_ng − μ_ng)²], the biased variance
    var = (centered * centered).mean(dim=2, keepdim=True)  # (N, G, 1)
    # x̂ = (x − μ) / √(σ² + ε), back in the input's shape
    x_hat = (centered / torch.sqrt(var + eps)).reshape(x.shape)
    # y = γ_c x̂ + β_c
    y = x_hat if w is None else x_hat * w.reshape(per_channel)
    return y if b is None else y + b.reshape(per_channel)
