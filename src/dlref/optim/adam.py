r"""Adam and AdamW: bias-corrected moving averages of the gradient and its square; L2 or decoupled weight decay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.optim.optimizer import Optimizer, ParamsT

from dlref.optim._options import boolean, check_group, non_negative, pair_in_unit_interval

__all__ = ["Adam", "AdamW"]

_CHECKS = {"lr": non_negative, "betas": pair_in_unit_interval, "eps": non_negative, "weight_decay": non_negative,
           "amsgrad": boolean, "maximize": boolean}


class Adam(Optimizer):
    r"""Adam: a step along the bias-corrected average gradient, scaled by the root of the average squared gradient.

    $$
    \begin{aligned}
    &\rule{110mm}{0.4pt} \\
    &\textbf{input}: \gamma \text{ (lr)},\ \beta_1, \beta_2 \text{ (betas)},\ \theta_0 \text{ (params)}, \\
    &\hspace{13mm} f(\theta) \text{ (objective)},\ \lambda \text{ (weight decay)},\ \epsilon \text{ (eps)},\
        \textit{amsgrad},\ \textit{maximize} \\
    &\textbf{initialize}: m_0 \leftarrow 0 \text{ (first moment)},\ v_0 \leftarrow 0 \text{ (second moment)},\
        v_0^{max} \leftarrow 0 \\[-1.ex]
    &\rule{110mm}{0.4pt} \\
    &\textbf{for}\ t = 1\ \textbf{to}\ \ldots\ \textbf{do} \\
    &\hspace{5mm} g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\textbf{if}\ \textit{maximize}:\ g_t \leftarrow -\nabla_\theta f_t(\theta_{t-1})) \\
    &\hspace{5mm} \textbf{if}\ \lambda \neq 0 \\
    &\hspace{10mm} g_t \leftarrow g_t + \lambda \theta_{t-1} \\
    &\hspace{5mm} m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    &\hspace{5mm} v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\hspace{5mm} \widehat{m_t} \leftarrow m_t / (1 - \beta_1^t) \\
    &\hspace{5mm} \textbf{if}\ \textit{amsgrad} \\
    &\hspace{10mm} v_t^{max} \leftarrow \max(v_{t-1}^{max}, v_t) \\
    &\hspace{10mm} \widehat{v_t} \leftarrow v_t^{max} / (1 - \beta_2^t) \\
    &\hspace{5mm} \textbf{else} \\
    &\hspace{10mm} \widehat{v_t} \leftarrow v_t / (1 - \beta_2^t) \\
    &\hspace{5mm} \theta_t \leftarrow \theta_{t-1} - \gamma\, \widehat{m_t} / \big(\sqrt{\widehat{v_t}} + \epsilon\big)
        \\[-1.ex]
    &\rule{110mm}{0.4pt} \\[-1.ex]
    &\textbf{return}\ \theta_t \\[-1.ex]
    &\rule{110mm}{0.4pt}
    \end{aligned}
    $$

    $m_t$ and $v_t$ are exponentially weighted averages (see [ema][dlref.optim.ema]) of
    $g$ and $g^2$. Started at 0 they are biased towards 0 early on, by the factors
    $1 - \beta_1^t$ and $1 - \beta_2^t$, which the hats divide out. $\epsilon$ is added
    to the square root of the corrected $\widehat{v_t}$, outside the root. Each coordinate
    moves by about $\gamma$ per step whatever the scale of its gradient (Kingma & Ba,
    section 2.1: at most $\gamma$ when $1 - \beta_1 \le \sqrt{1 - \beta_2}$, else at most
    $\gamma (1 - \beta_1) / \sqrt{1 - \beta_2}$, reached only in rare cases). Weight
    decay here is an L2 penalty added to the gradient, so it is divided by
    $\sqrt{\widehat{v_t}}$ like the rest of the gradient; [AdamW][dlref.optim.AdamW]
    decouples it.

    The state of a parameter holds ``"step"`` ($t$), ``"exp_avg"`` ($m_t$),
    ``"exp_avg_sq"`` ($v_t$) and, with amsgrad, ``"max_exp_avg_sq"`` ($v_t^{max}$), as torch's does.

    Args:
        params: The parameters to optimize, or a list of parameter groups (dicts with
            ``"params"`` and any option below to override it for that group).
        lr: Learning rate $\gamma \ge 0$. Defaults to 1e-3.
        betas: $(\beta_1, \beta_2)$, the decay rates of the two averages, each in $[0, 1)$.
            Defaults to (0.9, 0.999).
        eps: $\epsilon \ge 0$, added to the denominator. Defaults to 1e-8.
        weight_decay: L2 penalty $\lambda \ge 0$, added to the gradient. Defaults to 0.
        amsgrad: Divide by the running maximum of $v_t$ (AMSGrad). Defaults to False.
        maximize: Maximize the objective instead of minimizing it (keyword only). Defaults to False.

    Raises:
        TypeError: If an option has the wrong type (a tensor learning rate included).
        ValueError: If `lr`, `eps` or `weight_decay` is negative or not finite, or a beta
            is outside $[0, 1)$.

    Torch counterpart: `torch.optim.Adam` (the tests match its trajectories with ``foreach=False``);
    dlref has no ``foreach``, ``fused``, ``capturable``, ``differentiable`` or ``decoupled_weight_decay``
    (use [AdamW][dlref.optim.AdamW]).

    References:
        - Kingma & Ba, [Adam: A Method for Stochastic Optimization](https://arxiv.org/abs/1412.6980), ICLR 2015.
        - Reddi et al., [On the Convergence of Adam and Beyond](https://openreview.net/forum?id=ryQu7f-RZ),
          ICLR 2018 (AMSGrad).

    Examples:
        >>> import torch
        >>> from dlref.optim import Adam
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = Adam([w], lr=0.1)
        >>> for _ in range(2):
        ...     optimizer.zero_grad()
        ...     (w**2).sum().backward()
        ...     optimizer.step()
        >>> w  # each step moves each coordinate by about lr, whatever its gradient's scale
        tensor([ 0.8004, -1.8002], requires_grad=True)
        >>> optimizer.state[w]["step"], optimizer.state[w]["exp_avg"]
        (2, tensor([ 0.3600, -0.7400]))
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize)
        super().__init__(params, defaults)  # checks every group's options through add_param_group

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters; its options, its own or the defaults, are checked as the constructor's are."""
        super().add_param_group(check_group(type(self).__name__, param_group, self.defaults, len(self.param_groups),
                                            _CHECKS))

    #: AdamW sets this: weight decay shrinks θ directly instead of entering the gradient.
    decoupled_weight_decay = False

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
            lr, (beta1, beta2), eps, lam = group["lr"], group["betas"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    # m_0 ← 0, v_0 ← 0, v_0^max ← 0
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = torch.zeros_like(p)
                # t ← t + 1 (int(): torch.optim's state_dict stores the step as a float32 tensor)
                state["step"] = t = int(state["step"]) + 1
                # g_t = ∇f(θ_{t-1}), or -∇f(θ_{t-1}) to maximize
                g = -p.grad if group["maximize"] else p.grad
                if lam != 0 and self.decoupled_weight_decay:
                    # AdamW: θ_t ← θ_{t-1} - γ λ θ_{t-1}, then the step below is taken from this θ_t
                    p.mul_(1 - lr * lam)
                elif lam != 0:
                    # g_t ← g_t + λ θ_{t-1}
                    g = g + lam * p
                # m_t ← β1 m_{t-1} + (1 - β1) g_t
                state["exp_avg"] = m = beta1 * state["exp_avg"] + (1 - beta1) * g
                # v_t ← β2 v_{t-1} + (1 - β2) g_t²
                state["exp_avg_sq"] = v = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
                # m̂_t ← m_t / (1 - β1^t)
                m_hat = m / (1 - beta1**t)
                if group["amsgrad"]:
                    # v_t^max ← max(v_{t-1}^max, v_t);  v̂_t ← v_t^max / (1 - β2^t)
                    state["max_exp_avg_sq"] = v_max = torch.maximum(state["max_exp_avg_sq"], v)
                    v_hat = v_max / (1 - beta2**t)
                else:
                    # v̂_t ← v_t / (1 - β2^t)
                    v_hat = v / (1 - beta2**t)
                # θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)
                p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
        return loss


class AdamW(Adam):
    r"""AdamW: Adam whose weight decay shrinks the parameters directly instead of entering the gradient.

    $$
    \begin{aligned}
    &\rule{110mm}{0.4pt} \\
    &\textbf{input}: \gamma \text{ (lr)},\ \beta_1, \beta_2 \text{ (betas)},\ \theta_0 \text{ (params)}, \\
    &\hspace{13mm} f(\theta) \text{ (objective)},\ \lambda \text{ (weight decay)},\ \epsilon \text{ (eps)},\
        \textit{amsgrad},\ \textit{maximize} \\
    &\textbf{initialize}: m_0 \leftarrow 0 \text{ (first moment)},\ v_0 \leftarrow 0 \text{ (second moment)},\
        v_0^{max} \leftarrow 0 \\[-1.ex]
    &\rule{110mm}{0.4pt} \\
    &\textbf{for}\ t = 1\ \textbf{to}\ \ldots\ \textbf{do} \\
    &\hspace{5mm} g_t \leftarrow \nabla_\theta f_t(\theta_{t-1})
        \quad (\textbf{if}\ \textit{maximize}:\ g_t \leftarrow -\nabla_\theta f_t(\theta_{t-1})) \\
    &\hspace{5mm} \theta_t \leftarrow \theta_{t-1} - \gamma \lambda \theta_{t-1} \\
    &\hspace{5mm} m_t \leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
    &\hspace{5mm} v_t \leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
    &\hspace{5mm} \widehat{m_t} \leftarrow m_t / (1 - \beta_1^t) \\
    &\hspace{5mm} \textbf{if}\ \textit{amsgrad} \\
    &\hspace{10mm} v_t^{max} \leftarrow \max(v_{t-1}^{max}, v_t) \\
    &\hspace{10mm} \widehat{v_t} \leftarrow v_t^{max} / (1 - \beta_2^t) \\
    &\hspace{5mm} \textbf{else} \\
    &\hspace{10mm} \widehat{v_t} \leftarrow v_t / (1 - \beta_2^t) \\
    &\hspace{5mm} \theta_t \leftarrow \theta_t - \gamma\, \widehat{m_t} / \big(\sqrt{\widehat{v_t}} + \epsilon\big)
        \\[-1.ex]
    &\rule{110mm}{0.4pt} \\[-1.ex]
    &\textbf{return}\ \theta_t \\[-1.ex]
    &\rule{110mm}{0.4pt}
    \end{aligned}
    $$

    With Adam's L2 penalty, $\lambda\theta$ is part of the gradient and is divided by
    $\sqrt{\widehat{v_t}}$: parameters with large gradients are barely decayed. AdamW
    decays every parameter by the same factor $1 - \gamma\lambda$ per step, whatever its
    gradient history, which is what weight decay means for plain SGD. Note that the decay
    is scaled by $\gamma$, so a learning-rate schedule also schedules the decay.
    The ``step()`` is [Adam][dlref.optim.Adam]'s, with the decoupled branch taken.

    Args:
        params: The parameters to optimize, or a list of parameter groups (dicts with
            ``"params"`` and any option below to override it for that group).
        lr: Learning rate $\gamma \ge 0$. Defaults to 1e-3.
        betas: $(\beta_1, \beta_2)$, each in $[0, 1)$. Defaults to (0.9, 0.999).
        eps: $\epsilon \ge 0$, added to the denominator. Defaults to 1e-8.
        weight_decay: Decoupled decay $\lambda \ge 0$. Defaults to 1e-2.
        amsgrad: Divide by the running maximum of $v_t$ (AMSGrad). Defaults to False.
        maximize: Maximize the objective instead of minimizing it (keyword only). Defaults to False.

    Raises:
        TypeError: If an option has the wrong type (a tensor learning rate included).
        ValueError: If `lr`, `eps` or `weight_decay` is negative or not finite, or a beta
            is outside $[0, 1)$.

    Torch counterpart: `torch.optim.AdamW` (and ``torch.optim.Adam(decoupled_weight_decay=True)``).

    References:
        - Loshchilov & Hutter, [Decoupled Weight Decay Regularization](https://arxiv.org/abs/1711.05101), ICLR 2019.

    Examples:
        >>> import torch
        >>> from dlref.optim import AdamW
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = AdamW([w], lr=0.1, weight_decay=0.5)
        >>> optimizer.zero_grad()
        >>> (w**2).sum().backward()
        >>> optimizer.step()  # θ(1 - γλ) = [0.95, -1.9], then a step of length γ
        >>> w
        tensor([ 0.8500, -1.8000], requires_grad=True)
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
