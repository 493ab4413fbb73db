"""dlref.norm penalties: values, gradients; L2 penalty + SGD is SGD's weight_decay, with Adam it is not AdamW."""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from dlref.norm import l1_penalty, l2_penalty

from .torch_reference import DT, gen

LAMBDA = 0.05
STEPS = 20


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 1)).to(DT)


def data() -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.randn(32, 4, dtype=DT, generator=gen(1))
    return x, x[:, :1] * 2 - x[:, 1:2] + 0.1 * torch.randn(32, 1, dtype=DT, generator=gen(2))


def train(net: nn.Module, optimizer: torch.optim.Optimizer, penalty: float) -> list[torch.Tensor]:
    """STEPS full-batch steps on the MSE loss plus penalty · l2_penalty(parameters)."""
    x, y = data()
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        if penalty:
            loss = loss + penalty * l2_penalty(net.parameters())
        loss.backward()
        optimizer.step()
    return [p.detach().clone() for p in net.parameters()]


def test_values_and_gradients_match_hand_computation() -> None:
    params = [torch.tensor([1.0, -2.0, 0.0], dtype=DT, requires_grad=True),
              torch.tensor([[0.5, -0.25]], dtype=DT, requires_grad=True)]
    l1, l2 = l1_penalty(params), l2_penalty(params)
    assert l1.item() == 3.75 and l2.item() == (1 + 4 + 0.25 + 0.0625) / 2
    g1 = torch.autograd.grad(l1, params)
    assert g1[0].tolist() == [1.0, -1.0, 0.0] and g1[1].tolist() == [[1.0, -1.0]]  # sign(w), 0 at 0
    g2 = torch.autograd.grad(l2_penalty(params), params)
    for g, p in zip(g2, params, strict=True):
        assert_close(g, p.detach())  # ∇ ½‖w‖² = w


def test_a_single_tensor_and_a_module_s_parameters_are_accepted() -> None:
    w = torch.tensor([3.0, -4.0])
    assert l1_penalty(w).item() == 7.0 and l2_penalty(w).item() == 12.5
    net = model()
    expected = sum(float((p.detach() ** 2).sum()) for p in net.parameters()) / 2
    assert_close(l2_penalty(net.parameters()).item(), expected)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_l2_penalty_with_sgd_is_sgd_weight_decay(momentum: float) -> None:
    a, b = model(), model()
    with_penalty = train(a, torch.optim.SGD(a.parameters(), lr=0.1, momentum=momentum), LAMBDA)
    with_decay = train(b, torch.optim.SGD(b.parameters(), lr=0.1, momentum=momentum, weight_decay=LAMBDA), 0.0)
    for p, q in zip(with_penalty, with_decay, strict=True):
        assert_close(p, q)
    net = model()
    plain = train(net, torch.optim.SGD(net.parameters(), lr=0.1, momentum=momentum), 0.0)
    assert not torch.allclose(with_penalty[0], plain[0])  # the penalty changes the weights


def test_l2_penalty_with_adam_is_adam_weight_decay_but_not_adamw() -> None:
    a, b, c = model(), model(), model()
    with_penalty = train(a, torch.optim.Adam(a.parameters(), lr=0.01), LAMBDA)
    coupled = train(b, torch.optim.Adam(b.parameters(), lr=0.01, weight_decay=LAMBDA), 0.0)
    decoupled = train(c, torch.optim.AdamW(c.parameters(), lr=0.01, weight_decay=LAMBDA), 0.0)
    for p, q in zip(with_penalty, coupled, strict=True):
        assert_close(p, q)  # Adam's weight_decay adds λw to the gradient: the L2 penalty
    gap = max(float((p - q).abs().max()) for p, q in zip(with_penalty, decoupled, strict=True))
    assert gap > 1e-4  # AdamW decays outside the adaptive step: different weights


def test_bad_arguments_raise() -> None:
    for fn in (l1_penalty, l2_penalty):
        name = fn.__name__
        with raises(ValueError, f"{name}: params is empty (got no tensors); expected at least one tensor"):
            fn([])
        with raises(TypeError, f"{name}: params has the wrong type (got float); "
                               "expected a tensor or an iterable of tensors, e.g. model.parameters()"):
            fn(1.0)
        with raises(TypeError, f"{name}: params[1] has the wrong type (got float); expected a torch.Tensor"):
            fn([torch.ones(2), 2.0])
        with raises(TypeError, f"{name}: params[0] has the wrong dtype (got torch.int64); "
                               "expected a floating-point tensor"):
            fn([torch.ones(2, dtype=torch.long)])
        with raises(TypeError, f"{name}: params[1] has the wrong dtype (got torch.float64); "
                               "expected torch.float32, the dtype of params[0]"):
            fn([torch.ones(2), torch.ones(2, dtype=DT)])
