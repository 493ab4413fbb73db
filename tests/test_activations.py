"""dlref.activations against torch: values, derivatives, gradients, registry, errors."""

from __future__ import annotations

import inspect
import math
from collections import Counter
from types import MappingProxyType

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

import dlref.activations as A
from dlref.activations import ACTIVATIONS, _fast, exponential, hard, relu_family, sigmoid_tanh, smooth

DT = torch.float64
NAMES = list(ACTIVATIONS)
ELEMENTWISE = [n for n, a in ACTIVATIONS.items() if a.derivative is not None]
SOFTMAXES = [n for n, a in ACTIVATIONS.items() if a.jacobian is not None]
KINKS = [-3.0, 0.0, 3.0, 6.0, 20.0]  # every kink of every default-parameter activation (20: softplus threshold)
EXTREMES = [-math.inf, -1e4, 1e4, math.inf]


def grid(*extra: float) -> torch.Tensor:
    """A dense grid on [-20, 20] in float64 with each kink, its floating-point neighbours, and `extra`."""
    kinks = torch.tensor(KINKS + list(extra), dtype=DT)
    below, above = torch.nextafter(kinks, kinks - 1), torch.nextafter(kinks, kinks + 1)
    return torch.unique(torch.cat([torch.linspace(-20, 20, 4001, dtype=DT), kinks, below, above]))  # sorted


def call(fn, x: torch.Tensor, params) -> torch.Tensor:
    return fn(x, **params)


def torch_grad(fn, x: torch.Tensor, params) -> torch.Tensor:
    """d fn(x) / dx elementwise, from torch autograd."""
    leaf = x.clone().requires_grad_()
    (g,) = torch.autograd.grad(fn(leaf, **params).sum(), leaf)
    return g


def away_from_kinks(n: int, seed: int, low: float = -8.0, high: float = 8.0) -> torch.Tensor:
    """Random points at least 1e-2 away from every kink (gradcheck uses eps=1e-6)."""
    x = torch.empty(n, dtype=DT).uniform_(low, high, generator=torch.Generator().manual_seed(seed))
    for k in KINKS:
        x = torch.where((x - k).abs() < 1e-2, x + 0.05, x)
    return x


# --------------------------------------------------------------------------- forward vs torch


@pytest.mark.parametrize("name", NAMES)
def test_forward_matches_reference_on_grid(name: str) -> None:
    a = ACTIVATIONS[name]
    x = grid()
    assert_close(call(a.forward, x, a.params), call(a.reference, x, a.params))


@pytest.mark.parametrize("name", NAMES)
def test_forward_extremes_match_reference(name: str) -> None:
    a = ACTIVATIONS[name]
    for values in (EXTREMES, [-1e4, 0.0, 1e4], [-math.inf, 0.0, 1.0]):
        x = torch.tensor(values, dtype=DT)
        ours, ref = call(a.forward, x, a.params), call(a.reference, x, a.params)
        assert torch.equal(torch.isfinite(ours), torch.isfinite(ref)), (values, ours, ref)
        assert_close(ours, ref, equal_nan=True)


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4, 5)])
@pytest.mark.parametrize("name", NAMES)
def test_forward_matches_reference_on_random_normal(name: str, shape: tuple[int, ...]) -> None:
    a = ACTIVATIONS[name]
    x = 3 * torch.randn(shape, dtype=DT, generator=torch.Generator().manual_seed(len(shape)))
    ours = call(a.forward, x, a.params)
    assert ours.shape == x.shape and ours.dtype == x.dtype
    assert_close(ours, call(a.reference, x, a.params))


@pytest.mark.parametrize("name", NAMES)
def test_float32_within_float32_tolerance(name: str) -> None:
    # plain float32 formulas (several roundings where torch's kernels round once) stay within float32 tolerance
    a = ACTIVATIONS[name]
    x = 5 * torch.randn(1000, generator=torch.Generator().manual_seed(0))
    assert_close(call(a.forward, x, a.params), call(a.reference, x, a.params))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", NAMES)
def test_half_precision_is_computed_in_float32(name: str, dtype: torch.dtype) -> None:
    # like torch's CPU kernels: float32 inside, one rounding at the end (e^15 alone overflows float16)
    a = ACTIVATIONS[name]
    x = grid()[::8].to(dtype)
    tol = {"rtol": 2e-3, "atol": 1e-3} if dtype == torch.float16 else {"rtol": 1.6e-2, "atol": 1e-2}
    ours = call(a.forward, x, a.params)
    assert ours.dtype == dtype
    assert_close(ours, call(a.reference, x.double(), a.params).to(dtype), **tol)
    if a.derivative is not None:
        slope = call(a.derivative, x, a.params)
        assert slope.dtype == dtype
        assert_close(slope, call(a.derivative, x.double(), a.params).to(dtype), **tol)


