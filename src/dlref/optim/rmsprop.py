r"""RMSprop: divide the gradient by the root of a moving average of its square (optionally centered, with momentum)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.optim.optimizer import Optimizer, ParamsT

from dlref.optim._options import boolean, check_group, non_negative

__all__ = ["RMSprop"]

_CHECKS = {"lr": non_negative, "alpha": non_negative, "eps": non_negative, "weight_decay": non_negative,
           "momentum": non_negative, "centered": boolean, "maximize": boolean}


class RMSprop(Optimizer):
    r"""RMSprop: each coordinate's step is divided by the root of an exponentially weighted average of its $g^2$.

    $$
    \begin{aligned}
    &\rule{110mm}{0.4pt} \\
    &\textbf{input}: \alpha \text{ (alpha)},\ \gamma \text{ (lr)},\ \theta_0 \text{ (params)}, \\
    &\hspace{13mm} f(\theta) \text{ (objective)},\ \lambda \text{ (weight decay)},\ \mu \text{ (momentum)},\
        \textit{centered},\ \epsilon \text{ (eps)},\ \textit{maximize} \\
    &\textbf{initialize}: v_0 \leftarrow 0 \text{ (square average)},\ b_0 \leftarrow 0 \text{ (buffer)},\
        g^{ave}_0 \leftarrow 0 \\[-1.ex]
    &\rule{110mm}{0.4pt} \\
    &\textbf{for}\ t = 1\ \textbf{to}\ \ldots\ \textbf{do} \\
    &\hspace{5mm} g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\textbf{if}\ \textit{maximize}:\ g_t \leftarrow -\nabla_\theta f_t(\theta_{t-1})) \\
    &\hspace{5mm} \textbf{if}\ \lambda \neq 0 \\
    &\hspace{10mm} g_t \leftarrow g_t + \lambda \theta_{t-1} \\
    &\hspace{5mm} v_t \leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
    &\hspace{5mm} \tilde{v}_t \leftarrow v_t \\
    &\hspace{5mm} \textbf{if}\ \textit{centered} \\
    &\hspace{10mm} g^{ave}_t \leftarrow \alpha g^{ave}_{t-1} + (1 - \alpha) g_t \\
    &\hspace{10mm} \tilde{v}_t \leftarrow \tilde{v}_t - \big(g^{ave}_t\big)^2 \\
    &\hspace{5mm} \textbf{if}\ \mu > 0 \\
    &\hspace{10mm} b_t \leftarrow \mu b_{t-1} + g_t / \big(\sqrt{\tilde{v}_t} + \epsilon\big) \\
    &\hspace{10mm} \theta_t \leftarrow \theta_{t-1} - \gamma b_t \\
    &\hspace{5mm} \textbf{else} \\
    &\hspace{10mm} \theta_t \leftarrow \theta_{t-1} - \gamma g_t / \big(\sqrt{\tilde{v}_t} + \epsilon\big) \\[-1.ex]
    &\rule{110mm}{0.4pt} \\[-1.ex]
    &\textbf{return}\ \theta_t \\[-1.ex]
    &\rule{110mm}{0.4pt}
    \end{aligned}
    $$

    Adagrad's sum of squared gradients only grows, so its steps only shrink; RMSprop
    forgets old gradients at the rate $1 - \alpha$, so the scale $\sqrt{v_t}$ follows the
    recent gradients (over about $1/(1 - \alpha)$ steps). The average is not bias-corrected:
    with $v_0 = 0$ the first steps are larger than $\gamma$ (the first is
    $\gamma / \sqrt{1 - \alpha}$ per coordinate, 10γ for $\alpha = 0.99$). *Centered*
    divides by an estimate of the standard deviation of $g$ instead of its root mean
    square. $\epsilon$ is added after the square root, as in torch (TensorFlow adds it inside).

    The state of a parameter holds ``"step"``, ``"square_avg"`` ($v_t$), and
    ``"momentum_buffer"`` ($b_t$) when $\mu > 0$, ``"grad_avg"`` ($g^{ave}_t$) when centered,
    as torch's does.

    Args:
        params: The parameters to optimize, or a list of parameter groups (dicts with
            ``"params"`` and any option below to override it for that group).
        lr: Learning rate $\gamma \ge 0$. Defaults to 1e-2.
        alpha: Smoothing constant $\alpha \ge 0$ of the averages. Defaults to 0.99.
        eps: $\epsilon \ge 0$, added to the denominator. Defaults to 1e-8.
        weight_decay: L2 penalty $\lambda \ge 0$, added to the gradient. Defaults to 0.
        momentum: Momentum factor $\mu \ge 0$ of the normalized step. Defaults to 0.
        centered: Normalize by the estimated variance of the gradient. Defaults to False.
        maximize: Maximize the objective instead of minimizing it (keyword only). Defaults to False.

    Raises:
        TypeError: If an option has the wrong type (a tensor learning rate included).
        ValueError: If `lr`, `alpha`, `eps`, `weight_decay` or `momentum` is negative or not finite.

    Torch counterpart: `torch.optim.RMSprop` (the tests match its trajectories with ``foreach=False``);
    dlref has no ``capturable``, ``foreach`` or ``differentiable``.

    References:
        - Hinton, Srivastava & Swersky, [Neural Networks for Machine Learning, lecture 6e
          ](https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf), 2012.
        - Graves, [Generating Sequences With Recurrent Neural Networks](https://arxiv.org/abs/1308.0850),
          2013 (the centered form).

    Examples:
        >>> import torch
        >>> from dlref.optim import RMSprop
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = RMSprop([w], lr=0.01)
        >>> optimizer.zero_grad()
        >>> (w**2).sum().backward()
        >>> optimizer.step()  # a first step of lr / sqrt(1 - alpha) = 0.1 per coordinate
        >>> w
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered,
                        maximize=maximize)
        super().__init__(params, defaults)  # checks every group's options through add_param_group

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters; its options, its own or the defaults, are checked as the constructor's are."""
        super().add_param_group(check_group("RMSprop", param_group, self.defaults, len(self.param_groups), _CHECKS))

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
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            lam, mu = group["weight_decay"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    # v_0 ← 0, b_0 ← 0, g^ave_0 ← 0
                    state["step"] = 0
                    state["square_avg"] = torch.zeros_like(p)
                    if mu > 0:
                        state["momentum_buffer"] = torch.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = torch.zeros_like(p)
                # t ← t + 1 (int(): torch.optim's state_dict stores the step as a float32 tensor)
                state["step"] = int(state["step"]) + 1
                # g_t = ∇f(θ_{t-1}), or -∇f(θ_{t-1}) to maximize
                g = -p.grad if group["maximize"] else p.grad
                if lam != 0:
                    # g_t ← g_t + λ θ_{t-1}
                    g = g + lam * p
                # v_t ← α v_{t-1} + (1 - α) g_t²
                state["square_avg"] = v = alpha * state["square_avg"] + (1 - alpha) * g * g
                v_tilde = v
                if group["centered"]:
                    # g^ave_t ← α g^ave_{t-1} + (1 - α) g_t
                    state["grad_avg"] = g_ave = alpha * state["grad_avg"] + (1 - alpha) * g
                    # ṽ_t ← ṽ_t - (g^ave_t)²
                    v_tilde = v_tilde - g_ave * g_ave
                if mu > 0:
                    # b_t ← μ b_{t-1} + g_t / (√ṽ_t + ε)
                    state["momentum_buffer"] = b = mu * state["momentum_buffer"] + g / (v_tilde.sqrt() + eps)
                    # θ_t ← θ_{t-1} - γ b_t
                    p.sub_(lr * b)
                else:
                    # θ_t ← θ_{t-1} - γ g_t / (√ṽ_t + ε)
                    p.sub_(lr * g / (v_tilde.sqrt() + eps))
        return loss
