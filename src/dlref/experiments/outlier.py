r"""Fitting a line to data with outliers under MSE, MAE and Huber loss, the losses chapter's experiment.

MSE's gradient grows with the residual, so a few outliers pull the fitted line
towards them; MAE's and Huber's gradients are bounded, so they barely move it. The
experiment fits the same data three times with dlref's own losses and returns the lines.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor

from dlref.losses import huber_loss, l1_loss, mse_loss

__all__ = ["outlier_experiment"]

_LOSSES: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "MSE": mse_loss,
    "MAE": l1_loss,
    "Huber": functools.partial(huber_loss, delta=1.0),
}


def _fit_line(x: Tensor, y: Tensor, loss_fn: Callable[[Tensor, Tensor], Tensor]) -> tuple[float, float]:
    """(a, b) minimising mean loss(a x + b, y), by L-BFGS from a = b = 0."""
    params = torch.zeros(2, dtype=x.dtype, requires_grad=True)  # (a, b)
    opt = torch.optim.LBFGS([params], lr=1.0, max_iter=200, line_search_fn="strong_wolfe",
                            tolerance_grad=1e-12, tolerance_change=1e-14)

    def closure() -> Tensor:
        opt.zero_grad()
        loss = loss_fn(params[0] * x + params[1], y)  # the mean loss of the line y = a x + b
        torch.autograd.backward(loss)
        return loss

    opt.step(closure)  # type: ignore[no-untyped-call]
    return params[0].item(), params[1].item()


@functools.cache
def outlier_experiment() -> dict[str, Any]:
    r"""Fit a line $y = a x + b$ to data with outliers under MSE, MAE and Huber loss.

    The data are 40 points on $y = 2x + 1$ for $x$ evenly spaced in $[0, 10]$, with
    Gaussian noise (standard deviation 0.5, seed 0); the 4 largest $x$ are lifted by 15.
    Each fit minimises the mean loss with L-BFGS (strong Wolfe line search, 200
    iterations) from $a = b = 0$, using [mse_loss][dlref.losses.mse_loss],
    [l1_loss][dlref.losses.l1_loss] and [huber_loss][dlref.losses.huber_loss]
    ($\delta = 1$); the MSE fit is also the least-squares solution. The result is
    computed once per process.

    Returns:
        ``{"x": x, "y": y, "fits": {"MSE": (a, b), "MAE": (a, b), "Huber": (a, b)}}``,
        with float64 tensors `x` and `y` of shape $(40,)$ and the fitted slopes and
        intercepts as floats.

    Examples:
        >>> from dlref.experiments import outlier_experiment
        >>> run = outlier_experiment()
        >>> sorted(run["fits"]), tuple(run["x"].shape)
        (['Huber', 'MAE', 'MSE'], (40,))
    """
    g = torch.Generator().manual_seed(0)
    x = torch.linspace(0.0, 10.0, 40, dtype=torch.float64)
    y = 2.0 * x + 1.0 + 0.5 * torch.randn(40, generator=g, dtype=torch.float64)
    y[-4:] += 15.0  # the outliers
    return {"x": x, "y": y, "fits": {label: _fit_line(x, y, loss_fn) for label, loss_fn in _LOSSES.items()}}
