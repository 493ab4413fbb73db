"""clip_grad_norm_ and clip_grad_value_ against torch.nn.utils: norms, in-place results, skipped grads, errors."""

from __future__ import annotations

import math
import re

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from dlref.autograd import clip_grad_norm_, clip_grad_value_

from .torch_reference import DT, gen

NORM_TYPES = [1, 2.0, math.inf, "inf", 0.5, 3.0]
SHAPES = [(3,), (2, 4), (), (5, 1, 2)]


def make_params(seed: int, dtypes: tuple[torch.dtype, ...] = (DT,), scale: float = 3.0,
                with_none: bool = True) -> list[torch.Tensor]:
    """Parameters of several shapes with random gradients; the last one has grad None."""
    g = gen(seed)
    params = []
    for k, shape in enumerate(SHAPES):
        dtype = dtypes[k % len(dtypes)]
        p = torch.zeros(shape, dtype=dtype, requires_grad=True)
        p.grad = (torch.randn(shape, generator=g, dtype=DT) * scale).to(dtype)
        params.append(p)
    if with_none:
        params.append(torch.zeros(2, dtype=dtypes[0], requires_grad=True))
    return params


def twin(params: list[torch.Tensor]) -> list[torch.Tensor]:
    out = []
    for p in params:
        q = p.detach().clone().requires_grad_()
        q.grad = None if p.grad is None else p.grad.clone()
        out.append(q)
    return out


def grads_of(params: list[torch.Tensor]) -> list[torch.Tensor | None]:
    return [p.grad for p in params]


@pytest.mark.parametrize("norm_type", NORM_TYPES)
@pytest.mark.parametrize("max_norm", [0.0, 0.5, 2.0, 1e3])
@pytest.mark.parametrize("seed", range(3))
def test_clip_grad_norm_matches_torch(norm_type: float | str, max_norm: float, seed: int) -> None:
    ours = make_params(seed)
    theirs = twin(ours)
    total = clip_grad_norm_(ours, max_norm, norm_type)
    expected = nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert_close(total, expected)
    assert_close(grads_of(ours), grads_of(theirs))
    assert ours[-1].grad is None


@pytest.mark.parametrize("norm_type", NORM_TYPES)
def test_clip_grad_norm_float32_and_mixed_dtypes_match_torch(norm_type: float | str) -> None:
    for dtypes in [(torch.float32,), (torch.float32, DT)]:
        ours = make_params(7, dtypes)
        theirs = twin(ours)
        total = clip_grad_norm_(ours, 1.0, norm_type)
        assert_close(total, nn.utils.clip_grad_norm_(theirs, 1.0, norm_type))
        assert_close(grads_of(ours), grads_of(theirs))


def test_a_clipped_total_is_max_norm_and_direction_is_kept() -> None:
    params = make_params(3, with_none=False)
    before = torch.cat([p.grad.flatten() for p in params])  # type: ignore[union-attr]
    total = clip_grad_norm_(params, 1.0)
    after = torch.cat([p.grad.flatten() for p in params])  # type: ignore[union-attr]
    assert total > 1.0
    assert_close(torch.linalg.vector_norm(after), torch.tensor(1.0, dtype=DT), rtol=0, atol=1e-6)
    assert_close(after / after.norm(), before / before.norm())


def test_small_gradients_are_not_scaled_up() -> None:
    params = make_params(4, scale=1e-3)
    before = [g.clone() if g is not None else None for g in grads_of(params)]
    clip_grad_norm_(params, 10.0)
    assert all(a is b is None or torch.equal(a, b) for a, b in zip(grads_of(params), before, strict=True))  # type: ignore[arg-type]


