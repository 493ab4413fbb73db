r"""Classification losses: cross-entropy in all its forms, KL divergence, hinge and focal losses.

Scope: binary cross-entropy on probabilities and on logits, negative log-likelihood,
cross-entropy with class-index ("sparse") or probability targets and label smoothing,
KL divergence, the two hinge losses, and the sigmoid and softmax focal losses. The
docs page `losses` (`/losses/`) teaches them.

Sources: the course notes (cross-entropy, sparse cross-entropy, hinge loss, focal
loss), the papers linked from each function, and the PyTorch (and torchvision)
documentation of each counterpart, whose names, argument names, defaults, shapes
and reduction semantics are mirrored here. Where torch's result depends on an
implementation detail (the -100 clamp in BCE, the weighted mean of `nll_loss`, how
`weight` meets label smoothing), the docstring gives the exact formula.

Conventions:

- $x$ is `input` (logits, probabilities or log-probabilities, as each function
  says), $y$ the target, $C$ the number of classes, $w$ the class `weight`.
- Multi-class losses take the class dimension second: $(N, C)$ or
  $(N, C, d_1, \dots, d_K)$, or $(C,)$ for a single sample.
- `cross_entropy` and `softmax_focal_loss` share one core, the log-softmax at the
  target, $\log p_{n, y_n} = x_{n, y_n} - \log\sum_c e^{x_{n, c}}$, computed with the
  log-sum-exp trick (subtract the row maximum first) in one fused autograd function
  whose backward is a single pass, $\partial \log p_y / \partial x_c = [c = y] - p_c$.
  Label smoothing and probability targets need every $\log p_{n, c}$ and use
  [log_softmax][dlref.activations.log_softmax]. No torch loss or `log_softmax` is called.
- Speed (`benchmarks/bench_losses.py`): forward + backward of `cross_entropy` and
  `binary_cross_entropy_with_logits` on (4096, 1000) float32 stay within 2x of torch,
  by updating fresh temporaries in place and computing $e^z$ as $2^{z \log_2 e}$
  (`torch.exp2`, about twice as fast on CPU; relative error below $|z| \cdot 2^{-24}$ in float32).
- `reduction` is `"none"`, `"mean"` (default) or `"sum"`; `kl_div` also accepts
  `"batchmean"`, and `sigmoid_focal_loss` defaults to `"none"` as in torchvision.

Deliberate differences from torch (each one is tested):

- Bad values raise `ValueError` naming the function, argument and value, where torch
  raises `RuntimeError` (out-of-range class indices, probabilities outside [0, 1]) or
  computes silently (`hinge_embedding_loss` with labels other than ±1, mismatched
  shapes that torch broadcasts with only a warning).
- `kl_div` does not warn about `reduction="mean"` (torch does); the docstring explains it.
- `weight` and `pos_weight` receive gradients (torch defines none); the gradients
  with respect to `input` and `target` are torch's.
- The focal losses floor $1 - p_t$ at the smallest normal float, so their gradients
  stay finite for $0 < \gamma < 1$ at saturated logits, where the reference formula
  gives NaN; values are unaffected (the floor only acts where the loss underflows).
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import torch
from torch import Tensor

from dlref.activations import log_softmax, softmax
from dlref.losses._common import check_nonnegative, check_reduction, check_same_shape, check_tensor, reduce

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "hinge_embedding_loss",
    "hinge_loss",
    "kl_div",
    "nll_loss",
    "sigmoid_focal_loss",
    "softmax_focal_loss",
]

_LOG_FLOOR = -100.0  # torch's BCE clamps each log term here, so 0·log 0 is 0·(-100) = 0, not NaN
_BCE_EPS = 1e-12  # torch's floor on x(1 - x) in the BCE gradient
_LOG2_E = math.log2(math.e)

# --------------------------------------------------------------------------- validation


def _check_real(fn: str, name: str, value: object) -> float:
    """Return `value` as a float if it is a finite real number, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{fn}: {name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{fn}: {name}={value!r} is not allowed; it must be finite")
    return float(value)


def _check_int(fn: str, name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{fn}: {name} must be an int, got {type(value).__name__}")
    return value


def _check_in(fn: str, name: str, t: Tensor, ok: Tensor, allowed: str) -> None:
    """Raise ValueError naming the first element of `t` where the mask `ok` is False."""
    if not bool(ok.all()):
        index = tuple((~ok).nonzero()[0].tolist())
        raise ValueError(f"{fn}: {name} must contain {allowed}, got {t[index].item()} at index {index}")


def _check_pair(fn: str, input: object, target: object, reduction: object) -> tuple[Tensor, Tensor, str]:
    """Floating `input` and `target` of the same shape, and a known reduction."""
    x, y = check_tensor(fn, "input", input), check_tensor(fn, "target", target)
    check_same_shape(fn, x, y)
    return x, y, check_reduction(fn, reduction)


def _check_broadcast(fn: str, name: str, value: object, input: Tensor) -> Tensor | None:
    """None, or a floating tensor that broadcasts to `input`'s shape without enlarging it."""
    if value is None:
        return None
    t = check_tensor(fn, name, value)
    try:
        fits = torch.broadcast_shapes(t.shape, input.shape) == input.shape
    except RuntimeError:
        fits = False
    if not fits:
        raise ValueError(
            f"{fn}: {name} of shape {tuple(t.shape)} must broadcast to the input shape {tuple(input.shape)}"
        )
    return t


def _class_dim(input: Tensor) -> int:
    return 0 if input.dim() == 1 else 1


def _check_classes(fn: str, input: object) -> Tensor:
    x = check_tensor(fn, "input", input)
    if x.dim() == 0:
        raise ValueError(f"{fn}: input must have a class dimension: shape (C,), (N, C) or (N, C, d1, ...); got ()")
    return x


def _check_class_weight(fn: str, name: str, weight: object, input: Tensor) -> Tensor | None:
    """None, or a floating tensor of shape (C,)."""
    if weight is None:
        return None
    w = check_tensor(fn, name, weight)
    c = input.shape[_class_dim(input)]
    if w.shape != (c,):
        raise ValueError(f"{fn}: {name} must have shape ({c},), one entry per class, got {tuple(w.shape)}")
    return w


def _check_index_target(fn: str, input: Tensor, target: object, ignore_index: int) -> Tensor:
    """Return class indices as int64 after checking their dtype, shape and range."""
    t = check_tensor(fn, "target", target, floating=False)
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f"{fn}: target must hold class indices with an integer dtype, got {t.dtype}")
    shape = tuple(input.shape)
    expected = shape[:1] + shape[2:] if input.dim() > 1 else ()
    if tuple(t.shape) != expected:
        raise ValueError(f"{fn}: target must have shape {expected} for input of shape {shape}, got {tuple(t.shape)}")
    c = shape[_class_dim(input)]
    bad = (t != ignore_index) & ((t < 0) | (t >= c))
    if bool(bad.any()):
        v = int(t[bad][0])
        if v >= c:
            raise ValueError(f"{fn}: target has class index {v} but input has only {c} classes (input shape {shape})")
        raise ValueError(
            f"{fn}: target has class index {v}; allowed are 0..{c - 1} or ignore_index={ignore_index} "
            f"(input shape {shape})"
        )
    return t.long()


# --------------------------------------------------------------------------- shared cores


def _saved_copies() -> contextlib.AbstractContextManager[Any]:
    """Under create_graph, make autograd save copies, so in-place updates cannot corrupt them."""
    if torch.is_grad_enabled():
        return torch.autograd.graph.saved_tensors_hooks(torch.clone, lambda t: t)
    return contextlib.nullcontext()


class _BCE(torch.autograd.Function):
    """Unreduced BCE on probabilities with torch's forward clamp and backward formulas."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, y: Tensor) -> Tensor:
        # ℓ = -(y·max(log x, -100) + (1 - y)·max(log(1 - x), -100))
        log_x = torch.log(x).clamp_min_(_LOG_FLOOR)
        log_1mx = torch.neg(x).log1p_().clamp_min_(_LOG_FLOOR)
        ctx.save_for_backward(x, y)
        return torch.sub(y, 1).mul_(log_1mx).addcmul_(y, log_x, value=-1)

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, y = ctx.saved_tensors
        with _saved_copies():
            # ∂ℓ/∂x = (x - y) / max(x(1 - x), 1e-12): finite at x ∈ {0, 1}
            gx = torch.sub(x, y).div_(torch.rsub(x, 1).mul_(x).clamp_min_(_BCE_EPS)).mul_(g)
            # ∂ℓ/∂y = log(1 - x) - log x = -logit(x), unclamped (±inf at x ∈ {0, 1}), as torch
            gy = torch.logit(x).neg_().mul_(g) if ctx.needs_input_grad[1] else None
        return (gx if ctx.needs_input_grad[0] else None), gy


def _log1p_exp_neg_abs(x: Tensor) -> Tensor:
    """log(1 + e^{-|x|}), the exponent never positive; e^z computed as 2^{z·log2 e} (exp2 is 2x faster on CPU)."""
    return torch.abs(x).mul_(-_LOG2_E).exp2_().log1p_()


class _BCEWithLogits(torch.autograd.Function):
    """Unreduced BCE on logits, ℓ = (1 - y)·x + (1 + (p - 1)·y)·softplus(-x)."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, y: Tensor, pos_weight: Tensor | None) -> Tensor:
        # log(1 + e^{-|x|}): the exponent is never positive, so nothing overflows
        log1p_exp = _log1p_exp_neg_abs(x)
        if pos_weight is None:
            # (1 - y)·x + softplus(-x) = max(x, 0) - x·y + log(1 + e^{-|x|})
            loss = log1p_exp.add_(torch.clamp_min(x, 0)).addcmul_(x, y, value=-1)
        else:
            # softplus(-x) = max(-x, 0) + log(1 + e^{-|x|}); positives weigh p times: scale it by 1 + (p - 1)·y
            sp = torch.neg(x).clamp_min_(0).add_(log1p_exp)
            loss = torch.rsub(y, 1).mul_(x).addcmul_(torch.mul(y, pos_weight - 1).add_(1), sp)
        ctx.save_for_backward(x, y, pos_weight)
        return loss

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple[Tensor | None, ...]:
        x, y, p = ctx.saved_tensors
        need_x, need_y, need_p = ctx.needs_input_grad
        gx = gy = gp = None
        with _saved_copies():
            if need_x and p is None:
                # ∂ℓ/∂x = σ(x) - y
                gx = torch.sigmoid(x).sub_(y).mul_(g)
            elif need_x:
                # ∂ℓ/∂x = (1 + (p - 1)·y)·σ(x) - p·y
                gx = torch.mul(y, p - 1).add_(1).mul_(torch.sigmoid(x)).sub_(y * p).mul_(g)
            # softplus(-x), recomputed from x (a tensor made in forward carries no graph for double backward)
            sp = torch.neg(x).clamp_min_(0).add_(_log1p_exp_neg_abs(x)) if need_p or need_y else None
            if need_y:
                # ∂ℓ/∂y = -x + (p - 1)·softplus(-x)   (-x without pos_weight)
                gy = torch.neg(x) if p is None else torch.mul(sp, p - 1).sub_(x)
                gy = gy.mul_(g)
            if need_p:
                # ∂ℓ/∂p = y·softplus(-x), summed over the broadcast dimensions
                gp = torch.mul(y, sp).mul_(g).sum_to_size(p.shape)
        return gx, gy, gp


def _bce_with_logits(x: Tensor, y: Tensor, pos_weight: Tensor | None) -> Tensor:
    dtype = torch.promote_types(x.dtype, y.dtype)
    p = None if pos_weight is None else pos_weight.to(dtype)
    return _BCEWithLogits.apply(x.to(dtype), y.to(dtype), p)


class _TargetLogProb(torch.autograd.Function):
    """log p_{n, y_n} = x_{n, y_n} - log Σ_c e^{x_{n, c}}: log-softmax evaluated at the targets only.

    One fused step instead of log_softmax + gather: the backward is a single pass,
    ∂ log p_y / ∂x_c = 1[c = y] - p_c, written into one fresh tensor.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, index: Tensor, dim: int) -> Tensor:
        m = x.amax(dim, keepdim=True)
        # e = e^{x - m}, every exponent <= 0 (the log-sum-exp trick), as 2^{(x - m)·log2 e} in one pass
        e = torch.add(m * -_LOG2_E, x, alpha=_LOG2_E).exp2_()
        total = e.sum(dim, keepdim=True)
        # log p_y = x_y - (m + log Σ_c e^{x_c - m})
        out = x.gather(dim, index).sub_(total.log().add_(m)).squeeze(dim)
        ctx.dim, ctx.exp, ctx.total = dim, e, total
        ctx.save_for_backward(x, index)
        return out

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple[Tensor | None, ...]:
        x, index = ctx.saved_tensors
        g = g.unsqueeze(ctx.dim)
        if torch.is_grad_enabled():
            # create_graph=True: p = softmax(x) recomputed with autograd, so the graph reaches x
            p = softmax(x, ctx.dim)
            return torch.scatter_add(-p * g, ctx.dim, index, g), None, None
        # -g·p_c everywhere, then +g at c = y
        grad = torch.mul(ctx.exp, g.div(ctx.total).neg_())
        return grad.scatter_add_(ctx.dim, index, g), None, None


def _target_log_prob(x: Tensor, index: Tensor, dim: int) -> Tensor:
    """log softmax(x)[index] along dim; float16/bfloat16 are computed in float32 and rounded once."""
    if x.dtype in (torch.float16, torch.bfloat16):
        return _TargetLogProb.apply(x.float(), index, dim).to(x.dtype)
    return _TargetLogProb.apply(x, index, dim)


def _index_loss(
    fn: str, x: Tensor, target: object, weight: object, ignore_index: object, reduction: object, smoothing: float | None
) -> Tensor:
    """nll_loss of x (`smoothing` None) or of log_softmax(x) (cross_entropy, with label smoothing ε)."""
    ignore_index = _check_int(fn, "ignore_index", ignore_index)
    t = _check_index_target(fn, x, target, ignore_index)
    w = _check_class_weight(fn, "weight", weight, x)
    reduction = check_reduction(fn, reduction)
    cd = _class_dim(x)
    valid = t != ignore_index
    index = t.masked_fill(~valid, 0).unsqueeze(cd)  # a valid class where ignored; masked out below
    if smoothing is None:  # nll_loss: x holds log-probabilities
        log_py = x.gather(cd, index).squeeze(cd)
    elif smoothing == 0:
        log_py = _target_log_prob(x, index, cd)
    else:
        logp = log_softmax(x, cd)
        log_py = logp.gather(cd, index).squeeze(cd)
    # w_n = w_{y_n}, or 1; 0 for ignored targets
    w_n = valid.to(x.dtype) if w is None else w[index.squeeze(cd)] * valid
    # ℓ_n = -w_{y_n} · log p_{n, y_n}
    loss = torch.where(valid, -w_n * log_py, 0.0)
    if smoothing:
        w_c = 1.0 if w is None else w.view(-1, *[1] * (x.dim() - cd - 1))
        # ℓ_n = (1 - ε)·ℓ_n + (ε / C)·(-Σ_c w_c · log p_{n, c})
        smooth = torch.where(valid, -(logp * w_c).sum(cd), 0.0)
        loss = (1 - smoothing) * loss + (smoothing / x.shape[cd]) * smooth
    # 'mean' divides by Σ_n w_{y_n} over non-ignored targets (their count without weights)
    return reduce(loss, reduction, w_n.sum())


# --------------------------------------------------------------------------- binary


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
    [binary_cross_entropy_with_logits][dlref.losses.classification.binary_cross_entropy_with_logits]:
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
        >>> from dlref.losses.classification import binary_cross_entropy
        >>> binary_cross_entropy(torch.tensor([0.9, 0.2, 0.0]), torch.tensor([1.0, 0.0, 1.0]), reduction="none")
        tensor([  0.1054,   0.2231, 100.0000])
    """
    fn = "binary_cross_entropy"
    x, y, reduction = _check_pair(fn, input, target, reduction)
    w = _check_broadcast(fn, "weight", weight, x)
    _check_in(fn, "input", x, (x >= 0) & (x <= 1), "probabilities in [0, 1]")
    _check_in(fn, "target", y, (y >= 0) & (y <= 1), "values in [0, 1]")
    dtype = torch.promote_types(x.dtype, y.dtype)
    loss = _BCE.apply(x.to(dtype), y.to(dtype))
    return reduce(loss if w is None else loss * w, reduction)


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

    with $\operatorname{softplus}(-x) = \max(-x, 0) + \log(1 + e^{-|x|})$, whose exponent
    is never positive: finite loss and gradient $w_n[(1 + (p_n - 1)y_n)\sigma(x_n) - p_n y_n]$
    even at $x = \pm 10^4$. $p$ is `pos_weight` (1 when None). Then `"mean"` averages
    $\ell$ over all elements, `"sum"` adds them, `"none"` returns $\ell$.

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
        >>> from dlref.losses.classification import binary_cross_entropy_with_logits
        >>> x, y = torch.tensor([2.0, -1.0, 1e4]), torch.tensor([1.0, 0.0, 0.0])
        >>> binary_cross_entropy_with_logits(x, y, reduction="none")
        tensor([1.2693e-01, 3.1326e-01, 1.0000e+04])
        >>> binary_cross_entropy_with_logits(x, y, reduction="none", pos_weight=torch.tensor([3.0]))
        tensor([3.8078e-01, 3.1326e-01, 1.0000e+04])
    """
    fn = "binary_cross_entropy_with_logits"
    x, y, reduction = _check_pair(fn, input, target, reduction)
    w = _check_broadcast(fn, "weight", weight, x)
    p = _check_broadcast(fn, "pos_weight", pos_weight, x)
    loss = _bce_with_logits(x, y, p)
    return reduce(loss if w is None else loss * w, reduction)


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
    [cross_entropy][dlref.losses.classification.cross_entropy].

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
        >>> from dlref.losses.classification import nll_loss
        >>> logp = torch.tensor([[-0.5, -1.0, -2.0], [-3.0, -0.1, -1.5]])
        >>> nll_loss(logp, torch.tensor([0, 1]), reduction="none")
        tensor([0.5000, 0.1000])
        >>> nll_loss(logp, torch.tensor([0, 1]), weight=torch.tensor([3.0, 1.0, 1.0]))
        tensor(0.4000)
    """
    x = _check_classes("nll_loss", input)
    return _index_loss("nll_loss", x, target, weight, ignore_index, reduction, None)


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
    [nll_loss][dlref.losses.classification.nll_loss]: `"mean"` divides by
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
        ValueError: If a class index is out of range (for example
            `cross_entropy: target has class index 7 but input has only 5 classes (input shape (4, 5))`),
            a shape is wrong, `label_smoothing` is outside [0, 1], or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.cross_entropy`.

    References:
        - Szegedy et al., [Rethinking the Inception Architecture for Computer Vision](https://arxiv.org/abs/1512.00567),
          CVPR 2016 (label smoothing).
        - [torch.nn.CrossEntropyLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.classification import cross_entropy
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> cross_entropy(logits, torch.tensor([0, 1]), reduction="none")
        tensor([0.4170, 0.2200])
        >>> cross_entropy(logits, torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), reduction="none")
        tensor([0.4170, 0.2200])
        >>> cross_entropy(logits, torch.tensor([0, 1]), label_smoothing=0.1)
        tensor(0.4369)
    """
    fn = "cross_entropy"
    x = _check_classes(fn, input)
    smoothing = check_nonnegative(fn, "label_smoothing", label_smoothing)
    if smoothing > 1:
        raise ValueError(f"{fn}: label_smoothing={label_smoothing!r} is not allowed; it must be in [0, 1]")
    if not (isinstance(target, Tensor) and target.is_floating_point()):
        return _index_loss(fn, x, target, weight, ignore_index, reduction, smoothing)
    # probability targets
    if target.shape != x.shape:
        raise ValueError(
            f"{fn}: a floating-point target holds class probabilities and must have the input's shape "
            f"{tuple(x.shape)}, got {tuple(target.shape)}; pass class indices as an integer (torch.long) tensor"
        )
    w = _check_class_weight(fn, "weight", weight, x)
    reduction = check_reduction(fn, reduction)
    cd = _class_dim(x)
    logp = log_softmax(x, cd)
    y = target if smoothing == 0 else target * (1 - smoothing) + smoothing / x.shape[cd]
    terms = logp * y if w is None else logp * y * w.view(-1, *[1] * (x.dim() - cd - 1))
    # ℓ_n = -Σ_c w_c ỹ_{n,c} log p_{n,c};  'mean' is over the samples
    return reduce(terms.sum(cd).neg_(), reduction)


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
        >>> from dlref.losses.classification import kl_div
        >>> logp = torch.tensor([[0.5, 0.5], [0.9, 0.1]]).log()
        >>> y = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
        >>> kl_div(logp, y, reduction="batchmean")
        tensor(0.2554)
    """
    fn = "kl_div"
    x, y = check_tensor(fn, "input", input), check_tensor(fn, "target", target)
    check_same_shape(fn, x, y)
    if reduction not in ("none", "batchmean", "mean", "sum"):
        raise ValueError(
            f"{fn}: reduction={reduction!r} is not valid; allowed values are 'none', 'batchmean', 'mean', 'sum'"
        )
    if not isinstance(log_target, bool):
        raise TypeError(f"{fn}: log_target must be a bool, got {type(log_target).__name__}")
    # ℓ = e^{y}(y - x) for log targets; y log y - y x otherwise (xlogy: 0 log 0 = 0)
    loss = torch.exp(y) * (y - x) if log_target else torch.xlogy(y, y) - y * x
    if reduction == "batchmean":
        return loss.sum() / x.shape[0] if x.dim() > 0 else loss.sum()
    return reduce(loss, reduction)


# --------------------------------------------------------------------------- margin losses


def _check_signs(
    fn: str, input: object, target: object, margin: object, reduction: object
) -> tuple[Tensor, Tensor, float, str]:
    x = check_tensor(fn, "input", input)
    y = check_tensor(fn, "target", target, floating=False)
    check_same_shape(fn, x, y)
    _check_in(fn, "target", y, (y == 1) | (y == -1), "only the labels -1 and 1")
    return x, y, _check_real(fn, "margin", margin), check_reduction(fn, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Hinge embedding loss: pull similar pairs' distances down, push dissimilar ones past a margin.

    $$
    \ell_n = \begin{cases} x_n & y_n = 1 \\ \max(0, \Delta - x_n) & y_n = -1 \end{cases}
    $$

    where $x_n$ is usually a distance (for example an L1 distance between two
    embeddings) and $\Delta$ is `margin`. Then `"mean"` averages $\ell$ over all
    elements, `"sum"` adds them, `"none"` returns $\ell$.

    Args:
        input: Values $x$, usually nonnegative distances.
        target: Labels $y \in \{1, -1\}$ (any real dtype), same shape as `input`.
        margin: $\Delta$. Defaults to 1.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) hinge embedding loss.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `target` not a tensor, or `margin` not a real number.
        ValueError: If a label is not 1 or -1 (torch computes $x_n + \max(0, \Delta - x_n)$
            for those), the shapes differ, or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.hinge_embedding_loss`.

    References:
        - [torch.nn.HingeEmbeddingLoss](https://docs.pytorch.org/docs/stable/generated/torch.nn.HingeEmbeddingLoss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.classification import hinge_embedding_loss
        >>> hinge_embedding_loss(torch.tensor([0.3, 0.3, 1.5]), torch.tensor([1, -1, -1]), reduction="none")
        tensor([0.3000, 0.7000, 0.0000])
    """
    x, y, margin, reduction = _check_signs("hinge_embedding_loss", input, target, margin, reduction)
    # ℓ = x where y = 1,  max(0, Δ - x) where y = -1
    return reduce(torch.where(y == 1, x, torch.rsub(x, margin).clamp_min(0)), reduction)


def hinge_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    r"""Binary hinge loss of a linear classifier (the SVM loss) for labels $\pm 1$.

    $$
    \ell_n = \max(0,\ \Delta - y_n x_n)
    $$

    where $x_n$ is the raw score, $y_n \in \{-1, 1\}$ the label and $\Delta$ the
    `margin`: correct predictions with $y_n x_n \ge \Delta$ cost nothing, the rest cost
    linearly. Then `"mean"` averages, `"sum"` adds, `"none"` returns $\ell$. At the kink
    $y_n x_n = \Delta$ the gradient is the subgradient $-y_n$ (that of torch's `clamp_min`).

    Args:
        input: Scores $x$ (any real numbers).
        target: Labels $y \in \{-1, 1\}$ (any real dtype), same shape as `input`.
        margin: $\Delta$. Defaults to 1.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: scalar; $(*)$ if `reduction` is `"none"`.

    Returns:
        The (reduced) hinge loss.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `target` not a tensor, or `margin` not a real number.
        ValueError: If a label is not -1 or 1 (0/1 labels must be mapped with `2 * y - 1`),
            the shapes differ, or `reduction` is unknown.

    Torch counterpart: none (`torch.nn.MultiMarginLoss` is the multi-class variant).

    References:
        - Cortes and Vapnik, [Support-Vector Networks](https://doi.org/10.1007/BF00994018), 1995.

    Examples:
        >>> import torch
        >>> from dlref.losses.classification import hinge_loss
        >>> hinge_loss(torch.tensor([2.0, 0.5, -0.5]), torch.tensor([1, 1, 1]), reduction="none")
        tensor([0.0000, 0.5000, 1.5000])
    """
    x, y, margin, reduction = _check_signs("hinge_loss", input, target, margin, reduction)
    # ℓ = max(0, Δ - y·x)
    return reduce(torch.mul(x, y).neg_().add_(margin).clamp_min_(0), reduction)


# --------------------------------------------------------------------------- focal losses


def _one_minus(p_t_complement: Tensor) -> Tensor:
    """Floor 1 - p_t at the smallest normal float: (1 - p_t)^γ then has a finite gradient for any γ >= 0."""
    return p_t_complement.clamp_min(torch.finfo(p_t_complement.dtype).tiny)


def sigmoid_focal_loss(
    inputs: Tensor, targets: Tensor, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"
) -> Tensor:
    r"""Sigmoid focal loss of RetinaNet: binary cross-entropy down-weighted on easy examples.

    $$
    \ell_n = \alpha_t\,(1 - p_t)^{\gamma}\,\mathrm{BCE}(x_n, y_n), \qquad
    p_t = p\,y + (1 - p)(1 - y), \quad p = \sigma(x_n), \quad
    \alpha_t = \alpha\,y + (1 - \alpha)(1 - y)
    $$

    with $\alpha_t = 1$ when $\alpha < 0$, and $\mathrm{BCE}$ the unreduced
    [binary_cross_entropy_with_logits][dlref.losses.classification.binary_cross_entropy_with_logits].
    $1 - p_t$ is computed as $p(1 - y) + \sigma(-x)\,y$, exact for saturated logits.
    Then `"none"` (default, as torchvision) returns $\ell$, `"mean"` averages, `"sum"`
    adds. With $\gamma = 0$ and $\alpha < 0$ it is exactly BCE with logits.

    Args:
        inputs: Logits $x$ (any real numbers).
        targets: Binary targets $y$ (0 or 1; soft values allowed), same shape as `inputs`.
        alpha: Weight of the positive class in (0, 1), or negative for no weighting. Defaults to 0.25.
        gamma: Focusing exponent $\gamma \ge 0$. Defaults to 2.0.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"none"`.

    Shape:
        - Input: $(*)$, where $*$ means any number of dimensions.
        - Target: $(*)$, same shape as the input.
        - Output: $(*)$ by default; scalar if `reduction` is `"mean"` or `"sum"`.

    Returns:
        The (reduced) focal loss.

    Raises:
        TypeError: If `inputs` or `targets` is not a floating-point tensor, or `alpha` or `gamma` not a real number.
        ValueError: If the shapes differ, `gamma` is negative, or `reduction` is unknown.

    Torch counterpart: none in torch; `torchvision.ops.sigmoid_focal_loss` (same arguments and semantics).

    References:
        - Lin et al., [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002), ICCV 2017.
        - [torchvision.ops.sigmoid_focal_loss](https://docs.pytorch.org/vision/stable/generated/torchvision.ops.sigmoid_focal_loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses.classification import sigmoid_focal_loss
        >>> sigmoid_focal_loss(torch.tensor([3.0, -1.0, 0.0]), torch.tensor([1.0, 0.0, 1.0]))
        tensor([2.7321e-05, 1.6994e-02, 4.3322e-02])
    """
    fn = "sigmoid_focal_loss"
    x, y = check_tensor(fn, "inputs", inputs), check_tensor(fn, "targets", targets)
    if x.shape != y.shape:
        raise ValueError(
            f"{fn}: inputs and targets must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}"
        )
    alpha = _check_real(fn, "alpha", alpha)
    gamma = check_nonnegative(fn, "gamma", gamma)
    reduction = check_reduction(fn, reduction)
    ce = _bce_with_logits(x, y, None)
    # 1 - p_t = p(1 - y) + (1 - p)·y, with 1 - p = σ(-x)
    loss = ce * _one_minus(torch.sigmoid(x) * (1 - y) + torch.sigmoid(-x) * y) ** gamma
    if alpha >= 0:
        loss = loss * (alpha * y + (1 - alpha) * (1 - y))
    return reduce(loss, reduction)


def softmax_focal_loss(
    input: Tensor,
    target: Tensor,
    alpha: Tensor | None = None,
    gamma: float = 2.0,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Multi-class focal loss: cross-entropy down-weighted on well-classified examples.

    $$
    \ell_n = -\alpha_{y_n}\,(1 - p_{n, y_n})^{\gamma}\,\log p_{n, y_n},
    \qquad \log p = \operatorname{log\_softmax}(x)
    $$

    ($\ell_n = 0$ where $y_n$ is `ignore_index`; $\alpha_{y_n} = 1$ without `alpha`).
    $1 - p_{n, y_n}$ is computed as $-\operatorname{expm1}(\log p_{n, y_n})$, exact near 1.
    Then `"mean"` divides $\sum_n \ell_n$ by the number of non-ignored targets (not by
    $\sum \alpha_{y_n}$: $\alpha$ is a balancing factor, as in RetinaNet), `"sum"` adds,
    `"none"` returns $\ell$. With $\gamma = 0$ and no `alpha` it is
    [cross_entropy][dlref.losses.classification.cross_entropy]; with $\gamma = 0$ and `alpha`
    its `"sum"` equals `cross_entropy(..., weight=alpha, reduction="sum")`.

    Args:
        input: Unnormalized logits $x$, class dimension second (first for a single sample).
        target: Class indices $y_n \in [0, C)$ (integer dtype) or `ignore_index`.
        alpha: Per-class weight $\alpha$ of shape $(C,)$. Defaults to None (1).
        gamma: Focusing exponent $\gamma \ge 0$. Defaults to 2.0.
        ignore_index: Target value that contributes nothing. Defaults to -100.
        reduction: `"none"`, `"mean"` or `"sum"`. Defaults to `"mean"`.

    Shape:
        - Input: $(C)$, $(N, C)$ or $(N, C, d_1, d_2, ..., d_K)$ with $K \geq 1$.
        - Target: $()$, $(N)$ or $(N, d_1, ..., d_K)$; each value in $[0, C)$.
        - Output: scalar; the target's shape if `reduction` is `"none"`.

    Returns:
        The (reduced) focal loss.

    Raises:
        TypeError: If `input` or `alpha` is not floating-point, `target` not an integer tensor,
            or `gamma` not a real number.
        ValueError: If a class index is out of range, a shape is wrong, `gamma` is negative,
            or `reduction` is unknown.

    Torch counterpart: none (torch and torchvision only have the sigmoid form).

    References:
        - Lin et al., [Focal Loss for Dense Object Detection](https://arxiv.org/abs/1708.02002), ICCV 2017.

    Examples:
        >>> import torch
        >>> from dlref.losses.classification import softmax_focal_loss
        >>> logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        >>> softmax_focal_loss(logits, torch.tensor([0, 1]), reduction="none")
        tensor([0.0485, 0.0086])
    """
    fn = "softmax_focal_loss"
    x = _check_classes(fn, input)
    ignore_index = _check_int(fn, "ignore_index", ignore_index)
    t = _check_index_target(fn, x, target, ignore_index)
    a = _check_class_weight(fn, "alpha", alpha, x)
    gamma = check_nonnegative(fn, "gamma", gamma)
    reduction = check_reduction(fn, reduction)
    cd = _class_dim(x)
    valid = t != ignore_index
    index = t.masked_fill(~valid, 0).unsqueeze(cd)
    log_pt = _target_log_prob(x, index, cd)
    # ℓ_n = -(1 - p_t)^γ log p_t, with 1 - p_t = -expm1(log p_t)
    loss = _one_minus(-torch.expm1(log_pt)) ** gamma * -log_pt
    if a is not None:
        loss = a[index.squeeze(cd)] * loss
    loss = torch.where(valid, loss, 0.0)
    return reduce(loss, reduction, valid.sum())
