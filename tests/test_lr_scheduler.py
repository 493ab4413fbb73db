"""dlref.lr_scheduler against torch.optim.lr_scheduler: 300-epoch sequences, chained and sequential, closed forms."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
import torch
from torch.optim import lr_scheduler as torch_sched

from dlref import lr_scheduler as ours_sched
from dlref import optim

EPOCHS = 300
Rates = list[list[float]]
Make = Callable[[ModuleType, torch.optim.Optimizer], Any]  # (scheduler module, optimizer) -> scheduler


def make_optimizer(kind: str) -> torch.optim.Optimizer:
    """Two parameter groups with different learning rates, from dlref or from torch."""
    groups = [{"params": [torch.zeros(2, requires_grad=True)]},
              {"params": [torch.zeros(3, requires_grad=True)], "lr": 0.03}]
    return optim.SGD(groups, lr=0.1) if kind == "dlref" else torch.optim.SGD(groups, lr=0.1)


def same_rates(ours: Rates | list[float], theirs: Rates | list[float]) -> None:
    torch.testing.assert_close(torch.tensor(ours, dtype=torch.float64), torch.tensor(theirs, dtype=torch.float64),
                               rtol=1e-10, atol=1e-15)


def rates(optimizer: torch.optim.Optimizer, schedulers: list[Any], epochs: int = EPOCHS) -> Rates:
    """The groups' learning rates in each epoch; every scheduler steps after optimizer.step(), as torch asks."""
    out = []
    for _ in range(epochs):
        out.append([group["lr"] for group in optimizer.param_groups])
        optimizer.step()  # (an epoch of training)
        for scheduler in schedulers:
            scheduler.step()
    return out


SINGLE: dict[str, Make] = {
    "step_50_half": lambda m, o: m.StepLR(o, step_size=50, gamma=0.5),
    "step_7": lambda m, o: m.StepLR(o, 7),
    "step_growth": lambda m, o: m.StepLR(o, 100, gamma=1.5),
    "multistep": lambda m, o: m.MultiStepLR(o, milestones=[50, 125, 160], gamma=0.5),
    "multistep_one": lambda m, o: m.MultiStepLR(o, [1]),
    "exponential": lambda m, o: m.ExponentialLR(o, gamma=0.98),
    "cosine_100": lambda m, o: m.CosineAnnealingLR(o, T_max=100, eta_min=1e-4),
    "cosine_37": lambda m, o: m.CosineAnnealingLR(o, 37),
    "cosine_1": lambda m, o: m.CosineAnnealingLR(o, 1, eta_min=0.01),
    "linear_default": lambda m, o: m.LinearLR(o),
    "linear_decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.05, total_iters=200),
    "linear_warmup": lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.5, total_iters=40),
    "lambda": lambda m, o: m.LambdaLR(o, lambda t: 0.95**t),
    "lambda_per_group": lambda m, o: m.LambdaLR(o, [lambda t: 1 / (1 + t), lambda t: 1.0 + (t % 10)]),
}


@pytest.mark.parametrize("kind", ["dlref", "torch"])
@pytest.mark.parametrize("name", SINGLE)
def test_each_schedule_matches_torch_for_300_epochs(name: str, kind: str) -> None:
    o1, o2 = make_optimizer(kind), make_optimizer(kind)
    ours, theirs = SINGLE[name](ours_sched, o1), SINGLE[name](torch_sched, o2)
    same_rates(rates(o1, [ours]), rates(o2, [theirs]))
    same_rates(ours.get_last_lr(), theirs.get_last_lr())
    assert ours.last_epoch == theirs.last_epoch == EPOCHS


@pytest.mark.parametrize("name", SINGLE)
def test_closed_form_equals_the_recursive_sequence(name: str) -> None:
    optimizer = make_optimizer("dlref")
    scheduler = SINGLE[name](ours_sched, optimizer)
    recursive = rates(optimizer, [scheduler])
    same_rates([scheduler.closed_form(t) for t in range(EPOCHS)], recursive)


