"""dlref.init against torch.nn.init: the same tensor from the same generator, else the same distribution; errors."""

from __future__ import annotations

import math
import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from dlref import init

from .torch_reference import DT, gen

# weight shapes of nn.Linear(5, 3), nn.Conv1d(4, 6, 3), nn.Conv2d(3, 8, (5, 2)), nn.Conv3d(2, 4, (3, 1, 2))
WEIGHT_SHAPES = [(3, 5), (6, 4, 3), (8, 3, 5, 2), (4, 2, 3, 1, 2)]
NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                  "sigmoid", "tanh", "relu", "leaky_relu", "selu"]
N = 1_000_000  # elements for the distribution tests
Z = 5.0  # tolerance in standard errors: a correct sampler fails a check with probability below 1e-6


def exact(ours: torch.Tensor, theirs: torch.Tensor) -> None:
    assert_close(ours, theirs, rtol=0, atol=0)


# (name, kwargs): every call that torch draws in the same way, on each weight shape
SAME_DRAW = [
    ("uniform_", {}), ("uniform_", {"a": -0.3, "b": 2.0}), ("normal_", {}), ("normal_", {"mean": 1.5, "std": 0.2}),
    ("xavier_uniform_", {}), ("xavier_uniform_", {"gain": 5 / 3}), ("xavier_normal_", {}),
    ("xavier_normal_", {"gain": math.sqrt(2)}), ("kaiming_uniform_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}), ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {}), ("kaiming_normal_", {"a": 0.2, "mode": "fan_out"}),
    ("kaiming_normal_", {"nonlinearity": "linear"}), ("kaiming_normal_", {"nonlinearity": "tanh"}),
    ("orthogonal_", {}), ("orthogonal_", {"gain": 2.0}),
]


@pytest.mark.parametrize(("name", "kwargs"), SAME_DRAW)
@pytest.mark.parametrize("shape", [*WEIGHT_SHAPES, (2, 7), (7, 2)])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_same_tensor_as_torch_from_the_same_generator(name: str, kwargs: dict[str, float | str],
                                                      shape: tuple[int, ...], dtype: torch.dtype) -> None:
    ours = getattr(init, name)(torch.empty(shape, dtype=dtype), **kwargs, generator=gen(7))
    theirs = getattr(nn.init, name)(torch.empty(shape, dtype=dtype), **kwargs, generator=gen(7))
    exact(ours, theirs)


@pytest.mark.parametrize(("name", "args"), [("constant_", (0.25,)), ("ones_", ()), ("zeros_", ())])
def test_constants_match_torch(name: str, args: tuple[float, ...]) -> None:
    for shape in [*WEIGHT_SHAPES, (), (4,)]:
        exact(getattr(init, name)(torch.full(shape, 9.0, dtype=DT), *args),
              getattr(nn.init, name)(torch.full(shape, 9.0, dtype=DT), *args))


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (1, 1)])
def test_eye_matches_torch(shape: tuple[int, int]) -> None:
    exact(init.eye_(torch.full(shape, 9.0, dtype=DT)), nn.init.eye_(torch.full(shape, 9.0, dtype=DT)))


@pytest.mark.parametrize("shape", [(4, 4, 3), (6, 2, 3, 3), (4, 3, 3, 2, 5), (2, 5, 4, 4), (6, 1, 3)])
@pytest.mark.parametrize("groups", [1, 2])
def test_dirac_matches_torch_and_copies_the_input(shape: tuple[int, ...], groups: int) -> None:
    ours = init.dirac_(torch.full(shape, 9.0, dtype=DT), groups)
    exact(ours, nn.init.dirac_(torch.full(shape, 9.0, dtype=DT), groups))
    if shape == (6, 2, 3, 3) and groups == 2:  # a grouped 3x3 convolution with padding 1 copies its input
        x = torch.randn(1, 4, 5, 5, dtype=DT, generator=gen(0))
        y = torch.nn.functional.conv2d(x, ours, padding=1, groups=2)
        exact(y[:, [0, 1, 3, 4]], x)


def test_sparse_matches_torch_with_the_global_generator() -> None:
    for sparsity in (0.0, 0.1, 0.5, 1.0):
        torch.manual_seed(3)
        ours = init.sparse_(torch.empty(10, 6, dtype=DT), sparsity, std=0.3)
        torch.manual_seed(3)
        theirs = nn.init.sparse_(torch.empty(10, 6, dtype=DT), sparsity, std=0.3)
        exact(ours, theirs)


