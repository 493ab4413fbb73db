"""dlref.conv.ops against torch: outputs and gradients, the adjoint identity, gradcheck, errors."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.conv import ops
from dlref.conv.ops import (
    adaptive_avg_pool2d,
    avg_pool2d,
    conv2d,
    conv_transpose2d,
    interpolate_bilinear,
    max_pool2d,
)

from .torch_reference import DT, gen

HYP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rand(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed))


def outputs_and_grads(fn: Callable[..., torch.Tensor], tensors: list[torch.Tensor | None], **kw) -> list[torch.Tensor]:
    """[fn(*tensors, **kw), then d<out, cotangent>/dt for every tensor t that is not None]."""
    leaves = [None if t is None else t.detach().clone().requires_grad_() for t in tensors]
    out = fn(*leaves, **kw)
    cot = torch.linspace(-1, 2, out.numel(), dtype=out.dtype).reshape(out.shape)
    return [out, *torch.autograd.grad(out, [t for t in leaves if t is not None], cot)]


def same(ours: Callable[..., torch.Tensor], theirs: Callable[..., torch.Tensor],
         tensors: list[torch.Tensor | None], **kw) -> None:
    for a, b in zip(outputs_and_grads(ours, tensors, **kw), outputs_and_grads(theirs, tensors, **kw), strict=True):
        assert a.shape == b.shape
        assert_close(a, b)


# --------------------------------------------------------------------------- conv2d


def torch_conv2d(*args, **kw) -> torch.Tensor:
    with warnings.catch_warnings():  # torch warns that "same" with an even kernel copies the input
        warnings.filterwarnings("ignore", "Using padding='same' with even kernel", UserWarning)
        return F.conv2d(*args, **kw)


# (N, C_in, H, W, C_out, (kH, kW), stride, padding, dilation, groups)
CONV_CASES = [
    (2, 3, 7, 8, 4, (3, 3), 1, 0, 1, 1),
    (2, 4, 9, 6, 6, (3, 2), 2, 1, 1, 2),
    (1, 6, 10, 11, 6, (3, 3), 1, 1, 1, 6),  # depthwise
    (2, 6, 10, 11, 12, (3, 3), 2, 1, 1, 6),  # depthwise with channel multiplier 2
    (2, 4, 8, 9, 8, (2, 3), (2, 1), (1, 2), (2, 1), 4),
    (1, 2, 5, 5, 3, (1, 1), 3, 0, 1, 1),
    (2, 3, 6, 7, 2, (3, 3), 1, "same", 2, 1),
    (2, 4, 6, 7, 4, (4, 2), 1, "same", 1, 2),  # even kernel: the extra zero goes bottom/right
    (2, 3, 6, 7, 2, (3, 3), 2, "valid", 1, 1),
    (2, 2, 5, 6, 2, (5, 6), 1, 0, 1, 1),  # kernel as large as the input
    (3, 2, 12, 10, 4, (3, 3), 3, 2, 2, 2),
    (1, 1, 4, 9, 1, (1, 4), (1, 3), (0, 2), (1, 2), 1),
]


@pytest.mark.parametrize("case", CONV_CASES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv2d_matches_torch(case: tuple, with_bias: bool) -> None:
    n, c, h, w, o, k, stride, padding, dilation, groups = case
    x, weight = rand(n, c, h, w, seed=1), rand(o, c // groups, *k, seed=2)
    bias = rand(o, seed=3) if with_bias else None
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    same(conv2d, torch_conv2d, [x, weight, bias], **kw)


def test_conv2d_unbatched_noncontiguous_and_float32() -> None:
    x, w, b = rand(3, 6, 7, seed=4), rand(5, 3, 3, 3, seed=5), rand(5, seed=6)
    assert_close(conv2d(x, w, b, padding=1), F.conv2d(x, w, b, padding=1))
    xs = rand(2, 4, 6, 5, seed=7).to(memory_format=torch.channels_last)
    wt = rand(4, 3, 2, 2, seed=8).transpose(0, 1)  # non-contiguous (3, 4, 2, 2)
    assert_close(conv2d(xs, wt, stride=(1, 2)), F.conv2d(xs, wt, stride=(1, 2)))
    assert_close(conv2d(xs, wt), F.conv2d(xs, wt))
    x32, w32 = torch.randn(2, 8, 9, 9, generator=gen(9)), torch.randn(4, 8, 3, 3, generator=gen(10))
    assert_close(conv2d(x32, w32, padding=1), F.conv2d(x32, w32, padding=1), rtol=1e-5, atol=1e-5)
    assert conv2d(x32, w32, padding=1).is_contiguous()


@HYP
@given(n=st.integers(1, 2), cg=st.integers(1, 3), og=st.integers(1, 3), groups=st.integers(1, 3),
       h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.tuples(st.integers(1, 3), st.integers(1, 3)), pad=st.tuples(st.integers(0, 3), st.integers(0, 3)),
       dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)), seed=st.integers(0, 2**16))
def test_conv2d_random_configs(n: int, cg: int, og: int, groups: int, h: int, w: int, kh: int, kw: int,
                               stride: tuple[int, int], pad: tuple[int, int], dilation: tuple[int, int],
                               seed: int) -> None:
    x, weight, bias = rand(n, cg * groups, h, w, seed=seed), rand(og * groups, cg, kh, kw, seed=seed + 1), None
    kw_ = dict(stride=stride, padding=pad, dilation=dilation, groups=groups)
    try:
        F.conv2d(x, weight, **kw_)
    except RuntimeError:  # the kernel does not fit: dlref must refuse too
        with pytest.raises(ValueError, match="conv2d: weight is too large for the padded input"):
            conv2d(x, weight, **kw_)
        return
    same(conv2d, F.conv2d, [x, weight, rand(og * groups, seed=seed + 2) if seed % 2 else bias], **kw_)


def plain(op: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
    """`op` with dlref's fast paths switched off: the plain code runs (im2col for every stride, F.fold)."""
    def run(*args, **kw) -> torch.Tensor:
        ops._FAST_PATHS = False
        try:
            return op(*args, **kw)
        finally:
            ops._FAST_PATHS = True
    return run


