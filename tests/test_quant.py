"""dlref.quant against torch's fake-quantize functions, quantized tensors and min/max observers; errors."""

from __future__ import annotations

import re

import pytest
import torch
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver
from torch.testing import assert_close

from dlref import quant
from dlref.quant import (
    calculate_qparams,
    dequantize_per_channel,
    dequantize_per_tensor,
    fake_quantize_per_channel_affine,
    fake_quantize_per_tensor_affine,
    quantize_per_channel,
    quantize_per_tensor,
)

from .torch_reference import DT, gen

# torch.quantize_per_tensor / quantize_per_channel warn in torch 2.13 (quantized tensors are deprecated)
QUANTIZED_TENSORS_DEPRECATED = pytest.mark.filterwarnings(
    "ignore:torch.quantize_per_tensor, torch.quantize_per_channel and other quantized tensor creation:UserWarning"
)
# (quant_min, quant_max, zero_point): int8, int8 with a shifted zero point, uint8, uint8 near one end, 4-bit signed
RANGES = [(-128, 127, 0), (-128, 127, -5), (0, 255, 128), (0, 255, 3), (-8, 7, 2)]


def f32(value: float) -> float:
    """`value` rounded to float32: torch keeps scales in float32, so these scales are the same number in both."""
    return float(torch.tensor(value, dtype=torch.float32))


def off_grid(shape: tuple[int, ...], scale: torch.Tensor | float, zero_point: torch.Tensor | int, quant_min: int,
             quant_max: int, seed: int, dtype: torch.dtype = DT) -> torch.Tensor:
    """x = (k + u)·s with integer codes k reaching 20 past each end of the range and |u| <= 0.4.

    Away from the half-integers of x/s, where dlref's x / s and torch's x·(1/s) in float32 could round apart
    (the module notes); exact ties are tested on their own with power-of-two scales.
    """
    lo = quant_min - zero_point - 20
    hi = quant_max - zero_point + 20
    u = torch.rand(shape, dtype=DT, generator=gen(seed)) * 0.8 - 0.4
    k = torch.floor(lo + torch.rand(shape, dtype=DT, generator=gen(seed + 1)) * (hi - lo + 1))
    return ((k + u) * scale).to(dtype)


def value_and_grad(fn, x: torch.Tensor, *args) -> list[torch.Tensor]:
    leaf = x.detach().clone().requires_grad_()
    out = fn(leaf, *args)
    cot = torch.linspace(-1, 2, out.numel(), dtype=out.dtype).reshape(out.shape)
    return [out, *torch.autograd.grad(out, leaf, cot)]


# --------------------------------------------------------------------------- fake quantization vs torch


@pytest.mark.parametrize(("quant_min", "quant_max", "zero_point"), RANGES)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("as_tensors", [False, True])
def test_fake_quantize_per_tensor_matches_torch(quant_min: int, quant_max: int, zero_point: int, dtype: torch.dtype,
                                                as_tensors: bool) -> None:
    s = f32(0.0371)
    x = off_grid((400,), s, zero_point, quant_min, quant_max, seed=quant_max - zero_point, dtype=dtype)
    scale, zp = (torch.tensor([s]), torch.tensor([zero_point], dtype=torch.int32)) if as_tensors else (s, zero_point)
    ours = value_and_grad(fake_quantize_per_tensor_affine, x, scale, zp, quant_min, quant_max)
    theirs = value_and_grad(torch.fake_quantize_per_tensor_affine, x, scale, zp, quant_min, quant_max)
    assert ours[0].dtype == dtype
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)
    assert 0 < int(ours[1].eq(0).sum()) < x.numel()  # some values are clamped (zero gradient), most are not


@pytest.mark.parametrize("axis", [0, 1, 2])
@pytest.mark.parametrize(("quant_min", "quant_max"), [(-128, 127), (0, 255), (-8, 7)])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_fake_quantize_per_channel_matches_torch(axis: int, quant_min: int, quant_max: int,
                                                 dtype: torch.dtype) -> None:
    shape = (4, 5, 6)
    c = shape[axis]
    scale = torch.rand(c, generator=gen(axis)) * 0.1 + 0.01  # float32, as torch requires
    zero_point = torch.randint(quant_min, quant_max + 1, (c,), generator=gen(axis + 10), dtype=torch.int32)
    view = [1, 1, 1]
    view[axis] = c
    x = off_grid(shape, scale.double().reshape(view), zero_point.reshape(view), quant_min, quant_max, seed=axis,
                 dtype=dtype)
    args = (scale, zero_point, axis, quant_min, quant_max)
    ours = value_and_grad(fake_quantize_per_channel_affine, x, *args)
    theirs = value_and_grad(torch.fake_quantize_per_channel_affine, x, *args)
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)
    # any integer dtype for zero points and floating dtype for scales (torch needs int32 and float32)
    assert_close(fake_quantize_per_channel_affine(x, scale.double(), zero_point.long(), axis, quant_min, quant_max),
                 ours[0])