def test_sparse_takes_every_draw_from_its_generator() -> None:
    """Deliberate difference: torch draws the zero positions from the global generator even when given one."""
    first = init.sparse_(torch.empty(10, 50, dtype=DT), 0.25, generator=gen(1))
    torch.manual_seed(99)  # the global generator must not matter
    again = init.sparse_(torch.empty(10, 50, dtype=DT), 0.25, generator=gen(1))
    exact(first, again)
    assert (first == 0).sum(dim=0).tolist() == [math.ceil(0.25 * 10)] * 50
    patterns = {tuple((first[:, j] == 0).tolist()) for j in range(50)}
    assert len(patterns) > 10  # each column draws its own zero rows


# --------------------------------------------------------------------------- fan and gain


@pytest.mark.parametrize("layer", [nn.Linear(5, 3), nn.Conv1d(4, 6, 3), nn.Conv2d(3, 8, (5, 2)),
                                   nn.Conv2d(4, 8, 3, groups=2), nn.Conv3d(2, 4, (3, 1, 2)),
                                   nn.ConvTranspose2d(3, 6, 3)])
def test_fan_in_and_fan_out_match_torch(layer: nn.Module) -> None:
    weight = layer.weight
    assert init.fan_in_and_fan_out(weight) == nn.init._calculate_fan_in_and_fan_out(weight)


@pytest.mark.parametrize("nonlinearity", NONLINEARITIES)
def test_calculate_gain_matches_torch(nonlinearity: str) -> None:
    assert init.calculate_gain(nonlinearity) == nn.init.calculate_gain(nonlinearity)  # type: ignore[arg-type]


@pytest.mark.parametrize("param", [0, 0.2, 1, math.sqrt(5), -0.5])
def test_leaky_relu_gain_with_param_matches_torch(param: float) -> None:
    assert init.calculate_gain("leaky_relu", param) == nn.init.calculate_gain("leaky_relu", param)
    assert init.calculate_gain("selu", param) == nn.init.calculate_gain("selu", param)  # param ignored


# --------------------------------------------------------------------------- torch's layer defaults


@pytest.mark.parametrize("make", [lambda: nn.Linear(7, 5, dtype=DT), lambda: nn.Linear(7, 5, bias=False, dtype=DT),
                                  lambda: nn.Conv2d(3, 8, (3, 2), dtype=DT), lambda: nn.Conv2d(4, 6, 3, groups=2,
                                                                                             dtype=DT),
                                  lambda: nn.Conv1d(2, 4, 5, dtype=DT), lambda: nn.Conv3d(2, 3, 2, dtype=DT)])
def test_default_init_reproduces_the_layer_constructor(make) -> None:
    torch.manual_seed(11)
    layer = make()  # nn.Linear / nn.ConvNd draw from the global generator in reset_parameters
    torch.manual_seed(11)
    weight = torch.empty_like(layer.weight)
    bias = None if layer.bias is None else torch.empty_like(layer.bias)
    init.default_init_(weight, bias)
    exact(weight, layer.weight.detach())
    if bias is not None:
        exact(bias, layer.bias.detach())
    bound = 1 / math.sqrt(init.fan_in_and_fan_out(weight)[0])
    assert float(weight.abs().max()) <= bound


def test_reset_parameters_matches_torch_and_takes_a_generator() -> None:
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, dtype=DT), nn.ReLU(), nn.Flatten(), nn.Linear(16, 2, dtype=DT))
    expected = [p.detach().clone() for p in model.parameters()]
    torch.manual_seed(5)
    for module in model:  # the constructor's order: conv first, then linear
        init.reset_parameters_(module)
    for p, e in zip(model.parameters(), expected, strict=True):
        exact(p.detach(), e)
    layer = nn.Linear(6, 4, dtype=DT)
    init.reset_parameters_(layer, generator=gen(2))
    g = gen(2)
    weight = nn.init.kaiming_uniform_(torch.empty(4, 6, dtype=DT), a=math.sqrt(5), generator=g)
    bias = nn.init.uniform_(torch.empty(4, dtype=DT), -1 / math.sqrt(6), 1 / math.sqrt(6), generator=g)
    exact(layer.weight.detach(), weight)
    exact(layer.bias.detach(), bias)


def test_initializers_work_in_place_on_parameters() -> None:
    layer = nn.Linear(4, 3, dtype=DT)
    out = init.kaiming_normal_(layer.weight, generator=gen(0))
    assert out is layer.weight and out.requires_grad and out.grad_fn is None
    assert init.zeros_(layer.bias) is layer.bias


