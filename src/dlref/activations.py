r"""Activation functions, their analytic derivatives, and the `ACTIVATIONS` registry.

Scope: every activation the course uses, from the perceptron's step function to
GELU and softmax, written as small tensor formulas next to the analytic derivative
that backpropagation needs. The docs page `activations` (`/activations/`) teaches
them; the API reference renders these docstrings.

Sources: the course notes (perceptron step, sigmoid, tanh, ReLU family, softmax),
the papers linked from each function, and the PyTorch documentation of each
counterpart, whose names, argument names and defaults are mirrored here.

Conventions:

- Each function mirrors its torch counterpart: same name, first argument `input`,
  same parameter names and defaults. A function never calls its own counterpart.
- Each elementwise function `f` has `f_derivative(input, ...)` with the same
  parameters. At kinks it returns the value torch's autograd returns for the
  counterpart at exactly that point (measured, and tested). `softmax` and
  `log_softmax` have `*_jacobian` functions instead.
- Elementwise functions are `torch.autograd.Function`s whose backward is
  `grad_output * f'(x)` built from differentiable torch ops, so
  `torch.autograd.gradcheck` tests the analytic derivative and double backward works.
- Speed (see `benchmarks/bench_activations.py`): temporaries are updated in place;
  masks are `sign(x).clamp_min(0)` (1.0 where x > 0, else 0.0) rather than boolean
  tensors and `torch.where`, which are several times slower on CPU; and $e^x$ is
  computed as $2^{x \log_2 e}$ with `torch.exp2`, 3-4x faster than `torch.exp`
  on CPU float32, for at most $|x| \cdot 2^{-24}$ extra relative error in float32.
- float16 and bfloat16 inputs are computed in float32 and rounded once, as torch's
  CPU kernels do.

Deliberate differences from torch (each one is tested):

- Input must be a floating-point tensor; torch accepts integer tensors in `relu` and
  `relu6` and promotes them in `sigmoid` and `tanh`. dlref raises `TypeError`.
- No `inplace` argument: dlref never modifies its input. `softmax`/`log_softmax`
  take a required `dim` and no `dtype`.
- Parameters are range-checked: `softplus` needs `beta > 0` and a finite `threshold > 0`,
  `elu` needs `alpha >= 0`, `rrelu` needs `0 <= lower <= upper`, `swish` needs
  `beta > 0`. torch accepts more of these values without complaint.
- `rrelu` in training mode draws one slope per element (positives ignore theirs),
  so its random values differ from torch's for the same seed; the distribution
  is the same.
- `step` has derivative 0 and autograd returns zeros; `torch.heaviside` has no
  autograd formula and raises.
- Derivatives at NaN inputs are unspecified (values propagate NaN as torch does).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "hardsigmoid",
    "hardsigmoid_derivative",
    "hardswish",
    "hardswish_derivative",
    "identity",
    "identity_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "log_softmax_jacobian",
    "prelu",
    "prelu_derivative",
    "relu",
    "relu6",
    "relu6_derivative",
    "relu_derivative",
    "rrelu",
    "rrelu_derivative",
    "selu",
    "selu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
    "softmax",
    "softmax_jacobian",
    "softplus",
    "softplus_derivative",
    "step",
    "step_derivative",
    "swish",
    "swish_derivative",
    "tanh",
    "tanh_derivative",
]

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


# --------------------------------------------------------------------------- sigmoid, tanh


def sigmoid(input: Tensor) -> Tensor:
    r"""Logistic sigmoid: squash any real number into (0, 1).

    $$
    \sigma(x) = \frac{1}{1 + e^{-x}}
    $$

    Computed as `1 / (1 + exp(-x))`: for very negative x, `exp(-x)` overflows to
    `inf` and the result is exactly 0, never NaN.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\sigma$ applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.sigmoid`.

    References:
        - [torch.nn.Sigmoid](https://docs.pytorch.org/docs/stable/generated/torch.nn.Sigmoid.html)

    Examples:
        >>> from dlref.activations import sigmoid
        >>> sigmoid(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1192, 0.5000, 0.8808])
    """
    _check_input("sigmoid", input)
    return _apply(_SIGMOID, input)


def sigmoid_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [sigmoid][dlref.activations.sigmoid] with respect to its input.

    $$
    \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
    $$

    Its maximum is $\sigma'(0) = 1/4$, one reason deep sigmoid networks learn slowly.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\sigma'(x)$ elementwise, equal to torch's autograd gradient of `torch.sigmoid`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import sigmoid_derivative
        >>> sigmoid_derivative(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.1050, 0.2500, 0.1050])
    """
    _check_input("sigmoid_derivative", input)
    return _derivative(_SIGMOID, input)


def tanh(input: Tensor) -> Tensor:
    r"""Hyperbolic tangent: a zero-centred sigmoid with range (-1, 1).

    $$
    \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1
    $$

    Computed from $u = e^{-2|x|} - 1$ (with `expm1`, accurate near 0) as
    $\tanh(x) = \operatorname{sign}(x)\,\frac{-u}{u + 2}$, which cannot overflow.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        $\tanh$ applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.tanh`.

    References:
        - [torch.nn.Tanh](https://docs.pytorch.org/docs/stable/generated/torch.nn.Tanh.html)

    Examples:
        >>> from dlref.activations import tanh
        >>> tanh(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.7616,  0.0000,  0.7616])
    """
    _check_input("tanh", input)
    return _apply(_TANH, input)


def tanh_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [tanh][dlref.activations.tanh] with respect to its input.

    $$
    \tanh'(x) = 1 - \tanh^2(x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\tanh'(x)$ elementwise, equal to torch's autograd gradient of `torch.tanh`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import tanh_derivative
        >>> tanh_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([0.4200, 1.0000, 0.4200])
    """
    _check_input("tanh_derivative", input)
    return _derivative(_TANH, input)


# --------------------------------------------------------------------------- ReLU family


def relu(input: Tensor) -> Tensor:
    r"""Rectified linear unit: keep positive inputs, zero the rest.

    $$
    \mathrm{ReLU}(x) = \max(0, x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor (torch also accepts integers).

    Torch counterpart: `torch.nn.functional.relu`.

    References:
        - Nair & Hinton, [Rectified Linear Units Improve Restricted Boltzmann Machines](https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf), ICML 2010.
        - [torch.nn.ReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU.html)

    Examples:
        >>> from dlref.activations import relu
        >>> relu(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """
    _check_input("relu", input)
    return _apply(_RELU, input)


