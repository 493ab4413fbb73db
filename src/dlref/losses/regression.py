r"""Regression losses: squared error, absolute error, and the two smooth blends of them.

Scope: `mse_loss`, `l1_loss`, `smooth_l1_loss` and `huber_loss`, each a one-line
tensor formula on the difference $d = x - y$ between prediction and target,
followed by torch's reduction. The docs page `losses` (`/losses/`) teaches them
with the course's worked example ($y = [2, 3, 1]$, $\hat y = [1, 5, 4]$: MSE 4.6667,
MAE 2.0, smooth L1 1.5).

Sources: the course notes (regression losses), Huber (1964) and Girshick (2015)
as linked from each function, and the PyTorch documentation of each counterpart,
whose names, argument names, defaults and reduction semantics are mirrored here.

Conventions:

- `input` is the prediction $x$, `target` the ground truth $y$; both are
  floating-point tensors of the same shape. Gradients flow to both.
- `reduction` is `"none"` (the elementwise loss), `"mean"` (default) or `"sum"`.

Deliberate differences from torch (each one is tested):

- Shapes must match exactly. torch broadcasts `input` against `target` with only a
  warning (`mse_loss(x of (3,), y of (3, 1))` silently gives a (3, 3) loss); dlref
  raises `ValueError`.
- No deprecated `size_average` / `reduce` arguments; `beta` and `delta` must be
  real numbers (not tensors) and finite.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_real
from dlref.losses._common import check_pair, check_reduction, reduce

__all__ = ["huber_loss", "l1_loss", "mse_loss", "smooth_l1_loss"]


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean squared error (squared L2 loss) between prediction and target.

    $$
    \ell_n = (x_n - y_n)^2
    $$

    Then `"mean"` returns $\frac{1}{N}\sum_n \ell_n$ over all $N$ elements, `"sum"`
    returns $\sum_n \ell_n$, and `"none"` returns $\ell$ itself.

    Args:
        input: Prediction $x$, a floating-point tensor.
        target: Ground truth $y$, same shape as `input`.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) squared error.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor.
        ValueError: If the shapes differ or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.mse_loss` (which only warns on a shape mismatch).

    References:
        - [torch.nn.MSELoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.MSELoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.regression import mse_loss
        >>> y_true, y_pred = torch.tensor([2.0, 3.0, 1.0]), torch.tensor([1.0, 5.0, 4.0])
        >>> mse_loss(y_pred, y_true)
        tensor(4.6667)
        >>> mse_loss(y_pred, y_true, reduction="none")
        tensor([1., 4., 9.])
    """
    x, y = check_pair("mse_loss", input, target)
    reduction = check_reduction("mse_loss", reduction)
    # ℓ = (x - y)²
    return reduce(torch.square(x - y), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    r"""Mean absolute error (L1 loss) between prediction and target.

    $$
    \ell_n = |x_n - y_n|
    $$

    Then `"mean"` returns $\frac{1}{N}\sum_n \ell_n$, `"sum"` returns $\sum_n \ell_n$,
    and `"none"` returns $\ell$. The gradient is $\operatorname{sign}(x_n - y_n)$,
    which is 0 where $x_n = y_n$ (as in torch).

    Args:
        input: Prediction $x$, a floating-point tensor.
        target: Ground truth $y$, same shape as `input`.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) absolute error.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor.
        ValueError: If the shapes differ or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.l1_loss`.

    References:
        - [torch.nn.L1Loss](https://docs.pytorch.org/docs/stable/generated/torch.nn.L1Loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.regression import l1_loss
        >>> l1_loss(torch.tensor([1.0, 5.0, 4.0]), torch.tensor([2.0, 3.0, 1.0]))
        tensor(2.)
    """
    x, y = check_pair("l1_loss", input, target)
    reduction = check_reduction("l1_loss", reduction)
    # ℓ = |x - y|
    return reduce(torch.abs(x - y), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    r"""Smooth L1 loss: quadratic for small errors, linear (L1) for large ones.

    $$
    \ell_n = \begin{cases}
        \dfrac{(x_n - y_n)^2}{2\beta} & |x_n - y_n| < \beta \\[4pt]
        |x_n - y_n| - \dfrac{\beta}{2} & \text{otherwise}
    \end{cases}
    $$

    Then `"mean"`, `"sum"` or `"none"` as in [mse_loss][dlref.losses.regression.mse_loss].
    The slope never exceeds 1, so outliers cannot produce exploding gradients
    (Fast R-CNN's box-regression loss). As $\beta \to 0$ it tends to
    [l1_loss][dlref.losses.regression.l1_loss], and `beta=0` is exactly L1, as in torch.
    It is [huber_loss][dlref.losses.regression.huber_loss] divided by its threshold:
    `huber_loss(x, y, delta=d) == d * smooth_l1_loss(x, y, beta=d)` for $d > 0$.

    Args:
        input: Prediction $x$, a floating-point tensor.
        target: Ground truth $y$, same shape as `input`.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        beta: Threshold $\beta \ge 0$ between the two pieces. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) smooth L1 loss.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor, or `beta` is not a real number.
        ValueError: If the shapes differ, `reduction` is unknown, or `beta` is negative or infinite.

    Torch counterpart: `torch.nn.functional.smooth_l1_loss`.

    References:
        - Girshick, [Fast R-CNN](https://arxiv.org/abs/1504.08083), ICCV 2015.
        - [torch.nn.SmoothL1Loss](https://docs.pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.regression import smooth_l1_loss
        >>> y_true, y_pred = torch.tensor([2.0, 3.0, 1.0]), torch.tensor([1.0, 5.0, 4.0])
        >>> smooth_l1_loss(y_pred, y_true, reduction="none")
        tensor([0.5000, 1.5000, 2.5000])
        >>> smooth_l1_loss(y_pred, y_true)
        tensor(1.5000)
    """
    x, y = check_pair("smooth_l1_loss", input, target)
    reduction = check_reduction("smooth_l1_loss", reduction)
    beta = check_real("smooth_l1_loss", "beta", beta, low=0)
    d = x - y
    if beta == 0.0:
        # the quadratic piece is empty: ℓ = |d| exactly
        return reduce(torch.abs(d), reduction)
    # ℓ = ½ d² / β  where |d| < β,  |d| - ½β  elsewhere (the two pieces meet with slope 1 at |d| = β)
    return reduce(torch.where(torch.abs(d) < beta, 0.5 * d * d / beta, torch.abs(d) - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    r"""Huber loss: squared error near zero, linear with slope $\delta$ beyond $\delta$.

    $$
    \ell_n = \begin{cases}
        \tfrac{1}{2}(x_n - y_n)^2 & |x_n - y_n| < \delta \\[4pt]
        \delta\left(|x_n - y_n| - \tfrac{1}{2}\delta\right) & \text{otherwise}
    \end{cases}
    $$

    Then `"mean"`, `"sum"` or `"none"` as in [mse_loss][dlref.losses.regression.mse_loss].
    Dividing by $\delta$ gives [smooth_l1_loss][dlref.losses.regression.smooth_l1_loss]
    with $\beta = \delta$, so `huber_loss(x, y, delta=d) == d * smooth_l1_loss(x, y, beta=d)`
    for every $d > 0$: the same curve, with slopes up to $\delta$ instead of 1.

    Args:
        input: Prediction $x$, a floating-point tensor.
        target: Ground truth $y$, same shape as `input`.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        delta: Threshold $\delta > 0$ where the loss turns linear. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) Huber loss.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor, or `delta` is not a real number.
        ValueError: If the shapes differ, `reduction` is unknown, or `delta` is not finite and > 0
            (torch also rejects `delta <= 0`).

    Torch counterpart: `torch.nn.functional.huber_loss`.

    References:
        - Huber, [Robust Estimation of a Location Parameter](https://doi.org/10.1214/aoms/1177703732),
          Annals of Mathematical Statistics, 1964.
        - [torch.nn.HuberLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.regression import huber_loss
        >>> y_true, y_pred = torch.tensor([2.0, 3.0, 1.0]), torch.tensor([1.0, 5.0, 4.0])
        >>> huber_loss(y_pred, y_true, reduction="none", delta=2.0)
        tensor([0.5000, 2.0000, 4.0000])
    """
    x, y = check_pair("huber_loss", input, target)
    reduction = check_reduction("huber_loss", reduction)
    delta = check_real("huber_loss", "delta", delta, low=0, low_open=True)
    d = x - y
    # ℓ = ½ d²  where |d| < δ,  δ(|d| - ½δ)  elsewhere
    return reduce(torch.where(torch.abs(d) < delta, 0.5 * d * d, delta * (torch.abs(d) - 0.5 * delta)), reduction)
