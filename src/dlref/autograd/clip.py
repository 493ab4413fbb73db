r"""Gradient clipping with `torch.nn.utils`' signatures: by the total norm, and by value.

Clipping acts on the gradients already stored in each parameter's `.grad`, after
`backward()` and before the optimizer's `step()`, in place:

- [clip_grad_norm_][dlref.autograd.clip_grad_norm_] rescales all gradients together
  when their total norm exceeds `max_norm`, which keeps their direction;
- [clip_grad_value_][dlref.autograd.clip_grad_value_] clamps each entry to
  $[-c, c]$, which can change the direction.

Both skip parameters whose `.grad` is None and accept one tensor or an iterable of
tensors (for example ``model.parameters()``), as torch's do.

Deliberate differences from torch (each one is tested):

- **Arguments are checked.** `max_norm` and `clip_value` must be finite and $\ge 0$
  (torch flips the gradients' sign for a negative `max_norm`, sets every entry to a
  negative `clip_value`, and accepts an infinite `max_norm`). `norm_type` must be a
  real number $> 0$, `math.inf` or ``"inf"``: torch also accepts $0$, negative orders
  and $-\infty$, which `torch.linalg.vector_norm` turns into counts and minima, not norms.
- **One plain loop.** `foreach` is accepted (None or a bool) and changes nothing.
- **Empty gradients.** The $\infty$-norm of a gradient with no elements is 0; torch raises.
- **A non-finite norm** with ``error_if_nonfinite=True`` raises `RuntimeError`, as
  torch does, with a message in dlref's style.
"""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Iterable

import torch
from torch import Tensor

from dlref._checks import check_bool, check_real, fail, fail_type, message

__all__ = ["clip_grad_norm_", "clip_grad_value_"]

Parameters = Tensor | Iterable[Tensor]

_EPS = 1e-6  # added to the total norm before dividing, as torch does


def _gradients(fn: str, parameters: object) -> list[Tensor]:
    """The `.grad` of each parameter that has one; `parameters` is a tensor or an iterable of tensors."""
    if isinstance(parameters, Tensor):
        params = [parameters]
    elif isinstance(parameters, Iterable) and not isinstance(parameters, (str, bytes)):
        is_generator = isinstance(parameters, types.GeneratorType)
        params = list(parameters)  # a generator can be read once: keep what it gives
        if is_generator and not params and fn == "clip_grad_norm_":
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3)
    else:
        fail_type(fn, "parameters", parameters, "expected a tensor or an iterable of tensors")
    for k, p in enumerate(params):
        if not isinstance(p, Tensor):
            fail_type(fn, f"parameters[{k}]", p, "expected a torch.Tensor")
    return [p.grad for p in params if p.grad is not None]


def _check_foreach(fn: str, foreach: object) -> None:
    if foreach is not None and not isinstance(foreach, bool):
        fail_type(fn, "foreach", foreach, "expected None, True or False")


def _check_norm_type(fn: str, norm_type: object) -> float:
    """`norm_type` as a float: a real number > 0, or inf (also spelled "inf", as torch allows)."""
    allowed = "expected a real number > 0, math.inf or 'inf'"
    if isinstance(norm_type, str) and norm_type == "inf":
        return math.inf
    if isinstance(norm_type, bool) or not isinstance(norm_type, (int, float)):
        if isinstance(norm_type, str):
            fail(fn, "norm_type", "is not a valid norm", repr(norm_type), allowed)
        fail_type(fn, "norm_type", norm_type, allowed)
    p = float(norm_type)
    if not (p > 0):  # also rejects nan
        fail(fn, "norm_type", "is not a valid norm", repr(norm_type), allowed)
    return p


def _vector_norm(x: Tensor, p: float) -> Tensor:
    r"""$\lVert x \rVert_p$ of all entries of `x`, as if flattened."""
    if p == math.inf:
        # ‖x‖_∞ = max_i |x_i|  (0 for no entries)
        return x.abs().max() if x.numel() > 0 else x.new_zeros(())
    if p == 1:
        # ‖x‖_1 = Σ_i |x_i|
        return x.abs().sum()
    if p == 2:
        # ‖x‖_2 = sqrt(Σ_i x_i²)
        return torch.sqrt((x * x).sum())
    # ‖x‖_p = (Σ_i |x_i|^p)^(1/p)
    return x.abs().pow(p).sum().pow(1 / p)


