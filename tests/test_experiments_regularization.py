"""dlref.experiments.regularization: the regularization chapter's experiments, checked against closed forms."""

from __future__ import annotations

import math

import torch

from dlref.experiments import (
    batchnorm_experiment,
    overfitting_experiment,
    penalty_paths_experiment,
    scaling_experiment,
)
from dlref.experiments.regularization import _lasso_ista, _skewness


def test_overfitting_plain_network_overfits_and_regularizers_help() -> None:
    run = overfitting_experiment()
    plain = run["none"]
    assert len(plain["train"]) == len(plain["val"]) == 600
    assert plain["train"][-1] < 0.02 < plain["train"][0]
    best = min(plain["val"])
    assert plain["val"].index(best) < 60 and plain["val"][-1] > 2 * best
    for variant in ("l2", "dropout"):
        assert run[variant]["val"][-1] < 0.7 * plain["val"][-1]
        assert run[variant]["train"][-1] > plain["train"][-1]  # they fit the training set less closely
    assert math.isclose(run["noise_variance"], 0.09)
    assert min(min(run[v]["val"]) for v in ("none", "l2", "dropout")) > 0.09


def test_overfitting_is_memoized_and_leaves_the_global_rng_alone() -> None:
    state = torch.get_rng_state()
    assert overfitting_experiment() is overfitting_experiment()
    assert torch.equal(torch.get_rng_state(), state)


def test_ridge_path_solves_the_normal_equations_and_lasso_meets_its_optimality_conditions() -> None:
    paths = penalty_paths_experiment()
    g = torch.Generator().manual_seed(0)
    X = torch.randn(100, 8, generator=g, dtype=torch.float64)
    y = X @ paths["true"] + torch.randn(100, generator=g, dtype=torch.float64)
    for k in (0, 20, 39):
        lam = paths["lambdas"][k].item()
        w = paths["l2"][k]
        # gradient of (1/2n)|Xw - y|^2 + (lam/2)|w|^2 is 0
        torch.testing.assert_close(X.T @ (X @ w - y) / 100 + lam * w, torch.zeros(8, dtype=torch.float64))
        # lasso KKT: X^T(y - Xw)/n = lam sign(w) where w != 0, |.| <= lam where w == 0
        v = paths["l1"][k]
        corr = X.T @ (y - X @ v) / 100
        nonzero = v != 0
        torch.testing.assert_close(corr[nonzero], lam * torch.sign(v[nonzero]), atol=1e-6, rtol=0)
        assert bool((corr[~nonzero].abs() <= lam + 1e-6).all())
    assert bool((paths["l2"] != 0).all())
    assert (paths["l1"][-1] == 0).all() and (paths["l1"][0] != 0).all()


def test_ista_step_is_soft_thresholding() -> None:
    X = torch.eye(2, dtype=torch.float64) * math.sqrt(2)  # X^T X / n = I: one step from 0 solves it
    y = torch.tensor([3.0, 0.5], dtype=torch.float64) * math.sqrt(2)
    w = _lasso_ista(X, y, 1.0, torch.zeros(2, dtype=torch.float64), 50)
    torch.testing.assert_close(w, torch.tensor([2.0, 0.0], dtype=torch.float64))


def test_scaling_keeps_the_shape_and_l2_gives_unit_vectors() -> None:
    data = scaling_experiment()
    skew = data["skewness"]
    assert skew["raw"] > 1.5
    assert math.isclose(skew["minmax"], skew["raw"], rel_tol=1e-9)
    assert math.isclose(skew["zscore"], skew["raw"], rel_tol=1e-9)
    assert data["minmax"].min().item() == 0.0 and data["minmax"].max().item() == 1.0
    assert abs(data["zscore"].mean().item()) < 1e-12
    assert math.isclose(data["zscore"].std(unbiased=False).item(), 1.0, rel_tol=1e-12)
    torch.testing.assert_close(data["unit"].norm(dim=1), torch.ones(200, dtype=torch.float64))
    torch.testing.assert_close(data["unit"], torch.nn.functional.normalize(data["points"], dim=1))


def test_skewness_of_a_symmetric_sample_is_zero() -> None:
    assert _skewness(torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], dtype=torch.float64)) == 0.0
    assert _skewness(torch.tensor([0.0, 0.0, 3.0], dtype=torch.float64)) > 0


def test_batchnorm_widens_the_usable_learning_rates() -> None:
    result = batchnorm_experiment()
    runs = result["runs"]
    assert result["lrs"] == (0.03, 0.1, 0.3, 1.0, 3.0)
    with_bn = [lr for lr in result["lrs"] if runs[True, lr]["accuracy"] > 0.9]
    without = [lr for lr in result["lrs"] if runs[False, lr]["accuracy"] > 0.9]
    assert without == [0.3] and with_bn == [0.03, 0.1, 0.3, 1.0]
    assert runs[True, 3.0]["accuracy"] > 0.8
    for lr in (0.03, 0.1, 1.0, 3.0):
        assert runs[False, lr]["accuracy"] == result["majority"]  # it predicts one class for every point
    assert len(runs[True, 0.3]["variation"]) == len(runs[False, 0.3]["variation"]) == 15
    assert runs[True, 0.03]["variation"] == []
    assert max(runs[False, 0.3]["variation"]) > 5 * max(runs[True, 0.3]["variation"])


def test_loss_variation_restores_the_network() -> None:
    from torch import nn

    from dlref.experiments.regularization import _loss_variation, _mlp

    torch.manual_seed(0)
    net = _mlp(batch_norm=True)
    x = torch.randn(8, 2, dtype=torch.float64)
    loss = net(x).square().mean()
    loss.backward()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    spread = _loss_variation(net, lambda: net(x).square().mean(), 0.1)
    assert spread >= 0
    for k, v in net.state_dict().items():
        assert torch.equal(v, before[k]), k
    assert isinstance(net[1], nn.Module)