plain_conv2d = plain(conv2d)


# (N, C_in, H, W, C_out, (kH, kW), padding, dilation, groups): stride 1, where conv2d takes its fast path
STRIDE1_CASES = [case[:6] + case[7:] for case in CONV_CASES if case[6] == 1] + [
    (2, 6, 9, 7, 4, (2, 4), (0, 3), (3, 1), 2),
    (1, 3, 1, 5, 2, (1, 3), 1, 1, 1),  # one row: every slice runs past the image into the extra zero row
    (2, 4, 5, 5, 8, (5, 5), 2, 1, 4),
]


@pytest.mark.parametrize("case", STRIDE1_CASES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv2d_fast_path_equals_plain_code(case: tuple, with_bias: bool) -> None:
    n, c, h, w, o, k, padding, dilation, groups = case
    x, weight = rand(n, c, h, w, seed=41), rand(o, c // groups, *k, seed=42)
    bias = rand(o, seed=43) if with_bias else None
    kw = dict(padding=padding, dilation=dilation, groups=groups)
    assert type(conv2d(x.requires_grad_(), weight, **kw).grad_fn).__name__ == "_Conv2dStride1Backward"
    assert type(plain_conv2d(x, weight, **kw).grad_fn).__name__ != "_Conv2dStride1Backward"
    same(conv2d, plain_conv2d, [x, weight, bias], **kw)


@HYP
@given(n=st.integers(1, 2), cg=st.integers(1, 3), og=st.integers(1, 3), groups=st.integers(1, 3),
       h=st.integers(1, 8), w=st.integers(1, 8), kh=st.integers(1, 4), kw=st.integers(1, 4),
       pad=st.tuples(st.integers(0, 3), st.integers(0, 3)), dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       seed=st.integers(0, 2**16))
def test_conv2d_fast_path_random_configs(n: int, cg: int, og: int, groups: int, h: int, w: int, kh: int, kw: int,
                                         pad: tuple[int, int], dilation: tuple[int, int], seed: int) -> None:
    if h + 2 * pad[0] < dilation[0] * (kh - 1) + 1 or w + 2 * pad[1] < dilation[1] * (kw - 1) + 1:
        return  # the kernel does not fit: both paths refuse before they differ
    x, weight = rand(n, cg * groups, h, w, seed=seed), rand(og * groups, cg, kh, kw, seed=seed + 1)
    same(conv2d, plain_conv2d, [x, weight, rand(og * groups, seed=seed + 2)], padding=pad, dilation=dilation,
         groups=groups)


def test_conv2d_fast_path_second_derivatives() -> None:
    x, w = rand(2, 4, 5, 4, seed=44).requires_grad_(), rand(6, 2, 3, 2, seed=45).requires_grad_()
    assert torch.autograd.gradgradcheck(lambda x, w: conv2d(x, w, padding=(1, 2), dilation=(2, 1), groups=2), [x, w])
    assert torch.autograd.gradcheck(lambda x, w: conv2d(x, w, padding="same", groups=2), [x, w])


# --------------------------------------------------------------------------- conv_transpose2d

# (N, C_in, H, W, C_out, (kH, kW), stride, padding, output_padding, dilation, groups)
CONVT_CASES = [
    (2, 3, 4, 5, 4, (3, 3), 1, 0, 0, 1, 1),
    (2, 4, 5, 4, 6, (3, 3), 2, 1, 1, 1, 2),
    (1, 6, 4, 6, 6, (3, 3), 2, 1, 0, 1, 6),  # depthwise
    (2, 4, 3, 5, 8, (2, 3), (3, 2), (1, 0), (2, 1), (1, 2), 4),
    (2, 2, 5, 5, 3, (4, 4), 2, 3, 0, 1, 1),  # padding larger than the insertion padding: crops
    (1, 2, 4, 4, 2, (3, 3), 1, 0, 1, 2, 1),  # output_padding >= stride but < dilation
    (3, 2, 6, 3, 4, (1, 1), 3, 0, 2, 1, 2),
    (1, 3, 1, 1, 2, (3, 2), 2, 0, 1, 3, 1),
]


@pytest.mark.parametrize("case", CONVT_CASES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv_transpose2d_matches_torch(case: tuple, with_bias: bool) -> None:
    n, c, h, w, o, k, stride, padding, output_padding, dilation, groups = case
    x, weight = rand(n, c, h, w, seed=11), rand(c, o // groups, *k, seed=12)
    bias = rand(o, seed=13) if with_bias else None
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    same(conv_transpose2d, F.conv_transpose2d, [x, weight, bias], **kw)


@pytest.mark.parametrize("case", CONVT_CASES)
def test_zero_insertion_recipe_equals_col2im(case: tuple) -> None:
    n, c, h, w, o, k, stride, padding, output_padding, dilation, groups = case
    pair = lambda v: (v, v) if isinstance(v, int) else v  # noqa: E731
    args = (pair(stride), pair(padding), pair(output_padding), pair(dilation), groups)
    x, weight = rand(n, c, h, w, seed=14), rand(c, o // groups, *k, seed=15)
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)
    col2im = lambda x, w: conv_transpose2d(x, w, **kw)  # noqa: E731
    recipe = lambda x, w: ops._conv_transpose2d_zero_insertion(x, w, *args)  # noqa: E731
    same(recipe, col2im, [x, weight])


@pytest.mark.parametrize("case", CONVT_CASES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv_transpose2d_fast_col2im_equals_fold(case: tuple, with_bias: bool) -> None:
    n, c, h, w, o, k, stride, padding, output_padding, dilation, groups = case
    x, weight = rand(n, c, h, w, seed=46), rand(c, o // groups, *k, seed=47)
    bias = rand(o, seed=48) if with_bias else None
    kw = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    same(conv_transpose2d, plain(conv_transpose2d), [x, weight, bias], **kw)


def test_conv_transpose2d_fast_col2im_second_derivatives() -> None:
    x, w = rand(2, 4, 3, 4, seed=49).requires_grad_(), rand(4, 3, 2, 3, seed=50).requires_grad_()
    assert torch.autograd.gradgradcheck(
        lambda x, w: conv_transpose2d(x, w, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), dilation=(2, 1),
                                      groups=2), [x, w])


def test_conv_transpose2d_unbatched() -> None:
    x, w = rand(3, 4, 5, seed=16), rand(3, 2, 3, 3, seed=17)
    assert_close(conv_transpose2d(x, w, stride=2, padding=1, output_padding=1),
                 F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1))


@HYP
@given(n=st.integers(1, 2), cg=st.integers(1, 3), og=st.integers(1, 3), groups=st.integers(1, 3),
       h=st.integers(1, 6), w=st.integers(1, 6), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.integers(1, 3), pad=st.integers(0, 3), op=st.integers(0, 2), dilation=st.integers(1, 3),
       seed=st.integers(0, 2**16))
def test_conv_transpose2d_random_configs(n: int, cg: int, og: int, groups: int, h: int, w: int, kh: int, kw: int,
                                         stride: int, pad: int, op: int, dilation: int, seed: int) -> None:
    x, weight = rand(n, cg * groups, h, w, seed=seed), rand(cg * groups, og, kh, kw, seed=seed + 1)
    kw_ = dict(stride=(stride, 1), padding=(pad, 1), output_padding=(op, 0), groups=groups, dilation=(dilation, 2))
    try:
        F.conv_transpose2d(x, weight, **kw_)
    except RuntimeError:  # bad output_padding or empty output: dlref must refuse too
        with pytest.raises(ValueError, match=r"conv_transpose2d: (output_padding is out of|padding is too large)"):
            conv_transpose2d(x, weight, **kw_)
        return
    same(conv_transpose2d, F.conv_transpose2d, [x, weight, rand(og * groups, seed=seed + 2)], **kw_)


# --------------------------------------------------------------------------- adjoint identity


@HYP
@given(cg=st.integers(1, 3), og=st.integers(1, 3), groups=st.integers(1, 3), h=st.integers(3, 10),
       w=st.integers(3, 10), k=st.integers(1, 3), stride=st.integers(1, 3), pad=st.integers(0, 2),
       dilation=st.integers(1, 2), seed=st.integers(0, 2**16))
def test_adjoint_identity(cg: int, og: int, groups: int, h: int, w: int, k: int, stride: int, pad: int,
                          dilation: int, seed: int) -> None:
    """<conv2d(x, W), y> = <x, conv_transpose2d(y, W)>, with output_padding giving back x's shape."""
    if h + 2 * pad < dilation * (k - 1) + 1 or w + 2 * pad < dilation * (k - 1) + 1:
        return
    x, weight = rand(2, cg * groups, h, w, seed=seed), rand(og * groups, cg, k, k, seed=seed + 1)
    kw = dict(stride=stride, padding=pad, dilation=dilation, groups=groups)
    cx = conv2d(x, weight, **kw)
    y = rand(*cx.shape, seed=seed + 2)
    # H = (H_out - 1)s - 2p + d(k - 1) + output_padding + 1, and (H + 2p - d(k - 1) - 1) mod s < s
    op = tuple((m + 2 * pad - dilation * (k - 1) - 1) % stride for m in (h, w))
    ty = conv_transpose2d(y, weight, output_padding=op, **kw)
    assert ty.shape == x.shape
    assert_close((cx * y).sum(), (x * ty).sum())


# --------------------------------------------------------------------------- pooling


def pool_strategy(dilated: bool) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({
        "kernel_size": st.tuples(st.integers(1, 4), st.integers(1, 4)),
        "stride": st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))),
        "padding": st.tuples(st.integers(0, 2), st.integers(0, 2)),
        "ceil_mode": st.booleans(),
        **({"dilation": st.tuples(st.integers(1, 3), st.integers(1, 3))} if dilated else {}),
    })


@HYP
@given(h=st.integers(1, 9), w=st.integers(1, 9), args=pool_strategy(dilated=True), seed=st.integers(0, 2**16))
def test_max_pool2d_random_configs(h: int, w: int, args: dict, seed: int) -> None:
    x = rand(2, 3, h, w, seed=seed)
    try:
        F.max_pool2d(x, **args)
    except RuntimeError:  # padding too large or output empty: dlref must refuse too
        with pytest.raises(ValueError, match=r"max_pool2d: (padding is out of range|kernel_size is too large)"):
            max_pool2d(x, **args)
        return
    if torch.isinf(F.max_pool2d(x, **args)).any():  # a window of padding only: see the test below
        assert_close(max_pool2d(x, **args), F.max_pool2d(x, **args))
        return
    same(max_pool2d, F.max_pool2d, [x], **args)


@HYP
@given(h=st.integers(1, 9), w=st.integers(1, 9), args=pool_strategy(dilated=False),
       count_include_pad=st.booleans(), divisor=st.sampled_from([None, None, 3, -2]), seed=st.integers(0, 2**16))
def test_avg_pool2d_random_configs(h: int, w: int, args: dict, count_include_pad: bool, divisor: int | None,
                                   seed: int) -> None:
    x = rand(2, 3, h, w, seed=seed)
    args |= {"count_include_pad": count_include_pad, "divisor_override": divisor}
    try:
        F.avg_pool2d(x, **args)
    except RuntimeError:
        with pytest.raises(ValueError, match=r"avg_pool2d: (padding is out of range|kernel_size is too large)"):
            avg_pool2d(x, **args)
        return
    same(avg_pool2d, F.avg_pool2d, [x], **args)


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("size", [(6, 6), (7, 8), (5, 4)])
def test_avg_pool2d_ceil_windows_past_the_padded_input(size: tuple[int, int], count_include_pad: bool) -> None:
    # H = 6, k = 3, s = 2, p = 1: the 4th window covers rows 5..7 of a padded input ending at row 6
    x = rand(1, 2, *size, seed=21)
    kw = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=count_include_pad)
    same(avg_pool2d, F.avg_pool2d, [x], **kw)


