r"""Cross-entropy losses: binary and multi-class cross-entropy, negative log-likelihood, KL divergence.

Scope: binary cross-entropy on probabilities and on logits, negative log-likelihood,
cross-entropy with class-index ("sparse") or probability targets and label smoothing,
and the KL divergence. The focal losses (`dlref.losses.focal`) are built on the two
cross-entropies here. The docs page `losses` (`/losses/`) teaches them.

Sources: the course notes (cross-entropy, sparse cross-entropy), the papers linked
from each function, and the PyTorch documentation of each counterpart, whose names,
argument names, defaults, shapes and reduction semantics are mirrored here. Where
torch's result depends on an implementation detail (the -100 clamp in BCE, the
weighted mean of `nll_loss`, how `weight` meets label smoothing), the docstring
gives the exact formula.

Conventions:

- $x$ is `input` (logits, probabilities or log-probabilities, as each function
  says), $y$ the target, $C$ the number of classes, $w$ the class `weight`.
- Multi-class losses take the class dimension second: $(N, C)$ or
  $(N, C, d_1, \dots, d_K)$, or $(C,)$ for a single sample.
- `cross_entropy` is `nll_loss` of [log_softmax][dlref.activations.log_softmax]
  (the log-sum-exp trick), plus the label-smoothing term; no torch loss or
  `log_softmax` is called.
- `reduction` is `"none"`, `"mean"` (default) or `"sum"`; `kl_div` also accepts `"batchmean"`.

Deliberate differences from torch (each one is tested):

- Bad values raise `ValueError` naming the function, argument and value, where torch
  raises `RuntimeError` (out-of-range class indices, probabilities outside [0, 1]) or
  computes silently (mismatched shapes that torch broadcasts with only a warning).
- `kl_div` does not warn about `reduction="mean"` (torch does); the docstring explains it.
- `weight` and `pos_weight` receive gradients (torch defines none); the gradients
  with respect to `input` and `target` are torch's.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from dlref._checks import check_bool, check_int, check_real, check_tensor, check_values, fail
from dlref.activations import log_softmax
from dlref.losses._common import (
    check_class_index,
    check_class_input,
    check_class_weight,
    check_pair,
    check_reduction,
    class_dim,
    reduce,
)

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "kl_div", "nll_loss"]


def _check_broadcast(fn: str, name: str, value: object, input: Tensor) -> Tensor | None:
    """None, or a floating-point tensor that broadcasts to `input`'s shape without enlarging it."""
    if value is None:
        return None
    t = check_tensor(fn, name, value)
    # aligned from the right, each dim of t is 1 or the input's, and t has no extra dims
    pairs = zip(reversed(t.shape), reversed(input.shape), strict=False)
    fits = t.dim() <= input.dim() and all(a in (1, b) for a, b in pairs)
    if not fits:
        fail(fn, name, "does not broadcast to the input's shape", tuple(t.shape),
             f"expected a shape that broadcasts to {tuple(input.shape)}")
    return t


# --------------------------------------------------------------------------- binary


