"""dlref.losses.cross_entropy_family against torch: values, gradients, errors."""

from __future__ import annotations

import math
import re
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses import cross_entropy_family as C

from .torch_reference import CLASS_SHAPES, DT, REDUCTIONS, class_weight, gen, grads, indices, logits, same


def torch_kl_div(input, target, reduction="mean", log_target=False):
    with warnings.catch_warnings():  # torch warns about its own 'mean'
        warnings.simplefilter("ignore", UserWarning)
        return F.kl_div(input, target, reduction=reduction, log_target=log_target)


# --------------------------------------------------------------------------- binary cross-entropy


BINARY_SHAPES = [(), (7,), (4, 5), (2, 3, 4)]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", BINARY_SHAPES, ids=str)
@pytest.mark.parametrize("weighted", ["none", "full", "last-dim"])
def test_bce_matches_torch(shape, reduction: str, weighted: str) -> None:
    x = torch.rand(shape, dtype=DT, generator=gen(1)) * 0.98 + 0.01
    y = torch.rand(shape, dtype=DT, generator=gen(2))
    kw = {"reduction": reduction}
    if weighted != "none":
        kw["weight"] = torch.rand(shape if weighted == "full" else shape[-1:], dtype=DT, generator=gen(3))
    same(C.binary_cross_entropy, F.binary_cross_entropy, [x, y], [True, True], **kw)


def test_bce_at_zero_and_one_clamps_like_torch() -> None:
    """log terms clamped at -100; gradient (x - y) / max(x(1 - x), 1e-12); target gradient -logit(x) (±inf)."""
    x = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5, 1e-20, 1 - 1e-16, 0.0, 1e-13], dtype=DT)
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.5, 0.3, 0.3, 0.5, 1.0], dtype=DT)
    same(C.binary_cross_entropy, F.binary_cross_entropy, [x, y], [True, True], reduction="none")
    assert C.binary_cross_entropy(x, y, reduction="none")[2].item() == 100.0


def test_bce_double_backward() -> None:
    x = (torch.rand(6, dtype=DT, generator=gen(4)) * 0.8 + 0.1).requires_grad_()
    y = torch.rand(6, dtype=DT, generator=gen(5)).requires_grad_()
    assert torch.autograd.gradgradcheck(lambda a, b: C.binary_cross_entropy(a, b, reduction="none"), (x, y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", BINARY_SHAPES, ids=str)
@pytest.mark.parametrize("weights", ["none", "weight", "pos_weight", "both", "full-pos_weight"])
def test_bce_with_logits_matches_torch(shape, reduction: str, weights: str) -> None:
    x, y = logits(shape, 6, scale=4.0), torch.rand(shape, dtype=DT, generator=gen(7))
    kw = {"reduction": reduction}
    if weights in ("weight", "both"):
        kw["weight"] = torch.rand(shape, dtype=DT, generator=gen(8))
    if weights in ("pos_weight", "both"):
        kw["pos_weight"] = torch.rand(shape[-1:], dtype=DT, generator=gen(9)) * 3
    if weights == "full-pos_weight":
        kw["pos_weight"] = torch.rand(shape, dtype=DT, generator=gen(9)) * 3
    same(C.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, [x, y], [True, True], **kw)


@pytest.mark.parametrize("scale", [100.0, 1e4])
def test_bce_with_logits_extreme_logits(scale: float) -> None:
    x = torch.tensor([-1.0, 1.0, -1.0, 1.0, 0.0, 0.5], dtype=DT) * scale
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0, 0.5], dtype=DT)
    pw = torch.tensor(2.5, dtype=DT)
    for kw in ({}, {"pos_weight": pw}):
        out = grads(C.binary_cross_entropy_with_logits, [x, y], [True, True], reduction="none", **kw)
        assert all(torch.isfinite(t).all() for t in out)
        same(C.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, [x, y], [True, True],
             reduction="none", **kw)
    # float32 too
    same(C.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, [x.float(), y.float()], [True, True])


