r"""Batch normalization: `batch_norm` and the `BatchNorm1d/2d/3d` modules, with torch's running statistics.

For an input $(N, C, *)$, batch normalization standardizes each channel $c$ over the
$n = N \cdot \prod *$ values it has in the batch, then applies a learnable per-channel
scale $\gamma_c$ and shift $\beta_c$:

$$
\mu_c = \frac1n \sum x, \qquad \sigma_c^2 = \frac1n \sum (x - \mu_c)^2, \qquad
y = \gamma_c \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c .
$$

In training the statistics are those of the batch, and the running estimates used at
evaluation are updated in place with momentum $m$,

$$
\hat\mu_c \leftarrow (1 - m)\, \hat\mu_c + m\, \mu_c, \qquad
\hat\sigma_c^2 \leftarrow (1 - m)\, \hat\sigma_c^2 + m\, \frac{n}{n - 1} \sigma_c^2 ,
$$

with the *unbiased* variance, as torch does (the normalization itself uses the biased
one). In evaluation $y$ uses $\hat\mu_c, \hat\sigma_c^2$: a fixed affine map of each
channel, independent of the rest of the batch. The modules keep torch's parameter
and buffer names (``weight``, ``bias``, ``running_mean``, ``running_var``,
``num_batches_tracked``), so a state dict loads strictly from torch into dlref and back;
``momentum=None`` makes the running statistics the cumulative average of all batches
seen, $m = 1 / \text{num\_batches\_tracked}$.

Deliberate differences from torch (each one is tested):

- **Types and shapes.** `weight`, `bias` and the running statistics must be $(C,)$ tensors
  of the input's dtype (torch also mixes some dtypes); `momentum` must lie in $[0, 1]$
  and `eps` be finite; errors are `TypeError`/`ValueError` in dlref's one message style
  (torch raises `RuntimeError` for missing running statistics in evaluation).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from dlref._checks import check_bool, check_int, check_ndim, check_real, fail, fail_type
from dlref.norm._common import check_eps, check_input, check_momentum, check_param, check_running_stats
from dlref.norm._fast import FAST_PATH_NUMEL, standardize_affine

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "batch_norm"]


def _update_running_stats(stats: tuple[Tensor, Tensor] | None, mean: Tensor, var: Tensor, n: int, momentum: float
                          ) -> None:
    """Blend the batch's μ and biased σ² (each (C,)) of n values per channel into the running statistics, in place."""
    if stats is None:
        return
    running_mean, running_var = stats
    with torch.no_grad():
        # μ̂ ← (1 − m) μ̂ + m μ
        running_mean.copy_((1 - momentum) * running_mean + momentum * mean)
        # σ̂² ← (1 − m) σ̂² + m · n/(n − 1) · σ², the unbiased variance
        running_var.copy_((1 - momentum) * running_var + momentum * var * n / (n - 1))


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5
               ) -> Tensor:
    r"""Batch normalization: standardize each channel with the batch (training) or running (evaluation) statistics.

    $$
    y = \gamma_c \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c, \qquad
    \hat\mu_c \leftarrow (1 - m)\,\hat\mu_c + m\,\mu_c, \qquad
    \hat\sigma_c^2 \leftarrow (1 - m)\,\hat\sigma_c^2 + m\,\tfrac{n}{n-1}\sigma_c^2
    $$

    In training, $\mu_c$ and $\sigma_c^2$ (biased) are taken over the batch and spatial
    dimensions, $n = N \cdot \prod *$ values per channel, and the running statistics, if
    given, are updated in place as above. In evaluation, $\mu_c = \hat\mu_c$ and
    $\sigma_c^2 = \hat\sigma_c^2$.

    Fast path: in training, inputs of at least 65,536 elements run the same computation
    as one autograd node with the closed-form backward (`dlref.norm._fast`), tested equal
    to the plain code on values and gradients; it is differentiable once only.

    Args:
        input: Floating-point tensor $x$ with the channels in dimension 1.
        running_mean: $\hat\mu$, updated in place in training; required in evaluation, may be None in training.
        running_var: $\hat\sigma^2$, likewise (None exactly when `running_mean` is).
        weight: $\gamma$. Defaults to None ($\gamma = 1$).
        bias: $\beta$. Defaults to None ($\beta = 0$).
        training: Use the batch statistics and update the running ones. Defaults to False.
        momentum: $m \in [0, 1]$, the weight of the batch in the running average. Defaults to 0.1.
        eps: $\epsilon$, added to the variance; $> 0$ in training. Defaults to 1e-5.

    Shape:
        - Input: $(N, C)$ or $(N, C, *)$, e.g. $(N, C, L)$, $(N, C, H, W)$, $(N, C, D, H, W)$.
        - running_mean, running_var, weight, bias: $(C)$.
        - Output: the shape of the input.

    Returns:
        $y$.

    Raises:
        TypeError: If a tensor argument is not a floating-point tensor of the input's dtype,
            `training` is not a bool, or `momentum`/`eps` is not a real number.
        ValueError: If `input` has fewer than 2 dimensions, a per-channel tensor is not $(C)$,
            only one running statistic is given, they are missing in evaluation, `momentum`
            is outside $[0, 1]$, `eps` is negative (or 0 in training), or, in training, a
            channel has one value only ($n = 1$: its variance is 0 and $y = \beta$).

    Torch counterpart: `torch.nn.functional.batch_norm`.

    References:
        - Ioffe & Szegedy, [Batch Normalization: Accelerating Deep Network Training by Reducing
          Internal Covariate Shift](https://arxiv.org/abs/1502.03167), ICML 2015.

    Examples:
        >>> import torch
        >>> from dlref.norm import batch_norm
        >>> x = torch.tensor([[1.0, 10.0], [3.0, 30.0]])  # (N=2, C=2)
        >>> mean, var = torch.zeros(2), torch.ones(2)
        >>> batch_norm(x, mean, var, training=True)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
        >>> mean, var  # 0.9 · old + 0.1 · batch (unbiased variance: 2 and 200)
        (tensor([0.2000, 2.0000]), tensor([ 1.1000, 20.9000]))
    """
    fn = "batch_norm"
    x = check_input(fn, input, 2, "(N, C, *)")
    channels = x.shape[1]
    stats = check_running_stats(fn, running_mean, running_var, channels, x)
    w = check_param(fn, "weight", weight, (channels,), x, "one scale per channel")
    b = check_param(fn, "bias", bias, (channels,), x, "one shift per channel")
    training = check_bool(fn, "training", training)
    momentum = check_momentum(fn, momentum)
    eps = check_eps(fn, eps, positive=training)
    per_channel = (1, channels) + (1,) * (x.dim() - 2)  # broadcasts a (C,) tensor over (N, C, *)
    dims = [0, *range(2, x.dim())]  # every dimension but the channels
    if training:
        n = x.numel() // channels if channels else 0
        if n == 1:
            fail(fn, "input", "has one value per channel", f"shape {tuple(x.shape)}",
                 "expected more than 1 value per channel in training (N times the spatial size > 1)")
        if x.numel() >= FAST_PATH_NUMEL:
            # large inputs: the same values and gradients in one autograd node (dlref.norm._fast, tested equal)
            y, mean, var = standardize_affine(x, None if w is None else w.reshape(per_channel),
                                              None if b is None else b.reshape(per_channel), tuple(dims), eps)
            _update_running_stats(stats, mean.reshape(channels), var.reshape(channels), n, momentum)
            return y
        # μ_c = (1/n) Σ x over the batch and spatial dims
        mean = x.mean(dim=dims, keepdim=True)  # (1, C, 1, ...)
        centered = x - mean
        # σ²_c = (1/n) Σ (x − μ_c)², the biased variance
        var = (centered * centered).mean(dim=dims, keepdim=True)  # (1, C, 1, ...)
        _update_running_stats(stats, mean.reshape(channels), var.reshape(channels), n, momentum)
    else:
        if stats is None:
            fail(fn, "running_mean", "is None", "None with training=False",
                 "expected running_mean and running_var in evaluation (or training=True)")
        mean, var = stats[0].reshape(per_channel), stats[1].reshape(per_channel)
        centered = x - mean
    # x̂ = (x − μ) / √(σ² + ε)
    x_hat = centered / torch.sqrt(var + eps)
    # y = γ x̂ + β
    y = x_hat if w is None else x_hat * w.reshape(per_channel)
    return y if b is None else y + b.reshape(per_channel)


