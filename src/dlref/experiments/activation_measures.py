r"""Measured facts about every registered activation: values, derivative maxima, range, saturation.

The activations chapter quotes these numbers in its cards and comparison table; they
are measured, not typed, from the registry's own functions
([ACTIVATIONS][dlref.activations.ACTIVATIONS]) on a dense float64 grid.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch
from torch import Tensor

from dlref._checks import check_choice, check_tensor, fail
from dlref.activations import ACTIVATIONS

__all__ = ["curves", "measure"]

_GRID_STEPS = 300_000  # the grid is k / 1e4 for |k| <= 300000: [-30, 30] with x = 0 exactly


def curves(name: str, x: Tensor, **params: object) -> tuple[Tensor, Tensor]:
    r"""Evaluate a registered activation $f$ and its derivative $f'$ at the points `x`.

    For ``softmax`` and ``log_softmax``, which map vectors to vectors, the curve is the
    first output for the two logits $[x, 0]$, and the derivative is the Jacobian's
    diagonal entry $\partial f_1 / \partial x_1$; for softmax that curve is the sigmoid.

    Args:
        name: A key of [ACTIVATIONS][dlref.activations.ACTIVATIONS].
        x: The points, a floating-point tensor.
        **params: Parameters that replace the registry's defaults, for example
            ``negative_slope=0.1`` for ``leaky_relu``. Defaults to none.

    Shape:
        - Input: $(N,)$.
        - Output: two tensors of shape $(N,)$.

    Returns:
        $(f(x), f'(x))$ with the registry's default parameters, except those in `params`.

    Raises:
        TypeError: If `x` is not a floating-point tensor.
        ValueError: If `name` is not registered or a key of `params` is not one of its parameters.

    Examples:
        >>> import torch
        >>> from dlref.experiments import curves
        >>> curves("relu", torch.tensor([-1.0, 2.0]))
        (tensor([0., 2.]), tensor([0., 1.]))
        >>> curves("leaky_relu", torch.tensor([-1.0, 2.0]), negative_slope=0.1)
        (tensor([-0.1000,  2.0000]), tensor([0.1000, 1.0000]))
    """
    act = ACTIVATIONS[check_choice("curves", "name", name, list(ACTIVATIONS))]
    x = check_tensor("curves", "x", x)
    for key in params:
        if key not in act.params:
            fail("curves", key, f"is not a parameter of {name}", repr(params[key]),
                 "expected one of " + ", ".join(map(repr, act.params)) if act.params else "expected no parameters")
    params = {**act.params, **params}
    if act.jacobian is not None:
        # A two-logit softmax as a function of the first logit: softmax([x, 0])[0] = sigmoid(x).
        z = torch.stack([x, torch.zeros_like(x)], dim=-1)  # (N, 2)
        return act.forward(z, **params)[:, 0], act.jacobian(z, **params)[:, 0, 0]
    if act.derivative is None:  # the registry gives every activation a derivative or a Jacobian
        fail("curves", "name", "has neither a derivative nor a Jacobian", repr(name),
             "expected an activation the registry differentiates")
    return act.forward(x, **params), act.derivative(x, **params)


@functools.cache
def measure(name: str) -> dict[str, Any]:
    r"""Measure the shape of a registered activation on a dense float64 grid over $[-30, 30]$.

    The grid is $x = k / 10^4$ for $|k| \le 300\,000$, so it holds $x = 0$ exactly.
    For ``softmax`` and ``log_softmax`` the function measured is the first output of
    the two-logit input $[x, 0]$ and its Jacobian diagonal (see [curves][dlref.experiments.curves]).
    Each result is computed once per process.

    Args:
        name: A key of [ACTIVATIONS][dlref.activations.ACTIVATIONS].

    Returns:
        A dict with ``f0`` ($f(0)$), ``d0`` ($f'(0)$), ``dmax`` ($\max f'$) and
        ``argmax`` (the smallest $x$ where it is reached), ``ymin``/``ymax`` (the
        extremes on $|x| \le 10$) and ``min_inside``/``max_inside`` (whether they are
        reached inside that interval rather than approached at its ends),
        ``normal_mean`` ($E[f(Z)]$ for $Z \sim \mathcal N(0, 1)$: 0 for a
        zero-centred output), ``monotonic``, ``smooth`` (no jump in $f$ or $f'$
        larger than 0.01 between neighbouring grid points) and ``saturates``
        (``"both"``, ``"left"``, ``"right"`` or ``"none"``: where $|f'| < 10^{-6}$ at $\pm 30$).

    Raises:
        ValueError: If `name` is not registered.

    Examples:
        >>> from dlref.experiments import measure
        >>> m = measure("sigmoid")
        >>> m["d0"], m["dmax"], m["monotonic"], round(m["normal_mean"], 4), m["saturates"]
        (0.25, 0.25, True, 0.5, 'both')
    """
    check_choice("measure", "name", name, list(ACTIVATIONS))
    x = torch.arange(-_GRID_STEPS, _GRID_STEPS + 1, dtype=torch.float64) / 1e4  # step 1e-4, exact 0
    y, dy = curves(name, x)
    zero = _GRID_STEPS  # index of x = 0
    i_max = int(torch.argmax(dy))
    # Range: on |x| <= 10 only, where float64 has not yet rounded sigmoid or tanh to their asymptotes.
    inner = x.abs() <= 10.0
    # E[f(Z)] for Z ~ N(0, 1), by the trapezoidal rule (the tails beyond |x| = 30 are negligible).
    density = torch.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    left_flat, right_flat = bool(dy[0].abs() < 1e-6), bool(dy[-1].abs() < 1e-6)
    saturates = {(True, True): "both", (True, False): "left", (False, True): "right"}
    return {
        "f0": y[zero].item(),
        "d0": dy[zero].item(),
        "dmax": dy[i_max].item(),
        "argmax": x[i_max].item(),
        "ymin": y[inner].min().item(),
        "ymax": y[inner].max().item(),
        # A bound is reached inside the grid, or only approached towards its ends (an asymptote).
        "min_inside": bool(y[inner].min() < y[inner][[0, -1]].min()),
        "max_inside": bool(y[inner].max() > y[inner][[0, -1]].max()),
        "normal_mean": torch.trapezoid(y * density, x).item(),
        "monotonic": bool((dy >= 0).all()),
        "smooth": bool(y.diff().abs().max() < 1e-2 and dy.diff().abs().max() < 1e-2),
        "saturates": saturates.get((left_flat, right_flat), "none"),
    }