def test_bce_with_logits_pos_weight_gradient_and_double_backward() -> None:
    x = logits((4, 3), 10).requires_grad_()
    y = torch.rand(4, 3, dtype=DT, generator=gen(11)).requires_grad_()
    pw = (torch.rand(3, dtype=DT, generator=gen(12)) + 0.5).requires_grad_()
    fn = lambda a, b, p: C.binary_cross_entropy_with_logits(a, b, pos_weight=p, reduction="sum")  # noqa: E731
    assert torch.autograd.gradcheck(fn, (x, y, pw))
    assert torch.autograd.gradgradcheck(fn, (x, y, pw))
    assert torch.autograd.gradgradcheck(lambda a, b: C.binary_cross_entropy_with_logits(a, b), (x, y))


def test_bce_with_logits_equals_bce_of_sigmoid() -> None:
    x, y = logits((20,), 13, scale=2.0), torch.rand(20, dtype=DT, generator=gen(14))
    assert_close(C.binary_cross_entropy_with_logits(x, y), C.binary_cross_entropy(torch.sigmoid(x), y))


def test_bce_with_logits_slope_at_zero_is_sigma_of_zero_minus_target() -> None:
    """At x = 0 the slope is σ(0) - y = 0.5 - y, as in torch: the kinks of max(x, 0) and |x| must not leak."""
    x = torch.zeros(3, dtype=DT, requires_grad=True)
    y = torch.tensor([0.0, 0.5, 1.0], dtype=DT)
    (grad,) = torch.autograd.grad(C.binary_cross_entropy_with_logits(x, y, reduction="sum"), x)
    assert grad.tolist() == [0.5, 0.0, -0.5]
    pw = torch.tensor(3.0, dtype=DT)
    (grad,) = torch.autograd.grad(C.binary_cross_entropy_with_logits(x, y, reduction="sum", pos_weight=pw), x)
    # (1 + (p - 1)·y)·σ(0) - p·y
    assert grad.tolist() == [0.5, 1.0 - 1.5, 1.5 - 3.0]


# --------------------------------------------------------------------------- nll_loss, cross_entropy


def index_kwargs(shape, option: str, seed: int) -> dict[str, object]:
    kw: dict[str, object] = {}
    if option in ("weight", "weight+ignore", "all"):
        kw["weight"] = class_weight(shape, seed)
    if option in ("ignore", "weight+ignore", "all", "ignore=2"):
        kw["ignore_index"] = 2 if option == "ignore=2" else -100
    return kw


