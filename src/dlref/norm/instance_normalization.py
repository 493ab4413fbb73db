r"""Instance normalization: standardize every channel of every sample over its own spatial positions.

For an input $(N, C, *)$, instance normalization is batch normalization with a batch
of one: each feature map $x_{nc}$ is standardized with its own mean and variance over
the spatial dimensions,

$$
\mu_{nc} = \frac1s \sum_{*} x_{nc*}, \qquad \sigma_{nc}^2 = \frac1s \sum_{*} (x_{nc*} - \mu_{nc})^2, \qquad
y_{nc*} = \gamma_c \frac{x_{nc*} - \mu_{nc}}{\sqrt{\sigma_{nc}^2 + \epsilon}} + \beta_c ,
$$

with $s = \prod *$ positions per map. It removes each image's contrast and brightness
per channel, which is why style transfer uses it. Optional running statistics work as in
[batch_norm][dlref.norm.batch_norm], with the batch average of the per-instance
statistics: $\hat\mu_c \leftarrow (1 - m)\hat\mu_c + m \cdot \frac1N \sum_n \mu_{nc}$, and
likewise $\hat\sigma_c^2$ with the unbiased $\frac{s}{s - 1}\sigma_{nc}^2$.

Deliberate differences from torch (each one is tested):

- **Types and shapes** as in [batch_norm][dlref.norm.batch_norm]: $(C,)$ tensors of the
  input's dtype, `momentum` in $[0, 1]$, errors in dlref's one message style.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from dlref._checks import check_bool, fail
from dlref.norm._common import check_eps, check_input, check_momentum, check_param, check_running_stats

__all__ = ["instance_norm"]


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    r"""Instance normalization: standardize each (sample, channel) feature map over its spatial positions.

    $$
    y_{nc*} = \gamma_c \frac{x_{nc*} - \mu_{nc}}{\sqrt{\sigma_{nc}^2 + \epsilon}} + \beta_c, \qquad
    \hat\mu_c \leftarrow (1 - m)\,\hat\mu_c + m\,\tfrac1N \textstyle\sum_n \mu_{nc}
    $$

    With ``use_input_stats=True`` each map uses its own statistics (and the running ones,
    if given, are updated in place; $\hat\sigma_c^2$ with the unbiased variances); with
    ``use_input_stats=False`` every map uses $\hat\mu_c$ and $\hat\sigma_c^2$.

    Args:
        input: Floating-point tensor $x$ with the channels in dimension 1.
        running_mean: $\hat\mu$, updated in place when given and `use_input_stats`. Defaults to None.
        running_var: $\hat\sigma^2$, likewise (None exactly when `running_mean` is). Defaults to None.
        weight: $\gamma$. Defaults to None ($\gamma = 1$).
        bias: $\beta$. Defaults to None ($\beta = 0$).
        use_input_stats: Normalize with each map's own statistics. Defaults to True.
        momentum: $m \in [0, 1]$ for the running statistics. Defaults to 0.1.
        eps: $\epsilon \ge 0$ ($> 0$ with `use_input_stats`). Defaults to 1e-5.

    Shape:
        - Input: $(N, C, *)$ with at least one spatial dimension, e.g. $(N, C, L)$ or $(N, C, H, W)$.
        - running_mean, running_var, weight, bias: $(C)$.
        - Output: the shape of the input.

    Returns:
        $y$.

    Raises:
        TypeError: If a tensor argument is not a floating-point tensor of the input's dtype,
            `use_input_stats` is not a bool, or `momentum`/`eps` is not a real number.
        ValueError: If `input` has fewer than 3 dimensions, a per-channel tensor is not $(C)$,
            only one running statistic is given, they are missing with
            ``use_input_stats=False``, `momentum`/`eps` is out of range, or, with
            `use_input_stats`, a map has one position only ($s = 1$).

    Torch counterpart: `torch.nn.functional.instance_norm` (and `torch.nn.InstanceNorm1d/2d/3d`).

    References:
        - Ulyanov, Vedaldi & Lempitsky, [Instance Normalization: The Missing Ingredient for Fast
          Stylization](https://arxiv.org/abs/1607.08022), 2016.

    Examples:
        >>> import torch
        >>> from dlref.norm import instance_norm
        >>> x = torch.tensor([[[1.0, 3.0], [10.0, 30.0]]])  # (N=1, C=2, L=2)
        >>> instance_norm(x)
        tensor([[[-1.0000,  1.0000],
                 [-1.0000,  1.0000]]])
    """
    fn = "instance_norm"
    x = check_input(fn, input, 3, "(N, C, *) with at least one spatial dimension")
    channels = x.shape[1]
    stats = check_running_stats(fn, running_mean, running_var, channels, x)
    w = check_param(fn, "weight", weight, (channels,), x, "one scale per channel")
    b = check_param(fn, "bias", bias, (channels,), x, "one shift per channel")
    use_input_stats = check_bool(fn, "use_input_stats", use_input_stats)
    momentum = check_momentum(fn, momentum)
    eps = check_eps(fn, eps, positive=use_input_stats)
    per_channel = (1, channels) + (1,) * (x.dim() - 2)  # broadcasts a (C,) tensor over (N, C, *)
    spatial = tuple(range(2, x.dim()))
    if use_input_stats:
        s = math.prod(x.shape[2:])
        if s == 1:
            fail(fn, "input", "has one spatial position per map", f"shape {tuple(x.shape)}",
                 "expected more than 1 value per (sample, channel) with use_input_stats=True")
        # μ_nc = (1/s) Σ x over the spatial dims of each map
        mean = x.mean(dim=spatial, keepdim=True)  # (N, C, 1, ...)
        centered = x - mean
        # σ²_nc = (1/s) Σ (x − μ_nc)², the biased variance
        var = (centered * centered).mean(dim=spatial, keepdim=True)  # (N, C, 1, ...)
        if stats is not None:
            with torch.no_grad():
                running_mean_, running_var_ = stats
                # μ̂ ← (1 − m) μ̂ + m · mean over the batch of μ_nc
                batch_mean = mean.reshape(x.shape[0], channels).mean(dim=0)
                running_mean_.copy_((1 - momentum) * running_mean_ + momentum * batch_mean)
                # σ̂² ← (1 − m) σ̂² + m · mean over the batch of s/(s − 1) · σ²_nc
                batch_var = (var.reshape(x.shape[0], channels) * s / (s - 1)).mean(dim=0)
                running_var_.copy_((1 - momentum) * running_var_ + momentum * batch_var)
    else:
        if stats is None:
            fail(fn, "running_mean", "is None", "None with use_input_stats=False",
                 "expected running_mean and running_var (or use_input_stats=True)")
        mean, var = stats[0].reshape(per_channel), stats[1].reshape(per_channel)
        centered = x - mean
    # x̂ = (x − μ) / √(σ² + ε)
    x_hat = centered / torch.sqrt(var + eps)
    # y = γ x̂ + β
    y = x_hat if w is None else x_hat * w.reshape(per_channel)
    return y if b is None else y + b.reshape(per_channel)
