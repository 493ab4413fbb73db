"""dlref.experiments.init_signal: the initialization chapter's experiments, checked against autograd and theory."""

from __future__ import annotations

import math

import pytest
import torch

from dlref.experiments import (
    SIGNAL_INITS,
    init_signal_experiment,
    initializer_samples,
    signal_propagation,
    symmetry_experiment,
)

SMALL = {"depth": 6, "width": 32, "batch": 16}


def _autograd_run(init_name: str, activation: str, depth: int, width: int, batch: int, seed: int = 0):
    """The same network and upstream gradient as signal_propagation, with torch's initializers and autograd."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=g, dtype=torch.float64)
    weights = []
    for _ in range(depth):
        w = torch.empty(width, width, dtype=torch.float64)
        if init_name == "normal_0.01":
            torch.nn.init.normal_(w, 0.0, 0.01, generator=g)
        elif init_name == "normal_1":
            torch.nn.init.normal_(w, 0.0, 1.0, generator=g)
        elif init_name == "xavier":
            torch.nn.init.xavier_normal_(w, generator=g)
        else:
            torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)
        weights.append(w)
    upstream = torch.randn(batch, width, generator=g, dtype=torch.float64)
    f = torch.tanh if activation == "tanh" else torch.relu
    h, zs, stds = x, [], []
    for w in weights:
        z = (h @ w.T).requires_grad_() if not zs else h @ w.T
        z.retain_grad()
        h = f(z)
        zs.append(z)
        stds.append(h.std().item())
    (h * upstream).sum().backward()
    return stds, [z.grad.norm().item() for z in zs]


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("init_name", SIGNAL_INITS)
def test_hand_written_backward_matches_autograd(init_name: str, activation: str) -> None:
    run = signal_propagation(init_name, activation, **SMALL)
    stds, norms = _autograd_run(init_name, activation, **SMALL)
    torch.testing.assert_close(torch.tensor(run["activation_std"]), torch.tensor(stds), rtol=1e-12, atol=0)
    torch.testing.assert_close(torch.tensor(run["gradient_norm"]), torch.tensor(norms), rtol=1e-12, atol=0)


def test_runs_are_deterministic_and_seeded() -> None:
    assert signal_propagation("xavier", "tanh", **SMALL) == signal_propagation("xavier", "tanh", **SMALL)
    assert signal_propagation("xavier", "tanh", **SMALL) != signal_propagation("xavier", "tanh", seed=1, **SMALL)
    before = torch.random.get_rng_state()
    signal_propagation("kaiming", "relu", **SMALL)
    assert torch.equal(torch.random.get_rng_state(), before)  # the global generator is left alone


def test_relu_is_positively_homogeneous_so_normal_1_is_kaiming_scaled() -> None:
    """N(0, 1) draws are Kaiming's draws times √(width/2) (same generator), and ReLU(cz) = c ReLU(z) for c > 0."""
    width = SMALL["width"]
    big, kaiming = (signal_propagation(name, "relu", **SMALL) for name in ("normal_1", "kaiming"))
    scale = math.sqrt(width / 2)
    for layer, (a, b) in enumerate(zip(big["activation_std"], kaiming["activation_std"], strict=True), start=1):
        assert a == pytest.approx(b * scale**layer, rel=1e-12)