@pytest.mark.parametrize("kw", [
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0), dilation=(2, 1), ceil_mode=True),
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, ceil_mode=True),
])
def test_max_pool2d_matches_torch(kw: dict) -> None:
    same(max_pool2d, F.max_pool2d, [rand(2, 3, 7, 8, seed=22)], **kw)
    same(max_pool2d, F.max_pool2d, [rand(3, 6, 6, seed=23)], **kw)  # unbatched


def test_avg_pool2d_unbatched() -> None:
    kw = dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True, count_include_pad=False)
    same(avg_pool2d, F.avg_pool2d, [rand(3, 6, 7, seed=24)], **kw)


def test_max_pool2d_ties_split_the_gradient() -> None:
    """Documented difference: torch routes the gradient of a tied window to its first maximum."""
    x = torch.ones(1, 1, 2, 2, dtype=DT, requires_grad=True)
    max_pool2d(x, 2).sum().backward()
    assert_close(x.grad, torch.full_like(x, 0.25))
    xt = x.detach().clone().requires_grad_()
    F.max_pool2d(xt, 2).sum().backward()
    assert xt.grad.sum() == 1 and xt.grad.max() == 1


def test_max_pool2d_window_of_padding_only() -> None:
    """Documented difference: -inf like torch, but no gradient (torch sends one to some input pixel)."""
    x = rand(2, 3, 1, 1, seed=0).requires_grad_()
    y = max_pool2d(x, (1, 2), padding=(0, 1), dilation=(1, 2))
    assert_close(y, torch.full((2, 3, 1, 1), -torch.inf, dtype=DT))
    (g,) = torch.autograd.grad(y, x, torch.ones_like(y))
    assert_close(g, torch.zeros_like(x))


