"""dlref.experiments: the XOR network, the activation measurements, the outlier fits, the residual gradients."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from dlref import experiments, plots
from dlref.activations import ACTIVATIONS
from dlref.experiments import curves, measure, outlier_experiment, residual_experiment, xor_network

# --------------------------------------------------------------------------- XOR


def test_xor_network_solves_xor() -> None:
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    torch.testing.assert_close(xor_network(X), torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64))


def test_xor_network_rejects_non_tensors() -> None:
    with pytest.raises(TypeError, match=r"xor_network: x has the wrong type \(got list\); expected a torch.Tensor"):
        xor_network([[0.0, 1.0]])  # type: ignore[arg-type]


@pytest.mark.parametrize(("x", "match"), [
    (torch.zeros(3, 3), r"xor_network: x has the wrong shape \(got \(3, 3\)\); expected \(N, 2\)"),
    (torch.zeros(2), r"xor_network: x has the wrong number of dimensions \(got 1-D of shape \(2,\)\); expected 2-D"),
])
def test_xor_network_rejects_bad_shapes(x: torch.Tensor, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        xor_network(x)


# --------------------------------------------------------------------------- activation measures


def test_measure_matches_closed_forms() -> None:
    sig, relu, tanh, gelu = (measure(n) for n in ("sigmoid", "relu", "tanh", "gelu"))
    assert sig["d0"] == 0.25 and sig["dmax"] == 0.25 and sig["saturates"] == "both"
    assert math.isclose(relu["normal_mean"], 1 / math.sqrt(2 * math.pi), rel_tol=1e-9)
    assert relu["d0"] == 0.0 and relu["saturates"] == "left" and not relu["smooth"]
    assert abs(tanh["normal_mean"]) < 1e-12 and tanh["smooth"] and tanh["monotonic"]
    # GELU's minimum: f'(x) = Phi(x) + x phi(x) = 0 near x = -0.7518, value -0.16997.
    assert not gelu["monotonic"] and math.isclose(gelu["ymin"], ACTIVATIONS["gelu"].output_range[0], abs_tol=1e-8)


def test_measure_is_memoized() -> None:
    assert measure("tanh") is measure("tanh")


def test_curves_softmax_is_the_sigmoid_of_the_first_logit() -> None:
    x = torch.linspace(-5.0, 5.0, 11, dtype=torch.float64)
    f, df = curves("softmax", x)
    torch.testing.assert_close(f, torch.sigmoid(x))
    torch.testing.assert_close(df, torch.sigmoid(x) * (1 - torch.sigmoid(x)))
    torch.testing.assert_close(curves("relu", x)[1], (x > 0).double())


def test_curves_take_parameters_that_replace_the_defaults() -> None:
    x = torch.tensor([-2.0, 0.0, 3.0], dtype=torch.float64)
    f, df = curves("leaky_relu", x, negative_slope=0.1)
    torch.testing.assert_close(f, torch.nn.functional.leaky_relu(x, 0.1))
    torch.testing.assert_close(df, torch.tensor([0.1, 0.1, 1.0], dtype=torch.float64))
    # the other defaults stay: softplus with a new beta keeps threshold=20
    torch.testing.assert_close(curves("softplus", x, beta=2.0)[0], torch.nn.functional.softplus(x, beta=2.0))


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: measure("mish"), ValueError,
     r"measure: name is not a valid choice \(got 'mish'\); expected one of 'sigmoid', 'tanh', 'relu'"),
    (lambda: curves("mish", torch.zeros(2)), ValueError, r"curves: name is not a valid choice \(got 'mish'\)"),
    (lambda: curves("relu", [0.0]), TypeError, r"curves: x has the wrong type \(got list\); expected a torch.Tensor"),
    (lambda: curves("leaky_relu", torch.zeros(2), slope=0.1), ValueError,
     r"curves: slope is not a parameter of leaky_relu \(got 0.1\); expected one of 'negative_slope'"),
    (lambda: curves("relu", torch.zeros(2), alpha=1.0), ValueError,
     r"curves: alpha is not a parameter of relu \(got 1.0\); expected no parameters"),
])
def test_bad_arguments_raise(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- outlier fits


def test_outlier_experiment_fits() -> None:
    run = outlier_experiment()
    x, y = run["x"], run["y"]
    X1 = torch.stack([x, torch.ones_like(x)], dim=1)
    lstsq = torch.linalg.lstsq(X1, y[:, None]).solution.squeeze(1)
    torch.testing.assert_close(torch.tensor(run["fits"]["MSE"], dtype=torch.float64), lstsq, rtol=0, atol=1e-6)
    slope_error = {name: abs(a - 2.0) for name, (a, _) in run["fits"].items()}
    assert slope_error["MAE"] < slope_error["MSE"] / 3 and slope_error["Huber"] < slope_error["MSE"] / 3


def test_outlier_experiment_uses_dlref_losses(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch.nn.functional as F

    for name in ("mse_loss", "l1_loss", "huber_loss"):
        monkeypatch.setattr(F, name, lambda *a, **k: pytest.fail("torch's own loss was called"))
    outlier_experiment.cache_clear()
    assert sorted(outlier_experiment()["fits"]) == ["Huber", "MAE", "MSE"]


# --------------------------------------------------------------------------- residual gradients


def test_residual_experiment_gradients() -> None:
    state = torch.get_rng_state()
    run = residual_experiment()
    assert torch.equal(torch.get_rng_state(), state)  # the global generator is left alone
    assert run["depths"] == (8, 16, 24, 32, 40, 48, 56)
    for name in ("plain", "residual", "plain_he"):
        assert len(run[name]) == len(run["depths"])
        assert all(math.isfinite(g) and g > 0 for g in run[name])
    plain, residual, he = run["plain"], run["residual"], run["plain_he"]
    # plain stack with default init: the gradient vanishes geometrically with depth
    assert all(b < a / 1e2 for a, b in itertools.pairwise(plain))
    assert plain[-1] < 1e-12 * residual[-1]
    per_block = (plain[0] / plain[-1]) ** (1 / ((run["depths"][-1] - run["depths"][0]) / 2))
    assert 4.0 < per_block < 4.7  # the docstring: about sqrt(18) ≈ 4.2 in theory, about 4.3 measured
    # residual stack (same weights) and He-initialized plain stack: no vanishing at initialization
    assert all(0.05 < g < 5.0 for g in residual + he)
    assert max(residual) / min(residual) < 5.0


def test_residual_experiment_is_deterministic() -> None:
    first = residual_experiment()
    threads = torch.get_num_threads()
    residual_experiment.cache_clear()
    assert residual_experiment() == first
    assert torch.get_num_threads() == threads
    assert residual_experiment() is residual_experiment()


def test_residual_experiment_uses_dlref_cross_entropy(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch.nn.functional as F

    monkeypatch.setattr(F, "cross_entropy", lambda *a, **k: pytest.fail("torch's own cross_entropy was called"))
    first = residual_experiment()
    residual_experiment.cache_clear()
    try:
        assert residual_experiment() == first
    finally:
        residual_experiment.cache_clear()


# --------------------------------------------------------------------------- public names


def test_public_names_and_their_old_homes() -> None:
    assert experiments.__all__ == sorted(experiments.__all__)
    assert {"curves", "measure", "outlier_experiment", "residual_experiment", "xor_network"} <= set(experiments.__all__)
    for name in experiments.__all__:
        obj = getattr(experiments, name)
        if callable(obj):  # constants such as SIGNAL_INITS are documented where they are defined
            assert obj.__doc__ and "Examples:" in obj.__doc__ and "Returns:" in obj.__doc__, name
    # the experiments used to live in dlref.plots: they stay importable from there
    assert plots.xor_network is xor_network and plots.measure is measure
    assert plots.outlier_experiment is outlier_experiment and plots.residual_experiment is residual_experiment
    from dlref.plots import conv_figures

    assert conv_figures.residual_experiment is residual_experiment
    assert not set(experiments.__all__) & set(plots.__all__)  # dlref.plots lists figures only
