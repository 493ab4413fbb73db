"""dlref.losses.ctc against torch.nn.functional.ctc_loss: values, gradients, layouts, impossible alignments, errors."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from dlref.losses import ctc_loss

from .torch_reference import DT, REDUCTIONS, gen


def logits(T: int, N: int | None, C: int, seed: int, dtype: torch.dtype = DT) -> torch.Tensor:
    shape = (T, C) if N is None else (T, N, C)
    return torch.randn(shape, dtype=dtype, generator=gen(seed)) * 2


def labels(shape: tuple[int, ...], C: int, blank: int, seed: int) -> torch.Tensor:
    """Random labels in 0..C-1 other than blank."""
    t = torch.randint(0, C - 1, shape, generator=gen(seed))
    return t + (t >= blank).long()  # skip the blank


def both(x: torch.Tensor, *args, cot: torch.Tensor | None = None, **kw) -> list[list[torch.Tensor]]:
    """[[loss, d<loss, cot>/dx] for dlref, the same for torch], with log_probs = log_softmax(x) over classes."""
    out = []
    for fn in (ctc_loss, F.ctc_loss):
        leaf = x.detach().clone().requires_grad_()
        loss = fn(leaf.log_softmax(-1), *args, **kw)
        c = torch.linspace(-1, 2, loss.numel(), dtype=loss.dtype).reshape(loss.shape) if cot is None else cot
        out.append([loss, *torch.autograd.grad(loss, leaf, c)])
    return out


def assert_same(x: torch.Tensor, *args, **kw) -> None:
    ours, theirs = both(x, *args, **kw)
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b)


def random_case(seed: int, T: int, N: int, C: int, S: int, blank: int = 0):
    """log-prob logits, padded targets, input lengths in [T//2, T], target lengths in [0, S] that fit."""
    x = logits(T, N, C, seed)
    targets = labels((N, S), C, blank, seed + 1)
    input_lengths = torch.randint(max(T // 2, 1), T + 1, (N,), generator=gen(seed + 2))
    target_lengths = torch.randint(0, S + 1, (N,), generator=gen(seed + 3))
    target_lengths = torch.minimum(target_lengths, input_lengths // 2)  # leave room for repeats
    return x, targets, input_lengths, target_lengths


# --------------------------------------------------------------------------- values and gradients vs torch


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("T", "N", "C", "S"), [(1, 1, 2, 0), (5, 1, 3, 2), (12, 4, 5, 4), (30, 3, 7, 10),
                                                (50, 6, 20, 15)], ids=str)
@pytest.mark.parametrize("seed", [0, 1])
def test_padded_targets_match_torch(T: int, N: int, C: int, S: int, reduction: str, seed: int) -> None:
    x, targets, il, tl = random_case(100 * seed + T, T, N, C, S)
    assert_same(x, targets, il, tl, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("T", "N", "C", "S"), [(5, 1, 3, 2), (12, 4, 5, 4), (30, 3, 7, 10)], ids=str)
def test_concatenated_targets_match_torch_and_padded(T: int, N: int, C: int, S: int, reduction: str) -> None:
    x, targets, il, tl = random_case(T + 7, T, N, C, S)
    concatenated = torch.cat([targets[n, : tl[n]] for n in range(N)])
    assert_same(x, concatenated, il, tl, reduction=reduction)
    lp = x.log_softmax(-1)
    assert_close(ctc_loss(lp, concatenated, il, tl, reduction=reduction),
                 ctc_loss(lp, targets, il, tl, reduction=reduction), rtol=0, atol=0)


@pytest.mark.parametrize("blank", [1, 3, 4])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_blank_not_zero(blank: int, reduction: str) -> None:
    x, targets, il, tl = random_case(40 + blank, 15, 3, 5, 5, blank=blank)
    assert not (targets == blank).any()
    assert_same(x, targets, il, tl, blank=blank, reduction=reduction)


def test_repeats_need_a_blank_between_them() -> None:
    # "1 1 2 2 2" has r=3 adjacent repeats: it needs S + r = 8 frames
    targets = torch.tensor([[1, 1, 2, 2, 2]])
    for T in (8, 9, 12):
        x = logits(T, 1, 3, T)
        assert_same(x, targets, (T,), (5,), reduction="none")
        assert torch.isfinite(ctc_loss(x.log_softmax(-1), targets, (T,), (5,)))
    x = logits(7, 1, 3, 7)
    assert ctc_loss(x.log_softmax(-1), targets, (7,), (5,)).item() == math.inf
    assert F.ctc_loss(x.log_softmax(-1), targets, (7,), (5,)).item() == math.inf


def test_counts_paths_on_uniform_probabilities() -> None:
    # with every y = 1/C, p(l | x) = (number of paths that collapse to l) / C^T
    lp = torch.full((3, 1, 3), 1 / 3, dtype=DT).log()
    for target, paths in (([1, 2], 5), ([1, 1], 1), ([1], 6), ([], 1)):  # "", T=3: only b b b
        t = torch.tensor([target], dtype=torch.long).reshape(1, len(target))
        loss = ctc_loss(lp, t, (3,), (len(target),), reduction="sum")
        assert_close(loss, torch.tensor(math.log(27 / paths), dtype=DT))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_impossible_alignments_with_zero_infinity(reduction: str) -> None:
    # sample 0 fits; sample 1 is too long for its input; sample 2 has 2 repeats that need 3 + 2 frames, gets 4
    x = logits(8, 3, 4, 21)
    targets = torch.tensor([[1, 2, 3], [1, 2, 3], [2, 2, 2]])
    il, tl = torch.tensor([8, 2, 4]), torch.tensor([3, 3, 3])
    assert_same(x, targets, il, tl, reduction=reduction, zero_infinity=True)
    ours = both(x, targets, il, tl, reduction="none", zero_infinity=True)[0]
    assert ours[0][1:].eq(0).all() and ours[1][:, 1:].eq(0).all()  # zero loss and zero gradient


def test_impossible_alignments_without_zero_infinity() -> None:
    """Both give +inf; the gradient is 0 for that sample in dlref and NaN in torch (a documented difference)."""
    x = logits(8, 3, 4, 22)
    targets = torch.tensor([[1, 2, 3], [1, 2, 3], [2, 2, 2]])
    il, tl = torch.tensor([8, 2, 4]), torch.tensor([3, 3, 3])
    (loss, grad), (t_loss, t_grad) = both(x, targets, il, tl, reduction="none")
    assert_close(loss, t_loss)
    assert loss[1:].isinf().all()
    inside = (torch.arange(8).unsqueeze(1) < il).unsqueeze(2).expand_as(grad)  # frame t inside sample n's input
    assert grad[:, 1:].eq(0).all() and t_grad[:, 1:][inside[:, 1:]].isnan().all()
    assert_close(grad[:, 0], t_grad[:, 0])
    for reduction in ("mean", "sum"):
        assert ctc_loss(x.log_softmax(-1), targets, il, tl, reduction=reduction).item() == math.inf


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_unbatched_input(reduction: str) -> None:
    """log_probs (T, C): targets (S,) hold one whole target, (1, S) is padded; lengths (), (1,) or one-int tuples."""
    x = logits(10, None, 5, 31)
    target = labels((4,), 5, 0, 32)
    for lengths in [(torch.tensor(10), torch.tensor(4)), (torch.tensor([9]), torch.tensor([4])), ((8,), [4])]:
        assert_same(x, target, *lengths, reduction=reduction)
    assert_same(x, target.unsqueeze(0), (9,), (3,), reduction=reduction)
    loss = ctc_loss(x.log_softmax(-1), target, (10,), (4,), reduction=reduction)
    assert loss.shape == ()
    batched = ctc_loss(x.log_softmax(-1).unsqueeze(1), target.unsqueeze(0), (10,), (4,), reduction=reduction)
    assert_close(loss, batched.reshape(()), rtol=0, atol=0)


def test_lengths_as_tuples_lists_and_int32_tensors() -> None:
    x, targets, il, tl = random_case(50, 9, 3, 4, 3)
    expected = F.ctc_loss(x.log_softmax(-1), targets, il, tl, reduction="none")
    lp = x.log_softmax(-1)
    for a, b in [(tuple(il.tolist()), tuple(tl.tolist())), (il.tolist(), tl.tolist()), (il.int(), tl.int())]:
        assert_close(ctc_loss(lp, targets, a, b, reduction="none"), expected)
    assert_close(ctc_loss(lp, targets.int(), il, tl, reduction="none"), expected)


def test_zero_input_and_target_lengths() -> None:
    x = logits(4, 3, 3, 60)
    targets = torch.tensor([[1, 2], [1, 2], [1, 2]])
    il, tl = torch.tensor([0, 0, 3]), torch.tensor([0, 1, 0])  # empty/empty: p = 1; empty input, 1 label: p = 0
    assert_same(x, targets, il, tl, reduction="none")
    loss = ctc_loss(x.log_softmax(-1), targets, il, tl, reduction="none")
    assert loss[0].item() == 0 and loss[1].item() == math.inf


def test_mean_divides_by_target_length_then_averages() -> None:
    x, targets, il, tl = random_case(70, 10, 4, 5, 3)
    tl = torch.tensor([3, 0, 2, 1])
    lp = x.log_softmax(-1)
    per_sample = ctc_loss(lp, targets, il, tl, reduction="none")
    assert_close(ctc_loss(lp, targets, il, tl), (per_sample / tl.clamp(min=1)).mean(), rtol=0, atol=0)
    assert_close(ctc_loss(lp, targets, il, tl, reduction="sum"), per_sample.sum(), rtol=0, atol=0)


def test_padding_past_the_target_length_is_ignored() -> None:
    x = logits(6, 2, 4, 80)
    lp = x.log_softmax(-1)
    a = ctc_loss(lp, torch.tensor([[1, 2, 0, 0], [3, 0, 0, 0]]), (6, 5), (2, 1), reduction="none")
    b = ctc_loss(lp, torch.tensor([[1, 2, -1, 99], [3, 3, 2, 0]]), (6, 5), (2, 1), reduction="none")
    assert_close(a, b, rtol=0, atol=0)
    assert_close(a, F.ctc_loss(lp, torch.tensor([[1, 2], [3, 0]]), (6, 5), (2, 1), reduction="none"))


def test_float32() -> None:
    x, targets, il, tl = random_case(90, 20, 3, 6, 6)
    ours, theirs = both(x.float(), targets, il, tl)
    assert ours[0].dtype == torch.float32
    for a, b in zip(ours, theirs, strict=True):
        assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_gradient_with_respect_to_log_probs_is_the_true_derivative() -> None:
    """dlref's gradient passes gradcheck; torch's differs by exp(log_probs) inside each input length."""
    x, targets, il, tl = random_case(95, 6, 2, 4, 2)
    lp = x.log_softmax(-1).detach().requires_grad_()
    assert torch.autograd.gradcheck(lambda a: ctc_loss(a, targets, il, tl, reduction="none"), (lp,))
    cot = torch.tensor([0.5, -2.0], dtype=DT)
    (ours,) = torch.autograd.grad(ctc_loss(lp, targets, il, tl, reduction="none"), lp, cot)
    (theirs,) = torch.autograd.grad(F.ctc_loss(lp, targets, il, tl, reduction="none"), lp, cot)
    inside = (torch.arange(6).unsqueeze(1) < il).unsqueeze(2)  # (T, N, 1): frame t is inside sample n's input
    assert_close(ours + lp.exp() * inside * cot.reshape(1, 2, 1), theirs)


def test_unnormalised_log_probs_values_match_torch() -> None:
    # the value is -log of the sum over paths for any scores; torch agrees on the value
    x = logits(7, 2, 4, 97)
    targets, il, tl = torch.tensor([[1, 2], [3, 3]]), (7, 6), (2, 2)
    assert_close(ctc_loss(x, targets, il, tl, reduction="none"), F.ctc_loss(x, targets, il, tl, reduction="none"))


# --------------------------------------------------------------------------- errors


LP = torch.zeros(5, 2, 4, dtype=DT)
TG = torch.tensor([[1, 2, 3], [3, 2, 0]])
IL, TL = torch.tensor([5, 4]), torch.tensor([3, 2])


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def test_log_probs_errors() -> None:
    with raises(TypeError, "ctc_loss: log_probs has the wrong type (got list); expected a torch.Tensor"):
        ctc_loss([[0.0]], TG, IL, TL)
    with raises(TypeError, "ctc_loss: log_probs has the wrong dtype (got torch.int64); expected a floating-point "
                "tensor"):
        ctc_loss(torch.zeros(5, 2, 4, dtype=torch.long), TG, IL, TL)
    with raises(ValueError, "ctc_loss: log_probs has the wrong number of dimensions (got 4-D of shape (5, 2, 4, 1)); "
                "expected 2 or 3-D (T, C) or (T, N, C)"):
        ctc_loss(LP.unsqueeze(-1), TG, IL, TL)
    with raises(ValueError, "ctc_loss: log_probs has the wrong number of dimensions (got 1-D of shape (5,)); "
                "expected 2 or 3-D (T, C) or (T, N, C)"):
        ctc_loss(torch.zeros(5, dtype=DT), TG, IL, TL)


def test_targets_errors() -> None:
    with raises(TypeError, "ctc_loss: targets has the wrong type (got tuple); expected a torch.Tensor"):
        ctc_loss(LP, (1, 2), IL, TL)
    with raises(TypeError, "ctc_loss: targets has the wrong dtype (got torch.float64); expected an integer tensor "
                "of labels"):
        ctc_loss(LP, TG.double(), IL, TL)
    with raises(TypeError, "ctc_loss: targets has the wrong dtype (got torch.bool); expected an integer tensor "
                "of labels"):
        ctc_loss(LP, TG > 0, IL, TL)
    with raises(ValueError, "ctc_loss: targets has the wrong number of dimensions (got 3-D of shape (2, 3, 1)); "
                "expected 1 or 2-D (N, S) or (sum(target_lengths),)"):
        ctc_loss(LP, TG.unsqueeze(-1), IL, TL)
    with raises(ValueError, "ctc_loss: targets has the wrong shape (got (2, 3)); expected (1, S), one row per "
                "batch element"):
        ctc_loss(LP[:, 0], TG, (5,), (3,))
    with raises(ValueError, "ctc_loss: targets has the wrong length (got 3); expected sum(target_lengths) = 2 for "
                "concatenated targets"):
        ctc_loss(LP[:, 0], TG[0], (5,), (2,))  # unbatched (S,) targets hold one whole target
    with raises(ValueError, "ctc_loss: targets has the wrong shape (got (3, 3)); expected (2, S), one row per "
                "batch element"):
        ctc_loss(LP, torch.ones(3, 3, dtype=torch.long), IL, TL)
    with raises(ValueError, "ctc_loss: targets has the wrong length (got 4); expected sum(target_lengths) = 5 for "
                "concatenated targets"):
        ctc_loss(LP, torch.tensor([1, 2, 3, 1]), IL, TL)


def test_target_label_errors() -> None:
    allowed = "expected a label in 0..3 other than blank=0"
    with raises(ValueError, f"ctc_loss: targets has a label out of range (got 4 at index (1, 1)); {allowed}"):
        ctc_loss(LP, torch.tensor([[1, 2, 3], [3, 4, 0]]), IL, TL)
    with raises(ValueError, f"ctc_loss: targets has a label out of range (got 0 at index (0, 2)); {allowed}"):
        ctc_loss(LP, torch.tensor([[1, 2, 0], [3, 2, 0]]), IL, TL)  # a blank inside a target
    with raises(ValueError, f"ctc_loss: targets has a label out of range (got -1 at index (3,)); {allowed}"):
        ctc_loss(LP, torch.tensor([1, 2, 3, -1, 2]), IL, TL)  # concatenated
    with raises(ValueError, "ctc_loss: targets has a label out of range (got 2 at index (1,)); expected a label in "
                "0..3 other than blank=2"):
        ctc_loss(LP[:, 0], torch.tensor([1, 2]), (5,), (2,), blank=2)


def test_length_errors() -> None:
    allowed = "expected an integer tensor, or a tuple or list of ints"
    with raises(TypeError, f"ctc_loss: input_lengths has the wrong type (got int); {allowed}"):
        ctc_loss(LP, TG, 5, TL)
    with raises(TypeError, f"ctc_loss: target_lengths has an entry of the wrong type (got (3, 2.0)); {allowed}"):
        ctc_loss(LP, TG, IL, (3, 2.0))
    with raises(TypeError, f"ctc_loss: input_lengths has an entry of the wrong type (got [5, True]); {allowed}"):
        ctc_loss(LP, TG, [5, True], TL)
    with raises(TypeError, f"ctc_loss: input_lengths has the wrong dtype (got torch.float64); {allowed}"):
        ctc_loss(LP, TG, IL.double(), TL)
    with raises(ValueError, "ctc_loss: target_lengths has the wrong shape (got (3,)); expected (2,), one length per "
                "batch element"):
        ctc_loss(LP, TG, IL, (3, 2, 1))
    with raises(ValueError, "ctc_loss: input_lengths has the wrong shape (got (2,)); expected () or (1,) for "
                "unbatched log_probs"):
        ctc_loss(LP[:, 0], TG[0], (5, 4), (3,))
    with raises(ValueError, "ctc_loss: input_lengths has a value out of range (got 6 at index (1,)); expected "
                "lengths in 0..5 (log_probs has T=5)"):
        ctc_loss(LP, TG, (5, 6), TL)
    with raises(ValueError, "ctc_loss: input_lengths has a value out of range (got -1 at index (0,)); expected "
                "lengths in 0..5 (log_probs has T=5)"):
        ctc_loss(LP, TG, (-1, 5), TL)
    with raises(ValueError, "ctc_loss: target_lengths has a value out of range (got 4 at index (0,)); expected "
                "lengths in 0..3 (targets has S=3)"):
        ctc_loss(LP, TG, IL, (4, 2))
    with raises(ValueError, "ctc_loss: target_lengths has a value out of range (got -2 at index (1,)); expected "
                "lengths >= 0"):
        ctc_loss(LP, torch.tensor([1, 2, 3]), IL, (5, -2))


def test_argument_errors() -> None:
    with raises(ValueError, "ctc_loss: blank is out of range (got 4); expected an int >= 0 and <= 3"):
        ctc_loss(LP, TG, IL, TL, blank=4)
    with raises(ValueError, "ctc_loss: blank is out of range (got -1); expected an int >= 0 and <= 3"):
        ctc_loss(LP, TG, IL, TL, blank=-1)
    with raises(TypeError, "ctc_loss: blank has the wrong type (got float); expected an int"):
        ctc_loss(LP, TG, IL, TL, blank=0.0)
    with raises(ValueError, "ctc_loss: reduction is not a valid choice (got 'avg'); expected one of 'none', 'mean', "
                "'sum'"):
        ctc_loss(LP, TG, IL, TL, reduction="avg")
    with raises(TypeError, "ctc_loss: zero_infinity has the wrong type (got int); expected True or False"):
        ctc_loss(LP, TG, IL, TL, zero_infinity=1)
