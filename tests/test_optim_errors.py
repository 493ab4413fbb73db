"""dlref.optim: bad options raise TypeError/ValueError in the one message style, where torch raises its own."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch

from dlref import optim


def params() -> list[torch.Tensor]:
    return [torch.zeros(3, requires_grad=True)]


RANGE = "is out of range"
NON_NEGATIVE = "expected a finite number >= 0"

# (optimizer name, keyword arguments, message); torch's optimizer of that name rejects the same values
BAD_VALUES: list[tuple[str, dict[str, Any], str]] = [
    ("SGD", {"lr": -0.1}, f"SGD: lr {RANGE} (got -0.1); {NON_NEGATIVE}"),
    ("SGD", {"momentum": -0.9}, f"SGD: momentum {RANGE} (got -0.9); {NON_NEGATIVE}"),
    ("SGD", {"weight_decay": -1e-4}, f"SGD: weight_decay {RANGE} (got -0.0001); {NON_NEGATIVE}"),
    ("SGD", {"nesterov": True}, "SGD: nesterov needs momentum and no dampening (got momentum=0, dampening=0); "
                                "expected momentum > 0 and dampening = 0 with nesterov=True"),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
     "SGD: nesterov needs momentum and no dampening (got momentum=0.9, dampening=0.1)"),
    ("Adam", {"lr": -1e-3}, f"Adam: lr {RANGE} (got -0.001); {NON_NEGATIVE}"),
    ("Adam", {"eps": -1e-8}, f"Adam: eps {RANGE} (got -1e-08); {NON_NEGATIVE}"),
    ("Adam", {"weight_decay": -0.1}, f"Adam: weight_decay {RANGE} (got -0.1); {NON_NEGATIVE}"),
    ("Adam", {"betas": (1.0, 0.999)}, f"Adam: betas[0] {RANGE} (got 1.0); expected a finite number >= 0 and < 1"),
    ("Adam", {"betas": (0.9, -0.1)}, f"Adam: betas[1] {RANGE} (got -0.1); expected a finite number >= 0 and < 1"),
    ("AdamW", {"betas": (0.9, 1.0)}, f"AdamW: betas[1] {RANGE} (got 1.0); expected a finite number >= 0 and < 1"),
    ("AdamW", {"lr": -1e-3}, f"AdamW: lr {RANGE} (got -0.001); {NON_NEGATIVE}"),
    ("AdamW", {"eps": -1.0}, f"AdamW: eps {RANGE} (got -1.0); {NON_NEGATIVE}"),
    ("AdamW", {"weight_decay": -0.01}, f"AdamW: weight_decay {RANGE} (got -0.01); {NON_NEGATIVE}"),
    ("RMSprop", {"lr": -0.01}, f"RMSprop: lr {RANGE} (got -0.01); {NON_NEGATIVE}"),
    ("RMSprop", {"alpha": -0.99}, f"RMSprop: alpha {RANGE} (got -0.99); {NON_NEGATIVE}"),
    ("RMSprop", {"eps": -1e-8}, f"RMSprop: eps {RANGE} (got -1e-08); {NON_NEGATIVE}"),
    ("RMSprop", {"weight_decay": -0.1}, f"RMSprop: weight_decay {RANGE} (got -0.1); {NON_NEGATIVE}"),
    ("RMSprop", {"momentum": -0.5}, f"RMSprop: momentum {RANGE} (got -0.5); {NON_NEGATIVE}"),
    ("Adagrad", {"lr": -0.01}, f"Adagrad: lr {RANGE} (got -0.01); {NON_NEGATIVE}"),
    ("Adagrad", {"lr_decay": -0.1}, f"Adagrad: lr_decay {RANGE} (got -0.1); {NON_NEGATIVE}"),
    ("Adagrad", {"weight_decay": -0.1}, f"Adagrad: weight_decay {RANGE} (got -0.1); {NON_NEGATIVE}"),
    ("Adagrad", {"initial_accumulator_value": -1.0},
     f"Adagrad: initial_accumulator_value {RANGE} (got -1.0); {NON_NEGATIVE}"),
    ("Adagrad", {"eps": -1e-10}, f"Adagrad: eps {RANGE} (got -1e-10); {NON_NEGATIVE}"),
]


@pytest.mark.parametrize(("name", "kwargs", "message"), BAD_VALUES, ids=lambda v: str(v)[:40])
def test_bad_values_raise_value_error_like_torch(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(optim, name)(params(), **kwargs)
    with pytest.raises(ValueError, match=r"Invalid|requires|Nesterov"):  # torch rejects them too
        getattr(torch.optim, name)(params(), **kwargs)


BAD_TYPES: list[tuple[str, dict[str, Any], str]] = [
    ("SGD", {"lr": torch.tensor(0.1)}, "SGD: lr has the wrong type (got Tensor); expected a real number"),
    ("SGD", {"nesterov": 1}, "SGD: nesterov has the wrong type (got int); expected True or False"),
    ("SGD", {"maximize": "yes"}, "SGD: maximize has the wrong type (got str); expected True or False"),
    ("SGD", {"momentum": None}, "SGD: momentum has the wrong type (got NoneType); expected a real number"),
    ("Adam", {"betas": 0.9}, "Adam: betas has the wrong type (got float); expected a pair (beta1, beta2)"),
    ("Adam", {"betas": (0.9, 0.99, 0.999)}, "Adam: betas has the wrong type (got tuple); expected a pair"),
    ("Adam", {"betas": (0.9, "0.999")}, "Adam: betas[1] has the wrong type (got str); expected a real number"),
    ("AdamW", {"amsgrad": None}, "AdamW: amsgrad has the wrong type (got NoneType); expected True or False"),
    ("RMSprop", {"centered": "no"}, "RMSprop: centered has the wrong type (got str); expected True or False"),
    ("RMSprop", {"alpha": (0.9,)}, "RMSprop: alpha has the wrong type (got tuple); expected a real number"),
    ("Adagrad", {"lr_decay": "0.1"}, "Adagrad: lr_decay has the wrong type (got str); expected a real number"),
]


def test_maximize_is_keyword_only() -> None:
    """Deliberate difference: torch's RMSprop and Adagrad take capturable/foreach by position before it."""
    with pytest.raises(TypeError, match="positional"):
        optim.RMSprop(params(), 0.01, 0.99, 1e-8, 0, 0, False, True)  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional"):
        optim.Adagrad(params(), 0.01, 0, 0, 0, 1e-10, True)  # type: ignore[misc]


