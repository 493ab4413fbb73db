"""dlref.losses.regression against torch: values, gradients, the notes' worked numbers, errors."""

from __future__ import annotations

import re
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.losses import regression as R

DT = torch.float64
REDUCTIONS = ["none", "mean", "sum"]
SHAPES = [(), (1,), (7,), (4, 5), (2, 3, 4)]
# (dlref function, torch function, extra keyword arguments)
CASES = [
    (R.mse_loss, F.mse_loss, {}),
    (R.l1_loss, F.l1_loss, {}),
    (R.smooth_l1_loss, F.smooth_l1_loss, {}),
    (R.smooth_l1_loss, F.smooth_l1_loss, {"beta": 0.5}),
    (R.smooth_l1_loss, F.smooth_l1_loss, {"beta": 0.0}),
    (R.smooth_l1_loss, F.smooth_l1_loss, {"beta": 3}),
    (R.huber_loss, F.huber_loss, {}),
    (R.huber_loss, F.huber_loss, {"delta": 0.3}),
    (R.huber_loss, F.huber_loss, {"delta": 2.5}),
]
IDS = [f"{ours.__name__}{kw}" for ours, _, kw in CASES]


def pair(shape: tuple[int, ...], seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(shape, dtype=DT, generator=gen) * 2, torch.randn(shape, dtype=DT, generator=gen) * 2


def value_and_grads(fn, x: torch.Tensor, y: torch.Tensor, **kw) -> tuple[torch.Tensor, ...]:
    """fn(x, y) and its vector-Jacobian product with a fixed random cotangent, w.r.t. x and y."""
    x, y = x.clone().requires_grad_(), y.clone().requires_grad_()
    out = fn(x, y, **kw)
    cotangent = torch.linspace(-1, 2, out.numel(), dtype=DT).reshape(out.shape)
    return (out, *torch.autograd.grad(out, (x, y), cotangent))


# --------------------------------------------------------------------------- against torch


@pytest.mark.parametrize(("ours", "theirs", "kw"), CASES, ids=IDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_matches_torch_values_and_gradients(ours, theirs, kw, reduction: str, shape: tuple[int, ...]) -> None:
    x, y = pair(shape, seed=len(shape))
    expected = value_and_grads(theirs, x, y, reduction=reduction, **kw)
    for a, b in zip(value_and_grads(ours, x, y, reduction=reduction, **kw), expected, strict=True):
        assert_close(a, b)


@pytest.mark.parametrize(("ours", "theirs", "kw"), CASES, ids=IDS)
def test_matches_torch_at_kinks(ours, theirs, kw) -> None:
    """Differences exactly 0, ±beta/±delta (the kink) and ±1: torch's one-sided choices are reproduced."""
    t = float(kw.get("beta", kw.get("delta", 1.0)))
    d = torch.tensor([0.0, t, -t, 1.0, -1.0, 1e-300, 1e300], dtype=DT)
    y = torch.full_like(d, 0.25)
    expected = value_and_grads(theirs, y + d, y, reduction="none", **kw)
    for a, b in zip(value_and_grads(ours, y + d, y, reduction="none", **kw), expected, strict=True):
        assert_close(a, b)


def test_empty_input_mean_is_nan_like_torch() -> None:
    e = torch.empty(0, dtype=DT)
    for ours, theirs, _ in CASES[:3]:
        assert_close(ours(e, e), theirs(e, e), equal_nan=True)
        assert ours(e, e, reduction="none").shape == (0,)


# --------------------------------------------------------------------------- the notes' worked numbers


def test_worked_example_from_the_notes() -> None:
    y_true = torch.tensor([2.0, 3.0, 1.0], dtype=DT)
    y_pred = torch.tensor([1.0, 5.0, 4.0], dtype=DT)
    assert round(R.mse_loss(y_pred, y_true).item(), 4) == 4.6667  # (1 + 4 + 9) / 3
    assert round(R.l1_loss(y_pred, y_true).item(), 4) == 2.0  # (1 + 2 + 3) / 3
    # beta = 1: |d| = 1, 2, 3 are all >= beta, so |d| - 0.5 = 0.5, 1.5, 2.5
    elementwise = R.smooth_l1_loss(y_pred, y_true, reduction="none", beta=1.0)
    assert elementwise.tolist() == [0.5, 1.5, 2.5]
    assert round(R.smooth_l1_loss(y_pred, y_true, beta=1.0).item(), 4) == 1.5
    assert R.smooth_l1_loss(y_pred, y_true).item() == R.huber_loss(y_pred, y_true).item() == 1.5


def test_hand_computed_quadratic_pieces() -> None:
    # |d| = 0.5 < beta = 2: 0.5 * 0.25 / 2 = 0.0625;  huber with delta = 2: 0.5 * 0.25 = 0.125
    x, y = torch.tensor([1.5], dtype=DT), torch.tensor([1.0], dtype=DT)
    assert R.smooth_l1_loss(x, y, beta=2.0).item() == 0.0625
    assert R.huber_loss(x, y, delta=2.0).item() == 0.125
    # |d| = 3 >= delta = 2: 2 * (3 - 1) = 4
    assert R.huber_loss(torch.tensor([4.0], dtype=DT), y, delta=2.0).item() == 4.0


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(
    delta=st.floats(min_value=1e-3, max_value=50.0),
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(1, 30),
    scale=st.sampled_from([1e-3, 1.0, 10.0, 1e3]),
    reduction=st.sampled_from(REDUCTIONS),
)
def test_huber_is_delta_times_smooth_l1(delta: float, seed: int, n: int, scale: float, reduction: str) -> None:
    x, y = pair((n,), seed)
    x, y = x * scale, y * scale
    assert_close(R.huber_loss(x, y, reduction, delta=delta), delta * R.smooth_l1_loss(x, y, reduction, beta=delta))


def test_huber_equals_delta_times_smooth_l1_gradients() -> None:
    x, y = pair((50,), seed=3)
    for d in (0.1, 1.0, 4.0):
        h = value_and_grads(R.huber_loss, x, y, delta=d)
        s = value_and_grads(lambda a, b, d=d: d * R.smooth_l1_loss(a, b, beta=d), x, y)
        for a, b in zip(h, s, strict=True):
            assert_close(a, b)


def test_smooth_l1_with_beta_zero_is_l1() -> None:
    x, y = pair((4, 6), seed=5)
    smooth, l1 = value_and_grads(R.smooth_l1_loss, x, y, beta=0.0), value_and_grads(R.l1_loss, x, y)
    for a, b in zip(smooth, l1, strict=True):
        assert_close(a, b, rtol=0, atol=0)


def test_float32_and_gradients_reach_a_parameter() -> None:
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    target = torch.tensor([0.0, 1.0])
    R.mse_loss(x @ w, target).backward()
    # d/dw mean((xw - t)^2) = 2/N · xᵀ(xw - t) = xᵀ[-3, -6] = [-21, -30]
    assert_close(w.grad, torch.tensor([-21.0, -30.0]))


# --------------------------------------------------------------------------- errors


def raises(exc: type[Exception], message: str):
    """pytest.raises for an error whose message is exactly `message` (a literal, not a regex)."""
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.mark.parametrize("fn", [R.mse_loss, R.l1_loss, R.smooth_l1_loss, R.huber_loss], ids=lambda f: f.__name__)
def test_bad_arguments(fn) -> None:
    name = fn.__name__
    x = torch.zeros(3, dtype=DT)
    with raises(ValueError, f"{name}: target has a different shape from input (got (3, 1)); expected (3,), the shape "
                "of input"):
        fn(x, torch.zeros(3, 1, dtype=DT))
    with raises(ValueError, f"{name}: reduction is not a valid choice (got 'batchmean'); expected one of 'none', "
                "'mean', 'sum'"):
        fn(x, x, reduction="batchmean")
    with raises(TypeError, f"{name}: input has the wrong type (got list); expected a torch.Tensor"):
        fn([0.0, 0.0, 0.0], x)
    with raises(TypeError, f"{name}: target has the wrong type (got float); expected a torch.Tensor"):
        fn(x, 0.0)
    with raises(TypeError, f"{name}: input has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        fn(torch.zeros(3, dtype=torch.long), x)


def test_torch_would_broadcast_but_dlref_raises() -> None:
    x, y = torch.zeros(3, dtype=DT), torch.ones(3, 1, dtype=DT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert F.mse_loss(x, y, reduction="none").shape == (3, 3)  # torch: silent (3, 3) after a warning
    with pytest.raises(ValueError, match="target has a different shape from input"):
        R.mse_loss(x, y)


def test_bad_beta_and_delta() -> None:
    x = torch.zeros(3, dtype=DT)
    with raises(ValueError, "smooth_l1_loss: beta is out of range (got -1.0); expected a finite number >= 0"):
        R.smooth_l1_loss(x, x, beta=-1.0)
    with raises(ValueError, "smooth_l1_loss: beta is out of range (got inf); expected a finite number >= 0"):
        R.smooth_l1_loss(x, x, beta=float("inf"))
    with raises(TypeError, "smooth_l1_loss: beta has the wrong type (got Tensor); expected a real number (int or "
                "float)"):
        R.smooth_l1_loss(x, x, beta=torch.tensor(1.0))
    with raises(ValueError, "huber_loss: delta is out of range (got -0.5); expected a finite number > 0"):
        R.huber_loss(x, x, delta=-0.5)
    with raises(ValueError, "huber_loss: delta is out of range (got 0.0); expected a finite number > 0"):
        R.huber_loss(x, x, delta=0.0)
    with pytest.raises(RuntimeError, match="non-positive values for delta"):
        F.huber_loss(x, x, delta=0.0)  # torch rejects delta = 0 too
    with raises(TypeError, "huber_loss: delta has the wrong type (got bool); expected a real number (int or float)"):
        R.huber_loss(x, x, delta=True)