def test_ties_round_half_to_even_and_range_edges_match_torch() -> None:
    """Power-of-two scales make x / s exact in both: every tie and both clamp edges agree exactly."""
    for s, z in ((0.25, 0), (0.5, 3), (2.0, -2)):
        codes = torch.arange(-140, 140, 0.5, dtype=DT)  # every integer and every half-integer, past both ends
        x = codes * s
        ours = value_and_grad(fake_quantize_per_tensor_affine, x, s, z, -128, 127)
        theirs = value_and_grad(torch.fake_quantize_per_tensor_affine, x, s, z, -128, 127)
        for a, b in zip(ours, theirs, strict=True):
            assert_close(a, b, rtol=0, atol=0)
        q = torch.round(codes) + z
        assert_close(ours[1] != 0, (q >= -128) & (q <= 127))  # the gradient is 1 up to and including the ends
    x = torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5])
    assert quantize_per_tensor(x, 1.0, 0).tolist() == [0, 2, 2, 0, -2, -2, 4]  # half to even


def test_division_differs_from_torch_only_at_half_integers_and_in_float32_rounding() -> None:
    """The module notes: dlref's x / s against torch's x·(1/s) in float32, and torch's float32 output."""
    s = f32(0.1)  # 1/s rounds to 10.0 in float32
    x = torch.tensor([0.5, 1.5, 2.5, 0.3], dtype=DT) * s  # x / s = 0.5, 1.5, 2.5 exactly in float64
    assert (fake_quantize_per_tensor_affine(x, s, 0, -128, 127) / s).tolist() == [0.0, 2.0, 2.0, 0.0]  # half to even
    theirs = torch.fake_quantize_per_tensor_affine(x, s, 0, -128, 127) / s
    assert_close(theirs, torch.tensor([1.0, 2.0, 3.0, 0.0], dtype=DT))  # x·10.0 lands just above each tie
    x = torch.tensor([1.2345678], dtype=DT)
    ours, theirs = fake_quantize_per_tensor_affine(x, s, 0, -128, 127), torch.fake_quantize_per_tensor_affine(
        x, s, 0, -128, 127)
    assert ours.item() == 12 * s and theirs.item() == float(torch.tensor(12 * s).float())  # (q - z)·s in float32
    assert_close(ours, theirs)  # within float64's default tolerance


def test_scale_and_zero_point_get_no_gradient() -> None:
    x = torch.randn(3, 4, dtype=DT, generator=gen(5)).requires_grad_()
    s = torch.tensor([0.1, 0.2, 0.3], dtype=DT, requires_grad=True)
    z = torch.zeros(3, dtype=torch.long)
    out = fake_quantize_per_channel_affine(x, s, z, 0, -128, 127)
    grad_x, grad_s = torch.autograd.grad(out.sum(), [x, s], allow_unused=True)
    assert grad_s is None and grad_x is not None
    s0 = torch.tensor(0.1, dtype=DT, requires_grad=True)
    assert fake_quantize_per_tensor_affine(x, s0, 0, -128, 127).grad_fn is not None
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'scale'"):
        torch.fake_quantize_per_tensor_affine(x, s0.float().reshape(1), torch.tensor([0], dtype=torch.int32),
                                              -128, 127)


# --------------------------------------------------------------------------- quantize / dequantize


@QUANTIZED_TENSORS_DEPRECATED
@pytest.mark.parametrize(("quant_min", "quant_max", "zero_point"), RANGES[:4])
def test_quantize_per_tensor_matches_torch_quantized_tensor(quant_min: int, quant_max: int, zero_point: int) -> None:
    s = f32(0.0213)
    x = off_grid((500,), s, zero_point, quant_min, quant_max, seed=zero_point + 300, dtype=torch.float32)
    qdtype, dtype = (torch.qint8, torch.int8) if quant_min < 0 else (torch.quint8, torch.uint8)
    qx = torch.quantize_per_tensor(x, s, zero_point, qdtype)
    q = quantize_per_tensor(x, s, zero_point, quant_min, quant_max, dtype)
    assert q.dtype == dtype
    assert torch.equal(q, qx.int_repr())
    assert_close(dequantize_per_tensor(q, s, zero_point), qx.dequantize())
    # dequantize(quantize(x)) is fake quantization, exactly
    assert_close(dequantize_per_tensor(q, s, zero_point, out_dtype=torch.float32),
                 fake_quantize_per_tensor_affine(x, s, zero_point, quant_min, quant_max), rtol=0, atol=0)