INDEX_OPTIONS = ["plain", "weight", "ignore", "weight+ignore", "ignore=2"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize("option", INDEX_OPTIONS)
def test_nll_loss_matches_torch(shape, reduction: str, option: str) -> None:
    logp = F.log_softmax(logits(shape, 20), 0 if len(shape) == 1 else 1)
    kw = index_kwargs(shape, option, 21)
    t = indices(shape, 22, ignore=-100 if option in ("ignore", "weight+ignore") else None)
    same(C.nll_loss, F.nll_loss, [logp, t], [True, False], reduction=reduction, **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize("option", INDEX_OPTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_cross_entropy_index_targets_match_torch(shape, reduction: str, option: str, smoothing: float) -> None:
    x = logits(shape, 30)
    kw = index_kwargs(shape, option, 31)
    t = indices(shape, 32, ignore=-100 if option in ("ignore", "weight+ignore") else None)
    same(C.cross_entropy, F.cross_entropy, [x, t], [True, False], reduction=reduction, label_smoothing=smoothing, **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", CLASS_SHAPES, ids=str)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_probability_targets_match_torch(shape, reduction: str, weighted: bool, smoothing: float) -> None:
    x = logits(shape, 40)
    cd = 0 if len(shape) == 1 else 1
    y = torch.rand(shape, dtype=DT, generator=gen(41)).softmax(cd)
    kw = {"weight": class_weight(shape, 42)} if weighted else {}
    same(C.cross_entropy, F.cross_entropy, [x, y], [True, True], reduction=reduction, label_smoothing=smoothing, **kw)


def test_all_ignored_mean_is_nan_like_torch() -> None:
    x, t = logits((3, 4), 50), torch.full((3,), -100)
    for ours, theirs in ((C.cross_entropy, F.cross_entropy), (C.nll_loss, F.nll_loss)):
        assert_close(ours(x, t), theirs(x, t), equal_nan=True)
        assert math.isnan(ours(x, t, weight=torch.ones(4, dtype=DT)).item())


@pytest.mark.parametrize("scale", [100.0, 1e4])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_extreme_logits(scale: float, smoothing: float) -> None:
    x = torch.tensor([[1.0, -1.0, 0.0], [-1.0, 1.0, 0.5], [0.0, 0.0, -1.0]], dtype=DT) * scale
    t = torch.tensor([1, 1, 2])
    y = torch.tensor([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [0.0, 0.0, 1.0]], dtype=DT)
    for target, wrt in ((t, False), (y, True)):
        out = grads(C.cross_entropy, [x, target], [True, wrt], label_smoothing=smoothing, reduction="none")
        assert all(torch.isfinite(g).all() for g in out)
        same(C.cross_entropy, F.cross_entropy, [x, target], [True, wrt], label_smoothing=smoothing, reduction="none")
        same(C.cross_entropy, F.cross_entropy, [x.float(), target.float() if wrt else t], [True, wrt],
             label_smoothing=smoothing, reduction="none")


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_float32_and_double_backward(smoothing: float) -> None:
    x32, t = logits((64, 10), 51).float(), indices((64, 10), 52)
    w32 = class_weight((64, 10), 53).float()
    same(C.cross_entropy, F.cross_entropy, [x32, t], [True, False], weight=w32, label_smoothing=smoothing)
    x = logits((3, 4, 2), 54).requires_grad_()
    t = torch.tensor([[0, 3], [1, -100], [2, 2]])
    assert torch.autograd.gradgradcheck(lambda a: C.cross_entropy(a, t, label_smoothing=smoothing), (x,))


def test_cross_entropy_backward_twice_with_retain_graph() -> None:
    x, t = logits((5, 7), 55).requires_grad_(), indices((5, 7), 56)
    loss = C.cross_entropy(x, t)
    (first,) = torch.autograd.grad(loss, x, retain_graph=True)
    (second,) = torch.autograd.grad(loss, x)
    assert_close(first, second, rtol=0, atol=0)
    assert_close(first, torch.autograd.grad(F.cross_entropy(x, t), x)[0])


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_cross_entropy_low_precision_is_computed_in_float32(dtype: torch.dtype) -> None:
    x, t = logits((8, 6), 57), indices((8, 6), 58)
    ours = grads(C.cross_entropy, [x.to(dtype), t], [True, False], reduction="none")
    ref = grads(F.cross_entropy, [x.float(), t], [True, False], reduction="none")
    assert ours[0].dtype == ours[1].dtype == dtype
    for a, b in zip(ours, ref, strict=True):
        assert_close(a.float(), b, rtol=2e-2, atol=2e-2)


def test_ignored_rows_never_touch_their_values() -> None:
    """An ignored sample's row may hold anything (-inf log-probabilities): it contributes exactly 0."""
    logp = torch.tensor([[-math.inf, -0.1, -3.0], [-0.5, -1.0, -2.0]], dtype=DT)
    t = torch.tensor([-100, 0])
    same(C.nll_loss, F.nll_loss, [logp, t], [True, False], reduction="none")
    assert C.nll_loss(logp, t).item() == 0.5


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6), c=st.integers(1, 6), extra=st.sampled_from([(), (3,), (2, 2)]),
    seed=st.integers(0, 2**31 - 1), smoothing=st.sampled_from([0.0, 0.3]), reduction=st.sampled_from(REDUCTIONS),
)
def test_one_hot_targets_equal_index_targets(n, c, extra, seed, smoothing, reduction) -> None:
    x = logits((n, c, *extra), seed)
    t = torch.randint(0, c, (n, *extra), generator=gen(seed + 1))
    one_hot = F.one_hot(t, c).movedim(-1, 1).to(DT)
    index = C.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing)
    assert_close(C.cross_entropy(x, one_hot, reduction=reduction, label_smoothing=smoothing), index)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 5), c=st.integers(1, 7), extra=st.sampled_from([(), (2,), (3, 2)]),
    seed=st.integers(0, 2**31 - 1), weighted=st.booleans(), ignore=st.booleans(), probs=st.booleans(),
    smoothing=st.sampled_from([0.0, 0.05, 0.5]), reduction=st.sampled_from(REDUCTIONS),
)
def test_random_cross_entropy_and_nll_match_torch(n, c, extra, seed, weighted, ignore, probs, smoothing, reduction):
    shape = (n, c, *extra)
    x = logits(shape, seed)
    kw = {"reduction": reduction, **({"weight": class_weight(shape, seed + 1)} if weighted else {})}
    if probs:
        y = torch.rand(shape, dtype=DT, generator=gen(seed + 2)).softmax(1)
        same(C.cross_entropy, F.cross_entropy, [x, y], [True, True], label_smoothing=smoothing, **kw)
        return
    t = indices(shape, seed + 3, ignore=-100 if ignore else None)
    nan = t.eq(-100).all().item()  # every target ignored: 'mean' is 0/0 = NaN in both
    same(C.cross_entropy, F.cross_entropy, [x, t], [True, False], equal_nan=nan, label_smoothing=smoothing, **kw)
    same(C.nll_loss, F.nll_loss, [x.log_softmax(1), t], [True, False], equal_nan=nan, **kw)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple), seed=st.integers(0, 2**31 - 1),
    scale=st.sampled_from([1.0, 30.0, 1e4]), weighted=st.booleans(), pos=st.booleans(),
    reduction=st.sampled_from(REDUCTIONS),
)
def test_random_bce_with_logits_matches_torch(shape, seed, scale, weighted, pos, reduction) -> None:
    x, y = logits(shape, seed, scale=scale), torch.rand(shape, dtype=DT, generator=gen(seed + 1))
    kw: dict[str, object] = {"reduction": reduction}
    if weighted:
        kw["weight"] = torch.rand(shape, dtype=DT, generator=gen(seed + 2))
    if pos:
        kw["pos_weight"] = torch.rand(shape[-1:], dtype=DT, generator=gen(seed + 3)) * 4
    same(C.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, [x, y], [True, True], **kw)