# --------------------------------------------------------------------------- distributions (torch draws differently)


def sample_stats(x: torch.Tensor) -> tuple[float, float]:
    return float(x.mean()), float(x.var())


def trunc_normal_moments(mean: float, std: float, a: float, b: float) -> tuple[float, float, float]:
    """Mean, variance and fourth central moment bound (normal's 3σ⁴, an upper bound) of N(mean, std²) on [a, b]."""
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda t: (1 + math.erf(t / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    shift = (pdf(alpha) - pdf(beta)) / z
    var = std**2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - shift**2)
    return mean + std * shift, var, 3 * std**4


@pytest.mark.parametrize(("mean", "std", "a", "b"), [(0.0, 1.0, -2.0, 2.0), (0.0, 0.02, -0.04, 0.04),
                                                     (1.0, 2.0, 0.0, 1.5), (0.0, 1.0, 0.5, 3.0)])
def test_trunc_normal_distribution(mean: float, std: float, a: float, b: float) -> None:
    """Mean and variance within Z standard errors of the truncated normal's, every value in [a, b]."""
    x = init.trunc_normal_(torch.empty(N, dtype=DT), mean, std, a, b, generator=gen(0))
    mu, var, mu4 = trunc_normal_moments(mean, std, a, b)
    m, v = sample_stats(x)
    assert float(x.min()) >= a and float(x.max()) <= b
    assert abs(m - mu) <= Z * math.sqrt(var / N)
    # Var(sample variance) ≈ (μ4 - σ⁴)/n; μ4 of a truncated normal is at most the normal's 3σ⁴
    assert abs(v - var) <= Z * math.sqrt((mu4 - var**2) / N)
    # torch (rejection sampling) draws other values from the same distribution
    t = nn.init.trunc_normal_(torch.empty(N, dtype=DT), mean, std, a, b, generator=gen(0))
    tm, tv = sample_stats(t)
    assert abs(m - tm) <= Z * math.sqrt(2 * var / N)
    assert abs(v - tv) <= Z * math.sqrt(2 * (mu4 - var**2) / N)


def test_trunc_normal_float32_in_bounds() -> None:
    x = init.trunc_normal_(torch.empty(N), std=0.02, generator=gen(1))
    assert x.dtype == torch.float32 and float(x.abs().max()) <= 2.0
    assert abs(float(x.std()) - 0.02) <= Z * math.sqrt(2) * 0.02 / math.sqrt(N)


@pytest.mark.parametrize("name", ["xavier_uniform_", "kaiming_uniform_"])
def test_scaled_uniform_variance_and_bound(name: str) -> None:
    """Var(U(-b, b)) = b²/3 = std²: the √3 in the bound; the sample stays inside ±bound."""
    w = getattr(init, name)(torch.empty(1000, 1000, dtype=DT), generator=gen(4))
    std = math.sqrt(2 / 2000) if name == "xavier_uniform_" else math.sqrt(2 / 1000)
    bound = math.sqrt(3) * std
    m, v = sample_stats(w)
    assert float(w.abs().max()) <= bound
    assert float(w.abs().max()) > bound * (1 - 1e-4)  # the draws reach the ends
    assert abs(m) <= Z * std / math.sqrt(N)
    # uniform: μ4 = 9 std⁴ / 5, so Var(sample variance) ≈ (9/5 - 1) std⁴ / n
    assert abs(v - std**2) <= Z * math.sqrt(0.8) * std**2 / math.sqrt(N)


def test_orthogonal_is_orthogonal() -> None:
    tall = init.orthogonal_(torch.empty(8, 3, 2, dtype=DT), gain=3.0, generator=gen(0)).reshape(8, 6)
    assert_close(tall.T @ tall, 9 * torch.eye(6, dtype=DT))
    wide = init.orthogonal_(torch.empty(3, 10, dtype=DT), generator=gen(0))
    assert_close(wide @ wide.T, torch.eye(3, dtype=DT))


# --------------------------------------------------------------------------- bad input


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
                                  "orthogonal_", "fan_in_and_fan_out"])
