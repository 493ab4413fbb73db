"""dlref.norm.batch_norm and BatchNorm1d/2d/3d against F.batch_norm and nn.BatchNorm1d/2d/3d; state dicts; errors."""

from __future__ import annotations

import re
import sys

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.testing import assert_close

from dlref import norm
from dlref.norm import BatchNorm1d, BatchNorm2d, BatchNorm3d, batch_norm

from .torch_reference import DT, gen, grads

# 1-D (N, C) and (N, C, L), 2-D (N, C, H, W) and 3-D (N, C, D, H, W) inputs
SHAPES = [(8, 3), (4, 3, 5), (3, 4, 5, 6), (2, 3, 2, 3, 4)]
MODULES = [(BatchNorm1d, nn.BatchNorm1d, (6, 3, 5)), (BatchNorm1d, nn.BatchNorm1d, (10, 3)),
           (BatchNorm2d, nn.BatchNorm2d, (4, 3, 5, 5)), (BatchNorm3d, nn.BatchNorm3d, (2, 3, 3, 4, 2))]


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def rand(shape: tuple[int, ...], seed: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed)) * scale + shift


def stats(c: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    return rand((c,), seed), torch.rand(c, dtype=DT, generator=gen(seed + 1)) + 0.5


# --------------------------------------------------------------------------- the function


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
def test_values_and_gradients_match_torch(shape: tuple[int, ...], affine: bool, training: bool) -> None:
    c = shape[1]
    x = rand(shape, 1, scale=3.0, shift=2.0)
    mean, var = stats(c, 2)
    params = [rand((c,), 4), rand((c,), 5)] if affine else []

    def call(fn):
        def run(x: torch.Tensor, *wb: torch.Tensor) -> torch.Tensor:
            weight, bias = wb if wb else (None, None)
            return fn(x, mean.clone(), var.clone(), weight, bias, training=training, momentum=0.3, eps=1e-3)
        return run

    ours = grads(call(batch_norm), [x, *params], [True] * (1 + len(params)))
    theirs = grads(call(F.batch_norm), [x, *params], [True] * (1 + len(params)))
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("momentum", [0.1, 0.0, 1.0, 0.37])
def test_running_statistics_are_updated_in_place_like_torch(shape: tuple[int, ...], momentum: float) -> None:
    c = shape[1]
    x = rand(shape, 3, scale=2.0, shift=-1.0)
    ours, theirs = stats(c, 4), stats(c, 4)
    batch_norm(x, *ours, training=True, momentum=momentum)
    F.batch_norm(x, *theirs, training=True, momentum=momentum)
    assert_close(ours[0], theirs[0])
    assert_close(ours[1], theirs[1])
    n = x.numel() // c  # the unbiased variance: n / (n - 1) times the biased one
    dims = [0, *range(2, x.dim())]
    unbiased = x.var(dim=dims, correction=1)
    assert_close(ours[1], (1 - momentum) * stats(c, 4)[1] + momentum * unbiased)
    assert n > 1


def test_training_without_running_statistics_matches_torch_and_eval_leaves_them_alone() -> None:
    x = rand((5, 3, 4), 5)
    assert_close(batch_norm(x, None, None, training=True), F.batch_norm(x, None, None, training=True))
    mean, var = stats(3, 6)
    batch_norm(x, mean, var, training=False)
    assert_close(mean, stats(3, 6)[0], rtol=0, atol=0)
    assert_close(var, stats(3, 6)[1], rtol=0, atol=0)


def test_extreme_scales_match_torch() -> None:
    for scale in (1e-4, 1e4):
        x = rand((6, 2, 3, 3), 7, scale=scale, shift=5 * scale)
        assert_close(batch_norm(x, None, None, training=True), F.batch_norm(x, None, None, training=True))


def test_a_constant_channel_normalizes_to_the_bias() -> None:
    x = torch.full((4, 2, 3), 7.0, dtype=DT)
    bias = torch.tensor([0.5, -1.0], dtype=DT)
    y = batch_norm(x, None, None, torch.ones(2, dtype=DT), bias, training=True)
    assert_close(y, bias.view(1, 2, 1).expand_as(x))
    assert_close(y, F.batch_norm(x, None, None, torch.ones(2, dtype=DT), bias, training=True))


# --------------------------------------------------------------------------- the modules


def pair(ours_cls, theirs_cls, momentum: float | None, **kw) -> tuple[nn.Module, nn.Module]:
    ours = ours_cls(3, momentum=momentum, dtype=DT, **kw)
    theirs = theirs_cls(3, momentum=momentum, dtype=DT, **kw)
    with torch.no_grad():
        for module in (ours, theirs):  # non-trivial γ and β
            if module.weight is not None:
                module.weight.copy_(rand((3,), 9))
            if module.bias is not None:
                module.bias.copy_(rand((3,), 10))
    return ours, theirs


@pytest.mark.parametrize(("ours_cls", "theirs_cls", "shape"), MODULES)
@pytest.mark.parametrize("momentum", [0.1, None])
def test_running_statistics_after_k_training_steps_equal_torchs(ours_cls, theirs_cls, shape: tuple[int, ...],
                                                                momentum: float | None) -> None:
    ours, theirs = pair(ours_cls, theirs_cls, momentum)
    for k in range(6):
        x = rand(shape, 20 + k, scale=1.0 + k, shift=k - 2.0)  # batches with different statistics
        assert_close(ours(x), theirs(x))
    for name in ("running_mean", "running_var"):
        assert_close(getattr(ours, name), getattr(theirs, name))
    assert int(ours.num_batches_tracked) == int(theirs.num_batches_tracked) == 6
    x = rand(shape, 30, scale=2.0)
    leaves = [x.clone().requires_grad_() for _ in range(2)]
    outs = [ours.eval()(leaves[0]), theirs.eval()(leaves[1])]
    assert_close(outs[0], outs[1])  # evaluation uses the running statistics
    cot = rand(shape, 31)
    assert_close(torch.autograd.grad(outs[0], [leaves[0], ours.weight, ours.bias], cot),
                 torch.autograd.grad(outs[1], [leaves[1], theirs.weight, theirs.bias], cot))


def test_momentum_none_is_the_cumulative_average_of_the_batch_statistics() -> None:
    bn = BatchNorm1d(2, momentum=None, dtype=DT)
    batches = [rand((7, 2), 40 + k, shift=float(k)) for k in range(4)]
    for x in batches:
        bn(x)
    assert_close(bn.running_mean, torch.stack([x.mean(0) for x in batches]).mean(0))
    assert_close(bn.running_var, torch.stack([x.var(0) for x in batches]).mean(0))


@pytest.mark.parametrize(("ours_cls", "theirs_cls", "shape"), MODULES)
@pytest.mark.parametrize(("affine", "track"), [(True, True), (False, True), (True, False), (False, False)])
def test_state_dict_loads_strictly_both_ways(ours_cls, theirs_cls, shape: tuple[int, ...], affine: bool,
                                            track: bool) -> None:
    ours, theirs = pair(ours_cls, theirs_cls, 0.1, affine=affine, track_running_stats=track)
    theirs(rand(shape, 50))  # trained once: non-default buffers
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict(), strict=True)
    for key, value in theirs.state_dict().items():
        assert_close(ours.state_dict()[key], value, rtol=0, atol=0)
    ours(rand(shape, 51))
    fresh = theirs_cls(3, affine=affine, track_running_stats=track, dtype=DT)
    fresh.load_state_dict(ours.state_dict(), strict=True)
    x = rand(shape, 52)
    assert_close(ours.eval()(x), fresh.eval()(x))


