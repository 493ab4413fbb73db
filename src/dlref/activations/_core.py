r"""Shared machinery of `dlref.activations`: argument checks, the autograd bridge, and the elementwise rules.

Each elementwise activation is a `_Rule`: a forward formula and its analytic slope.
`_Elementwise` turns a rule into a `torch.autograd.Function` whose backward is
`grad_output * slope`, so `torch.autograd.gradcheck` tests the analytic derivative."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import torch
from torch import Tensor

# SELU constants, exactly as torch.nn.SELU documents them (Klambauer et al., 2017).
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
# GELU's tanh approximation: k = sqrt(2 / pi), cubic coefficient c (Hendrycks & Gimpel, 2016).
_GELU_K = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715

# --------------------------------------------------------------------------- validation


def _check_input(fn: str, input: object) -> None:
    """Raise TypeError unless `input` is a floating-point tensor."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}: input must be a torch.Tensor, got {type(input).__name__}")
    if not input.is_floating_point():
        raise TypeError(f"{fn}: input must have a floating-point dtype, got {input.dtype}")


def _check_param(fn: str, name: str, value: object, allowed: str, ok: Callable[[float], bool]) -> float:
    """Return `value` as a float, or raise naming the function, argument, value and what is allowed."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__}")
    if not ok(float(value)):
        raise ValueError(f"{fn}: {name}={value!r} is invalid; allowed: {allowed}")
    return float(value)


def _check_dim(fn: str, input: Tensor, dim: object) -> int:
    """Return `dim` if it indexes a dimension of `input` (negative counts from the end)."""
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{fn}: dim must be an int, got {type(dim).__name__}")
    n = max(input.dim(), 1)  # a 0-dim tensor behaves as one element along dim 0 / -1
    if not -n <= dim < n:
        raise ValueError(f"{fn}: dim={dim} is out of range for input with {input.dim()} dims; allowed {-n}..{n - 1}")
    return dim


# --------------------------------------------------------------------------- autograd bridge


class _Rule(NamedTuple):
    """An elementwise activation as two tensor formulas.

    value(x, *params) -> (y, cache) is the forward; `cache` holds intermediates the
    slope reuses (never y itself). slope(x, y, cache, *params) -> f'(x).

    Both update their own fresh temporaries in place (never x, y, the cache or a
    param): fewer passes over memory and fewer 4 MB allocations per 1M elements.
    """

    value: Callable[..., tuple[Tensor, tuple[Tensor, ...]]]
    slope: Callable[..., Tensor]


def _differentiable() -> torch.autograd.graph.saved_tensors_hooks:
    """A context in which autograd saves copies, so in-place updates cannot invalidate them.

    The rules update temporaries in place; when autograd records them (create_graph=True,
    or a derivative of a tensor that requires grad) it must not keep a reference to a
    tensor that is overwritten later. Only such recorded graphs pay for the copies.
    """
    return torch.autograd.graph.saved_tensors_hooks(torch.clone, _unpack)


def _unpack(t: Tensor) -> Tensor:
    return t


class _Elementwise(torch.autograd.Function):
    """y = rule.value(x); dL/dx = dL/dy * rule.slope(x, y)."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, rule: _Rule, *params: Any) -> Tensor:
        output, cache = rule.value(input, *params)
        ctx.rule, ctx.params, ctx.cache = rule, params, cache
        ctx.save_for_backward(input, output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        input, output = ctx.saved_tensors
        if torch.is_grad_enabled():
            # create_graph=True: recompute with autograd on, so f'' flows through the slope
            grad_input = grad_output * _derivative(ctx.rule, input, *ctx.params)
        else:
            slope = ctx.rule.slope(input, output, ctx.cache, *ctx.params)
            # a fresh slope becomes the result; a cached one must survive a retain_graph=True rerun
            grad_input = grad_output * slope if any(slope is t for t in ctx.cache) else slope.mul_(grad_output)
        return (grad_input, None, *(None for _ in ctx.params))


def _in_float32(fn: Callable[..., Tensor], input: Tensor, *args: Any) -> Tensor:
    """fn(input, *args), in float32 for float16/bfloat16 input, rounded back once at the end.

    torch's CPU kernels do the same; in float16, e^x alone overflows from x = 11.1.
    """
    if input.dtype not in (torch.float16, torch.bfloat16):
        return fn(input, *args)
    return fn(input.float(), *args).to(input.dtype)


def _apply(rule: _Rule, input: Tensor, *params: Any) -> Tensor:
    return _in_float32(lambda x: _Elementwise.apply(x, rule, *params), input)


def _derivative(rule: _Rule, input: Tensor, *params: Any) -> Tensor:
    def slope(x: Tensor) -> Tensor:
        with _differentiable():
            output, cache = rule.value(x, *params)
            return rule.slope(x, output, cache, *params)

    return _in_float32(slope, input)


_LOG2_E = math.log2(math.e)


def _exp(z: Tensor, scale: float = 1.0) -> Tensor:
    """e^{scale·z} as a fresh tensor, computed as 2^{scale·log2(e)·z}.

    The same function, but `torch.exp2` runs 3-4x faster than `torch.exp` on CPU
    float32, and exp dominates sigmoid, swish and softmax. Rounding the exponent adds
    a relative error below |scale·z|·2^-24 in float32 (2^-53 in float64).
    """
    return torch.mul(z, scale * _LOG2_E).exp2_()


def _exp_(t: Tensor, scale: float = 1.0) -> Tensor:
    """e^{scale·t} in place on a fresh temporary `t`, computed as in `_exp`."""
    return t.mul_(scale * _LOG2_E).exp2_()


def _positive(x: Tensor) -> Tensor:
    """1.0 where x > 0, else 0.0: sign(x) is -1, 0 or 1, and the clamp drops the -1.

    Boolean masks and `torch.where` cost several times more than sign/clamp on CPU.
    """
    return torch.sign(x).clamp_min_(0)


def _sigmoid(z: Tensor, scale: float = 1.0) -> Tensor:
    # σ(s·z) = 1 / (1 + e^{-s·z}); e^{-s·z} overflows to inf for very negative s·z, giving exactly 0
    return _exp(z, -scale).add_(1).reciprocal_()


# --------------------------------------------------------------------------- rules


def _sigmoid_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    return _sigmoid(x), ()


def _sigmoid_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    # σ'(x) = σ(x)(1 - σ(x)) = y - y·y
    return torch.addcmul(y, y, y, value=-1)


def _tanh_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    # tanh|x| = (1 - e^{-2|x|}) / (1 + e^{-2|x|}) = -u / (u + 2), u = e^{-2|x|} - 1 (expm1: exact near 0)
    u = torch.abs(x).mul_(-2).expm1_()
    # tanh is odd: |u / (u + 2)| = tanh|x|, then take the sign of x
    return u.div_(u + 2).copysign_(x), ()


def _tanh_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    # tanh'(x) = 1 - tanh²(x), in one pass: addcmul(1, y, y, value=-1)
    return torch.addcmul(y.new_ones(()), y, y, value=-1)


def _relu_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    return torch.clamp_min(x, 0), ()


def _relu_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    # y = max(0, x) >= 0, so sign(y) is 1 where x > 0 and 0 elsewhere (0 at x = 0)
    return torch.sign(y)


def _relu6_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    return torch.clamp(x, 0, 6), ()


def _relu6_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    # (6 - y)·y > 0 exactly on 0 < x < 6 and is 0 elsewhere: its sign is the derivative
    return torch.rsub(y, 6).mul_(y).sign_()


def _unit_slope(a: float | Tensor) -> bool:
    return isinstance(a, float) and 0 <= a <= 1


def _leaky_value(x: Tensor, a: float | Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    if _unit_slope(a):
        # f(x) = max(x, a·x) when 0 <= a <= 1
        return torch.mul(x, a).clamp_min_(x), ()
    # f'(x) = 1 where x > 0, else a (a also at x = 0, as torch); exact because h is 0 or 1
    h = _positive(x)
    slope = torch.rsub(h, 1).mul_(a).add_(h)
    # f(x) = x·f'(x), for a tensor a (one slope per channel or element) or a outside [0, 1]
    return x * slope, (slope,)


def _leaky_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], a: float | Tensor) -> Tensor:
    if _unit_slope(a):
        # sign(x) is 1 for x > 0, else 0 or -1 <= a: max(sign(x), a) is f'(x), with f'(0) = a as in torch
        return torch.sign(x).clamp_min_(a)
    return cache[0]