def relu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [relu][dlref.activations.relu] with respect to its input.

    $$
    \mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}
    $$

    ReLU has no derivative at 0; $\mathrm{ReLU}'(0) = 0$ is torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import relu_derivative
        >>> relu_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 1.])
    """
    _check_input("relu_derivative", input)
    return _derivative(_RELU, input)


def relu6(input: Tensor) -> Tensor:
    r"""ReLU capped at 6, as used by MobileNet for low-precision friendliness.

    $$
    \mathrm{ReLU6}(x) = \min(\max(0, x), 6)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ReLU6 applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor (torch also accepts integers).

    Torch counterpart: `torch.nn.functional.relu6`.

    References:
        - Krizhevsky, [Convolutional Deep Belief Networks on CIFAR-10](https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf), 2010.
        - [torch.nn.ReLU6](https://docs.pytorch.org/docs/stable/generated/torch.nn.ReLU6.html)

    Examples:
        >>> from dlref.activations import relu6
        >>> relu6(torch.tensor([-1.0, 0.0, 3.0, 6.0, 8.0]))
        tensor([0., 0., 3., 6., 6.])
    """
    _check_input("relu6", input)
    return _apply(_RELU6, input)


def relu6_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [relu6][dlref.activations.relu6] with respect to its input.

    $$
    \mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}
    $$

    At both kinks the value is 0: $\mathrm{ReLU6}'(0) = \mathrm{ReLU6}'(6) = 0$,
    torch's autograd convention (it differentiates `hardtanh(x, 0, 6)`).

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `0 < input < 6`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import relu6_derivative
        >>> relu6_derivative(torch.tensor([-1.0, 0.0, 3.0, 6.0, 8.0]))
        tensor([0., 0., 1., 0., 0.])
    """
    _check_input("relu6_derivative", input)
    return _derivative(_RELU6, input)


def _check_slope(fn: str, negative_slope: object) -> float:
    return _check_param(fn, "negative_slope", negative_slope, "a finite number", math.isfinite)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    r"""Leaky ReLU: a small slope instead of zero for negative inputs, so no unit "dies".

    $$
    \mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
    \qquad a = \texttt{negative\_slope}
    $$

    Args:
        input: Floating-point tensor.
        negative_slope: Slope $a$ for $x \le 0$. Defaults to 0.01.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Leaky ReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `negative_slope` is not finite.

    Torch counterpart: `torch.nn.functional.leaky_relu`.

    References:
        - Maas, Hannun & Ng, [Rectifier Nonlinearities Improve Neural Network Acoustic Models](https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf), ICML 2013.
        - [torch.nn.LeakyReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html)

    Examples:
        >>> from dlref.activations import leaky_relu
        >>> leaky_relu(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([-0.2000,  0.0000,  3.0000])
    """
    _check_input("leaky_relu", input)
    return _apply(_LEAKY, input, _check_slope("leaky_relu", negative_slope))


def leaky_relu_derivative(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    r"""Derivative of [leaky_relu][dlref.activations.leaky_relu] with respect to its input.

    $$
    \mathrm{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}
    $$

    At the kink, $\mathrm{LeakyReLU}'(0) = a$ (`negative_slope`), torch's autograd convention.

    Args:
        input: Floating-point tensor.
        negative_slope: Slope $a$ for $x \le 0$. Defaults to 0.01.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else `negative_slope`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `negative_slope` is not finite.

    Examples:
        >>> from dlref.activations import leaky_relu_derivative
        >>> leaky_relu_derivative(torch.tensor([-2.0, 0.0, 3.0]), negative_slope=0.1)
        tensor([0.1000, 0.1000, 1.0000])
    """
    _check_input("leaky_relu_derivative", input)
    return _derivative(_LEAKY, input, _check_slope("leaky_relu_derivative", negative_slope))


def _check_prelu_weight(fn: str, input: Tensor, weight: object) -> Tensor:
    """Return `weight` if it is a valid F.prelu weight for `input`: 1 element or one per channel (dim 1)."""
    if not isinstance(weight, Tensor):
        raise TypeError(f"{fn}: weight must be a torch.Tensor, got {type(weight).__name__}")
    if weight.dtype != input.dtype:
        raise TypeError(f"{fn}: weight dtype {weight.dtype} does not match input dtype {input.dtype}")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.dim() > 1 or weight.numel() not in (1, channels):
        raise ValueError(
            f"{fn}: weight of shape {tuple(weight.shape)} does not fit input of shape {tuple(input.shape)}; "
            f"allowed: a 0-dim or 1-D weight with 1 or {channels} (the channels, dim 1) elements"
        )
    return weight


def _channel_slopes(weight: Tensor, input: Tensor) -> Tensor:
    """`weight` shaped to broadcast over `input`: (C, 1, ..., 1) against (N, C, ...), or a scalar."""
    if weight.numel() == 1:
        return weight.reshape(())
    return weight.reshape(-1, *([1] * (input.dim() - 2)))


class _PReLU(torch.autograd.Function):
    """Leaky ReLU with a learnable slope per channel; backward also returns dL/dweight."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, weight: Tensor) -> Tensor:
        ctx.save_for_backward(input, weight)
        return _leaky_value(input, _channel_slopes(weight, input))[0]

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        input, weight = ctx.saved_tensors
        a = _channel_slopes(weight, input)
        grad_input = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output * _derivative(_LEAKY, input, a)
        if ctx.needs_input_grad[1]:
            # ∂y/∂a = min(x, 0), summed over every element that shares the slope
            grad_a = grad_output * torch.clamp_max(input, 0)
            dims = [d for d in range(input.dim()) if a.dim() == 0 or d != 1]
            grad_weight = grad_a.sum(dims).reshape(weight.shape)
        return grad_input, grad_weight


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    r"""Parametric ReLU: leaky ReLU whose negative slope is learned, one per channel.

    $$
    \mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a_c\,x & x \le 0 \end{cases}
    $$

    where $a_c$ is `weight[c]` for elements of channel $c$ (dim 1 of `input`), or the
    single `weight` shared by all elements. `torch.nn.PReLU` initialises it to 0.25.
    Gradients flow to both `input` and `weight`.

    Args:
        input: Floating-point tensor.
        weight: Slopes, a tensor of the input's dtype with 1 element or one per channel.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions; dim 1 is the channel dim.
        - Weight: $(1)$ or $(C)$.
        - Output: $(*)$, same shape as the input.

    Returns:
        PReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor, or `weight` is not a tensor
            of the same dtype.
        ValueError: If `weight` has neither 1 element nor one per channel.

    Torch counterpart: `torch.nn.functional.prelu`.

    References:
        - He et al., [Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852), ICCV 2015.
        - [torch.nn.PReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.PReLU.html)

    Examples:
        >>> from dlref.activations import prelu
        >>> x = torch.tensor([[-1.0, -1.0], [2.0, -4.0]])   # (N=2, C=2)
        >>> prelu(x, torch.tensor([0.25, 0.5]))
        tensor([[-0.2500, -0.5000],
                [ 2.0000, -2.0000]])
    """
    _check_input("prelu", input)
    _check_prelu_weight("prelu", input, weight)
    return _in_float32(lambda x: _PReLU.apply(x, weight.to(x.dtype)), input)


def prelu_derivative(input: Tensor, weight: Tensor) -> Tensor:
    r"""Derivative of [prelu][dlref.activations.prelu] with respect to its input.

    $$
    \mathrm{PReLU}'(x) = \begin{cases} 1 & x > 0 \\ a_c & x \le 0 \end{cases}
    $$

    At the kink, $\mathrm{PReLU}'(0) = a_c$, torch's autograd convention.

    Args:
        input: Floating-point tensor.
        weight: Slopes, a tensor of the input's dtype with 1 element or one per channel.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else the channel's slope.

    Raises:
        TypeError: If `input` or `weight` is not a floating-point tensor of one dtype.
        ValueError: If `weight` has neither 1 element nor one per channel.

    Examples:
        >>> from dlref.activations import prelu_derivative
        >>> prelu_derivative(torch.tensor([[-1.0, 0.0], [2.0, -4.0]]), torch.tensor([0.25, 0.5]))
        tensor([[0.2500, 0.5000],
                [1.0000, 0.5000]])
    """
    _check_input("prelu_derivative", input)
    return _derivative(_LEAKY, input, _channel_slopes(_check_prelu_weight("prelu_derivative", input, weight), input))


def _rrelu_slope(
    fn: str, input: Tensor, lower: object, upper: object, training: bool, generator: torch.Generator | None
) -> float | Tensor:
    """The negative slope: (lower + upper) / 2 in eval, one U(lower, upper) draw per element in training."""
    upper = _check_param(fn, "upper", upper, "a finite number >= 0", lambda u: 0 <= u < math.inf)
    lower = _check_param(fn, "lower", lower, f"0 <= lower <= upper (upper={upper!r})", lambda lo: 0 <= lo <= upper)
    if not training:
        return (lower + upper) / 2
    return torch.empty_like(input).uniform_(lower, upper, generator=generator)


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Randomized leaky ReLU: a random negative slope in training, its mean in evaluation.

    $$
    \mathrm{RReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}
    \qquad a \sim \mathcal U(\text{lower}, \text{upper}) \text{ (training)},\quad
    a = \tfrac{\text{lower} + \text{upper}}{2} \text{ (evaluation)}
    $$

    In training, one slope per element is drawn with `torch.Tensor.uniform_` from
    `generator` (the global generator if `None`), in memory order; positive
    elements ignore theirs. torch draws only for non-positive elements, so the
    random values differ from `torch.nn.functional.rrelu` for the same seed; the
    distribution is the same.

    Args:
        input: Floating-point tensor.
        lower: Lower bound of the slope distribution. Defaults to 1/8.
        upper: Upper bound of the slope distribution. Defaults to 1/3.
        training: Draw random slopes if `True`, use the mean slope if `False`. Defaults to `False`.
        generator: Random source for training mode. Defaults to `None` (global generator).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        RReLU applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: Unless `0 <= lower <= upper < inf` (torch also allows `lower < 0`).

    Torch counterpart: `torch.nn.functional.rrelu` (which has no `generator` argument).

    References:
        - Xu et al., [Empirical Evaluation of Rectified Activations in Convolutional Network](https://arxiv.org/abs/1505.00853), 2015.
        - [torch.nn.RReLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.RReLU.html)

    Examples:
        >>> from dlref.activations import rrelu
        >>> x = torch.tensor([-1.0, -1.0, 2.0])
        >>> rrelu(x, lower=0.1, upper=0.3)
        tensor([-0.2000, -0.2000,  2.0000])
        >>> rrelu(x, lower=0.1, upper=0.3, training=True, generator=torch.Generator().manual_seed(0))
        tensor([-0.1993, -0.2536,  2.0000])
    """
    _check_input("rrelu", input)
    return _apply(_LEAKY, input, _rrelu_slope("rrelu", input, lower, upper, training, generator))


def rrelu_derivative(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Derivative of [rrelu][dlref.activations.rrelu] with respect to its input.

    $$
    \mathrm{RReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}
    $$

    In evaluation $a = (\text{lower} + \text{upper}) / 2$, also at the kink:
    $\mathrm{RReLU}'(0) = a$, torch's autograd convention. In training the slopes are
    drawn exactly as [rrelu][dlref.activations.rrelu] draws them, so a generator
    seeded like the forward call's gives the derivative of that forward pass
    (same input shape and dtype). Without a generator, fresh slopes are drawn.

    Args:
        input: Floating-point tensor.
        lower: Lower bound of the slope distribution. Defaults to 1/8.
        upper: Upper bound of the slope distribution. Defaults to 1/3.
        training: Random slopes if `True`, the mean slope if `False`. Defaults to `False`.
        generator: Random source for training mode. Defaults to `None` (global generator).

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1.0 where `input > 0`, else the slope.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: Unless `0 <= lower <= upper < inf`.

    Examples:
        >>> from dlref.activations import rrelu_derivative
        >>> rrelu_derivative(torch.tensor([-1.0, 0.0, 2.0]), lower=0.1, upper=0.3)
        tensor([0.2000, 0.2000, 1.0000])
    """
    _check_input("rrelu_derivative", input)
    return _derivative(_LEAKY, input, _rrelu_slope("rrelu_derivative", input, lower, upper, training, generator))


# --------------------------------------------------------------------------- exponential units


def _check_alpha(fn: str, alpha: object) -> float:
    return _check_param(fn, "alpha", alpha, "a finite number >= 0", lambda a: 0 <= a < math.inf)


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Exponential linear unit: identity for positives, a smooth saturation to $-\alpha$ for negatives.

    $$
    \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    $$

    Args:
        input: Floating-point tensor.
        alpha: Saturation value $\alpha$ for $x \to -\infty$. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        ELU applied elementwise; the range is $(-\alpha, \infty)$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `alpha` is negative or not finite (torch accepts negative `alpha`).

    Torch counterpart: `torch.nn.functional.elu`.

    References:
        - Clevert, Unterthiner & Hochreiter, [Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)](https://arxiv.org/abs/1511.07289), ICLR 2016.
        - [torch.nn.ELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.ELU.html)

    Examples:
        >>> from dlref.activations import elu
        >>> elu(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([-0.8647,  0.0000,  2.0000])
    """
    _check_input("elu", input)
    return _apply(_ELU, input, _check_alpha("elu", alpha), 1.0)


def elu_derivative(input: Tensor, alpha: float = 1.0) -> Tensor:
    r"""Derivative of [elu][dlref.activations.elu] with respect to its input.

    $$
    \mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} = \mathrm{ELU}(x) + \alpha & x \le 0 \end{cases}
    $$

    At 0 the left branch applies: $\mathrm{ELU}'(0) = \alpha$, torch's autograd
    convention (continuous only for $\alpha = 1$). The $x \le 0$ branch is computed
    as $\mathrm{ELU}(x) + \alpha$ from the forward output.

    Args:
        input: Floating-point tensor.
        alpha: Saturation value $\alpha$. Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{ELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `alpha` is negative or not finite.

    Examples:
        >>> from dlref.activations import elu_derivative
        >>> elu_derivative(torch.tensor([-2.0, 0.0, 2.0]), alpha=0.5)
        tensor([0.0677, 0.5000, 1.0000])
    """
    _check_input("elu_derivative", input)
    return _derivative(_ELU, input, _check_alpha("elu_derivative", alpha), 1.0)


def selu(input: Tensor) -> Tensor:
    r"""Scaled ELU with the constants that make activations self-normalizing.

    $$
    \mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}
    $$

    with $\alpha = 1.6732632423543772848170429916717$ and
    $\lambda = 1.0507009873554804934193349852946$, torch's constants.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        SELU applied elementwise; the range is $(-\lambda\alpha, \infty) \approx (-1.7581, \infty)$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.selu`.

    References:
        - Klambauer et al., [Self-Normalizing Neural Networks](https://arxiv.org/abs/1706.02515), NeurIPS 2017.
        - [torch.nn.SELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.SELU.html)

    Examples:
        >>> from dlref.activations import selu
        >>> selu(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.5202,  0.0000,  2.1014])
    """
    _check_input("selu", input)
    return _apply(_ELU, input, _SELU_ALPHA, _SELU_SCALE)


def selu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [selu][dlref.activations.selu] with respect to its input.

    $$
    \mathrm{SELU}'(x) = \begin{cases} \lambda & x > 0 \\ \lambda\alpha\,e^{x} & x \le 0 \end{cases}
    $$

    At 0 the left branch applies: $\mathrm{SELU}'(0) = \lambda\alpha \approx 1.7581$
    (not $\lambda \approx 1.0507$), torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{SELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import selu_derivative
        >>> selu_derivative(torch.tensor([-2.0, 0.0, 2.0]))
        tensor([0.2379, 1.7581, 1.0507])
    """
    _check_input("selu_derivative", input)
    return _derivative(_ELU, input, _SELU_ALPHA, _SELU_SCALE)


# --------------------------------------------------------------------------- smooth gates


def _check_approximate(fn: str, approximate: object) -> str:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{fn}: approximate={approximate!r} is invalid; allowed: 'none' or 'tanh'")
    return str(approximate)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Gaussian error linear unit: the input weighted by the probability that a standard normal is below it.

    $$
    \mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)
    $$

    With `approximate="tanh"`:
    $\frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)$,
    computed as the equal $x\,\sigma\left(2\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)$.

    Args:
        input: Floating-point tensor.
        approximate: `"none"` for the exact erf form, `"tanh"` for the tanh approximation.
            Defaults to `"none"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        GELU applied elementwise; its minimum is about $-0.16997$ at $x \approx -0.75179$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `approximate` is not `"none"` or `"tanh"`.

    Torch counterpart: `torch.nn.functional.gelu`.

    References:
        - Hendrycks & Gimpel, [Gaussian Error Linear Units (GELUs)](https://arxiv.org/abs/1606.08415), 2016.
        - [torch.nn.GELU](https://docs.pytorch.org/docs/stable/generated/torch.nn.GELU.html)

    Examples:
        >>> from dlref.activations import gelu
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
        >>> gelu(torch.tensor([-1.0, 0.0, 1.0]), approximate="tanh")
        tensor([-0.1588,  0.0000,  0.8412])
    """
    _check_input("gelu", input)
    return _apply(_GELU, input, _check_approximate("gelu", approximate))


def gelu_derivative(input: Tensor, approximate: str = "none") -> Tensor:
    r"""Derivative of [gelu][dlref.activations.gelu] with respect to its input.

    $$
    \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}
    $$

    With `approximate="tanh"`, writing $z = 2\sqrt{2/\pi}\,(x + 0.044715\,x^3)$:
    $\sigma(z) + x\,\sigma(z)\,(1 - \sigma(z))\cdot 2\sqrt{2/\pi}\,(1 + 3\cdot 0.044715\,x^2)$.

    Args:
        input: Floating-point tensor.
        approximate: `"none"` or `"tanh"`. Defaults to `"none"`.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{GELU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `approximate` is not `"none"` or `"tanh"`.

    Examples:
        >>> from dlref.activations import gelu_derivative
        >>> gelu_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.0833,  0.5000,  1.0833])
    """
    _check_input("gelu_derivative", input)
    return _derivative(_GELU, input, _check_approximate("gelu_derivative", approximate))


def _check_beta(fn: str, beta: object) -> float:
    return _check_param(fn, "beta", beta, "a finite number > 0", lambda b: 0 < b < math.inf)


def swish(input: Tensor, beta: float = 1.0) -> Tensor:
    r"""Swish: the input gated by a sigmoid of itself; `beta=1` is SiLU.

    $$
    \mathrm{swish}_\beta(x) = x\,\sigma(\beta x)
    $$

    As $\beta \to 0$ it tends to $x/2$, as $\beta \to \infty$ to ReLU.

    Args:
        input: Floating-point tensor.
        beta: Gate sharpness $\beta$. Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Swish applied elementwise; its minimum is $-W(1/e)/\beta \approx -0.27846/\beta$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` is not a finite number > 0 (the paper also allows a learned
            $\beta$ of any sign; dlref keeps the family between $x/2$ and ReLU).

    Torch counterpart: none; `x * torch.sigmoid(beta * x)`, and `torch.nn.functional.silu` for `beta=1`.

    References:
        - Ramachandran, Zoph & Le, [Searching for Activation Functions](https://arxiv.org/abs/1710.05941), 2017.

    Examples:
        >>> from dlref.activations import swish
        >>> swish(torch.tensor([-1.0, 0.0, 1.0]), beta=2.0)
        tensor([-0.1192,  0.0000,  0.8808])
    """
    _check_input("swish", input)
    return _apply(_SWISH, input, _check_beta("swish", beta))


def swish_derivative(input: Tensor, beta: float = 1.0) -> Tensor:
    r"""Derivative of [swish][dlref.activations.swish] with respect to its input.

    $$
    \mathrm{swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,\bigl(1 - \sigma(\beta x)\bigr)
    $$

    Args:
        input: Floating-point tensor.
        beta: Gate sharpness $\beta$. Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{swish}_\beta'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` is not a finite number > 0.

    Examples:
        >>> from dlref.activations import swish_derivative
        >>> swish_derivative(torch.tensor([-1.0, 0.0, 1.0]), beta=2.0)
        tensor([-0.0908,  0.5000,  1.0908])
    """
    _check_input("swish_derivative", input)
    return _derivative(_SWISH, input, _check_beta("swish_derivative", beta))


def silu(input: Tensor) -> Tensor:
    r"""Sigmoid linear unit: the input gated by its own sigmoid (swish with $\beta = 1$).

    $$
    \mathrm{SiLU}(x) = x\,\sigma(x)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        SiLU applied elementwise; its minimum is $-W(1/e) \approx -0.27846$ at $x = -1 - W(1/e)$
        ($W$ is the Lambert W function).

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.silu`.

    References:
        - Elfwing, Uchibe & Doya, [Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning](https://arxiv.org/abs/1702.03118), 2017.
        - [torch.nn.SiLU](https://docs.pytorch.org/docs/stable/generated/torch.nn.SiLU.html)

    Examples:
        >>> from dlref.activations import silu
        >>> silu(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.2689,  0.0000,  0.7311])
    """
    _check_input("silu", input)
    return _apply(_SWISH, input, 1.0)


def silu_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [silu][dlref.activations.silu] with respect to its input.

    $$
    \mathrm{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{SiLU}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import silu_derivative
        >>> silu_derivative(torch.tensor([-1.0, 0.0, 1.0]))
        tensor([0.0723, 0.5000, 0.9277])
    """
    _check_input("silu_derivative", input)
    return _derivative(_SWISH, input, 1.0)


def _check_softplus(fn: str, beta: object, threshold: object) -> tuple[float, float]:
    beta = _check_param(fn, "beta", beta, "a finite number > 0 (torch also accepts beta < 0)", lambda b: 0 < b < math.inf)
    threshold = _check_param(fn, "threshold", threshold, "a finite number > 0", lambda t: 0 < t < math.inf)
    return beta, threshold


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Softplus: a smooth ReLU, the integral of the sigmoid.

    $$
    \mathrm{softplus}(x) = \begin{cases} \frac{1}{\beta}\log\left(1 + e^{\beta x}\right) & \beta x \le \text{threshold} \\
    x & \beta x > \text{threshold} \end{cases}
    $$

    Like torch, it switches to the identity above the threshold, where the two
    differ by less than $e^{-\text{threshold}}/\beta$ ($\approx 2\cdot 10^{-9}$ by default)
    and $e^{\beta x}$ would soon overflow.

    Args:
        input: Floating-point tensor.
        beta: Sharpness $\beta$. Defaults to 1.0.
        threshold: Value of $\beta x$ above which the identity is used. Defaults to 20.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Softplus applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` or `threshold` is not a finite number > 0
            (torch accepts both; a negative `beta` flips the function).

    Torch counterpart: `torch.nn.functional.softplus`.

    References:
        - Dugas et al., [Incorporating Second-Order Functional Knowledge for Better Option Pricing](https://papers.nips.cc/paper/1920-incorporating-second-order-functional-knowledge-for-better-option-pricing), NeurIPS 2000.
        - [torch.nn.Softplus](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softplus.html)

    Examples:
        >>> from dlref.activations import softplus
        >>> softplus(torch.tensor([-1.0, 0.0, 1.0, 30.0]))
        tensor([ 0.3133,  0.6931,  1.3133, 30.0000])
    """
    _check_input("softplus", input)
    return _apply(_SOFTPLUS, input, *_check_softplus("softplus", beta, threshold))


def softplus_derivative(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""Derivative of [softplus][dlref.activations.softplus] with respect to its input.

    $$
    \mathrm{softplus}'(x) = \begin{cases} \sigma(\beta x) & \beta x \le \text{threshold} \\ 1 & \beta x > \text{threshold} \end{cases}
    $$

    At exactly $\beta x = \text{threshold}$ the smooth branch applies
    ($\sigma(20) \approx 1 - 2\cdot 10^{-9}$ by default), as in torch's autograd.

    Args:
        input: Floating-point tensor.
        beta: Sharpness $\beta$. Defaults to 1.0.
        threshold: Value of $\beta x$ above which the identity is used. Defaults to 20.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{softplus}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.
        ValueError: If `beta` or `threshold` is not a finite number > 0.

    Examples:
        >>> from dlref.activations import softplus_derivative
        >>> softplus_derivative(torch.tensor([-1.0, 0.0, 1.0, 30.0]))
        tensor([0.2689, 0.5000, 0.7311, 1.0000])
    """
    _check_input("softplus_derivative", input)
    return _derivative(_SOFTPLUS, input, *_check_softplus("softplus_derivative", beta, threshold))


# --------------------------------------------------------------------------- hard (piecewise-linear) gates


def hardsigmoid(input: Tensor) -> Tensor:
    r"""Hard sigmoid: a piecewise-linear sigmoid, cheap on mobile hardware.

    $$
    \mathrm{hardsigmoid}(x) = \frac{\min(\max(0, x + 3), 6)}{6}
    = \begin{cases} 0 & x \le -3 \\ x/6 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Hard sigmoid applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.hardsigmoid`.

    References:
        - Howard et al., [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244), ICCV 2019.
        - [torch.nn.Hardsigmoid](https://docs.pytorch.org/docs/stable/generated/torch.nn.Hardsigmoid.html)

    Examples:
        >>> from dlref.activations import hardsigmoid
        >>> hardsigmoid(torch.tensor([-4.0, 0.0, 1.5, 4.0]))
        tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    _check_input("hardsigmoid", input)
    return _apply(_HARDSIGMOID, input)


def hardsigmoid_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [hardsigmoid][dlref.activations.hardsigmoid] with respect to its input.

    $$
    \mathrm{hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}
    $$

    At both kinks the value is 0: $\mathrm{hardsigmoid}'(\pm 3) = 0$, torch's autograd convention.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        1/6 where `-3 < input < 3`, else 0.0.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import hardsigmoid_derivative
        >>> hardsigmoid_derivative(torch.tensor([-3.0, 0.0, 3.0]))
        tensor([0.0000, 0.1667, 0.0000])
    """
    _check_input("hardsigmoid_derivative", input)
    return _derivative(_HARDSIGMOID, input)


def hardswish(input: Tensor) -> Tensor:
    r"""Hard swish: the input gated by a hard sigmoid of itself, MobileNetV3's cheap swish.

    $$
    \mathrm{hardswish}(x) = x\,\frac{\min(\max(0, x + 3), 6)}{6}
    = \begin{cases} 0 & x \le -3 \\ x\,(x + 3)/6 & -3 < x < 3 \\ x & x \ge 3 \end{cases}
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Hard swish applied elementwise; its minimum is $-3/8$ at $x = -3/2$.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.functional.hardswish`.

    References:
        - Howard et al., [Searching for MobileNetV3](https://arxiv.org/abs/1905.02244), ICCV 2019.
        - [torch.nn.Hardswish](https://docs.pytorch.org/docs/stable/generated/torch.nn.Hardswish.html)

    Examples:
        >>> from dlref.activations import hardswish
        >>> hardswish(torch.tensor([-4.0, -1.5, 0.0, 1.5, 4.0]))
        tensor([-0.0000, -0.3750,  0.0000,  1.1250,  4.0000])
    """
    _check_input("hardswish", input)
    return _apply(_HARDSWISH, input)


def hardswish_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [hardswish][dlref.activations.hardswish] with respect to its input.

    $$
    \mathrm{hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}
    $$

    At the kinks $\mathrm{hardswish}'(-3) = 0$ and $\mathrm{hardswish}'(3) = 1$, torch's
    autograd convention (the formula $x/3 + 1/2$ would give $-1/2$ and $3/2$ there).

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        $\mathrm{hardswish}'(x)$ elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import hardswish_derivative
        >>> hardswish_derivative(torch.tensor([-3.0, 0.0, 1.5, 3.0]))
        tensor([0.0000, 0.5000, 1.0000, 1.0000])
    """
    _check_input("hardswish_derivative", input)
    return _derivative(_HARDSWISH, input)


# --------------------------------------------------------------------------- identity, step


def identity(input: Tensor) -> Tensor:
    r"""Identity: the linear "activation" of a regression output layer.

    $$
    f(x) = x
    $$

    Returns `input` itself, like `torch.nn.Identity`: no copy, and autograd passes
    gradients through unchanged.

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.nn.Identity`.

    References:
        - [torch.nn.Identity](https://docs.pytorch.org/docs/stable/generated/torch.nn.Identity.html)

    Examples:
        >>> from dlref.activations import identity
        >>> identity(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([-1.,  0.,  2.])
    """
    _check_input("identity", input)
    return input


def identity_derivative(input: Tensor) -> Tensor:
    r"""Derivative of [identity][dlref.activations.identity]: 1 everywhere.

    $$
    f'(x) = 1
    $$

    Args:
        input: Floating-point tensor.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        A tensor of ones like `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import identity_derivative
        >>> identity_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([1., 1., 1.])
    """
    _check_input("identity_derivative", input)
    return torch.ones_like(input)


def step(input: Tensor, values: float | Tensor = 1.0) -> Tensor:
    r"""Heaviside step: the perceptron's activation, 1 for a non-negative weighted sum.

    $$
    H(x) = \begin{cases} 1 & x > 0 \\ v & x = 0 \\ 0 & x < 0 \end{cases}
    \qquad v = \texttt{values}
    $$

    The course notes define the perceptron's output as 1 if $z \ge 0$ else 0, hence the
    default $v = 1$. NaN maps to 0, as in `torch.heaviside`.

    Args:
        input: Floating-point tensor.
        values: The value at $x = 0$: a number or a tensor broadcastable to `input`.
            Defaults to 1.0.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        The step applied elementwise.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Torch counterpart: `torch.heaviside(input, values)`, which needs `values` as a
    tensor of the input's dtype.

    References:
        - Rosenblatt, [The Perceptron: A Probabilistic Model for Information Storage and Organization in the Brain](https://doi.org/10.1037/h0042519), 1958.
        - [torch.heaviside](https://docs.pytorch.org/docs/stable/generated/torch.heaviside.html)

    Examples:
        >>> from dlref.activations import step
        >>> step(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 1., 1.])
        >>> step(torch.tensor([-1.0, 0.0, 2.0]), values=0.5)
        tensor([0.0000, 0.5000, 1.0000])
    """
    _check_input("step", input)
    return _apply(_STEP, input, torch.as_tensor(values, dtype=input.dtype, device=input.device))


def step_derivative(input: Tensor, values: float | Tensor = 1.0) -> Tensor:
    r"""Derivative of [step][dlref.activations.step]: 0 wherever it exists.

    $$
    H'(x) = 0 \quad (x \ne 0)
    $$

    At 0 the step has no derivative; dlref returns 0 there as well, and autograd
    through [step][dlref.activations.step] returns zeros. `torch.heaviside` has no
    autograd formula (its backward raises); either way no gradient signal passes,
    which is why the perceptron learns with its own update rule instead.

    Args:
        input: Floating-point tensor.
        values: The value at $x = 0$ (unused; kept so the signature matches `step`).
            Defaults to 1.0.

    Shape:
        - Input: $(*)$. Output: $(*)$, same shape.

    Returns:
        A tensor of zeros like `input`.

    Raises:
        TypeError: If `input` is not a floating-point tensor.

    Examples:
        >>> from dlref.activations import step_derivative
        >>> step_derivative(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 0.])
    """
    _check_input("step_derivative", input)
    return torch.zeros_like(input)


# --------------------------------------------------------------------------- softmax, log_softmax


class _Softmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: Tensor, dim: int) -> Tensor:
        # softmax(x) = softmax(x - m), m = max x: after the shift every exponent is <= 0, so nothing overflows
        e = _exp_(input - input.amax(dim, keepdim=True))
        output = e.div_(e.sum(dim, keepdim=True))
        ctx.dim = dim
        ctx.save_for_backward(output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        (p,) = ctx.saved_tensors
        # gᵀJ with J = diag(p) - p pᵀ:  p ⊙ g - p · Σ_j p_j g_j
        pg = p * grad_output
        return pg.addcmul_(p, pg.sum(ctx.dim, keepdim=True), value=-1), None


class _LogSoftmax(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, input: Tensor, dim: int) -> Tensor:
        z = input - input.amax(dim, keepdim=True)
        e = _exp(z)
        total = e.sum(dim, keepdim=True)
        # log softmax(x) = (x - m) - log Σ_j e^{x_j - m}, the log-sum-exp trick
        output = z.sub_(torch.log(total))
        ctx.dim, ctx.exp, ctx.total = dim, e, total
        ctx.save_for_backward(output)
        return output

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Tensor | None, ...]:
        (output,) = ctx.saved_tensors
        g_sum = grad_output.sum(ctx.dim, keepdim=True)
        if torch.is_grad_enabled():
            # create_graph=True: p = e^y from the saved output, so the graph reaches the input
            return grad_output - torch.exp(output) * g_sum, None
        # gᵀJ with J = I - 1 pᵀ:  g - p · Σ_j g_j,  p = e^{x - m} / Σ_j e^{x_j - m}
        return torch.addcmul(grad_output, ctx.exp, g_sum / ctx.total, value=-1), None


def softmax(input: Tensor, dim: int) -> Tensor:
    r"""Softmax: turn scores along `dim` into probabilities that sum to 1.

    $$
    \mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},
    \qquad m = \max_j x_j
    $$

    Subtracting the maximum changes nothing mathematically but keeps every
    exponent $\le 0$, so `[1000, 0, -1000]` gives `[1, 0, 0]` instead of NaN.

    Args:
        input: Floating-point tensor.
        dim: Dimension along which the probabilities sum to 1 (required; torch's
            implicit choice when `dim=None` is deprecated).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Probabilities in $[0, 1]$ along `dim`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `dim` is out of range for `input`.

    Torch counterpart: `torch.nn.functional.softmax` (dlref has no `dtype` argument).

    References:
        - Bridle, [Probabilistic Interpretation of Feedforward Classification Network Outputs](https://doi.org/10.1007/978-3-642-76153-9_28), 1990.
        - [torch.nn.Softmax](https://docs.pytorch.org/docs/stable/generated/torch.nn.Softmax.html)

    Examples:
        >>> from dlref.activations import softmax
        >>> softmax(torch.tensor([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]), dim=-1)
        tensor([[0.0900, 0.2447, 0.6652],
                [1.0000, 0.0000, 0.0000]])
    """
    _check_input("softmax", input)
    return _in_float32(_Softmax.apply, input, _check_dim("softmax", input, dim))


def log_softmax(input: Tensor, dim: int) -> Tensor:
    r"""Log-softmax: the logarithm of softmax, computed without forming softmax.

    $$
    \log\mathrm{softmax}(x)_i = x_i - \log\sum_j e^{x_j} = (x_i - m) - \log\sum_j e^{x_j - m},
    \qquad m = \max_j x_j
    $$

    The log-sum-exp form stays finite where `log(softmax(x))` would give `-inf`
    (for example `[1000, 0, -1000]`); cross-entropy is built on it.

    Args:
        input: Floating-point tensor.
        dim: Dimension along which softmax is taken (required).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Output: $(*)$, same shape as the input.

    Returns:
        Log-probabilities in $(-\infty, 0]$ along `dim`.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `dim` is out of range for `input`.

    Torch counterpart: `torch.nn.functional.log_softmax` (dlref has no `dtype` argument).

    References:
        - [torch.nn.LogSoftmax](https://docs.pytorch.org/docs/stable/generated/torch.nn.LogSoftmax.html)

    Examples:
        >>> from dlref.activations import log_softmax
        >>> log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
        tensor([-2.4076, -1.4076, -0.4076])
        >>> log_softmax(torch.tensor([1000.0, 0.0, -1000.0]), dim=0)
        tensor([    0., -1000., -2000.])
    """
    _check_input("log_softmax", input)
    return _in_float32(_LogSoftmax.apply, input, _check_dim("log_softmax", input, dim))


def _probabilities_last(fn: str, input: Tensor, dim: int) -> Tensor:
    """softmax(input, dim) with `dim` moved last, for the Jacobians."""
    _check_input(fn, input)
    if input.dim() == 0:
        raise ValueError(f"{fn}: input must have at least 1 dim, got a 0-dim tensor")
    return softmax(input, _check_dim(fn, input, dim)).movedim(dim, -1)


def softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [softmax][dlref.activations.softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j),
    \qquad J = \operatorname{diag}(p) - p\,p^\top
    $$

    Each $J$ is symmetric, and its rows and columns sum to 0 (softmax ignores a
    constant shift of $x$).

    Args:
        input: Floating-point tensor with at least 1 dim.
        dim: Dimension along which softmax is taken. Defaults to -1.

    Shape:
        - Input: $(*, n, *')$ with $n$ at position `dim`.
        - Output: $(*, *', n, n)$: the other dims in order, then the $n \times n$ Jacobian
          (for `dim=-1` the batch dims are the leading dims).

    Returns:
        `J[..., i, j]` $= \partial p_i / \partial x_j$.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `input` is 0-dim or `dim` is out of range.

    Examples:
        >>> from dlref.activations import softmax_jacobian
        >>> softmax_jacobian(torch.tensor([0.0, 0.0]))
        tensor([[ 0.2500, -0.2500],
                [-0.2500,  0.2500]])
    """
    p = _probabilities_last("softmax_jacobian", input, dim)
    return torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)


def log_softmax_jacobian(input: Tensor, dim: int = -1) -> Tensor:
    r"""Jacobian of [log_softmax][dlref.activations.log_softmax] along `dim`, one matrix per slice.

    $$
    \frac{\partial \log p_i}{\partial x_j} = \delta_{ij} - p_j,
    \qquad J = I - \mathbf{1}\,p^\top
    $$

    Args:
        input: Floating-point tensor with at least 1 dim.
        dim: Dimension along which softmax is taken. Defaults to -1.

    Shape:
        - Input: $(*, n, *')$ with $n$ at position `dim`.
        - Output: $(*, *', n, n)$: the other dims in order, then the $n \times n$ Jacobian.

    Returns:
        `J[..., i, j]` $= \partial \log p_i / \partial x_j$.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `dim` is not an int.
        ValueError: If `input` is 0-dim or `dim` is out of range.

    Examples:
        >>> from dlref.activations import log_softmax_jacobian
        >>> log_softmax_jacobian(torch.tensor([0.0, 0.0]))
        tensor([[ 0.5000, -0.5000],
                [-0.5000,  0.5000]])
    """
    p = _probabilities_last("log_softmax_jacobian", input, dim)
    eye = torch.eye(p.shape[-1], dtype=p.dtype, device=p.device)
    return eye - p.unsqueeze(-2)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Activation:
    """One registry entry: an activation, its derivative, its torch reference and its facts.

    The docs page and the tests iterate [ACTIVATIONS][dlref.activations.ACTIVATIONS];
    every callable takes `(x, **params)`.

    Attributes:
        name: Registry key, also the dlref function name.
        forward: `forward(x, **params)`.
        derivative: Elementwise $f'(x)$, `None` for softmax and log_softmax.
        jacobian: `jacobian(x, dim=...)`, only for softmax and log_softmax.
        reference: The torch callable the forward must match, same call signature.
        output_range: Closed-form range for the default params; `math.inf` for unbounded ends.
        params: Default params (read-only).
        formula: LaTeX of $f(x)$.
        derivative_formula: LaTeX of $f'(x)$ (for softmax: the Jacobian entry).
        title: Display name, for example "Leaky ReLU".
        reference_name: Dotted name of the torch reference, for display.
    """

    name: str
    forward: Callable[..., Tensor]
    derivative: Callable[..., Tensor] | None
    jacobian: Callable[..., Tensor] | None
    reference: Callable[..., Tensor]
    output_range: tuple[float, float]
    params: Mapping[str, object]
    formula: str
    derivative_formula: str
    title: str
    reference_name: str


def _prelu_weight(weight: float | Tensor, like: Tensor) -> Tensor:
    """The registry stores PReLU's slope as a float (0.25, nn.PReLU's init) and builds a fresh tensor per call."""
    if isinstance(weight, Tensor):
        return weight
    return torch.full((1,), float(weight), dtype=like.dtype, device=like.device)


def _prelu_forward(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return prelu(x, _prelu_weight(weight, x))


def _prelu_derivative(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return prelu_derivative(x, _prelu_weight(weight, x))


def _prelu_reference(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return F.prelu(x, _prelu_weight(weight, x))


def _swish_reference(x: Tensor, beta: float = 1.0) -> Tensor:
    return x * torch.sigmoid(beta * x)


def _step_reference(x: Tensor, values: float | Tensor = 1.0) -> Tensor:
    return torch.heaviside(x, torch.as_tensor(values, dtype=x.dtype, device=x.device))


def _params(**params: object) -> Mapping[str, object]:
    return MappingProxyType(params)


_INF = math.inf
# min of x·Φ(x), at x ≈ -0.7517915246935645 (Newton's method on Φ(x) + xφ(x) = 0; no closed form)
_GELU_MIN = -0.16997120747990369
# min of x·σ(x) = -W(1/e), W the Lambert W function, at x = -1 - W(1/e)
_SILU_MIN = -0.2784645427610738
_RELU_CASES = r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"
_LEAKY_CASES = r"\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}"

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid", sigmoid, sigmoid_derivative, None, torch.sigmoid, (0.0, 1.0), _params(),
            r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
            "Sigmoid", "torch.sigmoid",
        ),
        Activation(
            "tanh", tanh, tanh_derivative, None, torch.tanh, (-1.0, 1.0), _params(),
            r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", r"\tanh'(x) = 1 - \tanh^2(x)",
            "Tanh", "torch.tanh",
        ),
        Activation(
            "relu", relu, relu_derivative, None, F.relu, (0.0, _INF), _params(),
            r"\mathrm{ReLU}(x) = \max(0, x)", r"\mathrm{ReLU}'(x) = " + _RELU_CASES,
            "ReLU", "torch.nn.functional.relu",
        ),
        Activation(
            "relu6", relu6, relu6_derivative, None, F.relu6, (0.0, 6.0), _params(),
            r"\mathrm{ReLU6}(x) = \min(\max(0, x), 6)",
            r"\mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
            "ReLU6", "torch.nn.functional.relu6",
        ),
        Activation(
            "leaky_relu", leaky_relu, leaky_relu_derivative, None, F.leaky_relu, (-_INF, _INF),
            _params(negative_slope=0.01),
            r"\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
            r"\mathrm{LeakyReLU}'(x) = " + _LEAKY_CASES,
            "Leaky ReLU", "torch.nn.functional.leaky_relu",
        ),
        Activation(
            "prelu", _prelu_forward, _prelu_derivative, None, _prelu_reference, (-_INF, _INF),
            _params(weight=0.25),
            r"\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a_c x & x \le 0 \end{cases}",
            r"\mathrm{PReLU}'(x) = \begin{cases} 1 & x > 0 \\ a_c & x \le 0 \end{cases}",
            "PReLU", "torch.nn.functional.prelu",
        ),
        Activation(
            "rrelu", rrelu, rrelu_derivative, None, F.rrelu, (-_INF, _INF),
            _params(lower=1.0 / 8, upper=1.0 / 3, training=False),
            r"\mathrm{RReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases},\ "
            r"a \sim \mathcal U(l, u) \text{ (training)},\ a = \tfrac{l + u}{2} \text{ (eval)}",
            r"\mathrm{RReLU}'(x) = " + _LEAKY_CASES,
            "RReLU", "torch.nn.functional.rrelu",
        ),
        Activation(
            "elu", elu, elu_derivative, None, F.elu, (-1.0, _INF), _params(alpha=1.0),
            r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
            "ELU", "torch.nn.functional.elu",
        ),
        Activation(
            "selu", selu, selu_derivative, None, F.selu, (-_SELU_SCALE * _SELU_ALPHA, _INF), _params(),
            r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"\mathrm{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
            "SELU", "torch.nn.functional.selu",
        ),
        Activation(
            "gelu", gelu, gelu_derivative, None, F.gelu, (_GELU_MIN, _INF), _params(approximate="none"),
            r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)",
            r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
            "GELU", "torch.nn.functional.gelu",
        ),
        Activation(
            "silu", silu, silu_derivative, None, F.silu, (_SILU_MIN, _INF), _params(),
            r"\mathrm{SiLU}(x) = x\,\sigma(x)", r"\mathrm{SiLU}'(x) = \sigma(x)\,(1 + x\,(1 - \sigma(x)))",
            "SiLU", "torch.nn.functional.silu",
        ),
        Activation(
            "swish", swish, swish_derivative, None, _swish_reference, (_SILU_MIN, _INF), _params(beta=1.0),
            r"\mathrm{swish}_\beta(x) = x\,\sigma(\beta x)",
            r"\mathrm{swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,(1 - \sigma(\beta x))",
            "Swish", "x * torch.sigmoid(beta * x)",
        ),
        Activation(
            "softplus", softplus, softplus_derivative, None, F.softplus, (0.0, _INF),
            _params(beta=1.0, threshold=20.0),
            r"\mathrm{softplus}(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
            r"\mathrm{softplus}'(x) = \sigma(\beta x)",
            "Softplus", "torch.nn.functional.softplus",
        ),
        Activation(
            "hardsigmoid", hardsigmoid, hardsigmoid_derivative, None, F.hardsigmoid, (0.0, 1.0), _params(),
            r"\mathrm{hardsigmoid}(x) = \frac{\min(\max(0, x + 3), 6)}{6}",
            r"\mathrm{hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}",
            "Hardsigmoid", "torch.nn.functional.hardsigmoid",
        ),
        Activation(
            "hardswish", hardswish, hardswish_derivative, None, F.hardswish, (-0.375, _INF), _params(),
            r"\mathrm{hardswish}(x) = x\,\frac{\min(\max(0, x + 3), 6)}{6}",
            r"\mathrm{hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}",
            "Hardswish", "torch.nn.functional.hardswish",
        ),
        Activation(
            "softmax", softmax, None, softmax_jacobian, F.softmax, (0.0, 1.0), _params(dim=-1),
            r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
            r"\frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j)",
            "Softmax", "torch.nn.functional.softmax",
        ),
        Activation(
            "log_softmax", log_softmax, None, log_softmax_jacobian, F.log_softmax, (-_INF, 0.0), _params(dim=-1),
            r"\log\mathrm{softmax}(x)_i = x_i - \log\sum_j e^{x_j}",
            r"\frac{\partial \log p_i}{\partial x_j} = \delta_{ij} - p_j",
            "LogSoftmax", "torch.nn.functional.log_softmax",
        ),
        Activation(
            "identity", identity, identity_derivative, None, torch.nn.Identity(), (-_INF, _INF), _params(),
            r"f(x) = x", r"f'(x) = 1",
            "Identity", "torch.nn.Identity",
        ),
        Activation(
            "step", step, step_derivative, None, _step_reference, (0.0, 1.0), _params(values=1.0),
            r"H(x) = \begin{cases} 1 & x > 0 \\ v & x = 0 \\ 0 & x < 0 \end{cases}",
            r"H'(x) = 0 \quad (x \ne 0)",
            "Step (Heaviside)", "torch.heaviside",
        ),
    )
}
"""Every activation by name, in the order the docs page presents them."""
