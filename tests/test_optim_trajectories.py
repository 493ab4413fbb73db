"""dlref.optim against torch.optim (foreach=False): 50 steps of every combination of options, same parameters and state.

Two problems, both in float64: a random ill-conditioned quadratic (condition number 100) with
one parameter group, and a small MLP with three groups (the defaults; a group overriding lr and
weight_decay; a parameter that never gets a gradient, which both must skip). With `maximize` the
objective is negated, so both directions descend. Also: a state_dict round trip in the middle of
a run continues identically, and a dlref state_dict loads into a fresh dlref optimizer.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import Tensor
from torch.testing import assert_close

from dlref import optim

from .torch_reference import DT, gen

STEPS = 50
Options = dict[str, Any]


# --------------------------------------------------------------------------- problems


def quadratic(seed: int = 0) -> tuple[list[Tensor], Callable[[list[Tensor]], Tensor], Callable[..., list[Any]]]:
    """f(x) = ½ xᵀAx - bᵀx with the eigenvalues of A spread log-uniformly over [1, 100]."""
    g = gen(seed)
    q, _ = torch.linalg.qr(torch.randn(10, 10, dtype=DT, generator=g))
    a = q @ torch.diag(torch.logspace(0, 2, 10, dtype=DT)) @ q.T
    b = torch.randn(10, dtype=DT, generator=g)
    start = [torch.randn(10, dtype=DT, generator=g)]

    def loss(params: list[Tensor]) -> Tensor:
        x = params[0]
        return 0.5 * x @ a @ x - b @ x

    def groups(params: list[Tensor], lr: float, weight_decay: float) -> list[Any]:
        return params

    return start, loss, groups


def mlp(seed: int = 1) -> tuple[list[Tensor], Callable[[list[Tensor]], Tensor], Callable[..., list[Any]]]:
    """A 4-8-3 tanh network on 16 fixed samples, MSE; a fifth parameter that the loss never reads."""
    g = gen(seed)
    x = torch.randn(16, 4, dtype=DT, generator=g)
    y = torch.randn(16, 3, dtype=DT, generator=g)
    start = [torch.randn(shape, dtype=DT, generator=g) * 0.5 for shape in [(8, 4), (8,), (3, 8), (3,), (5,)]]

    def loss(params: list[Tensor]) -> Tensor:
        w1, b1, w2, b2, _ = params
        return ((torch.tanh(x @ w1.T + b1) @ w2.T + b2 - y) ** 2).mean()

    def groups(params: list[Tensor], lr: float, weight_decay: float) -> list[Any]:
        return [{"params": params[:2]},
                {"params": params[2:4], "lr": lr / 2, "weight_decay": 2 * weight_decay},
                {"params": params[4:]}]

    return start, loss, groups


PROBLEMS = {"quadratic": quadratic, "mlp": mlp}


# --------------------------------------------------------------------------- the harness


def compare_state(ours: torch.optim.Optimizer, theirs: torch.optim.Optimizer, p: Tensor, q: Tensor) -> None:
    """The same state entries, with the same values (step compared as a number)."""
    a, b = ours.state[p], theirs.state[q]
    assert set(a) == set(b)
    for key in a:
        if key == "step":
            assert float(a[key]) == float(b[key])
        else:
            assert_close(a[key], b[key])


def run_side_by_side(ours_cls: Callable[..., torch.optim.Optimizer], theirs_cls: Callable[..., torch.optim.Optimizer],
                     problem: str, options: Options, steps: int = STEPS) -> None:
    start, loss, groups = PROBLEMS[problem]()
    sign = -1.0 if options.get("maximize") else 1.0  # maximize -f: both directions descend
    lr, weight_decay = options["lr"], options.get("weight_decay", 0.0)
    p_ours = [s.clone().requires_grad_() for s in start]
    p_theirs = [s.clone().requires_grad_() for s in start]
    ours = ours_cls(groups(p_ours, lr, weight_decay), **options)
    theirs = theirs_cls(groups(p_theirs, lr, weight_decay), **options, foreach=False)
    for _ in range(steps):
        for params, optimizer in ((p_ours, ours), (p_theirs, theirs)):
            optimizer.zero_grad()
            (sign * loss(params)).backward()
            optimizer.step()
        for p, q in zip(p_ours, p_theirs, strict=True):
            assert_close(p, q)
            if p.grad is not None:
                compare_state(ours, theirs, p, q)
    assert not torch.equal(p_ours[0].detach(), start[0])  # the run moved
    if problem == "mlp":  # the parameter without a gradient is skipped: untouched, no state
        assert p_ours[-1].grad is None and len(ours.state[p_ours[-1]]) == 0
        assert torch.equal(p_ours[-1].detach(), start[-1])


def option_grid(**values: tuple[Any, ...]) -> list[Options]:
    """Every combination of the given option values."""
    return [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]


def ids(options: Options) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items())


# --------------------------------------------------------------------------- SGD

SGD_OPTIONS = [
    {"lr": 0.01, **o}
    for o in option_grid(momentum=(0.0, 0.9), dampening=(0.0, 0.3), nesterov=(False, True), weight_decay=(0.0, 0.1),
                         maximize=(False, True))
    if not (o["nesterov"] and (o["momentum"] == 0 or o["dampening"] != 0))
]


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("options", SGD_OPTIONS, ids=ids)
def test_sgd_matches_torch(problem: str, options: Options) -> None:
    run_side_by_side(optim.SGD, torch.optim.SGD, problem, options)


# --------------------------------------------------------------------------- Adam, AdamW

ADAM_OPTIONS = [{"lr": 0.01, **o}
                for o in option_grid(betas=((0.9, 0.999), (0.5, 0.9)), weight_decay=(0.0, 0.1), amsgrad=(False, True),
                                     maximize=(False, True))]


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=ids)
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_and_adamw_match_torch(name: str, problem: str, options: Options) -> None:
    run_side_by_side(getattr(optim, name), getattr(torch.optim, name), problem, options)


def test_adamw_is_adam_with_decoupled_weight_decay_in_torch() -> None:
    run_side_by_side(optim.AdamW, lambda *a, **k: torch.optim.Adam(*a, **k, decoupled_weight_decay=True), "mlp",
                     {"lr": 0.01, "weight_decay": 0.1})


def test_adamw_default_weight_decay_is_torchs() -> None:
    w = torch.ones(2, requires_grad=True)
    assert optim.AdamW([w]).defaults["weight_decay"] == torch.optim.AdamW([w]).defaults["weight_decay"] == 1e-2


# --------------------------------------------------------------------------- RMSprop, Adagrad

RMSPROP_OPTIONS = [{"lr": 0.001, **o}
                   for o in option_grid(momentum=(0.0, 0.9), centered=(False, True), weight_decay=(0.0, 0.1),
                                        maximize=(False, True))]
ADAGRAD_OPTIONS = [{"lr": 0.1, **o}
                   for o in option_grid(lr_decay=(0.0, 0.05), weight_decay=(0.0, 0.1),
                                        initial_accumulator_value=(0.0, 0.5), maximize=(False, True))]


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("options", RMSPROP_OPTIONS, ids=ids)
def test_rmsprop_matches_torch(problem: str, options: Options) -> None:
    run_side_by_side(optim.RMSprop, torch.optim.RMSprop, problem, options)


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("options", ADAGRAD_OPTIONS, ids=ids)
def test_adagrad_matches_torch(problem: str, options: Options) -> None:
    run_side_by_side(optim.Adagrad, torch.optim.Adagrad, problem, options)


def test_adagrad_takes_each_groups_initial_accumulator_value() -> None:
    """Deliberate difference: torch fills every group's sum from the constructor's value."""
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    optimizer = optim.Adagrad([{"params": [a]}, {"params": [b], "initial_accumulator_value": 2.0}], lr=0.1)
    (a.sum() + b.sum()).backward()
    optimizer.step()
    assert_close(optimizer.state[a]["sum"], torch.ones(2))
    assert_close(optimizer.state[b]["sum"], torch.full((3,), 3.0))


# --------------------------------------------------------------------------- state_dict

STATE_DICT_CASES = [
    (optim.SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    (optim.Adam, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    (optim.AdamW, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    (optim.RMSprop, {"lr": 0.001, "momentum": 0.9, "centered": True, "weight_decay": 0.1}),
    (optim.Adagrad, {"lr": 0.1, "lr_decay": 0.05, "initial_accumulator_value": 0.5, "weight_decay": 0.1}),
]


@pytest.mark.parametrize(("cls", "options"), STATE_DICT_CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_state_dict_round_trip_continues_identically(cls: type[torch.optim.Optimizer], options: Options) -> None:
    start, loss, groups = mlp()
    p_run = [s.clone().requires_grad_() for s in start]
    run = cls(groups(p_run, options["lr"], options.get("weight_decay", 0.0)), **options)

    def step(params: list[Tensor], optimizer: torch.optim.Optimizer) -> None:
        optimizer.zero_grad()
        loss(params).backward()
        optimizer.step()

    for _ in range(20):
        step(p_run, run)
    saved = copy.deepcopy(run.state_dict())
    # a fresh optimizer, built with other options, on a copy of the parameters: load_state_dict restores all
    p_fresh = [p.detach().clone().requires_grad_() for p in p_run]
    fresh = cls(groups(p_fresh, 1.0, 0.0))
    fresh.load_state_dict(saved)
    assert fresh.param_groups[1]["lr"] == options["lr"] / 2
    for _ in range(30):
        step(p_run, run)
        step(p_fresh, fresh)
        for p, q in zip(p_run, p_fresh, strict=True):
            assert_close(p, q, rtol=0, atol=0)
            if p.grad is not None:
                compare_state(run, fresh, p, q)


# --------------------------------------------------------------------------- closure, zero_grad, torch's scheduler


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_step_with_a_closure_returns_its_loss_and_updates_as_torch(name: str) -> None:
    start, loss, _ = quadratic()
    results = []
    for module, extra in ((optim, {}), (torch.optim, {"foreach": False})):
        x = start[0].clone().requires_grad_()
        optimizer = getattr(module, name)([x], lr=0.01, **extra)

        def closure(x: Tensor = x, optimizer: torch.optim.Optimizer = optimizer) -> float:
            optimizer.zero_grad()
            value = loss([x])
            value.backward()
            return float(value.detach())

        returned = [optimizer.step(closure) for _ in range(3)]
        results.append((returned, x.detach()))
    (ours, x_ours), (theirs, x_theirs) = results
    assert ours == pytest.approx(theirs, rel=1e-12) and ours[0] == float(loss(start).detach())
    assert_close(x_ours, x_theirs)


def test_torch_scheduler_and_zero_grad_drive_a_dlref_optimizer() -> None:
    w = torch.ones(3, dtype=DT, requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    lrs = []
    for _ in range(5):
        optimizer.zero_grad()
        (w**2).sum().backward()
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [0.1, 0.05, 0.05, 0.025, 0.025]
    optimizer.zero_grad()
    assert w.grad is None


@pytest.mark.parametrize(("cls", "options"), STATE_DICT_CASES, ids=lambda c: getattr(c, "__name__", ""))
@pytest.mark.parametrize("direction", ["torch_to_dlref", "dlref_to_torch"])
def test_a_state_dict_moves_between_torch_and_dlref(cls: type[torch.optim.Optimizer], options: Options,
                                                    direction: str) -> None:
    """A checkpoint of one continues in the other: torch's float32 step tensor and dlref's int step both load."""
    theirs_cls = getattr(torch.optim, cls.__name__)
    source, target = (theirs_cls, cls) if direction == "torch_to_dlref" else (cls, theirs_cls)
    start, loss, groups = mlp()
    p_run = [s.clone().requires_grad_() for s in start]
    run = source(groups(p_run, options["lr"], options.get("weight_decay", 0.0)), **options)

    def step(params: list[Tensor], optimizer: torch.optim.Optimizer) -> None:
        optimizer.zero_grad()
        loss(params).backward()
        optimizer.step()

    for _ in range(20):
        step(p_run, run)
    p_next = [p.detach().clone().requires_grad_() for p in p_run]
    target_optimizer = target(groups(p_next, options["lr"], options.get("weight_decay", 0.0)), **options)
    target_optimizer.load_state_dict(copy.deepcopy(run.state_dict()))
    for _ in range(30):
        step(p_run, run)
        step(p_next, target_optimizer)
        for p, q in zip(p_run, p_next, strict=True):
            assert_close(p, q)