def test_max_pool2d_keeps_infinities_and_nan() -> None:
    x = torch.tensor([[[[1.0, float("inf")], [float("-inf"), 2.0]], [[float("nan"), 0.0], [1.0, 2.0]]]])
    assert_close(max_pool2d(x, 2), F.max_pool2d(x, 2), equal_nan=True)


@pytest.mark.parametrize("output_size", [1, (1, 1), (3, 2), (2, None), (None, 4), (7, 9), 4])
@pytest.mark.parametrize("shape", [(2, 3, 5, 7), (3, 8, 6), (1, 1, 1, 1)])
def test_adaptive_avg_pool2d_matches_torch(shape: tuple[int, ...], output_size: int | tuple) -> None:
    same(adaptive_avg_pool2d, F.adaptive_avg_pool2d, [rand(*shape, seed=24)], output_size=output_size)


def test_global_average_pooling_is_the_mean() -> None:
    x = rand(2, 3, 5, 7, seed=25)
    assert_close(adaptive_avg_pool2d(x, 1), x.mean((2, 3), keepdim=True))


def test_adaptive_avg_pool2d_empty_output() -> None:
    x = rand(2, 3, 5, 7, seed=25)  # torch allows a zero output size (its backward does not)
    assert_close(adaptive_avg_pool2d(x, (0, 2)), F.adaptive_avg_pool2d(x, (0, 2)))