# --------------------------------------------------------------------------- kl_div


@pytest.mark.parametrize("reduction", ["none", "batchmean", "mean", "sum"])
@pytest.mark.parametrize("shape", [(), (5,), (4, 6), (2, 3, 4)], ids=str)
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(shape, reduction: str, log_target: bool) -> None:
    x = logits(shape, 60).log_softmax(-1) if shape else torch.tensor(-0.7, dtype=DT)
    y = torch.rand(shape, dtype=DT, generator=gen(61)) + 0.05
    y = y.log() if log_target else y
    same(C.kl_div, torch_kl_div, [x, y], [True, True], reduction=reduction, log_target=log_target)


def test_kl_div_zero_target_is_zero_like_torch() -> None:
    x = torch.tensor([-1.0, -2.0, -0.5], dtype=DT)
    y = torch.tensor([0.0, 0.3, 0.7], dtype=DT)
    same(C.kl_div, torch_kl_div, [x, y], [True, False], reduction="none")
    assert C.kl_div(x, y, reduction="none")[0].item() == 0.0


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 5), c=st.integers(1, 8), seed=st.integers(0, 2**31 - 1), log_target=st.booleans(),
       peaked=st.sampled_from([0.1, 1.0, 10.0]))
def test_kl_is_nonnegative(n, c, seed, log_target, peaked) -> None:
    x = logits((n, c), seed, scale=peaked).log_softmax(-1)
    q = logits((n, c), seed + 1, scale=peaked)
    y = q.log_softmax(-1) if log_target else q.softmax(-1)
    assert C.kl_div(x, y, reduction="batchmean", log_target=log_target).item() >= -1e-12
    assert (C.kl_div(x, y, reduction="none", log_target=log_target).sum(-1) >= -1e-12).all()


def test_kl_div_batchmean_is_mean_times_classes() -> None:
    x, y = logits((4, 6), 62).log_softmax(-1), logits((4, 6), 63).softmax(-1)
    assert_close(C.kl_div(x, y, reduction="batchmean"), 6 * C.kl_div(x, y))


