"""dlref.experiments.deep_gradients: the backprop chapter's experiments, checked against torch.nn and theory."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dlref.experiments import gradient_flow, gradient_remedies_experiment, vanishing_gradient_experiment

SMALL = {"depth": 5, "width": 16, "batch": 12}


def _torch_run(activation: str, init_name: str, depth: int, width: int, batch: int, normalization: bool = False,
               residual: bool = False, max_norm: float | None = None, seed: int = 0) -> list[float]:
    """The same network with torch's initializers, nn.BatchNorm1d, torch's activations and clip_grad_norm_."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, width, generator=g, dtype=torch.float64)
    weights = []
    for _ in range(depth):
        w = torch.empty(width, width, dtype=torch.float64)
        if init_name == "normal_0.01":
            nn.init.normal_(w, 0.0, 0.01, generator=g)
        elif init_name == "normal_1":
            nn.init.normal_(w, 0.0, 1.0, generator=g)
        elif init_name == "xavier":
            nn.init.xavier_normal_(w, generator=g)
        else:
            nn.init.kaiming_normal_(w, nonlinearity="relu", generator=g)
        weights.append(w.requires_grad_())
    upstream = torch.randn(batch, width, generator=g, dtype=torch.float64)
    f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    bn = nn.BatchNorm1d(width, affine=False, track_running_stats=False, dtype=torch.float64)
    h = x
    for w in weights:
        z = bn(h @ w.T) if normalization else h @ w.T
        h = h + f(z) if residual else f(z)
    (h * upstream).sum().backward()
    if max_norm is not None:
        nn.utils.clip_grad_norm_(weights, max_norm)
    return [w.grad.norm().item() for w in weights]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("init_name", ["normal_0.01", "normal_1", "xavier", "kaiming"])
def test_gradient_norms_match_torch(activation: str, init_name: str) -> None:
    ours = gradient_flow(activation, init_name, **SMALL)["gradient_norm"]
    torch.testing.assert_close(torch.tensor(ours), torch.tensor(_torch_run(activation, init_name, **SMALL)),
                               rtol=1e-10, atol=0.0)


@pytest.mark.parametrize("switches", [{"normalization": True}, {"residual": True}, {"max_norm": 0.5},
                                      {"normalization": True, "residual": True, "max_norm": 2.0}])
def test_remedy_switches_match_torch(switches: dict) -> None:
    ours = gradient_flow("sigmoid", "xavier", **SMALL, **switches)["gradient_norm"]
    torch.testing.assert_close(torch.tensor(ours), torch.tensor(_torch_run("sigmoid", "xavier", **SMALL, **switches)),
                               rtol=1e-10, atol=0.0)


def test_total_norm_is_taken_before_clipping_and_clipping_keeps_the_ratios() -> None:
    free = gradient_flow("relu", "normal_1", **SMALL)
    clipped = gradient_flow("relu", "normal_1", **SMALL, max_norm=1.0)
    assert clipped["total_norm"] == pytest.approx(free["total_norm"], rel=1e-12)
    assert sum(n**2 for n in free["gradient_norm"]) ** 0.5 == pytest.approx(free["total_norm"], rel=1e-12)
    assert sum(n**2 for n in clipped["gradient_norm"]) ** 0.5 == pytest.approx(1.0, rel=1e-5)
    ratios = [c / f for c, f in zip(clipped["gradient_norm"], free["gradient_norm"], strict=True)]
    assert max(ratios) == pytest.approx(min(ratios), rel=1e-12)


def test_sigmoid_with_xavier_loses_a_factor_near_four_per_layer() -> None:
    norms = vanishing_gradient_experiment()["sigmoid", "xavier"]
    per_layer = (norms[-1] / norms[0]) ** (1 / (len(norms) - 1))
    assert 3.5 < per_layer < 4.5


def test_the_chapter_cases() -> None:
    runs = vanishing_gradient_experiment()
    assert len(runs) == 9 and all(len(v) == 30 for v in runs.values())
    # too small weights: every layer's gradient is tiny; the usual rule keeps tanh and ReLU flat
    assert max(runs["relu", "normal_0.01"]) < 1e-30 and max(runs["tanh", "normal_0.01"]) < 1e-25
    for case in (("tanh", "xavier"), ("relu", "kaiming")):
        assert 0.5 < runs[case][0] / runs[case][-1] < 2
    # too large weights: ReLU explodes everywhere, tanh explodes toward the input
    assert min(runs["relu", "normal_1"]) > 1e20 and runs["tanh", "normal_1"][0] / runs["tanh", "normal_1"][-1] > 1e6
    remedies = gradient_remedies_experiment()
    assert remedies["baseline"]["gradient_norm"][0] < 1e-40
    for fixed in ("relu_kaiming", "batch_norm", "residual"):
        norms = remedies[fixed]["gradient_norm"]
        assert 0.05 < norms[0] / norms[-1] < 20, fixed
    clip = remedies["clip"]["gradient_norm"]
    base = remedies["baseline"]["gradient_norm"]
    assert clip[0] / clip[-1] == pytest.approx(base[0] / base[-1], rel=1e-9)


def test_errors() -> None:
    with pytest.raises(ValueError, match=r"gradient_flow: activation .*softplus"):
        gradient_flow("softplus", "xavier")
    with pytest.raises(ValueError, match=r"gradient_flow: init_name .*he"):
        gradient_flow("relu", "he")
    with pytest.raises(ValueError, match=r"gradient_flow: depth"):
        gradient_flow("relu", "kaiming", depth=0)
    with pytest.raises(TypeError, match=r"gradient_flow: residual"):
        gradient_flow("relu", "kaiming", residual=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"gradient_flow: max_norm"):
        gradient_flow("relu", "kaiming", max_norm=-1.0)