def test_without_running_statistics_evaluation_uses_the_batch_like_torch() -> None:
    ours, theirs = pair(BatchNorm2d, nn.BatchNorm2d, 0.1, track_running_stats=False)
    x = rand((3, 3, 4, 4), 60, shift=4.0)
    assert_close(ours.eval()(x), theirs.eval()(x))
    assert ours.running_mean is None and ours.num_batches_tracked is None


def test_module_defaults_repr_and_reset_match_torch() -> None:
    for kw in ({}, {"affine": False}, {"momentum": None, "eps": 1e-3}, {"bias": False}):
        ours, theirs = BatchNorm2d(4, **kw), nn.BatchNorm2d(4, **kw)
        assert repr(ours) == repr(theirs)
        assert [(k, v.shape, v.dtype) for k, v in ours.state_dict().items()] == \
               [(k, v.shape, v.dtype) for k, v in theirs.state_dict().items()]
    bn = BatchNorm1d(2)
    bn(torch.randn(4, 2, generator=gen(0)))
    bn.reset_parameters()
    assert bn.running_mean.tolist() == [0, 0] and bn.running_var.tolist() == [1, 1]
    assert int(bn.num_batches_tracked) == 0 and bn.weight.tolist() == [1, 1]


def test_evaluation_works_on_a_batch_of_one() -> None:
    ours, theirs = pair(BatchNorm1d, nn.BatchNorm1d, 0.1)
    x = rand((1, 3), 70)
    assert_close(ours.eval()(x), theirs.eval()(x))


