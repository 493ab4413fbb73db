r"""Inverted dropout: zero each unit (or each channel) with probability $p$ in training, rescale the rest.

During training every unit is kept with probability $1 - p$ and multiplied by
$1 / (1 - p)$, so each unit's expected output equals its input,
$\operatorname{E}[y_i] = (1 - p) \cdot x_i / (1 - p) = x_i$; at evaluation the layer
is the identity and nothing has to be rescaled. (The original dropout of Srivastava
et al. scaled the weights by $1 - p$ at test time instead; the inverted form moves that
factor into training.) [dropout2d][dlref.norm.dropout2d] drops whole feature maps:
neighbouring pixels of one map are strongly correlated, so dropping single pixels
would hardly remove any information.

The mask is drawn as torch draws it on the CPU, ``torch.empty_like(input).bernoulli_(1 - p)``
(for dropout2d, one draw per (sample, channel)), then divided by $1 - p$ and
multiplied in. From the same generator state dlref and `torch.nn.functional.dropout`
therefore give the same tensor, bit for bit (the tests check it). Like torch, $p = 0$,
$p = 1$ and ``training=False`` draw nothing.

Deliberate differences from torch (each one is tested):

- **generator.** Both functions take ``generator=`` (torch's use the global generator only).
- **dropout2d takes 4-D input only**, $(N, C, H, W)$. Torch also accepts other ranks
  with a deprecation warning and reads a 3-D input as $(N, C, L)$, not as the unbatched
  $(C, H, W)$ its documentation lists; dlref refuses the ambiguity (use
  ``x.unsqueeze(0)`` for one unbatched image).
- **Validation.** `p`, `training` and `inplace` are checked for type as well as range,
  in dlref's one message style.
"""

from __future__ import annotations

import torch
from torch import Tensor

from dlref._checks import check_bool, check_ndim, check_real, check_tensor, fail_type

__all__ = ["dropout", "dropout2d"]


def _check(fn: str, input: object, p: object, training: object, inplace: object, generator: object
           ) -> tuple[Tensor, float, bool, bool]:
    x = check_tensor(fn, "input", input)
    p = check_real(fn, "p", p, low=0, high=1)
    training = check_bool(fn, "training", training)
    inplace = check_bool(fn, "inplace", inplace)
    if generator is not None and not isinstance(generator, torch.Generator):
        fail_type(fn, "generator", generator, "expected a torch.Generator or None")
    return x, p, training, inplace


