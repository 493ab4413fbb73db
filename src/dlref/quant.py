r"""Affine (uniform) integer quantization, per tensor and per channel, and its fake-quantized form.

Scope: a real number $x$ is stored as an integer $q$ in $[q_{\min}, q_{\max}]$ (int8:
$[-128, 127]$; uint8: $[0, 255]$) with a *scale* $s > 0$ and an integer *zero point* $z$:

$$
q = \operatorname{clamp}\big(\operatorname{round}(x / s) + z,\ q_{\min},\ q_{\max}\big), \qquad
\hat{x} = (q - z)\, s .
$$

`round` rounds half to even (`torch.round`, as torch's kernels do). The real 0 is
represented exactly ($q = z$), so zero padding and ReLU outputs stay exact.
[calculate_qparams][dlref.quant.calculate_qparams] chooses $s$ and $z$ from an observed
range $[x_{\min}, x_{\max}]$ as torch's `MinMaxObserver` does. `quantize_per_tensor` and
`dequantize_per_tensor` are the two halves of the map; the `_per_channel` forms take one
$(s, z)$ per slice along `axis` (for example per output channel of a weight).
*Fake quantization* $x \mapsto \hat{x}$ keeps floating point but rounds to the grid,
so a network can be trained for its quantized form (quantization-aware training): its
gradient is the straight-through estimator, 1 where $\operatorname{round}(x/s) + z$ lies
in $[q_{\min}, q_{\max}]$ and 0 where it is clamped (Bengio et al., 2013), as torch's.

Sources: Jacob et al. (2018) and Krishnamoorthi (2018) for the scheme; the PyTorch
functions `torch.fake_quantize_per_tensor_affine` and `torch.fake_quantize_per_channel_affine`
(argument names and semantics mirrored), `torch.ao.quantization.MinMaxObserver` and
`PerChannelMinMaxObserver` (`calculate_qparams`), and the functional ops
`torch.ops.quantized_decomposed.quantize_per_tensor` and friends (the `quantize_*` and
`dequantize_*` signatures; `torch.quantize_per_tensor`, which builds a quantized tensor,
is deprecated in torch 2.13).

Deliberate differences from torch (each one is tested):

- **Division.** dlref computes $x / s$; torch's kernels compute $x \cdot (1/s)$ with $s$
  and $1/s$ rounded to float32. The results are equal except where $x / s$ lies within a
  rounding error of a half-integer, where the two can round to neighbouring integers.
  For float64 input torch's fake-quantized values are rounded to float32; dlref's stay float64.
- **Symmetric zero point.** $z = 0$ for a signed range and the middle
  $\lfloor (q_{\min} + q_{\max} + 1) / 2 \rfloor$ of an unsigned one (128 for uint8, as
  torch). For an unsigned range given as `quant_min`/`quant_max`, torch picks
  $\lfloor (q_{\min} + q_{\max}) / 2 \rfloor$ instead (7 for $[0, 15]$, where dlref
  gives 8, the same split as int4's $[-8, 7]$ around 0).
- **Validation.** $q_{\min} < q_{\max}$ (torch allows equality), $s$ finite and $> 0$
  (torch computes with 0 or negative scales), zero points in $[q_{\min}, q_{\max}]$
  (as torch); per-channel scales of any floating dtype and zero points of any integer
  dtype (torch requires float32 and int32). Errors are `TypeError`/`ValueError` in the
  one message style. Scales and zero points get no gradient (torch refuses ones that
  require it; its learnable variants are separate functions).
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_bool, check_choice, check_int, check_real, check_tensor, check_values, fail, message

__all__ = [
    "calculate_qparams",
    "dequantize_per_channel",
    "dequantize_per_tensor",
    "fake_quantize_per_channel_affine",
    "fake_quantize_per_tensor_affine",
    "quantize_per_channel",
    "quantize_per_tensor",
]

_INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32)
_FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def _round_ste(u: Tensor) -> Tensor:
    """round(u) (half to even) in the forward pass; gradient 1 (straight through) in the backward pass."""
    return u + (torch.round(u) - u).detach()


def _quantize(x: Tensor, s: float | Tensor, z: int | Tensor, quant_min: int, quant_max: int) -> Tensor:
    """q = clamp(round(x / s) + z, q_min, q_max), still floating point (round passes the gradient straight through)."""
    # q = clamp(round(x / s) + z, q_min, q_max); clamp's gradient is 1 inside [q_min, q_max], 0 outside
    return torch.clamp(_round_ste(x / s) + z, quant_min, quant_max)


def _dequantize(q: Tensor, s: float | Tensor, z: int | Tensor) -> Tensor:
    """x̂ = (q - z)·s."""
    # x̂ = (q - z)·s
    return (q - z) * s


# --------------------------------------------------------------------------- checks


def _check_range(fn: str, quant_min: object, quant_max: object, dtype: object = None) -> tuple[int, int]:
    """Integers quant_min < quant_max, both representable in `dtype` when one is given."""
    lo = check_int(fn, "quant_min", quant_min)
    hi = check_int(fn, "quant_max", quant_max)
    if dtype is not None:
        dt = check_choice(fn, "dtype", dtype, _INT_DTYPES)
        info = torch.iinfo(dt)
        for name, value in (("quant_min", lo), ("quant_max", hi)):
            if not info.min <= value <= info.max:
                fail(fn, name, "is out of range", value, f"expected an int in {info.min}..{info.max} for dtype {dt}")
    if lo >= hi:
        fail(fn, "quant_max", "is not above quant_min", hi, f"expected an int > quant_min = {lo}")
    return lo, hi


def _check_scalar_qparams(
    fn: str, scale: object, zero_point: object, quant_min: int, quant_max: int
) -> tuple[float, int]:
    """Per-tensor scale and zero point as Python numbers, from numbers or one-element tensors."""
    if isinstance(scale, Tensor):
        if scale.numel() != 1:
            fail(fn, "scale", "has the wrong shape", tuple(scale.shape), "expected a number or a one-element tensor")
        scale = check_tensor(fn, "scale", scale).item()
    if isinstance(zero_point, Tensor):
        if zero_point.numel() != 1:
            fail(fn, "zero_point", "has the wrong shape", tuple(zero_point.shape),
                 "expected an int or a one-element integer tensor")
        _check_int_tensor(fn, "zero_point", zero_point)
        zero_point = zero_point.item()
    s = check_real(fn, "scale", scale, low=0, low_open=True)
    z = check_int(fn, "zero_point", zero_point, low=quant_min, high=quant_max)
    return s, z


def _check_int_tensor(fn: str, name: str, value: object) -> Tensor:
    """A tensor of an integer dtype (not bool), else TypeError."""
    t = check_tensor(fn, name, value, floating=False)
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise TypeError(message(fn, name, "has the wrong dtype", t.dtype, "expected an integer tensor"))
    return t


def _check_channel_qparams(
    fn: str, input: Tensor, scale: object, zero_point: object, axis: object, quant_min: int, quant_max: int
) -> tuple[Tensor, Tensor]:
    """Per-channel scale and zero point, reshaped to broadcast along `axis` of `input`."""
    if input.dim() == 0:
        fail(fn, "input", "has no channel dimension", "shape ()", "expected a tensor with at least 1 dimension")
    axis = check_int(fn, "axis", axis, low=0, high=input.dim() - 1)
    c = input.shape[axis]
    s = check_tensor(fn, "scale", scale)
    z = _check_int_tensor(fn, "zero_point", zero_point)
    for name, t in (("scale", s), ("zero_point", z)):
        if t.shape != (c,):
            fail(fn, name, "has the wrong shape", tuple(t.shape),
                 f"expected ({c},), one entry per channel along axis {axis}")
    check_values(fn, "scale", s, torch.isfinite(s) & (s > 0), "expected finite scales > 0")
    in_range = (z >= quant_min) & (z <= quant_max)
    check_values(fn, "zero_point", z, in_range, f"expected values in {quant_min}..{quant_max}")
    # (C,) -> (1, ..., C, ..., 1), C at position `axis`
    shape = [1] * input.dim()
    shape[axis] = c
    return s.detach().reshape(shape), z.reshape(shape)


# --------------------------------------------------------------------------- scale and zero point


def calculate_qparams(
    min_val: Tensor,
    max_val: Tensor,
    quant_min: int = -128,
    quant_max: int = 127,
    symmetric: bool = False,
    eps: float = torch.finfo(torch.float32).eps,
) -> tuple[Tensor, Tensor]:
    r"""Scale and zero point that map an observed range $[x_{\min}, x_{\max}]$ onto $[q_{\min}, q_{\max}]$.

    The range is first widened to include 0, $x_- = \min(x_{\min}, 0)$ and
    $x_+ = \max(x_{\max}, 0)$, so that the real 0 has an exact integer code. Then

    $$
    \text{affine:}\quad s = \frac{x_+ - x_-}{q_{\max} - q_{\min}}, \quad
    z = \operatorname{clamp}\big(q_{\min} - \operatorname{round}(x_- / s),\ q_{\min},\ q_{\max}\big);
    $$

    $$
    \text{symmetric:}\quad s = \frac{\max(-x_-, x_+)}{(q_{\max} - q_{\min}) / 2}, \quad
    z = \begin{cases} 0 & q_{\min} < 0 \\ \lfloor (q_{\min} + q_{\max} + 1) / 2 \rfloor & q_{\min} \ge 0 \end{cases}
    $$

    with $s$ floored at `eps` in both (a constant input then still has a usable scale).
    Symmetric quantization wastes a little range on one side but keeps $z$ fixed
    (0 for int8), which makes integer matrix products cheaper; it is the usual choice
    for weights, affine for activations. Elementwise, so one call serves a tensor
    (0-d bounds) or every channel at once (bounds of shape $(C,)$).

    Args:
        min_val: Observed minimum $x_{\min}$ (for example `x.amin()`, or `x.amin(dim=1)` per channel).
        max_val: Observed maximum $x_{\max} \ge x_{\min}$, same shape as `min_val`.
        quant_min: Smallest integer code $q_{\min}$. Defaults to -128 (int8).
        quant_max: Largest integer code $q_{\max} > q_{\min}$. Defaults to 127 (int8).
        symmetric: Symmetric instead of affine quantization. Defaults to False.
        eps: Smallest scale. Defaults to `torch.finfo(torch.float32).eps`, as torch's observers.

    Shape:
        - Min_val, max_val: $(*)$, where $*$ is $()$ per tensor or $(C)$ per channel.
        - Output: `scale` and `zero_point`, both of the shape of `min_val`.

    Returns:
        `(scale, zero_point)`: the scale in the dtype of `min_val`, the zero point as int64.

    Raises:
        TypeError: If `min_val` or `max_val` is not a floating-point tensor, a bound not an int,
            `symmetric` not a bool or `eps` not a real number.
        ValueError: If the shapes differ, a bound is not finite, $x_{\min} > x_{\max}$,
            $q_{\min} \ge q_{\max}$ or `eps` is not positive.

    Torch counterpart: `torch.ao.quantization.MinMaxObserver(...).calculate_qparams()` and
    `PerChannelMinMaxObserver` (per_tensor/per_channel, affine/symmetric); the zero point of a
    symmetric unsigned range can differ (see the module notes).

    References:
        - Jacob et al., [Quantization and Training of Neural Networks for Efficient
          Integer-Arithmetic-Only Inference](https://arxiv.org/abs/1712.05877), CVPR 2018.
        - Krishnamoorthi, [Quantizing deep convolutional networks for efficient inference:
          A whitepaper](https://arxiv.org/abs/1806.08342), 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import calculate_qparams
        >>> calculate_qparams(torch.tensor(-1.0), torch.tensor(3.0))  # int8, affine
        (tensor(0.0157), tensor(-64))
        >>> calculate_qparams(torch.tensor(-1.0), torch.tensor(3.0), 0, 255, symmetric=True)  # uint8
        (tensor(0.0235), tensor(128))
    """
    fn = "calculate_qparams"
    lo = check_tensor(fn, "min_val", min_val)
    hi = check_tensor(fn, "max_val", max_val)
    if lo.shape != hi.shape:
        fail(fn, "max_val", "has a different shape from min_val", tuple(hi.shape),
             f"expected {tuple(lo.shape)}, the shape of min_val")
    check_values(fn, "min_val", lo, torch.isfinite(lo), "expected finite values")
    check_values(fn, "max_val", hi, torch.isfinite(hi) & (hi >= lo), "expected finite values >= min_val")
    quant_min, quant_max = _check_range(fn, quant_min, quant_max)
    symmetric = check_bool(fn, "symmetric", symmetric)
    eps = check_real(fn, "eps", eps, low=0, low_open=True)
    # widen the range to include 0: x_- = min(x_min, 0), x_+ = max(x_max, 0)
    x_neg = torch.clamp(lo, max=0.0)
    x_pos = torch.clamp(hi, min=0.0)
    if symmetric:
        # s = max(-x_-, x_+) / ((q_max - q_min) / 2), at least eps
        scale = torch.clamp(torch.maximum(-x_neg, x_pos) / ((quant_max - quant_min) / 2), min=eps)
        # z = 0 for a signed range, the middle of an unsigned one
        middle = 0 if quant_min < 0 else (quant_min + quant_max + 1) // 2
        zero_point = torch.full(lo.shape, middle, dtype=torch.long, device=lo.device)
    else:
        # s = (x_+ - x_-) / (q_max - q_min), at least eps
        scale = torch.clamp((x_pos - x_neg) / (quant_max - quant_min), min=eps)
        # z = clamp(q_min - round(x_- / s), q_min, q_max): x_- maps to q_min
        zero_point = torch.clamp(quant_min - torch.round(x_neg / scale).long(), quant_min, quant_max)
    return scale, zero_point


# --------------------------------------------------------------------------- per tensor


def quantize_per_tensor(
    input: Tensor,
    scale: float | Tensor,
    zero_point: int | Tensor,
    quant_min: int = -128,
    quant_max: int = 127,
    dtype: torch.dtype = torch.int8,
) -> Tensor:
    r"""Affine quantization of a whole tensor with one scale and zero point: floats to integer codes.

    $$
    q = \operatorname{clamp}\big(\operatorname{round}(x / s) + z,\ q_{\min},\ q_{\max}\big)
    $$

    with `round` half to even. Values beyond $[(q_{\min} - z)s, (q_{\max} - z)s]$ are
    clipped to the end codes; inside, the rounding error is at most $s/2$.

    Args:
        input: Floating-point tensor $x$.
        scale: Scale $s > 0$ (a number or a one-element tensor).
        zero_point: Zero point $z$ in $[q_{\min}, q_{\max}]$ (an int or a one-element integer tensor).
        quant_min: Smallest code $q_{\min}$. Defaults to -128.
        quant_max: Largest code $q_{\max} > q_{\min}$. Defaults to 127.
        dtype: Integer dtype of the codes (`torch.uint8`, `torch.int8`, `torch.int16` or
            `torch.int32`), wide enough for $[q_{\min}, q_{\max}]$. Defaults to `torch.int8`.

    Shape:
        - Input: $(*)$, any shape.
        - Output: $(*)$, same shape as the input.

    Returns:
        The integer codes $q$, of dtype `dtype`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or an argument has the wrong type.
        ValueError: If `scale` is not finite and positive, `zero_point` is outside the range,
            $q_{\min} \ge q_{\max}$, or the range does not fit `dtype`.

    Torch counterpart: `torch.ops.quantized_decomposed.quantize_per_tensor` (same arguments, here with
    defaults); `torch.quantize_per_tensor(...).int_repr()` (deprecated in torch 2.13).

    References:
        - Jacob et al., [Quantization and Training of Neural Networks for Efficient
          Integer-Arithmetic-Only Inference](https://arxiv.org/abs/1712.05877), CVPR 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import quantize_per_tensor
        >>> quantize_per_tensor(torch.tensor([-1.0, 0.25, 0.75, 2.0, 100.0]), 0.5, 1)  # 0.5 and 1.5 round to even
        tensor([ -1,   1,   3,   5, 127], dtype=torch.int8)
    """
    fn = "quantize_per_tensor"
    x = check_tensor(fn, "input", input)
    quant_min, quant_max = _check_range(fn, quant_min, quant_max, dtype)
    s, z = _check_scalar_qparams(fn, scale, zero_point, quant_min, quant_max)
    # q = clamp(round(x / s) + z, q_min, q_max), stored as integers
    return _quantize(x.detach(), s, z, quant_min, quant_max).to(dtype)


def dequantize_per_tensor(
    input: Tensor, scale: float | Tensor, zero_point: int | Tensor, out_dtype: torch.dtype = torch.float32
) -> Tensor:
    r"""Integer codes back to real numbers with one scale and zero point.

    $$
    \hat{x} = (q - z)\, s
    $$

    Args:
        input: Integer codes $q$ (any integer dtype).
        scale: Scale $s > 0$ (a number or a one-element tensor).
        zero_point: Zero point $z$ (an int or a one-element integer tensor).
        out_dtype: Floating dtype of the result. Defaults to `torch.float32`.

    Shape:
        - Input: $(*)$, any shape.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\hat{x}$, of dtype `out_dtype`.

    Raises:
        TypeError: If `input` is not an integer tensor or an argument has the wrong type.
        ValueError: If `scale` is not finite and positive, or `out_dtype` is not a floating dtype.

    Torch counterpart: `torch.ops.quantized_decomposed.dequantize_per_tensor` (without its
    `quant_min`, `quant_max` and `dtype`, which it does not use); `Tensor.dequantize` of a
    quantized tensor.

    References:
        - Jacob et al., [Quantization and Training of Neural Networks for Efficient
          Integer-Arithmetic-Only Inference](https://arxiv.org/abs/1712.05877), CVPR 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import dequantize_per_tensor
        >>> q = torch.tensor([-1, 1, 3, 5, 127], dtype=torch.int8)  # the codes of [-1, 0.25, 0.75, 2, 100]
        >>> dequantize_per_tensor(q, 0.5, 1)  # 0.25 and 0.75 rounded to the grid, 100 clipped
        tensor([-1.,  0.,  1.,  2., 63.])
    """
    fn = "dequantize_per_tensor"
    q = _check_int_tensor(fn, "input", input)
    out_dtype = check_choice(fn, "out_dtype", out_dtype, _FLOAT_DTYPES)
    info = torch.iinfo(torch.int64)
    s, z = _check_scalar_qparams(fn, scale, zero_point, info.min, info.max)
    # x̂ = (q - z)·s, in floating point (q - z would overflow in int8)
    return _dequantize(q.to(out_dtype), s, z)


def fake_quantize_per_tensor_affine(
    input: Tensor, scale: float | Tensor, zero_point: int | Tensor, quant_min: int, quant_max: int
) -> Tensor:
    r"""Quantize and dequantize in one step, in floating point, with the straight-through gradient.

    $$
    \hat{x} = \Big(\operatorname{clamp}\big(\operatorname{round}(x / s) + z,\ q_{\min},\ q_{\max}\big) - z\Big)\, s,
    \qquad
    \frac{\partial \hat{x}}{\partial x} = \big[\, q_{\min} \le \operatorname{round}(x / s) + z \le q_{\max} \,\big]
    $$

    The forward value is what an int8 model computes; the gradient treats `round` as
    the identity (it is 0 almost everywhere) and is 0 where the clamp is active, so
    training sees the quantization error but can still learn (quantization-aware
    training). Written as `x + (round(x) - x).detach()` inside the clamp.

    Args:
        input: Floating-point tensor $x$.
        scale: Scale $s > 0$ (a number or a one-element tensor; it gets no gradient).
        zero_point: Zero point $z$ in $[q_{\min}, q_{\max}]$ (an int or a one-element integer tensor).
        quant_min: Smallest code $q_{\min}$ (for example -128, or 0 for uint8).
        quant_max: Largest code $q_{\max} > q_{\min}$ (for example 127, or 255 for uint8).

    Shape:
        - Input: $(*)$, any shape.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\hat{x}$, in the dtype of `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or an argument has the wrong type.
        ValueError: If `scale` is not finite and positive, `zero_point` is outside the range,
            or $q_{\min} \ge q_{\max}$.

    Torch counterpart: `torch.fake_quantize_per_tensor_affine` (same arguments, values and gradient).

    References:
        - Jacob et al., [Quantization and Training of Neural Networks for Efficient
          Integer-Arithmetic-Only Inference](https://arxiv.org/abs/1712.05877), CVPR 2018.
        - Bengio, Léonard, Courville, [Estimating or Propagating Gradients Through Stochastic
          Neurons for Conditional Computation](https://arxiv.org/abs/1308.3432), 2013 (straight-through estimator).

    Examples:
        >>> import torch
        >>> from dlref.quant import fake_quantize_per_tensor_affine
        >>> x = torch.tensor([-3.0, -0.3, 0.25, 0.8, 2.0], requires_grad=True)
        >>> y = fake_quantize_per_tensor_affine(x, 0.5, 0, -4, 3)
        >>> y
        tensor([-2.0000, -0.5000,  0.0000,  1.0000,  1.5000], grad_fn=<MulBackward0>)
        >>> y.sum().backward(); x.grad  # 0 where clamped
        tensor([0., 1., 1., 1., 0.])
    """
    fn = "fake_quantize_per_tensor_affine"
    x = check_tensor(fn, "input", input)
    quant_min, quant_max = _check_range(fn, quant_min, quant_max)
    s, z = _check_scalar_qparams(fn, scale, zero_point, quant_min, quant_max)
    # x̂ = (clamp(round(x / s) + z, q_min, q_max) - z)·s, round with the straight-through gradient
    return _dequantize(_quantize(x, s, z, quant_min, quant_max), s, z)


# --------------------------------------------------------------------------- per channel


def quantize_per_channel(
    input: Tensor,
    scales: Tensor,
    zero_points: Tensor,
    axis: int,
    quant_min: int = -128,
    quant_max: int = 127,
    dtype: torch.dtype = torch.int8,
) -> Tensor:
    r"""Affine quantization with one scale and zero point per slice along `axis`.

    $$
    q_{\dots c \dots} = \operatorname{clamp}\big(\operatorname{round}(x_{\dots c \dots} / s_c) + z_c,\
      q_{\min},\ q_{\max}\big)
    $$

    where $c$ indexes dimension `axis`. Per-channel scales follow each output channel's
    own range, so a channel of small weights is not crushed by a large one.

    Args:
        input: Floating-point tensor $x$ with at least one dimension.
        scales: Scales $s_c > 0$, one per entry along `axis` (floating dtype).
        zero_points: Zero points $z_c$ in $[q_{\min}, q_{\max}]$ (integer dtype), one per entry along `axis`.
        axis: The channel dimension, in $0..\text{input.dim()} - 1$.
        quant_min: Smallest code $q_{\min}$. Defaults to -128.
        quant_max: Largest code $q_{\max} > q_{\min}$. Defaults to 127.
        dtype: Integer dtype of the codes, wide enough for $[q_{\min}, q_{\max}]$. Defaults to `torch.int8`.

    Shape:
        - Input: $(*)$ with $C$ entries along `axis`.
        - Scales, zero_points: $(C)$.
        - Output: same shape as the input.

    Returns:
        The integer codes $q$, of dtype `dtype`.

    Raises:
        TypeError: If `input` or `scales` is not a floating-point tensor, `zero_points` not an
            integer tensor, or another argument has the wrong type.
        ValueError: If a shape does not match, `axis` is out of range, a scale is not finite and
            positive, a zero point is outside the range, $q_{\min} \ge q_{\max}$, or the range
            does not fit `dtype`.

    Torch counterpart: `torch.ops.quantized_decomposed.quantize_per_channel`;
    `torch.quantize_per_channel(...).int_repr()` (deprecated in torch 2.13).

    References:
        - Krishnamoorthi, [Quantizing deep convolutional networks for efficient inference:
          A whitepaper](https://arxiv.org/abs/1806.08342), 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import quantize_per_channel
        >>> w = torch.tensor([[0.1, -0.2, 0.3], [10.0, -20.0, 30.0]])
        >>> quantize_per_channel(w, torch.tensor([0.01, 1.0]), torch.tensor([0, 0]), axis=0)
        tensor([[ 10, -20,  30],
                [ 10, -20,  30]], dtype=torch.int8)
    """
    fn = "quantize_per_channel"
    x = check_tensor(fn, "input", input)
    quant_min, quant_max = _check_range(fn, quant_min, quant_max, dtype)
    s, z = _check_channel_qparams(fn, x, scales, zero_points, axis, quant_min, quant_max)
    # q = clamp(round(x / s_c) + z_c, q_min, q_max), s_c and z_c broadcast along `axis`
    return _quantize(x.detach(), s.to(x.dtype), z, quant_min, quant_max).to(dtype)


def dequantize_per_channel(
    input: Tensor, scales: Tensor, zero_points: Tensor, axis: int, out_dtype: torch.dtype = torch.float32
) -> Tensor:
    r"""Integer codes back to real numbers with one scale and zero point per slice along `axis`.

    $$
    \hat{x}_{\dots c \dots} = (q_{\dots c \dots} - z_c)\, s_c
    $$

    Args:
        input: Integer codes $q$ (any integer dtype) with at least one dimension.
        scales: Scales $s_c > 0$, one per entry along `axis` (floating dtype).
        zero_points: Zero points $z_c$ (integer dtype), one per entry along `axis`.
        axis: The channel dimension, in $0..\text{input.dim()} - 1$.
        out_dtype: Floating dtype of the result. Defaults to `torch.float32`.

    Shape:
        - Input: $(*)$ with $C$ entries along `axis`.
        - Scales, zero_points: $(C)$.
        - Output: same shape as the input.

    Returns:
        $\hat{x}$, of dtype `out_dtype`.

    Raises:
        TypeError: If `input` or `zero_points` is not an integer tensor, `scales` not a
            floating-point tensor, or `axis` not an int.
        ValueError: If a shape does not match, `axis` is out of range, a scale is not finite
            and positive, or `out_dtype` is not a floating dtype.

    Torch counterpart: `torch.ops.quantized_decomposed.dequantize_per_channel` (without its unused
    `quant_min`, `quant_max` and `dtype`); `Tensor.dequantize` of a per-channel quantized tensor.

    References:
        - Krishnamoorthi, [Quantizing deep convolutional networks for efficient inference:
          A whitepaper](https://arxiv.org/abs/1806.08342), 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import dequantize_per_channel
        >>> q = torch.tensor([[10, -20, 30], [10, -20, 30]], dtype=torch.int8)
        >>> dequantize_per_channel(q, torch.tensor([0.01, 1.0]), torch.tensor([0, 0]), axis=0)
        tensor([[  0.1000,  -0.2000,   0.3000],
                [ 10.0000, -20.0000,  30.0000]])
    """
    fn = "dequantize_per_channel"
    q = _check_int_tensor(fn, "input", input)
    out_dtype = check_choice(fn, "out_dtype", out_dtype, _FLOAT_DTYPES)
    info = torch.iinfo(torch.int64)
    s, z = _check_channel_qparams(fn, q, scales, zero_points, axis, info.min, info.max)
    # x̂ = (q - z_c)·s_c, in floating point, s_c and z_c broadcast along `axis`
    return _dequantize(q.to(out_dtype), s.to(out_dtype), z)


def fake_quantize_per_channel_affine(
    input: Tensor, scale: Tensor, zero_point: Tensor, axis: int, quant_min: int, quant_max: int
) -> Tensor:
    r"""Per-channel quantize and dequantize in one step, in floating point, with the straight-through gradient.

    $$
    \hat{x}_{\dots c \dots} = \Big(\operatorname{clamp}\big(\operatorname{round}(x_{\dots c \dots} / s_c) + z_c,\
      q_{\min},\ q_{\max}\big) - z_c\Big)\, s_c
    $$

    with gradient 1 where $\operatorname{round}(x / s_c) + z_c$ lies in $[q_{\min}, q_{\max}]$
    and 0 where it is clamped, as in
    [fake_quantize_per_tensor_affine][dlref.quant.fake_quantize_per_tensor_affine].
    The usual choice for the weights in quantization-aware training (axis 0, the output channels).

    Args:
        input: Floating-point tensor $x$ with at least one dimension.
        scale: Scales $s_c > 0$, one per entry along `axis` (floating dtype; no gradient).
        zero_point: Zero points $z_c$ in $[q_{\min}, q_{\max}]$ (integer dtype), one per entry along `axis`.
        axis: The channel dimension, in $0..\text{input.dim()} - 1$.
        quant_min: Smallest code $q_{\min}$.
        quant_max: Largest code $q_{\max} > q_{\min}$.

    Shape:
        - Input: $(*)$ with $C$ entries along `axis`.
        - Scale, zero_point: $(C)$.
        - Output: same shape as the input.

    Returns:
        $\hat{x}$, in the dtype of `input`.

    Raises:
        TypeError: If `input` or `scale` is not a floating-point tensor, `zero_point` not an
            integer tensor, or a bound or `axis` not an int.
        ValueError: If a shape does not match, `axis` is out of range, a scale is not finite and
            positive, a zero point is outside the range, or $q_{\min} \ge q_{\max}$.

    Torch counterpart: `torch.fake_quantize_per_channel_affine` (same arguments, values and
    gradient; torch requires float32 scales and int32 zero points).

    References:
        - Krishnamoorthi, [Quantizing deep convolutional networks for efficient inference:
          A whitepaper](https://arxiv.org/abs/1806.08342), 2018.

    Examples:
        >>> import torch
        >>> from dlref.quant import fake_quantize_per_channel_affine
        >>> w = torch.tensor([[0.123, -0.5], [12.3, -50.0]])
        >>> fake_quantize_per_channel_affine(w, torch.tensor([0.01, 0.25]), torch.tensor([0, 0]), 0, -128, 127)
        tensor([[  0.1200,  -0.5000],
                [ 12.2500, -32.0000]])
    """
    fn = "fake_quantize_per_channel_affine"
    x = check_tensor(fn, "input", input)
    quant_min, quant_max = _check_range(fn, quant_min, quant_max)
    s, z = _check_channel_qparams(fn, x, scale, zero_point, axis, quant_min, quant_max)
    s = s.to(x.dtype)
    # x̂ = (clamp(round(x / s_c) + z_c, q_min, q_max) - z_c)·s_c, round with the straight-through gradient
    return _dequantize(_quantize(x, s, z, quant_min, quant_max), s, z)
