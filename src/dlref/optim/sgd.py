r"""Stochastic gradient descent, with torch's momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.optim.optimizer import Optimizer, ParamsT

from dlref._checks import fail
from dlref.optim._options import boolean, check_group, non_negative, real

__all__ = ["SGD"]

_CHECKS = {"lr": non_negative, "momentum": non_negative, "dampening": real, "weight_decay": non_negative,
           "nesterov": boolean, "maximize": boolean}


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum (heavy ball or Nesterov) and weight decay.

    $$
    \begin{aligned}
    &\rule{110mm}{0.4pt} \\
    &\textbf{input}: \gamma \text{ (lr)},\ \theta_0 \text{ (params)},\ f(\theta) \text{ (objective)}, \\
    &\hspace{13mm} \lambda \text{ (weight decay)},\ \mu \text{ (momentum)},\ \tau \text{ (dampening)},\
        \textit{nesterov},\ \textit{maximize} \\[-1.ex]
    &\rule{110mm}{0.4pt} \\
    &\textbf{for}\ t = 1\ \textbf{to}\ \ldots\ \textbf{do} \\
    &\hspace{5mm} g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\textbf{if}\ \textit{maximize}:\ g_t \leftarrow -\nabla_\theta f_t(\theta_{t-1})) \\
    &\hspace{5mm} \textbf{if}\ \lambda \neq 0 \\
    &\hspace{10mm} g_t \leftarrow g_t + \lambda \theta_{t-1} \\
    &\hspace{5mm} \textbf{if}\ \mu \neq 0 \\
    &\hspace{10mm} \textbf{if}\ t > 1 \\
    &\hspace{15mm} b_t \leftarrow \mu b_{t-1} + (1 - \tau) g_t \\
    &\hspace{10mm} \textbf{else} \\
    &\hspace{15mm} b_t \leftarrow g_t \\
    &\hspace{10mm} \textbf{if}\ \textit{nesterov} \\
    &\hspace{15mm} g_t \leftarrow g_t + \mu b_t \\
    &\hspace{10mm} \textbf{else} \\
    &\hspace{15mm} g_t \leftarrow b_t \\
    &\hspace{5mm} \theta_t \leftarrow \theta_{t-1} - \gamma g_t \\[-1.ex]
    &\rule{110mm}{0.4pt} \\[-1.ex]
    &\textbf{return}\ \theta_t \\[-1.ex]
    &\rule{110mm}{0.4pt}
    \end{aligned}
    $$

    This is torch's form of momentum: the buffer $b$ accumulates raw gradients and the
    learning rate multiplies it afterwards, $\theta_t = \theta_{t-1} - \gamma b_t$. With a
    constant $\gamma$ it is the same trajectory as Sutskever et al.'s
    $v_t = \mu v_{t-1} + \gamma g_t$, $\theta_t = \theta_{t-1} - v_t$ (take $v = \gamma b$);
    the two differ when a scheduler changes $\gamma$. The buffer starts at the first
    gradient, so dampening first acts at step 2.

    The exponentially weighted average form of momentum,
    $a_t = \mu a_{t-1} + (1 - \mu) g_t$ with $a_0 = 0$ (see [ema][dlref.optim.ema]), is
    $\tau = \mu$, except that the buffer starts at $b_1 = g_1$ instead of
    $a_1 = (1 - \mu) g_1$, so that $b_t = a_t + \mu^t g_1$. Under a constant gradient its
    steps settle at $\gamma g$, $1 - \mu$ times the $\gamma g / (1 - \mu)$ of undampened
    momentum. Nesterov evaluates the step as if the momentum had already been applied:
    $g_t + \mu b_t$ instead of $b_t$.

    The state of a parameter holds ``"momentum_buffer"`` ($b_t$) once $\mu \neq 0$, as torch's does.

    Args:
        params: The parameters to optimize, or a list of parameter groups (dicts with
            ``"params"`` and any option below to override it for that group).
        lr: Learning rate $\gamma \ge 0$. Defaults to 1e-3.
        momentum: Momentum factor $\mu \ge 0$. Defaults to 0.
        dampening: Dampening $\tau$ of the momentum: the new gradient enters the buffer with
            weight $1 - \tau$. Defaults to 0.
        weight_decay: L2 penalty $\lambda \ge 0$, added to the gradient. Defaults to 0.
        nesterov: Use Nesterov momentum (needs $\mu > 0$ and $\tau = 0$). Defaults to False.
        maximize: Maximize the objective instead of minimizing it (keyword only). Defaults to False.

    Raises:
        TypeError: If an option has the wrong type (a tensor learning rate included).
        ValueError: If `lr`, `momentum` or `weight_decay` is negative or not finite, or
            `nesterov` is set without momentum or with dampening.

    Torch counterpart: `torch.optim.SGD` (the tests match its trajectories with ``foreach=False``);
    dlref has no ``foreach``, ``fused`` or ``differentiable`` and takes a float ``lr`` only.

    References:
        - Polyak, [Some methods of speeding up the convergence of iteration
          methods](https://doi.org/10.1016/0041-5553(64)90137-5), 1964.
        - Sutskever et al., [On the importance of initialization and momentum in deep
          learning](https://proceedings.mlr.press/v28/sutskever13.html), ICML 2013.

    Examples:
        >>> import torch
        >>> from dlref.optim import SGD
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     optimizer.zero_grad()
        ...     (w**2).sum().backward()  # gradient 2w
        ...     optimizer.step()
        >>> w
        tensor([ 0.4600, -0.9200], requires_grad=True)
        >>> optimizer.state[w]["momentum_buffer"]
        tensor([ 3.4000, -6.8000])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov,
                        maximize=maximize)
        super().__init__(params, defaults)  # checks every group's options through add_param_group

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters; its options, its own or the defaults, are checked as the constructor's are."""
        group = check_group("SGD", param_group, self.defaults, len(self.param_groups), _CHECKS)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            fail("SGD", "nesterov", "needs momentum and no dampening",
                 f"momentum={group['momentum']:g}, dampening={group['dampening']:g}",
                 "expected momentum > 0 and dampening = 0 with nesterov=True")
        super().add_param_group(group)

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
            lr, mu, tau, lam = group["lr"], group["momentum"], group["dampening"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                # g_t = ∇f(θ_{t-1}), or -∇f(θ_{t-1}) to maximize
                g = -p.grad if group["maximize"] else p.grad
                if lam != 0:
                    # g_t ← g_t + λ θ_{t-1}
                    g = g + lam * p
                if mu != 0:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        # b_1 ← g_1
                        state["momentum_buffer"] = g.clone()
                    else:
                        # b_t ← μ b_{t-1} + (1 - τ) g_t
                        state["momentum_buffer"] = mu * state["momentum_buffer"] + (1 - tau) * g
                    b = state["momentum_buffer"]
                    # g_t ← g_t + μ b_t (Nesterov), else g_t ← b_t
                    g = g + mu * b if group["nesterov"] else b
                # θ_t ← θ_{t-1} - γ g_t
                p.sub_(lr * g)
        return loss