CHAINED: dict[str, tuple[Make, Make]] = {
    "exponential_and_step": (lambda m, o: m.ExponentialLR(o, 0.99), lambda m, o: m.StepLR(o, 30, gamma=0.5)),
    "warmup_and_cosine": (lambda m, o: m.LinearLR(o, 0.1, total_iters=20), lambda m, o: m.CosineAnnealingLR(o, 150)),
    "multistep_and_exponential": (lambda m, o: m.MultiStepLR(o, [50, 125, 160]),
                                  lambda m, o: m.ExponentialLR(o, 0.995)),
}


@pytest.mark.parametrize("kind", ["dlref", "torch"])
@pytest.mark.parametrize("name", CHAINED)
def test_two_schedulers_on_one_optimizer_match_torch(name: str, kind: str) -> None:
    o1, o2 = make_optimizer(kind), make_optimizer(kind)
    first, second = CHAINED[name]
    ours = rates(o1, [first(ours_sched, o1), second(ours_sched, o1)])
    same_rates(ours, rates(o2, [first(torch_sched, o2), second(torch_sched, o2)]))
    if name == "exponential_and_step":  # both multiplicative: the product of the closed forms
        alone = make_optimizer(kind)
        a, b = first(ours_sched, alone), second(ours_sched, alone)
        base = a.base_lrs  # η_t = η_0 f_a(t) f_b(t) = (η_0 f_a(t)) (η_0 f_b(t)) / η_0
        same_rates(ours, [[fa * fb / b0 for fa, fb, b0 in zip(a.closed_form(t), b.closed_form(t), base, strict=True)]
                          for t in range(EPOCHS)])


SEQUENTIAL: dict[str, tuple[list[Make], list[int]]] = {
    "warmup_then_cosine": ([lambda m, o: m.LinearLR(o, 0.1, total_iters=10), lambda m, o: m.CosineAnnealingLR(o, 190)],
                           [10]),
    "three": ([lambda m, o: m.LinearLR(o, 0.5, total_iters=20), lambda m, o: m.ExponentialLR(o, 0.99),
               lambda m, o: m.StepLR(o, 50, gamma=0.5)], [20, 100]),
    "notes_step_then_multistep": ([lambda m, o: m.StepLR(o, 50, gamma=0.5),
                                   lambda m, o: m.MultiStepLR(o, [50, 125, 160], gamma=0.1)], [150]),
    "lambda_then_constant": ([lambda m, o: m.LambdaLR(o, lambda t: (t + 1) / 5),
                              lambda m, o: m.LambdaLR(o, lambda t: 1.0)], [4]),
    "one": ([lambda m, o: m.ExponentialLR(o, 0.97)], []),
}


def sequential(module: ModuleType, optimizer: torch.optim.Optimizer, name: str, children: ModuleType | None = None
               ) -> Any:
    makes, milestones = SEQUENTIAL[name]
    return module.SequentialLR(optimizer, [make(children or module, optimizer) for make in makes], milestones)


@pytest.mark.parametrize("kind", ["dlref", "torch"])
@pytest.mark.parametrize("name", SEQUENTIAL)
def test_sequential_matches_torch_and_its_closed_form(name: str, kind: str) -> None:
    o1, o2 = make_optimizer(kind), make_optimizer(kind)
    ours = sequential(ours_sched, o1, name)
    recursive = rates(o1, [ours])
    same_rates(recursive, rates(o2, [sequential(torch_sched, o2, name)]))
    same_rates([ours.closed_form(t) for t in range(EPOCHS)], recursive)


def test_torch_sequential_runs_dlref_schedulers() -> None:
    """dlref's schedulers give torch's SequentialLR the closed form it jumps with at a milestone."""
    o1, o2 = make_optimizer("torch"), make_optimizer("torch")
    same_rates(rates(o1, [sequential(torch_sched, o1, "three", children=ours_sched)]),
               rates(o2, [sequential(torch_sched, o2, "three")]))


def test_the_notes_schedules() -> None:
    """StepLR(step_size=50), MultiStepLR([50, 125, 160]) and ExponentialLR at a few epochs, from lr = 0.1."""
    o = make_optimizer("dlref")
    assert ours_sched.StepLR(o, 50, gamma=0.5).closed_form(149)[0] == 0.1 * 0.5**2
    assert ours_sched.MultiStepLR(o, [50, 125, 160], gamma=0.5).closed_form(160)[0] == 0.1 * 0.5**3
    assert ours_sched.ExponentialLR(o, 0.95).closed_form(10)[0] == 0.1 * 0.95**10