# --------------------------------------------------------------------------- errors


def test_one_value_per_channel_in_training_raises_like_torch() -> None:
    message = ("batch_norm: input has one value per channel (got shape {}); "
               "expected more than 1 value per channel in training (N times the spatial size > 1)")
    for shape in [(1, 3), (1, 3, 1), (1, 3, 1, 1)]:
        with raises(ValueError, message.format(shape)):
            batch_norm(torch.ones(shape), None, None, training=True)
        with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
            F.batch_norm(torch.ones(shape), None, None, training=True)
    with raises(ValueError, message.format((1, 3))):
        BatchNorm1d(3)(torch.ones(1, 3))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(torch.ones(1, 3))


def test_bad_arguments_raise() -> None:
    x = torch.ones(4, 3, 2)
    mean, var = torch.zeros(3), torch.ones(3)
    with raises(TypeError, "batch_norm: input has the wrong type (got list); expected a torch.Tensor"):
        batch_norm([1.0], mean, var)
    with raises(TypeError, "batch_norm: input has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        batch_norm(torch.ones(4, 3, dtype=torch.long), mean, var)
    with raises(ValueError, "batch_norm: input has too few dimensions (got 1-D of shape (3,)); "
                            "expected at least 2-D (N, C, *)"):
        batch_norm(torch.ones(3), mean, var)
    with raises(ValueError, "batch_norm: running_mean is None (got None with training=False); "
                            "expected running_mean and running_var in evaluation (or training=True)"):
        batch_norm(x, None, None)
    with raises(ValueError, "batch_norm: running_var is None (got None with running_mean given); "
                            "expected both running statistics or neither"):
        batch_norm(x, mean, None, training=True)
    with raises(ValueError, "batch_norm: running_mean has the wrong shape (got (4,)); "
                            "expected (3,), one value per channel of an input of shape (4, 3, 2)"):
        batch_norm(x, torch.zeros(4), var)
    with raises(ValueError, "batch_norm: weight has the wrong shape (got (1,)); expected (3,), one scale per channel"):
        batch_norm(x, mean, var, torch.ones(1))
    with raises(TypeError, "batch_norm: bias has the wrong dtype (got torch.float64); "
                           "expected torch.float32, the dtype of input"):
        batch_norm(x, mean, var, None, torch.zeros(3, dtype=DT))
    with raises(ValueError, "batch_norm: momentum is out of range (got 1.5); expected a finite number >= 0 and <= 1"):
        batch_norm(x, mean, var, training=True, momentum=1.5)
    with raises(ValueError, "batch_norm: eps is out of range (got 0.0); expected a finite number > 0"):
        batch_norm(x, mean, var, training=True, eps=0.0)
    with raises(ValueError, "batch_norm: eps is out of range (got -1.0); expected a finite number >= 0"):
        batch_norm(x, mean, var, eps=-1.0)
    with raises(TypeError, "batch_norm: training has the wrong type (got str); expected True or False"):
        batch_norm(x, mean, var, training="yes")


@pytest.mark.parametrize(("cls", "shape", "expected"), [
    (BatchNorm1d, (2, 3, 4, 4), "2 or 3-D (N, C) or (N, C, L)"),
    (BatchNorm2d, (2, 3, 4), "4-D (N, C, H, W)"),
    (BatchNorm3d, (2, 3, 4, 4), "5-D (N, C, D, H, W)"),
])
def test_modules_check_the_input_rank(cls, shape: tuple[int, ...], expected: str) -> None:
    with raises(ValueError, f"{cls.__name__}: input has the wrong number of dimensions "
                            f"(got {len(shape)}-D of shape {shape}); expected {expected}"):
        cls(3)(torch.ones(shape))


def test_module_arguments_are_checked() -> None:
    with raises(ValueError, "BatchNorm2d: num_features is out of range (got 0); expected an int >= 1"):
        BatchNorm2d(0)
    with raises(ValueError, "BatchNorm2d: momentum is out of range (got -0.1); expected a finite number >= 0 and <= 1"):
        BatchNorm2d(3, momentum=-0.1)
    with raises(ValueError, "BatchNorm2d: eps is out of range (got 0); expected a finite number > 0"):
        BatchNorm2d(3, eps=0)
    with raises(TypeError, "BatchNorm2d: affine has the wrong type (got int); expected True or False"):
        BatchNorm2d(3, affine=1)
    with raises(TypeError, "BatchNorm2d: input has the wrong type (got list); expected a torch.Tensor"):
        BatchNorm2d(3)([1.0])


def test_public_names() -> None:
    assert {"batch_norm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"} <= set(norm.__all__)


# --------------------------------------------------------------------------- the fast path


def plain_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["dlref.norm.batch_normalization"], "FAST_PATH_NUMEL", 10**18)


