r"""The two-unit ReLU network that solves XOR, the first example of the activations chapter.

A linear model cannot separate XOR: its least-squares fit predicts 0.5 for all four
points. One hidden layer of two ReLU units can, with weights found by hand
(Goodfellow et al., *Deep Learning*, §6.1). The site's "Activations" chapter runs it.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_ndim, check_tensor, fail
from dlref.activations import relu

__all__ = ["xor_network"]


def xor_network(x: Tensor) -> Tensor:
    r"""The two-unit ReLU network that solves XOR (Goodfellow et al., 2016, §6.1).

    $$ h = \operatorname{ReLU}(W^\top x + c),\quad \hat y = w^\top h,\qquad
       W = \begin{bmatrix}1 & 1\\ 1 & 1\end{bmatrix},\ c = \begin{bmatrix}0\\-1\end{bmatrix},\
       w = \begin{bmatrix}1\\-2\end{bmatrix} $$

    Args:
        x: Points, one $(x_1, x_2)$ per row.

    Shape:
        - Input: $(N, 2)$.
        - Output: $(N,)$.

    Returns:
        The network's outputs, 0 or 1 on the four corners of the unit square.

    Raises:
        TypeError: If `x` is not a floating-point tensor.
        ValueError: If `x` is not of shape $(N, 2)$.

    References:
        Goodfellow, Bengio, Courville, *Deep Learning*, §6.1
        (<https://www.deeplearningbook.org/contents/mlp.html>).

    Examples:
        >>> import torch
        >>> from dlref.experiments import xor_network
        >>> xor_network(torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]))
        tensor([0., 1., 1., 0.])
    """
    fn = "xor_network"
    check_ndim(fn, "x", check_tensor(fn, "x", x), (2,), "(N, 2)")
    if x.shape[1] != 2:
        fail(fn, "x", "has the wrong shape", tuple(x.shape), "expected (N, 2): one point (x1, x2) per row")
    W = torch.ones(2, 2, dtype=x.dtype)
    c = torch.tensor([0.0, -1.0], dtype=x.dtype)
    w = torch.tensor([1.0, -2.0], dtype=x.dtype)
    h = relu(x @ W + c)  # h = ReLU(W^T x + c), (N, 2)
    return h @ w  # y = w^T h, (N,)