@QUANTIZED_TENSORS_DEPRECATED
def test_quantize_per_tensor_int32_matches_torch_qint32() -> None:
    s, z = f32(0.001), 17
    k = torch.randint(-3000, 3000, (200,), generator=gen(8))
    x = ((k + torch.rand(200, generator=gen(9)) * 0.8 - 0.4) * s).float()  # off the half-integers of x/s
    qx = torch.quantize_per_tensor(x, s, z, torch.qint32)
    q = quantize_per_tensor(x, s, z, -(2**31), 2**31 - 1, torch.int32)
    assert q.dtype == torch.int32 and torch.equal(q, qx.int_repr())


@QUANTIZED_TENSORS_DEPRECATED
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize(("quant_min", "quant_max"), [(-128, 127), (0, 255)])
def test_quantize_per_channel_matches_torch_quantized_tensor(axis: int, quant_min: int, quant_max: int) -> None:
    shape = (3, 8)
    c = shape[axis]
    scale = torch.rand(c, generator=gen(axis + 20)) * 0.05 + 0.01
    zero_point = torch.randint(quant_min + 10, quant_max - 10, (c,), generator=gen(axis + 21))
    view = [1, 1]
    view[axis] = c
    x = off_grid(shape, scale.double().reshape(view), zero_point.reshape(view), quant_min, quant_max, seed=axis + 22,
                 dtype=torch.float32)
    qdtype, dtype = (torch.qint8, torch.int8) if quant_min < 0 else (torch.quint8, torch.uint8)
    qx = torch.quantize_per_channel(x, scale.double(), zero_point, axis, qdtype)
    q = quantize_per_channel(x, scale, zero_point, axis, quant_min, quant_max, dtype)
    assert torch.equal(q, qx.int_repr())
    assert_close(dequantize_per_channel(q, scale, zero_point, axis), qx.dequantize())
    assert_close(dequantize_per_channel(q, scale, zero_point, axis),
                 fake_quantize_per_channel_affine(x, scale, zero_point, axis, quant_min, quant_max), rtol=0, atol=0)


def test_round_trip_error_is_at_most_half_a_step_inside_the_range() -> None:
    s, z = 0.05, 10
    x = torch.linspace((-128 - z) * s, (127 - z) * s, 1001, dtype=DT)
    x_hat = dequantize_per_tensor(quantize_per_tensor(x, s, z), s, z, out_dtype=DT)
    assert (x_hat - x).abs().max() <= s / 2 + 1e-12
    assert dequantize_per_tensor(quantize_per_tensor(torch.zeros(1, dtype=DT), s, z), s, z).item() == 0  # 0 is exact


def test_dequantize_does_not_overflow_int8() -> None:
    q = torch.tensor([127, -128], dtype=torch.int8)
    assert dequantize_per_tensor(q, 1.0, -128, out_dtype=DT).tolist() == [255.0, 0.0]
    assert dequantize_per_tensor(q, torch.tensor([0.5]), torch.tensor([0]), out_dtype=DT).tolist() == [63.5, -64.0]


# --------------------------------------------------------------------------- scale and zero point vs observers


def observed(seed: int, kind: str, shape: tuple[int, ...] = (64,)) -> torch.Tensor:
    x = torch.randn(shape, generator=gen(seed)) * 2 + 0.3
    return {"mixed": x, "positive": x.abs() + 0.5, "negative": -x.abs() - 0.1, "zeros": torch.zeros(shape),
            "constant": torch.full(shape, 1.7)}[kind]


