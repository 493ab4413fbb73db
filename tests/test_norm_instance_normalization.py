"""dlref.norm.instance_norm against F.instance_norm in float64, with and without running statistics; errors."""

from __future__ import annotations

import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.testing import assert_close

from dlref.norm import instance_norm

from .torch_reference import DT, gen, grads

SHAPES = [(4, 3, 5), (3, 2, 4, 5), (2, 3, 2, 3, 2), (1, 2, 6)]


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def rand(shape: tuple[int, ...], seed: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed)) * scale + shift


def stats(c: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    return rand((c,), seed), torch.rand(c, dtype=DT, generator=gen(seed + 1)) + 0.5


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize(("running", "use_input_stats"), [(False, True), (True, True), (True, False)])
def test_values_gradients_and_running_statistics_match_torch(shape: tuple[int, ...], affine: bool, running: bool,
                                                             use_input_stats: bool) -> None:
    c = shape[1]
    x = rand(shape, 1, scale=2.0, shift=1.5)
    params = [rand((c,), 2), rand((c,), 3)] if affine else []
    kept: dict[str, tuple[torch.Tensor, torch.Tensor] | None] = {}

    def call(fn, key: str):
        def run(x: torch.Tensor, *wb: torch.Tensor) -> torch.Tensor:
            weight, bias = wb if wb else (None, None)
            kept[key] = stats(c, 4) if running else None
            mean, var = kept[key] or (None, None)
            return fn(x, mean, var, weight, bias, use_input_stats=use_input_stats, momentum=0.2, eps=1e-4)
        return run

    ours = grads(call(instance_norm, "ours"), [x, *params], [True] * (1 + len(params)))
    theirs = grads(call(F.instance_norm, "theirs"), [x, *params], [True] * (1 + len(params)))
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)
    if running:
        assert_close(kept["ours"], kept["theirs"])


def test_running_statistics_after_k_steps_equal_nn_instance_norm() -> None:
    theirs = nn.InstanceNorm2d(3, affine=True, track_running_stats=True, dtype=DT)
    mean, var = torch.zeros(3, dtype=DT), torch.ones(3, dtype=DT)
    for k in range(4):
        x = rand((2, 3, 4, 4), 10 + k, scale=1.0 + k, shift=float(k))
        assert_close(instance_norm(x, mean, var, theirs.weight, theirs.bias, momentum=0.1), theirs(x))
    assert_close(mean, theirs.running_mean)
    assert_close(var, theirs.running_var)
    x = rand((2, 3, 4, 4), 20)
    assert_close(instance_norm(x, mean, var, theirs.weight, theirs.bias, use_input_stats=False), theirs.eval()(x))


def test_every_map_gets_mean_zero_and_variance_one() -> None:
    y = instance_norm(rand((3, 4, 8, 8), 5, scale=5.0, shift=-2.0), eps=1e-12)
    assert_close(y.mean(dim=(2, 3)), torch.zeros(3, 4, dtype=DT), atol=1e-12, rtol=0)
    assert_close(y.var(dim=(2, 3), correction=0), torch.ones(3, 4, dtype=DT))


def test_bad_arguments_raise() -> None:
    x = torch.ones(2, 3, 4)
    with raises(ValueError, "instance_norm: input has too few dimensions (got 2-D of shape (2, 3)); "
                            "expected at least 3-D (N, C, *) with at least one spatial dimension"):
        instance_norm(torch.ones(2, 3))
    with raises(ValueError, "instance_norm: input has one spatial position per map (got shape (2, 3, 1)); "
                            "expected more than 1 value per (sample, channel) with use_input_stats=True"):
        instance_norm(torch.ones(2, 3, 1))
    with pytest.raises(ValueError, match="Expected more than 1 spatial element"):
        F.instance_norm(torch.ones(2, 3, 1))
    with raises(ValueError, "instance_norm: running_mean is None (got None with use_input_stats=False); "
                            "expected running_mean and running_var (or use_input_stats=True)"):
        instance_norm(x, use_input_stats=False)
    with raises(ValueError, "instance_norm: running_mean is None (got None with running_var given); "
                            "expected both running statistics or neither"):
        instance_norm(x, None, torch.ones(3))
    with raises(ValueError, "instance_norm: weight has the wrong shape (got (2,)); "
                            "expected (3,), one scale per channel"):
        instance_norm(x, weight=torch.ones(2))
    with raises(TypeError, "instance_norm: use_input_stats has the wrong type (got int); expected True or False"):
        instance_norm(x, use_input_stats=0)
    with raises(TypeError, "instance_norm: input has the wrong dtype (got torch.int64); "
                           "expected a floating-point tensor"):
        instance_norm(torch.ones(2, 3, 4, dtype=torch.long))
    with raises(ValueError, "instance_norm: momentum is out of range (got 2); expected a finite number >= 0 and <= 1"):
        instance_norm(x, momentum=2)
