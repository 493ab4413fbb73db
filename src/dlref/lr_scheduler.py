r"""Learning-rate schedules: step, multi-step, exponential, cosine, linear warm-up, lambda, and a sequence of them.

A schedule gives the learning rate $\eta_t$ of every parameter group at epoch $t$ as
a function of its base rate $\eta_0$ (the group's ``lr`` when the first scheduler was
built, kept as ``group["initial_lr"]``). Each class here gives that function in closed
form, in its docstring and as the method ``closed_form(epoch)``.

The classes subclass `torch.optim.lr_scheduler.LRScheduler`, which supplies the
plumbing (`step`, `last_epoch`, `get_last_lr`, `state_dict`), so they drive dlref's
and torch's optimizers alike, with torch's names, arguments and `last_epoch`
semantics:

- building a scheduler performs epoch 0: it sets ``last_epoch = 0`` and each group's
  ``lr`` to $\eta_0$ (times ``start_factor`` for `LinearLR`);
- each ``scheduler.step()``, called once per epoch **after** ``optimizer.step()``,
  advances ``last_epoch`` to $t$ and sets ``lr`` to $\eta_t$.

Like torch's, each `get_lr` is *recursive* (chainable): it multiplies the group's
current ``lr`` by $\eta_t / \eta_{t-1}$ instead of recomputing $\eta_t$, so two
schedulers stepping one optimizer compose (their factors multiply), and a change made
to ``lr`` from outside is kept. A scheduler alone follows its closed form (the tests
check both, over 300 epochs, against torch's schedulers).

Deliberate differences from torch (each one is tested):

- **Validation.** `step_size`, `T_max` and `total_iters` must be ints $\ge 1$,
  `gamma` $> 0$, `eta_min` $\ge 0$; `milestones` must be strictly increasing epochs
  $\ge 1$ (torch counts a repeated milestone twice and checks none of these).
  Messages follow dlref's one style.
- **LambdaLR.state_dict** leaves out `lr_lambdas` (torch saves the attributes of
  callable objects; plain functions are saved by neither).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

from torch import Tensor
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from dlref._checks import check_int, check_real, fail, fail_type

__all__ = [  # noqa: RUF022 (the order of the API page: decays, then warm-up, then the general ones)
    "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "LambdaLR", "SequentialLR",
]

Rates = list[float | Tensor]  # one learning rate per parameter group


def _check_optimizer(fn: str, optimizer: object, last_epoch: object) -> int:
    """The optimizer must be a torch.optim.Optimizer (dlref's are); last_epoch an int >= -1."""
    if not isinstance(optimizer, Optimizer):
        fail_type(fn, "optimizer", optimizer, "expected a torch.optim.Optimizer")
    return check_int(fn, "last_epoch", last_epoch, low=-1)


def _check_milestones(fn: str, milestones: object) -> list[int]:
    """A list or tuple of ints >= 1, strictly increasing."""
    allowed = "expected a list of strictly increasing epochs >= 1"
    if not isinstance(milestones, (list, tuple)) or any(isinstance(m, bool) or not isinstance(m, int)
                                                        for m in milestones):
        fail_type(fn, "milestones", milestones, allowed)
    ms = list(milestones)
    if any(m < 1 for m in ms) or any(later <= earlier for earlier, later in pairwise(ms)):
        fail(fn, "milestones", "is not strictly increasing from 1", ms, allowed)
    return ms


class _Scheduler(LRScheduler):
    """dlref's schedulers: torch's plumbing, a recursive `get_lr` and a `closed_form`."""

    def closed_form(self, epoch: int) -> Rates:
        """The learning rate of each parameter group at `epoch`, computed from the base rates."""
        raise NotImplementedError

    def _get_closed_form_lr(self) -> Rates:
        # the name torch's LRScheduler looks for when it jumps to an epoch (as SequentialLR does)
        return self.closed_form(self.last_epoch)

    def _current(self) -> Rates:
        """The groups' learning rates as they are now."""
        return [group["lr"] for group in self.optimizer.param_groups]


class StepLR(_Scheduler):
    r"""Multiply the learning rate by `gamma` every `step_size` epochs.

    $$
    \eta_t = \eta_0 \, \gamma^{\lfloor t / \text{step\_size} \rfloor}
    $$

    Args:
        optimizer: The optimizer (dlref's or torch's).
        step_size: Period of the decay, in epochs, $\ge 1$.
        gamma: Factor $\gamma > 0$. Defaults to 0.1.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer or an argument has the wrong type.
        ValueError: If `step_size` $< 1$, $\gamma \le 0$ or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.StepLR`.

    References:
        - PyTorch, [How to adjust learning rate](https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import StepLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for epoch in range(6):
        ...     rates.append(optimizer.param_groups[0]["lr"])
        ...     optimizer.step()  # (a training epoch)
        ...     scheduler.step()
        >>> rates
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
        >>> scheduler.closed_form(5)
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        fn = "StepLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        self.step_size = check_int(fn, "step_size", step_size, low=1)
        self.gamma = check_real(fn, "gamma", gamma, low=0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates: the current ones, times $\\gamma$ when `last_epoch` is a multiple of `step_size`."""
        t = self.last_epoch
        if t == 0 or t % self.step_size != 0:
            return self._current()
        # η_t = γ η_{t-1} at t = step_size, 2 step_size, ...
        return [lr * self.gamma for lr in self._current()]

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_0 γ^⌊t / step_size⌋."""
        epoch = check_int("StepLR.closed_form", "epoch", epoch, low=0)
        return [base * self.gamma ** (epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(_Scheduler):
    r"""Multiply the learning rate by `gamma` at each milestone epoch.

    $$
    \eta_t = \eta_0 \, \gamma^{\,|\{m \in \text{milestones} \,:\, m \le t\}|}
    $$

    Args:
        optimizer: The optimizer (dlref's or torch's).
        milestones: Strictly increasing epochs $\ge 1$ at which to decay.
        gamma: Factor $\gamma > 0$. Defaults to 0.1.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer or an argument has the wrong type.
        ValueError: If `milestones` is not strictly increasing from 1, $\gamma \le 0$ or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.MultiStepLR` (which also takes a repeated
    milestone, decaying by $\gamma^2$ there).

    References:
        - PyTorch, [How to adjust learning rate](https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import MultiStepLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = MultiStepLR(optimizer, milestones=[2, 3], gamma=0.5)
        >>> [scheduler.closed_form(t)[0] for t in range(5)]
        [1.0, 1.0, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer: Optimizer, milestones: Sequence[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        fn = "MultiStepLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        self.milestones = _check_milestones(fn, milestones)
        self.gamma = check_real(fn, "gamma", gamma, low=0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates: the current ones, times $\\gamma$ when `last_epoch` is a milestone."""
        if self.last_epoch not in self.milestones:
            return self._current()
        # η_t = γ η_{t-1} at each milestone
        return [lr * self.gamma for lr in self._current()]

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_0 γ^(number of milestones ≤ t)."""
        epoch = check_int("MultiStepLR.closed_form", "epoch", epoch, low=0)
        return [base * self.gamma ** bisect_right(self.milestones, epoch) for base in self.base_lrs]


class ExponentialLR(_Scheduler):
    r"""Multiply the learning rate by `gamma` every epoch.

    $$
    \eta_t = \eta_0 \, \gamma^t
    $$

    Args:
        optimizer: The optimizer (dlref's or torch's).
        gamma: Factor $\gamma > 0$ per epoch.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer or an argument has the wrong type.
        ValueError: If $\gamma \le 0$ or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.ExponentialLR`.

    References:
        - PyTorch, [How to adjust learning rate](https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import ExponentialLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = ExponentialLR(optimizer, gamma=0.9)
        >>> for epoch in range(3):
        ...     optimizer.step()
        ...     scheduler.step()
        >>> scheduler.get_last_lr(), scheduler.closed_form(3)
        ([0.7290000000000001], [0.7290000000000001])
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        fn = "ExponentialLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        self.gamma = check_real(fn, "gamma", gamma, low=0, low_open=True)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates: the current ones times $\\gamma$ (unchanged by the constructor's step)."""
        if self._is_initial:  # the constructor's step keeps the rates it finds (η_0, or those of a resumed run)
            return self._current()
        # η_t = γ η_{t-1}
        return [lr * self.gamma for lr in self._current()]

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_0 γ^t."""
        epoch = check_int("ExponentialLR.closed_form", "epoch", epoch, low=0)
        return [base * self.gamma**epoch for base in self.base_lrs]


class CosineAnnealingLR(_Scheduler):
    r"""Anneal the learning rate from $\eta_0$ to `eta_min` along half a cosine over `T_max` epochs.

    $$
    \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min}) \Big(1 + \cos\frac{\pi t}{T_{max}}\Big)
    $$

    The schedule has no restarts: after $T_{max}$ the cosine goes on, and the rate climbs
    back to $\eta_0$ at $2 T_{max}$. Stop training at $T_{max}$, or use `SequentialLR` to
    follow it with another schedule. The recursive update is
    $\eta_t = \eta_{min} + (\eta_{t-1} - \eta_{min})\,
    \frac{1 + \cos(\pi t / T_{max})}{1 + \cos(\pi (t-1) / T_{max})}$, with
    the ratio's $0/0$ at the trough $t - 1 \equiv T_{max} \pmod{2 T_{max}}$ replaced by
    the step of the closed form.

    Args:
        optimizer: The optimizer (dlref's or torch's).
        T_max: Half period, in epochs, $\ge 1$.
        eta_min: The lowest rate, $\ge 0$. Defaults to 0.0.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer or an argument has the wrong type.
        ValueError: If `T_max` $< 1$, `eta_min` $< 0$ or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.CosineAnnealingLR`.

    References:
        - Loshchilov & Hutter, [SGDR: Stochastic Gradient Descent with Warm
          Restarts](https://arxiv.org/abs/1608.03983), ICLR 2017.

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import CosineAnnealingLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = CosineAnnealingLR(optimizer, T_max=4)
        >>> [round(scheduler.closed_form(t)[0], 4) for t in range(5)]
        [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        fn = "CosineAnnealingLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        self.T_max = check_int(fn, "T_max", T_max, low=1)
        self.eta_min = check_real(fn, "eta_min", eta_min, low=0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates, from the current ones by the ratio of consecutive cosine terms."""
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:  # the constructor's step keeps the rates it finds
            return self._current()
        if (t - 1 - T) % (2 * T) == 0:
            # at the trough η_{t-1} = η_min the ratio is 0/0: take the closed form's step,
            # η_t = η_{t-1} + ½ (η_0 - η_min)(1 - cos(π / T_max))
            return [lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for lr, base in zip(self._current(), self.base_lrs, strict=True)]
        # η_t = η_min + (η_{t-1} - η_min) (1 + cos(π t / T_max)) / (1 + cos(π (t - 1) / T_max))
        return [eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
                for lr in self._current()]

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_min + ½ (η_0 - η_min)(1 + cos(π t / T_max))."""
        epoch = check_int("CosineAnnealingLR.closed_form", "epoch", epoch, low=0)
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2
                for base in self.base_lrs]


class LinearLR(_Scheduler):
    r"""Scale the learning rate by a factor that moves linearly from `start_factor` to `end_factor` (warm-up).

    $$
    \eta_t = \eta_0 \Big(s + (e - s)\, \frac{\min(t, T)}{T}\Big), \qquad s = \text{start\_factor},\
    e = \text{end\_factor},\ T = \text{total\_iters}
    $$

    With the defaults it is a warm-up: the rate starts at $\eta_0 / 3$ and reaches
    $\eta_0$ after 5 epochs, then stays there. Follow it with a decay by `SequentialLR`.
    The recursive update multiplies by $\frac{s + (e - s) t / T}{s + (e - s)(t - 1) / T}
    = 1 + \frac{e - s}{T s + (t - 1)(e - s)}$ for $1 \le t \le T$.

    Args:
        optimizer: The optimizer (dlref's or torch's).
        start_factor: $s \in (0, 1]$, the factor at epoch 0. Defaults to 1/3.
        end_factor: $e \in [0, 1]$, the factor from epoch $T$ on. Defaults to 1.0.
        total_iters: $T \ge 1$, the number of epochs of the ramp. Defaults to 5.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer or an argument has the wrong type.
        ValueError: If a factor is out of its range, `total_iters` $< 1$ or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.LinearLR`.

    References:
        - Goyal et al., [Accurate, Large Minibatch SGD: Training ImageNet in 1
          Hour](https://arxiv.org/abs/1706.02677), 2017 (gradual warm-up).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import LinearLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = LinearLR(optimizer, start_factor=0.25, total_iters=3)
        >>> [scheduler.closed_form(t)[0] for t in range(5)]
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        fn = "LinearLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        self.start_factor = check_real(fn, "start_factor", start_factor, low=0, high=1, low_open=True)
        self.end_factor = check_real(fn, "end_factor", end_factor, low=0, high=1)
        self.total_iters = check_int(fn, "total_iters", total_iters, low=1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates: times $s$ at epoch 0, then by the ratio of consecutive factors up to $T$."""
        t, s, e, T = self.last_epoch, self.start_factor, self.end_factor, self.total_iters
        if t == 0:
            # η_0 ← s η_0
            return [lr * s for lr in self._current()]
        if self._is_initial or t > T:  # a resumed run keeps its rates; after the ramp nothing changes
            return self._current()
        # η_t = η_{t-1} (1 + (e - s) / (T s + (t - 1)(e - s)))
        return [lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))) for lr in self._current()]

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_0 (s + (e - s) min(t, T) / T)."""
        epoch = check_int("LinearLR.closed_form", "epoch", epoch, low=0)
        s, e, T = self.start_factor, self.end_factor, self.total_iters
        return [base * (s + (e - s) * min(epoch, T) / T) for base in self.base_lrs]


class LambdaLR(_Scheduler):
    r"""Set the learning rate to the base rate times a function of the epoch.

    $$
    \eta_t = \eta_0 \, \lambda(t)
    $$

    This one is not recursive: $\eta_t$ is recomputed from $\eta_0$ every epoch, so it
    overrides, rather than composes with, another scheduler on the same optimizer.

    Args:
        optimizer: The optimizer (dlref's or torch's).
        lr_lambda: A function $\lambda$ of the epoch (an int) returning a factor, or a
            list of such functions, one per parameter group.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer, `lr_lambda` is not callable or a
            list of callables, or `last_epoch` is not an int.
        ValueError: If the list has not one function per parameter group, or `last_epoch` $< -1$.

    Torch counterpart: `torch.optim.lr_scheduler.LambdaLR` (its `state_dict` also keeps
    the attributes of callable objects; dlref's leaves `lr_lambdas` out).

    References:
        - PyTorch, [How to adjust learning rate](https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import LambdaLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        >>> scheduler = LambdaLR(optimizer, lambda t: 1 / (1 + t))
        >>> [scheduler.closed_form(t)[0] for t in range(4)]
        [0.1, 0.05, 0.03333333333333333, 0.025]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        fn = "LambdaLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        groups = len(optimizer.param_groups)
        allowed = f"expected a function of the epoch, or a list of {groups}, one per parameter group"
        if callable(lr_lambda):
            self.lr_lambdas = [lr_lambda] * groups
        elif isinstance(lr_lambda, (list, tuple)) and all(callable(f) for f in lr_lambda):
            if len(lr_lambda) != groups:
                fail(fn, "lr_lambda", "has the wrong length", len(lr_lambda), allowed)
            self.lr_lambdas = list(lr_lambda)
        else:
            fail_type(fn, "lr_lambda", lr_lambda, allowed)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> Rates:
        """The next rates, $\\eta_0 \\lambda(t)$."""
        return self.closed_form(self.last_epoch)

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η_0 λ(t)."""
        epoch = check_int("LambdaLR.closed_form", "epoch", epoch, low=0)
        return [base * f(epoch) for base, f in zip(self.base_lrs, self.lr_lambdas, strict=True)]

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's state without `lr_lambdas`: rebuild the scheduler with its functions, then load it."""
        return {key: value for key, value in super().state_dict().items() if key != "lr_lambdas"}


class SequentialLR(LRScheduler):
    r"""Run schedulers one after another: the $k$-th from milestone $m_{k-1}$ on, restarted at its epoch 0.

    $$
    \eta_t = \eta^{(k)}_{t - m_{k-1}} \quad \text{for } m_{k-1} \le t < m_k, \qquad m_0 = 0,
    $$

    where $\eta^{(k)}_\tau$ is the $k$-th scheduler's own schedule at its epoch $\tau$,
    from the same base rate $\eta_0$. The usual use is a warm-up then a decay:
    ``SequentialLR(opt, [LinearLR(opt, 0.1, total_iters=5), CosineAnnealingLR(opt, T_max=95)], milestones=[5])``.
    Build the schedulers first, on this optimizer, and step only the `SequentialLR`.

    Args:
        optimizer: The optimizer (dlref's or torch's) that every scheduler steps.
        schedulers: The schedulers, in order (dlref's or torch's).
        milestones: Strictly increasing epochs $\ge 1$ at which the next scheduler takes
            over, one fewer than `schedulers`.
        last_epoch: The last epoch done, to resume a run; -1 starts one. Defaults to -1.

    Raises:
        TypeError: If `optimizer` is not an optimizer, a scheduler is not an `LRScheduler`,
            or an argument has the wrong type.
        ValueError: If `schedulers` is empty or steps another optimizer, or `milestones`
            is not strictly increasing from 1 or has the wrong length.

    Torch counterpart: `torch.optim.lr_scheduler.SequentialLR`.

    References:
        - PyTorch, [How to adjust learning rate](https://docs.pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate).

    Examples:
        >>> import torch
        >>> from dlref.lr_scheduler import ExponentialLR, LinearLR, SequentialLR
        >>> from dlref.optim import SGD
        >>> optimizer = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
        >>> warm_up = LinearLR(optimizer, start_factor=0.5, total_iters=2)
        >>> decay = ExponentialLR(optimizer, gamma=0.5)
        >>> scheduler = SequentialLR(optimizer, [warm_up, decay], milestones=[2])
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(optimizer.param_groups[0]["lr"])
        ...     optimizer.step()
        ...     scheduler.step()
        >>> rates, scheduler.closed_form(4)
        ([0.5, 0.75, 1.0, 0.5, 0.25], [0.25])
    """

    def __init__(self, optimizer: Optimizer, schedulers: Sequence[LRScheduler], milestones: Sequence[int],
                 last_epoch: int = -1) -> None:
        fn = "SequentialLR"
        last_epoch = _check_optimizer(fn, optimizer, last_epoch)
        if not isinstance(schedulers, (list, tuple)) or not all(isinstance(s, LRScheduler) for s in schedulers):
            fail_type(fn, "schedulers", schedulers, "expected a list of learning-rate schedulers")
        if len(schedulers) == 0:
            fail(fn, "schedulers", "is empty", "[]", "expected at least one scheduler")
        for k, scheduler in enumerate(schedulers):
            if scheduler.optimizer is not optimizer:
                fail(fn, f"schedulers[{k}]", "steps another optimizer", type(scheduler).__name__,
                     "expected every scheduler to be built on this optimizer")
        self.milestones = _check_milestones(fn, milestones)
        if len(self.milestones) != len(schedulers) - 1:
            fail(fn, "milestones", "has the wrong length", len(self.milestones),
                 f"expected {len(schedulers) - 1}, one fewer than the {len(schedulers)} schedulers")
        self.schedulers = list(schedulers)
        self.optimizer = optimizer
        self.last_epoch = last_epoch + 1
        # the schedulers' constructors each performed their epoch 0: undo them, back to the base rates
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in self.schedulers:
            scheduler.last_epoch -= 1
        # then perform epoch 0 of the scheduler in charge of it
        first = self.schedulers[bisect_right(self.milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self) -> None:  # type: ignore[override]
        """Advance one epoch: step the scheduler in charge, or restart the next one at its epoch 0."""
        self.last_epoch += 1
        k = bisect_right(self.milestones, self.last_epoch)
        scheduler = self.schedulers[k]
        if k > 0 and self.milestones[k - 1] == self.last_epoch:
            # a milestone: the next scheduler starts at its own epoch 0, from the base rates
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def closed_form(self, epoch: int) -> Rates:
        """η_t = η^(k)_{t - m_(k-1)}, the closed form of the scheduler in charge at epoch t."""
        epoch = check_int("SequentialLR.closed_form", "epoch", epoch, low=0)
        k = bisect_right(self.milestones, epoch)
        start = self.milestones[k - 1] if k > 0 else 0
        scheduler = self.schedulers[k]
        if not isinstance(scheduler, _Scheduler):
            fail_type("SequentialLR.closed_form", f"schedulers[{k}]", scheduler,
                      "expected a dlref scheduler (one with closed_form)")
        return scheduler.closed_form(epoch - start)

    def state_dict(self) -> dict[str, Any]:
        """The state of this scheduler and, under ``"schedulers"``, of each scheduler it runs."""
        state = {key: value for key, value in self.__dict__.items() if key not in ("optimizer", "schedulers")}
        state["schedulers"] = [scheduler.state_dict() for scheduler in self.schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state saved by `state_dict`, the schedulers' included."""
        self.__dict__.update({key: value for key, value in state_dict.items() if key != "schedulers"})
        for scheduler, state in zip(self.schedulers, state_dict["schedulers"], strict=True):
            scheduler.load_state_dict(state)