class _BatchNorm(nn.Module):
    """What BatchNorm1d/2d/3d share: parameters, buffers, the momentum rule; they differ in the input's rank."""

    _version = 2  # torch's state-dict version of its BatchNorm (the one with num_batches_tracked)
    _dims: tuple[int, ...] = ()
    _layout = ""

    weight: nn.Parameter | None
    bias: nn.Parameter | None
    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: torch.device | str | None = None,
                 dtype: torch.dtype | None = None, *, bias: bool = True) -> None:
        fn = type(self).__name__
        super().__init__()
        self.num_features = check_int(fn, "num_features", num_features, low=1)
        self.eps = check_real(fn, "eps", eps, low=0, low_open=True)
        if momentum is not None:
            check_momentum(fn, momentum)
        self.momentum = momentum
        self.affine = check_bool(fn, "affine", affine)
        self.track_running_stats = check_bool(fn, "track_running_stats", track_running_stats)
        if dtype is not None and not isinstance(dtype, torch.dtype):
            fail_type(fn, "dtype", dtype, "expected a torch.dtype or None")
        def per_channel() -> Tensor:
            return torch.empty(num_features, device=device, dtype=dtype)

        # γ and β, one per channel (set to 1 and 0 by reset_parameters)
        self.register_parameter("weight", nn.Parameter(per_channel()) if affine else None)
        self.register_parameter("bias", nn.Parameter(per_channel()) if affine and bias else None)
        if track_running_stats:
            self.register_buffer("running_mean", per_channel().zero_())
            self.register_buffer("running_var", per_channel().fill_(1))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """μ̂ = 0, σ̂² = 1 and no batch seen."""
        if self.running_mean is not None and self.running_var is not None and self.num_batches_tracked is not None:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """The running statistics reset, γ = 1 and β = 0: the layer starts as the plain standardization."""
        self.reset_running_stats()
        with torch.no_grad():
            if self.weight is not None:
                self.weight.fill_(1)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, input: Tensor) -> Tensor:
        """Normalize `input` with the batch statistics (training) or the running ones (evaluation)."""
        fn = type(self).__name__
        if not isinstance(input, Tensor):
            fail_type(fn, "input", input, "expected a torch.Tensor")
        check_ndim(fn, "input", input, self._dims, self._layout)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:
                # cumulative average: m_k = 1/k gives μ̂_k = (μ_1 + ... + μ_k) / k
                factor = 1.0 / float(self.num_batches_tracked)
        # batch statistics in training, and in evaluation when no running statistics are kept
        use_batch_stats = self.training or self.running_mean is None
        # the running statistics are read in evaluation, updated in training only when tracked
        read_or_update = not self.training or self.track_running_stats
        return batch_norm(input, self.running_mean if read_or_update else None,
                          self.running_var if read_or_update else None, self.weight, self.bias,
                          use_batch_stats, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    r"""Batch normalization over a 2-D $(N, C)$ or 3-D $(N, C, L)$ input, as a module with running statistics.

    $$
    y = \gamma_c \frac{x - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c
    $$

    See [batch_norm][dlref.norm.batch_norm] for the statistics and their update.

    Args:
        num_features: $C$, the number of channels.
        eps: $\epsilon > 0$. Defaults to 1e-5.
        momentum: $m \in [0, 1]$, or None for the cumulative average. Defaults to 0.1.
        affine: Learn $\gamma$ (``weight``) and $\beta$ (``bias``). Defaults to True.
        track_running_stats: Keep ``running_mean``, ``running_var`` and ``num_batches_tracked``;
            without them evaluation also uses the batch statistics. Defaults to True.
        device: Device of the parameters and buffers. Defaults to None.
        dtype: Floating dtype of the parameters and running statistics. Defaults to None (torch's default).
        bias: Learn $\beta$ (with `affine`). Defaults to True.

    Shape:
        - Input: $(N, C)$ or $(N, C, L)$.
        - Output: the shape of the input.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If `num_features` < 1, `eps` $\le 0$, `momentum` is outside $[0, 1]$, or the input
            has the wrong rank (and as [batch_norm][dlref.norm.batch_norm] does in forward).

    Torch counterpart: `torch.nn.BatchNorm1d` (same state-dict keys; loads both ways).

    References:
        - Ioffe & Szegedy, [Batch Normalization](https://arxiv.org/abs/1502.03167), ICML 2015.

    Examples:
        >>> import torch
        >>> from dlref.norm import BatchNorm1d
        >>> bn = BatchNorm1d(2)
        >>> _ = bn(torch.tensor([[1.0, 10.0], [3.0, 30.0]]))
        >>> bn.running_mean, bn.running_var, int(bn.num_batches_tracked)
        (tensor([0.2000, 2.0000]), tensor([ 1.1000, 20.9000]), 1)
        >>> sorted(bn.state_dict())
        ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight']
    """

    _dims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    r"""Batch normalization over a 4-D $(N, C, H, W)$ input, as a module with running statistics.

    $$
    y_{nchw} = \gamma_c \frac{x_{nchw} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c
    $$

    The statistics of channel $c$ are taken over $n = N H W$ values. Arguments as
    [BatchNorm1d][dlref.norm.BatchNorm1d].

    Args:
        num_features: $C$, the number of channels.
        eps: $\epsilon > 0$. Defaults to 1e-5.
        momentum: $m \in [0, 1]$, or None for the cumulative average. Defaults to 0.1.
        affine: Learn $\gamma$ and $\beta$. Defaults to True.
        track_running_stats: Keep the running statistics. Defaults to True.
        device: Device of the parameters and buffers. Defaults to None.
        dtype: Floating dtype of the parameters and running statistics. Defaults to None.
        bias: Learn $\beta$ (with `affine`). Defaults to True.

    Shape:
        - Input: $(N, C, H, W)$.
        - Output: $(N, C, H, W)$.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: As [BatchNorm1d][dlref.norm.BatchNorm1d], for a 4-D input.

    Torch counterpart: `torch.nn.BatchNorm2d` (same state-dict keys; loads both ways).

    References:
        - Ioffe & Szegedy, [Batch Normalization](https://arxiv.org/abs/1502.03167), ICML 2015.

    Examples:
        >>> import torch
        >>> from dlref.norm import BatchNorm2d
        >>> bn = BatchNorm2d(3).eval()  # evaluation: μ̂ = 0, σ̂² = 1 at the start
        >>> bn(torch.full((1, 3, 2, 2), 2.0))[0, :, 0, 0]
        tensor([2.0000, 2.0000, 2.0000], grad_fn=<SelectBackward0>)
    """

    _dims = (4,)
    _layout = "(N, C, H, W)"


class BatchNorm3d(_BatchNorm):
    r"""Batch normalization over a 5-D $(N, C, D, H, W)$ input, as a module with running statistics.

    $$
    y_{ncdhw} = \gamma_c \frac{x_{ncdhw} - \mu_c}{\sqrt{\sigma_c^2 + \epsilon}} + \beta_c
    $$

    The statistics of channel $c$ are taken over $n = N D H W$ values. Arguments as
    [BatchNorm1d][dlref.norm.BatchNorm1d].

    Args:
        num_features: $C$, the number of channels.
        eps: $\epsilon > 0$. Defaults to 1e-5.
        momentum: $m \in [0, 1]$, or None for the cumulative average. Defaults to 0.1.
        affine: Learn $\gamma$ and $\beta$. Defaults to True.
        track_running_stats: Keep the running statistics. Defaults to True.
        device: Device of the parameters and buffers. Defaults to None.
        dtype: Floating dtype of the parameters and running statistics. Defaults to None.
        bias: Learn $\beta$ (with `affine`). Defaults to True.

    Shape:
        - Input: $(N, C, D, H, W)$.
        - Output: $(N, C, D, H, W)$.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: As [BatchNorm1d][dlref.norm.BatchNorm1d], for a 5-D input.

    Torch counterpart: `torch.nn.BatchNorm3d` (same state-dict keys; loads both ways).

    References:
        - Ioffe & Szegedy, [Batch Normalization](https://arxiv.org/abs/1502.03167), ICML 2015.

    Examples:
        >>> import torch
        >>> from dlref.norm import BatchNorm3d
        >>> bn = BatchNorm3d(2, momentum=None)  # cumulative average of the batch statistics
        >>> for shift in (1.0, 3.0):
        ...     _ = bn(torch.randn(2, 2, 2, 2, 2, generator=torch.Generator().manual_seed(0)) * 0 + shift)
        >>> bn.running_mean
        tensor([2., 2.])
    """

    _dims = (5,)
    _layout = "(N, C, D, H, W)"