def test_the_eight_cases_show_what_the_chapter_says() -> None:
    run = init_signal_experiment()
    assert set(run) == {(n, a) for n in SIGNAL_INITS for a in ("tanh", "relu")}
    std = {k: v["activation_std"] for k, v in run.items()}
    grad = {k: v["gradient_norm"] for k, v in run.items()}
    assert all(len(v) == 50 for v in std.values())
    # N(0, 0.01²): the signal collapses for both activations, and the gradient vanishes towards layer 1
    assert std["normal_0.01", "tanh"][-1] < 1e-35 and std["normal_0.01", "relu"][-1] < 1e-45
    assert grad["normal_0.01", "tanh"][0] < 1e-35 and grad["normal_0.01", "relu"][0] < 1e-40
    # N(0, 1): ReLU explodes forward and backward; tanh saturates forward and its gradient explodes backward
    assert std["normal_1", "relu"][-1] > 1e50 and grad["normal_1", "relu"][0] > 1e50
    assert min(std["normal_1", "tanh"]) > 0.97 and grad["normal_1", "tanh"][0] > 1e20
    # Kaiming + ReLU and Xavier + tanh stay within a factor 10 over 50 layers
    for key in (("kaiming", "relu"), ("xavier", "tanh")):
        assert max(std[key]) / min(std[key]) < 10 and max(grad[key]) / min(grad[key]) < 10.0
    # Xavier + ReLU halves the second moment at every layer
    assert std["xavier", "relu"][-1] < 1e-7


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match=r"signal_propagation: init_name .*'he'"):
        signal_propagation("he", "relu")
    with pytest.raises(ValueError, match=r"signal_propagation: activation .*'sigmoid'"):
        signal_propagation("kaiming", "sigmoid")
    with pytest.raises(ValueError, match=r"signal_propagation: depth"):
        signal_propagation("kaiming", "relu", depth=0)
    with pytest.raises(ValueError, match=r"symmetry_experiment: weights .*'ones'"):
        symmetry_experiment("ones")
    with pytest.raises(ValueError, match=r"symmetry_experiment: lr"):
        symmetry_experiment("random", lr=0.0)


# --------------------------------------------------------------------------- initializer samples


def test_samples_follow_their_laws() -> None:
    samples = initializer_samples()
    assert list(samples) == ["uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_",
                             "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_", "default_init_"]
    for name, s in samples.items():
        v = s["values"]
        assert v.shape == (256, 512) and v.dtype == torch.float64, name
        n = v.numel()
        # the sample std's standard error is std · √((κ - 1) / 4n); κ = 3 (normal), 1.8 (uniform); 6 of them
        tol = 6 * math.sqrt(2 / (4 * n))
        if s["law"] == "sparse":
            assert (v == 0).double().mean().item() == 231 / 256 == s["zeros"]
            nonzero = v[v != 0]
            assert nonzero.std().item() == pytest.approx(s["sigma"], rel=6 * math.sqrt(2 / (4 * nonzero.numel())))
        else:
            assert v.std().item() == pytest.approx(s["std"], rel=tol), name
        if s["bound"] is not None:
            assert v.abs().max().item() <= s["bound"], name


def test_orthogonal_sample_has_orthonormal_rows() -> None:
    w = initializer_samples()["orthogonal_"]["values"]
    torch.testing.assert_close(w @ w.T, torch.eye(256, dtype=torch.float64))


def test_samples_are_torchs_draws_from_the_same_generator() -> None:
    """The first two samples are what torch.nn.init draws from the same generator (dlref.init is bit-exact)."""
    g = torch.Generator().manual_seed(0)
    uniform = torch.nn.init.uniform_(torch.empty(256, 512, dtype=torch.float64), -0.1, 0.1, generator=g)
    normal = torch.nn.init.normal_(torch.empty(256, 512, dtype=torch.float64), 0.0, 0.05, generator=g)
    samples = initializer_samples()
    assert torch.equal(samples["uniform_"]["values"], uniform)
    assert torch.equal(samples["normal_"]["values"], normal)
    assert samples["default_init_"]["bound"] == 1 / math.sqrt(512)


# --------------------------------------------------------------------------- symmetry


def test_constant_weights_keep_hidden_units_identical() -> None:
    run = symmetry_experiment("constant")
    w1 = run["W1"]
    assert run["unit_spread"] == 0.0
    assert torch.equal(w1, w1[:1].expand_as(w1))  # every row (hidden unit) is the same, bit for bit
    assert len(set(w1[0].tolist())) == 3  # but the entries of a row differ: ∂L/∂W_ij = δ_i x_j
    assert len(set(run["W2"].flatten().tolist())) == 1
    assert run["loss"][1] < run["loss"][0]


def test_zero_weights_do_not_move() -> None:
    run = symmetry_experiment("zeros")
    assert torch.equal(run["W1"], torch.zeros(4, 3, dtype=torch.float64))
    assert torch.equal(run["W2"], torch.zeros(1, 4, dtype=torch.float64))


def test_random_weights_break_symmetry_and_fit_better() -> None:
    rand, const = symmetry_experiment("random"), symmetry_experiment("constant")
    assert rand["unit_spread"] > 0.5
    assert rand["loss"][1] < const["loss"][1] / 2
