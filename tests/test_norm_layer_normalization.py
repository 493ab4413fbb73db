"""dlref.norm.layer_norm and rms_norm against F.layer_norm and F.rms_norm in float64: values, gradients, errors."""

from __future__ import annotations

import re
import sys

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from dlref.norm import layer_norm, rms_norm

from .torch_reference import DT, gen, grads, same

# (input shape, normalized_shape): the last dim as an int, as a tuple, two and three trailing dims, a 1-D input
CASES = [((4, 6), 6), ((4, 6), (6,)), ((2, 3, 5), [3, 5]), ((2, 3, 4, 5), (3, 4, 5)), ((7,), (7,)),
         ((3, 2, 4), torch.Size([4]))]


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def rand(shape: tuple[int, ...], seed: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed)) * scale + shift


def trailing(normalized_shape) -> tuple[int, ...]:
    return (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)


@pytest.mark.parametrize(("shape", "normalized_shape"), CASES)
@pytest.mark.parametrize("affine", ["none", "weight", "both"])
@pytest.mark.parametrize("eps", [1e-5, 0.1])
def test_layer_norm_matches_torch(shape: tuple[int, ...], normalized_shape, affine: str, eps: float) -> None:
    x = rand(shape, 1, scale=3.0, shift=1.0)
    params = {"none": [], "weight": [rand(trailing(normalized_shape), 2)],
              "both": [rand(trailing(normalized_shape), 2), rand(trailing(normalized_shape), 3)]}[affine]
    same(lambda x, *wb: layer_norm(x, normalized_shape, *wb, eps=eps),
         lambda x, *wb: F.layer_norm(x, trailing(normalized_shape), *wb, eps=eps),
         [x, *params], [True] * (1 + len(params)))


@pytest.mark.parametrize(("shape", "normalized_shape"), CASES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("eps", [None, 1e-6, 0.5])
def test_rms_norm_matches_torch(shape: tuple[int, ...], normalized_shape, weighted: bool, eps: float | None) -> None:
    x = rand(shape, 4, scale=2.0, shift=-0.5)
    params = [rand(trailing(normalized_shape), 5)] if weighted else []
    same(lambda x, *w: rms_norm(x, normalized_shape, *w, eps=eps),
         lambda x, *w: F.rms_norm(x, trailing(normalized_shape), *w, eps=eps),
         [x, *params], [True] * (1 + len(params)))


@pytest.mark.parametrize("scale", [1e-4, 1e4])
def test_extreme_scales_match_torch(scale: float) -> None:
    x = rand((5, 8), 6, scale=scale, shift=3 * scale)
    assert_close(layer_norm(x, 8), F.layer_norm(x, (8,)))
    assert_close(rms_norm(x, 8), F.rms_norm(x, (8,)))


def test_float32_matches_torch_and_a_constant_row_gives_the_bias() -> None:
    x = torch.randn(6, 10, generator=gen(7))
    x[2] = 4.0
    w, b = torch.randn(10, generator=gen(8)), torch.randn(10, generator=gen(9))
    y = layer_norm(x, 10, w, b)
    assert_close(y, F.layer_norm(x, (10,), w, b))
    assert_close(y[2], b)


def test_layer_norm_does_not_mix_the_samples() -> None:
    x = rand((6, 4), 10)
    assert_close(layer_norm(x, 4)[:1], layer_norm(x[:1], 4))  # a batch of one gives the same row


def test_bad_arguments_raise() -> None:
    x = torch.ones(2, 3, 4)
    for fn in (layer_norm, rms_norm):
        name = fn.__name__
        with raises(ValueError, f"{name}: normalized_shape does not match the input's trailing dimensions "
                                "(got (3,)); expected the last 1 dimension(s) of input of shape (2, 3, 4)"):
            fn(x, 3)
        with raises(ValueError, f"{name}: normalized_shape does not match the input's trailing dimensions "
                                "(got (4, 3)); expected the last 2 dimension(s) of input of shape (2, 3, 4)"):
            fn(x, (4, 3))
        with raises(ValueError, f"{name}: normalized_shape does not match the input's trailing dimensions "
                                "(got (1, 2, 3, 4)); expected the last 4 dimension(s) of input of shape (2, 3, 4)"):
            fn(x, (1, 2, 3, 4))
        with raises(TypeError, f"{name}: normalized_shape has the wrong type (got float); "
                               "expected an int or a tuple of ints, each >= 1"):
            fn(x, 4.0)
        with raises(TypeError, f"{name}: input has the wrong type (got list); expected a torch.Tensor"):
            fn([1.0], 1)
        with raises(TypeError, f"{name}: input has the wrong dtype (got torch.int64); "
                               "expected a floating-point tensor"):
            fn(torch.ones(2, 4, dtype=torch.long), 4)
        with raises(ValueError, f"{name}: weight has the wrong shape (got (3, 4)); expected (4,), normalized_shape"):
            fn(x, 4, torch.ones(3, 4))
        with raises(TypeError, f"{name}: weight has the wrong dtype (got torch.float64); "
                               "expected torch.float32, the dtype of input"):
            fn(x, 4, torch.ones(4, dtype=DT))
        with raises(ValueError, f"{name}: eps is out of range (got -1.0); expected a finite number >= 0"):
            fn(x, 4, eps=-1.0)
    with raises(ValueError, "layer_norm: bias has the wrong shape (got (1,)); expected (4,), normalized_shape"):
        layer_norm(x, 4, None, torch.ones(1))
    with pytest.raises(RuntimeError, match="normalized_shape"):  # torch's error for a mismatch
        F.layer_norm(x, (3,))


# --------------------------------------------------------------------------- the fast path


@pytest.mark.parametrize(("shape", "normalized_shape"), [*CASES, ((32, 64), 64), ((4, 8, 10), (8, 10))])
@pytest.mark.parametrize("affine", ["none", "weight", "bias", "both"])
def test_fast_path_equals_the_plain_code_and_torch(shape: tuple[int, ...], normalized_shape, affine: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules["dlref.norm.layer_normalization"]
    x = rand(shape, 11, scale=2.0, shift=3.0)
    size = trailing(normalized_shape)
    w, b = rand(size, 12), rand(size, 13)
    kw = {"none": {}, "weight": {"weight": w}, "bias": {"bias": b}, "both": {"weight": w, "bias": b}}[affine]
    tensors = [x, *kw.values()]
    results = []
    for threshold in (10**18, 0):  # plain, then fast
        monkeypatch.setattr(module, "FAST_PATH_NUMEL", threshold)
        results.append(grads(lambda x, *p: layer_norm(x, normalized_shape, **dict(zip(kw, p, strict=True))),
                             tensors, [True] * len(tensors)))
    results.append(grads(lambda x, *p: F.layer_norm(x, size, **dict(zip(kw, p, strict=True))),
                         tensors, [True] * len(tensors)))
    for plain, fast, theirs in zip(*results, strict=True):
        assert_close(plain, fast)
        assert_close(fast, theirs)


def test_fast_path_runs_for_large_inputs_in_float32() -> None:
    x = torch.randn(128, 1024, generator=gen(14), requires_grad=True)
    w = torch.rand(1024, generator=gen(15), requires_grad=True)
    y = layer_norm(x, 1024, w)
    assert "StandardizeAffine" in type(y.grad_fn).__name__
    cot = torch.randn(128, 1024, generator=gen(16))
    assert_close(torch.autograd.grad(y, [x, w], cot),
                 torch.autograd.grad(F.layer_norm(x, (1024,), w), [x, w], cot))
    assert_close(y, F.layer_norm(x, (1024,), w))