@pytest.mark.parametrize("name", ["step_50_half", "multistep", "exponential", "cosine_100", "linear_warmup", "lambda"])
def test_resuming_with_last_epoch_matches_torch(name: str) -> None:
    """A scheduler built with last_epoch = k >= 0 on groups that carry initial_lr behaves as torch's."""
    def resumed(module: ModuleType) -> Rates:
        optimizer = make_optimizer("dlref")
        for group, lr in zip(optimizer.param_groups, (0.02, 0.005), strict=True):
            group["initial_lr"], group["lr"] = group["lr"], lr  # as a loaded optimizer state_dict leaves them
        return rates(optimizer, [SINGLE[name](_WithLastEpoch(module, 120), optimizer)], 100)

    same_rates(resumed(ours_sched), resumed(torch_sched))


class _WithLastEpoch:
    """A stand-in for a scheduler module whose classes all receive last_epoch=k."""

    def __init__(self, module: ModuleType, last_epoch: int) -> None:
        self.module, self.last_epoch = module, last_epoch

    def __getattr__(self, name: str) -> Callable[..., Any]:
        cls = getattr(self.module, name)
        return lambda *args, **kwargs: cls(*args, **kwargs, last_epoch=self.last_epoch)


@pytest.mark.parametrize("name", ["step_50_half", "cosine_100", "lambda"])
def test_state_dict_round_trip_continues_identically(name: str) -> None:
    o1 = make_optimizer("dlref")
    s1 = SINGLE[name](ours_sched, o1)
    rates(o1, [s1], 80)
    o2 = make_optimizer("dlref")
    s2 = SINGLE[name](ours_sched, o2)
    o2.load_state_dict(copy.deepcopy(o1.state_dict()))
    s2.load_state_dict(copy.deepcopy(s1.state_dict()))
    assert s2.last_epoch == 80
    assert rates(o1, [s1], 100) == rates(o2, [s2], 100)


def test_sequential_state_dict_round_trip() -> None:
    o1, o2 = make_optimizer("dlref"), make_optimizer("dlref")
    s1, s2 = sequential(ours_sched, o1, "three"), sequential(ours_sched, o2, "three")
    rates(o1, [s1], 60)
    o2.load_state_dict(copy.deepcopy(o1.state_dict()))
    s2.load_state_dict(copy.deepcopy(s1.state_dict()))
    assert [s.last_epoch for s in s2.schedulers] == [s.last_epoch for s in s1.schedulers]
    assert rates(o1, [s1], 100) == rates(o2, [s2], 100)


def test_lambda_state_dict_leaves_the_functions_out() -> None:
    state = ours_sched.LambdaLR(make_optimizer("dlref"), lambda t: 1.0).state_dict()
    assert "lr_lambdas" not in state and state["last_epoch"] == 0


def test_stepping_the_scheduler_first_warns_as_torch_does() -> None:
    """torch's plumbing watches dlref's optimizer too: scheduler.step() before optimizer.step() warns."""
    optimizer = make_optimizer("dlref")
    scheduler = ours_sched.StepLR(optimizer, 10)
    with pytest.warns(UserWarning, match=re.escape("Detected call of `lr_scheduler.step()` before `optimizer.step()`")):
        scheduler.step()


# --------------------------------------------------------------------------- bad input