def clip_grad_norm_(parameters: Parameters, max_norm: float, norm_type: float | str = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    r"""Rescale the gradients in place so that their total norm is at most `max_norm`; return the norm before.

    $$
    \text{total} = \bigl\lVert (\lVert g_1 \rVert_p, \dots, \lVert g_k \rVert_p) \bigr\rVert_p, \qquad
    g_j \leftarrow g_j \cdot \min\Bigl(\frac{\text{max\_norm}}{\text{total} + 10^{-6}},\ 1\Bigr)
    $$

    The total is the $p$-norm of all gradient entries together, as if concatenated into
    one vector. The factor is clamped to 1, so gradients are only ever scaled down; the
    $10^{-6}$ (torch's) avoids dividing by zero and leaves a clipped total a hair under
    `max_norm`.

    Args:
        parameters: A tensor or an iterable of tensors whose `.grad` is clipped; those
            with ``grad is None`` are skipped.
        max_norm: The largest total norm allowed, finite and $\ge 0$.
        norm_type: The order $p$ of the norm: a real number $> 0$, or `math.inf` /
            ``"inf"`` for the largest absolute entry. Defaults to 2.0.
        error_if_nonfinite: Raise if the total norm is NaN or infinite, instead of scaling
            the gradients by it (which turns them into zeros and NaNs). Defaults to False.
        foreach: Accepted for torch's signature; dlref has one plain loop. Defaults to None.

    Returns:
        The total norm before clipping, a 0-dim tensor in the gradients' (promoted)
        dtype; ``tensor(0.)`` when no parameter has a gradient.

    Raises:
        TypeError: If `parameters` is not a tensor or an iterable of tensors, or another
            argument has the wrong type.
        ValueError: If `max_norm` is negative or not finite, or `norm_type` is not $> 0$.
        RuntimeError: If `error_if_nonfinite` is True and the total norm is NaN or infinite.

    Torch counterpart: `torch.nn.utils.clip_grad_norm_` (see the module notes for the differences).

    References:
        - Pascanu, Mikolov & Bengio, [On the difficulty of training recurrent neural
          networks](https://proceedings.mlr.press/v28/pascanu13.html), ICML 2013.

    Examples:
        >>> import torch
        >>> from dlref.autograd import clip_grad_norm_
        >>> w, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
        >>> w.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([12.0])
        >>> clip_grad_norm_([w, b], max_norm=1.3)  # total = sqrt(9 + 16 + 144) = 13
        tensor(13.)
        >>> w.grad, b.grad  # scaled by 1.3 / 13 = 0.1
        (tensor([0.3000, 0.4000]), tensor([1.2000]))
    """
    fn = "clip_grad_norm_"
    grads = _gradients(fn, parameters)
    limit = check_real(fn, "max_norm", max_norm, low=0)
    p = _check_norm_type(fn, norm_type)
    check_bool(fn, "error_if_nonfinite", error_if_nonfinite)
    _check_foreach(fn, foreach)
    if not grads:
        return torch.tensor(0.0)
    with torch.no_grad():
        # the norm of each gradient, then the norm of those norms: the norm of all entries together
        norms = [_vector_norm(g, p) for g in grads]
        total = _vector_norm(torch.stack([n.to(grads[0].device) for n in norms]), p)
        if error_if_nonfinite and not bool(torch.isfinite(total)):
            raise RuntimeError(message(fn, "parameters", "have a non-finite total gradient norm",
                                       f"{total.item()} for norm_type {p:g}",
                                       "expected finite gradients; set error_if_nonfinite=False to scale them anyway"))
        # clip_coef = max_norm / (total + 1e-6), at most 1
        clip_coef = torch.clamp(limit / (total + _EPS), max=1.0)
        for g in grads:
            g.mul_(clip_coef.to(g.device))
    return total


def clip_grad_value_(parameters: Parameters, clip_value: float, foreach: bool | None = None) -> None:
    r"""Clamp every gradient entry in place to $[-c, c]$.

    $$
    g_i \leftarrow \min\bigl(\max(g_i, -c),\ c\bigr)
    $$

    Unlike [clip_grad_norm_][dlref.autograd.clip_grad_norm_], this changes the
    gradient's direction whenever some entries are clamped and others are not.

    Args:
        parameters: A tensor or an iterable of tensors whose `.grad` is clamped; those
            with ``grad is None`` are skipped.
        clip_value: $c$, finite and $\ge 0$.
        foreach: Accepted for torch's signature; dlref has one plain loop. Defaults to None.

    Returns:
        None.

    Raises:
        TypeError: If `parameters` is not a tensor or an iterable of tensors, or another
            argument has the wrong type.
        ValueError: If `clip_value` is negative or not finite.

    Torch counterpart: `torch.nn.utils.clip_grad_value_`.

    Examples:
        >>> import torch
        >>> from dlref.autograd import clip_grad_value_
        >>> w = torch.zeros(3, requires_grad=True)
        >>> w.grad = torch.tensor([-5.0, 0.5, 2.0])
        >>> clip_grad_value_(w, clip_value=1.0)
        >>> w.grad
        tensor([-1.0000,  0.5000,  1.0000])
    """
    fn = "clip_grad_value_"
    grads = _gradients(fn, parameters)
    c = check_real(fn, "clip_value", clip_value, low=0)
    _check_foreach(fn, foreach)
    with torch.no_grad():
        for g in grads:
            # g ← min(max(g, -c), c)
            g.clamp_(min=-c, max=c)
