"""dlref.optim.ema against a direct loop and its closed form; bias correction; Adam's exp_avg; errors."""

from __future__ import annotations

import re

import pytest
import torch
from torch.testing import assert_close

from dlref import optim
from dlref.optim import ema

from .torch_reference import DT, gen


def direct_loop(x: list[float], beta: float, bias_correction: bool) -> list[float]:
    out, v = [], 0.0
    for t, xt in enumerate(x, start=1):
        v = beta * v + (1 - beta) * xt
        out.append(v / (1 - beta**t) if bias_correction else v)
    return out


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.98, 0.999])
@pytest.mark.parametrize("bias_correction", [False, True])
def test_ema_matches_a_direct_loop_and_the_closed_form(beta: float, bias_correction: bool) -> None:
    x = torch.randn(40, dtype=DT, generator=gen(0)) * 5 + 20
    ours = ema(x, beta, bias_correction)
    assert_close(ours, torch.tensor(direct_loop(x.tolist(), beta, bias_correction), dtype=DT))
    # closed form: v_t = (1 - β) Σ_{s≤t} β^{t-s} x_s (a lower-triangular weight matrix)
    t = torch.arange(1, 41, dtype=DT)
    lag = t[:, None] - t[None, :]
    weights = torch.where(lag >= 0, (1 - beta) * beta ** lag.clamp(min=0), torch.zeros((), dtype=DT))
    closed = weights @ x
    if bias_correction:
        closed = closed / (1 - beta**t)
    assert_close(ours, closed)


def test_bias_corrected_ema_starts_at_the_first_sample_and_keeps_a_constant() -> None:
    x = torch.tensor([7.5, 1.0, -3.0], dtype=DT)
    for beta in (0.5, 0.9, 0.98):
        assert ema(x, beta, bias_correction=True)[0].item() == pytest.approx(7.5, rel=1e-14)
        assert ema(x, beta)[0].item() == pytest.approx((1 - beta) * 7.5, rel=1e-14)  # biased towards 0
        assert_close(ema(torch.full((30,), 4.0, dtype=DT), beta, bias_correction=True), torch.full((30,), 4.0,
                                                                                                  dtype=DT))


def test_ema_averages_each_column_and_keeps_the_dtype() -> None:
    x = torch.randn(25, 3, 2, generator=gen(1))
    ours = ema(x, 0.9, bias_correction=True)
    assert ours.shape == x.shape and ours.dtype == torch.float32
    for i in range(3):
        for j in range(2):
            assert_close(ours[:, i, j], ema(x[:, i, j].contiguous(), 0.9, bias_correction=True))


def test_ema_is_adams_first_moment_and_sgds_dampened_momentum() -> None:
    grads = torch.randn(10, 4, dtype=DT, generator=gen(2))
    w = torch.zeros(4, dtype=DT, requires_grad=True)
    adam = optim.Adam([w], betas=(0.8, 0.999))
    sgd_w = torch.zeros(4, dtype=DT, requires_grad=True)
    sgd = torch.optim.SGD([sgd_w], lr=0.1, momentum=0.8, dampening=0.8)
    expected = ema(grads, 0.8)
    for t in range(10):
        w.grad, sgd_w.grad = grads[t].clone(), grads[t].clone()
        adam.step()
        sgd.step()
        assert_close(adam.state[w]["exp_avg"], expected[t])
    # torch's dampened momentum starts at b_1 = g_1 instead of (1 - β) g_1, so b_t = v_t + β^t g_1
    assert_close(sgd.state[sgd_w]["momentum_buffer"], expected[-1] + 0.8**10 * grads[0])


@pytest.mark.parametrize(("args", "error", "message"), [
    ((torch.tensor(1.0), 0.9), ValueError, "ema: values has the wrong number of dimensions (got 0-D of shape ()); "
                                           "expected at least 1-D (T, *), time first"),
    ((torch.ones(3), 1.0), ValueError, "ema: beta is out of range (got 1.0); expected a finite number >= 0 and < 1"),
    ((torch.ones(3), -0.1), ValueError, "ema: beta is out of range (got -0.1); expected a finite number >= 0 and < 1"),
    (([1.0, 2.0], 0.9), TypeError, "ema: values has the wrong type (got list); expected a torch.Tensor"),
    ((torch.ones(3, dtype=torch.long), 0.9), TypeError, "ema: values has the wrong dtype (got torch.int64)"),
    ((torch.ones(3), 0.9, 1), TypeError, "ema: bias_correction has the wrong type (got int); expected True or False"),
])
def test_ema_rejects_bad_input(args: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        ema(*args)  # type: ignore[arg-type]
