r"""The speed tricks behind the fast paths of dlref.activations, kept apart from the plain formulas.

A fast path `_<function>_fast(x, *params)` is written beside the plain formulas of its
function and returns the function's value and derivative together, sharing their
intermediates. It serves backpropagation through large tensors: autograd's forward and
backward passes (through the bridge) and the `*_derivative` functions. Every other call,
and every tensor below `FAST_PATH_MIN_NUMEL` elements, runs the plain formulas; the tests
check the two equal on values and gradients. On CPU float32 (torch 2.x,
1M elements) `torch.exp` costs 3-4x `torch.exp2`, a boolean mask or `torch.where`
costs several times an arithmetic op, and every fresh temporary of a large tensor
costs page faults. So the fast paths

- compute $e^x$ as $2^{x \log_2 e}$, which adds a relative error below $|x| \cdot 2^{-24}$
  in float32 ($2^{-53}$ in float64);
- build 0/1 masks from `sign` instead of comparisons;
- update the temporaries they create in place (never an input).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

__all__: list[str] = []  # private to dlref.activations

# Tensors with at least this many elements take a function's fast path, if it has one. Below it the
# per-call overhead of Python dominates anyway, and the plain formula runs: every example in the docs does.
FAST_PATH_MIN_NUMEL = 1 << 16

_LOG2_E = math.log2(math.e)


def is_large(x: Tensor) -> bool:
    """True if `x` has enough elements for a fast path."""
    return x.numel() >= FAST_PATH_MIN_NUMEL


def use_fast_path(x: Tensor) -> bool:
    """True if `x` is large and autograd does not record the call (a derivative under create_graph=True does)."""
    return is_large(x) and not (torch.is_grad_enabled() and x.requires_grad)


def exp(x: Tensor, scale: float = 1.0) -> Tensor:
    """e^{scale·x} as a fresh tensor, computed as 2^{scale·log2(e)·x}."""
    return torch.mul(x, scale * _LOG2_E).exp2_()


def exp_(t: Tensor, scale: float = 1.0) -> Tensor:
    """e^{scale·t} in place, on a temporary `t` that the caller owns."""
    return t.mul_(scale * _LOG2_E).exp2_()


def sigmoid(x: Tensor, scale: float = 1.0) -> Tensor:
    """σ(scale·x) = 1 / (1 + e^{-scale·x}); e^{-scale·x} = inf for very negative scale·x gives exactly 0."""
    return exp(x, -scale).add_(1).reciprocal_()


def positive(x: Tensor) -> Tensor:
    """1.0 where x > 0, else 0.0: sign(x) is -1, 0 or 1, and the clamp drops the -1."""
    return torch.sign(x).clamp_min_(0)