def test_a_single_tensor_and_a_module_generator() -> None:
    p = torch.zeros(4, dtype=DT, requires_grad=True)
    p.grad = torch.tensor([1.0, -2.0, 2.0, 4.0], dtype=DT)
    q = twin([p])[0]
    assert_close(clip_grad_norm_(p, 2.5), nn.utils.clip_grad_norm_(q, 2.5))
    assert_close(p.grad, q.grad)
    model, twin_model = nn.Linear(3, 2).double(), nn.Linear(3, 2).double()
    twin_model.load_state_dict(model.state_dict())
    x = torch.randn(5, 3, dtype=DT, generator=gen(1))
    model(x).pow(2).sum().backward()
    twin_model(x).pow(2).sum().backward()
    assert_close(clip_grad_norm_(model.parameters(), 0.1), nn.utils.clip_grad_norm_(twin_model.parameters(), 0.1))
    assert_close([p.grad for p in model.parameters()], [p.grad for p in twin_model.parameters()])


def test_no_gradients_give_a_zero_norm_as_torch() -> None:
    assert_close(clip_grad_norm_([], 1.0), nn.utils.clip_grad_norm_([], 1.0))
    nothing = [torch.zeros(2, requires_grad=True)]
    assert_close(clip_grad_norm_(nothing, 1.0), nn.utils.clip_grad_norm_(nothing, 1.0))
    with pytest.warns(UserWarning, match=re.escape("`parameters` is an empty generator, no gradient clipping")):
        clip_grad_norm_((p for p in []), 1.0)
    with pytest.warns(UserWarning, match=re.escape("`parameters` is an empty generator, no gradient clipping")):
        nn.utils.clip_grad_norm_((p for p in []), 1.0)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("norm_type", [2.0, 1, math.inf])
def test_non_finite_gradients(bad: float, norm_type: float) -> None:
    params = make_params(5)
    params[1].grad[0, 1] = bad  # type: ignore[index]
    ours, theirs = twin(params), twin(params)
    total = clip_grad_norm_(ours, 1.0, norm_type)
    assert_close(total, nn.utils.clip_grad_norm_(theirs, 1.0, norm_type), equal_nan=True)
    assert_close(grads_of(ours), grads_of(theirs), equal_nan=True)  # scaled by 0: zeros and NaNs
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(twin(params), 1.0, norm_type, error_if_nonfinite=True)
    msg = (f"clip_grad_norm_: parameters have a non-finite total gradient norm (got {total.item()} for norm_type "
           f"{norm_type:g}); expected finite gradients; set error_if_nonfinite=False to scale them anyway")
    before = twin(params)
    with pytest.raises(RuntimeError, match="^" + re.escape(msg) + "$"):
        clip_grad_norm_(params, 1.0, norm_type, error_if_nonfinite=True)
    assert_close(grads_of(params), grads_of(before), equal_nan=True)  # nothing was scaled


def test_empty_gradient_has_norm_zero_where_torch_raises_for_inf() -> None:
    p = torch.zeros(0, dtype=DT, requires_grad=True)
    p.grad = torch.zeros(0, dtype=DT)
    assert clip_grad_norm_(p, 1.0, math.inf).item() == 0.0
    assert clip_grad_norm_(p, 1.0, 2.0).item() == nn.utils.clip_grad_norm_(p, 1.0, 2.0).item() == 0.0
    with pytest.raises(RuntimeError):
        nn.utils.clip_grad_norm_(p, 1.0, math.inf)


def test_deliberate_differences_from_torch() -> None:
    # torch flips the gradients' sign for a negative max_norm and counts nonzeros for norm_type 0; dlref raises
    p = torch.zeros(2, dtype=DT, requires_grad=True)
    p.grad = torch.tensor([3.0, 4.0], dtype=DT)
    nn.utils.clip_grad_norm_(p, -1.0)
    assert (p.grad < 0).all()
    p.grad = torch.tensor([3.0, 4.0], dtype=DT)
    assert nn.utils.clip_grad_norm_(p, 1.0, norm_type=0).item() == 1.0
    with pytest.raises(ValueError, match="max_norm is out of range"):
        clip_grad_norm_(p, -1.0)
    with pytest.raises(ValueError, match="norm_type is not a valid norm"):
        clip_grad_norm_(p, 1.0, norm_type=0)


