r"""Weight penalties: the L1 and L2 terms added to a loss, and how the L2 term relates to weight decay.

A penalty $\lambda R(w)$ added to the loss pulls the weights towards 0:

$$
L_{\text{total}}(w) = L(w) + \lambda R(w), \qquad
R_1(w) = \sum_i |w_i|, \qquad R_2(w) = \tfrac12 \sum_i w_i^2 .
$$

With the factor $\tfrac12$, $\nabla R_2 = w$, so one step of plain gradient descent on
$L + \lambda R_2$ is

$$
w \leftarrow w - \eta\,(\nabla L + \lambda w) = (1 - \eta\lambda)\, w - \eta \nabla L ,
$$

which is exactly SGD with ``weight_decay=λ``: for SGD an L2 penalty *is* weight decay.
Not for adaptive methods: Adam divides the penalty's gradient $\lambda w$ by
$\sqrt{\hat v}$ together with $\nabla L$, so weights with large gradients are decayed
less. AdamW (Loshchilov & Hutter, 2019) decouples the decay, $w \leftarrow w - \eta\lambda w$
outside the adaptive step; ``Adam(weight_decay=λ)`` is the L2 penalty, ``AdamW(weight_decay=λ)``
is not (the tests show both). The L1 term's gradient $\lambda\,\operatorname{sign}(w)$ has
the same size for every weight, which drives small weights to exactly 0 (with a proximal
step) and makes L1 a sparsity penalty.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor

from dlref._checks import check_tensor, fail, fail_type, message

__all__ = ["l1_penalty", "l2_penalty"]

Params = Tensor | Iterable[Tensor]


def _check_params(fn: str, params: object) -> list[Tensor]:
    """One tensor, or a non-empty iterable (e.g. ``model.parameters()``) of floating-point tensors of one dtype."""
    if isinstance(params, Tensor):
        tensors = [params]
    elif isinstance(params, Iterable) and not isinstance(params, (str, bytes)):
        tensors = list(params)
    else:
        fail_type(fn, "params", params, "expected a tensor or an iterable of tensors, e.g. model.parameters()")
    if not tensors:
        fail(fn, "params", "is empty", "no tensors", "expected at least one tensor")
    for k, t in enumerate(tensors):
        check_tensor(fn, f"params[{k}]", t)
        if t.dtype != tensors[0].dtype:
            raise TypeError(message(fn, f"params[{k}]", "has the wrong dtype", t.dtype,
                                    f"expected {tensors[0].dtype}, the dtype of params[0]"))
    return tensors


def l1_penalty(params: Params) -> Tensor:
    r"""The L1 penalty: the sum of the absolute values of all parameters.

    $$
    R_1(w) = \sum_i |w_i|, \qquad \frac{\partial R_1}{\partial w_i} = \operatorname{sign}(w_i)
    $$

    Add $\lambda R_1$ to the loss. The gradient at $w_i = 0$ is 0 (torch's subgradient of $|\cdot|$).

    Args:
        params: A tensor or an iterable of tensors, e.g. ``model.parameters()`` (often only the weights).

    Shape:
        - Output: $()$.

    Returns:
        $R_1$, a 0-D tensor with a gradient to every parameter.

    Raises:
        TypeError: If `params` is not a tensor or an iterable of floating-point tensors of one dtype.
        ValueError: If it is empty.

    Torch counterpart: none (written by hand as ``sum(p.abs().sum() for p in params)``).

    References:
        - Tibshirani, [Regression Shrinkage and Selection via the
          Lasso](https://doi.org/10.1111/j.2517-6161.1996.tb02080.x), JRSS B 1996.

    Examples:
        >>> import torch
        >>> from dlref.norm import l1_penalty
        >>> l1_penalty([torch.tensor([1.0, -2.0]), torch.tensor([[0.5]])])
        tensor(3.5000)
    """
    tensors = _check_params("l1_penalty", params)
    # R₁ = Σ |w_i| over every parameter
    return torch.stack([t.abs().sum() for t in tensors]).sum()


def l2_penalty(params: Params) -> Tensor:
    r"""The L2 penalty with the factor one half: half the sum of the squares of all parameters.

    $$
    R_2(w) = \frac12 \sum_i w_i^2 = \frac12 \lVert w \rVert_2^2, \qquad \frac{\partial R_2}{\partial w_i} = w_i
    $$

    Adding $\lambda R_2$ to the loss and stepping with SGD is SGD with ``weight_decay=λ``
    (see the module notes; with Adam it is ``Adam(weight_decay=λ)``, not AdamW).

    Args:
        params: A tensor or an iterable of tensors, e.g. ``model.parameters()``.

    Shape:
        - Output: $()$.

    Returns:
        $R_2$, a 0-D tensor with a gradient to every parameter.

    Raises:
        TypeError: If `params` is not a tensor or an iterable of floating-point tensors of one dtype.
        ValueError: If it is empty.

    Torch counterpart: none as a function; the ``weight_decay`` argument of `torch.optim.SGD`
    adds its gradient $\lambda w$.

    References:
        - Krogh & Hertz, [A Simple Weight Decay Can Improve
          Generalization](https://proceedings.neurips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html),
          NeurIPS 1991.
        - Loshchilov & Hutter, [Decoupled Weight Decay Regularization](https://arxiv.org/abs/1711.05101), ICLR 2019.

    Examples:
        >>> import torch
        >>> from dlref.norm import l2_penalty
        >>> l2_penalty([torch.tensor([1.0, -2.0]), torch.tensor([[0.5]])])  # (1 + 4 + 0.25) / 2
        tensor(2.6250)
    """
    tensors = _check_params("l2_penalty", params)
    # R₂ = ½ Σ w_i² over every parameter
    return 0.5 * torch.stack([(t * t).sum() for t in tensors]).sum()