# --------------------------------------------------------------------------- errors


X45 = torch.zeros(4, 5, dtype=DT)
T4 = torch.tensor([0, 1, 2, 3])


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def test_class_index_out_of_range() -> None:
    allowed = "expected a class index in 0..4 (input shape (4, 5)) or ignore_index=-100"
    for fn in (C.cross_entropy, C.nll_loss):
        name = fn.__name__
        with raises(ValueError, f"{name}: target has a class index out of range (got 7 at index (1,)); {allowed}"):
            fn(X45, torch.tensor([0, 7, 1, -100]))
        with raises(ValueError, f"{name}: target has a class index out of range (got -3 at index (1,)); {allowed}"):
            fn(X45, torch.tensor([0, -3, 1, 2]))
        fn(X45, torch.tensor([0, 4, 1, -100]))  # ignore_index is excluded from the check
        fn(X45, torch.tensor([0, 9, 9, 2]), ignore_index=9)
    # the whole message, as the cross_entropy docstring quotes it
    message = ("cross_entropy: target has a class index out of range (got 7 at index (1,)); "
               "expected a class index in 0..4 (input shape (4, 5)) or ignore_index=-100")
    with pytest.raises(ValueError, match=r"^cross_entropy: ") as error:
        C.cross_entropy(X45, torch.tensor([0, 7, 1, -100]))
    assert str(error.value) == message


def test_target_shape_and_dtype_errors() -> None:
    with raises(ValueError, "nll_loss: target has the wrong shape (got (3,)); expected (4,) for an input of shape "
                "(4, 5)"):
        C.nll_loss(X45, torch.tensor([0, 1, 2]))
    with raises(ValueError, "cross_entropy: target has the wrong shape (got (2,)); expected (2, 3) for an input of "
                "shape (2, 5, 3)"):
        C.cross_entropy(torch.zeros(2, 5, 3, dtype=DT), torch.tensor([0, 1]))
    with raises(ValueError, "cross_entropy: target holds class probabilities (a floating-point dtype) but has a "
                "different shape (got (4,)); expected (4, 5), the input's shape, or class indices as an integer "
                "(torch.long) tensor"):
        C.cross_entropy(X45, torch.tensor([0.0, 1.0, 2.0, 3.0], dtype=DT))
    with raises(TypeError, "nll_loss: target has the wrong dtype (got torch.float64); expected class indices "
                "(an integer dtype)"):
        C.nll_loss(X45, torch.zeros(4, dtype=DT))
    with raises(TypeError, "cross_entropy: target has the wrong dtype (got torch.bool); expected class indices "
                "(an integer dtype)"):
        C.cross_entropy(X45, torch.zeros(4, dtype=torch.bool))
    with raises(TypeError, "cross_entropy: target has the wrong type (got list); expected a torch.Tensor"):
        C.cross_entropy(X45, [0, 1, 2, 3])
    with raises(TypeError, "cross_entropy: input has the wrong type (got list); expected a torch.Tensor"):
        C.cross_entropy([[0.0] * 5] * 4, T4)
    with raises(TypeError, "cross_entropy: input has the wrong dtype (got torch.int64); expected a floating-point "
                "tensor"):
        C.cross_entropy(torch.zeros(4, 5, dtype=torch.long), T4)
    with raises(ValueError, "cross_entropy: input has no class dimension (got shape ()); expected shape (C,), "
                "(N, C) or (N, C, d1, ...)"):
        C.cross_entropy(torch.tensor(1.0), torch.tensor(0))
    with raises(TypeError, "cross_entropy: ignore_index has the wrong type (got float); expected an int"):
        C.cross_entropy(X45, T4, ignore_index=-100.0)