def _elu_value(x: Tensor, alpha: float, scale: float) -> tuple[Tensor, tuple[Tensor, ...]]:
    # f(x) = scale·x (x > 0),  scale·α(e^x - 1) (x <= 0); clamping keeps e^x from overflowing
    y = torch.clamp_min(x, 0).add_(torch.clamp_max(x, 0).expm1_(), alpha=alpha)
    return (y if scale == 1.0 else y.mul_(scale)), ()


def _elu_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], alpha: float, scale: float) -> Tensor:
    # f'(x) = scale (x > 0),  scale·α·e^x = f(x) + scale·α (x <= 0).
    # min(y, 0) + scale·α covers x <= 0 and equals scale·α for x > 0 ...
    slope = torch.clamp_max(y, 0).add_(scale * alpha)
    # ... which the last term lifts to scale (for α = 1 it already is)
    return slope if alpha == 1.0 else slope.add_(_positive(y), alpha=scale * (1 - alpha))


def _gelu_value(x: Tensor, approximate: str) -> tuple[Tensor, tuple[Tensor, ...]]:
    if approximate == "tanh":
        # ½x(1 + tanh(k(x + c·x³))) = x·σ(2k(x + c·x³)), since 1 + tanh(t) = 2σ(2t)
        s = _sigmoid(torch.mul(x, x).mul_(_GELU_C).add_(1).mul_(x), scale=2 * _GELU_K)
        return x * s, (s,)
    # Φ(x) = ½(1 + erf(x / √2)), the standard normal CDF
    cdf = torch.mul(x, math.sqrt(0.5)).erf_().add_(1).mul_(0.5)
    return x * cdf, (cdf,)