class _BinaryCrossEntropy(torch.autograd.Function):
    """BCE on probabilities with torch's clamped logs and torch's gradient, finite at x = 0 and x = 1.

    Autograd through the clamped logs would give 0 · ∞ = NaN at x = 0 and x = 1,
    so the gradient torch uses is written out in `backward`.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, y: Tensor) -> Tensor:
        ctx.save_for_backward(x, y)
        # ℓ = -[y·max(log x, -100) + (1 - y)·max(log(1 - x), -100)]
        return -(y * torch.clamp(torch.log(x), min=-100) + (1 - y) * torch.clamp(torch.log1p(-x), min=-100))

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, Tensor]:
        x, y = ctx.saved_tensors
        # ∂ℓ/∂x = (x - y) / max(x(1 - x), 1e-12)
        grad_x = grad * (x - y) / torch.clamp(x * (1 - x), min=1e-12)
        # ∂ℓ/∂y = log(1 - x) - log x, unclamped: ±inf at x = 0 and x = 1, as in torch
        grad_y = grad * (torch.log1p(-x) - torch.log(x))
        return grad_x, grad_y


def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"
) -> Tensor:
    r"""Binary cross-entropy between predicted probabilities and targets in [0, 1].

    $$
    \ell_n = -w_n\left[y_n \max(\log x_n, -100) + (1 - y_n)\max(\log(1 - x_n), -100)\right]
    $$

    Then `"mean"` averages $\ell$ over all elements, `"sum"` adds them, `"none"` returns
    $\ell$. As in torch, each log is clamped at -100, so $x_n \in \{0, 1\}$ gives a
    finite loss (at most $100\,w_n$), and the gradient is torch's
    $w_n(x_n - y_n)/\max(x_n(1 - x_n), 10^{-12})$. Prefer
    [binary_cross_entropy_with_logits][dlref.losses.binary_cross_entropy_with_logits]:
    it never forms $x = \sigma(z)$, which rounds to exactly 0 or 1 for large $|z|$.

    Args:
        input: Probabilities $x \in [0, 1]$.
        target: Targets $y \in [0, 1]$, same shape as `input`.
        weight: Rescaling weight $w$, broadcast to the input's shape. Defaults to None (1).
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) binary cross-entropy.

    Raises:
        TypeError: If `input`, `target` or `weight` is not a floating-point tensor.
        ValueError: If `input` or `target` has a value outside [0, 1] (or NaN), the shapes
            differ, `weight` does not broadcast to the input, or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.binary_cross_entropy` (which raises RuntimeError on bad values).

    References:
        - [torch.nn.BCELoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.BCELoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import binary_cross_entropy
        >>> binary_cross_entropy(torch.tensor([0.9, 0.2, 0.0]), torch.tensor([1.0, 0.0, 1.0]), reduction="none")
        tensor([  0.1054,   0.2231, 100.0000])
    """
    fn = "binary_cross_entropy"
    x, y = check_pair(fn, input, target)
    reduction = check_reduction(fn, reduction)
    w = _check_broadcast(fn, "weight", weight, x)
    check_values(fn, "input", x, (x >= 0) & (x <= 1), "expected probabilities in [0, 1]")
    check_values(fn, "target", y, (y >= 0) & (y <= 1), "expected values in [0, 1]")
    dtype = torch.promote_types(x.dtype, y.dtype)
    # ℓ = -[y·max(log x, -100) + (1 - y)·max(log(1 - x), -100)], with torch's gradient
    loss: Tensor = _BinaryCrossEntropy.apply(x.to(dtype), y.to(dtype))  # type: ignore[no-untyped-call]
    return reduce(loss if w is None else w * loss, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    r"""Binary cross-entropy on logits: a sigmoid and BCE fused into one stable formula.

    $$
    \ell_n = -w_n\left[p_n y_n \log\sigma(x_n) + (1 - y_n)\log(1 - \sigma(x_n))\right]
           = w_n\left[(1 - y_n)\,x_n + \bigl(1 + (p_n - 1)\,y_n\bigr)\operatorname{softplus}(-x_n)\right]
    $$

    with $\operatorname{softplus}(-x) = \log(1 + e^{-x}) = \max(-x, 0) + \log(1 + e^{-|x|})$,
    whose exponent is never positive. Without `pos_weight` this is the familiar stable form
    $\ell_n = w_n\left[\max(x_n, 0) - x_n y_n + \log(1 + e^{-|x_n|})\right]$. Loss and gradient,
    $w_n[(1 + (p_n - 1)y_n)\sigma(x_n) - p_n y_n]$, stay finite even at $x = \pm 10^4$.
    $p$ is `pos_weight` (1 when None). Then `"mean"` averages $\ell$ over all elements,
    `"sum"` adds them, `"none"` returns $\ell$.

    Args:
        input: Logits $x$ (any real numbers).
        target: Targets $y$, usually in [0, 1] (not checked, as in torch); same shape as `input`.
        weight: Rescaling weight $w$, broadcast to the input's shape. Defaults to None (1).
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        pos_weight: Weight $p$ of positive examples, broadcast to the input's shape
            (typically one per class, shape $(C,)$). Defaults to None (1).

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) binary cross-entropy.

    Raises:
        TypeError: If `input`, `target`, `weight` or `pos_weight` is not a floating-point tensor.
        ValueError: If the shapes differ, `weight` or `pos_weight` does not broadcast to the
            input, or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.binary_cross_entropy_with_logits`.

    References:
        - [torch.nn.BCEWithLogitsLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import binary_cross_entropy_with_logits
        >>> x, y = torch.tensor([2.0, -1.0, 1e4]), torch.tensor([1.0, 0.0, 0.0])
        >>> binary_cross_entropy_with_logits(x, y, reduction="none")
        tensor([1.2693e-01, 3.1326e-01, 1.0000e+04])
        >>> binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=torch.tensor([3.0]))
        tensor([3.8078e-01, 3.1326e-01, 1.0000e+04])
    """
    fn = "binary_cross_entropy_with_logits"
    x, y = check_pair(fn, input, target)
    reduction = check_reduction(fn, reduction)
    w = _check_broadcast(fn, "weight", weight, x)
    p = _check_broadcast(fn, "pos_weight", pos_weight, x)
    zero = x.new_zeros(())
    # ℓ = max(x, 0) - x·y + log(1 + e^{-|x|}) = log(1 + e^x) - x·y, where logaddexp(0, x) evaluates
    # log(1 + e^x) as max(x, 0) + log(1 + e^{-|x|}): no exponent is positive, so no logit overflows
    loss = torch.logaddexp(zero, x) - x * y
    if p is not None:
        # positives weigh p times: ℓ = (1 - y)·x + (1 + (p - 1)·y)·log(1 + e^{-x}) = ℓ + (p - 1)·y·log(1 + e^{-x})
        loss = loss + (p - 1) * y * torch.logaddexp(zero, -x)
    return reduce(loss if w is None else w * loss, reduction)


# --------------------------------------------------------------------------- multi-class


def nll_loss(
    input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean"
) -> Tensor:
    r"""Negative log-likelihood of the target class, given log-probabilities.

    $$
    \ell_n = -w_{y_n}\, x_{n, y_n}, \qquad \ell_n = 0 \text{ if } y_n = \texttt{ignore\_index}
    $$

    Then `"sum"` returns $\sum_n \ell_n$ and `"mean"` the weighted mean
    $\sum_n \ell_n \big/ \sum_{n:\,y_n \ne \texttt{ignore\_index}} w_{y_n}$ (the count of
    non-ignored targets without `weight`; NaN if all are ignored), exactly as torch.
    Applied to [log_softmax][dlref.activations.log_softmax] outputs it is
    [cross_entropy][dlref.losses.cross_entropy].

    Args:
        input: Log-probabilities $x$, class dimension second (first for a single sample).
        target: Class indices $y_n \in [0, C)$, integer dtype, or `ignore_index`.
        weight: Per-class weight $w$ of shape $(C,)$. Defaults to None (1).
        ignore_index: Target value that contributes neither loss nor weight. Defaults to -100.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(N, C)$ or $(C)$, or $(N, C, d_1, d_2, ..., d_K)$ with $K \geq 1$.
        - Target: $(N)$ or $()$, or $(N, d_1, d_2, ..., d_K)$; each value in $[0, C-1]$.
        - Output: scalar; the target's shape if `reduction` is `"none"`.

    Returns:
        The (reduced) negative log-likelihood.

    Raises:
        TypeError: If `input` or `weight` is not floating-point, or `target` is not an integer tensor.
        ValueError: If a class index is out of range, the target or weight shape is wrong,
            or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.nll_loss`.

    References:
        - [torch.nn.NLLLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import nll_loss
        >>> logp = torch.tensor([[-0.5, -1.0, -2.0], [-3.0, -0.1, -1.5]])
        >>> nll_loss(logp, torch.tensor([0, 1]), reduction="none")
        tensor([0.5000, 0.1000])
        >>> nll_loss(logp, torch.tensor([0, 1]), weight=torch.tensor([3.0, 1.0, 1.0]))
        tensor(0.4000)
    """
    fn = "nll_loss"
    x = check_class_input(fn, input)
    ignore_index = check_int(fn, "ignore_index", ignore_index)
    t = check_class_index(fn, x, target, ignore_index)
    w = check_class_weight(fn, "weight", weight, x)
    reduction = check_reduction(fn, reduction)
    cd = class_dim(x)
    valid = t != ignore_index
    y = torch.where(valid, t, 0)  # a valid class where the target is ignored; masked out below
    # w_{y_n} (1 without weight), 0 for an ignored target
    w_y = valid.to(x.dtype) if w is None else w[y] * valid
    # ℓ_n = -w_{y_n} · x_{n, y_n}, and 0 for an ignored target
    loss = torch.where(valid, -w_y * x.gather(cd, y.unsqueeze(cd)).squeeze(cd), 0.0)
    # "mean" divides by Σ_n w_{y_n} over the targets that are not ignored
    return reduce(loss, reduction, w_y.sum())


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    r"""Cross-entropy between logits and class-index or class-probability targets.

    With $\log p = \operatorname{log\_softmax}(x)$ over the class dimension and
    smoothing $\varepsilon$, class-index targets ("sparse" cross-entropy) give

    $$
    \ell_n = (1 - \varepsilon)\bigl(-w_{y_n} \log p_{n, y_n}\bigr)
           + \frac{\varepsilon}{C}\Bigl(-\sum_{c} w_c \log p_{n, c}\Bigr),
    $$

    ($\ell_n = 0$ where $y_n$ is `ignore_index`), reduced like
    [nll_loss][dlref.losses.nll_loss]: `"mean"` divides by
    $\sum_n w_{y_n}$ over non-ignored targets, for both terms, as torch does.
    Probability targets $y_{n,c}$ (same shape as `input`) give

    $$
    \ell_n = -\sum_c w_c\, \tilde y_{n, c} \log p_{n, c}, \qquad
    \tilde y = (1 - \varepsilon)\, y + \varepsilon / C,
    $$

    and `"mean"` divides by the number of samples ($N \cdot d_1 \cdots d_K$), ignoring
    `weight`, as torch does. A one-hot $y$ equals the index form when `weight` is None.

    Args:
        input: Unnormalized logits $x$, class dimension second (first for a single sample).
        target: Class indices (integer dtype) or class probabilities (floating, input's shape).
        weight: Per-class weight $w$ of shape $(C,)$. Defaults to None (1).
        ignore_index: Index target that contributes nothing (index targets only). Defaults to -100.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        label_smoothing: $\varepsilon \in [0, 1]$. Defaults to 0.0.

    Shape:
        - Input: $(C)$, $(N, C)$ or $(N, C, d_1, d_2, ..., d_K)$ with $K \geq 1$.
        - Target: class indices of shape $()$, $(N)$ or $(N, d_1, ..., d_K)$, each value in
          $[0, C)$; or probabilities of the input's shape.
        - Output: scalar; $()$, $(N)$ or $(N, d_1, ..., d_K)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) cross-entropy.

    Raises:
        TypeError: If `input` or `weight` is not floating-point, or `target` is not a tensor
            (or a complex or bool one).
        ValueError: If a class index is out of range (for example `cross_entropy: target has a class
            index out of range (got 7 at index (1,)); expected a class index in 0..4 (input shape (4, 5))
            or ignore_index=-100`), a shape is wrong, `label_smoothing` is outside [0, 1], or
            `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.cross_entropy`.

    References:
        - Szegedy et al., [Rethinking the Inception Architecture for Computer Vision](https://arxiv.org/abs/1512.00567),
          CVPR 2016 (label smoothing).
        - [torch.nn.CrossEntropyLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import cross_entropy
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> cross_entropy(logits, torch.tensor([0, 1]), reduction="none")
        tensor([0.4170, 0.2200])
        >>> cross_entropy(logits, torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), reduction="none")
        tensor([0.4170, 0.2200])
        >>> cross_entropy(logits, torch.tensor([0, 1]), label_smoothing=0.1)
        tensor(0.4369)
    """
    fn = "cross_entropy"
    x = check_class_input(fn, input)
    eps = check_real(fn, "label_smoothing", label_smoothing, low=0, high=1)
    reduction = check_reduction(fn, reduction)
    w = check_class_weight(fn, "weight", weight, x)
    cd, n_classes = class_dim(x), x.shape[class_dim(x)]
    w_c = 1.0 if w is None else w.view(-1, *[1] * (x.dim() - cd - 1))  # w laid along the class dim
    if isinstance(target, Tensor) and target.is_floating_point():  # class probabilities y_{n, c}
        if target.shape != x.shape:
            fail(fn, "target", "holds class probabilities (a floating-point dtype) but has a different shape",
                 tuple(target.shape), f"expected {tuple(x.shape)}, the input's shape, or class indices as an "
                 "integer (torch.long) tensor")
        # log p = log softmax(x) over the classes
        log_p = log_softmax(x, cd)
        # ỹ = (1 - ε)·y + ε / C
        y = (1 - eps) * target + eps / n_classes
        # ℓ_n = -Σ_c w_c ỹ_{n, c} log p_{n, c};  "mean" divides by the number of samples
        return reduce(-(w_c * y * log_p).sum(cd), reduction)
    ignore_index = check_int(fn, "ignore_index", ignore_index)
    t = check_class_index(fn, x, target, ignore_index)
    # log p = log softmax(x) over the classes
    log_p = log_softmax(x, cd)
    if eps == 0:
        # ℓ_n = -w_{y_n} log p_{n, y_n}: the negative log-likelihood of the log-probabilities
        return nll_loss(log_p, t, w, ignore_index, reduction)
    nll = nll_loss(log_p, t, w, ignore_index, reduction="none")
    valid = t != ignore_index
    # -Σ_c w_c log p_{n, c}: the loss against a uniform target, times C
    uniform = torch.where(valid, -(w_c * log_p).sum(cd), 0.0)
    # ℓ_n = (1 - ε)·(-w_{y_n} log p_{n, y_n}) + (ε / C)·(-Σ_c w_c log p_{n, c})
    loss = (1 - eps) * nll + (eps / n_classes) * uniform
    # "mean" divides by Σ_n w_{y_n} over the targets that are not ignored, as in nll_loss
    w_y = valid.to(x.dtype) if w is None else w[torch.where(valid, t, 0)] * valid
    return reduce(loss, reduction, w_y.sum())


def kl_div(input: Tensor, target: Tensor, reduction: str = "mean", log_target: bool = False) -> Tensor:
    r"""Kullback-Leibler divergence $D_{KL}(y \,\|\, p)$ with the model's log-probabilities as input.

    $$
    \ell_n = y_n\,(\log y_n - x_n), \qquad x = \log p
    $$

    with $0 \log 0 = 0$; with `log_target=True` the target holds $\log y$ and
    $\ell_n = e^{y_n}(y_n - x_n)$. Then `"sum"` returns $\sum \ell$, `"batchmean"`
    returns $\sum \ell / N$ (the batch size, `input.shape[0]`), and `"mean"` returns
    $\sum \ell$ divided by the number of elements. Only `"batchmean"` is the KL
    divergence per sample (summed over the classes, as the definition says); torch
    keeps `"mean"` as its default for compatibility and warns that it will change it.
    dlref mirrors the default without the warning.

    Args:
        input: Log-probabilities $x$ of the model.
        target: Probabilities $y$ (or $\log y$ if `log_target`), same shape as `input`.
        reduction: `"none"`, `"batchmean"`, `"mean"` or `"sum"`. Defaults to `"mean"`.
        log_target: Whether `target` is given in log space. Defaults to False.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar by default; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) pointwise KL divergence.

    Raises:
        TypeError: If `input` or `target` is not a floating-point tensor, or `log_target` is not a bool.
        ValueError: If the shapes differ or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.kl_div`.

    References:
        - Kullback and Leibler, [On Information and Sufficiency](https://doi.org/10.1214/aoms/1177729694), 1951.
        - [torch.nn.KLDivLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import kl_div
        >>> logp = torch.tensor([[0.5, 0.5], [0.9, 0.1]]).log()
        >>> y = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
        >>> kl_div(logp, y, reduction="batchmean")
        tensor(0.2554)
    """
    fn = "kl_div"
    x, y = check_pair(fn, input, target)
    reduction = check_reduction(fn, reduction, ("none", "batchmean", "mean", "sum"))
    log_target = check_bool(fn, "log_target", log_target)
    # ℓ = y·(log y - x), with 0·log 0 = 0 (xlogy);  e^{y}·(y - x) for a target given as log y
    loss = torch.exp(y) * (y - x) if log_target else torch.xlogy(y, y) - y * x
    if reduction == "batchmean":
        # Σ ℓ / N, N the batch size
        return loss.sum() / x.shape[0] if x.dim() > 0 else loss.sum()
    return reduce(loss, reduction)
