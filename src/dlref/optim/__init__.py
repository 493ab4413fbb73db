r"""Optimizers: SGD (momentum, Nesterov), Adagrad, RMSprop, Adam, AdamW, and the exponentially weighted average.

Every optimizer subclasses `torch.optim.Optimizer`, so torch's `zero_grad`,
`state_dict`, `load_state_dict`, parameter groups and learning-rate schedulers
(torch's and [dlref.lr_scheduler][dlref.lr_scheduler]) work with it unchanged. Each
class documents its algorithm as aligned pseudo-code, in the style of torch's
`adam.py`, and its `step()` follows that pseudo-code line by line: one parameter at a
time, in plain tensor code, under `torch.no_grad()`. Names, argument order, defaults,
update order and the names of the state entries (``step``, ``momentum_buffer``,
``sum``, ``square_avg``, ``grad_avg``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``)
are torch's, and the tests check that 50 steps of every combination of options give
torch's parameters and state (``foreach=False``) in float64.

All of them share one skeleton, a gradient followed by a state update followed by a
parameter update:

$$
g_t = \nabla_\theta f(\theta_{t-1}), \qquad
\text{state}_t = \Phi(\text{state}_{t-1}, g_t), \qquad
\theta_t = \theta_{t-1} - \gamma\, u(\text{state}_t, g_t),
$$

and they differ only in the state they keep: none (SGD), a velocity (momentum), a
sum of squared gradients (Adagrad), their exponentially weighted average (RMSprop),
or both moments with bias correction (Adam). [ema][dlref.optim.ema] is that average
on its own, as a function.

Deliberate differences from torch (each one is tested):

- **No performance switches.** There is no ``foreach``, ``fused``, ``capturable`` or
  ``differentiable``; `lr` is a float (torch also takes a one-element tensor).
  ``maximize`` is keyword-only everywhere (torch's `RMSprop` and `Adagrad` also take
  it, or ``foreach``, by position).
- **State.** `step` is stored as a Python int (torch: a float32 tensor); a
  state_dict saved by either loads into the other and the run continues. State is
  created at a parameter's first update; torch's `Adagrad` creates it in its
  constructor, from the constructor's ``initial_accumulator_value`` for every group,
  dlref from each group's own value.
- **Validation.** Options are checked for type and range in the one message style,
  the constructor's arguments and each parameter group's own values alike, so
  ``SGD([{"params": ..., "lr": -1}])`` raises (torch checks the constructor's ranges
  only, with its own messages).
"""

from __future__ import annotations

from dlref.optim.adagrad import Adagrad
from dlref.optim.adam import Adam, AdamW
from dlref.optim.moving_average import ema
from dlref.optim.rmsprop import RMSprop
from dlref.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "ema"]  # noqa: RUF022 (learning order)