def _gelu_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], approximate: str) -> Tensor:
    (s,) = cache
    if approximate == "tanh":
        # d/dx [x·σ(z)] = σ(z) + x·σ(z)(1 - σ(z))·z',  z' = 2k(1 + 3c·x²)
        dz = torch.mul(x, x).mul_(6 * _GELU_K * _GELU_C).add_(2 * _GELU_K)
        return torch.addcmul(s, s, s, value=-1).mul_(x).mul_(dz).add_(s)
    # GELU'(x) = Φ(x) + x·φ(x),  φ(x) = e^{-x²/2} / √(2π)
    return _exp_(x * x, -0.5).mul_(x).mul_(1 / math.sqrt(2 * math.pi)).add_(s)


def _swish_value(x: Tensor, beta: float) -> tuple[Tensor, tuple[Tensor, ...]]:
    s = _sigmoid(x, scale=beta)
    return x * s, (s,)


def _swish_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], beta: float) -> Tensor:
    (s,) = cache
    # d/dx [x·σ(βx)] = σ(βx) + βx·σ(βx)(1 - σ(βx))
    slope = torch.addcmul(s, s, s, value=-1).mul_(x)
    return (slope if beta == 1.0 else slope.mul_(beta)).add_(s)


def _softplus_value(x: Tensor, beta: float, threshold: float) -> tuple[Tensor, tuple[Tensor, ...]]:
    z = x * beta
    # torch switches to the identity where βx > threshold; `linear` marks those elements
    linear = _positive(z - threshold)
    # e = e^{βx} on the rest; where linear, the exponent is pushed to -inf (clamped, minus the
    # largest float), so e = 0 there and log1p(e) = 0
    e = _exp_(z.clamp_max_(threshold).sub_(linear, alpha=torch.finfo(z.dtype).max))
    # log(1 + e^{βx}) / β, plus max(x, 0)·linear: exactly x where linear
    y = torch.log1p(e).div_(beta).addcmul_(torch.clamp_min(x, 0), linear)
    return y, (e, linear)


def _softplus_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], beta: float, threshold: float) -> Tensor:
    e, linear = cache
    # softplus'(x) = σ(βx) = e^{βx} / (1 + e^{βx}) on the smooth part; the max lifts the linear part (e = 0) to 1
    return torch.add(e, 1).reciprocal_().mul_(e).clamp_min_(linear)


def _hardsigmoid_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    # min(max(0, x + 3), 6) / 6, in torch's order of operations
    return torch.add(x, 3).clamp_(0, 6).div_(6), ()


def _inside(x: Tensor) -> Tensor:
    """sign(3 - |x|): 1.0 exactly on -3 < x < 3, 0.0 at ±3, -1.0 beyond.

    Tested on x, as torch does, not on hardsigmoid(x): x + 3 rounds to 6 just below x = 3.
    """
    return torch.abs(x).sub_(3).neg_().sign_()


def _hardsigmoid_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    # 1/6 on -3 < x < 3, else 0 (0 at the kinks, as torch)
    return _inside(x).clamp_min_(0).div_(6)


def _hardswish_value(x: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    s, _ = _hardsigmoid_value(x)
    return x * s, (s,)


def _hardswish_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...]) -> Tensor:
    (s,) = cache
    # d/dx [x·s(x)] = s + x·s' = s + x/6 on -3 < x < 3 (x clamped so that ±inf·0 cannot appear)
    c = torch.clamp(x, -3, 3)
    return torch.addcmul(s, c, _inside(c), value=1 / 6)


def _step_value(x: Tensor, values: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    # values at x == 0, else 1.0 for x > 0 and 0.0 for x < 0 or NaN (torch.heaviside's rule)
    return torch.where(x == 0, values, (x > 0).to(x.dtype)), ()


def _step_slope(x: Tensor, y: Tensor, cache: tuple[Tensor, ...], values: Tensor) -> Tensor:
    return torch.zeros_like(x)


_SIGMOID = _Rule(_sigmoid_value, _sigmoid_slope)
_TANH = _Rule(_tanh_value, _tanh_slope)
_RELU = _Rule(_relu_value, _relu_slope)
_RELU6 = _Rule(_relu6_value, _relu6_slope)
_LEAKY = _Rule(_leaky_value, _leaky_slope)
_ELU = _Rule(_elu_value, _elu_slope)
_GELU = _Rule(_gelu_value, _gelu_slope)
_SWISH = _Rule(_swish_value, _swish_slope)
_SOFTPLUS = _Rule(_softplus_value, _softplus_slope)
_HARDSIGMOID = _Rule(_hardsigmoid_value, _hardsigmoid_slope)
_HARDSWISH = _Rule(_hardswish_value, _hardswish_slope)
_STEP = _Rule(_step_value, _step_slope)
