r"""Adagrad: divide each coordinate's step by the root of the sum of all its squared gradients so far."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.optim.optimizer import Optimizer, ParamsT

from dlref.optim._options import boolean, check_group, non_negative

__all__ = ["Adagrad"]

_CHECKS = {"lr": non_negative, "lr_decay": non_negative, "weight_decay": non_negative,
           "initial_accumulator_value": non_negative, "eps": non_negative, "maximize": boolean}


class Adagrad(Optimizer):
    r"""Adagrad: per-coordinate steps scaled by $1/\sqrt{\sum_{s \le t} g_s^2}$, large for rare features.

    $$
    \begin{aligned}
    &\rule{110mm}{0.4pt} \\
    &\textbf{input}: \gamma \text{ (lr)},\ \theta_0 \text{ (params)},\ f(\theta) \text{ (objective)}, \\
    &\hspace{13mm} \lambda \text{ (weight decay)},\ \tau \text{ (initial accumulator value)},\ \eta \text{ (lr decay)},\
        \epsilon \text{ (eps)},\ \textit{maximize} \\
    &\textbf{initialize}: s_0 \leftarrow \tau \text{ (sum)} \\[-1.ex]
    &\rule{110mm}{0.4pt} \\
    &\textbf{for}\ t = 1\ \textbf{to}\ \ldots\ \textbf{do} \\
    &\hspace{5mm} g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\textbf{if}\ \textit{maximize}:\ g_t \leftarrow -\nabla_\theta f_t(\theta_{t-1})) \\
    &\hspace{5mm} \textbf{if}\ \lambda \neq 0 \\
    &\hspace{10mm} g_t \leftarrow g_t + \lambda \theta_{t-1} \\
    &\hspace{5mm} \tilde{\gamma} \leftarrow \gamma / \big(1 + (t - 1) \eta\big) \\
    &\hspace{5mm} s_t \leftarrow s_{t-1} + g_t^2 \\
    &\hspace{5mm} \theta_t \leftarrow \theta_{t-1} - \tilde{\gamma}\, g_t / \big(\sqrt{s_t} + \epsilon\big) \\[-1.ex]
    &\rule{110mm}{0.4pt} \\[-1.ex]
    &\textbf{return}\ \theta_t \\[-1.ex]
    &\rule{110mm}{0.4pt}
    \end{aligned}
    $$

    A coordinate that keeps receiving large gradients gets small steps, and a rarely
    updated one keeps large steps. Because $s_t$ only grows, every step shrinks roughly
    like $1/\sqrt t$ and training can stall long before a minimum: the problem RMSprop
    fixes. The first step is $\tilde\gamma\, g_1 / (|g_1| + \epsilon)$, about $\gamma$ per
    coordinate when $\tau = 0$. $\epsilon$ is added after the square root, as in torch.

    The state of a parameter holds ``"step"`` ($t$) and ``"sum"`` ($s_t$), as torch's does.

    Args:
        params: The parameters to optimize, or a list of parameter groups (dicts with
            ``"params"`` and any option below to override it for that group).
        lr: Learning rate $\gamma \ge 0$. Defaults to 1e-2.
        lr_decay: $\eta \ge 0$: the learning rate at step $t$ is $\gamma / (1 + (t - 1)\eta)$. Defaults to 0.
        weight_decay: L2 penalty $\lambda \ge 0$, added to the gradient. Defaults to 0.
        initial_accumulator_value: $\tau \ge 0$, the starting value of the sum. Defaults to 0.
        eps: $\epsilon \ge 0$, added to the denominator. Defaults to 1e-10.
        maximize: Maximize the objective instead of minimizing it (keyword only). Defaults to False.

    Raises:
        TypeError: If an option has the wrong type (a tensor learning rate included).
        ValueError: If an option is negative or not finite.

    Torch counterpart: `torch.optim.Adagrad` (the tests match its trajectories with ``foreach=False``);
    dlref has no ``foreach``, ``fused`` or ``differentiable``, takes no sparse gradients, and creates
    the state at the first step from each group's own ``initial_accumulator_value`` (torch: in the
    constructor, from the constructor's value for every group).

    References:
        - Duchi, Hazan & Singer, [Adaptive Subgradient Methods for Online Learning and Stochastic
          Optimization](https://jmlr.org/papers/v12/duchi11a.html), JMLR 2011.

    Examples:
        >>> import torch
        >>> from dlref.optim import Adagrad
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = Adagrad([w], lr=0.1)
        >>> for _ in range(2):
        ...     optimizer.zero_grad()
        ...     (w**2).sum().backward()
        ...     optimizer.step()
        >>> w  # steps of 0.1, then about 0.1 / sqrt(2)
        tensor([ 0.8331, -1.8311], requires_grad=True)
        >>> optimizer.state[w]["sum"]
        tensor([ 7.2400, 30.4400])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps, maximize=maximize)
        super().__init__(params, defaults)  # checks every group's options through add_param_group

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters; its options, its own or the defaults, are checked as the constructor's are."""
        super().add_param_group(check_group("Adagrad", param_group, self.defaults, len(self.param_groups), _CHECKS))

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:  # type: ignore[override]
        """Perform one update of every parameter that has a gradient; return the closure's loss, if given.

        Args:
            closure: A function that re-evaluates the model and returns the loss (it runs
                with gradients enabled). Defaults to None.

        Returns:
            The loss returned by `closure`, or None.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, eta, lam, eps = group["lr"], group["lr_decay"], group["weight_decay"], group["eps"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    # s_0 ← τ
                    state["step"] = 0
                    state["sum"] = torch.full_like(p, group["initial_accumulator_value"])
                # t ← t + 1 (int(): torch.optim's state_dict stores the step as a float32 tensor)
                state["step"] = t = int(state["step"]) + 1
                # g_t = ∇f(θ_{t-1}), or -∇f(θ_{t-1}) to maximize
                g = -p.grad if group["maximize"] else p.grad
                if lam != 0:
                    # g_t ← g_t + λ θ_{t-1}
                    g = g + lam * p
                # γ̃ ← γ / (1 + (t - 1) η)
                lr_t = lr / (1 + (t - 1) * eta)
                # s_t ← s_{t-1} + g_t²
                state["sum"] = s = state["sum"] + g * g
                # θ_t ← θ_{t-1} - γ̃ g_t / (√s_t + ε)
                p.sub_(lr_t * g / (s.sqrt() + eps))
        return loss