@pytest.mark.parametrize("clip_value", [0.0, 0.3, 1.0, 100.0])
@pytest.mark.parametrize("dtypes", [(DT,), (torch.float32, DT)])
def test_clip_grad_value_matches_torch(clip_value: float, dtypes: tuple[torch.dtype, ...]) -> None:
    ours = make_params(6, dtypes)
    theirs = twin(ours)
    assert clip_grad_value_(ours, clip_value) is None
    nn.utils.clip_grad_value_(theirs, clip_value)
    assert_close(grads_of(ours), grads_of(theirs))
    assert all(p.grad is None or p.grad.abs().max() <= clip_value for p in ours)


def test_clip_grad_value_single_tensor_and_nan() -> None:
    p = torch.zeros(3, dtype=DT, requires_grad=True)
    p.grad = torch.tensor([-math.inf, math.nan, 0.5], dtype=DT)
    q = twin([p])[0]
    clip_grad_value_(p, 1.0)
    nn.utils.clip_grad_value_(q, 1.0)
    assert_close(p.grad, q.grad, equal_nan=True)


P = torch.zeros(2, requires_grad=True)


@pytest.mark.parametrize(("call", "error", "msg"), [
    (lambda: clip_grad_norm_(P, -1.0), ValueError,
     "clip_grad_norm_: max_norm is out of range (got -1.0); expected a finite number >= 0"),
    (lambda: clip_grad_norm_(P, math.inf), ValueError,
     "clip_grad_norm_: max_norm is out of range (got inf); expected a finite number >= 0"),
    (lambda: clip_grad_norm_(P, "1"), TypeError,
     "clip_grad_norm_: max_norm has the wrong type (got str); expected a real number (int or float)"),
    (lambda: clip_grad_norm_(P, 1.0, 0), ValueError,
     "clip_grad_norm_: norm_type is not a valid norm (got 0); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, -2.0), ValueError,
     "clip_grad_norm_: norm_type is not a valid norm (got -2.0); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, -math.inf), ValueError,
     "clip_grad_norm_: norm_type is not a valid norm (got -inf); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, math.nan), ValueError,
     "clip_grad_norm_: norm_type is not a valid norm (got nan); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, "fro"), ValueError,
     "clip_grad_norm_: norm_type is not a valid norm (got 'fro'); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, None), TypeError,
     "clip_grad_norm_: norm_type has the wrong type (got NoneType); expected a real number > 0, math.inf or 'inf'"),
    (lambda: clip_grad_norm_(P, 1.0, error_if_nonfinite=1), TypeError,
     "clip_grad_norm_: error_if_nonfinite has the wrong type (got int); expected True or False"),
    (lambda: clip_grad_norm_(P, 1.0, foreach="yes"), TypeError,
     "clip_grad_norm_: foreach has the wrong type (got str); expected None, True or False"),
    (lambda: clip_grad_norm_(3.0, 1.0), TypeError,
     "clip_grad_norm_: parameters has the wrong type (got float); expected a tensor or an iterable of tensors"),
    (lambda: clip_grad_norm_([P, [1.0]], 1.0), TypeError,
     "clip_grad_norm_: parameters[1] has the wrong type (got list); expected a torch.Tensor"),
    (lambda: clip_grad_value_(P, -0.5), ValueError,
     "clip_grad_value_: clip_value is out of range (got -0.5); expected a finite number >= 0"),
    (lambda: clip_grad_value_("w", 0.5), TypeError,
     "clip_grad_value_: parameters has the wrong type (got str); expected a tensor or an iterable of tensors"),
    (lambda: clip_grad_value_(P, 0.5, foreach=0), TypeError,
     "clip_grad_value_: foreach has the wrong type (got int); expected None, True or False"),
])
def test_errors(call, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        call()
