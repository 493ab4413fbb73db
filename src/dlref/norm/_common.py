"""Argument checks shared by the normalization functions: the input's layout, per-channel tensors, eps, momentum."""

from __future__ import annotations

from torch import Tensor

from dlref._checks import check_real, check_tensor, fail, message

__all__: list[str] = []  # private to dlref.norm


def check_input(fn: str, input: object, min_dim: int, layout: str) -> Tensor:
    """A floating-point tensor with at least `min_dim` dimensions, else TypeError / ValueError."""
    x = check_tensor(fn, "input", input)
    if x.dim() < min_dim:
        fail(fn, "input", "has too few dimensions", f"{x.dim()}-D of shape {tuple(x.shape)}",
             f"expected at least {min_dim}-D {layout}")
    return x


def check_same_dtype(fn: str, name: str, value: Tensor, input: Tensor) -> None:
    """TypeError unless `value` has the dtype of `input` (no silent type promotion)."""
    if value.dtype != input.dtype:
        raise TypeError(message(fn, name, "has the wrong dtype", value.dtype,
                                f"expected {input.dtype}, the dtype of input"))


def check_shaped(fn: str, name: str, value: object, shape: tuple[int, ...], input: Tensor, what: str) -> Tensor:
    """A floating-point tensor of exactly `shape` and the dtype of `input` (no broadcasting)."""
    t = check_tensor(fn, name, value)
    check_same_dtype(fn, name, t, input)
    if tuple(t.shape) != shape:
        fail(fn, name, "has the wrong shape", tuple(t.shape), f"expected {shape}, {what}")
    return t


def check_param(fn: str, name: str, value: object, shape: tuple[int, ...], input: Tensor, what: str
                ) -> Tensor | None:
    """None, or what `check_shaped` accepts: an optional weight or bias."""
    return None if value is None else check_shaped(fn, name, value, shape, input, what)


def check_running_stats(fn: str, running_mean: object, running_var: object, channels: int, input: Tensor
                        ) -> tuple[Tensor, Tensor] | None:
    """Both None, or both (C,) tensors of the input's dtype; one without the other is a ValueError."""
    if running_mean is None and running_var is None:
        return None
    if running_mean is None or running_var is None:
        given, missing = ("running_mean", "running_var") if running_var is None else ("running_var", "running_mean")
        fail(fn, missing, "is None", f"None with {given} given", "expected both running statistics or neither")
    what = f"one value per channel of an input of shape {tuple(input.shape)}"
    return (check_shaped(fn, "running_mean", running_mean, (channels,), input, what),
            check_shaped(fn, "running_var", running_var, (channels,), input, what))


def check_eps(fn: str, eps: object, positive: bool = False) -> float:
    """A finite eps >= 0 (> 0 where `positive`: a constant channel would divide by zero)."""
    return check_real(fn, "eps", eps, low=0, low_open=positive)


def check_momentum(fn: str, momentum: object) -> float:
    """A momentum in [0, 1]: the weight of the new batch in the running average."""
    return check_real(fn, "momentum", momentum, low=0, high=1)