@pytest.mark.parametrize("kind", ["mixed", "positive", "negative", "zeros", "constant"])
@pytest.mark.parametrize("dtype", [torch.qint8, torch.quint8])
@pytest.mark.parametrize("symmetric", [False, True])
def test_calculate_qparams_matches_min_max_observer(kind: str, dtype: torch.dtype, symmetric: bool) -> None:
    qscheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
    observer = MinMaxObserver(dtype=dtype, qscheme=qscheme)
    observer(observed(3, kind))
    scale, zero_point = calculate_qparams(observer.min_val, observer.max_val, observer.quant_min,
                                          observer.quant_max, symmetric)
    t_scale, t_zero_point = observer.calculate_qparams()
    assert scale.shape == () and zero_point.dtype == torch.long
    assert_close(scale.reshape(1), t_scale, rtol=0, atol=0)
    assert_close(zero_point.reshape(1), t_zero_point, rtol=0, atol=0, check_dtype=False)


@pytest.mark.parametrize("ch_axis", [0, 1])
@pytest.mark.parametrize("dtype", [torch.qint8, torch.quint8])
@pytest.mark.parametrize("symmetric", [False, True])
def test_calculate_qparams_matches_per_channel_observer(ch_axis: int, dtype: torch.dtype, symmetric: bool) -> None:
    qscheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
    observer = PerChannelMinMaxObserver(ch_axis=ch_axis, dtype=dtype, qscheme=qscheme)
    w = observed(4, "mixed", (6, 7))
    w[1] = w[1].abs()  # one all-positive and one all-zero channel
    w[:, 2] = 0.0
    observer(w)
    scale, zero_point = calculate_qparams(observer.min_val, observer.max_val, observer.quant_min,
                                          observer.quant_max, symmetric)
    t_scale, t_zero_point = observer.calculate_qparams()
    assert_close(scale, t_scale, rtol=0, atol=0)
    assert_close(zero_point, t_zero_point, rtol=0, atol=0, check_dtype=False)
    # the qparams of a weight quantized per channel, end to end
    q = quantize_per_channel(w, scale, zero_point, ch_axis, observer.quant_min, observer.quant_max,
                             torch.int8 if dtype == torch.qint8 else torch.uint8)
    # error at most half a step (of each channel's scale; a hair more where float32 rounds x/s near k + 1/2)
    error = (dequantize_per_channel(q, scale, zero_point, ch_axis) - w).abs()
    step = scale.reshape((-1, 1) if ch_axis == 0 else (1, -1))
    assert (error <= step * 0.5001).all()


def test_calculate_qparams_restricted_signed_range_matches_torch() -> None:
    observer = MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric, quant_min=-127, quant_max=127)
    observer(observed(6, "mixed"))
    scale, zero_point = calculate_qparams(observer.min_val, observer.max_val, -127, 127, symmetric=True)
    t_scale, t_zero_point = observer.calculate_qparams()
    assert_close(scale.reshape(1), t_scale, rtol=0, atol=0)
    assert zero_point.item() == t_zero_point.item() == 0


def test_symmetric_zero_point_of_a_custom_unsigned_range_differs_on_purpose() -> None:
    """dlref: the middle (q_min + q_max + 1) // 2 of an unsigned range; torch: (q_min + q_max) // 2 for a custom one."""
    observer = MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_symmetric, quant_min=0, quant_max=15)
    observer(observed(7, "mixed"))
    scale, zero_point = calculate_qparams(observer.min_val, observer.max_val, 0, 15, symmetric=True)
    t_scale, t_zero_point = observer.calculate_qparams()
    assert_close(scale.reshape(1), t_scale, rtol=0, atol=0)  # the scales agree
    assert (t_zero_point.item(), zero_point.item()) == (7, 8)
    # 8 splits [0, 15] as int4 splits [-8, 7] around 0; uint8's default 0..255 gives 128 in both
    assert calculate_qparams(observer.min_val, observer.max_val, 0, 255, symmetric=True)[1].item() == 128


def test_calculate_qparams_eps_and_float64() -> None:
    scale, zero_point = calculate_qparams(torch.tensor(0.0, dtype=DT), torch.tensor(0.0, dtype=DT))
    assert scale.dtype == DT and scale.item() == torch.finfo(torch.float32).eps and zero_point.item() == -128
    scale, _ = calculate_qparams(torch.tensor([-1.0, 0.0]), torch.tensor([1.0, 0.0]), eps=0.5)
    assert scale.tolist() == [0.5, 0.5]


# --------------------------------------------------------------------------- errors