def _apply(input: Tensor, noise: Tensor, inplace: bool) -> Tensor:
    """input · noise, written into input when `inplace`."""
    return input.mul_(noise) if inplace else input * noise


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: torch.Generator | None = None) -> Tensor:
    r"""Inverted dropout: zero each element with probability $p$ and scale the kept ones by $1/(1 - p)$.

    $$
    m_i \sim \operatorname{Bernoulli}(1 - p), \qquad y_i = \frac{m_i\, x_i}{1 - p}
    \quad \text{(training)}, \qquad y = x \quad \text{(evaluation)}
    $$

    so $\operatorname{E}[y_i] = x_i$ and $\partial y_i / \partial x_i = m_i / (1 - p)$: the
    gradient flows only through the kept units, scaled like them. With $p = 1$ every unit
    is dropped, $y = 0 \cdot x$.

    Args:
        input: Floating-point tensor $x$.
        p: Probability of zeroing an element, $0 \le p \le 1$. Defaults to 0.5.
        training: Apply dropout; ``False`` returns `input` unchanged. Defaults to True.
        inplace: Multiply into `input` instead of returning a new tensor. Defaults to False.
        generator: Random number generator for the mask. Defaults to None (torch's global generator).

    Shape:
        - Input: $(*)$, any shape.
        - Output: $(*)$, the shape of the input.

    Returns:
        $y$; `input` itself when ``training=False`` or $p = 0$ (as torch).

    Raises:
        TypeError: If `input` is not a floating-point tensor, `p` not a real number,
            `training`/`inplace` not bools, or `generator` not a `torch.Generator`.
        ValueError: If `p` is outside $[0, 1]$.

    Torch counterpart: `torch.nn.functional.dropout` (and `torch.nn.Dropout`); the same
    mask from the same generator state.

    References:
        - Srivastava et al., [Dropout: A Simple Way to Prevent Neural Networks from
          Overfitting](https://jmlr.org/papers/v15/srivastava14a.html), JMLR 2014.

    Examples:
        >>> import torch
        >>> from dlref.norm import dropout
        >>> dropout(torch.ones(8), p=0.75, generator=torch.Generator().manual_seed(0))  # kept units x4
        tensor([0., 0., 0., 0., 0., 0., 4., 0.])
        >>> dropout(torch.ones(3), p=0.75, training=False)
        tensor([1., 1., 1.])
    """
    x, p, training, inplace = _check("dropout", input, p, training, inplace, generator)
    if not training or p == 0:
        return x
    if p == 1:
        # every unit dropped: y = 0 · x (no draw; NaN and inf stay NaN, as in torch)
        return _apply(x, torch.zeros((), dtype=x.dtype, device=x.device), inplace)
    # m_i ~ Bernoulli(1 − p): 1 keeps unit i
    mask = torch.empty_like(x).bernoulli_(1 - p, generator=generator)
    # y = x ⊙ m / (1 − p)
    return _apply(x, mask / (1 - p), inplace)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
              generator: torch.Generator | None = None) -> Tensor:
    r"""Channel-wise dropout: zero each whole feature map with probability $p$, scale the kept maps by $1/(1 - p)$.

    $$
    m_{nc} \sim \operatorname{Bernoulli}(1 - p), \qquad
    y_{nchw} = \frac{m_{nc}\, x_{nchw}}{1 - p} \quad \text{(training)}, \qquad y = x \quad \text{(evaluation)}
    $$

    One draw per (sample, channel), shared by all $H \times W$ positions of the map.

    Args:
        input: Floating-point tensor $x$ of shape $(N, C, H, W)$.
        p: Probability of zeroing a channel, $0 \le p \le 1$. Defaults to 0.5.
        training: Apply dropout; ``False`` returns `input` unchanged. Defaults to True.
        inplace: Multiply into `input` instead of returning a new tensor. Defaults to False.
        generator: Random number generator for the mask. Defaults to None (torch's global generator).

    Shape:
        - Input: $(N, C, H, W)$.
        - Output: $(N, C, H, W)$, the shape of the input.

    Returns:
        $y$; `input` itself when ``training=False`` or $p = 0$ (as torch).

    Raises:
        TypeError: As [dropout][dlref.norm.dropout].
        ValueError: If `p` is outside $[0, 1]$ or `input` is not 4-D (see the module notes).

    Torch counterpart: `torch.nn.functional.dropout2d` (and `torch.nn.Dropout2d`); the
    same mask from the same generator state.

    References:
        - Tompson et al., [Efficient Object Localization Using Convolutional
          Networks](https://arxiv.org/abs/1411.4280), CVPR 2015 (spatial dropout).

    Examples:
        >>> import torch
        >>> from dlref.norm import dropout2d
        >>> y = dropout2d(torch.ones(1, 4, 2, 2), p=0.5, generator=torch.Generator().manual_seed(0))
        >>> y[0, :, 0, 0], bool((y == y[:, :, :1, :1]).all())  # one value per map
        (tensor([0., 0., 2., 0.]), True)
    """
    fn = "dropout2d"
    x, p, training, inplace = _check(fn, input, p, training, inplace, generator)
    check_ndim(fn, "input", x, (4,), "(N, C, H, W)")
    if not training or p == 0:
        return x
    if p == 1:
        # every channel dropped: y = 0 · x
        return _apply(x, torch.zeros((), dtype=x.dtype, device=x.device), inplace)
    n, c = x.shape[:2]
    # m_nc ~ Bernoulli(1 − p), one per feature map, broadcast over H and W
    mask = x.new_empty(n, c, 1, 1).bernoulli_(1 - p, generator=generator)  # (N, C, 1, 1)
    # y = x ⊙ m / (1 − p)
    return _apply(x, mask / (1 - p), inplace)
