"""Checks of the optimizers' options, for the constructor's defaults and for each parameter group's own values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dlref._checks import check_bool, check_real, fail_type

__all__: list[str] = []  # private to dlref.optim

Check = Callable[[str, str, Any], Any]  # (function, argument name, value) -> the accepted value


def non_negative(fn: str, name: str, value: object) -> float:
    """A finite real number >= 0."""
    return check_real(fn, name, value, low=0)


def real(fn: str, name: str, value: object) -> float:
    """A finite real number."""
    return check_real(fn, name, value)


def boolean(fn: str, name: str, value: object) -> bool:
    """True or False."""
    return check_bool(fn, name, value)


def pair_in_unit_interval(fn: str, name: str, value: object) -> tuple[float, float]:
    """A pair (β1, β2), each in [0, 1)."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail_type(fn, name, value, "expected a pair (beta1, beta2) of floats in [0, 1)")
    beta1 = check_real(fn, f"{name}[0]", value[0], low=0, high=1, high_open=True)
    beta2 = check_real(fn, f"{name}[1]", value[1], low=0, high=1, high_open=True)
    return beta1, beta2


def check_group(fn: str, param_group: Mapping[str, Any], defaults: Mapping[str, Any], index: int,
                checks: Mapping[str, Check]) -> dict[str, Any]:
    """A copy of `param_group` holding every checked option: its own value, else the default.

    An error names the option as the constructor's argument (``lr``) when the value is
    the default, and as the group's (``param_groups[1]['lr']``) when the group sets it.
    """
    if not isinstance(param_group, Mapping):
        fail_type(fn, "param_group", param_group, "expected a dict with 'params' and options")
    group = dict(param_group)
    for key, check in checks.items():
        name = f"param_groups[{index}]['{key}']" if key in param_group else key
        group[key] = check(fn, name, param_group.get(key, defaults[key]))
    return group
