"""Validation and reduction shared by every loss in `dlref.losses`.

Each loss calls these at its boundary, so a bad argument fails the same way
everywhere: a `TypeError` or `ValueError` that names the function, the argument,
the value received and what is allowed.
"""

from __future__ import annotations

from torch import Tensor

__all__: list[str] = []  # private helpers

REDUCTIONS = ("none", "mean", "sum")


def check_tensor(fn: str, name: str, value: object, *, floating: bool = True) -> Tensor:
    """Return `value` if it is a tensor (a floating-point one when `floating`), else raise TypeError."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}: {name} must be a torch.Tensor, got {type(value).__name__}")
    if floating and not value.is_floating_point():
        raise TypeError(f"{fn}: {name} must have a floating-point dtype, got {value.dtype}")
    return value


def check_reduction(fn: str, reduction: object) -> str:
    """Return `reduction` if it is 'none', 'mean' or 'sum', else raise ValueError."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{fn}: reduction={reduction!r} is not valid; allowed values are 'none', 'mean', 'sum'")
    return reduction  # type: ignore[return-value]


def check_same_shape(fn: str, input: Tensor, target: Tensor) -> None:
    """Raise ValueError unless `input` and `target` have the same shape (no silent broadcasting)."""
    if input.shape != target.shape:
        raise ValueError(
            f"{fn}: input and target must have the same shape, got input {tuple(input.shape)} "
            f"and target {tuple(target.shape)}"
        )


def check_nonnegative(fn: str, name: str, value: object) -> float:
    """Return `value` as a float if it is a finite real number >= 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__}")
    if not (value >= 0 and value != float("inf")):
        raise ValueError(f"{fn}: {name}={value!r} is not allowed; it must be finite and >= 0")
    return float(value)


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
