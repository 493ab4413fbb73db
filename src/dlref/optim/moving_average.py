r"""The exponentially weighted (moving) average, the running mean inside momentum, RMSprop and Adam."""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_bool, check_real, check_tensor, fail

__all__ = ["ema"]


def ema(values: Tensor, beta: float, bias_correction: bool = False) -> Tensor:
    r"""Exponentially weighted average of a sequence, along its first dimension, optionally bias-corrected.

    $$
    v_0 = 0, \qquad v_t = \beta\, v_{t-1} + (1 - \beta)\, x_t = (1 - \beta) \sum_{s=1}^{t} \beta^{t-s} x_s,
    \qquad \hat v_t = \frac{v_t}{1 - \beta^t}
    $$

    The weights $(1 - \beta)\beta^{t-s}$ decay geometrically into the past and sum to
    $1 - \beta^t$, so $v_t$ averages over roughly the last $1/(1 - \beta)$ samples
    ($\beta^{1/(1-\beta)} \approx 1/e$). Started at $v_0 = 0$ the weights sum to less
    than 1 early on, pulling $v_t$ towards 0 (for $\beta = 0.98$, $v_1 = 0.02\,x_1$);
    dividing by $1 - \beta^t$, as Adam does, gives the weighted mean
    $\hat v_t = \sum_s \beta^{t-s} x_s / \sum_s \beta^{t-s}$, so $\hat v_1 = x_1$. For
    large $t$ the correction tends to 1 and changes nothing.

    Args:
        values: Floating-point tensor $x$; dimension 0 is time, any other dimensions are
            averaged independently.
        beta: Decay rate $\beta \in [0, 1)$; $\beta = 0$ returns `values`.
        bias_correction: Divide $v_t$ by $1 - \beta^t$. Defaults to False.

    Shape:
        - Values: $(T, *)$, where $*$ means any number of dimensions.
        - Output: $(T, *)$, the average after each sample.

    Returns:
        $v_1, \dots, v_T$ (or $\hat v_1, \dots, \hat v_T$), stacked along dimension 0.

    Raises:
        TypeError: If `values` is not a floating-point tensor, `beta` not a real number or
            `bias_correction` not a bool.
        ValueError: If `values` is 0-D or $\beta \notin [0, 1)$.

    Torch counterpart: none as a function; it is the update of ``exp_avg`` in
    `torch.optim.Adam` and of ``momentum_buffer`` in `torch.optim.SGD` with ``dampening=momentum``.

    References:
        - Kingma & Ba, [Adam: A Method for Stochastic Optimization](https://arxiv.org/abs/1412.6980),
          ICLR 2015, section 3 (the bias correction).

    Examples:
        >>> import torch
        >>> from dlref.optim import ema
        >>> x = torch.tensor([10.0, 12.0, 11.0, 13.0])
        >>> ema(x, 0.5)
        tensor([ 5.0000,  8.5000,  9.7500, 11.3750])
        >>> ema(x, 0.5, bias_correction=True)  # starts at the first sample
        tensor([10.0000, 11.3333, 11.1429, 12.1333])
    """
    fn = "ema"
    values = check_tensor(fn, "values", values)
    beta = check_real(fn, "beta", beta, low=0, high=1, high_open=True)
    bias_correction = check_bool(fn, "bias_correction", bias_correction)
    if values.dim() == 0:
        fail(fn, "values", "has the wrong number of dimensions", "0-D of shape ()",
             "expected at least 1-D (T, *), time first")
    averages = torch.empty_like(values)  # (T, *)
    # v_0 = 0
    v = torch.zeros_like(values[0])  # (*)
    for t in range(1, values.shape[0] + 1):
        # v_t = β v_{t-1} + (1 - β) x_t
        v = beta * v + (1 - beta) * values[t - 1]
        # v̂_t = v_t / (1 - β^t)
        averages[t - 1] = v / (1 - beta**t) if bias_correction else v
    return averages