def test_weight_shape_errors() -> None:
    with raises(ValueError, "cross_entropy: weight has the wrong shape (got (4,)); expected (5,), one entry per class"):
        C.cross_entropy(X45, T4, weight=torch.ones(4, dtype=DT))
    with raises(ValueError, "cross_entropy: weight has the wrong shape (got (4, 5)); expected (5,), one entry per "
                "class"):
        C.cross_entropy(X45, X45.softmax(1), weight=torch.ones(4, 5, dtype=DT))
    with raises(ValueError, "nll_loss: weight has the wrong shape (got (1,)); expected (5,), one entry per class"):
        C.nll_loss(X45, T4, weight=torch.ones(1, dtype=DT))
    with raises(TypeError, "nll_loss: weight has the wrong type (got list); expected a torch.Tensor"):
        C.nll_loss(X45, T4, weight=[1.0] * 5)
    with raises(ValueError, "binary_cross_entropy: weight does not broadcast to the input's shape (got (4,)); "
                "expected a shape that broadcasts to (4, 5)"):
        C.binary_cross_entropy(X45, X45, weight=torch.ones(4, dtype=DT))
    with raises(ValueError, "binary_cross_entropy_with_logits: pos_weight does not broadcast to the input's shape "
                "(got (3,)); expected a shape that broadcasts to (4, 5)"):
        C.binary_cross_entropy_with_logits(X45, X45, pos_weight=torch.ones(3, dtype=DT))
    with raises(ValueError, "binary_cross_entropy_with_logits: weight does not broadcast to the input's shape "
                "(got (2, 4, 5)); expected a shape that broadcasts to (4, 5)"):
        C.binary_cross_entropy_with_logits(X45, X45, weight=torch.ones(2, 4, 5, dtype=DT))


def test_probability_range_errors() -> None:
    x = torch.tensor([[0.2, 1.5], [0.3, 0.4]], dtype=DT)
    y = torch.zeros(2, 2, dtype=DT)
    with raises(ValueError, "binary_cross_entropy: input has a value out of range (got 1.5 at index (0, 1)); "
                "expected probabilities in [0, 1]"):
        C.binary_cross_entropy(x, y)
    with raises(ValueError, "binary_cross_entropy: input has a value out of range (got nan at index (1,)); "
                "expected probabilities in [0, 1]"):
        C.binary_cross_entropy(torch.tensor([0.5, math.nan], dtype=DT), torch.zeros(2, dtype=DT))
    with raises(ValueError, "binary_cross_entropy: target has a value out of range (got -0.5 at index ()); "
                "expected values in [0, 1]"):
        C.binary_cross_entropy(torch.tensor(0.5, dtype=DT), torch.tensor(-0.5, dtype=DT))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(x, y)  # torch: RuntimeError without the value


def test_shape_reduction_and_parameter_errors() -> None:
    a, b = torch.zeros(3, dtype=DT), torch.zeros(3, 1, dtype=DT)
    for fn in (C.binary_cross_entropy, C.binary_cross_entropy_with_logits, C.kl_div):
        with raises(ValueError, f"{fn.__name__}: target has a different shape from input (got (3, 1)); "
                    "expected (3,), the shape of input"):
            fn(a, b)
    for fn in (C.binary_cross_entropy, C.binary_cross_entropy_with_logits):
        with raises(ValueError, f"{fn.__name__}: reduction is not a valid choice (got 'avg'); expected one of "
                    "'none', 'mean', 'sum'"):
            fn(a, a, reduction="avg")
    with raises(ValueError, "cross_entropy: reduction is not a valid choice (got 'batchmean'); expected one of "
                "'none', 'mean', 'sum'"):
        C.cross_entropy(X45, T4, reduction="batchmean")
    with raises(ValueError, "kl_div: reduction is not a valid choice (got 'avg'); expected one of 'none', "
                "'batchmean', 'mean', 'sum'"):
        C.kl_div(a, a, reduction="avg")
    with raises(TypeError, "kl_div: log_target has the wrong type (got int); expected True or False"):
        C.kl_div(a, a, log_target=1)
    with raises(ValueError, "cross_entropy: label_smoothing is out of range (got 1.5); expected a finite number "
                ">= 0 and <= 1"):
        C.cross_entropy(X45, T4, label_smoothing=1.5)
    with raises(ValueError, "cross_entropy: label_smoothing is out of range (got -0.1); expected a finite number "
                ">= 0 and <= 1"):
        C.cross_entropy(X45, T4, label_smoothing=-0.1)