# --------------------------------------------------------------------------- bilinear


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(8, 10), (3, 2), (1, 1), (5, 5), 9, (1, 7), (4, 13)])
@pytest.mark.parametrize("shape", [(2, 3, 5, 6), (1, 2, 1, 4), (1, 1, 4, 4)])
def test_interpolate_bilinear_matches_torch(shape: tuple[int, ...], size: int | tuple, align_corners: bool) -> None:
    x = rand(*shape, seed=26)
    same(interpolate_bilinear, lambda t, **kw: F.interpolate(t, mode="bilinear", **kw), [x],
         size=size, align_corners=align_corners)


@HYP
@given(h=st.integers(1, 12), w=st.integers(1, 12), ho=st.integers(1, 12), wo=st.integers(1, 12),
       align_corners=st.booleans(), seed=st.integers(0, 2**16))
def test_interpolate_bilinear_random_sizes(h: int, w: int, ho: int, wo: int, align_corners: bool, seed: int) -> None:
    x = rand(1, 2, h, w, seed=seed)
    same(interpolate_bilinear, lambda t, **kw: F.interpolate(t, mode="bilinear", **kw), [x],
         size=(ho, wo), align_corners=align_corners)


# --------------------------------------------------------------------------- gradcheck


GRADCHECKS: dict[str, tuple[Callable[..., torch.Tensor], list[torch.Tensor]]] = {
    "conv2d": (lambda x, w, b: conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
               [rand(1, 4, 4, 5, seed=31), rand(4, 2, 2, 3, seed=32), rand(4, seed=33)]),
    "conv2d_same": (lambda x, w: conv2d(x, w, padding="same"), [rand(1, 2, 4, 5, seed=34), rand(3, 2, 2, 3, seed=35)]),
    "conv_transpose2d": (
        lambda x, w, b: conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=(1, 0), groups=2,
                                         dilation=(1, 2)),
        [rand(1, 2, 2, 3, seed=36), rand(2, 1, 3, 2, seed=37), rand(2, seed=38)]),
    "max_pool2d": (lambda x: max_pool2d(x, 3, 2, 1, ceil_mode=True), [rand(2, 2, 6, 5, seed=39)]),
    "avg_pool2d": (lambda x: avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                   [rand(2, 2, 6, 5, seed=40)]),
    "adaptive_avg_pool2d": (lambda x: adaptive_avg_pool2d(x, (3, 2)), [rand(2, 2, 5, 7, seed=41)]),
    "interpolate_bilinear": (lambda x: interpolate_bilinear(x, (5, 3)), [rand(1, 2, 3, 4, seed=42)]),
}