def fast_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["dlref.norm.batch_normalization"], "FAST_PATH_NUMEL", 0)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("affine", ["none", "weight", "both"])
def test_fast_path_equals_the_plain_code_and_torch(shape: tuple[int, ...], affine: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    c = shape[1]
    x = rand(shape, 80, scale=3.0, shift=1.0)
    params = {"none": [], "weight": [rand((c,), 81)], "both": [rand((c,), 81), rand((c,), 82)]}[affine]
    results = {}
    for name, patch in (("plain", plain_only), ("fast", fast_always)):
        patch(monkeypatch)
        mean, var = stats(c, 83)
        results[name] = [*grads(lambda x, *wb, mean=mean, var=var: batch_norm(x, mean, var, *wb, training=True,
                                                                              momentum=0.2, eps=1e-3),
                                [x, *params], [True] * (1 + len(params))), mean, var]
    mean, var = stats(c, 83)
    results["torch"] = [*grads(lambda x, *wb: F.batch_norm(x, mean, var, *wb, training=True, momentum=0.2, eps=1e-3),
                               [x, *params], [True] * (1 + len(params))), mean, var]
    for a, b, t in zip(results["plain"], results["fast"], results["torch"], strict=True):
        assert_close(a, b)
        assert_close(b, t)


def test_fast_path_runs_for_large_inputs_and_is_differentiable_once(monkeypatch: pytest.MonkeyPatch) -> None:
    x = rand((16, 8, 32, 32), 84).requires_grad_()  # 131,072 elements
    y = batch_norm(x, None, None, training=True)
    assert y.grad_fn is not None and "StandardizeAffine" in type(y.grad_fn).__name__
    (grad,) = torch.autograd.grad(y.pow(3).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match=r"once_differentiable|appears to not have been used in the graph"):
        torch.autograd.grad(grad.sum(), x)
    plain_only(monkeypatch)
    y = batch_norm(x, None, None, training=True)
    (grad,) = torch.autograd.grad(y.pow(3).sum(), x, create_graph=True)
    torch.autograd.grad(grad.sum(), x)  # the plain code has a second derivative
    assert "StandardizeAffine" not in type(y.grad_fn).__name__


def test_fast_path_with_gradients_for_the_parameters_only_and_in_float32(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_always(monkeypatch)
    x = torch.randn(8, 3, 5, 5, generator=gen(85))
    w, b = torch.rand(3, requires_grad=True), torch.rand(3, requires_grad=True)
    cot = torch.randn(8, 3, 5, 5, generator=gen(86))
    ours = torch.autograd.grad(batch_norm(x, None, None, w, b, training=True), [w, b], cot)
    theirs = torch.autograd.grad(F.batch_norm(x, None, None, w, b, training=True), [w, b], cot)
    assert_close(ours, theirs)