O = make_optimizer("dlref")
OTHER = make_optimizer("dlref")
S = ours_sched
BAD: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: S.StepLR(O, 10, gamma=0.0), ValueError,
     "StepLR: gamma is out of range (got 0.0); expected a finite number > 0"),
    (lambda: S.StepLR(O, 10, gamma=-0.5), ValueError, "StepLR: gamma is out of range (got -0.5)"),
    (lambda: S.ExponentialLR(O, 0), ValueError,
     "ExponentialLR: gamma is out of range (got 0); expected a finite number > 0"),
    (lambda: S.MultiStepLR(O, [50], gamma=0.0), ValueError, "MultiStepLR: gamma is out of range (got 0.0)"),
    (lambda: S.StepLR(O, 0), ValueError, "StepLR: step_size is out of range (got 0); expected an int >= 1"),
    (lambda: S.StepLR(O, 2.5), TypeError, "StepLR: step_size has the wrong type (got float); expected an int"),
    (lambda: S.MultiStepLR(O, [50, 30]), ValueError,
     "MultiStepLR: milestones is not strictly increasing from 1 (got [50, 30]); "
     "expected a list of strictly increasing epochs >= 1"),
    (lambda: S.MultiStepLR(O, [50, 50]), ValueError,
     "MultiStepLR: milestones is not strictly increasing from 1 (got [50, 50])"),
    (lambda: S.MultiStepLR(O, (0, 10)), ValueError,
     "MultiStepLR: milestones is not strictly increasing from 1 (got [0, 10])"),
    (lambda: S.MultiStepLR(O, 50), TypeError, "MultiStepLR: milestones has the wrong type (got int); expected a list"),
    (lambda: S.MultiStepLR(O, [50.0]), TypeError, "MultiStepLR: milestones has the wrong type (got list)"),
    (lambda: S.CosineAnnealingLR(O, 0), ValueError,
     "CosineAnnealingLR: T_max is out of range (got 0); expected an int >= 1"),
    (lambda: S.CosineAnnealingLR(O, 10, eta_min=-1e-3), ValueError,
     "CosineAnnealingLR: eta_min is out of range (got -0.001); expected a finite number >= 0"),
    (lambda: S.LinearLR(O, start_factor=0.0), ValueError,
     "LinearLR: start_factor is out of range (got 0.0); expected a finite number > 0 and <= 1"),
    (lambda: S.LinearLR(O, start_factor=1.5), ValueError, "LinearLR: start_factor is out of range (got 1.5)"),
    (lambda: S.LinearLR(O, end_factor=1.5), ValueError,
     "LinearLR: end_factor is out of range (got 1.5); expected a finite number >= 0 and <= 1"),
    (lambda: S.LinearLR(O, total_iters=0), ValueError,
     "LinearLR: total_iters is out of range (got 0); expected an int >= 1"),
    (lambda: S.StepLR("sgd", 10), TypeError,
     "StepLR: optimizer has the wrong type (got str); expected a torch.optim.Optimizer"),
    (lambda: S.ExponentialLR(O, 0.9, last_epoch=-2), ValueError,
     "ExponentialLR: last_epoch is out of range (got -2); expected an int >= -1"),
    (lambda: S.LambdaLR(O, [lambda t: 1.0]), ValueError,
     "LambdaLR: lr_lambda has the wrong length (got 1); expected a function of the epoch, or a list of 2"),
    (lambda: S.LambdaLR(O, 0.5), TypeError, "LambdaLR: lr_lambda has the wrong type (got float)"),
    (lambda: S.SequentialLR(O, [], []), ValueError,
     "SequentialLR: schedulers is empty (got []); expected at least one"),
    (lambda: S.SequentialLR(O, [S.StepLR(O, 5)], [5]), ValueError,
     "SequentialLR: milestones has the wrong length (got 1); expected 0, one fewer than the 1 schedulers"),
    (lambda: S.SequentialLR(O, [S.StepLR(O, 5), S.StepLR(O, 5)], [0]), ValueError,
     "SequentialLR: milestones is not strictly increasing from 1 (got [0])"),
    (lambda: S.SequentialLR(O, [S.StepLR(O, 5), S.StepLR(OTHER, 5)], [5]), ValueError,
     "SequentialLR: schedulers[1] steps another optimizer (got StepLR); expected every scheduler to be built on"),
    (lambda: S.SequentialLR(O, [O], []), TypeError,
     "SequentialLR: schedulers has the wrong type (got list); expected a list of"),
    (lambda: S.StepLR(O, 5).closed_form(-1), ValueError,
     "StepLR.closed_form: epoch is out of range (got -1); expected an int >= 0"),
]


@pytest.mark.parametrize(("make", "error", "message"), BAD, ids=[m for _, _, m in BAD])
def test_bad_input_is_rejected(make: Callable[[], Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        make()


@pytest.mark.parametrize(("make", "error"), [
    (lambda: torch_sched.SequentialLR(O, [], []), ValueError),
    (lambda: torch_sched.LinearLR(O, start_factor=0.0), ValueError),
    (lambda: torch_sched.LambdaLR(O, [lambda t: 1.0]), ValueError),
])
def test_torch_rejects_these_too(make: Callable[[], Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        make()
