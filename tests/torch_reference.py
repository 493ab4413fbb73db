"""Helpers shared by the tests that compare dlref with torch: seeded inputs, values and gradients side by side."""

from __future__ import annotations

from collections.abc import Callable

import torch
from hypothesis import settings
from torch.testing import assert_close

DT = torch.float64
REDUCTIONS = ["none", "mean", "sum"]
SETTINGS = settings(max_examples=60, deadline=None)
# (input shape, class dim): a single sample, a batch, a batch of 2-D maps, and a 1-D sequence
CLASS_SHAPES = [(5,), (6, 5), (3, 4, 2, 3), (2, 3, 4)]


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def grads(fn: Callable[..., torch.Tensor], tensors: list[torch.Tensor], wrt: list[bool], **kw) -> list[torch.Tensor]:
    """[fn(*tensors, **kw), then d<out, cotangent>/d tensor for each tensor with wrt=True]."""
    leaves = [t.detach().clone().requires_grad_(w) for t, w in zip(tensors, wrt, strict=True)]
    out = fn(*leaves, **kw)
    cot = torch.linspace(-1, 2, out.numel(), dtype=out.dtype).reshape(out.shape)
    diff = [t for t in leaves if t.requires_grad]
    return [out, *torch.autograd.grad(out, diff, cot)]


def same(ours: Callable[..., torch.Tensor], theirs: Callable[..., torch.Tensor], tensors: list[torch.Tensor],
         wrt: list[bool], equal_nan: bool = False, **kw) -> None:
    for a, b in zip(grads(ours, tensors, wrt, **kw), grads(theirs, tensors, wrt, **kw), strict=True):
        assert_close(a, b, equal_nan=equal_nan)


def logits(shape: tuple[int, ...], seed: int, scale: float = 3.0) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed)) * scale


def indices(shape: tuple[int, ...], seed: int, ignore: int | None = -100) -> torch.Tensor:
    """Class-index target for `shape` (class dim second, or first for 1-D), some set to `ignore`."""
    cd = 0 if len(shape) == 1 else 1
    tshape = shape[:cd] + shape[cd + 1:]
    t = torch.randint(0, shape[cd], tshape, generator=gen(seed))
    if ignore is not None and t.numel() > 1:
        t.view(-1)[:: 3] = ignore
    return t


def class_weight(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    c = shape[0 if len(shape) == 1 else 1]
    return torch.rand(c, dtype=DT, generator=gen(seed)) + 0.2


def random_boxes(n: int, seed: int, scale: float = 10.0) -> torch.Tensor:
    """n boxes (x1, y1, x2, y2) in general position: positive widths and heights, no shared edges."""
    g = gen(seed)
    xy = torch.rand(n, 2, generator=g, dtype=DT) * scale
    wh = torch.rand(n, 2, generator=g, dtype=DT) * scale / 2 + 0.1
    return torch.cat([xy, xy + wh], dim=1)


def grad_of(fn, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Gradients of fn(*inputs).sum() with respect to every input."""
    leaves = [x.detach().clone().requires_grad_() for x in inputs]
    return torch.autograd.grad(fn(*leaves).sum(), leaves)