# --------------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_torch_autograd(name: str) -> None:
    a = ACTIVATIONS[name]
    x = torch.cat([grid(), torch.tensor(EXTREMES, dtype=DT)])
    ours = call(a.derivative, x, a.params)
    if name == "step":
        # torch.heaviside has no autograd formula; dlref's step derivative is 0 everywhere
        with pytest.raises(RuntimeError, match="not implemented"):
            torch_grad(a.reference, x, a.params)
        assert torch.equal(ours, torch.zeros_like(x))
        return
    expected = torch_grad(a.reference, x, a.params)
    defined = ~torch.isnan(expected)
    assert_close(ours[defined], expected[defined])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_autograd_equals_derivative(name: str) -> None:
    a = ACTIVATIONS[name]
    x = grid()
    assert_close(torch_grad(a.forward, x, a.params), call(a.derivative, x, a.params))


KINK_VALUES = [
    # (function, kwargs, x, torch autograd's value there)
    (A.relu_derivative, {}, 0.0, 0.0),
    (A.relu6_derivative, {}, 0.0, 0.0),
    (A.relu6_derivative, {}, 6.0, 0.0),
    (A.leaky_relu_derivative, {"negative_slope": 0.2}, 0.0, 0.2),
    (A.rrelu_derivative, {"lower": 0.1, "upper": 0.3}, 0.0, 0.2),
    (A.elu_derivative, {"alpha": 0.5}, 0.0, 0.5),
    (A.selu_derivative, {}, 0.0, 1.0507009873554805 * 1.6732632423543772),
    (A.hardsigmoid_derivative, {}, -3.0, 0.0),
    (A.hardsigmoid_derivative, {}, 3.0, 0.0),
    (A.hardswish_derivative, {}, -3.0, 0.0),
    (A.hardswish_derivative, {}, 3.0, 1.0),
    (A.softplus_derivative, {}, 20.0, 1 / (1 + math.exp(-20.0))),
    (A.step_derivative, {}, 0.0, 0.0),
]


@pytest.mark.parametrize(("fn", "kwargs", "x", "value"), KINK_VALUES, ids=lambda v: getattr(v, "__name__", None))
def test_documented_kink_values(fn, kwargs, x: float, value: float) -> None:
    assert fn(torch.tensor([x], dtype=DT), **kwargs).item() == pytest.approx(value, rel=1e-15)


def test_prelu_derivative_at_zero_is_the_weight() -> None:
    w = torch.tensor([0.25, 0.5], dtype=DT)
    assert torch.equal(A.prelu_derivative(torch.zeros(3, 2, dtype=DT), w), w.expand(3, 2))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_gradcheck_and_gradgradcheck_away_from_kinks(name: str) -> None:
    a = ACTIVATIONS[name]
    x = away_from_kinks(16, seed=1).requires_grad_()
    fn = lambda t: call(a.forward, t, a.params)  # noqa: E731
    assert torch.autograd.gradcheck(fn, (x,))
    assert torch.autograd.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", SOFTMAXES)
@pytest.mark.parametrize("dim", [-1, 0, 1])
def test_softmax_gradcheck_and_gradgradcheck(name: str, dim: int) -> None:
    x = torch.randn(3, 5, dtype=DT, generator=torch.Generator().manual_seed(2)).requires_grad_()
    fn = lambda t: ACTIVATIONS[name].forward(t, dim=dim)  # noqa: E731
    assert torch.autograd.gradcheck(fn, (x,))
    assert torch.autograd.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", [n for n in NAMES if n != "step"])  # step: test_step_autograd_gives_zeros
def test_backward_twice_with_retain_graph(name: str) -> None:
    # backward must not overwrite what it saved: a second pass gives the same gradient
    a = ACTIVATIONS[name]
    x = away_from_kinks(8, seed=3).reshape(2, 4).requires_grad_()
    y = call(a.forward, x, a.params)
    g = torch.randn_like(y)
    (first,) = torch.autograd.grad(y, x, g, retain_graph=True)
    (second,) = torch.autograd.grad(y, x, g)
    assert torch.equal(first, second)
    assert_close(first, torch.autograd.grad(call(a.reference, x, a.params), x, g)[0])


def test_step_autograd_gives_zeros() -> None:
    x = torch.tensor([-1.0, 0.0, 2.0], dtype=DT, requires_grad=True)
    A.step(x).sum().backward()
    assert torch.equal(x.grad, torch.zeros(3, dtype=DT))


