"""dlref.norm.group_norm against F.group_norm in float64: values, gradients, the cases G = 1 and G = C; errors."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from dlref.norm import group_norm, instance_norm, layer_norm

from .torch_reference import DT, gen, same


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def rand(shape: tuple[int, ...], seed: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed)) * scale + shift


@pytest.mark.parametrize(("shape", "groups"), [((3, 6), 2), ((2, 6, 5), 1), ((2, 6, 5), 3), ((2, 6, 5), 6),
                                               ((2, 8, 3, 4), 4), ((1, 4, 2, 2, 3), 2), ((5, 4, 7), 2)])
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("eps", [1e-5, 0.3])
def test_values_and_gradients_match_torch(shape: tuple[int, ...], groups: int, affine: bool, eps: float) -> None:
    c = shape[1]
    x = rand(shape, 1, scale=3.0, shift=-2.0)
    params = [rand((c,), 2), rand((c,), 3)] if affine else []
    same(lambda x, *wb: group_norm(x, groups, *wb, eps=eps), lambda x, *wb: F.group_norm(x, groups, *wb, eps=eps),
         [x, *params], [True] * (1 + len(params)))


def test_one_group_is_layer_norm_and_c_groups_are_instance_norm() -> None:
    x = rand((3, 4, 5, 5), 4, scale=2.0)
    assert_close(group_norm(x, 1), layer_norm(x, (4, 5, 5)))
    assert_close(group_norm(x, 4), instance_norm(x))


def test_extreme_scales_match_torch() -> None:
    for scale in (1e-4, 1e4):
        x = rand((2, 6, 3), 5, scale=scale, shift=2 * scale)
        assert_close(group_norm(x, 3), F.group_norm(x, 3))


def test_a_group_of_one_value_gives_the_bias() -> None:
    """Deliberate difference: torch raises for this only when N = 1; dlref returns β for every N."""
    bias = rand((4,), 6)
    x = rand((2, 4), 7)
    y = group_norm(x, 4, None, bias)
    assert_close(y, bias.expand(2, 4))
    assert_close(y, F.group_norm(x, 4, None, bias))
    assert_close(group_norm(x[:1], 4, None, bias), bias.expand(1, 4))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        F.group_norm(x[:1], 4, None, bias)


def test_bad_arguments_raise() -> None:
    x = torch.ones(2, 6, 3)
    with raises(ValueError, "group_norm: num_groups does not divide the number of channels (got 4); "
                            "expected a divisor of C = 6 (input of shape (2, 6, 3))"):
        group_norm(x, 4)
    with pytest.raises(RuntimeError, match="divisible by num_groups"):
        F.group_norm(x, 4)
    with raises(ValueError, "group_norm: num_groups is out of range (got 0); expected an int >= 1"):
        group_norm(x, 0)
    with raises(TypeError, "group_norm: num_groups has the wrong type (got float); expected an int"):
        group_norm(x, 2.0)
    with raises(ValueError, "group_norm: input has too few dimensions (got 1-D of shape (6,)); "
                            "expected at least 2-D (N, C, *)"):
        group_norm(torch.ones(6), 2)
    with raises(ValueError, "group_norm: bias has the wrong shape (got (3,)); expected (6,), one shift per channel"):
        group_norm(x, 2, None, torch.ones(3))
    with raises(TypeError, "group_norm: input has the wrong type (got tuple); expected a torch.Tensor"):
        group_norm((1.0, 2.0), 1)
    with raises(TypeError, "group_norm: input has the wrong dtype (got torch.int32); expected a floating-point tensor"):
        group_norm(torch.ones(2, 6, dtype=torch.int32), 2)
    with raises(ValueError, "group_norm: eps is out of range (got inf); expected a finite number >= 0"):
        group_norm(x, 2, eps=float("inf"))
