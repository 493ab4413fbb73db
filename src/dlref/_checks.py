"""Argument validation for every public dlref function, in one message style.

Every message reads

    <function>: <argument> <what is wrong> (got <value>); <what is allowed>

for example ``softplus: beta is out of range (got -1.0); expected a finite number > 0``.
A wrong type raises `TypeError`; a wrong value or shape raises `ValueError`. Each
check returns the value it accepted (converted where that is its job), so a caller
validates and binds in one line: ``beta = check_real("softplus", "beta", beta, low=0, low_open=True)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NoReturn, TypeVar

from torch import Tensor

__all__: list[str] = []  # private to dlref

T = TypeVar("T")


def message(fn: str, name: str, wrong: str, got: object, allowed: str) -> str:
    """The one message format: ``fn: name wrong (got got); allowed``."""
    return f"{fn}: {name} {wrong} (got {got}); {allowed}"


def fail(fn: str, name: str, wrong: str, got: object, allowed: str) -> NoReturn:
    """Raise `ValueError` with the one message format."""
    raise ValueError(message(fn, name, wrong, got, allowed))


def fail_type(fn: str, name: str, got: object, allowed: str) -> NoReturn:
    """Raise `TypeError` for a value of the wrong type; `got` is the value itself."""
    raise TypeError(message(fn, name, "has the wrong type", type(got).__name__, allowed))


def check_tensor(fn: str, name: str, value: object, *, floating: bool = True) -> Tensor:
    """Return `value` if it is a tensor (a floating-point one when `floating`), else raise `TypeError`."""
    if not isinstance(value, Tensor):
        fail_type(fn, name, value, "expected a torch.Tensor")
    if floating and not value.is_floating_point():
        raise TypeError(message(fn, name, "has the wrong dtype", value.dtype, "expected a floating-point tensor"))
    return value


def check_bool(fn: str, name: str, value: object) -> bool:
    """Return `value` if it is a bool, else raise `TypeError`."""
    if not isinstance(value, bool):
        fail_type(fn, name, value, "expected True or False")
    return value


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    return " and ".join(parts)


def check_real(
    fn: str,
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return `value` as a float if it is a finite real number in the given interval, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail_type(fn, name, value, "expected a real number (int or float)")
    x = float(value)
    bounds = _interval(low, high, low_open, high_open)
    ok = math.isfinite(x)
    if low is not None:
        ok = ok and (x > low if low_open else x >= low)
    if high is not None:
        ok = ok and (x < high if high_open else x <= high)
    if not ok:
        fail(fn, name, "is out of range", repr(value), f"expected a finite number {bounds}".rstrip())
    return x


def check_int(fn: str, name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """Return `value` if it is an int (not a bool) in [low, high], else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail_type(fn, name, value, "expected an int")
    if (low is not None and value < low) or (high is not None and value > high):
        fail(fn, name, "is out of range", value, f"expected an int {_interval(low, high, False, False)}")
    return value


def check_choice(fn: str, name: str, value: object, choices: Sequence[T]) -> T:
    """Return `value` if it is one of `choices`, else raise `ValueError` listing them."""
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return choice
    fail(fn, name, "is not a valid choice", repr(value), "expected one of " + ", ".join(map(repr, choices)))


def check_same_shape(fn: str, input: Tensor, target: Tensor, names: tuple[str, str] = ("input", "target")) -> None:
    """Raise `ValueError` unless the two tensors have the same shape (no silent broadcasting)."""
    if input.shape != target.shape:
        fail(fn, names[1], "has a different shape from " + names[0], tuple(target.shape),
             f"expected {tuple(input.shape)}, the shape of {names[0]}")


def check_dim(fn: str, input: Tensor, dim: object) -> int:
    """Return `dim` if it indexes a dimension of `input` (negative counts from the end)."""
    dim = check_int(fn, "dim", dim)
    n = max(input.dim(), 1)  # a 0-dim tensor behaves as one element along dim 0 / -1
    if not -n <= dim < n:
        fail(fn, "dim", "is out of range", dim, f"expected {-n}..{n - 1} for an input with {input.dim()} dims")
    return dim


def check_values(
    fn: str, name: str, value: Tensor, ok: Tensor, allowed: str, wrong: str = "has a value out of range"
) -> Tensor:
    """Return `value` if the boolean mask `ok` holds everywhere, else raise `ValueError` naming the first bad element.

    For example ``check_values("dice_loss", "input", p, (p >= 0) & (p <= 1), "expected values in [0, 1]")``
    raises ``dice_loss: input has a value out of range (got 1.5 at index (0, 0)); expected values in [0, 1]``.
    """
    if not bool(ok.all()):
        index = tuple((~ok).nonzero()[0].tolist())
        bad = value[index].item()
        shown = f"{bad:g}" if isinstance(bad, float) else bad
        fail(fn, name, wrong, f"{shown} at index {index}", allowed)
    return value


def check_ndim(fn: str, name: str, value: Tensor, allowed: Sequence[int], layout: str = "") -> Tensor:
    """Return `value` if its number of dimensions is in `allowed`, else raise `ValueError`."""
    if value.dim() not in allowed:
        dims = " or ".join(str(d) for d in allowed)
        fail(fn, name, "has the wrong number of dimensions", f"{value.dim()}-D of shape {tuple(value.shape)}",
             f"expected {dims}-D{' ' + layout if layout else ''}")
    return value


def check_ints(fn: str, name: str, value: object, *, low: int, length: int | None = None) -> tuple[int, ...]:
    """Return a size given as an int or a tuple/list of ints, each >= `low`, as a tuple of ints.

    An int gives `length` copies (one if `length` is None); a tuple must have `length` entries
    (any number but 0 if None). For example ``check_ints("conv2d", "stride", 2, low=1, length=2)``
    returns ``(2, 2)``, and a stride of ``(1, 0)`` raises
    ``conv2d: stride is out of range (got (1, 0)); expected an int or a pair of ints, each >= 1``.
    """
    many = {None: "a tuple of ints", 2: "a pair of ints"}.get(length, f"a tuple of {length} ints")
    allowed = f"expected an int or {many}, each >= {low}"
    if isinstance(value, int) and not isinstance(value, bool):
        items: tuple[int, ...] = (value,) * (length or 1)
    elif isinstance(value, (tuple, list)):
        if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise TypeError(message(fn, name, "has an entry of the wrong type", repr(value), allowed))
        if len(value) == 0 or (length is not None and len(value) != length):
            fail(fn, name, "has the wrong length", repr(value), allowed)
        items = tuple(value)
    else:
        fail_type(fn, name, value, allowed)
    if min(items) < low:
        fail(fn, name, "is out of range", repr(value), allowed)
    return items