def test_step_values_and_nan_like_heaviside() -> None:
    x = torch.tensor([-1.0, 0.0, -0.0, 2.0, math.nan], dtype=DT)
    values = torch.tensor([0.5, 0.25, 0.75, 0.1, 0.9], dtype=DT)
    assert torch.equal(A.step(x, values), torch.heaviside(x, values))
    assert torch.equal(A.step(x, 0.5), torch.heaviside(x, torch.tensor(0.5, dtype=DT)))


# --------------------------------------------------------------------------- non-default parameters

NON_DEFAULT = [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": -0.5}),  # outside [0, 1]: the general slope formula
    ("leaky_relu", {"negative_slope": 2.0}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("gelu", {"approximate": "tanh"}),
    ("swish", {"beta": 2.0}),
    ("rrelu", {"lower": 0.05, "upper": 0.5, "training": False}),
    ("prelu", {"weight": 0.1}),
    ("step", {"values": 0.5}),
]


@pytest.mark.parametrize(("name", "params"), NON_DEFAULT, ids=lambda v: str(v))
def test_non_default_params_match_reference(name: str, params: dict) -> None:
    a = ACTIVATIONS[name]
    x = torch.cat([grid(2.5, 2.5 + 1e-12, 2.5 - 1e-12), torch.tensor(EXTREMES, dtype=DT)])
    assert_close(call(a.forward, x, params), call(a.reference, x, params), equal_nan=True)
    if name != "step":
        expected = torch_grad(a.reference, x, params)
        defined = ~torch.isnan(expected)
        assert_close(call(a.derivative, x, params)[defined], expected[defined])
        assert_close(torch_grad(a.forward, grid(), params), call(a.derivative, grid(), params))


def test_softplus_switches_to_identity_above_threshold_like_torch() -> None:
    x = torch.tensor([2.5, 2.5 + 1e-9, 30.0], dtype=DT)  # beta * x == threshold, just above, far above
    ours = A.softplus(x, beta=2.0, threshold=5.0)
    assert torch.equal(ours, F.softplus(x, beta=2.0, threshold=5.0))
    assert ours[1] == x[1] and ours[2] == x[2]  # exactly the identity
    assert ours[0] != x[0]  # at the threshold itself the smooth branch applies


def test_softplus_overflow_beyond_a_large_threshold_is_inf_like_torch() -> None:
    # threshold=100 exceeds float32's exp range: both give inf (not NaN) where e^x overflows
    x = torch.tensor([-200.0, 50.0, 95.0, 150.0])
    assert torch.equal(A.softplus(x, threshold=100.0), F.softplus(x, threshold=100.0))


def test_silu_is_swish_with_beta_one() -> None:
    x = grid()
    assert torch.equal(A.silu(x), A.swish(x, beta=1.0))
    assert torch.equal(A.silu_derivative(x), A.swish_derivative(x))


# --------------------------------------------------------------------------- rrelu, prelu


def test_rrelu_eval_equals_torch_eval() -> None:
    x = grid()
    assert_close(A.rrelu(x, 0.1, 0.3, training=False), F.rrelu(x, 0.1, 0.3, training=False))
    assert_close(A.rrelu(x), F.rrelu(x))


def test_rrelu_training_slopes_seed_and_derivative() -> None:
    x = torch.cat([grid(), torch.zeros(5, dtype=DT)])
    lower, upper = 0.1, 0.3

    def seeded(seed: int = 7) -> torch.Generator:
        return torch.Generator().manual_seed(seed)

    y = A.rrelu(x, lower, upper, training=True, generator=seeded())
    positive, negative = x > 0, x < -1e-300  # (x·slope underflows for the subnormal neighbour of 0)
    assert torch.equal(y[positive], x[positive])
    slopes = y[negative] / x[negative]
    assert slopes.min() >= lower and slopes.max() <= upper
    assert slopes.std() > 0.03  # random, not the mean slope
    assert torch.equal(A.rrelu(x, lower, upper, True, seeded()), y)  # same seed, same output
    assert not torch.equal(A.rrelu(x, lower, upper, True, seeded(8)), y)
    d = A.rrelu_derivative(x, lower, upper, True, seeded())  # same draws as the forward
    assert torch.equal(d[positive], torch.ones_like(x[positive]))
    assert_close(d[negative], slopes)
    zero_slopes = d[x == 0]  # at 0 torch also uses the random slope
    assert zero_slopes.min() >= lower and zero_slopes.max() <= upper
    leaf = x.clone().requires_grad_()
    A.rrelu(leaf, lower, upper, True, seeded()).sum().backward()
    assert torch.equal(leaf.grad, d)


def test_rrelu_training_distribution_matches_torch() -> None:
    x = -torch.ones(20000, dtype=DT)
    torch.manual_seed(0)
    ours = -A.rrelu(x, 0.1, 0.3, training=True)
    theirs = -F.rrelu(x, 0.1, 0.3, training=True)
    assert abs(ours.mean() - theirs.mean()) < 0.005 and abs(ours.std() - theirs.std()) < 0.005


@pytest.mark.parametrize("weight_shape", [(3,), (1,), ()])
def test_prelu_per_channel_nchw(weight_shape: tuple[int, ...]) -> None:
    gen = torch.Generator().manual_seed(4)
    x = torch.randn(2, 3, 4, 5, dtype=DT, generator=gen)
    w = torch.rand(weight_shape, dtype=DT, generator=gen)
    xs, ws = x.clone().requires_grad_(), w.clone().requires_grad_()
    xt, wt = x.clone().requires_grad_(), w.clone().requires_grad_()
    g = torch.randn_like(x)
    ours, theirs = A.prelu(xs, ws), F.prelu(xt, wt)
    assert_close(ours, theirs)
    assert_close(torch.autograd.grad(ours, (xs, ws), g), torch.autograd.grad(theirs, (xt, wt), g))
    assert_close(A.prelu_derivative(x, w), torch.autograd.grad(F.prelu(xt, w), xt, torch.ones_like(x))[0])
    assert torch.autograd.gradcheck(A.prelu, (away_from_kinks(24, 5).reshape(2, 3, 4).requires_grad_(), ws))
    assert torch.autograd.gradgradcheck(A.prelu, (away_from_kinks(24, 5).reshape(2, 3, 4).requires_grad_(), ws))


def test_prelu_low_dim_inputs_like_torch() -> None:
    w = torch.tensor([0.25], dtype=DT)
    for x in (torch.tensor(-2.0, dtype=DT), torch.tensor([-2.0, 3.0], dtype=DT)):
        assert_close(A.prelu(x, w), F.prelu(x, w))


# --------------------------------------------------------------------------- softmax, log_softmax


def test_softmax_rows_sum_to_one_and_shift_invariance() -> None:
    x = 10 * torch.randn(4, 6, dtype=DT, generator=torch.Generator().manual_seed(6))
    for dim in (0, 1, -1):
        p = A.softmax(x, dim=dim)
        assert_close(p.sum(dim), torch.ones(x.shape[1 - dim % 2], dtype=DT))
        assert_close(A.softmax(x + 123.0, dim=dim), p)
        assert_close(A.log_softmax(x + 123.0, dim=dim), A.log_softmax(x, dim=dim))


def test_softmax_stable_for_large_logits() -> None:
    x = torch.tensor([1000.0, 0.0, -1000.0], dtype=DT)
    p, logp = A.softmax(x, dim=0), A.log_softmax(x, dim=0)
    assert torch.isfinite(p).all() and torch.isfinite(logp).all()
    assert torch.equal(p, torch.tensor([1.0, 0.0, 0.0], dtype=DT))
    assert torch.equal(logp, torch.tensor([0.0, -1000.0, -2000.0], dtype=DT))
    leaf = x.clone().requires_grad_()
    A.log_softmax(leaf, dim=0)[1].backward()
    assert torch.isfinite(leaf.grad).all()


def test_softmax_dim_is_required() -> None:
    with pytest.raises(TypeError):
        A.softmax(torch.zeros(3, dtype=DT))  # type: ignore[call-arg]


def test_softmax_zero_dim_input_like_torch() -> None:
    x = torch.tensor(2.0, dtype=DT)
    assert_close(A.softmax(x, 0), F.softmax(x, 0))
    assert_close(A.log_softmax(x, -1), F.log_softmax(x, -1))


@pytest.mark.parametrize("name", SOFTMAXES)
def test_jacobian_matches_torch_functional_jacobian(name: str) -> None:
    a = ACTIVATIONS[name]
    gen = torch.Generator().manual_seed(8)
    x1 = torch.randn(5, dtype=DT, generator=gen)
    assert_close(a.jacobian(x1), torch.autograd.functional.jacobian(lambda t: a.reference(t, dim=-1), x1))
    x = torch.randn(4, 5, dtype=DT, generator=gen)
    full = torch.autograd.functional.jacobian(lambda t: a.reference(t, dim=-1), x)  # (4, 5, 4, 5)
    ours = a.jacobian(x, dim=-1)
    assert ours.shape == (4, 5, 5)
    for b in range(4):
        assert_close(ours[b], full[b, :, b, :])
    full0 = torch.autograd.functional.jacobian(lambda t: a.reference(t, dim=0), x)  # softmax down columns
    ours0 = a.jacobian(x, dim=0)
    assert ours0.shape == (5, 4, 4)
    for b in range(5):
        assert_close(ours0[b], full0[:, b, :, b])


def test_softmax_jacobian_properties() -> None:
    j = A.softmax_jacobian(torch.randn(3, 4, dtype=DT, generator=torch.Generator().manual_seed(9)))
    assert_close(j, j.transpose(-1, -2))
    assert_close(j.sum(-1), torch.zeros(3, 4, dtype=DT))
    assert_close(A.log_softmax_jacobian(torch.zeros(2, dtype=DT)), torch.tensor([[0.5, -0.5], [-0.5, 0.5]], dtype=DT))


# --------------------------------------------------------------------------- output ranges


@pytest.mark.parametrize("name", NAMES)
def test_output_range_is_honoured_on_the_grid(name: str) -> None:
    a = ACTIVATIONS[name]
    lo, hi = a.output_range
    x = torch.cat([grid(-1.5, -0.7517915246935645, -1.278464542761074), torch.tensor(EXTREMES, dtype=DT)])
    if name in SOFTMAXES:
        x = x.reshape(1, -1)[:, :-4]  # ±inf in one row makes every entry NaN, as in torch
    y = call(a.forward, x, a.params)
    y = y[~torch.isnan(y)]
    assert y.min() >= lo - 1e-12 and y.max() <= hi
    if name not in SOFTMAXES:  # finite bounds are attained or approached on the grid
        if math.isfinite(lo):
            assert y.min() <= lo + 1e-8
        if math.isfinite(hi):
            assert y.max() >= hi - 1e-8


# --------------------------------------------------------------------------- registry


def test_registry_names_and_order() -> None:
    assert NAMES == [
        "sigmoid", "tanh", "relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "selu", "gelu",
        "silu", "swish", "softplus", "hardsigmoid", "hardswish", "softmax", "log_softmax", "identity", "step",
    ]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_registry_entry_is_consistent(name: str) -> None:
    a = ACTIVATIONS[name]
    assert a.name == name and name in A.__all__
    assert isinstance(a.params, MappingProxyType)
    assert (a.derivative is None) == (a.jacobian is not None) == (name in ("softmax", "log_softmax"))
    if name != "prelu":  # prelu's registry wrapper turns the stored float slope into a tensor
        assert a.forward is getattr(A, name)
        assert a.derivative in (None, getattr(A, f"{name}_derivative", None))
    assert a.formula and a.derivative_formula and a.title and a.reference_name
    # each formula is written once, in a docstring, and the registry takes it from there
    documented = getattr(A, name)
    derivative = getattr(A, f"{name}_derivative", None) or getattr(A, f"{name}_jacobian")
    assert a.formula in " ".join(inspect.getdoc(documented).split())
    assert a.derivative_formula in " ".join(inspect.getdoc(derivative).split())
    with pytest.raises(AttributeError):
        a.name = "other"  # type: ignore[misc]


def test_every_public_function_has_a_derivative_or_jacobian() -> None:
    functions = [n for n in A.__all__ if callable(getattr(A, n)) and n != "Activation"]
    for name in ACTIVATIONS:
        assert f"{name}_derivative" in functions or f"{name}_jacobian" in functions
    assert all(n.removesuffix("_derivative").removesuffix("_jacobian") in ACTIVATIONS for n in functions)


def test_registry_prelu_default_weight_is_not_shared() -> None:
    a = ACTIVATIONS["prelu"]
    x = -torch.ones(3, dtype=DT)
    assert a.params["weight"] == 0.25
    assert_close(a.forward(x, **a.params), torch.full((3,), -0.25, dtype=DT))


# --------------------------------------------------------------------------- from scratch


COUNTERPARTS = [
    (torch, "sigmoid"), (torch, "tanh"), (torch, "relu"), (torch, "softmax"), (torch, "log_softmax"),
    (torch, "heaviside"), (torch, "prelu"), (torch, "rrelu"), (torch, "selu"), (torch, "celu"),
    (torch.special, "expit"), (torch.special, "softmax"), (torch.special, "log_softmax"),
    (torch.Tensor, "sigmoid"), (torch.Tensor, "tanh"), (torch.Tensor, "relu"), (torch.Tensor, "softmax"),
    (torch.Tensor, "log_softmax"), (torch.Tensor, "heaviside"),
    *((F, name) for name in ("relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "selu", "gelu", "silu",
                             "softplus", "hardsigmoid", "hardswish", "hardtanh", "softmax", "log_softmax", "tanh",
                             "sigmoid", "logsigmoid", "mish")),
]  # fmt: skip


def test_no_function_calls_a_torch_activation(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("dlref called a torch activation")

    for owner, attr in COUNTERPARTS:
        monkeypatch.setattr(owner, attr, forbidden)
    small = away_from_kinks(12, seed=10).reshape(3, 4)
    large = away_from_kinks(_fast.FAST_PATH_MIN_NUMEL, seed=10).reshape(-1, 256)  # the fast paths
    for x in (small.requires_grad_(), large.requires_grad_()):
        for name, a in ACTIVATIONS.items():
            params = {"weight": torch.tensor([0.25], dtype=DT)} if name == "prelu" else dict(a.params)
            y = getattr(A, name)(x, **params)
            y.sum().backward()
            if a.derivative is not None:
                getattr(A, f"{name}_derivative")(x, **params)
            elif x is small:
                a.jacobian(x)


# --------------------------------------------------------------------------- fast paths

FAST_MODULES = (sigmoid_tanh, relu_family, exponential, smooth, hard)
FAST_CASES = [(name, dict(ACTIVATIONS[name].params)) for name in ELEMENTWISE] + NON_DEFAULT


def large(dtype: torch.dtype) -> torch.Tensor:
    """Enough elements for the fast paths: the grid with its kinks, the extremes, and normal draws."""
    draws = 5 * torch.randn(_fast.FAST_PATH_MIN_NUMEL, dtype=DT, generator=torch.Generator().manual_seed(12))
    return torch.cat([grid(2.5), torch.tensor(EXTREMES, dtype=DT), draws]).to(dtype)


def value_gradient_derivative(name: str, params: dict, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
    a = ACTIVATIONS[name]
    leaf = x.clone().requires_grad_()
    y = call(a.forward, leaf, params)
    g = torch.randn(x.shape, generator=torch.Generator().manual_seed(13), dtype=x.dtype)
    (grad,) = torch.autograd.grad(y, leaf, g)
    return y.detach(), grad, call(a.derivative, x, params)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize(("name", "params"), FAST_CASES, ids=lambda v: str(v))
def test_fast_paths_equal_the_plain_formulas(name: str, params: dict, dtype: torch.dtype,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # values, autograd gradients and derivatives of a large tensor, with and without the fast paths
    x = large(dtype)
    fast = value_gradient_derivative(name, params, x)
    monkeypatch.setattr(_fast, "FAST_PATH_MIN_NUMEL", math.inf)  # plain formulas only
    plain = value_gradient_derivative(name, params, x)
    for ours, reference in zip(fast, plain, strict=True):
        assert torch.equal(torch.isnan(ours), torch.isnan(reference))
        assert_close(ours, reference, equal_nan=True)


def test_every_fast_path_runs_on_large_tensors(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: Counter[str] = Counter()

    def spy(name: str, fn):
        def counted(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return counted

    fast_paths = set()
    for module in FAST_MODULES:
        for attr in [n for n, v in vars(module).items() if n.endswith("_fast") and inspect.isfunction(v)]:
            fast_paths.add(f"{module.__name__}.{attr}")
            monkeypatch.setattr(module, attr, spy(f"{module.__name__}.{attr}", getattr(module, attr)))
    x = large(torch.float32)
    for name, params in FAST_CASES:
        value_gradient_derivative(name, params, x)
    assert set(calls) == fast_paths
    calls.clear()
    for name, params in FAST_CASES:
        value_gradient_derivative(name, params, x[:1000])  # small tensors: the plain formulas
    assert not calls


def test_double_backward_of_a_large_tensor_uses_the_plain_derivative() -> None:
    # create_graph=True records the derivative, so it must run the plain formula, not a fast path
    x = large(torch.float64).clamp(-8, 8).requires_grad_()
    (g,) = torch.autograd.grad(A.gelu(x).sum(), x, create_graph=True)
    (gg,) = torch.autograd.grad(g.sum(), x)
    leaf = x.detach().clone().requires_grad_()
    (expected,) = torch.autograd.grad(torch.autograd.grad(F.gelu(leaf).sum(), leaf, create_graph=True)[0].sum(), leaf)
    assert_close(gg, expected)


# --------------------------------------------------------------------------- shapes and layouts


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_dim_empty_and_non_contiguous_inputs(name: str) -> None:
    a = ACTIVATIONS[name]
    for x in (
        torch.tensor(-0.5, dtype=DT),
        torch.empty(0, 3, dtype=DT),
        torch.randn(4, 3, dtype=DT, generator=torch.Generator().manual_seed(11)).t(),
    ):
        assert_close(call(a.forward, x, a.params), call(a.reference, x, a.params))
        assert call(a.derivative, x, a.params).shape == x.shape


def test_identity_returns_its_input() -> None:
    x = torch.randn(3, dtype=DT)
    assert A.identity(x) is x


# --------------------------------------------------------------------------- bad input


def _all_public_functions():
    for name in A.__all__:
        fn = getattr(A, name)
        if callable(fn) and name not in ("Activation",):
            yield name, fn


def _valid_extra_args(name: str) -> dict:
    return {"weight": torch.tensor([0.25])} if name.startswith("prelu") else {"dim": -1} if "softmax" in name else {}


@pytest.mark.parametrize(("name", "fn"), list(_all_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_non_tensor_input_raises_type_error(name: str, fn) -> None:
    with pytest.raises(TypeError, match=rf"^{name}: input has the wrong type \(got list\); expected a torch\.Tensor$"):
        fn([1.0, 2.0], **_valid_extra_args(name))


@pytest.mark.parametrize(("name", "fn"), list(_all_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_integer_input_raises_type_error(name: str, fn) -> None:
    # deliberate: torch accepts integers in relu/relu6 and promotes them in sigmoid/tanh
    msg = rf"^{name}: input has the wrong dtype \(got torch\.int64\); expected a floating-point tensor$"
    with pytest.raises(TypeError, match=msg):
        fn(torch.tensor([1, 2]), **_valid_extra_args(name))


def test_torch_is_more_permissive_than_dlref_about_dtypes() -> None:
    assert torch.equal(F.relu(torch.tensor([-1, 2])), torch.tensor([0, 2]))
    assert torch.sigmoid(torch.tensor([0])).dtype == torch.float32


X = torch.tensor([-1.0, 0.0, 1.0], dtype=DT)

POSITIVE = r"expected a finite number > 0$"
NON_NEGATIVE = r"expected a finite number >= 0$"
FINITE = r"expected a finite number$"
REAL = r"expected a real number \(int or float\)$"
CHOICES = r"expected one of 'none', 'tanh'$"
BAD_PARAMS = [
    (A.softplus, {"beta": 0.0}, ValueError,
     r"^softplus: beta is out of range \(got 0\.0\); " + POSITIVE),
    (A.softplus, {"beta": -1.0}, ValueError,
     r"^softplus: beta is out of range \(got -1\.0\); " + POSITIVE),
    (A.softplus, {"beta": math.inf}, ValueError,
     r"^softplus: beta is out of range \(got inf\); " + POSITIVE),
    (A.softplus, {"threshold": 0.0}, ValueError,
     r"^softplus: threshold is out of range \(got 0\.0\); " + POSITIVE),
    (A.softplus, {"threshold": math.inf}, ValueError,
     r"^softplus: threshold is out of range \(got inf\); " + POSITIVE),
    (A.softplus_derivative, {"beta": -2}, ValueError,
     r"^softplus_derivative: beta is out of range \(got -2\); " + POSITIVE),
    (A.rrelu, {"lower": 0.5, "upper": 0.1}, ValueError,
     r"^rrelu: lower is out of range \(got 0\.5\); expected a finite number >= 0 and <= 0\.1$"),
    (A.rrelu, {"lower": -0.1}, ValueError,
     r"^rrelu: lower is out of range \(got -0\.1\); expected a finite number >= 0 and <= 0\.333333$"),
    (A.rrelu, {"upper": math.inf}, ValueError,
     r"^rrelu: upper is out of range \(got inf\); " + NON_NEGATIVE),
    (A.rrelu_derivative, {"lower": 0.5, "upper": 0.1, "training": True}, ValueError,
     r"^rrelu_derivative: lower is out of range \(got 0\.5\); expected a finite number >= 0 and <= 0\.1$"),
    (A.elu, {"alpha": -1.0}, ValueError,
     r"^elu: alpha is out of range \(got -1\.0\); " + NON_NEGATIVE),
    (A.elu_derivative, {"alpha": math.nan}, ValueError,
     r"^elu_derivative: alpha is out of range \(got nan\); " + NON_NEGATIVE),
    (A.leaky_relu, {"negative_slope": math.nan}, ValueError,
     r"^leaky_relu: negative_slope is out of range \(got nan\); " + FINITE),
    (A.leaky_relu, {"negative_slope": math.inf}, ValueError,
     r"^leaky_relu: negative_slope is out of range \(got inf\); " + FINITE),
    (A.leaky_relu, {"negative_slope": "0.1"}, TypeError,
     r"^leaky_relu: negative_slope has the wrong type \(got str\); " + REAL),
    (A.leaky_relu, {"negative_slope": True}, TypeError,
     r"^leaky_relu: negative_slope has the wrong type \(got bool\); " + REAL),
    (A.gelu, {"approximate": "erf"}, ValueError,
     r"^gelu: approximate is not a valid choice \(got 'erf'\); " + CHOICES),
    (A.gelu_derivative, {"approximate": None}, ValueError,
     r"^gelu_derivative: approximate is not a valid choice \(got None\); " + CHOICES),
    (A.swish, {"beta": 0.0}, ValueError,
     r"^swish: beta is out of range \(got 0\.0\); " + POSITIVE),
    (A.swish_derivative, {"beta": -1.0}, ValueError,
     r"^swish_derivative: beta is out of range \(got -1\.0\); " + POSITIVE),
]  # fmt: skip


@pytest.mark.parametrize(("fn", "kwargs", "error", "message"), BAD_PARAMS, ids=lambda v: str(v)[:40])
def test_invalid_params_raise(fn, kwargs: dict, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        fn(X, **kwargs)


def test_torch_accepts_the_params_dlref_rejects() -> None:
    # documented deviations: torch computes these without complaint
    assert torch.isfinite(F.softplus(X, beta=-1.0)).all()
    assert torch.isfinite(F.elu(X, alpha=-1.0)).all()
    assert torch.isfinite(F.rrelu(X, lower=-0.1, upper=0.1)).all()


@pytest.mark.parametrize("fn", [A.softmax, A.log_softmax])
def test_softmax_dim_errors(fn) -> None:
    x = torch.zeros(2, 3, dtype=DT)
    name = fn.__name__
    allowed = r"expected -2\.\.1 for an input with 2 dims$"
    with pytest.raises(ValueError, match=rf"^{name}: dim is out of range \(got 3\); {allowed}"):
        fn(x, dim=3)
    with pytest.raises(ValueError, match=rf"^{name}: dim is out of range \(got -3\); {allowed}"):
        fn(x, dim=-3)
    with pytest.raises(TypeError, match=rf"^{name}: dim has the wrong type \(got float\); expected an int$"):
        fn(x, dim=1.0)
    with pytest.raises(TypeError, match=rf"^{name}: dim has the wrong type \(got bool\); expected an int$"):
        fn(x, dim=True)


def test_jacobian_errors() -> None:
    no_dims = (r"^softmax_jacobian: input has no dimensions \(got a 0-dim tensor\); "
               r"expected a tensor with at least 1 dim$")
    with pytest.raises(ValueError, match=no_dims):
        A.softmax_jacobian(torch.tensor(1.0, dtype=DT))
    bad_dim = r"^log_softmax_jacobian: dim is out of range \(got 2\); expected -2\.\.1 for an input with 2 dims$"
    with pytest.raises(ValueError, match=bad_dim):
        A.log_softmax_jacobian(torch.zeros(2, 3, dtype=DT), dim=2)


def test_prelu_weight_errors() -> None:
    x = torch.zeros(2, 3, 4, dtype=DT)
    allowed = (r"expected 1 or 3 elements \(one per channel, dim 1 of input of shape \(2, 3, 4\)\) "
               r"in a 0-dim or 1-D tensor$")
    with pytest.raises(ValueError, match=r"^prelu: weight has the wrong shape \(got \(2,\)\); " + allowed):
        A.prelu(x, torch.tensor([0.1, 0.2], dtype=DT))
    with pytest.raises(ValueError, match=r"^prelu_derivative: weight has the wrong shape \(got \(1, 3\)\); " + allowed):
        A.prelu_derivative(x, torch.ones(1, 3, dtype=DT))
    with pytest.raises(TypeError, match=r"^prelu: weight has the wrong type \(got float\); expected a torch\.Tensor$"):
        A.prelu(x, 0.25)  # type: ignore[arg-type]
    wrong_dtype = (r"^prelu: weight has the wrong dtype \(got torch\.float32\); "
                   r"expected torch\.float64, the dtype of input$")
    with pytest.raises(TypeError, match=wrong_dtype):
        A.prelu(x, torch.tensor([0.25]))
    with pytest.raises(RuntimeError):  # torch raises too, without naming the allowed shapes
        F.prelu(x, torch.tensor([0.1, 0.2], dtype=DT))