def test_fewer_than_2_dims(name: str) -> None:
    with raises(ValueError, f"{name}: tensor has too few dimensions (got 1-D of shape (5,)); "
                            "expected at least 2-D (out_features, in_features, *kernel_size)"):
        getattr(init, name)(torch.empty(5, dtype=DT))


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_unknown_mode_and_nonlinearity(name: str) -> None:
    with raises(ValueError, f"{name}: mode is not a valid choice (got 'fan_avg'); expected one of 'fan_in', 'fan_out'"):
        getattr(init, name)(torch.empty(3, 4), mode="fan_avg")
    with raises(ValueError, "calculate_gain: nonlinearity is not a valid choice (got 'gelu'); expected one of "
                            + ", ".join(map(repr, NONLINEARITIES))):
        getattr(init, name)(torch.empty(3, 4), nonlinearity="gelu")


def test_bad_gain_arguments() -> None:
    with raises(ValueError, "calculate_gain: nonlinearity is not a valid choice (got 'swish'); expected one of "
                            + ", ".join(map(repr, NONLINEARITIES))):
        init.calculate_gain("swish")
    with raises(TypeError, "calculate_gain: param has the wrong type (got str); expected a real number (int or float)"):
        init.calculate_gain("leaky_relu", "0.1")  # type: ignore[arg-type]


def test_out_of_range_values() -> None:
    with raises(ValueError, "uniform_: b is below a (got -1.0); expected b >= a = 1"):
        init.uniform_(torch.empty(3), 1.0, -1.0)
    with raises(ValueError, "trunc_normal_: b is not above a (got 1.0); expected b > a = 1"):
        init.trunc_normal_(torch.empty(3), a=1.0, b=1.0)
    with raises(ValueError, "normal_: std is out of range (got -0.1); expected a finite number >= 0"):
        init.normal_(torch.empty(3), std=-0.1)
    with raises(ValueError, "trunc_normal_: std is out of range (got 0.0); expected a finite number > 0"):
        init.trunc_normal_(torch.empty(3), std=0.0)
    with raises(ValueError, "sparse_: std is out of range (got -1); expected a finite number >= 0"):
        init.sparse_(torch.empty(3, 3), 0.5, std=-1)
    for sparsity in (-0.1, 1.5):
        with raises(ValueError, f"sparse_: sparsity is out of range (got {sparsity}); "
                                "expected a finite number >= 0 and <= 1"):
            init.sparse_(torch.empty(3, 3), sparsity)
    with raises(ValueError, "dirac_: groups does not divide the output channels (got 4); "
                            "expected a divisor of tensor.shape[0] = 6"):
        init.dirac_(torch.empty(6, 2, 3), groups=4)


def test_wrong_number_of_dimensions() -> None:
    with raises(ValueError, "eye_: tensor has the wrong number of dimensions (got 3-D of shape (2, 2, 2)); "
                            "expected 2-D (out_features, in_features)"):
        init.eye_(torch.empty(2, 2, 2))
    with raises(ValueError, "sparse_: tensor has the wrong number of dimensions (got 1-D of shape (4,)); "
                            "expected 2-D (rows, cols)"):
        init.sparse_(torch.empty(4), 0.5)
    with raises(ValueError, "dirac_: tensor has the wrong number of dimensions (got 2-D of shape (2, 2)); "
                            "expected 3-, 4- or 5-D (out_channels, in_channels/groups, *kernel_size)"):
        init.dirac_(torch.empty(2, 2))


@pytest.mark.parametrize(("name", "args"), [
    ("uniform_", ()), ("normal_", ()), ("trunc_normal_", ()), ("constant_", (1.0,)), ("ones_", ()), ("zeros_", ()),
    ("eye_", ()), ("xavier_uniform_", ()), ("xavier_normal_", ()), ("kaiming_uniform_", ()),
    ("kaiming_normal_", ()), ("orthogonal_", ()), ("sparse_", (0.5,)), ("default_init_", ()),
])
def test_non_floating_tensor(name: str, args: tuple[float, ...]) -> None:
    argument = "weight" if name == "default_init_" else "tensor"
    with raises(TypeError, f"{name}: {argument} has the wrong dtype (got torch.int64); "
                           "expected a floating-point tensor"):
        getattr(init, name)(torch.zeros(3, 4, dtype=torch.long), *args)
    with raises(TypeError, "dirac_: tensor has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        init.dirac_(torch.zeros(2, 2, 3, dtype=torch.long))


def test_not_a_module() -> None:
    with raises(TypeError, "reset_parameters_: module has the wrong type (got Tensor); expected a torch.nn.Module"):
        init.reset_parameters_(torch.empty(2, 2))  # type: ignore[arg-type]
