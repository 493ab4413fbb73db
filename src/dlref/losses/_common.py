"""What several losses share: torch's reductions, and the checks of their common arguments.

Every check is built from `dlref._checks`, so a bad argument fails the same way in
every loss: ``<function>: <argument> <what is wrong> (got <value>); <what is allowed>``.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_choice, check_same_shape, check_tensor, check_values, fail, message

__all__: list[str] = []  # private to dlref.losses

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(fn: str, reduction: object, allowed: tuple[str, ...] = REDUCTIONS) -> str:
    """Return `reduction` if it is one of `allowed` ('none', 'mean', 'sum' by default), else raise."""
    return check_choice(fn, "reduction", reduction, allowed)


def reduce(loss: Tensor, reduction: str, weight_sum: Tensor | None = None) -> Tensor:
    """Apply torch's reduction semantics to an unreduced loss.

    'none' returns `loss` as is, 'sum' its sum, and 'mean' its mean, or
    `loss.sum() / weight_sum` when a weighted mean is needed (as in `nll_loss`
    with class weights, where torch divides by the sum of the weights used).
    """
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if weight_sum is not None:
        return loss.sum() / weight_sum
    return loss.mean()


def check_pair(
    fn: str, input: object, target: object, names: tuple[str, str] = ("input", "target")
) -> tuple[Tensor, Tensor]:
    """Two floating-point tensors of the same shape (no silent broadcasting), named `names` in errors."""
    x = check_tensor(fn, names[0], input)
    y = check_tensor(fn, names[1], target)
    check_same_shape(fn, x, y, names)
    return x, y


# --------------------------------------------------------------------------- class-index targets


def class_dim(input: Tensor) -> int:
    """The class dimension: 0 for a single sample of shape (C,), else 1 (shapes (N, C, d1, ...))."""
    return 0 if input.dim() == 1 else 1


def check_class_input(fn: str, input: object) -> Tensor:
    """A floating-point tensor with a class dimension (logits or log-probabilities): (C,), (N, C) or (N, C, d1, ...)."""
    x = check_tensor(fn, "input", input)
    if x.dim() == 0:
        fail(fn, "input", "has no class dimension", "shape ()", "expected shape (C,), (N, C) or (N, C, d1, ...)")
    return x


def check_class_weight(fn: str, name: str, weight: object, input: Tensor) -> Tensor | None:
    """None, or a floating-point tensor of shape (C,): one entry per class of `input`."""
    if weight is None:
        return None
    w = check_tensor(fn, name, weight)
    c = input.shape[class_dim(input)]
    if w.shape != (c,):
        fail(fn, name, "has the wrong shape", tuple(w.shape), f"expected ({c},), one entry per class")
    return w


def check_class_index(fn: str, input: Tensor, target: object, ignore_index: int) -> Tensor:
    """Class indices as int64, after checking their dtype, their shape against `input`, and their range."""
    t = check_tensor(fn, "target", target, floating=False)
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        allowed = "expected class indices (an integer dtype)"
        raise TypeError(message(fn, "target", "has the wrong dtype", t.dtype, allowed))
    shape = tuple(input.shape)
    expected = shape[:1] + shape[2:] if input.dim() > 1 else ()
    if tuple(t.shape) != expected:
        fail(fn, "target", "has the wrong shape", tuple(t.shape), f"expected {expected} for an input of shape {shape}")
    c = shape[class_dim(input)]
    in_range = (t == ignore_index) | ((t >= 0) & (t < c))
    allowed = f"expected a class index in 0..{c - 1} (input shape {shape}) or ignore_index={ignore_index}"
    check_values(fn, "target", t, in_range, allowed, wrong="has a class index out of range")
    return t.long()