X = torch.zeros(2, 3, dtype=DT)
Q8 = torch.zeros(2, 3, dtype=torch.int8)
S3, Z3 = torch.tensor([0.1, 0.2, 0.3]), torch.tensor([0, 0, 0])


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize("fn", [quantize_per_tensor, fake_quantize_per_tensor_affine])
def test_per_tensor_argument_errors(fn) -> None:
    name = fn.__name__
    with raises(TypeError, f"{name}: input has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        fn(torch.zeros(3, dtype=torch.long), 0.1, 0, -128, 127)
    with raises(TypeError, f"{name}: input has the wrong type (got list); expected a torch.Tensor"):
        fn([0.0], 0.1, 0, -128, 127)
    with raises(ValueError, f"{name}: scale is out of range (got 0.0); expected a finite number > 0"):
        fn(X, 0.0, 0, -128, 127)
    with raises(ValueError, f"{name}: scale is out of range (got -0.5); expected a finite number > 0"):
        fn(X, torch.tensor([-0.5]), 0, -128, 127)
    with raises(ValueError, f"{name}: scale is out of range (got inf); expected a finite number > 0"):
        fn(X, float("inf"), 0, -128, 127)
    with raises(TypeError, f"{name}: scale has the wrong type (got str); expected a real number (int or float)"):
        fn(X, "0.1", 0, -128, 127)
    with raises(TypeError, f"{name}: scale has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        fn(X, torch.tensor([1]), 0, -128, 127)
    with raises(ValueError, f"{name}: scale has the wrong shape (got (2,)); expected a number or a one-element "
                "tensor"):
        fn(X, torch.tensor([0.1, 0.2]), 0, -128, 127)
    with raises(ValueError, f"{name}: zero_point is out of range (got 200); expected an int >= -128 and <= 127"):
        fn(X, 0.1, 200, -128, 127)
    with raises(ValueError, f"{name}: zero_point is out of range (got -1); expected an int >= 0 and <= 255"):
        fn(X, 0.1, torch.tensor([-1], dtype=torch.int32), 0, 255, *([torch.uint8] if fn is quantize_per_tensor else []))
    with raises(TypeError, f"{name}: zero_point has the wrong type (got float); expected an int"):
        fn(X, 0.1, 1.0, -128, 127)
    with raises(TypeError, f"{name}: zero_point has the wrong dtype (got torch.float32); expected an integer tensor"):
        fn(X, 0.1, torch.tensor([0.0]), -128, 127)
    with raises(ValueError, f"{name}: zero_point has the wrong shape (got (2,)); expected an int or a one-element "
                "integer tensor"):
        fn(X, 0.1, torch.tensor([0, 1]), -128, 127)
    with raises(ValueError, f"{name}: quant_max is not above quant_min (got 3); expected an int > quant_min = 3"):
        fn(X, 0.1, 3, 3, 3)
    with raises(TypeError, f"{name}: quant_min has the wrong type (got float); expected an int"):
        fn(X, 0.1, 0, -128.0, 127)


def test_quantize_dtype_errors() -> None:
    with raises(ValueError, "quantize_per_tensor: quant_max is out of range (got 255); expected an int in "
                "-128..127 for dtype torch.int8"):
        quantize_per_tensor(X, 0.1, 0, 0, 255)
    with raises(ValueError, "quantize_per_channel: quant_min is out of range (got -1); expected an int in 0..255 "
                "for dtype torch.uint8"):
        quantize_per_channel(X, S3, Z3, 1, -1, 255, torch.uint8)
    with raises(ValueError, "quantize_per_tensor: dtype is not a valid choice (got torch.float32); expected one of "
                "torch.uint8, torch.int8, torch.int16, torch.int32"):
        quantize_per_tensor(X, 0.1, 0, dtype=torch.float32)


def test_dequantize_errors() -> None:
    with raises(TypeError, "dequantize_per_tensor: input has the wrong dtype (got torch.float64); expected an "
                "integer tensor"):
        dequantize_per_tensor(X, 0.1, 0)
    with raises(TypeError, "dequantize_per_channel: input has the wrong dtype (got torch.bool); expected an integer "
                "tensor"):
        dequantize_per_channel(Q8 > 0, S3, Z3, 1)
    with raises(ValueError, "dequantize_per_tensor: out_dtype is not a valid choice (got torch.int32); expected one "
                "of torch.float16, torch.bfloat16, torch.float32, torch.float64"):
        dequantize_per_tensor(Q8, 0.1, 0, out_dtype=torch.int32)
    with raises(ValueError, "dequantize_per_channel: out_dtype is not a valid choice (got torch.int8); expected one "
                "of torch.float16, torch.bfloat16, torch.float32, torch.float64"):
        dequantize_per_channel(Q8, S3, Z3, 1, out_dtype=torch.int8)
    with raises(ValueError, "dequantize_per_tensor: scale is out of range (got -1.0); expected a finite number > 0"):
        dequantize_per_tensor(Q8, -1.0, 0)


@pytest.mark.parametrize("name", ["quantize_per_channel", "dequantize_per_channel", "fake_quantize_per_channel_affine"])
def test_per_channel_errors(name: str) -> None:
    fn = getattr(quant, name)
    x = Q8 if name.startswith("de") else X

    def call(x=x, scale=S3, zero_point=Z3, axis=1, quant_min=-128, quant_max=127):
        if name.startswith("de"):
            return fn(x, scale, zero_point, axis)
        return fn(x, scale, zero_point, axis, quant_min, quant_max)

    with raises(ValueError, f"{name}: input has no channel dimension (got shape ()); expected a tensor with at least "
                "1 dimension"):
        call(x=x[0, 0])
    with raises(ValueError, f"{name}: axis is out of range (got 2); expected an int >= 0 and <= 1"):
        call(axis=2)
    with raises(ValueError, f"{name}: axis is out of range (got -1); expected an int >= 0 and <= 1"):
        call(axis=-1)
    with raises(TypeError, f"{name}: axis has the wrong type (got NoneType); expected an int"):
        call(axis=None)
    with raises(ValueError, f"{name}: scale has the wrong shape (got (2,)); expected (3,), one entry per channel "
                "along axis 1"):
        call(scale=S3[:2])
    with raises(ValueError, f"{name}: zero_point has the wrong shape (got (3, 1)); expected (3,), one entry per "
                "channel along axis 1"):
        call(zero_point=Z3.unsqueeze(1))
    with raises(ValueError, f"{name}: scale has a value out of range (got -0.2 at index (1,)); expected finite "
                "scales > 0"):
        call(scale=torch.tensor([0.1, -0.2, 0.3]))
    with raises(ValueError, f"{name}: scale has a value out of range (got nan at index (2,)); expected finite "
                "scales > 0"):
        call(scale=torch.tensor([0.1, 0.2, float("nan")]))
    with raises(TypeError, f"{name}: scale has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        call(scale=Z3)
    with raises(TypeError, f"{name}: zero_point has the wrong dtype (got torch.float32); expected an integer tensor"):
        call(zero_point=S3)
    if not name.startswith("de"):
        with raises(ValueError, f"{name}: zero_point has a value out of range (got 128 at index (2,)); expected "
                    "values in -128..127"):
            call(zero_point=torch.tensor([0, 1, 128]))
        with raises(ValueError, f"{name}: quant_max is not above quant_min (got 0); expected an int > quant_min = 0"):
            call(quant_min=0, quant_max=0)
        with raises(TypeError, f"{name}: input has the wrong dtype (got torch.int8); expected a floating-point "
                    "tensor"):
            call(x=Q8)


def test_calculate_qparams_errors() -> None:
    lo, hi = torch.tensor([-1.0, 0.0]), torch.tensor([1.0, 2.0])
    with raises(TypeError, "calculate_qparams: min_val has the wrong type (got float); expected a torch.Tensor"):
        calculate_qparams(-1.0, hi)
    with raises(TypeError, "calculate_qparams: max_val has the wrong dtype (got torch.int64); expected a "
                "floating-point tensor"):
        calculate_qparams(lo, torch.tensor([1, 2]))
    with raises(ValueError, "calculate_qparams: max_val has a different shape from min_val (got (1,)); expected "
                "(2,), the shape of min_val"):
        calculate_qparams(lo, hi[:1])
    with raises(ValueError, "calculate_qparams: min_val has a value out of range (got -inf at index (0,)); "
                "expected finite values"):
        calculate_qparams(torch.tensor([-float("inf"), 0.0]), hi)
    with raises(ValueError, "calculate_qparams: max_val has a value out of range (got -2 at index (1,)); expected "
                "finite values >= min_val"):
        calculate_qparams(lo, torch.tensor([1.0, -2.0]))
    with raises(ValueError, "calculate_qparams: quant_max is not above quant_min (got 0); expected an int > "
                "quant_min = 0"):
        calculate_qparams(lo, hi, 0, 0)
    with raises(TypeError, "calculate_qparams: symmetric has the wrong type (got str); expected True or False"):
        calculate_qparams(lo, hi, symmetric="yes")
    with raises(ValueError, "calculate_qparams: eps is out of range (got 0.0); expected a finite number > 0"):
        calculate_qparams(lo, hi, eps=0.0)
