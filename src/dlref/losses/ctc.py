r"""Connectionist temporal classification (CTC): a sequence loss that sums over every alignment.

Scope: `ctc_loss`, with the arguments, shapes and reductions of
`torch.nn.functional.ctc_loss`. A network emits a distribution over $C$ classes (one
of them the *blank* $b$) at each of $T$ frames; a target is a shorter label sequence
$l$ with no alignment given. CTC sums the probability of every frame-level path
$\pi$ that collapses to $l$ (merge repeats, then drop blanks) with the forward
(alpha) recursion of Graves et al. (2006), here in log space and vectorised over the
batch and the positions $s$ of the extended label sequence $l'$; the loop over time
stays a plain Python loop. The gradient is autograd's, through the recursion.

Sources: Graves et al. (2006), and the PyTorch documentation of `ctc_loss`, whose
argument names, defaults, target layouts (padded or concatenated), unbatched form,
`"mean"` reduction (each loss divided by its target length, then the batch mean)
and `zero_infinity` are mirrored.

Deliberate differences from torch (each one is tested):

- **Gradient with respect to `log_probs`.** dlref's is the derivative of the value
  it returns. torch's native backward returns $e^{\log y} - \gamma$ instead of
  $-\gamma$ (the occupation probabilities $\gamma$ below): the gradient with
  respect to the logits *if* `log_probs` came from `log_softmax`, which then adds
  nothing (pytorch/pytorch#52241). Through a `log_softmax` the two agree exactly;
  taken directly with respect to `log_probs` they differ by $e^{\log y}$ at every
  frame inside the input length.
- **Impossible alignments without `zero_infinity`.** Both return $+\infty$; the
  gradient is 0 in dlref (the loss is $+\infty$ for every nearby input) and NaN in torch.
- **Validation.** Target labels must be integers in $0..C-1$ other than `blank`
  (torch casts float targets, ignores a blank in a target, and reads out of range
  for a label $\ge C$); every wrong argument raises `TypeError` or `ValueError` in
  the one message style, where torch raises `RuntimeError`.

Speed: the loop over $T$ frames runs in Python, so long sequences are slower than
torch's fused kernel; this module is for reading and checking, not for training.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from dlref._checks import check_bool, check_int, check_ndim, check_tensor, check_values, fail, fail_type, message
from dlref.losses._common import check_reduction, reduce

__all__ = ["ctc_loss"]


def _log_add(*terms: Tensor) -> Tensor:
    r"""$\log \sum_i e^{a_i}$ elementwise; $-\infty$ where every $a_i$ is $-\infty$, with a zero gradient there.

    `torch.logsumexp` is $-\infty$ there too, but its gradient is NaN
    ($e^{-\infty - (-\infty)}$), which the recursion would carry to every frame.
    """
    a = torch.stack(terms)
    unreachable = torch.isneginf(a).all(dim=0)
    # log Σ_i e^{a_i}, computed on zeros where no term is reachable, then set to -inf there
    return torch.where(unreachable, -math.inf, torch.logsumexp(torch.where(unreachable, 0.0, a), dim=0))


def _shifted(alpha: Tensor, k: int) -> Tensor:
    """α(s - k) at every position s of the last dimension; -inf where s - k < 0."""
    pad = alpha.new_full((alpha.shape[0], k), -math.inf)
    return torch.cat([pad, alpha], dim=1)[:, : alpha.shape[1]]


def _lengths(fn: str, name: str, value: object, n: int, batched: bool) -> Tensor:
    """Lengths given as an integer tensor or a tuple/list of ints, as an int64 tensor of shape (n,)."""
    allowed = "expected an integer tensor, or a tuple or list of ints"
    if isinstance(value, (tuple, list)):
        if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise TypeError(message(fn, name, "has an entry of the wrong type", repr(value), allowed))
        lengths = torch.tensor(value, dtype=torch.long).reshape(len(value))
    elif isinstance(value, Tensor):
        if value.is_floating_point() or value.is_complex() or value.dtype == torch.bool:
            raise TypeError(message(fn, name, "has the wrong dtype", value.dtype, allowed))
        lengths = value.long()
    else:
        fail_type(fn, name, value, allowed)
    expected = f"({n},), one length per batch element" if batched else "() or (1,) for unbatched log_probs"
    if (batched and lengths.shape != (n,)) or (not batched and (lengths.dim() > 1 or lengths.numel() != 1)):
        fail(fn, name, "has the wrong shape", tuple(lengths.shape), f"expected {expected}")
    return lengths.reshape(n)


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths: Tensor | tuple[int, ...] | list[int],
    target_lengths: Tensor | tuple[int, ...] | list[int],
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    r"""Connectionist temporal classification loss: $-\log$ of the total probability of every alignment of the target.

    $$
    \mathcal{L} = -\log p(l \mid x), \qquad
    p(l \mid x) = \sum_{\pi \in \mathcal{B}^{-1}(l)} \prod_{t=0}^{T-1} y^t_{\pi_t}
    $$

    where $y^t_k$ is the probability of class $k$ at frame $t$ (`log_probs` holds
    $\log y$), and $\mathcal{B}$ collapses a path (merges repeats, then drops blanks).
    The sum runs over the extended sequence $l' = (b, l_1, b, l_2, \dots, b, l_S, b)$ of
    length $2S + 1$ (0-based positions $s$; blanks at the even ones) with the forward
    variables $\alpha_t(s)$, the total probability of the path prefixes
    $\pi_0 \dots \pi_t$ that end in $l'_s$ (Graves et al., 2006, eqs. 5-8):

    $$
    \alpha_t(s) = \Big(\alpha_{t-1}(s) + \alpha_{t-1}(s-1)
      + [\,l'_s \ne b \text{ and } l'_s \ne l'_{s-2}\,]\;\alpha_{t-1}(s-2)\Big)\; y^t_{l'_s},
    $$

    $$
    \alpha_{-1}(0) = 1, \quad \alpha_{-1}(s) = 0 \ (s > 0), \qquad
    p(l \mid x) = \alpha_{T-1}(2S) + \alpha_{T-1}(2S - 1).
    $$

    Starting from $\alpha_{-1}$ (every path in state 0 before the first frame), the
    first step gives Graves' initialization $\alpha_0(0) = y^0_b$, $\alpha_0(1) = y^0_{l_1}$.
    A blank can be skipped only between two different labels, so a target with $r$
    adjacent repeats needs $T \ge S + r$ frames; with fewer, $p = 0$ and the loss is
    $+\infty$ (0 with `zero_infinity`, with a zero gradient). The code runs the same
    recursion on $\log \alpha$, where the sums become log-sum-exps. Each sample uses
    its own $T$ (`input_lengths`) and $S$ (`target_lengths`).

    The gradient is autograd's through the recursion: $-\gamma_t(k)$, the expected
    share of frame $t$ spent in class $k$ given $l$ (see the module notes on torch's).

    Args:
        log_probs: Log-probabilities $\log y$ (for example from `log_softmax` over classes).
        targets: Target labels in $0..C-1$, never `blank`: padded $(N, S)$ (entries past
            each target length are ignored) or concatenated $(\sum_n S_n)$.
        input_lengths: Frames used per sample, each in $0..T$ (a tensor or a tuple/list of ints).
        target_lengths: Target length per sample, each $\ge 0$ (a tensor or a tuple/list of ints).
        blank: Index of the blank class, in $0..C-1$. Defaults to 0.
        reduction: `"none"`, `"mean"` or `"sum"`. `"mean"` divides each loss by its target
            length (at least 1), then averages over the batch, as torch does. Defaults to `"mean"`.
        zero_infinity: Replace infinite losses (impossible alignments) and their gradients
            by zero. Defaults to False.

    Shape:
        - Log_probs: $(T, N, C)$ or $(T, C)$, where $T$ is the input length, $N$ the batch
          size and $C$ the number of classes (including blank).
        - Targets: $(N, S)$ or $(\operatorname{sum}(\text{target\_lengths}))$; for unbatched input
          $(S)$ with $S$ the target length, or $(1, S)$ padded.
        - Input_lengths: $(N)$; $()$ for unbatched input.
        - Target_lengths: $(N)$; $()$ for unbatched input.
        - Output: scalar if `reduction` is `"mean"` or `"sum"`; $(N)$ with `"none"`, or
          $()$ for unbatched input.

    Returns:
        The (reduced) CTC loss, in the dtype of `log_probs`.

    Raises:
        TypeError: If `log_probs` is not a floating-point tensor, `targets` or a length not
            an integer tensor (lengths may also be tuples or lists of ints), `blank` not an
            int, or `zero_infinity` not a bool.
        ValueError: If a shape does not fit the layouts above, a length is out of range,
            `blank` is not a class, a target label is out of range or equal to `blank`,
            or `reduction` is unknown.

    Torch counterpart: `torch.nn.functional.ctc_loss` (same values; same gradients through a
    `log_softmax`, see the module notes).

    References:
        - Graves, Fernández, Gomez, Schmidhuber, [Connectionist Temporal Classification: Labelling
          Unsegmented Sequence Data with Recurrent Neural Networks](https://www.cs.toronto.edu/~graves/icml_2006.pdf),
          ICML 2006.
        - [torch.nn.functional.ctc_loss](https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.ctc_loss.html)

    Examples:
        >>> import torch
        >>> from dlref.losses import ctc_loss
        >>> log_probs = torch.full((3, 1, 3), 1 / 3).log()  # T=3 frames, N=1, C=3 classes (0 is blank)
        >>> ctc_loss(log_probs, torch.tensor([[1, 2]]), (3,), (2,), reduction="sum")  # 5 of 27 paths give "12"
        tensor(1.6864)
        >>> ctc_loss(log_probs, torch.tensor([[1, 1]]), (2,), (2,), reduction="none")  # "11" needs 3 frames
        tensor([inf])
        >>> ctc_loss(log_probs, torch.tensor([[1, 1]]), (2,), (2,), reduction="none", zero_infinity=True)
        tensor([0.])
    """
    fn = "ctc_loss"
    lp = check_tensor(fn, "log_probs", log_probs)
    check_ndim(fn, "log_probs", lp, (2, 3), "(T, C) or (T, N, C)")
    batched = lp.dim() == 3
    if not batched:
        lp = lp.unsqueeze(1)  # (T, C) -> (T, 1, C)
    T, N, C = lp.shape
    tg = check_tensor(fn, "targets", targets, floating=False)
    if tg.is_floating_point() or tg.is_complex() or tg.dtype == torch.bool:
        raise TypeError(message(fn, "targets", "has the wrong dtype", tg.dtype, "expected an integer tensor of labels"))
    check_ndim(fn, "targets", tg, (1, 2), "(N, S) or (sum(target_lengths),)")
    il = _lengths(fn, "input_lengths", input_lengths, N, batched).to(lp.device)
    tl = _lengths(fn, "target_lengths", target_lengths, N, batched).to(lp.device)
    blank = check_int(fn, "blank", blank, low=0, high=C - 1)
    reduction = check_reduction(fn, reduction)
    zero_infinity = check_bool(fn, "zero_infinity", zero_infinity)
    check_values(fn, "input_lengths", il, (il >= 0) & (il <= T), f"expected lengths in 0..{T} (log_probs has T={T})")
    padded = tg.dim() == 2  # unbatched input is a batch of one: targets (S,) or (1, S), as in torch
    if padded:
        if tg.shape[0] != N:
            fail(fn, "targets", "has the wrong shape", tuple(tg.shape), f"expected ({N}, S), one row per batch element")
        S = tg.shape[1]
        check_values(fn, "target_lengths", tl, (tl >= 0) & (tl <= S), f"expected lengths in 0..{S} (targets has S={S})")
    else:
        check_values(fn, "target_lengths", tl, tl >= 0, "expected lengths >= 0")
        if tg.numel() != int(tl.sum()):
            fail(fn, "targets", "has the wrong length", tg.numel(),
                 f"expected sum(target_lengths) = {int(tl.sum())} for concatenated targets")
        # concatenated -> padded (N, max S_n); the padding is ignored below
        rows = torch.split(tg, tl.tolist())
        tg = torch.nn.utils.rnn.pad_sequence(list(rows), batch_first=True, padding_value=blank).reshape(N, -1)
    # position i of row n is a label where i < S_n, padding elsewhere
    used = torch.arange(tg.shape[1], device=tg.device) < tl.unsqueeze(1)
    in_range = (tg >= 0) & (tg < C) & (tg != blank)
    ok = (~used | in_range) if padded else in_range[used]  # in the layout of `targets`, to name the bad index
    check_values(fn, "targets", targets, ok.reshape(targets.shape),
                 f"expected a label in 0..{C - 1} other than blank={blank}", wrong="has a label out of range")
    S = int(tl.max()) if N > 0 else 0
    labels = torch.where(used, tg, blank)[:, :S].long()  # (N, S), padding set to blank

    # l' = (b, l_1, b, l_2, ..., b, l_S, b): blanks at the even positions s, labels at the odd ones
    ext = torch.full((N, 2 * S + 1), blank, dtype=torch.long, device=lp.device)
    ext[:, 1::2] = labels
    # the skip s-2 -> s is allowed where l'_s is a label that differs from l'_{s-2}
    skip = torch.zeros_like(ext, dtype=torch.bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    # log y^t_{l'_s} for every frame t, sample n and position s: (T, N, 2S+1)
    log_y = lp.gather(2, ext.unsqueeze(0).expand(T, -1, -1))

    # log α_{-1}: every path is in state s=0 before the first frame (log 1 = 0), nowhere else (log 0 = -inf)
    log_alpha = torch.full(ext.shape, -math.inf, dtype=lp.dtype, device=lp.device)
    log_alpha[:, 0] = 0.0
    for t in range(T):
        from_skip = torch.where(skip, _shifted(log_alpha, 2), -math.inf)
        # log α_t(s) = log(α_{t-1}(s) + α_{t-1}(s-1) + [skip] α_{t-1}(s-2)) + log y^t_{l'_s}
        step = _log_add(log_alpha, _shifted(log_alpha, 1), from_skip) + log_y[t]
        # samples whose input has ended (t >= T_n) keep α_{T_n - 1}
        log_alpha = torch.where((t < il).unsqueeze(1), step, log_alpha)

    # log p(l | x) = log(α_{T-1}(2S_n) + α_{T-1}(2S_n - 1)); the second term does not exist when S_n = 0
    last = log_alpha.gather(1, (2 * tl).unsqueeze(1)).squeeze(1)
    before_last = log_alpha.gather(1, (2 * tl - 1).clamp(min=0).unsqueeze(1)).squeeze(1)
    loss = -_log_add(last, torch.where(tl > 0, before_last, -math.inf))
    if zero_infinity:
        loss = torch.where(torch.isinf(loss), 0.0, loss)
    if reduction == "mean":
        # torch's "mean": each loss divided by its target length (at least 1), then the mean over the batch
        loss = loss / tl.clamp(min=1).to(loss.dtype)
    loss = reduce(loss, reduction)
    return loss if batched or reduction != "none" else loss.squeeze(0)
