"""dlref.experiments.optimizer_runs: tuned paths, the saddle, the EMA example and the schedules (against torch)."""

from __future__ import annotations

import math

import pytest
import torch

from dlref import experiments
from dlref.experiments import optimizer_runs as op


@pytest.mark.parametrize("function", ["quadratic", "rosenbrock"])
@pytest.mark.parametrize("name", experiments.OPTIMIZER_NAMES)
def test_stored_rate_is_the_grid_s_choice(function: str, name: str) -> None:
    scores = experiments.tune_learning_rate(name, function)
    assert set(scores) == set(experiments.LR_GRID)
    best = min(scores, key=lambda lr: (scores[lr], lr))
    assert experiments.optimizer_paths(function)[name]["lr"] == best
    # the choice is inside the grid, not at its edge
    assert experiments.LR_GRID[0] < best < experiments.LR_GRID[-1]


@pytest.mark.parametrize("name", experiments.OPTIMIZER_NAMES)
def test_paths_match_torch_optimizers(name: str) -> None:
    """The same runs with torch.optim give the same paths."""
    for function in ("quadratic", "rosenbrock"):
        run = experiments.optimizer_paths(function)[name]
        f = experiments.descent_function(function)
        p = run["path"][0].clone().requires_grad_(True)
        lr = run["lr"]
        options = {"sgd": {}, "momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9, "nesterov": True}}
        cls = {"adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}
        optimizer = cls.get(name, torch.optim.SGD)([p], lr=lr, foreach=False, **options.get(name, {}))
        path = [p.detach().clone()]
        for _ in range(len(run["path"]) - 1):
            optimizer.zero_grad()
            f(p).backward()
            optimizer.step()
            path.append(p.detach().clone())
        torch.testing.assert_close(torch.stack(path), run["path"], rtol=1e-12, atol=1e-12)
        assert run["loss"][-1] == pytest.approx(float(f(run["path"][-1])))


def test_quadratic_claims() -> None:
    import math as m

    run = experiments.optimizer_paths("quadratic")
    # plain SGD's tuned rate is below the divergence threshold 2 / L = 2 / 80
    assert run["sgd"]["lr"] < 2 / 80
    # across the valley (v, the steep direction) it zig-zags: 1 - 0.02 * 80 = -0.6
    c, s = m.cos(m.pi / 6), m.sin(m.pi / 6)
    path = run["sgd"]["path"]
    v = -s * path[:, 0] + c * path[:, 1]
    assert bool((v[1:21] * v[:20] < 0).all())  # (later v reaches rounding level)
    last = {name: r["loss"][-1] for name, r in run.items()}
    # every other method ends below SGD; Nesterov ends lowest of all
    assert all(last[name] < last["sgd"] for name in last if name != "sgd")
    assert min(last, key=last.get) == "nesterov"


def test_rosenbrock_claims() -> None:
    last = {name: r["loss"][-1] for name, r in experiments.optimizer_paths("rosenbrock").items()}
    assert min(last, key=last.get) == "momentum"
    assert max(last, key=last.get) == "adagrad"


def test_function_values() -> None:
    assert experiments.descent_function("rosenbrock")(torch.tensor([1.0, 1.0])).item() == 0.0
    with pytest.raises(ValueError, match=r"descent_function: name"):
        experiments.descent_function("himmelblau")
    with pytest.raises(ValueError, match=r"tune_learning_rate: name"):
        experiments.tune_learning_rate("lion")


def test_saddle_paths() -> None:
    runs = experiments.saddle_paths()
    on_axis, gd, momentum = runs["gd_on_axis"], runs["gd"], runs["momentum"]
    # on the axis y stays 0 and x -> 0: the run converges to the saddle point
    assert bool((on_axis[:, 1] == 0).all()) and abs(on_axis[-1, 0].item()) < 1e-3
    # off the axis |y| grows by 1 + 2 lr = 1.2 per step
    torch.testing.assert_close(gd[:, 1], 1e-3 * 1.2 ** torch.arange(41, dtype=torch.float64))
    # momentum leaves the neighbourhood |y| < 1 sooner
    first = {k: int((r[:, 1].abs() > 1).nonzero()[0]) for k, r in (("gd", gd), ("momentum", momentum))}
    assert first["momentum"] < first["gd"] == math.ceil(math.log(1000) / math.log(1.2))


def test_ema_temperatures() -> None:
    run = experiments.ema_temperatures()
    x = run["temperature"]
    g = torch.Generator().manual_seed(0)
    assert torch.equal(x, torch.randint(0, 40, (30,), generator=g).to(torch.float64))
    # direct loops
    v, corrected, first = 0.0, [], [x[0].item()]
    for t in range(1, 31):
        v = 0.9 * v + 0.1 * x[t - 1].item()
        corrected.append(v / (1 - 0.9**t))
    for t in range(1, 30):
        first.append(0.9 * first[-1] + 0.1 * x[t].item())
    torch.testing.assert_close(run["corrected"], torch.tensor(corrected, dtype=torch.float64))
    torch.testing.assert_close(run["first_value"], torch.tensor(first, dtype=torch.float64))
    assert run["corrected"][0] == x[0] and run["zero_start"][0] == pytest.approx(0.1 * x[0].item())


def test_lr_schedules_equal_torch() -> None:
    rates = experiments.lr_schedules()
    for name in rates:
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = op._schedulers(optimizer, torch.optim.lr_scheduler)[name]()
        expected = []
        for _ in range(200):
            expected.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        assert rates[name] == pytest.approx(expected, rel=1e-12, abs=0), name
    assert rates["step"][49:51] == [0.1, 0.05]
    assert rates["warmup_cosine"][10] == pytest.approx(0.1)