@pytest.mark.parametrize("name", list(GRADCHECKS))
def test_gradcheck(name: str) -> None:
    fn, tensors = GRADCHECKS[name]
    leaves = [t.requires_grad_() for t in tensors]
    assert torch.autograd.gradcheck(fn, leaves)
    if name.startswith("conv"):
        assert torch.autograd.gradgradcheck(fn, leaves)


# --------------------------------------------------------------------------- errors


X = torch.zeros(2, 4, 6, 6)
W = torch.zeros(8, 4, 3, 3)

ERRORS = [
    (lambda: conv2d([[1.0]], W), TypeError, r"conv2d: input has the wrong type \(got list\); expected a torch.Tensor"),
    (lambda: conv2d(X.long(), W), TypeError,
     r"conv2d: input has the wrong dtype \(got torch.int64\); expected a floating-point tensor"),
    (lambda: conv2d(X, W.double()), TypeError,
     r"conv2d: weight has the wrong dtype \(got torch.float64\); expected torch.float32, the dtype of input"),
    (lambda: conv2d(X[0, 0], W), ValueError, r"conv2d: input has the wrong number of dimensions "
                                             r"\(got 2-D of shape \(6, 6\)\); expected 3 or 4-D as \(C, H, W\) or "
                                             r"\(N, C, H, W\)"),
    (lambda: conv2d(X, W[:, :3]), ValueError, r"conv2d: weight does not match the input's channels "
                                              r"\(got shape \(8, 3, 3, 3\) with groups=1\); "
                                              r"expected weight.shape\[1\] \* groups = 4, the channels of input"),
    (lambda: conv2d(X, W[:, :2], groups=3), ValueError,
     r"conv2d: weight does not match the input's channels \(got shape \(8, 2, 3, 3\) with groups=3\); expected "),
    (lambda: conv2d(X, W[:7, :2], groups=2), ValueError,
     r"conv2d: groups does not divide weight.shape\[0\] \(got 2\); expected a divisor of 7"),
    (lambda: conv2d(X, W, groups=0), ValueError, r"conv2d: groups is out of range \(got 0\); expected an int >= 1"),
    (lambda: conv2d(X, W, torch.zeros(3)), ValueError,
     r"conv2d: bias has the wrong shape \(got \(3,\)\); expected \(8,\), one entry per output channel"),
    (lambda: conv2d(X, torch.zeros(8, 4, 7, 7)), ValueError,
     r"conv2d: weight is too large for the padded input \(got kernel \(7, 7\) with dilation \(1, 1\)\); "
     r"expected dilation \* \(kernel - 1\) \+ 1 <= the padded input size \(6, 6\)"),
    (lambda: conv2d(X, W, dilation=3), ValueError,
     r"conv2d: weight is too large for the padded input \(got kernel \(3, 3\) with dilation \(3, 3\)\); expected"),
    (lambda: conv2d(X, W, stride=0), ValueError,
     r"conv2d: stride is out of range \(got 0\); expected an int or a pair of ints, each >= 1"),
    (lambda: conv2d(X, W, dilation=(1, -1)), ValueError,
     r"conv2d: dilation is out of range \(got \(1, -1\)\); expected an int or a pair of ints, each >= 1"),
    (lambda: conv2d(X, W, padding=-1), ValueError,
     r"conv2d: padding is out of range \(got -1\); expected an int or a pair of ints, each >= 0"),
    (lambda: conv2d(X, W, padding="full"), ValueError,
     r"conv2d: padding is not a valid padding \(got 'full'\); expected 'same', 'valid', an int or a pair of ints"),
    (lambda: conv2d(X, W, padding="same", stride=2), ValueError,
     r"conv2d: stride is out of range for padding='same' \(got 2\); expected 1"),
    (lambda: conv2d(X, W, stride=1.5), TypeError,
     r"conv2d: stride has the wrong type \(got float\); expected an int or a pair of ints, each >= 1"),
    (lambda: conv2d(X, W, stride=(1, 2, 3)), ValueError,
     r"conv2d: stride has the wrong length \(got \(1, 2, 3\)\); expected an int or a pair of ints"),
    (lambda: conv_transpose2d(X, W), ValueError, r"conv_transpose2d: weight does not match the input's channels "
                                                 r"\(got shape \(8, 4, 3, 3\) with groups=1\); "
                                                 r"expected weight.shape\[0\] = 4, the channels of input"),
    (lambda: conv_transpose2d(X, W[:4], stride=2, output_padding=2), ValueError,
     r"conv_transpose2d: output_padding is out of range \(got 2\); "
     r"expected each entry < stride or < dilation, here < \(2, 2\)"),
    (lambda: conv_transpose2d(X, W[:4], output_padding=-1), ValueError,
     r"conv_transpose2d: output_padding is out of range \(got -1\); expected an int or a pair of ints, each >= 0"),
    (lambda: conv_transpose2d(X, W[:4], padding=5), ValueError,
     r"conv_transpose2d: padding is too large \(got 5\); expected an output size of at least 1, not \(-2, -2\)"),
    (lambda: conv_transpose2d(X, W[:4], padding="same"), TypeError,
     r"conv_transpose2d: padding has the wrong type \(got str\); expected an int or a pair of ints, each >= 0"),
    (lambda: max_pool2d(X, 2, padding=2), ValueError,
     r"max_pool2d: padding is out of range \(got 2\); expected at most half of kernel_size, rounded down: \(1, 1\)"),
    (lambda: max_pool2d(X, 7), ValueError,
     r"max_pool2d: kernel_size is too large for the padded input \(got \(7, 7\) with dilation \(1, 1\)\); "
     r"expected dilation \* \(kernel_size - 1\) \+ 1 <= the padded input size \(6, 6\)"),
    (lambda: max_pool2d(X, 2, stride=0), ValueError,
     r"max_pool2d: stride is out of range \(got 0\); expected an int or a pair of ints, each >= 1"),
    (lambda: max_pool2d(X, 0), ValueError,
     r"max_pool2d: kernel_size is out of range \(got 0\); expected an int or a pair of ints, each >= 1"),
    (lambda: max_pool2d(X, 2, ceil_mode=1), TypeError,
     r"max_pool2d: ceil_mode has the wrong type \(got int\); expected True or False"),
    (lambda: max_pool2d(X.int(), 2), TypeError,
     r"max_pool2d: input has the wrong dtype \(got torch.int32\); expected a floating-point tensor"),
    (lambda: avg_pool2d(X, 2, divisor_override=0), ValueError,
     r"avg_pool2d: divisor_override is zero \(got 0\); expected a nonzero int or None"),
    (lambda: avg_pool2d(X, 2, divisor_override=2.0), TypeError,
     r"avg_pool2d: divisor_override has the wrong type \(got float\); expected a nonzero int or None"),
    (lambda: avg_pool2d(X, 3, padding=2), ValueError,
     r"avg_pool2d: padding is out of range \(got 2\); expected at most half of kernel_size, rounded down: \(1, 1\)"),
    (lambda: adaptive_avg_pool2d(X, (2, -1)), ValueError,
     r"adaptive_avg_pool2d: output_size is out of range \(got \(2, -1\)\); "
     r"expected an int or a pair of ints or None, each >= 0"),
    (lambda: adaptive_avg_pool2d(X, (2, 2, 2)), ValueError,
     r"adaptive_avg_pool2d: output_size has the wrong length \(got \(2, 2, 2\)\); expected an int or a pair"),
    (lambda: adaptive_avg_pool2d(X, 2.5), TypeError,
     r"adaptive_avg_pool2d: output_size has the wrong type \(got float\); expected an int or a pair"),
    (lambda: adaptive_avg_pool2d(X[0, 0], 2), ValueError,
     r"adaptive_avg_pool2d: input has the wrong number of dimensions \(got 2-D of shape \(6, 6\)\); expected 3 or 4-D"),
    (lambda: interpolate_bilinear(X[0], 3), ValueError,
     r"interpolate_bilinear: input has the wrong number of dimensions \(got 3-D of shape \(4, 6, 6\)\); "
     r"expected 4-D as \(N, C, H, W\)"),
    (lambda: interpolate_bilinear(X, 0), ValueError,
     r"interpolate_bilinear: size is out of range \(got 0\); expected an int or a pair of ints, each >= 1"),
    (lambda: interpolate_bilinear(X, 3, align_corners=None), TypeError,
     r"interpolate_bilinear: align_corners has the wrong type \(got NoneType\); expected True or False"),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_bad_arguments_raise(index: int) -> None:
    call, error, message = ERRORS[index]
    with pytest.raises(error, match=message):
        call()


def test_no_torch_counterpart_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "interpolate"):
        monkeypatch.setattr(F, name, lambda *a, **k: pytest.fail("a torch counterpart was called"))
    for name in ("conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"):
        monkeypatch.setattr(torch, name, lambda *a, **k: pytest.fail("a torch counterpart was called"), raising=False)
    x, w = rand(1, 2, 6, 6, seed=50), rand(2, 2, 3, 3, seed=51)
    conv2d(x, w, padding=1)
    conv_transpose2d(x, w, stride=2)
    ops._conv_transpose2d_zero_insertion(x, w, (2, 2), (0, 0), (0, 0), (1, 1), 1)
    max_pool2d(x, 2)
    avg_pool2d(x, 2)
    adaptive_avg_pool2d(x, 3)
    interpolate_bilinear(x, 9)


def test_public_api() -> None:
    assert sorted(ops.__all__) == sorted(
        ["adaptive_avg_pool2d", "avg_pool2d", "conv2d", "conv_transpose2d", "interpolate_bilinear", "max_pool2d"])