@pytest.mark.parametrize(("name", "kwargs", "message"), BAD_TYPES, ids=lambda v: str(v)[:40])
def test_bad_types_raise_type_error(name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=re.escape(message)):
        getattr(optim, name)(params(), **kwargs)


def test_not_finite_is_rejected() -> None:
    with pytest.raises(ValueError, match=re.escape(f"SGD: lr {RANGE} (got inf); {NON_NEGATIVE}")):
        optim.SGD(params(), lr=float("inf"))


def test_a_parameter_groups_own_options_are_checked_too() -> None:
    """Deliberate difference: torch checks only the constructor's arguments."""
    groups = [{"params": params()}, {"params": params(), "lr": -0.1}]
    with pytest.raises(ValueError, match=re.escape(f"SGD: param_groups[1]['lr'] {RANGE} (got -0.1); {NON_NEGATIVE}")):
        optim.SGD(groups, lr=0.1)
    torch.optim.SGD(groups, lr=0.1)  # torch takes it
    with pytest.raises(ValueError, match=re.escape("SGD: nesterov needs momentum and no dampening (got momentum=0.9, "
                                                   "dampening=0.5)")):
        optim.SGD([{"params": params(), "dampening": 0.5}], lr=0.1, momentum=0.9, nesterov=True)
    with pytest.raises(ValueError, match=re.escape("Adam: param_groups[0]['betas'][1] is out of range (got 1.5)")):
        optim.Adam([{"params": params(), "betas": (0.9, 1.5)}])


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_add_param_group_checks_before_adding(name: str) -> None:
    optimizer = getattr(optim, name)(params())
    with pytest.raises(ValueError, match=re.escape(f"{name}: param_groups[1]['weight_decay'] {RANGE} (got -1.0)")):
        optimizer.add_param_group({"params": params(), "weight_decay": -1.0})
    with pytest.raises(TypeError, match=re.escape(f"{name}: param_group has the wrong type (got list)")):
        optimizer.add_param_group(params())  # type: ignore[arg-type]
    assert len(optimizer.param_groups) == 1
    optimizer.add_param_group({"params": params(), "lr": 0.5})
    assert optimizer.param_groups[1]["lr"] == 0.5 and optimizer.param_groups[1]["maximize"] is False
